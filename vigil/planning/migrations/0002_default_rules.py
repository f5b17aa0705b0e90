"""Default planning data (a data migration, apart from the schema): the risk factors with
their weights (summing to 100), what the reference institution types hold, and the coverage
rules. All of it is editable afterwards; applying this again adds nothing already there."""

import datetime

from django.db import migrations

# code, unit, weight, counts from, full at, period (months)
FACTORS = (
    ("time_since_visit", "months", 20, 6, 48, None),
    ("ill_treatment_appeals", "count", 20, 0, 5, 24),
    ("incidents", "count", 15, 0, 3, 24),
    ("open_recommendations", "count", 5, 0, 20, None),
    ("overdue_recommendations", "count", 10, 0, 10, None),
    ("repeated_issues", "count", 5, 0, 5, 36),
    ("population", "people", 5, 0, 1000, None),
    ("overcrowding", "percent", 5, 90, 150, None),
    ("vulnerability", "groups", 5, 0, 2, None),
    ("security", "level", 5, 0, 3, None),
    ("access_obstruction", "count", 5, 0, 2, 36),
)

# Institution type code (reference data, vigil/reference/data/kz): children, disabilities,
# psychiatric patients. Another country's codes get their profiles as data.
PROFILES = {
    "COLONY_MINORS": (True, False, False),
    "INFANT_HOME": (True, False, False),
    "ORPHANAGE": (True, False, False),
    "JUV_ADAPTATION": (True, False, False),
    "SPECIAL_SCHOOL": (True, True, False),
    "SPECIAL_REGIME_SCHOOL": (True, False, False),
    "MINORS_CORRECTIONAL": (True, False, False),
    "PNI_CHILDREN": (True, True, True),
    "PNI": (False, True, True),
    "SOCIAL_CARE_HOME": (False, True, False),
    "PSYCH_HOSPITAL": (False, False, True),
    "PSYCH_FORENSIC": (False, False, True),
    "DRUG_TREATMENT": (False, False, True),
}

RULES = (
    {
        "name_en": "Penitentiary institutions and pre-trial detention centres: every year",
        "name_ru": "Учреждения УИС и следственные изоляторы: ежегодно",
        "name_kk": "ҚАЖ мекемелері мен тергеу изоляторлары: жыл сайын",
        "categories": ["penal", "pre_trial"],
        "holds": "",
        "interval_years": 1,
    },
    {
        "name_en": "Institutions holding children: at least every two years",
        "name_ru": "Учреждения, где содержатся дети: не реже одного раза в два года",
        "name_kk": "Балалар ұсталатын мекемелер: кемінде екі жылда бір рет",
        "categories": [],
        "holds": "children",
        "interval_years": 2,
    },
    {
        "name_en": "Every institution: at least every five years",
        "name_ru": "Все учреждения: не реже одного раза в пять лет",
        "name_kk": "Барлық мекемелер: кемінде бес жылда бір рет",
        "categories": [],
        "holds": "",
        "interval_years": 5,
    },
)


def seed(apps, schema_editor):
    RiskFactor = apps.get_model("planning", "RiskFactor")
    VulnerabilityProfile = apps.get_model("planning", "VulnerabilityProfile")
    CoverageRule = apps.get_model("planning", "CoverageRule")
    for position, (code, unit, weight, threshold, saturation, lookback) in enumerate(FACTORS):
        RiskFactor.objects.get_or_create(
            code=code,
            defaults={
                "unit": unit,
                "position": position,
                "weight": weight,
                "threshold": threshold,
                "saturation": saturation,
                "lookback_months": lookback,
            },
        )
    for code, (children, disabilities, psychiatric) in PROFILES.items():
        VulnerabilityProfile.objects.get_or_create(
            type_code=code,
            defaults={
                "children": children,
                "disabilities": disabilities,
                "psychiatric": psychiatric,
            },
        )
    for rule in RULES:
        CoverageRule.objects.get_or_create(
            name_en=rule["name_en"],
            defaults={**rule, "type_codes": [], "valid_from": datetime.date(2020, 1, 1)},
        )


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The columns of an institutions file, and what each accepts."""

from django.utils.translation import gettext_lazy as _

from vigil.reference.models import Agency, InstitutionType, Region

REQUIRED_COLUMNS: tuple[str, ...] = (
    "external_code",
    "name_kk",
    "name_ru",
    "name_en",
    "type",
    "agency",
    "region",
    "address",
    "capacity",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "status",
    "security_level",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
    "population_date",
)
IMPORT_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Written by the export for reading; accepted on import and ignored without a warning.
EXPORT_ONLY_COLUMNS: tuple[str, ...] = ("last_visited_on",)

NAME_COLUMNS = ("name_kk", "name_ru", "name_en")
TEXT_COLUMNS = (*NAME_COLUMNS, "address")
INTEGER_COLUMNS = (
    "capacity",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
)
REFERENCE_COLUMNS = {"type": InstitutionType, "agency": Agency, "region": Region}

COLUMN_NOTES = {
    "external_code": _("Your registry's code; rows are matched on it (update or create)."),
    "name_kk": _("Name in Kazakh. At least one of the three names is needed."),
    "name_ru": _("Name in Russian."),
    "name_en": _("Name in English."),
    "type": _("Institution type code, e.g. COLONY_MEDIUM."),
    "agency": _("Agency code, e.g. MVD-KUIS."),
    "region": _("Region code (ISO 3166-2), e.g. KZ-71."),
    "address": _("Postal address."),
    "capacity": _("Number of places, a whole number (may be empty)."),
    "status": _("active, under_reconstruction, suspended or closed (empty: unchanged)."),
    "security_level": _("minimum, medium, maximum, extreme, mixed, high, or empty."),
    "population_men": _("Adult men held, a whole number."),
    "population_women": _("Adult women held, a whole number."),
    "population_boys": _("Boys under 18 held, a whole number."),
    "population_girls": _("Girls under 18 held, a whole number."),
    "population_date": _("Date of the population figures: YYYY-MM-DD or DD.MM.YYYY."),
}

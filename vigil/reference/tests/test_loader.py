# mypy: disable-error-code="union-attr"
"""Reference data files and their loader: content, versioning, idempotency, bad files."""

import datetime
import io
import json
import re
import shutil

import pytest
from django.core.management import CommandError, call_command

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.reference.enums import AgencyLevel, InstitutionCategory, RegionKind
from vigil.reference.loader import (
    DATA_ROOT,
    HOLIDAYS_ROOT,
    KINDS,
    ReferenceDataError,
    reference_data_load,
)
from vigil.reference.models import Agency, InstitutionType, Region
from vigil.reference.selectors import region_neighbours

pytestmark = pytest.mark.django_db

KZ = DATA_ROOT / "kz"
SPLITS = {"KZ-10": "KZ-63", "KZ-33": "KZ-19", "KZ-62": "KZ-35"}
CITIES = {"KZ-71", "KZ-75", "KZ-79"}
DOMAIN_TYPES = {
    "COLONY_MIN": "penal",
    "COLONY_MEDIUM": "penal",
    "COLONY_MAX": "penal",
    "COLONY_EXTREME": "penal",
    "COLONY_MIXED": "penal",
    "COLONY_MINORS": "penal",
    "SIZO": "pre_trial",
    "PENAL_MEDICAL": "penal",
    "IVS": "police",
    "SPECIAL_PREMISES": "police",
    "SPECIAL_RECEPTION": "police",
    "FOREIGNERS_CENTRE": "migration",
    "RECEPTION_CENTRE": "police",
    "KNB_SIZO": "pre_trial",
    "GUARDHOUSE": "military",
    "PSYCH_HOSPITAL": "medical",
    "PSYCH_FORENSIC": "medical",
    "DRUG_TREATMENT": "medical",
    "TB_COMPULSORY": "medical",
    "INFANT_HOME": "medical",
    "SOCIAL_CARE_HOME": "social",
    "PNI": "social",
    "ORPHANAGE": "education",
    "JUV_ADAPTATION": "education",
    "SPECIAL_SCHOOL": "education",
    "SPECIAL_REGIME_SCHOOL": "education",
    "MINORS_CORRECTIONAL": "education",
}
KAZAKH_LETTERS = re.compile("[әғқңөұүһі]", re.IGNORECASE)


@pytest.fixture
def loaded():
    return reference_data_load(country="kz")


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of the Kazakhstan files, to corrupt."""
    for kind in KINDS:
        shutil.copy(KZ / kind.filename, tmp_path / kind.filename)
    return tmp_path


def _edit(path, change):
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["items"])
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_twenty_regions_with_iso_codes_and_three_names(loaded):
    regions = list(Region.objects.all())
    assert len(regions) == 20
    assert loaded["regions"] == {"created": 20, "updated": 0, "unchanged": 0}
    for region in regions:
        assert re.fullmatch(r"KZ-\d\d", region.code)
        assert all((region.name_kk, region.name_ru, region.name_en))
        assert region.kind == (RegionKind.CITY if region.code in CITIES else RegionKind.REGION)
    names = {r.code: r for r in regions}
    assert names["KZ-10"].name_kk == "Абай облысы"
    assert names["KZ-10"].name_ru == "Абайская область"
    assert names["KZ-33"].name_ru == "область Жетісу"
    assert names["KZ-62"].name_kk == "Ұлытау облысы"
    assert names["KZ-63"].name_kk == "Шығыс Қазақстан облысы"
    assert names["KZ-63"].name_ru == "Восточно-Казахстанская область"
    assert {names[c].name_ru for c in CITIES} == {"Астана", "Алматы", "Шымкент"}


def test_2022_splits_name_their_predecessor(loaded):
    for code, predecessor in SPLITS.items():
        region = Region.objects.get(code=code)
        assert region.predecessor.code == predecessor
        assert region.valid_from == datetime.date(2022, 6, 8)
        assert region.valid_to is None
        assert not region.is_valid_on(datetime.date(2021, 12, 31))
        assert region.is_valid_on(datetime.date(2023, 1, 1))
    assert Region.objects.filter(predecessor__isnull=False).count() == 3
    # The regions they split from go on.
    assert all(r.valid_to is None for r in Region.objects.filter(code__in=SPLITS.values()))


def test_agency_tree(loaded):
    def chain(code):
        codes = []
        agency: Agency | None = Agency.objects.get(code=code)
        while agency is not None:
            codes.append(agency.code)
            agency = agency.parent
        return codes

    assert chain("MVD-KUIS-KZ-71") == ["MVD-KUIS-KZ-71", "MVD-KUIS", "MVD", "GOV"]
    assert chain("MVD-POLICE-KZ-39") == ["MVD-POLICE-KZ-39", "MVD-POLICE", "MVD", "GOV"]
    assert chain("MZ-KZ-35") == ["MZ-KZ-35", "MZ", "GOV"]
    assert Agency.objects.get(code="GOV").level == AgencyLevel.GOVERNMENT
    for code in ("MVD", "MO", "MZ", "MTSZN", "MP"):
        assert Agency.objects.get(code=code).level == AgencyLevel.MINISTRY
    assert Agency.objects.filter(code="KNB").exists()
    kuis = Agency.objects.get(code="MVD-KUIS")
    assert (kuis.short_name_ru, kuis.short_name_kk) == ("КУИС", "ҚАЖК")
    for region in Region.objects.all():
        for committee in ("MVD-KUIS", "MVD-POLICE"):
            department = Agency.objects.get(code=f"{committee}-{region.code}")
            assert department.region == region
            assert department.parent.code == committee
            assert department.level == AgencyLevel.REGIONAL_DEPARTMENT
            assert all((department.name_kk, department.name_ru, department.name_en))
            if region.code in SPLITS:
                assert department.valid_from == datetime.date(2022, 6, 8)
    assert Agency.objects.get(code="MVD-POLICE-KZ-39").short_name_ru == "ДП Костанайской области"
    assert (
        Agency.objects.get(code="MVD-KUIS-KZ-35").name_ru
        == "Департамент уголовно-исполнительной системы по Карагандинской области"
    )
    for agency in Agency.objects.filter(level=AgencyLevel.REGIONAL_DEPARTMENT):
        assert all((agency.region_id, agency.parent_id))
        assert KAZAKH_LETTERS.search(agency.name_kk), agency.code


def test_every_type_has_a_category_and_an_agency(loaded):
    types = {t.code: t for t in InstitutionType.objects.select_related("agency")}
    assert set(DOMAIN_TYPES) <= set(types)
    for code, itype in types.items():
        assert itype.category in InstitutionCategory.values
        assert itype.agency is not None
        assert all((itype.name_kk, itype.name_ru, itype.name_en))
        if code in DOMAIN_TYPES:
            assert itype.category == DOMAIN_TYPES[code]
    assert types["SIZO"].agency.code == "MVD-KUIS"
    assert types["IVS"].agency.code == "MVD-POLICE"
    assert types["KNB_SIZO"].agency.code == "KNB"
    assert types["GUARDHOUSE"].agency.code == "MO"
    assert types["ORPHANAGE"].agency.code == "MP"
    assert types["PNI"].agency.code == "MTSZN"
    assert types["INFANT_HOME"].agency.code == "MZ"


def test_second_load_changes_nothing_and_logs_nothing(loaded):
    events = AuditEvent.objects.filter(action=AuditAction.REFERENCE_DATA_SEEDED)
    assert events.count() == 1
    assert events.get().data["counts"]["agencies"]["created"] == Agency.objects.count()
    before = AuditEvent.objects.count()

    again = reference_data_load(country="kz")

    for kind, counts in again.items():
        assert counts["created"] == 0, kind
        assert counts["updated"] == 0, kind
    assert again["regions"]["unchanged"] == 20
    assert AuditEvent.objects.count() == before


def test_holidays_loaded_with_the_reference_data(loaded):
    if not (HOLIDAYS_ROOT / "kz.json").is_file():
        assert "holidays" not in loaded
    else:
        assert loaded["holidays"]["created"] > 0


def test_changed_row_is_updated_and_logged(loaded):
    Region.objects.filter(code="KZ-35").update(name_en="Qaraghandy")
    Agency.objects.filter(code="MVD-KUIS-KZ-10").update(parent=Agency.objects.get(code="MP"))

    counts = reference_data_load(country="kz")

    assert counts["regions"] == {"created": 0, "updated": 1, "unchanged": 19}
    assert counts["agencies"]["updated"] == 1
    assert Region.objects.get(code="KZ-35").name_en == "Karaganda Region"
    assert Agency.objects.get(code="MVD-KUIS-KZ-10").parent.code == "MVD-KUIS"
    assert AuditEvent.objects.filter(action=AuditAction.REFERENCE_DATA_SEEDED).count() == 2


def test_neighbours_are_symmetrical_and_cities_border_the_region_around_them(loaded):
    def codes(code):
        return set(Region.objects.get(code=code).neighbours.values_list("code", flat=True))

    assert codes("KZ-71") == {"KZ-11"}  # Astana, inside Akmola
    assert codes("KZ-75") == {"KZ-19"}  # Almaty, inside Almaty Region
    assert codes("KZ-79") == {"KZ-61"}  # Shymkent, inside Turkistan
    assert codes("KZ-27") == {"KZ-15", "KZ-23"}  # West Kazakhstan: Aktobe, Atyrau
    for region in Region.objects.prefetch_related("neighbours"):
        assert region.neighbours.exists(), region.code
        for other in region.neighbours.all():
            assert region in other.neighbours.all()
    assert region_neighbours()[Region.objects.get(code="KZ-71").pk] == frozenset(
        {Region.objects.get(code="KZ-11").pk}
    )


def test_a_pair_named_on_one_side_only_is_linked_and_a_removed_pair_is_unlinked(data_copy):
    def one_sided(items):
        for row in items:
            row.pop("neighbours", None)
        by_code = {row["code"]: row for row in items}
        by_code["KZ-71"]["neighbours"] = ["KZ-11"]
        by_code["KZ-75"]["neighbours"] = ["KZ-19"]

    _edit(data_copy / "regions.json", one_sided)
    reference_data_load(country="kz", data_dir=data_copy)
    assert list(Region.objects.get(code="KZ-11").neighbours.values_list("code", flat=True)) == [
        "KZ-71"
    ]

    _edit(data_copy / "regions.json", lambda items: items[-2].pop("neighbours"))  # KZ-75
    counts = reference_data_load(country="kz", data_dir=data_copy)
    assert counts["regions"] == {"created": 0, "updated": 2, "unchanged": 18}
    assert not Region.objects.get(code="KZ-19").neighbours.exists()
    assert reference_data_load(country="kz", data_dir=data_copy)["regions"]["updated"] == 0


def test_children_may_come_before_their_parents(data_copy):
    _edit(data_copy / "agencies.json", lambda items: items.reverse())
    _edit(data_copy / "regions.json", lambda items: items.reverse())

    reference_data_load(country="kz", data_dir=data_copy)

    assert Agency.objects.get(code="MVD-KUIS-KZ-71").parent.code == "MVD-KUIS"
    assert Region.objects.get(code="KZ-33").predecessor.code == "KZ-19"


def _corrupt_type_category(items):
    items[4]["category"] = "prison"


def _unknown_parent(items):
    items[3]["parent"] = "NO-SUCH-AGENCY"


def _bad_date(items):
    items[0]["valid_from"] = "8 June 2022"


def _unknown_field(items):
    items[2]["colour"] = "red"


def _too_long(items):
    items[1]["short_name_ru"] = "Ж" * 61


def _unknown_neighbour(items):
    items[6]["neighbours"] = ["KZ-19", "KZ-99"]


def _self_neighbour(items):
    items[7]["neighbours"] = [items[7]["code"]]


def _neighbours_not_a_list(items):
    items[8]["neighbours"] = "KZ-11"


@pytest.mark.parametrize(
    ("filename", "change", "index", "field"),
    [
        ("institution_types.json", _corrupt_type_category, 4, "category"),
        ("agencies.json", _unknown_parent, 3, "parent"),
        ("regions.json", _bad_date, 0, "valid_from"),
        ("regions.json", _unknown_field, 2, "colour"),
        ("agencies.json", _too_long, 1, "short_name_ru"),
        ("regions.json", _unknown_neighbour, 6, "neighbours"),
        ("regions.json", _self_neighbour, 7, "neighbours"),
        ("regions.json", _neighbours_not_a_list, 8, "neighbours"),
    ],
)
def test_bad_row_names_file_row_and_field_and_writes_nothing(
    data_copy, filename, change, index, field
):
    _edit(data_copy / filename, change)

    with pytest.raises(ReferenceDataError) as caught:
        reference_data_load(country="kz", data_dir=data_copy)

    error = caught.value
    assert (error.file, error.index, error.field) == (filename, index, field)
    assert filename in str(error)
    assert f"items[{index}]" in str(error)
    assert repr(field) in str(error)
    assert Region.objects.count() == 0
    assert Agency.objects.count() == 0
    assert InstitutionType.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_duplicate_code_and_broken_json(data_copy):
    _edit(data_copy / "regions.json", lambda items: items.append(dict(items[5])))
    with pytest.raises(ReferenceDataError, match=r"regions\.json, items\[20\].*duplicate code"):
        reference_data_load(country="kz", data_dir=data_copy)

    _edit(data_copy / "regions.json", lambda items: items.pop())
    (data_copy / "agencies.json").write_text('{"items": [', encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"agencies\.json: invalid JSON"):
        reference_data_load(country="kz", data_dir=data_copy)
    assert AuditEvent.objects.count() == 0


def test_command_prints_counts_and_is_idempotent():
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_reference_data", "--country", "kz", stdout=first)
    call_command("seed_reference_data", stdout=second)

    assert "regions" in first.getvalue()
    assert "20 created" in first.getvalue()
    assert "0 created, 0 updated, 20 unchanged" in second.getvalue()
    assert "already up to date" in second.getvalue()
    assert AuditEvent.objects.filter(action=AuditAction.REFERENCE_DATA_SEEDED).count() == 1


def test_command_reports_bad_data(data_copy):
    _edit(data_copy / "institution_types.json", _corrupt_type_category)
    with pytest.raises(CommandError, match=r"institution_types\.json, items\[4\]"):
        call_command("seed_reference_data", "--data-dir", str(data_copy), stdout=io.StringIO())

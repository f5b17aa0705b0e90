"""The downloadable template of an institutions file: the import columns and one example row
(real reference codes where there are some), formula-safe."""

from django.utils import timezone

from vigil.core.importing.writing import build_file

from ..models import InstitutionType, Region
from .columns import IMPORT_COLUMNS


def import_template(fmt: str) -> bytes:
    """The import columns and one example row (real reference codes where there are some)."""
    kind = InstitutionType.objects.select_related("agency").filter(agency__isnull=False).first()
    region = Region.objects.order_by("code").first()
    example = {
        "external_code": "EXAMPLE-0001",
        "name_kk": "№ 1 мекеме",
        "name_ru": "Учреждение № 1",
        "name_en": "Institution No. 1",
        "type": kind.code if kind else "COLONY_MEDIUM",
        "agency": kind.agency.code if kind and kind.agency else "MVD-KUIS",
        "region": region.code if region else "KZ-71",
        "address": "",
        "capacity": 100,
        "status": "active",
        "security_level": "",
        "population_men": 80,
        "population_women": 0,
        "population_boys": 0,
        "population_girls": 0,
        "population_date": timezone.localdate(),
    }
    return build_file(fmt, [[example[c] for c in IMPORT_COLUMNS]], IMPORT_COLUMNS, "institutions")

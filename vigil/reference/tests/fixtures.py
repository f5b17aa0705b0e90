"""Fixtures for reference data (registered for every app's tests by the root conftest)."""

from typing import Any

import pytest

from vigil.reference.enums import AgencyLevel, InstitutionCategory, RegionKind
from vigil.reference.models import Agency, InstitutionType, Region


@pytest.fixture
def ref(db: Any) -> dict[str, Any]:
    """Three regions, an agency tree (ministry → committee → regional department) and types."""
    astana = Region.objects.create(
        code="KZ-71", kind=RegionKind.CITY, name_ru="Астана", name_kk="Астана", name_en="Astana"
    )
    almaty = Region.objects.create(
        code="KZ-75", kind=RegionKind.CITY, name_ru="Алматы", name_kk="Алматы", name_en="Almaty"
    )
    karaganda = Region.objects.create(
        code="KZ-35",
        name_ru="Карагандинская область",
        name_kk="Қарағанды облысы",
        name_en="Karaganda Region",
    )
    mvd = Agency.objects.create(
        code="MVD",
        level=AgencyLevel.MINISTRY,
        name_ru="Министерство внутренних дел",
        name_kk="Ішкі істер министрлігі",
        name_en="Ministry of Internal Affairs",
    )
    kuis = Agency.objects.create(
        code="MVD-KUIS",
        level=AgencyLevel.COMMITTEE,
        parent=mvd,
        name_ru="Комитет уголовно-исполнительной системы",
        name_kk="Қылмыстық-атқару жүйесі комитеті",
        name_en="Penitentiary System Committee",
    )
    kuis_71 = Agency.objects.create(
        code="MVD-KUIS-71",
        level=AgencyLevel.REGIONAL_DEPARTMENT,
        parent=kuis,
        region=astana,
        name_ru="ДУИС по г. Астана",
        name_kk="Астана қаласы бойынша ҚАЖД",
        name_en="Penitentiary Department of Astana",
    )
    police = Agency.objects.create(
        code="MVD-POLICE",
        level=AgencyLevel.COMMITTEE,
        parent=mvd,
        name_ru="Полиция",
        name_kk="Полиция",
        name_en="Police",
    )
    moh = Agency.objects.create(
        code="MOH",
        level=AgencyLevel.MINISTRY,
        name_ru="Министерство здравоохранения",
        name_kk="Денсаулық сақтау министрлігі",
        name_en="Ministry of Health",
    )
    colony = InstitutionType.objects.create(
        code="COLONY_MEDIUM",
        category=InstitutionCategory.PENAL,
        agency=kuis,
        name_ru="Колония среднего режима",
        name_kk="Орташа қауіпсіздік мекемесі",
        name_en="Medium-security colony",
    )
    ivs = InstitutionType.objects.create(
        code="IVS",
        category=InstitutionCategory.POLICE,
        agency=police,
        name_ru="Изолятор временного содержания",
        name_kk="Уақытша ұстау изоляторы",
        name_en="Temporary detention facility",
    )
    psych = InstitutionType.objects.create(
        code="PSYCH_HOSPITAL",
        category=InstitutionCategory.MEDICAL,
        agency=moh,
        name_ru="Психиатрическая больница",
        name_kk="Психиатриялық аурухана",
        name_en="Psychiatric hospital",
    )
    return {
        "astana": astana,
        "almaty": almaty,
        "karaganda": karaganda,
        "mvd": mvd,
        "kuis": kuis,
        "kuis_71": kuis_71,
        "police": police,
        "moh": moh,
        "colony": colony,
        "ivs": ivs,
        "psych": psych,
    }

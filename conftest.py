"""Shared test fixtures: a small reference set and one account per role."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.reference.enums import AgencyLevel, InstitutionCategory, RegionKind
from vigil.reference.models import Agency, InstitutionType, Region
from vigil.registry.models import Institution
from vigil.registry.search import institution_search_text

ROLES = [r.value for r in Role]
ALL_ACTORS = ["anonymous", *ROLES]
PASSWORD = "test-pass-123"

# Each app keeps its factories in one module; they are fixtures for every app's tests.
pytest_plugins = [
    "vigil.people.tests.fixtures",
    "vigil.visits.tests.fixtures",
    "vigil.recommendations.tests.fixtures",
]


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


@pytest.fixture
def make_institution(ref: dict[str, Any]) -> Callable[..., Institution]:
    counter = iter(range(1, 100_000))

    def make(**overrides: Any) -> Institution:
        n = next(counter)
        data: dict[str, Any] = {
            "external_code": f"T-{n:05d}",
            "name_ru": f"Учреждение № {n}",
            "name_kk": f"№ {n} мекеме",
            "name_en": f"Institution No. {n}",
            "type": ref["colony"],
            "agency": ref["kuis_71"],
            "region": ref["astana"],
            "capacity": 100 + n,
        }
        data.update(overrides)
        inst = Institution(**data)
        inst.search_text = institution_search_text(
            inst.name_kk, inst.name_ru, inst.name_en, inst.external_code
        )
        inst.save()
        return inst

    return make


@pytest.fixture
def users(ref: dict[str, Any]) -> dict[str, User]:
    """One active account per role; the regional one covers Astana, the liaison the committee."""
    accounts: dict[str, User] = {}
    for role in Role:
        user = User.objects.create_user(
            email=f"{role.value}@test.vigil",
            password=PASSWORD,
            full_name=f"Test {role.label}",
            role=role,
            agency=ref["kuis"] if role == Role.LIAISON else None,
        )
        accounts[role.value] = user
    accounts["regional"].regions.set([ref["astana"]])
    accounts["other_liaison"] = User.objects.create_user(
        email="other-liaison@test.vigil",
        password=PASSWORD,
        full_name="Other Liaison",
        role=Role.LIAISON,
        agency=ref["moh"],
    )
    return accounts


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str], Client]:
    """A test client logged in as the given actor ("anonymous" for none)."""

    def make(actor: str) -> Client:
        client = Client()
        if actor != "anonymous":
            client.force_login(users[actor])
        return client

    return make

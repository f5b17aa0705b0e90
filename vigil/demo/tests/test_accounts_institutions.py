# mypy: disable-error-code="union-attr"
"""`generate_demo_data`: demo accounts, synthetic institutions, determinism, idempotency."""

import io
import random
import time

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.demo.accounts import DEFAULT_DEMO_PASSWORD, DEMO_ACCOUNTS
from vigil.demo.registry import allocate, generate_institutions
from vigil.reference.loader import reference_data_load
from vigil.reference.models import InstitutionType, Region
from vigil.registry.models import Institution
from vigil.registry.search import institution_search_text

pytestmark = pytest.mark.django_db

SNAPSHOT_FIELDS = (
    "external_code",
    "name_kk",
    "name_ru",
    "name_en",
    "type__code",
    "agency__code",
    "region__code",
    "address",
    "capacity",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
    "security_level",
    "status",
    "last_visited_on",
)
# Types that never hold children (boys/girls must stay empty).
ADULTS_ONLY = {"COLONY_MEDIUM", "COLONY_MAX", "COLONY_EXTREME", "SOCIAL_CARE_HOME", "PNI"}
CHILDREN_ONLY = {"ORPHANAGE", "INFANT_HOME", "SPECIAL_SCHOOL", "JUV_ADAPTATION"}


def _generate(*args):
    out = io.StringIO()
    call_command("generate_demo_data", *args, stdout=out)
    return out.getvalue()


def _snapshot():
    return list(Institution.objects.order_by("external_code").values_list(*SNAPSHOT_FIELDS))


def test_demo_scale_creates_accounts_that_can_log_in(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    output = _generate("--seed", "7", "--scale", "demo")

    assert len(DEMO_ACCOUNTS) == 6
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role)
    for account in DEMO_ACCOUNTS:
        user = authenticate(username=account.email, password=DEFAULT_DEMO_PASSWORD)
        assert user is not None, account.email
        assert user.role == account.role
        assert account.email in output
    regional = User.objects.get(email="regional@demo.vigil")
    assert set(regional.regions.values_list("code", flat=True)) == {"KZ-71", "KZ-11"}
    assert User.objects.get(email="liaison@demo.vigil").agency.code == "MVD-KUIS"
    assert "vigil-demo" in output
    # Reference data was loaded on the way, since the database had no regions.
    assert Region.objects.count() == 20


def test_demo_scale_institutions_spread_over_many_regions():
    _generate("--seed", "3")

    institutions = Institution.objects.select_related("type")
    assert 120 <= institutions.count() <= 200
    assert institutions.values("region").distinct().count() >= 15
    assert institutions.values("type").distinct().count() == InstitutionType.objects.count()
    for institution in institutions:
        assert institution.external_code.startswith("KZ")
        assert all((institution.name_kk, institution.name_ru, institution.name_en))
        assert institution.search_text == institution_search_text(
            institution.name_kk, institution.name_ru, institution.name_en, institution.external_code
        )
        assert institution.agency.region_id in (None, institution.region_id)
    demo_events = AuditEvent.objects.filter(action=AuditAction.DEMO_DATA_GENERATED)
    assert demo_events.filter(data__kind="institutions").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.INSTITUTION_CREATED).count() == (
        institutions.count()
    )


def test_demo_password_from_environment_and_reset(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass")
    output = _generate()
    assert authenticate(username="auditor@demo.vigil", password="another-demo-pass")
    assert "another-demo-pass" in output

    monkeypatch.delenv("DEMO_PASSWORD")
    output = _generate()
    assert "6 password reset" in output
    assert authenticate(username="auditor@demo.vigil", password=DEFAULT_DEMO_PASSWORD)
    assert not authenticate(username="auditor@demo.vigil", password="another-demo-pass")
    assert User.objects.filter(email__endswith="@demo.vigil").count() == 6


def test_same_seed_twice_changes_nothing():
    _generate("--seed", "11")
    first = _snapshot()
    events = AuditEvent.objects.count()

    output = _generate("--seed", "11")

    assert _snapshot() == first
    assert "0 created, 0 updated" in output
    assert AuditEvent.objects.count() == events
    codes = [row[0] for row in first]
    assert len(codes) == len(set(codes))


def test_same_seed_on_an_empty_database_gives_the_same_institutions():
    reference_data_load()
    generate_institutions(random.Random(5), "demo")
    first = _snapshot()
    Institution.objects.all().delete()

    generate_institutions(random.Random(5), "demo")

    assert _snapshot() == first


def test_another_seed_updates_in_place_without_duplicates():
    _generate("--seed", "1")
    first = dict((row[0], row) for row in _snapshot())

    output = _generate("--seed", "2")

    second = dict((row[0], row) for row in _snapshot())
    assert second.keys() == first.keys()
    assert first != second
    assert "0 created" in output
    assert AuditEvent.objects.filter(action=AuditAction.INSTITUTION_UPDATED).exists()


def test_national_scale_covers_every_region_and_type():
    reference_data_load()
    started = time.monotonic()
    counts = generate_institutions(random.Random(2026), "national")
    elapsed = time.monotonic() - started
    print(f"national scale: {counts} in {elapsed:.1f} s")

    institutions = Institution.objects.all()
    total = institutions.count()
    assert total >= 3000
    assert counts["created"] == total
    assert institutions.values("region").distinct().count() == 20
    assert institutions.values("type").distinct().count() == InstitutionType.objects.count()
    by_type = dict(institutions.values_list("type__code").annotate(n=Count("id")))
    colonies = sum(n for code, n in by_type.items() if code.startswith("COLONY_"))
    assert 70 <= colonies <= 90
    assert by_type["SIZO"] == 20
    assert by_type["SPECIAL_PREMISES"] > by_type["IVS"] > by_type["SIZO"]
    never_visited = institutions.filter(last_visited_on__isnull=True).count()
    assert 0.10 <= never_visited / total <= 0.20
    assert institutions.exclude(status="active").exists()
    # Every regional department that runs institutions gets some.
    assert (
        institutions.filter(agency__code__startswith="MVD-POLICE-KZ-")
        .values("agency")
        .distinct()
        .count()
        == 20
    )
    for row in institutions.filter(type__code__in=ADULTS_ONLY):
        assert (row.population_boys, row.population_girls) == (None, None)
    for row in institutions.filter(type__code__in=CHILDREN_ONLY):
        assert (row.population_men, row.population_women) == (None, None)
    assert not institutions.filter(capacity__isnull=True).exists()


def test_allocate_is_proportional_and_complete():
    shares = allocate(10, {"a": 1, "b": 1, "c": 2})
    assert shares == {"a": 3, "b": 2, "c": 5}
    assert sum(allocate(3025, {str(i): i + 1 for i in range(20)}).values()) == 3025
    assert allocate(0, {"a": 1}) == {"a": 0}


@override_settings(SETTINGS_MODULE="config.settings.production")
def test_refuses_production_settings():
    with pytest.raises(CommandError, match="production"):
        _generate()
    assert not User.objects.exists()
    assert not Institution.objects.exists()

"""Moving regions, agencies and institution types from the registry to `reference` keeps
every row and every link of a database filled before the move."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

# The last migration of each app before the move, and the app that did not exist yet.
BEFORE = [
    ("registry", "0003_importbatch"),
    ("accounts", "0001_initial"),
    ("people", "0001_initial"),
    ("visits", "0002_checklists_question_is_active"),
    ("recommendations", "0003_responses_created_by_blank"),
    ("reference", None),
]
MOVED = ("region", "agency", "institutiontype")


def _migrate(targets: list[tuple[str, str | None]]) -> Any:
    """Migrate the test database to `targets`; the historical models of what is applied."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationLoader(connection)
    applied = set(loader.applied_migrations or {})
    tips = [
        key
        for key in applied
        if key in loader.graph.nodes
        and not {child.key for child in loader.graph.node_map[key].children} & applied
    ]
    return loader.project_state(tips).apps


def _latest() -> list[tuple[str, str | None]]:
    executor = MigrationExecutor(connection)
    return list(executor.loader.graph.leaf_nodes())


def _fill(apps: Any) -> dict[str, Any]:
    """A small registry as it stood before the move, with its content types and an audit row."""
    region = apps.get_model("registry", "Region")
    agency = apps.get_model("registry", "Agency")
    institution_type = apps.get_model("registry", "InstitutionType")
    institution = apps.get_model("registry", "Institution")
    user = apps.get_model("accounts", "User")
    participant = apps.get_model("people", "Participant")
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    audit_event = apps.get_model("audit", "AuditEvent")

    karaganda = region.objects.create(code="KZ-35", name_ru="Карагандинская область")
    ulytau = region.objects.create(
        code="KZ-62", name_ru="Улытауская область", predecessor=karaganda
    )
    mvd = agency.objects.create(code="MVD", level="ministry", name_ru="МВД")
    kuis = agency.objects.create(
        code="MVD-KUIS-35", level="regional_department", parent=mvd, region=karaganda
    )
    colony = institution_type.objects.create(code="COLONY_MIN", category="penal", agency=kuis)
    place = institution.objects.create(
        name_ru="Учреждение № 1", type=colony, agency=kuis, region=ulytau
    )
    regional = user.objects.create(email="r@test.vigil", full_name="R", role="regional")
    regional.regions.set([karaganda, ulytau])
    liaison = user.objects.create(email="l@test.vigil", full_name="L", role="liaison", agency=kuis)
    monitor = participant.objects.create(
        user=regional,
        profession="lawyer",
        region=ulytau,
        accredited_from=datetime.date(2024, 1, 1),
    )
    types = {
        model: content_type.objects.get_or_create(app_label="registry", model=model)[0].pk
        for model in MOVED
    }
    view_region, _ = permission.objects.get_or_create(
        codename="view_region",
        content_type_id=types["region"],
        defaults={"name": "Can view region"},
    )
    audit_event.objects.create(
        action="institution.updated", target_type="registry.region", target_id="KZ-62"
    )
    return {
        "regions": {"KZ-35": karaganda.pk, "KZ-62": ulytau.pk},
        "agencies": {"MVD": mvd.pk, "MVD-KUIS-35": kuis.pk},
        "type": colony.pk,
        "institution": place.pk,
        "regional": regional.pk,
        "liaison": liaison.pk,
        "participant": monitor.pk,
        "content_types": types,
        "view_region": view_region.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_row_and_link() -> None:
    latest = _latest()
    try:
        ids = _fill(_migrate(BEFORE))
        apps = _migrate(latest)
    finally:
        _migrate(_latest())  # leave the database as the other tests expect it

    region = apps.get_model("reference", "Region")
    agency = apps.get_model("reference", "Agency")
    institution_type = apps.get_model("reference", "InstitutionType")
    institution = apps.get_model("registry", "Institution")
    user = apps.get_model("accounts", "User")
    participant = apps.get_model("people", "Participant")
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    audit_event = apps.get_model("audit", "AuditEvent")

    regions = ids["regions"]
    agencies = ids["agencies"]
    assert dict(region.objects.values_list("code", "pk")) == regions
    assert region.objects.get(code="KZ-62").predecessor_id == regions["KZ-35"]
    assert region.objects.get(code="KZ-35").name_ru == "Карагандинская область"
    assert dict(agency.objects.values_list("code", "pk")) == agencies
    kuis = agency.objects.get(code="MVD-KUIS-35")
    assert (kuis.parent_id, kuis.region_id) == (agencies["MVD"], regions["KZ-35"])
    colony = institution_type.objects.get()
    assert (colony.pk, colony.code, colony.agency_id) == (
        ids["type"],
        "COLONY_MIN",
        agencies["MVD-KUIS-35"],
    )

    place = institution.objects.select_related("type", "agency", "region").get()
    assert place.pk == ids["institution"]
    assert (place.type.code, place.agency.code, place.region.code) == (
        "COLONY_MIN",
        "MVD-KUIS-35",
        "KZ-62",
    )
    assert list(region.objects.get(code="KZ-62").institutions.values_list("pk", flat=True)) == [
        ids["institution"]
    ]

    regional = user.objects.get(pk=ids["regional"])
    assert sorted(regional.regions.values_list("code", flat=True)) == ["KZ-35", "KZ-62"]
    assert list(region.objects.get(code="KZ-35").users.values_list("pk", flat=True)) == [
        ids["regional"]
    ]
    assert user.objects.get(pk=ids["liaison"]).agency.code == "MVD-KUIS-35"
    assert list(kuis.liaisons.values_list("pk", flat=True)) == [ids["liaison"]]
    assert participant.objects.get(pk=ids["participant"]).region.code == "KZ-62"

    # The content types moved with their models (same rows, so permissions follow them).
    for model, pk in ids["content_types"].items():
        moved = content_type.objects.get(pk=pk)
        assert (moved.app_label, moved.model) == ("reference", model)
    assert not content_type.objects.filter(app_label="registry", model__in=MOVED).exists()
    assert permission.objects.get(pk=ids["view_region"]).content_type.app_label == "reference"
    # The audit trail is append-only: its rows keep the type they were written with.
    assert audit_event.objects.get().target_type == "registry.region"


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone() -> None:
    """Back to the state before the move: the content types return to the registry."""
    latest = _latest()
    try:
        apps = _migrate(latest)
        content_type = apps.get_model("contenttypes", "ContentType")
        pks = {
            model: content_type.objects.get_or_create(app_label="reference", model=model)[0].pk
            for model in MOVED
        }
        region = apps.get_model("reference", "Region")
        region.objects.create(code="KZ-71", name_ru="Астана")
        apps = _migrate(BEFORE)
        assert apps.get_model("registry", "Region").objects.get().code == "KZ-71"
        content_type = apps.get_model("contenttypes", "ContentType")
        for model, pk in pks.items():
            assert content_type.objects.filter(pk=pk).values_list("app_label", "model").get() == (
                "registry",
                model,
            )
    finally:
        _migrate(_latest())

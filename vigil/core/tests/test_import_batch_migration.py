"""The merge of the registry's and the recommendations' ImportBatch tables into core's one
table: run on a database holding batches of both kinds, no row, field or link is lost, and
going back gives the old tables their rows again."""

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from vigil.audit.models import AuditEvent
from vigil.core.models import ImportBatch

BEFORE = [
    ("core", "0001_public_holidays"),
    ("registry", "0003_importbatch"),
    ("recommendations", "0003_responses_created_by_blank"),
]
OLD_TABLES = {"institutions": "registry", "recommendations": "recommendations"}
# Every column of the old tables (core's adds only `kind`).
FIELDS = tuple(f.attname for f in ImportBatch._meta.concrete_fields if f.name not in ("id", "kind"))

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to `targets`; returns the apps (historical models) of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _values(batch: Any) -> dict[str, Any]:
    values = {name: getattr(batch, name) for name in FIELDS}
    values["content"] = bytes(values["content"])
    return values


def _old_batches(apps: Any) -> dict[str, list[dict[str, Any]]]:
    return {
        kind: [_values(b) for b in apps.get_model(label, "ImportBatch").objects.order_by("pk")]
        for kind, label in OLD_TABLES.items()
    }


def _fill_old_tables(apps: Any) -> None:
    user_model = apps.get_model("accounts", "User")
    uploader = user_model.objects.create(
        email="uploader@test.vigil", full_name="Uploader", role="coordinator", password="!"
    )
    applier = user_model.objects.create(
        email="applier@test.vigil", full_name="Applier", role="admin", password="!"
    )
    when = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    for n, (kind, label) in enumerate(OLD_TABLES.items()):
        model = apps.get_model(label, "ImportBatch")
        applied = model.objects.create(
            uploaded_by=uploader,
            file_name=f"{kind}-applied.csv",
            file_format="csv",
            content=f"{kind},applied\n".encode(),
            status="applied",
            summary={"counts": {"create": 2, "update": 0, "unchanged": 0}, "rows": []},
            applied_at=when,
            applied_by=applier,
        )
        pending = model.objects.create(
            uploaded_by=uploader,
            file_name=f"{kind}-pending.xlsx",
            file_format="xlsx",
            content=b"PK\x03\x04" + kind.encode(),
            summary={"counts": {"create": 1, "update": 1, "unchanged": 3}},
        )
        # Written long ago: the copy must keep the times, not stamp the migration's.
        model.objects.filter(pk=applied.pk).update(
            created_at=when - datetime.timedelta(days=10 + n),
            updated_at=when,
        )
        model.objects.filter(pk=pending.pk).update(
            created_at=when - datetime.timedelta(days=3 + n),
            updated_at=when - datetime.timedelta(days=1 + n),
        )
    AuditEvent.objects.create(
        action="institution.imported",
        target_type="registry.importbatch",
        target_id=str(
            apps.get_model("registry", "ImportBatch").objects.get(status="applied").public_id
        ),
    )


def test_merging_the_batch_tables_keeps_every_row_field_and_link() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = _migrate(BEFORE)
    _fill_old_tables(old_apps)
    before = _old_batches(old_apps)
    assert [len(rows) for rows in before.values()] == [2, 2]

    new_apps = _migrate(latest)

    merged = new_apps.get_model("core", "ImportBatch").objects
    assert merged.count() == 4
    for kind, rows in before.items():
        assert sorted([_values(b) for b in merged.filter(kind=kind)], key=str) == sorted(
            rows, key=str
        )
    # The links: the preview page's address and the audit event's target id still lead to it.
    audited = AuditEvent.objects.get(action="institution.imported")
    batch = ImportBatch.objects.get(public_id=audited.target_id)
    assert (batch.kind, batch.status) == ("institutions", "applied")
    client = Client()
    client.force_login(get_user_model().objects.get(email="uploader@test.vigil"))
    for kind, prefix in (("institutions", "/registry"), ("recommendations", "/recommendations")):
        for each in ImportBatch.objects.filter(kind=kind):
            page = client.get(f"{prefix}/import/{each.public_id}/")
            assert page.status_code == 200
            assert each.file_name in page.content.decode()
    other = ImportBatch.objects.filter(kind="recommendations").first()
    assert other is not None
    assert client.get(f"/registry/import/{other.public_id}/").status_code == 404

    back_apps = _migrate(BEFORE)
    assert _old_batches(back_apps) == before

    _migrate(latest)

"""Moving a domain app's own ImportBatch rows into core's one table, for the data migrations
that merged them (registry 0004, recommendations 0004). Used by migrations: keep it working
on historical models for as long as those migrations exist.

Every field is kept: the public id (the preview page's address and the audit events'
target id), the timestamps, the file, the summary and who uploaded and applied it. Going
back copies the kind's rows into the app's table again and removes them from core's.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FIELDS = (
    "public_id",
    "created_at",
    "updated_at",
    "uploaded_by_id",
    "file_name",
    "file_format",
    "content",
    "status",
    "summary",
    "applied_at",
    "applied_by_id",
)
TIMESTAMPS = ("created_at", "updated_at")  # auto_now(_add): written again after the insert

type MigrationStep = Callable[[StateApps, BaseDatabaseSchemaEditor], None]


def _copy(rows: Iterable[Any], target: Any, **extra: Any) -> None:
    for row in rows:
        values = {name: getattr(row, name) for name in FIELDS}
        copy = target.objects.create(**values, **extra)
        target.objects.filter(pk=copy.pk).update(**{name: values[name] for name in TIMESTAMPS})


def batches_to_core(app_label: str, kind: str) -> tuple[MigrationStep, MigrationStep]:
    """The forwards and backwards functions of a RunPython moving `app_label`'s batches."""

    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        old = apps.get_model(app_label, "ImportBatch")
        _copy(
            old.objects.order_by("pk").iterator(), apps.get_model("core", "ImportBatch"), kind=kind
        )

    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        moved = apps.get_model("core", "ImportBatch").objects.filter(kind=kind)
        _copy(moved.order_by("pk").iterator(), apps.get_model(app_label, "ImportBatch"))
        moved.delete()

    return forwards, backwards

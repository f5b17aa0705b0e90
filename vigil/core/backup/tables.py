"""The tables of a backup: which models, their columns, and their rows as JSON values that read
back the same on SQLite and PostgreSQL (bytes as base64, dates as ISO 8601, decimals and UUIDs
as text, JSON as it is), with a content hash per table that does not depend on the database."""

import base64
import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.duration import duration_microseconds

# Sessions are not kept: a restored instance signs everyone in again (and an archive holds no
# live session).
NOT_BACKED_UP = frozenset({"sessions.session"})
# Filled by `migrate` in any instance (with ids of its own; the data migrations' default
# reference rows too): a restore replaces their rows (dependent tables first).
MADE_BY_MIGRATE = (
    "auth.permission",
    "contenttypes.contenttype",
    "international.scalegrade",
    "international.assessmentscale",
    "planning.riskfactor",
    "planning.vulnerabilityprofile",
    "planning.coveragerule",
)
ROWS_PER_READ = 2_000


def backed_up_models() -> list[type[models.Model]]:
    """Every table's model (with the many-to-many tables), in a stable order."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and not model._meta.swapped
        and model._meta.label_lower not in NOT_BACKED_UP
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def encode(value: Any) -> Any:
    """A column's value as JSON."""
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.timedelta):
        return duration_microseconds(value)
    if isinstance(value, datetime.date | datetime.time):  # datetimes included
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def decode(field: models.Field[Any, Any], value: Any) -> Any:
    """The value to store from its JSON form."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(field, models.DurationField):
        return datetime.timedelta(microseconds=value)
    return field.to_python(value)


def rows(model: type[models.Model]) -> Iterator[list[Any]]:
    """The table's rows, by primary key, encoded."""
    names = [f.attname for f in columns(model)]
    values = model._base_manager.order_by("pk").values_list(*names)
    for row in values.iterator(chunk_size=ROWS_PER_READ):
        yield [encode(value) for value in row]


def row_line(row: list[Any]) -> bytes:
    """One row as a line of JSON, as the archive keeps it (JSON values as they were written)."""
    return (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def digest_line(row: list[Any]) -> bytes:
    """One row as the content hash reads it: the keys of JSON values sorted, since PostgreSQL's
    jsonb keeps them in an order of its own."""
    return (
        json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode()


def table_digest(model: type[models.Model]) -> tuple[int, str]:
    """The number of rows and the SHA-256 of their lines."""
    digest = hashlib.sha256()
    count = 0
    for row in rows(model):
        digest.update(digest_line(row))
        count += 1
    return count, digest.hexdigest()

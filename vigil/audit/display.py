"""The audit trail as people read it: translated action names, the kind of record each event
is about (the model's verbose name), a link to the record where the viewer may open it, and
the event's data spelled out (changed fields as old → new, state changes as from → to, with
the fields' translated names and choices' labels).
"""

import datetime
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import action_label
from .links import hidden_fields, target_links

DATA_LABELS = {
    "visit": gettext_lazy("Visit"),
    "note": gettext_lazy("Note"),
    "via": gettext_lazy("Via"),
    "format": gettext_lazy("Format"),
    "filters": gettext_lazy("Filters"),
    "rows": gettext_lazy("Rows"),
    "list": gettext_lazy("List"),
    "language": gettext_lazy("Language"),
    "counts": gettext_lazy("Counts"),
    "email": gettext_lazy("Email"),
    "kind": gettext_lazy("Kind"),
    "year": gettext_lazy("Year"),
    "plan": gettext_lazy("Annual plan"),
    "account": gettext_lazy("Account"),
    "country": gettext_lazy("Country"),
    "new": gettext_lazy("New"),
    "token": gettext_lazy("API token"),
    "name": gettext_lazy("Name"),
    "names": gettext_lazy("Names"),
    "expiry": gettext_lazy("Expires"),
    "reason": gettext_lazy("Reason"),
    "count": gettext_lazy("Count"),
    "state": gettext_lazy("State"),
    "members": gettext_lazy("Team"),
    "lead": gettext_lazy("Team lead"),
    "added": gettext_lazy("Added"),
    "removed": gettext_lazy("Removed"),
    "template": gettext_lazy("Checklist template"),
    "version": gettext_lazy("Version"),
    "versions": gettext_lazy("Versions"),
    "question": gettext_lazy("Question"),
    "comment_changed": gettext_lazy("Comment changed"),
    "answers": gettext_lazy("Checklist answers"),
    "finding": gettext_lazy("Finding"),
    "findings": gettext_lazy("Findings"),
    "interview": gettext_lazy("Interview"),
    "institution": gettext_lazy("Institution"),
    "size": gettext_lazy("Size (bytes)"),
    "bytes": gettext_lazy("Size (bytes)"),
    "content_type": gettext_lazy("File type"),
    "sha256": gettext_lazy("Checksum (SHA-256)"),
    "file_name": gettext_lazy("File name"),
    "file_format": gettext_lazy("Format"),
    "created": gettext_lazy("Rows created"),
    "updated": gettext_lazy("Rows updated"),
    "unchanged": gettext_lazy("Rows unchanged"),
    "batch": gettext_lazy("Import batch"),
    "scale": gettext_lazy("Scale"),
    "verdict": gettext_lazy("Verdict"),
    "reasons": gettext_lazy("Reasons"),
    "response": gettext_lazy("Authority response"),
    "originals": gettext_lazy("Original recommendations"),
    "from_agency": gettext_lazy("From agency"),
    "to_agency": gettext_lazy("To agency"),
    "level": gettext_lazy("Escalation level"),
    "deadline": gettext_lazy("Deadline"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "recipients": gettext_lazy("Recipients"),
    "recommendation": gettext_lazy("Recommendation"),
    "reference": gettext_lazy("Reference"),
    "responding_agency": gettext_lazy("Responding agency"),
    "letter_number": gettext_lazy("Letter number"),
    "letter_date": gettext_lazy("Letter date"),
    "claimed_status": gettext_lazy("Claimed status"),
    "on_time": gettext_lazy("On time"),
    "corrects": gettext_lazy("Corrects"),
    "attachments": gettext_lazy("Attachments"),
    "identity_sealed": gettext_lazy("Identity sealed"),
    "content_changed": gettext_lazy("Content changed"),
    "present_persons_changed": gettext_lazy("Persons present changed"),
    "attachments_kept": gettext_lazy("Attachments kept"),
    "incident": gettext_lazy("Access incident"),
    "conflict": gettext_lazy("Conflict of interest"),
    "training": gettext_lazy("Training"),
    "demo_data": gettext_lazy("Demo data"),
}
"""Names of the data keys that are not fields of the target's model."""

STATE_FIELDS = ("state", "status")
"""The field whose choices name the states of a `from`/`to` change."""


@dataclass(frozen=True)
class EventRow:
    """One audit or access event as a table row."""

    event: Any
    action: str
    target_kind: str
    url: str | None
    details: list[tuple[str, str]]


def target_model(model_label: str) -> type[models.Model] | None:
    if not model_label or "." not in model_label:
        return None
    try:
        return apps.get_model(model_label)
    except LookupError:
        return None


def target_kind_name(model_label: str) -> str:
    """The translated name of the kind of record ("Institution"), or "" if unknown."""
    model = target_model(model_label)
    return str(capfirst(model._meta.verbose_name)) if model is not None else ""


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    if field is not None:
        return str(capfirst(field.verbose_name))
    if key in DATA_LABELS:
        return str(DATA_LABELS[key])
    return key


def _text(value: Any, field: models.Field[Any, Any] | None = None, *, nested: bool = False) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices and not isinstance(value, dict | list):
        labels = {str(k): v for k, v in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            if isinstance(field, models.DateTimeField):
                return date_format(datetime.datetime.fromisoformat(value), "SHORT_DATETIME_FORMAT")
            return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return ", ".join(_text(item, nested=True) for item in value)
    if isinstance(value, dict):
        text = ", ".join(f"{key}: {_text(item, nested=True)}" for key, item in value.items())
        return f"({text})" if nested else text
    return str(value)


def event_details(
    data: Any, model: type[models.Model] | None, hidden: Collection[str] = ()
) -> list[tuple[str, str]]:
    """The event's data as (label, text) lines, without the fields in `hidden`."""
    if not isinstance(data, Mapping):
        return []
    lines: list[tuple[str, str]] = []
    changes = data.get("changes")
    fields = data.get("fields")
    if "from" in data and "to" in data:
        state = next((_field(model, name) for name in STATE_FIELDS if _field(model, name)), None)
        label = str(capfirst(state.verbose_name)) if state is not None else _("State")
        lines.append((label, f"{_text(data['from'], state)} → {_text(data['to'], state)}"))
    if isinstance(changes, Mapping):
        for name, values in changes.items():
            if name in hidden or not isinstance(values, list | tuple) or len(values) != 2:
                continue
            field = _field(model, name)
            old, new = (_text(value, field) for value in values)
            lines.append((_label(model, name), f"{old} → {new}"))
    if isinstance(fields, Mapping):
        lines.extend(
            (_label(model, name), _text(value, _field(model, name)))
            for name, value in fields.items()
            if name not in hidden and value not in (None, "")
        )
    for key, value in data.items():
        if key in {"changes", "fields", "from", "to"} or key in hidden or value in (None, ""):
            continue
        lines.append((_label(model, key), _text(value, _field(model, key))))
    return lines


def event_rows(user: Any, events: Iterable[Any]) -> list[EventRow]:
    """Audit events (or access events) as `user` reads them, with links where allowed."""
    events = list(events)
    links = target_links(user, ((e.target_type, e.target_id) for e in events))
    rows = []
    for event in events:
        model = target_model(event.target_type)
        kind = getattr(event, "kind", None)
        rows.append(
            EventRow(
                event=event,
                action=event.get_kind_display() if kind else str(action_label(event.action)),
                target_kind=target_kind_name(event.target_type),
                url=links.get((event.target_type, event.target_id)),
                details=event_details(event.data, model, hidden_fields(user, event.target_type)),
            )
        )
    return rows

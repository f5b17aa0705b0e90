"""The timeline of a UN paragraph: the only place that builds its events (`ParagraphEvent`).

`record_event(paragraph, kind, ...)` keeps one event; `new_event` builds one unsaved for bulk
paths (imports, demo data), kept with `record_events`.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from vigil.accounts.models import User

from .models import Paragraph, ParagraphEvent

BATCH_SIZE = 500


def new_event(
    paragraph: Paragraph,
    kind: str,
    *,
    actor: User | None = None,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> ParagraphEvent:
    """An unsaved event on the paragraph's timeline (keep it with `record_events`)."""
    return ParagraphEvent(
        paragraph=paragraph, kind=kind, actor=actor, note=note, data=dict(data or {})
    )


def record_event(
    paragraph: Paragraph,
    kind: str,
    *,
    actor: User | None = None,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> ParagraphEvent:
    """Keep one event on the paragraph's timeline."""
    event = new_event(paragraph, kind, actor=actor, note=note, data=data)
    event.save(force_insert=True)
    return event


def record_events(events: Iterable[ParagraphEvent]) -> None:
    """Keep events built by `new_event`, in bulk."""
    ParagraphEvent.objects.bulk_create(list(events), batch_size=BATCH_SIZE)

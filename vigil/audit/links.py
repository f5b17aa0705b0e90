"""Links from the audit trail to the records it names.

The audit store is the ground floor: it names each event's target by model label and id
(`registry.institution` and a public id) and imports none of the apps above it. Each app
says how to open its own records, in its `contributions.py` (called from `AppConfig.ready()`):
`register_target("registry.institution", links)`, where `links(user, ids)` gives the URL of
each of those records that still exists and that `user` may open. Deleted records, and
records the viewer may not see, get no link. An app may also name the fields of its records
that a viewer may not read (`hidden_fields(user)`), which the event details leave out.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.urls import reverse

TargetLinks = Callable[[Any, Collection[str]], Mapping[str, str]]
"""`links(user, ids)`: {id: url} for the ids of records that exist and the user may open."""


@dataclass(frozen=True)
class PublicIdLinks:
    """The usual `links`: the records of `visible(user)` with those public ids, each at
    `url_name` with its `url_arg` (the public id, or e.g. its visit's public id)."""

    visible: Callable[[Any], QuerySet[Any]]
    url_name: str
    url_arg: str = "public_id"

    def __call__(self, user: Any, ids: Collection[str]) -> dict[str, str]:
        keys = []
        for ident in ids:
            try:
                keys.append(uuid.UUID(ident))
            except ValueError:
                continue
        if not keys:
            return {}
        found = self.visible(user).filter(public_id__in=keys).values_list("public_id", self.url_arg)
        return {str(key): reverse(self.url_name, args=[arg]) for key, arg in found}


@dataclass(frozen=True)
class TargetKind:
    links: TargetLinks
    hidden_fields: Callable[[Any], Collection[str]] | None = None


_kinds: dict[str, TargetKind] = {}


def register_target(
    model_label: str,
    links: TargetLinks,
    hidden_fields: Callable[[Any], Collection[str]] | None = None,
) -> None:
    """How to link the records of `model_label` ("app_label.modelname") from the log."""
    kind = TargetKind(links, hidden_fields)
    known = _kinds.get(model_label)
    if known is not None and known != kind:
        raise ImproperlyConfigured(f"Two link builders for {model_label!r}.")
    _kinds[model_label] = kind


def target_links(user: Any, targets: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """{(model label, id): url} for the targets that `user` may open: one query per kind."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for model_label, ident in targets:
        if model_label in _kinds and ident:
            wanted[model_label].add(ident)
    links: dict[tuple[str, str], str] = {}
    for model_label, ids in wanted.items():
        for ident, url in _kinds[model_label].links(user, ids).items():
            links[(model_label, str(ident))] = url
    return links


def linked_models() -> list[str]:
    """The model labels whose records the log links, in the order the apps registered them."""
    return list(_kinds)


def hidden_fields(user: Any, model_label: str) -> frozenset[str]:
    """The fields of `model_label` records that `user` may not read."""
    kind = _kinds.get(model_label)
    if kind is None or kind.hidden_fields is None:
        return frozenset()
    return frozenset(kind.hidden_fields(user))

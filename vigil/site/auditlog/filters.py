"""The filters of the audit and access logs: one definition for each page and its export."""

from typing import Any

import django_filters
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vigil.accounts.models import User
from vigil.audit.display import target_kind_name
from vigil.audit.enums import AccessKind, AccessOutcome, AuditAction
from vigil.audit.links import linked_models
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.core.forms import DateInput, StyledForm
from vigil.core.search import search_condition, search_filter

from .selectors import access_events_visible_to, audit_events_visible_to

NEWEST_FIRST = ("-occurred_at", "-id")


def _record_kinds() -> list[tuple[str, str]]:
    """The kinds of record the log links, named in the active language, app by app."""
    return [(label, target_kind_name(label)) for label in linked_models()]


def _action_names() -> Case:
    """The action's label in the active language, so that sorting by action reads in order."""
    return Case(
        *(When(action=action.value, then=Value(str(action.label))) for action in AuditAction),
        default=F("action"),
        output_field=CharField(),
    )


class LogOrdering(django_filters.OrderingFilter):
    """Newest first unless asked; `action` sorts by the action's name in the active language;
    the primary key last, so that pages never overlap."""

    def get_ordering_value(self, param: str) -> str:
        if param.lstrip("-") == "action":
            return ("-" if param.startswith("-") else "") + "action_name"
        return str(super().get_ordering_value(param))

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value and any(param.lstrip("-") == "action" for param in value):
            qs = qs.annotate(action_name=_action_names())
        ordered = super().filter(qs, value)
        return ordered.order_by(*ordered.query.order_by, *NEWEST_FIRST)


class LogFilter(django_filters.FilterSet):
    """What both logs filter on: who, which record, and when."""

    actor = django_filters.CharFilter(label=_("Actor"), method="filter_actor")
    target_type = django_filters.ChoiceFilter(
        label=_("Kind of record"), choices=_record_kinds, empty_label=_("All kinds of record")
    )
    target = django_filters.CharFilter(
        label=pgettext_lazy("audited object", "Record"), method="filter_target"
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="date__gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="occurred_at", lookup_expr="date__lte", widget=DateInput()
    )

    def filter_actor(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search_filter(qs, value, ["actor_label"])

    def filter_target(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        label = search_condition(value, ["target_label"])
        same_id = Q(target_id=value)
        return qs.filter(same_id if label is None else label | same_id)


class AuditEventFilter(LogFilter):
    action = django_filters.ChoiceFilter(
        label=_("Action"),
        choices=[(action.value, action.label) for action in AuditAction],
        empty_label=_("All actions"),
    )
    ordering = LogOrdering(
        label=_("Sort by"),
        empty_label=_("Newest first (default)"),
        fields=(("occurred_at", "time"), ("actor_label", "actor"), ("action", "action")),
        field_labels={"occurred_at": _("Time"), "actor_label": _("Actor"), "action": _("Action")},
    )

    class Meta:
        model = AuditEvent
        form = StyledForm
        fields = ("actor", "action", "target_type", "target", "date_from", "date_to")


class AccessEventFilter(LogFilter):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=AccessKind.choices, empty_label=_("All kinds")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=AccessOutcome.choices, empty_label=_("Granted and denied")
    )
    ordering = LogOrdering(
        label=_("Sort by"),
        empty_label=_("Newest first (default)"),
        fields=(("occurred_at", "time"), ("actor_label", "actor"), ("kind", "kind")),
        field_labels={"occurred_at": _("Time"), "actor_label": _("Actor"), "kind": _("Kind")},
    )

    class Meta:
        model = AccessEvent
        form = StyledForm
        fields = ("actor", "kind", "outcome", "target_type", "target", "date_from", "date_to")


def audit_event_listing(user: User, params: QueryDict) -> AuditEventFilter:
    return AuditEventFilter(params, queryset=audit_events_visible_to(user))


def access_event_listing(user: User, params: QueryDict) -> AccessEventFilter:
    return AccessEventFilter(params, queryset=access_events_visible_to(user))

"""The appeals list (`/appeals/`): the list pattern over the appeals the user sees.

The export holds what the list shows and never what the appellant wrote nor who they are
(the export note says so)."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.listing import Column, Filtered, Listing, from_filterset

from ..deadlines import current_due
from ..models import Appeal
from ..permissions import can_view_appeals
from ..selectors.appeals import appeal_listing, due_flag


def _columns() -> list[Column[Appeal]]:
    return [
        Column("reference", lambda a: a.reference),
        Column("channel", lambda a: a.channel),
        Column("status", lambda a: a.state),
        Column("received_on", lambda a: a.received_on),
        Column("registered_on", lambda a: a.registered_on),
        Column("due_on", lambda a: current_due(a)),
        Column("deadline", due_flag),
        Column("urgency", lambda a: a.urgency),
        Column("subject", lambda a: a.subject.code if a.subject else ""),
        Column("allegations", lambda a: " ".join(sorted(t.code for t in a.allegation_types.all()))),
        Column("institution_code", lambda a: a.institution.external_code if a.institution else ""),
        Column("institution_name", lambda a: a.institution.name if a.institution else ""),
        Column("region_code", lambda a: a.region.code if a.region else ""),
        Column("assigned_to", lambda a: a.assigned_to.email if a.assigned_to else ""),
        Column("summary", lambda a: a.summary),
    ]


class AppealListing(Listing[Appeal]):
    name = "appeals"
    count_label = ngettext_lazy("%(count)s appeal", "%(count)s appeals", "n")

    def allowed(self, user: User) -> bool:
        return can_view_appeals(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Appeal]:
        return from_filterset(appeal_listing(user, params), params)

    def columns(self, user: User) -> Sequence[Column[Appeal]]:
        return _columns()

    def export_rows(self, rows: Any) -> Iterable[Appeal]:
        assert isinstance(rows, QuerySet)  # noqa: S101 (a filterset's queryset)
        return rows.prefetch_related("allegation_types").iterator(chunk_size=self.export_chunk)

    def export_note(self, user: User) -> str | None:
        return str(
            _(
                "The export never holds what the appellant wrote nor who they are: "
                "only the handling data shown in the list."
            )
        )

    def page_context(self, user: User, filtered: Filtered[Appeal], page: Page) -> Mapping[str, Any]:
        return {"today": timezone.localdate()}


APPEAL_LIST = AppealListing()

"""The escalations-due queue as a list: most overdue first, its export with the reasons."""

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.listing import Column, Filtered, Listing, from_filterset

from ..deadlines import DeadlineWindow
from ..models import Recommendation
from ..permissions import can_escalate_recommendations, can_view_escalation_queue
from ..selectors.escalation import days_overdue, escalation_queue, queue_records, queue_row
from ..services.escalation import escalation_reasons


class EscalationQueueListing(Listing[Recommendation]):
    name = "escalations-due"
    count_label = ngettext_lazy(
        "%(count)s recommendation qualifies", "%(count)s recommendations qualify", "n"
    )

    def allowed(self, user: User) -> bool:
        return can_view_escalation_queue(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Any]:
        # The rows are ids in the queue's order: a deep page reads 50 ids along the index
        # `deadline, id`, then those 50 rows (`page_context`, `export_rows`).
        filtered = from_filterset(escalation_queue(user, params), params)
        assert isinstance(filtered.rows, QuerySet)  # noqa: S101 (a filterset's queryset)
        filtered.rows = filtered.rows.values_list("pk", flat=True)
        return filtered

    def export_rows(self, rows: Any) -> Iterator[Recommendation]:
        ids = list(rows)
        for start in range(0, len(ids), self.export_chunk):
            yield from queue_records(ids[start : start + self.export_chunk])

    def columns(self, user: User) -> Sequence[Column[Recommendation]]:
        window = DeadlineWindow.on()
        return [
            Column("reference", lambda r: r.reference),
            Column("addressee_code", lambda r: r.addressee.code),
            Column("addressee_name", lambda r: r.addressee.name),
            Column("institution_name", lambda r: r.institution.name if r.institution else ""),
            Column(
                "region_code",
                lambda r: r.institution.region.code if r.institution else "",
            ),
            Column("theme", lambda r: r.theme),
            Column("level", lambda r: r.level),
            Column("state", lambda r: r.state),
            Column("issued_on", lambda r: r.issued_on),
            Column("deadline", lambda r: r.deadline),
            Column("days_overdue", lambda r: days_overdue(r, window)),
            Column("reasons", lambda r: ";".join(escalation_reasons(r, window))),
        ]

    def page_context(
        self, user: User, filtered: Filtered[Recommendation], page: Page
    ) -> Mapping[str, Any]:
        window = DeadlineWindow.on()
        rows = [queue_row(rec, window) for rec in queue_records(list(page.object_list))]
        return {
            "rows": rows,
            "can_escalate": can_escalate_recommendations(user),
        }


ESCALATION_QUEUE = EscalationQueueListing()

"""The registry as a list (`vigil.core.listing`): the page, its export and their columns.

The export's columns are the import columns plus `last_visited_on`, so an exported file can
be edited and imported again (codes for references, dates as dates). Visit coverage is left
out for whom the policy hides it.
"""

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.contributions import row_badges
from vigil.core.listing import Column, Filtered, Listing, from_filterset

from .filters import institution_listing
from .importing.columns import IMPORT_COLUMNS, REFERENCE_COLUMNS
from .permissions import can_view_registry, institution_fields_hidden_from

EXPORT_COLUMNS: tuple[str, ...] = (*IMPORT_COLUMNS, "last_visited_on")
ROW_BADGES_PAGE = "registry.institutions"
"""The name under which other apps put badges on the institutions list's rows."""


def _field(column: str) -> str:
    """The value of an export column, straight from the database (codes for references)."""
    return f"{column}__code" if column in REFERENCE_COLUMNS else column


class InstitutionListing(Listing[Mapping[str, Any]]):
    name = "institutions"
    count_label = ngettext_lazy("%(count)s institution", "%(count)s institutions", "n")

    def allowed(self, user: User) -> bool:
        return can_view_registry(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Mapping[str, Any]]:
        return from_filterset(institution_listing(user, params), params)

    def columns(self, user: User) -> Sequence[Column[Mapping[str, Any]]]:
        hidden = institution_fields_hidden_from(user)
        return [Column(c, itemgetter(_field(c))) for c in EXPORT_COLUMNS if c not in hidden]

    def export_rows(self, rows: Any) -> Any:
        """Values, not model instances: the whole registry is thousands of rows."""
        assert isinstance(rows, QuerySet)  # noqa: S101 (a filterset's queryset)
        fields = [_field(column) for column in EXPORT_COLUMNS]
        return rows.values(*fields).iterator(chunk_size=self.export_chunk)

    def page_context(
        self, user: User, filtered: Filtered[Mapping[str, Any]], page: Page
    ) -> Mapping[str, Any]:
        """What other apps flag on the rows of this page (`row_badges`), set on each row."""
        rows = list(page.object_list)
        badges = row_badges(ROW_BADGES_PAGE, user, rows)
        for row in rows:
            row.row_badges = badges.get(row.pk, [])  # type: ignore[attr-defined]
        return {}

    def record_export(
        self, *, actor: User, data: Mapping[str, Any], context: RequestContext | None
    ) -> None:
        audit_record(
            actor=actor,
            action=AuditAction.INSTITUTIONS_EXPORTED,
            data={key: value for key, value in data.items() if key != "list"},
            context=context,
        )


INSTITUTION_LIST = InstitutionListing()

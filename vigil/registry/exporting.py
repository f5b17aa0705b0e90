"""The registry as a list (`vigil.core.listing`): the page, its export and their columns.

The export's columns are the import columns plus `last_visited_on`, so an exported file can
be edited and imported again (codes for references, dates as dates). Visit coverage is left
out for whom the policy hides it.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.listing import Column, Filtered, Listing, from_filterset

from .filters import institution_listing
from .importing.columns import IMPORT_COLUMNS, REFERENCE_COLUMNS
from .models import Institution
from .permissions import can_view_registry, institution_fields_hidden_from

EXPORT_COLUMNS: tuple[str, ...] = (*IMPORT_COLUMNS, "last_visited_on")


def _value(column: str) -> Any:
    if column in REFERENCE_COLUMNS:
        return lambda institution: getattr(institution, column).code
    return lambda institution: getattr(institution, column)


class InstitutionListing(Listing[Institution]):
    name = "institutions"
    count_label = ngettext_lazy("%(count)s institution", "%(count)s institutions", "n")

    def allowed(self, user: User) -> bool:
        return can_view_registry(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Institution]:
        return from_filterset(institution_listing(user, params), params)

    def columns(self, user: User) -> Sequence[Column[Institution]]:
        hidden = institution_fields_hidden_from(user)
        return [Column(c, _value(c)) for c in EXPORT_COLUMNS if c not in hidden]

    def export_rows(self, rows: Any) -> Any:
        assert isinstance(rows, QuerySet)  # noqa: S101 (a filterset's queryset)
        return super().export_rows(rows.select_related("type", "agency", "region"))

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

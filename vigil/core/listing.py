"""The list pattern of UX.md, written once for every list page.

A list has a filter bar kept in the URL, sortable columns, a count, pagination, and an export
to CSV/XLSX of exactly what is shown (the same filters and order, every page), recorded in
the audit log. Each list is a `Listing` (in its app's `listings.py`): who may open it, how
the URL's parameters filter and order the rows, and the export's columns. `list_response`
serves the page, its htmx partial and, with `?export=csv` or `?export=xlsx`, the file.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from .importing.writing import FORMATS, build_file
from .numbers import format_number

if TYPE_CHECKING:
    from django_filters import FilterSet

    from vigil.accounts.models import User

EXPORT_PARAM = "export"
"""`?export=csv` or `?export=xlsx` on a list's URL gives the file of what the list shows."""

NOT_FILTERS = frozenset({"page", EXPORT_PARAM})


@dataclass(frozen=True)
class Column[T]:
    """One column of an export: its header (stable, like the import columns) and its value."""

    name: str
    value: Callable[[T], Any]


@dataclass
class Filtered[T]:
    """A list's rows for one request: the filter form, the rows in order, and the filters used."""

    form: Any
    rows: "QuerySet[Any] | Sequence[T]"
    applied: dict[str, Any] = field(default_factory=dict)


def applied_filters(params: QueryDict, names: Iterable[str]) -> dict[str, Any]:
    """The non-empty parameters among `names`, as the audit log records them."""
    applied: dict[str, Any] = {}
    for name in names:
        if name in NOT_FILTERS:
            continue
        values = [v for v in params.getlist(name) if v]
        if values:
            applied[name] = values[0] if len(values) == 1 else values
    return applied


def nulls_last(ordering: Iterable[Any]) -> list[Any]:
    """Order by these fields (`-` for descending), empty values last on every database;
    expressions (e.g. `collation.alphabetical`'s keys) pass unchanged."""
    return [
        term
        if not isinstance(term, str)
        else F(term[1:]).desc(nulls_last=True)
        if term.startswith("-")
        else F(term).asc(nulls_last=True)
        for term in ordering
    ]


def ordered_rows[T](
    rows: Iterable[T], params: QueryDict, keys: Mapping[str, Callable[[T], Any]]
) -> list[T]:
    """Rows computed in Python (a table of figures) in the order `?ordering=key` or `-key`
    asks, the way django-filter orders a queryset; without one, or with an unknown key, in
    their own order. Stable: rows that tie keep their order."""
    term = (params.get("ordering") or "").strip()
    key = keys.get(term.removeprefix("-"))
    if key is None:
        return list(rows)
    return sorted(rows, key=key, reverse=term.startswith("-"))


def from_filterset(filterset: "FilterSet", params: QueryDict) -> Filtered[Any]:
    """A django-filter FilterSet as a list's `Filtered`."""
    return Filtered(
        form=filterset.form, rows=filterset.qs, applied=applied_filters(params, filterset.filters)
    )


class Listing[T](ABC):
    """One list page: who may open it, its rows for a request, and its export columns."""

    name: ClassVar[str]
    """Names the exported file and the list in the audit log ("visits")."""
    count_label: ClassVar[Any]
    """The count line: `ngettext_lazy("%(count)s visit", "%(count)s visits", "n")`."""
    page_size: ClassVar[int] = 50
    export_chunk: ClassVar[int] = 2000

    @abstractmethod
    def allowed(self, user: "User") -> bool:
        """Whether `user` may open the list (and so export it)."""

    @abstractmethod
    def filtered(self, user: "User", params: QueryDict) -> Filtered[T]:
        """The rows `user` sees for these parameters, filtered and ordered, unpaginated."""

    @abstractmethod
    def columns(self, user: "User") -> Sequence[Column[T]]:
        """The export's columns for `user` (a policy may hide some)."""

    def can_export(self, user: "User") -> bool:
        """Whether `user` may export the list (by default, whoever may open it)."""
        return self.allowed(user)

    def export_rows(self, rows: "QuerySet[Any] | Sequence[T]") -> Iterable[T]:
        """The rows as the export reads them (a queryset in chunks, its relations joined)."""
        if isinstance(rows, QuerySet):
            return rows.iterator(chunk_size=self.export_chunk)
        return rows

    def export_note(self, user: "User") -> str | None:
        """What the export leaves out for `user` (sealed identities, ...), shown by its links."""
        return None

    def page_context(self, user: "User", filtered: Filtered[T], page: Page) -> Mapping[str, Any]:
        """What else the page shows: about these filters (e.g. the institution the list is
        narrowed to) or for its rows (flags computed for the page only)."""
        return {}

    def count_text(self, count: int) -> str:
        return str(self.count_label % {"n": count, "count": format_number(count)})

    def record_export(
        self, *, actor: "User", data: Mapping[str, Any], context: RequestContext | None
    ) -> None:
        """Writes the export to the audit log (what was exported, with which filters, rows)."""
        audit_record(
            actor=actor, action=AuditAction.LIST_EXPORTED, data=dict(data), context=context
        )

    def export(
        self,
        *,
        actor: "User",
        params: QueryDict,
        fmt: str,
        context: RequestContext | None = None,
    ) -> bytes:
        """The file of what the list shows `actor` for `params`; audited with its row count."""
        if fmt not in FORMATS:
            raise ValueError(f"Unknown export format: {fmt!r}")
        if not (self.allowed(actor) and self.can_export(actor)):
            raise PermissionDenied
        filtered = self.filtered(actor, params)
        columns = list(self.columns(actor))
        counter = [0]

        def rows() -> Iterator[list[Any]]:
            for row in self.export_rows(filtered.rows):
                counter[0] += 1
                yield [column.value(row) for column in columns]

        content = build_file(fmt, rows(), [column.name for column in columns], self.name)
        self.record_export(
            actor=actor,
            data={
                "list": self.name,
                "format": fmt,
                "filters": filtered.applied,
                "rows": counter[0],
            },
            context=context,
        )
        return content


def _user(request: HttpRequest) -> "User":
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user  # type: ignore[return-value]  # AUTH_USER_MODEL is accounts.User


def file_response(content: bytes, fmt: str, name: str) -> HttpResponse:
    """An export as a download named `name-YYYY-MM-DD.fmt`, never cached."""
    response = HttpResponse(content, content_type=FORMATS[fmt])
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def export_response(request: HttpRequest, listing: Listing[Any], fmt: str) -> HttpResponse:
    """The export of `listing` for this request's filters, as a download."""
    if fmt not in FORMATS:
        raise Http404
    content = listing.export(
        actor=_user(request),
        params=request.GET,
        fmt=fmt,
        context=RequestContext.from_request(request),
    )
    return file_response(content, fmt, listing.name)


def list_response(
    request: HttpRequest,
    listing: Listing[Any],
    *,
    template: str,
    partial: str,
    results_id: str,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The list page (or its htmx partial, or with `?export=` its file) for this request;
    `results_id` names the element of the page the partial fills (the filter bar's target)."""
    user = _user(request)
    if not listing.allowed(user):
        raise PermissionDenied
    fmt = request.GET.get(EXPORT_PARAM)
    if fmt:
        return export_response(request, listing, fmt)
    filtered = listing.filtered(user, request.GET)
    page = Paginator(filtered.rows, listing.page_size).get_page(request.GET.get("page"))
    page_context = {
        "listing": listing,
        "list_form": filtered.form,
        "results_id": results_id,
        "page": page,
        "count_text": listing.count_text(page.paginator.count),
        "can_export": listing.can_export(user),
        "export_note": listing.export_note(user),
        **listing.page_context(user, filtered, page),
        **(context or {}),
    }
    chosen = partial if request.headers.get("HX-Request") else template
    return render(request, chosen, page_context)

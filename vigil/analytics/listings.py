"""The coverage list (`/analysis/institutions/`): the institutions behind the dashboard's
coverage figures, as a list (`vigil.core.listing`) with the statistics' filters.

`?coverage=` picks the figure:
- `visited`: the institutions the made visits of the filters covered (closed since or not),
  the visits section's "institutions visited";
- `covered`: those among the institutions in operation, the coverage section's "visited";
- `never`: in operation and never visited;
- `unvisited` (with `years=N`, by default 3): in operation, never visited or last visited N
  years ago or more;
- none: the institutions in operation.

The rows come from the statistics' own selectors (`visited_institutions`,
`operating_institutions`, `unvisited_since_q`), so the list's count is the figure.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.collation import alphabetical
from vigil.core.listing import Column, Filtered, Listing, applied_filters, nulls_last
from vigil.registry.enums import InstitutionStatus
from vigil.registry.filters import NAME_COLUMNS, name_field
from vigil.registry.models import Institution

from .filters import StatisticsFilterForm, StatisticsFilters
from .permissions import can_view_coverage_list
from .selectors.counted import operating_institutions, unvisited_since_q, visited_institutions
from .selectors.statistics import DEFAULT_YEARS_UNVISITED

COVERAGE_CHOICES = [
    ("", _("In operation")),
    ("visited", _("Visited (closed since or not)")),
    ("covered", _("Visited, in operation")),
    ("never", _("Never visited")),
    ("unvisited", _("Not visited for some years")),
]

ORDERINGS = {
    "name": None,  # the name in the active language, alphabetically
    "region": "region__code",
    "last_visited": "last_visited_on",
}


class CoverageFilterForm(StatisticsFilterForm):
    coverage = forms.ChoiceField(label=_("Coverage"), choices=COVERAGE_CHOICES, required=False)
    years = forms.IntegerField(
        label=_("Years without a visit"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_("With “Not visited for some years”; 3 by default."),
    )
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", "")]
        + [(key, key) for key in ORDERINGS]
        + [(f"-{key}", f"-{key}") for key in ORDERINGS],
    )

    def cleaned(self, name: str) -> Any:
        """A valid field's value (an invalid one is left out and shown as an error)."""
        self.is_valid()
        return self.cleaned_data.get(name)


def coverage_rows(
    user: User | None, f: StatisticsFilters, coverage: str, years: int | None
) -> QuerySet[Institution]:
    """The institutions behind one coverage figure, unordered."""
    if coverage == "visited":
        return visited_institutions(user, f)
    if coverage == "covered":
        return visited_institutions(user, f).exclude(status=InstitutionStatus.CLOSED)
    operating = operating_institutions(user, f)
    if coverage == "never":
        return operating.filter(last_visited_on__isnull=True)
    if coverage == "unvisited":
        return operating.filter(unvisited_since_q(years or DEFAULT_YEARS_UNVISITED))
    return operating


def _ordered(rows: QuerySet[Institution], ordering: str | None) -> QuerySet[Institution]:
    term = ordering or "name"
    key = term.lstrip("-")
    descending = term.startswith("-")
    field = ORDERINGS.get(key) or name_field()
    terms = nulls_last([("-" if descending else "") + field])
    if key == "name":
        terms = alphabetical([("-" if descending else "") + field], NAME_COLUMNS)
    else:
        terms = [*terms, *alphabetical([name_field()], NAME_COLUMNS)]
    return rows.order_by(*terms, "pk")


def _code(obj: Any) -> str:
    return obj.code if obj is not None else ""


class CoverageListing(Listing[Institution]):
    name = "institution-coverage"
    count_label = ngettext_lazy("%(count)s institution", "%(count)s institutions", "n")

    def allowed(self, user: User) -> bool:
        return can_view_coverage_list(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Institution]:
        form = CoverageFilterForm(params, user=user)
        rows = coverage_rows(
            user, form.filters(), form.cleaned("coverage") or "", form.cleaned("years")
        )
        rows = _ordered(rows.select_related("type", "agency", "region"), form.cleaned("ordering"))
        return Filtered(form=form, rows=rows, applied=applied_filters(params, form.fields))

    def columns(self, user: User) -> Sequence[Column[Institution]]:
        return [
            Column("external_code", lambda i: i.external_code),
            Column("name", lambda i: i.name),
            Column("type", lambda i: _code(i.type)),
            Column("agency", lambda i: _code(i.agency)),
            Column("region", lambda i: _code(i.region)),
            Column("status", lambda i: i.status),
            Column("last_visited_on", lambda i: i.last_visited_on),
        ]


COVERAGE_LIST = CoverageListing()

"""The funnel of appeals, art. 146 cases and accountability, per year, region and agency:
pure functions over the querysets the viewer sees (`*_visible_to`), returning dataclasses, so
the page, the API and the analytics reuse them.

The stages are defined once in `.stages` (the lists filter with the same rules) and the
case and accountability counts once in `.cases`; this module assembles them:

- **appeals** received in the year, by subject and by channel;
- **allegations**: appeals with an ill-treatment allegation (`alerts.ill_treatment_q`) →
  **referred** (with a referral) → **registered** (a referral registered, or a linked case
  registered) → **in court** (a linked case sent to court) → **convicted**; and those whose
  case was **terminated for lack of evidence**;
- **criminal cases** reported (reviewed) in the year → registered → in court → convicted,
  terminated for lack of evidence, each as a share of those reported, with its base
  ("398 → 18 (4.52%)");
- **accountability**: officials held accountable in the year, by initiative.

Year: of receipt (appeals), report (cases), decision (accountability). Region: the record's
region. Agency: the institution's agency with its sub-units (accountability: its own agency,
else its institution's).

Every figure carries the query of the list behind it (`link`): the list pages use the same
parameters (`year`, `region`, `agency`, plus `subject`, `channel`, `ill_treatment`, `stage`,
`ground`, `initiative`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.core.figures import Figure, Share
from vigil.reference.models import Agency, InstitutionType, Region
from vigil.reference.selectors import agency_subtree_ids

from ..enums import Channel, Initiative
from ..models import AccountabilityRecord, Appeal, AppealSubject, CriminalCase
from ..permissions import accountability_visible_to, appeals_visible_to, cases_visible_to
from .alerts import ill_treatment_q
from .cases import accountability_by_initiative, case_counts
from .stages import APPEAL_STAGES, CASE_STAGES, accountability_agency_q

STAGE_COUNT = {
    "registered": "registered",
    "in_court": "in_court",
    "convicted": "convicted",
    "lack_of_evidence": "terminated_lack_of_evidence",
}
"""The `CaseCounts` field of each case stage."""

APPEALS = "appeals:list"
CASES = "appeals:case_list"
ACCOUNTABILITY = "appeals:accountability_list"
"""The list pages behind the funnel's figures."""


@dataclass(frozen=True)
class FunnelFilters:
    year: int | None = None
    region: Region | None = None
    agency: Agency | None = None
    institution_type: InstitutionType | None = None

    def params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        if self.year is not None:
            params["year"] = str(self.year)
        if self.region is not None:
            params["region"] = self.region.code
        if self.agency is not None:
            params["agency"] = self.agency.code
        if self.institution_type is not None:
            params["institution_type"] = self.institution_type.code
        return params


@dataclass(frozen=True)
class FunnelBases:
    """The records the funnel counts from: what a user sees (`FunnelBases.of(user)`), or, for
    published figures (the annual report, open data), every record."""

    appeals: QuerySet[Appeal]
    cases: QuerySet[CriminalCase]
    accountability: QuerySet[AccountabilityRecord]

    @classmethod
    def of(cls, user: User | None) -> "FunnelBases":
        return cls(
            appeals_visible_to(user), cases_visible_to(user), accountability_visible_to(user)
        )


@dataclass(frozen=True)
class Funnel:
    filters: FunnelFilters
    appeals_total: Figure
    by_subject: list[Figure] = field(default_factory=list)
    by_channel: list[Figure] = field(default_factory=list)
    allegations: list[Figure] = field(default_factory=list)
    cases: list[Figure] = field(default_factory=list)
    accountability_total: Figure | None = None
    accountability: list[Figure] = field(default_factory=list)

    def step(self, chain: str, key: str) -> Figure:
        for figure in getattr(self, chain):
            if figure.key == key:
                return figure  # type: ignore[no-any-return]
        raise KeyError(key)


def _agency_q(prefix: str, agency: Agency | None) -> Q:
    if agency is None:
        return Q()
    return Q(**{f"{prefix}__in": agency_subtree_ids(agency)})


def _type_q(prefix: str, institution_type: InstitutionType | None) -> Q:
    if institution_type is None:
        return Q()
    return Q(**{f"{prefix}__type": institution_type})


def filter_appeals(qs: QuerySet[Appeal], f: FunnelFilters) -> QuerySet[Appeal]:
    """Appeals received in the year, of the region, about an institution of the agency."""
    if f.year is not None:
        qs = qs.filter(received_on__year=f.year)
    if f.region is not None:
        qs = qs.filter(region=f.region)
    return qs.filter(_agency_q("institution__agency", f.agency)).filter(
        _type_q("institution", f.institution_type)
    )


def filter_cases(qs: QuerySet[CriminalCase], f: FunnelFilters) -> QuerySet[CriminalCase]:
    """Cases reported in the year, of the region, about an institution of the agency."""
    if f.year is not None:
        qs = qs.filter(reported_on__year=f.year)
    if f.region is not None:
        qs = qs.filter(region=f.region)
    return qs.filter(_agency_q("institution__agency", f.agency)).filter(
        _type_q("institution", f.institution_type)
    )


def filter_accountability(
    qs: QuerySet[AccountabilityRecord], f: FunnelFilters
) -> QuerySet[AccountabilityRecord]:
    """Officials held accountable by decisions of the year, of the region and agency."""
    if f.year is not None:
        qs = qs.filter(decided_on__year=f.year)
    if f.region is not None:
        qs = qs.filter(region=f.region)
    if f.agency is not None:
        qs = qs.filter(accountability_agency_q(f.agency))
    return qs.filter(_type_q("institution", f.institution_type))


def _with(query: Mapping[str, str], **extra: str) -> dict[str, str]:
    return {**query, **extra}


def funnel(user: User | None, f: FunnelFilters, bases: FunnelBases | None = None) -> Funnel:
    """Every figure of the funnel for `user` and `f` (counted from `bases`, by default what
    the user sees)."""
    bases = bases or FunnelBases.of(user)
    base = f.params()
    appeals = filter_appeals(bases.appeals, f)
    total = appeals.count()

    subjects = {s.pk: s for s in AppealSubject.objects.all()}
    by_subject = [
        Figure(
            subjects[row["subject"]].code if row["subject"] else "none",
            subjects[row["subject"]].name if row["subject"] else _("No subject"),
            row["n"],
            APPEALS,
            _with(base, subject=subjects[row["subject"]].code if row["subject"] else "none"),
            Share(row["n"], total),
        )
        for row in appeals.order_by().values("subject").annotate(n=Count("pk")).order_by("-n")
    ]
    channel_labels = dict(Channel.choices)
    by_channel = [
        Figure(
            row["channel"],
            str(channel_labels.get(row["channel"], row["channel"])),
            row["n"],
            APPEALS,
            _with(base, channel=row["channel"]),
            Share(row["n"], total),
        )
        for row in appeals.order_by().values("channel").annotate(n=Count("pk")).order_by("-n")
    ]

    alleged = appeals.filter(ill_treatment_q())
    n_alleged = alleged.count()
    allegation_base = _with(base, ill_treatment="true")
    allegations = [
        Figure("alleged", _("Allegations of ill-treatment"), n_alleged, APPEALS, allegation_base),
        *[
            Figure(
                key,
                str(label),
                alleged.filter(stage_q()).count(),
                APPEALS,
                _with(allegation_base, stage=key),
            )
            for key, (label, stage_q) in APPEAL_STAGES.items()
        ],
    ]
    allegations = [
        figure if figure.key == "alleged" else figure.shared(n_alleged) for figure in allegations
    ]

    cases = filter_cases(bases.cases, f)
    counts = case_counts(cases)
    reported = counts.reviewed
    case_figures = [
        Figure("reported", _("Reported or reviewed"), reported, CASES, base),
        *[
            Figure(
                key,
                str(label),
                getattr(counts, STAGE_COUNT[key]),
                CASES,
                _with(base, stage=key),
                Share(getattr(counts, STAGE_COUNT[key]), reported),
            )
            for key, (label, _stage_q) in CASE_STAGES.items()
        ],
    ]

    records = filter_accountability(bases.accountability, f)
    by_initiative = accountability_by_initiative(records)
    n_records = sum(by_initiative.values())
    accountability = [
        Figure(
            code,
            str(label),
            by_initiative.get(code, 0),
            ACCOUNTABILITY,
            _with(base, initiative=code),
            Share(by_initiative.get(code, 0), n_records),
        )
        for code, label in Initiative.choices
    ]
    return Funnel(
        filters=f,
        appeals_total=Figure("appeals", _("Appeals received"), total, APPEALS, base),
        by_subject=by_subject,
        by_channel=by_channel,
        allegations=allegations,
        cases=case_figures,
        accountability_total=Figure(
            "accountability", _("Officials held accountable"), n_records, ACCOUNTABILITY, base
        ),
        accountability=accountability,
    )


def funnel_as_dict(result: Funnel) -> dict[str, Any]:
    """The funnel as the API gives it."""

    f = result.filters
    return {
        "year": f.year,
        "region": f.region.code if f.region else None,
        "agency": f.agency.code if f.agency else None,
        "appeals": result.appeals_total.as_dict(),
        "by_subject": [x.as_dict() for x in result.by_subject],
        "by_channel": [x.as_dict() for x in result.by_channel],
        "allegations": [x.as_dict() for x in result.allegations],
        "cases": [x.as_dict() for x in result.cases],
        "accountability": result.accountability_total.as_dict()
        if result.accountability_total
        else None,
        "accountability_by_initiative": [x.as_dict() for x in result.accountability],
    }

"""The risk score of institutions: the engine, without any permission (the selectors in
`selectors.py` apply the policy).

Every institution's score is computed with a constant number of queries whatever the number
of institutions: one per kind of data (institutions, factors, profiles, then one grouped
count per source), the rest in Python. The formula (docs/planning.md):

    normalised_f = clamp((raw_f - threshold_f) / (saturation_f - threshold_f), 0, 1)
    contribution_f = 100 * weight_f * normalised_f / sum(weights)
    total = sum(contribution_f)            (0..100; 0 when every weight is 0)

A raw value that is unknown (an institution never visited) counts in full for "time since the
last visit" and as nothing for the others (no population or capacity recorded).
"""

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise

from vigil.appeals.enums import IncidentKind
from vigil.appeals.models import Appeal, Incident
from vigil.appeals.selectors.alerts import FLAGGING_INCIDENTS, ill_treatment_q
from vigil.recommendations.deadlines import PENDING_STATES
from vigil.recommendations.models import Recommendation
from vigil.reference.enums import InstitutionCategory
from vigil.registry.enums import InstitutionStatus, SecurityLevel
from vigil.registry.models import Institution
from vigil.visits.models import AccessIncident

from .enums import RawUnit, RiskFactorCode, VulnerableGroup
from .models import RiskFactor, VulnerabilityProfile

F = RiskFactorCode

SECURITY_OF_LEVEL: Mapping[str, int] = {
    SecurityLevel.EXTREME: 3,
    SecurityLevel.MAXIMUM: 3,
    SecurityLevel.HIGH: 3,
    SecurityLevel.MEDIUM: 2,
    SecurityLevel.MIXED: 2,
    SecurityLevel.MINIMUM: 1,
}
"""How closed a regime is (0..3), by the institution's security level..."""

SECURITY_OF_CATEGORY: Mapping[str, int] = {
    InstitutionCategory.PRE_TRIAL: 3,
    InstitutionCategory.MILITARY: 3,
    InstitutionCategory.PENAL: 2,
    InstitutionCategory.POLICE: 2,
    InstitutionCategory.MIGRATION: 2,
    InstitutionCategory.MEDICAL: 1,
    InstitutionCategory.SOCIAL: 1,
    InstitutionCategory.EDUCATION: 1,
}
"""...or, when it has none, by its type's category (closed places weigh more)."""

_INSTITUTION_FIELDS = (
    "pk",
    "type__code",
    "type__category",
    "security_level",
    "last_visited_on",
    "capacity",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
)


@dataclass(frozen=True, slots=True)
class RiskTerm:
    """One factor of one institution's score."""

    factor: str
    label: str | Promise
    unit: str
    raw: int | None
    normalised: float
    weight: int
    contribution: float

    @property
    def unit_label(self) -> str | Promise:
        return RawUnit(self.unit).label


@dataclass(frozen=True, slots=True)
class RiskScore:
    institution_id: int
    total: float
    terms: tuple[RiskTerm, ...]

    def term(self, factor: str) -> RiskTerm:
        return next(t for t in self.terms if t.factor == factor)


def normalise(raw: int | None, factor: RiskFactor) -> float:
    if raw is None:
        return 1.0 if factor.code == F.TIME_SINCE_VISIT else 0.0
    span = factor.saturation - factor.threshold
    if span <= 0:
        return 1.0 if raw >= factor.saturation else 0.0
    return min(max((raw - factor.threshold) / span, 0.0), 1.0)


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole months from `earlier` to `later` (0 when `later` is not after it)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def _months_back(day: datetime.date, months: int | None) -> datetime.date | None:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    if not months:
        return None
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return datetime.date(year, month0 + 1, min(day.day, last_day))


def vulnerable_groups(
    type_code: str, boys: int | None, girls: int | None, profiles: Mapping[str, Any]
) -> set[str]:
    """The groups in vulnerable situations an institution holds: those of its type's
    profile, and children when its population counts any."""
    groups: set[str] = set()
    profile = profiles.get(type_code)
    if profile is not None:
        if profile.children:
            groups.add(VulnerableGroup.CHILDREN)
        if profile.disabilities:
            groups.add(VulnerableGroup.DISABILITIES)
        if profile.psychiatric:
            groups.add(VulnerableGroup.PSYCHIATRIC)
    if (boys or 0) + (girls or 0) > 0:
        groups.add(VulnerableGroup.CHILDREN)
    return groups


def profiles_by_type_code() -> dict[str, VulnerabilityProfile]:
    return {p.type_code: p for p in VulnerabilityProfile.objects.all()}


def planned_institutions() -> QuerySet[Institution]:
    """The institutions a plan may include: all but those closed."""
    return Institution.objects.exclude(status=InstitutionStatus.CLOSED)


def _counts(qs: QuerySet[Any], key: str) -> dict[int, int]:
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("pk", distinct=True))}


def _within(qs: QuerySet[Any], field: str, since: datetime.date | None) -> QuerySet[Any]:
    return qs.filter(**{f"{field}__gte": since}) if since else qs


def _raw_counts(
    factors: Mapping[str, RiskFactor], on_date: datetime.date, ids: QuerySet[Any] | None
) -> dict[str, dict[int, int]]:
    """factor code → {institution pk: raw count} for the factors that count events."""

    def scoped(qs: QuerySet[Any], field: str = "institution_id") -> QuerySet[Any]:
        qs = qs.filter(**{f"{field}__isnull": False})
        return qs.filter(**{f"{field}__in": ids}) if ids is not None else qs

    def since(code: str) -> datetime.date | None:
        factor = factors.get(code)
        return _months_back(on_date, factor.lookback_months) if factor else None

    counts: dict[str, dict[int, int]] = {}
    if F.ILL_TREATMENT_APPEALS in factors:
        appeals = Appeal.objects.filter(ill_treatment_q())
        appeals = _within(appeals, "received_on", since(F.ILL_TREATMENT_APPEALS))
        counts[F.ILL_TREATMENT_APPEALS] = _counts(
            scoped(appeals.filter(received_on__lte=on_date)), "institution_id"
        )
    if F.INCIDENTS in factors:
        incidents = Incident.objects.filter(kind__in=FLAGGING_INCIDENTS, occurred_on__lte=on_date)
        incidents = _within(incidents, "occurred_on", since(F.INCIDENTS))
        counts[F.INCIDENTS] = _counts(scoped(incidents), "institution_id")
    if F.OPEN_RECOMMENDATIONS in factors or F.OVERDUE_RECOMMENDATIONS in factors:
        pending = scoped(Recommendation.objects.filter(state__in=PENDING_STATES))
        rows = pending.values("institution_id").annotate(
            open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=on_date))
        )
        counts[F.OPEN_RECOMMENDATIONS] = {r["institution_id"]: r["open"] for r in rows}
        counts[F.OVERDUE_RECOMMENDATIONS] = {r["institution_id"]: r["overdue"] for r in rows}
    if F.REPEATED_ISSUES in factors:
        repeats = Recommendation.objects.filter(repeat_of__isnull=False).exclude(issued_on=None)
        repeats = _within(repeats, "issued_on", since(F.REPEATED_ISSUES))
        counts[F.REPEATED_ISSUES] = _counts(
            scoped(repeats.filter(issued_on__lte=on_date)), "institution_id"
        )
    if F.ACCESS_OBSTRUCTION in factors:
        start = since(F.ACCESS_OBSTRUCTION)
        obstruction: dict[int, int] = {}
        at_visit = AccessIncident.objects.filter(occurred_at__date__lte=on_date)
        at_visit = _within(at_visit, "occurred_at__date", start)
        # An incident names its institution, or stands for every institution of its visit.
        named = _counts(scoped(at_visit), "institution_id")
        unnamed = _counts(
            scoped(at_visit.filter(institution__isnull=True), "visit__institutions"),
            "visit__institutions",
        )
        reported_qs = Incident.objects.filter(
            kind=IncidentKind.ACCESS_OBSTRUCTION,
            access_incident__isnull=True,
            occurred_on__lte=on_date,
        )
        reported = _counts(scoped(_within(reported_qs, "occurred_on", start)), "institution_id")
        for source in (named, unnamed, reported):
            for pk, n in source.items():
                obstruction[pk] = obstruction.get(pk, 0) + n
        counts[F.ACCESS_OBSTRUCTION] = obstruction
    return counts


def compute_risk_scores(
    institutions: QuerySet[Institution] | None = None,
    *,
    on_date: datetime.date,
    factors: Iterable[RiskFactor] | None = None,
) -> dict[int, RiskScore]:
    """Institution pk → its risk score on `on_date`, for `institutions` (default: every
    institution that is not closed). A constant number of queries (about ten)."""
    qs = institutions if institutions is not None else planned_institutions()
    factor_list = list(factors) if factors is not None else list(RiskFactor.objects.all())
    by_code = {f.code: f for f in factor_list}
    total_weight = sum(f.weight for f in factor_list)
    profiles = profiles_by_type_code()
    ids = None if institutions is None else qs.values("pk")
    counts = _raw_counts(by_code, on_date, ids)
    labels = {f.code: f.get_code_display() for f in factor_list}  # once, not per row
    scores: dict[int, RiskScore] = {}
    for row in qs.order_by().values(*_INSTITUTION_FIELDS):
        raw = _raw_values(row, on_date, counts, profiles)
        terms = []
        for factor in factor_list:
            value = raw.get(factor.code)
            norm = normalise(value, factor)
            share = 100.0 * factor.weight * norm / total_weight if total_weight else 0.0
            terms.append(
                RiskTerm(
                    factor=factor.code,
                    label=labels[factor.code],
                    unit=factor.unit,
                    raw=value,
                    normalised=round(norm, 4),
                    weight=factor.weight,
                    contribution=round(share, 2),
                )
            )
        scores[row["pk"]] = RiskScore(
            institution_id=row["pk"],
            total=round(sum(t.contribution for t in terms), 2),
            terms=tuple(terms),
        )
    return scores


def _raw_values(
    row: Mapping[str, Any],
    on_date: datetime.date,
    counts: Mapping[str, Mapping[int, int]],
    profiles: Mapping[str, Any],
) -> dict[str, int | None]:
    pk = row["pk"]
    parts = [
        row[f"population_{p}"]
        for p in ("men", "women", "boys", "girls")
        if row[f"population_{p}"] is not None
    ]
    population = sum(parts) if parts else None
    capacity = row["capacity"]
    last = row["last_visited_on"]
    raw: dict[str, int | None] = {
        F.TIME_SINCE_VISIT: months_between(last, on_date) if last else None,
        F.POPULATION: population,
        F.OVERCROWDING: (
            round(100 * population / capacity) if population is not None and capacity else None
        ),
        F.VULNERABILITY: len(
            vulnerable_groups(
                row["type__code"], row["population_boys"], row["population_girls"], profiles
            )
        ),
        F.SECURITY: SECURITY_OF_LEVEL.get(row["security_level"])
        or SECURITY_OF_CATEGORY.get(row["type__category"], 0),
    }
    for code, per_institution in counts.items():
        raw[code] = per_institution.get(pk, 0)
    return raw

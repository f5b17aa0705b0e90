"""Reads of referrals, criminal cases and accountability records, already filtered by the
policy, and the counts the funnel and analytics reuse:

- `case_counts(qs) -> CaseCounts`: of a queryset of cases (e.g. `cases_visible_to(user)`
  filtered by `reported_on__year`), how many were reviewed, registered, sent to court,
  convicted, terminated, terminated for lack of evidence;
- `accountability_by_initiative(qs) -> dict[str, int]`: of a queryset of accountability
  records, the count per `Initiative` value (every value present, 0 when none).
"""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from vigil.accounts.models import User

from ..enums import CaseState, Initiative
from ..models import AccountabilityRecord, CriminalCase, Referral
from ..permissions import accountability_visible_to, cases_visible_to, referrals_visible_to
from .stages import (
    case_convicted_q,
    case_in_court_q,
    case_lack_of_evidence_q,
    case_registered_q,
)


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


# --- fetch and authorize (404 for missing and forbidden alike) ------------------------------


def get_referral(user: User, public_id: Any) -> Referral:
    found = (
        referrals_visible_to(user)
        .select_related("appeal", "interview", "interview__visit", "region", "override_by")
        .filter(public_id=_uuid(public_id))
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_case(user: User, public_id: Any) -> CriminalCase:
    found = (
        cases_visible_to(user)
        .select_related("appeal", "referral", "institution", "region", "investigating_body")
        .filter(public_id=_uuid(public_id))
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_accountability(user: User, public_id: Any) -> AccountabilityRecord:
    found = (
        accountability_visible_to(user)
        .select_related("agency", "institution", "region", "visit", "appeal", "case")
        .filter(public_id=_uuid(public_id))
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- lists ------------------------------------------------------------------------------------


def referral_list(user: User | None) -> QuerySet[Referral]:
    return referrals_visible_to(user).select_related("appeal", "region")


DEFAULT_REGISTRATION_DELAY_DAYS = 1


def registration_delay_allowed() -> int:
    """Days after the information-book entry within which a registration is not delayed
    (`VIGIL_CASE_REGISTRATION_DELAY_DAYS`, default 1: the law asks for registration within a
    day of the report)."""
    return int(
        getattr(settings, "VIGIL_CASE_REGISTRATION_DELAY_DAYS", DEFAULT_REGISTRATION_DELAY_DAYS)
    )


def registration_delayed(case: CriminalCase) -> bool:
    """The case's registration is delayed: only in the information book, or registered late."""
    if case.info_book_entry_on is None:
        return False
    delay = case.registration_delay_days
    return not case.register_number or (delay is not None and delay > registration_delay_allowed())


def registration_delayed_q(days: int | None = None) -> Q:
    """An information-book entry with no register number yet, or a registration more than
    `days` days after the entry."""
    days = registration_delay_allowed() if days is None else days
    return Q(info_book_entry_on__isnull=False) & (
        Q(register_number="")
        | Q(registered_on__gt=F("info_book_entry_on") + datetime.timedelta(days=days))
    )


def case_list(user: User | None) -> QuerySet[CriminalCase]:
    return cases_visible_to(user).select_related("investigating_body", "region", "institution")


def accountability_list(user: User | None) -> QuerySet[AccountabilityRecord]:
    return accountability_visible_to(user).select_related("agency", "region", "institution")


def classifications_of(case: CriminalCase) -> list[Any]:
    return list(case.classifications.select_related("investigating_body", "recorded_by"))


def case_timeline(case: CriminalCase) -> list[Any]:
    return list(case.events.select_related("actor"))


def referral_timeline(referral: Referral) -> list[Any]:
    return list(referral.events.select_related("actor"))


# --- counts reused by the funnel and analytics ------------------------------------------------


@dataclass(frozen=True)
class CaseCounts:
    reviewed: int
    registered: int
    in_court: int
    convicted: int
    terminated: int
    terminated_lack_of_evidence: int

    def share(self, part: int) -> float | None:
        """`part` as a percentage of the reviewed cases (None when there are none)."""
        return round(100 * part / self.reviewed, 2) if self.reviewed else None


def case_counts(qs: QuerySet[CriminalCase]) -> CaseCounts:
    """The art. 146 funnel of `qs` in one query: reviewed (all), and the stages reached
    (`.stages`): registered, in court, convicted; terminated, and for lack of evidence."""
    row = qs.order_by().aggregate(
        reviewed=Count("pk"),
        registered=Count("pk", filter=case_registered_q()),
        in_court=Count("pk", filter=case_in_court_q()),
        convicted=Count("pk", filter=case_convicted_q()),
        terminated=Count("pk", filter=Q(state=CaseState.TERMINATED)),
        terminated_lack_of_evidence=Count("pk", filter=case_lack_of_evidence_q()),
    )
    return CaseCounts(**{k: int(v or 0) for k, v in row.items()})


def accountability_by_initiative(qs: QuerySet[AccountabilityRecord]) -> dict[str, int]:
    """The records of `qs` counted by initiative: {"commissioner": n, "npm_participant": n,
    "other": n}, every initiative present."""
    counts = dict.fromkeys(Initiative.values, 0)
    for row in qs.order_by().values("initiative").annotate(n=Count("pk")):
        counts[row["initiative"]] = row["n"]
    return counts

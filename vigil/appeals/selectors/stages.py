"""The one home of the stages an art. 146 case and an ill-treatment appeal reach, as database
filters: the funnel counts with them, the appeals and cases lists filter with them (a
funnel figure links to `?stage=<key>`), the import and the analytics reuse them. The agency
an accountability record falls under is here too, for the same reason (the funnel counts
what the accountability list filtered by that agency shows).

A case's stage is what it has reached, not only its current state: a case terminated after
its registration was registered; a final verdict after a conviction was a conviction (the
case's timeline says so).
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vigil.reference.models import Agency
from vigil.reference.selectors import agency_subtree_ids

from ..enums import CaseState, ReferralState, TerminationGround
from ..models import CaseEvent, CriminalCase, Referral

IN_COURT_OR_LATER: tuple[str, ...] = (
    CaseState.IN_COURT,
    CaseState.CONVICTED,
    CaseState.ACQUITTED,
    CaseState.FINAL,
)
REGISTERED_OR_LATER: tuple[str, ...] = (
    CaseState.REGISTERED,
    CaseState.INVESTIGATION,
    CaseState.CHARGED,
    *IN_COURT_OR_LATER,
    CaseState.TERMINATED,
    CaseState.SUSPENDED,
)


def case_registered_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}registered_on__isnull": False}) | Q(
        **{f"{prefix}state__in": REGISTERED_OR_LATER}
    )


def case_in_court_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}sent_to_court_on__isnull": False}) | Q(
        **{f"{prefix}state__in": IN_COURT_OR_LATER}
    )


def case_convicted_q(prefix: str = "") -> Q:
    """Convicted now, or convicted before the verdict became final (its timeline says so)."""
    convicted_once = CaseEvent.objects.filter(
        case=OuterRef(f"{prefix}pk" if prefix else "pk"), to_state=CaseState.CONVICTED
    )
    return Q(**{f"{prefix}state": CaseState.CONVICTED}) | Q(
        Exists(convicted_once), **{f"{prefix}state": CaseState.FINAL}
    )


def case_lack_of_evidence_q(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}state": CaseState.TERMINATED,
            f"{prefix}termination_ground": TerminationGround.LACK_OF_EVIDENCE,
        }
    )


CASE_STAGES: dict[str, tuple[object, Callable[[], Q]]] = {
    "registered": (_("Registered"), case_registered_q),
    "in_court": (_("Reached court"), case_in_court_q),
    "convicted": (_("Convicted"), case_convicted_q),
    "lack_of_evidence": (_("Terminated for lack of evidence"), case_lack_of_evidence_q),
}
"""A case's stages by the key of `?stage=`: (label, filter)."""


def _appeal_has_case(q: Q) -> Q:
    return Q(Exists(CriminalCase.objects.filter(q, appeal=OuterRef("pk"))))


def appeal_referred_q() -> Q:
    return Q(Exists(Referral.objects.filter(appeal=OuterRef("pk"))))


def appeal_registered_q() -> Q:
    """Registered by the body it was referred to, or its case registered."""
    registered_referral = Referral.objects.filter(appeal=OuterRef("pk")).filter(
        Q(state=ReferralState.REGISTERED) | Q(registered_on__isnull=False)
    )
    return Q(Exists(registered_referral)) | _appeal_has_case(case_registered_q())


APPEAL_STAGES: dict[str, tuple[object, Callable[[], Q]]] = {
    "referred": (_("Referred"), appeal_referred_q),
    "registered": (_("Registered"), appeal_registered_q),
    "in_court": (_("Reached court"), lambda: _appeal_has_case(case_in_court_q())),
    "convicted": (_("Convicted"), lambda: _appeal_has_case(case_convicted_q())),
    "lack_of_evidence": (
        _("Terminated for lack of evidence"),
        lambda: _appeal_has_case(case_lack_of_evidence_q()),
    ),
}
"""An appeal's stages (through its referrals and cases) by the key of `?stage=`."""


def accountability_agency_q(agency: Agency) -> Q:
    """Accountability records under `agency` or one of its sub-units: by the record's own
    agency, else (none recorded) by its institution's."""
    ids = agency_subtree_ids(agency)
    return Q(agency__in=ids) | Q(agency__isnull=True, institution__agency__in=ids)

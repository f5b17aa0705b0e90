"""Feeding visits: an institution with recent ill-treatment appeals or serious incidents is
flagged in the registry and offered as the trigger of a special visit.

"Recent" is `VIGIL_INSTITUTION_FLAG_DAYS` (default 90). An ill-treatment appeal is one with an
allegation type marked `ill_treatment` (torture, cruel treatment), or whose subject has the
code of such a type (the subject "torture"): both are data. The incidents that flag a place
are reprisals, deaths in custody and self-harm; an access obstruction is a matter for the
visits themselves, not a sign of ill-treatment. Counts are over what the viewer sees.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import User
from vigil.registry.models import Institution
from vigil.visits.enums import TriggerKind, VisitType
from vigil.visits.permissions import can_plan_visits

from ..enums import IncidentKind
from ..models import AllegationType, Appeal, Incident
from ..permissions import appeals_visible_to, can_flag_institutions, incidents_visible_to

FLAGGING_INCIDENTS: tuple[str, ...] = (
    IncidentKind.REPRISAL,
    IncidentKind.DEATH_IN_CUSTODY,
    IncidentKind.SELF_HARM,
)


def ill_treatment_q() -> Q:
    """Appeals alleging torture or cruel treatment (an allegation type or the subject).

    A condition on the appeal itself (an EXISTS, not a join), so an appeal is counted once and
    the database reads only the appeals the rest of the query selects."""
    alleged = Appeal.allegation_types.through.objects.filter(
        appeal=OuterRef("pk"), allegationtype__ill_treatment=True
    )
    codes = AllegationType.objects.filter(ill_treatment=True).values("code")
    return Q(Exists(alleged)) | Q(subject__code__in=codes)


def ill_treatment_appeals(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """The ill-treatment appeals among `qs`, each once."""
    return qs.filter(ill_treatment_q())


def flag_since(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.VIGIL_INSTITUTION_FLAG_DAYS)


@dataclass(frozen=True)
class Trigger:
    kind: str
    reference: str
    on: datetime.date
    visit_url: str | None


@dataclass
class InstitutionAlert:
    institution: Institution
    since: datetime.date
    appeals: list[Appeal] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.appeals or self.incidents)


def special_visit_url(institution: Institution, kind: str, reference: str) -> str:
    """The visit create form, prefilled as a special visit triggered by `reference`."""
    params = {
        "type": VisitType.SPECIAL,
        "trigger_kind": kind,
        "trigger_reference": reference,
        "institutions": str(institution.public_id),
    }
    return f"{reverse('visits:visit_create')}?{urlencode(params)}"


def institution_alert(
    user: User | None, institution: Institution, today: datetime.date | None = None
) -> InstitutionAlert | None:
    """The recent ill-treatment appeals and incidents at `institution` that `user` sees, with
    a prefilled special visit per trigger when the user may plan one (None: not for them)."""
    if not can_flag_institutions(user):
        return None
    since = flag_since(today)
    appeals = list(
        ill_treatment_appeals(
            appeals_visible_to(user).filter(institution=institution, received_on__gte=since)
        ).order_by("-received_on", "-id")[:10]
    )
    incidents = list(
        incidents_visible_to(user)
        .filter(institution=institution, kind__in=FLAGGING_INCIDENTS, occurred_on__gte=since)
        .order_by("-occurred_on", "-id")[:10]
    )
    may_plan = can_plan_visits(user, [institution.region_id])
    triggers = [
        Trigger(
            TriggerKind.APPEAL,
            a.reference,
            a.received_on,
            special_visit_url(institution, TriggerKind.APPEAL, a.reference) if may_plan else None,
        )
        for a in appeals
    ] + [
        Trigger(
            TriggerKind.INCIDENT,
            i.reference,
            i.occurred_on,
            special_visit_url(institution, TriggerKind.INCIDENT, i.reference) if may_plan else None,
        )
        for i in incidents
    ]
    triggers.sort(key=lambda t: t.on, reverse=True)
    return InstitutionAlert(institution, since, appeals, incidents, triggers)


def flagged_institution_ids(user: User | None, ids: list[Any]) -> set[int]:
    """Among the institutions `ids`, those flagged for `user` (one query per source)."""
    if not can_flag_institutions(user) or not ids:
        return set()
    since = flag_since()
    flagged = set(
        ill_treatment_appeals(
            appeals_visible_to(user).filter(institution__in=ids, received_on__gte=since)
        ).values_list("institution_id", flat=True)
    )
    flagged |= set(
        incidents_visible_to(user)
        .filter(institution__in=ids, kind__in=FLAGGING_INCIDENTS, occurred_on__gte=since)
        .values_list("institution_id", flat=True)
    )
    return {pk for pk in flagged if pk is not None}

"""Reads of interviews, already filtered for the user. Metadata only: the content and the
identity are read through the logged services in `services.interviews`."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.models import AccessEvent

from ..models import Attachment, Interview, SealedIdentity, TeamMember, Visit
from ..permissions import can_view_working_material, interviews_visible_to


def interviews_for_visit(user: User, visit: Visit) -> QuerySet[Interview]:
    """A visit's interviews as the user may list them (none where they may not)."""
    if not can_view_working_material(user, visit):
        return Interview.objects.none()
    return _annotated(interviews_visible_to(user).filter(visit=visit))


def interviews_listing(user: User | None) -> QuerySet[Interview]:
    """Every interview the user may list, for the API."""
    return _annotated(interviews_visible_to(user))


def _annotated(qs: QuerySet[Interview]) -> QuerySet[Interview]:
    return qs.select_related("visit", "institution", "conducted_by").annotate(
        has_identity=Exists(SealedIdentity.objects.filter(interview=OuterRef("pk"))),
    )


def follow_ups_due(user: User, until: datetime.date | None = None) -> QuerySet[Interview]:
    """Follow-up contacts on the user's page: interviews of visits the user leads, a contact
    planned on or before `until` (default: in a week), not yet made, consent not withdrawn."""
    until = until or timezone.localdate() + datetime.timedelta(days=7)
    led = TeamMember.objects.filter(participant__user=user, is_lead=True).values("visit_id")
    return (
        interviews_visible_to(user)
        .filter(
            visit_id__in=led,
            follow_up_on__isnull=False,
            follow_up_on__lte=until,
            follow_up_done_on__isnull=True,
            consent_withdrawn_on__isnull=True,
        )
        .select_related("visit", "institution")
        .order_by("follow_up_on", "pk")
    )


def interview_access_events(interview: Interview) -> QuerySet[AccessEvent]:
    """Who read this interview's content or unsealed its identity (callers check who may see)."""
    return AccessEvent.objects.filter(
        target_type=interview._meta.label_lower, target_id=str(interview.public_id)
    )


def interview_attachments(interview: Interview) -> QuerySet[Attachment]:
    return interview.attachments.select_related("uploaded_by").order_by("created_at", "pk")

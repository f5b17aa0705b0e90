"""Reads of attachments (metadata), already filtered for the user; the file itself is read
through `services.attachments.attachment_read`, which logs it."""

from django.db.models import QuerySet

from vigil.accounts.models import User

from ..models import Attachment, Finding, Interview, Visit
from ..permissions import attachments_visible_to


def attachments_listing(user: User | None) -> QuerySet[Attachment]:
    return attachments_visible_to(user).select_related(
        "visit", "finding", "interview", "uploaded_by"
    )


def attachments_for_visit(
    user: User,
    visit: Visit,
    *,
    finding: Finding | None = None,
    interview: Interview | None = None,
) -> QuerySet[Attachment]:
    qs = attachments_listing(user).filter(visit=visit)
    if finding is not None:
        qs = qs.filter(finding=finding)
    if interview is not None:
        qs = qs.filter(interview=interview)
    return qs.order_by("created_at", "pk")

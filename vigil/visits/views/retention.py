"""A file's page (what it is, its download, its legal hold and, for those who may, its
sealed chain of custody revealed with a reason and checked against a candidate original),
and the legal hold pages of a visit and of a file."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind
from vigil.core.files.custody import CustodyRecord
from vigil.core.forms import add_service_errors
from vigil.core.holds import legal_hold_response
from vigil.core.retention import active_hold
from vigil.core.reveal import reveal_logged

from ..forms.attachments import CustodyRevealForm
from ..models import AttachmentCustody
from ..permissions import (
    can_hold_attachment,
    can_hold_visit,
    can_read_custody,
    visits_visible_to,
)
from ..selectors.visits import visit_or_404
from ..services.retention import (
    attachment_custody_reveal,
    attachment_hold_change,
    visit_hold_change,
)
from .attachments import _attachment


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def attachment_detail(request: HttpRequest, attachment_id: Any) -> HttpResponse:
    """The file's page; a POST reveals its custody record (reason required, logged)."""
    attachment = _attachment(request, attachment_id)
    user = user_of(request)
    may_read_custody = can_read_custody(user, attachment)
    if request.method == "POST" and not may_read_custody:  # logged as denied, then 403
        reveal_logged(
            lambda: None,
            actor=user,
            kind=AccessKind.CUSTODY_READ,
            target=attachment,
            allowed=False,
            context=RequestContext.from_request(request),
        )
    form = CustodyRevealForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    record: CustodyRecord | None = None
    matches: bool | None = None
    if request.method == "POST" and form.is_valid():
        try:
            record, matches = attachment_custody_reveal(
                actor=user,
                attachment=attachment,
                reason=form.cleaned_data["reason"],
                candidate=_candidate(form),
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    status = 400 if request.method == "POST" and record is None else 200
    return render(
        request,
        "visits/attachment_detail.html",
        {
            "attachment": attachment,
            "visit": attachment.visit,
            "hold": active_hold(attachment) or active_hold(attachment.visit),
            "can_hold": can_hold_attachment(user, attachment),
            "can_read_custody": may_read_custody,
            "has_custody": AttachmentCustody.objects.filter(attachment=attachment).exists(),
            "form": form,
            "record": record,
            "matches": matches,
        },
        status=status,
    )


def _candidate(form: CustodyRevealForm) -> bytes | None:
    upload = form.cleaned_data.get("candidate")
    if upload is None:
        return None
    if upload.size is not None and upload.size > settings.VIGIL_ATTACHMENT_MAX_BYTES:
        raise ValidationError({"candidate": _("This file is larger than any upload accepted.")})
    upload.seek(0)
    data = upload.read()
    return data if isinstance(data, bytes) else data.encode()


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def attachment_hold(request: HttpRequest, attachment_id: Any) -> HttpResponse:
    attachment = _attachment(request, attachment_id)
    user = user_of(request)
    if not can_hold_attachment(user, attachment):
        raise PermissionDenied
    context = RequestContext.from_request(request)
    return legal_hold_response(
        request,
        target=attachment,
        change=lambda place, reason: attachment_hold_change(
            actor=user, attachment=attachment, place=place, reason=reason, context=context
        ),
        title=attachment.original_name,
        back_url=reverse("visits:attachment_detail", args=[attachment.public_id]),
        covers=_("A hold on this file keeps it, and its custody record, past its retention."),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def visit_hold(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    visit = visit_or_404(visits_visible_to(user), user, public_id)
    if not can_hold_visit(user, visit):
        raise PermissionDenied
    context = RequestContext.from_request(request)
    return legal_hold_response(
        request,
        target=visit,
        change=lambda place, reason: visit_hold_change(
            actor=user, visit=visit, place=place, reason=reason, context=context
        ),
        title=visit.reference,
        back_url=reverse("visits:visit_detail", args=[visit.public_id]),
        covers=_(
            "A hold on a visit keeps its interviews (content and sealed identities) and its "
            "files past their retention."
        ),
    )

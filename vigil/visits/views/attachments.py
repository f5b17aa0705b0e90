"""Attachment pages: a visit's photos and documents with the upload form (optionally for one
finding or interview, `?finding=<uuid>` / `?interview=<uuid>`), the download (decrypted,
permission-checked, logged) and removal.

Whoever may not read the visit's working material gets 404; a file on an interview needs the
right to read the interview, else 404 too.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.files.responses import file_download_response
from vigil.core.forms import add_service_errors
from vigil.core.reveal import visible_or_404

from ..forms.attachments import AttachmentUploadForm
from ..models import Attachment, Finding, Interview, Visit
from ..permissions import (
    attachments_visible_to,
    can_delete_attachment,
    can_download_attachment,
    can_read_interview,
    can_upload_attachment,
    interviews_visible_to,
    working_material_visible_to,
)
from ..selectors.attachments import attachments_for_visit
from ..selectors.visits import visit_or_404
from ..services.attachments import (
    UPLOAD_CHECK,
    attachment_delete,
    attachment_read,
    attachment_upload,
)
from .tabs import visit_tabs


def _visit(request: HttpRequest, public_id: Any) -> Visit:
    user = user_of(request)
    return visit_or_404(working_material_visible_to(user), user, public_id)


def _target(request: HttpRequest, visit: Visit) -> tuple[Finding | None, Interview | None]:
    """The finding or interview named in the query string; 404 when not visible."""
    finding = interview = None
    try:
        if request.GET.get("finding"):
            finding = get_object_or_404(visit.findings.all(), public_id=request.GET["finding"])
        if request.GET.get("interview"):
            interview = get_object_or_404(
                interviews_visible_to(user_of(request)).filter(visit=visit),
                public_id=request.GET["interview"],
            )
            if not can_read_interview(user_of(request), interview):
                raise Http404
    except ValidationError:  # not a UUID
        raise Http404 from None
    return finding, interview


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def attachment_list(request: HttpRequest, public_id: Any) -> HttpResponse:
    visit = _visit(request, public_id)
    user = user_of(request)
    finding, interview = _target(request, visit)
    can_upload = can_upload_attachment(user, visit, interview)
    if request.method == "POST" and not can_upload:
        raise PermissionDenied
    initial = {"finding": finding.public_id if finding else None}
    if interview is not None:
        initial["interview"] = interview.public_id
    form = AttachmentUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        visit=visit,
        user=user,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment = attachment_upload(
                actor=user,
                visit=visit,
                file=upload,
                name=upload.name or "",
                description=form.cleaned_data["description"],
                finding=form.cleaned_data["finding"],
                interview=form.cleaned_data["interview"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not add files there."))
        else:
            messages.success(
                request,
                _("“%(name)s” was checked, cleaned of its metadata and stored encrypted.")
                % {"name": attachment.original_name},
            )
            return redirect(request.get_full_path())
    return render(
        request,
        "visits/attachment_list.html",
        {
            "visit": visit,
            "tabs": visit_tabs(user, visit, "attachments"),
            "attachments": _with_delete_rights(
                user, attachments_for_visit(user, visit, finding=finding, interview=interview)
            ),
            "finding": finding,
            "interview": interview,
            "form": form if can_upload else None,
            "max_size": filesizeformat(UPLOAD_CHECK.max_bytes()),
        },
        status=400 if request.method == "POST" else 200,
    )


def _with_delete_rights(
    user: User, attachments: Iterable[Attachment]
) -> list[tuple[Attachment, bool]]:
    """Each file with whether the user may remove it. On one visit the answer depends only on
    whether the file is on an interview and who uploaded it: asked once per such kind."""
    answers: dict[tuple[bool, bool], bool] = {}
    rows = []
    for attachment in attachments:
        key = (attachment.interview_id is not None, attachment.uploaded_by_id == user.pk)
        if key not in answers:
            answers[key] = can_delete_attachment(user, attachment)
        rows.append((attachment, answers[key]))
    return rows


def _attachment(request: HttpRequest, attachment_id: Any) -> Attachment:
    attachment = visible_or_404(
        attachments_visible_to(user_of(request)).select_related("visit", "interview"),
        actor=user_of(request),
        context=RequestContext.from_request(request),
        public_id=attachment_id,
    )
    if not can_download_attachment(user_of(request), attachment):
        raise Http404
    return attachment


@require_GET
def attachment_download(request: HttpRequest, attachment_id: Any) -> HttpResponse:
    attachment = _attachment(request, attachment_id)
    content = attachment_read(
        actor=user_of(request), attachment=attachment, context=RequestContext.from_request(request)
    )
    return file_download_response(content)


@require_POST
def attachment_delete_view(request: HttpRequest, attachment_id: Any) -> HttpResponse:
    attachment = _attachment(request, attachment_id)
    visit = attachment.visit
    attachment_delete(
        actor=user_of(request), attachment=attachment, context=RequestContext.from_request(request)
    )
    messages.success(request, _("The file was removed."))
    return redirect("visits:attachments", public_id=visit.public_id)

"""Interview pages: the list of a visit's interviews (never their content), the form the
interviewer fills on a phone, and the interview page where the content is shown only after
"Show content" and the identity only after an unseal with a reason, each logged.

Anyone who may not list a visit's interviews (agency liaisons, administrators, monitors not
on the team, regional representatives of other regions) gets 404 for every page here.
Every response carries `Cache-Control: no-store`.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors
from vigil.core.reveal import visible_or_404
from vigil.core.submissions import once_per_submission

from ..enums import ConsentScope, Vulnerability
from ..forms.interviews import (
    ConsentWithdrawalForm,
    FollowUpDoneForm,
    InterviewEditForm,
    InterviewForm,
    UnsealForm,
)
from ..models import Interview, Visit
from ..permissions import (
    can_edit_interview,
    can_read_interview,
    can_record_interview,
    can_unseal_identity,
    can_upload_attachment,
    can_work_on_visit,
    embargoed,
    interviews_visible_to,
    working_material_visible_to,
)
from ..selectors.interviews import (
    interview_access_events,
    interview_attachments,
    interviews_for_visit,
)
from ..selectors.visits import visit_or_404
from ..services.interviews import (
    has_sealed_identity,
    identity_unseal,
    interview_create,
    interview_follow_up_done,
    interview_read,
    interview_update,
    interview_withdraw_consent,
)
from .tabs import visit_tabs


def _visit(request: HttpRequest, public_id: Any) -> Visit:
    """Fetch-and-authorize: 404 for a visit that is missing or whose material is not visible."""
    user = user_of(request)
    return visit_or_404(working_material_visible_to(user).select_related("region"), user, public_id)


def _interview(request: HttpRequest, interview_id: Any) -> Interview:
    return visible_or_404(
        interviews_visible_to(user_of(request)).select_related(
            "visit", "visit__region", "institution", "conducted_by"
        ),
        actor=user_of(request),
        context=RequestContext.from_request(request),
        public_id=interview_id,
    )


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@never_cache
@require_safe
def interview_list(request: HttpRequest, public_id: Any) -> HttpResponse:
    visit = _visit(request, public_id)
    user = user_of(request)
    interviews = list(interviews_for_visit(user, visit).order_by("-conducted_on", "-pk"))
    return render(
        request,
        "visits/interview_list.html",
        {
            "visit": visit,
            "tabs": visit_tabs(user, visit, "interviews"),
            "interviews": interviews,
            "can_record": can_record_interview(user, visit),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@once_per_submission
def interview_create_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    visit = _visit(request, public_id)
    user = user_of(request)
    if not can_work_on_visit(user, visit):
        raise PermissionDenied
    form = InterviewForm(request.POST if request.method == "POST" else None, visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            interview = interview_create(
                actor=user,
                visit=visit,
                institution=form.cleaned_data["institution"],
                data=form.metadata(),
                content=form.cleaned_data["content"],
                identity=form.cleaned_data["identity"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Interview recorded."))
            return redirect("visits:interview_detail", interview_id=interview.public_id)
    return render(
        request,
        "visits/interview_form.html",
        {
            "visit": visit,
            "tabs": visit_tabs(user, visit, "interviews"),
            "form": form,
            "creating": True,
            "not_started": embargoed(visit),
        },
    )


def _detail_context(request: HttpRequest, interview: Interview, **extra: Any) -> dict[str, Any]:
    user = user_of(request)
    visit = interview.visit
    can_read = can_read_interview(user, interview)
    can_work = can_edit_interview(user, interview)
    context = {
        "visit": visit,
        "tabs": visit_tabs(user, visit, "interviews"),
        "interview": interview,
        "can_read": can_read,
        "can_unseal": can_unseal_identity(user, interview),
        "can_work": can_work,
        "can_attach": can_read and can_upload_attachment(user, visit, interview),
        "has_identity": has_sealed_identity(interview),
        "content": None,
        "identity": None,
        "unseal_form": UnsealForm(),
        "withdraw_form": ConsentWithdrawalForm(prefix="withdraw"),
        "follow_up_form": FollowUpDoneForm(prefix="follow_up"),
        "attachments": list(interview_attachments(interview)) if can_read else [],
        "consent_labels": [
            str(ConsentScope(s).label) for s in interview.consent_scopes if s in ConsentScope.values
        ],
        "vulnerability_labels": [
            str(Vulnerability(v).label)
            for v in interview.vulnerabilities
            if v in Vulnerability.values
        ],
        "access_events": list(interview_access_events(interview).select_related("actor")[:50]),
    }
    context.update(extra)
    return context


@never_cache
@require_safe
def interview_detail(request: HttpRequest, interview_id: Any) -> HttpResponse:
    interview = _interview(request, interview_id)
    return render(request, "visits/interview_detail.html", _detail_context(request, interview))


@never_cache
@require_POST
def interview_content(request: HttpRequest, interview_id: Any) -> HttpResponse:
    """Show the content: the POST is the explicit request to read it, which is logged."""
    interview = _interview(request, interview_id)
    read = interview_read(
        actor=user_of(request), interview=interview, context=RequestContext.from_request(request)
    )
    shown = {"content": read.content, "present_persons": read.present_persons}
    if _is_htmx(request):
        return render(
            request,
            "visits/interview_content.html",
            {"interview": interview, "can_read": True, **shown},
        )
    return render(
        request,
        "visits/interview_detail.html",
        _detail_context(request, interview, **shown),
    )


@never_cache
@require_POST
def interview_unseal(request: HttpRequest, interview_id: Any) -> HttpResponse:
    """Unseal the real identity, with a reason; logged."""
    interview = _interview(request, interview_id)
    user = user_of(request)
    if not can_unseal_identity(user, interview):
        raise PermissionDenied
    form = UnsealForm(request.POST)
    identity = None
    if form.is_valid():
        try:
            identity = identity_unseal(
                actor=user,
                interview=interview,
                reason=form.cleaned_data["reason"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    extra = {"identity": identity, "unseal_form": form}
    if _is_htmx(request):
        return render(
            request,
            "visits/interview_identity.html",
            _detail_context(request, interview, **extra),
        )
    status = 200 if identity is not None else 400
    return render(
        request,
        "visits/interview_detail.html",
        _detail_context(request, interview, **extra),
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@once_per_submission
def interview_edit(request: HttpRequest, interview_id: Any) -> HttpResponse:
    interview = _interview(request, interview_id)
    user = user_of(request)
    if not (can_work_on_visit(user, interview.visit) and can_read_interview(user, interview)):
        raise PermissionDenied
    form = InterviewEditForm(
        request.POST if request.method == "POST" else None, interview=interview
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = interview_update(
                actor=user,
                interview=interview,
                data=form.metadata(),
                content_addition=form.cleaned_data["content_addition"],
                identity=form.cleaned_data["identity"] or None,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changes:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("visits:interview_detail", interview_id=interview.public_id)
    return render(
        request,
        "visits/interview_form.html",
        {
            "visit": interview.visit,
            "tabs": visit_tabs(user, interview.visit, "interviews"),
            "form": form,
            "interview": interview,
            "has_identity": has_sealed_identity(interview),
        },
    )


@never_cache
@require_POST
def interview_withdraw_consent_view(request: HttpRequest, interview_id: Any) -> HttpResponse:
    interview = _interview(request, interview_id)
    user = user_of(request)
    form = ConsentWithdrawalForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            interview_withdraw_consent(
                actor=user,
                interview=interview,
                on_date=form.cleaned_data["on_date"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Consent withdrawn: the interview is left out of every report and export."),
            )
            return redirect("visits:interview_detail", interview_id=interview.public_id)
    return render(
        request,
        "visits/interview_detail.html",
        _detail_context(request, interview, withdraw_form=form),
        status=400,
    )


@never_cache
@require_POST
def interview_follow_up_done_view(request: HttpRequest, interview_id: Any) -> HttpResponse:
    interview = _interview(request, interview_id)
    user = user_of(request)
    form = FollowUpDoneForm(request.POST, prefix="follow_up")
    if form.is_valid():
        try:
            interview_follow_up_done(
                actor=user,
                interview=interview,
                on_date=form.cleaned_data["on_date"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Follow-up contact marked as made."))
            return redirect("visits:interview_detail", interview_id=interview.public_id)
    return render(
        request,
        "visits/interview_detail.html",
        _detail_context(request, interview, follow_up_form=form),
        status=400,
    )

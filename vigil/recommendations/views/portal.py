"""The agency portal (liaisons): the recommendations addressed to their agency and its
sub-units, each with its responses, and the response form; the download of a response's
attachment for everyone who sees the recommendation.

Only liaisons use the portal (403 for other roles, who have the recommendations pages);
a recommendation outside the liaison's subtree, or a draft, answers 404. The response form
also serves the NPM recording an answer received by letter (from the recommendation's page).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.contributions import page_sections
from vigil.core.files.pending import (
    KEPT_FIELD,
    pending_drop,
    pending_files,
    pending_token,
    pending_uploads,
)
from vigil.core.files.responses import file_download_response
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response

from ..deadlines import DeadlineWindow, deadline_status, due_soon_days
from ..enums import EventKind
from ..forms.responses import ResponseForm
from ..listings.lists import PORTAL_LIST
from ..models import AuthorityResponse, PendingResponseFile, Recommendation
from ..permissions import (
    can_submit_response,
    can_use_agency_portal,
    can_view_recommendation,
    is_agency_scoped,
    recommendations_visible_to,
    response_attachments_visible_to,
)
from ..selectors.portal import (
    portal_recommendations,
    responses_for,
)
from ..services.responses import UPLOAD_CHECK, response_attachment_read, response_submit


def _portal_user(request: HttpRequest) -> User:
    user = user_of(request)
    if not can_use_agency_portal(user):
        raise PermissionDenied
    return user


def _portal_recommendation(request: HttpRequest, public_id: Any) -> Recommendation:
    return get_object_or_404(portal_recommendations(_portal_user(request)), public_id=public_id)


def _summary_links(window: DeadlineWindow, qs: QuerySet[Recommendation]) -> dict[str, int]:
    return {
        "total": qs.count(),
        "overdue": qs.filter(window.overdue_q()).count(),
        "due_soon": qs.filter(window.due_soon_q()).count(),
    }


@require_safe
def portal_list(request: HttpRequest) -> HttpResponse:
    user = _portal_user(request)
    window = DeadlineWindow.on()
    return list_response(
        request,
        PORTAL_LIST,
        template="recommendations/portal_list.html",
        results_id="portal-results",
        partial="recommendations/portal_table.html",
        context={
            "summary": _summary_links(window, portal_recommendations(user)),
            "due_soon_days": due_soon_days(),
            "agency": user.agency,
        },
    )


def _timeline(recommendation: Recommendation) -> list[Any]:
    return list(
        recommendation.events.exclude(kind=EventKind.IMPORTED)
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )


@require_safe
def portal_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    recommendation = _portal_recommendation(request, public_id)
    user = user_of(request)
    responses = responses_for(user, recommendation)
    latest = responses[-1] if responses else None
    # What other apps show on the recommendation's page, within their own policies.
    sections, section_templates = page_sections(
        "recommendations.recommendation", user, recommendation
    )
    return render(
        request,
        "recommendations/portal_detail.html",
        {
            **sections,
            "section_templates": section_templates,
            "recommendation": recommendation,
            "rec": recommendation,
            "deadline": deadline_status(recommendation.state, recommendation.deadline),
            "responses": responses,
            "latest_response": latest,
            "assessments": list(
                recommendation.assessments.select_related("response").order_by("created_at", "pk")
            ),
            "timeline": _timeline(recommendation),
            "can_respond": can_submit_response(user, recommendation),
            "due_soon_days": due_soon_days(),
        },
    )


def _respondable(request: HttpRequest, public_id: Any) -> Recommendation:
    """The recommendation to answer: a liaison's own (404 otherwise); for the NPM, one it
    sees (404) and may record an answer to (403)."""
    user = user_of(request)
    if is_agency_scoped(user):
        return _portal_recommendation(request, public_id)
    recommendation = get_object_or_404(
        recommendations_visible_to(user).select_related("addressee", "institution"),
        public_id=public_id,
    )
    if not can_view_recommendation(user, recommendation):
        raise Http404
    return recommendation


def _corrected(request: HttpRequest, recommendation: Recommendation) -> AuthorityResponse | None:
    value = request.GET.get("corrects") or request.POST.get("corrects")
    if not value:
        return None
    try:
        return get_object_or_404(recommendation.responses.all(), public_id=value)
    except ValidationError:  # not a UUID
        raise Http404 from None


def _back_url(user: User, recommendation: Recommendation) -> str:
    if is_agency_scoped(user):
        return reverse(
            "recommendations:portal_detail", kwargs={"public_id": recommendation.public_id}
        )
    return reverse("recommendations:detail", kwargs={"public_id": recommendation.public_id})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def response_create_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    recommendation = _respondable(request, public_id)
    user = user_of(request)
    if not can_submit_response(user, recommendation):
        raise PermissionDenied
    corrects = _corrected(request, recommendation)
    posted = request.method == "POST"
    form = ResponseForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        user=user,
        recommendation=recommendation,
        corrects=corrects,
    )
    kept = (
        pending_uploads(PendingResponseFile, user, request.POST.getlist(KEPT_FIELD))
        if posted
        else []
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            response_submit(
                actor=user,
                recommendation=recommendation,
                responding_agency=data["responding_agency"],
                letter_number=data["letter_number"],
                letter_date=data["letter_date"],
                measures=data["measures"],
                claimed_status=data["claimed_status"],
                attachments=[*pending_files(kept), *data["attachments"]],
                corrects=corrects,
                expected_state=request.POST.get("expected_state") or None,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not answer this recommendation."))
        else:
            pending_drop(kept)
            messages.success(
                request,
                _("Your response was recorded. It cannot be changed; send a correction if needed.")
                if corrects is None
                else _("Your correction was recorded as a new response."),
            )
            return redirect(_back_url(user, recommendation))
    if posted:
        form.keep_files(user, kept)
    return render(
        request,
        "recommendations/response_form.html",
        {
            "recommendation": recommendation,
            "form": form,
            "kept_files": [(upload, pending_token(upload)) for upload in kept],
            "kept_field": KEPT_FIELD,
            "corrects": corrects,
            "deadline": deadline_status(recommendation.state, recommendation.deadline),
            "back_url": _back_url(user, recommendation),
            "max_size": filesizeformat(UPLOAD_CHECK.max_bytes()),
        },
        status=400 if posted else 200,
    )


@require_GET
def response_attachment_download(request: HttpRequest, attachment_id: Any) -> HttpResponse:
    attachment = get_object_or_404(
        response_attachments_visible_to(user_of(request)), public_id=attachment_id
    )
    content = response_attachment_read(
        actor=user_of(request), attachment=attachment, context=RequestContext.from_request(request)
    )
    return file_download_response(content)

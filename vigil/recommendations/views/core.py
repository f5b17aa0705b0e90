"""Pages for recommendations: the list, the recommendation page with its life-cycle buttons
and assessments, drafting, and issuing the recommendations of an approved visit report.

Thin edge: permissions come from `..permissions`, reads from `..selectors.core`, writes from
`..services`. What is missing or not visible answers 404.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.contributions import page_sections
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response
from vigil.visits.models import Visit
from vigil.visits.permissions import can_view_working_material

from .. import workflow
from ..enums import Source, State
from ..filters import PAGE_FILTERS
from ..forms.core import AssessmentForm, RecommendationForm, TransitionForm
from ..listings.lists import APPROVED_REPORTS, RECOMMENDATION_LIST
from ..models import Recommendation
from ..permissions import (
    can_assess_recommendation,
    can_create_recommendation,
    can_delete_recommendation,
    can_edit_recommendation,
    can_escalate_recommendation,
    can_issue_for_visit,
    can_issue_recommendation,
    can_issue_recommendations,
    can_record_letter,
    can_respond_to_recommendation,
)
from ..selectors.core import (
    assessments_of,
    get_recommendation,
    get_visit_for_issuing,
    linked_findings,
    related_of,
    report_finding,
    report_findings,
    responses_of,
    timeline_of,
    visit_recommendations,
)
from ..services.assessments import recommendation_assess
from ..services.drafts import recommendation_create, recommendation_delete, recommendation_update
from ..services.issuing import (
    issue_readiness_errors,
    recommendation_issue,
    recommendations_issue_for_visit,
)
from ..services.lifecycle import recommendation_transition
from ..workflow import Via


def _link_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _url_or_none(name: str, **kwargs: Any) -> str | None:
    """A page another feature provides, when it is there."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


# ---------------------------------------------------------------- list


@require_safe
def recommendation_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return list_response(
        request,
        RECOMMENDATION_LIST,
        template="recommendations/list.html",
        results_id="recommendation-results",
        partial="recommendations/_list_table.html",
        context={
            "page_filters": PAGE_FILTERS,
            "can_create": can_create_recommendation(user),
            "can_issue": can_issue_recommendations(user),
        },
    )


# ---------------------------------------------------------------- the recommendation page


def _moves(user: User, rec: Recommendation) -> list[workflow.Transition]:
    return workflow.available(user, rec, Via.MANUAL)


@require_safe
def recommendation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    rec = get_recommendation(user, public_id)
    findings = linked_findings(rec)
    # What other apps show on the recommendation's page (the UN paragraphs it is linked to).
    sections, section_templates = page_sections("recommendations.recommendation", user, rec)
    context: dict[str, Any] = {
        **sections,
        "section_templates": section_templates,
        "rec": rec,
        "findings": findings,
        "findings_linkable": bool(rec.visit and can_view_working_material(user, rec.visit)),
        "assessments": list(assessments_of(rec)),
        "timeline": list(timeline_of(rec)),
        "related": related_of(rec, user),
        "moves": _moves(user, rec),
        "can_edit": can_edit_recommendation(user, rec),
        "can_delete": can_delete_recommendation(user, rec),
        "can_issue": can_issue_recommendation(user, rec),
        "issue_errors": issue_readiness_errors(rec) if rec.state == State.DRAFT else {},
        "can_assess": can_assess_recommendation(user, rec),
        "can_respond": can_respond_to_recommendation(user, rec),
        "can_escalate": can_escalate_recommendation(user, rec),
        "responses_partial": _template_exists("recommendations/_responses.html"),
        "responses": responses_of(rec),
        "can_record_response": can_record_letter(user, rec),
        "escalation_partial": _template_exists("recommendations/_escalation_actions.html"),
    }
    if context["can_respond"]:
        context["respond_url"] = _url_or_none(
            "recommendations:response_create", public_id=rec.public_id
        )
    if context["can_assess"]:
        form = AssessmentForm(user=user, recommendation=rec)
        context["assessment_form"] = form if form.fields["verdict"].choices else None  # type: ignore[attr-defined]
    return render(request, "recommendations/detail.html", context)


@require_POST
def recommendation_transition_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    rec = get_recommendation(user, public_id)
    if not workflow.TABLE.may_move(user, rec, Via.MANUAL):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The change could not be read; try again."))
        return redirect("recommendations:detail", public_id=rec.public_id)
    data = form.cleaned_data
    try:
        rec = recommendation_transition(
            actor=user,
            recommendation=rec,
            to_state=data["to_state"],
            note=data.get("note") or "",
            deadline=data.get("deadline"),
            expected_state=data.get("expected_state") or None,
            via=Via.MANUAL,
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The recommendation is now “%(state)s”.") % {"state": rec.get_state_display()},
        )
    return redirect("recommendations:detail", public_id=rec.public_id)


@require_POST
def recommendation_issue_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    rec = get_recommendation(user, public_id)
    if not can_issue_recommendation(user, rec):
        raise PermissionDenied
    try:
        rec = recommendation_issue(
            actor=user,
            recommendation=rec,
            link_base=_link_base(request),
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Recommendation %(reference)s issued; deadline %(deadline)s.")
            % {"reference": rec.reference, "deadline": rec.deadline},
        )
    return redirect("recommendations:detail", public_id=rec.public_id)


def recommendation_assess_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    rec = get_recommendation(user, public_id)
    if not can_assess_recommendation(user, rec):
        raise PermissionDenied
    form = AssessmentForm(
        request.POST if request.method == "POST" else None, user=user, recommendation=rec
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation_assess(
                actor=user,
                recommendation=rec,
                verdict=data["verdict"],
                reasons=data.get("reasons") or "",
                visit=data.get("visit"),
                deadline=data.get("deadline"),
                expected_state=data.get("expected_state") or None,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("recommendations:detail", public_id=rec.public_id)
    return render(request, "recommendations/assess.html", {"rec": rec, "form": form})


# ---------------------------------------------------------------- drafts


def _form_page(
    request: HttpRequest,
    form: RecommendationForm,
    *,
    rec: Recommendation | None = None,
    visit: Visit | None = None,
) -> HttpResponse:
    return render(
        request,
        "recommendations/form.html",
        {"form": form, "rec": rec, "visit": visit, "creating": rec is None},
    )


def recommendation_create_view(request: HttpRequest, visit_id: str | None = None) -> HttpResponse:
    user = user_of(request)
    visit = None
    if visit_id is not None:
        visit = _visit_for_issuing(user, visit_id)
    elif not can_create_recommendation(user):
        raise PermissionDenied
    finding = None
    if visit is not None and request.method != "POST":
        finding = report_finding(visit, request.GET.get("finding", ""))
    form = RecommendationForm(
        request.POST if request.method == "POST" else None, user=user, visit=visit, finding=finding
    )
    if request.method == "POST" and form.is_valid():
        data, findings = form.service_data()
        try:
            rec = recommendation_create(
                actor=user,
                data=data,
                findings=findings or (),
                context=RequestContext.from_request(request),
            )
        except PermissionDenied:
            form.add_error(None, _("You may not draft a recommendation for this addressee."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Draft %(reference)s saved.") % {"reference": rec.reference}
            )
            if visit is not None and "add_another" in request.POST:
                return redirect("recommendations:visit_recommendation_create", visit.public_id)
            if visit is not None:
                return redirect("recommendations:issue_visit", visit.public_id)
            return redirect("recommendations:detail", public_id=rec.public_id)
    return _form_page(request, form, visit=visit)


def recommendation_edit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    rec = get_recommendation(user, public_id)
    if not can_edit_recommendation(user, rec):
        if rec.state != State.DRAFT:
            messages.info(request, _("Only a draft can be changed; this one has been issued."))
            return redirect("recommendations:detail", public_id=rec.public_id)
        raise PermissionDenied
    visit = rec.visit if rec.source == Source.VISIT_REPORT else None
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        user=user,
        visit=visit,
        recommendation=rec,
        initial=RecommendationForm.initial_for(rec),
    )
    if request.method == "POST" and form.is_valid():
        data, findings = form.service_data()
        try:
            recommendation_update(
                actor=user,
                recommendation=rec,
                data=data,
                findings=findings,
                context=RequestContext.from_request(request),
            )
        except PermissionDenied:
            form.add_error(None, _("You may not move this recommendation out of your scope."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("recommendations:detail", public_id=rec.public_id)
    return _form_page(request, form, rec=rec, visit=visit)


@require_POST
def recommendation_delete_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    rec = get_recommendation(user, public_id)
    if not can_delete_recommendation(user, rec):
        raise PermissionDenied
    visit = rec.visit
    try:
        recommendation_delete(
            actor=user, recommendation=rec, context=RequestContext.from_request(request)
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("recommendations:detail", public_id=rec.public_id)
    messages.success(request, _("Draft %(reference)s deleted.") % {"reference": rec.reference})
    if visit is not None:
        return redirect("recommendations:issue_visit", visit.public_id)
    return redirect("recommendations:list")


# ---------------------------------------------------------------- issuing from a visit report


def _visit_for_issuing(user: User, visit_id: str) -> Visit:
    """A visit whose recommendations the user may draft and issue; 404 otherwise (its drafts
    are not for everyone who may see the visit)."""
    visit = get_visit_for_issuing(user, visit_id)
    if not can_issue_for_visit(user, visit.region_id):
        raise Http404
    return visit


@require_safe
def issue_index(request: HttpRequest) -> HttpResponse:
    """Approved visit reports and the drafts that wait to be issued."""
    return list_response(
        request,
        APPROVED_REPORTS,
        template="recommendations/issue_index.html",
        results_id="issue-results",
        partial="recommendations/_issue_index_table.html",
    )


@require_safe
def issue_visit(request: HttpRequest, visit_id: str) -> HttpResponse:
    """The recommendations of one approved report: its findings, the drafts, and "Issue all"."""
    user = user_of(request)
    visit = _visit_for_issuing(user, visit_id)
    report = getattr(visit, "report", None)
    recs = list(visit_recommendations(visit, user))
    drafts = [r for r in recs if r.state == State.DRAFT]
    return render(
        request,
        "recommendations/issue_visit.html",
        {
            "visit": visit,
            "report": report,
            "approved": report is not None and report.state == "approved",
            "findings": report_findings(visit),
            "drafts": drafts,
            "issued": [r for r in recs if r.state != State.DRAFT],
            "can_issue_all": bool(drafts),
        },
    )


@require_POST
def issue_visit_all(request: HttpRequest, visit_id: str) -> HttpResponse:
    user = user_of(request)
    visit = _visit_for_issuing(user, visit_id)
    try:
        issued = recommendations_issue_for_visit(
            actor=user,
            visit=visit,
            link_base=_link_base(request),
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d recommendation issued to its addressee.",
                "%(count)d recommendations issued to their addressees.",
                len(issued),
            )
            % {"count": len(issued)},
        )
    return redirect("recommendations:issue_visit", visit.public_id)

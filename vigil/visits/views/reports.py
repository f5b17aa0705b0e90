"""Pages for the visit report: the draft, its review and approval, and its exports.

Thin edges over `vigil.visits.services.reports`; a visit whose working material the user
may not read answers 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors

from ..forms.reports import ReportForm, ReportMoveForm, ReportStartForm
from ..models import Visit, VisitReport
from ..permissions import can_edit_report, can_work_on_visit
from ..selectors.findings import evidence_summary, group_by_theme, working_visit
from ..selectors.reports import (
    interview_counts,
    report_of,
    report_timeline,
    selected_findings,
)
from ..services.reports import (
    available_report_moves,
    can_start_report,
    default_language,
    may_move_report,
    may_start_report,
    report_create,
    report_export,
    report_transition,
    report_update,
)
from .tabs import visit_tabs


def _page(
    request: HttpRequest,
    visit: Visit,
    report: VisitReport | None,
    form: ReportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = user_of(request)
    context: dict[str, object] = {
        "visit": visit,
        "tabs": visit_tabs(user, visit, "report"),
        "report": report,
    }
    if report is None:
        context["can_start"] = can_start_report(user, visit)
        context["start_form"] = ReportStartForm(initial={"language": default_language(visit)})
    else:
        editable = can_edit_report(user, report)
        if editable and form is None:
            form = ReportForm(instance=report, visit=visit)
        findings = selected_findings(report)
        context.update(
            {
                "form": form if editable else None,
                "moves": available_report_moves(user, report),
                "move_form": ReportMoveForm(),
                "groups": [
                    {
                        "label": g.label,
                        "rows": [
                            {"finding": f, "evidence": evidence_summary(f)} for f in g.findings
                        ],
                    }
                    for g in group_by_theme(findings)
                ],
                "finding_count": len(findings),
                "interview_counts": interview_counts(visit),
                "timeline": report_timeline(report),
            }
        )
    return render(request, "visits/report_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def report_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    visit = working_visit(user_of(request), public_id)
    report = report_of(visit)
    if request.method != "POST":
        return _page(request, visit, report)
    if report is None:
        raise Http404
    if not can_work_on_visit(user_of(request), visit):
        raise PermissionDenied
    form = ReportForm(request.POST, instance=VisitReport.objects.get(pk=report.pk), visit=visit)
    if form.is_valid():
        try:
            changes = report_update(
                actor=user_of(request),
                report=report,
                data=form.service_data(),
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            if can_edit_report(user_of(request), report):
                add_service_errors(form, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("visits:report", public_id=visit.public_id)
        else:
            if changes:
                messages.success(request, _("The report is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("visits:report", public_id=visit.public_id)
    return _page(request, visit, report_of(visit), form=form)


@require_POST
def report_start(request: HttpRequest, public_id: str) -> HttpResponse:
    visit = working_visit(user_of(request), public_id)
    if not may_start_report(user_of(request), visit):
        raise PermissionDenied
    form = ReportStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the language of the report."))
        return redirect("visits:report", public_id=visit.public_id)
    try:
        report_create(
            actor=user_of(request),
            visit=visit,
            language=form.cleaned_data["language"],
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is started."))
    return redirect("visits:report", public_id=visit.public_id)


@require_POST
def report_step(request: HttpRequest, public_id: str) -> HttpResponse:
    visit = working_visit(user_of(request), public_id)
    report = report_of(visit)
    if report is None:
        raise Http404
    if not may_move_report(user_of(request), report):
        raise PermissionDenied
    form = ReportMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a step for the report."))
        return redirect("visits:report", public_id=visit.public_id)
    try:
        report = report_transition(
            actor=user_of(request),
            report=report,
            action=form.cleaned_data["action"],
            note=form.cleaned_data["note"],
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The report is now “%(state)s”.") % {"state": report.get_state_display()},
        )
    return redirect("visits:report", public_id=visit.public_id)


def _export(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    visit = working_visit(user_of(request), public_id)
    report = report_of(visit)
    if report is None:
        raise Http404
    exported = report_export(
        actor=user_of(request),
        report=report,
        fmt="pdf" if fmt == "pdf" else "docx",
        context=RequestContext.from_request(request),
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = content_disposition_header(True, exported.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def report_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    return _export(request, public_id, "pdf")


@require_safe
def report_docx(request: HttpRequest, public_id: str) -> HttpResponse:
    return _export(request, public_id, "docx")

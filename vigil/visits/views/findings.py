"""Pages for findings and internal notes: thin edges over the services and selectors.

Visits whose working material the user may not read answer 404 (whether they exist or
not); a user who may read but not write gets 403 on the write pages.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.contributions import page_sections
from vigil.core.forms import add_service_errors
from vigil.core.submissions import once_per_submission

from ..forms.findings import FindingForm, NoteForm, finding_filter_for_visit
from ..models import Finding, Visit
from ..permissions import can_work_on_visit, can_write_findings
from ..selectors.findings import (
    answer_text,
    evidence_summary,
    finding_for,
    findings_of,
    group_by_theme,
    notes_of,
    working_visit,
)
from ..services.findings import (
    finding_create,
    finding_delete,
    finding_update,
    findings_refusal,
    note_create,
)
from .tabs import visit_tabs

NOTES_PAGE_SIZE = 50


def _base(request: HttpRequest, visit: Visit, active: str) -> dict[str, Any]:
    return {"visit": visit, "tabs": visit_tabs(user_of(request), visit, active)}


def _download_url(attachment_id: object) -> str | None:
    try:
        return reverse("visits:attachment_download", args=[attachment_id])
    except NoReverseMatch:  # the attachments feature is not installed
        return None


def _rows(findings: list[Finding]) -> list[dict[str, Any]]:
    return [{"finding": f, "evidence": evidence_summary(f)} for f in findings]


@require_safe
def finding_list(request: HttpRequest, public_id: str) -> HttpResponse:
    visit = working_visit(user_of(request), public_id)
    filterset = finding_filter_for_visit(visit, request.GET, findings_of(visit))
    findings = list(filterset.qs)
    groups = [
        {"theme": g.theme, "label": g.label, "rows": _rows(g.findings)}
        for g in group_by_theme(findings)
    ]
    context = {
        **_base(request, visit, "findings"),
        "filter": filterset,
        "groups": groups,
        "count": len(findings),
        "can_write": can_write_findings(user_of(request), visit),
        "refusal": findings_refusal(visit) if can_work_on_visit(user_of(request), visit) else None,
    }
    return render(request, "visits/finding_list.html", context)


def _writable_visit(request: HttpRequest, public_id: str) -> tuple[Visit, str | None]:
    visit = working_visit(user_of(request), public_id)
    if not can_work_on_visit(user_of(request), visit):
        raise PermissionDenied
    return visit, findings_refusal(visit)


@require_http_methods(["GET", "HEAD", "POST"])
@once_per_submission
def finding_create_view(request: HttpRequest, public_id: str) -> HttpResponse:
    visit, refusal = _writable_visit(request, public_id)
    if refusal:
        messages.error(request, refusal)
        return redirect("visits:findings", public_id=visit.public_id)
    form = FindingForm(request.POST if request.method == "POST" else None, visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            finding = finding_create(
                actor=user_of(request),
                visit=visit,
                data=form.service_data(),
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Finding recorded."))
            return redirect("visits:finding_detail", public_id=finding.public_id)
    return render(
        request,
        "visits/finding_form.html",
        {**_base(request, visit, "findings"), "form": form, "creating": True},
    )


@require_safe
def finding_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    finding = finding_for(user_of(request), public_id)
    visit = finding.visit
    attachments = [
        {"attachment": a, "download_url": _download_url(a.public_id)}
        for a in finding.attachments.all()
    ]
    report = getattr(visit, "report", None)
    # What other apps show on the finding's page (the recommendations answering it).
    sections, section_templates = page_sections("visits.finding", user_of(request), finding)
    context = {
        **sections,
        "section_templates": section_templates,
        **_base(request, visit, "findings"),
        "finding": finding,
        "evidence": evidence_summary(finding),
        "answers": [{"answer": a, "text": answer_text(a)} for a in finding.answers.all()],
        "attachments": attachments,
        "in_report": report is not None and report.findings.filter(pk=finding.pk).exists(),
        "can_write": can_write_findings(user_of(request), visit),
    }
    return render(request, "visits/finding_detail.html", context)


def _editable_finding(request: HttpRequest, public_id: str) -> tuple[Finding, str | None]:
    finding = finding_for(user_of(request), public_id)
    if not can_work_on_visit(user_of(request), finding.visit):
        raise PermissionDenied
    return finding, findings_refusal(finding.visit)


@require_http_methods(["GET", "HEAD", "POST"])
@once_per_submission
def finding_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    finding, refusal = _editable_finding(request, public_id)
    visit = finding.visit
    if refusal:
        messages.error(request, refusal)
        return redirect("visits:finding_detail", public_id=finding.public_id)
    form = FindingForm(
        request.POST if request.method == "POST" else None,
        instance=Finding.objects.get(pk=finding.pk),
        visit=visit,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = finding_update(
                actor=user_of(request),
                finding=finding,
                data=form.service_data(),
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changes:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("visits:finding_detail", public_id=finding.public_id)
    return render(
        request,
        "visits/finding_form.html",
        {**_base(request, visit, "findings"), "form": form, "finding": finding},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def finding_delete_view(request: HttpRequest, public_id: str) -> HttpResponse:
    finding, refusal = _editable_finding(request, public_id)
    visit = finding.visit
    if refusal:
        messages.error(request, refusal)
        return redirect("visits:finding_detail", public_id=finding.public_id)
    if request.method == "POST":
        try:
            finding_delete(
                actor=user_of(request),
                finding=finding,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("visits:finding_detail", public_id=finding.public_id)
        messages.success(request, _("Finding deleted."))
        return redirect("visits:findings", public_id=visit.public_id)
    return render(
        request,
        "visits/finding_confirm_delete.html",
        {
            **_base(request, visit, "findings"),
            "finding": finding,
            "attachment_count": len(finding.attachments.all()),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@once_per_submission
def note_list(request: HttpRequest, public_id: str) -> HttpResponse:
    visit = working_visit(user_of(request), public_id)
    can_write = can_work_on_visit(user_of(request), visit)
    form = None
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                note_create(
                    actor=user_of(request),
                    visit=visit,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                    context=RequestContext.from_request(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Note added."))
                return redirect("visits:notes", public_id=visit.public_id)
    elif can_write:
        form = NoteForm()
    page = Paginator(notes_of(visit), NOTES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "visits/note_list.html",
        {**_base(request, visit, "notes"), "form": form, "page": page},
    )

"""Pages of the consolidated annual report: the years (and a new year's report), one year's
report (titles and state, the narrative per language, builds in kk/ru/en with their progress
polled by htmx, downloads), and the note that the data changed since the last build.

Who may do what is `permissions.py`'s (annual report block): anyone else gets 404.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.files.responses import file_download_response
from vigil.core.forms import add_service_errors

from ..chapters import LANGUAGES
from ..forms.reports import BuildForm, NarrativeForm, ReportCreateForm, ReportSettingsForm
from ..models import AnnualReport, ReportBuild, ReportLanguage, ReportSection
from ..permissions import (
    annual_reports_visible_to,
    can_build_annual_report,
    can_edit_annual_report,
    can_manage_annual_reports,
    can_read_annual_reports,
)
from ..selectors.report import builds_of, data_changed, latest_builds
from ..services.report import (
    annual_report_build_request,
    annual_report_create,
    annual_report_file_read,
    annual_report_sections_save,
    annual_report_update,
)
from ..tasks import enqueue_build


def _report(request: HttpRequest, year: int) -> AnnualReport:
    return get_object_or_404(annual_reports_visible_to(user_of(request)), year=year)


def _language(value: str | None) -> str:
    if value in LANGUAGES:
        return str(value)
    active = (get_language() or "ru")[:2]
    return active if active in LANGUAGES else "ru"


@never_cache
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_read_annual_reports(user):
        raise Http404
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST":
        if not can_manage_annual_reports(user):
            raise PermissionDenied
        if form.is_valid():
            try:
                report = annual_report_create(
                    actor=user,
                    year=form.cleaned_data["year"],
                    context=RequestContext.from_request(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The report is created."))
                return redirect("analytics:report_detail", year=report.year)
    reports = annual_reports_visible_to(user).order_by("-year")
    latest = {r.pk: latest_builds(r) for r in reports}
    rows = [(r, [latest[r.pk].get(lang) for lang in LANGUAGES]) for r in reports]
    return render(
        request,
        "analytics/report_list.html",
        {
            "rows": rows,
            "languages": ReportLanguage.choices,
            "form": form,
            "can_manage": can_manage_annual_reports(user),
        },
    )


def _detail_context(
    request: HttpRequest,
    report: AnnualReport,
    language: str,
    narrative: NarrativeForm | None = None,
    settings_form: ReportSettingsForm | None = None,
) -> dict[str, Any]:
    user = user_of(request)
    if narrative is None:
        sections = {s.key: s.text(language) for s in ReportSection.objects.filter(report=report)}
        narrative = NarrativeForm(initial=sections, language=language)
    if settings_form is None:
        settings_form = ReportSettingsForm(
            initial={
                "title_kk": report.title_kk,
                "title_ru": report.title_ru,
                "title_en": report.title_en,
                "state": report.state,
            }
        )
    return {
        "report": report,
        "language": language,
        "languages": ReportLanguage.choices,
        "narrative": narrative,
        "settings_form": settings_form,
        "build_form": BuildForm(initial={"language": language}, auto_id="build_%s"),
        "builds": builds_of(report)[:12],
        "can_edit": can_edit_annual_report(user, report),
        "can_build": can_build_annual_report(user, report),
    }


@never_cache
@require_GET
def report_detail(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request, year)
    language = _language(request.GET.get("lang"))
    return render(
        request, "analytics/report_detail.html", _detail_context(request, report, language)
    )


@require_POST
def report_narrative(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request, year)
    user = user_of(request)
    if not can_edit_annual_report(user, report):
        raise PermissionDenied
    language = _language(request.POST.get("language"))
    form = NarrativeForm(request.POST, language=language)
    if form.is_valid():
        try:
            annual_report_sections_save(
                actor=user,
                report=report,
                language=language,
                texts=form.texts(),
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The narrative is saved."))
            detail = reverse("analytics:report_detail", args=[report.year])
            return redirect(f"{detail}?lang={language}")
    context = _detail_context(request, report, language, narrative=form)
    return render(request, "analytics/report_detail.html", context, status=400)


@require_POST
def report_settings(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request, year)
    user = user_of(request)
    if not can_edit_annual_report(user, report):
        raise PermissionDenied
    form = ReportSettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            annual_report_update(
                actor=user,
                report=report,
                titles={lang: data[f"title_{lang}"] for lang in LANGUAGES},
                state=data["state"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report is saved."))
            return redirect("analytics:report_detail", year=report.year)
    report.refresh_from_db()
    language = _language(None)
    context = _detail_context(request, report, language, settings_form=form)
    return render(request, "analytics/report_detail.html", context, status=400)


@require_POST
def report_build(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request, year)
    user = user_of(request)
    if not can_build_annual_report(user, report):
        raise PermissionDenied
    form = BuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the language of the build."))
        return redirect("analytics:report_detail", year=report.year)
    build = annual_report_build_request(
        actor=user,
        report=report,
        language=form.cleaned_data["language"],
        context=RequestContext.from_request(request),
    )
    enqueue_build(build)
    messages.success(request, _("The build has started; this page shows its progress."))
    return redirect("analytics:report_detail", year=report.year)


def _build(request: HttpRequest, year: int, build_id: Any) -> ReportBuild:
    report = _report(request, year)
    return get_object_or_404(builds_of(report), public_id=build_id)


@never_cache
@require_GET
def build_status(request: HttpRequest, year: int, build_id: Any) -> HttpResponse:
    """The progress of one build (polled every 2 s by htmx until it is finished)."""
    build = _build(request, year, build_id)
    response = render(
        request, "analytics/_report_build.html", {"build": build, "report": build.report}
    )
    if build.finished:
        response["HX-Trigger"] = "report-build-finished"  # the freshness note is read again
    return response


@require_GET
def build_download(request: HttpRequest, year: int, build_id: Any, kind: str) -> HttpResponse:
    build = _build(request, year, build_id)
    if kind not in ("pdf", "docx"):
        raise Http404
    try:
        content = annual_report_file_read(
            actor=user_of(request),
            build=build,
            kind=kind,  # type: ignore[arg-type]
            context=RequestContext.from_request(request),
        )
    except ValidationError:
        raise Http404 from None
    return file_download_response(content)


@never_cache
@require_GET
def report_freshness(request: HttpRequest, year: int) -> HttpResponse:
    """Whether the data changed since the last build in each language (loaded after the page,
    since it counts the report's figures again)."""
    report = _report(request, year)
    changed = data_changed(report)
    rows = [
        (code, label, changed[code]) for code, label in ReportLanguage.choices if code in changed
    ]
    return render(request, "analytics/_report_freshness.html", {"rows": rows})

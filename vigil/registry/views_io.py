"""Registry import (upload → preview → confirm), the import template, and exports."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import StyledForm

from .exporting import FORMATS, institutions_export
from .exporting import import_template as build_import_template
from .filters import institution_listing
from .importing import (
    CREATE,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    UNCHANGED,
    UPDATE,
    ImportBatchClosedError,
    ImportFileError,
    ImportValidationError,
    import_batch_apply,
    import_batch_create,
    size_error,
)
from .models import ImportBatch, Institution
from .permissions import can_import_institutions, can_view_registry, import_batches_visible_to

PREVIEW_LIMIT = 1000


def _require_importer(request: HttpRequest) -> None:
    if not can_import_institutions(user_of(request)):
        raise PermissionDenied


def _attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------


def _listed_institutions(request: HttpRequest) -> tuple[QuerySet[Institution], dict[str, Any]]:
    """Exactly what `views.institution_list` shows this user for these filters, unpaginated."""
    if not can_view_registry(user_of(request)):
        raise PermissionDenied
    filterset = institution_listing(user_of(request), request.GET)
    qs = filterset.qs
    filters: dict[str, Any] = {}
    for name in filterset.filters:
        values = [v for v in request.GET.getlist(name) if v]
        if values:
            filters[name] = values[0] if len(values) == 1 else values
    return qs, filters


@require_safe
def institution_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    qs, filters = _listed_institutions(request)
    content = institutions_export(
        actor=user_of(request),
        queryset=qs,
        fmt=fmt,
        filters=filters,
        context=RequestContext.from_request(request),
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return _attachment(content, fmt, f"institutions-{stamp}")


# ---------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------


class ImportUploadForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "The first sheet of an Excel workbook, or a CSV saved as “CSV UTF-8” "
            "(comma or semicolon separated). The first row holds the column names."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = size_error(upload.size or 0)
        if problem:
            raise ValidationError(problem)
        return upload


def _column_guide() -> list[dict[str, Any]]:
    notes = {
        "external_code": _("Your registry's code; rows are matched on it (update or create)."),
        "name_kk": _("Name in Kazakh. At least one of the three names is needed."),
        "name_ru": _("Name in Russian."),
        "name_en": _("Name in English."),
        "type": _("Institution type code, e.g. COLONY_MEDIUM."),
        "agency": _("Agency code, e.g. MVD-KUIS."),
        "region": _("Region code (ISO 3166-2), e.g. KZ-71."),
        "address": _("Postal address."),
        "capacity": _("Number of places, a whole number (may be empty)."),
        "status": _("active, under_reconstruction, suspended or closed (empty: unchanged)."),
        "security_level": _("minimum, medium, maximum, extreme, mixed, high, or empty."),
        "population_men": _("Adult men held, a whole number."),
        "population_women": _("Adult women held, a whole number."),
        "population_boys": _("Boys under 18 held, a whole number."),
        "population_girls": _("Girls under 18 held, a whole number."),
        "population_date": _("Date of the population figures: YYYY-MM-DD or DD.MM.YYYY."),
    }
    return [
        {"name": name, "required": name in REQUIRED_COLUMNS, "note": notes[name]}
        for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_batch_create(
                actor=user_of(request),
                content=upload.read(),
                file_name=upload.name or "",
                context=RequestContext.from_request(request),
            )
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("registry:import_preview", public_id=batch.public_id)
    return render(
        request,
        "registry/import_upload.html",
        {
            "form": form,
            "columns": _column_guide(),
            "max_size": filesizeformat(settings.VIGIL_IMPORT_MAX_BYTES),
        },
    )


@require_safe
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _require_importer(request)
    return _attachment(build_import_template(fmt), fmt, "vigil-institutions-template")


def _change_lines(changes: dict[str, list[str]]) -> list[str]:
    return [f"{name}: {old or '—'} → {new or '—'}" for name, (old, new) in changes.items()]


@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request: HttpRequest, public_id: str) -> HttpResponse:
    batch = get_object_or_404(import_batches_visible_to(user_of(request)), public_id=public_id)
    if request.method == "POST":
        _require_importer(request)
        try:
            result = import_batch_apply(
                actor=user_of(request), batch=batch, context=RequestContext.from_request(request)
            )
        except ImportBatchClosedError:
            messages.info(request, _("This file has already been dealt with; nothing was done."))
            return redirect("registry:import_preview", public_id=batch.public_id)
        except ImportValidationError:
            messages.error(
                request,
                _("The file no longer passes the checks; nothing was imported. See the errors."),
            )
            return redirect("registry:import_preview", public_id=batch.public_id)
        messages.success(
            request,
            _("Import complete: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
        return redirect("registry:institution_list")

    summary = batch.summary or {}
    rows = summary.get("rows", [])
    counts = summary.get("counts", {})
    return render(
        request,
        "registry/import_preview.html",
        {
            "batch": batch,
            "counts": {
                "create": counts.get(CREATE, 0),
                "update": counts.get(UPDATE, 0),
                "unchanged": counts.get(UNCHANGED, 0),
            },
            "result": summary.get("result"),
            "errors": summary.get("errors", []),
            "warnings": summary.get("warnings", []),
            "rows": [
                {**row, "change_lines": _change_lines(row["changes"])}
                for row in rows[:PREVIEW_LIMIT]
            ],
            "rows_total": len(rows),
            "rows_cut": len(rows) > PREVIEW_LIMIT,
            "preview_limit": PREVIEW_LIMIT,
            "can_confirm": batch.status == ImportBatch.Status.PENDING
            and can_import_institutions(user_of(request)),
        },
    )

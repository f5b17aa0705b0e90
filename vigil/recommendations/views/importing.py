"""Historical import pages: upload → preview → confirm, and the downloadable template.

Thin edge over `..importing` (the same checks as `manage.py import_recommendations`)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.registry.exporting import FORMATS

from ..enums import State
from ..forms.importing import RecommendationImportForm
from ..importing import (
    COLUMN_NOTES,
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
    import_template,
)
from ..importing.reading import max_rows
from ..models import ImportBatch
from ..permissions import can_import_recommendations, import_batches_visible_to


def _require_importer(request: HttpRequest) -> None:
    if not can_import_recommendations(user_of(request)):
        raise PermissionDenied


def _columns() -> list[dict[str, Any]]:
    return [
        {"name": name, "required": name in REQUIRED_COLUMNS, "note": COLUMN_NOTES[name]}
        for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    posted = request.method == "POST"
    form = RecommendationImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
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
            return redirect("recommendations:import_preview", public_id=batch.public_id)
    return render(
        request,
        "recommendations/import_upload.html",
        {
            "form": form,
            "columns": _columns(),
            "max_size": filesizeformat(settings.VIGIL_IMPORT_MAX_BYTES),
            "max_rows": max_rows(),
        },
    )


@require_safe
def import_template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _require_importer(request)
    response = HttpResponse(import_template(fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="vigil-recommendations-template.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


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
        except ImportValidationError:
            messages.error(
                request,
                _("The file no longer passes the checks; nothing was imported. See the errors."),
            )
        else:
            messages.success(
                request,
                _(
                    "Import complete: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
        return redirect("recommendations:import_preview", public_id=batch.public_id)

    summary = batch.summary or {}
    counts = summary.get("counts", {})
    rows = summary.get("rows", [])
    return render(
        request,
        "recommendations/import_preview.html",
        {
            "batch": batch,
            "counts": {key: counts.get(key, 0) for key in (CREATE, UPDATE, UNCHANGED)},
            "tally": summary.get("tally", {}),
            "result": summary.get("result"),
            "errors": summary.get("errors", []),
            "errors_total": summary.get("errors_total", len(summary.get("errors", []))),
            "warnings": summary.get("warnings", []),
            "rows": [
                {
                    **row,
                    "state_label": State(row["state"]).label
                    if row.get("state") in State.values
                    else "",
                    "change_lines": [
                        f"{name}: {old or '—'} → {new or '—'}"
                        for name, (old, new) in row.get("changes", {}).items()
                    ],
                }
                for row in rows
            ],
            "rows_total": summary.get("rows_total", len(rows)),
            "can_confirm": batch.status == ImportBatch.Status.PENDING
            and can_import_recommendations(user_of(request)),
        },
    )

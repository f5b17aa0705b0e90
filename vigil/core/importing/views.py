"""The import pages of every kind: upload → preview → confirm, and the downloadable template.

A domain app mounts them in its URLconf with `import_urlpatterns(kind)`; the texts and links
of the pages come from the kind (`ImportKind.pages`). Thin edge over `.services` (the same
checks as the `import_<things>` commands).
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from vigil.audit.context import RequestContext

from ..models import ImportBatch
from .forms import ImportUploadForm
from .kinds import ImportKind, import_kind
from .permissions import import_batches_visible_to
from .plan import ACTIONS, PREVIEW_ROWS
from .reading import ImportFileError
from .services import (
    ImportBatchClosedError,
    ImportValidationError,
    import_batch_apply,
    import_batch_create,
)
from .writing import FORMATS


def import_urlpatterns(kind: str) -> list[URLPattern]:
    """The three import pages of `kind`, for the owning app's URLconf (its namespace)."""
    return [
        path("import/", import_upload, {"kind": kind}, name="import_upload"),
        path("import/template.<str:fmt>", import_template, {"kind": kind}, name="import_template"),
        path("import/<uuid:public_id>/", import_preview, {"kind": kind}, name="import_preview"),
    ]


def _importer(request: HttpRequest, kind: str) -> ImportKind:
    hooks = import_kind(kind)
    if not hooks.may_import(request.user):
        raise PermissionDenied
    return hooks


def _page_links(hooks: ImportKind) -> dict[str, Any]:
    pages = hooks.pages
    return {
        "pages": pages,
        "list_url": reverse(pages.list_url_name),
        "upload_url": reverse(f"{pages.namespace}:import_upload"),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    hooks = _importer(request, kind)
    posted = request.method == "POST"
    form = ImportUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        archives=hooks.reads_sheets,
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_batch_create(
                kind,
                actor=request.user,
                content=upload.read(),
                file_name=upload.name or "",
                context=RequestContext.from_request(request),
            )
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect(f"{hooks.pages.namespace}:import_preview", public_id=batch.public_id)
    template_url = f"{hooks.pages.namespace}:import_template"
    return render(
        request,
        "core/import_upload.html",
        {
            **_page_links(hooks),
            "form": form,
            "columns": hooks.columns(),
            "template_urls": {fmt: reverse(template_url, args=[fmt]) for fmt in FORMATS},
            "max_size": filesizeformat(settings.VIGIL_IMPORT_MAX_BYTES),
            "max_rows": hooks.max_rows() if hooks.pages.show_max_rows else None,
        },
    )


@require_safe
def import_template(request: HttpRequest, fmt: str, kind: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    hooks = _importer(request, kind)
    response = HttpResponse(hooks.template(fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{hooks.template_name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _confirm(request: HttpRequest, hooks: ImportKind, batch: ImportBatch) -> HttpResponse:
    preview = redirect(f"{hooks.pages.namespace}:import_preview", public_id=batch.public_id)
    try:
        result = import_batch_apply(
            actor=request.user, batch=batch, context=RequestContext.from_request(request)
        )
    except ImportBatchClosedError:
        messages.info(request, _("This file has already been dealt with; nothing was done."))
        return preview
    except ImportValidationError:
        messages.error(
            request,
            _("The file no longer passes the checks; nothing was imported. See the errors."),
        )
        return preview
    messages.success(
        request,
        _("Import complete: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    done = hooks.pages.done_url_name
    return redirect(done) if done else preview


@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request: HttpRequest, public_id: str, kind: str) -> HttpResponse:
    batch = get_object_or_404(import_batches_visible_to(request.user, kind), public_id=public_id)
    if request.method == "POST":
        return _confirm(request, _importer(request, kind), batch)

    hooks = import_kind(kind)
    summary = batch.summary or {}
    counts = summary.get("counts", {})
    errors = summary.get("errors", [])
    rows = summary.get("rows", [])[:PREVIEW_ROWS]
    applied_link = hooks.pages.applied_link
    return render(
        request,
        "core/import_preview.html",
        {
            **_page_links(hooks),
            "batch": batch,
            "counts": {action: counts.get(action, 0) for action in ACTIONS},
            "breakdown": hooks.pages.breakdown(summary),
            "result": summary.get("result"),
            "applied_link": (applied_link[0], reverse(applied_link[1])) if applied_link else None,
            "errors": errors,
            "errors_total": summary.get("errors_total", len(errors)),
            "warnings": summary.get("warnings", []),
            "rows": [
                {
                    **row,
                    "cells": hooks.pages.row_cells(row),
                    "change_lines": [
                        f"{name}: {old or '—'} → {new or '—'}"
                        for name, (old, new) in row.get("changes", {}).items()
                    ],
                }
                for row in rows
            ],
            "rows_total": summary.get("rows_total", len(summary.get("rows", []))),
            "can_confirm": batch.status == ImportBatch.Status.PENDING
            and hooks.may_import(request.user),
        },
    )

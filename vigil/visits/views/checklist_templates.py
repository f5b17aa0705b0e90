"""The checklist templates page (each template with its XLSForm download) and the page that
imports a template from an XLSForm.

Thin edge: who may read and import comes from the visits policy (templates are read by every
signed-in account, imported by coordinators and administrators); the import is one service,
all or nothing, whose problems are listed by sheet, row and column.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.importing import ImportIssue
from vigil.core.importing.writing import FORMATS

from ..forms.xlsform import XLSFormUploadForm
from ..permissions import can_manage_checklist_templates, can_view_checklist_templates
from ..selectors.checklists import checklist_templates
from ..services.xlsform import checklist_template_xlsform_import
from ..xlsform import XLSFormError, template_to_xlsform


@require_safe
def checklist_template_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_view_checklist_templates(user):
        raise PermissionDenied
    return render(
        request,
        "visits/checklist_template_list.html",
        {
            "templates": checklist_templates(),
            "may_import": can_manage_checklist_templates(user),
        },
    )


@require_safe
def checklist_template_xlsform(request: HttpRequest, code: str) -> HttpResponse:
    """The template in use with this code, as an XLSForm download."""
    if not can_view_checklist_templates(user_of(request)):
        raise PermissionDenied
    template = checklist_templates().filter(code=code).first()
    if template is None:
        raise Http404
    response = HttpResponse(template_to_xlsform(template), content_type=FORMATS["xlsx"])
    name = f"{template.code}-v{template.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def checklist_template_import(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_manage_checklist_templates(user):
        raise PermissionDenied
    posted = request.method == "POST"
    form = XLSFormUploadForm(request.POST if posted else None, request.FILES if posted else None)
    issues: list[ImportIssue] = []
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            template, _counts = checklist_template_xlsform_import(
                content=upload.read(),
                file_name=upload.name or "",
                actor=user,
                context=RequestContext.from_request(request),
            )
        except XLSFormError as exc:
            issues = exc.issues
        else:
            messages.success(
                request,
                _("Template %(code)s imported: version %(version)s, %(count)s questions in use.")
                % {
                    "code": template.code,
                    "version": template.version,
                    "count": template.questions.filter(is_active=True).count(),
                },
            )
            return redirect("visits:checklist_template_list")
    return render(
        request,
        "visits/checklist_template_import.html",
        {
            "form": form,
            "issues": issues,
            "max_size": filesizeformat(settings.VIGIL_IMPORT_MAX_BYTES),
        },
        status=400 if posted else 200,
    )

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.audit.selectors import history_of
from vigil.core.collation import SortKey
from vigil.core.contributions import page_sections
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response

from .exporting import INSTITUTION_LIST
from .filters import name_field
from .forms import InstitutionForm
from .models import Institution
from .permissions import (
    can_create_institution,
    can_edit_institution,
    can_import_institutions,
    can_see_visit_coverage,
    can_view_institution_history,
    can_view_registry,
    institutions_visible_to,
)
from .selectors import institution_search
from .services import institution_create, institution_update

OPTIONS_LIMIT = 20


def _visible(request: HttpRequest):  # type: ignore[no-untyped-def]
    if not can_view_registry(user_of(request)):
        raise PermissionDenied
    return institutions_visible_to(user_of(request)).select_related("type", "agency", "region")


@require_safe
def institution_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return list_response(
        request,
        INSTITUTION_LIST,
        template="registry/institution_list.html",
        results_id="institution-results",
        partial="registry/_institution_table.html",
        context={
            "can_create": can_create_institution(user),
            "can_import": can_import_institutions(user),
            "show_coverage": can_see_visit_coverage(user),
        },
    )


@require_safe
def institution_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    institution = get_object_or_404(_visible(request), public_id=public_id)
    history = None
    if can_view_institution_history(user_of(request)):
        history = history_of(institution._meta.label_lower, str(institution.public_id))[:100]
    # What the other apps know of the place (visits, findings, recommendations), each section
    # within the viewer's permissions as its own app decides.
    sections, section_templates = page_sections(
        "registry.institution", user_of(request), institution
    )
    return render(
        request,
        "registry/institution_detail.html",
        {
            **sections,
            "section_templates": section_templates,
            "institution": institution,
            "history": history,
            "can_edit": can_edit_institution(user_of(request), institution),
            "show_coverage": can_see_visit_coverage(user_of(request)),
        },
    )


def institution_create_view(request: HttpRequest) -> HttpResponse:
    if not can_create_institution(user_of(request)):
        raise PermissionDenied
    form = InstitutionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            institution = institution_create(
                actor=user_of(request),
                data=form.cleaned_data,
                context=RequestContext.from_request(request),
            )
        except PermissionDenied:
            form.add_error("region", _("You may not add institutions in this region."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Institution created."))
            return redirect("registry:institution_detail", public_id=institution.public_id)
    return render(request, "registry/institution_form.html", {"form": form, "creating": True})


def institution_edit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    institution = get_object_or_404(_visible(request), public_id=public_id)
    if not can_edit_institution(user_of(request), institution):
        raise PermissionDenied
    form = InstitutionForm(
        request.POST if request.method == "POST" else None,
        instance=Institution.objects.get(pk=institution.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = institution_update(
                actor=user_of(request),
                institution=institution,
                data=form.cleaned_data,
                context=RequestContext.from_request(request),
            )
        except PermissionDenied:
            form.add_error("region", _("You may not move institutions to this region."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changes:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("registry:institution_detail", public_id=institution.public_id)
    return render(
        request, "registry/institution_form.html", {"form": form, "institution": institution}
    )


@require_safe
def institution_options(request: HttpRequest) -> HttpResponse:
    """Matches for the institution picker (htmx): radio buttons or checkboxes."""
    user = user_of(request)
    if not can_view_registry(user):
        raise PermissionDenied
    field = request.GET.get("field", "institutions")
    if not field.isidentifier():
        raise Http404
    query = (request.GET.get(f"{field}__q") or request.GET.get("q") or "").strip()
    results: list[Institution] = []
    if query:
        qs = institution_search(institutions_visible_to(user), query)
        results = list(
            qs.select_related("region", "type").order_by(SortKey(name_field()), "pk")[
                : OPTIONS_LIMIT + 1
            ]
        )
    return render(
        request,
        "registry/_institution_options.html",
        {
            "query": query,
            "results": results[:OPTIONS_LIMIT],
            "more": len(results) > OPTIONS_LIMIT,
            "field": field,
            "input_type": "radio" if request.GET.get("input") == "radio" else "checkbox",
        },
    )

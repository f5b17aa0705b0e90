"""Pages of accountability records: the list (with the counts by initiative of what is
shown), record and edit."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response

from ..forms.cases import AccountabilityForm
from ..listings.cases import ACCOUNTABILITY_LIST
from ..permissions import can_import_cases, can_manage_accountability
from ..selectors.cases import get_accountability
from ..services.accountability import accountability_record, accountability_update

LIST_FILTERS = ("search", "year", "initiative", "responsibility", "agency", "region")


@require_safe
def accountability_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return list_response(
        request,
        ACCOUNTABILITY_LIST,
        template="appeals/accountability/list.html",
        partial="appeals/accountability/_table.html",
        results_id="accountability-results",
        context={
            "page_filters": LIST_FILTERS,
            "can_create": can_manage_accountability(user),
            "can_import": can_import_cases(user),
        },
    )


def accountability_create_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_manage_accountability(user):
        raise PermissionDenied
    form = AccountabilityForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            accountability_record(
                actor=user, data=form.service_data(), context=RequestContext.from_request(request)
            )
        except PermissionDenied:
            form.add_error("region", _("You may record officials of your regions only."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Accountability record saved."))
            return redirect("appeals:accountability_list")
    return render(request, "appeals/accountability/form.html", {"form": form, "record": None})


def accountability_edit_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    record = get_accountability(user, public_id)
    if not can_manage_accountability(user, record):
        raise PermissionDenied
    form = AccountabilityForm(
        request.POST if request.method == "POST" else None,
        initial=AccountabilityForm.initial_for(record),
        user=user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            accountability_update(
                actor=user,
                record=record,
                data=form.service_data(),
                context=RequestContext.from_request(request),
            )
        except PermissionDenied:
            form.add_error("region", _("You may keep officials of your regions only."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("appeals:accountability_list")
    return render(request, "appeals/accountability/form.html", {"form": form, "record": record})

"""Pages of criminal cases (art. 146): the list, the case page (classification history,
suspects, life-cycle buttons, timeline), record (alone, or from an appeal or a referral,
prefilled) and edit, reclassify, a move, a suspect.

The victim is shown by pseudonym only; a liaison or an administrator never sees a case (404).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response

from ..forms.cases import CaseForm, CaseMoveForm, ReclassifyForm, SuspectForm
from ..listings.cases import CASE_LIST
from ..models import Appeal, Referral
from ..permissions import (
    appeals_visible_to,
    can_import_cases,
    can_manage_case,
    can_read_victim_protection,
    referrals_visible_to,
)
from ..selectors.cases import (
    case_timeline,
    classifications_of,
    get_case,
    registration_delayed,
)
from ..services.cases import (
    case_create,
    case_prefill,
    case_reclassify,
    case_transition,
    case_update,
    suspect_add,
)
from ..services.victim_protection import victim_protection_read
from ..workflow import CASES, Via

LIST_FILTERS = ("search", "status", "part", "body", "region", "year", "delayed", "ground")


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return list_response(
        request,
        CASE_LIST,
        template="appeals/cases/list.html",
        partial="appeals/cases/_table.html",
        results_id="case-results",
        context={
            "page_filters": LIST_FILTERS,
            "can_create": can_manage_case(user),
            "can_import": can_import_cases(user),
        },
    )


def _source(request: HttpRequest) -> tuple[Appeal | None, Referral | None]:
    """The appeal or referral a new case comes from (`?appeal=` / `?referral=` public ids),
    among those the user sees; an unknown id is ignored."""
    user = user_of(request)
    appeal = referral = None
    params = request.POST if request.method == "POST" else request.GET
    try:
        if params.get("referral"):
            referral = referrals_visible_to(user).filter(public_id=params["referral"]).first()
        if params.get("appeal"):
            appeal = appeals_visible_to(user).filter(public_id=params["appeal"]).first()
    except ValidationError:
        return None, None
    return appeal, referral


def case_create_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_manage_case(user):
        raise PermissionDenied
    appeal, referral = _source(request)
    initial = {
        "reported_on": timezone.localdate(),
        **case_prefill(appeal=appeal, referral=referral),
    }
    form = CaseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_create(
                actor=user,
                data=form.service_data(),
                part=form.cleaned_data["part"],
                investigating_body=form.cleaned_data.get("investigating_body"),
                appeal=appeal,
                referral=referral,
                context=RequestContext.from_request(request),
            )
        except PermissionDenied:
            form.add_error("region", _("You may record cases of your regions only."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Case %(reference)s recorded.") % {"reference": case.reference}
            )
            return redirect("appeals:case_detail", public_id=case.public_id)
    return render(
        request,
        "appeals/cases/form.html",
        {"form": form, "case": None, "appeal": appeal, "referral": referral},
    )


def case_edit_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    case = get_case(user, public_id)
    if not can_manage_case(user, case):
        raise PermissionDenied
    initial = {
        name: getattr(case, name)
        for name in CaseForm.base_fields
        if name not in ("part", "investigating_body", "victim_protection")
    }
    form = CaseForm(
        request.POST if request.method == "POST" else None, initial=initial, creating=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_update(
                actor=user,
                case=case,
                data=form.service_data(),
                context=RequestContext.from_request(request),
            )
        except PermissionDenied:
            form.add_error("region", _("You may keep cases of your regions only."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("appeals:case_detail", public_id=case.public_id)
    return render(request, "appeals/cases/form.html", {"form": form, "case": case})


@never_cache
@require_safe
def case_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _detail_page(request, public_id, reveal=False)


@never_cache
@require_POST
def case_victim_protection(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Show the victim protection measures: the POST is the explicit request to read them,
    which is logged."""
    return _detail_page(request, public_id, reveal=True)


def _detail_page(request: HttpRequest, public_id: Any, *, reveal: bool) -> HttpResponse:
    user = user_of(request)
    case = get_case(user, public_id)
    protection = None
    if reveal:
        protection = victim_protection_read(
            actor=user, case=case, context=RequestContext.from_request(request)
        )
    can_manage = can_manage_case(user, case)
    delay = case.registration_delay_days
    return render(
        request,
        "appeals/cases/detail.html",
        {
            "case": case,
            "victim_protection": protection,
            "can_read_protection": can_read_victim_protection(user, case),
            "delay": delay,
            "delayed": registration_delayed(case),
            "classifications": classifications_of(case),
            "suspects": list(case.suspects.all()),
            "moves": CASES.available(user, case, via=Via.MANUAL),
            "can_manage": can_manage,
            "reclassify_form": ReclassifyForm(
                initial={
                    "part": case.part,
                    "investigating_body": case.investigating_body,
                    "effective_on": timezone.localdate(),
                }
            )
            if can_manage
            else None,
            "suspect_form": SuspectForm() if can_manage else None,
            "move_form": CaseMoveForm() if can_manage else None,
            "appeal_visible": case.appeal_id is not None
            and appeals_visible_to(user).filter(pk=case.appeal_id).exists(),
            "referral_visible": case.referral_id is not None
            and referrals_visible_to(user).filter(pk=case.referral_id).exists(),
            "timeline": case_timeline(case),
        },
    )


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_POST
def case_reclassify_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    case = get_case(user, public_id)
    if not can_manage_case(user, case):
        raise PermissionDenied
    form = ReclassifyForm(request.POST)
    if not form.is_valid():
        for message in form.errors.as_data().values():
            _errors(request, ValidationError(message))
        return redirect("appeals:case_detail", public_id=case.public_id)
    try:
        case_reclassify(
            actor=user,
            case=case,
            part=form.cleaned_data["part"],
            investigating_body=form.cleaned_data.get("investigating_body"),
            effective_on=form.cleaned_data["effective_on"],
            note=form.cleaned_data.get("note") or "",
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Reclassification recorded."))
    return redirect("appeals:case_detail", public_id=case.public_id)


@require_POST
def case_move_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    case = get_case(user, public_id)
    if not can_manage_case(user, case):
        raise PermissionDenied
    form = CaseMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The change could not be read; try again."))
        return redirect("appeals:case_detail", public_id=case.public_id)
    data = form.cleaned_data
    try:
        case = case_transition(
            actor=user,
            case=case,
            name=data["move"],
            values={k: data.get(k) for k in ("register_number", "termination_ground", "note")},
            on=data.get("on"),
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The case is now “%(state)s”.") % {"state": case.get_state_display()}
        )
    return redirect("appeals:case_detail", public_id=case.public_id)


@require_POST
def case_suspect_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    case = get_case(user, public_id)
    if not can_manage_case(user, case):
        raise PermissionDenied
    form = SuspectForm(request.POST)
    if form.is_valid():
        try:
            suspect_add(
                actor=user,
                case=case,
                data=form.cleaned_data,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Suspect added."))
    else:
        for message in form.errors.as_data().values():
            _errors(request, ValidationError(message))
    return redirect("appeals:case_detail", public_id=case.public_id)

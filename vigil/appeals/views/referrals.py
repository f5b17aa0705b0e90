"""Pages of referrals: make one from an appeal or an interview (consent checked per kind of
disclosure), the list, the referral page with its life-cycle buttons, the letter.

Thin edge: visibility from `..permissions` (404 for missing and forbidden alike), writes
from `..services.referrals`.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response
from vigil.visits.models import Interview
from vigil.visits.permissions import interviews_visible_to

from ..enums import Disclosure
from ..forms.referrals import ReferralForm, ReferralMoveForm
from ..listings.cases import REFERRAL_LIST
from ..models import Appeal, CriminalCase
from ..permissions import (
    appeals_visible_to,
    can_manage_case,
    can_override_consent,
    can_refer,
    can_update_referral,
    can_write_referral_letter,
)
from ..selectors.cases import get_referral, referral_timeline
from ..services.referral_letters import LETTER_FORMATS, LETTER_LANGUAGES, referral_letter
from ..services.referrals import consented, referral_create, referral_transition
from ..workflow import REFERRALS, Via

LIST_FILTERS = ("search", "status", "body_kind", "region", "sent_from", "sent_to", "overridden")


@require_safe
def referral_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        REFERRAL_LIST,
        template="appeals/referrals/list.html",
        partial="appeals/referrals/_table.html",
        results_id="referral-results",
        context={"page_filters": LIST_FILTERS},
    )


def _consent_rows(source: Appeal | Interview) -> list[tuple[str, Any, bool]]:
    return [(kind, label, consented(source, kind)) for kind, label in Disclosure.choices]


def _create_page(
    request: HttpRequest, source: Appeal | Interview, *, appeal: Appeal | None
) -> HttpResponse:
    user = user_of(request)
    interview = source if isinstance(source, Interview) else None
    region = appeal.region if appeal is not None else interview.visit.region  # type: ignore[union-attr]
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        can_override=can_override_consent(user),
        initial={"sent_on": timezone.localdate(), "region": region},
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_create(
                actor=user,
                data=form.service_data(),
                discloses=form.cleaned_data["discloses"],
                appeal=appeal,
                interview=interview,
                override_reason=form.cleaned_data.get("override_reason") or "",
                context=RequestContext.from_request(request),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not make this referral."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Referral %(reference)s recorded.") % {"reference": referral.reference}
            )
            return redirect("appeals:referral_detail", public_id=referral.public_id)
    return render(
        request,
        "appeals/referrals/form.html",
        {
            "form": form,
            "appeal": appeal,
            "interview": interview,
            "consents": _consent_rows(source),
        },
    )


def referral_create_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    appeal = appeals_visible_to(user).filter(public_id=public_id).select_related("region").first()
    if appeal is None:
        raise Http404
    if not can_refer(user, appeal=appeal):
        raise PermissionDenied
    return _create_page(request, appeal, appeal=appeal)


def referral_from_interview_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    interview = (
        interviews_visible_to(user)
        .filter(public_id=public_id)
        .select_related("visit", "visit__region")
        .first()
    )
    if interview is None:
        raise Http404
    if not can_refer(user, visit=interview.visit):
        raise PermissionDenied
    return _create_page(request, interview, appeal=None)


@require_safe
def referral_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    referral = get_referral(user, public_id)
    return render(
        request,
        "appeals/referrals/detail.html",
        {
            "referral": referral,
            "disclosures": [
                (label, kind in referral.discloses, kind in referral.overridden)
                for kind, label in Disclosure.choices
            ],
            "appeal_visible": referral.appeal_id is not None
            and appeals_visible_to(user).filter(pk=referral.appeal_id or 0).exists(),
            "moves": REFERRALS.available(user, referral, via=Via.MANUAL),
            "can_update": can_update_referral(user, referral),
            "can_letter": can_write_referral_letter(user, referral),
            # a case recorded from the referral takes its region
            "can_record_case": can_manage_case(user)
            and can_manage_case(user, CriminalCase(region_id=referral.region_id)),
            "letter_languages": LETTER_LANGUAGES,
            "letter_formats": LETTER_FORMATS,
            "timeline": referral_timeline(referral),
            "cases": list(referral.cases.all()),
        },
    )


@require_POST
def referral_move_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    referral = get_referral(user, public_id)
    if not can_update_referral(user, referral):
        raise PermissionDenied
    form = ReferralMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The change could not be read; try again."))
        return redirect("appeals:referral_detail", public_id=referral.public_id)
    data = form.cleaned_data
    try:
        referral = referral_transition(
            actor=user,
            referral=referral,
            name=data["move"],
            values={k: data.get(k) for k in ("register_number", "refusal_reason", "outcome")},
            on=data.get("on"),
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The referral is now “%(state)s”.") % {"state": referral.get_state_display()},
        )
    return redirect("appeals:referral_detail", public_id=referral.public_id)


@require_safe
def referral_letter_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    referral = get_referral(user, public_id)
    if not can_write_referral_letter(user, referral):
        raise PermissionDenied
    language = request.GET.get("lang", "ru")
    fmt = request.GET.get("format", "pdf")
    if language not in LETTER_LANGUAGES or fmt not in LETTER_FORMATS:
        raise Http404
    try:
        content, content_type, name = referral_letter(
            actor=user,
            referral=referral,
            language=language,
            fmt=fmt,
            context=RequestContext.from_request(request),
        )
    except PermissionDenied:
        messages.error(
            request,
            _("The letter discloses the identity, and you may not unseal it: ask a coordinator."),
        )
        return redirect("appeals:referral_detail", public_id=referral.public_id)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response

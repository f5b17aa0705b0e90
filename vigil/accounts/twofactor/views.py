"""The two-factor pages: enrolment and status (account menu), the sign-in's code step, new
recovery codes, turning it off, and an administrator's reset from user management."""

import django_otp
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors

from ..http import user_of
from ..lockout import login_refused
from ..models import User
from ..permissions import can_disable_two_factor, can_manage_users
from .forms import CodeForm, DisableForm, SecondFactorForm
from .services import (
    confirmed_device,
    enrolment_confirm,
    enrolment_start,
    provisioning_uri,
    qr_data_uri,
    recovery_codes_regenerate,
    second_factor_check,
    secret_text,
    two_factor_disable,
    two_factor_reset,
    unused_recovery_codes,
)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("site:home")


def _verified(request: HttpRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[union-attr]


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return render(
        request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next(request)}
    )


def two_factor_view(request: HttpRequest) -> HttpResponse:
    """With an authenticator: its status, new recovery codes, turning it off. Without: the
    enrolment (QR code and the secret as text, confirmed with a first code)."""
    user = user_of(request)
    if confirmed_device(user) is not None:
        if not _verified(request):
            return redirect("accounts:two_factor_verify")
        return _status_page(request, user, DisableForm())
    device = enrolment_start(user=user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = enrolment_confirm(
                user=user,
                code=form.cleaned_data["code"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            django_otp.login(request, device)
            return _codes_page(request, codes)
    secret = device.secret()
    text = secret_text(secret)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr": qr_data_uri(provisioning_uri(user, secret)),
            "secret": " ".join(text[i : i + 4] for i in range(0, len(text), 4)),
            "next": _next(request),
        },
    )


def _status_page(request: HttpRequest, user: User, form: DisableForm) -> HttpResponse:
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form if can_disable_two_factor(user) else None,
            "unused": unused_recovery_codes(user),
        },
        status=400 if form.errors else 200,
    )


def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    """The sign-in's second step. The lockout of the password step refuses it too, and each
    wrong code counts there."""
    user = user_of(request)
    if _verified(request) or confirmed_device(user) is None:
        return redirect(_next(request))
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        context = RequestContext.from_request(request)
        code = form.cleaned_data["code"]
        lockout = login_refused(user.email, context.ip)
        device = None
        if lockout is None:
            device = second_factor_check(user=user, code=code, context=context)
        if device is not None:
            django_otp.login(request, device)
            if not code.strip().isdigit():
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(n)d unused codes are left.")
                    % {"n": unused_recovery_codes(user)},
                )
            return redirect(_next(request))
        lockout = lockout or login_refused(user.email, context.ip)
        if lockout is not None:
            form.add_error(None, lockout.message)
            status = 429
        else:
            form.add_error("code", _("This code is not right. Enter the current code."))
    response = render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=status,
    )
    if status == 429 and lockout is not None:
        response["Retry-After"] = str(lockout.retry_after)
    return response


@require_POST
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    try:
        codes = recovery_codes_regenerate(user=user, context=RequestContext.from_request(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:two_factor")
    return _codes_page(request, codes)


@require_POST
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_disable_two_factor(user):
        raise PermissionDenied
    form = DisableForm(request.POST)
    if form.is_valid():
        try:
            two_factor_disable(
                user=user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("accounts:two_factor")
    return _status_page(request, user, form)


@require_POST
def user_two_factor_reset_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = user_of(request)
    if not can_manage_users(actor):
        raise PermissionDenied
    account = get_object_or_404(User, public_id=public_id)
    two_factor_reset(actor=actor, user=account, context=RequestContext.from_request(request))
    messages.success(
        request,
        _("Two-factor sign-in of %(email)s was reset: the account enrols again.")
        % {"email": account.email},
    )
    return redirect("accounts:user_edit", public_id=account.public_id)

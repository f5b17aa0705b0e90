from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response

from .forms import EmailAuthenticationForm, UserCreateForm, UserForm
from .http import user_of
from .listings import USER_LIST
from .lockout import login_succeeded
from .models import User
from .permissions import can_manage_users
from .services import user_create, user_set_password, user_update
from .tokens import api_tokens_of
from .twofactor.services import confirmed_device

WIPE_DEVICE = "vigil.wipe_device"
"""Set at sign-out: the next page (sign-in) erases what this device kept (secure-store.js)."""


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["wipe_device"] = bool(self.request.session.pop(WIPE_DEVICE, False))
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if confirmed_device(user) is None:
            # With an authenticator, the failures are cleared only by the code step.
            login_succeeded(user.email)
        return super().form_valid(form)

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.lockout is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.lockout.retry_after)
        return response


class LogoutView(auth_views.LogoutView):
    """Sign-out that leaves nothing of the session on the device (docs/offline.md): the
    browser is told to clear this site's storage (unsent answers, the key that sealed them,
    the pages kept for offline use, the service worker) and its HTTP cache, and the page that
    follows erases them too, for browsers that do not honour Clear-Site-Data."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        request.session[WIPE_DEVICE] = True
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("site:home")

    def form_valid(self, form: Any) -> HttpResponse:
        user_set_password(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            context=RequestContext.from_request(self.request),
        )
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        audit_record(
            actor=None,
            action=AuditAction.PASSWORD_RESET_REQUESTED,
            data={"email": form.cleaned_data["email"]},
            context=RequestContext.from_request(self.request),
        )
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        user_set_password(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            action=AuditAction.PASSWORD_RESET_COMPLETED,
            context=RequestContext.from_request(self.request),
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


def _require_admin(request: HttpRequest) -> None:
    if not can_manage_users(user_of(request)):
        raise PermissionDenied


def user_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return list_response(
        request,
        USER_LIST,
        template="accounts/user_list.html",
        results_id="user-results",
        partial="accounts/_user_table.html",
    )


def user_create_view(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                actor=user_of(request),
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                password=data["password"] or None,
                regions=data["regions"],
                agency=data["agency"],
                preferred_language=data["preferred_language"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Account %(email)s created.") % {"email": user.email})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


def user_edit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    _require_admin(request)
    user = get_object_or_404(User, public_id=public_id)
    form = UserForm(
        request.POST if request.method == "POST" else None, instance=User.objects.get(pk=user.pk)
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "regions"}
        try:
            user_update(
                actor=user_of(request),
                user=user,
                data=data,
                regions=form.cleaned_data["regions"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Account %(email)s saved.") % {"email": user.email})
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "account": user,
            "tokens": api_tokens_of(user),
            "two_factor_on": confirmed_device(user) is not None,
        },
    )

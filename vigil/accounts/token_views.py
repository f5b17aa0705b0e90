"""Pages of API tokens: the owner's "API tokens" page (account menu) and, for administrators,
revocation from an account's page. What is missing or not the caller's answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors

from .enums import TokenKind
from .forms import ApiTokenForm
from .http import user_of
from .models import User
from .permissions import can_hold_collect_password, can_manage_api_tokens_of
from .tokens import (
    RevokeReason,
    api_token_issue,
    api_token_of,
    api_token_revoke,
    api_tokens_of,
    collect_settings_qr,
)
from .tokens import api_tokens_revoke_all as revoke_all


def _issue(request: HttpRequest, kind: TokenKind) -> tuple[ApiTokenForm, str]:
    """The form to name a new token, and the token issued by this request ("" if none)."""
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = api_token_issue(
                user=user_of(request),
                name=form.cleaned_data["name"],
                kind=kind,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return ApiTokenForm(), key
    return form, ""


def _never_cached(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


def api_tokens_view(request: HttpRequest) -> HttpResponse:
    """The signed-in user's tokens; a new one is shown once, on the answer that issued it."""
    form, new_key = _issue(request, TokenKind.API)
    context = {"form": form, "tokens": api_tokens_of(user_of(request)), "new_key": new_key}
    return _never_cached(render(request, "accounts/api_tokens.html", context))


def collect_view(request: HttpRequest) -> HttpResponse:
    """ODK Collect on the user's phone: the server, the e-mail and app passwords, each shown
    once with the QR code Collect scans to set itself up (docs/collect.md)."""
    user = user_of(request)
    if not can_hold_collect_password(user):
        raise Http404
    form, new_key = _issue(request, TokenKind.COLLECT)
    server = request.build_absolute_uri(reverse("openrosa:form_list")).removesuffix("/formList")
    qr = (
        collect_settings_qr(server=server, username=user.email, password=new_key) if new_key else ""
    )
    context = {
        "form": form,
        "tokens": api_tokens_of(user, TokenKind.COLLECT),
        "new_key": new_key,
        "server": server,
        "qr": qr,
    }
    return _never_cached(render(request, "accounts/collect.html", context))


def _owner(request: HttpRequest, public_id: object | None) -> User:
    """The account whose tokens are managed: the caller's own, or one an administrator
    opened (404 for anyone else)."""
    actor = user_of(request)
    if public_id is None:
        return actor
    owner = get_object_or_404(User, public_id=public_id)
    if not can_manage_api_tokens_of(actor, owner):
        raise Http404
    return owner


def _back(request: HttpRequest, owner: User, kind: str = TokenKind.API) -> HttpResponse:
    if owner.pk == user_of(request).pk:
        return redirect("accounts:collect" if kind == TokenKind.COLLECT else "accounts:api_tokens")
    return redirect("accounts:user_edit", public_id=owner.public_id)


@require_POST
def api_token_revoke_view(
    request: HttpRequest, token_id: str, public_id: str | None = None
) -> HttpResponse:
    owner = _owner(request, public_id)
    token = api_token_of(user_of(request), owner, token_id)
    if token is None:
        raise Http404
    api_token_revoke(
        actor=user_of(request), token=token, context=RequestContext.from_request(request)
    )
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return _back(request, owner, token.kind)


@require_POST
def api_tokens_revoke_all_view(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    owner = _owner(request, public_id)
    actor = user_of(request)
    count = revoke_all(
        actor=actor,
        owner=owner,
        reason=RevokeReason.OWNER if actor.pk == owner.pk else RevokeReason.ADMINISTRATOR,
        context=RequestContext.from_request(request),
    )
    messages.success(request, _("Tokens revoked: %(count)d.") % {"count": count})
    return _back(request, owner)

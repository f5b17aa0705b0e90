"""Keeps a signed-in account that owes a second factor (vigil/accounts/twofactor/services.py,
`second_factor_pending`) away from everything but the page it owes, sign-out and static
files: pages redirect there (with `next`), the API answers 403."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from ..models import User
from .services import Pending, second_factor_pending

PAGE_FOR = {Pending.ENROL: "accounts:two_factor", Pending.VERIFY: "accounts:two_factor_verify"}
ALWAYS_OPEN = frozenset({"accounts:logout", "set_language"})
API_PREFIX = "/api/"


def _view_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


class TwoFactorRequiredMiddleware:
    """After authentication, django-otp's OTPMiddleware and the session limits."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_authenticated:
            return self.get_response(request)
        verified = user.is_verified()  # type: ignore[attr-defined]  # OTPMiddleware's
        pending = second_factor_pending(user, verified=verified)
        if pending is None or request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return self.get_response(request)
        page = PAGE_FOR[pending]
        if _view_name(request) in ALWAYS_OPEN | {page}:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(
                {"detail": _("Two-factor sign-in is required: enter a code on the site first.")},
                status=403,
            )
        return HttpResponseRedirect(
            f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}"
        )

"""Token authentication for machines: e-mail, password and a device name in, a new API token
out (vigil/accounts/tokens.py; vigil/api/tokens.py authenticates with it)."""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from vigil.accounts.lockout import login_refused, login_succeeded
from vigil.accounts.models import ApiToken, User
from vigil.accounts.tokens import api_token_issue
from vigil.accounts.twofactor.services import token_second_factor
from vigil.api.parsers import JSONParser
from vigil.audit.context import RequestContext, client_ip

from .exceptions import ErrorSerializer

OBTAIN_THROTTLE_SCOPE = "api_token"
OBTAIN_THROTTLE_RATE = "10/min"


class TokenObtainThrottle(ScopedRateThrottle):
    """10 attempts a minute per client address (`VIGIL_API_TOKEN_RATE` overrides).

    A second guard beside the sign-in lockout (vigil/accounts/lockout.py), counted in
    Django's cache (the database in production). The address is the audit trail's
    (`client_ip`): an X-Forwarded-For entry counts only behind `VIGIL_TRUSTED_PROXIES`.
    """

    def get_rate(self) -> str | None:
        return getattr(settings, "VIGIL_API_TOKEN_RATE", OBTAIN_THROTTLE_RATE)

    def get_ident(self, request: Request) -> str:
        return client_ip(request) or "unknown"


class TokenObtainSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        max_length=4096, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    name = serializers.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("The device or program that will use the token (shown in the token list)."),
    )
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_(
            "With two-factor sign-in: the current code of the authenticator app, or a "
            "recovery code (spent)."
        ),
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(
        read_only=True,
        help_text=_(
            "Send as the header `Authorization: Token <token>`. Shown only this once: "
            "the server keeps only its hash."
        ),
    )
    id = serializers.UUIDField(
        read_only=True, help_text=_("To revoke it: DELETE /api/v1/auth/tokens/{id}/.")
    )
    name = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, help_text=_("When the token stops working."))


class TokenObtainView(APIView):
    """Exchange an active account's e-mail and password for a new API token.

    Each call issues another token, named for the device or program that will use it; it
    expires after `VIGIL_API_TOKEN_TTL` days and is revoked by a password change. Inactive
    accounts and wrong passwords get 400 and no token; attempts are throttled per client
    address, and an account (or address) with too many failed sign-ins is refused with 429
    and Retry-After, even with the right password, until its lockout ends.
    An account with two-factor sign-in sends `otp` too (a wrong one counts as a failed
    sign-in); one whose role requires it and that has not enrolled on the site gets no token.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [TokenObtainThrottle]
    throttle_scope = OBTAIN_THROTTLE_SCOPE

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=["auth"],
        request=TokenObtainSerializer,
        responses={
            200: TokenSerializer,
            429: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "Too many requests from this address, or too many failed sign-ins for "
                    "this account or from this address; retry after `Retry-After` seconds."
                ),
            ),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]
        context = RequestContext.from_request(request)
        lockout = login_refused(email, context.ip)
        if lockout is not None:
            raise Throttled(wait=lockout.retry_after, detail=lockout.message)
        user = authenticate(
            request._request, username=email, password=serializer.validated_data["password"]
        )
        if not isinstance(user, User) or not user.is_active:
            raise serializers.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        _("Unable to log in with the provided e-mail and password.")
                    ]
                }
            )
        # Two-factor sign-in: the code is checked (and a wrong one counted) before the
        # account's failures are cleared.
        problem = token_second_factor(
            user=user, code=serializer.validated_data.get("otp", ""), context=context
        )
        if problem:
            raise serializers.ValidationError({"otp": [problem]})
        login_succeeded(email)
        token, key = api_token_issue(
            user=user, name=serializer.validated_data["name"], context=context
        )
        return Response(
            TokenSerializer(
                {"token": key, "id": token.public_id, "name": token.name, "expiry": token.expiry}
            ).data
        )

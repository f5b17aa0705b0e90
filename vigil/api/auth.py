"""Token authentication for machines: e-mail and password in, an API token out."""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from vigil.accounts.lockout import login_refused, login_succeeded
from vigil.accounts.models import User
from vigil.api.parsers import JSONParser
from vigil.audit.context import RequestContext, client_ip
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from .exceptions import ErrorSerializer

OBTAIN_THROTTLE_SCOPE = "api_token"
OBTAIN_THROTTLE_RATE = "10/min"


@transaction.atomic
def api_token_issue(*, user: User, context: RequestContext | None = None) -> Token:
    """The user's API token (made on first use); every issue is audited, never the key."""
    token, created = Token.objects.get_or_create(user=user)
    audit_record(
        actor=user,
        action=AuditAction.API_TOKEN_ISSUED,
        target=user,
        data={"new": created},
        context=context,
    )
    return token


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


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(
        read_only=True, help_text=_("Send as the header `Authorization: Token <token>`.")
    )


class TokenObtainView(APIView):
    """Exchange an active account's e-mail and password for its API token.

    The same token is returned until it is revoked. Inactive accounts and wrong
    passwords get 400 and no token; attempts are throttled per client address, and
    an account (or address) with too many failed sign-ins is refused with 429 and
    Retry-After, even with the right password, until its lockout ends.
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
        login_succeeded(email)
        token = api_token_issue(user=user, context=context)
        return Response(TokenSerializer({"token": token.key}).data)

"""API tokens on the API: the caller's own tokens (authentication: `authentication.py`).

- `/api/v1/auth/tokens/`: the caller's working tokens (never the tokens themselves), and
  `DELETE /api/v1/auth/tokens/{id}/` to revoke one; another account's token answers 404,
  an administrator's included (administrators revoke them on the account's page).
- `POST /api/v1/auth/logout/`: revoke the token the request is made with.
"""

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.enums import TokenKind
from vigil.accounts.models import ApiToken, User
from vigil.accounts.tokens import RevokeReason, api_token_revoke, api_tokens_of
from vigil.audit.context import RequestContext

from .authentication import ApiTokenAuthentication
from .base import UUID_PATTERN, VigilViewSet


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        definition: dict[str, Any] = build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Token",  # noqa: S106 - the header's keyword
        )
        definition["description"] = str(
            _(
                "A token from POST /api/v1/auth/token/, sent as `Authorization: Token <token>`; "
                "it expires, and is revoked by a password change."
            )
        )
        return definition


class ApiTokenSerializer(serializers.Serializer[ApiToken]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(
        choices=TokenKind.choices,
        read_only=True,
        help_text=_(
            "“api”: sent as `Authorization: Token …`; “collect”: an ODK Collect app password."
        ),
    )
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, help_text=_("When the token stops working."))
    last_used_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("Noted at most once a minute.")
    )
    current = serializers.SerializerMethodField(
        help_text=_("Whether this request is made with this token.")
    )

    def get_current(self, token: ApiToken) -> bool:
        request = self.context.get("request")
        return getattr(getattr(request, "auth", None), "pk", None) == token.pk


@extend_schema_view(
    list=extend_schema(
        summary=_("List my API tokens"),
        description=_(
            "The caller's tokens that still work, newest first: name, creation, expiry, last "
            "use. The tokens themselves are never shown again after they are issued."
        ),
    ),
    destroy=extend_schema(
        summary=_("Revoke one of my API tokens"),
        description=_(
            "The token stops working at once (audited). 404 for a token that does not exist, "
            "has expired or belongs to another account."
        ),
    ),
)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, VigilViewSet[ApiToken]):
    """The caller's own API tokens."""

    serializer_class = ApiTokenSerializer
    lookup_value_regex = UUID_PATTERN

    def visible_to(self, user: User | None) -> QuerySet[ApiToken]:
        if user is None or getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return api_tokens_of(user)

    def perform_destroy(self, instance: ApiToken) -> None:
        api_token_revoke(actor=self.actor, token=instance, context=self.request_context)


class TokenLogoutView(APIView):
    """Sign a machine out: the token the request is made with is revoked (audited)."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout",
        tags=["auth"],
        summary=_("Revoke the token of this request"),
        request=None,
        responses={204: None},
    )
    def post(self, request: Request) -> Response:
        api_token_revoke(
            actor=cast(User, request.user),
            token=cast(ApiToken, request.auth),
            reason=RevokeReason.SIGNED_OUT,
            context=RequestContext.from_request(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

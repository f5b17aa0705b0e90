"""`Authorization: Token <token>` (`DEFAULT_AUTHENTICATION_CLASSES`): django-rest-knox's
tokens, of which the database keeps only the hash. An expired token is refused (and deleted),
an inactive account's too; each use is noted as the token's last use (at most once a minute).

Kept apart from the views: DRF imports it while it builds `APIView` itself."""

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from vigil.accounts.enums import TokenKind
from vigil.accounts.models import ApiToken, User
from vigil.accounts.tokens import api_token_used


class ApiTokenAuthentication(TokenAuthentication):  # type: ignore[misc]
    """Knox's token authentication, noting each token's last use."""

    def validate_user(self, auth_token: ApiToken) -> tuple[User, ApiToken]:
        if auth_token.kind != TokenKind.API:  # an app password opens only the OpenRosa server
            raise AuthenticationFailed(_("Invalid token."))
        user, token = super().validate_user(auth_token)
        api_token_used(token)
        return user, token

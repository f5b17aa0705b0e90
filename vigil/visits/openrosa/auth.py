"""HTTP Basic for the OpenRosa server: the account's e-mail and one of its ODK Collect app
passwords (`TokenKind.COLLECT`, issued on the account's "ODK Collect" page, kept only as a
hash, expiring, revoked with the account's other tokens). The account's own password never
opens it, nor does an API token; the app password opens nothing else. Served over HTTPS."""

import base64
import binascii
from hmac import compare_digest

from django.http import HttpRequest
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS

from vigil.accounts.enums import TokenKind
from vigil.accounts.models import ApiToken, User
from vigil.accounts.tokens import api_token_used


def _credentials(request: HttpRequest) -> tuple[str, str] | None:
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    email, colon, password = decoded.partition(":")
    if not colon or not email or not password:
        return None
    return email.strip(), password


def collect_user(request: HttpRequest) -> User | None:
    """The account whose e-mail and app password the request carries, or None."""
    credentials = _credentials(request)
    if credentials is None:
        return None
    email, password = credentials
    digest = hash_token(password)
    tokens = ApiToken.objects.filter(
        user__email__iexact=email,
        user__is_active=True,
        kind=TokenKind.COLLECT,
        token_key=password[: CONSTANTS.TOKEN_KEY_LENGTH],
        expiry__gt=timezone.now(),
    ).select_related("user")
    for token in tokens:
        if compare_digest(digest, token.digest):
            api_token_used(token)
            return token.user
    return None

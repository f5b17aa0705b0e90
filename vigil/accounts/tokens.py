"""API tokens (django-rest-knox): one per device or program, with a name, kept only as a hash,
expiring `VIGIL_API_TOKEN_TTL` days after they are issued.

Their owner lists and revokes them (page and API), an administrator on the account's page;
all of an account's tokens are revoked when its password is changed or reset, when it is
deactivated and when its role or scope changes (`vigil/accounts/services.py`). Every issue and
revocation is audited, never the token."""

import base64
import json
import zlib
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from .enums import TokenKind
from .models import ApiToken, User
from .permissions import can_hold_collect_password, can_manage_api_tokens_of
from .twofactor.services import qr_data_uri

LAST_USE_EVERY = timedelta(minutes=1)
"""A token's last use is written at most this often (not on every request)."""


class RevokeReason(StrEnum):
    OWNER = "owner"
    ADMINISTRATOR = "administrator"
    SIGNED_OUT = "signed_out"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    PASSWORD_RESET = "password_reset"  # noqa: S105
    DEACTIVATED = "deactivated"
    ROLE_CHANGED = "role_changed"


def api_tokens_of(owner: User, kind: TokenKind | None = None) -> QuerySet[ApiToken]:
    """The owner's tokens that still work (of one kind, if given), newest first."""
    tokens = ApiToken.objects.filter(user=owner, expiry__gt=timezone.now())
    if kind is not None:
        tokens = tokens.filter(kind=kind)
    return tokens.order_by("-created")


def api_token_of(actor: User | None, owner: User, public_id: object) -> ApiToken | None:
    """One of `owner`'s working tokens, if `actor` may manage them (else None: a 404)."""
    if not can_manage_api_tokens_of(actor, owner):
        return None
    try:
        return api_tokens_of(owner).filter(public_id=public_id).first()
    except ValidationError:  # not a UUID
        return None


@transaction.atomic
def api_token_issue(
    *,
    user: User,
    name: str,
    kind: TokenKind = TokenKind.API,
    context: RequestContext | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the user's device: the instance and the token itself, which is shown
    once and never stored. An app password for ODK Collect (`TokenKind.COLLECT`) only for
    those who fill checklists on visits."""
    if kind == TokenKind.COLLECT and not can_hold_collect_password(user):
        raise PermissionDenied(_("Only members of visit teams use ODK Collect."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the device or program that will use the token.")})
    ApiToken(user=user, name=name).clean_fields(exclude=["digest", "token_key", "expiry"])
    token, key = ApiToken.objects.create(
        user=user, expiry=timedelta(days=settings.VIGIL_API_TOKEN_TTL), name=name, kind=kind
    )
    audit_record(
        actor=user,
        action=AuditAction.API_TOKEN_ISSUED,
        target=user,
        data={
            "token": str(token.public_id),
            "name": name,
            "kind": kind.value,
            "expiry": token.expiry.isoformat(),
        },
        context=context,
    )
    return token, key


def api_token_used(token: ApiToken) -> None:
    """Note a request with the token (at most once a minute: one UPDATE, no audit row)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def api_token_revoke(
    *,
    actor: User,
    token: ApiToken,
    reason: RevokeReason | None = None,
    context: RequestContext | None = None,
) -> None:
    """Revoke one token (its owner, or an administrator)."""
    owner = token.user
    if not can_manage_api_tokens_of(actor, owner):
        raise PermissionDenied
    if reason is None:
        reason = RevokeReason.OWNER if actor.pk == owner.pk else RevokeReason.ADMINISTRATOR
    public_id, name = str(token.public_id), token.name
    token.delete()
    audit_record(
        actor=actor,
        action=AuditAction.API_TOKEN_REVOKED,
        target=owner,
        data={"token": public_id, "name": name, "reason": reason.value},
        context=context,
    )


@transaction.atomic
def api_tokens_revoke_all(
    *,
    actor: User | None,
    owner: User,
    reason: RevokeReason,
    context: RequestContext | None = None,
) -> int:
    """Revoke every token of `owner` (expired ones too); audited once, when there were any.
    `actor=None` is the system."""
    if actor is not None and not can_manage_api_tokens_of(actor, owner):
        raise PermissionDenied
    tokens = ApiToken.objects.filter(user=owner)
    names = sorted(tokens.values_list("name", flat=True))
    if not names:
        return 0
    tokens.delete()
    audit_record(
        actor=actor,
        action=AuditAction.API_TOKENS_REVOKED,
        target=owner,
        data={"count": len(names), "names": names, "reason": reason.value},
        context=context,
    )
    return len(names)


def collect_settings_payload(*, server: str, username: str, password: str) -> str:
    """What the QR code ODK Collect scans to set up a project holds: its settings as JSON,
    compressed with zlib, in base64 (docs.getodk.org/collect-import-export)."""
    settings_json = {
        "general": {
            "server_url": server,
            "username": username,
            "password": password,
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
            "delete_send": True,
        },
        "admin": {"change_server": False},
        "project": {"name": "Vigil", "icon": "V", "color": "#1f4e79"},
    }
    return base64.b64encode(zlib.compress(json.dumps(settings_json).encode())).decode()


def collect_settings_qr(*, server: str, username: str, password: str) -> str:
    """The QR code of `collect_settings_payload`, as an SVG data URI. It holds the app
    password: shown once, on the page that issued it."""
    return str(
        qr_data_uri(collect_settings_payload(server=server, username=username, password=password))
    )

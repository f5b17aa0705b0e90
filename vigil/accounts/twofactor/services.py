"""Two-factor writes: enrolment, a second factor checked at sign-in, recovery codes, turning
it off and an administrator's reset. Each is audited; a wrong code counts as a failed sign-in
for the lockout (vigil/accounts/lockout.py), so the code step cannot be guessed through."""

import base64
import os
import secrets
from enum import StrEnum
from urllib.parse import quote, urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from ..lockout import login_failed, login_succeeded
from ..models import TOTP_DIGITS, TOTP_STEP, AuthenticatorDevice, RecoveryCode, User
from ..permissions import can_disable_two_factor, can_reset_two_factor, must_use_two_factor

SECRET_BYTES = 20
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10


class Pending(StrEnum):
    """What a signed-in account still owes before it may go on."""

    ENROL = "enrol"
    VERIFY = "verify"


def confirmed_device(user: User) -> AuthenticatorDevice | None:
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_pending(user: User, *, verified: bool) -> Pending | None:
    """VERIFY for an account with an authenticator that has not entered a code in this
    session; ENROL for one that must use two-factor sign-in and has none; else None."""
    if verified:
        return None
    if confirmed_device(user) is not None:
        return Pending.VERIFY
    if must_use_two_factor(user):
        return Pending.ENROL
    return None


def secret_text(secret: bytes) -> str:
    """The secret as authenticator apps take it typed (base32, no padding)."""
    return base64.b32encode(secret).decode().rstrip("=")


def provisioning_uri(user: User, secret: bytes) -> str:
    issuer = settings.VIGIL_TWO_FACTOR_ISSUER.replace(":", "")
    label = quote(f"{issuer}:{user.email}")
    query = urlencode(
        {
            "secret": secret_text(secret),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": TOTP_DIGITS,
            "period": TOTP_STEP,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def qr_data_uri(uri: str) -> str:
    """The QR code of `uri` as an SVG data URI (an <img> the site's CSP allows)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


@transaction.atomic
def enrolment_start(*, user: User) -> AuthenticatorDevice:
    """The account's unconfirmed authenticator (a new secret the first time; the same one
    until confirmed, so a reload shows the same QR code)."""
    device = AuthenticatorDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed:
        raise ValidationError(_("Two-factor sign-in is already on for this account."))
    if device is None:
        device = AuthenticatorDevice(user=user, name="authenticator", confirmed=False)
        device.set_secret(os.urandom(SECRET_BYTES))
        device.save()
    return device


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=make_password(code)) for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@transaction.atomic
def enrolment_confirm(
    *, user: User, code: str, context: RequestContext | None = None
) -> tuple[AuthenticatorDevice, list[str]]:
    """Confirm the unconfirmed authenticator with its first code: two-factor sign-in is on,
    and ten new recovery codes are returned (shown once, only their hashes kept)."""
    device = AuthenticatorDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed:
        raise ValidationError(_("Start the enrolment again."))
    if not device.verify_token(code):
        raise ValidationError({"code": _("This code is not right. Enter the current code.")})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action=AuditAction.TWO_FACTOR_ENROLLED, target=user, context=context)
    return device, codes


@transaction.atomic
def enrolment_preset(*, user: User, secret: bytes, data: dict[str, str]) -> None:
    """A confirmed authenticator with a given secret, the system as actor, for accounts made
    in bulk (the demo accounts' published secret); an enrolled account is left as it is."""
    if AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists():
        return
    AuthenticatorDevice.objects.filter(user=user).delete()
    device = AuthenticatorDevice(user=user, name="authenticator", confirmed=True)
    device.set_secret(secret)
    device.save()
    audit_record(actor=None, action=AuditAction.TWO_FACTOR_ENROLLED, target=user, data=data)


@transaction.atomic
def recovery_codes_regenerate(*, user: User, context: RequestContext | None = None) -> list[str]:
    """Ten new recovery codes; the old ones no longer work."""
    if confirmed_device(user) is None:
        raise ValidationError(_("Two-factor sign-in is not on for this account."))
    codes = _new_recovery_codes(user)
    audit_record(
        actor=user, action=AuditAction.RECOVERY_CODES_REGENERATED, target=user, context=context
    )
    return codes


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _spend_recovery_code(user: User, code: str) -> bool:
    if len(code) != RECOVERY_LENGTH:
        return False
    for recovery in RecoveryCode.objects.select_for_update().filter(user=user, used_at=None):
        if check_password(code, recovery.code_hash):
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            return True
    return False


def _code_matches(user: User, device: AuthenticatorDevice, code: str) -> AuditAction | None:
    """The action that records the match (a code of the app, or a recovery code), or None."""
    text = _normalised(code)
    if text.isdigit() and len(text) == TOTP_DIGITS:
        if django_otp.verify_token(user, device.persistent_id, text) is not None:
            return AuditAction.TWO_FACTOR_VERIFIED
        return None
    if _spend_recovery_code(user, text):
        return AuditAction.RECOVERY_CODE_USED
    return None


def second_factor_check(
    *, user: User, code: str, context: RequestContext | None = None
) -> AuthenticatorDevice | None:
    """The account's authenticator when `code` is its current code or an unused recovery
    code (spent now); None, a failed sign-in counted for the lockout, otherwise."""
    with transaction.atomic():
        device = confirmed_device(user)
        action = _code_matches(user, device, code) if device is not None and code else None
        if device is not None and action is not None:
            data = {"unused_recovery_codes": unused_recovery_codes(user)}
            audit_record(actor=user, action=action, target=user, data=data, context=context)
            login_succeeded(user.email)
            return device
        audit_record(actor=user, action=AuditAction.TWO_FACTOR_FAILED, target=user, context=context)
    login_failed(user.email, context.ip if context else None, context)
    return None


def unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


def _remove(user: User) -> None:
    AuthenticatorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_disable(
    *, user: User, password: str, code: str, context: RequestContext | None = None
) -> None:
    """Turn two-factor sign-in off (password and a current code), where the role allows."""
    if not can_disable_two_factor(user):
        raise PermissionDenied
    device = confirmed_device(user)
    errors: dict[str, str] = {}
    if not user.check_password(password):
        errors["password"] = _("This password is not right.")
    if device is None or not device.verify_token(_normalised(code)):
        errors["code"] = _("This code is not right. Enter the current code.")
    if errors:
        raise ValidationError(errors)
    _remove(user)
    audit_record(actor=user, action=AuditAction.TWO_FACTOR_DISABLED, target=user, context=context)


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, context: RequestContext | None = None) -> None:
    """An administrator removes an account's authenticator and recovery codes (a lost
    phone): the account enrols again at its next sign-in if its role requires it."""
    if not can_reset_two_factor(actor, user):
        raise PermissionDenied
    had_device = AuthenticatorDevice.objects.filter(user=user).exists()
    _remove(user)
    audit_record(
        actor=actor,
        action=AuditAction.TWO_FACTOR_RESET,
        target=user,
        data={"had_device": had_device},
        context=context,
    )


def token_second_factor(*, user: User, code: str, context: RequestContext | None = None) -> str:
    """For the API token endpoint: "" when the account may have a token, else why not."""
    if second_factor_pending(user, verified=False) is None:
        return ""
    if confirmed_device(user) is None:
        return _("Turn on two-factor sign-in on the site first, then ask for a token.")
    if second_factor_check(user=user, code=code, context=context) is None:
        return _("Enter the current code of your authenticator app or a recovery code.")
    return ""

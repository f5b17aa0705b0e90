"""Accounts: login by e-mail, one role per user, scopes for regional and agency roles."""

import time
import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.oath import TOTP
from knox.models import AbstractAuthToken

from vigil.core.crypto import keyring
from vigil.core.models import BaseModel

from .enums import Role, TokenKind


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(BaseModel, AbstractBaseUser):  # type: ignore[django-manager-missing]
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    regions = models.ManyToManyField(
        "reference.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="users",
        help_text=_("Regional representatives see and act only in these regions."),
    )
    agency = models.ForeignKey(
        "reference.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaisons",
        help_text=_("Agency liaisons see only this agency and its sub-units."),
    )
    preferred_language = models.CharField(_("preferred language"), max_length=5, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name", "role"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("email",)

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def has_role(self, *roles: Role) -> bool:
        return self.is_active and self.role in roles


class LoginFailure(models.Model):
    """One failed sign-in, kept only as long as the lockout needs it (vigil/accounts/lockout.py).

    The account is a keyed hash of the normalised e-mail, never the e-mail itself.
    """

    account_key = models.CharField(_("account key"), max_length=64)
    ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = (
            models.Index(fields=("account_key", "at"), name="accounts_failure_account"),
            models.Index(fields=("ip", "at"), name="accounts_failure_ip"),
            models.Index(fields=("at",), name="accounts_failure_at"),
        )

    def __str__(self) -> str:
        return f"{self.account_key[:8]} {self.at:%Y-%m-%d %H:%M:%S}"


class ApiToken(AbstractAuthToken):
    """An API token of one device or program (django-rest-knox, `KNOX_TOKEN_MODEL`).

    The database keeps the token's SHA-512 (`digest`) and its first 15 characters (`token_key`,
    the prefix "vigil_" and 9 of its 64 random hex digits, for the lookup): never the token.
    It expires (`expiry`, `VIGIL_API_TOKEN_TTL` days after it was issued); vigil/accounts/tokens.py
    issues and revokes them.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("The device or program that will use the token.")
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=TokenKind.choices, default=TokenKind.API
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created",)

    def __str__(self) -> str:
        return self.name


class AuthenticatorDevice(Device):
    """An authenticator app (TOTP, RFC 6238: 6 digits every 30 seconds), one per account.

    The shared secret is stored only encrypted with the field keys (`vigil.core.crypto`), bound
    to its account, so a copy of the database alone gives no usable secret. A device is
    unconfirmed until its first code is entered (vigil/accounts/twofactor/)."""

    encrypted_key = models.BinaryField(_("encrypted secret"))
    last_t = models.BigIntegerField(
        _("last time step used"), default=-1, help_text=_("A code is accepted only once.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")
        constraints = (
            models.UniqueConstraint(fields=("user",), name="accounts_one_authenticator"),
        )

    def secret(self) -> bytes:
        return keyring().decrypt(bytes(self.encrypted_key), device_binding(self.user_id))

    def set_secret(self, secret: bytes) -> None:
        self.encrypted_key = keyring().encrypt(secret, device_binding(self.user_id))

    def verify_token(self, token: Any) -> bool:
        """django-otp's interface: the current code (or one step either side), each once."""
        text = str(token).strip()
        if not (text.isdigit() and len(text) == TOTP_DIGITS):
            return False
        totp = TOTP(self.secret(), step=TOTP_STEP, digits=TOTP_DIGITS)
        totp.time = time.time()
        if not totp.verify(int(text), tolerance=1, min_t=self.last_t + 1):
            return False
        self.last_t = totp.t()
        self.save(update_fields=["last_t"])
        return True


class RecoveryCode(models.Model):
    """A one-time code for signing in without the authenticator app; only its hash is kept
    (Django's password hashers), and it is spent on use."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(_("hash"), max_length=256)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.user_id} {'used' if self.used_at else 'unused'}"


TOTP_STEP = 30
TOTP_DIGITS = 6


def device_binding(user_id: int) -> bytes:
    """Associated data of a device's ciphertext: a secret moved to another account fails."""
    return f"accounts.authenticator:{user_id}".encode()

"""Demo accounts: one per role, with a known password, for demonstrations and manual testing.

Never for a production database: the password is public. `generate_demo_data` refuses to run
under the production settings unless told otherwise.
"""

import base64
import os
from dataclasses import dataclass
from typing import Literal

from django.db import transaction

from vigil.accounts.enums import Role
from vigil.accounts.models import AuthenticatorDevice, User
from vigil.accounts.permissions import must_use_two_factor
from vigil.accounts.services import user_create
from vigil.accounts.twofactor.services import enrolment_preset
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.crypto import DecryptionError
from vigil.reference.models import Agency, Region

DEFAULT_DEMO_PASSWORD = "vigil-demo"  # noqa: S105 - public by design, demo only
DEMO_PASSWORD_ENV = "DEMO_PASSWORD"  # noqa: S105 - the variable's name, not a secret
# The authenticator secret of the demo accounts whose role requires two-factor sign-in:
# published (README), demo only; `manage.py demo_code` prints its current code.
DEMO_TOTP_SECRET = "OZUWO2LMFVSGK3LPFV2G65DQFVVWK6JB"  # noqa: S105 - public by design

Outcome = Literal["created", "password reset", "unchanged"]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    full_name: str
    regions: tuple[str, ...] = ()
    agency: str = ""


# Clearly fictitious names: the role is the surname, so nobody mistakes them for real people.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin@demo.vigil", Role.ADMIN, "Demo Administrator"),
    DemoAccount("coordinator@demo.vigil", Role.COORDINATOR, "Demo Coordinator"),
    DemoAccount(
        "regional@demo.vigil",
        Role.REGIONAL,
        "Demo Regional Representative",
        regions=("KZ-71", "KZ-11"),
    ),
    DemoAccount("monitor@demo.vigil", Role.MONITOR, "Demo Monitor"),
    DemoAccount("liaison@demo.vigil", Role.LIAISON, "Demo Agency Liaison", agency="MVD-KUIS"),
    DemoAccount("auditor@demo.vigil", Role.AUDITOR, "Demo Auditor"),
)


def demo_totp_secret() -> bytes:
    return base64.b32decode(DEMO_TOTP_SECRET)


def demo_secret_in_use() -> bool:
    """Whether a demo account signs in with the demo secret (the database holds demo data)."""
    emails = [account.email for account in DEMO_ACCOUNTS]
    devices = AuthenticatorDevice.objects.filter(user__email__in=emails, confirmed=True)
    for device in devices:
        try:
            if device.secret() == demo_totp_secret():
                return True
        except DecryptionError:
            continue  # not readable with this install's keys: not the demo's
    return False


def demo_two_factor_ensure() -> int:
    """Enrol the demo accounts whose role requires two-factor sign-in with the demo secret
    (an account enrolled otherwise is left as it is); how many use a second factor."""
    enrolled = 0
    for user in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]):
        if must_use_two_factor(user):
            enrolment_preset(user=user, secret=demo_totp_secret(), data={"reason": "demo account"})
            enrolled += 1
    return enrolled


def demo_password() -> str:
    """The demo password: `$DEMO_PASSWORD` when set, else the documented default."""
    return os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def demo_users_ensure(*, password: str) -> list[tuple[DemoAccount, Outcome]]:
    """Create the missing demo accounts; reset an existing one's password if it differs.

    An existing account is otherwise left as it is (its role, name and scope may have been
    changed on purpose during a demonstration).
    """
    results: list[tuple[DemoAccount, Outcome]] = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            regions = list(Region.objects.filter(code__in=account.regions))
            missing = set(account.regions) - {r.code for r in regions}
            if missing:
                raise ValueError(f"Demo account {account.email}: unknown regions {missing}.")
            agency = Agency.objects.get(code=account.agency) if account.agency else None
            user_create(
                actor=None,
                email=account.email,
                full_name=account.full_name,
                role=account.role,
                password=password,
                regions=regions,
                agency=agency,
            )
            results.append((account, "created"))
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            audit_record(
                actor=None,
                action=AuditAction.PASSWORD_CHANGED,
                target=user,
                data={"reason": "demo account password reset"},
            )
            results.append((account, "password reset"))
        else:
            results.append((account, "unchanged"))
    demo_two_factor_ensure()
    return results


def demo_two_factor_emails() -> set[str]:
    """The demo accounts that sign in with a second factor."""
    return set(
        AuthenticatorDevice.objects.filter(
            user__email__in=[a.email for a in DEMO_ACCOUNTS], confirmed=True
        ).values_list("user__email", flat=True)
    )

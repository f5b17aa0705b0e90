"""The demo accounts of the roles that require two-factor sign-in are enrolled with the
published demo secret; `python manage.py demo_code` prints its current code, and refuses a
database without demo data."""

from pathlib import Path

from django_otp.oath import totp

from vigil.accounts.models import AuthenticatorDevice, User
from vigil.core.tests.commands import migrated
from vigil.demo.accounts import (
    DEMO_ACCOUNTS,
    demo_secret_in_use,
    demo_totp_secret,
    demo_two_factor_ensure,
)


def test_the_required_roles_demo_accounts_use_the_demo_secret(ref, settings):
    settings.VIGIL_TWO_FACTOR_REQUIRED_ROLES = ("admin", "coordinator", "regional")
    assert not demo_secret_in_use()
    for account in DEMO_ACCOUNTS:
        if account.role in ("admin", "coordinator", "monitor"):
            User.objects.create_user(account.email, full_name="x", role=account.role)
    demo_two_factor_ensure()
    enrolled = set(
        AuthenticatorDevice.objects.filter(confirmed=True).values_list("user__email", flat=True)
    )
    assert enrolled == {"admin@demo.vigil", "coordinator@demo.vigil"}  # not the monitor
    assert all(d.secret() == demo_totp_secret() for d in AuthenticatorDevice.objects.all())
    assert demo_secret_in_use()


def test_demo_code_prints_the_code_and_refuses_without_demo_data(tmp_path: Path) -> None:
    manage = migrated(tmp_path)
    refused = manage("demo_code")
    assert refused.returncode != 0
    assert "not a demo database" in refused.stderr
    # The test settings make a new encryption key in each process and require no second
    # factor: the accounts are enrolled (as under the default settings) in the same process.
    script = (
        "from django.conf import settings; from django.core.management import call_command; "
        "settings.VIGIL_TWO_FACTOR_REQUIRED_ROLES = ('coordinator',); "
        "from vigil.demo.accounts import demo_users_ensure; demo_users_ensure(password='x'); "
        "call_command('demo_code')"
    )
    printed = manage.ok("shell", "-c", script).stdout.split()[-1]
    expected = {f"{totp(demo_totp_secret(), t0=t0):06d}" for t0 in (0, 30)}
    assert printed in expected

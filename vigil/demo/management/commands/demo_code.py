"""`manage.py demo_code`: the current sign-in code of the demo accounts' published
authenticator secret (demo data only: refused where no demo account uses that secret)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from vigil.accounts.models import TOTP_DIGITS, TOTP_STEP

from ...accounts import demo_secret_in_use, demo_totp_secret


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of the demo accounts (their published demo "
        "secret); refused on a database without demo accounts using it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_secret_in_use():
            raise CommandError(
                "No demo account signs in with the demo secret: this is not a demo database "
                "(run `make run` or `manage.py generate_demo_data`)."
            )
        now = time.time()
        code = totp(demo_totp_secret(), step=TOTP_STEP, digits=TOTP_DIGITS)
        left = TOTP_STEP - int(now) % TOTP_STEP
        self.stdout.write(f"{code:0{TOTP_DIGITS}d}")
        self.stderr.write(f"valid for {left} more seconds (and the next 30)")

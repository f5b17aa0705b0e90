"""`manage.py generate_demo_data --seed N --scale demo|national`: synthetic demo data.

The command only orchestrates: `vigil.demo` has one generator per domain (accounts: demo
users; registry: institutions; people: participants; visits; recommendations; appeals,
referrals, criminal cases, accountability, incidents), run in
dependency order by `_steps`. Deterministic for a seed and idempotent: running it again with
the same seed changes nothing.
"""

import os
import random
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from vigil.reference.loader import ReferenceDataError, reference_data_load
from vigil.reference.models import Region

from ...accounts import DEMO_ACCOUNTS, DEMO_PASSWORD_ENV, demo_password, demo_users_ensure
from ...appeals import generate_appeals
from ...people import generate_participants
from ...recommendations import generate_recommendations
from ...registry import SCALES, DemoDataError, generate_institutions
from ...visits import generate_visits


class Command(BaseCommand):
    help = (
        "Generate synthetic demo data: one demo account per role and institutions "
        "(about 150 with --scale demo, 3,000+ over all regions with --scale national), "
        "participants, visits, recommendations, appeals, referrals, art. 146 cases, "
        "accountability records and incidents."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default: 1).")
        parser.add_argument("--scale", choices=SCALES, default="demo", help="How much data.")
        parser.add_argument("--country", default="kz", help="Country folder (default: kz).")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even under the production settings (demo accounts have a public password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if (
            str(settings.SETTINGS_MODULE).endswith(".production")
            and not options["allow_production"]
        ):
            raise CommandError(
                "Refusing to create demo accounts with a public password under the production "
                "settings; pass --allow-production for a throwaway demonstration server."
            )
        seed, scale, country = options["seed"], options["scale"], options["country"]
        started = time.monotonic()
        try:
            if not Region.objects.exists():
                self.stdout.write("No regions yet: loading the reference data first.")
                reference_data_load(country=country)
            rng = random.Random(seed)  # noqa: S311 (synthetic demo data, not security)
            summary = {name: step() for name, step in self._steps(rng, scale)}
        except (ReferenceDataError, DemoDataError, ValueError) as exc:
            raise CommandError(str(exc)) from exc

        elapsed = time.monotonic() - started
        self.stdout.write(f"Demo data (seed {seed}, scale {scale}) in {elapsed:.1f} s:")
        width = max(map(len, summary), default=0) + 2
        for name, counts in summary.items():
            parts = ", ".join(f"{value} {key}" for key, value in counts.items())
            self.stdout.write(f"  {name:<{width}}{parts}")
        self._logins()

    def _steps(
        self, rng: random.Random, scale: str
    ) -> list[tuple[str, Callable[[], dict[str, int]]]]:
        """Each domain's generator, in dependency order."""
        return [
            ("accounts", self._accounts),
            ("institutions", lambda: generate_institutions(rng, scale)),  # type: ignore[arg-type]
            ("participants", lambda: generate_participants(rng, scale)),  # type: ignore[arg-type]
            ("visits", lambda: generate_visits(rng, scale)),  # type: ignore[arg-type]
            ("recommendations", lambda: generate_recommendations(rng, scale)),  # type: ignore[arg-type]
            ("appeals", lambda: generate_appeals(rng, scale)),  # type: ignore[arg-type]
        ]

    def _accounts(self) -> dict[str, int]:
        counts = {"created": 0, "password reset": 0, "unchanged": 0}
        for _account, outcome in demo_users_ensure(password=demo_password()):
            counts[outcome] += 1
        return counts

    def _logins(self) -> None:
        password = demo_password()
        source = f"from ${DEMO_PASSWORD_ENV}" if os.environ.get(DEMO_PASSWORD_ENV) else "default"
        with translation.override("en"):
            rows = [("E-mail", "Role", "Password")] + [
                (a.email, str(a.role.label), password) for a in DEMO_ACCOUNTS
            ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password {source}):")
        for index, row in enumerate(rows):
            cells = zip(row, widths, strict=True)
            self.stdout.write(
                ("  " + "  ".join(cell.ljust(width) for cell, width in cells)).rstrip()
            )
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))

"""`manage.py generate_demo_data --seed N --scale demo|national|10x`: synthetic demo data.

The command only orchestrates: `vigil.demo` has one generator per domain (accounts: demo
users; registry: institutions; people: participants; visits; recommendations; appeals,
referrals, criminal cases, accountability, incidents; UN documents), run in
dependency order by `_steps`. Deterministic for a seed and idempotent: running it again with
the same seed changes nothing.

`--published-figures` loads instead only the data set that reproduces the NPM's published
figures (`vigil.demo.published`: 2023's visits, recommendations and officials brought to
justice, 2021's penitentiary tally) and the demo accounts, on a database without visits.
"""

import os
import random
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from vigil.reference.loader import ReferenceDataError, reference_data_load
from vigil.reference.models import Region
from vigil.visits.models import Visit

from ...accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD_ENV,
    DEMO_TOTP_SECRET,
    demo_password,
    demo_two_factor_emails,
    demo_users_ensure,
)
from ...appeals import generate_appeals
from ...international import generate_un_documents
from ...people import generate_participants
from ...published import PublishedSummary, build_published_figures
from ...recommendations import generate_recommendations
from ...registry import DemoDataError, generate_institutions
from ...scales import SCALES
from ...visits import generate_visits


class Command(BaseCommand):
    help = (
        "Generate synthetic demo data: one demo account per role and institutions "
        "(about 150 with --scale demo, 3,000+ over all regions with --scale national, "
        "ten times as many of everything with --scale 10x), "
        "participants, visits, recommendations, appeals, referrals, art. 146 cases, "
        "accountability records and incidents, and UN documents (CAT, SPT, UPR) with "
        "assessments and links to the demo evidence."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default: 1).")
        parser.add_argument("--scale", choices=SCALES, default="demo", help="How much data.")
        parser.add_argument("--country", default="kz", help="Country folder (default: kz).")
        parser.add_argument(
            "--published-figures",
            action="store_true",
            help=(
                "Load only the data reproducing the NPM's published figures (2023: 461 visits "
                "to 474 institutions, 3,012 recommendations, 258 + 17 officials; 2021: the "
                "penitentiary tally 758 / 275 / 456 / 27) and the demo accounts; needs a "
                "database without visits."
            ),
        )
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
            if options["published_figures"]:
                published = self._published(seed)
            else:
                rng = random.Random(seed)  # noqa: S311 (synthetic demo data, not security)
                summary, seconds = {}, {}
                for name, step in self._steps(rng, scale):
                    begun = time.monotonic()
                    summary[name] = step()
                    seconds[name] = time.monotonic() - begun
        except (ReferenceDataError, DemoDataError, ValueError) as exc:
            raise CommandError(str(exc)) from exc

        if options["published_figures"]:
            self._published_report(published, seed, time.monotonic() - started)
            self._logins()
            return

        elapsed = time.monotonic() - started
        self.stdout.write(f"Demo data (seed {seed}, scale {scale}) in {elapsed:.1f} s:")
        width = max(map(len, summary), default=0) + 2
        for name, counts in summary.items():
            parts = ", ".join(f"{value} {key}" for key, value in counts.items())
            self.stdout.write(f"  {name:<{width}}{parts} ({seconds[name]:.1f} s)")
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
            ("UN documents", generate_un_documents),
        ]

    @transaction.atomic
    def _published(self, seed: int) -> PublishedSummary:
        if Visit.objects.exists():
            raise DemoDataError(
                "This database already has visits: the published figures are loaded only on a "
                "database with the reference data and no demo data (their counts must be exact)."
            )
        self._accounts()
        return build_published_figures(seed=seed)

    def _published_report(self, summary: PublishedSummary, seed: int, elapsed: float) -> None:
        types = ", ".join(f"{n} {kind}" for kind, n in summary.visits_by_type_2023.items())
        tally, kuis = summary.tally_2023, summary.kuis_2021
        officials = summary.officials_2023
        lines = (
            f"Published figures (seed {seed}) in {elapsed:.1f} s:",
            f"  2023 visits           {summary.visits_2023} ({types})",
            f"  2023 institutions     {summary.institutions_visited_2023} visited",
            f"  2023 recommendations  {summary.recommendations_2023}, "
            f"{tally['implemented']} implemented ({summary.implementation_rate_2023}%)",
            f"  2023 officials        {officials['commissioner']} on the Commissioner's "
            f"representatives' proposals, {officials['npm_participant']} on NPM participants' "
            "initiative",
            f"  2021 penitentiary     {kuis['issued']} recommendations, {kuis['implemented']} "
            f"implemented, {kuis['in_implementation']} in implementation, "
            f"{kuis['not_accepted']} not accepted ({summary.kuis_implementation_rate_2021}%)",
        )
        for line in lines:
            self.stdout.write(line)

    def _accounts(self) -> dict[str, int]:
        counts = {"created": 0, "password reset": 0, "unchanged": 0}
        for _account, outcome in demo_users_ensure(password=demo_password()):
            counts[outcome] += 1
        return counts

    def _logins(self) -> None:
        password = demo_password()
        source = f"from ${DEMO_PASSWORD_ENV}" if os.environ.get(DEMO_PASSWORD_ENV) else "default"
        two_factor = demo_two_factor_emails()
        with translation.override("en"):
            rows = [("E-mail", "Role", "Password", "Second factor")] + [
                (
                    a.email,
                    str(a.role.label),
                    password,
                    "demo code" if a.email in two_factor else "-",
                )
                for a in DEMO_ACCOUNTS
            ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password {source}):")
        for index, row in enumerate(rows):
            cells = zip(row, widths, strict=True)
            self.stdout.write(
                ("  " + "  ".join(cell.ljust(width) for cell, width in cells)).rstrip()
            )
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
        if two_factor:
            self.stdout.write(
                "Accounts with a second factor ask for a code after the password: "
                "`python manage.py demo_code` prints the current one (or add the published "
                f"demo secret {DEMO_TOTP_SECRET} to an authenticator app)."
            )

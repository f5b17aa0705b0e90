"""Schedule the follow-up contacts of people at risk of reprisals who have none yet.

Run it once a day (cron: see docs/operations.md); running it again schedules nothing twice.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vigil.appeals.services.follow_ups import follow_ups_schedule_due


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Give the date as YYYY-MM-DD, not “%(value)s”.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Schedule follow-up contacts for interviewees and appellants with a reprisal risk "
        "who have none (high risk: after 7 and 30 days, low: after 30, by default; see the "
        "VIGIL_FOLLOW_UP_* settings). Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Run as on this date (default: today in the site's time zone).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["today"]) if options.get("today") else None
        result = follow_ups_schedule_due(today=today)
        self.stdout.write(
            _("%(contacts)d follow-up contacts scheduled for %(people)d people.")
            % {"contacts": result.contacts, "people": result.people}
        )

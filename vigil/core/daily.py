"""The base of the commands a scheduler runs once a day (deadline reminders, follow-up
contacts): `--today YYYY-MM-DD` runs one as on that date (default: today in the site's time
zone), so a missed day can be caught up and tests can set the day."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Give the date as YYYY-MM-DD, not “%(value)s”.") % {"value": value}
        ) from None


class DailyCommand(BaseCommand):
    """Subclasses write `run(today)`: today is None unless `--today` was given."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Run as on this date (default: today in the site's time zone).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(iso_date(options["today"]) if options.get("today") else None)

    def run(self, today: datetime.date | None) -> None:
        raise NotImplementedError

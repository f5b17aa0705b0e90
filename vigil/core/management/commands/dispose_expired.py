"""`manage.py dispose_expired [--dry-run] [--today YYYY-MM-DD]`: disposes of the records
whose retention period has ended (`vigil.core.retention`), except those under a legal hold.

Prints, per kind of record, how many were disposed of (or would be, with `--dry-run`) and how
many a legal hold keeps; never any content. Run it daily or monthly (docs/operations.md).
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vigil.core.retention import dispose_expired


class Command(BaseCommand):
    help = "Dispose of interviews, appeals and files whose retention period has ended."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be disposed of."
        )
        parser.add_argument(
            "--today", help="Count periods as ended on this day (YYYY-MM-DD); default: today."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(_("--today takes a date as YYYY-MM-DD.")) from exc
        dry_run = bool(options["dry_run"])
        for count in dispose_expired(today=today, dry_run=dry_run):
            if dry_run:
                line = _("%(label)s (%(rule)s): %(due)d would be disposed of, %(held)d on hold")
            else:
                line = _("%(label)s (%(rule)s): %(due)d disposed of, %(held)d on hold")
            self.stdout.write(
                line
                % {"label": count.label, "rule": count.rule, "due": count.due, "held": count.held}
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))

"""`manage.py clean_kept_forms [--dry-run]`: removes what the keeping of forms leaves behind.

Files kept for a form that came back with an error live a day (`core.files.pending`); the
keys that make a form sent again after a dropped connection save once live as long as a
device keeps an unsent form (`core.submissions`). Run it daily (docs/operations.md).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from vigil.core.files.pending import pending_sweep
from vigil.core.submissions import submissions_prune


class Command(BaseCommand):
    help = "Remove files kept for forms never sent again, and form keys that cannot come again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count, remove nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        files = pending_sweep(dry_run=dry_run)
        keys = submissions_prune(dry_run=dry_run)
        if dry_run:
            message = _("Would remove %(files)d kept files and %(keys)d form keys.")
        else:
            message = _("Removed %(files)d kept files and %(keys)d form keys.")
        self.stdout.write(message % {"files": files, "keys": keys})

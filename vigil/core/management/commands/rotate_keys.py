"""`manage.py rotate_keys [--dry-run] [--batch-size N]`: re-encrypt every field and file
encrypted with an older key version with the current one (the first in
`FIELD_ENCRYPTION_KEYS`). Safe while the site runs, resumable (docs/operations.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from vigil.core.crypto import keyring
from vigil.core.rotation import DEFAULT_BATCH_SIZE, RotationCount, keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field and file with the current key version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count, change nothing.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="Rows per transaction (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        self.stdout.write(
            _("Current key version: %(version)d.") % {"version": keyring().current_version}
        )

        def progress(count: RotationCount) -> None:
            if not dry_run:
                self.stdout.write(
                    _("%(label)s: %(done)d re-encrypted so far")
                    % {"label": count.label, "done": count.rotated}
                )

        counts = keys_rotate(
            dry_run=dry_run, batch_size=max(1, options["batch_size"]), progress=progress
        )
        for count in counts:
            if dry_run:
                message = _("%(label)s: %(pending)d would be re-encrypted.")
            else:
                message = _(
                    "%(label)s: %(rotated)d re-encrypted, %(meanwhile)d changed meanwhile "
                    "(left to the next run)."
                )
            self.stdout.write(
                message
                % {
                    "label": count.label,
                    "pending": count.pending,
                    "rotated": count.rotated,
                    "meanwhile": count.changed_meanwhile,
                }
            )
        total = sum(count.pending for count in counts)
        if dry_run:
            self.stdout.write(_("%(total)d would be re-encrypted in all.") % {"total": total})
        else:
            done = sum(count.rotated for count in counts)
            self.stdout.write(_("%(done)d re-encrypted in all.") % {"done": done})

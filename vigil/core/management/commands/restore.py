"""`manage.py restore ARCHIVE [--verify]`: check an archive made by `manage.py backup` and
restore it into an empty, migrated instance, all or nothing (docs/operations.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vigil.core.backup.cipher import BackupError, backup_key
from vigil.core.backup.restore import archive_restore, archive_verify


class Command(BaseCommand):
    help = "Restore an archive made by `backup` into an empty instance (or only check it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive to restore.")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Only check that the archive decrypts and matches its checksums.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["archive"]
        try:
            if options["verify"]:
                manifest = archive_verify(path, key=backup_key())
                message = _("%(path)s is intact: made %(created)s, %(rows)d rows, %(files)d files.")
            else:
                manifest = archive_restore(
                    path, key=backup_key(), progress=lambda line: self.stdout.write(line)
                )
                message = _("Restored %(path)s (made %(created)s): %(rows)d rows, %(files)d files.")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            message
            % {
                "path": path,
                "created": manifest["created_at"],
                "rows": sum(table["count"] for table in manifest["tables"].values()),
                "files": manifest["files"],
            }
        )

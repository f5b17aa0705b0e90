"""`manage.py backup ARCHIVE`: an encrypted, checksummed archive of the database and the stored
files, with the backup key (`VIGIL_BACKUP_KEY` or `VIGIL_BACKUP_KEY_FILE`; docs/operations.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vigil.core.backup.archive import backup_write
from vigil.core.backup.cipher import BackupError, backup_key


class Command(BaseCommand):
    help = "Write an encrypted, checksummed archive of the database and the stored files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive to write (must not exist).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["archive"]
        try:
            manifest = backup_write(
                path, key=backup_key(), progress=lambda line: self.stdout.write(line)
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["count"] for table in manifest["tables"].values())
        self.stdout.write(
            _("Wrote %(path)s: %(rows)d rows in %(tables)d tables, %(files)d files.")
            % {
                "path": path,
                "rows": rows,
                "tables": len(manifest["tables"]),
                "files": manifest["files"],
            }
        )

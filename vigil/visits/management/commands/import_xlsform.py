"""`manage.py import_xlsform FILE`: create or update a checklist template from an XLSForm, with
the rules of `load_checklists` (a new version when the questions change). All or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.visits.services.xlsform import checklist_template_xlsform_import
from vigil.visits.xlsform import XLSFormError

from .load_checklists import describe


class Command(BaseCommand):
    help = "Import a checklist template from an XLSForm (.xlsx). All-or-nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The XLSForm (.xlsx).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            template, counts = checklist_template_xlsform_import(
                content=content, file_name=path.name, actor=None
            )
        except XLSFormError as exc:
            raise CommandError(
                "Nothing imported:\n" + "\n".join(f"  {issue}" for issue in exc.issues)
            ) from exc
        self.stdout.write(f"Checklist template {template.code}, version {template.version}:")
        for line in describe(counts):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Done."))

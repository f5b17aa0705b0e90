"""The shape every `import_<things> FILE [--dry-run] [--actor EMAIL]` command shares:
read the file, check its size, resolve the actor, report errors as "row N, column X",
write nothing on a dry run or on any error."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from .kinds import Actor, import_kind
from .plan import CREATE, UNCHANGED, UPDATE, ImportIssue
from .reading import size_error
from .services import ImportValidationError, import_apply, import_check

MAX_ERRORS_SHOWN = 200


class ImportFileCommand(BaseCommand):
    """Subclasses name their kind of import (`kind`, registered by its app).

    Nothing here may be called `check`: BaseCommand.check() runs the system checks before
    every command."""

    kind: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to a .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would happen, without writing anything.",
        )
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            help="Record the import as done by this coordinator or administrator "
            "(default: the system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        problem = size_error(path.stat().st_size)
        if problem:
            raise CommandError(problem)
        actor = self._actor(options.get("actor"))
        content = path.read_bytes()

        if options["dry_run"]:
            plan = import_check(self.kind, content=content, file_name=path.name, actor=actor)
            self._warn(plan.warnings)
            if plan.errors:
                raise CommandError(self._errors_message(plan.errors))
            counts = plan.counts
            self.stdout.write(
                _(
                    "Dry run, nothing written: %(create)s would be created, %(update)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "create": counts[CREATE],
                    "update": counts[UPDATE],
                    "unchanged": counts[UNCHANGED],
                }
            )
            for line in plan.notes():
                self.stdout.write(line)
            return

        try:
            result = import_apply(self.kind, actor=actor, content=content, file_name=path.name)
        except ImportValidationError as exc:
            plan = exc.plan
            self._warn(plan.warnings)
            raise CommandError(self._errors_message(plan.errors)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported: %(create)s created, %(update)s updated, %(unchanged)s unchanged.")
                % {
                    "create": result.created,
                    "update": result.updated,
                    "unchanged": result.unchanged,
                }
            )
        )

    def _actor(self, email: str | None) -> Actor:
        if not email:
            return None
        actor = get_user_model().objects.filter(email__iexact=email).first()
        if actor is None or not import_kind(self.kind).may_import(actor):
            raise CommandError(
                _("%(email)s is not an active coordinator or administrator.") % {"email": email}
            )
        return actor

    def _warn(self, warnings: list[ImportIssue]) -> None:
        for warning in warnings:
            self.stderr.write(self.style.WARNING(str(warning)))

    @staticmethod
    def _errors_message(errors: list[ImportIssue]) -> str:
        lines = [str(error) for error in errors[:MAX_ERRORS_SHOWN]]
        if len(errors) > MAX_ERRORS_SHOWN:
            lines.append(_("… and %(count)s more.") % {"count": len(errors) - MAX_ERRORS_SHOWN})
        lines.append(_("%(count)s error(s); nothing was imported.") % {"count": len(errors)})
        return "\n".join(lines)

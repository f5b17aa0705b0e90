"""The shape every `import_<things> FILE [--dry-run] [--actor EMAIL]` command shares:
read the file, check its size, resolve the actor, report errors as "row N, column X",
write nothing on a dry run or on any error."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vigil.accounts.models import User

from .checking import CREATE, UNCHANGED, UPDATE, ImportIssue
from .reading import size_error

MAX_ERRORS_SHOWN = 200


class ImportFileCommand(BaseCommand):
    """Subclasses name the check and apply services, who may import, and the error class."""

    # Not `check`: BaseCommand.check() runs the system checks before every command.
    check_file: Callable[..., Any]
    apply_file: Callable[..., Any]
    may_import: Callable[[User], bool]
    validation_error: type[Exception]

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
            plan = type(self).check_file(content=content, file_name=path.name)
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
            self.report_plan(plan)
            return

        try:
            result = type(self).apply_file(actor=actor, content=content, file_name=path.name)
        except self.validation_error as exc:
            plan = exc.plan  # type: ignore[attr-defined]
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

    def report_plan(self, plan: Any) -> None:
        """Extra lines after a dry run (nothing by default)."""

    def _actor(self, email: str | None) -> User | None:
        if not email:
            return None
        actor = User.objects.filter(email__iexact=email).first()
        if actor is None or not type(self).may_import(actor):
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

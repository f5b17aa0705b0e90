"""Import historical recommendations from a CSV or XLSX file (the same checks as the page)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.recommendations.importing import (
    CREATE,
    UNCHANGED,
    UPDATE,
    ImportIssue,
    ImportValidationError,
    recommendations_import,
    recommendations_import_check,
    size_error,
)
from vigil.recommendations.permissions import can_import_recommendations

MAX_ERRORS_SHOWN = 200


class Command(BaseCommand):
    help = (
        "Import historical recommendations from a CSV (UTF-8) or XLSX file, matching rows on "
        "external_ref. Columns: external_ref, text, addressee, institution, theme, issued_on, "
        "deadline, status, status_date. If any row has an error nothing is written."
    )

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
            plan = recommendations_import_check(content=content, file_name=path.name)
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
            self._tally(plan.tally)
            return

        try:
            result = recommendations_import(actor=actor, content=content, file_name=path.name)
        except ImportValidationError as exc:
            self._warn(exc.plan.warnings)
            raise CommandError(self._errors_message(exc.plan.errors)) from None
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

    def _tally(self, tally: dict[str, int]) -> None:
        parts = ", ".join(f"{key}: {value}" for key, value in tally.items())
        self.stdout.write(_("By official tally: %(parts)s.") % {"parts": parts})

    def _actor(self, email: str | None) -> User | None:
        if not email:
            return None
        actor = User.objects.filter(email__iexact=email).first()
        if actor is None or not can_import_recommendations(actor):
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

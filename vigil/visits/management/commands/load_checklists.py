"""`manage.py load_checklists [--path FILE_OR_FOLDER]`: load or refresh the checklist templates."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.visits.services.checklist_templates import ChecklistDataError, checklist_templates_load


def describe(counts: dict[str, int]) -> list[str]:
    """The load's counts as two lines of text (also used by seed_reference_data)."""
    lines = []
    for kind in ("templates", "questions"):
        parts = [
            f"{value} {name.removeprefix(kind + '_')}"
            for name, value in counts.items()
            if name.startswith(kind + "_") and (value or name.endswith(("_created", "_unchanged")))
        ]
        lines.append(f"  {kind.ljust(9)}  {', '.join(parts)}")
    return lines


class Command(BaseCommand):
    help = (
        "Load the checklist templates (one JSON file per institution category) from "
        "vigil/visits/data/checklists/, or from --path. Idempotent and all-or-nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            default=None,
            help="A checklist file or a folder of them (default: the built-in set).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = checklist_templates_load(path=options["path"])
        except ChecklistDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Checklists:")
        for line in describe(counts):
            self.stdout.write(line)
        changed = any(v for k, v in counts.items() if not k.endswith("_unchanged"))
        self.stdout.write(
            self.style.SUCCESS("Done.") if changed else "Nothing to change: already up to date."
        )

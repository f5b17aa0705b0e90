"""`manage.py seed_reference_data [--country kz]`: load or refresh the reference data."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.appeals.reference import AppealReferenceError, appeal_reference_load
from vigil.reference.loader import ReferenceDataError, reference_data_load
from vigil.visits.management.commands.load_checklists import describe
from vigil.visits.services.checklist_templates import ChecklistDataError, checklist_templates_load


class Command(BaseCommand):
    help = (
        "Load a country's regions, agencies and institution types (and its holiday calendar, "
        "appeal subjects, allegation types, investigating bodies and time limits) "
        "from vigil/reference/data/<country>/. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--country", default="kz", help="Country folder (default: kz).")
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Read the files from this folder instead of the country's built-in one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = reference_data_load(country=options["country"], data_dir=options["data_dir"])
            counts |= appeal_reference_load(
                country=options["country"], data_dir=options["data_dir"]
            )
        except (ReferenceDataError, AppealReferenceError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        width = max(len(kind) for kind in counts)
        self.stdout.write(f"Reference data for {options['country'].upper()}:")
        for kind, numbers in counts.items():
            parts = ", ".join(f"{value} {name}" for name, value in numbers.items())
            self.stdout.write(f"  {kind.ljust(width)}  {parts}")
        if "holidays" not in counts:
            self.stdout.write("  (no holiday calendar file for this country: skipped)")
        changed = sum(
            value
            for numbers in counts.values()
            for name, value in numbers.items()
            if name not in {"unchanged", "skipped"}
        )
        # The default checklists (one template per institution category) come with the seed.
        try:
            checklists = checklist_templates_load()
        except ChecklistDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Checklists:")
        for line in describe(checklists):
            self.stdout.write(line)
        changed += sum(v for k, v in checklists.items() if not k.endswith("_unchanged"))
        self.stdout.write(
            self.style.SUCCESS("Done.") if changed else "Nothing to change: already up to date."
        )

"""`manage.py export_xlsform CODE --out FILE [--xform FILE] [--validate]`: a checklist template
as an XLSForm (and its XForm), optionally checked by ODK Validate (needs Java)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.visits.selectors.checklists import checklist_templates
from vigil.visits.xlsform import template_to_xlsform, xform_validate
from vigil.visits.xlsform.writing import xlsform_to_xform


class Command(BaseCommand):
    help = "Write the checklist template in use with this code as an XLSForm (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="The template code, e.g. DEFAULT_POLICE.")
        parser.add_argument("--out", type=Path, required=True, help="The .xlsx file to write.")
        parser.add_argument("--xform", type=Path, default=None, help="Also write the XForm here.")
        parser.add_argument(
            "--validate", action="store_true", help="Check the XForm with ODK Validate (Java)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        template = checklist_templates().filter(code=options["code"]).first()
        if template is None:
            raise CommandError(f"No checklist template in use has the code {options['code']!r}.")
        content = template_to_xlsform(template)
        options["out"].write_bytes(content)
        if options["xform"] or options["validate"]:
            xform = xlsform_to_xform(content)
            if options["xform"]:
                options["xform"].write_text(xform, encoding="utf-8")
            if options["validate"]:
                try:
                    xform_validate(xform)
                except Exception as exc:  # ODKValidateError, or OSError without Java
                    raise CommandError(f"ODK Validate: {exc}") from exc
                self.stdout.write("ODK Validate: the form is valid.")
        self.stdout.write(
            self.style.SUCCESS(f"{template.code} version {template.version} → {options['out']}")
        )

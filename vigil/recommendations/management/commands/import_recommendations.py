"""Import historical recommendations from a CSV or XLSX file (the same checks as the page)."""

from typing import Any

from django.utils.translation import gettext as _

from vigil.recommendations.importing import (
    ImportValidationError,
    recommendations_import,
    recommendations_import_check,
)
from vigil.recommendations.permissions import can_import_recommendations
from vigil.registry.importing.command import ImportFileCommand


class Command(ImportFileCommand):
    help = (
        "Import historical recommendations from a CSV (UTF-8) or XLSX file, matching rows on "
        "external_ref. Columns: external_ref, text, addressee, institution, theme, issued_on, "
        "deadline, status, status_date. If any row has an error nothing is written."
    )
    check_file = staticmethod(recommendations_import_check)
    apply_file = staticmethod(recommendations_import)
    may_import = staticmethod(can_import_recommendations)
    validation_error = ImportValidationError

    def report_plan(self, plan: Any) -> None:
        parts = ", ".join(f"{key}: {value}" for key, value in plan.tally.items())
        self.stdout.write(_("By official tally: %(parts)s.") % {"parts": parts})

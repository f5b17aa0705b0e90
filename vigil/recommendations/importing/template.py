"""The downloadable import template: the columns and two example rows (real codes where there
are some), written by the shared CSV/XLSX builders (formula-safe)."""

import datetime
from typing import Any

from django.utils import timezone

from vigil.core.importing.writing import build_file
from vigil.reference.models import Agency
from vigil.registry.models import Institution

from .columns import TEMPLATE_COLUMNS


def import_template(fmt: str) -> bytes:
    agency = Agency.objects.filter(parent__isnull=False).order_by("code").first()
    institution = Institution.objects.order_by("external_code").first()
    year = timezone.localdate().year - 1
    examples: list[dict[str, Any]] = [
        {
            "external_ref": f"NPM-{year}-0001",
            "text": "Eliminate the blind spots of the video surveillance in the cells.",
            "addressee": agency.code if agency else "MVD-KUIS",
            "institution": institution.external_code if institution else "",
            "theme": "T2",
            "issued_on": datetime.date(year, 3, 15),
            "deadline": datetime.date(year, 6, 15),
            "status": "implemented",
            "status_date": datetime.date(year, 9, 1),
        },
        {
            "external_ref": f"NPM-{year}-0002",
            "text": "Amend the internal rules to guarantee a medical examination on admission.",
            "addressee": agency.code if agency else "MVD-KUIS",
            "institution": "",
            "theme": "T8",
            "issued_on": f"15.03.{year}",
            "deadline": "",
            "status": "in_implementation",
            "status_date": "",
        },
    ]
    rows = [[example[column] for column in TEMPLATE_COLUMNS] for example in examples]
    return build_file(fmt, rows, TEMPLATE_COLUMNS, "recommendations")

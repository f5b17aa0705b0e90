"""35,000 recommendations from one XLSX (ten years of a national NPM): imported in bulk with a
bounded number of queries, the tallies exact per agency and year (idempotence is checked on
small files in test_import.py)."""

import io
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from vigil.recommendations.enums import EventKind
from vigil.recommendations.importing import recommendations_import
from vigil.recommendations.models import Recommendation, RecommendationEvent
from vigil.recommendations.selectors.tallies import agency_tally

pytestmark = pytest.mark.django_db

ROWS = 35_000
YEARS = range(2015, 2025)
STATUSES = ("implemented", "in_implementation", "not_accepted", "no_response", "obsolete")
ADDRESSEES = ("MVD-KUIS-71", "MVD-KUIS", "MVD-POLICE", "MOH")
THEMES = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8")
HEADER = ("external_ref", "text", "addressee", "theme", "issued_on", "status")


def _cells(n: int) -> tuple[str, str, str, str, str, str]:
    year = YEARS[n % len(YEARS)]
    status = STATUSES[(n * 7) % len(STATUSES)] if n % 11 else "implemented"
    return (
        f"NAT-{n:06d}",
        f"Recommendation {n}: ensure the measure number {n % 97} is taken in every facility.",
        ADDRESSEES[n % len(ADDRESSEES)],
        THEMES[n % len(THEMES)],
        f"{(n % 28) + 1:02d}.{(n % 12) + 1:02d}.{year}",
        status,
    )


def _workbook() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("recommendations")
    sheet.append(list(HEADER))
    for n in range(ROWS):
        sheet.append(list(_cells(n)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _expected() -> dict[tuple[str, int], Counter[str]]:
    """Per (agency subtree root, year): the file's statuses, counted independently."""
    roots = {
        "MVD-KUIS-71": ("MVD-KUIS-71", "MVD-KUIS", "MVD"),
        "MVD-KUIS": ("MVD-KUIS", "MVD"),
        "MVD-POLICE": ("MVD-POLICE", "MVD"),
        "MOH": ("MOH",),
    }
    expected: dict[tuple[str, int], Counter[str]] = {}
    for n in range(ROWS):
        _ref, _text, addressee, _theme, issued, status = _cells(n)
        year = int(issued[-4:])
        for root in roots[addressee]:
            expected.setdefault((root, year), Counter())[status] += 1
    return expected


def test_35000_rows_from_xlsx(ref: dict[str, Any], users: dict[str, Any]) -> None:
    content = _workbook()
    with CaptureQueriesContext(connection) as queries:
        result = recommendations_import(
            actor=users["coordinator"], content=content, file_name="national.xlsx"
        )
    assert (result.created, result.updated, result.unchanged) == (ROWS, 0, 0)
    # lookups in chunks and writes in batches of 500: a few hundred statements, never one a row
    assert len(queries) < 300
    assert Recommendation.objects.count() == ROWS
    assert RecommendationEvent.objects.filter(kind=EventKind.IMPORTED).count() == ROWS

    coordinator = users["coordinator"]
    for (code, year), statuses in _expected().items():
        counts = agency_tally(coordinator, ref[_FIXTURE[code]], year)
        assert counts.issued == sum(statuses.values()), (code, year)
        assert counts.implemented == statuses["implemented"], (code, year)
        assert counts.in_implementation == statuses["in_implementation"], (code, year)
        assert counts.not_accepted == statuses["not_accepted"], (code, year)
        assert counts.no_response == statuses["no_response"], (code, year)
    total = agency_tally(coordinator, None, None)
    assert total.issued == ROWS


_FIXTURE = {
    "MVD": "mvd",
    "MVD-KUIS": "kuis",
    "MVD-KUIS-71": "kuis_71",
    "MVD-POLICE": "police",
    "MOH": "moh",
}

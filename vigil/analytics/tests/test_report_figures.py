"""With the data set that reproduces the NPM's published figures, the annual report prints
them: 2023's 461 visits (422 planned, 33 special, 6 of other kinds) to 474 institutions and
258 + 17 officials held accountable; 2021's penitentiary chapter 758 / 275 / 456 / 27 and
"36.3% of 758" — the same figures as the statistics for publication (one truth)."""

from typing import Any

import pytest
from django.utils import translation

from vigil.accounts.models import User
from vigil.appeals.enums import Initiative
from vigil.visits.enums import VisitType

from ..filters import StatisticsFilters
from ..permissions import PUBLISHED
from ..selectors.report import CHAPTER_ROWS, ReportContent, Table, report_content
from ..selectors.statistics import statistics
from .report_helpers import make_report

pytestmark = pytest.mark.django_db


def _table(content: ReportContent, section: str, key: str) -> Table:
    found = next(s for s in content.sections if s.key == section)
    return next(t for t in found.tables if t.key == key)


def _column(table: Table) -> dict[str, str]:
    return {row[0]: row[1] for row in table.rows}


def test_the_2023_report_prints_the_published_figures(
    users: dict[str, User], published_figures: Any
) -> None:
    report = make_report(2023, users["coordinator"])
    with translation.override("en"):
        content = report_content(report, "en", users["coordinator"])
        published = statistics(PUBLISHED, StatisticsFilters(year=2023))
        labels = dict(VisitType.choices)
        key = _column(_table(content, "figures", "key"))
        assert key["Visits made"] == "461"
        assert key["Institutions visited"] == "474"
        by_type = _column(_table(content, "figures", "visits_by_type"))
        assert by_type[str(labels[VisitType.PLANNED])] == "422"
        assert by_type[str(labels[VisitType.SPECIAL])] == "33"
        others = [
            int(count)
            for label, count in by_type.items()
            if label not in (labels[VisitType.PLANNED], labels[VisitType.SPECIAL], "Total")
        ]
        assert sum(others) == 6
        assert by_type["Total"] == "461"
        officials = _column(_table(content, "figures", "accountability"))
        initiatives = dict(Initiative.choices)
        assert officials[str(initiatives[Initiative.COMMISSIONER_REPRESENTATIVE])] == "258"
        assert officials[str(initiatives[Initiative.NPM_PARTICIPANT])] == "17"

    # one truth: the report's figures are the published statistics'
    assert published.visits is not None
    assert published.recommendations is not None
    assert int(key["Visits made"]) == published.visits.total.count
    assert int(key["Institutions visited"]) == published.visits.institutions.count
    issued = key["Recommendations issued"].replace(",", "")
    assert int(issued) == published.recommendations.counts.issued


def test_the_2021_penitentiary_chapter_prints_the_official_tally(
    users: dict[str, User], published_figures: Any
) -> None:
    report = make_report(2021, users["coordinator"])
    with translation.override("en"):
        content = report_content(report, "en", users["coordinator"])
    tally = {
        row[0]: row[1:] for row in _table(content, "chapter-penitentiary", "chapter_tally").rows
    }
    assert tally["Issued"][0] == "758"
    assert tally["Implemented"] == ("275", "36.3% of 758")
    assert tally["In implementation"][0] == "456"
    assert tally["Not accepted"][0] == "27"
    listed = _table(content, "chapter-penitentiary", "recommendations")
    assert len(listed.rows) == CHAPTER_ROWS
    assert "758" in listed.note
    chapter = next(s for s in content.sections if s.key == "chapter-penitentiary")
    assert chapter.notes[0].startswith("Implemented: 36.3% of 758")

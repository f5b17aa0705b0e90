"""The parts of the annual report's content: tables, sections, the report (its canonical form
and fingerprint), and the rows and charts made of the figures. `selectors.report` fills them."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from vigil.core.documents import text_blocks
from vigil.core.figures import Figure, Share
from vigil.core.numbers import format_number
from vigil.recommendations.selectors.tallies import TallyCounts

from ..charts import Chart, ChartRow


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    numeric: tuple[int, ...] = ()  # the columns that hold figures (right-aligned)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    # Drawn from the figures of the tables (so not part of the fingerprint): SVG in the PDF,
    # PNG in the DOCX.
    charts: tuple[Chart, ...] = field(default=(), compare=False)

    def data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "paragraphs": list(self.paragraphs),
            "tables": [asdict(table) for table in self.tables],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class ReportContent:
    year: int
    language: str
    title: str
    sections: tuple[Section, ...]
    generated_at: Any = field(default=None, compare=False)

    def canonical(self) -> str:
        """Everything the report prints but the time it was made, serialised canonically."""
        data = {
            "year": self.year,
            "language": self.language,
            "title": self.title,
            "sections": [section.data() for section in self.sections],
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]


def paragraphs(text: str) -> tuple[str, ...]:
    """Plain text split into paragraphs at empty lines (single line breaks kept)."""
    return text_blocks(text)


def n(value: int) -> str:
    return format_number(value)


def share_of(figure: Figure) -> str:
    return figure.share.text() if figure.share is not None else ""


def figure_rows(figures: Iterable[Figure]) -> tuple[tuple[str, ...], ...]:
    return tuple((f.label, n(f.count), share_of(f)) for f in figures)


def tally_rows(counts: TallyCounts) -> tuple[tuple[str, ...], ...]:
    def share(part: int) -> str:
        return Share(part, counts.issued, 1).text()

    return (
        (_("Issued"), n(counts.issued), ""),
        (_("Implemented"), n(counts.implemented), share(counts.implemented)),
        (_("In implementation"), n(counts.in_implementation), share(counts.in_implementation)),
        (_("Not accepted"), n(counts.not_accepted), share(counts.not_accepted)),
        (_("No response"), n(counts.no_response), share(counts.no_response)),
        (_("Overdue"), n(counts.overdue), share(counts.overdue)),
    )


def tally_chart(key: str, counts: TallyCounts) -> tuple[Chart, ...]:
    """The tally as shares of the recommendations issued (none when nothing was issued)."""
    if not counts.issued:
        return ()
    parts = (
        (_("Implemented"), counts.implemented),
        (_("In implementation"), counts.in_implementation),
        (_("Not accepted"), counts.not_accepted),
        (_("No response"), counts.no_response),
    )
    return (
        Chart(
            key=key,
            title=_("The official tally"),
            kind="bar",
            rows=[ChartRow(label, value, base=counts.issued) for label, value in parts],
            x=_("Status"),
            y=_("Share of the recommendations issued"),
            percent=True,
            horizontal=True,
            height=140,
            width=420,
        ),
    )


def asked[T](section: T | None) -> T:
    """A section of the statistics that was asked for (so it is there)."""
    if section is None:
        raise LookupError("A section asked of the statistics is missing.")
    return section


def header3(first: str) -> tuple[str, ...]:
    return (first, _("Number"), _("Share"))

"""The plan of a checked file of UN paragraphs: its documents, paragraphs, assessments and rows."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from vigil.core.importing import ImportPlan, RowPlan
from vigil.reference.models import Agency

from ..models import Document, Paragraph, ScaleGrade

type ParagraphKey = tuple[str, str]
type AssessmentKey = tuple[ParagraphKey, str, str, int, datetime.date]


@dataclass
class Group:
    """The rows of one document or paragraph: the first row, and each cell's first value
    with the row that gives it."""

    first_row: int
    cells: dict[str, tuple[int, str]] = field(default_factory=dict)

    def text(self, column: str) -> str:
        return self.cells.get(column, (0, ""))[1]

    def row_of(self, column: str) -> int:
        return self.cells.get(column, (self.first_row, ""))[0]


@dataclass
class DocumentPlan:
    symbol: str
    first_row: int
    values: dict[str, Any]
    instance: Document | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)

    creates: bool = field(init=False)

    def __post_init__(self) -> None:
        self.creates = self.instance is None  # kept once the write has made the object


@dataclass
class ParagraphPlan:
    key: ParagraphKey
    first_row: int
    values: dict[str, Any]
    addressees: list[Agency] | None  # None: the file has no addressees column
    position: int = 0
    instance: Paragraph | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)

    creates: bool = field(init=False)

    def __post_init__(self) -> None:
        self.creates = self.instance is None  # kept once the write has made the object


@dataclass
class AssessmentPlan:
    row: int
    key: ParagraphKey
    source: str
    source_name: str
    grade: ScaleGrade
    reason: str
    assessed_on: datetime.date
    reference: str
    creates: bool = True


@dataclass
class UnRow(RowPlan[Any]):
    """A checked row: its document, paragraph and assessment, for the preview."""

    symbol: str = ""
    number: str = ""
    assessment: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "symbol": self.symbol,
            "number": self.number,
            "assessment": self.assessment,
        }


@dataclass
class UnPlan(ImportPlan[UnRow]):
    documents: dict[str, DocumentPlan] = field(default_factory=dict)
    paragraphs: dict[ParagraphKey, ParagraphPlan] = field(default_factory=dict)
    assessments: list[AssessmentPlan] = field(default_factory=list)

    def tally(self) -> dict[str, int]:
        documents = self.documents.values()
        paragraphs = self.paragraphs.values()
        return {
            "documents_created": sum(d.creates for d in documents),
            "documents_updated": sum(bool(not d.creates and d.changes) for d in documents),
            "paragraphs_created": sum(p.creates for p in paragraphs),
            "paragraphs_updated": sum(bool(not p.creates and p.changes) for p in paragraphs),
            "assessments_created": sum(a.creates for a in self.assessments),
        }

    def extra_summary(self) -> dict[str, Any]:
        return {"tally": self.tally()} if self.is_valid else {}

    def audit_data(self) -> dict[str, Any]:
        return {"documents": sorted(self.documents), **self.tally()}

    def notes(self) -> list[str]:
        tally = self.tally()
        return [
            _(
                "Documents: %(documents_created)s new, %(documents_updated)s changed; "
                "paragraphs: %(paragraphs_created)s new, %(paragraphs_updated)s changed; "
                "assessments: %(assessments_created)s new."
            )
            % tally
        ]

"""Fixtures for the UN follow-up: a document with paragraphs, and the default grading scales
(loaded by the app's data migration)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from vigil.international.enums import Body, DocumentKind
from vigil.international.models import Document, Paragraph, ScaleGrade
from vigil.reference.enums import AgencyLevel
from vigil.reference.models import Agency

CAT_SYMBOL = "CAT/C/KAZ/CO/4"


@pytest.fixture
def make_un_document(db: Any) -> Callable[..., Document]:
    counter = iter(range(1, 100_000))

    def make(**fields: Any) -> Document:
        n = next(counter)
        data: dict[str, Any] = {
            "symbol": f"CAT/C/TEST/CO/{n}",
            "body": Body.CAT,
            "kind": DocumentKind.CONCLUDING_OBSERVATIONS,
            "title_en": f"Concluding observations, test {n}",
            "adopted_on": datetime.date(2024, 5, 10),
        }
        data.update(fields)
        return Document.objects.create(**data)

    return make


@pytest.fixture
def make_paragraph(make_un_document: Callable[..., Document]) -> Callable[..., Paragraph]:
    counter = iter(range(1, 100_000))

    def make(document: Document | None = None, addressees: Any = (), **fields: Any) -> Paragraph:
        n = next(counter)
        data: dict[str, Any] = {
            "number": str(n),
            "position": n,
            "text_en": f"The State party should ensure adequate ventilation in cells ({n}).",
            "themes": "T3",
        }
        data.update(fields)
        paragraph = Paragraph.objects.create(document=document or make_un_document(), **data)
        paragraph.addressees.set(addressees)
        return paragraph

    return make


@pytest.fixture
def grade(db: Any) -> Callable[[str, str], ScaleGrade]:
    """A grade of a default scale: `grade("implementation-1-3", "2")`."""

    def get(scale: str, code: str) -> ScaleGrade:
        return ScaleGrade.objects.get(scale__code=scale, code=code)

    return get


@pytest.fixture
def un_agencies(ref: dict[str, Any]) -> dict[str, Agency]:
    """The agencies of the sample file (`international/data/cat-kaz-co4-sample.csv`) beyond
    the test tree: the government, the ministries of health and of defence."""
    made = {
        code: Agency.objects.create(code=code, level=AgencyLevel.MINISTRY, name_en=code)
        for code in ("GOV", "MZ", "MO")
    }
    return {**made, "MVD": ref["mvd"], "MVD-KUIS": ref["kuis"], "MVD-POLICE": ref["police"]}

"""The authorization matrix's UN follow-up sample (a document, a paragraph, an assessment and
a link), kept apart from `matrix_data` for its size."""

import datetime
from typing import TYPE_CHECKING

from vigil.accounts.models import User
from vigil.international.enums import AssessmentSource, Body, DocumentKind
from vigil.international.models import ScaleGrade
from vigil.international.services import (
    assessment_record,
    document_create,
    link_confirm,
    paragraph_create,
)

if TYPE_CHECKING:
    from .matrix_data import Sample


def un_follow_up(sample: "Sample", coordinator: User) -> None:
    """A published UN document with a paragraph addressed to the liaison's agency, graded by
    civil society and linked to the sample recommendation."""
    liaison = sample.users["liai"]
    assert liaison is not None
    assert liaison.agency is not None
    document = document_create(
        actor=coordinator,
        symbol="CAT/C/MATRIX/CO/1",
        body=Body.CAT,
        kind=DocumentKind.CONCLUDING_OBSERVATIONS,
        title_en="Concluding observations (matrix)",
        adopted_on=datetime.date(2024, 5, 10),
    )
    paragraph = paragraph_create(
        actor=coordinator,
        document=document,
        number="10",
        text_en="Ensure fundamental legal safeguards from the outset of deprivation of liberty.",
        follow_up=True,
        themes="T2",
        addressees=[liaison.agency],
    )
    sample.objects.update(un_document=document, un_paragraph=paragraph)
    sample.objects["un_assessment"] = assessment_record(
        actor=coordinator,
        paragraph=paragraph,
        source=AssessmentSource.CIVIL_SOCIETY,
        source_name="NGO Coalition against Torture",
        grade=ScaleGrade.objects.get(scale__code="implementation-1-3", code="2"),
        assessed_on=datetime.date(2025, 6, 1),
    )
    sample.objects["un_link"] = link_confirm(
        actor=coordinator, paragraph=paragraph, target=sample.recommendation
    )

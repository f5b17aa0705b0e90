"""The three-language page test's UN follow-up sample, kept apart for the test's size."""

import datetime
from typing import Any

from vigil.accounts.models import User
from vigil.international.enums import AssessmentSource, Body, DocumentKind
from vigil.international.models import Assessment, Paragraph, ScaleGrade
from vigil.international.models import Document as UNDocument


def un_document_sample(liaison: User) -> dict[str, Any]:
    """A UN document with a paragraph in the three languages, assessed (the demo's, if any)."""
    paragraph = Paragraph.objects.filter(document__confidential=False).order_by("pk").first()
    if paragraph is None:
        document = UNDocument.objects.create(
            symbol="CAT/C/KAZ/CO/4",
            body=Body.CAT,
            kind=DocumentKind.CONCLUDING_OBSERVATIONS,
            title_en="Concluding observations on the fourth periodic report",
            title_ru="Заключительные замечания по четвёртому периодическому докладу",
            title_kk="Төртінші мерзімді баяндама бойынша қорытынды ескертулер",
            adopted_on=datetime.date(2024, 5, 10),
        )
        paragraph = Paragraph.objects.create(
            document=document,
            number="10",
            position=1,
            follow_up=True,
            themes="T1 T2",
            text_en="The State party should record every injury seen on arrival.",
            text_ru="Государству следует фиксировать каждую травму при поступлении.",
            text_kk="Мемлекет түскен кездегі әр жарақатты тіркеуі тиіс.",
        )
        assert liaison.agency is not None
        paragraph.addressees.set([liaison.agency])
        Assessment.objects.create(
            paragraph=paragraph,
            source=AssessmentSource.CIVIL_SOCIETY,
            source_name="Коалиция НПО против пыток",
            grade=ScaleGrade.objects.get(scale__code="implementation-1-3", code="2"),
            assessed_on=datetime.date(2025, 6, 1),
        )
    return {"un_document": paragraph.document, "un_paragraph": paragraph}

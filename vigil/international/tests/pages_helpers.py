"""What the tests of the UN follow-up's pages share: the actors, the documents with their
paragraphs and assessments, the evidence linked to them, and how an answer is expected."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from vigil.accounts.models import User
from vigil.international.enums import AssessmentSource, Body, DocumentKind
from vigil.international.models import Document, Paragraph
from vigil.international.services import (
    SystemicTarget,
    assessment_record,
    link_confirm,
    link_reject,
)
from vigil.recommendations.enums import State
from vigil.visits.enums import Theme

ACTORS = (
    "anonymous",
    "admin",
    "coordinator",
    "regional",
    "monitor",
    "liaison",
    "other_liaison",
    "auditor",
)
COALITION = "NGO Coalition against Torture"
CLOSED = "The Ministry of Defence is still closed to NPM and NGO monitoring"


@pytest.fixture
def un(
    ref: dict[str, Any],
    users: dict[str, User],
    make_un_document: Callable[..., Document],
    make_paragraph: Callable[..., Paragraph],
    grade: Callable[[str, str], Any],
) -> dict[str, Any]:
    """The CAT observations (paragraphs to the committee, a sub-unit and the ministry of
    health), a UPR report addressed only to the committee, and an unpublished SPT report."""
    cat = make_un_document(
        symbol="CAT/C/KAZ/CO/4",
        title_en="Concluding observations on the fourth periodic report of Kazakhstan",
        title_ru="Заключительные замечания по четвёртому докладу Казахстана",
    )
    upr = make_un_document(
        symbol="A/HRC/43/11", body=Body.UPR, kind=DocumentKind.UPR_RECOMMENDATIONS
    )
    spt = make_un_document(
        symbol="CAT/OP/KAZ/2",
        body=Body.SPT,
        kind=DocumentKind.VISIT_REPORT,
        confidential=True,
        title_en="Report on the visit of the Subcommittee",
    )
    p10 = make_paragraph(
        cat,
        addressees=[ref["kuis"]],
        number="10",
        position=1,
        follow_up=True,
        themes="T1 T2",
        text_en="The State party should record every injury seen on arrival in custody.",
        text_ru="Государству следует фиксировать каждую травму при поступлении под стражу.",
        text_kk="Мемлекет қамауға түскен кездегі әр жарақатты тіркеуі тиіс.",
    )
    p11 = make_paragraph(
        cat,
        addressees=[ref["moh"]],
        number="11",
        position=2,
        text_en="Medical staff in places of detention should report signs of ill-treatment.",
    )
    p21 = make_paragraph(
        cat,
        addressees=[ref["kuis_71"]],
        number="21",
        position=3,
        follow_up=True,
        themes="T3",
        text_en="Cells of temporary detention should have daylight and ventilation.",
    )
    coordinator = users["coordinator"]
    state_1 = assessment_record(
        actor=coordinator,
        paragraph=p10,
        source=AssessmentSource.STATE,
        grade=grade("implementation-1-3", "1"),
        assessed_on=datetime.date(2024, 11, 1),
    )
    state_3 = assessment_record(
        actor=coordinator,
        paragraph=p10,
        source=AssessmentSource.STATE,
        grade=grade("implementation-1-3", "3"),
        assessed_on=datetime.date(2025, 5, 1),
        reference="State party's follow-up report",
    )
    ngo = assessment_record(
        actor=coordinator,
        paragraph=p10,
        source=AssessmentSource.CIVIL_SOCIETY,
        source_name=COALITION,
        grade=grade("implementation-1-3", "2"),
        assessed_on=datetime.date(2025, 6, 1),
    )
    na = assessment_record(
        actor=coordinator,
        paragraph=p11,
        source=AssessmentSource.CIVIL_SOCIETY,
        source_name=COALITION,
        grade=grade("implementation-1-3", "n/a"),
        assessed_on=datetime.date(2025, 6, 1),
        reason=CLOSED,
    )
    return {
        "cat": cat,
        "upr": upr,
        "spt": spt,
        "p10": p10,
        "p11": p11,
        "p21": p21,
        "upr_p": make_paragraph(upr, addressees=[ref["kuis"]], number="139.12"),
        "spt_p": make_paragraph(spt, addressees=[ref["kuis"]], number="5"),
        "state_1": state_1,
        "state_3": state_3,
        "ngo": ngo,
        "na": na,
    }


def _get(client: Client, url: str, debug: bool) -> Any:
    with override_settings(DEBUG=debug):
        return client.get(url)


def _expect(response: Any, expected: int | str) -> None:
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.fixture
def evidence(
    users: dict[str, User],
    ref: dict[str, Any],
    un: dict[str, Any],
    make_recommendation: Callable[..., Any],
    approved_visit: Callable[..., Any],
) -> dict[str, Any]:
    """§ 10 linked to a finding of an approved visit, a recommendation made on it, an
    implemented recommendation and a systemic issue; a suggestion rejected."""
    coordinator = users["coordinator"]
    visit = approved_visit()
    finding = visit.findings.first()
    on_finding = make_recommendation(
        visit=visit, findings=[finding], state=State.IN_IMPLEMENTATION, addressee=ref["kuis_71"]
    )
    done = make_recommendation(state=State.IMPLEMENTED_VERIFIED, addressee=ref["kuis_71"])
    elsewhere = make_recommendation(theme=Theme.T5, addressee=ref["moh"])
    p10 = un["p10"]
    link_confirm(actor=coordinator, paragraph=p10, target=finding)
    link_confirm(actor=coordinator, paragraph=p10, target=done)
    link_confirm(actor=coordinator, paragraph=p10, target=SystemicTarget(Theme.T3, ref["kuis"]))
    link_reject(actor=coordinator, paragraph=p10, target=elsewhere, score=0.3)
    return {"finding": finding, "on_finding": on_finding, "done": done, "visit": visit}

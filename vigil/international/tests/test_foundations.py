"""The UN follow-up's policy, services and selectors: who sees which document and paragraph,
assessments with history, links decided by a person, and the evidence counted behind each."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.international.enums import AssessmentSource, Body, EventKind, LinkKind, LinkStatus
from vigil.international.models import Paragraph, ParagraphEvent, ParagraphLink
from vigil.international.permissions import (
    can_manage_international,
    documents_visible_to,
    hidden_fields,
    paragraphs_visible_to,
)
from vigil.international.selectors import (
    current_assessments,
    evidence_of,
    link_suggestions,
)
from vigil.international.services import (
    SystemicTarget,
    assessment_record,
    document_create,
    document_update,
    link_confirm,
    link_reject,
    link_remove,
    paragraph_create,
)
from vigil.recommendations.enums import State
from vigil.visits.enums import Theme

ALL = ("admin", "coordinator", "regional", "monitor", "liaison", "other_liaison", "auditor")


@pytest.fixture
def docs(
    ref: dict[str, Any],
    make_un_document: Callable[..., Any],
    make_paragraph: Callable[..., Paragraph],
) -> dict[str, Any]:
    cat = make_un_document(symbol="CAT/C/KAZ/CO/4")
    spt = make_un_document(symbol="CAT/OP/KAZ/2", body=Body.SPT, confidential=True)
    published = make_un_document(
        symbol="CAT/OP/KAZ/1",
        body=Body.SPT,
        confidential=True,
        published_on=datetime.date(2017, 3, 1),
        adopted_on=datetime.date(2016, 12, 1),
    )
    return {
        "cat": cat,
        "spt": spt,
        "published": published,
        "to_kuis": make_paragraph(cat, addressees=[ref["kuis"]]),
        "to_moh": make_paragraph(cat, addressees=[ref["moh"]]),
        "spt_kuis": make_paragraph(spt, addressees=[ref["kuis"]]),
        "pub_kuis": make_paragraph(published, addressees=[ref["kuis_71"]]),
    }


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("admin", {"cat", "spt", "published"}),
        ("coordinator", {"cat", "spt", "published"}),
        ("regional", {"cat", "published"}),
        ("monitor", {"cat", "published"}),
        ("auditor", {"cat", "published"}),
        ("liaison", {"cat", "published"}),  # the committee: its own and a sub-unit's
        ("other_liaison", {"cat"}),  # the ministry of health: only the CAT paragraph to it
    ],
)
def test_documents_by_role(
    users: dict[str, User], docs: dict[str, Any], actor: str, expected: set[str]
) -> None:
    seen = set(documents_visible_to(users[actor]).values_list("symbol", flat=True))
    assert seen == {docs[key].symbol for key in expected}


def test_confidential_report_is_coordinators_only(users: dict[str, User], docs: Any) -> None:
    for actor in ALL:
        visible = paragraphs_visible_to(users[actor]).filter(pk=docs["spt_kuis"].pk).exists()
        assert visible == (actor in ("admin", "coordinator")), actor
    assert not documents_visible_to(None).exists()


def test_liaison_sees_only_paragraphs_addressed_to_its_agency(
    users: dict[str, User], docs: Any
) -> None:
    liaison = set(paragraphs_visible_to(users["liaison"]))
    assert liaison == {docs["to_kuis"], docs["pub_kuis"]}
    assert set(paragraphs_visible_to(users["other_liaison"])) == {docs["to_moh"]}
    assert set(paragraphs_visible_to(users["monitor"])) == {
        docs["to_kuis"],
        docs["to_moh"],
        docs["pub_kuis"],
    }


def test_only_coordinators_manage_and_readers_do_not_see_recorders(
    users: dict[str, User],
) -> None:
    assert {a for a in ALL if can_manage_international(users[a])} == {"admin", "coordinator"}
    from vigil.international.models import Assessment

    assert "recorded_by" in hidden_fields(users["liaison"], Assessment)
    assert "recorded_by" in hidden_fields(users["monitor"], Assessment)
    assert not hidden_fields(users["coordinator"], Assessment)


def test_entering_a_document_and_paragraph_is_audited_with_a_timeline(
    users: dict[str, User], ref: dict[str, Any]
) -> None:
    coordinator = users["coordinator"]
    document = document_create(
        actor=coordinator,
        symbol="CAT/C/KAZ/CO/4",
        body=Body.CAT,
        kind="concluding_observations",
        adopted_on=datetime.date(2024, 5, 10),
    )
    paragraph = paragraph_create(
        actor=coordinator,
        document=document,
        number="10",
        text_en="Ensure that all detainees are afforded all fundamental legal safeguards.",
        themes="T2, T1",
        follow_up=True,
        addressees=[ref["kuis"]],
    )
    assert paragraph.themes == "T1 T2"
    assert paragraph.position == 1
    assert list(paragraph.addressees.all()) == [ref["kuis"]]
    assert AuditEvent.objects.filter(action=AuditAction.UN_PARAGRAPH_CREATED).count() == 1
    assert ParagraphEvent.objects.get(paragraph=paragraph).kind == EventKind.CREATED
    with pytest.raises(PermissionDenied):
        paragraph_create(actor=users["monitor"], document=document, number="11", text_en="x")
    with pytest.raises(ValidationError) as error:
        paragraph_create(actor=coordinator, document=document, number="12", themes="T9")
    assert "themes" in error.value.message_dict
    assert "text_en" in error.value.message_dict


def test_publishing_a_confidential_report_shows_it_and_marks_the_timeline(
    users: dict[str, User], docs: dict[str, Any]
) -> None:
    monitor = users["monitor"]
    assert not documents_visible_to(monitor).filter(pk=docs["spt"].pk).exists()
    document_update(
        actor=users["coordinator"], document=docs["spt"], published_on=datetime.date(2025, 1, 9)
    )
    assert documents_visible_to(monitor).filter(pk=docs["spt"].pk).exists()
    assert docs["spt_kuis"].events.filter(kind=EventKind.PUBLISHED).exists()


def test_assessments_keep_history_and_n_a_needs_a_reason(
    users: dict[str, User], docs: dict[str, Any], grade: Callable[..., Any]
) -> None:
    coordinator = users["coordinator"]
    paragraph = docs["to_kuis"]
    coalition = "NGO Coalition against Torture"
    common = {"actor": coordinator, "paragraph": paragraph, "source_name": coalition}
    assessment_record(
        **common,
        source=AssessmentSource.CIVIL_SOCIETY,
        grade=grade("implementation-1-3", "1"),
        assessed_on=datetime.date(2024, 6, 1),
    )
    assessment_record(
        **common,
        source=AssessmentSource.CIVIL_SOCIETY,
        grade=grade("implementation-1-3", "2"),
        assessed_on=datetime.date(2025, 6, 1),
    )
    assessment_record(
        actor=coordinator,
        paragraph=paragraph,
        source=AssessmentSource.COMMITTEE,
        grade=grade("follow-up-a-e", "B"),
        assessed_on=datetime.date(2025, 8, 1),
    )
    with pytest.raises(ValidationError) as error:
        assessment_record(
            **common,
            source=AssessmentSource.CIVIL_SOCIETY,
            grade=grade("implementation-1-3", "n/a"),
            assessed_on=datetime.date(2025, 6, 2),
        )
    assert "reason" in error.value.message_dict
    current = current_assessments(users["liaison"], [paragraph])[paragraph.pk]
    assert sorted((a.source, a.grade.code) for a in current) == [
        ("civil_society", "2"),
        ("committee", "B"),
    ]
    assert paragraph.assessments.count() == 3
    assert paragraph.events.filter(kind=EventKind.ASSESSED).count() == 3


def test_links_are_decided_by_a_person_and_counted_as_evidence(
    users: dict[str, User],
    ref: dict[str, Any],
    docs: dict[str, Any],
    make_recommendation: Callable[..., Any],
    approved_visit: Callable[..., Any],
) -> None:
    coordinator = users["coordinator"]
    paragraph = docs["to_kuis"]
    visit = approved_visit()
    finding = visit.findings.first()
    on_finding = make_recommendation(visit=visit, findings=[finding], state=State.IN_IMPLEMENTATION)
    done = make_recommendation(state=State.IMPLEMENTED_VERIFIED)
    systemic = make_recommendation(theme=Theme.T5, addressee=ref["kuis_71"])
    elsewhere = make_recommendation(theme=Theme.T5, addressee=ref["moh"])

    link_confirm(actor=coordinator, paragraph=paragraph, target=finding)
    link_confirm(actor=coordinator, paragraph=paragraph, target=done, origin="suggested", score=0.4)
    link_confirm(
        actor=coordinator, paragraph=paragraph, target=SystemicTarget(Theme.T5, ref["kuis"])
    )
    link_reject(actor=coordinator, paragraph=paragraph, target=elsewhere, score=0.3)
    again = link_confirm(actor=coordinator, paragraph=paragraph, target=finding)
    assert ParagraphLink.objects.filter(paragraph=paragraph).count() == 4
    assert again.status == LinkStatus.CONFIRMED

    evidence = evidence_of(coordinator, [paragraph])[paragraph.pk]
    assert evidence.finding_ids == {finding.pk}
    assert evidence.recommendation_ids == {on_finding.pk, done.pk, systemic.pk}
    assert evidence.visits == 1
    assert (evidence.open, evidence.implemented) == (2, 1)

    # the liaison of the ministry of health sees none of the committee's records
    other = evidence_of(users["other_liaison"], [paragraph])[paragraph.pk]
    assert other.empty

    with pytest.raises(ValidationError):
        link_confirm(
            actor=coordinator, paragraph=paragraph, target=SystemicTarget("T9", ref["kuis"])
        )
    removed = ParagraphLink.objects.get(paragraph=paragraph, kind=LinkKind.FINDING)
    link_remove(actor=coordinator, link=removed)
    assert set(paragraph.events.values_list("kind", flat=True)) >= {
        EventKind.LINKED,
        EventKind.LINK_REJECTED,
        EventKind.UNLINKED,
    }
    assert AuditEvent.objects.filter(action=AuditAction.UN_LINK_REMOVED).count() == 1


def test_suggestions_find_the_similar_recommendation_and_leave_out_decided_ones(
    users: dict[str, User],
    make_paragraph: Callable[..., Paragraph],
    make_recommendation: Callable[..., Any],
) -> None:
    paragraph = make_paragraph(
        text_en="Ensure that video surveillance covers all interrogation rooms.", themes="T1"
    )
    similar = make_recommendation(
        theme=Theme.T1, text="Установить видеонаблюдение во всех кабинетах для допросов."
    )
    make_recommendation(theme=Theme.T1, text="Обеспечить питание три раза в день по нормам.")
    suggested = link_suggestions(users["coordinator"], paragraph)
    assert suggested
    assert suggested[0].recommendation == similar
    link_reject(actor=users["coordinator"], paragraph=paragraph, target=similar)
    assert similar not in [
        s.recommendation for s in link_suggestions(users["coordinator"], paragraph)
    ]

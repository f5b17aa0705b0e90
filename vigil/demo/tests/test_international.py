"""`generate_demo_data`'s UN documents: the CAT's paragraphs with the coalition's, the state's
and the NPM's grades, the SPT reports (2016 published, 2023 confidential), UPR recommendations,
links to the demo evidence by theme, and a second run that changes nothing."""

import datetime
from typing import Any

import pytest

from vigil.accounts.models import User
from vigil.audit.models import AuditEvent
from vigil.demo.accounts import demo_password, demo_users_ensure
from vigil.demo.international import CAT, SPT_2016, SPT_2023, UPR, generate_un_documents
from vigil.international.models import Assessment, Document, ParagraphEvent, ParagraphLink
from vigil.international.permissions import documents_visible_to, paragraphs_visible_to
from vigil.international.selectors import current_assessments, evidence_of
from vigil.recommendations.enums import Level, Source, State
from vigil.recommendations.models import Recommendation
from vigil.reference.loader import reference_data_load
from vigil.reference.models import Agency
from vigil.visits.enums import Theme


@pytest.fixture
def demo_world(db: Any) -> dict[str, User]:
    reference_data_load(country="kz")
    demo_users_ensure(password=demo_password())
    coordinator = User.objects.get(email="coordinator@demo.vigil")
    kuis = Agency.objects.get(code="MVD-KUIS")
    for n, theme in enumerate((Theme.T2, Theme.T2, Theme.T3, Theme.T5), start=1):
        issued = datetime.date(2025, 2, n)
        Recommendation.objects.create(
            reference=f"DEMO-UN-{n}",
            source=Source.VISIT_REPORT,
            addressee=kuis,
            theme=theme,
            level=Level.INSTITUTIONAL,
            text=f"Synthetic recommendation {n}.",
            indicator="Checked on the next visit.",
            issued_on=issued,
            deadline=issued + datetime.timedelta(days=60),
            state=State.IN_IMPLEMENTATION,
            state_changed_on=issued,
            created_by=coordinator,
        )
    return {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.vigil")}


def test_demo_un_documents(demo_world: dict[str, User]) -> None:
    counts = generate_un_documents()

    assert counts["documents"] == 4
    assert counts["assessments"] == 16
    cat = Document.objects.get(symbol=CAT)
    paragraphs = list(cat.paragraphs.order_by("position"))
    current = current_assessments(demo_world["coordinator"], paragraphs)
    coalition = {
        p.number: next(a.grade.code for a in current[p.pk] if a.source == "civil_society")
        for p in paragraphs
    }
    assert coalition == {
        "10": "2",
        "11": "1",
        "21": "1",
        "24": "2",
        "28": "2",
        "44": "n/a",
        "46": "3",
        "47": "3",
    }
    by_number = {p.number: p for p in paragraphs}
    assert {a.source for a in current[by_number["10"].pk]} == {"civil_society", "state", "npm"}
    assert Document.objects.get(symbol=SPT_2023).restricted
    assert not Document.objects.get(symbol=SPT_2016).restricted
    assert Document.objects.get(symbol=UPR).paragraphs.count() == 3
    for reader in ("liaison", "monitor"):
        assert not documents_visible_to(demo_world[reader]).filter(symbol=SPT_2023).exists()
    assert documents_visible_to(demo_world["coordinator"]).filter(symbol=SPT_2023).exists()
    liaison_sees = paragraphs_visible_to(demo_world["liaison"]).filter(document=cat)
    assert sorted(liaison_sees.values_list("number", flat=True)) == ["24", "28"]

    # Links by theme: paragraph 10 (T2) to the two T2 recommendations, 24 (T3) to the T3 one.
    assert counts["links"] == 4
    evidence = evidence_of(demo_world["coordinator"], paragraphs)
    assert evidence[by_number["10"].pk].recommendations == 2
    assert evidence[by_number["24"].pk].open == 1

    before = (
        Assessment.objects.count(),
        ParagraphEvent.objects.count(),
        ParagraphLink.objects.count(),
        AuditEvent.objects.count(),
    )
    again = generate_un_documents()
    assert again == {"documents": 0, "paragraphs": 0, "assessments": 0, "links": 0}
    after = (
        Assessment.objects.count(),
        ParagraphEvent.objects.count(),
        ParagraphLink.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before

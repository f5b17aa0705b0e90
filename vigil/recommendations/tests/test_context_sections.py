"""What other apps' pages show of visits, findings and recommendations: the institution's page
as the hub of what is known about the place, and a visit's recommendations on the visit's page,
each section within the viewer's permissions (role matrices)."""

import datetime

import pytest
from django.utils import timezone

from conftest import ALL_ACTORS
from vigil.recommendations.enums import State
from vigil.visits.enums import AccessIncidentKind, VisitState
from vigil.visits.models import AccessIncident

pytestmark = pytest.mark.django_db

INSTITUTION = "/registry/institutions/{}/"
VISIT = "/visits/{}/"

# The sections of the institution's page each role gets (admin: no visit's working material;
# liaison: nothing of visits, past or future, but the recommendations issued to its agency).
SECTIONS = {
    "admin": {"visits", "recommendations"},
    "coordinator": {"visits", "findings", "recommendations"},
    "monitor": {"visits", "findings", "recommendations"},
    "regional": {"visits", "findings", "recommendations"},
    "auditor": {"visits", "findings", "recommendations"},
    "liaison": {"recommendations"},
}
SEES_DRAFT = {"admin", "coordinator", "monitor", "regional", "auditor"}


@pytest.fixture
def place(approved_visit, make_visit, make_recommendation, make_institution):
    sent = approved_visit(planned_start=datetime.date(2026, 3, 2))
    sent.state = VisitState.SENT_TO_AUTHORITY
    sent.save(update_fields=["state"])
    institution = sent.institutions.get()
    upcoming = make_visit(
        state=VisitState.PLANNED, institution=institution, planned_start=datetime.date(2027, 5, 4)
    )
    finding = sent.findings.order_by("pk").first()
    incident = AccessIncident.objects.create(
        visit=sent,
        institution=institution,
        kind=AccessIncidentKind.choices[0][0],
        occurred_at=timezone.now(),
        details="Kept waiting at the gate.",
        recorded_by=sent.created_by,
    )
    issued = make_recommendation(visit=sent, institution=institution, findings=[finding])
    draft = make_recommendation(
        visit=sent, institution=institution, state=State.DRAFT, text="A draft not yet issued."
    )
    elsewhere = make_recommendation(institution=make_institution(), text="Somewhere else.")
    return {
        "institution": institution,
        "sent": sent,
        "upcoming": upcoming,
        "finding": finding,
        "incident": incident,
        "issued": issued,
        "draft": draft,
        "elsewhere": elsewhere,
    }


@pytest.mark.parametrize("actor", [a for a in ALL_ACTORS if a != "anonymous"])
def test_institution_page_sections_by_role(client_for, place, actor):
    response = client_for(actor).get(INSTITUTION.format(place["institution"].public_id))
    assert response.status_code == 200
    body = response.content.decode()
    expected = SECTIONS[actor]
    for section in ("visits", "findings", "recommendations"):
        assert (f'data-testid="institution-{section}"' in body) == (section in expected), section
    if "visits" in expected:
        assert place["sent"].reference in body
        assert place["upcoming"].reference in body
        assert f"/visits/?institution={place['institution'].public_id}" in body
    else:  # nothing of visits, past or future, for an agency's liaison
        assert place["sent"].reference not in body
        assert place["upcoming"].reference not in body
        assert "/visits/" not in body.split('id="place-recommendations-heading"')[-1]
    if "findings" in expected:
        assert place["finding"].title in body
        assert 'data-testid="institution-incidents"' in body
        assert place["incident"].get_kind_display() in body
    else:
        assert place["finding"].title not in body
        assert 'data-testid="institution-incidents"' not in body
    assert place["issued"].reference in body
    assert (place["draft"].reference in body) == (actor in SEES_DRAFT)
    assert place["elsewhere"].reference not in body


def test_institution_page_counts_per_status_and_links_the_filtered_lists(client_for, place):
    body = client_for("coordinator").get(INSTITUTION.format(place["institution"].public_id))
    text = body.content.decode()
    assert f"/recommendations/?institution={place['institution'].public_id}" in text
    assert 'data-state="draft"' in text
    assert 'data-state="awaiting_response"' in text
    liaison = client_for("liaison").get(INSTITUTION.format(place["institution"].public_id))
    assert (
        f"/recommendations/portal/?institution={place['institution'].public_id}"
        in liaison.content.decode()
    )


def test_filtered_lists_hold_the_institutions_rows(client_for, place):
    key = place["institution"].public_id
    visits = client_for("coordinator").get(f"/visits/?institution={key}").content.decode()
    assert place["sent"].reference in visits
    assert place["upcoming"].reference in visits
    assert 'data-testid="visits-of-institution"' in visits
    recs = client_for("coordinator").get(f"/recommendations/?institution={key}").content.decode()
    assert place["issued"].reference in recs
    assert place["elsewhere"].reference not in recs


VISIT_SECTION = {
    "admin": {"issued", "draft"},
    "coordinator": {"issued", "draft"},
    "monitor": {"issued", "draft"},
    "regional": {"issued", "draft"},
    "auditor": {"issued", "draft"},
    "liaison": {"issued"},
}


@pytest.mark.parametrize("actor", [a for a in ALL_ACTORS if a != "anonymous"])
def test_visit_sent_to_the_authority_shows_its_recommendations(client_for, place, actor):
    response = client_for(actor).get(VISIT.format(place["sent"].public_id))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="visit-recommendations"' in body
    for key in ("issued", "draft"):
        assert (place[key].reference in body) == (key in VISIT_SECTION[actor]), key
    assert place["issued"].addressee.name in body
    assert place["elsewhere"].reference not in body
    detail = "portal/" if actor == "liaison" else ""
    assert f"/recommendations/{detail}{place['issued'].public_id}/" in body


def test_visit_before_its_report_shows_no_empty_recommendations_section(client_for, place):
    body = client_for("coordinator").get(VISIT.format(place["upcoming"].public_id))
    assert 'data-testid="visit-recommendations"' not in body.content.decode()


def test_visit_list_ignores_an_institution_out_of_view(client_for, place, ref, make_institution):
    other = make_institution(agency=ref["moh"], region=ref["almaty"])
    body = client_for("regional").get(f"/visits/?institution={other.public_id}").content.decode()
    assert 'data-testid="visits-of-institution"' not in body
    assert place["sent"].reference not in body


FINDING = "/visits/findings/{}/"
# Who reads the finding's page (the visit's working material) and who drafts from it.
FINDING_READERS = {"coordinator", "monitor", "regional", "auditor"}
FINDING_DRAFTERS = {"coordinator", "regional"}


@pytest.mark.parametrize("actor", [a for a in ALL_ACTORS if a != "anonymous"])
def test_a_finding_shows_the_recommendations_answering_it(client_for, place, actor):
    response = client_for(actor).get(FINDING.format(place["finding"].public_id))
    if actor not in FINDING_READERS:
        assert response.status_code in (403, 404)
        return
    body = response.content.decode()
    assert 'data-testid="finding-recommendations"' in body
    assert place["issued"].reference in body
    assert place["draft"].reference not in body  # not linked to this finding
    draft_link = f"/new/?finding={place['finding'].public_id}"
    assert (draft_link in body) == (actor in FINDING_DRAFTERS)

"""Drafts: references, validation that names the field, scope, audit of changes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.recommendations.enums import Source, State
from vigil.recommendations.models import Recommendation
from vigil.recommendations.services.drafts import (
    allocate_references,
    recommendation_create,
    recommendation_delete,
    recommendation_update,
)

pytestmark = pytest.mark.django_db


def _data(ref, **fields):
    data = {
        "addressee": ref["kuis_71"],
        "theme": "T3",
        "text": "Repair the ventilation.",
    }
    data.update(fields)
    return data


def test_references_follow_each_other(users, ref):
    first = recommendation_create(actor=users["coordinator"], data=_data(ref))
    second = recommendation_create(actor=users["coordinator"], data=_data(ref))
    year = first.created_at.year
    assert first.reference == f"REC-{year}-000001"
    assert second.reference == f"REC-{year}-000002"
    assert allocate_references(year, 2) == [f"REC-{year}-000003", f"REC-{year}-000004"]


def test_create_defaults(users, ref, approved_visit):
    thematic = recommendation_create(actor=users["coordinator"], data=_data(ref))
    assert thematic.source == Source.THEMATIC_REPORT
    assert thematic.state == State.DRAFT
    assert thematic.created_by == users["coordinator"]
    visit = approved_visit()
    from_visit = recommendation_create(actor=users["coordinator"], data=_data(ref, visit=visit))
    assert from_visit.source == Source.VISIT_REPORT
    assert from_visit.institution == visit.institutions.get()  # the visit's only institution
    row = AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_CREATED).latest("id")
    assert row.data["visit"] == str(visit.public_id)


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("visit_report_without_visit", "visit"),
        ("findings_of_another_visit", "findings"),
        ("institution_not_visited", "institution"),
        ("deadline_in_the_past", "deadline"),
        ("no_text", "text"),
        ("bad_theme", "theme"),
    ],
)
def test_create_validation(users, ref, approved_visit, make_institution, case, field):
    visit = approved_visit()
    other = approved_visit()
    data = _data(ref, visit=visit)
    findings = []
    if case == "visit_report_without_visit":
        data = _data(ref, source=Source.VISIT_REPORT)
    elif case == "findings_of_another_visit":
        findings = list(other.findings.all())
    elif case == "institution_not_visited":
        data["institution"] = make_institution()
    elif case == "deadline_in_the_past":
        data["deadline"] = datetime.date(2020, 1, 1)
    elif case == "no_text":
        data["text"] = ""
    elif case == "bad_theme":
        data["theme"] = "T9"
    with pytest.raises(ValidationError) as exc:
        recommendation_create(actor=users["coordinator"], data=data, findings=findings)
    assert field in exc.value.message_dict
    assert not Recommendation.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_CREATED).exists()


def test_unknown_fields_are_a_programming_error(users, ref):
    with pytest.raises(ValueError, match="unknown fields"):
        recommendation_create(actor=users["coordinator"], data=_data(ref, state="issued"))


@pytest.mark.parametrize("actor", ["monitor", "auditor", "liaison", "other_liaison"])
def test_who_may_not_draft(users, ref, actor):
    with pytest.raises(PermissionDenied):
        recommendation_create(actor=users[actor], data=_data(ref))
    assert not Recommendation.objects.exists()


def test_regional_representative_drafts_in_scope_only(users, ref, make_institution):
    own = recommendation_create(actor=users["regional"], data=_data(ref))  # Astana department
    assert own.addressee == ref["kuis_71"]
    with pytest.raises(PermissionDenied):
        recommendation_create(actor=users["regional"], data=_data(ref, addressee=ref["moh"]))
    almaty = make_institution(region=ref["almaty"])
    with pytest.raises(PermissionDenied):
        recommendation_create(
            actor=users["regional"], data=_data(ref, addressee=ref["kuis"], institution=almaty)
        )
    with pytest.raises(PermissionDenied):
        recommendation_update(
            actor=users["regional"], recommendation=own, data={"addressee": ref["moh"]}
        )
    own.refresh_from_db()
    assert own.addressee == ref["kuis_71"]


def test_update_records_what_changed(users, ref, make_recommendation):
    draft = make_recommendation(state=State.DRAFT)
    earlier = make_recommendation()
    recommendation_update(
        actor=users["coordinator"],
        recommendation=draft,
        data={"text": "New text", "repeat_of": earlier, "theme": "T3"},
    )
    draft.refresh_from_db()
    assert draft.text == "New text"
    assert draft.repeat_of == earlier
    row = AuditEvent.objects.get(action=AuditAction.RECOMMENDATION_UPDATED)
    assert set(row.data["changes"]) == {"text", "repeat_of"}
    recommendation_update(actor=users["coordinator"], recommendation=draft, data={"theme": "T3"})
    assert AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_UPDATED).count() == 1


def test_a_recommendation_cannot_repeat_itself(users, make_recommendation):
    draft = make_recommendation(state=State.DRAFT)
    with pytest.raises(ValidationError) as exc:
        recommendation_update(
            actor=users["coordinator"], recommendation=draft, data={"repeat_of": draft}
        )
    assert "repeat_of" in exc.value.message_dict


def test_issued_ones_are_never_edited_or_deleted(users, make_recommendation):
    rec = make_recommendation()
    with pytest.raises(ValidationError) as exc:
        recommendation_update(actor=users["coordinator"], recommendation=rec, data={"text": "x"})
    assert "state" in exc.value.message_dict
    with pytest.raises(ValidationError):
        recommendation_delete(actor=users["coordinator"], recommendation=rec)
    with pytest.raises(PermissionDenied):
        recommendation_update(actor=users["monitor"], recommendation=rec, data={"text": "x"})
    rec.refresh_from_db()
    assert rec.text != "x"


def test_delete_a_draft(users, make_recommendation):
    draft = make_recommendation(state=State.DRAFT)
    recommendation_delete(actor=users["coordinator"], recommendation=draft)
    assert not Recommendation.objects.exists()
    row = AuditEvent.objects.get(action=AuditAction.RECOMMENDATION_DELETED)
    assert row.target_id == str(draft.public_id)

"""The audit and access logs: who may read and export them, what an export leaves behind,
translated actions, links to the records, and the filters and sorting of the access log."""

import datetime

import pytest
from django.utils import timezone

from conftest import ALL_ACTORS
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.audit.services import access_record, audit_record

READERS = {"admin", "coordinator", "auditor"}
PATHS = ["/audit/", "/audit/access/"]


@pytest.mark.parametrize("actor", ALL_ACTORS)
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_only_readers_of_the_trail_export_it(client_for, actor, path, fmt):
    response = client_for(actor).get(path, {"export": fmt})
    if actor == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if actor in READERS else 403)
    if actor not in READERS:
        assert not AccessEvent.objects.filter(kind=AccessKind.AUDIT_EXPORTED).exists()
        assert not AuditEvent.objects.filter(action=AuditAction.LIST_EXPORTED).exists()


def test_exporting_the_audit_log_is_an_access_event(client_for, users):
    audit_record(actor=users["admin"], action=AuditAction.USER_UPDATED, target=users["monitor"])
    client = client_for("auditor")
    before = AuditEvent.objects.count()
    response = client.get("/audit/", {"action": "user.updated", "export": "csv"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    event = AccessEvent.objects.get(kind=AccessKind.AUDIT_EXPORTED)
    assert event.actor == users["auditor"]
    assert event.data == {
        "list": "audit-log",
        "format": "csv",
        "filters": {"action": "user.updated"},
        "rows": 1,
    }
    assert AuditEvent.objects.count() == before
    body = client.get("/audit/access/").content.decode()
    assert "Audit log exported" in body
    assert "<strong>Rows</strong>: 1" in body


def test_exporting_the_access_log_is_in_the_audit_log(client_for, users):
    access_record(
        actor=users["coordinator"], kind=AccessKind.INTERVIEW_READ, target=users["monitor"]
    )
    assert client_for("admin").get("/audit/access/", {"export": "xlsx"}).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LIST_EXPORTED)
    assert event.data["list"] == "access-log"
    assert event.data["rows"] == 1


def test_actions_are_translated_and_records_linked(client_for, users, make_institution):
    kept = make_institution(name_en="Kept place")
    gone = make_institution(name_en="Gone place")
    for institution in (kept, gone):
        audit_record(
            actor=users["coordinator"],
            action=AuditAction.INSTITUTION_UPDATED,
            target=institution,
            data={"changes": {"capacity": [1, 2]}},
        )
    gone.delete()
    body = client_for("auditor").get("/audit/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Учреждение изменено" in body
    assert ">institution.updated<" not in body
    assert "(registry.institution)" not in body
    assert f'<a href="/registry/institutions/{kept.public_id}/">Kept place</a>' in body
    assert str(gone.public_id) not in body  # a deleted record gets no link
    assert "Gone place" in body


def test_a_record_the_viewer_may_not_open_gets_no_link(client_for, users):
    audit_record(actor=users["admin"], action=AuditAction.USER_UPDATED, target=users["monitor"])
    link = f'href="/accounts/users/{users["monitor"].public_id}/"'
    assert link in client_for("admin").get("/audit/").content.decode()
    assert link not in client_for("auditor").get("/audit/").content.decode()


def test_institution_history_reads_as_the_log_does(client_for, users, make_institution):
    institution = make_institution()
    audit_record(
        actor=users["coordinator"],
        action=AuditAction.INSTITUTION_UPDATED,
        target=institution,
        data={"changes": {"capacity": [1, 2]}},
    )
    body = (
        client_for("coordinator")
        .get(f"/registry/institutions/{institution.public_id}/", HTTP_ACCEPT_LANGUAGE="kk")
        .content.decode()
    )
    assert "History of changes" not in body
    assert ">institution.updated<" not in body
    assert "(registry.institution)" not in body
    assert "1 → 2" in body


def test_access_log_filters_and_sorts(client_for, users):
    for actor, kind in (
        ("coordinator", AccessKind.INTERVIEW_READ),
        ("regional", AccessKind.IDENTITY_UNSEALED),
        ("regional", AccessKind.ATTACHMENT_DOWNLOADED),
    ):
        access_record(actor=users[actor], kind=kind, target=users["monitor"], reason="r")
    client = client_for("auditor")

    def count(**params):
        return client.get("/audit/access/", params).context["page"].paginator.count

    assert count() == 3
    assert count(actor="regional@") == 2
    assert count(kind="interview_read") == 1
    today = timezone.localdate()
    assert count(date_from=today.isoformat(), date_to=today.isoformat()) == 3
    assert count(date_to=(today - datetime.timedelta(days=1)).isoformat()) == 0
    kinds = [e.kind for e in client.get("/audit/access/?ordering=kind").context["page"]]
    assert kinds == sorted(kinds)
    actors = [e.actor_label for e in client.get("/audit/access/?ordering=-actor").context["page"]]
    assert actors == sorted(actors, reverse=True)


def test_audit_log_sorts_by_action_name(client_for, users, make_institution):
    audit_record(actor=users["admin"], action=AuditAction.USER_UPDATED, target=users["monitor"])
    audit_record(
        actor=users["admin"], action=AuditAction.INSTITUTION_CREATED, target=make_institution()
    )
    client = client_for("auditor")
    names = [
        str(AuditAction(e.action).label)
        for e in client.get("/audit/?ordering=action", HTTP_ACCEPT_LANGUAGE="en").context["page"]
    ]
    assert names == sorted(names)
    assert client.get("/audit/?ordering=-time").status_code == 200


def test_every_linked_kind_builds_its_links(users, make_institution):
    """Each registered kind queries its records and names a page that exists."""
    from django.urls import reverse

    from vigil.audit.links import PublicIdLinks, _kinds, linked_models

    assert {"registry.institution", "visits.visit", "recommendations.recommendation"} <= set(
        linked_models()
    )
    unknown = "00000000-0000-0000-0000-000000000000"
    for label in linked_models():
        links = _kinds[label].links
        assert isinstance(links, PublicIdLinks)
        assert links(users["coordinator"], [unknown, "not-a-uuid"]) == {}, label
        reverse(links.url_name, args=[2027 if links.url_arg == "year" else unknown])


def test_filter_by_kind_of_record(client_for, users, make_institution):
    audit_record(actor=users["admin"], action=AuditAction.USER_UPDATED, target=users["monitor"])
    audit_record(
        actor=users["admin"], action=AuditAction.INSTITUTION_CREATED, target=make_institution()
    )
    page = client_for("auditor").get("/audit/", {"target_type": "registry.institution"})
    assert [e.action for e in page.context["page"]] == ["institution.created"]

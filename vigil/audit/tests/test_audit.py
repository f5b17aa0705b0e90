"""The audit page: who may read it, filters, and that nothing can change a row."""

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AppendOnlyError, AuditEvent
from vigil.audit.services import access_record, audit_record

READERS = {"admin", "coordinator", "auditor"}


@pytest.mark.parametrize("actor", ALL_ACTORS)
@pytest.mark.parametrize("path", ["/audit/", "/audit/access/"])
def test_audit_pages_role_matrix(client_for, actor, path):
    response = client_for(actor).get(path)
    if actor == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if actor in READERS else 403)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_audit_page_offers_no_write(client_for, users, actor):
    audit_record(actor=users["admin"], action=AuditAction.USER_UPDATED, target=users["monitor"])
    client = client_for(actor)
    before = list(AuditEvent.objects.values_list("id", "action"))
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/audit/")
        assert response.status_code in (302, 403, 405)
    assert list(AuditEvent.objects.values_list("id", "action")) == before


def test_filters(client_for, users, make_institution):
    inst = make_institution(name_en="Отслеживаемое учреждение")
    audit_record(
        actor=users["coordinator"],
        action=AuditAction.INSTITUTION_UPDATED,
        target=inst,
        data={"changes": {"capacity": [1, 2]}},
    )
    audit_record(actor=users["admin"], action=AuditAction.USER_UPDATED, target=users["monitor"])
    client = client_for("auditor")
    body = client.get("/audit/", {"actor": "coordinator@"}).content.decode()
    assert "Отслеживаемое учреждение" in body
    assert "Test Monitor" not in body
    body = client.get("/audit/", {"action": "user.updated"}).content.decode()
    assert "Test Monitor" in body
    assert "Отслеживаемое учреждение" not in body
    body = client.get("/audit/", {"target": "Отслеживаемое"}).content.decode()
    assert "Отслеживаемое учреждение" in body
    body = client.get(
        "/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}
    ).content.decode()
    assert "Отслеживаемое учреждение" not in body


def test_rows_are_append_only(users):
    event = audit_record(
        actor=users["admin"], action=AuditAction.USER_UPDATED, target=users["monitor"]
    )
    access = access_record(
        actor=users["coordinator"],
        kind=AccessKind.IDENTITY_UNSEALED,
        target=users["monitor"],
        reason="r",
    )
    for row in (event, access):
        row.target_label = "tampered"
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="x")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).target_label != "tampered"


def test_unknown_action_is_refused(users):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(actor=users["admin"], action="made.up")  # type: ignore[arg-type]


def test_request_id_is_echoed_and_recorded(client_for, users):
    client = client_for("coordinator")
    response = client.get("/", HTTP_X_REQUEST_ID="req-12345678")
    assert response["X-Request-ID"] == "req-12345678"
    response = client.get("/", HTTP_X_REQUEST_ID="bad id with spaces")
    assert response["X-Request-ID"] != "bad id with spaces"


def test_creates_updates_and_imports_show_on_the_audit_page(client_for, users, ref):
    from vigil.registry.importing import institutions_import
    from vigil.registry.models import Institution

    coordinator = client_for("coordinator")
    form = {
        "external_code": "AUD-1",
        "name_ru": "Проверяемое учреждение",
        "name_en": "Audited place",
        "type": ref["ivs"].pk,
        "agency": ref["police"].pk,
        "region": ref["astana"].pk,
        "security_level": "",
        "status": "active",
    }
    assert coordinator.post("/registry/institutions/new/", form).status_code == 302
    created = Institution.objects.get(external_code="AUD-1")
    form["capacity"] = "77"
    url = f"/registry/institutions/{created.public_id}/edit/"
    assert coordinator.post(url, form).status_code == 302
    csv = (
        "external_code;name_kk;name_ru;name_en;type;agency;region;address;capacity\n"
        "AUD-2;Мекеме;Учреждение;Imported place;IVS;MVD-POLICE;KZ-71;ул. 1;10\n"
    ).encode("utf-8-sig")
    institutions_import(actor=users["coordinator"], content=csv, file_name="registry.csv")

    body = client_for("auditor").get("/audit/").content.decode()
    assert "Institution created" in body
    assert "Institution updated" in body
    assert "Institutions imported" in body
    assert "Audited place" in body
    assert "Imported place" in body
    assert "<strong>Capacity</strong>: — → 77" in body
    assert f'href="/registry/institutions/{created.public_id}/"' in body

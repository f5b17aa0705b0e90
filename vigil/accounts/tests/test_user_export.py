"""User management as a list: only administrators see and export it; never a password."""

import csv
import io

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_only_administrators_export_the_accounts(client_for, users, actor):
    response = client_for(actor).get("/accounts/users/?export=csv")
    exported = AuditEvent.objects.filter(action=AuditAction.LIST_EXPORTED)
    if actor != "admin":
        assert response.status_code in (302, 403)
        assert not exported.exists()
        return
    assert response.status_code == 200
    rows = rows_of(response)
    assert {row["email"] for row in rows} == {user.email for user in users.values()}
    assert exported.get().data["list"] == "users"


def test_the_export_holds_roles_and_scopes_never_a_password(client_for, users):
    response = client_for("admin").get("/accounts/users/?export=csv")
    content = response.content.decode()
    header = content.splitlines()[0]
    assert "password" not in header
    assert users["admin"].password not in content
    rows = {row["email"]: row for row in rows_of(response)}
    assert rows["regional@test.vigil"]["regions"] == "KZ-71"
    assert rows["regional@test.vigil"]["role"] == "regional"
    assert rows["liaison@test.vigil"]["agency"] == "MVD-KUIS"
    assert rows["admin@test.vigil"]["active"] == "True"


def test_the_accounts_filter_and_sort(client_for, users, ref):
    client = client_for("admin")

    def emails(query):
        page = client.get(f"/accounts/users/?{query}")
        listed = [u.email for u in page.context["page"].object_list]
        exported = [
            row["email"] for row in rows_of(client.get(f"/accounts/users/?{query}&export=csv"))
        ]
        assert listed == exported
        return listed

    assert emails("role=liaison") == ["liaison@test.vigil", "other-liaison@test.vigil"]
    assert emails("role=liaison&ordering=-email") == [
        "other-liaison@test.vigil",
        "liaison@test.vigil",
    ]
    assert emails("region=KZ-71") == ["regional@test.vigil"]
    users["auditor"].is_active = False
    users["auditor"].save()
    assert emails("active=false") == ["auditor@test.vigil"]
    assert emails("ordering=name")[0] == "other-liaison@test.vigil"  # "Other Liaison"
    body = client.get("/accounts/users/?role=liaison").content.decode()
    assert "2 accounts" in body
    assert "export=xlsx" in body

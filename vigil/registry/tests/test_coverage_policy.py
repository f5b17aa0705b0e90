"""Visit coverage (when each institution was last visited, which were not) is the NPM's own
planning knowledge: an agency liaison sees none of it, on any page, export or endpoint."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from vigil.registry.permissions import can_see_visit_coverage

LAST_VISIT = datetime.date(2025, 3, 14)
COVERAGE_WORDS = ("Not visited", "Last visited", "last_visited", "not_visited")


@pytest.fixture
def visited(make_institution):
    institution = make_institution(name_ru="Колония Астана")
    institution.last_visited_on = LAST_VISIT
    institution.save(update_fields=["last_visited_on"])
    return institution


@pytest.mark.parametrize(
    ("actor", "sees"),
    [("admin", True), ("coordinator", True), ("regional", True), ("monitor", True),
     ("auditor", True), ("liaison", False), ("other_liaison", False)],
)  # fmt: skip
def test_the_policy(users, actor, sees):
    assert can_see_visit_coverage(users[actor]) is sees


@pytest.mark.parametrize("actor", ["coordinator", "liaison"])
def test_pages_show_coverage_only_to_the_npm(client_for, visited, actor):
    client = client_for(actor)
    pages = {
        "/": client.get("/").content.decode(),
        "list": client.get("/registry/institutions/").content.decode(),
        "detail": client.get(f"/registry/institutions/{visited.public_id}/").content.decode(),
    }
    for name, body in pages.items():
        shown = [word for word in COVERAGE_WORDS if word in body]
        if actor == "liaison":
            assert shown == [], name
        else:
            assert shown, name
    assert (LAST_VISIT.isoformat() in pages["list"] or "14.03.2025" in pages["list"]
            or "03/14/2025" in pages["list"]) is (actor == "coordinator")  # fmt: skip


def test_a_liaison_cannot_filter_or_sort_by_coverage(client_for, visited, make_institution):
    make_institution(name_ru="Колония никогда")  # never visited
    client = client_for("liaison")
    everything = client.get("/registry/institutions/").content.decode().count("Колония")
    filtered = client.get("/registry/institutions/", {"not_visited_since": "2025-01-01"})
    assert filtered.content.decode().count("Колония") == everything  # the filter is ignored
    api = client.get("/api/v1/institutions/", {"not_visited_since": "2025-01-01"}).json()
    assert api["count"] == 2
    assert client.get("/api/v1/institutions/", {"ordering": "last_visited"}).status_code == 400
    coordinator = client_for("coordinator")
    api = coordinator.get("/api/v1/institutions/", {"not_visited_since": "2025-01-01"}).json()
    assert api["count"] == 1  # the never-visited one; the NPM keeps the filter


@pytest.mark.parametrize(("actor", "sees"), [("coordinator", True), ("liaison", False)])
def test_api_and_export_carry_coverage_only_for_the_npm(client_for, visited, actor, sees):
    client = client_for(actor)
    row = client.get(f"/api/v1/institutions/{visited.public_id}/").json()
    assert ("last_visited_on" in row) is sees
    listed = client.get("/api/v1/institutions/").json()["results"][0]
    assert ("last_visited_on" in listed) is sees
    csv = client.get("/registry/institutions/?export=csv").content.decode("utf-8-sig")
    assert ("last_visited_on" in csv.splitlines()[0]) is sees
    xlsx = client.get("/registry/institutions/?export=xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert ("last_visited_on" in header) is sees

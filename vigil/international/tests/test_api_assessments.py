"""API v1 of the UN follow-up: assessments as an append-only history (405), their role
matrix and validation errors by field."""

from typing import Any

import pytest

from vigil.audit.enums import AuditAction
from vigil.international.models import Assessment, Paragraph
from vigil.international.tests.api_helpers import (
    ACTORS,
    API,
    MANAGERS,
    PARAGRAPHS,
    RECORDERS_SEEN_BY,
    _results,
    audit_rows,
)
from vigil.international.tests.api_helpers import (
    api as api,
)
from vigil.international.tests.api_helpers import (
    docs as docs,
)

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------- assessments


def _assessment_body(target: Paragraph, **changes: Any) -> dict[str, Any]:
    body = {
        "paragraph": str(target.public_id),
        "source": "civil_society",
        "source_name": "NGO Coalition against Torture",
        "scale": "implementation-1-3",
        "grade": "2",
        "assessed_on": "2025-06-01",
        "reference": "Alternative report, 2025",
    }
    body.update(changes)
    return body


@pytest.mark.parametrize("key", ["to_kuis", "spt_kuis"])
@pytest.mark.parametrize("actor", ACTORS)
def test_assessment_create_matrix(api, docs, actor, key):
    response = api(actor).post(f"{API}assessments/", _assessment_body(docs[key]), format="json")
    if actor in MANAGERS:
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["scale"], body["grade"], body["source_label"]) == (
            "implementation-1-3",
            "2",
            "NGO Coalition against Torture",
        )
        assert body["recorded_by"]
        assert audit_rows() == [AuditAction.UN_ASSESSMENT_RECORDED]
        return
    # anyone else is refused before the body is read: no paragraph is looked up
    assert response.status_code == (401 if actor == "anonymous" else 403)
    assert not Assessment.objects.exists()
    assert audit_rows() == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"grade": "n/a"}, "reason"),
        ({"grade": "B"}, "grade"),
        ({"scale": "no-such-scale"}, "scale"),
        ({"source": "oracle"}, "source"),
        ({"assessed_on": "2300-01-01"}, "assessed_on"),
        ({"paragraph": "00000000-0000-0000-0000-000000000000"}, "paragraph"),
    ],
    ids=["n/a-without-reason", "grade-of-another-scale", "unknown-scale", "source", "date", "para"],
)
def test_assessment_validation_errors_name_the_field(api, docs, changes, field):
    response = api("coordinator").post(
        f"{API}assessments/", _assessment_body(docs["to_kuis"], **changes), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert not Assessment.objects.exists()
    assert audit_rows() == []


def test_n_a_with_its_reason_is_recorded(api, docs):
    reason = "The Ministry of Defence is still closed to NPM and NGO monitoring"
    response = api("coordinator").post(
        f"{API}assessments/",
        _assessment_body(docs["to_moh"], grade="n/a", reason=reason),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["not_applicable"] is True
    assert response.json()["reason"] == reason


@pytest.fixture
def history(api, docs) -> list[dict[str, Any]]:
    client = api("coordinator")
    made = []
    for paragraph, changes in (
        (docs["to_kuis"], {"grade": "1", "assessed_on": "2024-06-01"}),
        (docs["to_kuis"], {"grade": "2", "assessed_on": "2025-06-01"}),
        (
            docs["to_kuis"],
            {"source": "committee", "source_name": "", "scale": "follow-up-a-e", "grade": "B"},
        ),
        (docs["spt_kuis"], {"grade": "3"}),
    ):
        response = client.post(
            f"{API}assessments/", _assessment_body(paragraph, **changes), format="json"
        )
        assert response.status_code == 201, response.content
        made.append(response.json())
    return made


@pytest.mark.parametrize("actor", ACTORS)
def test_assessment_list_and_retrieve_matrix(api, docs, history, actor):
    client = api(actor)
    response = client.get(f"{API}assessments/")
    if actor == "anonymous":
        assert response.status_code == 401
        return
    rows = _results(response)
    sees = PARAGRAPHS[actor]
    counts = {"to_kuis": 3, "spt_kuis": 1}
    assert len(rows) == sum(n for key, n in counts.items() if key in sees)
    for row in rows:
        assert ("recorded_by" in row) == (actor in RECORDERS_SEEN_BY)
    spt_one = history[3]["id"]
    assert client.get(f"{API}assessments/{spt_one}/").status_code == (
        200 if "spt_kuis" in sees else 404
    )


def test_assessments_by_paragraph_and_source(api, docs, history):
    client = api("monitor")
    params = {"paragraph": str(docs["to_kuis"].public_id), "source": "civil_society"}
    rows = _results(client.get(f"{API}assessments/", params))
    assert [(r["grade"], r["assessed_on"]) for r in rows] == [
        ("2", "2025-06-01"),
        ("1", "2024-06-01"),
    ]
    rows = _results(client.get(f"{API}assessments/", {"scale": "follow-up-a-e"}))
    assert [r["grade"] for r in rows] == ["B"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("actor", ["admin", "coordinator", "auditor"])
def test_assessments_are_never_changed_or_deleted(api, history, method, actor):
    url = f"{API}assessments/{history[0]['id']}/"
    response = getattr(api(actor), method)(url, {"grade": "3"}, format="json")
    assert response.status_code == 405
    assert Assessment.objects.count() == 4
    assert Assessment.objects.filter(grade__code="3").count() == 1

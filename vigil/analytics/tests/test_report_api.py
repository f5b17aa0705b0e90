"""API v1 of the annual reports: the role matrix (list, one year, start a build, a build's
status), a build started through the API runs to the end, unknown years and builds are 404."""

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from vigil.accounts.models import User

from ..models import BuildStatus, ReportBuild
from .report_helpers import make_report

pytestmark = pytest.mark.django_db

READERS = {"admin", "coordinator", "auditor", "regional"}
MANAGERS = {"admin", "coordinator"}
ACTORS = [
    "anonymous",
    "admin",
    "coordinator",
    "regional",
    "monitor",
    "liaison",
    "auditor",
    "other_liaison",
]


def _client(users: dict[str, User], actor: str) -> APIClient:
    client = APIClient()
    if actor != "anonymous":
        client.force_authenticate(users[actor])
    return client


@pytest.mark.parametrize("actor", ACTORS)
def test_role_matrix_of_the_api(actor: str, users: dict[str, User]) -> None:
    report = make_report(2021, users["coordinator"])
    build = ReportBuild.objects.create(report=report, language="kk", status=BuildStatus.RUNNING)
    client = _client(users, actor)
    reads = [
        "/api/v1/annual-reports/",
        "/api/v1/annual-reports/2021/",
        f"/api/v1/annual-reports/2021/builds/{build.public_id}/",
    ]
    for url in reads:
        response = client.get(url)
        if actor == "anonymous":
            assert response.status_code == 401, url
        elif actor in READERS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url
    start = client.post("/api/v1/annual-reports/2021/builds/", {"language": "ru"}, format="json")
    expected = 401 if actor == "anonymous" else 202 if actor in MANAGERS else 403
    assert start.status_code == expected
    assert ReportBuild.objects.filter(language="ru").exists() == (actor in MANAGERS)


def test_a_build_through_the_api_and_its_status(
    users: dict[str, User], ref: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    make_report(2021, users["coordinator"])
    client = _client(users, "coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/annual-reports/2021/builds/", {"language": "en"}, format="json"
        )
    assert started.status_code == 202
    assert started.json()["status"] == BuildStatus.QUEUED
    build_id = started.json()["id"]
    status = client.get(f"/api/v1/annual-reports/2021/builds/{build_id}/").json()
    assert status["status"] == BuildStatus.DONE
    assert status["interrupted"] is False
    assert status["progress"] == 100
    assert len(status["fingerprint"]) == 64
    assert status["pdf_url"].endswith(f"/analysis/reports/2021/builds/{build_id}/pdf/")
    listed = client.get("/api/v1/annual-reports/").json()
    assert listed["count"] == 1
    listed = listed["results"]
    assert [r["year"] for r in listed] == [2021]
    assert listed[0]["builds"][0]["id"] == build_id
    pdf = _client(users, "auditor")
    pdf.force_login(users["auditor"])
    assert pdf.get(status["pdf_url"]).status_code == 200


def test_unknown_years_builds_and_languages(users: dict[str, User]) -> None:
    make_report(2021, users["coordinator"])
    client = _client(users, "coordinator")
    assert client.get("/api/v1/annual-reports/1999/").status_code == 404
    assert client.get(f"/api/v1/annual-reports/2021/builds/{uuid.uuid4()}/").status_code == 404
    bad = client.post("/api/v1/annual-reports/2021/builds/", {"language": "de"}, format="json")
    assert bad.status_code == 400


def test_a_build_whose_worker_stopped_says_so(users: dict[str, User], settings: Any) -> None:
    import datetime

    from django.utils import timezone

    report = make_report(2021, users["coordinator"])
    build = ReportBuild.objects.create(report=report, language="kk", status=BuildStatus.RUNNING)
    quiet = timezone.now() - datetime.timedelta(
        seconds=settings.VIGIL_REPORT_BUILD_STALE_SECONDS + 1
    )
    ReportBuild.objects.filter(pk=build.pk).update(updated_at=quiet)
    answer = _client(users, "coordinator").get(
        f"/api/v1/annual-reports/2021/builds/{build.public_id}/"
    )
    assert (answer.json()["status"], answer.json()["interrupted"]) == ("running", True)

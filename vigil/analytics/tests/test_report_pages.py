"""The annual report's pages: who sees what (role matrix: 404 where the report is not theirs to see,
403 for a change by one who only reads), the narrative
saved per language and escaped, a build started from the page and its progress, downloads
logged, the note that data changed since the last build."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ALL_ACTORS
from vigil.accounts.models import User
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.recommendations.enums import State
from vigil.recommendations.models import Recommendation

from ..models import AnnualReport, BuildStatus, ReportBuild, ReportSection
from .report_helpers import make_report, penitentiary_tally_2021

pytestmark = pytest.mark.django_db

READERS = {"admin", "coordinator", "auditor", "regional"}
MANAGERS = {"admin", "coordinator"}


@pytest.fixture
def report(users: dict[str, User]) -> AnnualReport:
    return make_report(2021, users["coordinator"])


@pytest.fixture
def built(
    report: AnnualReport,
    users: dict[str, User],
    ref: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> ReportBuild:
    penitentiary_tally_2021(
        ref["kuis_71"], users["coordinator"], implemented=2, in_implementation=1, not_accepted=1
    )
    client = Client()
    client.force_login(users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("analytics:report_build", args=[2021]), {"language": "en"})
    assert response.status_code == 302
    build = ReportBuild.objects.get()
    assert build.status == BuildStatus.DONE, build.error
    return build


ACTORS = [*ALL_ACTORS, "other_liaison"]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("actor", ACTORS)
def test_role_matrix_of_the_pages(
    actor: str,
    debug: bool,
    built: ReportBuild,
    client_for: Callable[[str], Client],
    settings: Any,
) -> None:
    settings.DEBUG = debug
    client = client_for(actor)
    pages = [
        reverse("analytics:report_list"),
        reverse("analytics:report_detail", args=[2021]),
        reverse("analytics:report_freshness", args=[2021]),
        reverse("analytics:report_build_status", args=[2021, built.public_id]),
        reverse("analytics:report_build_download", args=[2021, built.public_id, "pdf"]),
        reverse("analytics:report_build_download", args=[2021, built.public_id, "docx"]),
    ]
    for url in pages:
        response = client.get(url)
        if actor == "anonymous":
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]
        elif actor in READERS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url
    writes = [
        (reverse("analytics:report_list"), {"year": "2030"}),
        (reverse("analytics:report_build", args=[2021]), {"language": "ru"}),
        (
            reverse("analytics:report_narrative", args=[2021]),
            {"language": "ru", "introduction": "Новый текст."},
        ),
        (
            reverse("analytics:report_settings", args=[2021]),
            {"title_kk": "Баяндама", "title_ru": "Доклад", "title_en": "Report", "state": "draft"},
        ),
    ]
    for url, data in writes:
        response = client.post(url, data)
        if actor == "anonymous":
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]
        elif actor in MANAGERS:
            assert response.status_code == 302, url
        elif actor in READERS:  # sees the report, may not change it
            assert response.status_code == 403, url
        else:
            assert response.status_code == 404, url
    created = AnnualReport.objects.filter(year=2030).exists()
    assert created == (actor in MANAGERS)


def test_the_menu_shows_the_reports_to_readers_only(client_for: Callable[[str], Client]) -> None:
    url = reverse("analytics:report_list")
    for actor in ("coordinator", "auditor", "regional"):
        assert url in client_for(actor).get("/").content.decode()
    for actor in ("monitor", "liaison"):
        assert url not in client_for(actor).get("/").content.decode()


def test_the_narrative_is_saved_per_language_audited_and_escaped(
    report: AnnualReport, client_for: Callable[[str], Client]
) -> None:
    client = client_for("coordinator")
    response = client.post(
        reverse("analytics:report_narrative", args=[2021]),
        {
            "language": "ru",
            "introduction": "Первый <script>абзац</script>.\r\n\r\nВторой.",
            "police": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?lang=ru")
    section = ReportSection.objects.get(report=report, key="introduction")
    assert section.text_ru == "Первый <script>абзац</script>.\n\nВторой."
    assert section.text_en.startswith("The National Preventive Mechanism")  # other language kept
    event = AuditEvent.objects.get(action=AuditAction.ANNUAL_REPORT_UPDATED)
    assert event.data == {"language": "ru", "sections": ["introduction"]}
    reader = client_for("auditor").get(reverse("analytics:report_detail", args=[2021]) + "?lang=ru")
    html = reader.content.decode()
    assert "&lt;script&gt;абзац&lt;/script&gt;" in html
    assert "<script>абзац" not in html
    assert 'name="introduction"' not in html  # readers get no form


def test_a_new_report_for_a_year_once(client_for: Callable[[str], Client]) -> None:
    client = client_for("coordinator")
    url = reverse("analytics:report_list")
    assert client.post(url, {"year": "2024"}).status_code == 302
    report = AnnualReport.objects.get(year=2024)
    assert "2024" in report.title_en
    again = client.post(url, {"year": "2024"})
    assert again.status_code == 200
    assert "There is already a report for this year." in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_REPORT_CREATED).count() == 1


def test_the_page_polls_a_running_build_and_stops_when_done(
    report: AnnualReport, users: dict[str, User], client_for: Callable[[str], Client]
) -> None:
    running = ReportBuild.objects.create(
        report=report, language="kk", status=BuildStatus.RUNNING, progress=40, step="Chapter"
    )
    client = client_for("coordinator")
    page = client.get(reverse("analytics:report_detail", args=[2021])).content.decode()
    status_url = reverse("analytics:report_build_status", args=[2021, running.public_id])
    assert f'hx-get="{status_url}" hx-trigger="every 2s"' in page
    assert 'value="40"' in page
    ReportBuild.objects.filter(pk=running.pk).update(status=BuildStatus.FAILED, progress=40)
    partial = client.get(status_url).content.decode()
    assert "hx-trigger" not in partial
    assert "Failed" in partial


def test_a_build_without_heartbeat_is_shown_interrupted_and_no_longer_polled(
    report: AnnualReport, client_for: Callable[[str], Client], settings: Any
) -> None:
    import datetime

    from django.utils import timezone

    settings.VIGIL_REPORT_BUILD_STALE_SECONDS = 120
    running = ReportBuild.objects.create(
        report=report, language="kk", status=BuildStatus.RUNNING, progress=40, step="Chapter"
    )
    client = client_for("coordinator")
    status_url = reverse("analytics:report_build_status", args=[2021, running.public_id])
    assert "build-interrupted" not in client.get(status_url).content.decode()
    quiet = timezone.now() - datetime.timedelta(seconds=121)  # the worker was killed
    ReportBuild.objects.filter(pk=running.pk).update(updated_at=quiet)
    page = client.get(reverse("analytics:report_detail", args=[2021])).content.decode()
    assert "Interrupted: the task worker stopped during this build." in page
    assert f'hx-get="{status_url}"' not in page
    assert "<progress" not in page


def test_a_download_is_logged_and_the_data_change_is_shown(
    built: ReportBuild, client_for: Callable[[str], Client]
) -> None:
    client = client_for("auditor")
    response = client.get(
        reverse("analytics:report_build_download", args=[2021, built.public_id, "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")  # type: ignore[arg-type]
    event = AccessEvent.objects.get(kind=AccessKind.ATTACHMENT_DOWNLOADED)
    assert (event.target_type, event.actor_label) == ("analytics.reportbuild", event.actor_label)
    assert event.target_id in (str(built.pk), str(built.public_id))
    fresh = reverse("analytics:report_freshness", args=[2021])
    assert "Up to date" in client.get(fresh).content.decode()
    Recommendation.objects.filter(state=State.NOT_ACCEPTED).update(state=State.ACCEPTED)
    assert "Data changed" in client.get(fresh).content.decode()
    bad = reverse("analytics:report_build_download", args=[2021, built.public_id, "exe"])
    assert client.get(bad).status_code == 404

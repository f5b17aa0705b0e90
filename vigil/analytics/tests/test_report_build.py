"""The annual report's build: progress to 100, files stored encrypted, the fingerprint stable
on unchanged data (files reused) and new when a recommendation changes; the figures of the
2021 penitentiary chapter; the DOCX has the tables and figures of the PDF; the kk and ru PDFs
have every Kazakh letter and every chapter title."""

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from docx import Document

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.recommendations.enums import State
from vigil.recommendations.models import Recommendation

from ..chapters import load_chapters
from ..models import BuildStatus, ReportBuild
from ..selectors.report import CHAPTER_ROWS, ReportContent, report_content, report_fingerprint
from ..services.report import annual_report_build_request, annual_report_file_read
from ..tasks import enqueue_build
from .report_helpers import make_report, penitentiary_tally_2021

pytestmark = pytest.mark.django_db
KAZAKH_LETTERS = "әғқңөұүһі"


def _build(report: Any, user: User, language: str, capture: Any) -> ReportBuild:
    with capture(execute=True):
        build = annual_report_build_request(actor=user, report=report, language=language)
        enqueue_build(build)
    build.refresh_from_db()
    return build


def _read(build: ReportBuild, user: User, kind: str) -> bytes:
    return annual_report_file_read(actor=user, build=build, kind=kind).data  # type: ignore[arg-type]


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = subprocess.run(  # noqa: S603 (a fixed local tool on our own bytes)
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    )
    return out.stdout.decode()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _docx_tables(data: bytes) -> list[list[tuple[str, ...]]]:
    document = Document(io.BytesIO(data))
    return [
        [tuple(cell.text for cell in row.cells) for row in table.rows] for table in document.tables
    ]


def _chapter(content: ReportContent, code: str) -> Any:
    return next(s for s in content.sections if s.key == f"chapter-{code}")


def test_a_build_runs_to_the_end_and_a_rebuild_on_unchanged_data_reuses_its_files(
    users: dict[str, User],
    ref: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    coordinator = users["coordinator"]
    penitentiary_tally_2021(ref["kuis_71"], coordinator)
    report = make_report(2021, coordinator)

    first = _build(report, coordinator, "en", django_capture_on_commit_callbacks)
    assert first.status == BuildStatus.DONE, first.error
    assert (first.progress, first.reused) == (100, False)
    assert first.pdf is not None
    assert first.docx is not None
    assert first.pdf.storage_name.startswith("annual-reports/")
    assert len(first.fingerprint) == 64
    pdf = _read(first, coordinator, "pdf")
    assert pdf.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_REPORT_BUILT).count() == 1

    with translation.override("en"):
        content = report_content(report, "en", coordinator)
    assert content.fingerprint == first.fingerprint
    chapter = _chapter(content, "penitentiary")
    tally = {row[0]: row[1:] for row in chapter.tables[1].rows}
    assert tally["Issued"][0] == "758"
    assert tally["Implemented"] == ("275", "36.3% of 758")
    assert tally["In implementation"][0] == "456"
    assert tally["Not accepted"][0] == "27"
    listed = chapter.tables[2]
    assert len(listed.rows) == CHAPTER_ROWS
    assert listed.note.startswith(f"The first {CHAPTER_ROWS} of 758")
    assert any("<b>not markup</b>" in p for p in chapter.paragraphs)

    text = _flat(_pdf_text(pdf, tmp_path))
    assert "36.3% of 758" in text
    assert "A second paragraph <b>not markup</b>." in text  # escaped, printed as typed
    for chapter_def in load_chapters():
        assert chapter_def.title("en") in text

    # the DOCX has the PDF's tables, cell for cell, and the PDF shows their figures
    tables = _docx_tables(_read(first, coordinator, "docx"))
    expected = [[t.header, *t.rows] for t in content.tables() if t.rows]
    assert tables == expected
    for table in content.tables():
        assert _flat(table.title) in text
        for row in table.rows:
            for index in table.numeric:
                assert re.search(rf"\b{re.escape(row[index])}\b", text)

    again = _build(report, coordinator, "en", django_capture_on_commit_callbacks)
    assert again.status == BuildStatus.DONE
    assert again.fingerprint == first.fingerprint
    assert again.reused
    assert again.pdf_id == first.pdf_id
    assert again.docx_id == first.docx_id

    changed = Recommendation.objects.filter(state=State.IN_IMPLEMENTATION).first()
    assert changed is not None
    Recommendation.objects.filter(pk=changed.pk).update(state=State.IMPLEMENTED_VERIFIED)
    assert report_fingerprint(report, "en", coordinator) != first.fingerprint


def test_a_build_that_is_not_queued_is_left_alone(
    users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    from ..services.report import annual_report_build_run

    report = make_report(2022, users["coordinator"])
    build = annual_report_build_request(actor=users["coordinator"], report=report, language="ru")
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.FAILED)
    assert annual_report_build_run(build.pk) is None
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED
    assert build.pdf is None


def test_a_build_whose_worker_stopped_is_marked_failed_when_a_new_one_is_asked_for(
    users: dict[str, User],
) -> None:
    import datetime

    from django.utils import timezone

    report = make_report(2022, users["coordinator"])
    stuck = annual_report_build_request(actor=users["coordinator"], report=report, language="ru")
    moving = annual_report_build_request(actor=users["coordinator"], report=report, language="kk")
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ReportBuild.objects.filter(pk=stuck.pk).update(status=BuildStatus.RUNNING, updated_at=long_ago)
    ReportBuild.objects.filter(pk=moving.pk).update(status=BuildStatus.RUNNING)

    annual_report_build_request(actor=users["coordinator"], report=report, language="ru")

    stuck.refresh_from_db()
    moving.refresh_from_db()
    assert stuck.status == BuildStatus.FAILED
    assert "Interrupted" in stuck.error
    assert moving.status == BuildStatus.RUNNING


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_kazakh_and_russian_reports_have_every_letter_and_chapter_title(
    language: str,
    users: dict[str, User],
    ref: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    coordinator = users["coordinator"]
    penitentiary_tally_2021(
        ref["kuis_71"], coordinator, implemented=3, in_implementation=2, not_accepted=1
    )
    report = make_report(2021, coordinator)
    build = _build(report, coordinator, language, django_capture_on_commit_callbacks)
    assert build.status == BuildStatus.DONE, build.error
    text = _flat(_pdf_text(_read(build, coordinator, "pdf"), tmp_path))
    if language == "kk":
        for letter in KAZAKH_LETTERS:
            assert letter in text, letter
    else:
        assert "Национальный превентивный механизм" in text
    for chapter in load_chapters():
        assert chapter.title(language) in text
    docx = _read(build, coordinator, "docx")
    with translation.override(language):
        content = report_content(report, language, coordinator)
    assert _docx_tables(docx) == [[t.header, *t.rows] for t in content.tables() if t.rows]
    # Word builds its table of contents from the Heading 1 styles and the TOC field
    document = Document(io.BytesIO(docx))
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings == [section.title for section in content.sections]
    assert 'TOC \\o "1-2"' in document.element.xml
    assert len(document.inline_shapes) == sum(len(s.charts) for s in content.sections)

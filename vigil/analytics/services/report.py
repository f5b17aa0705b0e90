"""Writes of the consolidated annual report: create a year's report, edit its titles, state
and narrative (per language), ask for a build, run a build (the background task's body), read
a built file. Every write is audited in its transaction.

A build is claimed once (queued → running) so that a task run twice does nothing the second
time; its progress is written as it goes (outside any transaction, so the page that polls
sees it). A build whose fingerprint equals a finished build's reuses that build's files.
"""

import datetime
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.services import audit_record
from vigil.core.files.store import FileContent, encrypted_file_read, encrypted_file_store
from vigil.core.files.types import DOCX, PDF, CleanFile

from ..chapters import LANGUAGES, load_chapters
from ..documents.pdf import build_pdf
from ..documents.word import build_docx
from ..models import AnnualReport, BuildStatus, ReportBuild, ReportFile, ReportSection
from ..permissions import (
    can_build_annual_report,
    can_download_annual_report,
    can_edit_annual_report,
    can_manage_annual_reports,
)
from ..selectors.report import NARRATIVE_KEYS, build_audience, report_content

logger = logging.getLogger(__name__)


def stale_after() -> datetime.timedelta:
    """A running build whose heartbeat is older than this was interrupted (its worker stopped,
    killed or lost its machine): the page says so, and it is marked failed when someone asks
    for a new build. The heartbeat beats every VIGIL_REPORT_BUILD_HEARTBEAT_SECONDS while the
    build runs, however long one step takes."""
    return datetime.timedelta(seconds=settings.VIGIL_REPORT_BUILD_STALE_SECONDS)


@contextmanager
def _heartbeat(build_id: int) -> Iterator[None]:
    """While the block runs, a thread touches the running build's `updated_at` every
    VIGIL_REPORT_BUILD_HEARTBEAT_SECONDS (on its own connection, closed at the end). A beat
    that fails is logged and skipped: the build goes on."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.VIGIL_REPORT_BUILD_HEARTBEAT_SECONDS):
                try:
                    ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING).update(
                        updated_at=timezone.now()
                    )
                except DatabaseError:
                    logger.warning("The heartbeat of build %s was not written.", build_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"report-build-{build_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


type FileFormat = Literal["pdf", "docx"]


def section_keys() -> tuple[str, ...]:
    """The narrative sections in the report's order."""
    return ("introduction", *(c.code for c in load_chapters()), *NARRATIVE_KEYS[1:])


def default_title(year: int, language: str) -> str:
    with translation.override(language):
        return _("Report of the National Preventive Mechanism for %(year)s") % {"year": year}


@transaction.atomic
def annual_report_create(
    *, actor: User, year: int, context: RequestContext | None = None
) -> AnnualReport:
    if not can_manage_annual_reports(actor):
        raise PermissionDenied
    if AnnualReport.objects.filter(year=year).exists():
        raise ValidationError({"year": _("There is already a report for this year.")})
    report = AnnualReport(
        year=year,
        created_by=actor,
        **{f"title_{lang}": default_title(year, lang) for lang in LANGUAGES},
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action=AuditAction.ANNUAL_REPORT_CREATED,
        target=report,
        data={"year": year},
        context=context,
    )
    return report


@transaction.atomic
def annual_report_update(
    *,
    actor: User,
    report: AnnualReport,
    titles: dict[str, str],
    state: str,
    context: RequestContext | None = None,
) -> AnnualReport:
    if not can_edit_annual_report(actor, report):
        raise PermissionDenied
    changes: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        name = f"title_{lang}"
        new = titles.get(lang, getattr(report, name)).strip()
        if new != getattr(report, name):
            changes[name] = [getattr(report, name), new]
            setattr(report, name, new)
    if state != report.state:
        changes["state"] = [report.state, state]
        report.state = state
    report.full_clean()
    if changes:
        report.save()
        audit_record(
            actor=actor,
            action=AuditAction.ANNUAL_REPORT_UPDATED,
            target=report,
            data={"changes": changes},
            context=context,
        )
    return report


@transaction.atomic
def annual_report_sections_save(
    *,
    actor: User,
    report: AnnualReport,
    language: str,
    texts: dict[str, str],
    context: RequestContext | None = None,
) -> list[str]:
    """Save the narrative in `language`; the keys of the sections that changed."""
    if not can_edit_annual_report(actor, report):
        raise PermissionDenied
    if language not in LANGUAGES:
        raise ValidationError(_("Unknown language."))
    existing = {s.key: s for s in ReportSection.objects.filter(report=report)}
    changed: list[str] = []
    for key in section_keys():
        if key not in texts:
            continue
        text = texts[key].replace("\r\n", "\n").strip()
        section = existing.get(key) or ReportSection(report=report, key=key)
        if section.text(language) == text:
            continue
        setattr(section, f"text_{language}", text)
        section.full_clean()
        section.save()
        changed.append(key)
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.ANNUAL_REPORT_UPDATED,
            target=report,
            data={"language": language, "sections": changed},
            context=context,
        )
    return changed


@transaction.atomic
def annual_report_build_request(
    *,
    actor: User,
    report: AnnualReport,
    language: str,
    context: RequestContext | None = None,
) -> ReportBuild:
    """A queued build. The caller then enqueues it (`tasks.enqueue_build`, run once the
    transaction commits)."""
    if not can_build_annual_report(actor, report):
        raise PermissionDenied
    if language not in LANGUAGES:
        raise ValidationError(_("Unknown language."))
    now = timezone.now()
    ReportBuild.objects.filter(
        report=report, status=BuildStatus.RUNNING, updated_at__lt=now - stale_after()
    ).update(
        status=BuildStatus.FAILED,
        error=_("Interrupted: the task worker stopped during the build."),
        step=pgettext("report build step", "Failed"),
        finished_at=now,
        updated_at=now,
    )
    build = ReportBuild(
        report=report,
        language=language,
        requested_by=actor,
        step=pgettext("report build step", "Waiting to start"),
    )
    build.full_clean()
    build.save()
    audit_record(
        actor=actor,
        action=AuditAction.ANNUAL_REPORT_BUILD_REQUESTED,
        target=report,
        data={"build": str(build.public_id), "language": language},
        context=context,
    )
    return build


def _progress(build_id: int, percent: int, step: str) -> None:
    ReportBuild.objects.filter(pk=build_id).update(
        progress=max(0, min(percent, 100)), step=step[:100], updated_at=timezone.now()
    )


def _stored(data: bytes, kind: FileFormat, name: str) -> ReportFile:
    file_type = PDF if kind == "pdf" else DOCX
    file = ReportFile()
    encrypted_file_store(file, CleanFile(data=data, type=file_type, name=f"{name}.{kind}"))
    file.save()
    return file


def annual_report_build_run(build_id: int) -> ReportBuild | None:
    """Run a queued build (the task's body); a build that is not queued is left as it is."""
    claimed = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
        status=BuildStatus.RUNNING, started_at=timezone.now(), progress=1
    )
    if not claimed:
        return None
    build = ReportBuild.objects.select_related("report", "requested_by").get(pk=build_id)
    report = build.report
    language = build.language
    try:
        with _heartbeat(build_id), translation.override(language):
            content = report_content(
                report,
                language,
                build_audience(build),
                progress=lambda percent, step: _progress(build_id, percent, step),
            )
            fingerprint = content.fingerprint
            same = (
                ReportBuild.objects.filter(
                    report=report,
                    language=language,
                    status=BuildStatus.DONE,
                    fingerprint=fingerprint,
                    pdf__isnull=False,
                    docx__isnull=False,
                )
                .exclude(pk=build_id)
                .order_by("-finished_at")
                .first()
            )
            name = f"annual-report-{report.year}-{language}"
            pdf_data = docx_data = b""
            if same is None:
                _progress(build_id, 62, pgettext("report build step", "Writing the PDF"))
                pdf_data = build_pdf(content)
                _progress(build_id, 85, pgettext("report build step", "Writing the Word file"))
                docx_data = build_docx(content)
            _progress(build_id, 95, pgettext("report build step", "Storing the files"))
            with transaction.atomic():
                build = ReportBuild.objects.select_for_update().get(pk=build_id)
                if same is None:
                    build.pdf = _stored(pdf_data, "pdf", name)
                    build.docx = _stored(docx_data, "docx", name)
                else:
                    build.pdf, build.docx, build.reused = same.pdf, same.docx, True
                build.fingerprint = fingerprint
                build.status = BuildStatus.DONE
                build.progress = 100
                build.step = pgettext("report build step", "Done")
                build.finished_at = timezone.now()
                build.save()
                audit_record(
                    actor=build.requested_by,
                    action=AuditAction.ANNUAL_REPORT_BUILT,
                    target=report,
                    data={
                        "build": str(build.public_id),
                        "language": language,
                        "fingerprint": fingerprint,
                        "reused": build.reused,
                    },
                )
            return build
    except Exception as exc:
        logger.exception("The annual report build %s failed.", build_id)
        with transaction.atomic():
            ReportBuild.objects.filter(pk=build_id).update(
                status=BuildStatus.FAILED,
                error=f"{type(exc).__name__}: {exc}"[:2000],
                step=pgettext("report build step", "Failed"),
                finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
            audit_record(
                actor=build.requested_by,
                action=AuditAction.ANNUAL_REPORT_BUILD_FAILED,
                target=report,
                data={"build": str(build.public_id), "language": language},
            )
        return ReportBuild.objects.get(pk=build_id)


def annual_report_file_read(
    *,
    actor: User,
    build: ReportBuild,
    kind: FileFormat,
    context: RequestContext | None = None,
) -> FileContent:
    """A built file, decrypted; the read is logged (an access event on the build) first."""
    if not can_download_annual_report(actor, build.report):
        raise PermissionDenied
    file = build.pdf if kind == "pdf" else build.docx
    if build.status != BuildStatus.DONE or file is None:
        raise ValidationError(_("This build has no file yet."))
    return encrypted_file_read(
        actor=actor,
        file=file,
        access_kind=AccessKind.ATTACHMENT_DOWNLOADED,
        access_target=build,
        context=context,
    )

"""Background tasks of the analytics app (`django.tasks`: the database backend in production,
run at once in tests)."""

from django.db import transaction
from django.tasks import task

from .models import ReportBuild
from .services.report import annual_report_build_run


@task()
def build_annual_report(build_id: int) -> None:
    """Build the consolidated annual report's PDF and DOCX (idempotent: a build that is not
    queued any more is left alone)."""
    annual_report_build_run(build_id)


def enqueue_build(build: ReportBuild) -> None:
    """Start the build in the background once the current transaction commits."""
    build_id = build.pk
    transaction.on_commit(lambda: build_annual_report.enqueue(build_id))

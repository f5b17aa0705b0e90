"""Background tasks of recommendations (`django.tasks`, database backend in production)."""

import datetime
from typing import Any

from django.tasks import task

from .services.reminders import reminders_run


@task()
def send_recommendation_reminders_task(today: str | None = None) -> dict[str, Any]:
    """The daily deadline run (see `send_recommendation_reminders`); idempotent, so the worker
    may run it as often as it likes. `today`: an ISO date, for catching up a missed day."""
    day = datetime.date.fromisoformat(today) if today else None
    return reminders_run(today=day).as_dict()

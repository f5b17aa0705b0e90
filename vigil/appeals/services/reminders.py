"""Appeal deadline reminders: the scheduled run (`manage.py send_appeal_reminders`, daily).

Each appeal still handled whose answer is due within `DUE_SOON_WORKING_DAYS` working days,
or overdue, is reminded to the staff member it is assigned to, or, unassigned, to its
region's representatives (the coordinators when the region has none): one e-mail per person
listing theirs, in their language, with a `REMINDER` event on each appeal's timeline.

Idempotent per day: an appeal reminded on a day (its `REMINDER` event for that date) is not
reminded again that day, even by a concurrent run (rows locked, re-checked). When the mail
server fails, nothing of the group is recorded and the next run tries again. The e-mail names
the appeal's reference, due date and summary: never what the appellant wrote nor who they are.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.calendar import WorkingCalendar

from ..deadlines import HANDLED_STATES, current_due
from ..enums import EventKind
from ..models import Appeal, AppealEvent
from ..permissions import reminder_fallback_recipients
from ..timeline import new_event, record_events

log = logging.getLogger(__name__)

DUE_SOON_WORKING_DAYS = 2
OVERDUE = "overdue"
DUE_SOON = "due_soon"
MAX_ITEMS_PER_EMAIL = 50


@dataclass
class AppealReminderRun:
    today: datetime.date
    due_soon: int = 0
    overdue: int = 0
    emails: int = 0
    without_recipients: int = 0
    failed_groups: int = 0


def _candidates(today: datetime.date, calendar: WorkingCalendar) -> QuerySet[Appeal]:
    until = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    reminded_today = AppealEvent.objects.filter(
        kind=EventKind.REMINDER, data__on=today.isoformat()
    ).values("appeal_id")
    return (
        Appeal.objects.filter(state__in=HANDLED_STATES)
        .annotate(current=Coalesce("extended_until", "due_on"))
        .filter(current__isnull=False, current__lte=until)
        .exclude(pk__in=reminded_today)
        .select_related("assigned_to", "region")
        .order_by("current", "pk")
    )


def _recipients(appeal: Appeal) -> list[User]:
    if appeal.assigned_to is not None and appeal.assigned_to.is_active:
        return [appeal.assigned_to]
    return list(reminder_fallback_recipients(appeal))


def _kind(appeal: Appeal, today: datetime.date) -> str:
    due = current_due(appeal)
    return OVERDUE if due is not None and due < today else DUE_SOON


def _email(user: User, items: list[tuple[Appeal, str]]) -> EmailMessage:
    base = str(getattr(settings, "VIGIL_SITE_URL", "")).rstrip("/")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):

        def entry(appeal: Appeal) -> dict[str, object]:
            return {
                "reference": appeal.reference,
                "summary": appeal.summary,
                "due": current_due(appeal),
                "url": base + reverse("appeals:detail", kwargs={"public_id": appeal.public_id}),
            }

        context = {
            "user": user,
            "overdue": [entry(a) for a, k in items if k == OVERDUE][:MAX_ITEMS_PER_EMAIL],
            "due_soon": [entry(a) for a, k in items if k == DUE_SOON][:MAX_ITEMS_PER_EMAIL],
            "list_url": base + reverse("appeals:list") + "?mine=true",
        }
        subject = render_to_string("appeals/email/reminder_subject.txt", context)
        body = render_to_string("appeals/email/reminder_body.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[user.email])


@transaction.atomic
def _remind_group(
    today: datetime.date,
    items: list[tuple[Appeal, str]],
    recipients: list[User],
    context: RequestContext | None,
) -> list[tuple[Appeal, str]]:
    ids = [a.pk for a, _k in items]
    list(Appeal.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    done = set(
        AppealEvent.objects.filter(
            appeal_id__in=ids, kind=EventKind.REMINDER, data__on=today.isoformat()
        ).values_list("appeal_id", flat=True)
    )
    todo = [(a, k) for a, k in items if a.pk not in done]
    if not todo:
        return []
    record_events(
        [
            new_event(
                appeal,
                EventKind.REMINDER,
                data={"on": today.isoformat(), "reminder": kind, "recipients": len(recipients)},
            )
            for appeal, kind in todo
        ]
    )
    audit_record(
        actor=None,
        action=AuditAction.APPEAL_REMINDERS_SENT,
        data={
            "overdue": [a.reference for a, k in todo if k == OVERDUE],
            "due_soon": [a.reference for a, k in todo if k == DUE_SOON],
            "recipients": [u.email for u in recipients],
        },
        context=context,
    )
    for user in recipients:
        _email(user, todo).send()
    return todo


def appeal_reminders_run(
    *, today: datetime.date | None = None, context: RequestContext | None = None
) -> AppealReminderRun:
    """Send the reminders due on `today` (default: the local date); safe to run again."""
    today = today or timezone.localdate()
    calendar = WorkingCalendar()
    run = AppealReminderRun(today=today)
    groups: dict[tuple[int, ...], list[tuple[Appeal, str]]] = defaultdict(list)
    people: dict[tuple[int, ...], list[User]] = {}
    for appeal in _candidates(today, calendar):
        recipients = _recipients(appeal)
        if not recipients:
            run.without_recipients += 1
            continue
        key = tuple(sorted(u.pk for u in recipients))
        people[key] = recipients
        groups[key].append((appeal, _kind(appeal, today)))
    for key, items in groups.items():
        try:
            sent = _remind_group(today, items, people[key], context)
        except Exception:  # a mail server down: nothing recorded, the next run tries again
            log.exception("appeal reminders to %s failed", key)
            run.failed_groups += 1
            continue
        if sent:
            run.emails += len(people[key])
        run.overdue += sum(1 for _a, k in sent if k == OVERDUE)
        run.due_soon += sum(1 for _a, k in sent if k == DUE_SOON)
    return run

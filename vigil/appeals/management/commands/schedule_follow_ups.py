"""Schedule the follow-up contacts of people at risk of reprisals who have none yet.

Run it once a day (cron: see docs/operations.md); running it again schedules nothing twice.
"""

import datetime

from django.utils.translation import gettext as _

from vigil.appeals.services.follow_ups import follow_ups_schedule_due
from vigil.core.daily import DailyCommand


class Command(DailyCommand):
    help = (
        "Schedule follow-up contacts for interviewees and appellants with a reprisal risk "
        "who have none (high risk: after 7 and 30 days, low: after 30, by default; see the "
        "VIGIL_FOLLOW_UP_* settings). Idempotent."
    )

    def run(self, today: datetime.date | None) -> None:
        result = follow_ups_schedule_due(today=today)
        self.stdout.write(
            _("%(contacts)d follow-up contacts scheduled for %(people)d people.")
            % {"contacts": result.contacts, "people": result.people}
        )

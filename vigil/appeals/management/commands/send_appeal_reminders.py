"""Send the appeals' deadline reminders (due within two working days, or overdue).

Run it once a day (cron: see docs/operations.md); running it again the same day sends
nothing twice.
"""

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from vigil.appeals.services.reminders import appeal_reminders_run
from vigil.core.daily import DailyCommand


class Command(DailyCommand):
    help = (
        "E-mail the staff handling appeals (or, unassigned, the region's representatives or "
        "the coordinators) about appeals due within two working days or overdue; once a day."
    )

    def run(self, today: datetime.date | None) -> None:
        run = appeal_reminders_run(today=today)
        self.stdout.write(
            _(
                "%(today)s: %(due_soon)d due-soon and %(overdue)d overdue appeal reminders in "
                "%(emails)d e-mails; %(unreachable)d without anyone to remind; %(failed)d "
                "groups failed."
            )
            % {
                "today": run.today.isoformat(),
                "due_soon": run.due_soon,
                "overdue": run.overdue,
                "emails": run.emails,
                "unreachable": run.without_recipients,
                "failed": run.failed_groups,
            }
        )
        if run.failed_groups:
            raise CommandError(
                _("Some reminders could not be sent; they will be tried again on the next run.")
            )

"""Send the recommendations' deadline reminders and move unanswered ones to NO_RESPONSE.

Run it once a day (cron: see docs/operations.md); running it again sends nothing twice.
"""

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from vigil.core.daily import DailyCommand
from vigil.recommendations.services.reminders import reminders_run


class Command(DailyCommand):
    help = (
        "E-mail the addressees' liaisons about recommendations due soon or overdue (each "
        "reminder once) and move recommendations left unanswered after their deadline and "
        "the grace period to 'no response'."
    )

    def run(self, today: datetime.date | None) -> None:
        run = reminders_run(today=today)
        self.stdout.write(
            _(
                "%(today)s: %(due_soon)d due-soon and %(overdue)d overdue reminders in "
                "%(emails)d e-mails; %(moved)d moved to no response; %(unreachable)d without "
                "a liaison to remind; %(failed)d groups failed."
            )
            % {
                "today": run.today.isoformat(),
                "due_soon": run.due_soon,
                "overdue": run.overdue,
                "emails": run.emails,
                "moved": run.moved_to_no_response,
                "unreachable": run.without_recipients,
                "failed": run.failed_groups,
            }
        )
        if run.failed_groups:
            raise CommandError(
                _("Some reminders could not be sent; they will be tried again on the next run.")
            )

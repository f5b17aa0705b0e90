"""Dates and date-times an API client may send: within a sensible range, else 400 naming the
field.

`ApiConfig.ready` makes these the default validators of DRF's `DateField` and `DateTimeField`,
so every date and date-time input of the API is checked, declared by hand or built by a
`ModelSerializer` (a field given its own `validators=` would have to add them). A year like
613 is no one's visit; a date-time before 1970 would also answer with the local mean time of
the time zone (+05:07:48 in Almaty), which is no valid RFC 3339 offset.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
EARLIEST_MOMENT = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST_MOMENT = dt.datetime(2099, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def date_in_range(value: dt.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise serializers.ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s.")
            % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
        )


def moment_in_range(value: dt.datetime) -> None:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    if not EARLIEST_MOMENT <= aware <= LATEST_MOMENT:
        raise serializers.ValidationError(
            _("Enter a date and time from %(earliest)s to %(latest)s.")
            % {"earliest": EARLIEST_MOMENT.date().isoformat(), "latest": LATEST_DATE.isoformat()}
        )

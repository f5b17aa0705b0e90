"""`available_months`: a month is available unless the periods away cover at least half of
its days (checked at the boundaries of 28-, 29-, 30- and 31-day months), in one query."""

import datetime

import pytest

from vigil.people.models import ParticipantAbsence
from vigil.people.selectors import ALL_MONTHS, available_months

pytestmark = pytest.mark.django_db

D = datetime.date


def _away(participant, *periods):
    for first, last in periods:
        ParticipantAbsence.objects.create(participant=participant, starts_on=first, ends_on=last)


@pytest.mark.parametrize(
    ("year", "periods", "missing"),
    [
        (2027, [(D(2027, 2, 1), D(2027, 2, 13))], set()),  # 13 of 28 days
        (2027, [(D(2027, 2, 15), D(2027, 2, 28))], {2}),  # 14 of 28: half
        (2028, [(D(2028, 2, 1), D(2028, 2, 14))], set()),  # 14 of 29 (leap year)
        (2028, [(D(2028, 2, 1), D(2028, 2, 15))], {2}),  # 15 of 29
        (2027, [(D(2027, 4, 1), D(2027, 4, 14))], set()),  # 14 of 30
        (2027, [(D(2027, 4, 16), D(2027, 4, 30))], {4}),  # 15 of 30: half
        (2027, [(D(2027, 7, 1), D(2027, 7, 15))], set()),  # 15 of 31
        (2027, [(D(2027, 7, 1), D(2027, 7, 16))], {7}),  # 16 of 31
        # Overlapping periods count each day once: 1-15 July, 15 days.
        (2027, [(D(2027, 7, 1), D(2027, 7, 10)), (D(2027, 7, 5), D(2027, 7, 15))], set()),
        # Two periods in one month add up: 8 + 8 = 16 of 31.
        (2027, [(D(2027, 7, 1), D(2027, 7, 8)), (D(2027, 7, 20), D(2027, 7, 27))], {7}),
        # Across two months: 12 days of January, 20 of February.
        (2027, [(D(2027, 1, 20), D(2027, 2, 20))], {2}),
        # Across the new year, only the year asked counts.
        (2027, [(D(2026, 12, 1), D(2027, 1, 16))], {1}),
        (2026, [(D(2026, 12, 20), D(2027, 3, 31))], set()),
        # A whole year away, and a period of another year.
        (2027, [(D(2026, 6, 1), D(2028, 1, 31))], set(ALL_MONTHS)),
        (2027, [(D(2026, 6, 1), D(2026, 8, 31))], set()),
    ],
)
def test_half_month_rule(participants, year, periods, missing):
    doctor = participants["doctor"]
    _away(doctor, *periods)
    months = available_months([doctor], year)
    assert months == {doctor.pk: ALL_MONTHS - missing}


def test_one_query_for_everyone(participants, django_assert_num_queries):
    _away(participants["doctor"], (D(2027, 7, 1), D(2027, 8, 31)))
    _away(participants["lead"], (D(2027, 3, 1), D(2027, 3, 31)), (D(2027, 11, 1), D(2027, 11, 30)))
    people = list(participants.values())
    with django_assert_num_queries(1):
        months = available_months(people, 2027)
    assert months[participants["doctor"].pk] == ALL_MONTHS - {7, 8}
    assert months[participants["lead"].pk] == ALL_MONTHS - {3, 11}
    assert months[participants["monitor"].pk] == ALL_MONTHS
    assert months[participants["outsider"].pk] == ALL_MONTHS

"""The throttle module of the public pages and endpoints: rates from settings, a fixed
window per address, refused beyond the rate, a new window opens again."""

from typing import Any
from unittest import mock

import pytest

from vigil.appeals import throttling
from vigil.appeals.throttling import Rate, Scope, hit


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/min", Rate(10, 60)),
        ("5/s", Rate(5, 1)),
        ("100/hour", Rate(100, 3600)),
        ("1000/day", Rate(1000, 86400)),
    ],
)
def test_rates_parse(text: str, rate: Rate) -> None:
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["ten/min", "10/fortnight", "10", ""])
def test_bad_rates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="Not a rate"):
        Rate.parse(text)


def test_fixed_window_per_address(settings: Any) -> None:
    settings.VIGIL_PUBLIC_STATUS_RATE = "3/min"
    with mock.patch.object(throttling.time, "time", return_value=6_000_000.0):
        verdicts = [hit(Scope.STATUS, "10.0.0.1") for _n in range(4)]
        assert [v.allowed for v in verdicts] == [True, True, True, False]
        assert verdicts[-1].retry_after == 60
        assert hit(Scope.STATUS, "10.0.0.2").allowed  # another address
        assert hit(Scope.APPEAL, "10.0.0.1").allowed  # another scope
    with mock.patch.object(throttling.time, "time", return_value=6_000_061.0):
        assert hit(Scope.STATUS, "10.0.0.1").allowed  # the next minute

"""Every date and date-time input of the API lies within a sensible range (vigil.api.dates)."""

from typing import Any

import pytest
from rest_framework import serializers

from vigil.accounts.models import LoginFailure


class DatesSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(required=False)
    at = serializers.DateTimeField(required=False)


class FailureSerializer(serializers.ModelSerializer[LoginFailure]):
    class Meta:
        model = LoginFailure
        fields = ("account_key", "at")


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("on", "1900-01-01", True),
        ("on", "2099-12-31", True),
        ("on", "1899-12-31", False),
        ("on", "0613-05-01", False),
        ("on", "2100-01-01", False),
        ("on", "9999-12-31", False),
        ("at", "1970-01-01T00:00:00Z", True),
        ("at", "2026-11-01T09:00:00+05:00", True),
        ("at", "1969-12-31T23:59:59Z", False),
        ("at", "0613-05-01T00:00:00Z", False),
        ("at", "2100-01-01T00:00:00Z", False),
    ],
)
def test_declared_dates_are_bounded(field, value, valid):
    body = DatesSerializer(data={field: value})
    assert body.is_valid() is valid
    if not valid:
        assert list(body.errors) == [field]
        assert str(body.errors[field][0]).startswith("Enter a date")


def test_a_model_serializers_date_times_are_bounded():
    assert FailureSerializer(data={"account_key": "k", "at": "2026-01-01T00:00:00Z"}).is_valid()
    ancient = FailureSerializer(data={"account_key": "k", "at": "0613-05-01T00:00:00Z"})
    assert not ancient.is_valid()
    assert list(ancient.errors) == ["at"]

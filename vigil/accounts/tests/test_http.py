"""`user_of`: the one helper pages use for the signed-in user."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from vigil.accounts.http import user_of

pytestmark = pytest.mark.django_db


def test_the_signed_in_user(users: dict[str, Any]) -> None:
    request = RequestFactory().get("/")
    request.user = users["monitor"]
    assert user_of(request) is users["monitor"]


def test_no_user_is_refused() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        user_of(request)

"""The referrals, cases and accountability lists (pages and API) run a constant number of
queries whatever the number of rows."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from vigil.accounts.models import User
from vigil.appeals.models import AccountabilityRecord, Appeal, InvestigatingBody

PATHS = (
    "/appeals/referrals/",
    "/appeals/cases/",
    "/appeals/accountability/",
    "/api/v1/referrals/",
    "/api/v1/criminal-cases/",
    "/api/v1/accountability/",
)


def _grow(n: int, appeal: Appeal, make_referral: Any, make_case: Any, ref: Any) -> None:
    body = InvestigatingBody.objects.first()
    for _i in range(n):
        make_referral(appeal)
        make_case(region=ref["astana"], investigating_body=body, institution=appeal.institution)
        AccountabilityRecord.objects.create(
            decided_on=datetime.date(2023, 1, 1),
            responsibility="criminal",
            initiative="commissioner",
            region=ref["astana"],
            agency=ref["kuis"],
            institution=appeal.institution,
        )


def _count(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", PATHS)
def test_constant_queries(
    users: dict[str, User],
    make_appeal: Callable[..., Appeal],
    make_referral: Any,
    make_case: Any,
    ref: Any,
    path: str,
) -> None:
    appeal = make_appeal()
    client: Any = APIClient()
    client.force_authenticate(users["regional"])
    if not path.startswith("/api/"):
        client.force_login(users["regional"])
    _grow(2, appeal, make_referral, make_case, ref)
    few = _count(client, path)
    _grow(10, appeal, make_referral, make_case, ref)
    assert _count(client, path) == few

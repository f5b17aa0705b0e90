"""The appeals list page, its API list and the appeal page run a constant number of queries
whatever the number of appeals (and of repeat writers, allegations, events)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.appeals.models import AllegationType, Appeal
from vigil.appeals.services.handling import appeal_assign

pytestmark = pytest.mark.django_db


def _queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def _grow(n: int, make_appeal: Callable[..., Appeal], users: Any) -> Appeal:
    torture = AllegationType.objects.get(code="torture")
    last = None
    for _i in range(n):
        last = make_appeal()
        last.allegation_types.add(torture)
        appeal_assign(actor=users["coordinator"], appeal=last, assignee=users["monitor"])
    assert last is not None
    return last


@pytest.mark.parametrize("path", ["/appeals/", "/api/v1/appeals/", "/appeals/?export=csv"])
def test_list_queries_do_not_grow(
    client_for: Callable[[str], Any], make_appeal: Callable[..., Appeal], users: Any, path: str
) -> None:
    client = client_for("coordinator")
    _grow(2, make_appeal, users)
    few = _queries(client, path)
    _grow(8, make_appeal, users)
    assert _queries(client, path) == few


def test_detail_queries_do_not_grow_with_repeat_writers(
    client_for: Callable[[str], Any], make_appeal: Callable[..., Appeal], users: Any
) -> None:
    client = client_for("coordinator")
    appeal = _grow(2, make_appeal, users)
    few = _queries(client, f"/appeals/{appeal.public_id}/")
    _grow(6, make_appeal, users)
    assert _queries(client, f"/appeals/{appeal.public_id}/") == few

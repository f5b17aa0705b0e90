"""Retention on appeals: a closed appeal's content and identity disposed of when its period
ends, kept under a legal hold; the legal hold page and its role matrix."""

import datetime

import pytest

from conftest import ALL_ACTORS
from vigil.appeals.enums import AppealState
from vigil.appeals.models import AppealIdentity
from vigil.appeals.services.appeals import appeal_content_read
from vigil.core.models import Disposal, LegalHold
from vigil.core.retention import dispose_expired

TODAY = datetime.date(2040, 6, 1)


def counts(result):
    return {c.kind: (c.due, c.held) for c in result if c.kind == "appeal"}


@pytest.mark.django_db
def test_closed_appeal_disposed_after_its_period_unless_held(make_appeal, users, client_for):
    closed = make_appeal(state=AppealState.CLOSED_RESOLVED, closed_on=datetime.date(2030, 1, 2))
    open_appeal = make_appeal(state=AppealState.IN_REVIEW)
    assert counts(dispose_expired(today=datetime.date(2034, 12, 31), dry_run=False)) == {
        "appeal": (0, 0)
    }
    client_for("coordinator").post(
        f"/appeals/{closed.public_id}/hold/", {"action": "place", "reason": "Court case"}
    )
    assert counts(dispose_expired(today=TODAY, dry_run=False)) == {"appeal": (0, 1)}
    assert AppealIdentity.objects.filter(appeal=closed).exists()
    client_for("coordinator").post(
        f"/appeals/{closed.public_id}/hold/", {"action": "lift", "lift_reason": "Judgment final"}
    )
    assert counts(dispose_expired(today=TODAY, dry_run=False)) == {"appeal": (1, 0)}
    closed.refresh_from_db()
    assert appeal_content_read(actor=users["coordinator"], appeal=closed) == ""
    assert not AppealIdentity.objects.filter(appeal=closed).exists()
    assert AppealIdentity.objects.filter(appeal=open_appeal).exists()
    assert Disposal.objects.get().facts["reference"] == closed.reference


@pytest.mark.parametrize("actor", [*ALL_ACTORS])
def test_appeal_hold_page_role_matrix(client_for, appeal, actor):
    client = client_for(actor)
    url = f"/appeals/{appeal.public_id}/hold/"
    page = client.get(url)
    posted = client.post(url, {"action": "place", "reason": "Prosecutor's request"})
    if actor == "anonymous":
        assert (page.status_code, posted.status_code) == (302, 302)
    elif actor == "coordinator":
        assert (page.status_code, posted.status_code) == (200, 302)
        assert LegalHold.objects.active().get().target_id == appeal.public_id
        assert url in client.get(f"/appeals/{appeal.public_id}/").content.decode()
        return
    elif actor in ("regional", "auditor"):  # see the appeal, may not hold it
        assert (page.status_code, posted.status_code) == (403, 403)
    else:
        assert (page.status_code, posted.status_code) == (404, 404)
    assert not LegalHold.objects.exists()

"""The recommendations policy's own answers: fields hidden from authorities, the agencies
whose tallies a user may open, who escalates (pages, template tag and API ask these)."""

from typing import Any

import pytest

from conftest import ALL_ACTORS
from vigil.recommendations.models import Assessment, Recommendation, RecommendationEvent
from vigil.recommendations.permissions import (
    can_escalate_recommendations,
    can_see_actor,
    can_see_assessor,
    can_view_agency_tally,
    hidden_fields,
    is_agency_scoped,
    tally_agencies_visible_to,
)
from vigil.reference.models import Agency
from vigil.reference.selectors import agency_subtree_ids

pytestmark = pytest.mark.django_db

NPM_ROLES = ["admin", "coordinator", "regional", "monitor", "auditor"]


@pytest.mark.parametrize("actor", NPM_ROLES)
def test_the_npm_sees_every_field(users: dict[str, Any], actor: str) -> None:
    user = users[actor]
    assert hidden_fields(user, Assessment) == frozenset()
    assert hidden_fields(user, RecommendationEvent) == frozenset()
    assert can_see_assessor(user)
    assert can_see_actor(user, users["coordinator"])


@pytest.mark.parametrize("actor", ["liaison", "other_liaison", None])
def test_an_authority_never_learns_who_at_the_npm(users: dict[str, Any], actor: str | None) -> None:
    user = users[actor] if actor else None
    assert hidden_fields(user, Assessment) == {"assessed_by"}
    assert hidden_fields(user, RecommendationEvent) == {"actor"}
    assert hidden_fields(user, Recommendation) == {"created_by"}  # who drafted it
    assert not can_see_assessor(user)
    assert not can_see_actor(user, users["coordinator"])
    assert not can_see_actor(user, None)


def test_a_liaison_sees_the_names_of_liaisons(users: dict[str, Any]) -> None:
    assert can_see_actor(users["liaison"], users["other_liaison"])


def test_an_inactive_account_sees_no_name(users: dict[str, Any]) -> None:
    coordinator = users["coordinator"]
    coordinator.is_active = False
    assert hidden_fields(coordinator, Assessment) == {"assessed_by"}


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_tally_agencies(users: dict[str, Any], ref: dict[str, Any], actor: str) -> None:
    user = users.get(actor)
    visible = set(tally_agencies_visible_to(user).values_list("pk", flat=True))
    if actor == "anonymous":
        assert visible == set()
    elif actor == "liaison":
        assert visible == set(agency_subtree_ids(ref["kuis"]))
        assert can_view_agency_tally(user, ref["kuis_71"])
        assert not can_view_agency_tally(user, ref["moh"])
    else:
        assert visible == set(Agency.objects.values_list("pk", flat=True))
        assert can_view_agency_tally(user, ref["moh"])
    assert is_agency_scoped(user) == (actor == "liaison")


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_only_coordinators_escalate(users: dict[str, Any], actor: str) -> None:
    assert can_escalate_recommendations(users.get(actor)) == (actor == "coordinator")

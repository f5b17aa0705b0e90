"""Repeated issues: similar earlier recommendations of the same institution or agency subtree
and theme are found across kk / ru / en; the form's suggestion panel and the API, with their
role matrix."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import ALL_ACTORS
from vigil.accounts.models import User
from vigil.recommendations.enums import State
from vigil.recommendations.models import Recommendation
from vigil.recommendations.services.repeats import (
    concepts_of,
    similar_recommendations,
    text_similarities,
)

pytestmark = pytest.mark.django_db

ACTORS = [*ALL_ACTORS, "other_liaison"]
DRAFTERS = {"admin", "coordinator", "regional"}

RU_CCTV = "Обеспечить видеонаблюдение во всех камерах ШИЗО и устранить слепые зоны."
KK_CCTV = "ШИЗО камераларының барлығында бейнебақылауды қамтамасыз ету және соқыр аймақтарды жою."
EN_CCTV = "Ensure video surveillance in all disciplinary isolation cells and eliminate blind spots."
RU_WATER = "Обеспечить осуждённых горячей водой и отремонтировать душевые."
RU_MEDICAL = "Проводить медицинское освидетельствование всех лиц при поступлении."


def test_concepts_in_three_languages() -> None:
    for text in (RU_CCTV, KK_CCTV, EN_CCTV):
        assert {"cctv", "blind_spot", "disciplinary_cell"} <= set(concepts_of(text))
    assert "hot_water" in concepts_of(RU_WATER)
    assert concepts_of("Ыстық сумен қамтамасыз ету") == ["hot_water"]


def test_scores_rank_the_same_issue_first() -> None:
    scores = text_similarities(RU_CCTV, [KK_CCTV, EN_CCTV, RU_WATER, RU_MEDICAL, RU_CCTV])
    same_kk, same_en, water, medical, identical = scores
    assert identical == pytest.approx(1.0)
    assert min(same_kk, same_en) > max(water, medical)
    assert min(same_kk, same_en) >= 0.3  # above the default threshold
    assert max(water, medical) < 0.3


@pytest.fixture
def colony(make_institution: Callable[..., Any]) -> Any:
    return make_institution()


@pytest.fixture
def earlier(
    make_recommendation: Callable[..., Recommendation], colony: Any
) -> dict[str, Recommendation]:
    return {
        "kk": make_recommendation(text=KK_CCTV, theme="T2", institution=colony),
        "en": make_recommendation(text=EN_CCTV, theme="T2", state=State.NOT_ACCEPTED),
        "water": make_recommendation(text=RU_WATER, theme="T2", institution=colony),
        "other_theme": make_recommendation(text=RU_CCTV, theme="T3", institution=colony),
    }


def test_found_across_languages_same_theme_and_scope(
    ref: dict[str, Any], colony: Any, earlier: dict[str, Recommendation]
) -> None:
    found = similar_recommendations(RU_CCTV, "T2", institution=colony, agency=ref["kuis_71"])
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True)  # best first
    assert {s.recommendation for s in found} == {earlier["kk"], earlier["en"]}
    assert all(0.3 <= s.score <= 1 for s in found)
    assert all(0 <= s.percent <= 100 for s in found)


def test_scope_theme_drafts_exclusion_and_threshold(
    ref: dict[str, Any],
    colony: Any,
    earlier: dict[str, Recommendation],
    make_recommendation: Callable[..., Recommendation],
    settings: Any,
) -> None:
    # another agency's recommendations are not compared
    assert similar_recommendations(RU_CCTV, "T2", agency=ref["moh"]) == []
    # the committee's subtree includes its regional department
    found = {s.recommendation for s in similar_recommendations(RU_CCTV, "T2", agency=ref["kuis"])}
    assert earlier["en"] in found
    # only the institution: the one without institution is left out
    by_institution = {s.recommendation for s in similar_recommendations(RU_CCTV, "T2", colony)}
    assert by_institution == {earlier["kk"]}
    # drafts are not proposed
    draft = make_recommendation(text=RU_CCTV, theme="T2", institution=colony, state=State.DRAFT)
    assert draft not in {s.recommendation for s in similar_recommendations(RU_CCTV, "T2", colony)}
    # the one being edited is left out
    assert similar_recommendations(RU_CCTV, "T2", colony, exclude=[earlier["kk"].pk]) == []
    # nothing without a theme, a scope or enough text
    assert similar_recommendations(RU_CCTV, "", colony) == []
    assert similar_recommendations(RU_CCTV, "T2") == []
    assert similar_recommendations("ШИЗО", "T2", colony) == []
    # the threshold is a setting
    settings.VIGIL_REPEAT_SIMILARITY_THRESHOLD = 0.99
    assert similar_recommendations(RU_CCTV, "T2", colony, agency=ref["kuis"]) == []


def test_limited_to_what_the_user_sees(
    ref: dict[str, Any],
    users: dict[str, User],
    make_recommendation: Callable[..., Recommendation],
    make_institution: Callable[..., Any],
) -> None:
    almaty = make_institution(region=ref["almaty"])
    make_recommendation(text=KK_CCTV, theme="T2", institution=almaty, addressee=ref["kuis"])
    assert similar_recommendations(RU_CCTV, "T2", almaty, user=users["coordinator"])
    assert similar_recommendations(RU_CCTV, "T2", almaty, user=users["regional"]) == []


# ---------------------------------------------------------------- the form's panel


def _expect(response: Any, actor: str, allowed: bool) -> None:
    if actor == "anonymous":
        assert response.status_code == 302
    elif allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("actor", ACTORS)
def test_suggestions_endpoint(
    client_for: Callable[[str], Client],
    colony: Any,
    earlier: dict[str, Recommendation],
    actor: str,
) -> None:
    response = client_for(actor).get(
        "/recommendations/repeats/suggest/",
        {
            "text": RU_CCTV,
            "theme": "T2",
            "addressee": "MVD-KUIS-71",
            "institution": str(colony.public_id),
        },
        headers={"HX-Request": "true"},
    )
    _expect(response, actor, actor in DRAFTERS)
    if actor in DRAFTERS:
        html = response.content.decode()
        assert f"Link as a repeat of {earlier['kk'].reference}" in html
        assert f'data-repeat-reference="{earlier["kk"].reference}"' in html
        assert earlier["water"].reference not in html
        assert earlier["other_theme"].reference not in html


def test_suggestions_endpoint_says_when_none(
    client_for: Callable[[str], Client], colony: Any
) -> None:
    html = client_for("coordinator").get(
        "/recommendations/repeats/suggest/",
        {"text": RU_CCTV, "theme": "T2", "institution": str(colony.public_id)},
    )
    assert 'data-testid="repeat-none"' in html.content.decode()
    empty = client_for("coordinator").get("/recommendations/repeats/suggest/", {"text": "x"})
    assert empty.status_code == 200
    assert "repeat-none" not in empty.content.decode()


def test_the_form_has_the_panel(client_for: Callable[[str], Client]) -> None:
    html = client_for("coordinator").get("/recommendations/new/").content.decode()
    assert 'id="repeat-suggestions"' in html
    assert "/recommendations/repeats/suggest/" in html
    assert "vigil/recommendations" in html


# ---------------------------------------------------------------- the API


@pytest.mark.parametrize("actor", ACTORS)
def test_api_repeats(
    client_for: Callable[[str], Client],
    colony: Any,
    earlier: dict[str, Recommendation],
    actor: str,
) -> None:
    response = client_for(actor).get(
        "/api/v1/recommendation-repeats/",
        {
            "text": RU_CCTV,
            "theme": "T2",
            "institution": str(colony.public_id),
            "agency": "MVD-KUIS",
        },
    )
    if actor == "anonymous":
        assert response.status_code == 401
    elif actor in DRAFTERS:
        assert response.status_code == 200
        body = response.json()
        references = [item["reference"] for item in body]
        assert earlier["kk"].reference in references
        assert earlier["water"].reference not in references
        assert all(0.3 <= item["score"] <= 1 for item in body)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"theme": "T2", "agency": "MVD"}, "text", id="no-text"),
        pytest.param({"text": RU_CCTV, "theme": "T9", "agency": "MVD"}, "theme", id="theme"),
        pytest.param({"text": RU_CCTV, "theme": "T2"}, "agency", id="no-scope"),
        pytest.param({"text": RU_CCTV, "theme": "T2", "institution": "x"}, "institution", id="id"),
    ],
)
def test_api_repeats_validation(
    client_for: Callable[[str], Client], ref: dict[str, Any], params: dict[str, str], field: str
) -> None:
    response = client_for("coordinator").get("/api/v1/recommendation-repeats/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"agency": "NOPE"}, id="agency"),
        pytest.param({"institution": "00000000-0000-0000-0000-000000000000"}, id="institution"),
    ],
)
def test_api_repeats_unknown_scope_is_404(
    client_for: Callable[[str], Client],
    ref: dict[str, Any],
    make_institution: Callable[..., Any],
    params: dict[str, str],
) -> None:
    query = {"text": RU_CCTV, "theme": "T2", **params}
    assert (
        client_for("coordinator").get("/api/v1/recommendation-repeats/", query).status_code == 404
    )
    # an institution of another region is not visible to the regional representative
    almaty = make_institution(region=ref["almaty"])
    hidden = {"text": RU_CCTV, "theme": "T2", "institution": str(almaty.public_id)}
    assert client_for("regional").get("/api/v1/recommendation-repeats/", hidden).status_code == 404

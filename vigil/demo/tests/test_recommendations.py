"""Demo recommendations: ten years with age-dependent status mixes (about 40% implemented),
responses, repeats and escalations; deterministic for a seed and idempotent."""

import datetime
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation

from vigil.accounts.models import User
from vigil.demo import recommendations as demo
from vigil.demo.recommendations import generate_recommendations
from vigil.demo.recommendations.material import language_of, material
from vigil.recommendations.enums import EventKind, Source, State, Tally
from vigil.recommendations.forms.escalation import default_request
from vigil.recommendations.models import AuthorityResponse, Recommendation, RecommendationEvent
from vigil.recommendations.tally import TALLY_OF_STATE
from vigil.reference.enums import AgencyLevel
from vigil.reference.models import Agency

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
TEXTS = list(material()["texts"].values())


@pytest.fixture
def world(
    ref: dict[str, Any], users: dict[str, User], make_institution: Callable[..., Any]
) -> dict[str, Any]:
    Agency.objects.create(code="GOV", level=AgencyLevel.GOVERNMENT, name_en="Government")
    for n in range(8):
        make_institution(agency=ref["kuis_71"] if n % 2 else ref["police"])
    return ref


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        Recommendation.objects.order_by("external_ref").values_list(
            "external_ref", "reference", "state", "text", "issued_on", "deadline", "theme"
        )
    )


def test_scales() -> None:
    assert demo.PER_YEAR == {"demo": 30, "national": 3500}
    assert demo.YEARS == 10


def test_ten_years_with_responses_repeats_and_escalations(world: dict[str, Any]) -> None:
    counts = generate_recommendations(random.Random(1), "demo", today=TODAY)
    recs = Recommendation.objects.all()
    assert counts["recommendations"] == recs.count()
    by_year = Counter(
        r.issued_on.year for r in recs.exclude(source=Source.ESCALATION) if r.issued_on
    )
    assert sorted(by_year) == list(range(2017, 2027))
    assert all(count == 30 for count in by_year.values())
    assert counts["responses"] == AuthorityResponse.objects.count() > 50
    assert counts["repeats"] == recs.filter(repeat_of__isnull=False).count() > 0
    assert counts["escalations"] == recs.filter(source=Source.ESCALATION).count() > 0
    for escalation in recs.filter(source=Source.ESCALATION):
        original = escalation.escalates.get()
        assert original.state == State.ESCALATED
        assert (
            escalation.addressee == original.addressee.parent or escalation.addressee.code == "GOV"
        )
    # every recommendation has its timeline
    assert not recs.filter(events__isnull=True).exists()
    assert (
        RecommendationEvent.objects.filter(kind=EventKind.ESCALATION).count()
        == 2 * counts["escalations"]
    )
    # references are the usual ones, by year of issue
    assert all(r.reference.startswith(f"REC-{r.issued_on.year}-") for r in recs if r.issued_on)
    # responses claim what the state says
    for response in AuthorityResponse.objects.select_related("recommendation")[:100]:
        assert response.claimed_status == response.recommendation.claimed_status
        assert response.letter_date <= TODAY


def test_status_mix_by_age(world: dict[str, Any]) -> None:
    generate_recommendations(random.Random(1), "demo", today=TODAY)
    issued = Recommendation.objects.exclude(source=Source.ESCALATION)

    def implemented_share(years: range) -> float:
        states = [r.state for r in issued.filter(issued_on__year__in=list(years))]
        done = sum(TALLY_OF_STATE.get(s) == Tally.IMPLEMENTED for s in states)
        return done / len(states)

    old, recent = implemented_share(range(2017, 2021)), implemented_share(range(2026, 2027))
    assert old > recent
    overall = implemented_share(range(2017, 2027))
    assert 0.3 <= overall <= 0.55
    this_year = Counter(issued.filter(issued_on__year=2026).values_list("state", flat=True))
    assert this_year[State.AWAITING_RESPONSE] + this_year[State.ISSUED] > 0
    assert not issued.filter(issued_on__gte=TODAY).exists()


def test_idempotent_and_deterministic(world: dict[str, Any]) -> None:
    with transaction.atomic():
        generate_recommendations(random.Random(7), "demo", today=TODAY)
        first = _snapshot()
        transaction.set_rollback(True)
    assert not Recommendation.objects.exists()
    generate_recommendations(random.Random(7), "demo", today=TODAY)
    assert _snapshot() == first
    again = generate_recommendations(random.Random(7), "demo", today=TODAY)
    assert again == dict.fromkeys(
        ("recommendations", "visit links", "responses", "repeats", "escalations"), 0
    )
    assert _snapshot() == first


def test_needs_a_coordinator(ref: dict[str, Any]) -> None:
    with pytest.raises(demo.DemoRecommendationsError):
        generate_recommendations(random.Random(1), "demo", today=TODAY)


def test_unknown_scale(world: dict[str, Any]) -> None:
    with pytest.raises(demo.DemoRecommendationsError):
        generate_recommendations(random.Random(1), "galactic", today=TODAY)  # type: ignore[arg-type]


def test_written_in_kazakh_or_russian_and_answered_in_kind(world: dict[str, Any]) -> None:
    generate_recommendations(random.Random(1), "demo", today=TODAY)
    recs = Recommendation.objects.select_related("repeat_of")
    issued = [r for r in recs if r.source != Source.ESCALATION]
    languages = Counter(language_of(r.text) for r in issued)
    assert set(languages) == {"ru", "kk"}
    assert all(r.text in {t[language_of(r.text)] for ts in TEXTS for t in ts} for r in issued)
    for rec in issued:
        assert rec.source_document.endswith("(демо)")
        if rec.repeat_of is not None:
            assert rec.text == rec.repeat_of.text
    measures = material()["measures"]
    for response in AuthorityResponse.objects.select_related("recommendation"):
        language = language_of(response.recommendation.text)
        assert response.measures == measures[response.claimed_status][language]
    # An escalation is worded as the escalation form words it, in the original's language.
    for escalation in recs.filter(source=Source.ESCALATION):
        original = escalation.escalates.get()
        with translation.override(language_of(original.text)):
            assert escalation.text == default_request([original])
        assert original.reference in escalation.source_document

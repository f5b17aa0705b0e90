"""The scales' counts, as pure functions (no rows written): `10x` is ten times `national`,
with the same years, shares and mixes."""

import datetime
import json

import pytest

from vigil.demo import recommendations, scales
from vigil.demo.appeals.appeals import OVERRIDE_SHARE, OVERRIDES, REPEAT_WRITERS
from vigil.demo.appeals.plan import SCALES as APPEAL_SCALES
from vigil.demo.appeals.plan import plan
from vigil.demo.people import CONFLICT_COUNTS, PARTICIPANT_COUNTS
from vigil.demo.recommendations.material import ESCALATION_SHARE
from vigil.demo.registry import DATA_ROOT
from vigil.demo.visits import SCALE_SPECS

TODAY = datetime.date(2026, 11, 20)


def test_every_generator_knows_every_scale() -> None:
    assert scales.SCALES == ("demo", "national", "10x")
    assert set(SCALE_SPECS) == set(APPEAL_SCALES) == set(scales.SCALES)


def test_ten_times_national() -> None:
    def total(scale: str) -> int:
        profiles = json.loads((DATA_ROOT / "kz" / "demo_profiles.json").read_text())
        return sum(scales.scaled(p["count"], scale) for p in profiles["profiles"])

    assert total("national") == 3025
    assert total("10x") == 30250
    assert scales.scaled(recommendations.PER_YEAR, "10x") * recommendations.YEARS == 350_000
    assert scales.scaled(PARTICIPANT_COUNTS, "10x") == 1200
    assert scales.scaled(CONFLICT_COUNTS, "10x") == 120
    assert scales.scaled(REPEAT_WRITERS, "10x") == 600
    assert scales.scaled(OVERRIDES, "10x") == 120
    national, tenfold = SCALE_SPECS["national"], SCALE_SPECS["10x"]
    assert tenfold.per_year * tenfold.years == 50_000
    assert (tenfold.years, tenfold.horizon_days) == (national.years, national.horizon_days)


def test_shares_and_mixes_stay_the_national_ones() -> None:
    assert scales.at_scale(ESCALATION_SHARE, "10x") == ESCALATION_SHARE["national"]
    assert scales.at_scale(OVERRIDE_SHARE, "10x") == OVERRIDE_SHARE["national"]
    assert scales.basis("demo") == ("demo", 1)


def test_ten_times_the_national_appeals_cases_and_incidents() -> None:
    national, tenfold = plan("national", TODAY), plan("10x", TODAY)
    assert [p.year for p in tenfold] == [p.year for p in national]
    assert sum(p.appeals for p in tenfold) == 160_000
    for small, big in zip(national, tenfold, strict=True):
        assert big.appeals == 10 * small.appeals
        assert big.correctional == 10 * small.correctional
        assert big.registered_cases == 10 * small.registered_cases
        assert big.court_cases == 10 * small.court_cases
        assert big.accountability == {k: 10 * n for k, n in small.accountability.items()}
        assert big.incidents == {k: 10 * n for k, n in small.incidents.items()}
        assert big.lack_of_evidence == pytest.approx(10 * small.lack_of_evidence, abs=10)

"""Fixtures for planning (registered for every app's tests by the root conftest)."""

import pytest

from vigil.planning.models import RiskFactor


@pytest.fixture
def simple_weights(db: None) -> dict[str, RiskFactor]:
    """The seeded risk factors with round, hand-checkable settings: every factor weighs 0
    except time since the last visit (weight 1, 0 to 24 months), ill-treatment appeals
    (weight 2, 0 to 4 in 12 months) and overcrowding (weight 1, 100% to 200%)."""
    factors = {f.code: f for f in RiskFactor.objects.all()}
    for factor in factors.values():
        factor.weight = 0
    settings = {
        "time_since_visit": (1, 0, 24, None),
        "ill_treatment_appeals": (2, 0, 4, 12),
        "overcrowding": (1, 100, 200, None),
    }
    for code, (weight, threshold, saturation, lookback) in settings.items():
        factor = factors[code]
        factor.weight, factor.threshold, factor.saturation = weight, threshold, saturation
        factor.lookback_months = lookback
    RiskFactor.objects.bulk_update(
        factors.values(), ["weight", "threshold", "saturation", "lookback_months"]
    )
    return factors

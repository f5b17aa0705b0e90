"""Fixtures for the analytics (registered for every app's tests by the root conftest)."""

from collections.abc import Callable
from typing import Any

import pytest

from vigil.accounts.models import User
from vigil.demo.published import PublishedSummary, build_published_figures
from vigil.reference.loader import reference_data_load

from .dashboard_data import DashboardData, build_dashboard_data


@pytest.fixture
def published_figures(users: dict[str, User]) -> PublishedSummary:
    """The Kazakhstan reference data and the data set reproducing the NPM's published figures
    (`vigil.demo.published`): 2023's 461 visits to 474 institutions, 3,012 recommendations
    (40.0% implemented), 258 + 17 officials; 2021's penitentiary tally 758 / 275 / 456 / 27.

    Function-scoped (about two seconds): each test gets it fresh in its own transaction. It
    comes with `users` (one account per role, made first; the reference data then takes over
    their regions and agencies by code), so a test can look at the figures as each role: the
    liaison's agency is the penitentiary committee, the regional representative's region
    Astana (KZ-71)."""
    reference_data_load(country="kz")
    return build_published_figures(seed=0)


@pytest.fixture
def dashboard_data(
    ref: dict[str, Any],
    make_institution: Callable[..., Any],
    make_visit: Callable[..., Any],
    make_recommendation: Callable[..., Any],
    make_appeal: Callable[..., Any],
    make_incident: Callable[..., Any],
    make_case: Callable[..., Any],
) -> DashboardData:
    """The small synthetic data set of the dashboard, coverage list and statistics API tests
    (`dashboard_data.build_dashboard_data`)."""
    return build_dashboard_data(
        ref,
        make_institution,
        make_visit,
        make_recommendation,
        (make_appeal, make_case, make_incident),
    )

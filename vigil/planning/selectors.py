"""Reads of planning data, already filtered by the policy (`permissions.py`)."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from vigil.accounts.models import User
from vigil.registry.models import Institution

from .models import CoverageRule, RiskFactor
from .permissions import (
    can_view_institution_risk,
    can_view_planning,
    risk_institutions_visible_to,
)
from .risk import RiskScore, compute_risk_scores, planned_institutions


def risk_scores(
    user: User | None,
    *,
    institutions: QuerySet[Institution] | None = None,
    on_date: datetime.date | None = None,
) -> dict[int, RiskScore]:
    """Institution pk → risk score (total and terms) on `on_date` (default today), for the
    institutions the user may see among `institutions` (default: those not closed). A
    constant number of queries whatever the number of institutions."""
    qs = institutions if institutions is not None else planned_institutions()
    visible = qs.filter(pk__in=risk_institutions_visible_to(user).values("pk"))
    return compute_risk_scores(visible, on_date=on_date or timezone.localdate())


def institution_risk(
    user: User | None, institution: Institution, on_date: datetime.date | None = None
) -> RiskScore | None:
    """One institution's score, or None when the user may not see it."""
    if not can_view_institution_risk(user, institution):
        return None
    scores = compute_risk_scores(
        Institution.objects.filter(pk=institution.pk), on_date=on_date or timezone.localdate()
    )
    return scores.get(institution.pk)


def risk_factors(user: User | None) -> list[RiskFactor]:
    return list(RiskFactor.objects.all()) if can_view_planning(user) else []


def coverage_rules(user: User | None) -> list[CoverageRule]:
    return list(CoverageRule.objects.all()) if can_view_planning(user) else []

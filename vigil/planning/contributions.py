"""The planning app's part of other pages: the risk score, term by term, on the institution's
page (only for those who may see the plan: `can_view_institution_risk`)."""

from collections.abc import Mapping
from typing import Any

from vigil.core.contributions import PageSection, register_page_section

from .selectors import institution_risk


def institution_risk_section(user: Any, institution: Any) -> Mapping[str, Any] | None:
    score = institution_risk(user, institution)
    return None if score is None else {"risk_score": score}


def register() -> None:
    register_page_section(
        "registry.institution",
        PageSection(
            "planning_risk", "planning/_institution_risk.html", 8, institution_risk_section
        ),
    )

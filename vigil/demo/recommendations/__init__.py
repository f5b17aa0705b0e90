"""Synthetic demo recommendations: ten years of an NPM's recommendations with realistic status
mixes, the authorities' responses, repeats and a few escalations.

Called by `generate_demo_data` after the visits. Scale `demo`: 30 a year (300); `national`:
3,500 a year (35,000); `10x`: 35,000 a year. Texts come from
`vigil/demo/data/recommendations.json` (by theme, in ru / kk / en).

Most come from the visits (`.visits`): each from a finding of a visit's approved report, to
the agency of the institution it was found at, in the report's language, issued the day the
report went to the authority and linked to its visit and finding, as a recommendation of a
visit report must be; a repeat repeats an earlier one at that institution. The rest are
systemic or legislative, from the annual report; so are the institutions' ones of a year
without visit reports to draw from (the demo scale's visits cover its last two years only).

Status mixes depend on age: recommendations of six or more years ago are mostly implemented,
not accepted or closed; last year's are mostly in implementation; this year's mostly wait for
an answer — about 40% implemented overall. An agency factor (the data file) makes some
agencies comply less (the Ministry of Defence keeps the NPM out in practice).

Deterministic: each recommendation draws from its own stream keyed by its external reference
(`DEMO-REC-<year>-<n>`), so the same seed gives the same data. Idempotent: existing external
references are left alone, so a second run creates nothing. Fast: written through the recommendations' bulk path (`vigil.recommendations.services.bulk`:
references, finding links, timeline events, escalation links), one year at a time with its
responses (repeats link to earlier years' rows).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.recommendations.models import AuthorityResponse, Recommendation
from vigil.recommendations.services.bulk import (
    escalations_bulk_create,
    recommendations_bulk_create,
    responses_bulk_create,
)

from ..scales import Scale, at_scale, scaled
from .drawing import Drawn, Earlier, draw, response_for
from .escalations import escalation_rows
from .material import (
    ESCALATED_FROM,
    ESCALATION_SHARE,
    EVENT_DATA,
    EVENT_NOTE,
    PER_YEAR,
    PREFIX,
    YEARS,
    DemoRecommendationsError,
    load_context,
)
from .visits import visit_sources

__all__ = ["PER_YEAR", "YEARS", "DemoRecommendationsError", "generate_recommendations"]


@transaction.atomic
def generate_recommendations(
    rng: random.Random, scale: Scale, *, today: datetime.date | None = None
) -> dict[str, int]:
    """Create the missing demo recommendations; returns what was created."""
    if scale not in PER_YEAR:
        raise DemoRecommendationsError(f"Unknown scale {scale!r}.")
    today = today or timezone.localdate()
    base = rng.getrandbits(64)
    ctx = load_context(today)
    existing = set(
        Recommendation.objects.filter(external_ref__startswith=PREFIX).values_list(
            "external_ref", flat=True
        )
    )
    earlier = Earlier()
    earlier.add(
        list(
            Recommendation.objects.filter(
                external_ref__startswith=PREFIX, institution__isnull=False
            )
            .only("pk", "text", "institution_id", "addressee_id", "theme", "level", "issued_on")
            .order_by("issued_on", "pk")
        )
    )
    sources = visit_sources(today)
    counts = dict.fromkeys(
        ("recommendations", "visit links", "responses", "repeats", "escalations"), 0
    )
    created: list[Recommendation] = []  # those an escalation may take up
    serial = 0
    for year in range(today.year - YEARS + 1, today.year + 1):
        drawn: list[Drawn] = []
        for n in range(1, scaled(PER_YEAR, scale) + 1):
            ext = f"{PREFIX}{year}-{n:05d}"
            if ext in existing:
                continue
            item = draw(ext, year, base, ctx, earlier, sources.get(year))
            if item is not None:
                drawn.append(item)
        if not drawn:
            continue
        drawn.sort(key=lambda d: (d.rec.issued_on, d.rec.external_ref))
        recommendations_bulk_create(
            [d.rec for d in drawn],
            note=EVENT_NOTE,
            data=EVENT_DATA,
            findings=[(d.rec, pk) for d in drawn for pk in d.findings],
        )
        counts["recommendations"] += len(drawn)
        created.extend(d.rec for d in drawn if d.rec.state in ESCALATED_FROM)
        earlier.add([d.rec for d in drawn])
        responses: list[AuthorityResponse] = []
        for item in drawn:
            counts["repeats"] += item.rec.repeat_of_id is not None
            counts["visit links"] += item.rec.visit_id is not None
            serial += 1
            response = response_for(item, ctx, serial)
            if response is not None:
                responses.append(response)
        responses_bulk_create(responses)
        counts["responses"] += len(responses)
    escalations = escalations_bulk_create(
        escalation_rows(created, ctx, base, at_scale(ESCALATION_SHARE, scale)),
        note=EVENT_NOTE,
        data=EVENT_DATA,
    )
    counts["recommendations"] += len(escalations)
    counts["escalations"] = len(escalations)
    if counts["recommendations"]:
        audit_record(
            actor=None,
            action=AuditAction.DEMO_DATA_GENERATED,
            data={"kind": "recommendations", "scale": scale, "counts": counts},
        )
    return counts

"""Synthetic monitoring visits for the demo data set (`generate_demo_data`).

`--scale national` holds about 500 visits a year over ten years (the current one included)
and the plan of the next three months; `--scale 10x` ten times as many; `--scale demo` about
60 over two years. Each visit has
a team of three to five eligible participants with one lead, a realistic type, mode and
state for its dates (past years closed, the current year spread over the life cycle, the
months ahead planned), the history of every state it went through, checklist answers,
findings, synthetic interviews (encrypted exactly as the interview service stores them),
access incidents, internal notes and, from the report stage on, its report. A fixed set of
"showcase" visits around today puts every state on the pages and gives each demo account
something to see: the demo monitor is on several current visits and leads two of them, with
follow-up contacts due and a checklist half filled.

Deterministic for a seed: the schedule, and each visit from its own random stream keyed by
its reference. Idempotent: visits are matched on `Visit.reference`, and an existing one is
left alone with everything in it. Written through the visits' bulk path, a batch of visits at a time
(`vigil.visits.services.bulk.visits_bulk_create`; the services one row at a time would take
minutes), which encrypts interviews as the interview service does, keeps the rows' historical
times, files each visit in its annual plan (created and audited through the plan service),
moves institutions' `last_visited_on` and writes a `VISIT_CREATED` audit row per visit, marked
as demo data (what was recorded inside the visits is counted, not audited row by row). The
generator keeps the invariants the services check one visit at a time: teams of three or more
with one lead and no conflict of interest, special visits with their trigger, follow-ups
linked to a visit that took place, transitions along the table of `vigil.visits.workflow`,
reports only with findings.
"""

import datetime
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from vigil.visits.models import ChecklistTemplate, Visit
from vigil.visits.services.bulk import VisitRows, visits_bulk_create
from vigil.visits.services.checklist_templates import checklist_templates_load

from ..registry import DemoDataError
from ..scales import Scale
from .content import visit_rows
from .plan import VisitPlan, plan_visit, schedule
from .world import SCALE_SPECS, SHOWCASES, S, load_world

__all__ = ["SCALE_SPECS", "SHOWCASES", "generate_visits"]

BATCH = 2500  # visits built in memory and written together
FOLLOWED_UP = 300  # the latest visits that took place, among which a follow-up picks


def _ensure_checklists() -> None:
    if not ChecklistTemplate.objects.filter(is_active=True).exists():
        checklist_templates_load()


@transaction.atomic
def generate_visits(
    rng: random.Random,
    scale: Scale,
    *,
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    """Create the demo visits and everything recorded in them; returns counts.

    Needs the demo accounts, institutions and participants (the steps before it)."""
    if scale not in SCALE_SPECS:
        raise DemoDataError(f"Unknown scale {scale!r}.")
    now = now or timezone.now()
    today = timezone.localdate(now)
    base = rng.getrandbits(64)
    _ensure_checklists()
    world = load_world(today, now)
    world.side_states = SCALE_SPECS[scale].side_states
    slots = schedule(base, SCALE_SPECS[scale], today)
    existing = dict(
        Visit.objects.filter(reference__in=[s.reference for s in slots]).values_list(
            "reference", "pk"
        )
    )
    counts: Counter[str] = Counter(visits=0, unchanged=len(existing))
    rows = VisitRows()
    took_place: list[VisitPlan] = []
    for slot in slots:
        plan = plan_visit(world, base, slot, took_place)
        if plan.reached(S.ON_SITE) is not None:
            took_place.append(plan)
            del took_place[:-FOLLOWED_UP]
        if slot.reference not in existing:
            visit_rows(world, plan, rows)
        if len(rows.visits) >= BATCH:
            _write(rows, scale, counts)
            rows = VisitRows()
    _write(rows, scale, counts)
    return dict(counts)


def _write(rows: VisitRows, scale: Scale, counts: Counter[str]) -> None:
    """Write a batch of visits through the visits' bulk path (a VISIT_CREATED audit row per
    visit, marked as demo data), and count what was in them."""
    if not rows.visits:
        return
    counts.update(
        {
            "visits": len(rows.visits),
            "team members": len(rows.team),
            "transitions": len(rows.transitions),
            "checklist answers": len(rows.answers),
            "findings": len(rows.findings),
            "interviews": len(rows.interviews),
            "sealed identities": len(rows.identities),
            "reports": len(rows.reports),
            "access incidents": len(rows.incidents),
            "notes": len(rows.notes),
            "last visits moved": visits_bulk_create(rows, audit_data={"demo_data": scale}),
        }
    )

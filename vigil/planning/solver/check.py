"""The plan checked against the original, per-institution rules, and teams from slot counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from .instance import Instance, Participant, Visit, _reaches, effective_capacity


def check(instance: Instance, visits: Iterable[Visit]) -> list[str]:
    """Every rule the plan breaks, in English (empty: the plan is valid). Independent of the
    model: it looks at each visit and each participant as the problem states them."""
    parameters = instance.parameters
    institutions = {i.id: i for i in instance.institutions}
    participants = {p.id: p for p in instance.participants}
    visits = list(visits)
    problems: list[str] = []
    if len(visits) > parameters.budget:
        problems.append(f"{len(visits)} visits over the budget of {parameters.budget}")
    seen: set[int] = set()
    load: dict[int, int] = defaultdict(int)
    per_month: dict[int, int] = defaultdict(int)
    for visit in visits:
        institution = institutions.get(visit.institution)
        if institution is None:
            problems.append(f"unknown institution {visit.institution}")
            continue
        if visit.institution in seen:
            problems.append(f"institution {visit.institution} visited twice")
        seen.add(visit.institution)
        if institution.excluded:
            problems.append(f"institution {visit.institution} is excluded")
        if visit.month not in parameters.months:
            problems.append(f"institution {visit.institution}: month {visit.month} not planned")
        if institution.month is not None and visit.month != institution.month:
            problems.append(f"institution {visit.institution} pinned to {institution.month}")
        per_month[visit.month] += 1
        team = [participants.get(p) for p in visit.team]
        if len(set(visit.team)) != len(visit.team) or len(visit.team) < parameters.team_size:
            problems.append(f"institution {visit.institution}: team {visit.team} too small")
        for member_id, member in zip(visit.team, team, strict=True):
            if member is None:
                problems.append(f"unknown participant {member_id}")
                continue
            load[member_id] += 1
            if not member.eligible:
                problems.append(f"participant {member_id} is not eligible")
            if visit.month not in member.months:
                problems.append(f"participant {member_id} unavailable in {visit.month}")
            if institution.id in member.conflicts:
                problems.append(f"participant {member_id} conflicted at {institution.id}")
            if not _reaches(member, institution.region, parameters):
                problems.append(f"participant {member_id} does not travel to {institution.id}")
        members = [m for m in team if m is not None]
        if institution.medical and not any(m.doctor for m in members):
            problems.append(f"institution {visit.institution}: no doctor")
        if institution.children and not any(m.psychologist for m in members):
            problems.append(f"institution {visit.institution}: no psychologist")
    for participant_id, count in load.items():
        participant = participants.get(participant_id)
        if participant and count > effective_capacity(participant, parameters):
            problems.append(f"participant {participant_id} over capacity ({count})")
    for institution in instance.institutions:
        if institution.must_visit_under(parameters.coverage) and institution.id not in seen:
            problems.append(f"institution {institution.id} must be visited")
    if parameters.monthly_limit is not None:
        for month, count in per_month.items():
            if count > parameters.monthly_limit:
                problems.append(f"{count} visits in month {month}")
    return problems


# ---------------------------------------------------------------------------- teams from counts


def teams_from_counts(
    visits: int, slots: Mapping[int, int], participants: Mapping[int, Participant]
) -> list[list[int]]:
    """Teams for `visits` interchangeable visits from each participant's slot count (at most
    `visits` each, `team_size * visits` in all): duals, doctors, others, psychologists, each
    repeated; the k-th entry goes to visit k mod `visits` (see the module's docstring)."""

    def rank(participant_id: int) -> tuple[int, int]:
        p = participants[participant_id]
        order = 0 if p.doctor and p.psychologist else 1 if p.doctor else 3 if p.psychologist else 2
        return order, participant_id

    entries = [pid for pid in sorted(slots, key=rank) for _ in range(slots[pid])]
    teams: list[list[int]] = [[] for _ in range(visits)]
    for k, participant_id in enumerate(entries):
        teams[k % visits].append(participant_id)
    return teams

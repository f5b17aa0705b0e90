"""Reads of reference data (every signed-in role sees all of it)."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Agency, InstitutionType, Region


def _agency_parents() -> dict[int, int | None]:
    """Each agency's parent: the whole hierarchy in one query (a few hundred rows)."""
    return dict(Agency.objects.order_by("code").values_list("pk", "parent_id"))


def _subtree(pk: int, parents: dict[int, int | None]) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    ids, seen, frontier = [pk], {pk}, [pk]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, ()) if c not in seen]
        seen.update(frontier)
        ids.extend(frontier)
    return ids


def agency_subtree_ids(agency: Agency | None) -> list[int]:
    """The agency and all its sub-units, level by level (one query, whatever the depth)."""
    if agency is None:
        return []
    return _subtree(agency.pk, _agency_parents())


def agency_subtrees(pks: Iterable[int]) -> dict[int, list[int]]:
    """Each agency of `pks` with all its sub-units (one query for all of them)."""
    parents = _agency_parents()
    return {pk: _subtree(pk, parents) for pk in set(pks)}


def agency_lineage_ids(agency: Agency) -> set[int]:
    """The agency, its sub-units and the agencies above it (one query)."""
    parents = _agency_parents()
    ids = set(_subtree(agency.pk, parents))
    current = parents.get(agency.pk)
    while current is not None and current not in ids:
        ids.add(current)
        current = parents.get(current)
    return ids


def region_list() -> QuerySet[Region]:
    return (
        Region.objects.select_related("predecessor").prefetch_related("neighbours").order_by("code")
    )


def region_neighbours() -> dict[int, frozenset[int]]:
    """Each region's neighbouring regions (by pk), in one query; symmetrical."""
    result: dict[int, set[int]] = {}
    for region, other in Region.neighbours.through.objects.values_list(
        "from_region_id", "to_region_id"
    ):
        result.setdefault(region, set()).add(other)
    return {region: frozenset(others) for region, others in result.items()}


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.select_related("parent", "region").order_by("code")


def institution_type_list() -> QuerySet[InstitutionType]:
    return InstitutionType.objects.select_related("agency").order_by("category", "code")

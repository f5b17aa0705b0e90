"""Reads of reference data (every signed-in role sees all of it)."""

from django.db.models import QuerySet

from .models import Agency, InstitutionType, Region


def agency_subtree_ids(agency: Agency | None) -> list[int]:
    """The agency and all its sub-units (one query per level of the hierarchy)."""
    if agency is None:
        return []
    ids = [agency.pk]
    frontier = [agency.pk]
    while frontier:
        frontier = list(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def region_list() -> QuerySet[Region]:
    return Region.objects.select_related("predecessor").order_by("code")


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.select_related("parent", "region").order_by("code")


def institution_type_list() -> QuerySet[InstitutionType]:
    return InstitutionType.objects.select_related("agency").order_by("category", "code")

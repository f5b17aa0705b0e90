"""Reads of reference data and the registry, already filtered for the user."""

import datetime

from django.db import connections
from django.db.models import Q, QuerySet

from vigil.core.search import normalize

from .models import Agency, Institution, InstitutionType, Region


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


def regions_valid_on(day: datetime.date) -> QuerySet[Region]:
    return region_list().filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gt=day),
    )


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.select_related("parent", "region").order_by("code")


def institution_type_list() -> QuerySet[InstitutionType]:
    return InstitutionType.objects.select_related("agency").order_by("category", "code")


def institution_search(qs: QuerySet[Institution], query: str) -> QuerySet[Institution]:
    """Substring match on the normalised names in every language and the external code.

    On PostgreSQL a trigram word-similarity match is added, so that a slightly
    misspelt name still finds its institution; SQLite keeps the substring match.
    """
    needle = normalize(query)
    if not needle:
        return qs
    condition = Q(search_text__contains=needle)
    if connections[qs.db].vendor == "postgresql":
        condition |= Q(search_text__trigram_word_similar=needle)
    return qs.filter(condition)

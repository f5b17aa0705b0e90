"""Reads of the registry, already filtered for the user."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from vigil.accounts.models import User
from vigil.core.search import normalize
from vigil.reference.enums import InstitutionCategory

from .models import Institution
from .permissions import institutions_visible_to


def institution_search(qs: QuerySet[Institution], query: str) -> QuerySet[Institution]:
    """Substring match on the normalised names in every language and the external code.

    On PostgreSQL, when nothing holds the text, a trigram word-similarity match is used
    instead, so that a slightly misspelt name still finds its institution; SQLite keeps the
    substring match. Both read the trigram index. (Asking for either in one condition made
    PostgreSQL compute the similarity of every row: its cost is not known to the planner.)
    """
    needle = normalize(query)
    if not needle:
        return qs
    found = qs.filter(search_text__contains=needle)
    if connections[qs.db].vendor == "postgresql" and not found.exists():
        return qs.filter(search_text__trigram_word_similar=needle)
    return found


@dataclass(frozen=True)
class RegistrySummary:
    total: int
    not_visited: int
    since: datetime.date
    by_category: list[dict[str, Any]]


def registry_summary(user: User | None, *, not_visited_years: int) -> RegistrySummary:
    """The institutions the user sees: how many, how many not visited for `not_visited_years`
    years (or never), and how many of each category (largest first)."""
    since = timezone.localdate() - datetime.timedelta(days=365 * not_visited_years)
    institutions = institutions_visible_to(user)
    totals = institutions.aggregate(
        total=Count("id"),
        not_visited=Count(
            "id", filter=Q(last_visited_on__isnull=True) | Q(last_visited_on__lt=since)
        ),
    )
    labels = dict(InstitutionCategory.choices)
    by_category = [
        {
            "code": row["type__category"],
            "label": labels.get(row["type__category"], ""),
            "count": row["n"],
        }
        for row in institutions.values("type__category").annotate(n=Count("id")).order_by("-n")
    ]
    return RegistrySummary(totals["total"], totals["not_visited"], since, by_category)

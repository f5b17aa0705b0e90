"""Reads of the registry, already filtered for the user."""

from django.db import connections
from django.db.models import Q, QuerySet

from vigil.core.search import normalize

from .models import Institution


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

"""Normalised search: one fold for letter case and Kazakh/Russian letter variants.

A query typed on a Russian keyboard must find Kazakh text and the other way round, in any
letter case, on SQLite and on PostgreSQL. `fold()` is the one definition:

1. a character table maps upper-case Cyrillic (Russian and Kazakh) to lower case, the
   Kazakh letters to their Russian look-alikes (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ→у, ү→у, һ→х,
   і→и), ё→е, Turkish/Kazakh-Latin İ→i, and typographic quotes to spaces;
2. then `lower()` folds whatever case is left (Latin and the rest of Unicode).

The database computes the same thing with `Folded(expression)`: on PostgreSQL
`LOWER(TRANSLATE(expression, from, to))` with the same table, on SQLite a deterministic
SQL function that calls `fold()` itself, registered on every new connection. In SQL the
table applies before lowering, so the Cyrillic path does not depend on the database's
LC_CTYPE, and `lower()` (not `casefold()`) is used because PostgreSQL has no
multi-character folding: with `casefold()` a query "STRASSE" would find "Straße" on SQLite
only. `test_search.py` checks that both databases agree with `fold()` character for character.

`search_filter()` (and `NormalisedSearchFilter` for django-filter) keeps the rows where every
word of the query is found in at least one of the given fields (joined, so that each row is
folded once per word). Stored search columns (the
registry's `search_text`) are written with `normalize()`, the same fold with spaces collapsed.
"""

import re
from collections.abc import Callable, Sequence
from typing import Any, Final

import django_filters
from django.db.models import F, Model, Q, QuerySet, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat
from django.db.models.lookups import Contains

from .textfunctions import TranslatedText

SQLITE_FUNCTION: Final = "vigil_fold"
MAX_WORDS: Final = 8
"""Words of a query beyond this many are ignored (each one adds a condition per field)."""

_KAZAKH: Final = {
    "ә": "а",
    "ғ": "г",
    "қ": "к",
    "ң": "н",
    "ө": "о",
    "ұ": "у",
    "ү": "у",
    "һ": "х",
    "і": "и",
    "ё": "е",
}
_PUNCTUATION: Final = {"«": " ", "»": " ", '"': " "}
_BEFORE_LOWER: Final = {"İ": "i"}  # Python lowers İ to two characters (i + combining dot)
_AFTER_LOWER: Final = {**_KAZAKH, **_PUNCTUATION}


def _table() -> dict[str, str]:
    table = dict(
        zip("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", "абвгдежзийклмнопрстуфхцчшщъыьэюя", strict=True)
    )
    for kazakh, russian in _KAZAKH.items():
        table[kazakh] = russian
        table[kazakh.upper()] = russian
    table.update(_BEFORE_LOWER)
    table.update(_PUNCTUATION)
    return table


FOLD_TABLE: Final = _table()
"""Character → folded character, applied before `LOWER()` in SQL; `fold()` is equivalent."""

_SQL_FROM: Final = "".join(FOLD_TABLE)
_SQL_TO: Final = "".join(FOLD_TABLE.values())
_SPACES: Final = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case with Kazakh letters as their Russian look-alikes (one character each).

    The same as `text.translate(str.maketrans(FOLD_TABLE)).lower()`, written as a few
    `str.replace()` calls because a dict-driven `translate()` is some 20 times slower, and
    SQLite calls this once per row and searched word.
    """
    for char, replacement in _BEFORE_LOWER.items():
        text = text.replace(char, replacement)
    text = text.lower()
    for char, replacement in _AFTER_LOWER.items():
        text = text.replace(char, replacement)
    return text


def normalize(text: str) -> str:
    """`fold()` with runs of white space as one space, trimmed: for stored search columns."""
    return _SPACES.sub(" ", fold(text)).strip()


def search_words(query: str) -> list[str]:
    """The folded words of a query, at most `MAX_WORDS`."""
    return fold(query).split()[:MAX_WORDS]


class Folded(TranslatedText):
    """`fold()` of a text expression, computed by the database (SQLite and PostgreSQL)."""

    sqlite_function = SQLITE_FUNCTION
    python = staticmethod(fold)
    sql_from = _SQL_FROM
    sql_to = _SQL_TO


WordCondition = Callable[[str], Q]
"""Extra match for one folded word (e.g. "a related row matches"), ORed with the fields."""


def search_condition(
    query: str, fields: Sequence[str | Combinable], *, also: WordCondition | None = None
) -> Q | None:
    """Every word of the query in at least one of the fields (folded); None for no words."""
    words = search_words(query)
    if not words:
        return None
    expressions = [F(field) if isinstance(field, str) else field for field in fields]
    if len(expressions) > 1:  # one fold per row and word: the fields joined by line breaks
        joined = [part for e in expressions for part in (e, Value("\n"))][:-1]
        expressions = [Concat(*joined, output_field=TextField())]
    condition = Q()
    for word in words:  # a word never holds white space, so it never spans two fields
        any_field = Q(Contains(Folded(expressions[0]), word)) if expressions else Q()
        if also is not None:
            any_field |= also(word)
        condition &= any_field
    return condition


def search_filter[M: Model](
    queryset: QuerySet[M],
    query: str,
    fields: Sequence[str | Combinable],
    *,
    also: WordCondition | None = None,
) -> QuerySet[M]:
    """The rows where every word of the query is in one of the fields; all rows for none."""
    condition = search_condition(query, fields, also=also)
    return queryset if condition is None else queryset.filter(condition)


class NormalisedSearchFilter(django_filters.CharFilter):
    """A django-filter text filter that applies `search_filter()` over the given fields."""

    def __init__(self, *args: Any, fields: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.search_fields = tuple(fields)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return search_filter(qs, value or "", self.search_fields)

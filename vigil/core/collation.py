"""Alphabetical order of names written in Kazakh and Russian, the same in Python and in SQL.

By code point the Kazakh letters (Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І) come after Я, and the database's
own collation differs between SQLite and PostgreSQL (and between servers' locales). One sort
key fixes the order everywhere: every Cyrillic letter of the Kazakh alphabet (which holds the
Russian one) maps, in either case, to one private-use character in alphabet order

    А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я

and the rest is lowered. Compared by code point, keys order names as the alphabet does
(Cyrillic names after Latin ones, digits and signs first).

- `sort_key(text)` for lists ordered in Python (option lists, the team picker);
- `SortKey(expression)` for the database: on PostgreSQL `LOWER(TRANSLATE(…))` compared with
  the "C" collation (code point order), on SQLite a deterministic SQL function that calls
  `sort_key()` itself, compared byte-wise (UTF-8 keeps code point order);
- `alphabetical(terms, fields)` swaps the ordering terms on name fields for their keys.
"""

from collections.abc import Collection, Iterable
from typing import Any, Final

from django.db.models import Expression
from django.db.models.functions import Collate

from .textfunctions import TranslatedText

KAZAKH_ALPHABET: Final = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
"""The Kazakh Cyrillic alphabet in its order (it holds every Russian letter)."""

SQLITE_FUNCTION: Final = "vigil_sort_key"
_FIRST: Final = 0xE000  # the Private Use Area: no case, no meaning, after every script


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for position, letter in enumerate(KAZAKH_ALPHABET):
        table[letter] = table[letter.lower()] = chr(_FIRST + position)
    return table


SORT_TABLE: Final = _table()
_TRANSLATION: Final = str.maketrans(SORT_TABLE)
_SQL_FROM: Final = "".join(SORT_TABLE)
_SQL_TO: Final = "".join(SORT_TABLE.values())


def sort_key(text: str | None) -> str:
    """The key that orders `text` alphabetically among Kazakh, Russian and Latin names."""
    return (text or "").translate(_TRANSLATION).lower()


class SortKey(TranslatedText):
    """`sort_key()` of a text expression, computed and compared by the database (on
    PostgreSQL in the "C" collation: code point order)."""

    sqlite_function = SQLITE_FUNCTION
    python = staticmethod(sort_key)
    sql_from = _SQL_FROM
    sql_to = _SQL_TO

    def finish_postgresql(self, lowered: Expression) -> Expression:
        return Collate(lowered, "C")


def alphabetical(terms: Iterable[Any], fields: Collection[str]) -> list[Any]:
    """Ordering terms (`"name_ru"`, `"-user__full_name"`, …) with those on `fields` ordered by
    their `SortKey`; other terms unchanged."""
    ordered: list[Any] = []
    for term in terms:
        if isinstance(term, str) and term.lstrip("-") in fields:
            key = SortKey(term.lstrip("-"))
            ordered.append(key.desc() if term.startswith("-") else key.asc())
        else:
            ordered.append(term)
    return ordered

"""Language-tolerant search text: one normalised string per institution.

A query typed on a Russian keyboard must find Kazakh names too, so Kazakh-specific
letters fold to their nearest Russian ones, ё to е, and case is folded. The same
function normalises the stored text and the query.
"""

import re

_FOLD = str.maketrans(
    {
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
        "«": " ",
        "»": " ",
        '"': " ",
    }
)
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    return _SPACES.sub(" ", text.casefold().translate(_FOLD)).strip()


def institution_search_text(*parts: str | None) -> str:
    return " | ".join(normalize(p) for p in parts if p)

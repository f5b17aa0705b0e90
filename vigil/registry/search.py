"""Language-tolerant search text: one normalised string per institution.

A query typed on a Russian keyboard must find Kazakh names too; the stored text and the
query are folded by the shared `vigil.core.search.normalize`.
"""

from vigil.core.search import normalize


def institution_search_text(*parts: str | None) -> str:
    return " | ".join(normalize(p) for p in parts if p)

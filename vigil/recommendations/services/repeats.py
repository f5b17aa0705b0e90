"""Repeated issues: which earlier recommendations a new one resembles.

`similar_recommendations` compares a text with the recommendations already made for the same
institution or agency subtree on the same theme, and returns the most similar ones above a
threshold, so that the recommendation form can propose "Link as a repeat of …".

How texts are compared, in any of kk / ru / en:
- character n-grams (scikit-learn `TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5))`)
  on the registry's normalised text (case folded, Kazakh letters folded to their nearest
  Russian ones), which needs no stemmer or stop-word list of any language and tolerates
  inflection, typos and Kazakh texts full of Russian terms;
- domain concepts (`data/repeat_glossary.json`): the same idea written in Kazakh, Russian or
  English (видеонаблюдение / бейнебақылау / video surveillance) counts as one token, so that a
  recommendation written in one language still finds its repeat written in another.
The score is `CHAR_WEIGHT · cos(char n-grams) + (1 − CHAR_WEIGHT) · cos(concepts)`, in [0, 1].
The threshold is `settings.VIGIL_REPEAT_SIMILARITY_THRESHOLD` (default 0.3).
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Q, QuerySet
from scipy.sparse import spmatrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from vigil.accounts.models import User
from vigil.core.search import normalize
from vigil.reference.models import Agency
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.models import Institution

from ..enums import State
from ..models import Recommendation
from ..permissions import recommendations_visible_to

GLOSSARY_PATH = Path(__file__).resolve().parent.parent / "data" / "repeat_glossary.json"
DEFAULT_THRESHOLD = 0.3
CHAR_WEIGHT = 0.5
MAX_CANDIDATES = 3000
"""The pool compared at once: the most recent recommendations of the scope and theme."""
MIN_TEXT = 12
"""Shorter texts are not compared (nothing meaningful to match yet)."""


@dataclass(frozen=True)
class SimilarRecommendation:
    recommendation: Recommendation
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def similarity_threshold() -> float:
    return float(getattr(settings, "VIGIL_REPEAT_SIMILARITY_THRESHOLD", DEFAULT_THRESHOLD))


def _stem_pattern(stem: str) -> str:
    whole = stem.endswith("=")
    words = normalize(stem.rstrip("=")).split(" ")
    body = r"\w*[\s\-]+".join(re.escape(word) for word in words if word)
    return r"\b" + body + (r"\b" if whole else "")


@cache
def _glossary() -> tuple[tuple[str, re.Pattern[str]], ...]:
    data = json.loads(GLOSSARY_PATH.read_text(encoding="utf-8"))
    concepts = []
    for concept, stems in data["concepts"].items():
        pattern = "|".join(_stem_pattern(stem) for stem in stems if stem.strip("= "))
        concepts.append((concept, re.compile(pattern)))
    return tuple(concepts)


def concepts_of(text: str) -> list[str]:
    """The glossary concepts a text mentions, in any of the three languages."""
    folded = normalize(text)
    return [concept for concept, pattern in _glossary() if pattern.search(folded)]


def text_similarities(query: str, texts: list[str]) -> list[float]:
    """The score of `query` against each of `texts` (0 to 1; 1 is the same text)."""
    if not texts:
        return []
    corpus = [query, *texts]
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), preprocessor=normalize, sublinear_tf=True
    )
    char_matrix: spmatrix = chars.fit_transform(corpus)
    char_scores = linear_kernel(char_matrix[0:1], char_matrix[1:]).ravel()
    concept_lists = [concepts_of(text) for text in corpus]
    if concept_lists[0] and any(concept_lists[1:]):
        concepts = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True)
        concept_matrix: spmatrix = concepts.fit_transform(concept_lists)
        concept_scores = linear_kernel(concept_matrix[0:1], concept_matrix[1:]).ravel()
    else:
        concept_scores = [0.0] * len(texts)
    return [
        min(1.0, CHAR_WEIGHT * float(c) + (1 - CHAR_WEIGHT) * float(k))
        for c, k in zip(char_scores, concept_scores, strict=True)
    ]


def repeat_candidates(
    *,
    user: User | None,
    theme: str,
    institution: Institution | None = None,
    agency: Agency | None = None,
    exclude: Iterable[int] = (),
) -> QuerySet[Recommendation]:
    """Issued recommendations on the theme, for the institution or the agency subtree, that
    `user` may see (`user=None`: all of them, for the system's own use)."""
    scope = Q()
    if institution is not None:
        scope |= Q(institution=institution)
    if agency is not None:
        scope |= Q(addressee_id__in=agency_subtree_ids(agency))
    if not scope:
        return Recommendation.objects.none()
    base = Recommendation.objects.all() if user is None else recommendations_visible_to(user)
    return (
        base.filter(scope, theme=theme)
        .exclude(state=State.DRAFT)
        .exclude(pk__in=list(exclude))
        .select_related("addressee", "institution")
        .order_by("-issued_on", "-id")
    )


def similar_recommendations(
    text: str,
    theme: str,
    institution: Institution | None = None,
    agency: Agency | None = None,
    limit: int = 5,
    *,
    user: User | None = None,
    exclude: Iterable[int] = (),
    threshold: float | None = None,
) -> list[SimilarRecommendation]:
    """The recommendations `text` most resembles, best first, above the threshold.

    Compared with the issued recommendations on `theme` for `institution` or addressed to
    `agency` and its sub-units (either or both), as far as `user` may see them (`user=None`:
    all of them, for the system's own use).
    """
    text = (text or "").strip()
    if len(text) < MIN_TEXT or not theme:
        return []
    qs = repeat_candidates(
        user=user, theme=theme, institution=institution, agency=agency, exclude=exclude
    )
    pool = list(qs[:MAX_CANDIDATES])
    if not pool:
        return []
    scores = text_similarities(text, [rec.text for rec in pool])
    cutoff = similarity_threshold() if threshold is None else threshold
    ranked = sorted(
        (SimilarRecommendation(rec, score) for rec, score in zip(pool, scores, strict=True)),
        key=lambda item: (
            -round(item.score, 6),
            # on a tie, the same institution's first, then the most recent
            institution is None or item.recommendation.institution_id != institution.pk,
            -(item.recommendation.pk or 0),
        ),
    )
    return [item for item in ranked if item.score >= cutoff][:limit]

"""Duplicates and repeat writers.

An appeal resembles an **open** one (not closed, not merged) when the same sealed person
wrote it (the keyed fingerprint of `AppealIdentity`, never the identity), or when it is
about the same institution and its text is similar (the decrypted content of the few open
appeals of that institution compared in Python: this comparison is not a person's read, no
access event is written and nothing of the text leaves this module). Handlers then merge it
(`services.handling.appeal_merge`).
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.crypto import keyring
from vigil.core.search import fold

from ..enums import CLOSED_APPEAL_STATES
from ..models import Appeal, AppealIdentity
from ..permissions import appeals_visible_to, can_see_repeat_writers
from .appeals import content_associated_data

SIMILARITY_THRESHOLD = 0.5
"""Word-shingle Jaccard similarity from which two texts are proposed as duplicates."""
MAX_TEXT_CANDIDATES = 50
"""Open appeals of the same institution compared by text (the most recent)."""
SHINGLE = 2

SAME_PERSON = "same_person"
SIMILAR_TEXT = "similar_text"
SAME_INSTITUTION = "same_institution"

REASON_LABELS = {
    SAME_PERSON: _("same person"),
    SIMILAR_TEXT: _("similar text"),
    SAME_INSTITUTION: _("same institution"),
}


@dataclass
class Candidate:
    appeal: Appeal
    reasons: list[str] = field(default_factory=list)
    similarity: float = 0.0

    @property
    def reason_labels(self) -> list[Any]:
        return [REASON_LABELS[r] for r in self.reasons]


def _decrypt(appeal: Appeal) -> str:
    return (
        keyring()
        .decrypt(bytes(appeal.content_ciphertext), content_associated_data(appeal))
        .decode("utf-8")
    )


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", fold(text))
    if len(words) < SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def text_similarity(first: str, second: str) -> float:
    """Jaccard similarity of the two texts' word pairs (case and letters folded)."""
    a, b = _shingles(first), _shingles(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _fingerprint(appeal: Appeal) -> str:
    return (
        AppealIdentity.objects.filter(appeal=appeal).values_list("fingerprint", flat=True).first()
        or ""
    )


def open_appeals() -> QuerySet[Appeal]:
    return Appeal.objects.exclude(state__in=CLOSED_APPEAL_STATES)


def duplicate_candidates(appeal: Appeal, *, user: User) -> list[Candidate]:
    """The open appeals, visible to `user`, that `appeal` resembles, with the reasons."""
    if appeal.state in CLOSED_APPEAL_STATES:
        return []
    visible = appeals_visible_to(user).exclude(state__in=CLOSED_APPEAL_STATES).exclude(pk=appeal.pk)
    found: dict[int, Candidate] = {}
    fingerprint = _fingerprint(appeal)
    if fingerprint:
        for other in visible.filter(identity__fingerprint=fingerprint).order_by("-received_on"):
            found.setdefault(other.pk, Candidate(other)).reasons.append(SAME_PERSON)
    if appeal.institution_id is not None:
        mine = _decrypt(appeal)
        same_place = visible.filter(institution_id=appeal.institution_id).order_by(
            "-received_on", "-pk"
        )[:MAX_TEXT_CANDIDATES]
        for other in same_place:
            score = text_similarity(mine, _decrypt(other))
            if score >= SIMILARITY_THRESHOLD:
                candidate = found.setdefault(other.pk, Candidate(other))
                candidate.reasons.extend((SIMILAR_TEXT, SAME_INSTITUTION))
                candidate.similarity = score
    return sorted(found.values(), key=lambda c: (-len(c.reasons), -c.similarity))


def repeat_writer_appeals(appeal: Appeal, *, user: User) -> QuerySet[Appeal] | None:
    """The other appeals from the same sealed person that `user` may see (None: the user may
    not see repeat writers, or the appeal has no sealed identity)."""
    if not can_see_repeat_writers(user):
        return None
    fingerprint = _fingerprint(appeal)
    if not fingerprint:
        return None
    return (
        appeals_visible_to(user)
        .filter(identity__fingerprint=fingerprint)
        .exclude(pk=appeal.pk)
        .order_by("-received_on", "-pk")
    )


def repeat_fingerprints() -> QuerySet[AppealIdentity, Any]:
    """Fingerprints shared by more than one appeal (the "from a repeat writer" filter)."""
    return (
        AppealIdentity.objects.values("fingerprint")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("fingerprint")
    )

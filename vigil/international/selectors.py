"""Reads of the UN follow-up, already filtered by the policy: a document's paragraphs, each
paragraph's current assessments and their history, and the NPM evidence behind it.

The evidence of a paragraph, as far as the reader may see it (`findings_visible_to`,
`recommendations_visible_to`), from its confirmed links:
- findings: the linked findings, and the findings behind the linked recommendations;
- recommendations: the linked ones, those made on a linked finding, and the issued
  recommendations of a linked systemic issue (its theme, addressed to its branch of the
  agency tree);
- visits: the visits of those findings and recommendations;
- open / implemented: the recommendations by the official tally (`recommendations.tally`):
  implemented as claimed or verified; open when issued and neither implemented nor obsolete.
The counts for any number of paragraphs take a constant number of queries.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Model, Q, QuerySet

from vigil.accounts.models import User
from vigil.recommendations.enums import State, Tally
from vigil.recommendations.models import Recommendation
from vigil.recommendations.permissions import recommendations_visible_to
from vigil.recommendations.selectors.systemic import WidespreadIssue, widespread_issues
from vigil.recommendations.services.repeats import (
    MIN_TEXT,
    similarity_threshold,
    text_similarities,
)
from vigil.recommendations.tally import states_in
from vigil.reference.selectors import agency_subtrees
from vigil.visits.models import Finding
from vigil.visits.permissions import findings_visible_to

from .enums import LinkKind, LinkStatus
from .models import Assessment, Document, Paragraph, ParagraphLink
from .permissions import assessments_visible_to, links_visible_to, paragraphs_visible_to

NOT_OPEN = frozenset({State.DRAFT, State.OBSOLETE, *states_in(Tally.IMPLEMENTED)})
IMPLEMENTED = frozenset(states_in(Tally.IMPLEMENTED))


@dataclass
class Evidence:
    """The NPM evidence behind one paragraph (ids of records the reader may see)."""

    finding_ids: set[int] = field(default_factory=set)
    recommendation_ids: set[int] = field(default_factory=set)
    visit_ids: set[int] = field(default_factory=set)
    open: int = 0
    implemented: int = 0

    @property
    def findings(self) -> int:
        return len(self.finding_ids)

    @property
    def recommendations(self) -> int:
        return len(self.recommendation_ids)

    @property
    def visits(self) -> int:
        return len(self.visit_ids)

    @property
    def empty(self) -> bool:
        return not (self.finding_ids or self.recommendation_ids)


def document_paragraphs(user: User | None, document: Document) -> QuerySet[Paragraph]:
    """The paragraphs of `document` the user may see, in the document's order."""
    return (
        paragraphs_visible_to(user)
        .filter(document=document)
        .prefetch_related("addressees")
        .order_by("position", "id")
    )


def assessment_history(user: User | None, paragraph: Paragraph) -> QuerySet[Assessment]:
    """Every assessment of the paragraph, newest first."""
    return (
        assessments_visible_to(user)
        .filter(paragraph=paragraph)
        .select_related("grade", "grade__scale", "recorded_by")
        .order_by("-assessed_on", "-id")
    )


def assessment_histories(
    user: User | None, paragraphs: Iterable[Paragraph]
) -> dict[int, list[Assessment]]:
    """Every assessment of each of `paragraphs`, newest first, in one query."""
    rows = (
        assessments_visible_to(user)
        .filter(paragraph_id__in=[p.pk for p in paragraphs])
        .select_related("grade", "grade__scale")
        .order_by("paragraph_id", "-assessed_on", "-id")
    )
    history: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in rows:
        history[assessment.paragraph_id].append(assessment)
    return dict(history)


def current_assessments(
    user: User | None, paragraphs: Iterable[Paragraph]
) -> dict[int, list[Assessment]]:
    """For each paragraph, the latest assessment of each source (state, NPM, each civil
    society organisation, the body), in the order of the sources."""
    ids = [p.pk for p in paragraphs]
    rows = (
        assessments_visible_to(user)
        .filter(paragraph_id__in=ids)
        .select_related("grade", "grade__scale")
        .order_by("paragraph_id", "source", "source_name", "-assessed_on", "-id")
    )
    current: dict[int, list[Assessment]] = defaultdict(list)
    seen: set[tuple[int, str, str]] = set()
    for assessment in rows:
        key = (assessment.paragraph_id, assessment.source, assessment.source_name)
        if key not in seen:
            seen.add(key)
            current[assessment.paragraph_id].append(assessment)
    return dict(current)


def confirmed_links(user: User | None, paragraph: Paragraph) -> QuerySet[ParagraphLink]:
    return (
        links_visible_to(user)
        .filter(paragraph=paragraph, status=LinkStatus.CONFIRMED)
        .select_related("finding", "finding__visit", "recommendation", "systemic_branch")
        .order_by("kind", "id")
    )


def evidence_of(user: User | None, paragraphs: Sequence[Paragraph]) -> dict[int, Evidence]:
    """The evidence behind each of `paragraphs` (module docstring), in constant queries."""
    evidence = {p.pk: Evidence() for p in paragraphs}
    links = list(
        links_visible_to(user)
        .filter(paragraph_id__in=list(evidence), status=LinkStatus.CONFIRMED)
        .values_list(
            "paragraph_id",
            "kind",
            "finding_id",
            "recommendation_id",
            "systemic_theme",
            "systemic_branch_id",
        )
    )
    if not links:
        return evidence
    visible_findings = findings_visible_to(user)
    visible_recs = recommendations_visible_to(user)

    linked_findings: dict[int, set[int]] = defaultdict(set)
    linked_recs: dict[int, set[int]] = defaultdict(set)
    systemic: dict[tuple[str, int], set[int]] = defaultdict(set)
    for paragraph_id, kind, finding_id, rec_id, theme, branch_id in links:
        if kind == LinkKind.FINDING:
            linked_findings[finding_id].add(paragraph_id)
        elif kind == LinkKind.RECOMMENDATION:
            linked_recs[rec_id].add(paragraph_id)
        else:
            systemic[(theme, branch_id)].add(paragraph_id)

    finding_paragraphs: dict[int, set[int]] = defaultdict(set)
    rec_paragraphs: dict[int, set[int]] = defaultdict(set)
    for finding_id in visible_findings.filter(pk__in=list(linked_findings)).values_list(
        "pk", flat=True
    ):
        finding_paragraphs[finding_id] |= linked_findings[finding_id]
    for rec_id in visible_recs.filter(pk__in=list(linked_recs)).values_list("pk", flat=True):
        rec_paragraphs[rec_id] |= linked_recs[rec_id]

    # recommendations made on a linked finding, findings behind a linked recommendation
    through = Recommendation.findings.through
    pairs = through.objects.filter(
        Q(finding_id__in=list(finding_paragraphs)) | Q(recommendation_id__in=list(rec_paragraphs))
    ).values_list("recommendation_id", "finding_id")
    for rec_id, finding_id in pairs:
        if finding_id in finding_paragraphs:
            rec_paragraphs[rec_id] |= finding_paragraphs[finding_id]
        if rec_id in linked_recs:
            finding_paragraphs[finding_id] |= linked_recs[rec_id]

    # the recommendations of each linked systemic issue
    if systemic:
        subtrees = {
            pk: set(ids)
            for pk, ids in agency_subtrees(branch_id for _theme, branch_id in systemic).items()
        }
        scope = Q()
        for theme, branch_id in systemic:
            scope |= Q(theme=theme, addressee_id__in=subtrees[branch_id])
        for rec_id, theme, addressee_id in (
            visible_recs.filter(scope)
            .exclude(state=State.DRAFT)
            .values_list("pk", "theme", "addressee_id")
        ):
            for (s_theme, branch_id), paragraph_ids in systemic.items():
                if s_theme == theme and addressee_id in subtrees[branch_id]:
                    rec_paragraphs[rec_id] |= paragraph_ids

    recs = visible_recs.filter(pk__in=list(rec_paragraphs)).values_list("pk", "state", "visit_id")
    for rec_id, state, visit_id in recs:
        for paragraph_id in rec_paragraphs[rec_id]:
            item = evidence[paragraph_id]
            item.recommendation_ids.add(rec_id)
            if visit_id:
                item.visit_ids.add(visit_id)
            if state in IMPLEMENTED:
                item.implemented += 1
            elif state not in NOT_OPEN:
                item.open += 1
    findings = visible_findings.filter(pk__in=list(finding_paragraphs)).values_list(
        "pk", "visit_id"
    )
    for finding_id, visit_id in findings:
        for paragraph_id in finding_paragraphs[finding_id]:
            evidence[paragraph_id].finding_ids.add(finding_id)
            evidence[paragraph_id].visit_ids.add(visit_id)
    return evidence


def evidence_examples(
    user: User | None, item: Evidence, limit: int = 3
) -> tuple[list[Recommendation], list[Finding]]:
    """A few of the paragraph's recommendations and findings to quote (the latest first)."""
    return evidence_examples_of(user, {0: item}, limit)[0]


def _latest[M: Model](
    visible: QuerySet[M],
    wanted: Mapping[int, set[int]],
    order: Sequence[str],
    related: Sequence[str],
    limit: int,
) -> dict[int, list[M]]:
    """The first `limit` of each key's ids in `order`, as objects: two queries in all."""
    every = set().union(*wanted.values()) if wanted else set()
    ordered = list(visible.filter(pk__in=every).order_by(*order).values_list("pk", flat=True))
    chosen = {key: [pk for pk in ordered if pk in ids][:limit] for key, ids in wanted.items()}
    needed = {pk for pks in chosen.values() for pk in pks}
    objects = visible.filter(pk__in=needed).select_related(*related).in_bulk() if needed else {}
    return {key: [objects[pk] for pk in pks] for key, pks in chosen.items()}


def evidence_examples_of(
    user: User | None, evidence: Mapping[int, Evidence], limit: int = 3
) -> dict[int, tuple[list[Recommendation], list[Finding]]]:
    """For each paragraph's evidence, a few recommendations and findings to quote (the latest
    first), in a constant number of queries whatever the number of paragraphs."""
    recs = _latest(
        recommendations_visible_to(user),
        {key: item.recommendation_ids for key, item in evidence.items()},
        ("-issued_on", "-id"),
        ("institution", "addressee"),
        limit,
    )
    found = _latest(
        findings_visible_to(user),
        {key: item.finding_ids for key, item in evidence.items()},
        ("-visit__planned_start", "-id"),
        ("institution", "visit"),
        limit,
    )
    return {key: (recs[key], found[key]) for key in evidence}


@dataclass(frozen=True)
class Suggestion:
    """A record the paragraph's text resembles, proposed for a person to confirm or reject."""

    kind: str
    score: float
    finding: Finding | None = None
    recommendation: Recommendation | None = None
    systemic: WidespreadIssue | None = None

    @property
    def percent(self) -> int:
        return round(self.score * 100)


SUGGESTION_POOL = 2000
"""How many of the latest findings and recommendations on the paragraph's themes are compared."""


def _decided(paragraph: Paragraph) -> tuple[set[int], set[int], set[tuple[str, int]]]:
    findings, recs, systemic = set(), set(), set()
    for kind, finding_id, rec_id, theme, branch_id in ParagraphLink.objects.filter(
        paragraph=paragraph
    ).values_list(
        "kind", "finding_id", "recommendation_id", "systemic_theme", "systemic_branch_id"
    ):
        if kind == LinkKind.FINDING:
            findings.add(finding_id)
        elif kind == LinkKind.RECOMMENDATION:
            recs.add(rec_id)
        else:
            systemic.add((theme, branch_id))
    return findings, recs, systemic


def link_suggestions(
    user: User | None, paragraph: Paragraph, *, limit: int = 10, threshold: float | None = None
) -> list[Suggestion]:
    """The findings, recommendations and widespread systemic issues the paragraph most
    resembles (the repeat mechanism's text similarity, in any of kk/ru/en), best first, leaving
    out what a person already linked or rejected. A systemic issue scores as the best of its
    recommendations compared."""
    text = " ".join(
        part for part in (paragraph.text_en, paragraph.text_ru, paragraph.text_kk) if part
    ).strip()
    if len(text) < MIN_TEXT:
        return []
    themes = paragraph.theme_list
    on_themes = Q(theme__in=themes) if themes else Q()
    done_findings, done_recs, done_systemic = _decided(paragraph)
    recs = list(
        recommendations_visible_to(user)
        .filter(on_themes)
        .exclude(state=State.DRAFT)
        .select_related("institution", "addressee")
        .order_by("-issued_on", "-id")[:SUGGESTION_POOL]
    )
    found = list(
        findings_visible_to(user)
        .filter(on_themes)
        .select_related("institution", "visit")
        .order_by("-visit__planned_start", "-id")[:SUGGESTION_POOL]
    )
    scores = text_similarities(
        text, [r.text for r in recs] + [f"{f.title}. {f.description}" for f in found]
    )
    rec_scores = dict(zip((r.pk for r in recs), scores[: len(recs)], strict=True))
    cutoff = similarity_threshold() if threshold is None else threshold
    suggestions = [
        Suggestion(LinkKind.RECOMMENDATION, score, recommendation=rec)
        for rec, score in zip(recs, scores[: len(recs)], strict=True)
        if score >= cutoff and rec.pk not in done_recs
    ]
    suggestions += [
        Suggestion(LinkKind.FINDING, score, finding=finding)
        for finding, score in zip(found, scores[len(recs) :], strict=True)
        if score >= cutoff and finding.pk not in done_findings
    ]
    issues = [
        issue
        for issue in widespread_issues(user)
        if (not themes or issue.theme in themes)
        and (issue.theme, issue.branch.pk) not in done_systemic
    ]
    if issues:
        subtrees = agency_subtrees(issue.branch.pk for issue in issues)
        for issue in issues:
            branch = set(subtrees[issue.branch.pk])
            best = max(
                (
                    rec_scores[r.pk]
                    for r in recs
                    if r.theme == issue.theme and r.addressee_id in branch
                ),
                default=0.0,
            )
            if best >= cutoff:
                suggestions.append(Suggestion(LinkKind.SYSTEMIC, best, systemic=issue))
    suggestions.sort(key=lambda s: (-round(s.score, 6), s.kind))
    return suggestions[:limit]


def paragraphs_linked_to(user: User | None, recommendation: Recommendation) -> QuerySet[Paragraph]:
    """The paragraphs the user sees that a person linked to the recommendation, by document
    (newest first) and the paragraph's order."""
    linked = links_visible_to(user).filter(
        kind=LinkKind.RECOMMENDATION, recommendation=recommendation, status=LinkStatus.CONFIRMED
    )
    return (
        paragraphs_visible_to(user)
        .filter(pk__in=linked.values("paragraph_id"))
        .select_related("document")
        .order_by("-document__adopted_on", "document__symbol", "position", "id")
    )

"""What the follow-up report of a UN document says, built once for the PDF and the DOCX: the
document's identity, a summary table (each paragraph's current grade by source, side by
side), then each paragraph in the document's order with its text, themes, addressees, the
assessments side by side and their history, and the NPM evidence (counts and examples).

Everything is read through the policy for the reader (`..selectors`): a liaison gets only the
paragraphs addressed to its agency and the evidence it may see. Every text is translated and
every date and figure formatted when the report is built: build it inside
`translation.override(language)`; the renderers only lay it out.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import truncatechars
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.accounts.models import User
from vigil.core.documents import document_date, text_blocks
from vigil.core.numbers import format_number
from vigil.recommendations.models import Recommendation
from vigil.visits.models import Finding

from ..enums import AssessmentSource
from ..models import LANGUAGES, Assessment, Document, Paragraph
from ..selectors import (
    Evidence,
    assessment_histories,
    current_assessments,
    document_paragraphs,
    evidence_examples_of,
    evidence_of,
)

EXCERPT = 240
"""How many characters of a recommendation's text are quoted."""

_SOURCE_ORDER = {source: index for index, source in enumerate(AssessmentSource.values)}


@dataclass(frozen=True)
class Table:
    """A table as both renderers draw it; with `row_headers`, each row's first cell is its
    label."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_headers: bool = False


@dataclass(frozen=True)
class ParagraphSection:
    number: str
    heading: str
    follow_up: bool
    text: tuple[str, ...]
    text_note: str
    facts: tuple[tuple[str, str], ...]
    assessments: Table | None
    history: Table | None
    counts: Table
    recommendations: Table | None
    findings: Table | None
    evidence_note: str


@dataclass(frozen=True)
class FollowupReport:
    language: str
    symbol: str
    title: str
    heading: str
    organisation: str
    marking: str
    facts: tuple[tuple[str, str], ...]
    introduction: tuple[str, ...]
    summary: Table
    paragraphs: tuple[ParagraphSection, ...]
    labels: dict[str, str]
    generated: str
    filename_stem: str
    notes: tuple[str, ...] = field(default_factory=tuple)


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def _text(paragraph: Paragraph, language: str) -> tuple[tuple[str, ...], str]:
    """The paragraph's text in `language`, else in English, else in the first language kept,
    with a note saying which language is shown."""
    wanted = (getattr(paragraph, f"text_{language}") or "").strip()
    if wanted:
        return text_blocks(wanted), ""
    for code in ("en", *LANGUAGES):
        text = (getattr(paragraph, f"text_{code}") or "").strip()
        if text:
            note = _(
                "The text of this paragraph is not kept in %(language)s; it is given in %(shown)s."
            ) % {"language": _language_name(language), "shown": _language_name(code)}
            return text_blocks(text), note
    return (), ""


def _grade(assessment: Assessment) -> str:
    grade = assessment.grade
    return f"{grade.code} — {grade.name}" if grade.name else grade.code


def _short_grade(assessment: Assessment) -> str:
    """The summary's cell: the grade's code, and for "not applicable" its reason."""
    if assessment.grade.not_applicable and assessment.reason:
        return f"{assessment.grade.code}: {assessment.reason}"
    return assessment.grade.code


def _source_key(assessment: Assessment) -> tuple[int, str, str]:
    return (_SOURCE_ORDER.get(assessment.source, 99), assessment.source_name, assessment.source)


def _ordered(assessments: Sequence[Assessment]) -> list[Assessment]:
    return sorted(assessments, key=_source_key)


def _assessment_table(current: Sequence[Assessment]) -> Table | None:
    """The current assessments side by side: a column per source."""
    if not current:
        return None
    rows = [
        (_("Grade"), *(_grade(a) for a in current)),
        (_("Scale"), *(a.grade.scale.name for a in current)),
        (_("Assessed on"), *(document_date(a.assessed_on) for a in current)),
        (_("Published in"), *(a.reference or "—" for a in current)),
    ]
    if any(a.reason for a in current):
        rows.append((_("Reason"), *(a.reason or "—" for a in current)))
    return Table(
        header=(_("Source"), *(a.source_label for a in current)),
        rows=tuple(rows),
        row_headers=True,
    )


def _history_table(history: Sequence[Assessment]) -> Table | None:
    if not history:
        return None
    return Table(
        header=(_("Assessed on"), _("Source"), _("Grade"), _("Published in"), _("Reason")),
        rows=tuple(
            (
                document_date(a.assessed_on),
                a.source_label,
                _grade(a),
                a.reference or "—",
                a.reason or "—",
            )
            for a in history
        ),
    )


def _counts(evidence: Evidence) -> Table:
    return Table(
        header=(
            _("Visits"),
            _("Findings"),
            _("Recommendations"),
            _("Open recommendations"),
            _("Implemented recommendations"),
        ),
        rows=(
            (
                format_number(evidence.visits),
                format_number(evidence.findings),
                format_number(evidence.recommendations),
                format_number(evidence.open),
                format_number(evidence.implemented),
            ),
        ),
    )


def _visit_date(finding: Finding) -> datetime.date | None:
    visit = finding.visit
    return timezone.localdate(visit.started_at) if visit.started_at else visit.planned_start


def _recommendations(recs: Sequence[Recommendation]) -> Table | None:
    if not recs:
        return None
    return Table(
        header=(_("Reference"), _("Institution"), _("Recommendation"), _("Status")),
        rows=tuple(
            (
                rec.reference,
                rec.institution.name if rec.institution else "—",
                truncatechars(" ".join(rec.text.split()), EXCERPT),
                str(rec.get_state_display()),
            )
            for rec in recs
        ),
    )


def _findings(found: Sequence[Finding]) -> Table | None:
    if not found:
        return None
    return Table(
        header=(_("Finding"), _("Institution"), _("Visit date")),
        rows=tuple(
            (
                f.title,
                f.institution.name if f.institution else "—",
                document_date(_visit_date(f)),
            )
            for f in found
        ),
    )


def _summary(paragraphs: Sequence[Paragraph], current: dict[int, list[Assessment]]) -> Table:
    """A row per paragraph: number, follow-up flag, then the current grade of each source
    present in the document (a column each, in the order state, NPM, civil society, body)."""
    columns = sorted(
        {(_source_key(a), a.source_label) for items in current.values() for a in items}
    )
    keys = [key for key, _label in columns]
    rows = []
    for paragraph in paragraphs:
        by_key = {_source_key(a): a for a in current.get(paragraph.pk, [])}
        rows.append(
            (
                paragraph.number,
                _("Yes") if paragraph.follow_up else "—",
                *(_short_grade(by_key[key]) if key in by_key else "—" for key in keys),
            )
        )
    header = (_("Paragraph"), _("Follow-up"), *(label for _key, label in columns))
    return Table(header=header, rows=tuple(rows))


def followup_report(user: User, document: Document, language: str) -> FollowupReport:
    """The follow-up report of `document` as `user` may read it, in the active language
    (`language` names it; call inside `translation.override(language)`)."""
    paragraphs = list(document_paragraphs(user, document))
    current = {pk: _ordered(items) for pk, items in current_assessments(user, paragraphs).items()}
    history = assessment_histories(user, paragraphs)
    evidence = evidence_of(user, paragraphs)
    examples = evidence_examples_of(user, evidence)
    summary = _summary(paragraphs, current)

    sections = []
    for paragraph in paragraphs:
        text, text_note = _text(paragraph, language)
        item = evidence[paragraph.pk]
        recs, found = examples[paragraph.pk]
        heading = _("Paragraph %(number)s") % {"number": paragraph.number}
        if paragraph.follow_up:
            heading += " · " + _("follow-up paragraph")
        sections.append(
            ParagraphSection(
                number=paragraph.number,
                heading=heading,
                follow_up=paragraph.follow_up,
                text=text,
                text_note=text_note,
                facts=(
                    (_("Themes"), ", ".join(paragraph.theme_labels()) or "—"),
                    (
                        _("Addressed to"),
                        ", ".join(a.name for a in paragraph.addressees.all()) or "—",
                    ),
                ),
                assessments=_assessment_table(current.get(paragraph.pk, [])),
                history=_history_table(history.get(paragraph.pk, [])),
                counts=_counts(item),
                recommendations=_recommendations(recs),
                findings=_findings(found),
                evidence_note=""
                if not item.empty
                else _("No NPM evidence is linked to this paragraph."),
            )
        )

    today = timezone.localdate()
    facts = [
        (_("Symbol"), document.symbol),
        (_("Body"), str(document.get_body_display())),
        (_("Kind of document"), str(document.get_kind_display())),
        (_("Title"), document.title or "—"),
        (_("Adopted on"), document_date(document.adopted_on)),
    ]
    if document.published_on:
        facts.append((_("Published on"), document_date(document.published_on)))
    facts.append((_("As of"), document_date(today)))
    count = len(sections)
    introduction = (
        ngettext(
            "This report follows up %(count)s paragraph of the document: its assessments by "
            "each source, side by side, and the evidence of the National Preventive Mechanism "
            "linked to it.",
            "This report follows up %(count)s paragraphs of the document: their assessments "
            "by each source, side by side, and the evidence of the National Preventive "
            "Mechanism linked to them.",
            count,
        )
        % {"count": format_number(count)},
        _(
            "The evidence counts the findings and recommendations linked to a paragraph by "
            "the NPM, and the recommendations made on those findings or on a linked systemic "
            "issue, as far as the reader of this report may see them. Open and implemented "
            "recommendations are counted as in the official tally."
        ),
    )
    return FollowupReport(
        language=language,
        symbol=document.symbol,
        title=document.title,
        heading=_("Follow-up report: %(symbol)s") % {"symbol": document.symbol},
        organisation=_("National Preventive Mechanism"),
        marking=_("Confidential") if document.restricted else "",
        facts=tuple(facts),
        introduction=introduction,
        summary=summary,
        paragraphs=tuple(sections),
        labels={
            "document": _("The document"),
            "summary": _("Summary"),
            "paragraphs": _("The paragraphs"),
            "text": _("Text"),
            "assessments": _("Assessments"),
            "no_assessment": _("No assessment is recorded."),
            "history": _("Assessment history"),
            "evidence": _("NPM evidence"),
            "recommendations": _("Recommendations"),
            "findings": _("Findings"),
            "no_paragraphs": _("The document has no paragraphs to show."),
        },
        notes=(
            _(
                "n/a: not applicable; the reason given by the source follows. —: no "
                "assessment by that source."
            ),
        ),
        generated=_("Produced by Vigil on %(time)s")
        % {"time": formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")},
        filename_stem=f"followup-{slugify(document.symbol) or 'document'}-{language}-"
        f"{today.isoformat()}",
    )

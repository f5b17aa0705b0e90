"""What the consolidated annual report prints, in one language: its sections (narrative and
generated), each a title, paragraphs and tables. The PDF and the DOCX render this same
content, so both show the same tables and figures; its fingerprint is the SHA-256 of all of
it (figures, narrative, language), so unchanged data give the same fingerprint.

Every figure comes from `statistics()` (`selectors.statistics`) for the year and the
chapter's filters, as on the dashboards and in open data. The audience is the coordinator or
administrator who asked for the build: both count every record (so the figures equal the
published ones), and a user audience also gives the systemic issues, which the published
audience leaves out. A chapter with several filters (pre-trial: two institution types) adds
the figures of each.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vigil.core.figures import Share
from vigil.recommendations.models import Recommendation
from vigil.recommendations.selectors.systemic import RecurringIssue, WidespreadIssue
from vigil.recommendations.selectors.tallies import TallyCounts
from vigil.reference.models import Agency, InstitutionType
from vigil.visits.enums import Theme

from ..chapters import Chapter, load_chapters
from ..charts import Chart, ChartRow
from ..filters import StatisticsFilters
from ..models import AnnualReport, BuildStatus, ReportBuild, ReportSection
from ..permissions import PUBLISHED, Audience, can_manage_annual_reports
from .counted import agency_label, counted_recommendations
from .report_parts import (
    ReportContent,
    Section,
    Table,
    asked,
    figure_rows,
    header3,
    n,
    paragraphs,
    tally_chart,
    tally_rows,
)
from .statistics import statistics

CHAPTER_ROWS = 200
"""At most this many recommendations are listed per chapter (the register has them all)."""
TEXT_CHARS = 220
NARRATIVE_KEYS = ("introduction", "conclusions", "parliament")

type Progress = Callable[[int, str], None]


# ------------------------------------------------------------------ the year's figures


def _overview(audience: Audience, year: int) -> Section:
    result = statistics(
        audience,
        StatisticsFilters(year=year),
        ["visits", "recommendations", "funnel", "accountability"],
    )
    visits, recs, funnel = (
        asked(result.visits),
        asked(result.recommendations),
        asked(result.funnel),
    )
    counts = recs.counts
    accountable = funnel.accountability_total
    key_rows: list[tuple[str, ...]] = [
        (_("Visits made"), n(visits.total.count), ""),
        (_("Institutions visited"), n(visits.institutions.count), ""),
        (_("Recommendations issued"), n(counts.issued), ""),
        (
            _("Implementation rate"),
            n(counts.implemented),
            Share(counts.implemented, counts.issued, 1).text(),
        ),
    ]
    if accountable is not None:
        key_rows.append((_("Officials held accountable"), n(accountable.count), ""))
    tables = [
        Table("key", _("Key figures"), header3(_("Figure")), tuple(key_rows), numeric=(1,)),
        Table(
            "visits_by_type",
            _("Visits by type"),
            header3(_("Type of visit")),
            (*figure_rows(visits.by_type), (_("Total"), n(visits.total.count), "")),
            numeric=(1,),
        ),
        Table(
            "tally",
            _("Recommendations issued in the year: the official tally"),
            header3(_("Status")),
            tally_rows(counts),
            note=_("The implementation rate is the share of implemented recommendations."),
            numeric=(1,),
        ),
    ]
    if funnel.accountability:
        tables.append(
            Table(
                "accountability",
                _("Officials held accountable, by initiative"),
                header3(_("Initiative")),
                figure_rows(funnel.accountability),
                numeric=(1,),
            )
        )
    if funnel.allegations:
        tables.append(
            Table(
                "funnel",
                _("Allegations of torture and ill-treatment: from appeal to court"),
                header3(_("Stage")),
                figure_rows(funnel.allegations),
                numeric=(1,),
            )
        )
    if funnel.cases:
        tables.append(
            Table(
                "cases",
                _("Criminal cases under article 146 of the Criminal Code"),
                header3(_("Stage")),
                figure_rows(funnel.cases),
                numeric=(1,),
            )
        )
    charts = (
        Chart(
            key="visits-by-type",
            title=_("Visits by type"),
            kind="bar",
            rows=[ChartRow(f.label, f.count) for f in visits.by_type],
            x=_("Type of visit"),
            y=_("Visits"),
            horizontal=True,
            height=120,
            width=420,
        ),
        *tally_chart("tally", counts),
    )
    return Section("figures", _("The year in figures"), tables=tuple(tables), charts=charts)


# ------------------------------------------------------------------ a chapter


@dataclass
class _ChapterFigures:
    visits: int = 0
    institutions: int = 0
    counts: TallyCounts = field(default_factory=TallyCounts)
    recommendations: list[QuerySet[Recommendation]] = field(default_factory=list)
    systemic: list[WidespreadIssue | RecurringIssue] = field(default_factory=list)


def _chapter_filters(chapter: Chapter, year: int) -> list[StatisticsFilters]:
    """One set of filters per (agency, institution type) of the chapter; none when the
    reference data lack them all (a chapter never falls back to counting everything)."""
    agencies: list[Agency | None] = list(
        Agency.objects.filter(code__in=chapter.agencies).order_by("code")
    )
    types: list[InstitutionType | None] = list(
        InstitutionType.objects.filter(code__in=chapter.institution_types).order_by("code")
    )
    if (chapter.agencies and not agencies) or (chapter.institution_types and not types):
        return []
    return [
        StatisticsFilters(year=year, agency=agency, institution_type=kind)
        for agency in agencies or [None]
        for kind in types or [None]
    ]


def _chapter_figures(audience: Audience, chapter: Chapter, year: int) -> _ChapterFigures:
    total = _ChapterFigures()
    for f in _chapter_filters(chapter, year):
        sections = ["visits", "recommendations"] + (["themes"] if f.agency else [])
        result = statistics(audience, f, sections)
        visits, recs = asked(result.visits), asked(result.recommendations)
        total.visits += visits.total.count
        total.institutions += visits.institutions.count
        total.counts = total.counts + recs.counts
        total.recommendations.append(counted_recommendations(audience, f))
        if result.themes is not None:
            total.systemic.extend(result.themes.systemic)
    return total


def _recommendation_table(querysets: list[QuerySet[Recommendation]], issued: int) -> Table:
    rows: list[tuple[str, ...]] = []
    if querysets:
        qs = querysets[0]
        for other in querysets[1:]:
            qs = qs | other
        listed = (
            qs.distinct()
            .select_related("addressee")
            .order_by("issued_on", "reference")[:CHAPTER_ROWS]
        )
        rows = [
            (
                rec.reference,
                Truncator(rec.text).chars(TEXT_CHARS),
                agency_label(rec.addressee),
                str(rec.get_state_display()),
            )
            for rec in listed
        ]
    note = ""
    if issued > len(rows):
        note = _(
            "The first %(shown)s of %(total)s recommendations; the full list is in the "
            "register of recommendations."
        ) % {"shown": n(len(rows)), "total": n(issued)}
    return Table(
        "recommendations",
        _("Recommendations issued in the year"),
        (_("Reference"), _("Recommendation"), _("Addressee"), _("Status")),
        tuple(rows),
        note=note,
    )


def _systemic_table(issues: list[WidespreadIssue | RecurringIssue]) -> Table:
    rows: list[tuple[str, ...]] = []
    for issue in issues:
        theme = str(Theme(issue.theme).label) if issue.theme in Theme.values else issue.theme
        if isinstance(issue, WidespreadIssue):
            kind = _("Widespread")
            where = agency_label(issue.branch)
            span = [y for y in (issue.first_year, issue.last_year) if y]
        else:
            kind = _("Recurring")
            where = issue.institution.name if issue.institution is not None else "—"
            span = [issue.years[0], issue.years[-1]] if issue.years else []
        years = "–".join(str(y) for y in sorted(set(span)))
        rows.append(
            (
                kind,
                theme,
                where,
                years or "—",
                n(issue.record.issued),
                Share(issue.record.implemented, issue.record.issued, 1).text(),
            )
        )
    return Table(
        "systemic",
        _("Systemic issues"),
        (_("Kind"), _("Theme"), _("Where"), _("Years"), _("Recommendations"), _("Implemented")),
        tuple(rows),
        numeric=(4,),
    )


def _chapter_section(
    audience: Audience, chapter: Chapter, year: int, narrative: str, language: str
) -> Section:
    figures = _chapter_figures(audience, chapter, year)
    notes: list[str] = []
    if chapter.institution_types and not chapter.agencies:
        notes.append(
            _(
                "Pre-trial detention centres are also counted in the chapter of the agency "
                "that runs them."
            )
        )
    tables = [
        Table(
            "chapter_figures",
            _("Visits"),
            header3(_("Figure")),
            (
                (_("Visits made"), n(figures.visits), ""),
                (_("Institutions visited"), n(figures.institutions), ""),
            ),
            numeric=(1,),
        ),
        Table(
            "chapter_tally",
            _("Recommendations issued in the year: the official tally"),
            header3(_("Status")),
            tally_rows(figures.counts),
            numeric=(1,),
        ),
        _recommendation_table(figures.recommendations, figures.counts.issued),
    ]
    if chapter.agencies:
        tables.append(_systemic_table(figures.systemic))
    else:
        notes.append(_("The systemic issues are listed in the agencies' chapters."))
    summary = _(
        "Implemented: %(share)s; in implementation: %(in_implementation)s; not accepted: "
        "%(not_accepted)s."
    ) % {
        "share": Share(figures.counts.implemented, figures.counts.issued, 1).text(),
        "in_implementation": n(figures.counts.in_implementation),
        "not_accepted": n(figures.counts.not_accepted),
    }
    return Section(
        f"chapter-{chapter.code}",
        chapter.title(language),
        paragraphs=paragraphs(narrative),
        tables=tuple(tables),
        notes=(summary, *notes),
        charts=tally_chart(f"tally-{chapter.code}", figures.counts),
    )


# ------------------------------------------------------------------ the whole report


def narrative_titles() -> dict[str, str]:
    return {
        "introduction": _("Introduction"),
        "conclusions": _("Conclusions"),
        "parliament": _("Recommendations to Parliament"),
    }


def report_content(
    report: AnnualReport,
    language: str,
    audience: Audience,
    progress: Progress | None = None,
) -> ReportContent:
    """The report's content in `language` (rendered in that language)."""

    def step(percent: int, label: str) -> None:
        if progress is not None:
            progress(percent, label)

    with translation.override(language):
        texts = {s.key: s.text(language) for s in ReportSection.objects.filter(report=report)}
        titles = narrative_titles()
        sections: list[Section] = []
        if paragraphs(texts.get("introduction", "")):
            sections.append(
                Section(
                    "introduction",
                    titles["introduction"],
                    paragraphs(texts["introduction"]),
                )
            )
        step(10, pgettext("report build step", "Counting the year's figures"))
        sections.append(_overview(audience, report.year))
        chapters = load_chapters()
        for n, chapter in enumerate(chapters):
            step(
                15 + 45 * n // len(chapters),
                _("Chapter: %(title)s") % {"title": chapter.title(language)},
            )
            sections.append(
                _chapter_section(
                    audience, chapter, report.year, texts.get(chapter.code, ""), language
                )
            )
        for key in ("conclusions", "parliament"):
            if paragraphs(texts.get(key, "")):
                sections.append(Section(key, titles[key], paragraphs(texts[key])))
        return ReportContent(
            year=report.year,
            language=language,
            title=report.title(language),
            sections=tuple(sections),
            generated_at=timezone.now(),
        )


def report_fingerprint(report: AnnualReport, language: str, audience: Audience) -> str:
    """The fingerprint the report's data would have if built now."""
    return report_content(report, language, audience).fingerprint


# ------------------------------------------------------------------ the pages' reads


def builds_of(report: AnnualReport) -> QuerySet[ReportBuild]:
    return (
        ReportBuild.objects.filter(report=report)
        .select_related("requested_by", "pdf", "docx")
        .order_by("-created_at")
    )


def latest_builds(report: AnnualReport) -> dict[str, ReportBuild]:
    """The latest finished build in each language."""
    latest: dict[str, ReportBuild] = {}
    for build in builds_of(report).filter(status=BuildStatus.DONE):
        latest.setdefault(build.language, build)
    return latest


def build_audience(build: ReportBuild) -> Audience:
    """Whom a build's figures are counted for: the coordinator or administrator who asked
    (they count every record), else the published audience (every record)."""
    user = build.requested_by
    if user is not None and can_manage_annual_reports(user):
        return user
    return PUBLISHED


def data_changed(report: AnnualReport) -> dict[str, bool]:
    """For each language with a finished build: whether the data changed since."""
    return {
        language: report_fingerprint(report, language, build_audience(build)) != build.fingerprint
        for language, build in latest_builds(report).items()
    }

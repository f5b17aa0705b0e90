"""The visit report as DOCX (python-docx), with the same content as the PDF.

Every style uses DejaVu Sans (Kazakh, Russian and Latin letters), also for the complex-script
and East-Asian slots, so that Word never falls back to a font without ә, қ, ң, ө, ұ, ү, і.
"""

import io

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.core.documents import document_date as _date
from vigil.core.documents import docx_document, docx_paragraphs, docx_table
from vigil.core.numbers import format_number

from ..selectors.findings import EvidenceSummary
from ..selectors.reports import ReportDocument

FONT = "DejaVu Sans"
_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Table Grid")


def evidence_text(evidence: EvidenceSummary) -> str:
    if not evidence.count:
        return _("no kind of evidence recorded")
    counted = ngettext(
        "%(counter)s of %(total)s kind", "%(counter)s of %(total)s kinds", evidence.count
    ) % {"counter": format_number(evidence.count), "total": format_number(evidence.total)}
    return counted + ": " + ", ".join(str(label).lower() for label in evidence.labels)


def build_docx(doc: ReportDocument) -> bytes:
    """Render the report (call inside `translation.override` of the report's language)."""
    visit = doc.visit
    report = doc.report
    document = docx_document(size=10)
    title = _("Report on the preventive visit %(reference)s") % {"reference": visit.reference}
    document.core_properties.title = title
    document.core_properties.author = _("National Preventive Mechanism")
    document.core_properties.last_modified_by = "Vigil"
    document.core_properties.language = doc.language
    document.core_properties.comments = ""

    document.add_paragraph(_("National Preventive Mechanism"))
    document.add_heading(title, level=0)
    if visit.title:
        document.add_paragraph(visit.title)
    if not doc.is_approved:
        note = document.add_paragraph()
        note.add_run(
            _("Not approved — state: %(state)s") % {"state": report.get_state_display()}
        ).bold = True

    document.add_heading(_("The visit"), level=1)
    mode = (
        visit.get_mode_display()
        + " · "
        + (_("announced in advance") if visit.announced else _("unannounced"))
    )
    dates = _date(doc.start)
    if doc.end and doc.end != doc.start:
        dates += " – " + _date(doc.end)
    facts = [
        (_("Visit reference"), visit.reference),
        (_("Type of visit"), str(visit.get_type_display())),
        (_("Mode"), mode),
        (_("Dates"), dates),
        (_("Region"), visit.region.name),
    ]
    if report.approved_at:
        approved = _date(timezone.localdate(report.approved_at))
        if report.approved_by:
            approved += " · " + report.approved_by.full_name
        facts.append((_("Approved"), approved))
    docx_table(document, None, facts)

    document.add_heading(
        ngettext("Institution visited", "Institutions visited", len(doc.institutions)), level=2
    )
    docx_table(
        document,
        [_("Institution"), _("Type"), _("Address")],
        [
            (i.name, i.type_name, (i.address or "—") + (", " + i.region if i.region else ""))
            for i in doc.institutions
        ],
    )
    document.add_heading(_("The visiting team"), level=2)
    docx_table(
        document,
        [_("Name"), _("Profession"), _("Role")],
        [
            (m.name, str(m.profession), _("Team lead") if m.is_lead else _("Member"))
            for m in doc.team
        ],
    )

    if report.introduction:
        document.add_heading(_("Introduction"), level=1)
        docx_paragraphs(document, report.introduction)

    document.add_heading(_("Findings"), level=1)
    if not doc.themes:
        document.add_paragraph(_("No findings are selected for this report."))
    for section in doc.themes:
        document.add_heading(str(section.label), level=2)
        for line in section.lines:
            finding = line.finding
            document.add_heading(finding.title, level=3)
            rows = [
                (_("Severity"), str(finding.get_severity_display())),
                (_("Institution"), line.institution),
                (_("Evidence"), evidence_text(line.evidence)),
            ]
            if finding.standard_references:
                rows.append((_("Standards"), finding.standard_references))
            if finding.root_cause:
                rows.append((_("Root cause"), str(finding.get_root_cause_display())))
            for label, value in rows:
                paragraph = document.add_paragraph()
                paragraph.add_run(label + ": ").bold = True
                paragraph.add_run(value)
            docx_paragraphs(document, finding.description)

    if report.conclusion:
        document.add_heading(_("Conclusions"), level=1)
        docx_paragraphs(document, report.conclusion)

    document.add_heading(_("Annex 1. Access to the institutions"), level=1)
    if doc.incidents:
        docx_table(
            document,
            [_("Time"), _("Kind"), _("Institution"), _("Duration (minutes)"), _("Details")],
            [
                (
                    formats.date_format(timezone.localtime(i.occurred_at), "SHORT_DATETIME_FORMAT"),
                    str(i.get_kind_display()),
                    i.institution.name if i.institution else "—",
                    str(i.duration_minutes) if i.duration_minutes is not None else "—",
                    i.details,
                )
                for i in doc.incidents
            ],
        )
    else:
        document.add_paragraph(_("The team met no delay, refusal or obstruction."))

    document.add_heading(_("Annex 2. Interviews held"), level=1)
    if doc.interview_counts:
        docx_table(
            document,
            [_("Interviewee"), _("Interviews")],
            [(str(row.label), format_number(row.count)) for row in doc.interview_counts]
            + [(_("Total"), format_number(doc.interview_total))],
        )
    else:
        document.add_paragraph(_("No interviews are counted in this report."))
    document.add_paragraph(
        _(
            "This report gives no interview content and no name or other detail that could "
            "identify an interviewee. Interviews whose consent was withdrawn are neither "
            "counted nor mentioned. The team's internal notes are not part of the report."
        )
    )
    document.add_paragraph(
        _("Visit %(reference)s · produced by Vigil on %(time)s")
        % {
            "reference": visit.reference,
            "time": formats.date_format(
                timezone.localtime(doc.generated_at), "SHORT_DATETIME_FORMAT"
            ),
        }
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

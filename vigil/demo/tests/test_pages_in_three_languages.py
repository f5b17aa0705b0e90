"""Every page, the visit report and the escalation letter (PDF and DOCX), in kk, ru and en, as a
coordinator on the demo data: no US-style date, no untranslated empty choice of a select, no
catalog string left in English on a Kazakh or Russian page, no heading in lower case.

The demo scale is generated once for the module (inside a transaction rolled back at the end):
it holds an object of every kind, each page is requested once per language."""

import functools
import io
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import lxml.html
import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model, QuerySet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from docx import Document

from vigil.accounts.models import User
from vigil.analytics.models import AnnualReport, ReportBuild
from vigil.analytics.opendata.datasets import published_years
from vigil.appeals.models import (
    AccountabilityRecord,
    Appeal,
    CriminalCase,
    FollowUpContact,
    Incident,
    Referral,
)
from vigil.demo.tests.un_sample import un_document_sample
from vigil.international.models import Document as UNDocument
from vigil.international.models import Paragraph
from vigil.people.models import ConflictDeclaration
from vigil.planning.models import CoverageRule
from vigil.recommendations.enums import Source, State
from vigil.recommendations.models import Recommendation
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.models import Institution
from vigil.visits.enums import VisitState, VisitType
from vigil.visits.models import ChecklistResponse, Finding, Interview, Visit, VisitReport

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "en")
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
# A heading that starts in lower case in kk or ru (data such as an e-mail may).
LOWER_CYRILLIC = re.compile("[а-яёәғқңөұүһі]")
ADDRESSEE = {"kk": "Кімге", "ru": "Кому", "en": "To"}
EMPTY_CHOICES = ("- Select an option -", "---------")
# Pages not requested, with why: the API (JSON, tested per app), files and exports (tested
# per app; the two documents are below), POST-only actions, links that need a one-time token.
SKIPPED_NAMESPACES = {"api", "openrosa"}  # openrosa: XML for ODK Collect (visits app)
SKIPPED = {
    "set_language": "POST only",
    "site:healthz": "JSON",
    "accounts:logout": "POST only",
    "accounts:password_reset_confirm": "needs a one-time token",
    "accounts:api_token_revoke": "POST only",
    "accounts:api_tokens_revoke_all": "POST only",
    "accounts:user_api_token_revoke": "POST only",
    "accounts:user_api_tokens_revoke_all": "POST only",
    "registry:import_template": "a file",
    "registry:import_preview": "needs an uploaded file",
    "recommendations:import_template": "a file",
    "recommendations:import_preview": "needs an uploaded file",
    "recommendations:escalation_letter_download": "a file (checked below)",
    "recommendations:response_attachment_download": "a file",
    "visits:report_pdf": "a file (checked below)",
    "visits:report_docx": "a file (checked below)",
    "visits:attachment_download": "a file",
    "visits:attachment_delete": "needs an attachment; POST only",
    "visits:attachment_detail": "needs an attachment (the demo has none; tested in the visits app)",
    "visits:attachment_hold": "needs an attachment (the demo has none; tested in the visits app)",
    "visits:checklist_answer": "an autosave endpoint (POST)",
    "visits:checklist_template_xlsform": "a file (tested in the visits app)",
    "visits:checklist_capture_xlsform": "a file (tested in the visits app)",
    "visits:submission_import:import_template": "a file",
    "visits:submission_import:import_preview": "needs an uploaded file",
    "appeals:attachment_download": "a file",
    "appeals:letter": "a file (tested in the appeals app)",
    "appeals:referral_letter": "a file (tested in the appeals app)",
    "appeals:case_import:import_template": "a file",
    "appeals:case_import:import_preview": "needs an uploaded file",
    "appeals:accountability_import:import_template": "a file",
    "appeals:accountability_import:import_preview": "needs an uploaded file",
    "appeals:appeal_import:import_template": "a file",
    "appeals:appeal_import:import_preview": "needs an uploaded file",
    "international:import_template": "a file",
    "international:import_preview": "needs an uploaded file",
    "international:document_export": "a file (tested in the international app)",
    "opendata:csv": "a file (tested in the analytics app)",
    "opendata:json": "a file (tested in the analytics app)",
    "opendata:datapackage": "a file (tested in the analytics app)",
    "analytics:report_build_download": "a file (tested in the analytics app)",
    "international:followup_report": "a file (tested in the international app, kk/ru/en)",
    "international:paragraph_link_confirm": "POST only",
    "international:paragraph_link_reject": "POST only",
    "international:paragraph_link_add": "POST only",
    "international:paragraph_link_remove": "POST only",
    "people:absence_create": "POST only (its form is on the participant's page)",
    "people:absence_delete": "POST only (its button is on the participant's page)",
}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("generate_demo_data", "--seed", "3", "--scale", "demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@dataclass
class Sample:
    """One object of each kind the pages take."""

    user: User
    institution: Institution
    visit: Visit
    reported_visit: Visit
    finding: Finding
    interview: Interview
    checklist: ChecklistResponse
    conflict: ConflictDeclaration
    recommendation: Recommendation
    escalation: Recommendation
    refused: Recommendation
    awaiting_liaison: Recommendation
    appeal: Appeal
    referral: Referral
    case: CriminalCase
    accountability: AccountabilityRecord
    incident: Incident
    follow_up: FollowUpContact
    annual_build: ReportBuild
    un_document: UNDocument
    un_paragraph: Paragraph

    def query(self, name: str) -> str:
        """What a page needs in its query string."""
        return f"?rec={self.refused.public_id}" if name == "recommendations:escalate" else ""

    def kwargs(self, name: str, params: list[str]) -> dict[str, Any]:
        namespace, _, view = name.partition(":")
        values: dict[str, Any] = {
            "year": self.visit.planned_start.year,
            "visit_id": self.reported_visit.public_id,
            "response_id": self.checklist.public_id,
            "interview_id": self.interview.public_id,
            "conflict_id": self.conflict.public_id,
            "appeal_id": self.appeal.public_id,
            "kind": "acknowledgement",
            "dataset": "visits",
            "build_id": self.annual_build.public_id,
        }
        if namespace == "opendata":
            values["year"] = published_years()[0]
        if "public_id" in params:
            values["public_id"] = self._public_id(namespace, view)
        return {p: values[p] for p in params}

    def _public_id(self, namespace: str, view: str) -> Any:
        if namespace == "visits" and view in ("finding_detail", "finding_edit", "finding_delete"):
            return self.finding.public_id
        if namespace == "visits" and view in ("checklist_fill", "checklist_start"):
            return self.checklist.visit.public_id
        if namespace == "recommendations" and view in ("portal_detail", "response_create"):
            return self.awaiting_liaison.public_id
        if namespace == "recommendations" and view.startswith("escalation"):
            return self.escalation.public_id
        if namespace == "appeals":
            return self._appeals_object(view).public_id
        if namespace == "planning":  # a coverage rule (seeded by migration)
            return _first(CoverageRule.objects.all()).public_id
        if namespace == "international":
            on_paragraph = view.startswith(("paragraph_", "assessment_"))
            if on_paragraph and view != "paragraph_create":
                return self.un_paragraph.public_id
            return self.un_document.public_id
        by_namespace = {
            "accounts": self.user,
            "registry": self.institution,
            "people": self.conflict.participant,
            "visits": self.visit,
            "recommendations": self.recommendation,
        }
        return by_namespace[namespace].public_id

    def _appeals_object(self, view: str) -> Any:
        prefixes = (
            ("referral_create", self.appeal),
            ("referral_from_interview", self.interview),
            ("referral_", self.referral),
            ("case_", self.case),
            ("accountability_", self.accountability),
            ("incident_", self.incident),
            ("follow_up_", self.follow_up),
        )
        return next((obj for prefix, obj in prefixes if view.startswith(prefix)), self.appeal)


def _first[M: Model](queryset: QuerySet[M]) -> M:
    found = queryset.order_by("pk").first()
    assert found is not None, queryset.model
    return found


@pytest.fixture(scope="module")
def sample(demo: None, django_db_blocker: Any) -> Sample:
    with django_db_blocker.unblock():
        # A visit on site, where every section of a visit can be added to.
        interview = _first(Interview.objects.filter(visit__state=VisitState.ON_SITE))
        liaison = User.objects.get(email="liaison@demo.vigil")
        return Sample(
            user=User.objects.get(email="monitor@demo.vigil"),
            institution=_first(interview.visit.institutions.all()),
            visit=interview.visit,
            reported_visit=_first(Visit.objects.filter(state=VisitState.REPORT_APPROVED)),
            finding=_first(Finding.objects.all()),
            interview=interview,
            checklist=_first(ChecklistResponse.objects.all()),
            conflict=_first(ConflictDeclaration.objects.select_related("participant")),
            recommendation=_first(Recommendation.objects.filter(responses__isnull=False)),
            escalation=_first(Recommendation.objects.filter(source=Source.ESCALATION)),
            refused=_first(Recommendation.objects.filter(state=State.NOT_ACCEPTED)),
            awaiting_liaison=_first(
                Recommendation.objects.filter(
                    addressee__in=agency_subtree_ids(liaison.agency),
                    state=State.AWAITING_RESPONSE,
                )
            ),
            appeal=_first(
                Appeal.objects.filter(identity__isnull=False, state__in=("triaged", "in_review"))
            ),
            referral=_first(Referral.objects.filter(appeal__isnull=False)),
            case=_first(CriminalCase.objects.filter(classifications__isnull=False)),
            accountability=_first(AccountabilityRecord.objects.all()),
            incident=_first(Incident.objects.all()),
            follow_up=_first(FollowUpContact.objects.filter(done_on__isnull=True)),
            annual_build=_annual_build(interview.visit.planned_start.year),
            **un_document_sample(liaison),
        )


def _annual_build(year: int) -> ReportBuild:
    """The year's annual report (the demo has none) with a build waiting to start."""
    report, _ = AnnualReport.objects.get_or_create(
        year=year, defaults={"title_kk": "Баяндама", "title_ru": "Доклад", "title_en": "Report"}
    )
    return ReportBuild.objects.create(report=report, language="ru")


def _patterns(resolvers: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from _patterns(entry.url_patterns, inner)
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _pages(sample: Sample) -> list[str]:
    urls = []
    for name, pattern in _patterns(get_resolver().url_patterns):
        if name in SKIPPED or name.partition(":")[0] in SKIPPED_NAMESPACES:
            continue
        params = list(pattern.pattern.regex.groupindex)
        urls.append(reverse(name, kwargs=sample.kwargs(name, params)) + sample.query(name))
    return urls


@pytest.fixture(scope="module")
def untranslated() -> dict[str, list[str]]:
    """For kk and ru: the catalog's msgids of three words or more whose translation differs
    (a text that could only be there untranslated), placeholders and markup left out."""
    found: dict[str, list[str]] = {}
    for language in ("kk", "ru"):
        catalog = polib.pofile(
            str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po")
        )
        found[language] = sorted(
            {
                " ".join(entry.msgid.split())
                for entry in catalog
                if entry.msgstr
                and entry.msgstr != entry.msgid
                and len(entry.msgid.split()) >= 3
                and not any(mark in entry.msgid for mark in ("%", "{", "<"))
            }
        )
    return found


def visible_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    for hidden in tree.xpath("//script|//style|//template"):
        hidden.drop_tree()
    return " ".join(tree.text_content().split())


def lower_case_headings(html: str) -> list[str]:
    tree = lxml.html.fromstring(html)
    texts = (
        " ".join(node.text_content().split())
        for node in tree.xpath("//h1|//h2|//h3|//h4|//h5|//h6|//title|//th|//legend|//dt")
    )
    return [text for text in texts if LOWER_CYRILLIC.match(text)]


def problems(text: str, language: str, untranslated: dict[str, list[str]]) -> list[str]:
    found = [f"US-style date {m}" for m in US_DATE.findall(text)]
    found += [f"empty choice {c!r}" for c in EMPTY_CHOICES if c in text]
    found += [f"untranslated {m!r}" for m in untranslated.get(language, []) if m in text]
    return found


def client_in(language: str, email: str = "coordinator@demo.vigil") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_reads_in_its_language(
    sample: Sample, untranslated: dict[str, list[str]], language: str
) -> None:
    # As the coordinator; a page that is not the coordinator's as the one whose it is: the
    # admin's (accounts), the visiting team's (the working pages of a visit) or the liaison's
    # (the portal).
    lead = sample.visit.team.get(is_lead=True).participant.user.email
    others = [
        client_in(language, email) for email in ("admin@demo.vigil", lead, "liaison@demo.vigil")
    ]
    coordinator = client_in(language)
    pages = _pages(sample)
    assert len(pages) > 50
    report: dict[str, list[str]] = {}
    rendered = 0
    for url in pages:
        response = coordinator.get(url)
        for other in others:
            if response.status_code in (403, 404):
                response = other.get(url)
        assert response.status_code in (200, 302, 405), (url, response.status_code)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if not html.strip():  # an htmx fragment with nothing to show
            continue
        rendered += 1
        found = problems(visible_text(html), language, untranslated)
        if language != "en":
            found += [f"heading in lower case {h!r}" for h in lower_case_headings(html)]
        if found:
            report[url] = found
    assert rendered > 45
    assert report == {}


# ---------------------------------------------------------------- documents


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return " ".join(" ".join(parts).split())


def _pdf_sources(get: Callable[[], Any]) -> tuple[Any, list[str]]:
    """The response of a PDF download and the HTML its PDF was made from (the text the PDF
    shows, readable without pdftotext)."""
    from django.template import loader

    sources: list[str] = []
    real = loader.render_to_string

    def recording(*args: Any, **kwargs: Any) -> str:
        html = real(*args, **kwargs)
        sources.append(html)
        return html

    with (
        mock.patch("vigil.visits.documents.pdf.render_to_string", recording),
        mock.patch("vigil.recommendations.documents.pdf.render_to_string", recording),
    ):
        return get(), sources


@pytest.mark.parametrize("language", LANGUAGES)
def test_documents_read_in_their_language(
    sample: Sample, untranslated: dict[str, list[str]], language: str
) -> None:
    client = client_in(language)
    # A report is written in one language, its document's labels follow it.
    VisitReport.objects.filter(visit=sample.reported_visit).update(language=language)
    report_url = reverse("visits:report_pdf", args=[sample.reported_visit.public_id])
    letter = reverse(
        "recommendations:escalation_letter_download", args=[sample.escalation.public_id, "pdf"]
    )
    texts: dict[str, str] = {}
    for name, url in (("report.pdf", report_url), ("letter.pdf", f"{letter}?language={language}")):
        response, sources = _pdf_sources(functools.partial(client.get, url))
        assert response.status_code == 200, name
        assert response.content.startswith(b"%PDF"), name
        assert len(sources) == 1, name
        texts[name] = visible_text(sources[0])
        if shutil.which("pdftotext"):
            texts[f"{name} (text)"] = pdf_text(response.content)
    docx_urls = (
        ("report.docx", reverse("visits:report_docx", args=[sample.reported_visit.public_id])),
        (
            "letter.docx",
            reverse(
                "recommendations:escalation_letter_download",
                args=[sample.escalation.public_id, "docx"],
            )
            + f"?language={language}",
        ),
    )
    for name, url in docx_urls:
        response = client.get(url)
        assert response.status_code == 200, name
        texts[name] = docx_text(response.content)
    # "To" of a letter is its addressee, not the end of a date range.
    assert ADDRESSEE[language] in texts["letter.docx"]
    found = {name: problems(text, language, untranslated) for name, text in texts.items()}
    assert {name: p for name, p in found.items() if p} == {}
    assert all(len(text) > 200 for text in texts.values()), texts


@pytest.mark.parametrize(
    ("language", "kind", "state"),
    [
        ("kk", "Жоспарлы", "Жоспарланды"),
        ("ru", "Плановое", "Запланировано"),
        ("en", "Planned", "Scheduled"),
    ],
)
def test_a_planned_visit_names_its_type_and_its_state_apart(
    sample: Sample, language: str, kind: str, state: str
) -> None:
    visit = Visit.objects.filter(type=VisitType.PLANNED, state=VisitState.PLANNED).first()
    assert visit is not None
    response = client_in(language).get(reverse("visits:visit_detail", args=[visit.public_id]))
    tree = lxml.html.fromstring(response.content.decode())
    header = " ".join(
        tree.xpath("//header[contains(@class, 'visit-header')]/p")[0].text_content().split()
    )
    assert header.count(kind) == 1, header
    assert state in header

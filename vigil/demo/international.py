"""Synthetic demo UN documents: the CAT's concluding observations with the NGO coalition's,
the state's and the NPM's grades, the SPT's reports of 2016 (published) and 2023 (confidential),
UPR recommendations of the third cycle, and confirmed links to the demo evidence.

Written through the UN follow-up's import (`vigil.international.importing`: the same file
format as an export, audited, with the paragraphs' timelines), from the sample file of
CAT/C/KAZ/CO/4 (`vigil/international/data/cat-kaz-co4-sample.csv`) and the rows below; texts
are synthetic paraphrases. Links are chosen by theme among the demo recommendations and
findings (the first by reference and id, so deterministic) and confirmed by the demo
coordinator through `link_confirm`. Idempotent: a second run imports nothing (the documents
are there) and finds every link confirmed already.
"""

import csv
from typing import Any

from django.db import transaction

from vigil.accounts.models import User
from vigil.core.importing.writing import build_csv
from vigil.international.enums import LinkKind, LinkStatus
from vigil.international.importing.columns import COLUMNS
from vigil.international.importing.kind import SAMPLE, un_import
from vigil.international.models import Assessment, Document, Paragraph, ParagraphLink
from vigil.international.services import link_confirm
from vigil.recommendations.enums import State
from vigil.recommendations.models import Recommendation
from vigil.visits.models import Finding

COORDINATOR = "coordinator@demo.vigil"
CAT = "CAT/C/KAZ/CO/4"
SPT_2016 = "CAT/OP/KAZ/1"
SPT_2023 = "CAT/OP/KAZ/ROSP/2"
UPR = "A/HRC/43/10"
LINKED_PARAGRAPHS = ("10", "11", "24", "28")
RECOMMENDATIONS_PER_PARAGRAPH = 2

# (paragraph, source, grade, date, reason) added to the coalition's grades of the sample.
OTHER_GRADES = (
    ("10", "state", "3", "2025-03-01", ""),
    ("11", "state", "2", "2025-03-01", ""),
    ("24", "state", "3", "2025-03-01", ""),
    ("28", "state", "2", "2025-03-01", ""),
    ("10", "npm", "2", "2025-04-10", ""),
    ("21", "npm", "1", "2025-04-10", ""),
    ("24", "npm", "1", "2025-04-10", ""),
    ("44", "npm", "n/a", "2025-04-10", "Guardhouses were not opened to the NPM's visits."),
)
OTHER_SOURCES = {"state": "State follow-up report (synthetic)", "npm": "NPM annual report"}

_SPT_2016 = {
    "document symbol": SPT_2016,
    "recommending body": "SPT",
    "document kind": "visit_report",
    "document publication date": "2017-02-10",
    "title": "Visit to Kazakhstan: report to the State party (synthetic)",
    "confidential": "yes",
    "published on": "2017-06-01",
}
_SPT_2023 = {
    "document symbol": SPT_2023,
    "recommending body": "SPT",
    "document kind": "visit_report",
    "document publication date": "2023-09-15",
    "title": "Visit of 26 March – 1 April 2023: confidential report (synthetic)",
    "confidential": "yes",
}
_UPR = {
    "document symbol": UPR,
    "recommending body": "UPR",
    "document kind": "upr_recommendations",
    "document publication date": "2020-01-08",
    "title": "Working group report, third cycle (synthetic)",
}
# (document, paragraph, text, themes, addressees, follow-up)
PARAGRAPHS = (
    (
        _SPT_2016,
        "45",
        "Ensure medical screening of every new arrival within 24 hours.",
        "T2 T5",
        "MVD-KUIS",
        "no",
    ),
    (
        _SPT_2016,
        "62",
        "Allow detainees daily outdoor exercise of at least one hour.",
        "T4",
        "MVD-KUIS",
        "no",
    ),
    (
        _SPT_2016,
        "78",
        "Stop placing persons with disabilities in isolation rooms.",
        "T1 T7",
        "MTSZN",
        "no",
    ),
    (
        _SPT_2023,
        "12",
        "Remove the blind spots of video surveillance in police custody.",
        "T2",
        "MVD-POLICE",
        "yes",
    ),
    (
        _SPT_2023,
        "19",
        "Guarantee the NPM's access to the security service's detention centre.",
        "T8",
        "KNB GOV",
        "yes",
    ),
    (
        _SPT_2023,
        "33",
        "Protect persons who spoke to the Subcommittee against reprisals.",
        "T1",
        "MVD-KUIS MVD-POLICE",
        "no",
    ),
    (
        _UPR,
        "139.45",
        "Bring the definition of torture fully in line with the Convention.",
        "T8",
        "GOV",
        "no",
    ),
    (
        _UPR,
        "139.46",
        "Strengthen the independence and resources of the national preventive mechanism.",
        "T8",
        "GOV",
        "no",
    ),
    (
        _UPR,
        "139.47",
        "Improve conditions of detention, in particular health care.",
        "T3 T5",
        "MVD-KUIS MZ",
        "no",
    ),
)


def _file() -> bytes:
    """The demo documents as one file in the import's format."""
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        sample = list(csv.DictReader(handle))
    rows: list[dict[str, Any]] = list(sample)
    by_number = {row["paragraph"]: row for row in sample}
    for number, source, grade, date, reason in OTHER_GRADES:
        rows.append(
            {
                "document symbol": CAT,
                "paragraph": number,
                "source": source,
                "assessed by": "",
                "scale": "implementation-1-3",
                "grade": grade,
                "reason": reason,
                "assessed on": date,
                "reference": OTHER_SOURCES[source],
            }
        )
        assert number in by_number  # noqa: S101 (graded paragraphs come from the sample)
    for document, number, text, themes, addressees, follow_up in PARAGRAPHS:
        rows.append(
            {
                **document,
                "paragraph": number,
                "text": text,
                "follow-up": follow_up,
                "theme codes": themes,
                "addressees": addressees,
            }
        )
    return build_csv(([row.get(c, "") for c in COLUMNS] for row in rows), list(COLUMNS))


def _link_evidence(coordinator: User) -> int:
    """Confirm links from CAT paragraphs to demo recommendations and findings of their theme."""
    linked = 0
    paragraphs = Paragraph.objects.filter(
        document__symbol=CAT, number__in=LINKED_PARAGRAPHS
    ).order_by("position")
    for paragraph in paragraphs:
        theme = paragraph.theme_list[0]
        recommendations = Recommendation.objects.filter(theme=theme).exclude(state=State.DRAFT)
        targets: list[Any] = list(
            recommendations.order_by("reference")[:RECOMMENDATIONS_PER_PARAGRAPH]
        )
        targets.extend(Finding.objects.filter(theme=theme).order_by("id")[:1])
        for target in targets:
            kind = LinkKind.FINDING if isinstance(target, Finding) else LinkKind.RECOMMENDATION
            exists = ParagraphLink.objects.filter(
                paragraph=paragraph, kind=kind, status=LinkStatus.CONFIRMED, **{kind: target}
            ).exists()
            if not exists:
                link_confirm(actor=coordinator, paragraph=paragraph, target=target)
                linked += 1
    return linked


@transaction.atomic
def generate_un_documents() -> dict[str, int]:
    """Import the demo UN documents unless they are there; confirm the demo links."""
    symbols = {CAT, SPT_2016, SPT_2023, UPR}
    counts = {"documents": 0, "paragraphs": 0, "assessments": 0, "links": 0}
    if Document.objects.filter(symbol__in=symbols).count() < len(symbols):
        un_import(actor=None, content=_file(), file_name="demo-un-documents.csv")
        counts["documents"] = len(symbols)
        counts["paragraphs"] = Paragraph.objects.filter(document__symbol__in=symbols).count()
        counts["assessments"] = Assessment.objects.filter(
            paragraph__document__symbol__in=symbols
        ).count()
    coordinator = User.objects.filter(email=COORDINATOR, is_active=True).first()
    if coordinator is not None:
        counts["links"] = _link_evidence(coordinator)
    return counts

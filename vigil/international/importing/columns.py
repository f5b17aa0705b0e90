"""The columns of a file of UN paragraphs: an export of OHCHR's Universal Human Rights Index
(uhri.ohchr.org, "Export to Excel") plus Vigil's own columns and optional assessments.

The export of a document (`..exporting`) writes exactly these columns in this order, so a
file exported from Vigil imports again unchanged. Header names are matched without regard to
case, spaces, hyphens or underscores, and under the names UHRI uses (`ALIASES`); UHRI's other
columns (its own themes, affected persons, SDGs, countries...) are accepted and ignored.
"""

import re

from django.utils.translation import gettext_lazy as _

from ..enums import Body, DocumentKind

SYMBOL = "document symbol"
BODY = "recommending body"
KIND = "document kind"
ADOPTED = "document publication date"
TITLE = "title"
TITLE_RU = "title_ru"
TITLE_KK = "title_kk"
CONFIDENTIAL = "confidential"
PUBLISHED = "published on"
LINK = "link"
NUMBER = "paragraph"
TEXT = "text"
TEXT_RU = "text_ru"
TEXT_KK = "text_kk"
FOLLOW_UP = "follow-up"
THEMES = "theme codes"
ADDRESSEES = "addressees"
SOURCE = "source"
ASSESSED_BY = "assessed by"
SCALE = "scale"
GRADE = "grade"
REASON = "reason"
ASSESSED_ON = "assessed on"
REFERENCE = "reference"

DOCUMENT_COLUMNS: tuple[str, ...] = (
    SYMBOL,
    BODY,
    KIND,
    ADOPTED,
    TITLE,
    TITLE_RU,
    TITLE_KK,
    CONFIDENTIAL,
    PUBLISHED,
    LINK,
)
PARAGRAPH_COLUMNS: tuple[str, ...] = (
    NUMBER,
    TEXT,
    TEXT_RU,
    TEXT_KK,
    FOLLOW_UP,
    THEMES,
    ADDRESSEES,
)
ASSESSMENT_COLUMNS: tuple[str, ...] = (
    SOURCE,
    ASSESSED_BY,
    SCALE,
    GRADE,
    REASON,
    ASSESSED_ON,
    REFERENCE,
)
COLUMNS: tuple[str, ...] = (*DOCUMENT_COLUMNS, *PARAGRAPH_COLUMNS, *ASSESSMENT_COLUMNS)
"""Every column, in the order of the template and of an export."""

REQUIRED_COLUMNS: tuple[str, ...] = (SYMBOL,)
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in REQUIRED_COLUMNS)

# Document fields written from the document columns, and paragraph fields from theirs.
DOCUMENT_FIELDS = {
    BODY: "body",
    KIND: "kind",
    ADOPTED: "adopted_on",
    TITLE: "title_en",
    TITLE_RU: "title_ru",
    TITLE_KK: "title_kk",
    CONFIDENTIAL: "confidential",
    PUBLISHED: "published_on",
    LINK: "url",
}
PARAGRAPH_FIELDS = {
    TEXT: "text_en",
    TEXT_RU: "text_ru",
    TEXT_KK: "text_kk",
    FOLLOW_UP: "follow_up",
    THEMES: "themes",
}

DEFAULT_SCALE = "implementation-1-3"


def header_key(name: str) -> str:
    """A header name as it is compared: lower case, without spaces, hyphens or underscores."""
    return re.sub(r"[\s_\-]+", "", name.casefold())


# Other names of the columns: UHRI's export (with its spelling "Reccomending Body") and
# the field names of the data model.
ALIASES: dict[str, str] = {
    header_key(alias): column
    for alias, column in (
        ("symbol", SYMBOL),
        ("reccomending body", BODY),
        ("body", BODY),
        ("kind", KIND),
        ("adopted on", ADOPTED),
        ("publication date", ADOPTED),
        ("date", ADOPTED),
        ("title_en", TITLE),
        ("url", LINK),
        ("paragraph number", NUMBER),
        ("number", NUMBER),
        ("text_en", TEXT),
        ("recommendation", TEXT),
        ("observation", TEXT),
        ("follow up paragraph", FOLLOW_UP),
        ("themes t1-t8", THEMES),
        ("addressed to", ADDRESSEES),
        ("agencies", ADDRESSEES),
        ("source_name", ASSESSED_BY),
    )
}
ALIASES.update({header_key(column): column for column in COLUMNS})

# UHRI's columns that Vigil does not keep: accepted without a warning.
IGNORED: frozenset[str] = frozenset(
    header_key(name)
    for name in (
        "themes",
        "affected persons",
        "sdgs",
        "countries concerned",
        "regions concerned",
        "recommending regions",
        "type",
        "annotation type",
        "ohchr annotation id",
        "annotation id",
        "upr session",
        "upr position",
        "upr reccomending states",
        "upr recommending states",
        "date of publication on uhri",
    )
)

# UHRI's "Reccomending Body" values beyond Vigil's own bodies.
OTHER_TREATY_BODIES = frozenset({"CERD", "CESCR", "CMW", "CED", "CCPR-OP", "CAT-OP"})
SPECIAL_PROCEDURE_PREFIXES = ("SR ", "IE ", "WG ", "SR-", "IE-", "WG-")

DEFAULT_KIND = {
    Body.SPT: DocumentKind.VISIT_REPORT,
    Body.UPR: DocumentKind.UPR_RECOMMENDATIONS,
    Body.SPECIAL_PROCEDURE: DocumentKind.COMMUNICATION,
}
"""A new document's kind when the file does not say (else: concluding observations)."""

COLUMN_NOTES = {
    SYMBOL: _(
        "The UN document symbol, e.g. CAT/C/KAZ/CO/4 (UHRI: “Document Symbol”). Documents are "
        "matched on it."
    ),
    BODY: _(
        "CAT, SPT, UPR, CCPR, CRC, CRPD, CEDAW, treaty_body or special_procedure (UHRI’s "
        "“Reccomending Body”, e.g. “- CAT”, is understood). Required for a new document."
    ),
    KIND: _(
        "concluding_observations, follow_up, visit_report, upr_recommendations, communication "
        "or other (empty: from the body)."
    ),
    ADOPTED: _(
        "Date the document was adopted: YYYY-MM-DD or DD.MM.YYYY (UHRI: “Document Publication "
        "Date”). Required for a new document."
    ),
    TITLE: _("Title of the document in English (may be empty)."),
    TITLE_RU: _("The document’s title in Russian (may be empty)."),
    TITLE_KK: _("The document’s title in Kazakh (may be empty)."),
    CONFIDENTIAL: _(
        "yes for a report the state has not published (e.g. after an SPT visit): coordinators "
        "only. Empty: no."
    ),
    PUBLISHED: _("For a confidential report: the day the state published it (may be empty)."),
    LINK: _("Address of the document on the web (may be empty)."),
    NUMBER: _(
        "The paragraph’s number in the document: 10, 24 (a), 139.12. Empty: taken from the start "
        "of the text, as UHRI writes it (“10. The State party should…”). Paragraphs are matched "
        "on the document and this number."
    ),
    TEXT: _("The paragraph’s text in English (UHRI: “Text”)."),
    TEXT_RU: _("The text in Russian (may be empty)."),
    TEXT_KK: _("The text in Kazakh (may be empty)."),
    FOLLOW_UP: _("yes if the body asked for follow-up information on it within a year."),
    THEMES: _("Theme codes of the taxonomy, T1 to T8, separated by spaces (may be empty)."),
    ADDRESSEES: _(
        "Codes of the agencies that must act on it, separated by spaces, e.g. MVD-KUIS MZ; "
        "their liaisons see the paragraph."
    ),
    SOURCE: _(
        "Whose assessment: state, npm, civil_society or committee. Leave the assessment columns "
        "empty for a paragraph without one."
    ),
    ASSESSED_BY: _("E.g. the NGO Coalition against Torture (may be empty)."),
    SCALE: _("The grading scale: implementation-1-3 (the default) or follow-up-a-e."),
    GRADE: _("A grade of the scale: 1, 2, 3 or n/a; A to E or n/a."),
    REASON: _("Why: required for n/a."),
    ASSESSED_ON: _("Date of the assessment: YYYY-MM-DD or DD.MM.YYYY."),
    REFERENCE: _("The report or letter the grade comes from (may be empty)."),
}

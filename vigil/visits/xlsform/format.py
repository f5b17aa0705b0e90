"""How a checklist template is written as an XLSForm, and read back.

survey: one group per theme (`begin_group` named T1 … T8, labelled with the theme), then its
questions in order; `type` says the kind (below), `name` the question code, `label::<Language>
(<code>)` the text in kk, ru and en. Vigil's own columns, ignored by pyxform and ODK tools, keep
what XLSForm has no place for: `vigil_order` (the position within the theme), `vigil_references`
(the standards cited) and `vigil_code` (only when a code is not a valid XForm name).
choices: `list_name`, `name` (the option code) and the labels; a choice question's list is
named after the question, yes / no / partly questions share `vigil_yes_no_partial`.
settings: `form_title`, `form_id` (the template code), `version`, `default_language`, and
Vigil's `vigil_category` and `vigil_name_kk` / `_ru` / `_en`.
"""

import re

from django.utils.translation import gettext_lazy as _

from ..enums import QuestionKind

LANGUAGES = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": "Kazakh", "ru": "Russian", "en": "English"}
DEFAULT_LANGUAGE = "ru"

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"

YES_NO_PARTIAL_LIST = "vigil_yes_no_partial"
YES_NO_PARTIAL = (("yes", _("Yes")), ("no", _("No")), ("partial", _("Partly")))
NUMBER_CONSTRAINT = ". >= 0"

ORDER, REFERENCES, CODE, CATEGORY = (
    "vigil_order",
    "vigil_references",
    "vigil_code",
    "vigil_category",
)

BEGIN_GROUP, END_GROUP = "begin_group", "end_group"
SELECT_ONE, SELECT_MULTIPLE = "select_one", "select_multiple"
# XLSForm types read as each kind (the first is the one written).
NUMBER_TYPES = ("decimal", "integer")
TEXT_TYPES = ("text",)
# Types that collect device metadata, not an answer: accepted in an imported form and skipped.
METADATA_TYPES = frozenset(
    {"start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "audit"}
)
SUPPORTED_TYPES = (
    f"{SELECT_ONE} {YES_NO_PARTIAL_LIST}",
    f"{SELECT_ONE} <list>",
    f"{SELECT_MULTIPLE} <list>",
    *NUMBER_TYPES,
    *TEXT_TYPES,
    BEGIN_GROUP,
    END_GROUP,
)

# An XForm node name: a letter or "_" first, then letters, digits, ".", "-", "_".
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


def label_column(lang: str, prefix: str = "label") -> str:
    """E.g. `label::Kazakh (kk)`, the language written as ODK tools expect it."""
    return f"{prefix}::{LANGUAGE_NAMES[lang]} ({lang})"


def name_column(lang: str) -> str:
    return f"vigil_name_{lang}"


def language_of(header: str, prefix: str = "label") -> str | None:
    """The language code of a `label::…` column (`label::Kazakh (kk)`, `label::kk`), or None."""
    if not header.lower().startswith(prefix + "::"):
        return None
    rest = header[len(prefix) + 2 :].strip().lower()
    match = re.search(r"\(([a-z]{2,3})\)$", rest)
    code = match.group(1) if match else rest
    if code in LANGUAGES:
        return code
    for lang, name in LANGUAGE_NAMES.items():
        if rest == name.lower():
            return lang
    return None


def is_xml_name(name: str) -> bool:
    return bool(_XML_NAME.match(name))


def xml_name(code: str) -> str:
    """The survey name of a question code (a code that is not a valid node name is prefixed;
    `vigil_code` then keeps the code)."""
    return code if is_xml_name(code) else f"q_{code}"


def question_type(kind: str, list_name: str) -> str:
    if kind == QuestionKind.YES_NO_PARTIAL:
        return f"{SELECT_ONE} {YES_NO_PARTIAL_LIST}"
    if kind == QuestionKind.SINGLE_CHOICE:
        return f"{SELECT_ONE} {list_name}"
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return f"{SELECT_MULTIPLE} {list_name}"
    if kind == QuestionKind.NUMBER:
        return NUMBER_TYPES[0]
    return TEXT_TYPES[0]


def normal_type(value: str) -> str:
    """A type as written in a form, normalised: `begin group` → `begin_group`, spaces folded."""
    words = value.strip().split()
    if len(words) >= 2 and words[0].lower() in ("begin", "end") and words[1].lower() == "group":
        words = [f"{words[0].lower()}_group", *words[2:]]
    if words:
        words[0] = words[0].lower()
    return " ".join(words)

"""An uploaded XLSForm read into a checklist template document (the data files' format), with
where each part stands so that the template rules' errors can name the sheet, row and column.

Only the structure is checked here (sheets, columns, groups, types, lists); the rules of a
template (codes, texts, options, versions) are `services.checklist_templates`, the same for
the data files and for imports.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from vigil.core.importing import ImportFileError, ImportIssue, ImportTable
from vigil.core.importing.reading import read_import_workbook

from ..enums import QuestionKind, Theme
from .format import (
    BEGIN_GROUP,
    CATEGORY,
    CHOICES,
    CODE,
    END_GROUP,
    LANGUAGES,
    METADATA_TYPES,
    NUMBER_TYPES,
    ORDER,
    REFERENCES,
    SELECT_MULTIPLE,
    SELECT_ONE,
    SETTINGS,
    SUPPORTED_TYPES,
    SURVEY,
    TEXT_TYPES,
    YES_NO_PARTIAL,
    YES_NO_PARTIAL_LIST,
    label_column,
    language_of,
    name_column,
    normal_type,
)

MAX_ROWS = 5_000  # questions and choices of one form: far more than any checklist


class XLSFormError(Exception):
    """The XLSForm cannot be imported; `issues` name the sheet, row and column of each
    problem. Nothing was written."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues


@dataclass
class Places:
    """Where the parts of the document stand in the workbook."""

    settings_row: int | None = None
    settings_columns: dict[str, str] = field(default_factory=dict)  # document key → column
    questions: dict[str, int] = field(default_factory=dict)  # question code → survey row
    options: dict[str, list[int]] = field(default_factory=dict)  # code → choices rows
    survey_labels: dict[str, str] = field(default_factory=dict)  # language → column
    choice_labels: dict[str, str] = field(default_factory=dict)

    def issue(self, *, question: str, key: str, message: str) -> ImportIssue:
        """The place of a template rule's error on `question` (or the form) and `key`."""
        if not question:
            column = self.settings_columns.get(key, "")
            if key == "questions":
                return ImportIssue(None, "", message, sheet=SURVEY)
            return ImportIssue(self.settings_row, column, message, sheet=SETTINGS)
        row = self.questions.get(question)
        option = re.match(r"^options\[(\d+)\](?:\.(\w+))?$", key)
        if option:
            rows = self.options.get(question, [])
            index = int(option.group(1))
            part = option.group(2) or "code"
            column = "name" if part == "code" else self.choice_labels.get(part, part)
            return ImportIssue(
                rows[index] if index < len(rows) else None, column, message, sheet=CHOICES
            )
        columns = {
            "code": "name",
            "theme": "type",
            "kind": "type",
            "options": "type",
            "order": ORDER,
            "references": REFERENCES,
            **{f"text_{lang}": column for lang, column in self.survey_labels.items()},
        }
        return ImportIssue(row, columns.get(key, key), message, sheet=SURVEY)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _whole(value: Any) -> Any:
    """A cell meant as a whole number: an int when it reads as one, else as written (the
    template rules then say what is expected)."""
    text = _text(value)
    return int(text) if re.fullmatch(r"\d{1,9}", text) else text


class _Sheet:
    """A read sheet's columns by name; header problems go to `issues`."""

    def __init__(
        self,
        name: str,
        table: ImportTable,
        issues: list[ImportIssue],
        *,
        required: tuple[str, ...],
        labels: bool = False,
    ) -> None:
        self.name = name
        self.rows = table.rows
        self.columns: dict[str, int] = {}
        self.labels: dict[str, str] = {}  # language → column name
        for index, column in enumerate(table.header):
            if not column:
                continue
            if column in self.columns:
                issues.append(
                    ImportIssue(
                        1, column, _("The column appears more than once in the header."), name
                    )
                )
                continue
            self.columns[column] = index
            lang = language_of(column) if labels else None
            if lang and lang not in self.labels:
                self.labels[lang] = column
        missing = [c for c in required if c not in self.columns]
        if labels:
            missing += [label_column(lang) for lang in LANGUAGES if lang not in self.labels]
        for column in missing:
            issues.append(ImportIssue(1, column, _("A required column is missing."), name))

    def cell(self, values: list[Any], column: str) -> str:
        index = self.columns.get(column)
        return _text(values[index]) if index is not None and index < len(values) else ""

    def raw(self, values: list[Any], column: str) -> Any:
        index = self.columns.get(column)
        return values[index] if index is not None and index < len(values) else None

    def label(self, values: list[Any], lang: str) -> str:
        column = self.labels.get(lang)
        return self.cell(values, column) if column else ""


def _tables(content: bytes, file_name: str) -> dict[str, ImportTable]:
    try:
        return read_import_workbook(content, file_name, max_rows=MAX_ROWS)
    except ImportFileError as exc:
        raise XLSFormError([ImportIssue(None, "", exc.message)]) from None


def _choices(sheet: _Sheet, issues: list[ImportIssue]) -> dict[str, list[tuple[int, list[Any]]]]:
    lists: dict[str, list[tuple[int, list[Any]]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, values in sheet.rows:
        list_name, name = sheet.cell(values, "list_name"), sheet.cell(values, "name")
        if not list_name and not name:
            continue
        if not list_name:
            issues.append(ImportIssue(number, "list_name", _("A list name is required."), CHOICES))
            continue
        if (list_name, name) in seen:
            issues.append(
                ImportIssue(
                    number,
                    "name",
                    _("The choice %(name)s is already in list %(list)s (row %(row)s).")
                    % {"name": name, "list": list_name, "row": seen[(list_name, name)]},
                    CHOICES,
                )
            )
            continue
        seen[(list_name, name)] = number
        lists.setdefault(list_name, []).append((number, values))
    yes_no = lists.get(YES_NO_PARTIAL_LIST)
    expected = [code for code, _label in YES_NO_PARTIAL]
    if yes_no and sorted(sheet.cell(v, "name") for _n, v in yes_no) != sorted(expected):
        issues.append(
            ImportIssue(
                yes_no[0][0],
                "name",
                _("The list %(list)s holds exactly the choices %(choices)s.")
                % {"list": YES_NO_PARTIAL_LIST, "choices": ", ".join(expected)},
                CHOICES,
            )
        )
    return lists


def _kind(kind_type: str) -> tuple[str, str] | None:
    """The kind and the choices list of a question's type, None when it is not a question."""
    words = kind_type.split()
    if len(words) == 2 and words[0] == SELECT_ONE:
        if words[1] == YES_NO_PARTIAL_LIST:
            return QuestionKind.YES_NO_PARTIAL, ""
        return QuestionKind.SINGLE_CHOICE, words[1]
    if len(words) == 2 and words[0] == SELECT_MULTIPLE:
        return QuestionKind.MULTIPLE_CHOICE, words[1]
    if kind_type in NUMBER_TYPES:
        return QuestionKind.NUMBER, ""
    if kind_type in TEXT_TYPES:
        return QuestionKind.TEXT, ""
    return None


def _survey(
    sheet: _Sheet,
    choices: _Sheet | None,
    lists: dict[str, list[tuple[int, list[Any]]]],
    issues: list[ImportIssue],
    places: Places,
) -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = []
    theme = ""
    in_theme: dict[str, int] = {}
    names: dict[str, int] = {}

    def problem(number: int, column: str, message: str) -> None:
        issues.append(ImportIssue(number, column, message, SURVEY))

    for number, values in sheet.rows:
        kind_type = normal_type(sheet.cell(values, "type"))
        name = sheet.cell(values, "name")
        if not kind_type:
            if name:
                problem(number, "type", _("A type is required."))
            continue
        if kind_type == BEGIN_GROUP:
            if theme:
                problem(number, "type", _("Groups inside groups are not supported."))
            elif name not in Theme.values:
                problem(
                    number,
                    "name",
                    _("A group stands for a theme: its name is one of %(themes)s.")
                    % {"themes": ", ".join(Theme.values)},
                )
            theme = name if name in Theme.values else "?"
            continue
        if kind_type == END_GROUP:
            if not theme:
                problem(number, "type", _("An end_group without its begin_group."))
            theme = ""
            continue
        if kind_type in METADATA_TYPES:
            continue
        found = _kind(kind_type)
        if found is None:
            problem(
                number,
                "type",
                _("Unknown or unsupported type “%(type)s”; use one of: %(types)s.")
                % {"type": kind_type, "types": ", ".join(SUPPORTED_TYPES)},
            )
            continue
        kind, list_name = found
        if not theme:
            problem(
                number,
                "type",
                _("A question stands inside a theme group (begin_group T1 … T8)."),
            )
            continue
        if not name:
            problem(number, "name", _("A name is required."))
            continue
        if name in names:
            problem(
                number,
                "name",
                _("The name %(name)s is already used in row %(row)s.")
                % {"name": name, "row": names[name]},
            )
            continue
        names[name] = number
        if list_name and list_name not in lists:
            problem(
                number,
                "type",
                _("The list %(list)s is not on the choices sheet.") % {"list": list_name},
            )
            continue
        code = sheet.cell(values, CODE) or name
        in_theme[theme] = in_theme.get(theme, 0) + 1
        order = sheet.raw(values, ORDER)
        question: dict[str, Any] = {
            "code": code,
            "theme": theme,
            "order": in_theme[theme] * 10 if order in (None, "") else _whole(order),
            "kind": kind,
            "references": sheet.cell(values, REFERENCES),
            **{f"text_{lang}": sheet.label(values, lang) for lang in LANGUAGES},
        }
        if list_name and choices is not None:
            rows = lists[list_name]
            question["options"] = [
                {
                    "code": choices.cell(v, "name"),
                    **{lang: choices.label(v, lang) for lang in LANGUAGES},
                }
                for _n, v in rows
            ]
            places.options[code] = [n for n, _v in rows]
        places.questions[code] = number
        questions.append(question)
    if theme:
        issues.append(ImportIssue(None, "type", _("A group is not closed (end_group)."), SURVEY))
    return questions


def _settings(sheet: _Sheet, issues: list[ImportIssue], places: Places) -> dict[str, Any]:
    if not sheet.rows:
        issues.append(ImportIssue(None, "", _("The sheet has no row under its header."), SETTINGS))
        return {}
    number, values = sheet.rows[0]
    places.settings_row = number
    title = sheet.cell(values, "form_title")
    document: dict[str, Any] = {
        "code": sheet.cell(values, "form_id"),
        "category": sheet.cell(values, CATEGORY),
    }
    version = sheet.raw(values, "version")
    if version not in (None, ""):
        document["version"] = _whole(version)
    places.settings_columns = {"code": "form_id", "category": CATEGORY, "version": "version"}
    for lang in LANGUAGES:
        column = name_column(lang)
        name = sheet.cell(values, column)
        document[f"name_{lang}"] = name or title
        places.settings_columns[f"name_{lang}"] = column if name or not title else "form_title"
    return document


def xlsform_document(content: bytes, file_name: str) -> tuple[dict[str, Any], Places]:
    """The template document of an XLSForm and where its parts stand; raises XLSFormError
    naming the sheet, row and column of every structural problem."""
    tables = _tables(content, file_name)
    issues: list[ImportIssue] = []
    for name in (SURVEY, SETTINGS):
        if name not in tables:
            issues.append(
                ImportIssue(
                    None, "", _("The workbook has no sheet named “%(sheet)s”.") % {"sheet": name}
                )
            )
    if issues:
        raise XLSFormError(issues)
    places = Places()
    survey = _Sheet(SURVEY, tables[SURVEY], issues, required=("type", "name"), labels=True)
    choices = None
    if CHOICES in tables:
        choices = _Sheet(
            CHOICES, tables[CHOICES], issues, required=("list_name", "name"), labels=True
        )
    settings = _Sheet(SETTINGS, tables[SETTINGS], issues, required=("form_id", CATEGORY))
    if issues:
        raise XLSFormError(issues)
    places.survey_labels = dict(survey.labels)
    places.choice_labels = dict(choices.labels) if choices else {}
    lists = _choices(choices, issues) if choices else {}
    document = _settings(settings, issues, places)
    document["questions"] = _survey(survey, choices, lists, issues, places)
    if issues:
        raise XLSFormError(issues)
    return document, places

"""A checklist template written as an XLSForm workbook, and as an XForm through pyxform."""

import io
import os
import tempfile
from typing import Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..enums import QuestionKind, Theme
from ..models import ChecklistQuestion, ChecklistTemplate
from .format import (
    BEGIN_GROUP,
    CATEGORY,
    CHOICES,
    CODE,
    DEFAULT_LANGUAGE,
    END_GROUP,
    LANGUAGE_NAMES,
    LANGUAGES,
    NUMBER_CONSTRAINT,
    ORDER,
    REFERENCES,
    SETTINGS,
    SURVEY,
    YES_NO_PARTIAL,
    YES_NO_PARTIAL_LIST,
    label_column,
    name_column,
    question_type,
    xml_name,
)

LABELS = [label_column(lang) for lang in LANGUAGES]
SURVEY_HEADER = [
    "type",
    "name",
    *LABELS,
    "constraint",
    ORDER,
    REFERENCES,
    CODE,
    "required",
    "calculation",
]
CHOICES_HEADER = ["list_name", "name", *LABELS]
SETTINGS_HEADER = [
    "form_title",
    "form_id",
    "version",
    "default_language",
    CATEGORY,
    *(name_column(lang) for lang in LANGUAGES),
]


def in_languages(text: Any) -> list[str]:
    """A translatable text in kk, ru and en."""
    out = []
    for lang in LANGUAGES:
        with translation.override(lang):
            out.append(str(text))
    return out


def _questions(template: ChecklistTemplate) -> list[ChecklistQuestion]:
    return list(template.questions.filter(is_active=True).order_by("theme", "order", "id"))


def _survey_rows(questions: list[ChecklistQuestion]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    theme = None
    for question in questions:
        if question.theme != theme:
            if theme is not None:
                rows.append([END_GROUP])
            theme = question.theme
            label = Theme(theme).label
            rows.append([BEGIN_GROUP, theme, *in_languages(label)])
        name = xml_name(question.code)
        rows.append(
            [
                question_type(question.kind, name),
                name,
                question.text_kk,
                question.text_ru,
                question.text_en,
                NUMBER_CONSTRAINT if question.kind == QuestionKind.NUMBER else None,
                question.order,
                question.references or None,
                question.code if name != question.code else None,
            ]
        )
    if theme is not None:
        rows.append([END_GROUP])
    return rows


def _choice_rows(questions: list[ChecklistQuestion]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if any(q.kind == QuestionKind.YES_NO_PARTIAL for q in questions):
        for code, label in YES_NO_PARTIAL:
            rows.append([YES_NO_PARTIAL_LIST, code, *in_languages(label)])
    for question in questions:
        if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            for option in question.options:
                rows.append(
                    [xml_name(question.code), option["code"], *(option[lang] for lang in LANGUAGES)]
                )
    return rows


def _sheet(sheet: Worksheet, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        width = 60 if name.startswith("label::") else 18
        sheet.column_dimensions[get_column_letter(index)].width = width


def template_to_xlsform(
    template: ChecklistTemplate,
    *,
    form: tuple[str, str, str] | None = None,
    extra_survey: list[list[Any]] = (),  # type: ignore[assignment]
    extra_choices: list[list[Any]] = (),  # type: ignore[assignment]
) -> bytes:
    """The template's questions in use as an XLSForm workbook (docs/checklists.md).
    `form` (title, id, version) and the extra rows make a visit's capture form of it
    (`xlsform.capture`)."""
    questions = _questions(template)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    survey = _survey_rows(questions) + list(extra_survey)
    _sheet(workbook.create_sheet(SURVEY), SURVEY_HEADER, survey)
    _sheet(
        workbook.create_sheet(CHOICES),
        CHOICES_HEADER,
        _choice_rows(questions) + list(extra_choices),
    )
    names = [getattr(template, f"name_{lang}") for lang in LANGUAGES]
    title, form_id, version = form or (
        getattr(template, f"name_{DEFAULT_LANGUAGE}"),
        template.code,
        str(template.version),
    )
    settings_row = [
        title,
        form_id,
        version,
        f"{LANGUAGE_NAMES[DEFAULT_LANGUAGE]} ({DEFAULT_LANGUAGE})",
        template.category,
        *names,
    ]
    _sheet(workbook.create_sheet(SETTINGS), SETTINGS_HEADER, [settings_row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsform_to_xform(content: bytes, *, validate: bool = False) -> str:
    """An XLSForm's XForm (pyxform); `validate` runs ODK Validate too (needs Java). Raises
    pyxform's errors (`PyXFormError`, `ODKValidateError`) for a form it cannot convert."""
    from pyxform.xls2xform import convert

    return convert(
        xlsform=content, file_type=".xlsx", validate=validate, pretty_print=True, warnings=[]
    ).xform


def template_to_xform(template: ChecklistTemplate) -> str:
    """The template as an XForm (XML), what the OpenRosa form list serves."""
    return xlsform_to_xform(template_to_xlsform(template))


def xform_validate(xform: str) -> list[str]:
    """Run ODK Validate (the jar shipped with pyxform; needs `java` on the PATH) on an XForm;
    returns its warnings, raises `ODKValidateError` when the form is invalid and `OSError`
    when Java is missing."""
    from pyxform.validators import odk_validate

    handle, path = tempfile.mkstemp(suffix=".xml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(xform)
        return list(odk_validate.check_xform(path))
    finally:
        os.unlink(path)

"""Checklist templates as XLSForms: every shipped template exported and imported back into an
empty database gives the same template; every exported form passes ODK Validate; the import
follows the template rules (new version when questions change) and refuses bad files whole,
naming the sheet, row and column."""

import io
import os
import shutil
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import QuestionKind
from vigil.visits.models import ChecklistQuestion, ChecklistTemplate
from vigil.visits.services.checklist_templates import DATA_DIR, checklist_templates_load
from vigil.visits.services.xlsform import checklist_template_xlsform_import
from vigil.visits.xlsform import (
    XLSFormError,
    template_to_xform,
    template_to_xlsform,
    xform_validate,
)

pytestmark = pytest.mark.django_db
CODES = sorted(
    __import__("json").loads(path.read_text(encoding="utf-8"))["code"]
    for path in DATA_DIR.glob("*.json")
)


def snapshot(template: ChecklistTemplate) -> dict[str, Any]:
    questions = template.questions.filter(is_active=True).order_by("theme", "order", "id")
    return {
        "header": {
            name: getattr(template, name)
            for name in (
                "code",
                "category",
                "version",
                "is_active",
                "name_kk",
                "name_ru",
                "name_en",
            )
        },
        "questions": [
            {
                name: getattr(q, name)
                for name in (
                    "code",
                    "theme",
                    "order",
                    "kind",
                    "text_kk",
                    "text_ru",
                    "text_en",
                    "options",
                    "references",
                )
            }
            for q in questions
        ],
    }


def import_file(content: bytes, name: str = "form.xlsx", actor: Any = None) -> ChecklistTemplate:
    template, _counts = checklist_template_xlsform_import(
        content=content, file_name=name, actor=actor
    )
    return template


@pytest.fixture
def loaded() -> dict[str, ChecklistTemplate]:
    checklist_templates_load()
    return {t.code: t for t in ChecklistTemplate.objects.all()}


def test_every_shipped_template_comes_back_the_same_from_its_xlsform(loaded):
    assert sorted(loaded) == CODES
    before = {code: snapshot(t) for code, t in loaded.items()}
    files = {code: template_to_xlsform(t) for code, t in loaded.items()}
    ChecklistTemplate.objects.all().delete()  # an empty database: nothing to match
    assert not ChecklistQuestion.objects.exists()
    for code, content in files.items():
        template = import_file(content, f"{code}.xlsx")
        assert snapshot(template) == before[code], code
    kinds = {q["kind"] for s in before.values() for q in s["questions"]}
    assert kinds == set(QuestionKind.values)  # every kind went through the round trip


def test_importing_the_same_form_again_changes_nothing(loaded):
    template = loaded["DEFAULT_POLICE"]
    before = snapshot(template)
    template2, counts = checklist_template_xlsform_import(
        content=template_to_xlsform(template), file_name="police.xlsx", actor=None
    )
    assert template2.pk == template.pk
    assert snapshot(template2) == before
    assert counts["questions_unchanged"] == len(before["questions"])
    assert not AuditEvent.objects.filter(action=AuditAction.CHECKLIST_TEMPLATE_IMPORTED).exists()


def _java_or_skip() -> None:
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("ODK Validate needs Java: scripts/system-deps test installs it")
        pytest.skip("ODK Validate needs Java (scripts/system-deps test installs it)")


@pytest.mark.parametrize("code", CODES)
def test_every_exported_form_passes_odk_validate(loaded, code):
    _java_or_skip()
    xform = template_to_xform(loaded[code])
    assert f'id="{code}"' in xform
    xform_validate(xform)  # raises ODKValidateError when ODK Validate refuses it


def test_odk_validate_refuses_a_broken_xform(loaded):
    from pyxform.validators.odk_validate import ODKValidateError

    _java_or_skip()
    xform = template_to_xform(loaded["DEFAULT_POLICE"])
    with pytest.raises(ODKValidateError):
        xform_validate(xform.replace('type="string"', 'type="string" relevant="count(("', 1))


# ---------------------------------------------------------------- editing through a form


def _workbook(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


def _save(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _column(sheet: Any, name: str) -> int:
    return next(c.column for c in sheet[1] if c.value == name)


def test_a_changed_question_gives_a_new_version_as_load_checklists_does(loaded, users):
    template = loaded["DEFAULT_POLICE"]
    workbook = _workbook(template_to_xlsform(template))
    survey = workbook["survey"]
    row = next(r for r in range(2, survey.max_row + 1) if survey.cell(r, 1).value == "text")
    code = survey.cell(row, 2).value
    survey.cell(row, _column(survey, "label::English (en)")).value = "A new wording?"
    imported, counts = checklist_template_xlsform_import(
        content=_save(workbook), file_name="police.xlsx", actor=users["coordinator"]
    )
    assert imported.version == template.version + 1
    assert counts["questions_updated"] == 1
    assert imported.questions.get(code=code).text_en == "A new wording?"
    event = AuditEvent.objects.get(action=AuditAction.CHECKLIST_TEMPLATE_IMPORTED)
    assert event.actor == users["coordinator"]
    assert event.data["version"] == imported.version
    assert event.data["format"] == "xlsform"


def test_who_may_import(loaded, users):
    content = template_to_xlsform(loaded["DEFAULT_POLICE"])
    for role in ("admin", "coordinator"):
        import_file(content, actor=users[role])
    for role in ("regional", "monitor", "liaison", "auditor"):
        with pytest.raises(PermissionDenied):
            import_file(content, actor=users[role])


# ---------------------------------------------------------------- bad files write nothing


def _issues(content: bytes, name: str = "form.xlsx") -> list[str]:
    before = snapshot_all()
    with pytest.raises(XLSFormError) as info:
        import_file(content, name)
    assert snapshot_all() == before  # nothing written
    return [str(issue) for issue in info.value.issues]


def snapshot_all() -> list[Any]:
    return [snapshot(t) for t in ChecklistTemplate.objects.order_by("code")]


def _edited(template: ChecklistTemplate, edit: Any) -> bytes:
    workbook = _workbook(template_to_xlsform(template))
    edit(workbook)
    return _save(workbook)


def _first_question_row(survey: Any) -> int:
    return next(
        r
        for r in range(2, survey.max_row + 1)
        if survey.cell(r, 1).value not in ("begin_group", "end_group")
    )


def test_a_missing_sheet_is_named(loaded):
    content = _edited(loaded["DEFAULT_POLICE"], lambda wb: wb.remove(wb["settings"]))
    assert _issues(content) == ["The workbook has no sheet named “settings”."]


def test_an_unknown_type_names_sheet_row_and_column(loaded):
    def edit(wb: Any) -> None:
        survey = wb["survey"]
        survey.cell(_first_question_row(survey), 1).value = "geopoint"

    row = _first_question_row(_workbook(template_to_xlsform(loaded["DEFAULT_POLICE"]))["survey"])
    (issue,) = _issues(_edited(loaded["DEFAULT_POLICE"], edit))
    assert issue.startswith(f"sheet survey, row {row}, column type: Unknown or unsupported type")


def test_a_duplicate_name_names_both_rows(loaded):
    def edit(wb: Any) -> None:
        survey = wb["survey"]
        first = _first_question_row(survey)
        survey.cell(first + 1, 2).value = survey.cell(first, 2).value

    survey = _workbook(template_to_xlsform(loaded["DEFAULT_POLICE"]))["survey"]
    first = _first_question_row(survey)
    name = survey.cell(first, 2).value
    assert _issues(_edited(loaded["DEFAULT_POLICE"], edit)) == [
        f"sheet survey, row {first + 1}, column name: "
        f"The name {name} is already used in row {first}."
    ]


def test_a_template_rule_is_reported_at_its_cell(loaded):
    def edit(wb: Any) -> None:
        survey = wb["survey"]
        survey.cell(_first_question_row(survey), _column(survey, "label::Kazakh (kk)")).value = ""

    survey = _workbook(template_to_xlsform(loaded["DEFAULT_POLICE"]))["survey"]
    row = _first_question_row(survey)
    assert _issues(_edited(loaded["DEFAULT_POLICE"], edit)) == [
        f"sheet survey, row {row}, column label::kazakh (kk): a non-empty text is required"
    ]


def test_an_option_without_a_label_is_reported_on_the_choices_sheet(loaded):
    def edit(wb: Any) -> None:
        choices = wb["choices"]
        row = next(
            r
            for r in range(2, choices.max_row + 1)
            if choices.cell(r, 1).value != "vigil_yes_no_partial"
        )
        choices.cell(row, _column(choices, "label::Russian (ru)")).value = None
        wb.row = row

    workbook = _workbook(template_to_xlsform(loaded["DEFAULT_POLICE"]))
    edit(workbook)
    (issue,) = _issues(_save(workbook))
    assert issue == (
        f"sheet choices, row {workbook.row}, column label::russian (ru): "
        "a non-empty text is required"
    )


def test_a_wrong_category_is_reported_on_the_settings_sheet(loaded):
    def edit(wb: Any) -> None:
        wb["settings"].cell(2, _column(wb["settings"], "vigil_category")).value = "prison"

    (issue,) = _issues(_edited(loaded["DEFAULT_POLICE"], edit))
    assert issue.startswith("sheet settings, row 2, column vigil_category: expected one of")


def test_a_file_that_is_not_a_workbook_is_refused(loaded):
    assert _issues(b"type,name\ntext,q1\n", "form.xlsx") == [
        "The file is named .xlsx but is not an Excel workbook. Open it in Excel and save it "
        "as “Excel Workbook (*.xlsx)”."
    ]
    assert _issues(b"type,name\ntext,q1\n", "form.csv") == ["Upload an Excel workbook (.xlsx)."]


def test_a_file_too_large_is_refused(loaded, settings):
    settings.VIGIL_IMPORT_MAX_BYTES = 1000
    (issue,) = _issues(template_to_xlsform(loaded["DEFAULT_POLICE"]))
    assert issue.startswith("The file is too large")


def test_a_form_pyxform_refuses_is_refused_whole(loaded):
    # Valid for Vigil's rules, but the constraint is not an expression pyxform accepts.
    def edit(wb: Any) -> None:
        survey = wb["survey"]
        survey.cell(
            _first_question_row(survey), _column(survey, "constraint")
        ).value = "${nowhere} > 1"

    (issue,) = _issues(_edited(loaded["DEFAULT_POLICE"], edit))
    assert issue.startswith("pyxform cannot convert the form:")


def test_a_minimal_form_written_by_hand_is_imported():
    workbook = Workbook()
    survey: Any = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label::kk", "label::ru", "label::en"])
    survey.append(["begin group", "T3", "Жағдай", "Условия", "Conditions"])
    survey.append(["integer", "beds", "Төсек", "Кровати", "Beds"])
    survey.append(["select_one yn", "light", "Жарық", "Свет", "Light"])
    survey.append(["end group"])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label::kk", "label::ru", "label::en"])
    choices.append(["yn", "enough", "Жеткілікті", "Достаточно", "Enough"])
    choices.append(["yn", "dim", "Күңгірт", "Тускло", "Dim"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "vigil_category"])
    settings.append(["Hand-made", "HAND_MADE", "social"])
    template = import_file(_save(workbook))
    assert (template.code, template.category, template.version) == ("HAND_MADE", "social", 1)
    assert template.name_kk == template.name_en == "Hand-made"
    questions = list(template.questions.order_by("order"))
    assert [(q.code, q.theme, q.order, q.kind) for q in questions] == [
        ("beds", "T3", 10, QuestionKind.NUMBER),
        ("light", "T3", 20, QuestionKind.SINGLE_CHOICE),
    ]
    assert questions[1].options[1] == {"code": "dim", "kk": "Күңгірт", "ru": "Тускло", "en": "Dim"}

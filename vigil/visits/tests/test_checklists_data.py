"""The default checklist set (data files) and its loader: content checks, idempotence,
all-or-nothing, versions, retired questions, the commands."""

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.reference.enums import InstitutionCategory
from vigil.visits.enums import QuestionKind, Theme, VisitState
from vigil.visits.models import ChecklistAnswer, ChecklistQuestion, ChecklistTemplate
from vigil.visits.services.checklist_templates import (
    DATA_DIR,
    ChecklistDataError,
    checklist_templates_load,
)
from vigil.visits.services.checklists import checklist_answer, checklist_start

FILES = sorted(DATA_DIR.glob("*.json"))
CHOICE = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
# A word that mixes Latin and Cyrillic letters (e.g. a Latin "i" typed for Kazakh "і").
MIXED_SCRIPT = re.compile(
    r"\w*(?:[A-Za-z][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]|[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі][A-Za-z])\w*"
)


def documents() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in FILES]


def all_questions() -> list[tuple[str, dict[str, Any]]]:
    return [(doc["category"], q) for doc in documents() for q in doc["questions"]]


# ---------------------------------------------------------------- the files themselves


def test_one_template_per_category_and_150_questions_or_more():
    docs = documents()
    assert sorted(doc["category"] for doc in docs) == sorted(InstitutionCategory.values)
    assert len(all_questions()) >= 150
    for doc in docs:
        assert 20 <= len(doc["questions"]) <= 40, doc["code"]
        # Every theme of the taxonomy is covered in every template.
        assert {q["theme"] for q in doc["questions"]} == set(Theme.values), doc["code"]
        for lang in ("kk", "ru", "en"):
            assert doc[f"name_{lang}"].strip(), (doc["code"], lang)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_question_is_complete_in_three_languages(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    codes = [q["code"] for q in doc["questions"]]
    assert len(codes) == len(set(codes))
    for q in doc["questions"]:
        assert q["kind"] in QuestionKind.values, q["code"]
        assert q["theme"] in Theme.values, q["code"]
        assert q["code"].split("-")[1] == q["theme"], q["code"]
        for lang in ("kk", "ru", "en"):
            assert q[f"text_{lang}"].strip(), (q["code"], lang)
        assert not MIXED_SCRIPT.search(q["text_kk"] + " " + q["text_ru"]), q["code"]
        assert not re.search(r"[А-Яа-яЁё]", q["text_en"]), q["code"]
        if q["kind"] in CHOICE:
            assert len(q["options"]) >= 2, q["code"]
            option_codes = [o["code"] for o in q["options"]]
            assert len(option_codes) == len(set(option_codes)), q["code"]
            for option in q["options"]:
                assert all(option[lang].strip() for lang in ("kk", "ru", "en")), q["code"]
                assert not MIXED_SCRIPT.search(option["kk"] + " " + option["ru"]), q["code"]
        else:
            assert "options" not in q, q["code"]


def test_kazakh_texts_are_kazakh_not_russian():
    questions = all_questions()
    with_letters = [q for _, q in questions if KAZAKH_LETTERS & set(q["text_kk"])]
    # Nearly every Kazakh sentence has a Kazakh-only letter; Russian ones never do.
    assert len(with_letters) >= 0.9 * len(questions)
    assert not any(KAZAKH_LETTERS & set(q["text_ru"]) for _, q in questions)
    assert all(q["text_kk"] != q["text_ru"] for _, q in questions)


@pytest.mark.parametrize(
    ("category", "standard"),
    [
        ("police", "Nelson Mandela Rules"),
        ("pre_trial", "Nelson Mandela Rules"),
        ("penal", "Nelson Mandela Rules"),
        ("penal", "Bangkok Rules"),
        ("medical", "CRPD"),
        ("social", "CRPD"),
        ("education", "Havana Rules"),
        ("education", "Beijing Rules"),
        ("police", "Istanbul Protocol"),
    ],
)
def test_questions_cite_the_standards_of_their_category(category, standard):
    refs = [q["references"] for cat, q in all_questions() if cat == category]
    assert any(standard in ref for ref in refs)
    assert sum(1 for ref in refs if ref) >= 0.8 * len(refs)


# ---------------------------------------------------------------- loading


@pytest.mark.django_db
def test_load_creates_every_template_and_a_second_load_changes_nothing():
    counts = checklist_templates_load()
    total = len(all_questions())
    assert counts["templates_created"] == len(FILES)
    assert counts["questions_created"] == total
    assert ChecklistQuestion.objects.filter(is_active=True).count() == total
    assert set(ChecklistTemplate.objects.values_list("category", flat=True)) == set(
        InstitutionCategory.values
    )
    assert AuditEvent.objects.filter(action=AuditAction.CHECKLIST_TEMPLATES_LOADED).count() == 1
    police = ChecklistTemplate.objects.get(code="DEFAULT_POLICE")
    assert police.version == 1
    question = police.questions.get(code="POL-T2-01")
    assert "Nelson Mandela Rules 68" in question.references
    assert "хабарлана" in question.text_kk

    again = checklist_templates_load()
    assert again["templates_unchanged"] == len(FILES)
    assert again["questions_unchanged"] == total
    assert sum(v for k, v in again.items() if not k.endswith("_unchanged")) == 0
    assert AuditEvent.objects.filter(action=AuditAction.CHECKLIST_TEMPLATES_LOADED).count() == 1


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "checklists"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, change: Any) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


@pytest.mark.django_db
def test_a_bad_file_stops_the_whole_load_and_names_file_question_and_field(folder):
    edit(folder / "social.json", lambda doc: doc["questions"][3].pop("text_kk"))
    with pytest.raises(ChecklistDataError) as info:
        checklist_templates_load(path=folder)
    assert (
        str(info.value)
        == "social.json, question 'SOC-T1-04', field 'text_kk': a non-empty text is required"
    )
    assert not ChecklistTemplate.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_bad_file_leaves_an_earlier_load_untouched(folder):
    checklist_templates_load(path=folder)
    edit(folder / "police.json", lambda doc: doc["questions"][0].update(text_en="Changed?"))
    # A file read after police.json: police's change must not be written either.
    edit(folder / "social.json", lambda doc: doc["questions"][1].update(kind="scale"))
    with pytest.raises(ChecklistDataError) as info:
        checklist_templates_load(path=folder)
    assert info.value.file == "social.json"
    assert info.value.field == "kind"
    assert ChecklistQuestion.objects.get(code="POL-T1-01").text_en.startswith("Did interviewed")
    assert set(ChecklistTemplate.objects.values_list("version", flat=True)) == {1}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(category="prison"), "field 'category': expected one of"),
        (lambda d: d["questions"][0].update(theme="T9"), "field 'theme': expected one of T1"),
        (lambda d: d["questions"][0].update(options=[]), ""),
        (
            lambda d: d["questions"][1].update(
                options=[{"code": "a", "kk": "а", "ru": "а", "en": "a"}]
            ),
            "field 'options': a choice question needs a list of at least two options",
        ),
        (
            lambda d: d["questions"][0].update(
                options=[{"code": "a", "kk": "а", "ru": "а", "en": "a"}] * 2
            ),
            "field 'options': only choice questions have options",
        ),
        (
            lambda d: d["questions"][2].update(code="POL-T1-01"),
            "field 'code': duplicate question code",
        ),
        (lambda d: d["questions"][0].update(order=-1), "field 'order': expected a whole number"),
        (lambda d: d["questions"][0].update(colour="red"), "field 'colour': unknown field"),
        (lambda d: d.update(version="2"), "field 'version': expected a whole number"),
        (lambda d: d.update(questions=[]), "field 'questions': a non-empty list is required"),
    ],
    ids=[
        "category",
        "theme",
        "empty-options-ok",
        "one-option",
        "options-on-yes-no",
        "duplicate-code",
        "order",
        "unknown-field",
        "version",
        "no-questions",
    ],
)
@pytest.mark.django_db
def test_file_errors_are_named(tmp_path, change, message):
    path = tmp_path / "police.json"
    shutil.copy(DATA_DIR / "police.json", path)
    edit(path, change)
    if not message:
        assert checklist_templates_load(path=path)["templates_created"] == 1
        return
    with pytest.raises(ChecklistDataError) as info:
        checklist_templates_load(path=path)
    assert str(info.value).startswith("police.json")
    assert message in str(info.value)


@pytest.mark.django_db
def test_invalid_json_and_two_files_for_one_category(tmp_path, folder):
    broken = tmp_path / "broken.json"
    broken.write_text('{"kind": "checklist_template",\n "code": }', encoding="utf-8")
    with pytest.raises(ChecklistDataError, match=r"broken.json: invalid JSON at line 2"):
        checklist_templates_load(path=broken)
    copy = folder / "police-copy.json"
    shutil.copy(folder / "police.json", copy)
    edit(copy, lambda d: d.update(code="OTHER_POLICE"))
    with pytest.raises(ChecklistDataError, match="category 'police' already has a template"):
        checklist_templates_load(path=folder)
    assert not ChecklistTemplate.objects.exists()


@pytest.fixture
def answered_police(folder, make_visit, make_institution, ref, users):  # type: ignore[no-untyped-def]
    """The default set loaded, and one police checklist with one answer (POL-T1-01)."""
    checklist_templates_load(path=folder)
    institution = make_institution(type=ref["ivs"], agency=ref["police"])
    visit = make_visit(state=VisitState.ON_SITE, institution=institution)
    response = checklist_start(actor=users["monitor"], visit=visit, institution=institution)
    checklist_answer(
        actor=users["monitor"],
        response=response,
        question=response.template.questions.get(code="POL-T1-01"),
        value="no",
    )
    return response


def test_changed_questions_update_texts_and_raise_the_version(folder, answered_police):
    def change(doc: dict[str, Any]) -> None:
        doc["questions"][0]["text_en"] = "Did detainees report ill-treatment by officers?"
        doc["questions"].append(
            {
                "code": "POL-T8-02",
                "theme": "T8",
                "order": 20,
                "kind": "number",
                "text_kk": "Бюджет жеткілікті ме?",
                "text_ru": "Достаточен ли бюджет?",
                "text_en": "Is the budget sufficient?",
            }
        )
        # One answered question (POL-T1-01 stays: edited above) and one never answered.
        doc["questions"] = [q for q in doc["questions"] if q["code"] != "POL-T1-02"]

    edit(folder / "police.json", change)
    counts = checklist_templates_load(path=folder)
    assert counts["questions_updated"] == 1
    assert counts["questions_created"] == 1
    assert counts["questions_deleted"] == 1
    assert counts["templates_updated"] == 1
    assert counts["templates_unchanged"] == len(FILES) - 1
    police = ChecklistTemplate.objects.get(code="DEFAULT_POLICE")
    assert police.version == 2
    assert not police.questions.filter(code="POL-T1-02").exists()
    question = police.questions.get(code="POL-T1-01")
    assert question.text_en == "Did detainees report ill-treatment by officers?"
    # The answer given before is kept and still points at the (updated) question.
    assert ChecklistAnswer.objects.get(response=answered_police).question == question
    event = (
        AuditEvent.objects.filter(action=AuditAction.CHECKLIST_TEMPLATES_LOADED)
        .order_by("id")
        .last()
    )
    assert event is not None
    assert event.data["versions"]["DEFAULT_POLICE"] == 2


def test_an_answered_question_dropped_from_the_file_is_retired_not_deleted(folder, answered_police):
    edit(
        folder / "police.json",
        lambda doc: doc.update(questions=[q for q in doc["questions"] if q["code"] != "POL-T1-01"]),
    )
    counts = checklist_templates_load(path=folder)
    assert counts["questions_retired"] == 1
    retired = ChecklistQuestion.objects.get(code="POL-T1-01")
    assert retired.is_active is False
    assert ChecklistAnswer.objects.filter(question=retired).count() == 1
    assert ChecklistTemplate.objects.get(code="DEFAULT_POLICE").version == 2
    # Put back in the file, it is asked again.
    shutil.copy(DATA_DIR / "police.json", folder / "police.json")
    checklist_templates_load(path=folder)
    retired.refresh_from_db()
    assert retired.is_active is True
    assert ChecklistTemplate.objects.get(code="DEFAULT_POLICE").version == 3


@pytest.mark.django_db
def test_a_new_template_for_a_category_takes_it_over(tmp_path):
    checklist_templates_load()
    path = tmp_path / "ours.json"
    shutil.copy(DATA_DIR / "medical.json", path)
    edit(path, lambda d: d.update(code="OUR_MEDICAL", version=3))
    counts = checklist_templates_load(path=path)
    assert counts["templates_created"] == 1
    assert counts["templates_retired"] == 1
    active = ChecklistTemplate.objects.filter(category="medical", is_active=True)
    assert [(t.code, t.version) for t in active] == [("OUR_MEDICAL", 3)]


@pytest.mark.django_db
def test_load_checklists_command(tmp_path):
    out = io.StringIO()
    call_command("load_checklists", stdout=out)
    text = out.getvalue()
    assert f"templates  {len(FILES)} created" in text
    assert f"{len(all_questions())} created" in text
    out = io.StringIO()
    call_command("load_checklists", stdout=out)
    assert "Nothing to change" in out.getvalue()
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("load_checklists", path=tmp_path / "missing")


@pytest.mark.django_db
def test_seed_reference_data_also_loads_the_checklists():
    out = io.StringIO()
    call_command("seed_reference_data", stdout=out)
    assert "Checklists:" in out.getvalue()
    assert ChecklistTemplate.objects.filter(is_active=True).count() == len(FILES)

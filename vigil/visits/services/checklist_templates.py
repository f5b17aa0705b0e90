"""Checklists: loading the templates from their data files (`load_checklists`, the reference
seeding). Answering them during a visit is `.checklists`.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.reference.enums import InstitutionCategory

from ..enums import QuestionKind, Theme
from ..models import ChecklistAnswer, ChecklistQuestion, ChecklistTemplate

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "checklists"
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
LANGUAGES = ("kk", "ru", "en")


class ChecklistDataError(Exception):
    """A checklist file that cannot be loaded; names the file, the question and the field."""

    def __init__(self, message: str, *, file: str, question: str = "", field: str = "") -> None:
        self.file = file
        self.question = question
        self.field = field
        self.detail = message
        where = file
        if question:
            where += f", question {question!r}"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class _QuestionSpec:
    code: str
    values: dict[str, Any]  # theme, order, kind, text_*, options, references


@dataclass(frozen=True)
class _TemplateSpec:
    file: str
    code: str
    version: int
    values: dict[str, Any]  # category, name_*
    questions: tuple[_QuestionSpec, ...]


_CODE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
_TEMPLATE_KEYS = frozenset(
    {"kind", "format", "code", "category", "version", "source", "questions"}
    | {f"name_{lang}" for lang in LANGUAGES}
)
_QUESTION_KEYS = frozenset(
    {"code", "theme", "order", "kind", "options", "references"}
    | {f"text_{lang}" for lang in LANGUAGES}
)
_OPTION_KEYS = frozenset({"code", *LANGUAGES})


def _text(
    obj: dict[str, Any],
    key: str,
    *,
    file: str,
    question: str = "",
    max_length: int = 0,
    field: str = "",
) -> str:
    field = field or key
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ChecklistDataError(
            "a non-empty text is required", file=file, question=question, field=field
        )
    value = value.strip()
    if max_length and len(value) > max_length:
        raise ChecklistDataError(
            f"longer than {max_length} characters", file=file, question=question, field=field
        )
    return value


def _unknown_keys(
    obj: dict[str, Any], allowed: frozenset[str], *, file: str, question: str = ""
) -> None:
    for key in obj:
        if key not in allowed:
            raise ChecklistDataError(
                f"unknown field (allowed: {', '.join(sorted(allowed))})",
                file=file,
                question=question,
                field=key,
            )


def _options(raw: Any, kind: str, *, file: str, question: str) -> list[dict[str, str]]:
    if kind not in CHOICE_KINDS:
        if raw not in (None, []):
            raise ChecklistDataError(
                "only choice questions have options", file=file, question=question, field="options"
            )
        return []
    if not isinstance(raw, list) or len(raw) < 2:
        raise ChecklistDataError(
            "a choice question needs a list of at least two options",
            file=file,
            question=question,
            field="options",
        )
    options: list[dict[str, str]] = []
    for index, item in enumerate(raw):
        where = f"options[{index}]"
        if not isinstance(item, dict):
            raise ChecklistDataError(
                "expected an object", file=file, question=question, field=where
            )
        for key in item:
            if key not in _OPTION_KEYS:
                raise ChecklistDataError(
                    f"unknown field {key!r} (allowed: code, kk, ru, en)",
                    file=file,
                    question=question,
                    field=where,
                )
        code = item.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise ChecklistDataError(
                "a code of letters, digits, '_' or '-' is required",
                file=file,
                question=question,
                field=f"{where}.code",
            )
        if any(o["code"] == code for o in options):
            raise ChecklistDataError(
                f"duplicate option code {code!r}", file=file, question=question, field=where
            )
        option = {"code": code}
        for lang in LANGUAGES:
            option[lang] = _text(
                item, lang, file=file, question=question, max_length=300, field=f"{where}.{lang}"
            )
        options.append(option)
    return options


def _question(raw: Any, index: int, *, file: str, seen: set[str]) -> _QuestionSpec:
    if not isinstance(raw, dict):
        raise ChecklistDataError("expected an object", file=file, field=f"questions[{index}]")
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise ChecklistDataError(
            "a code of up to 60 letters, digits, '_' or '-' is required",
            file=file,
            field=f"questions[{index}].code",
        )
    if code in seen:
        raise ChecklistDataError("duplicate question code", file=file, question=code, field="code")
    seen.add(code)
    _unknown_keys(raw, _QUESTION_KEYS, file=file, question=code)
    theme = raw.get("theme")
    if theme not in Theme.values:
        raise ChecklistDataError(
            f"expected one of {', '.join(Theme.values)}", file=file, question=code, field="theme"
        )
    kind = raw.get("kind")
    if kind not in QuestionKind.values:
        raise ChecklistDataError(
            f"expected one of {', '.join(QuestionKind.values)}",
            file=file,
            question=code,
            field="kind",
        )
    order = raw.get("order", (index + 1) * 10)
    if not isinstance(order, int) or isinstance(order, bool) or order < 0:
        raise ChecklistDataError(
            "expected a whole number of 0 or more", file=file, question=code, field="order"
        )
    references = raw.get("references", "")
    if not isinstance(references, str) or len(references) > 300:
        raise ChecklistDataError(
            "expected a text of at most 300 characters",
            file=file,
            question=code,
            field="references",
        )
    values: dict[str, Any] = {
        "theme": theme,
        "order": order,
        "kind": kind,
        "options": _options(raw.get("options"), kind, file=file, question=code),
        "references": references.strip(),
    }
    for lang in LANGUAGES:
        values[f"text_{lang}"] = _text(raw, f"text_{lang}", file=file, question=code)
    return _QuestionSpec(code=code, values=values)


def _read(path: Path) -> _TemplateSpec:
    file = path.name
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ChecklistDataError(f"not UTF-8 ({exc.reason})", file=file) from exc
    except json.JSONDecodeError as exc:
        raise ChecklistDataError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=file
        ) from exc
    return _spec(document, file=file)


def _spec(document: Any, *, file: str) -> _TemplateSpec:
    """The rules of a template document (the data files' format, also what an imported
    XLSForm is read into); raises `ChecklistDataError`."""
    if not isinstance(document, dict) or document.get("kind") != "checklist_template":
        raise ChecklistDataError('expected an object with "kind": "checklist_template"', file=file)
    if document.get("format", 1) != 1:
        raise ChecklistDataError("unsupported format (expected 1)", file=file, field="format")
    _unknown_keys(document, _TEMPLATE_KEYS, file=file)
    code = document.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise ChecklistDataError(
            "a code of up to 60 letters, digits, '_' or '-' is required", file=file, field="code"
        )
    category = document.get("category")
    if category not in InstitutionCategory.values:
        raise ChecklistDataError(
            f"expected one of {', '.join(InstitutionCategory.values)}",
            file=file,
            field="category",
        )
    version = document.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 32767:
        raise ChecklistDataError(
            "expected a whole number from 1 to 32767", file=file, field="version"
        )
    values: dict[str, Any] = {"category": category}
    for lang in LANGUAGES:
        values[f"name_{lang}"] = _text(document, f"name_{lang}", file=file, max_length=300)
    raw_questions = document.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise ChecklistDataError("a non-empty list is required", file=file, field="questions")
    seen: set[str] = set()
    questions = tuple(
        _question(raw, index, file=file, seen=seen) for index, raw in enumerate(raw_questions)
    )
    return _TemplateSpec(file=file, code=code, version=version, values=values, questions=questions)


def _files(path: Path | None) -> list[Path]:
    path = DATA_DIR if path is None else Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise ChecklistDataError("no such file or folder", file=str(path))
    files = sorted(path.glob("*.json"))
    if not files:
        raise ChecklistDataError("no checklist files (*.json) in this folder", file=str(path))
    return files


def _clean(obj: models.Model, spec: _TemplateSpec, question: str = "") -> None:
    try:
        obj.full_clean(exclude=["template"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        name, messages = next(iter(errors.items()))
        raise ChecklistDataError(
            " ".join(str(m) for m in messages),
            file=spec.file,
            question=question,
            field="" if name == "__all__" else name,
        ) from exc


COUNT_KEYS = (
    "templates_created",
    "templates_updated",
    "templates_unchanged",
    "templates_retired",
    "questions_created",
    "questions_updated",
    "questions_unchanged",
    "questions_retired",
    "questions_deleted",
)


def _load_template(spec: _TemplateSpec, counts: dict[str, int]) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.filter(code=spec.code).first()
    created = template is None
    if template is None:
        template = ChecklistTemplate(code=spec.code, version=spec.version)
    header = {**spec.values, "is_active": True}
    header_changed = any(getattr(template, name) != value for name, value in header.items())
    for name, value in header.items():
        setattr(template, name, value)
    _clean(template, spec)
    if created:
        template.save()

    existing = {q.code: q for q in template.questions.all()} if not created else {}
    questions_changed = False
    for item in spec.questions:
        values = {**item.values, "is_active": True}
        question = existing.pop(item.code, None)
        if question is None:
            question = ChecklistQuestion(template=template, code=item.code, **values)
            counts["questions_created"] += 1
        elif any(getattr(question, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(question, name, value)
            counts["questions_updated"] += 1
        else:
            counts["questions_unchanged"] += 1
            continue
        _clean(question, spec, item.code)
        question.save()
        questions_changed = True
    for question in existing.values():  # dropped from the file
        if not question.is_active:
            continue
        if ChecklistAnswer.objects.filter(question=question).exists():
            question.is_active = False
            question.save(update_fields=["is_active", "updated_at"])
            counts["questions_retired"] += 1
        else:
            question.delete()
            counts["questions_deleted"] += 1
        questions_changed = True

    if created:
        counts["templates_created"] += 1
        return template
    version = template.version
    if questions_changed:
        version = max(spec.version, template.version + 1)
    elif spec.version > template.version:
        version = spec.version
    if header_changed or version != template.version:
        template.version = version
        template.save()
        counts["templates_updated"] += 1
    elif questions_changed:
        counts["templates_updated"] += 1
    else:
        counts["templates_unchanged"] += 1
    return template


@transaction.atomic
def checklist_templates_load(
    *,
    path: Path | None = None,
    actor: User | None = None,
    context: RequestContext | None = None,
) -> dict[str, int]:
    """Load (or refresh) the checklist templates from their data files; returns counts.

    `path` is a folder of `*.json` files or one file (default: the built-in set in
    `vigil/visits/data/checklists/`). All-or-nothing: a bad file raises `ChecklistDataError`
    naming the file, the question and the field, and nothing is written. `actor=None` is the
    system (management commands).
    """
    specs = [_read(file) for file in _files(path)]
    codes: dict[str, str] = {}
    categories: dict[str, str] = {}
    for spec in specs:
        if spec.code in codes:
            raise ChecklistDataError(
                f"template code {spec.code!r} is also used by {codes[spec.code]}",
                file=spec.file,
                field="code",
            )
        codes[spec.code] = spec.file
        category = spec.values["category"]
        if category in categories:
            raise ChecklistDataError(
                f"category {category!r} already has a template in {categories[category]}",
                file=spec.file,
                field="category",
            )
        categories[category] = spec.file

    counts = dict.fromkeys(COUNT_KEYS, 0)
    versions = {spec.code: _load_template(spec, counts).version for spec in specs}
    counts["templates_retired"] = _retire_others(categories=list(categories), codes=list(codes))
    if any(value for key, value in counts.items() if not key.endswith("_unchanged")):
        audit_record(
            actor=actor,
            action=AuditAction.CHECKLIST_TEMPLATES_LOADED,
            data={"counts": counts, "versions": versions},
            context=context,
        )
    return counts


def _retire_others(*, categories: list[str], codes: list[str]) -> int:
    """One template in use per category: the others of these categories are retired."""
    return (
        ChecklistTemplate.objects.filter(category__in=categories, is_active=True)
        .exclude(code__in=codes)
        .update(is_active=False)
    )


@transaction.atomic
def checklist_template_import(
    *,
    document: dict[str, Any],
    source: str,
    actor: User | None,
    context: RequestContext | None = None,
    audit_data: dict[str, Any] | None = None,
) -> tuple[ChecklistTemplate, dict[str, int]]:
    """Create or update one template from a document in the data files' format (e.g. read
    from an XLSForm), with the same rules as `checklist_templates_load`: checked first
    (`ChecklistDataError` naming `source`, the question and the field; nothing written),
    questions matched on their code, a new version when they change, the other template of
    the category retired. Audited when anything changed; returns the template and counts."""
    spec = _spec({"kind": "checklist_template", "format": 1, **document}, file=source)
    counts = dict.fromkeys(COUNT_KEYS, 0)
    template = _load_template(spec, counts)
    counts["templates_retired"] = _retire_others(
        categories=[spec.values["category"]], codes=[spec.code]
    )
    if any(value for key, value in counts.items() if not key.endswith("_unchanged")):
        audit_record(
            actor=actor,
            action=AuditAction.CHECKLIST_TEMPLATE_IMPORTED,
            target=template,
            data={
                "source": source,
                "code": template.code,
                "version": template.version,
                "counts": counts,
                **(audit_data or {}),
            },
            context=context,
        )
    return template, counts

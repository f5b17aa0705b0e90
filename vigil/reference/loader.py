"""Load a country's reference data (regions, agencies, institution types) from its data files.

The files live in `vigil/reference/data/<country>/` (see README.md there). Loading is
idempotent: rows are matched on `code`, missing ones are created, changed ones updated and
the rest left alone. Everything happens in one transaction: a bad row aborts the whole load
with a `ReferenceDataError` naming the file, the row and the field, and nothing is written.
One audit event records the counts when anything changed.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction

from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.services import holidays_load

from .models import Agency, InstitutionType, Region

DATA_ROOT = Path(__file__).resolve().parent / "data"
HOLIDAYS_ROOT = Path(__file__).resolve().parent.parent / "core" / "data" / "holidays"

_NAMES = ("name_kk", "name_ru", "name_en")
_VALIDITY = ("valid_from", "valid_to")


class ReferenceDataError(Exception):
    """A data file that cannot be loaded; names the file, the row and the field at fault."""

    def __init__(
        self, message: str, *, file: str, index: int | None = None, code: str = "", field: str = ""
    ) -> None:
        self.file = file
        self.index = index
        self.code = code
        self.field = field
        self.detail = message
        where = file
        if index is not None:
            where += f", items[{index}]"
            if code:
                where += f" (code {code!r})"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class _Kind:
    """How one data file maps onto one model."""

    key: str
    filename: str
    model: type[models.Model]
    fields: tuple[str, ...]  # plain fields, in the order they are compared
    dates: tuple[str, ...] = _VALIDITY
    refs: dict[str, type[models.Model]] = field(default_factory=dict)  # field -> model, by code
    self_ref: str = ""  # the field that points at another row of the same file
    # a symmetrical many-to-many field to rows of the same file, as a list of codes; a pair
    # is linked when either row names the other
    self_many: str = ""


KINDS: tuple[_Kind, ...] = (
    _Kind(
        key="regions",
        filename="regions.json",
        model=Region,
        fields=("kind", *_NAMES),
        refs={"predecessor": Region},
        self_ref="predecessor",
        self_many="neighbours",
    ),
    _Kind(
        key="agencies",
        filename="agencies.json",
        model=Agency,
        fields=("level", *_NAMES, "short_name_kk", "short_name_ru", "short_name_en"),
        refs={"parent": Agency, "region": Region},
        self_ref="parent",
    ),
    _Kind(
        key="institution_types",
        filename="institution_types.json",
        model=InstitutionType,
        fields=("category", *_NAMES),
        refs={"agency": Agency},
    ),
)


def _default(model: type[models.Model], name: str) -> Any:
    """What a field takes when the file leaves it out (so removing a value clears it)."""
    f = model._meta.get_field(name)
    if not isinstance(f, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    if f.has_default():
        return f.get_default()
    return None if f.null else ""


def _read(path: Path, kind: _Kind) -> list[dict[str, Any]]:
    name = path.name
    if not path.is_file():
        raise ReferenceDataError("file not found", file=str(path))
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"not UTF-8 ({exc.reason})", file=name) from exc
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=name
        ) from exc
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise ReferenceDataError('expected an object with an "items" list', file=name)
    if document.get("kind", kind.key) != kind.key:
        raise ReferenceDataError(
            f"holds {document.get('kind')!r}, expected {kind.key!r}", file=name
        )
    allowed = {"code", *kind.fields, *kind.dates, *kind.refs}
    if kind.self_many:
        allowed.add(kind.self_many)
    rows: list[dict[str, Any]] = document["items"]
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ReferenceDataError("expected an object", file=name, index=index)
        code = row.get("code")
        if not isinstance(code, str) or not code.strip():
            raise ReferenceDataError(
                "a non-empty code is required", file=name, index=index, field="code"
            )
        if code in seen:
            raise ReferenceDataError(
                "duplicate code", file=name, index=index, code=code, field="code"
            )
        seen.add(code)
        for key in row:
            if key not in allowed:
                raise ReferenceDataError(
                    f"unknown field (allowed: {', '.join(sorted(allowed))})",
                    file=name,
                    index=index,
                    code=code,
                    field=key,
                )
    return rows


def _ordered(rows: list[dict[str, Any]], kind: _Kind) -> list[tuple[int, dict[str, Any]]]:
    """Rows in file order, except that a row referring to another row comes after it."""
    if not kind.self_ref:
        return list(enumerate(rows))
    by_code = {row["code"]: (index, row) for index, row in enumerate(rows)}
    done: set[str] = set()
    result: list[tuple[int, dict[str, Any]]] = []

    def visit(code: str, path: tuple[str, ...]) -> None:
        if code in done:
            return
        index, row = by_code[code]
        target = row.get(kind.self_ref)
        if isinstance(target, str) and target in by_code:
            if target in path or target == code:
                raise ReferenceDataError(
                    "circular reference",
                    file=kind.filename,
                    index=index,
                    code=code,
                    field=kind.self_ref,
                )
            visit(target, (*path, code))
        done.add(code)
        result.append((index, row))

    for row in rows:
        visit(row["code"], ())
    return result


def _values(
    kind: _Kind,
    index: int,
    row: dict[str, Any],
    known: dict[type[models.Model], dict[str, models.Model]],
) -> dict[str, Any]:
    """The model field values a row asks for: defaults filled, dates parsed, codes resolved."""
    code = row["code"]
    err = {"file": kind.filename, "index": index, "code": code}
    values: dict[str, Any] = {}
    for name in kind.fields:
        value = row.get(name, _default(kind.model, name))
        if value is None and not kind.model._meta.get_field(name).null:
            value = ""
        if value is not None and not isinstance(value, str):
            raise ReferenceDataError("expected a string", field=name, **err)
        values[name] = value
    for name in kind.dates:
        raw = row.get(name)
        if raw in (None, ""):
            values[name] = None
            continue
        try:
            values[name] = datetime.date.fromisoformat(str(raw))
        except ValueError as exc:
            raise ReferenceDataError(
                f"{raw!r} is not a date (expected YYYY-MM-DD)", field=name, **err
            ) from exc
    for name, target_model in kind.refs.items():
        ref = row.get(name)
        if ref in (None, ""):
            values[name] = None
            continue
        target = known[target_model].get(str(ref))
        if target is None:
            raise ReferenceDataError(
                f"refers to unknown {target_model._meta.verbose_name} {ref!r}", field=name, **err
            )
        values[name] = target
    return values


def _differs(obj: models.Model, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        if obj._meta.get_field(name).is_relation:
            if getattr(obj, f"{name}_id") != (value.pk if value is not None else None):
                return True
        elif getattr(obj, name) != value:
            return True
    return False


def _clean(obj: models.Model, kind: _Kind, index: int, code: str) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        name, messages = next(iter(errors.items()))
        raise ReferenceDataError(
            " ".join(str(m) for m in messages),
            file=kind.filename,
            index=index,
            code=code,
            field="" if name == "__all__" else name,
        ) from exc


def _load_kind(
    kind: _Kind,
    rows: list[dict[str, Any]],
    known: dict[type[models.Model], dict[str, models.Model]],
) -> dict[str, int]:
    outcome: dict[str, str] = {}  # code -> "created", "updated" or "unchanged"
    existing = known[kind.model]
    for index, row in _ordered(rows, kind):
        code = row["code"]
        values = _values(kind, index, row, known)
        obj = existing.get(code)
        if obj is None:
            obj = kind.model(code=code, **values)
            _clean(obj, kind, index, code)
            obj.save()
            existing[code] = obj
            outcome[code] = "created"
        elif _differs(obj, values):
            for name, value in values.items():
                setattr(obj, name, value)
            _clean(obj, kind, index, code)
            obj.save()
            outcome[code] = "updated"
        else:
            outcome[code] = "unchanged"
    if kind.self_many:
        for code in _link_self_many(kind, rows, existing):
            if outcome[code] == "unchanged":
                outcome[code] = "updated"
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for result in outcome.values():
        counts[result] += 1
    return counts


def _link_self_many(
    kind: _Kind, rows: list[dict[str, Any]], existing: dict[str, models.Model]
) -> set[str]:
    """Set the symmetrical many-to-many field from the file (a pair is linked when either
    row names the other; a row naming none keeps only the links others give it); returns
    the codes of the rows whose links changed."""
    name = kind.self_many
    wanted: dict[str, set[str]] = {row["code"]: set() for row in rows}
    for index, row in enumerate(rows):
        codes = row.get(name, [])
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ReferenceDataError(
                "expected a list of codes",
                file=kind.filename,
                index=index,
                code=row["code"],
                field=name,
            )
        for other in codes:
            problem = "names the row itself" if other == row["code"] else ""
            if other not in wanted:
                problem = f"refers to unknown {kind.model._meta.verbose_name} {other!r}"
            if problem:
                raise ReferenceDataError(
                    problem, file=kind.filename, index=index, code=row["code"], field=name
                )
            wanted[row["code"]].add(other)
            wanted[other].add(row["code"])
    before = {
        code: set(getattr(existing[code], name).values_list("code", flat=True)) for code in wanted
    }
    changed = {code for code, others in wanted.items() if before[code] != others}
    for code in changed:
        getattr(existing[code], name).set([existing[c] for c in wanted[code]])
    return changed


def _changed(counts: dict[str, int]) -> bool:
    return any(value for key, value in counts.items() if key not in {"unchanged", "skipped"})


@transaction.atomic
def reference_data_load(
    *,
    country: str = "kz",
    actor: AbstractBaseUser | None = None,
    data_dir: Path | None = None,
    holidays_path: Path | None = None,
) -> dict[str, dict[str, int]]:
    """Load (or refresh) a country's reference data; returns counts per kind.

    `data_dir` defaults to `vigil/reference/data/<country>/`; `holidays_path` to
    `vigil/core/data/holidays/<country>.json`, loaded by the calendar's `holidays_load`
    when that file exists (its counts come back under "holidays").
    """
    country = country.lower()
    directory = data_dir if data_dir is not None else DATA_ROOT / country
    if not directory.is_dir():
        raise ReferenceDataError("no reference data folder for this country", file=str(directory))
    documents = {kind.key: _read(directory / kind.filename, kind) for kind in KINDS}

    known: dict[type[models.Model], dict[str, models.Model]] = {
        model: {obj.code: obj for obj in model.objects.all()}  # type: ignore[attr-defined]
        for model in {kind.model for kind in KINDS}
    }
    result = {kind.key: _load_kind(kind, documents[kind.key], known) for kind in KINDS}

    path = holidays_path if holidays_path is not None else HOLIDAYS_ROOT / f"{country}.json"
    if path.is_file():
        result["holidays"] = dict(holidays_load(path=path))

    if any(_changed(counts) for counts in result.values()):
        audit_record(
            actor=actor,  # type: ignore[arg-type]  # audit still names accounts.User
            action=AuditAction.REFERENCE_DATA_SEEDED,
            data={"country": country, "counts": result},
        )
    return result

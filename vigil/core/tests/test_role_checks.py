"""Role checks have one home: each app's `permissions.py` (and the `Role` enum, `enums.py`).

Anywhere else in `vigil/` — services, selectors, views, forms, template tags, the API — a
module asks the policy (`can_<verb>_<entity>`, `<entities>_visible_to`, ...) instead of
comparing a user's role. Checked on the syntax tree, not by searching text: giving a role
(`User(role=Role.MONITOR)` in a factory or demo data, `choices=Role.choices`) is allowed,
comparing one (`==`, `!=`, `in`, `not in`, `is`, `is not`, a `match` case, `has_role(...)`)
is not — nor is comparing with a name bound to roles (`_EDITORS = (Role.ADMIN, ...)`).
Tests, migrations and demo-data code are not checked.
"""

import ast
from pathlib import Path

import pytest

import vigil

VIGIL = Path(vigil.__file__).resolve().parent
POLICY_FILES = frozenset({"permissions.py", "enums.py"})
UNCHECKED_DIRS = frozenset({"tests", "migrations"})


def _is_role(node: ast.AST) -> bool:
    """`Role` itself, or `something.Role` (`enums.Role`, `vigil.accounts.enums.Role`)."""
    return (isinstance(node, ast.Name) and node.id == "Role") or (
        isinstance(node, ast.Attribute) and node.attr == "Role"
    )


def _mentions_role(node: ast.AST, role_names: frozenset[str]) -> bool:
    """`Role.<anything>`, or a name bound to roles."""
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute) and _is_role(child.value):
            return True
        if isinstance(child, ast.Name) and child.id in role_names:
            return True
    return False


def _names_a_role(node: ast.AST) -> bool:
    """A role itself (`Role.ADMIN`), not the enum's helpers (`Role.choices`, `Role.values`)."""
    return any(
        isinstance(child, ast.Attribute) and _is_role(child.value) and child.attr.isupper()
        for child in ast.walk(node)
    )


def _names_bound_to_roles(tree: ast.Module) -> frozenset[str]:
    """Names a module binds to roles, e.g. `_READ_ALL = (Role.ADMIN, Role.AUDITOR)`."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and node.value is not None
            and _names_a_role(node.value)
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return frozenset(names)


def role_comparisons(source: str, filename: str = "<source>") -> list[str]:
    """Where `source` compares a role: `line: code` for each comparison."""
    tree = ast.parse(source, filename)
    role_names = _names_bound_to_roles(tree)
    found: list[ast.expr | ast.pattern] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            if _mentions_role(node, role_names):
                found.append(node)
        elif isinstance(node, ast.Match):
            found.extend(c.pattern for c in node.cases if _mentions_role(c.pattern, role_names))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "has_role":
                found.append(node)
    return sorted(f"{n.lineno}: {ast.get_source_segment(source, n) or ast.dump(n)}" for n in found)


def _checked_files() -> list[Path]:
    files = []
    for path in sorted(VIGIL.rglob("*.py")):
        parts = path.relative_to(VIGIL).parts
        if path.name in POLICY_FILES or UNCHECKED_DIRS.intersection(parts[:-1]):
            continue
        if any(part.startswith("demo") for part in parts):  # demo data (vigil/demo, */demo*)
            continue
        files.append(path)
    return files


def test_roles_are_compared_only_in_the_permission_policies() -> None:
    offenders = {
        str(path.relative_to(VIGIL.parent)): found
        for path in _checked_files()
        if (found := role_comparisons(path.read_text(encoding="utf-8"), str(path)))
    }
    assert offenders == {}, (
        "Compare roles only in an app's permissions.py; call a function of the policy instead."
    )


def test_the_walk_covers_the_apps_and_skips_tests_migrations_and_demo_data() -> None:
    checked = {str(path.relative_to(VIGIL)) for path in _checked_files()}
    assert "recommendations/workflow.py" in checked
    assert "accounts/services.py" in checked
    assert "accounts/permissions.py" not in checked
    assert "accounts/enums.py" not in checked
    assert not any("/tests/" in f"/{name}" or "/migrations/" in f"/{name}" for name in checked)
    assert not any(part.startswith("demo") for name in checked for part in name.split("/"))


@pytest.mark.parametrize(
    "source",
    [
        "ok = user.role == Role.LIAISON",
        "ok = user.role != Role.ADMIN",
        "ok = Role.AUDITOR == user.role",
        "ok = user.role in (Role.ADMIN, Role.COORDINATOR)",
        "ok = user.role not in [Role.MONITOR]",
        "ok = user.role is Role.REGIONAL",
        "ok = user.role == enums.Role.MONITOR",
        "ok = user.role == vigil.accounts.enums.Role.MONITOR",
        "ok = user.role == Role.LIAISON.value",
        "_EDITORS = (Role.ADMIN, Role.COORDINATOR)\nok = user.role in _EDITORS",
        "def f(user):\n    match user.role:\n        case Role.LIAISON:\n            return 1",
        "ok = user.has_role(Role.ADMIN)",
        "ok = [u for u in users if u.role == Role.MONITOR]",
    ],
)
def test_a_comparison_is_found(source: str) -> None:
    assert role_comparisons(source)


@pytest.mark.parametrize(
    "source",
    [
        "user = User(email='a@b.c', role=Role.MONITOR)",
        "qs = User.objects.filter(role=Role.LIAISON)",
        "role = models.CharField(choices=Role.choices)",
        "label = Role(user.role).label",
        "def f(role: Role | str) -> None: ...",
        "ok = user.role == other.role",
        "role = models.CharField(choices=Role.choices)\nok = role == 'x'",
        "ok = can_view_registry(user)",
    ],
)
def test_giving_or_reading_a_role_is_not_a_comparison(source: str) -> None:
    assert role_comparisons(source) == []

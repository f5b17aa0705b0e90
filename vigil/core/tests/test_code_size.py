"""House rule: a module is split into a package by subdomain before it passes 500 lines."""

from pathlib import Path

import vigil

LIMIT = 500
ROOT = Path(vigil.__file__).parent


def test_no_module_over_the_limit():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert too_long == {}, f"split these modules (over {LIMIT} lines): {too_long}"

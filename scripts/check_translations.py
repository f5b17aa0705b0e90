"""Fails when the kk/ru catalogs are stale or incomplete; leaves the working tree as it was.

Runs `makemessages` exactly as `make messages` does, compares the message ids with the
committed catalogs, restores them, and checks every entry is translated and not fuzzy.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ("kk", "ru")


def ids(path: Path) -> set[tuple[str, str]]:
    if not path.exists():
        return set()
    return {(e.msgctxt or "", e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}


def main() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "locale"
        if LOCALE.exists():
            shutil.copytree(LOCALE, backup)
        try:
            subprocess.run(["make", "--no-print-directory", "-s", "messages"], cwd=ROOT, check=True)
            for lang in LANGUAGES:
                rel = Path(lang) / "LC_MESSAGES" / "django.po"
                fresh, committed = ids(LOCALE / rel), ids(backup / rel)
                for ctx, msgid in sorted(fresh - committed):
                    problems.append(f"{rel}: missing from the catalog: {msgid!r} {ctx}")
                for ctx, msgid in sorted(committed - fresh):
                    problems.append(f"{rel}: no longer used in the code: {msgid!r} {ctx}")
        finally:
            if LOCALE.exists():
                shutil.rmtree(LOCALE)
            if backup.exists():
                shutil.copytree(backup, LOCALE)
    for lang in LANGUAGES:
        path = LOCALE / lang / "LC_MESSAGES" / "django.po"
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)}: catalog missing")
            continue
        catalog = polib.pofile(str(path))
        for entry in catalog.untranslated_entries():
            problems.append(f"{path.relative_to(ROOT)}: untranslated: {entry.msgid!r}")
        for entry in catalog.fuzzy_entries():
            problems.append(f"{path.relative_to(ROOT)}: fuzzy: {entry.msgid!r}")
    if problems:
        print("Translation catalogs are stale or incomplete (run `make messages`, translate):")
        print("\n".join(f"  {p}" for p in problems))
        return 1
    print("Translation catalogs are complete and up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

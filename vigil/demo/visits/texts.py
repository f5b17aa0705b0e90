"""Synthetic texts of the visits demo data, in kk, ru and en (see `vigil.demo.visits`).

The texts live in `vigil/demo/data/visit_texts.json`. Everything there is invented for
demonstration: no real institution, person or event. Each text exists in the three languages;
a visit's texts are in its team's language.
"""

import json
from pathlib import Path
from typing import Any

Texts = dict[str, str]

DATA = Path(__file__).resolve().parent.parent / "data" / "visit_texts.json"
_DOCUMENT: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))

# Finding patterns by theme. `categories`: institution categories it fits (None: any);
# `severities`: the severities it is drawn with.
FINDINGS: dict[str, list[dict[str, Any]]] = _DOCUMENT["findings"]
ACCESS_REFUSED_FINDING: dict[str, Any] = _DOCUMENT["access_refused_finding"]
GOOD_PRACTICES: list[dict[str, Any]] = _DOCUMENT["good_practices"]
INTERVIEWS: dict[str, list[Texts]] = _DOCUMENT["interviews"]
PSEUDONYM: Texts = _DOCUMENT["pseudonym"]
PSEUDONYM_LETTERS: Texts = _DOCUMENT["pseudonym_letters"]
PRESENT: Texts = _DOCUMENT["present"]
BORN: Texts = _DOCUMENT["born"]
REPORT_INTRODUCTION: Texts = _DOCUMENT["report_introduction"]
REPORT_CONCLUSION: Texts = _DOCUMENT["report_conclusion"]
TITLES: dict[str, Texts] = _DOCUMENT["titles"]
OBJECTIVES: dict[str, Texts] = _DOCUMENT["objectives"]
TRIGGERS: dict[str, Texts] = _DOCUMENT["triggers"]
NOTES: dict[str, Texts] = _DOCUMENT["notes"]
INCIDENTS: dict[str, Texts] = _DOCUMENT["incidents"]
INTERNAL_NOTES: list[Texts] = _DOCUMENT["internal_notes"]
CHECKLIST_TEXT: list[Texts] = _DOCUMENT["checklist_text"]

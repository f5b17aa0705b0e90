"""The Content Security Policy allows styles and scripts only from our own files
(`style-src 'self'`, `script-src 'self'`): no page template may carry a `style` attribute,
a `<style>` element, an inline `<script>` or an inline event handler (`onclick=`...).

The print templates (`*_pdf.html`) are exempt: WeasyPrint renders them to PDF, and no
browser ever loads them.
"""

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "vigil"
TEMPLATES = sorted(
    p for p in ROOT.glob("**/templates/**/*.html") if not p.name.endswith("_pdf.html")
)
FORBIDDEN = {
    "style attribute": re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE),
    "<style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "inline event handler": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_the_policy_allows_no_inline_styles_or_scripts():
    policy: dict[str, Any] = settings.SECURE_CSP
    assert "'unsafe-inline'" not in policy["style-src"]
    assert "'unsafe-inline'" not in policy["script-src"]


def test_templates_are_found():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_style_or_script(path):
    text = path.read_text()
    found = [name for name, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert found == [], f"{path.relative_to(ROOT)}: {', '.join(found)}"

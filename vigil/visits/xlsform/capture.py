"""A visit's capture form: the checklist template of one visited institution as the XForm
ODK Collect and Enketo fill (`form_id` names the visit and the institution), with two
repeats after the themes: findings (theme, severity, title, description, a photo) and
photos (with a description). What a submission of it holds is read by
`vigil.visits.openrosa.instance`.

Forms are made by pyxform; the same form is asked for by every phone of the team and at each
form-list refresh, so it is kept per template version, visit and institution (in memory)."""

import functools
import hashlib
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..enums import Severity, Theme
from ..models import ChecklistTemplate, Finding
from .writing import in_languages, template_to_xlsform, xlsform_to_xform

LAYOUT = 2
"""Raised when the capture part of the form changes: phones then fetch the new version."""

FINDINGS, PHOTOS = "vigil_findings", "vigil_photos"
FORM_FIELD = "vigil_form"
"""A hidden field holding the form id: every row of an export of submissions (KoBoToolbox,
ODK Central) says which visit and institution it belongs to."""
THEMES_LIST, SEVERITIES_LIST = "vigil_themes", "vigil_severities"
FINDING_FIELDS = ("theme", "severity", "title", "description", "photo")
PHOTO_FIELDS = ("photo", "description")
MAX_TITLE = Finding._meta.get_field("title").max_length


def _row(
    kind: str, name: str, label: object, *, required: bool = False, constraint: str = ""
) -> list[object]:
    return [
        kind,
        name,
        *in_languages(label),
        constraint or None,
        None,
        None,
        None,
        "yes" if required else None,
    ]


def _capture_rows(form_id: str) -> tuple[list[list[object]], list[list[object]]]:
    survey: list[list[object]] = [
        ["calculate", FORM_FIELD, None, None, None, None, None, None, None, None, f"'{form_id}'"],
        _row("begin_repeat", FINDINGS, _("Findings")),
        _row(f"select_one {THEMES_LIST}", "theme", _("Theme"), required=True),
        _row(f"select_one {SEVERITIES_LIST}", "severity", _("Severity"), required=True),
        _row(
            "text",
            "title",
            _("Title"),
            required=True,
            constraint=f"string-length(.) <= {MAX_TITLE}",
        ),
        _row("text", "description", _("Description"), required=True),
        _row("image", "photo", _("Photo")),
        ["end_repeat"],
        _row("begin_repeat", PHOTOS, _("Photos")),
        _row("image", "photo", _("Photo"), required=True),
        _row("text", "description", _("Description")),
        ["end_repeat"],
    ]
    choices: list[list[object]] = [
        [THEMES_LIST, value, *in_languages(label)] for value, label in Theme.choices
    ]
    choices += [[SEVERITIES_LIST, value, *in_languages(label)] for value, label in Severity.choices]
    return survey, choices


@dataclass(frozen=True)
class CaptureForm:
    form_id: str
    title: str
    version: str
    xform: str

    @property
    def md5(self) -> str:
        return hashlib.md5(self.xform.encode(), usedforsecurity=False).hexdigest()


def capture_form_id(visit_id: uuid.UUID, institution_id: uuid.UUID) -> str:
    return f"vigil-{visit_id.hex}-{institution_id.hex}"


def parse_capture_form_id(form_id: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    parts = form_id.split("-")
    if len(parts) != 3 or parts[0] != "vigil":
        return None
    try:
        return uuid.UUID(hex=parts[1]), uuid.UUID(hex=parts[2])
    except ValueError:
        return None


def capture_title(template: ChecklistTemplate, institution_name: str, visit_reference: str) -> str:
    return f"{template.name} — {institution_name} ({visit_reference})"


def capture_form_version(template: ChecklistTemplate) -> str:
    return f"{template.version}.{LAYOUT}"


def capture_xlsform(template: ChecklistTemplate, *, form_id: str, title: str) -> bytes:
    """The capture form as an XLSForm, to deploy on KoBoToolbox or ODK Central."""
    survey, choices = _capture_rows(form_id)
    version = capture_form_version(template)
    return template_to_xlsform(
        template, form=(title, form_id, version), extra_survey=survey, extra_choices=choices
    )


@functools.lru_cache(maxsize=256)
def _xform(template_pk: int, changed: str, title: str, form_id: str) -> str:
    template = ChecklistTemplate.objects.get(pk=template_pk)
    return xlsform_to_xform(capture_xlsform(template, form_id=form_id, title=title))


def capture_form(template: ChecklistTemplate, *, form_id: str, title: str) -> CaptureForm:
    """The capture form (kept while the template is unchanged)."""
    version = capture_form_version(template)
    xform = _xform(
        template.pk, f"{template.version}:{template.updated_at.isoformat()}", title, form_id
    )
    return CaptureForm(form_id=form_id, title=title, version=version, xform=xform)

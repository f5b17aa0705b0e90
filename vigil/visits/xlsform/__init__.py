"""Checklist templates as XLSForms (the ODK form format: sheets survey, choices, settings) and
as XForms (what ODK Collect and Enketo fill), through pyxform.

* `writing`: `template_to_xlsform(template) -> bytes`, `template_to_xform(template) -> str`,
  `xform_validate(xform)` (ODK Validate, shipped with pyxform; needs Java);
* `reading`: an uploaded XLSForm into the template document the checklist data files use,
  every problem named by sheet, row and column;
* `format`: the mapping between the two, the one place that says how a question kind is
  written in XLSForm and read back (docs/checklists.md).

The import itself is a service (`services.xlsform.checklist_template_xlsform_import`): it
writes through `services.checklist_templates.checklist_template_import`, the rules of
`load_checklists`.
"""

from .reading import XLSFormError, xlsform_document
from .writing import template_to_xform, template_to_xlsform, xform_validate

__all__ = [
    "XLSFormError",
    "template_to_xform",
    "template_to_xlsform",
    "xform_validate",
    "xlsform_document",
]

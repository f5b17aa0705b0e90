"""The XLSForm upload form of the checklist template import page."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import StyledForm
from vigil.core.importing import size_error


class XLSFormUploadForm(StyledForm):
    file = forms.FileField(
        label=_("XLSForm (XLSX)"),
        help_text=_(
            "An Excel workbook with the sheets survey, choices and settings, as the XLSForm "
            "download of a template gives it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = size_error(upload.size or 0)
        if problem:
            raise ValidationError(problem)
        return upload

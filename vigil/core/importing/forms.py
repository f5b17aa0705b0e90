"""The upload form of every import page: one CSV/XLSX file, checked against
`VIGIL_IMPORT_MAX_BYTES`."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from ..forms import StyledForm
from .reading import size_error


class ImportUploadForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "The first sheet of an Excel workbook, or a CSV saved as “CSV UTF-8” "
            "(comma or semicolon separated). The first row holds the column names."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = size_error(upload.size or 0)
        if problem:
            raise ValidationError(problem)
        return upload

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

    def __init__(self, *args: Any, archives: bool = False, **kwargs: Any) -> None:
        """`archives`: a kind that reads several tables (workbook sheets, a ZIP of CSVs)."""
        super().__init__(*args, **kwargs)
        if archives:
            field = self.fields["file"]
            field.label = gettext_lazy("File (XLSX, CSV or ZIP)")
            field.help_text = gettext_lazy(
                "An Excel workbook with all its sheets, a CSV, or a ZIP of CSV files, as "
                "exported. The first row of each holds the column names."
            )
            field.widget.attrs["accept"] = ".csv,.xlsx,.zip"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = size_error(upload.size or 0)
        if problem:
            raise ValidationError(problem)
        return upload

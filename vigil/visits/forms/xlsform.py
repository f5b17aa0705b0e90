"""The XLSForm upload form of the checklist template import page: the import pages' upload
form (its size check) for an XLSX workbook of three sheets."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.importing.forms import ImportUploadForm


class XLSFormUploadForm(ImportUploadForm):
    file = forms.FileField(
        label=_("XLSForm (XLSX)"),
        help_text=_(
            "An Excel workbook with the sheets survey, choices and settings, as the XLSForm "
            "download of a template gives it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

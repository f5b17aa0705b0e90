from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.audit.enums import AuditAction
from vigil.core.forms import DateInput, StyledForm


class AuditFilterForm(StyledForm):
    actor = forms.CharField(label=_("Actor"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *((a.value, a.value) for a in AuditAction)],
    )
    target = forms.CharField(label=_("Target"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

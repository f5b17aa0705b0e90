"""The upload form of the attachments page."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.forms import StyledFormMixin

from ..models import Finding, Interview, Visit
from ..permissions import can_read_interview
from ..services.attachments import UPLOAD_CHECK


class _FindingChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Finding) -> str:
        return f"{obj.theme} · {obj.title}"


class _InterviewChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Interview) -> str:
        return obj.pseudonym


class AttachmentUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Photo or document"),
        widget=forms.FileInput(attrs={"accept": UPLOAD_CHECK.accept_attribute}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("What it shows. Do not write names of people at risk."),
    )
    finding = _FindingChoice(
        label=_("Attach to a finding"),
        queryset=Finding.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("— the visit —"),
    )
    interview = _InterviewChoice(
        label=_("Attach to an interview"),
        queryset=Interview.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("— none —"),
    )

    def __init__(self, *args: Any, visit: Visit, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = str(UPLOAD_CHECK.help_text)
        self.fields["finding"].queryset = visit.findings.order_by("theme", "pk")  # type: ignore[attr-defined]
        # Reading an interview depends on its visit only: one check covers the visit's.
        interviews = visit.interviews.order_by("-conducted_on", "pk")
        sample = interviews.first()
        if sample is None or not can_read_interview(user, sample):
            interviews = interviews.none()
        self.fields["interview"].queryset = interviews  # type: ignore[attr-defined]
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("finding") and data.get("interview"):
            self.add_error(
                "interview", _("Attach the file to a finding or to an interview, not both.")
            )
        return data


class CustodyRevealForm(StyledFormMixin, forms.Form):
    """The reason for reading a file's chain of custody, and optionally a candidate original
    to compare with it."""

    reason = forms.CharField(
        label=_("Reason for reading the custody record"),
        max_length=1000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Logged with your name and the time, e.g. “request of the prosecutor”."),
    )
    candidate = forms.FileField(
        label=_("Original to verify (optional)"),
        required=False,
        help_text=_(
            "A file said to be the original (e.g. from the camera): its SHA-256 is compared "
            "with the one recorded on upload. It is not stored."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

"""The authority's response form: letter, responding body, measures, claim, attachments."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from vigil.accounts.models import User
from vigil.core.files.pending import pending_keep
from vigil.core.forms import DateInput, StyledFormMixin
from vigil.reference.models import Agency

from ..enums import ClaimedStatus
from ..models import AuthorityResponse, PendingResponseFile, Recommendation
from ..services.responses import (
    MAX_ATTACHMENTS,
    MAX_MEASURES_CHARS,
    UPLOAD_CHECK,
    responding_bodies,
)


class _AgencyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class _MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ResponseForm(StyledFormMixin, forms.Form):
    letter_number = forms.CharField(
        label=_("Letter number"),
        max_length=60,
        help_text=_("The outgoing number of your official letter."),
    )
    letter_date = forms.DateField(label=_("Letter date"), widget=DateInput())
    responding_agency = _AgencyChoice(
        label=_("Responding body"),
        queryset=Agency.objects.none(),
        to_field_name="code",
        empty_label=None,
        help_text=_("Your agency or the sub-unit that answers."),
    )
    claimed_status = forms.ChoiceField(
        label=_("Status you report"),
        choices=ClaimedStatus.choices,
        widget=forms.RadioSelect,
        help_text=_("The NPM will assess it, and may verify it at a visit."),
    )
    measures = forms.CharField(
        label=_("Measures taken"),
        max_length=MAX_MEASURES_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What was done, by whom and when; or why the recommendation is not accepted. "
            "Do not write names of detainees."
        ),
    )
    attachments = _MultipleFileField(
        label=_("Evidence (files)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        recommendation: Recommendation,
        corrects: AuthorityResponse | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        bodies = Agency.objects.filter(pk__in=responding_bodies(user, recommendation)).order_by(
            "code"
        )
        self.fields["responding_agency"].queryset = bodies  # type: ignore[attr-defined]
        if not self.is_bound:
            default = corrects.responding_agency if corrects else None
            if default is None and user.agency_id in {b.pk for b in bodies}:
                default = user.agency
            if default is None:
                default = recommendation.addressee
            self.initial.setdefault("responding_agency", default.code)
            if corrects is not None:
                self.initial.setdefault("letter_number", corrects.letter_number)
                self.initial.setdefault("claimed_status", corrects.claimed_status)
                self.initial.setdefault("measures", corrects.measures)
        self.fields["attachments"].help_text = ngettext(
            "%(types)s Up to %(count)d file.", "%(types)s Up to %(count)d files.", MAX_ATTACHMENTS
        ) % {
            "types": UPLOAD_CHECK.help_text,
            "count": MAX_ATTACHMENTS,
        }
        self.fields["attachments"].widget.attrs["accept"] = UPLOAD_CHECK.accept_attribute
        self.style_fields()
        self.fields["claimed_status"].widget.attrs["class"] = "form-check-input"

    def keep_files(self, user: User, kept: list[PendingResponseFile]) -> None:
        """The form comes back with an error, and a browser never refills a file field: the
        files just chosen that pass the upload check are kept (`vigil.core.files.pending`)
        and added to `kept`, so that they need not be chosen again; the others are named."""
        files = [upload for upload in self.files.getlist("attachments") if upload]
        if not files:
            return
        added, refused = pending_keep(
            PendingResponseFile, user=user, files=files, check=UPLOAD_CHECK
        )
        kept.extend(added)
        if refused and "attachments" not in self.errors:
            self.add_error("attachments", refused)

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("Attach at most %(limit)d files.") % {"limit": MAX_ATTACHMENTS})
        return list(files)

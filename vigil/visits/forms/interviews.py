"""Forms of the interview pages: phone-first (one column, big touch targets), the content and
the real identity apart in a section marked confidential."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import DateInput, StyledFormMixin
from vigil.registry.models import Institution

from ..enums import ConsentScope, IntervieweeCategory, ReprisalRisk, Vulnerability
from ..models import Interview, Visit

METADATA_FIELDS = (
    "institution",
    "conducted_on",
    "category",
    "pseudonym",
    "in_private",
    "present_persons",
    "interpreter_used",
    "consent_scopes",
    "vulnerabilities",
    "alleges_ill_treatment",
    "injuries_seen",
    "reprisal_risk",
    "follow_up_on",
)


class _InstitutionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Institution) -> str:
        return obj.name


def _style_choices(form: "InterviewForm | ConsentWithdrawalForm") -> None:
    form.style_fields()
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            field.widget.attrs["class"] = "form-check-input"


class InterviewForm(StyledFormMixin, forms.Form):
    institution = _InstitutionChoice(
        label=_("Institution"), queryset=Institution.objects.none(), to_field_name="public_id"
    )
    conducted_on = forms.DateField(label=_("Date of the interview"), widget=DateInput())
    category = forms.ChoiceField(
        label=_("Interviewee"),
        choices=IntervieweeCategory.choices,
        initial=IntervieweeCategory.DETAINEE,
        widget=forms.RadioSelect,
    )
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=60,
        help_text=_("The name the interview is known by. Never the real name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    in_private = forms.BooleanField(label=_("Held in private"), required=False, initial=True)
    present_persons = forms.CharField(
        label=_("Who else was present"),
        max_length=300,
        required=False,
        help_text=_(
            "Only when the interview was not held in private, e.g. “a guard”. Stored "
            "encrypted, shown only with the content."
        ),
    )
    interpreter_used = forms.BooleanField(label=_("An interpreter was used"), required=False)
    consent_scopes = forms.MultipleChoiceField(
        label=_("Consent given"),
        choices=ConsentScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the person agreed to. Nothing ticked: nothing may be used."),
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Situations of vulnerability"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    alleges_ill_treatment = forms.BooleanField(
        label=_("Alleges ill-treatment or torture"), required=False
    )
    injuries_seen = forms.BooleanField(
        label=_("Injuries seen (document them per the Istanbul Protocol)"), required=False
    )
    reprisal_risk = forms.ChoiceField(
        label=_("Risk of reprisals"),
        choices=ReprisalRisk.choices,
        initial=ReprisalRisk.NONE,
        widget=forms.RadioSelect,
    )
    follow_up_on = forms.DateField(
        label=_("Contact again on"),
        required=False,
        widget=DateInput(),
        help_text=_("Puts a task on the visit lead's page. Needs consent to contact back."),
    )
    content = forms.CharField(
        label=_("What was said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Stored encrypted. Each time someone reads it, it is logged."),
    )
    identity = forms.CharField(
        label=_("Real identity (sealed)"),
        required=False,
        max_length=1000,
        # Never kept on the device by the offline script, unlike the rest of the form.
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "data-offline-skip": True}
        ),
        help_text=_(
            "Stored encrypted, never shown without an unseal. Leave empty if the person "
            "did not give it."
        ),
    )

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institutions = visit.institutions.order_by("pk")
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        if not self.is_bound and "institution" not in self.initial:
            only = list(institutions[:2])
            if len(only) == 1:
                self.initial["institution"] = only[0].public_id
        self.initial.setdefault("conducted_on", timezone.localdate())
        _style_choices(self)

    def metadata(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in METADATA_FIELDS if name in self.cleaned_data
        }


class InterviewEditForm(InterviewForm):
    """Metadata as on creation; the content is added to, never shown here (a read is logged
    on the interview page); a new identity replaces the sealed one."""

    content_addition = forms.CharField(
        label=_("Add to what was said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Appended to the content with today's date and time. The content itself is "
            "not shown here."
        ),
    )

    def __init__(self, *args: Any, interview: Interview, **kwargs: Any) -> None:
        initial = {
            name: getattr(interview, name) for name in METADATA_FIELDS if name != "present_persons"
        }
        initial["institution"] = interview.institution.public_id
        initial.update(kwargs.pop("initial", None) or {})
        super().__init__(*args, visit=interview.visit, initial=initial, **kwargs)
        del self.fields["content"]
        present = self.fields["present_persons"]
        present.label = _("Replace who else was present")
        present.help_text = _(
            "Encrypted and shown only with the content. Leave empty to keep what was "
            "recorded; a new text replaces it."
        )
        identity = self.fields["identity"]
        identity.label = _("Replace the real identity (sealed)")
        identity.help_text = _(
            "Leave empty to keep the sealed identity as it is. A new one replaces it, "
            "stored encrypted."
        )


class UnsealForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for unsealing"),
        max_length=1000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Logged with your name and the time, e.g. “referral to the prosecutor”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class ConsentWithdrawalForm(StyledFormMixin, forms.Form):
    on_date = forms.DateField(label=_("Consent withdrawn on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on_date", timezone.localdate())
        _style_choices(self)


class FollowUpDoneForm(StyledFormMixin, forms.Form):
    on_date = forms.DateField(label=_("Contacted on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on_date", timezone.localdate())
        self.style_fields()

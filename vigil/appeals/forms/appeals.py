"""Forms of appeal handling: registering (staff, from a visit), triage, assignment, deadline
extension, life-cycle moves, unsealing, merging and attachments. Forms parse; the services
(`..services`) decide."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.forms import DateInput, StyledForm
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to
from vigil.registry.pickers import InstitutionChoiceField
from vigil.visits.enums import ReprisalRisk
from vigil.visits.models import Interview, Visit

from ..enums import Channel, Disclosure, Urgency
from ..models import AllegationType, Appeal, AppealSubject
from ..permissions import assignable_staff

STAFF_CHANNELS = [
    (value, label)
    for value, label in Channel.choices
    if value not in (Channel.VISIT, Channel.WEB_FORM)
]
"""What staff register by hand: everything but a visit (its own page) and the public form."""

SENSITIVE = {"data-sensitive": "true", "autocomplete": "off", "data-offline-skip": "true"}


def _subjects() -> QuerySet[AppealSubject]:
    return AppealSubject.objects.filter(active=True).order_by("sort_order", "code")


def _allegations() -> QuerySet[AllegationType]:
    return AllegationType.objects.filter(active=True).order_by("sort_order", "code")


class _AboutFields(StyledForm):
    """What the appeal is about: the triage fields (also asked when registering)."""

    subject = forms.ModelChoiceField(
        label=_("Subject"),
        queryset=AppealSubject.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Not yet known"),
    )
    allegation_types = forms.ModelMultipleChoiceField(
        label=_("Allegations"),
        queryset=AllegationType.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    institution = InstitutionChoiceField(
        Institution.objects.none(),
        label=_("Institution"),
        required=False,
        help_text=_("The institution the appeal is about, from the registry."),
    )
    institution_text = forms.CharField(
        label=_("Place as the appellant named it"),
        max_length=300,
        required=False,
        help_text=_("When the institution is not (yet) found in the registry."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("A short description for lists, without names."),
    )
    consent_scopes = forms.MultipleChoiceField(
        label=_("The person consents to disclose"),
        choices=Disclosure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_contact = forms.BooleanField(label=_("May be contacted back"), required=False)
    reprisal_risk = forms.ChoiceField(label=_("Risk of reprisals"), choices=ReprisalRisk.choices)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = _subjects()  # type: ignore[attr-defined]
        self.fields["allegation_types"].queryset = _allegations()  # type: ignore[attr-defined]
        places = institutions_visible_to(user)
        self.fields["institution"].queryset = places  # type: ignore[attr-defined]
        self.fields["institution"].widget.queryset = places  # type: ignore[attr-defined]

    def about_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "subject",
                "institution",
                "institution_text",
                "urgency",
                "summary",
                "consent_scopes",
                "consent_contact",
                "reprisal_risk",
            )
            if name in data
        }


class AppealRegisterForm(_AboutFields):
    """An appeal received by staff (letter, hotline, e-government, ...) or during a visit."""

    channel = forms.ChoiceField(label=_("Received through"), choices=STAFF_CHANNELS)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    interview = forms.ModelChoiceField(
        label=_("Interview"),
        queryset=Interview.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("None"),
        help_text=_("The interview during which the appeal was made, if any."),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous"), required=False, help_text=_("The appellant gave no name.")
    )
    name = forms.CharField(
        label=_("Appellant's name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=SENSITIVE),
        help_text=_("Sealed: stored encrypted apart from the appeal; reading it is logged."),
    )
    contact = forms.CharField(
        label=_("Appellant's contact"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=SENSITIVE),
        help_text=_("Sealed with the name: address, phone or where the person is held."),
    )
    content = forms.CharField(
        label=_("What the appellant wrote or said"),
        widget=forms.Textarea(attrs={"rows": 8, **SENSITIVE}),
        help_text=_("Encrypted; each read is logged."),
    )

    field_order = (
        "channel",
        "received_on",
        "interview",
        "anonymous",
        "name",
        "contact",
        "content",
        "subject",
        "allegation_types",
        "institution",
        "institution_text",
        "urgency",
        "summary",
        "consent_scopes",
        "consent_contact",
        "reprisal_risk",
    )

    def __init__(self, *args: Any, user: User, visit: Visit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.order_fields(self.field_order)
        if visit is None:
            del self.fields["interview"]
        else:
            del self.fields["channel"]
            self.fields["interview"].queryset = Interview.objects.filter(  # type: ignore[attr-defined]
                visit=visit
            ).order_by("pseudonym")
            self.fields["interview"].label_from_instance = lambda i: i.pseudonym  # type: ignore[attr-defined]
        self.sensitive_fields = ("name", "contact", "content")


class TriageForm(_AboutFields):
    pass


class AssignForm(StyledForm):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("Nobody (unassigned)"),
    )

    def __init__(self, *args: Any, appeal: Appeal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_staff(appeal)  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.full_name} ({u.get_role_display()})"
        )


class ExtendForm(StyledForm):
    until = forms.DateField(label=_("New due date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for the extension"), widget=forms.Textarea(attrs={"rows": 2})
    )


class MoveForm(forms.Form):
    move = forms.CharField(max_length=40)
    expected_state = forms.CharField(max_length=24, required=False)
    note = forms.CharField(required=False, widget=forms.Textarea)
    forwarded_to = forms.CharField(max_length=300, required=False)


class UnsealForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for unsealing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the access log with your name."),
    )


class MergeForm(forms.Form):
    into = forms.UUIDField()
    note = forms.CharField(required=False, max_length=1000)


class AttachmentForm(StyledForm):
    file = forms.FileField(label=_("File"))

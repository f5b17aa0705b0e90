from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vigil.audit.context import RequestContext
from vigil.core.forms import StyledFormMixin
from vigil.reference.models import Agency, Region

from .lockout import Lockout, login_refused
from .models import User


class EmailAuthenticationForm(StyledFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    lockout: Lockout | None = None

    def clean(self) -> dict[str, Any]:
        # Refused before the password is checked: a locked account cannot be guessed into.
        email = self.cleaned_data.get("username") or ""
        if email:
            context = RequestContext.from_request(self.request) if self.request else None
            self.lockout = login_refused(email, context.ip if context else None)
            if self.lockout is not None:
                raise ValidationError(self.lockout.message, code="locked")
        return super().clean()


class UserForm(StyledFormMixin, forms.ModelForm[User]):
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.order_by("code"),
        required=False,
        help_text=_("For regional representatives."),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("code"),
        required=False,
        help_text=_("For agency liaisons: they see this agency and its sub-units."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", "—"), *settings.LANGUAGES],
        required=False,
    )

    class Meta:
        model = User
        fields: tuple[str, ...] = (
            "email",
            "full_name",
            "role",
            "agency",
            "preferred_language",
            "is_active",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["regions"].initial = list(self.instance.regions.all())
        self.style_fields()


class UserCreateForm(UserForm):
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_("Leave empty to let the person set one through “Forgot password”."),
    )

    class Meta(UserForm.Meta):
        fields: tuple[str, ...] = ("email", "full_name", "role", "agency", "preferred_language")

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if password:
            # The policy (AUTH_PASSWORD_VALIDATORS), checked against the new account's e-mail
            # and name as well.
            account = User(
                email=self.cleaned_data.get("email") or "",
                full_name=self.cleaned_data.get("full_name") or "",
            )
            password_validation.validate_password(password, account)
        return password


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Device or program"),
        max_length=100,
        help_text=_("A name to recognise the token by, e.g. “laptop, statistics script”."),
    )

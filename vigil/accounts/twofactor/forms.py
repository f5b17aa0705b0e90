from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import StyledForm

APP_CODE_HELP = _("The six digits your authenticator app shows now.")


def _code_field(help_text: Any, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                **attrs,
            }
        ),
    )


class CodeForm(StyledForm):
    """The code of the authenticator app, to confirm the enrolment."""

    code = _code_field(APP_CODE_HELP, inputmode="numeric")


class SecondFactorForm(StyledForm):
    """The sign-in's second step: a code of the app, or a recovery code."""

    code = _code_field(
        _("The six digits your authenticator app shows now, or one of your recovery codes."),
        autofocus=True,
    )


class DisableForm(StyledForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field(APP_CODE_HELP, inputmode="numeric")

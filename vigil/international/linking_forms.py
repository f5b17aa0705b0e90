"""Forms of the paragraph's links page: a suggestion decided (confirm or reject), a record
linked by hand (a recommendation by its reference, a finding by its id, a systemic issue by
theme and branch agency) and the search over the records the user may see.

Each form resolves what was named to a record the user may see, and says clearly when it is
unknown or not visible to the user; the service checks the policy again when it links.
"""

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.forms import StyledForm
from vigil.recommendations.models import Recommendation
from vigil.recommendations.permissions import recommendations_visible_to
from vigil.reference.enums import AgencyLevel
from vigil.reference.models import Agency
from vigil.visits.enums import Theme
from vigil.visits.models import Finding
from vigil.visits.permissions import findings_visible_to

from .enums import LinkKind
from .services import LinkTarget, SystemicTarget

MAX_QUERY = 200


def branch_agencies() -> QuerySet[Agency]:
    """The agencies a systemic issue may name as its branch: any level above a regional
    department (the systemic issues roll regional departments up into the body above them)."""
    return Agency.objects.exclude(level=AgencyLevel.REGIONAL_DEPARTMENT).order_by("code")


class DecisionForm(forms.Form):
    """Which suggestion a person confirms or rejects: its kind and its record (a finding's
    or recommendation's public id; a systemic issue's theme and branch code)."""

    kind = forms.ChoiceField(choices=LinkKind.choices)
    target = forms.UUIDField(required=False)
    theme = forms.ChoiceField(choices=Theme.choices, required=False)
    branch = forms.CharField(max_length=40, required=False)

    def key(self) -> tuple[str, str]:
        """What identifies the suggestion: (kind, public id) or (kind, "theme branch")."""
        data = self.cleaned_data
        if data["kind"] == LinkKind.SYSTEMIC:
            return data["kind"], f"{data['theme']} {data['branch']}"
        return data["kind"], str(data["target"] or "")


class RecommendationLinkForm(StyledForm):
    reference = forms.CharField(
        label=_("Recommendation's reference"),
        max_length=30,
        help_text=_("As shown on the recommendation's page, e.g. REC-2024-12."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, prefix="rec", **kwargs)
        self.user = user

    def clean_reference(self) -> Recommendation:
        reference = self.cleaned_data["reference"].strip()
        found = recommendations_visible_to(self.user).filter(reference__iexact=reference).first()
        if found is not None:
            return found
        if Recommendation.objects.filter(reference__iexact=reference).exists():
            raise ValidationError(_("This recommendation is not one you may see."))
        raise ValidationError(
            _("No recommendation has the reference %(reference)s.") % {"reference": reference}
        )

    def target(self) -> LinkTarget:
        recommendation: Recommendation = self.cleaned_data["reference"]
        return recommendation


class FindingLinkForm(StyledForm):
    finding = forms.CharField(
        label=_("Finding's id"),
        max_length=300,
        help_text=_(
            "The id at the end of the finding's address; or search for it by its words below."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, prefix="finding", **kwargs)
        self.user = user

    def clean_finding(self) -> Finding:
        value = self.cleaned_data["finding"].strip().rstrip("/").rsplit("/", 1)[-1]
        try:
            key = uuid.UUID(value)
        except ValueError:
            raise ValidationError(_("This is not a finding's id.")) from None
        found = findings_visible_to(self.user).filter(public_id=key).first()
        if found is not None:
            return found
        if Finding.objects.filter(public_id=key).exists():
            raise ValidationError(_("This finding is not one you may see."))
        raise ValidationError(_("No finding has this id."))

    def target(self) -> LinkTarget:
        finding: Finding = self.cleaned_data["finding"]
        return finding


class SystemicLinkForm(StyledForm):
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    branch = forms.ModelChoiceField(
        label=_("Branch agency"),
        queryset=Agency.objects.none(),
        to_field_name="code",
        empty_label=_("Choose the agency"),
        help_text=_(
            "The ministry or committee across whose institutions the issue is raised; its "
            "regional departments count with it."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, prefix="systemic", **kwargs)
        self.user = user
        self.fields["branch"].queryset = branch_agencies()  # type: ignore[attr-defined]

    def target(self) -> LinkTarget:
        return SystemicTarget(self.cleaned_data["theme"], self.cleaned_data["branch"])


MANUAL_FORMS: dict[str, type[RecommendationLinkForm | FindingLinkForm | SystemicLinkForm]] = {
    LinkKind.RECOMMENDATION: RecommendationLinkForm,
    LinkKind.FINDING: FindingLinkForm,
    LinkKind.SYSTEMIC: SystemicLinkForm,
}


class LinkSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search recommendations and findings"),
        max_length=MAX_QUERY,
        required=False,
        help_text=_("Words of the text, or a recommendation's reference."),
    )

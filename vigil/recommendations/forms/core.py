"""Forms for drafting recommendations, moving them along and assessing them."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.collation import SortKey
from vigil.core.forms import DateInput, StyledForm, StyledFormMixin
from vigil.reference.models import Agency
from vigil.registry.filters import name_field
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to
from vigil.registry.pickers import InstitutionChoiceField
from vigil.visits.enums import Theme
from vigil.visits.models import Finding, Visit

from .. import workflow
from ..enums import Level, Source, Verdict
from ..models import Recommendation
from ..permissions import recommendations_visible_to
from ..selectors.core import visits_for_verification
from ..services.issuing import default_deadline_days


class FindingChoiceField(forms.ModelMultipleChoiceField[Finding]):
    def label_from_instance(self, obj: Finding) -> str:
        return f"{obj.theme} · {obj.get_severity_display()} · {obj.title}"


class RecommendationForm(StyledFormMixin, forms.Form):
    """A draft: what to do, by whom, how success shows, by when."""

    source = forms.ChoiceField(
        label=_("Source"),
        choices=[(v, label) for v, label in Source.choices if v != Source.ESCALATION],
    )
    source_document = forms.CharField(
        label=_("Source document"),
        max_length=200,
        required=False,
        help_text=_("E.g. CAT/C/KAZ/CO/4, paragraph 12; or the title of the thematic report."),
    )
    addressee = forms.ModelChoiceField(
        label=_("Addressee"),
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("Choose the addressee"),
        help_text=_(
            "The body that must act: an institution's regional department, a committee, a "
            "ministry, the government or parliament."
        ),
    )
    institution = InstitutionChoiceField(
        Institution.objects.none(),
        label=_("Institution"),
        required=False,
        help_text=_("The institution concerned, if any."),
    )
    findings = FindingChoiceField(
        label=_("Findings"),
        queryset=Finding.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The findings of the report this recommendation answers."),
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.INSTITUTIONAL)
    text = forms.CharField(
        label=_("Recommended action"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One action, addressed to one body, that can be checked."),
    )
    indicator = forms.CharField(
        label=_("Indicator of success"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("What the NPM will see when the recommendation is implemented."),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    repeat_of = forms.CharField(
        label=_("Repeats recommendation (reference)"),
        max_length=30,
        required=False,
        help_text=_(
            "When the same issue was raised before: the earlier recommendation's reference."
        ),
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        visit: Visit | None = None,
        recommendation: Recommendation | None = None,
        finding: Finding | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.visit = visit
        self.recommendation = recommendation
        self.fields["deadline"].help_text = _(
            "Leave empty for %(days)d working days after the issue date."
        ) % {"days": default_deadline_days()}
        if visit is not None:
            del self.fields["source"]
            del self.fields["source_document"]
            institutions = visit.institutions.order_by(SortKey(name_field()), "pk")
            self.fields["institution"] = forms.ModelChoiceField(
                label=_("Institution"),
                queryset=institutions,
                to_field_name="public_id",
                required=False,
                empty_label=_("Not one institution"),
            )
            if not self.is_bound:
                self._prefill(visit, list(institutions), finding)
            findings_field: Any = self.fields["findings"]
            findings_field.queryset = _report_findings(visit)
        else:
            del self.fields["findings"]
            field: Any = self.fields["institution"]
            visible = institutions_visible_to(user)
            field.queryset = visible
            field.widget.queryset = visible
        self.style_fields()
        if "findings" in self.fields:
            self.fields["findings"].widget.attrs["class"] = "form-check-input"

    def _prefill(
        self, visit: Visit, institutions: list[Institution], finding: Finding | None
    ) -> None:
        """A new draft answers the finding it is drafted from (its institution, the agency
        responsible for that institution as the addressee, its theme), or the visit's only
        institution and the visit's theme."""
        institution = finding.institution if finding is not None else None
        if institution is None and len(institutions) == 1:
            institution = institutions[0]
        if institution is not None:
            self.initial.setdefault("institution", str(institution.public_id))
            self.initial.setdefault("addressee", institution.agency.code)
        if finding is not None:
            self.initial.setdefault("findings", [str(finding.public_id)])
            self.initial.setdefault("theme", finding.theme)
        elif visit.theme:
            self.initial.setdefault("theme", visit.theme)

    @classmethod
    def initial_for(cls, rec: Recommendation) -> dict[str, Any]:
        return {
            "source": rec.source,
            "source_document": rec.source_document,
            "addressee": rec.addressee.code,
            "institution": str(rec.institution.public_id) if rec.institution else None,
            "findings": [str(f.public_id) for f in rec.findings.all()],
            "theme": rec.theme,
            "level": rec.level,
            "text": rec.text,
            "indicator": rec.indicator,
            "deadline": rec.deadline,
            "repeat_of": rec.repeat_of.reference if rec.repeat_of else "",
        }

    def clean_repeat_of(self) -> Recommendation | None:
        reference = (self.cleaned_data.get("repeat_of") or "").strip()
        if not reference:
            return None
        earlier = (
            recommendations_visible_to(self.user)
            .filter(reference__iexact=reference)
            .exclude(pk=getattr(self.recommendation, "pk", None) or -1)
            .first()
        )
        if earlier is None:
            raise forms.ValidationError(_("No recommendation you can see has this reference."))
        return earlier

    def service_data(self) -> tuple[dict[str, Any], list[Finding] | None]:
        data = dict(self.cleaned_data)
        findings = data.pop("findings", None)
        if self.visit is not None:
            data["visit"] = self.visit
            data["source"] = Source.VISIT_REPORT
        return data, (list(findings) if findings is not None else None)


def _report_findings(visit: Visit) -> QuerySet[Finding]:
    report = getattr(visit, "report", None)
    qs = Finding.objects.filter(visit=visit)
    if report is not None and report.findings.exists():
        qs = report.findings.all()
    return qs.select_related("institution").order_by("theme", "id")


class TransitionForm(StyledForm):
    to_state = forms.CharField(widget=forms.HiddenInput)
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    deadline = forms.DateField(label=_("New deadline"), required=False, widget=DateInput())


class AssessmentForm(StyledForm):
    verdict = forms.ChoiceField(label=_("Assessment"), choices=Verdict.choices)
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Required to dispute a claim, to record implementation not found, or to reopen."
        ),
    )
    visit = forms.ModelChoiceField(
        label=_("Visit"),
        queryset=Visit.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("No visit"),
        help_text=_("To verify implementation: the follow-up visit at which it was checked."),
    )
    deadline = forms.DateField(
        label=_("New deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when reopening: the new deadline for an answer."),
    )
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, recommendation: Recommendation, **kwargs: Any):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        has_claim = bool(recommendation.claimed_status)
        allowed = workflow.verdicts_allowed(recommendation.state, has_claim=has_claim)
        verdict_field: Any = self.fields["verdict"]
        verdict_field.choices = [(v, Verdict(v).label) for v in allowed]
        visit_field: Any = self.fields["visit"]
        visit_field.queryset = visits_for_verification(recommendation, user)
        visit_field.label_from_instance = _visit_label
        self.fields["expected_state"].initial = recommendation.state


def _visit_label(visit: Visit) -> str:
    day = visit.started_at.date().isoformat() if visit.started_at else ""
    return f"{visit.reference} · {visit.get_type_display()} · {day}"

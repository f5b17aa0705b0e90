"""The lists of referrals, criminal cases (art. 146) and accountability records
(`vigil.core.listing`): one filter definition for the page, its export and the API.

Export columns are stable names (codes, ISO dates); none names the person referred, the
appellant or the victim: a case's victim pseudonym and a referral's appeal are left out.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import django_filters
from django import forms
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.forms import DateInput, StyledForm
from vigil.core.listing import Column, Filtered, Listing, from_filterset
from vigil.core.search import NormalisedSearchFilter
from vigil.reference.filters import AgencySubtreeFilter, InstitutionTypeFilter, RegionFilter
from vigil.reference.models import Agency

from ..enums import (
    CasePart,
    CaseState,
    Disclosure,
    Initiative,
    ReferralBodyKind,
    ReferralState,
    Responsibility,
    TerminationGround,
)
from ..models import AccountabilityRecord, CriminalCase, InvestigatingBody, Referral
from ..permissions import can_view_accountability, can_view_cases, can_view_referrals
from ..selectors.cases import (
    accountability_by_initiative,
    accountability_list,
    case_list,
    referral_list,
    registration_delayed_q,
)
from ..selectors.stages import CASE_STAGES, accountability_agency_q


def _flag(yes: Any) -> forms.Select:
    return forms.Select(choices=[("", _("Any")), ("true", yes), ("false", _("No"))])


def _code(obj: Any) -> str:
    return getattr(obj, "code", "") if obj is not None else ""


# --- referrals -------------------------------------------------------------------------------


class ReferralFilter(django_filters.FilterSet):
    search = NormalisedSearchFilter(
        label=_("Search"), fields=("reference", "body_name", "letter_number", "register_number")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), field_name="state", choices=ReferralState.choices, empty_label=_("Any")
    )
    body_kind = django_filters.ChoiceFilter(
        label=_("Referred to"), choices=ReferralBodyKind.choices, empty_label=_("Any")
    )
    region = RegionFilter(label=_("Region"))
    sent_from = django_filters.DateFilter(
        label=_("Sent from"), field_name="sent_on", lookup_expr="gte", widget=DateInput()
    )
    sent_to = django_filters.DateFilter(
        label=_("Sent to"), field_name="sent_on", lookup_expr="lte", widget=DateInput()
    )
    overridden = django_filters.BooleanFilter(
        label=_("Without consent"),
        method="filter_overridden",
        widget=_flag(_("Disclosed without consent only")),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("reference", "reference"), ("sent_on", "sent"), ("state", "status")),
    )

    class Meta:
        model = Referral
        form = StyledForm
        fields = ("search", "status", "body_kind", "region", "sent_from", "sent_to", "overridden")

    def filter_overridden(
        self, qs: QuerySet[Referral], name: str, value: bool
    ) -> QuerySet[Referral]:
        return qs.exclude(overridden=[]) if value else qs.filter(overridden=[])


class ReferralListing(Listing[Referral]):
    name = "referrals"
    count_label = ngettext_lazy("%(count)s referral", "%(count)s referrals", "n")

    def allowed(self, user: User) -> bool:
        return can_view_referrals(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Referral]:
        return from_filterset(ReferralFilter(params, queryset=referral_list(user)), params)

    def columns(self, user: User) -> Sequence[Column[Referral]]:
        return [
            Column("reference", lambda r: r.reference),
            Column("appeal", lambda r: r.appeal.reference if r.appeal else ""),
            Column("body_kind", lambda r: r.body_kind),
            Column("body_name", lambda r: r.body_name),
            Column("region_code", lambda r: _code(r.region)),
            Column("discloses", lambda r: " ".join(r.discloses)),
            Column("overridden", lambda r: " ".join(r.overridden)),
            Column("state", lambda r: r.state),
            Column("sent_on", lambda r: r.sent_on),
            Column("letter_number", lambda r: r.letter_number),
            Column("register_number", lambda r: r.register_number),
            Column("registered_on", lambda r: r.registered_on),
        ]

    def export_note(self, user: User) -> str | None:
        return str(_("The export names no person: identities stay sealed."))

    def page_context(
        self, user: User, filtered: Filtered[Referral], page: Page
    ) -> Mapping[str, Any]:
        labels = dict(Disclosure.choices)
        return {
            "rows": [
                (referral, ", ".join(str(labels[k]) for k in referral.discloses if k in labels))
                for referral in page.object_list
            ]
        }


# --- criminal cases --------------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    search = NormalisedSearchFilter(label=_("Search"), fields=("reference", "register_number"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), field_name="state", choices=CaseState.choices, empty_label=_("Any")
    )
    part = django_filters.ChoiceFilter(
        label=_("Part of art. 146"), choices=CasePart.choices, empty_label=_("Any")
    )
    body = django_filters.ModelChoiceFilter(
        label=_("Investigating body"),
        field_name="investigating_body",
        queryset=InvestigatingBody.objects.all(),
        to_field_name="code",
    )
    region = RegionFilter(label=_("Region"))
    institution = django_filters.CharFilter(
        label=_("Institution"),
        field_name="institution__external_code",
        help_text=_("The institution's external code."),
    )
    year = django_filters.NumberFilter(
        label=_("Reported in"), field_name="reported_on__year", min_value=1990, max_value=2999
    )
    stage = django_filters.ChoiceFilter(
        label=_("Reached"),
        method="filter_stage",
        choices=[(key, label) for key, (label, _q) in CASE_STAGES.items()],
        empty_label=_("Any stage"),
        help_text=_("What the case reached, whatever its status now."),
    )
    agency = AgencySubtreeFilter(field_name="institution__agency")
    institution_type = InstitutionTypeFilter(field_name="institution__type")
    delayed = django_filters.BooleanFilter(
        label=_("Registration delayed"),
        method="filter_delayed",
        widget=_flag(_("Delayed only")),
        help_text=_("Entered in the information book but not registered, or registered late."),
    )
    ground = django_filters.ChoiceFilter(
        label=_("Grounds for termination"),
        field_name="termination_ground",
        choices=TerminationGround.choices,
        empty_label=_("Any"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("reference", "reference"), ("reported_on", "reported"), ("state", "status")),
    )

    class Meta:
        model = CriminalCase
        form = StyledForm
        fields = (
            "search",
            "status",
            "part",
            "body",
            "region",
            "institution",
            "year",
            "delayed",
            "ground",
        )

    def filter_stage(
        self, qs: QuerySet[CriminalCase], name: str, value: str
    ) -> QuerySet[CriminalCase]:
        return qs.filter(CASE_STAGES[value][1]()) if value in CASE_STAGES else qs

    def filter_delayed(
        self, qs: QuerySet[CriminalCase], name: str, value: bool
    ) -> QuerySet[CriminalCase]:
        delayed = registration_delayed_q()
        return qs.filter(delayed) if value else qs.exclude(delayed)


class CaseListing(Listing[CriminalCase]):
    name = "criminal-cases"
    count_label = ngettext_lazy("%(count)s criminal case", "%(count)s criminal cases", "n")

    def allowed(self, user: User) -> bool:
        return can_view_cases(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[CriminalCase]:
        return from_filterset(CaseFilter(params, queryset=case_list(user)), params)

    def columns(self, user: User) -> Sequence[Column[CriminalCase]]:
        return [
            Column("reference", lambda c: c.reference),
            Column("source_id", lambda c: c.source_key),
            Column("reported_on", lambda c: c.reported_on),
            Column("part", lambda c: c.part),
            Column("state", lambda c: c.state),
            Column("investigating_body", lambda c: _code(c.investigating_body)),
            Column("region", lambda c: _code(c.region)),
            Column("institution", lambda c: c.institution.external_code if c.institution else ""),
            Column("info_book_entry_on", lambda c: c.info_book_entry_on),
            Column("register_number", lambda c: c.register_number),
            Column("registered_on", lambda c: c.registered_on),
            Column("registration_delay_days", lambda c: c.registration_delay_days),
            Column("termination_ground", lambda c: c.termination_ground),
            Column("sent_to_court_on", lambda c: c.sent_to_court_on),
            Column("verdict_on", lambda c: c.verdict_on),
        ]

    def export_note(self, user: User) -> str | None:
        return str(_("The export leaves out the victims' pseudonyms."))


# --- accountability --------------------------------------------------------------------------


class AccountabilityFilter(django_filters.FilterSet):
    search = NormalisedSearchFilter(label=_("Search"), fields=("position", "measure"))
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="decided_on__year", min_value=1990, max_value=2999
    )
    initiative = django_filters.ChoiceFilter(
        label=_("On the initiative of"), choices=Initiative.choices, empty_label=_("Any")
    )
    responsibility = django_filters.ChoiceFilter(
        label=_("Responsibility"), choices=Responsibility.choices, empty_label=_("Any")
    )
    agency = AgencySubtreeFilter(
        method="filter_agency",
        label=_("Agency"),
        help_text=_(
            "An agency's code; includes its sub-units, and the records without an agency "
            "whose institution is under it."
        ),
    )
    region = RegionFilter(label=_("Region"))
    institution_type = InstitutionTypeFilter(field_name="institution__type")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"), fields=(("decided_on", "decided"),)
    )

    def filter_agency(
        self, qs: QuerySet[AccountabilityRecord], name: str, value: Agency
    ) -> QuerySet[AccountabilityRecord]:
        return qs.filter(accountability_agency_q(value))

    class Meta:
        model = AccountabilityRecord
        form = StyledForm
        fields = ("search", "year", "initiative", "responsibility", "agency", "region")


class AccountabilityListing(Listing[AccountabilityRecord]):
    name = "accountability"
    count_label = ngettext_lazy("%(count)s official", "%(count)s officials", "n")

    def allowed(self, user: User) -> bool:
        return can_view_accountability(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[AccountabilityRecord]:
        return from_filterset(
            AccountabilityFilter(params, queryset=accountability_list(user)), params
        )

    def columns(self, user: User) -> Sequence[Column[AccountabilityRecord]]:
        return [
            Column("source_id", lambda r: r.source_key),
            Column("decided_on", lambda r: r.decided_on),
            Column("responsibility", lambda r: r.responsibility),
            Column("initiative", lambda r: r.initiative),
            Column("position", lambda r: r.position),
            Column("measure", lambda r: r.measure),
            Column("agency", lambda r: _code(r.agency)),
            Column("region", lambda r: _code(r.region)),
            Column("institution", lambda r: r.institution.external_code if r.institution else ""),
        ]

    def page_context(
        self, user: User, filtered: Filtered[AccountabilityRecord], page: Page
    ) -> Mapping[str, Any]:
        rows = filtered.rows
        counts = accountability_by_initiative(rows) if isinstance(rows, QuerySet) else {}
        return {
            "by_initiative": [
                (Initiative(code).label, counts.get(code, 0)) for code in Initiative.values
            ]
        }


REFERRAL_LIST = ReferralListing()
CASE_LIST = CaseListing()
ACCOUNTABILITY_LIST = AccountabilityListing()

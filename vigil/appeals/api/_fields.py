"""Related objects the appeals API names by public id (among those the caller may see) or by
code (reference data)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vigil.accounts.models import User
from vigil.api.base import ScopedField
from vigil.reference.models import Agency, Region
from vigil.registry.models import Institution
from vigil.visits.models import Interview, Visit
from vigil.visits.permissions import interviews_visible_to, visits_visible_to

from ..models import Appeal, CriminalCase, InvestigatingBody, Referral
from ..permissions import appeals_visible_to, cases_visible_to, referrals_visible_to


class AppealField(ScopedField):
    model = Appeal

    def scope(self, user: User | None) -> QuerySet[Any]:
        return appeals_visible_to(user)


class InterviewField(ScopedField):
    model = Interview

    def scope(self, user: User | None) -> QuerySet[Any]:
        return interviews_visible_to(user)


class ReferralField(ScopedField):
    model = Referral

    def scope(self, user: User | None) -> QuerySet[Any]:
        return referrals_visible_to(user)


class CaseField(ScopedField):
    model = CriminalCase

    def scope(self, user: User | None) -> QuerySet[Any]:
        return cases_visible_to(user)


class VisitField(ScopedField):
    model = Visit

    def scope(self, user: User | None) -> QuerySet[Any]:
        return visits_visible_to(user)


def region_field(**kwargs: Any) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), allow_null=True, **kwargs
    )


def agency_field(**kwargs: Any) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), allow_null=True, **kwargs
    )


def institution_field(**kwargs: Any) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(
        slug_field="external_code", queryset=Institution.objects.all(), allow_null=True, **kwargs
    )


def body_field(**kwargs: Any) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=InvestigatingBody.objects.all(), allow_null=True, **kwargs
    )


@extend_schema_field(OpenApiTypes.STR)
class ReadSlugField(serializers.SlugRelatedField[Any]):
    """A related object shown by one of its fields (a code, a reference, a public id); null
    when there is none."""


def read_slug(slug_field: str) -> serializers.SlugRelatedField[Any]:
    return ReadSlugField(slug_field=slug_field, read_only=True)

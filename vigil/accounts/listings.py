"""User management as a list (`vigil.core.listing`): its filters, the page and its export.

The export holds what the page shows of each account (e-mail, name, role, scope, language,
whether it is active), with codes for regions and agencies; never a password or its hash.
"""

from collections.abc import Sequence

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from vigil.core.forms import StyledForm
from vigil.core.listing import Column, Filtered, Listing, from_filterset
from vigil.core.search import NormalisedSearchFilter
from vigil.reference.filters import RegionFilter

from .enums import Role
from .models import User
from .permissions import can_manage_users


class UserFilter(django_filters.FilterSet):
    q = NormalisedSearchFilter(label=gettext_lazy("Search"), fields=("email", "full_name"))
    role = django_filters.ChoiceFilter(
        label=gettext_lazy("Role"), choices=Role.choices, empty_label=gettext_lazy("All roles")
    )
    region = RegionFilter(field_name="regions")
    active = django_filters.BooleanFilter(
        label=gettext_lazy("Active"),
        field_name="is_active",
        widget=forms.Select(
            choices=[
                ("", gettext_lazy("Any")),
                ("true", gettext_lazy("Active")),
                ("false", gettext_lazy("Deactivated")),
            ]
        ),
    )
    ordering = django_filters.OrderingFilter(
        label=gettext_lazy("Sort by"),
        empty_label=gettext_lazy("E-mail (default)"),
        fields=(("email", "email"), ("full_name", "name"), ("role", "role")),
    )

    class Meta:
        model = User
        form = StyledForm
        fields = ("q", "role", "region", "active")

    def filter_queryset(self, queryset: QuerySet[User]) -> QuerySet[User]:
        qs = super().filter_queryset(queryset)
        # By e-mail by default; the primary key last, so that pages never overlap.
        ordering = [str(o) for o in qs.query.order_by] or ["email"]
        return qs.order_by(*ordering, "pk")


USER_COLUMNS: tuple[Column[User], ...] = (
    Column("email", lambda u: u.email),
    Column("full_name", lambda u: u.full_name),
    Column("role", lambda u: u.role),
    Column("agency", lambda u: u.agency.code if u.agency else ""),
    Column("regions", lambda u: "; ".join(r.code for r in u.regions.all())),
    Column("preferred_language", lambda u: u.preferred_language),
    Column("active", lambda u: u.is_active),
)


class UserListing(Listing[User]):
    name = "users"
    count_label = ngettext_lazy("%(count)s account", "%(count)s accounts", "n")

    def allowed(self, user: User) -> bool:
        return can_manage_users(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[User]:
        accounts = User.objects.select_related("agency").prefetch_related("regions")
        return from_filterset(UserFilter(params, queryset=accounts), params)

    def columns(self, user: User) -> Sequence[Column[User]]:
        return USER_COLUMNS

    def export_note(self, user: User) -> str | None:
        return _("Passwords and sign-in history are never exported.")


USER_LIST = UserListing()

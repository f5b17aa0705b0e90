"""The registry's part of the site shell: menu entries and the institutions home block."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.core.contributions import HomeBlock, MenuEntry, register_home_block, register_menu_entry
from vigil.reference.enums import InstitutionCategory

from .permissions import (
    can_import_institutions,
    can_see_visit_coverage,
    can_view_registry,
    institutions_visible_to,
)

NOT_VISITED_YEARS = 2


def institutions_home(user: Any) -> Mapping[str, Any] | None:
    """Institutions in the registry, not visited lately, and by category."""
    if not can_view_registry(user):
        return None
    since = timezone.localdate() - datetime.timedelta(days=365 * NOT_VISITED_YEARS)
    institutions = institutions_visible_to(user)
    totals = institutions.aggregate(
        total=Count("id"),
        not_visited=Count(
            "id", filter=Q(last_visited_on__isnull=True) | Q(last_visited_on__lt=since)
        ),
    )
    labels = dict(InstitutionCategory.choices)
    by_category = [
        {
            "code": row["type__category"],
            "label": labels.get(row["type__category"], ""),
            "count": row["n"],
        }
        for row in institutions.values("type__category").annotate(n=Count("id")).order_by("-n")
    ]
    block: dict[str, Any] = {"institution_total": totals["total"], "by_category": by_category}
    if can_see_visit_coverage(user):
        block.update(not_visited_total=totals["not_visited"], not_visited_since=since)
    return block


def register() -> None:
    register_menu_entry(
        MenuEntry("registry", _("Institutions"), "registry:institution_list", 70, can_view_registry)
    )
    register_menu_entry(
        MenuEntry("import", _("Import"), "registry:import_upload", 80, can_import_institutions)
    )
    register_home_block(HomeBlock("institutions", "registry/_home.html", 40, institutions_home))

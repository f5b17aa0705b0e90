"""The registry's part of the site shell: menu entries and the institutions home block."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from vigil.audit.links import PublicIdLinks, register_target
from vigil.core.contributions import HomeBlock, MenuEntry, register_home_block, register_menu_entry

from .permissions import (
    can_import_institutions,
    can_see_visit_coverage,
    can_view_registry,
    institution_fields_hidden_from,
    institutions_visible_to,
)
from .selectors import registry_summary

NOT_VISITED_YEARS = 2


def institutions_home(user: Any) -> Mapping[str, Any] | None:
    """Institutions in the registry, not visited lately (for whom may see coverage), and by
    category."""
    if not can_view_registry(user):
        return None
    summary = registry_summary(user, not_visited_years=NOT_VISITED_YEARS)
    block: dict[str, Any] = {
        "institution_total": summary.total,
        "by_category": summary.by_category,
    }
    if can_see_visit_coverage(user):
        block.update(not_visited_total=summary.not_visited, not_visited_since=summary.since)
    return block


def register() -> None:
    register_menu_entry(
        MenuEntry("registry", _("Institutions"), "registry:institution_list", 70, can_view_registry)
    )
    register_menu_entry(
        MenuEntry("import", _("Import"), "registry:import_upload", 80, can_import_institutions)
    )
    register_home_block(HomeBlock("institutions", "registry/_home.html", 40, institutions_home))
    register_target(
        "registry.institution",
        PublicIdLinks(institutions_visible_to, "registry:institution_detail"),
        institution_fields_hidden_from,
    )

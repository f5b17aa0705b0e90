"""The visit page's sections, shown only to those who may open them."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User

from ..models import Visit
from ..permissions import can_view_working_material


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    url: str
    active: bool


_WORKING = (
    ("checklists", _("Checklists")),
    ("findings", _("Findings")),
    ("notes", _("Internal notes")),
    ("interviews", _("Interviews")),
    ("attachments", _("Photos and documents")),
    ("report", _("Report")),
)


def visit_tabs(user: User, visit: Visit, active: str) -> list[Tab]:
    keys: list[tuple[str, str | Promise]] = [("visit_detail", _("Overview"))]
    if can_view_working_material(user, visit):
        keys.extend(_WORKING)
    return [
        Tab(key, label, reverse(f"visits:{key}", args=[visit.public_id]), key == active)
        for key, label in keys
    ]

"""A figure with the list behind it, and a share shown with its base ("36.3% of 758").

Every statistic the product shows (the funnel, the dashboards, the annual report) is a
`Figure`: a count, its label, the list page that shows the records counted (a URL name and
its query) and, where it is a part of something, its `Share`. Pages link each figure to its
list; reports print the share with its base; the API gives both.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .numbers import format_number


@dataclass(frozen=True)
class Share:
    """A part of a base, shown with the base: "4.52% of 398"."""

    part: int
    base: int
    places: int = 2

    @property
    def percent(self) -> Decimal | None:
        if not self.base:
            return None
        return (Decimal(self.part) * 100 / Decimal(self.base)).quantize(
            Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP
        )

    def text(self) -> str:
        percent = self.percent
        if percent is None:
            return "—"
        return _("%(percent)s%% of %(base)s") % {
            "percent": format_number(percent),
            "base": format_number(self.base),
        }

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Figure:
    """One figure and the list behind it: the page `url_name` with `query` (None: no list)."""

    key: str
    label: str
    count: int
    url_name: str | None = None
    query: Mapping[str, str] = field(default_factory=dict)
    share: Share | None = None

    @property
    def url(self) -> str | None:
        """The list page behind the figure (None when there is none or it is not installed)."""
        if self.url_name is None:
            return None
        try:
            path = reverse(self.url_name)
        except NoReverseMatch:
            return None
        return f"{path}?{urlencode(dict(self.query))}" if self.query else path

    def shared(self, base: int, places: int = 2) -> "Figure":
        """The same figure as a part of `base`."""
        return Figure(
            self.key,
            self.label,
            self.count,
            self.url_name,
            self.query,
            Share(self.count, base, places),
        )

    def as_dict(self) -> dict[str, Any]:
        """The figure as the API gives it (`vigil.api.figures.FigureSerializer`)."""
        return {
            "key": self.key,
            "label": self.label,
            "count": self.count,
            "percent": self.share.percent if self.share else None,
            "base": self.share.base if self.share else None,
            "share": self.share.text() if self.share else None,
            "list": self.url,
        }

"""Appeals at national scale (16,000 over ten years) as a coordinator opens them: the list,
filtered and deep, the API list, and an appeal's page. The query count of a page must not
grow with the rows behind it: the deep page and the first page, and an appeal with a long
timeline and one with a short timeline, must make the same number of queries."""

from typing import Any

from django.db.models import Count
from django.test import Client

from vigil.accounts.models import User
from vigil.appeals.enums import AppealState
from vigil.appeals.models import Appeal
from vigil.appeals.permissions import appeals_visible_to

from .harness import measure, shown_count

PAGE_SIZE = 50


def _two_appeals() -> tuple[Appeal, Appeal]:
    """Of the appeals closed as resolved (the commonest state: the same sections and actions
    on their pages), with a sealed identity and allegations, the one with the longest
    timeline and the one with the shortest: their pages must cost the same queries."""
    ranked = (
        Appeal.objects.filter(
            state=AppealState.CLOSED_RESOLVED,
            identity__isnull=False,
            allegation_types__isnull=False,
        )
        .annotate(events_n=Count("events", distinct=True))
        .order_by("-events_n", "pk")
    )
    longest, shortest = ranked.first(), ranked.order_by("events_n", "pk").first()
    if longest is None or shortest is None or longest.pk == shortest.pk:
        raise SystemExit("The demo data has too few appeals to compare.")
    return longest, shortest


def appeals_measures(client: Client, coordinator: User) -> list[dict[str, Any]]:
    total = appeals_visible_to(coordinator).count()
    last_page = str((total + PAGE_SIZE - 1) // PAGE_SIZE)
    longest, shortest = _two_appeals()

    def get(path: str, **params: str) -> Any:
        return client.get(path, params)

    def page_ok(response: Any) -> bool:
        return response.status_code == 200 and shown_count(response) == total

    rows = [
        measure("appeals list, first page", 400, lambda: get("/appeals/"), page_ok),
        measure(
            # SQLite sorts the whole joined rows by the computed due date (about 450 ms at
            # 16,000): within what a coordinator accepts for the last of 320 pages.
            "appeals list, last page sorted by due date",
            600,
            lambda: get("/appeals/", ordering="due", page=last_page),
            page_ok,
        ),
        measure(
            "appeals list, overdue in a region",
            400,
            lambda: get("/appeals/", overdue="true", region="KZ-35"),
            lambda r: r.status_code == 200,
        ),
        measure(
            "appeals list, ill-treatment reaching court",
            400,
            lambda: get("/appeals/", ill_treatment="true", stage="in_court"),
            lambda r: r.status_code == 200,
        ),
        measure(
            "API appeals list (50)",
            400,
            lambda: get("/api/v1/appeals/"),
            lambda r: r.status_code == 200 and r.json()["count"] == total,
        ),
        measure(
            "appeal page, longest timeline",
            300,
            lambda: get(f"/appeals/{longest.public_id}/"),
            lambda r: r.status_code == 200 and longest.reference in r.content.decode(),
        ),
        measure(
            "appeal page, shortest timeline",
            300,
            lambda: get(f"/appeals/{shortest.public_id}/"),
            lambda r: r.status_code == 200 and shortest.reference in r.content.decode(),
        ),
    ]
    by_name = {row["name"]: row for row in rows}
    constant = [
        ("appeals list, first page", "appeals list, last page sorted by due date"),
        ("appeal page, longest timeline", "appeal page, shortest timeline"),
    ]
    for first, second in constant:
        same = by_name[first]["queries"] == by_name[second]["queries"]
        for name in (first, second):
            by_name[name]["check_passed"] = by_name[name]["check_passed"] and same
        print(f"queries constant: {first} / {second}: {'ok' if same else 'FAIL'}")
    return rows

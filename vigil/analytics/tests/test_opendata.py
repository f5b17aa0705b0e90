"""Open data: the datasets agree with the statistics selectors, pages and downloads are public
and the same for everyone, nothing but counts and reference names leaves, the Data Package
describes every file, and everything is served from the cache."""

import csv
import datetime
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from vigil.appeals.enums import Channel, Initiative, Responsibility
from vigil.appeals.models import AccountabilityRecord, Appeal
from vigil.appeals.tests.fixtures import APPEAL_CONTENT, APPELLANT_NAME
from vigil.recommendations.enums import State
from vigil.recommendations.models import Recommendation
from vigil.registry.models import Institution
from vigil.visits.enums import VisitState, VisitType
from vigil.visits.models import Visit

from ..filters import StatisticsFilters
from ..opendata.datasets import DATASETS, UNKNOWN, last_year, published_table, published_years
from ..opendata.outputs import lines
from ..opendata.suppression import HIDDEN, MARKERS, SMALL
from ..permissions import PUBLISHED
from ..selectors.statistics import statistics

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
PLACE = "Zhartas-Quarry Colony 7741"
RECOMMENDATION_TEXT = "Install the Zhartas-Quarry ventilation valve"
ACTORS = [
    "anonymous",
    "admin",
    "coordinator",
    "regional",
    "monitor",
    "liaison",
    "other_liaison",
    "auditor",
]


def _at(month: int, day: int = 10, year: int = YEAR) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def data(
    ref: dict[str, Any],
    make_institution: Callable[..., Institution],
    make_visit: Callable[..., Visit],
    make_recommendation: Callable[..., Recommendation],
    make_appeal: Callable[..., Appeal],
) -> dict[str, Any]:
    """A year of work: 7 planned visits in Astana (one at a distinctively named colony), 2
    special ones in Almaty; visits not made (planned for later, called off); recommendations,
    appeals with their text and an appellant, officials held accountable."""
    colony = make_institution(name_ru=PLACE, name_kk=PLACE, name_en=PLACE)
    colonies = [colony, *(make_institution() for _ in range(5))]
    hospital = make_institution(type=ref["psych"], agency=ref["moh"], region=ref["almaty"])
    for n in range(7):
        make_visit(VisitState.CLOSED, institution=colonies[n % 6], started_at=_at(3 + n))
    for _ in range(2):
        make_visit(
            VisitState.ON_SITE, institution=hospital, type=VisitType.SPECIAL, started_at=_at(5)
        )
    make_visit(VisitState.PLANNED, institution=colony, planned_start=datetime.date(YEAR + 2, 4, 1))
    make_visit(VisitState.PLANNED, institution=colony, planned_start=datetime.date(YEAR, 4, 1))
    make_visit(VisitState.CANCELLED, institution=colony, planned_start=datetime.date(YEAR, 6, 1))
    make_visit(VisitState.CLOSED, institution=colony, started_at=_at(2, year=YEAR + 1))

    issued = datetime.date(YEAR, 2, 1)
    for state, n in ((State.IMPLEMENTED_VERIFIED, 6), (State.AWAITING_RESPONSE, 7)):
        for _ in range(n):
            make_recommendation(
                state=state, issued_on=issued, state_changed_on=issued, text=RECOMMENDATION_TEXT
            )
    make_recommendation(state=State.NOT_ACCEPTED, addressee=ref["moh"], issued_on=issued)

    for _ in range(6):
        make_appeal(institution=colony, received_on=datetime.date(YEAR, 3, 2))
    make_appeal(
        institution=hospital, channel=Channel.HOTLINE, received_on=datetime.date(YEAR, 3, 2)
    )
    make_appeal(institution=colony, region=None, received_on=datetime.date(YEAR, 4, 2))

    for initiative, n in (
        (Initiative.COMMISSIONER_REPRESENTATIVE, 8),
        (Initiative.NPM_PARTICIPANT, 2),
    ):
        for _ in range(n):
            AccountabilityRecord.objects.create(
                decided_on=datetime.date(YEAR, 9, 1),
                responsibility=Responsibility.DISCIPLINARY,
                initiative=initiative,
                position="Deputy head Zhartas-Quarry",
                institution=colony,
            )
    return {"colony": colony, "hospital": hospital}


def _urls(year: int = YEAR) -> list[str]:
    urls = [reverse("opendata:index"), reverse("opendata:datapackage")]
    for slug in DATASETS:
        urls += [
            reverse(name, args=[slug, year])
            for name in ("opendata:dataset", "opendata:csv", "opendata:json")
        ]
    return urls


def _truth(slug: str) -> tuple[list[str], list[list[int]]]:
    """The dataset's true counts, with the row codes, totals appended (as the CSV lays them out)."""
    dataset = DATASETS[slug]
    if dataset.rows is None:
        columns, values = dataset.compute(YEAR)  # type: ignore[misc]
        return [m.code for m in columns] + ["total"], [[v] for v in values] + [[sum(values)]]
    rows, _columns, cells = dataset.compute(YEAR)  # type: ignore[misc]
    grid = [[*row, sum(row)] for row in cells]
    grid.append([sum(column) for column in zip(*grid, strict=True)] if grid else [0])
    return [m.code for m in rows] + ["total"], grid


# ------------------------------------------------------------------ one truth


def test_published_counts_agree_with_the_statistics_selectors(data: dict[str, Any]) -> None:
    f = StatisticsFilters(year=YEAR)
    figures = statistics(PUBLISHED, f)
    assert figures.visits is not None
    assert figures.funnel is not None
    assert figures.recommendations is not None

    visits = published_table("visits", YEAR)
    assert visits is not None
    by_type = {x.key: x.count for x in figures.visits.by_type}
    assert visits.values.total == figures.visits.total.count == 9  # type: ignore[union-attr]
    assert by_type["planned"] == 7
    assert by_type["special"] == 2
    codes = [m.code for m in visits.columns]
    assert codes == ["planned", "special", "other"]
    assert dict(zip(codes, visits.values.column_totals, strict=True)) == {  # type: ignore[union-attr]
        "planned": HIDDEN,  # 7, hidden with the 2 special visits (9 - 7 = 2): "x", not "<5"
        "special": SMALL,
        "other": 0,
    }
    by_region = {x.key: x.count for x in figures.visits.by_region}
    assert by_region == {"KZ-71": 7, "KZ-75": 2}

    institutions = published_table("institutions", YEAR)
    assert institutions is not None
    assert figures.visits.institutions.count == 7
    assert institutions.values.total == 7  # type: ignore[union-attr]

    recommendations = published_table("recommendations", YEAR)
    assert recommendations is not None
    assert recommendations.values.total == figures.recommendations.counts.issued == 14  # type: ignore[union-attr]
    by_agency = {row.agency.code: row.counts for row in figures.recommendations.by_agency}
    mvd = lines(recommendations)[[m.code for m in recommendations.rows or ()].index("MVD") + 1]
    counts = by_agency["MVD"]
    truth = [6, 0, 0, 7, 13]
    assert [counts.implemented, counts.in_implementation, counts.not_accepted] == truth[:3]
    assert counts.issued == truth[-1]
    assert all(shown in (real, *MARKERS) for shown, real in zip(mvd[1:], truth, strict=True))
    assert mvd[4] == 7

    appeals = published_table("appeals", YEAR)
    assert appeals is not None
    assert appeals.values.total == figures.funnel.appeals_total.count == 8  # type: ignore[union-attr]
    assert [m.code for m in appeals.rows or ()][-1] == UNKNOWN

    assert [figure.count for figure in figures.funnel.accountability] == [8, 2, 0]
    accountability = published_table("accountability", YEAR)
    assert accountability is not None
    assert accountability.values.total == figures.funnel.accountability_total.count  # type: ignore[union-attr]


def test_every_published_count_is_the_true_one_and_small_ones_are_hidden(
    data: dict[str, Any],
) -> None:
    for slug in DATASETS:
        table = published_table(slug, YEAR)
        assert table is not None
        codes, truth = _truth(slug)
        body = lines(table)[1:]
        assert [line[0] for line in body] == codes
        for line, true in zip(body, truth, strict=True):
            for shown, real in zip(line[1:], true, strict=True):
                assert shown in (real, *MARKERS), (slug, line, true)
                assert shown != SMALL or 1 <= real <= 4, (slug, line, true)
                assert shown != HIDDEN or real >= 5, (slug, line, true)
                assert shown in MARKERS or not 1 <= real <= 4


def test_accountability_hides_the_two_and_a_partner(data: dict[str, Any]) -> None:
    table = published_table("accountability", YEAR)
    assert table is not None
    # 8 + 2 + 0 = 10: the 2 is hidden ("<5"), and the 8 with it ("x": 5 or more), else
    # 10 - 8 - 0 gives it away.
    assert table.values.values == (HIDDEN, SMALL, 0)  # type: ignore[union-attr]
    assert table.values.total == 10  # type: ignore[union-attr]


# ------------------------------------------------------------------ who may see it


@pytest.mark.parametrize("debug", [False, True])
def test_every_page_and_download_is_the_same_for_everyone(
    data: dict[str, Any], client_for: Callable[[str], Client], settings: Any, debug: bool
) -> None:
    settings.DEBUG = debug
    seen: dict[str, bytes] = {}
    for actor in ACTORS:
        client = client_for(actor)
        for url in _urls():
            response = client.get(url)
            assert response.status_code == 200, (actor, url)
            body = response.content
            if url.endswith("/"):  # a page: compare its main content, not the header's menu
                body = body.split(b'<main id="main"', 1)[1].split(b"</main>", 1)[0]
                body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
            assert seen.setdefault(url, body) == body, (actor, url)


def test_no_session_is_needed_and_other_methods_are_refused(data: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    for url in _urls():
        assert client.get(url).status_code == 200
        assert client.head(url).status_code == 200
        for method in ("post", "put", "delete", "patch"):
            assert getattr(client, method)(url).status_code == 405, (method, url)
    assert "sessionid" not in client.cookies


def test_unknown_datasets_and_years_not_yet_over_are_not_found(data: dict[str, Any]) -> None:
    client = Client()
    assert published_years() == [YEAR]
    for url in (
        reverse("opendata:dataset", args=["visits", YEAR + 1]),  # the current year
        reverse("opendata:csv", args=["visits", YEAR + 2]),
        reverse("opendata:json", args=["visits", YEAR - 1]),  # before the first data
        reverse("opendata:dataset", args=["interviews", YEAR]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_last_year_published_is_a_setting(data: dict[str, Any], settings: Any) -> None:
    assert last_year() == YEAR
    settings.VIGIL_OPEN_DATA_LAST_YEAR = YEAR + 1
    assert last_year() == YEAR + 1
    assert published_years() == [YEAR + 1, YEAR]
    table = published_table("visits", YEAR + 1)
    assert table is not None
    assert table.values.total == SMALL  # type: ignore[union-attr]


def test_a_table_that_cannot_be_protected_is_withheld(
    data: dict[str, Any], make_visit: Callable[..., Visit], settings: Any
) -> None:
    # The next year: a planned and a special visit in each of two regions. Four "<5" counts
    # under a "<5" total would each be 1, whatever else is hidden: no count is published.
    settings.VIGIL_OPEN_DATA_LAST_YEAR = YEAR + 1
    later = _at(5, year=YEAR + 1)
    make_visit(
        VisitState.CLOSED, institution=data["colony"], type=VisitType.SPECIAL, started_at=later
    )
    for kind in (VisitType.PLANNED, VisitType.SPECIAL):
        make_visit(VisitState.CLOSED, institution=data["hospital"], type=kind, started_at=later)
    table = published_table("visits", YEAR + 1)
    assert table is not None
    assert table.values.withheld
    assert all(value is None for line in lines(table)[1:] for value in line[1:])
    client = Client()
    page = client.get(reverse("opendata:dataset", args=["visits", YEAR + 1]))
    assert b'data-testid="withheld"' in page.content
    assert b'data-testid="opendata-table"' not in page.content
    found = json.loads(client.get(reverse("opendata:json", args=["visits", YEAR + 1])).content)
    assert found["withheld"] is True
    assert found["total"] is None
    body = client.get(reverse("opendata:csv", args=["visits", YEAR + 1])).content.decode()
    assert body.splitlines()[-1] == "total,,,,"
    package = json.loads(client.get(reverse("opendata:datapackage")).content)
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert schemas[f"visits-{YEAR + 1}"]["missingValues"] == [SMALL, HIDDEN, ""]
    assert schemas[f"visits-{YEAR}"]["missingValues"] == [SMALL, HIDDEN]


# ------------------------------------------------------------------ nothing but counts


def _everything(client: Client) -> str:
    out = []
    for language in ("kk", "ru", "en"):
        for url in _urls():
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200
            out.append(response.content.decode())
    return "\n".join(out)


def test_no_name_no_free_text_and_no_date_leaves(data: dict[str, Any]) -> None:
    everything = _everything(Client())
    for secret in (
        PLACE,
        "Zhartas",
        APPEAL_CONTENT,
        APPELLANT_NAME,
        "Appeal 1",
        "Visit 1",
        "T-2026-",
        "Deputy head",
        "Учреждение №",
        "Institution No.",
        str(data["colony"].public_id),
    ):
        assert secret not in everything, secret
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4}", everything)


def test_json_holds_only_codes_reference_names_and_counts(data: dict[str, Any]) -> None:
    client = Client()
    for slug in DATASETS:
        found = json.loads(client.get(reverse("opendata:json", args=[slug, YEAR])).content)
        allowed = {*MARKERS, slug, found["columns"]["dimension"]}
        assert found["markers"] == {
            SMALL: {"minimum": 1, "maximum": 4},
            HIDDEN: {"minimum": 5, "maximum": None},
        }
        assert found["withheld"] is False
        dimensions = [found["columns"]] + ([found["rows"]] if found["rows"] else [])
        for dimension in dimensions:
            allowed.add(dimension["dimension"])
            for member in dimension["members"]:
                assert set(member["name"]) == {"kk", "ru", "en"}
                allowed |= {member["code"], *member["name"].values()}

        def strings(value: Any) -> list[str]:
            if isinstance(value, str):
                return [value]
            if isinstance(value, dict):
                return [s for v in value.values() for s in strings(v)]
            if isinstance(value, list):
                return [s for v in value for s in strings(v)]
            assert value is None or type(value) is int, value
            return []

        counts = {k: v for k, v in found.items() if k not in ("markers", "withheld")}
        assert set(strings(counts)) <= allowed


def test_visits_not_made_are_never_counted(data: dict[str, Any]) -> None:
    table = published_table("visits", YEAR)
    assert table is not None
    assert table.values.total == 9  # type: ignore[union-attr]
    assert Visit.objects.count() == 13
    # A year holding only a planned visit is not published, even once it is over.
    assert YEAR + 2 not in published_years()


def test_pages_name_regions_and_agencies_in_each_language(data: dict[str, Any]) -> None:
    client = Client()
    url = reverse("opendata:dataset", args=["visits", YEAR])
    kk = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    ru = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Қарағанды облысы" in kk
    assert "Карагандинская область" in ru
    assert "Karaganda Region" in en
    for tag in ('<th scope="col"', '<th scope="row"', "<caption"):
        assert tag in en
    assert "&lt;5" in en


# ------------------------------------------------------------------ the Data Package


def test_the_data_package_describes_every_csv(data: dict[str, Any]) -> None:
    client = Client()
    response = client.get(reverse("opendata:datapackage"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    package = json.loads(response.content)
    assert package["profile"] == "tabular-data-package"
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    assert isinstance(package["title"], str)
    names = [resource["name"] for resource in package["resources"]]
    assert sorted(names) == sorted(f"{slug}-{YEAR}" for slug in DATASETS)
    base = reverse("opendata:datapackage").rsplit("/", 1)[0]
    for resource in package["resources"]:
        assert re.fullmatch(r"[a-z0-9._-]+", resource["name"])
        assert resource["profile"] == "tabular-data-resource"
        assert (resource["format"], resource["mediatype"], resource["encoding"]) == (
            "csv",
            "text/csv",
            "utf-8",
        )
        assert re.fullmatch(r"[a-z]+/[0-9]{4}\.csv", resource["path"])
        schema = resource["schema"]
        assert schema["missingValues"] == [SMALL, HIDDEN]
        fields = schema["fields"]
        assert fields[0]["type"] == "string"
        assert schema["primaryKey"] == [fields[0]["name"]]
        assert all(
            f["type"] == "integer" and f["constraints"] == {"minimum": 0} for f in fields[1:]
        )
        assert len({f["name"] for f in fields}) == len(fields)

        body = client.get(f"{base}/{resource['path']}")
        assert body.status_code == 200
        assert body["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(body.content.decode("utf-8"))))
        assert rows[0] == [f["name"] for f in fields]
        keys = [row[0] for row in rows[1:]]
        assert keys == fields[0]["constraints"]["enum"]
        assert len(set(keys)) == len(keys)
        for row in rows[1:]:
            assert len(row) == len(fields)
            for value in row[1:]:
                assert value in MARKERS or re.fullmatch(r"0|[1-9][0-9]*", value)
                assert value in MARKERS or not 1 <= int(value) <= 4


# ------------------------------------------------------------------ the cache


AGGREGATE = re.compile(r"\b(COUNT|MAX|MIN|SUM)\s*\(|GROUP BY", re.IGNORECASE)


def test_a_second_request_runs_no_aggregate_query(data: dict[str, Any]) -> None:
    client = Client()
    for url in _urls():
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second.content == first.content or url.endswith("/")
        counted = [q["sql"] for q in queries.captured_queries if AGGREGATE.search(q["sql"])]
        assert counted == [], (url, counted)
        assert len(queries.captured_queries) <= 2, (url, queries.captured_queries)


def test_cache_headers(data: dict[str, Any], settings: Any) -> None:
    client = Client()
    for url in _urls():
        control = client.get(url)["Cache-Control"]
        expected = "private" if url.endswith("/") else "public"
        assert expected in control, (url, control)
        assert "max-age=600" in control, (url, control)
    assert "Cookie" in client.get(reverse("opendata:datapackage"))["Vary"]


def test_new_data_shows_once_the_stamp_is_read_again(
    data: dict[str, Any], make_visit: Callable[..., Visit], settings: Any
) -> None:
    client = Client()
    url = reverse("opendata:json", args=["visits", YEAR])
    assert json.loads(client.get(url).content)["total"] == 9
    make_visit(VisitState.CLOSED, institution=data["colony"], started_at=_at(11))
    assert json.loads(client.get(url).content)["total"] == 9  # the stamp is kept a while
    settings.VIGIL_OPEN_DATA_CACHE_SECONDS = 0  # read the stamp on every request
    assert json.loads(client.get(url).content)["total"] == 10


def test_without_data_nothing_is_published(db: Any) -> None:
    response = Client().get(reverse("opendata:index"))
    assert response.status_code == 200
    assert b'data-testid="no-years"' in response.content
    package = json.loads(Client().get(reverse("opendata:datapackage")).content)
    assert package["resources"] == []

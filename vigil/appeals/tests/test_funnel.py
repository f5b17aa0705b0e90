"""The funnel: 398 cases reported in 2023 of which 18 reached court show "398 → 18 (4.52%)"
on the page and the endpoint; 258 + 17 accountability records of 2023 show 258 and 17 by
initiative; the allegation chain; filters; links; the role matrix."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.test import override_settings

from vigil.core.figures import Share

from ..enums import CaseState, Channel, Initiative, ReferralState, Responsibility, TerminationGround
from ..models import AccountabilityRecord, AllegationType, CriminalCase
from ..selectors.funnel import FunnelFilters, funnel

DAY = datetime.date(2023, 6, 1)


@pytest.fixture
def cases_2023(make_case: Callable[..., CriminalCase], users: dict[str, Any], ref: Any) -> None:
    """398 cases reported in 2023: 18 reached court (make_case), 300 terminated for lack of
    evidence and 80 still under investigation (the ORM, in bulk); one of 2022 besides."""
    for n in range(18):
        make_case(
            state=CaseState.IN_COURT if n % 3 else CaseState.CONVICTED,
            reported_on=DAY,
            registered_on=DAY,
            sent_to_court_on=DAY,
            region=ref["astana"],
        )
    rows = [
        CriminalCase(
            reference=f"C-2023-{n:05d}",
            state=CaseState.TERMINATED if n < 300 else CaseState.INVESTIGATION,
            termination_ground=TerminationGround.LACK_OF_EVIDENCE if n < 300 else "",
            part=2,
            reported_on=DAY,
            registered_on=DAY if n >= 300 else None,
            region=ref["astana"],
            created_by=users["coordinator"],
        )
        for n in range(380)
    ]
    CriminalCase.objects.bulk_create(rows)
    make_case(reported_on=datetime.date(2022, 5, 1), region=ref["astana"])


@pytest.fixture
def accountability_2023(users: dict[str, Any], ref: Any) -> None:
    def record(initiative: str, n: int) -> AccountabilityRecord:
        return AccountabilityRecord(
            decided_on=DAY,
            responsibility=Responsibility.DISCIPLINARY,
            initiative=initiative,
            position=f"Officer {n}",
            region=ref["astana"],
            recorded_by=users["coordinator"],
        )

    AccountabilityRecord.objects.bulk_create(
        [record(Initiative.COMMISSIONER_REPRESENTATIVE, n) for n in range(258)]
        + [record(Initiative.NPM_PARTICIPANT, n) for n in range(17)]
    )


def test_398_cases_of_which_18_reached_court(users: dict[str, Any], cases_2023: None) -> None:
    result = funnel(users["coordinator"], FunnelFilters(year=2023))
    reported = result.step("cases", "reported")
    in_court = result.step("cases", "in_court")
    assert reported.count == 398
    assert in_court.count == 18
    assert in_court.share == Share(18, 398)
    assert in_court.share.percent == Decimal("4.52")
    assert in_court.share.text() == "4.52% of 398"
    assert result.step("cases", "convicted").count == 6
    assert result.step("cases", "lack_of_evidence").count == 300
    # a case is terminated only after its registration (the life cycle): all 398 registered
    assert result.step("cases", "registered").count == 398


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_page_shows_398_to_18(client_for: Any, cases_2023: None, debug: bool) -> None:
    with override_settings(DEBUG=debug):
        response = client_for("coordinator").get("/appeals/funnel/?year=2023")
    assert response.status_code == 200
    html = response.content.decode()
    assert "398 → 18 (4.52%)" in html
    assert "4.52% of 398" in html


def test_endpoint_shows_398_to_18(client_for: Any, cases_2023: None) -> None:
    response = client_for("coordinator").get("/api/v1/appeals-funnel/?year=2023")
    assert response.status_code == 200
    cases = {row["key"]: row for row in response.json()["cases"]}
    assert cases["reported"]["count"] == 398
    assert cases["in_court"]["count"] == 18
    assert cases["in_court"]["percent"] == 4.52
    assert cases["in_court"]["base"] == 398
    assert cases["in_court"]["share"] == "4.52% of 398"


def test_accountability_258_and_17_by_initiative(
    client_for: Any, users: dict[str, Any], accountability_2023: None
) -> None:
    result = funnel(users["coordinator"], FunnelFilters(year=2023))
    by_initiative = {f.key: f.count for f in result.accountability}
    assert by_initiative[Initiative.COMMISSIONER_REPRESENTATIVE] == 258
    assert by_initiative[Initiative.NPM_PARTICIPANT] == 17
    assert result.accountability_total is not None
    assert result.accountability_total.count == 275
    body = client_for("coordinator").get("/api/v1/appeals-funnel/?year=2023").json()
    api = {row["key"]: row["count"] for row in body["accountability_by_initiative"]}
    assert api == {"commissioner": 258, "npm_participant": 17, "other": 0}
    page = client_for("coordinator").get("/appeals/funnel/?year=2023").content.decode()
    assert ">258</" in page
    assert ">17</" in page


def test_allegation_chain(
    users: dict[str, Any],
    make_appeal: Callable[..., Any],
    make_referral: Callable[..., Any],
    make_case: Callable[..., CriminalCase],
) -> None:
    torture = AllegationType.objects.get(code="torture")
    conditions = AllegationType.objects.get(code="conditions")
    from ..models import AppealSubject

    other_subject = AppealSubject.objects.get(code="living_conditions")
    alleged = []
    for _n in range(4):
        appeal = make_appeal(subject=other_subject)
        appeal.allegation_types.set([torture])
        alleged.append(appeal)
    plain = make_appeal(subject=other_subject, channel=Channel.HOTLINE)
    plain.allegation_types.set([conditions])
    by_subject = make_appeal()  # subject "torture", no allegation type: an allegation too
    make_referral(alleged[0])
    make_referral(
        alleged[1], state=ReferralState.REGISTERED, registered_on=datetime.date(2026, 11, 20)
    )
    make_referral(alleged[2])
    make_case(
        appeal=alleged[2], state=CaseState.CONVICTED, registered_on=datetime.date(2026, 11, 20)
    )
    make_case(
        appeal=alleged[0],
        state=CaseState.TERMINATED,
        termination_ground=TerminationGround.LACK_OF_EVIDENCE,
    )
    result = funnel(users["coordinator"], FunnelFilters(year=2026))
    steps = {f.key: f.count for f in result.allegations}
    assert steps == {
        "alleged": 5,
        "referred": 3,
        "registered": 3,  # the terminated case was registered before its termination
        "in_court": 1,
        "convicted": 1,
        "lack_of_evidence": 1,
    }
    assert result.appeals_total.count == 6
    channels = {f.key: f.count for f in result.by_channel}
    assert channels == {"letter": 5, "hotline": 1}
    subjects = {f.key: f.count for f in result.by_subject}
    assert subjects == {"living_conditions": 5, "torture": 1}
    assert by_subject.pk  # counted through its subject


def test_figures_link_to_the_lists_with_their_filters(
    users: dict[str, Any], cases_2023: None, ref: Any
) -> None:
    result = funnel(
        users["coordinator"], FunnelFilters(year=2023, region=ref["astana"], agency=ref["kuis"])
    )
    in_court = result.step("cases", "in_court")
    assert in_court.url_name == "appeals:case_list"
    assert dict(in_court.query) == {
        "year": "2023",
        "region": "KZ-71",
        "agency": "MVD-KUIS",
        "stage": "in_court",
    }
    referred = result.step("allegations", "referred")
    assert referred.url_name == "appeals:list"
    assert referred.query["ill_treatment"] == "true"
    initiative = result.accountability[0]
    assert initiative.url_name == "appeals:accountability_list"
    assert initiative.query["initiative"] == "commissioner"
    url = in_court.url
    assert url is not None
    assert parse_qs(url.split("?", 1)[1])["stage"] == ["in_court"]


def test_the_lists_behind_the_figures_count_the_same(
    users: dict[str, Any], cases_2023: None, client_for: Callable[[str], Any]
) -> None:
    """Each case figure's link opens the cases list showing that many cases (one rule for
    the stage, `selectors.stages`)."""
    from bench.harness import shown_count

    result = funnel(users["coordinator"], FunnelFilters(year=2023))
    client = client_for("coordinator")
    for figure in result.cases:
        assert figure.url is not None
        assert shown_count(client.get(figure.url)) == figure.count, figure.key


def test_agency_and_region_filters(
    users: dict[str, Any],
    make_case: Callable[..., CriminalCase],
    make_institution: Callable[..., Any],
    ref: Any,
) -> None:
    kuis_place = make_institution()
    health_place = make_institution(agency=ref["moh"])
    make_case(reported_on=DAY, institution=kuis_place, region=kuis_place.region)
    make_case(reported_on=DAY, institution=health_place, region=health_place.region)
    make_case(reported_on=DAY, region=ref["almaty"])
    coordinator = users["coordinator"]
    assert funnel(coordinator, FunnelFilters(year=2023)).step("cases", "reported").count == 3
    by_mvd = funnel(coordinator, FunnelFilters(year=2023, agency=ref["mvd"]))
    assert by_mvd.step("cases", "reported").count == 1
    by_region = funnel(coordinator, FunnelFilters(year=2023, region=ref["almaty"]))
    assert by_region.step("cases", "reported").count == 1
    # a regional representative counts only their regions
    regional = funnel(users["regional"], FunnelFilters(year=2023))
    assert regional.step("cases", "reported").count == 2


def test_a_record_without_an_agency_falls_under_its_institutions_everywhere(
    users: dict[str, Any],
    make_institution: Callable[..., Any],
    ref: Any,
    client_for: Callable[[str], Any],
) -> None:
    """One rule (`stages.accountability_agency_q`): a record with no agency of its own is
    counted by the funnel under its institution's agency (and the agencies above it), and the
    accountability list filtered by that agency shows it; the funnel's link opens that list."""
    from rest_framework.test import APIClient

    from bench.harness import shown_count

    def record(**fields: Any) -> AccountabilityRecord:
        return AccountabilityRecord.objects.create(
            decided_on=DAY,
            responsibility=Responsibility.DISCIPLINARY,
            initiative=Initiative.NPM_PARTICIPANT,
            region=ref["astana"],
            recorded_by=users["coordinator"],
            **fields,
        )

    kuis_place = make_institution()  # its agency: a regional department of MVD-KUIS
    record(institution=kuis_place)
    record(institution=kuis_place, agency=ref["moh"])  # its own agency comes first
    record(agency=ref["kuis"])
    record()
    coordinator = users["coordinator"]
    api = APIClient()
    api.force_authenticate(coordinator)
    client = client_for("coordinator")
    for agency, expected in ((ref["mvd"], 2), (ref["kuis_71"], 1), (ref["moh"], 1)):
        total = funnel(coordinator, FunnelFilters(year=2023, agency=agency)).accountability_total
        assert total is not None
        assert total.url is not None
        assert total.count == expected, agency.code
        assert total.query["agency"] == agency.code
        assert shown_count(client.get(total.url)) == expected, agency.code
        listed = api.get("/api/v1/accountability/", {"agency": agency.code, "year": 2023})
        assert listed.json()["count"] == expected, agency.code


@pytest.mark.parametrize(
    ("actor", "page", "api"),
    [
        ("anonymous", 302, 401),
        ("coordinator", 200, 200),
        ("auditor", 200, 200),
        ("regional", 200, 200),
        ("monitor", 403, 403),
        ("liaison", 403, 403),
        ("admin", 403, 403),
    ],
)
def test_funnel_role_matrix(client_for: Any, actor: str, page: int, api: int) -> None:
    client = client_for(actor)
    assert client.get("/appeals/funnel/").status_code == page
    response = client.get("/api/v1/appeals-funnel/")
    assert response.status_code in ((401, 403) if api == 401 else (api,))


def test_bad_filters(client_for: Any) -> None:
    client = client_for("coordinator")
    assert client.get("/api/v1/appeals-funnel/?year=abc").status_code == 400
    assert client.get("/api/v1/appeals-funnel/?region=XX-00").status_code == 400
    assert client.get("/appeals/funnel/?year=abc").status_code == 200


@pytest.mark.parametrize(("language", "text"), [("ru", "4,52"), ("kk", "4,52")])
def test_share_in_kazakh_and_russian(
    client_for: Any, cases_2023: None, language: str, text: str
) -> None:
    client = client_for("coordinator")
    client.cookies["django_language"] = language
    response = client.get("/appeals/funnel/?year=2023", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert text in response.content.decode()


def test_a_regional_representative_asks_only_for_own_regions(
    client_for: Callable[[str], Any], ref: Any
) -> None:
    client = client_for("regional")  # Astana
    assert client.get("/api/v1/appeals-funnel/", {"region": "KZ-71"}).status_code == 200
    assert client.get("/api/v1/appeals-funnel/", {"region": "KZ-75"}).status_code == 404
    assert client.get("/appeals/funnel/", {"region": "KZ-75"}).status_code == 404
    assert client_for("coordinator").get("/appeals/funnel/", {"region": "KZ-75"}).status_code == 200

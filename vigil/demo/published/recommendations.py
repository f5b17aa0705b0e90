"""The recommendations of the published figures: 3,012 issued in 2023 from the visits' reports
(1,205 implemented, 40.0%), and the penitentiary committee's 2021 tally (758: 275
implemented, 456 in implementation, 27 not accepted, 36.3%). Written by the recommendations'
bulk path, each 2023 one linked to its visit and its finding, with the authority's response
where the authority answered."""

import datetime
import random
from collections.abc import Sequence

from vigil.core.calendar import WorkingCalendar
from vigil.recommendations.enums import Level, Source, State, Verdict
from vigil.recommendations.models import AuthorityResponse, Recommendation
from vigil.recommendations.services.bulk import recommendations_bulk_create, responses_bulk_create
from vigil.registry.models import Institution
from vigil.visits.models import Finding

from ..recommendations.material import CLAIM_OF_STATE, language_of, material
from .visits import PublishedVisit
from .world import PublishedWorld

S = State
PREFIX = "PUB-REC-"
EVENT_NOTE = "Synthetic data reproducing the NPM's published figures."
EVENT_DATA = {"via": "published_figures"}
# Exact state counts; the official tally maps them (vigil.recommendations.tally).
STATES_2023: dict[str, int] = {
    S.IMPLEMENTED_CLAIMED: 1000,
    S.IMPLEMENTED_VERIFIED: 205,  # implemented: 1,205 of 3,012 = 40.0%
    S.IN_IMPLEMENTATION: 900,
    S.ACCEPTED: 150,
    S.PARTIALLY_IMPLEMENTED: 150,  # in implementation: 1,200
    S.NOT_ACCEPTED: 300,
    S.NO_RESPONSE: 307,
}
KUIS_STATES_2021: dict[str, int] = {
    S.IMPLEMENTED_CLAIMED: 200,
    S.IMPLEMENTED_VERIFIED: 75,  # implemented: 275 of 758 = 36.3%
    S.IN_IMPLEMENTATION: 380,
    S.PARTIALLY_IMPLEMENTED: 50,
    S.ACCEPTED: 26,  # in implementation: 456
    S.NOT_ACCEPTED: 27,
}
DOCUMENTS = {
    "visit": {"kk": "{ref} бару туралы есеп", "ru": "Отчёт о посещении {ref}", "en": "Visit report {ref}"},
    "annual": {
        "kk": "ҰАТ-тың {year} жылғы баяндамасы",
        "ru": "Доклад НПМ за {year} год",
        "en": "NPM annual report {year}",
    },
}  # fmt: skip


def _states(rng: random.Random, counts: dict[str, int]) -> list[str]:
    states = [state for state, count in counts.items() for _ in range(count)]
    rng.shuffle(states)
    return states


def _recommendation(
    rng: random.Random,
    calendar: WorkingCalendar,
    world: PublishedWorld,
    *,
    external_ref: str,
    state: str,
    institution: Institution,
    theme: str,
    language: str,
    issued_on: datetime.date,
    source_document: str,
) -> Recommendation:
    deadline = calendar.add_working_days(issued_on, 30)
    changed = issued_on + datetime.timedelta(days=rng.randint(20, 90))
    if state == S.NO_RESPONSE:
        changed = deadline + datetime.timedelta(days=1)
    elif state not in (S.NOT_ACCEPTED,):
        deadline = issued_on + datetime.timedelta(days=rng.randint(180, 540))
    return Recommendation(
        external_ref=external_ref,
        source=Source.VISIT_REPORT,
        source_document=source_document,
        addressee=institution.agency,
        institution=institution,
        theme=theme,
        level=Level.INSTITUTIONAL,
        text=rng.choice(material()["texts"][theme])[language],
        issued_on=issued_on,
        deadline=deadline,
        state=state,
        state_changed_on=changed,
        claimed_status=CLAIM_OF_STATE.get(state, ""),
        assessed_verdict=Verdict.VERIFIED if state == S.IMPLEMENTED_VERIFIED else "",
        created_by=world.coordinator,
    )


def _responses(world: PublishedWorld, recommendations: Sequence[Recommendation]) -> int:
    """The authorities' answers: one letter for each recommendation with a claim."""
    responses = []
    for serial, rec in enumerate(recommendations, start=1):
        if not rec.claimed_status or rec.issued_on is None or rec.state_changed_on is None:
            continue
        language = language_of(rec.text)  # authorities answer in the language written to
        responses.append(
            AuthorityResponse(
                recommendation=rec,
                responding_agency_id=rec.addressee_id,
                letter_number=f"{serial:05d}-{rec.addressee.code}/{rec.state_changed_on.year}",
                letter_date=rec.state_changed_on,
                measures=material()["measures"][rec.claimed_status][language],
                claimed_status=rec.claimed_status,
                on_time=rec.deadline is None or rec.state_changed_on <= rec.deadline,
                submitted_by=world.coordinator,
            )
        )
    responses_bulk_create(responses)
    return len(responses)


def recommendations_2023(
    world: PublishedWorld, visits: list[PublishedVisit], rng: random.Random
) -> list[Recommendation]:
    """3,012 recommendations of the 2023 visits' reports, spread over the places visited."""
    calendar = WorkingCalendar()
    places = [(v, i) for v in visits for i in v.institutions]
    states = _states(rng, STATES_2023)
    drawn: list[tuple[Recommendation, Finding]] = []
    for index, state in enumerate(states):
        visit, institution = places[index % len(places)]
        finding = visit.findings[institution.pk]
        language = visit.language
        rec = _recommendation(
            rng,
            calendar,
            world,
            external_ref=f"{PREFIX}2023-{index + 1:05d}",
            state=state,
            institution=institution,
            theme=finding.theme,
            language=language,
            issued_on=visit.sent_on,
            source_document=DOCUMENTS["visit"][language].format(ref=visit.visit.reference),
        )
        rec.visit = visit.visit
        drawn.append((rec, finding))
    drawn.sort(key=lambda pair: (pair[0].issued_on, pair[0].external_ref))
    saved = recommendations_bulk_create(
        [rec for rec, _finding in drawn], note=EVENT_NOTE, data=EVENT_DATA
    )
    links = Recommendation.findings.through
    links.objects.bulk_create(
        [links(recommendation_id=rec.pk, finding_id=finding.pk) for rec, finding in drawn],
        batch_size=1000,
    )
    _responses(world, saved)
    return saved


def kuis_2021(world: PublishedWorld, rng: random.Random) -> list[Recommendation]:
    """758 recommendations of 2021 to the penitentiary committee's departments about penal
    institutions (those in regions that existed in 2021)."""
    calendar = WorkingCalendar()
    before = datetime.date(2021, 1, 1)
    penal = [
        i
        for i in world.institutions
        if i.type.category == "penal"
        and (i.region.valid_from is None or i.region.valid_from <= before)
    ]
    themes = ("T1", "T2", "T3", "T4", "T5", "T6", "T7")
    drawn = []
    for index, state in enumerate(_states(rng, KUIS_STATES_2021)):
        language = rng.choice(("kk", "ru"))
        drawn.append(
            _recommendation(
                rng,
                calendar,
                world,
                external_ref=f"{PREFIX}2021-{index + 1:05d}",
                state=state,
                institution=penal[index % len(penal)],
                theme=rng.choice(themes),
                language=language,
                issued_on=datetime.date(2021, 1, 11) + datetime.timedelta(days=rng.randint(0, 340)),
                source_document=DOCUMENTS["annual"][language].format(year=2021),
            )
        )
    for rec in drawn:
        rec.source = Source.ANNUAL_REPORT
    drawn.sort(key=lambda r: (r.issued_on, r.external_ref))
    saved = recommendations_bulk_create(drawn, note=EVENT_NOTE, data=EVENT_DATA)
    _responses(world, saved)
    return saved

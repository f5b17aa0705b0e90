"""The officials brought to justice in 2023: 258 on the Commissioner's representatives'
proposals and 17 on NPM participants' initiative. One `AccountabilityRecord` is one official,
so the rows are the figures. Written in bulk with their historical times, as the demo data's
accountability records are."""

import datetime
import random

from vigil.appeals.enums import Initiative, Responsibility
from vigil.appeals.models import AccountabilityRecord
from vigil.core.bulk import given_timestamps

from ..appeals.context import at_noon, texts
from ..visits.plan import new_uuid
from .visits import YEAR, PublishedVisit

OFFICIALS: dict[str, int] = {
    Initiative.COMMISSIONER_REPRESENTATIVE: 258,
    Initiative.NPM_PARTICIPANT: 17,
}


def accountability_2023(
    visits: list[PublishedVisit], rng: random.Random
) -> list[AccountabilityRecord]:
    stock = texts()
    records: list[AccountabilityRecord] = []
    for initiative, count in OFFICIALS.items():
        for _ in range(count):
            visit = rng.choice(visits)
            institution = rng.choice(visit.institutions)
            responsibility = rng.choices(
                (Responsibility.DISCIPLINARY, Responsibility.ADMINISTRATIVE), weights=(9, 1)
            )[0]
            language = visit.language if visit.language in ("kk", "ru") else "ru"
            decided = min(
                visit.sent_on + datetime.timedelta(days=rng.randint(20, 120)),
                datetime.date(YEAR, 12, 29),
            )
            record = AccountabilityRecord(
                public_id=new_uuid(rng),
                decided_on=decided,
                responsibility=responsibility,
                initiative=initiative,
                position=rng.choice(stock["positions"])[language],
                measure=rng.choice(stock["measures"][responsibility])[language],
                agency_id=institution.agency_id,
                institution=institution,
                region_id=institution.region_id,
                # the participants' own initiative came out of their visit
                visit=visit.visit if initiative == Initiative.NPM_PARTICIPANT else None,
            )
            record.created_at = record.updated_at = at_noon(decided)
            records.append(record)
    with given_timestamps(AccountabilityRecord):
        return AccountabilityRecord.objects.bulk_create(records, batch_size=1000)

"""Fixtures for appeals: the reference data of appeal handling and an appeal, a referral, a
criminal case and an incident in any state (built directly with the ORM and the sealing, so
that each feature's tests do not depend on the others' services)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from vigil.accounts.models import User
from vigil.appeals.enums import AppealState, CaseState, Channel, IncidentKind, ReferralBodyKind
from vigil.appeals.models import (
    Appeal,
    AppealIdentity,
    AppealSubject,
    CriminalCase,
    Incident,
    Referral,
)
from vigil.appeals.reference import appeal_reference_load
from vigil.appeals.services.appeals import (
    Appellant,
    content_associated_data,
    identity_associated_data,
)
from vigil.appeals.services.incidents import summary_encrypt
from vigil.core.crypto import keyring
from vigil.core.sealing import identity_fingerprint, identity_seal
from vigil.visits.enums import AccessIncidentKind
from vigil.visits.models import AccessIncident

APPEAL_CONTENT = "Мені ИВС-те тергеуші ұрды, медициналық көмек көрсетілмеді"
APPELLANT_NAME = "Ерлан Сапарұлы Жұмабеков"


@pytest.fixture
def appeal_reference(db: Any) -> dict[str, Any]:
    """The Kazakhstan subjects, allegation types, investigating bodies and time limits."""
    appeal_reference_load(country="kz")
    return {"subjects": {s.code: s for s in AppealSubject.objects.all()}}


@pytest.fixture
def make_appeal(
    users: dict[str, User], make_institution: Callable[..., Any], appeal_reference: Any
) -> Callable[..., Appeal]:
    counter = iter(range(1, 100_000))

    def make(
        state: str = AppealState.REGISTERED,
        institution: Any = None,
        name: str = APPELLANT_NAME,
        content: str = APPEAL_CONTENT,
        **fields: Any,
    ) -> Appeal:
        n = next(counter)
        institution = institution or make_institution()
        data: dict[str, Any] = {
            "reference": f"A-2026-{n:05d}",
            "channel": Channel.LETTER,
            "state": state,
            "received_on": datetime.date(2026, 11, 2),
            "registered_on": datetime.date(2026, 11, 3),
            "subject": AppealSubject.objects.get(code="torture"),
            "institution": institution,
            "region": institution.region,
            "summary": f"Appeal {n}",
            "registered_by": users["coordinator"],
            "due_on": datetime.date(2026, 11, 24),
            "content_ciphertext": b"",
            "content_key_version": 0,
        }
        data.update(fields)
        appeal = Appeal(**data)
        ring = keyring()
        appeal.content_ciphertext = ring.encrypt(content.encode(), content_associated_data(appeal))
        appeal.content_key_version = ring.current_version
        appeal.save()
        if name:
            blob, version = identity_seal(
                Appellant(name=name, contact="+7 701 000 00 00").sealed_text(),
                associated_data=identity_associated_data(appeal),
            )
            AppealIdentity.objects.create(
                appeal=appeal,
                ciphertext=blob,
                key_version=version,
                fingerprint=identity_fingerprint(name),
            )
        return appeal

    return make


@pytest.fixture
def appeal(make_appeal: Callable[..., Appeal]) -> Appeal:
    return make_appeal()


@pytest.fixture
def make_referral(users: dict[str, User]) -> Callable[..., Referral]:
    counter = iter(range(1, 100_000))

    def make(appeal: Appeal, **fields: Any) -> Referral:
        n = next(counter)
        data: dict[str, Any] = {
            "reference": f"R-2026-{n:05d}",
            "appeal": appeal,
            "body_kind": ReferralBodyKind.PROSECUTOR,
            "body_name": "Prosecutor's office of Astana",
            "region": appeal.region,
            "discloses": ["allegation"],
            "sent_on": datetime.date(2026, 11, 10),
            "created_by": users["coordinator"],
        }
        data.update(fields)
        return Referral.objects.create(**data)

    return make


@pytest.fixture
def make_case(users: dict[str, User], appeal_reference: Any) -> Callable[..., CriminalCase]:
    counter = iter(range(1, 100_000))

    def make(state: str = CaseState.REPORTED, **fields: Any) -> CriminalCase:
        n = next(counter)
        data: dict[str, Any] = {
            "reference": f"C-2026-{n:05d}",
            "state": state,
            "part": 2,
            "reported_on": datetime.date(2026, 11, 12),
            "created_by": users["coordinator"],
        }
        data.update(fields)
        return CriminalCase.objects.create(**data)

    return make


@pytest.fixture
def make_incident(
    users: dict[str, User], make_institution: Callable[..., Any]
) -> Callable[..., Incident]:
    counter = iter(range(1, 100_000))

    def make(kind: str = IncidentKind.REPRISAL, institution: Any = None, **fields: Any) -> Incident:
        n = next(counter)
        institution = institution or make_institution()
        data: dict[str, Any] = {
            "reference": f"I-2026-{n:05d}",
            "kind": kind,
            "occurred_on": datetime.date(2026, 11, 20),
            "institution": institution,
            "region": institution.region,
            "summary": "Placed in a punishment cell after the interview (pseudonym K-3)",
            "recorded_by": users["coordinator"],
        }
        data.update(fields)
        summary = data.pop("summary")
        incident = Incident(**data)
        summary_encrypt(incident, summary)
        incident.save()
        return incident

    return make


@pytest.fixture
def access_incident(visit: Any, users: dict[str, User]) -> AccessIncident:
    """A refusal of entry recorded by the visit's monitor two days ago (a visits record that
    the incidents list shows as access obstruction)."""
    return AccessIncident.objects.create(
        visit=visit,
        institution=visit.institutions.first(),
        kind=AccessIncidentKind.REFUSAL,
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        details="Entry refused for 40 minutes",
        recorded_by=users["monitor"],
    )

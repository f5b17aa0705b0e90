"""Interview services: encryption at rest (raw columns hold no plaintext), tampering and key
rotation, logged reads and unseals, permissions, validation, audit rows without content."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.core.crypto import DecryptionError, new_key_spec
from vigil.visits.enums import ConsentScope, ReprisalRisk, VisitState, Vulnerability
from vigil.visits.models import Interview, SealedIdentity
from vigil.visits.selectors.interviews import follow_ups_due, interviews_for_visit
from vigil.visits.services.interviews import (
    identity_unseal,
    interview_create,
    interview_follow_up_done,
    interview_read,
    interview_read_content,
    interview_update,
    interview_withdraw_consent,
)

CONTENT = "Ұрып-соғу туралы айтты: күзетші түнде қолын сындырды. Шағым жазуға қорқады."
IDENTITY = "Әлібек Нұрсұлтанұлы Құдайбергенов, 1990 ж.т."
MARKERS = ("күзетші түнде", "Құдайбергенов", "Нұрсұлтанұлы", "сындырды")

WRITERS = ("coordinator", "regional", "monitor", "monitor_lead", "monitor_doctor")
NOT_WRITERS = ("admin", "liaison", "other_liaison", "auditor", "monitor_outsider")


@pytest.fixture
def make_interview(users, visit):
    def make(actor="monitor", content=CONTENT, identity=IDENTITY, on=visit, **data):
        fields = {
            "pseudonym": "Witness A",
            "consent_scopes": [ConsentScope.ANONYMOUS_USE, ConsentScope.CONTACT_BACK],
        }
        fields.update(data)
        return interview_create(
            actor=users[actor],
            visit=on,
            institution=on.institutions.get(),
            data=fields,
            content=content,
            identity=identity,
        )

    return make


def _raw_rows(table: str) -> list[bytes]:
    """Every column of every row of a table, as bytes, straight from the database."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        rows = cursor.fetchall()
    out = []
    for row in rows:
        for value in row:
            if isinstance(value, memoryview | bytes | bytearray):
                out.append(bytes(value))
            else:
                out.append(str(value).encode())
    return out


# ---------------------------------------------------------------------------- encryption


def test_raw_columns_hold_no_plaintext(make_interview, users):
    interview = make_interview()
    interview_read_content(actor=users["monitor"], interview=interview)
    identity_unseal(actor=users["coordinator"], interview=interview, reason="referral")
    interview_update(
        actor=users["monitor"], interview=interview, data={}, content_addition="ещё: қосымша"
    )
    tables = [
        Interview._meta.db_table,
        SealedIdentity._meta.db_table,
        AuditEvent._meta.db_table,
        AccessEvent._meta.db_table,
    ]
    blobs = [blob for table in tables for blob in _raw_rows(table)]
    assert blobs
    for marker in (*MARKERS, CONTENT, IDENTITY, "қосымша"):
        needle = marker.encode()
        assert not any(needle in blob for blob in blobs), marker
        # Not hidden in some other encoding either.
        assert not any(marker.encode("utf-16-le") in blob for blob in blobs), marker
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT content_ciphertext, content_key_version FROM {Interview._meta.db_table}"  # noqa: S608
        )
        ciphertext, version = cursor.fetchone()
    assert version == 1
    assert bytes(ciphertext)[:2] == (1).to_bytes(2, "big")
    assert SealedIdentity.objects.get(interview=interview).key_version == 1


def test_content_and_identity_round_trip(make_interview, users):
    interview = make_interview()
    assert interview_read_content(actor=users["monitor"], interview=interview) == CONTENT
    unsealed = identity_unseal(actor=users["monitor"], interview=interview, reason="follow-up")
    assert unsealed == IDENTITY


def test_tampered_ciphertext_does_not_decrypt(make_interview, users):
    interview = make_interview()
    blob = bytearray(bytes(Interview.objects.get(pk=interview.pk).content_ciphertext))
    blob[-1] ^= 0x01
    Interview.objects.filter(pk=interview.pk).update(content_ciphertext=bytes(blob))
    with pytest.raises(DecryptionError):
        interview_read_content(actor=users["monitor"], interview=interview)
    # Logged before decrypting: the attempt stays in the access log.
    assert AccessEvent.objects.filter(kind=AccessKind.INTERVIEW_READ).count() == 1


def test_ciphertext_is_bound_to_its_interview(make_interview, users):
    """A ciphertext copied onto another interview's row does not decrypt there."""
    first = make_interview(content="first")
    second = make_interview(content="second", pseudonym="Witness B")
    Interview.objects.filter(pk=second.pk).update(
        content_ciphertext=bytes(Interview.objects.get(pk=first.pk).content_ciphertext)
    )
    with pytest.raises(DecryptionError):
        interview_read_content(actor=users["monitor"], interview=second)
    SealedIdentity.objects.filter(interview=second).update(
        ciphertext=bytes(SealedIdentity.objects.get(interview=first).ciphertext)
    )
    with pytest.raises(DecryptionError):
        identity_unseal(actor=users["monitor"], interview=second, reason="check")


def test_key_rotation(make_interview, users):
    old, new = new_key_spec(1), new_key_spec(2)
    with override_settings(FIELD_ENCRYPTION_KEYS=old):
        interview = make_interview()
    assert interview.content_key_version == 1
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{new},{old}"):
        # Written with key 1, readable once key 2 is the current one.
        assert interview_read_content(actor=users["monitor"], interview=interview) == CONTENT
        assert identity_unseal(actor=users["monitor"], interview=interview, reason="r") == (
            IDENTITY
        )
        interview_update(actor=users["monitor"], interview=interview, data={}, content="rewritten")
        interview.refresh_from_db()
        assert interview.content_key_version == 2
        assert interview_read_content(actor=users["monitor"], interview=interview) == "rewritten"
    with override_settings(FIELD_ENCRYPTION_KEYS=new):
        # Re-encrypted content no longer needs key 1; the identity still does.
        assert interview_read_content(actor=users["monitor"], interview=interview) == "rewritten"
        with pytest.raises(DecryptionError):
            identity_unseal(actor=users["monitor"], interview=interview, reason="r")


# ---------------------------------------------------------------------------- logged reads


def test_every_read_and_unseal_is_logged(make_interview, users):
    interview = make_interview()
    for _ in range(3):
        interview_read_content(actor=users["monitor"], interview=interview)
    interview_read_content(actor=users["coordinator"], interview=interview)
    identity_unseal(
        actor=users["coordinator"], interview=interview, reason="Referral to prosecutor"
    )
    identity_unseal(actor=users["monitor_lead"], interview=interview, reason="Contact back")
    reads = AccessEvent.objects.filter(
        kind=AccessKind.INTERVIEW_READ, target_id=str(interview.public_id)
    )
    unseals = AccessEvent.objects.filter(
        kind=AccessKind.IDENTITY_UNSEALED, target_id=str(interview.public_id)
    )
    assert reads.count() == 4
    assert sorted(reads.values_list("actor__email", flat=True)) == sorted(
        [users["monitor"].email] * 3 + [users["coordinator"].email]
    )
    assert unseals.count() == 2
    assert set(unseals.values_list("reason", flat=True)) == {
        "Referral to prosecutor",
        "Contact back",
    }
    assert all(e.target_label == "Witness A" for e in AccessEvent.objects.all())


def test_unseal_needs_a_reason(make_interview, users):
    interview = make_interview()
    with pytest.raises(ValidationError) as exc:
        identity_unseal(actor=users["coordinator"], interview=interview, reason="   ")
    assert "reason" in exc.value.message_dict
    assert "Say why you need the real identity" in exc.value.message_dict["reason"][0]
    assert not AccessEvent.objects.exists()


def test_unseal_without_identity(make_interview, users):
    interview = make_interview(identity="")
    assert not SealedIdentity.objects.exists()
    with pytest.raises(ValidationError, match="No real identity"):
        identity_unseal(actor=users["coordinator"], interview=interview, reason="why")
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("coordinator", True),
        ("regional", True),
        ("monitor", True),
        ("monitor_lead", True),
        ("monitor_doctor", True),
        ("monitor_outsider", False),
        ("auditor", False),
        ("admin", False),
        ("liaison", False),
        ("other_liaison", False),
    ],
)
def test_read_and_unseal_permissions(make_interview, users, actor, allowed):
    interview = make_interview()
    if allowed:
        assert interview_read_content(actor=users[actor], interview=interview) == CONTENT
        assert identity_unseal(actor=users[actor], interview=interview, reason="x") == IDENTITY
        assert AccessEvent.objects.filter(actor=users[actor]).count() == 2
    else:
        with pytest.raises(PermissionDenied):
            interview_read_content(actor=users[actor], interview=interview)
        with pytest.raises(PermissionDenied):
            identity_unseal(actor=users[actor], interview=interview, reason="x")
        assert not AccessEvent.objects.filter(outcome="granted").exists()


def test_regional_of_another_region_cannot_read(make_visit, make_institution, ref, users):
    elsewhere = make_visit(
        state=VisitState.ON_SITE, institution=make_institution(region=ref["almaty"])
    )
    interview = interview_create(
        actor=users["monitor"],
        visit=elsewhere,
        institution=None,
        data={"pseudonym": "P"},
        content="c",
    )
    with pytest.raises(PermissionDenied):
        interview_read_content(actor=users["regional"], interview=interview)
    assert not AccessEvent.objects.filter(outcome="granted").exists()
    assert not interviews_for_visit(users["regional"], elsewhere).exists()


# ---------------------------------------------------------------------------- writes


@pytest.mark.parametrize("actor", WRITERS)
def test_writers_create(make_interview, actor):
    interview = make_interview(actor=actor)
    event = AuditEvent.objects.get(action=AuditAction.INTERVIEW_CREATED)
    assert event.target_id == str(interview.public_id)
    assert event.actor_id == interview.conducted_by_id
    assert event.data["identity_sealed"] is True


@pytest.mark.parametrize("actor", NOT_WRITERS)
def test_others_cannot_create(make_interview, actor):
    with pytest.raises(PermissionDenied):
        make_interview(actor=actor)
    assert not Interview.objects.exists()
    assert not SealedIdentity.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="interview.").exists()


@pytest.mark.parametrize("state", [VisitState.PLANNED, VisitState.PREPARED, VisitState.DRAFT])
def test_no_interview_before_the_visit_starts(make_visit, users, state):
    planned = make_visit(state=state)
    with pytest.raises(ValidationError, match="once the visit has started"):
        interview_create(
            actor=users["monitor"],
            visit=planned,
            institution=None,
            data={"pseudonym": "P"},
            content="c",
        )
    assert not Interview.objects.exists()


@pytest.mark.parametrize(
    ("data", "identity", "field", "message"),
    [
        ({"consent_scopes": ["publish_everything"]}, "", "consent_scopes", "Unknown consent"),
        ({"consent_scopes": ["named_use", "named_use"]}, "", "consent_scopes", "repeated"),
        ({"vulnerabilities": ["tall"]}, "", "vulnerabilities", "Unknown vulnerability"),
        ({"in_private": False, "present_persons": " "}, "", "present_persons", "who else"),
        ({"pseudonym": "  "}, "", "pseudonym", "Give a pseudonym"),
        ({"pseudonym": "Ivan Petrov"}, "ivan petrov", "pseudonym", "must not be"),
        (
            {"follow_up_on": datetime.date(2026, 1, 1), "conducted_on": datetime.date(2026, 2, 1)},
            "",
            "follow_up_on",
            "cannot come before",
        ),
        (
            {"follow_up_on": datetime.date(2026, 12, 1), "consent_scopes": ["anonymous_use"]},
            "",
            "follow_up_on",
            "consent to be contacted back",
        ),
        ({"conducted_on": datetime.date(2999, 1, 1)}, "", "conducted_on", "future"),
        ({"reprisal_risk": "extreme"}, "", "reprisal_risk", "not a valid choice"),
    ],
    ids=[
        "unknown-scope",
        "repeated-scope",
        "unknown-vulnerability",
        "present-persons-missing",
        "no-pseudonym",
        "pseudonym-is-name",
        "follow-up-before",
        "follow-up-without-consent",
        "future-date",
        "bad-risk",
    ],
)
def test_create_validation(users, visit, data, identity, field, message):
    fields = {"pseudonym": "W", "consent_scopes": ["contact_back"], **data}
    with pytest.raises(ValidationError) as exc:
        interview_create(
            actor=users["monitor"],
            visit=visit,
            institution=None,
            data=fields,
            content="c",
            identity=identity,
        )
    assert field in exc.value.message_dict
    assert any(message in m for m in exc.value.message_dict[field]), exc.value.message_dict
    assert not Interview.objects.exists()
    assert not AuditEvent.objects.exists()


def test_institution_must_be_the_visits(users, visit, make_institution):
    with pytest.raises(ValidationError) as exc:
        interview_create(
            actor=users["monitor"],
            visit=visit,
            institution=make_institution(),
            data={"pseudonym": "W"},
            content="c",
        )
    assert "institution" in exc.value.message_dict


def test_private_interview_drops_present_persons(make_interview, users):
    interview = make_interview(in_private=True, present_persons="guard Ivanov")
    assert bytes(interview.present_ciphertext) == b""
    assert interview_read(actor=users["monitor"], interview=interview).present_persons == ""


def test_audit_rows_hold_no_content_or_identity(make_interview, users):
    interview = make_interview(in_private=False, present_persons="дежурный Сидоров")
    interview_update(
        actor=users["monitor"],
        interview=interview,
        data={
            "reprisal_risk": ReprisalRisk.HIGH,
            "vulnerabilities": [Vulnerability.MINOR],
            "present_persons": "дежурный Петров",
        },
        content="новый текст: Құпия",
        identity="Жаңа Есім",
    )
    events = list(AuditEvent.objects.filter(target_id=str(interview.public_id)))
    assert [e.action for e in events] == [
        AuditAction.INTERVIEW_UPDATED.value,
        AuditAction.INTERVIEW_CREATED.value,
    ]
    updated = events[0].data
    assert updated["changes"]["reprisal_risk"] == ["none", "high"]
    assert updated["content_changed"] is True
    assert updated["identity_sealed"] is True
    assert updated["present_persons_changed"] is True
    dumped = str([(e.data, e.target_label) for e in events])
    for secret in (*MARKERS, "Құпия", "Жаңа Есім", "Сидоров", "Петров"):
        assert secret not in dumped


def test_update_appends_without_a_logged_read(make_interview, users):
    interview = make_interview(content="first part")
    changes = interview_update(
        actor=users["monitor"], interview=interview, data={}, content_addition="second part"
    )
    assert changes == {"content_changed": True}
    assert not AccessEvent.objects.exists()
    text = interview_read_content(actor=users["monitor"], interview=interview)
    assert text.startswith("first part\n\n[")
    assert text.endswith("] second part")


def test_update_without_changes_writes_nothing(make_interview, users):
    interview = make_interview()
    before = AuditEvent.objects.count()
    assert interview_update(actor=users["monitor"], interview=interview, data={}) == {}
    assert (
        interview_update(actor=users["monitor"], interview=interview, data={}, content=CONTENT)
        == {}
    )
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("actor", NOT_WRITERS)
def test_others_cannot_update(make_interview, users, actor):
    interview = make_interview()
    before = list(Interview.objects.values())
    with pytest.raises(PermissionDenied):
        interview_update(
            actor=users[actor], interview=interview, data={"pseudonym": "X"}, content="x"
        )
    with pytest.raises(PermissionDenied):
        interview_withdraw_consent(actor=users[actor], interview=interview)
    assert list(Interview.objects.values()) == before
    assert AuditEvent.objects.filter(action=AuditAction.INTERVIEW_CREATED).count() == 1
    assert AuditEvent.objects.filter(action__startswith="interview.").count() == 1


def test_withdraw_consent(make_interview, users):
    interview = make_interview()
    assert interview.consents_to(ConsentScope.ANONYMOUS_USE)
    interview = interview_withdraw_consent(actor=users["monitor"], interview=interview)
    assert interview.consent_withdrawn_on == timezone.localdate()
    assert interview.consent_withdrawn
    assert not interview.consents_to(ConsentScope.ANONYMOUS_USE)
    assert AuditEvent.objects.filter(action=AuditAction.INTERVIEW_CONSENT_WITHDRAWN).count() == 1
    with pytest.raises(ValidationError, match="already withdrawn"):
        interview_withdraw_consent(actor=users["monitor"], interview=interview)


@pytest.mark.parametrize(
    ("days", "message"), [(1, "future"), (-400, "before the interview")], ids=["future", "early"]
)
def test_withdraw_consent_dates(make_interview, users, days, message):
    interview = make_interview()
    with pytest.raises(ValidationError, match=message):
        interview_withdraw_consent(
            actor=users["monitor"],
            interview=interview,
            on_date=timezone.localdate() + datetime.timedelta(days=days),
        )
    interview.refresh_from_db()
    assert interview.consent_withdrawn_on is None


def test_follow_up_task_on_the_leads_page(make_interview, users):
    today = timezone.localdate()
    due = make_interview(follow_up_on=today + datetime.timedelta(days=2))
    make_interview(pseudonym="Later", follow_up_on=today + datetime.timedelta(days=30))
    make_interview(pseudonym="None")
    withdrawn = make_interview(pseudonym="Gone", follow_up_on=today)
    interview_withdraw_consent(actor=users["monitor"], interview=withdrawn)
    assert list(follow_ups_due(users["monitor_lead"])) == [due]
    # Only the visit's lead gets the task.
    assert not follow_ups_due(users["monitor"]).exists()
    assert not follow_ups_due(users["coordinator"]).exists()
    interview_follow_up_done(actor=users["monitor_lead"], interview=due)
    assert not follow_ups_due(users["monitor_lead"]).exists()
    due.refresh_from_db()
    assert due.follow_up_done_on == today
    with pytest.raises(ValidationError, match="already marked"):
        interview_follow_up_done(actor=users["monitor_lead"], interview=due)


def test_follow_up_done_needs_a_plan(make_interview, users):
    interview = make_interview()
    with pytest.raises(ValidationError, match="No follow-up contact"):
        interview_follow_up_done(actor=users["monitor"], interview=interview)

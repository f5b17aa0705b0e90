"""Appeal handling services: moves, triage, assignment, extension (limits from data), merge,
duplicates and repeat writers."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vigil.accounts.models import User
from vigil.appeals.deadlines import answer_due, longest_extension
from vigil.appeals.enums import AppealState, EventKind, Urgency
from vigil.appeals.models import AllegationType, Appeal, AppealEvent
from vigil.appeals.services.duplicates import (
    SAME_PERSON,
    SIMILAR_TEXT,
    duplicate_candidates,
    repeat_writer_appeals,
    text_similarity,
)
from vigil.appeals.services.handling import (
    appeal_assign,
    appeal_extend,
    appeal_merge,
    appeal_transition,
    appeal_triage,
)
from vigil.audit.enums import AuditAction
from vigil.audit.models import AccessEvent, AuditEvent

pytestmark = pytest.mark.django_db


def _events(appeal: Appeal) -> list[str]:
    return list(AppealEvent.objects.filter(appeal=appeal).values_list("kind", flat=True))


def test_registering_a_received_appeal_sets_who_when_and_due(
    users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal(
        state=AppealState.RECEIVED, registered_on=None, registered_by=None, due_on=None
    )
    appeal_transition(actor=users["coordinator"], appeal=appeal, move="register")
    appeal.refresh_from_db()
    today = timezone.localdate()
    assert appeal.state == AppealState.REGISTERED
    assert appeal.registered_on == today
    assert appeal.registered_by == users["coordinator"]
    assert appeal.due_on == answer_due(today)
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_TRANSITIONED).count() == 1
    assert _events(appeal) == [EventKind.STATE_CHANGED]


def test_forward_needs_the_body_and_a_note_is_kept(
    users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal()
    with pytest.raises(ValidationError):
        appeal_transition(actor=users["coordinator"], appeal=appeal, move="forward")
    appeal_transition(
        actor=users["coordinator"], appeal=appeal, move="forward", forwarded_to="Akimat"
    )
    appeal.refresh_from_db()
    assert appeal.state == AppealState.OUT_OF_MANDATE
    assert appeal.forwarded_to == "Akimat"
    assert appeal.forwarded_on == timezone.localdate()


@pytest.mark.parametrize("actor", ["auditor", "liaison", "admin", "monitor", "other_liaison"])
def test_denied_moves_change_nothing(
    actor: str, users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal()
    with pytest.raises(PermissionDenied):
        appeal_transition(actor=users[actor], appeal=appeal, move="triage")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.REGISTERED
    assert not AuditEvent.objects.filter(action=AuditAction.APPEAL_TRANSITIONED).exists()


def test_regional_handles_only_own_region(
    users: dict[str, User],
    make_appeal: Callable[..., Appeal],
    make_institution: Callable[..., Any],
    ref: dict[str, Any],
) -> None:
    own = make_appeal()
    other = make_appeal(institution=make_institution(region=ref["almaty"]))
    appeal_transition(actor=users["regional"], appeal=own, move="triage")
    with pytest.raises(PermissionDenied):
        appeal_transition(actor=users["regional"], appeal=other, move="triage")


def test_triage_sets_fields_region_and_logs_changes(
    users: dict[str, User],
    make_appeal: Callable[..., Appeal],
    make_institution: Callable[..., Any],
    ref: dict[str, Any],
) -> None:
    appeal = make_appeal()
    place = make_institution(region=ref["almaty"])
    torture = AllegationType.objects.get(code="torture")
    appeal_triage(
        actor=users["coordinator"],
        appeal=appeal,
        data={"institution": place, "urgency": Urgency.URGENT, "consent_scopes": ["allegation"]},
        allegations=[torture],
    )
    appeal.refresh_from_db()
    assert appeal.region == ref["almaty"]
    assert appeal.urgency == Urgency.URGENT
    assert list(appeal.allegation_types.all()) == [torture]
    event = AuditEvent.objects.get(action=AuditAction.APPEAL_UPDATED)
    assert set(event.data["changes"]) >= {"institution", "urgency", "allegation_types"}
    assert _events(appeal) == [EventKind.EDITED]
    with pytest.raises(PermissionDenied):
        appeal_triage(actor=users["auditor"], appeal=appeal, data={"urgency": "routine"})


def test_assign_in_scope_only_and_the_assignee_may_handle(
    users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal()
    with pytest.raises(ValidationError):
        appeal_assign(actor=users["coordinator"], appeal=appeal, assignee=users["liaison"])
    appeal_assign(actor=users["coordinator"], appeal=appeal, assignee=users["monitor"])
    appeal.refresh_from_db()
    assert appeal.assigned_to == users["monitor"]
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_ASSIGNED).count() == 1
    appeal_transition(actor=users["monitor"], appeal=appeal, move="triage")
    with pytest.raises(PermissionDenied):
        appeal_assign(actor=users["auditor"], appeal=appeal, assignee=None)


def test_extension_needs_a_reason_and_stops_at_the_longest(
    users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal()
    assert appeal.registered_on is not None
    assert appeal.due_on is not None
    limit = longest_extension(appeal.registered_on)
    assert limit > appeal.due_on
    with pytest.raises(ValidationError) as missing:
        appeal_extend(actor=users["coordinator"], appeal=appeal, until=limit, reason=" ")
    assert "reason" in missing.value.message_dict
    with pytest.raises(ValidationError) as too_far:
        appeal_extend(
            actor=users["coordinator"],
            appeal=appeal,
            until=limit + datetime.timedelta(days=1),
            reason="Waiting for the medical file",
        )
    assert "until" in too_far.value.message_dict
    with pytest.raises(ValidationError):
        appeal_extend(
            actor=users["coordinator"], appeal=appeal, until=appeal.due_on, reason="Earlier"
        )
    assert not AuditEvent.objects.filter(action=AuditAction.APPEAL_EXTENDED).exists()
    appeal_extend(
        actor=users["coordinator"], appeal=appeal, until=limit, reason="Waiting for the file"
    )
    appeal.refresh_from_db()
    assert appeal.extended_until == limit
    assert appeal.extension_reason == "Waiting for the file"
    assert _events(appeal) == [EventKind.EXTENDED]
    assert AuditEvent.objects.get(action=AuditAction.APPEAL_EXTENDED).data["to"] == str(limit)


def test_merge_closes_the_duplicate_and_notes_both(
    users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    first, second = make_appeal(), make_appeal()
    appeal_merge(actor=users["coordinator"], duplicate=second, into=first)
    second.refresh_from_db()
    assert second.state == AppealState.MERGED
    assert second.duplicate_of == first
    assert _events(second) == [EventKind.MERGED]
    assert _events(first) == [EventKind.MERGED]
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_MERGED).count() == 1
    third = make_appeal()
    with pytest.raises(ValidationError):
        appeal_merge(actor=users["coordinator"], duplicate=third, into=second)
    with pytest.raises(ValidationError):
        appeal_merge(actor=users["coordinator"], duplicate=third, into=third)
    with pytest.raises(PermissionDenied):
        appeal_merge(actor=users["auditor"], duplicate=third, into=first)
    third.refresh_from_db()
    assert third.state == AppealState.REGISTERED


def test_text_similarity() -> None:
    assert text_similarity("Мені ИВС-те ұрды", "мені ивс-те ҰРДЫ") == 1.0
    assert text_similarity("the food is cold", "a lawyer was refused") == 0.0


def test_duplicates_by_person_and_by_text_but_not_closed(
    users: dict[str, User],
    make_appeal: Callable[..., Appeal],
    make_institution: Callable[..., Any],
) -> None:
    place = make_institution()
    appeal = make_appeal(institution=place, name="Асқар Нұрланұлы")
    same_person = make_appeal(name="НҰРЛАНҰЛЫ асқар", content="Different words entirely here")
    same_text = make_appeal(institution=place, name="")
    closed = make_appeal(institution=place, state=AppealState.CLOSED_RESOLVED)
    unrelated = make_appeal(institution=place, name="", content="Тамақ суық, жылу жоқ")
    found = {
        c.appeal.pk: c.reasons for c in duplicate_candidates(appeal, user=users["coordinator"])
    }
    assert found[same_person.pk] == [SAME_PERSON]
    assert SIMILAR_TEXT in found[same_text.pk]
    assert closed.pk not in found
    assert unrelated.pk not in found
    assert not AccessEvent.objects.exists()  # the comparison is not a read
    assert duplicate_candidates(closed, user=users["coordinator"]) == []


def test_repeat_writers_for_allowed_roles_only(
    users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal()
    earlier = [make_appeal(state=AppealState.CLOSED_RESOLVED) for _ in range(3)]
    make_appeal(name="Someone Else")
    others = repeat_writer_appeals(appeal, user=users["coordinator"])
    assert others is not None
    assert set(others) == set(earlier)
    assert repeat_writer_appeals(appeal, user=users["monitor"]) is None
    assert repeat_writer_appeals(make_appeal(name=""), user=users["coordinator"]) is None

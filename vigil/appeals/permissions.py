"""Who may see and do what with appeals, referrals, criminal cases, accountability records,
incidents and reprisal follow-ups. Default: deny.

Rules (docs/permissions.md):
- coordinators see and handle everything; regional representatives what belongs to their
  regions (an appeal, case or incident by its region); auditors read everything, change nothing;
- monitors see the appeals they registered or are assigned, and those registered from the
  visits whose team they are on, with their referrals, cases and incidents; they register
  appeals from their visits and record incidents and follow-up contacts there;
- an agency liaison and an administrator never see an appeal, a referral, a case, an incident
  or a follow-up: the appellant, the person referred and the victim are exactly who must not
  be exposed to the institution complained about;
- the appellant's real identity is unsealed (reason asked, logged) by coordinators and by
  regional representatives in scope; only a coordinator may refer without consent, with a
  recorded reason.
"""

from collections.abc import Callable
from typing import Any, TypeGuard

from django.db.models import Model, Q, QuerySet

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.reference.models import Region
from vigil.visits.models import AccessIncident, Visit

from .models import (
    AccountabilityRecord,
    Appeal,
    CriminalCase,
    FollowUpContact,
    Incident,
    Referral,
)

_READ_ALL = (Role.COORDINATOR, Role.AUDITOR)


def _active(user: User | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _team_visits(user: User) -> QuerySet[Visit, Any]:
    return Visit.objects.filter(team__participant__user=user).values("pk")


def _region_ids(user: User) -> QuerySet[Region, Any]:
    return user.regions.values("pk")


def _in_region(user: User, region_id: int | None) -> bool:
    return (
        user.role == Role.REGIONAL
        and region_id is not None
        and user.regions.filter(pk=region_id).exists()
    )


def _visible[M: Model](
    user: User | None,
    qs: QuerySet[M],
    *,
    regional: Callable[[User], Q],
    monitor: Callable[[User], Q],
) -> QuerySet[M]:
    """The shape of every `*_visible_to` below: coordinators and auditors see all; a regional
    representative what `regional(user)` matches, a monitor what `monitor(user)` matches;
    anyone else (a liaison, an administrator, the anonymous) nothing."""
    if not _active(user):
        return qs.none()
    if user.role in _READ_ALL:
        return qs
    if user.role == Role.REGIONAL:
        return qs.filter(regional(user))
    if user.role == Role.MONITOR:
        return qs.filter(monitor(user))
    return qs.none()


def _appeal_in(user: User) -> Q:
    """Rows of an appeal the user may see."""
    return Q(appeal__in=appeals_visible_to(user).values("pk"))


# --- appeals ---------------------------------------------------------------------------------


def appeals_visible_to(user: User | None) -> QuerySet[Appeal]:
    return _visible(
        user,
        Appeal.objects.all(),
        regional=lambda u: Q(region__in=_region_ids(u)),
        monitor=lambda u: Q(registered_by=u) | Q(assigned_to=u) | Q(visit__in=_team_visits(u)),
    )


def can_view_appeals(user: User | None) -> bool:
    """Open the appeals pages at all (the menu entry)."""
    return _active(user) and user.role in (*_READ_ALL, Role.REGIONAL, Role.MONITOR)


def handles_appeals(user: User | None) -> bool:
    """Whether the user's role registers, handles or refers appeals at all (which ones:
    `can_register_appeal`, `can_register_appeal_from_visit`, `can_handle_appeal`,
    `can_refer`): coordinators, regional representatives, monitors."""
    return _active(user) and user.role in (Role.COORDINATOR, Role.REGIONAL, Role.MONITOR)


def can_register_appeal(user: User | None) -> bool:
    """Register an appeal received by letter, hotline, e-government... (staff)."""
    return _active(user) and user.role in (Role.COORDINATOR, Role.REGIONAL)


def can_register_appeal_from_visit(user: User | None, visit: Visit) -> bool:
    """Register an appeal received during a visit: its team and the planners in scope."""
    if not _active(user):
        return False
    if user.role == Role.COORDINATOR or _in_region(user, visit.region_id):
        return True
    return user.role == Role.MONITOR and visit.team.filter(participant__user=user).exists()


def can_handle_appeal(user: User | None, appeal: Appeal) -> bool:
    """Triage, assign, extend, answer, close, merge: coordinators; regional representatives
    in scope; the staff member it is assigned to."""
    if not _active(user) or user.role in (Role.AUDITOR, Role.LIAISON, Role.ADMIN):
        return False
    return (
        user.role == Role.COORDINATOR
        or _in_region(user, appeal.region_id)
        or (appeal.assigned_to_id is not None and appeal.assigned_to_id == user.pk)
    )


def can_read_appeal_content(user: User | None, appeal: Appeal) -> bool:
    """Read what the appellant wrote (each read logged): who handles it, and auditors."""
    if not _active(user):
        return False
    if user.role == Role.AUDITOR:
        return True
    return can_handle_appeal(user, appeal) or (
        user.role == Role.MONITOR and appeals_visible_to(user).filter(pk=appeal.pk).exists()
    )


def can_unseal_appellant(user: User | None, appeal: Appeal) -> bool:
    """See the appellant's real identity (reason asked and logged)."""
    return _active(user) and (user.role == Role.COORDINATOR or _in_region(user, appeal.region_id))


APPEAL_HIDEABLE_FIELDS: frozenset[str] = frozenset({"repeat_count", "extension_reason"})
"""Fields of an appeal a role may not see (the API drops them): that the same sealed person
wrote other appeals (repeat writers), and the reason of an extension (it may describe the
appellant's situation) for those who do not handle appeals."""


def appeal_fields_hidden_from(user: User | None) -> frozenset[str]:
    if not _active(user):
        return APPEAL_HIDEABLE_FIELDS
    hidden: set[str] = set()
    if not can_see_repeat_writers(user):
        hidden.add("repeat_count")
    if user.role not in (Role.COORDINATOR, Role.REGIONAL, Role.AUDITOR):
        hidden.add("extension_reason")
    return frozenset(hidden)


def assignable_staff(appeal: Appeal) -> QuerySet[User]:
    """Who an appeal may be assigned to: coordinators, the regional representatives of its
    region and monitors (the monitor then sees and handles it)."""
    region_q = Q(role=Role.REGIONAL)
    region_q &= Q(regions=appeal.region_id) if appeal.region_id else Q(pk__in=[])
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role__in=(Role.COORDINATOR, Role.MONITOR)) | region_q)
        .distinct()
        .order_by("full_name", "pk")
    )


def reminder_fallback_recipients(appeal: Appeal) -> QuerySet[User]:
    """Who is reminded of an unassigned appeal: its region's representatives, else the
    coordinators."""
    regional = User.objects.filter(
        is_active=True, role=Role.REGIONAL, regions=appeal.region_id
    ).distinct()
    if appeal.region_id and regional.exists():
        return regional
    return User.objects.filter(is_active=True, role=Role.COORDINATOR)


def can_see_repeat_writers(user: User | None) -> bool:
    """See that appeals come from the same (sealed) person."""
    return _active(user) and user.role in (Role.COORDINATOR, Role.REGIONAL, Role.AUDITOR)


# --- referrals -------------------------------------------------------------------------------


def referrals_visible_to(user: User | None) -> QuerySet[Referral]:
    return _visible(
        user,
        Referral.objects.all(),
        regional=lambda u: Q(region__in=_region_ids(u)),
        monitor=lambda u: _appeal_in(u) | Q(interview__visit__in=_team_visits(u)),
    )


def can_refer(user: User | None, appeal: Appeal | None = None, visit: Visit | None = None) -> bool:
    """Make a referral of an appeal (its handlers) or of an interview (the visit's writers)."""
    if appeal is not None:
        return can_handle_appeal(user, appeal)
    if visit is not None:
        return can_register_appeal_from_visit(user, visit)
    return False


def can_override_consent(user: User | None) -> bool:
    """Refer a kind of disclosure the person did not consent to (a reason is recorded)."""
    return _active(user) and user.role == Role.COORDINATOR


def can_update_referral(user: User | None, referral: Referral) -> bool:
    """Record the body's acknowledgement, registration, refusal and outcome."""
    if not _active(user) or user.role not in (Role.COORDINATOR, Role.REGIONAL, Role.MONITOR):
        return False
    if user.role == Role.COORDINATOR:
        return True
    if user.role == Role.REGIONAL:
        return _in_region(user, referral.region_id)
    return referral.created_by_id == user.pk


# --- criminal cases and accountability ------------------------------------------------------


def cases_visible_to(user: User | None) -> QuerySet[CriminalCase]:
    return _visible(
        user,
        CriminalCase.objects.all(),
        regional=lambda u: Q(region__in=_region_ids(u)),
        monitor=_appeal_in,
    )


def can_view_cases(user: User | None) -> bool:
    return _active(user) and user.role in (*_READ_ALL, Role.REGIONAL, Role.MONITOR)


def can_manage_case(user: User | None, case: CriminalCase | None = None) -> bool:
    """Record and update a case (None: record a new one anywhere in scope)."""
    if not _active(user):
        return False
    if user.role == Role.COORDINATOR:
        return True
    if user.role == Role.REGIONAL:
        return case is None or _in_region(user, case.region_id)
    return False


def accountability_visible_to(user: User | None) -> QuerySet[AccountabilityRecord]:
    return _visible(
        user,
        AccountabilityRecord.objects.all(),
        regional=lambda u: Q(region__in=_region_ids(u)),
        monitor=lambda u: Q(visit__in=_team_visits(u)),
    )


def can_manage_accountability(
    user: User | None, record: AccountabilityRecord | None = None
) -> bool:
    """Record and correct accountability records: as criminal cases."""
    if not _active(user) or not can_manage_case(user):
        return False
    return record is None or user.role == Role.COORDINATOR or _in_region(user, record.region_id)


# --- incidents and follow-ups ---------------------------------------------------------------


def incidents_visible_to(user: User | None) -> QuerySet[Incident]:
    return _visible(
        user,
        Incident.objects.all(),
        regional=lambda u: Q(region__in=_region_ids(u)),
        monitor=lambda u: Q(recorded_by=u) | Q(visit__in=_team_visits(u)) | _appeal_in(u),
    )


def can_view_incidents(user: User | None) -> bool:
    return _active(user) and user.role in (*_READ_ALL, Role.REGIONAL, Role.MONITOR)


def can_read_incident_summary(user: User | None, incident: Incident) -> bool:
    """Read what happened (encrypted, the read logged): whoever sees the incident, except
    auditors (as for an interview's content)."""
    return (
        _active(user)
        and user.role != Role.AUDITOR
        and incidents_visible_to(user).filter(pk=incident.pk).exists()
    )


def can_record_incident(user: User | None, visit: Visit | None = None) -> bool:
    if not _active(user):
        return False
    if user.role in (Role.COORDINATOR, Role.REGIONAL):
        return visit is None or user.role == Role.COORDINATOR or _in_region(user, visit.region_id)
    return visit is not None and can_register_appeal_from_visit(user, visit)


def follow_ups_visible_to(user: User | None) -> QuerySet[FollowUpContact]:
    return _visible(
        user,
        FollowUpContact.objects.all(),
        regional=lambda u: (
            Q(appeal__region__in=_region_ids(u)) | Q(interview__visit__region__in=_region_ids(u))
        ),
        monitor=lambda u: (
            Q(assigned_to=u) | _appeal_in(u) | Q(interview__visit__in=_team_visits(u))
        ),
    )


def can_record_follow_up(user: User | None, contact: FollowUpContact) -> bool:
    """Record a contact's outcome: whoever may see it, except auditors."""
    return (
        _active(user)
        and user.role != Role.AUDITOR
        and follow_ups_visible_to(user).filter(pk=contact.pk).exists()
    )


def can_read_follow_up_note(user: User | None, contact: FollowUpContact) -> bool:
    """Read what came of a contact (encrypted, the read logged): whoever may see the contact,
    except auditors (as for an interview's content)."""
    return (
        _active(user)
        and user.role != Role.AUDITOR
        and follow_ups_visible_to(user).filter(pk=contact.pk).exists()
    )


def access_incidents_visible_to(user: User | None) -> QuerySet[AccessIncident]:
    """The visits' access incidents (delays, refusals) shown as "access obstruction" among the
    incidents: to whom sees incidents, by the visit's region or team."""
    return _visible(
        user,
        AccessIncident.objects.all(),
        regional=lambda u: Q(visit__region__in=_region_ids(u)),
        monitor=lambda u: Q(visit__in=_team_visits(u)),
    )


def can_edit_incident(user: User | None, incident: Incident) -> bool:
    """Correct an incident: coordinators; regional representatives in scope; whoever
    recorded it."""
    if not _active(user) or user.role in (Role.AUDITOR, Role.LIAISON, Role.ADMIN):
        return False
    return (
        user.role == Role.COORDINATOR
        or _in_region(user, incident.region_id)
        or (incident.recorded_by_id is not None and incident.recorded_by_id == user.pk)
    )


def can_record_incident_for_appeal(user: User | None, appeal: Appeal) -> bool:
    """Record an incident about an appeal: who handles it, and the monitors who see it."""
    if not _active(user) or user.role in (Role.AUDITOR, Role.LIAISON, Role.ADMIN):
        return False
    return can_handle_appeal(user, appeal) or (
        user.role == Role.MONITOR and appeals_visible_to(user).filter(pk=appeal.pk).exists()
    )


def can_view_follow_ups(user: User | None) -> bool:
    """Open the follow-up contacts page."""
    return _active(user) and user.role in (*_READ_ALL, Role.REGIONAL, Role.MONITOR)


def can_schedule_follow_ups(user: User | None) -> bool:
    """Schedule follow-up contacts by hand (the daily command schedules the rest)."""
    return _active(user) and user.role in (Role.COORDINATOR, Role.REGIONAL, Role.MONITOR)


def can_view_funnel(user: User | None) -> bool:
    """The funnel of appeals, referrals, cases and accountability (figures over what the
    user sees): coordinators, regional representatives (their regions), auditors."""
    return _active(user) and user.role in (*_READ_ALL, Role.REGIONAL)


def funnel_region_in_scope(user: User | None, region_id: int | None) -> bool:
    """Whether the funnel may be asked for this region: a regional representative's own
    regions only (another region answers "not found", like an object out of scope)."""
    if region_id is None or not _active(user) or user.role != Role.REGIONAL:
        return True
    return _in_region(user, region_id)


def can_flag_institutions(user: User | None) -> bool:
    """See the flag of recent ill-treatment appeals or incidents on an institution."""
    return _active(user) and user.role in (*_READ_ALL, Role.REGIONAL)


def can_place_incident(user: User | None, region_id: int | None) -> bool:
    """Whether an incident of this region is within the user's scope (a regional
    representative: their regions only)."""
    if not _active(user):
        return False
    if user.role == Role.REGIONAL:
        return region_id is None or _in_region(user, region_id)
    return user.role in (Role.COORDINATOR, Role.MONITOR)


# --- referrals, cases and accountability: lists, letters, imports -------------------------


def can_view_referrals(user: User | None) -> bool:
    """Open the referrals list (its rows are `referrals_visible_to`)."""
    return can_view_cases(user)


def can_view_accountability(user: User | None) -> bool:
    """Open the accountability list (its rows are `accountability_visible_to`)."""
    return can_view_cases(user)


def can_write_referral_letter(user: User | None, referral: Referral) -> bool:
    """Generate the referral letter: who keeps the referral (an identity it discloses is
    unsealed only for who may unseal it, with the reason logged)."""
    return can_update_referral(user, referral)


def can_import_cases(user: User | None) -> bool:
    """Import historical criminal cases and accountability records (all regions at once)."""
    return _active(user) and user.role == Role.COORDINATOR


def can_import_appeals(user: User | None) -> bool:
    """Import historical appeals (all regions at once): coordinators, as for cases."""
    return can_import_cases(user)


def can_read_victim_protection(user: User | None, case: CriminalCase) -> bool:
    """Read a case's victim protection measures (encrypted, the read logged): whoever sees
    the case, except auditors (a relocation identifies the victim)."""
    return (
        _active(user)
        and user.role != Role.AUDITOR
        and cases_visible_to(user).filter(pk=case.pk).exists()
    )


def case_fields_hidden_from(user: User | None) -> frozenset[str]:
    """A case's fields the API leaves out for `user`: the victim's pseudonym for anyone who
    may not see cases (none of whom reaches a case; kept as a second lock for nested uses)."""
    return frozenset() if can_view_cases(user) else frozenset({"victim_pseudonym"})


def can_hold_appeal(user: User | None, appeal: Appeal) -> bool:
    """Place or lift a legal hold on an appeal (its content, identity and files), which
    stops its disposal at the end of the retention period: coordinators."""
    return (
        _active(user)
        and user.role == Role.COORDINATOR
        and appeals_visible_to(user).filter(pk=appeal.pk).exists()
    )

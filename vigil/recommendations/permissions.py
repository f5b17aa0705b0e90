"""Who may see and do what with recommendations. Default: deny. The one policy.

Rules (docs/permissions.md, "Recommendations"):
- coordinators and administrators see every recommendation, drafts included; auditors read
  all of them; monitors read all of them and assess (accept or dispute a claim, verify at a
  follow-up visit, reopen);
- regional representatives see and act on the recommendations whose institution is in one of
  their regions or whose addressee is a regional department of one of their regions;
- an agency liaison sees only the recommendations addressed to its agency and its sub-units,
  and only once issued (never a draft); it answers them; anything else answers 404;
- drafting, editing and issuing: coordinators, administrators, regional representatives in
  scope; escalating: coordinators; the escalations-due queue: coordinators and regional
  representatives (their regions' recommendations, to prepare escalations).

The functions taking a recommendation assume nothing about visibility: each checks the scope
itself, so a service may call them directly.
"""

from collections.abc import Iterable
from typing import TypeGuard

from django.db.models import Model, Q, QuerySet

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.reference.enums import AgencyLevel
from vigil.reference.models import Agency
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.models import Institution

from .enums import Source, State
from .models import (
    Assessment,
    AuthorityResponse,
    Recommendation,
    RecommendationEvent,
    ResponseAttachment,
)

_READ_ALL = (Role.ADMIN, Role.COORDINATOR, Role.MONITOR, Role.AUDITOR)
_NATIONAL_EDITORS = (Role.ADMIN, Role.COORDINATOR)

RESPONDABLE_STATES: frozenset[str] = frozenset(
    {
        State.ISSUED,
        State.AWAITING_RESPONSE,
        State.ACCEPTED,
        State.IN_IMPLEMENTATION,
        State.PARTIALLY_IMPLEMENTED,
        State.REOPENED,
        State.NO_RESPONSE,
    }
)
"""The states in which the addressee may send a response (a correction is a new response)."""


def _active(user: User | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _region_ids(user: User) -> list[int]:
    return list(user.regions.values_list("pk", flat=True))


def _liaison_subtree(user: User) -> list[int]:
    return agency_subtree_ids(user.agency)


def in_regions_q(region_ids: list[int]) -> Q:
    """The recommendations of these regions: about an institution there, or addressed to a
    regional department there (a regional representative's scope, the statistics' region)."""
    return Q(institution__region_id__in=region_ids) | Q(
        addressee__region_id__in=region_ids, addressee__level=AgencyLevel.REGIONAL_DEPARTMENT
    )


def recommendations_visible_to(user: User | None) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.all()
    if _active(user):
        if user.role in _READ_ALL:
            return qs
        if user.role == Role.REGIONAL:
            return qs.filter(in_regions_q(_region_ids(user)))
        if user.role == Role.LIAISON:
            return qs.filter(addressee_id__in=_liaison_subtree(user)).exclude(state=State.DRAFT)
    return qs.none()


def in_regional_scope(user: User | None, recommendation: Recommendation) -> bool:
    """A regional representative's scope: the institution's or the regional addressee's region."""
    if not _active(user) or user.role != Role.REGIONAL:
        return False
    regions = set(_region_ids(user))
    if recommendation.institution_id is not None:
        institution: Institution = recommendation.institution  # type: ignore[assignment]
        if institution.region_id in regions:
            return True
    addressee: Agency = recommendation.addressee
    return addressee.level == AgencyLevel.REGIONAL_DEPARTMENT and addressee.region_id in regions


def in_liaison_scope(user: User | None, recommendation: Recommendation) -> bool:
    """An agency liaison's scope: issued recommendations addressed to its agency subtree."""
    return bool(
        _active(user)
        and user.role == Role.LIAISON
        and recommendation.state != State.DRAFT
        and recommendation.addressee_id in _liaison_subtree(user)
    )


def liaisons_of(agency: Agency) -> list[User]:
    """Active liaisons who see recommendations addressed to `agency` (the converse of
    `in_liaison_scope`): those of the agency itself and of every agency above it."""
    ancestors: list[int] = []
    seen: set[int] = set()
    current: Agency | None = agency
    while current is not None and current.pk not in seen:
        ancestors.append(current.pk)
        seen.add(current.pk)
        current = current.parent if current.parent_id else None
    return list(
        User.objects.filter(role=Role.LIAISON, is_active=True, agency_id__in=ancestors).order_by(
            "email"
        )
    )


def can_view_recommendation(user: User | None, recommendation: Recommendation) -> bool:
    if not _active(user):
        return False
    if user.role in _READ_ALL:
        return True
    if user.role == Role.REGIONAL:
        return in_regional_scope(user, recommendation)
    if user.role == Role.LIAISON:
        return in_liaison_scope(user, recommendation)
    return False


def can_create_recommendation(
    user: User | None,
    *,
    institution: Institution | None = None,
    addressee: Agency | None = None,
) -> bool:
    """Draft a recommendation: coordinators, administrators; regional representatives for an
    institution of their regions or a regional department of their regions (with neither
    given: whether they may draft at all)."""
    if not _active(user):
        return False
    if user.role in _NATIONAL_EDITORS:
        return True
    if user.role == Role.REGIONAL:
        if institution is None and addressee is None:
            return True
        regions = set(_region_ids(user))
        if institution is not None and institution.region_id in regions:
            return True
        return bool(
            addressee is not None
            and addressee.level == AgencyLevel.REGIONAL_DEPARTMENT
            and addressee.region_id in regions
        )
    return False


def can_manage_recommendation(user: User | None, recommendation: Recommendation) -> bool:
    """The NPM's own moves on an existing recommendation (life cycle buttons): coordinators,
    administrators, regional representatives in scope."""
    if not _active(user):
        return False
    return user.role in _NATIONAL_EDITORS or in_regional_scope(user, recommendation)


def can_edit_recommendation(user: User | None, recommendation: Recommendation) -> bool:
    """Change a draft (issued recommendations are never edited)."""
    return recommendation.state == State.DRAFT and can_manage_recommendation(user, recommendation)


def can_delete_recommendation(user: User | None, recommendation: Recommendation) -> bool:
    """Discard a draft."""
    return can_edit_recommendation(user, recommendation)


def can_issue_recommendation(user: User | None, recommendation: Recommendation) -> bool:
    return recommendation.state == State.DRAFT and can_manage_recommendation(user, recommendation)


def can_issue_for_visit(user: User | None, region_id: int | None = None) -> bool:
    """The issuing page of an approved visit report: coordinators, administrators, regional
    representatives for a visit of their regions."""
    if not _active(user):
        return False
    if user.role in _NATIONAL_EDITORS:
        return True
    return user.role == Role.REGIONAL and region_id is not None and region_id in _region_ids(user)


def can_issue_recommendations(user: User | None) -> bool:
    """The list's issuing button and the issuing pages of visit reports: those who issue for
    a visit or draft at all."""
    return can_issue_for_visit(user) or can_create_recommendation(user)


def can_assess_recommendation(user: User | None, recommendation: Recommendation) -> bool:
    """Accept or dispute a claim, verify at a follow-up visit, reopen: monitors, coordinators,
    regional representatives in scope; never a draft."""
    if not _active(user) or recommendation.state == State.DRAFT:
        return False
    if user.role in (Role.COORDINATOR, Role.MONITOR):
        return True
    return in_regional_scope(user, recommendation)


def can_respond_to_recommendation(user: User | None, recommendation: Recommendation) -> bool:
    """Send the authority's response: liaisons of the addressee's agency subtree, while the
    recommendation waits for or may still receive an answer."""
    return recommendation.state in RESPONDABLE_STATES and in_liaison_scope(user, recommendation)


def can_escalate_recommendations(user: User | None) -> bool:
    """Escalate at all — the escalations-due list, the escalation form and `POST` on the
    escalations API: coordinators."""
    return _active(user) and user.role == Role.COORDINATOR


def can_view_escalation_queue(user: User | None) -> bool:
    """The escalations-due queue (and its export): coordinators, who escalate, and regional
    representatives, who prepare the escalations of their regions (the queue shows them the
    recommendations in their scope; escalating stays with the coordinators)."""
    return _active(user) and (can_escalate_recommendations(user) or user.role == Role.REGIONAL)


def can_escalate_recommendation(user: User | None, recommendation: Recommendation) -> bool:
    """Escalate this one to the next level up: coordinators, never a draft (whether it
    qualifies — overdue, not accepted, repeatedly unimplemented — is the escalation service's
    check)."""
    return can_escalate_recommendations(user) and recommendation.state != State.DRAFT


def can_answer_recommendation(user: User | None, recommendation: Recommendation) -> bool:
    """Record an authority's answer, whatever the state: the addressee's liaisons (its agency
    subtree, issued only), or the NPM's editors in scope recording an answer received by
    letter."""
    return in_liaison_scope(user, recommendation) or can_manage_recommendation(user, recommendation)


def can_submit_response(user: User | None, recommendation: Recommendation) -> bool:
    """Record an answer now: `can_answer_recommendation`, while the recommendation takes
    answers (`RESPONDABLE_STATES`)."""
    return recommendation.state in RESPONDABLE_STATES and can_answer_recommendation(
        user, recommendation
    )


def can_record_letter(user: User | None, recommendation: Recommendation) -> bool:
    """The recommendation page's "record an answer received by letter": the NPM's editors in
    scope, while the recommendation takes answers."""
    return recommendation.state in RESPONDABLE_STATES and can_manage_recommendation(
        user, recommendation
    )


def responding_bodies_for(user: User, bodies: Iterable[int]) -> list[int]:
    """Of `bodies` (the agencies a response may come from), those `user` may answer for: a
    liaison only its own agency's subtree; the NPM, recording a letter, any of them."""
    ids = set(bodies)
    if user.role == Role.LIAISON:
        ids &= set(_liaison_subtree(user))
    return sorted(ids)


def can_run_system_moves(user: User | None) -> bool:
    """The moves the scheduled deadline command makes: the system itself (no user), or a
    coordinator or an administrator running it by hand."""
    return user is None or (_active(user) and user.role in _NATIONAL_EDITORS)


def can_import_recommendations(user: User | None) -> bool:
    return _active(user) and user.role in _NATIONAL_EDITORS


def can_view_responses(user: User | None, recommendation: Recommendation) -> bool:
    """Responses and their attachments: everyone who sees the recommendation."""
    return can_view_recommendation(user, recommendation)


def can_view_assessments(user: User | None, recommendation: Recommendation) -> bool:
    """The NPM's assessments: everyone who sees the recommendation, the addressee included
    (it should know why a claim is disputed)."""
    return can_view_recommendation(user, recommendation)


def can_view_recommendation_list(user: User | None) -> bool:
    return _active(user) and user.role in Role.values


def can_download_escalation_letter(user: User | None, recommendation: Recommendation) -> bool:
    """The letter of an escalation: everyone who sees the individualised recommendation (its
    addressee's liaisons included: the letter is written to them)."""
    return recommendation.source == Source.ESCALATION and can_view_recommendation(
        user, recommendation
    )


def can_view_systemic_issues(user: User | None) -> bool:
    """The systemic-issues page: the NPM's roles and auditors (what it counts is scoped like
    the lists); not agency liaisons, whose portal has its own tallies."""
    return _active(user) and user.role in (*_READ_ALL, Role.REGIONAL)


def can_use_agency_portal(user: User | None) -> bool:
    """The agency portal ("Our recommendations") is the liaisons' view of their subtree."""
    return _active(user) and user.role == Role.LIAISON and user.agency_id is not None


def is_agency_scoped(user: User | None) -> TypeGuard[User]:
    """An agency liaison (with or without an agency): the authority's side, confined to its
    own agency's subtree. Its pages are the agency portal's (where the tallies' figures link,
    where the response form leads back to, which recommendations that form opens for), and
    its tallies start from, and default to, its own agency."""
    return _active(user) and user.role == Role.LIAISON


def response_attachments_visible_to(user: User | None) -> QuerySet[ResponseAttachment]:
    """The files attached to responses: those of the recommendations the user sees."""
    return ResponseAttachment.objects.filter(
        response__recommendation__in=recommendations_visible_to(user).values("pk")
    ).select_related("response", "response__recommendation")


# ---------------------------------------------------------------- agencies' tallies


def tally_agencies_visible_to(user: User | None) -> QuerySet[Agency]:
    """The agencies whose tallies (and list filters by addressee) a user may choose: a
    liaison its own agency's subtree; everyone else who sees recommendations, every agency."""
    qs = Agency.objects.all()
    if not (_active(user) and can_view_recommendation_list(user)):
        return qs.none()
    if user.role == Role.LIAISON:
        return qs.filter(pk__in=_liaison_subtree(user))
    return qs


def can_view_agency_tally(user: User | None, agency: Agency) -> bool:
    """The tally of one agency (with its sub-units): see `tally_agencies_visible_to`; any
    other agency answers 404."""
    return tally_agencies_visible_to(user).filter(pk=agency.pk).exists()


# ---------------------------------------------------------------- fields a role may see

_HIDDEN_FROM_AUTHORITIES: dict[type[Model], frozenset[str]] = {
    Recommendation: frozenset({"created_by"}),
    Assessment: frozenset({"assessed_by"}),
    RecommendationEvent: frozenset({"actor"}),
    AuthorityResponse: frozenset({"submitted_by"}),
}
"""Who at the NPM drafted a recommendation, assessed a claim, moved a recommendation or
recorded a response received by letter: never told to the addressee's liaisons (docs/permissions.md: the authority learns that
and why its claim is disputed, not who said so)."""

_SEE_NAMES = (*_READ_ALL, Role.REGIONAL)


def hidden_fields(user: User | None, model: type[Model]) -> frozenset[str]:
    """The fields of `model` that pages and API answers leave out for `user` (deny by
    default: only the NPM's roles and auditors see every field)."""
    if _active(user) and user.role in _SEE_NAMES:
        return frozenset()
    return _HIDDEN_FROM_AUTHORITIES.get(model, frozenset())


def recommendation_fields_hidden_from(user: User | None) -> frozenset[str]:
    """Every field of recommendations, assessments, timelines and responses the user may not
    read (`hidden_fields` over the models the API serializes), for the API's field policy."""
    return frozenset().union(*(hidden_fields(user, model) for model in _HIDDEN_FROM_AUTHORITIES))


def can_see_assessor(user: User | None) -> bool:
    """Whether a page names who assessed an authority's claim."""
    return "assessed_by" not in hidden_fields(user, Assessment)


def can_see_actor(user: User | None, actor: User | None) -> bool:
    """Whether a page names who made a move in a recommendation's history: everyone who sees
    the field sees every name; to a liaison only the authority's own people (liaisons) are
    named, never the NPM's."""
    if "actor" not in hidden_fields(user, RecommendationEvent):
        return True
    return actor is not None and actor.role == Role.LIAISON


def default_tally_agency(user: User | None) -> Agency | None:
    """The agency whose tally a user sees when none is asked for: a liaison's own (its
    subtree); None for the others (every recommendation they may see)."""
    if _active(user) and user.role == Role.LIAISON:
        return user.agency
    return None

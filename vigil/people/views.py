"""Pages for NPM participants: list, detail (training, conflicts, periods unavailable for
visits, visits), forms.

Thin edge: who may do what is in `people/permissions.py`, reads in `people/selectors.py`,
writes in `people/services.py`.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.contributions import page_sections
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response

from .eligibility import eligibility_rule_issue
from .forms import AbsenceForm, ConflictForm, EligibilityRuleForm, ParticipantForm, TrainingForm
from .listings import PARTICIPANT_LIST
from .models import ConflictDeclaration, EligibilityRule, Participant, ParticipantAbsence
from .permissions import (
    can_declare_conflict,
    can_list_participants,
    can_manage_absences,
    can_manage_participants,
    can_view_eligibility_rules,
    participants_visible_to,
)
from .services import (
    absence_add,
    absence_remove,
    conflict_declare,
    conflict_update,
    participant_create,
    participant_update,
    training_record,
)


def _participant(request: HttpRequest, public_id: Any) -> Participant:
    """Fetch and authorize: 404 for a participant missing or not visible."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    participant = (
        participants_visible_to(user_of(request))
        .select_related("user", "region")
        .filter(public_id=key)
        .first()
    )
    if participant is None:
        raise Http404
    return participant


@require_safe
def participant_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_list_participants(user):
        own = Participant.objects.filter(user=user).first()
        if own is not None:
            return redirect("people:participant_detail", public_id=own.public_id)
        raise PermissionDenied
    return list_response(
        request,
        PARTICIPANT_LIST,
        template="people/participant_list.html",
        results_id="participant-results",
        partial="people/_participant_table.html",
        context={"can_create": can_manage_participants(user)},
    )


def _detail(
    request: HttpRequest, participant: Participant, absence_form: AbsenceForm | None = None
) -> HttpResponse:
    user = user_of(request)
    sections, section_templates = page_sections("people.participant", user, participant)
    can_absences = can_manage_absences(user, participant)
    if absence_form is None and can_absences:
        absence_form = AbsenceForm()
    return render(
        request,
        "people/participant_detail.html",
        {
            **sections,
            "participant": participant,
            "trainings": participant.trainings.all(),
            "conflicts": participant.conflicts.select_related("institution", "agency"),
            "absences": participant.absences.all(),
            "absence_form": absence_form,
            "section_templates": section_templates,
            "can_edit": can_manage_participants(user),
            "can_declare": can_declare_conflict(user, participant),
            "can_absences": can_absences,
        },
    )


@require_safe
def participant_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail(request, _participant(request, public_id))


@require_POST
def absence_create_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Add a period unavailable for visits (a form on the participant's page); with errors,
    the page again with the form and its errors."""
    user = user_of(request)
    participant = _participant(request, public_id)
    if not can_manage_absences(user, participant):
        raise PermissionDenied
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            absence_add(
                actor=user,
                participant=participant,
                data=form.cleaned_data,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Unavailable period added."))
            return redirect("people:participant_detail", public_id=participant.public_id)
    return _detail(request, participant, form)


@require_POST
def absence_delete_view(request: HttpRequest, public_id: str, absence_id: str) -> HttpResponse:
    user = user_of(request)
    participant = _participant(request, public_id)
    if not can_manage_absences(user, participant):
        raise PermissionDenied
    absence = ParticipantAbsence.objects.filter(
        participant=participant, public_id=absence_id
    ).first()
    if absence is None:
        raise Http404
    absence_remove(actor=user, absence=absence, context=RequestContext.from_request(request))
    messages.success(request, _("Unavailable period removed."))
    return redirect("people:participant_detail", public_id=participant.public_id)


def participant_create_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_manage_participants(user):
        raise PermissionDenied
    form = ParticipantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        account = data.pop("user")
        try:
            participant = participant_create(
                actor=user, user=account, data=data, context=RequestContext.from_request(request)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Participant added."))
            return redirect("people:participant_detail", public_id=participant.public_id)
    return render(
        request,
        "people/form.html",
        {"form": form, "title": _("New NPM participant"), "cancel": "people:participant_list"},
    )


def participant_edit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    participant = _participant(request, public_id)
    if not can_manage_participants(user):
        raise PermissionDenied
    form = ParticipantForm(
        request.POST if request.method == "POST" else None,
        instance=Participant.objects.get(pk=participant.pk),
        creating=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = participant_update(
                actor=user,
                participant=participant,
                data=form.cleaned_data,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changes:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("people:participant_detail", public_id=participant.public_id)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "participant": participant,
            "title": _("Edit %(name)s") % {"name": participant},
        },
    )


def training_create_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    participant = _participant(request, public_id)
    if not can_manage_participants(user):
        raise PermissionDenied
    form = TrainingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            training_record(
                actor=user,
                participant=participant,
                data=form.cleaned_data,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("people:participant_detail", public_id=participant.public_id)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "participant": participant,
            "title": _("Training of %(name)s") % {"name": participant},
        },
    )


def conflict_create_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    participant = _participant(request, public_id)
    if not can_declare_conflict(user, participant):
        raise PermissionDenied
    form = ConflictForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            conflict_declare(
                actor=user,
                participant=participant,
                data=form.cleaned_data,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Conflict of interest declared."))
            return redirect("people:participant_detail", public_id=participant.public_id)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "participant": participant,
            "title": _("Declare a conflict of interest of %(name)s") % {"name": participant},
            "with_picker": True,
        },
    )


def conflict_edit_view(request: HttpRequest, public_id: str, conflict_id: str) -> HttpResponse:
    user = user_of(request)
    participant = _participant(request, public_id)
    if not can_manage_participants(user):
        raise PermissionDenied
    conflict = ConflictDeclaration.objects.filter(
        participant=participant, public_id=conflict_id
    ).first()
    if conflict is None:
        raise Http404
    form = ConflictForm(request.POST if request.method == "POST" else None, instance=conflict)
    if request.method == "POST" and form.is_valid():
        try:
            changes = conflict_update(
                actor=user,
                conflict=conflict,
                data=form.cleaned_data,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changes:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("people:participant_detail", public_id=participant.public_id)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "participant": participant,
            "title": _("Conflict of interest of %(name)s") % {"name": participant},
            "with_picker": True,
        },
    )


def eligibility_rule_list(request: HttpRequest) -> HttpResponse:
    """The versions of the eligibility rules (by order) and, for managers, a new order's."""
    user = user_of(request)
    if not can_view_eligibility_rules(user):
        raise PermissionDenied
    form = None
    if can_manage_participants(user):
        form = EligibilityRuleForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                eligibility_rule_issue(
                    actor=user, data=form.cleaned_data, context=RequestContext.from_request(request)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Eligibility rules recorded."))
                return redirect("people:eligibility_rules")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "people/eligibility_rules.html",
        {"rules": EligibilityRule.objects.all(), "form": form},
    )

"""Staff pages of appeals: the list, registering (staff, from a visit), the appeal page with
its actions (moves, triage, assignment, extension, merge, content read, unseal, files).

Thin edge: the policy is `..permissions`, reads `..selectors`, writes `..services`. What is
missing or not visible answers 404; an action the user may not take on a visible appeal 403.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.contributions import page_sections
from vigil.core.files.responses import file_download_response
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response
from vigil.core.reveal import visible_or_404
from vigil.visits.models import Visit
from vigil.visits.permissions import visits_visible_to

from .. import workflow
from ..deadlines import current_due, forward_due
from ..enums import CLOSED_APPEAL_STATES, AppealState
from ..forms.appeals import (
    AppealRegisterForm,
    AssignForm,
    AttachmentForm,
    ExtendForm,
    MergeForm,
    MoveForm,
    TriageForm,
    UnsealForm,
)
from ..listings.appeals import APPEAL_LIST
from ..models import Appeal, AppealAttachment, AppealEvent, AppealIdentity
from ..permissions import (
    appeals_visible_to,
    can_handle_appeal,
    can_hold_appeal,
    can_import_appeals,
    can_read_appeal_content,
    can_register_appeal,
    can_register_appeal_from_visit,
    can_see_repeat_writers,
    can_unseal_appellant,
)
from ..selectors.appeals import PAGE_FILTERS, due_flag
from ..services.appeals import Appellant, appeal_content_read, appeal_register, appellant_reveal
from ..services.duplicates import duplicate_candidates, repeat_writer_appeals
from ..services.handling import (
    appeal_assign,
    appeal_attachment_read,
    appeal_attachment_upload,
    appeal_extend,
    appeal_merge,
    appeal_transition,
    appeal_triage,
)
from ..workflow import Via
from .appeal_letters import letters_of


def get_appeal(user: User, public_id: Any) -> Appeal:
    """Fetch and authorize in one: 404 for missing and not visible alike (a hidden one
    logged as a denied opening)."""
    return visible_or_404(
        appeals_visible_to(user).select_related(
            "institution",
            "region",
            "subject",
            "assigned_to",
            "registered_by",
            "visit",
            "interview",
            "duplicate_of",
        ),
        actor=user,
        public_id=public_id,
    )


# ---------------------------------------------------------------- list


@require_safe
def appeal_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return list_response(
        request,
        APPEAL_LIST,
        template="appeals/list.html",
        partial="appeals/_list_table.html",
        results_id="appeal-results",
        context={
            "page_filters": PAGE_FILTERS,
            "can_register": can_register_appeal(user),
            "can_import": can_import_appeals(user),
        },
    )


# ---------------------------------------------------------------- registering


def _register(
    request: HttpRequest, user: User, form: AppealRegisterForm, visit: Visit | None
) -> Appeal | None:
    data = form.cleaned_data
    try:
        return appeal_register(
            actor=user,
            channel=data.get("channel") or "",
            data={**form.about_data(), "anonymous": data.get("anonymous", False)},
            content=data["content"],
            appellant=Appellant(name=data.get("name") or "", contact=data.get("contact") or ""),
            allegations=list(data.get("allegation_types") or []),
            received_on=data.get("received_on"),
            visit=visit,
            interview=data.get("interview"),
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _form_page(request: HttpRequest, user: User, visit: Visit | None) -> HttpResponse:
    initial = {"received_on": timezone.localdate(), "urgency": "routine", "reprisal_risk": "none"}
    form = AppealRegisterForm(
        request.POST if request.method == "POST" else None,
        user=user,
        visit=visit,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        appeal = _register(request, user, form, visit)
        if appeal is not None:
            messages.success(
                request,
                _("Appeal %(reference)s registered; the answer is due on %(date)s.")
                % {"reference": appeal.reference, "date": appeal.due_on},
            )
            return redirect("appeals:detail", public_id=appeal.public_id)
    return render(request, "appeals/form.html", {"form": form, "visit": visit})


def appeal_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_register_appeal(user):
        raise PermissionDenied
    return _form_page(request, user, None)


def appeal_create_from_visit(request: HttpRequest, visit_id: Any) -> HttpResponse:
    user = user_of(request)
    visit = get_object_or_404(visits_visible_to(user), public_id=visit_id)
    if not can_register_appeal_from_visit(user, visit):
        raise PermissionDenied
    return _form_page(request, user, visit)


# ---------------------------------------------------------------- the appeal page


def detail_context(
    request: HttpRequest, user: User, appeal: Appeal, **extra: Any
) -> dict[str, Any]:
    handles = can_handle_appeal(user, appeal) and appeal.state not in CLOSED_APPEAL_STATES
    repeats = repeat_writer_appeals(appeal, user=user)
    sections, section_templates = page_sections("appeal_detail", user, appeal)
    context: dict[str, Any] = {
        "appeal": appeal,
        "due": current_due(appeal),
        "due_flag": due_flag(appeal),
        "forward_due": (
            forward_due(appeal.registered_on)
            if appeal.registered_on
            and appeal.state in (AppealState.REGISTERED, AppealState.TRIAGED)
            else None
        ),
        "allegations": list(appeal.allegation_types.all()),
        "moves": workflow.APPEALS.available(user, appeal, via=Via.MANUAL),
        "can_handle": handles,
        "can_read_content": can_read_appeal_content(user, appeal),
        "has_identity": AppealIdentity.objects.filter(appeal=appeal).exists(),
        "can_unseal": can_unseal_appellant(user, appeal),
        "can_hold": can_hold_appeal(user, appeal),
        "attachments": list(AppealAttachment.objects.filter(appeal=appeal)),
        "timeline": list(
            AppealEvent.objects.filter(appeal=appeal)
            .select_related("actor")
            .order_by("occurred_at", "pk")
        ),
        "duplicates": duplicate_candidates(appeal, user=user) if handles else [],
        "repeats": list(repeats[:10]) if repeats is not None else None,
        "repeat_count": repeats.count() if repeats is not None else 0,
        "sees_repeats": can_see_repeat_writers(user),
        "section_templates": section_templates,
        "content": None,
        "identity": None,
        "unseal_form": UnsealForm(),
        **sections,
    }
    if handles:
        context["triage_form"] = TriageForm(user=user, initial=_triage_initial(appeal))
        context["assign_form"] = AssignForm(
            appeal=appeal,
            initial={"assignee": appeal.assigned_to.public_id if appeal.assigned_to else None},
        )
        context["extend_form"] = ExtendForm()
        context["attachment_form"] = AttachmentForm()
    context.update(letters_of(user, appeal))
    context.update(extra)
    return context


def _triage_initial(appeal: Appeal) -> dict[str, Any]:
    return {
        "subject": appeal.subject.code if appeal.subject else None,
        "allegation_types": [a.code for a in appeal.allegation_types.all()],
        "institution": appeal.institution.public_id if appeal.institution else None,
        "institution_text": appeal.institution_text,
        "urgency": appeal.urgency,
        "summary": appeal.summary,
        "consent_scopes": appeal.consent_scopes,
        "consent_contact": appeal.consent_contact,
        "reprisal_risk": appeal.reprisal_risk,
    }


def _detail(request: HttpRequest, user: User, appeal: Appeal, **extra: Any) -> HttpResponse:
    return render(request, "appeals/detail.html", detail_context(request, user, appeal, **extra))


@require_safe
def appeal_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    return _detail(request, user, get_appeal(user, public_id))


@require_POST
def appeal_content_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Show what the appellant wrote: an explicit action, logged."""
    user = user_of(request)
    appeal = get_appeal(user, public_id)
    content = appeal_content_read(
        actor=user, appeal=appeal, context=RequestContext.from_request(request)
    )
    return _detail(request, user, appeal, content=content)


@require_POST
def appeal_unseal_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    appeal = get_appeal(user, public_id)
    if not can_unseal_appellant(user, appeal):
        raise PermissionDenied
    form = UnsealForm(request.POST)
    if form.is_valid():
        try:
            identity = appellant_reveal(
                actor=user,
                appeal=appeal,
                reason=form.cleaned_data["reason"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _detail(request, user, appeal, identity=identity)
    return _detail(request, user, appeal, unseal_form=form)


@require_POST
def appeal_move_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    appeal = get_appeal(user, public_id)
    if not workflow.APPEALS.may_move(user, appeal, Via.MANUAL):
        raise PermissionDenied
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The change could not be read; try again."))
        return redirect("appeals:detail", public_id=appeal.public_id)
    data = form.cleaned_data
    try:
        appeal = appeal_transition(
            actor=user,
            appeal=appeal,
            move=data["move"],
            note=data.get("note") or "",
            forwarded_to=data.get("forwarded_to") or "",
            expected_state=data.get("expected_state") or None,
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The appeal is now “%(state)s”.") % {"state": appeal.get_state_display()}
        )
    return redirect("appeals:detail", public_id=appeal.public_id)


def _handler_appeal(request: HttpRequest, public_id: Any) -> tuple[User, Appeal]:
    user = user_of(request)
    appeal = get_appeal(user, public_id)
    if not can_handle_appeal(user, appeal):
        raise PermissionDenied
    return user, appeal


def appeal_triage_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user, appeal = _handler_appeal(request, public_id)
    if request.method != "POST":
        return redirect("appeals:detail", public_id=appeal.public_id)
    form = TriageForm(request.POST, user=user)
    if form.is_valid():
        try:
            appeal_triage(
                actor=user,
                appeal=appeal,
                data=form.about_data(),
                allegations=list(form.cleaned_data.get("allegation_types") or []),
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Triage saved."))
            return redirect("appeals:detail", public_id=appeal.public_id)
    return _detail(request, user, appeal, triage_form=form, open_form="triage")


@require_POST
def appeal_assign_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user, appeal = _handler_appeal(request, public_id)
    form = AssignForm(request.POST, appeal=appeal)
    if form.is_valid():
        try:
            appeal_assign(
                actor=user,
                appeal=appeal,
                assignee=form.cleaned_data.get("assignee"),
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Assignment saved."))
            return redirect("appeals:detail", public_id=appeal.public_id)
    return _detail(request, user, appeal, assign_form=form, open_form="assign")


@require_POST
def appeal_extend_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user, appeal = _handler_appeal(request, public_id)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            appeal_extend(
                actor=user,
                appeal=appeal,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The deadline is extended."))
            return redirect("appeals:detail", public_id=appeal.public_id)
    return _detail(request, user, appeal, extend_form=form, open_form="extend")


@require_POST
def appeal_merge_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Merge this appeal (the duplicate) into the one chosen."""
    user, appeal = _handler_appeal(request, public_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the appeal to merge into."))
        return redirect("appeals:detail", public_id=appeal.public_id)
    into = get_appeal(user, form.cleaned_data["into"])
    try:
        appeal_merge(
            actor=user,
            duplicate=appeal,
            into=into,
            note=form.cleaned_data.get("note") or "",
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Appeal %(duplicate)s is merged into %(into)s.")
            % {"duplicate": appeal.reference, "into": into.reference},
        )
    return redirect("appeals:detail", public_id=appeal.public_id)


@require_POST
def appeal_attachment_upload_view(request: HttpRequest, public_id: Any) -> HttpResponse:
    user, appeal = _handler_appeal(request, public_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            appeal_attachment_upload(
                actor=user,
                appeal=appeal,
                file=upload,
                name=upload.name or "",
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("File added."))
            return redirect("appeals:detail", public_id=appeal.public_id)
    return _detail(request, user, appeal, attachment_form=form)


@require_safe
def appeal_attachment_download(
    request: HttpRequest, public_id: Any, attachment_id: Any
) -> HttpResponse:
    user = user_of(request)
    appeal = get_appeal(user, public_id)
    attachment = get_object_or_404(
        AppealAttachment.objects.filter(appeal=appeal), public_id=attachment_id
    )
    content = appeal_attachment_read(
        actor=user, attachment=attachment, context=RequestContext.from_request(request)
    )
    return file_download_response(content)

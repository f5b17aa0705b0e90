"""Pages for checklists, phone-first: the visit's checklists with their progress, and the
fill page, one theme at a time, that saves each answer as it changes (htmx) and also works
without JavaScript (a Save button).

Thin edge: who may read comes from the visits policy (404 for anyone who may not read the
visit's working material), writes go through the checklist services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.importing.writing import FORMATS

from ..enums import QuestionKind
from ..forms.checklists import (
    ChecklistThemeForm,
    InstitutionChoiceForm,
    answer_display,
    base_name,
    comment_name,
    value_name,
)
from ..models import ChecklistQuestion, ChecklistResponse, Visit
from ..permissions import (
    ANSWERING_STATES,
    can_answer_checklist,
    can_work_on_visit,
    is_on_team,
)
from ..selectors.checklists import (
    ThemeSection,
    checklist_overview,
    checklist_response_for,
    checklist_sections,
    checklist_visit_for,
    device_submissions,
    template_for_institution,
)
from ..services.checklists import (
    ChecklistAnswerConflict,
    answer_revision,
    checklist_answer,
    checklist_start,
)
from ..xlsform.capture import capture_form_id, capture_title, capture_xlsform
from .tabs import visit_tabs

OFFLINE_HEADER = "X-Vigil-Offline"
REVISION_HEADER = "X-Vigil-Revision"
"""The saved answer's revision after an autosave (checklist.js sends it with the next change)."""


def _fill_url(visit: Visit, response: ChecklistResponse, theme: str = "") -> str:
    url = reverse("visits:checklist_fill", args=[visit.public_id, response.public_id])
    return f"{url}?theme={theme}" if theme else url


@require_safe
def checklist_overview_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    visit = checklist_visit_for(user, public_id)
    return render(
        request,
        "visits/checklist_overview.html",
        {
            "visit": visit,
            "tabs": visit_tabs(user, visit, "checklists"),
            "rows": checklist_overview(visit),
            "can_answer": can_answer_checklist(user, visit),
            "can_work": can_work_on_visit(user, visit),
            "answering_open": visit.state in ANSWERING_STATES,
        },
    )


@require_POST
def checklist_start_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    visit = checklist_visit_for(user, public_id)
    if not can_work_on_visit(user, visit):
        raise PermissionDenied
    form = InstitutionChoiceForm(request.POST)
    if not form.is_valid():
        raise Http404
    institution = get_object_or_404(
        visit.institutions.select_related("type"), public_id=form.cleaned_data["institution"]
    )
    try:
        response = checklist_start(
            actor=user,
            visit=visit,
            institution=institution,
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("visits:checklists", public_id=visit.public_id)
    return redirect(_fill_url(visit, response))


def _current(sections: list[ThemeSection], theme: str | None) -> ThemeSection | None:
    for section in sections:
        if section.theme == theme:
            return section
    return sections[0] if sections else None


def _neighbours(
    sections: list[ThemeSection], current: ThemeSection | None
) -> tuple[ThemeSection | None, ThemeSection | None]:
    if current is None:
        return None, None
    index = sections.index(current)
    previous = sections[index - 1] if index > 0 else None
    following = sections[index + 1] if index + 1 < len(sections) else None
    return previous, following


@require_http_methods(["GET", "HEAD", "POST"])
def checklist_fill(request: HttpRequest, public_id: str, response_id: str) -> HttpResponse:
    user = user_of(request)
    visit = checklist_visit_for(user, public_id)
    response = checklist_response_for(visit, response_id)
    can_edit = can_answer_checklist(user, visit)
    if request.method == "POST" and not can_work_on_visit(user, visit):
        raise PermissionDenied
    sections, answers = checklist_sections(response)
    theme = request.POST.get("theme") if request.method == "POST" else request.GET.get("theme")
    current = _current(sections, theme)
    questions = current.questions if current else []
    form = ChecklistThemeForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        answers=answers,
        disabled=not can_edit,
        initial={"theme": current.theme if current else ""},
    )
    previous, following = _neighbours(sections, current)
    if request.method == "POST":
        if not can_edit:
            form.add_error(
                None,
                _(
                    "Checklists are filled in while the visit is on site or debriefed, until "
                    "the report is drafted; nothing was saved."
                ),
            )
        else:
            form.is_valid()
            saved = 0
            for question, value, comment in form.changed_questions():
                try:
                    checklist_answer(
                        actor=user,
                        response=response,
                        question=question,
                        value=value,
                        comment=comment,
                        base=request.POST.get(base_name(question)),
                        context=RequestContext.from_request(request),
                    )
                    saved += 1
                except ChecklistAnswerConflict as conflict:
                    form.add_error(value_name(question), _conflict_message(question, conflict))
                except ValidationError as exc:
                    by_field = (
                        exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                    )
                    for name, errors in by_field.items():
                        target = comment_name(question) if name == "comment" else None
                        form.add_error(target or value_name(question), errors)
            if not form.errors:
                if saved:
                    messages.success(request, _("Answers saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                go = request.POST.get("go")
                target = (
                    go if go in {s.theme for s in sections} else (current.theme if current else "")
                )
                return redirect(_fill_url(visit, response, target))
            # Show what was saved meanwhile, with the errors and what was typed.
            response = checklist_response_for(visit, response_id)
            sections, form.answers = checklist_sections(response)
            current = _current(sections, theme)
            previous, following = _neighbours(sections, current)
    page = render(
        request,
        "visits/checklist_fill.html",
        {
            "visit": visit,
            "tabs": visit_tabs(user, visit, "checklists"),
            "response": response,
            "sections": sections,
            "current": current,
            "previous": previous,
            "following": following,
            "form": form,
            "can_edit": can_edit,
            "can_work": can_work_on_visit(user, visit),
            "submissions": device_submissions(response),
        },
    )
    if request.method != "POST" and is_on_team(user, visit):
        # The service worker keeps an (encrypted) copy of this page to open it offline: only
        # the checklists of visits this person is on the team of (docs/offline.md).
        page[OFFLINE_HEADER] = "keep"
    return page


def _conflict_message(question: ChecklistQuestion, conflict: ChecklistAnswerConflict) -> str:
    answer = conflict.answer
    return _(
        "Not saved: %(name)s saved another answer meanwhile (%(theirs)s); yours is %(yours)s. "
        "Save again to replace theirs with yours."
    ) % {
        "name": answer.answered_by.full_name or answer.answered_by.email,
        "theirs": answer_display(question, answer.value),
        "yours": answer_display(question, conflict.value),
    }


@require_POST
def checklist_answer_view(
    request: HttpRequest, public_id: str, response_id: str, code: str
) -> HttpResponse:
    """Autosave of one answer (htmx): answers with the saved state, or the error (422)."""
    user = user_of(request)
    visit = checklist_visit_for(user, public_id)
    response = checklist_response_for(visit, response_id)
    if not can_work_on_visit(user, visit):
        raise PermissionDenied
    question = get_object_or_404(
        ChecklistQuestion, template=response.template_id, code=code, is_active=True
    )
    name = f"value-{question.code}"
    value = (
        request.POST.getlist(name)
        if question.kind == QuestionKind.MULTIPLE_CHOICE
        else request.POST.get(name, "")
    )
    comment = request.POST.get(f"comment-{question.code}")
    errors: list[str] = []
    answer = None
    try:
        answer = checklist_answer(
            actor=user,
            response=response,
            question=question,
            value=value,
            comment=comment,
            base=request.POST.get(base_name(question)),
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        errors = [str(m) for m in exc.messages]
    except ChecklistAnswerConflict as conflict:
        if not request.headers.get("HX-Request"):
            messages.error(request, _conflict_message(question, conflict))
            return redirect(_fill_url(visit, response, question.theme))
        page = render(
            request,
            "visits/_checklist_answer_conflict.html",
            {
                "theirs": conflict.answer,
                "theirs_text": answer_display(question, conflict.answer.value),
                "yours_text": answer_display(question, conflict.value),
            },
            status=409,
        )
        page[REVISION_HEADER] = answer_revision(conflict.answer)
        return page
    if not request.headers.get("HX-Request"):
        for message in errors:
            messages.error(request, message)
        if not errors:
            messages.success(request, _("Answer saved."))
        return redirect(_fill_url(visit, response, question.theme))
    page = render(
        request,
        "visits/_checklist_answer_status.html",
        {"answer": answer, "errors": errors, "just_saved": not errors},
        status=422 if errors else 200,
    )
    if not errors:
        page[REVISION_HEADER] = answer_revision(answer)
    return page


@require_safe
def checklist_capture_xlsform(
    request: HttpRequest, public_id: str, institution_id: str
) -> HttpResponse:
    """The visit's capture form for one institution as an XLSForm, to deploy on KoBoToolbox
    or ODK Central; its submissions come back through the submissions import
    (docs/collect.md). For those who may fill in the visit's checklists (else 404)."""
    user = user_of(request)
    visit = checklist_visit_for(user, public_id)
    if not can_work_on_visit(user, visit):
        raise Http404
    institution = get_object_or_404(
        visit.institutions.select_related("type"), public_id=institution_id
    )
    template = template_for_institution(institution)
    if template is None:
        raise Http404
    content = capture_xlsform(
        template,
        form_id=capture_form_id(visit.public_id, institution.public_id),
        title=capture_title(template, institution.name, visit.reference),
    )
    response = HttpResponse(content, content_type=FORMATS["xlsx"])
    name = f"vigil-{visit.reference}-{template.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response

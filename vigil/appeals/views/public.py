"""The public pages, without login: the appeal form (one question at a time, a plain POST per
step, no JavaScript needed) and the status check.

Nothing is stored before the final send: the answers travel in a signed hidden field. The
final send and the status check are rate-limited per client address (`..throttling`); a
refused send keeps the answers on the page (429). The pages are never cached (they show what
the person wrote, the secret once).
"""

import contextlib
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from vigil.audit.context import RequestContext
from vigil.core.files.check import PHOTOS_AND_DOCUMENTS
from vigil.core.files.types import CleanFile

from ..deadlines import time_limit
from ..enums import TimeLimitCode
from ..forms.public import (
    ANONYMOUS,
    FORM_OF_STEP,
    STEP_FORMS,
    STEPS,
    StatusCheckForm,
    StepForm,
    state_dump,
    state_load,
    state_new,
)
from ..services.appeals import Appellant
from ..services.intake import (
    appeal_status_check,
    public_appeal_submit,
    public_status_explanation,
)
from ..throttling import Scope, request_hit

MAX_FILES = 3
SENT_KEY = "vigil:public-appeal:sent:%s"
SENT_KEEP_S = 24 * 3600


def _time_limits() -> dict[str, Any]:
    """The answer's time limit, read from the data (`TimeLimit`), for "what happens next"."""
    try:
        answer = time_limit(TimeLimitCode.ANSWER)
    except ImproperlyConfigured:
        return {}
    limits: dict[str, Any] = {"answer": answer}
    with contextlib.suppress(ImproperlyConfigured):
        limits["extension"] = time_limit(TimeLimitCode.EXTENSION_MAX)
    return limits


def _bound(step: str, answers: dict[str, Any]) -> StepForm:
    return FORM_OF_STEP[step](data=answers.get(step, {}))


def _unbound(step: str, answers: dict[str, Any]) -> StepForm:
    """A step shown again: what was typed before, without errors yet."""
    return FORM_OF_STEP[step](initial=answers.get(step, {}))


def _page(
    request: HttpRequest,
    step: str,
    state: dict[str, Any],
    form: StepForm | None = None,
    *,
    status: int = 200,
    message: str = "",
    file_errors: list[str] | None = None,
) -> HttpResponse:
    answers = state["answers"]
    context: dict[str, Any] = {
        "step": step,
        "step_number": STEPS.index(step) + 1,
        "step_count": len(STEPS),
        "state": state_dump(state),
        "message": message,
        "limits": _time_limits(),
        "previous": STEPS[STEPS.index(step) - 1] if STEPS.index(step) > 0 else "",
        "file_errors": file_errors or [],
        "file_check": PHOTOS_AND_DOCUMENTS,
        "max_files": MAX_FILES,
    }
    if step == "review":
        context["review"] = _review(answers)
    else:
        context["form"] = form or _unbound(step, answers)
        context["title"] = FORM_OF_STEP[step].title
    return render(request, "appeals/public/form.html", context, status=status)


def _review(answers: dict[str, Any]) -> list[tuple[str, StepForm]]:
    forms = [(cls.step, _bound(cls.step, answers)) for cls in STEP_FORMS]
    for _step, form in forms:
        form.is_valid()
    return forms


def _first_invalid(answers: dict[str, Any]) -> StepForm | None:
    for cls in STEP_FORMS:
        form = _bound(cls.step, answers)
        if not form.is_valid():
            return form
    return None


def _checked_files(uploads: list[Any]) -> list[CleanFile]:
    """The files sent with the appeal, through the one upload check; stored under neutral
    names (a file's own name may name the person)."""
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            ngettext("Attach at most %(limit)d file.", "Attach at most %(limit)d files.", MAX_FILES)
            % {"limit": MAX_FILES}
        )
    checked: list[CleanFile] = []
    errors: list[str] = []
    for number, upload in enumerate(uploads, start=1):
        try:
            checked.append(PHOTOS_AND_DOCUMENTS.check(upload, name=f"appeal-file-{number}"))
        except ValidationError as exc:
            errors.extend(
                _("File %(number)s: %(problem)s") % {"number": number, "problem": message}
                for message in exc.messages
            )
    if errors:
        raise ValidationError(errors)
    return checked


def _send(request: HttpRequest, state: dict[str, Any]) -> HttpResponse:
    answers = state["answers"]
    verdict = request_hit(Scope.APPEAL, request)
    if not verdict.allowed:
        response = _page(
            request,
            "review",
            state,
            status=429,
            message=_(
                "Too many appeals were sent from this connection in a minute. Wait a minute "
                "and send again: what you wrote is kept on this page."
            ),
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response
    invalid = _first_invalid(answers)
    if invalid is not None:
        return _page(request, invalid.step, state, invalid)
    sent_key = SENT_KEY % state["token"]
    already = cache.get(sent_key)
    if already:
        return render(request, "appeals/public/sent.html", {"reference": already, "again": True})
    data: dict[str, Any] = {}
    for cls in STEP_FORMS:
        form = _bound(cls.step, answers)
        form.is_valid()
        data.update(form.cleaned_data)
    uploads = request.FILES.getlist("files")
    try:
        files = _checked_files(uploads)
    except ValidationError as exc:
        return _page(request, "review", state, status=400, file_errors=exc.messages)
    anonymous = data["identity"] == ANONYMOUS
    try:
        appeal, secret = public_appeal_submit(
            data={
                "institution_text": data["institution_text"],
                "region": data["region"],
                "anonymous": anonymous,
                "consent_scopes": list(data["consent_scopes"]),
                "consent_contact": bool(data["consent_contact"]) and not anonymous,
            },
            content=data["content"],
            appellant=Appellant(name=data["name"], contact=data["contact"]),
            files=files,
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        return _page(
            request, "review", state, message=" ".join(str(m) for m in exc.messages), status=400
        )
    cache.set(sent_key, appeal.reference, SENT_KEEP_S)
    return render(
        request,
        "appeals/public/sent.html",
        {"reference": appeal.reference, "secret": secret, "limits": _time_limits()},
    )


def _in_language(
    request: HttpRequest, step: str, state: dict[str, Any], language: str
) -> HttpResponse:
    """The same step in another language, with what was typed (the header's switcher would
    open the form anew)."""
    if language not in dict(settings.LANGUAGES):
        return _page(request, step, state)
    translation.activate(language)
    response = _page(request, step, state)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def appeal_form(request: HttpRequest) -> HttpResponse:
    """GET: the first question. POST: the step's answers, then the next question (or the same
    one with its errors), back, edit from the review, or send."""
    if request.method == "GET":
        return _page(request, STEPS[0], state_new())
    state = state_load(request.POST.get("state"))
    if state is None:
        return _page(
            request,
            STEPS[0],
            state_new(),
            message=_(
                "Your earlier answers could not be read back (the page was more than a day "
                "old, or was changed). Please start again."
            ),
        )
    step = request.POST.get("step", "")
    step = step if step in STEPS else STEPS[0]
    action = request.POST.get("action", "next")
    answers: dict[str, Any] = state["answers"]
    if step == "review":
        if action == "send":
            return _send(request, state)
        if action.startswith("lang:"):
            return _in_language(request, step, state, action.removeprefix("lang:"))
        target = action.removeprefix("edit:")
        if target in FORM_OF_STEP:
            return _page(request, target, state)
        return _page(request, STEPS[-2], state)
    form = FORM_OF_STEP[step](data=request.POST)
    answers[step] = form.raw_values()
    index = STEPS.index(step)
    if action.startswith("lang:"):
        return _in_language(request, step, state, action.removeprefix("lang:"))
    if action == "back":
        return _page(request, STEPS[max(index - 1, 0)], state)
    if not form.is_valid():
        return _page(request, step, state, form)
    if state.get("reviewed") or STEPS[index + 1] == "review":
        state["reviewed"] = True
        invalid = _first_invalid(answers)
        if invalid is not None:
            return _page(request, invalid.step, state, invalid)
        return _page(request, "review", state)
    return _page(request, STEPS[index + 1], state)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def appeal_status(request: HttpRequest) -> HttpResponse:
    """Reference number and secret → the public status word and its explanation, nothing else.
    An unknown number and a wrong secret get the same page."""
    form = StatusCheckForm(data=request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST":
        verdict = request_hit(Scope.STATUS, request)
        if not verdict.allowed:
            context["message"] = _(
                "Too many checks were made from this connection in a minute. Wait a minute "
                "and try again."
            )
            response = render(request, "appeals/public/status.html", context, status=429)
            response["Retry-After"] = str(verdict.retry_after)
            return response
        if form.is_valid():
            found = appeal_status_check(
                reference=form.cleaned_data["reference"], secret=form.cleaned_data["secret"]
            )
            context["checked"] = True
            # The same page for an unknown number and a wrong secret; the secret is not shown
            # back.
            context["form"] = StatusCheckForm(initial={"reference": form.cleaned_data["reference"]})
            if found is not None:
                context["result"] = found
                context["explanation"] = public_status_explanation(found)
    return render(request, "appeals/public/status.html", context, status=status)

"""Escalation pages: the recommendations that qualify, the escalation form (one or several
recommendations of one addressee in one action), and the letter with its downloads.

Thin edge over `..services.escalation`; what is missing or not visible answers 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response

from ..deadlines import DeadlineWindow
from ..enums import REASON_LABELS, Source
from ..forms.escalation import LANGUAGE_NAMES, EscalationForm
from ..listings.queues import ESCALATION_QUEUE
from ..models import Recommendation
from ..permissions import (
    can_download_escalation_letter,
    can_escalate_recommendations,
    recommendations_visible_to,
)
from ..selectors.core import get_recommendation
from ..services.escalation import (
    LETTER_CONTENT_TYPES,
    LETTER_LANGUAGES,
    LetterFormat,
    escalation_letter_export,
    escalation_reasons,
    letter_language,
    recommendations_escalate,
)

MAX_AT_ONCE = 200


def _require_escalator(user: User) -> None:
    if not can_escalate_recommendations(user):
        raise PermissionDenied


def _labels(reasons: list[str]) -> list[str]:
    return [str(REASON_LABELS[r]) for r in reasons]


@require_safe
def escalation_candidates_view(request: HttpRequest) -> HttpResponse:
    """The escalations-due queue: most overdue first, filtered for the job, exportable."""
    return list_response(
        request,
        ESCALATION_QUEUE,
        template="recommendations/escalate_candidates.html",
        results_id="escalation-results",
        partial="recommendations/_escalation_queue.html",
    )


def _originals(user: User, ids: list[str]) -> list[Recommendation]:
    if not ids or len(ids) > MAX_AT_ONCE:
        raise Http404
    found = list(
        recommendations_visible_to(user)
        .filter(public_id__in=ids)
        .select_related("addressee", "institution")
        .order_by("issued_on", "id")
    )
    if len(found) != len(set(ids)):
        raise Http404
    return found


@require_http_methods(["GET", "HEAD", "POST"])
def escalate_view(request: HttpRequest) -> HttpResponse:
    """The escalation form for the recommendations named by `?rec=<id>` (several allowed)."""
    user = user_of(request)
    _require_escalator(user)
    ids = request.GET.getlist("rec") or request.POST.getlist("rec")
    try:
        originals = _originals(user, [str(i) for i in ids])
    except (ValidationError, ValueError):
        raise Http404 from None
    window = DeadlineWindow.on()
    posted = request.method == "POST"
    form = EscalationForm(request.POST if posted else None, originals=originals)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            escalation = recommendations_escalate(
                actor=user,
                recommendations=originals,
                target=data["target"],
                level=data["level"],
                text=data["text"],
                indicator=data.get("indicator") or "",
                deadline=data.get("deadline"),
                language=data["language"],
                note=data.get("note") or "",
                link_base=request.build_absolute_uri("/").rstrip("/"),
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Escalated to %(agency)s as %(reference)s. Download the letter below.")
                % {"agency": escalation.addressee.name, "reference": escalation.reference},
            )
            return redirect("recommendations:escalation_letter", public_id=escalation.public_id)
    rows = [{"rec": rec, "reasons": _labels(escalation_reasons(rec, window))} for rec in originals]
    return render(
        request,
        "recommendations/escalate_form.html",
        {
            "form": form,
            "rows": rows,
            "addressee": originals[0].addressee,
            "same_addressee": len({rec.addressee_id for rec in originals}) == 1,
            "all_qualify": all(row["reasons"] for row in rows),
            "has_targets": bool(form.fields["target"].choices),  # type: ignore[attr-defined]
        },
    )


def _escalation(user: User, public_id: str) -> Recommendation:
    rec = get_recommendation(user, public_id)
    if rec.source != Source.ESCALATION or not can_download_escalation_letter(user, rec):
        raise Http404
    return rec


@require_safe
def escalation_letter_page(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    rec = _escalation(user, public_id)
    chosen = letter_language(rec)
    downloads = [
        {
            "language": code,
            "name": LANGUAGE_NAMES[code],
            "chosen": code == chosen,
            "links": [
                {
                    "format": fmt.value.upper(),
                    "url": reverse(
                        "recommendations:escalation_letter_download",
                        kwargs={"public_id": rec.public_id, "fmt": fmt.value},
                    )
                    + "?"
                    + urlencode({"language": code}),
                }
                for fmt in LetterFormat
            ],
        }
        for code in sorted(LETTER_LANGUAGES, key=lambda c: c != chosen)
    ]
    originals = rec.escalates.select_related("addressee", "institution").order_by("issued_on", "id")
    return render(
        request,
        "recommendations/letter_page.html",
        {"rec": rec, "downloads": downloads, "originals": originals},
    )


@require_safe
def escalation_letter_download(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    user = user_of(request)
    if fmt not in LetterFormat.__members__.values():
        raise Http404
    rec = _escalation(user, public_id)
    language = request.GET.get("language") or None
    if language is not None and language not in LETTER_LANGUAGES:
        raise Http404
    content = escalation_letter_export(
        actor=user,
        escalation=rec,
        fmt=fmt,
        language=language,
        context=RequestContext.from_request(request),
    )
    name = f"{rec.reference}-{language or letter_language(rec)}.{fmt}"
    response = HttpResponse(content, content_type=LETTER_CONTENT_TYPES[LetterFormat(fmt)])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response

"""The paragraph's links page: the NPM evidence a UN paragraph is linked to, the suggestions
(findings, recommendations, widespread systemic issues whose text it resembles) to confirm or
reject, and a record linked by hand (by reference, by id, found by its words, or a systemic
issue by theme and branch).

Coordinators and administrators only (`can_view_link_suggestions`): a paragraph the user may
not see answers 404, a paragraph seen by a reader 403. Every decision goes through the
services (`link_confirm`, `link_reject`, `link_remove`: audit row and timeline event). The
buttons post a form: with htmx the list is swapped in place (`_decisions.html`), without
JavaScript the page is loaded again after a redirect, with the outcome as a message.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.search import search_filter
from vigil.recommendations.permissions import recommendations_visible_to
from vigil.visits.enums import Theme
from vigil.visits.permissions import findings_visible_to

from .enums import LinkKind, LinkOrigin, LinkStatus
from .linking_forms import (
    MANUAL_FORMS,
    DecisionForm,
    FindingLinkForm,
    LinkSearchForm,
    RecommendationLinkForm,
    SystemicLinkForm,
)
from .models import Paragraph, ParagraphLink
from .permissions import can_see_recorders, can_view_link_suggestions, paragraphs_visible_to
from .selectors import Suggestion, confirmed_links, link_suggestions
from .services import LinkTarget, SystemicTarget, link_confirm, link_reject, link_remove

SEARCH_RESULTS = 10
SUGGESTION_LOOKUP = 100_000
"""A decision looks its suggestion up among all of them (its score is the server's own)."""
RESULTS_ID = "link-search-results"
THEMES: dict[str, Any] = dict(Theme.choices)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _url_or_none(name: str, *args: Any) -> str | None:
    """A page another feature of the app provides, when it is there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _paragraph(request: HttpRequest, public_id: Any) -> Paragraph:
    """The paragraph, if the user may see it (else 404) and decide its links (else 403)."""
    user = user_of(request)
    paragraph = get_object_or_404(
        paragraphs_visible_to(user).select_related("document"), public_id=public_id
    )
    if not can_view_link_suggestions(user):
        raise PermissionDenied
    return paragraph


# ---------------------------------------------------------------- what the page shows


def _links(user: User, paragraph: Paragraph) -> list[dict[str, Any]]:
    """The confirmed links, each with whether the user may see its record (a link never
    shows a record the user's own policy hides)."""
    links = list(confirmed_links(user, paragraph).select_related("decided_by"))
    rec_ids = [link.recommendation_id for link in links if link.recommendation_id]
    finding_ids = [link.finding_id for link in links if link.finding_id]
    seen_recs = set(
        recommendations_visible_to(user).filter(pk__in=rec_ids).values_list("pk", flat=True)
    )
    seen_findings = set(
        findings_visible_to(user).filter(pk__in=finding_ids).values_list("pk", flat=True)
    )
    return [
        {
            "link": link,
            "visible": (
                link.kind == LinkKind.SYSTEMIC
                or link.recommendation_id in seen_recs
                or link.finding_id in seen_findings
            ),
            "percent": round(link.score * 100) if link.score is not None else None,
        }
        for link in links
    ]


def _decisions_context(
    request: HttpRequest,
    paragraph: Paragraph,
    *,
    bound: RecommendationLinkForm | FindingLinkForm | SystemicLinkForm | None = None,
    notice: str = "",
    notice_level: str = "success",
) -> dict[str, Any]:
    user = user_of(request)
    manual: dict[str, Any] = {
        LinkKind.RECOMMENDATION: RecommendationLinkForm(user=user),
        LinkKind.FINDING: FindingLinkForm(user=user),
        LinkKind.SYSTEMIC: SystemicLinkForm(user=user),
    }
    if bound is not None:
        manual[next(k for k, cls in MANUAL_FORMS.items() if isinstance(bound, cls))] = bound
    return {
        "paragraph": paragraph,
        "links": _links(user, paragraph),
        "suggestions": [
            {
                "suggestion": suggestion,
                "key": _suggestion_key(suggestion),
                "theme_label": _theme_label(suggestion),
                "label": _suggestion_label(suggestion),
            }
            for suggestion in link_suggestions(user, paragraph)
        ],
        "rec_form": manual[LinkKind.RECOMMENDATION],
        "finding_form": manual[LinkKind.FINDING],
        "systemic_form": manual[LinkKind.SYSTEMIC],
        "open_form": bound.prefix if bound is not None else "",
        "sees_recorders": can_see_recorders(user),
        "notice": notice,
        "notice_level": notice_level,
    }


def _theme_label(suggestion: Suggestion) -> str:
    return str(THEMES.get(suggestion.systemic.theme, "")) if suggestion.systemic else ""


def _suggestion_label(suggestion: Suggestion) -> str:
    """What the suggestion names, for the buttons' accessible names."""
    if suggestion.recommendation is not None:
        return suggestion.recommendation.reference
    if suggestion.finding is not None:
        return suggestion.finding.title
    issue = suggestion.systemic
    return f"{_theme_label(suggestion)} — {issue.branch.name}" if issue else ""


def _search(user: User, paragraph: Paragraph, query: str) -> dict[str, Any]:
    """The recommendations and findings whose reference or words match, that the user may
    see and that are not linked to the paragraph yet (the latest first)."""
    if not query.strip():
        return {"searched": False, "found_recs": [], "found_findings": []}
    linked = ParagraphLink.objects.filter(paragraph=paragraph, status=LinkStatus.CONFIRMED)
    recs = search_filter(
        recommendations_visible_to(user).exclude(
            pk__in=linked.exclude(recommendation=None).values("recommendation_id")
        ),
        query,
        ("reference", "text"),
    )
    findings = search_filter(
        findings_visible_to(user).exclude(pk__in=linked.exclude(finding=None).values("finding_id")),
        query,
        ("title", "description"),
    )
    return {
        "searched": True,
        "found_recs": list(
            recs.select_related("addressee", "institution").order_by("-issued_on", "-id")[
                :SEARCH_RESULTS
            ]
        ),
        "found_findings": list(
            findings.select_related("visit", "institution").order_by(
                "-visit__planned_start", "-id"
            )[:SEARCH_RESULTS]
        ),
    }


def _page(
    request: HttpRequest, paragraph: Paragraph, *, status: int = 200, **decisions: Any
) -> HttpResponse:
    user = user_of(request)
    search_form = LinkSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    context = {
        **_decisions_context(request, paragraph, **decisions),
        **_search(user, paragraph, query),
        "search_form": search_form,
        "results_id": RESULTS_ID,
        "document_list_url": _url_or_none("international:document_list"),
        "document_url": _url_or_none("international:document_detail", paragraph.document.public_id),
        "paragraph_url": _url_or_none("international:paragraph_detail", paragraph.public_id),
    }
    return render(request, "international/links/page.html", context, status=status)


@require_safe
def paragraph_links(request: HttpRequest, public_id: Any) -> HttpResponse:
    paragraph = _paragraph(request, public_id)
    if _is_htmx(request) and request.headers.get("HX-Target") == RESULTS_ID:
        search_form = LinkSearchForm(request.GET)
        query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
        return render(
            request,
            "international/links/_search_results.html",
            {
                "paragraph": paragraph,
                "results_id": RESULTS_ID,
                **_search(user_of(request), paragraph, query),
            },
        )
    return _page(request, paragraph)


# ---------------------------------------------------------------- decisions


def _done(
    request: HttpRequest, paragraph: Paragraph, notice: str, *, error: bool = False
) -> HttpResponse:
    """After a decision: the list swapped in place (htmx), or the page again (redirect)."""
    if _is_htmx(request):
        context = _decisions_context(
            request, paragraph, notice=notice, notice_level="danger" if error else "success"
        )
        return render(request, "international/links/_decisions.html", context)
    (messages.error if error else messages.success)(request, notice)
    return redirect("international:paragraph_links", public_id=paragraph.public_id)


def _find_suggestion(user: User, paragraph: Paragraph, key: tuple[str, str]) -> Suggestion | None:
    """The suggestion the form names, among those the paragraph gets now (None: no longer
    suggested, or never was)."""
    for suggestion in link_suggestions(user, paragraph, limit=SUGGESTION_LOOKUP):
        if (suggestion.kind, _suggestion_key(suggestion)) == key:
            return suggestion
    return None


def _suggestion_key(suggestion: Suggestion) -> str:
    if suggestion.recommendation is not None:
        return str(suggestion.recommendation.public_id)
    if suggestion.finding is not None:
        return str(suggestion.finding.public_id)
    issue = suggestion.systemic
    if issue is None:
        raise ValueError("A suggestion without a record.")
    return f"{issue.theme} {issue.branch.code}"


def _suggestion_target(suggestion: Suggestion) -> LinkTarget:
    if suggestion.recommendation is not None:
        return suggestion.recommendation
    if suggestion.finding is not None:
        return suggestion.finding
    issue = suggestion.systemic
    if issue is None:
        raise ValueError("A suggestion without a record.")
    return SystemicTarget(issue.theme, issue.branch)


def _decide(request: HttpRequest, public_id: Any, *, confirm: bool) -> HttpResponse:
    paragraph = _paragraph(request, public_id)
    user = user_of(request)
    form = DecisionForm(request.POST)
    suggestion = _find_suggestion(user, paragraph, form.key()) if form.is_valid() else None
    if suggestion is None:
        return _done(
            request,
            paragraph,
            _(
                "This suggestion is no longer offered: it was decided already, or the records "
                "changed. Link the record by hand below if it belongs here."
            ),
            error=True,
        )
    decide = link_confirm if confirm else link_reject
    extra: dict[str, Any] = {"origin": LinkOrigin.SUGGESTED} if confirm else {}
    try:
        decide(
            actor=user,
            paragraph=paragraph,
            target=_suggestion_target(suggestion),
            score=suggestion.score,
            context=RequestContext.from_request(request),
            **extra,
        )
    except ValidationError as exc:
        return _done(request, paragraph, " ".join(exc.messages), error=True)
    notice = _("Linked to the paragraph.") if confirm else _("Suggestion rejected.")
    return _done(request, paragraph, notice)


@require_POST
def paragraph_link_confirm(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _decide(request, public_id, confirm=True)


@require_POST
def paragraph_link_reject(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _decide(request, public_id, confirm=False)


@require_POST
def paragraph_link_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A record linked by hand: `kind` says which of the three forms was sent."""
    paragraph = _paragraph(request, public_id)
    user = user_of(request)
    form_class = MANUAL_FORMS.get(request.POST.get("kind", ""), RecommendationLinkForm)
    form = form_class(request.POST, user=user)
    if form.is_valid():
        try:
            link_confirm(
                actor=user,
                paragraph=paragraph,
                target=form.target(),
                origin=LinkOrigin.MANUAL,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return _done(request, paragraph, _("Linked to the paragraph."))
    notice = _("The link was not made: see the errors in the form.")
    if _is_htmx(request):
        context = _decisions_context(
            request, paragraph, bound=form, notice=notice, notice_level="danger"
        )
        return render(request, "international/links/_decisions.html", context)
    return _page(request, paragraph, status=400, bound=form, notice=notice, notice_level="danger")


@require_POST
def paragraph_link_remove(request: HttpRequest, public_id: Any, link_id: Any) -> HttpResponse:
    paragraph = _paragraph(request, public_id)
    link = get_object_or_404(
        ParagraphLink.objects.filter(paragraph=paragraph, status=LinkStatus.CONFIRMED),
        public_id=link_id,
    )
    link_remove(actor=user_of(request), link=link, context=RequestContext.from_request(request))
    return _done(request, paragraph, _("Link removed."))

"""Letters to the appellant from the appeal's page: which may be made now, and the download
(each an unseal for "letter to the appellant", logged, and audited by the service)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.documents import CONTENT_TYPES

from ..documents.letters import LETTER_LANGUAGES, LetterFormat, LetterKind
from ..models import Appeal, AppealIdentity
from ..permissions import appeals_visible_to, can_unseal_appellant
from ..services.letters import appeal_letter_export, letter_refusal

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def letters_of(user: User, appeal: Appeal) -> dict[str, Any]:
    """The letters to the appellant that `user` may make now; for an anonymous appeal, why
    there are none."""
    if not can_unseal_appellant(user, appeal):
        return {"letters": [], "letter_note": None}
    kinds = ((LetterKind.ACKNOWLEDGEMENT, _("Acknowledgement")), (LetterKind.ANSWER, _("Answer")))
    letters = []
    for kind, label in kinds:
        refusal = letter_refusal(appeal, kind)
        if refusal is not None:
            if appeal.anonymous or not AppealIdentity.objects.filter(appeal=appeal).exists():
                return {"letters": [], "letter_note": refusal}
            continue
        base = reverse("appeals:letter", kwargs={"public_id": appeal.public_id, "kind": kind})
        letters.append(
            {
                "kind": kind,
                "label": label,
                "links": [
                    {
                        "text": f"{LANGUAGE_NAMES[lang]} {fmt.upper()}",
                        "url": f"{base}?{urlencode({'language': lang, 'format': fmt})}",
                    }
                    for lang in LETTER_LANGUAGES
                    for fmt in LetterFormat
                ],
            }
        )
    return {"letters": letters, "letter_note": None}


@require_safe
def appeal_letter_download(request: HttpRequest, public_id: Any, kind: str) -> HttpResponse:
    """A letter to the appellant (?language=kk|ru|en&format=pdf|docx): an unseal, logged."""
    user = user_of(request)
    appeal = get_object_or_404(appeals_visible_to(user), public_id=public_id)
    language = request.GET.get("language") or "kk"
    fmt = request.GET.get("format") or LetterFormat.PDF
    if (
        kind not in LetterKind.__members__.values()
        or fmt not in LetterFormat.__members__.values()
        or language not in LETTER_LANGUAGES
    ):
        raise Http404
    try:
        content = appeal_letter_export(
            actor=user,
            appeal=appeal,
            kind=kind,
            language=language,
            fmt=fmt,
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("appeals:detail", public_id=appeal.public_id)
    response = HttpResponse(content, content_type=CONTENT_TYPES[LetterFormat(fmt)])
    name = f"{appeal.reference}-{kind}-{language}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response

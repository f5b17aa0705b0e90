"""Forms saved once, and told where they led: the server side of the offline keeping of forms
(vigil/static/vigil/offline-forms.js, docs/architecture.md "Forms kept on the device").

The script gives each form a key of its own (a UUID made in the browser, in the hidden field
`submission_key`) and sends it again, with the same key, when the connection dropped at Save.
A request may have reached the server although its answer was lost: `once_per_submission`
saves a form once per key and user and answers a second sending with a redirect to where
the first one led. Without the script (no key) the view runs as it always did.

The script sends with the header `X-Vigil-Form`; `ScriptedFormMiddleware` then answers a
redirect with 204 and the address in `X-Vigil-Location`, so that the script, not fetch,
follows it and the page that follows still shows its message ("Interview recorded.").
"""

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "submission_key"
HEADER = "X-Vigil-Form"
LOCATION_HEADER = "X-Vigil-Location"
_REDIRECTS = (301, 302, 303, 307, 308)

View = Callable[..., HttpResponse]

KEPT_ON_DEVICE = timedelta(days=14)
"""How long offline-forms.js keeps an unsent form on the device (its MAX_AGE_MS): a key
older than this cannot be sent again."""


def _key(request: HttpRequest) -> tuple[int, uuid.UUID] | None:
    """The user's id and the form's key, or None (not a POST, signed out, no key)."""
    user_id = request.user.pk if request.user.is_authenticated else None
    if request.method != "POST" or user_id is None:
        return None
    try:
        return int(user_id), uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _replay(request: HttpRequest, user_id: int, key: uuid.UUID) -> HttpResponse | None:
    earlier = FormSubmission.objects.filter(user_id=user_id, key=key).first()
    if earlier is None or not earlier.location:
        return None
    messages.info(request, _("This form had already been saved; it was not saved a second time."))
    return HttpResponseRedirect(earlier.location)


def once_per_submission(view: View) -> View:
    """Runs a form view at most once per `submission_key` and user. Only for views that answer
    a successful POST with a redirect (post/redirect/get): any other answer counts as "not
    saved" and leaves the key free for the next try."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sent = _key(request)
        if sent is None:
            return view(request, *args, **kwargs)
        user_id, key = sent
        earlier = _replay(request, user_id, key)
        if earlier is not None:
            return earlier
        try:
            with transaction.atomic():
                # Claimed first: a second sending made while the first is still being saved
                # waits on this row, then finds it taken.
                claim = FormSubmission.objects.create(user_id=user_id, key=key)
                response = view(request, *args, **kwargs)
                if response.status_code in _REDIRECTS:
                    claim.location = response["Location"]
                    claim.save(update_fields=["location"])
                else:
                    claim.delete()
        except IntegrityError:
            earlier = _replay(request, user_id, key)
            if earlier is None:
                raise
            return earlier
        return response

    return wrapper


class ScriptedFormMiddleware:
    """Answers a redirect after a form sent by the offline script with 204 and the address in
    `X-Vigil-Location` (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "POST"
            and request.headers.get(HEADER) == "1"
            and response.status_code in _REDIRECTS
        ):
            told = HttpResponse(status=204)
            told[LOCATION_HEADER] = response["Location"]
            told.cookies = response.cookies
            return told
        return response


def submissions_prune(*, dry_run: bool = False) -> int:
    """Forgets the keys of forms saved longer ago than a device keeps a form (none of them can
    come again); returns how many (with `dry_run`, only counts them)."""
    old = FormSubmission.objects.filter(created_at__lt=timezone.now() - KEPT_ON_DEVICE)
    if dry_run:
        return old.count()
    deleted, _by_model = old.delete()
    return deleted

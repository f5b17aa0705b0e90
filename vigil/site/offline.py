"""The service worker of the site (docs/offline.md): served from `/sw.js` so that its scope is
the whole site, public (the browser checks it for updates signed in or not; it holds no data),
never cached by the browser's HTTP cache, so a new version is picked up at the next visit."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

OFFLINE_PREFIX = "/visits/"
"""The pages the worker may keep a copy of (the server marks which: X-Vigil-Offline)."""


@login_not_required
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "site/sw.js",
        {
            "secure_store": static("vigil/secure-store.js"),
            "static_prefix": settings.STATIC_URL,
            "offline_prefix": OFFLINE_PREFIX,
            # the page shown offline for a page not kept (in the language of the request
            # that fetched the worker)
            "not_kept": _(
                "No connection, and this page is not kept on this device. The checklists of "
                "your visits that you opened while online can be opened offline."
            ),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response

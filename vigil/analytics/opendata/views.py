"""The public open-data pages and downloads (no login, GET and HEAD only).

Everything served comes from the cached, suppressed tables (`.datasets`): a page costs no
query over the records once its table is in the cache. Downloads (CSV, JSON, the Data
Package) are the same for everyone and may be kept by any cache (`Cache-Control: public`);
the HTML pages carry the site's header, which holds the visitor's own form token and, when
signed in, their menu, so only the visitor's browser may keep them (`private`).
"""

import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .datasets import DATASETS, Table, published_table, published_years
from .outputs import as_csv, as_json, datapackage, lines
from .suppression import HIDDEN, SMALL, THRESHOLD

type View = Callable[..., HttpResponse]


def _public(*, shared: bool) -> Callable[[View], View]:
    """No login, GET and HEAD only (any other method: 405, so no form token is asked for),
    and the cache headers (`shared`: any cache may keep it)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            seconds = settings.VIGIL_OPEN_DATA_CACHE_SECONDS
            if shared:
                patch_cache_control(response, public=True, max_age=seconds)
            else:
                patch_cache_control(response, private=True, max_age=seconds)
            return response

        return csrf_exempt(login_not_required(require_safe(wrapped)))

    return decorate


def _table(dataset: str, year: int) -> Table:
    table = published_table(dataset, year)
    if table is None:
        raise Http404
    return table


@_public(shared=False)
def index(request: HttpRequest) -> HttpResponse:
    """What is published, the suppression rule, the datasets and their years."""
    return render(
        request,
        "analytics/opendata.html",
        {
            "datasets": list(DATASETS.values()),
            "years": published_years(),
            "small": SMALL,
            "hidden": HIDDEN,
            "threshold": THRESHOLD,
        },
    )


@_public(shared=False)
def dataset_page(request: HttpRequest, dataset: str, year: int) -> HttpResponse:
    """One dataset's year as an accessible table, with its downloads."""
    table = _table(dataset, year)
    about = DATASETS[dataset]
    names = {m.code: m.name() for m in (*(table.rows or ()), *table.columns)}
    header, *body, totals = lines(table)
    if table.rows is None:
        columns = [str(about.columns.title), str(about.unit).capitalize()]
    else:
        columns = [
            str(about.rows.title if about.rows else ""),
            *(names[str(c)] for c in header[1:-1]),
        ]
        columns.append(_("Total"))
    return render(
        request,
        "analytics/opendata_table.html",
        {
            "dataset": about,
            "table": table,
            "columns": columns,
            "body": [(names[str(line[0])], line[1:]) for line in body],
            "totals": totals[1:],
            "years": published_years(),
            "small": SMALL,
            "hidden": HIDDEN,
        },
    )


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body.encode(), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@_public(shared=True)
def dataset_csv(request: HttpRequest, dataset: str, year: int) -> HttpResponse:
    return _download(as_csv(_table(dataset, year)), "text/csv", f"{dataset}-{year}.csv")


@_public(shared=True)
def dataset_json(request: HttpRequest, dataset: str, year: int) -> HttpResponse:
    body = json.dumps(as_json(_table(dataset, year)), ensure_ascii=False, indent=1)
    return _download(body, "application/json", f"{dataset}-{year}.json")


@_public(shared=True)
def package(request: HttpRequest) -> HttpResponse:
    """The Data Package of every published table, in the visitor's language."""
    tables = [
        table
        for year in published_years()
        for slug in DATASETS
        if (table := published_table(slug, year)) is not None
    ]
    body = json.dumps(datapackage(tables), ensure_ascii=False, indent=1)
    response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response

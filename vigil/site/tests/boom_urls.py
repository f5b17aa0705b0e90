"""A URLconf for the error-page tests: the site's routes plus one view that fails."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.urls import handler404, handler500


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure the user must not see")


__all__ = ["handler404", "handler500", "urlpatterns"]

urlpatterns = [
    path("boom/", boom),
    path("api/v1/boom/", boom),
    path("", include("config.urls")),
]

"""A URLconf for the error-page tests: the site's routes plus one view that fails."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure the user must not see")


urlpatterns = [
    path("boom/", boom),
    path("", include("config.urls")),
]

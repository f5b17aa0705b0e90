"""A URLconf for the error-page tests: the site's routes plus one view that fails."""

from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.urls import handler404, handler500


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure the user must not see")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection refused: the secret host name")


def driver_error(request: HttpRequest) -> HttpResponse:
    """The driver's own error, unwrapped by Django (as a server-side cursor's close raises)."""
    driver = connection.Database  # type: ignore[attr-defined]
    raise driver.OperationalError("server closed the connection unexpectedly")


__all__ = ["handler404", "handler500", "urlpatterns"]

urlpatterns = [
    path("boom/", boom),
    path("api/v1/boom/", boom),
    path("database-down/", database_down),
    path("api/v1/database-down/", database_down),
    path("driver-error/", driver_error),
    path("", include("config.urls")),
]

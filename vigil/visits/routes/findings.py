"""URL routes for findings (filled by its feature)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

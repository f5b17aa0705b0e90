"""URL routes for reports (filled by its feature)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

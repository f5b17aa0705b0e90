"""URL routes for checklists (filled by its feature)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

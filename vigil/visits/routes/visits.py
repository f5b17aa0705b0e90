"""URL routes for visits (filled by its feature)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

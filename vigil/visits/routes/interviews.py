"""URL routes for interviews (filled by its feature)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

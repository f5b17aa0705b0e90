"""URL routes for attachments (filled by its feature)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""URL routes of the people app (participants, training, conflicts of interest)."""

from django.urls import URLPattern

app_name = "people"

urlpatterns: list[URLPattern] = []

"""The public pages, without login, mounted at /appeal/ (namespace "public_appeal"): the
appeal form and the status check."""

from django.urls import URLPattern, URLResolver

app_name = "public_appeal"

urlpatterns: list[URLPattern | URLResolver] = []

"""The public pages, without login, mounted at /appeal/ (namespace "public_appeal"): the
appeal form and the status check."""

from django.urls import URLPattern, URLResolver, path

from .views import public

app_name = "public_appeal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.appeal_form, name="form"),
    path("status/", public.appeal_status, name="status"),
]

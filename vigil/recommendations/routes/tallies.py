"""Route of the tallies page."""

from django.urls import path

from ..views import tallies as views

urlpatterns = [
    path("tallies/", views.tally_page, name="tallies"),
]

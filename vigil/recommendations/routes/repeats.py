"""Route of the repeat suggestions (htmx, called by the recommendation form)."""

from django.urls import path

from ..views import repeats as views

urlpatterns = [
    path("repeats/suggest/", views.repeat_suggestions, name="repeat_suggestions"),
]

"""URL routes for interviews."""

from django.urls import path

from ..views import interviews as views

urlpatterns = [
    path("<uuid:public_id>/interviews/", views.interview_list, name="interviews"),
]

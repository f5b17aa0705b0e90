"""URL routes of the planning app (risk factors, coverage rules, the plan proposal)."""

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("risk-factors/", views.risk_factor_list, name="risk_factors"),
    path("coverage-rules/", views.coverage_rule_list, name="coverage_rules"),
    path("coverage-rules/new/", views.coverage_rule_create_view, name="coverage_rule_create"),
    path(
        "coverage-rules/<uuid:public_id>/edit/",
        views.coverage_rule_edit_view,
        name="coverage_rule_edit",
    ),
    path("<int:year>/proposal/", views.proposal_page, name="proposal"),
]

"""Routes of referrals, criminal cases and accountability records (and their imports)."""

from django.urls import URLPattern, URLResolver, include, path

from vigil.core.importing.views import import_urlpatterns

from ..views import accountability, cases, referrals

urlpatterns: list[URLPattern | URLResolver] = [
    path("<uuid:public_id>/refer/", referrals.referral_create_view, name="referral_create"),
    path(
        "refer-interview/<uuid:public_id>/",
        referrals.referral_from_interview_view,
        name="referral_from_interview",
    ),
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("referrals/<uuid:public_id>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<uuid:public_id>/move/", referrals.referral_move_view, name="referral_move"),
    path(
        "referrals/<uuid:public_id>/letter/", referrals.referral_letter_view, name="referral_letter"
    ),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create_view, name="case_create"),
    path(
        "cases/",
        include((import_urlpatterns("criminal_cases"), "case_import"), namespace="case_import"),
    ),
    path("cases/<uuid:public_id>/", cases.case_detail, name="case_detail"),
    path("cases/<uuid:public_id>/edit/", cases.case_edit_view, name="case_edit"),
    path(
        "cases/<uuid:public_id>/victim-protection/",
        cases.case_victim_protection,
        name="case_victim_protection",
    ),
    path("cases/<uuid:public_id>/reclassify/", cases.case_reclassify_view, name="case_reclassify"),
    path("cases/<uuid:public_id>/move/", cases.case_move_view, name="case_move"),
    path("cases/<uuid:public_id>/suspects/", cases.case_suspect_view, name="case_suspect"),
    path("accountability/", accountability.accountability_list, name="accountability_list"),
    path(
        "accountability/new/",
        accountability.accountability_create_view,
        name="accountability_create",
    ),
    path(
        "accountability/",
        include(
            (import_urlpatterns("accountability"), "accountability_import"),
            namespace="accountability_import",
        ),
    ),
    path(
        "accountability/<uuid:public_id>/edit/",
        accountability.accountability_edit_view,
        name="accountability_edit",
    ),
]

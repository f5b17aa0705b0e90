"""URL routes for the visit report and its exports."""

from django.urls import path

from ..views import reports as views

urlpatterns = [
    path("<uuid:public_id>/report/", views.report_detail, name="report"),
    path("<uuid:public_id>/report/start/", views.report_start, name="report_start"),
    path("<uuid:public_id>/report/step/", views.report_step, name="report_step"),
    path("<uuid:public_id>/report/pdf/", views.report_pdf, name="report_pdf"),
    path("<uuid:public_id>/report/docx/", views.report_docx, name="report_docx"),
]

from django.urls import include, path

app_name = "visits"

urlpatterns = [
    path("", include("vigil.visits.routes.visits")),
    path("", include("vigil.visits.routes.checklists")),
    path("", include("vigil.visits.routes.checklist_templates")),
    path("", include("vigil.visits.routes.findings")),
    path("", include("vigil.visits.routes.reports")),
    path("", include("vigil.visits.routes.interviews")),
    path("", include("vigil.visits.routes.attachments")),
]

"""API v1: /api/v1/…"""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from vigil.recommendations import api as recommendations_api
from vigil.reference import api as reference_api
from vigil.registry import api as registry_api
from vigil.visits.api import attachments, checklists, findings, interviews, reports, visits

from .auth import TokenObtainView
from .views import SchemaView

app_name = "api"

router = SimpleRouter()
router.register("regions", reference_api.RegionViewSet, basename="region")
router.register("agencies", reference_api.AgencyViewSet, basename="agency")
router.register(
    "institution-types", reference_api.InstitutionTypeViewSet, basename="institution-type"
)
router.register("institutions", registry_api.InstitutionViewSet, basename="institution")
for feature in (visits, checklists, findings, reports, interviews, attachments):
    feature.register(router)
recommendations_api.register(router)

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token-obtain"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("", include(router.urls)),
]

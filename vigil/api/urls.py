"""API v1: /api/v1/…"""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from vigil.registry import api as registry_api

from .auth import TokenObtainView
from .views import SchemaView

app_name = "api"

router = SimpleRouter()
router.register("regions", registry_api.RegionViewSet, basename="region")
router.register("agencies", registry_api.AgencyViewSet, basename="agency")
router.register(
    "institution-types", registry_api.InstitutionTypeViewSet, basename="institution-type"
)
router.register("institutions", registry_api.InstitutionViewSet, basename="institution")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token-obtain"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("", include(router.urls)),
]

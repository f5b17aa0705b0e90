"""API v1 for visits: `register(router)` adds its viewsets."""

from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> None:
    """Filled by the feature."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top floor: home page, navigation, audit-log pages and the API router, assembled from
    what each domain app contributes (`vigil.core.contributions`)."""

    name = "vigil.site"
    label = "site"

    def ready(self) -> None:
        from .auditlog import contributions

        contributions.register()

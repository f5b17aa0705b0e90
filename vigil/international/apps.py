from django.apps import AppConfig


class InternationalConfig(AppConfig):
    name = "vigil.international"
    label = "international"

    def ready(self) -> None:
        # The UN paragraphs a recommendation is linked to, on the recommendation's page.
        from . import link_contributions

        link_contributions.register()

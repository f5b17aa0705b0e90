from django.apps import AppConfig


class InternationalConfig(AppConfig):
    name = "vigil.international"
    label = "international"

from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "vigil.reference"
    label = "reference"

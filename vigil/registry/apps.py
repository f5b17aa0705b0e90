from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "vigil.registry"
    label = "registry"

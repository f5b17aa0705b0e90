from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vigil.api"
    label = "api"

    def ready(self) -> None:
        from rest_framework import serializers

        from .dates import date_in_range, moment_in_range

        # Every date and date-time input of the API within a sensible range (vigil.api.dates).
        serializers.DateField.default_validators = [date_in_range]  # type: ignore[misc]
        serializers.DateTimeField.default_validators = [moment_in_range]  # type: ignore[misc]

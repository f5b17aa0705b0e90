from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "vigil.recommendations"
    label = "recommendations"

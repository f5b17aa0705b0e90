"""The public open-data pages, without login, mounted at /open-data/ (namespace "opendata")."""

from django.urls import URLPattern, URLResolver, path

from .opendata import views

app_name = "opendata"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("datapackage.json", views.package, name="datapackage"),
    path("<slug:dataset>/<int:year>/", views.dataset_page, name="dataset"),
    path("<slug:dataset>/<int:year>.csv", views.dataset_csv, name="csv"),
    path("<slug:dataset>/<int:year>.json", views.dataset_json, name="json"),
]

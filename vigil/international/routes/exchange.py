"""Import of UN paragraphs (the shared pipeline's pages: import/, import/template.<fmt>,
import/<id>/) and the export of a document in the same format."""

from django.urls import URLPattern, path

from vigil.core.importing.views import import_urlpatterns

from ..exchange import document_export_view
from ..importing.kind import KIND

urlpatterns: list[URLPattern] = [
    *import_urlpatterns(KIND),
    path("documents/<uuid:public_id>/export/", document_export_view, name="document_export"),
]

"""Routes of the historical import: upload, template, preview and confirmation (the shared
import pages of `vigil.core.importing`, for the kind "recommendations")."""

from vigil.core.importing.views import import_urlpatterns

from ..importing import RECOMMENDATIONS

urlpatterns = import_urlpatterns(RECOMMENDATIONS.name)

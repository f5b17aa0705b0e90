"""The upload form of the historical import: the registry import's form (one CSV/XLSX file,
checked against `VIGIL_IMPORT_MAX_BYTES`)."""

from vigil.registry.views_io import ImportUploadForm


class RecommendationImportForm(ImportUploadForm):
    """A file of historical recommendations."""

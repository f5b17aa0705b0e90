from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "vigil.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models import fields

        from . import (
            checks,  # noqa: F401
            collation,  # noqa: F401 (its SortKey registers its SQLite function)
            search,  # noqa: F401 (its Folded registers its SQLite function)
            textfunctions,
        )
        from .encrypted import register_encrypted_field
        from .importing.services import batch_file_associated_data, batch_file_sealed
        from .models import ImportBatch

        textfunctions.connect_signals()
        register_encrypted_field(
            ImportBatch,
            "content",
            associated_data=batch_file_associated_data,
            applies=batch_file_sealed,
        )
        # The empty choice of every form's select: Django's "- Select an option -" has no
        # Kazakh or Russian translation (Django documents replacing it here). Filters get
        # theirs from FILTERS_EMPTY_CHOICE_LABEL.
        fields.BLANK_CHOICE_LABEL = pgettext_lazy("empty choice of a form", "Choose…")

"""Data: copy this app's import batches into core's one ImportBatch table
(kind "recommendations"), every field kept (see vigil/core/importing/merging.py); reversible."""

from django.db import migrations

from vigil.core.importing.merging import batches_to_core


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0004_reference_data_moved"),
        ("core", "0002_importbatch"),
    ]

    operations = [migrations.RunPython(*batches_to_core("recommendations", "recommendations"))]

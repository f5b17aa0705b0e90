"""Institutions point at the reference app; the registry forgets its copies: state only.

The columns and their foreign keys stay as they are (the tables kept their names).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_reference_data_moved"),
        ("people", "0002_reference_data_moved"),
        ("recommendations", "0004_reference_data_moved"),
        ("reference", "0001_initial"),
        ("registry", "0003_importbatch"),
        ("visits", "0003_reference_data_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="institution",
                    name="agency",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="institutions",
                        to="reference.agency",
                        verbose_name="agency",
                    ),
                ),
                migrations.AlterField(
                    model_name="institution",
                    name="type",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="institutions",
                        to="reference.institutiontype",
                        verbose_name="type",
                    ),
                ),
                migrations.AlterField(
                    model_name="institution",
                    name="region",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="institutions",
                        to="reference.region",
                        verbose_name="region",
                    ),
                ),
                migrations.DeleteModel(
                    name="InstitutionType",
                ),
                migrations.DeleteModel(
                    name="Agency",
                ),
                migrations.DeleteModel(
                    name="Region",
                ),
            ],
        ),
    ]

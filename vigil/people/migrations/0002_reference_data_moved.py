"""Point participants' regions and conflicts' agencies at the reference app: state only.

The columns and their foreign keys stay as they are (the tables kept their names).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="conflictdeclaration",
                    name="agency",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conflict_declarations",
                        to="reference.agency",
                        verbose_name="agency",
                    ),
                ),
                migrations.AlterField(
                    model_name="participant",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="participants",
                        to="reference.region",
                        verbose_name="region",
                    ),
                ),
            ],
        ),
    ]

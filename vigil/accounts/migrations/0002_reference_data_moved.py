"""Point the user's scopes at the reference app, where regions and agencies moved: state only.

The columns, the foreign keys and the `accounts_user_regions` table stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="user",
                    name="agency",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Agency liaisons see only this agency and its sub-units.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="liaisons",
                        to="reference.agency",
                        verbose_name="agency",
                    ),
                ),
                migrations.AlterField(
                    model_name="user",
                    name="regions",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Regional representatives see and act only in these regions.",
                        related_name="users",
                        to="reference.region",
                        verbose_name="regions",
                    ),
                ),
            ],
        ),
    ]

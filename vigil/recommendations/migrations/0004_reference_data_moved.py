"""Point addressees and responding bodies at the reference app: state only.

The columns and their foreign keys stay as they are (the tables kept their names).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0003_responses_created_by_blank"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="authorityresponse",
                    name="responding_agency",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reference.agency",
                        verbose_name="responding body",
                    ),
                ),
                migrations.AlterField(
                    model_name="recommendation",
                    name="addressee",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="recommendations",
                        to="reference.agency",
                        verbose_name="addressee",
                    ),
                ),
            ],
        ),
    ]

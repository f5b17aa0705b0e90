"""Point a visit's region at the reference app, where regions moved: state only.

The columns and their foreign keys stay as they are (the tables kept their names).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_initial"),
        ("visits", "0002_checklists_question_is_active"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="visit",
                    name="region",
                    field=models.ForeignKey(
                        help_text="The region of the visited institutions; regional scopes follow it.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="visits",
                        to="reference.region",
                        verbose_name="region",
                    ),
                ),
            ],
        ),
    ]

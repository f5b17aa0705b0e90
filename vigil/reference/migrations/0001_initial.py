"""Regions, agencies and institution types move here from the registry: state only.

Their tables (`registry_region`, `registry_agency`, `registry_institutiontype`) were created
by `registry.0001_initial` and are kept as they are (`db_table`), so no row moves. The other
apps then point their foreign keys here (state only too) and `registry.0004` forgets its
copies.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Agency",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "public_id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                unique=True,
                                verbose_name="public id",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "name_kk",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name (Kazakh)"
                            ),
                        ),
                        (
                            "name_ru",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name (Russian)"
                            ),
                        ),
                        (
                            "name_en",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name (English)"
                            ),
                        ),
                        (
                            "valid_from",
                            models.DateField(blank=True, null=True, verbose_name="valid from"),
                        ),
                        (
                            "valid_to",
                            models.DateField(blank=True, null=True, verbose_name="valid to"),
                        ),
                        ("code", models.CharField(max_length=40, unique=True, verbose_name="code")),
                        (
                            "short_name_kk",
                            models.CharField(
                                blank=True, max_length=60, verbose_name="short name (Kazakh)"
                            ),
                        ),
                        (
                            "short_name_ru",
                            models.CharField(
                                blank=True, max_length=60, verbose_name="short name (Russian)"
                            ),
                        ),
                        (
                            "short_name_en",
                            models.CharField(
                                blank=True, max_length=60, verbose_name="short name (English)"
                            ),
                        ),
                        (
                            "level",
                            models.CharField(
                                choices=[
                                    ("government", "Government"),
                                    ("ministry", "Ministry"),
                                    ("committee", "Committee"),
                                    ("regional_department", "Regional department"),
                                    ("other", "Other body"),
                                ],
                                max_length=24,
                                verbose_name="level",
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="children",
                                to="reference.agency",
                                verbose_name="parent agency",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "agency",
                        "verbose_name_plural": "agencies",
                        "db_table": "registry_agency",
                        "ordering": ("code",),
                    },
                ),
                migrations.CreateModel(
                    name="InstitutionType",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "public_id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                unique=True,
                                verbose_name="public id",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "name_kk",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name (Kazakh)"
                            ),
                        ),
                        (
                            "name_ru",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name (Russian)"
                            ),
                        ),
                        (
                            "name_en",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name (English)"
                            ),
                        ),
                        (
                            "valid_from",
                            models.DateField(blank=True, null=True, verbose_name="valid from"),
                        ),
                        (
                            "valid_to",
                            models.DateField(blank=True, null=True, verbose_name="valid to"),
                        ),
                        ("code", models.CharField(max_length=40, unique=True, verbose_name="code")),
                        (
                            "category",
                            models.CharField(
                                choices=[
                                    ("police", "Police custody"),
                                    ("pre_trial", "Pre-trial detention"),
                                    ("penal", "Penal institution"),
                                    ("medical", "Medical institution"),
                                    ("social", "Social-care institution"),
                                    ("education", "Educational institution"),
                                    ("military", "Military"),
                                    ("migration", "Migration"),
                                ],
                                max_length=20,
                                verbose_name="category",
                            ),
                        ),
                        (
                            "agency",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="institution_types",
                                to="reference.agency",
                                verbose_name="responsible agency",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "institution type",
                        "verbose_name_plural": "institution types",
                        "db_table": "registry_institutiontype",
                        "ordering": ("category", "code"),
                    },
                ),
                migrations.CreateModel(
                    name="Region",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "public_id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                unique=True,
                                verbose_name="public id",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "name_kk",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name (Kazakh)"
                            ),
                        ),
                        (
                            "name_ru",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name (Russian)"
                            ),
                        ),
                        (
                            "name_en",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="name (English)"
                            ),
                        ),
                        (
                            "valid_from",
                            models.DateField(blank=True, null=True, verbose_name="valid from"),
                        ),
                        (
                            "valid_to",
                            models.DateField(blank=True, null=True, verbose_name="valid to"),
                        ),
                        (
                            "code",
                            models.CharField(
                                help_text="ISO 3166-2 code, e.g. KZ-71.",
                                max_length=10,
                                unique=True,
                                verbose_name="code",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("region", "Region"),
                                    ("city", "City of national significance"),
                                ],
                                default="region",
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "predecessor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="successors",
                                to="reference.region",
                                verbose_name="split from",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "region",
                        "verbose_name_plural": "regions",
                        "db_table": "registry_region",
                        "ordering": ("code",),
                    },
                ),
                migrations.AddField(
                    model_name="agency",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agencies",
                        to="reference.region",
                        verbose_name="region",
                    ),
                ),
            ],
        ),
    ]

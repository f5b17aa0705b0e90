"""What happened in an incident is encrypted like an interview's content.

The circumstances of a reprisal or a death in custody can identify the person, so the summary
leaves the clear column for an AES-256-GCM ciphertext bound to the incident (the field key
ring, `FIELD_ENCRYPTION_KEYS`: the migration needs the keys, as the content does). Reversible:
going back decrypts the summaries into the clear column again.
"""

from django.db import migrations, models

from vigil.core.crypto import keyring


def _associated_data(incident) -> bytes:  # vigil.appeals.services.incidents, frozen here
    return f"appeals.incident.summary:{incident.public_id}".encode()


def encrypt(apps, schema_editor):
    Incident = apps.get_model("appeals", "Incident")
    ring = keyring()
    for incident in Incident.objects.exclude(summary="").iterator():
        summary = incident.summary.strip()
        if summary:
            incident.summary_ciphertext = ring.encrypt(
                summary.encode("utf-8"), _associated_data(incident)
            )
            incident.save(update_fields=["summary_ciphertext"])


def decrypt(apps, schema_editor):
    Incident = apps.get_model("appeals", "Incident")
    ring = keyring()
    for incident in Incident.objects.exclude(summary_ciphertext=b"").iterator():
        blob = bytes(incident.summary_ciphertext)
        incident.summary = ring.decrypt(blob, _associated_data(incident)).decode("utf-8")
        incident.save(update_fields=["summary"])


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_follow_up_note_encrypted")]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="summary_ciphertext",
            field=models.BinaryField(blank=True, default=b"", editable=False),
        ),
        migrations.RunPython(encrypt, decrypt),
        # Blank before it goes, so that going back re-adds the column empty for the
        # decryption to fill.
        migrations.AlterField(
            model_name="incident",
            name="summary",
            field=models.TextField(blank=True, verbose_name="what happened"),
        ),
        migrations.RemoveField(model_name="incident", name="summary"),
    ]

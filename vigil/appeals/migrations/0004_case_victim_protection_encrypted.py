"""A criminal case's victim protection measures are encrypted like an interview's content.

A relocation or a protection order can identify the victim, so the measures leave the clear
column for an AES-256-GCM ciphertext bound to the case (the field key ring,
`FIELD_ENCRYPTION_KEYS`). Reversible: going back decrypts them into the clear column again.
"""

from django.db import migrations, models

from vigil.core.crypto import keyring


def _associated_data(case) -> bytes:  # vigil.appeals.services.victim_protection, frozen here
    return f"appeals.criminalcase.victim_protection:{case.public_id}".encode()


def encrypt(apps, schema_editor):
    CriminalCase = apps.get_model("appeals", "CriminalCase")
    ring = keyring()
    for case in CriminalCase.objects.exclude(victim_protection="").iterator():
        measures = case.victim_protection.strip()
        if measures:
            case.victim_protection_ciphertext = ring.encrypt(
                measures.encode("utf-8"), _associated_data(case)
            )
            case.save(update_fields=["victim_protection_ciphertext"])


def decrypt(apps, schema_editor):
    CriminalCase = apps.get_model("appeals", "CriminalCase")
    ring = keyring()
    for case in CriminalCase.objects.exclude(victim_protection_ciphertext=b"").iterator():
        blob = bytes(case.victim_protection_ciphertext)
        case.victim_protection = ring.decrypt(blob, _associated_data(case)).decode("utf-8")
        case.save(update_fields=["victim_protection"])


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_incident_summary_encrypted")]

    operations = [
        migrations.AddField(
            model_name="criminalcase",
            name="victim_protection_ciphertext",
            field=models.BinaryField(blank=True, default=b"", editable=False),
        ),
        migrations.RunPython(encrypt, decrypt),
        migrations.RemoveField(model_name="criminalcase", name="victim_protection"),
    ]

""""Who else was present" at an interview is encrypted like the content.

The names of those present can identify the interviewee, so they leave the clear column for
an AES-256-GCM ciphertext bound to the interview (the field key ring, `FIELD_ENCRYPTION_KEYS`:
the migration needs the keys, as the content does). Reversible: going back decrypts them
into the clear column again.
"""

from django.db import migrations, models

from vigil.core.crypto import keyring


def _associated_data(interview) -> bytes:  # vigil.visits.services.interviews, frozen here
    return f"visits.interview.present:{interview.public_id}".encode()


def encrypt(apps, schema_editor):
    Interview = apps.get_model("visits", "Interview")
    ring = keyring()
    for interview in Interview.objects.exclude(present_persons=""):
        interview.present_ciphertext = ring.encrypt(
            interview.present_persons.encode("utf-8"), _associated_data(interview)
        )
        interview.save(update_fields=["present_ciphertext"])


def decrypt(apps, schema_editor):
    Interview = apps.get_model("visits", "Interview")
    ring = keyring()
    for interview in Interview.objects.exclude(present_ciphertext=b""):
        blob = bytes(interview.present_ciphertext)
        interview.present_persons = ring.decrypt(blob, _associated_data(interview)).decode()
        interview.save(update_fields=["present_persons"])


class Migration(migrations.Migration):
    dependencies = [("visits", "0007_visit_references_random")]

    operations = [
        migrations.AddField(
            model_name="interview",
            name="present_ciphertext",
            field=models.BinaryField(blank=True, default=b"", editable=False),
        ),
        migrations.RunPython(encrypt, decrypt),
        migrations.RemoveField(model_name="interview", name="present_persons"),
    ]

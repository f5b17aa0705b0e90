"""What came of a follow-up contact with a person at risk of reprisals is encrypted like an
interview's content.

The note can identify the person (where they were moved, what they said), so it leaves the
clear column for an AES-256-GCM ciphertext bound to the contact (the field key ring,
`FIELD_ENCRYPTION_KEYS`: the migration needs the keys, as the content does). Reversible:
going back decrypts the notes into the clear column again.
"""

from django.db import migrations, models

from vigil.core.crypto import keyring


def _associated_data(contact) -> bytes:  # vigil.appeals.services.follow_ups, frozen here
    return f"appeals.followupcontact.note:{contact.public_id}".encode()


def encrypt(apps, schema_editor):
    FollowUpContact = apps.get_model("appeals", "FollowUpContact")
    ring = keyring()
    for contact in FollowUpContact.objects.exclude(note="").iterator():
        note = contact.note.strip()
        if note:
            contact.note_ciphertext = ring.encrypt(note.encode("utf-8"), _associated_data(contact))
            contact.save(update_fields=["note_ciphertext"])


def decrypt(apps, schema_editor):
    FollowUpContact = apps.get_model("appeals", "FollowUpContact")
    ring = keyring()
    for contact in FollowUpContact.objects.exclude(note_ciphertext=b"").iterator():
        blob = bytes(contact.note_ciphertext)
        contact.note = ring.decrypt(blob, _associated_data(contact)).decode("utf-8")
        contact.save(update_fields=["note"])


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="followupcontact",
            name="note_ciphertext",
            field=models.BinaryField(blank=True, default=b"", editable=False),
        ),
        migrations.RunPython(encrypt, decrypt),
        migrations.RemoveField(model_name="followupcontact", name="note"),
    ]

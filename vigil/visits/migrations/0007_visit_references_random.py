"""Visits that have not started (embargoed) get a random reference instead of their number in the year.

Their references were "2026-0042"-style counts; a liaison who later saw two of them could
count the visits planned in between. Visits that started keep theirs: they are printed in
reports and letters, and were already seen. One-way: the old numbers are not kept (keeping
them would keep the count), so reversing leaves the random references in place.
"""

import secrets

from django.db import migrations
from django.db.models import Q

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # vigil.visits.references, frozen here
NOT_STARTED = ("draft", "planned", "prepared", "postponed")


def renumber(apps, schema_editor):
    Visit = apps.get_model("visits", "Visit")
    taken = set(Visit.objects.values_list("reference", flat=True))
    embargoed = Q(state__in=NOT_STARTED) | Q(started_at__isnull=True)
    for visit in Visit.objects.filter(embargoed).select_related("plan"):
        year = visit.plan.year
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(6))
            reference = f"{year}-{code}"
            if reference not in taken:
                break
        taken.add(reference)
        visit.reference = reference
        visit.save(update_fields=["reference"])


class Migration(migrations.Migration):
    dependencies = [("visits", "0006_attachment_custody")]

    operations = [migrations.RunPython(renumber, migrations.RunPython.noop)]

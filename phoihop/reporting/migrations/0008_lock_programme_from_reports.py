"""Existing entry locks made by approving a report take the report's programme (ADR 0022).

A lock a report's approval made is in that report's ``locks``; the report's period names the
programme. A lock with no report (made by hand), or one whose reports were of more than one
programme, stays without a programme: it goes on holding for every programme, as it did.
Its history rows are left as they were."""

from collections import defaultdict

from django.db import migrations


def fill(apps, schema_editor):
    Report = apps.get_model("reporting", "Report")
    EntryLock = apps.get_model("entry", "EntryLock")
    through = Report.locks.through
    programmes = defaultdict(set)
    rows = through.objects.filter(entrylock__programme__isnull=True).values_list(
        "entrylock_id", "report__period__programme_id"
    )
    for lock_id, programme_id in rows.iterator(chunk_size=2000):
        programmes[lock_id].add(programme_id)
    by_programme = defaultdict(list)
    for lock_id, found in programmes.items():
        if len(found) == 1:
            by_programme[next(iter(found))].append(lock_id)
    for programme_id, lock_ids in by_programme.items():
        for i in range(0, len(lock_ids), 500):
            EntryLock.objects.filter(pk__in=lock_ids[i : i + 500]).update(programme_id=programme_id)


class Migration(migrations.Migration):
    dependencies = [
        ("entry", "0004_lock_programme"),
        ("reporting", "0007_signatories"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

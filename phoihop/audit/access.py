"""The access log of personal data (docs/adr/0011-personal-data.md): every download of a file
that names people (a commendation decision and its list, a conference's invitation and notice,
a nominee's dossier file) writes one row of the action log, ``personal_data.export``: who,
when, which record, in which format, and how many people the file names.

A view or API action that sends such a file calls ``log_people_export`` just before answering.
The rows are read on a person's "Dữ liệu cá nhân" page (``exports_naming``) and in the admin.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from phoihop.audit.actions import record
from phoihop.audit.models import ActionLog, ExportedPerson

EXPORT = "personal_data.export"


def log_people_export(
    *,
    actor: Any,
    target: Model,
    people: list[int],
    what: str,
    file_format: str,
    unit: Any = None,
) -> ActionLog:
    """One row for one download: ``people`` are the ids of the persons the file names."""
    ids = sorted({pk for pk in people if pk is not None})
    log: ActionLog = record(
        EXPORT,
        actor=actor,
        target=target,
        unit=unit,
        count=len(ids),
        details={"subject": what, "format": file_format},
    )
    ExportedPerson.objects.bulk_create([ExportedPerson(log=log, person_id=pk) for pk in ids])
    return log


def exports_naming(person_id: int) -> QuerySet[ActionLog]:
    """The downloads whose files named the person, newest first."""
    return ActionLog.objects.filter(action=EXPORT, people__person_id=person_id).order_by("-at", "-pk")

"""Scoping-matrix specs of imports (issue 15, item 4; see tests/matrix_ext/__init__.py).

Each side's unit administrator has checked a file (a clean dry run of units, made here as done:
the matrix tests who may see and act on a run, not the importer); a run is its sender's alone,
and the system administrator's. Importing, templates and exports are for unit administrators and
system administrators: anyone else gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from phoihop.imports.models import ImportRun, ImportStatus
from phoihop.jobs.kinds import IMPORT_EXPORT
from phoihop.jobs.models import Job

SENDER = {"hn": "hanoi.admin", "cm": "camau.admin"}
FILENAME = {"hn": "ma-tran-ha-noi.csv", "cm": "ma-tran-ca-mau.csv"}
# Only the sender (hanoi.admin) and the system administrator see a Hà Nội run.
RUN_READERS = {"hanoi.ccb": 404, "tuhoi": 404, "admin": 200, "hanoi.admin": 200}
SIDE_USERS = {"hn": ("hanoi.ccb", "tuhoi", "admin", "hanoi.admin"), "cm": ("camau.ccb", "camau.admin")}


def extend(w: Any, m: Any) -> None:
    runs = {}
    for side in (m.HN, m.CM):
        run = ImportRun(
            kind="units",
            filename=FILENAME[side],
            dry_run=True,
            status=ImportStatus.DONE,
            progress=100,
            total_rows=1,
            created=1,
            created_by=w.users[SENDER[side]],
        )
        run.file.save("upload", ContentFile(b"code,name,level,parent\nMT-X,Chi hoi,branch,X\n"), save=False)
        run.save()
        runs[side] = run
    w.extra["imports.run"] = runs
    w.camau_marks.append(FILENAME[m.CM])


def _pk(w: Any, side: str) -> dict[str, Any]:
    return {"pk": w.extra["imports.run"][side].pk}


def _confirmed(w: Any, side: str) -> int:
    return (
        ImportRun.objects.unrestricted("the matrix counts the runs").filter(source=w.extra["imports.run"][side]).count()
    )


def _exports(w: Any, side: str) -> int:
    return (
        Job.objects.unrestricted("the matrix counts the jobs")
        .filter(kind=IMPORT_EXPORT, created_by__username__in=SIDE_USERS[side])
        .count()
    )


def _nothing(w: Any, side: str) -> dict[str, Any]:
    return {}


def _units(w: Any, side: str) -> dict[str, Any]:
    return {"kind": "units"}  # the template's kind (in the path)


def routes(m: Any) -> dict[str, Any]:
    Route, OBJECT, OPEN, LIST, CREATE = m.Route, m.OBJECT, m.OPEN, m.LIST, m.CREATE
    confirm: dict[str, Any] = {
        "method": "post",
        "payload": _nothing,
        "state": _confirmed,
        "denied": {"hanoi.ccb": 404, "tuhoi": 404},
    }
    export: dict[str, Any] = {
        "method": "post",
        "payload": _units,
        "state": _exports,
        "denied": {"hanoi.ccb": 403, "tuhoi": 403},
    }
    return {
        "imports:home": Route(OPEN, readers=m.MANAGERS),
        "imports:run": Route(OBJECT, kwargs=_pk, readers=RUN_READERS, shows=lambda w, s: FILENAME[s]),
        "imports:run-confirm": Route(
            OBJECT, kwargs=_pk, get=False, writers={"admin": 302, "hanoi.admin": 302}, **confirm
        ),
        "imports:template": Route(OPEN, kwargs=_units, readers=m.MANAGERS),
        "imports:export": Route(
            CREATE,
            get=False,
            writers={"admin": 302, "hanoi.admin": 302},
            # A Cà Mau unit administrator exports their own data (a job of their own): nothing of Hà Nội.
            refused={"approver": 403, "unit_admin": 302},
            **export,
        ),
        "api:import-list": Route(LIST, viewer="hanoi.admin", shows=lambda w, s: FILENAME[s]),
        "api:import-detail": Route(OBJECT, kwargs=_pk, readers=RUN_READERS, shows=lambda w, s: FILENAME[s]),
        "api:import-confirm": Route(
            OBJECT, kwargs=_pk, get=False, writers={"admin": 202, "hanoi.admin": 202}, **confirm
        ),
        "api:import-template": Route(OPEN, kwargs=_units, readers=m.MANAGERS),
        "api:import-kinds": Route(OPEN, readers=m.MANAGERS),
        "api:import-export": Route(
            CREATE,
            get=False,
            writers={"admin": 202, "hanoi.admin": 202},
            refused={"approver": 403, "unit_admin": 202},
            **export,
        ),
    }


def probes(m: Any) -> list[Any]:
    return []

"""Scoping-matrix specs for background jobs (see tests/matrix_ext/__init__.py).

Each side's approver has exported the activity list (filtered to the matrix's own activities,
so the file stays small); a job is its creator's alone, and the system administrator's.
"""

from __future__ import annotations

from typing import Any

from phoihop.jobs import kinds, services, tasks
from phoihop.jobs.models import Job

CREATOR = {"hn": "hanoi.ccb", "cm": "camau.ccb"}
# Only the creator (hanoi.ccb) and the system administrator see a Hà Nội job.
READERS = {"hanoi.ccb": 200, "tuhoi": 404, "admin": 200, "hanoi.admin": 404}


def extend(w: Any, m: Any) -> None:
    jobs = {}
    for side in (m.HN, m.CM):
        job = services.job_start(
            kind=kinds.ACTIVITY_EXPORT,
            parameters={"query": [["q", ["thu ma tran"]]]},
            acting_user=w.users[CREATOR[side]],
        )
        tasks.run(job.pk)  # the world's transaction never commits: run it here
        jobs[side] = Job.objects.get(pk=job.pk)
    w.extra["jobs.job"] = jobs


def _pk(w: Any, side: str) -> dict[str, Any]:
    return {"pk": w.extra["jobs.job"][side].pk}


def routes(m: Any) -> dict[str, Any]:
    Route, OBJECT, OPEN = m.Route, m.OBJECT, m.OPEN
    return {
        "jobs:list": Route(OPEN),
        "jobs:job": Route(OBJECT, kwargs=_pk, readers=READERS, shows=lambda w, s: "Danh sách hoạt động phối hợp"),
        "jobs:download": Route(OBJECT, kwargs=_pk, readers=READERS),
        "api:job-list": Route(OPEN),
        "api:job-detail": Route(OBJECT, kwargs=_pk, readers=READERS, shows=lambda w, s: "activities.export"),
        "api:job-download": Route(OBJECT, kwargs=_pk, readers=READERS),
    }


def probes(m: Any) -> list[Any]:
    return []

"""The national activity export as admin: before (ORM objects, workbook in memory, in the web
request) and after (a job: ``values_list`` rows, xlsxwriter ``constant_memory`` to a file).

    PHOIHOP_VAR_DIR=/work/var-x python bench/export.py [--runs 3] [--before-commit 02bff54]

Runs against the demo database of ``PHOIHOP_VAR_DIR`` (``make demo``: 5,461 activities). Each
way runs in its own process, so that its peak resident memory (``ru_maxrss``) is its own; the
Python heap's peak is measured with tracemalloc in a separate run (tracemalloc slows Python
down, so the times come from the runs without it). "Before" is the code of ``--before-commit``
(the view's prefetch and ``rows_from_activities`` + ``build_activities_xlsx`` of that commit's
``phoihop/activities/exports.py``). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import types
from pathlib import Path
from typing import Any

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def _before(commit: str) -> tuple[int, int]:
    """The export as the web view built it at ``commit``: model objects, bytes in memory."""
    from django.contrib.auth import get_user_model
    from django.db.models import Prefetch

    from phoihop.activities.models import Activity
    from phoihop.entry.models import IndicatorValue
    from phoihop.orgunits.models import OrgUnit

    source = subprocess.run(
        ["git", "show", f"{commit}:phoihop/activities/exports.py"],
        cwd=ROOT_DIR,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    old = types.ModuleType("phoihop.activities.exports_before")
    sys.modules[old.__name__] = old  # dataclasses look their module up
    # Our own code, of a past commit.
    exec(compile(source, "exports_before.py", "exec"), old.__dict__)
    user = get_user_model().objects.get(username="admin")
    qs = (
        Activity.objects.restrict(user, "view")
        .select_related("phase", "phase__programme", "lead_unit", "area")
        .prefetch_related(
            Prefetch("partners", queryset=OrgUnit.objects.only("pk", "code", "name", "short_name", "path")),
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.select_related("indicator", "indicator__field").order_by(
                    "indicator__field__order", "indicator__order", "indicator__code"
                ),
            ),
        )
    )
    rows, columns = old.rows_from_activities(qs.iterator(chunk_size=2000))
    content = old.build_activities_xlsx(rows=rows, indicators=columns, title="Hoạt động phối hợp")
    return len(rows), len(content)


def _after(folder: Path) -> Path:
    from django.contrib.auth import get_user_model

    from phoihop.jobs.kinds import build_activity_export

    user = get_user_model().objects.get(username="admin")
    dest = folder / "out.xlsx"
    build_activity_export(types.SimpleNamespace(parameters={}), user, lambda p: None, dest)
    return dest


def _one(mode: str, commit: str, trace: bool) -> dict[str, Any]:
    _setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with tempfile.TemporaryDirectory() as tmp:
        if trace:
            tracemalloc.start()
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            if mode == "before":
                rows, size = _before(commit)
            else:
                dest = _after(Path(tmp))
        elapsed = time.perf_counter() - began
        heap_peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
        if mode == "after":  # checked after the measure: the workbook's rows, read back
            import openpyxl

            size = dest.stat().st_size
            rows = openpyxl.load_workbook(dest, read_only=True).worksheets[0].max_row - 1
    result: dict[str, Any] = {"mode": mode, "rows": rows, "bytes": size, "seconds": round(elapsed, 2)}
    result["queries"] = len(queries)
    if trace:
        result["heap_peak_mb"] = round(heap_peak / 2**20, 1)
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def _child(mode: str, commit: str, trace: bool) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", mode, "--before-commit", commit] + (["--trace"] if trace else [])
    out = subprocess.run(args, cwd=ROOT_DIR, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before-commit", default="02bff54")
    parser.add_argument("--child", choices=["before", "after"])
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_one(args.child, args.before_commit, args.trace)))
        return
    summary: dict[str, Any] = {"load_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}
    for mode in ("before", "after"):
        runs = [_child(mode, args.before_commit, False) for _ in range(args.runs)]
        traced = _child(mode, args.before_commit, True)
        summary[mode] = {
            "rows": runs[0]["rows"],
            "queries": runs[0]["queries"],
            "seconds_median": statistics.median(r["seconds"] for r in runs),
            "max_rss_mb_median": statistics.median(r["max_rss_mb"] for r in runs),
            "heap_peak_mb": traced["heap_peak_mb"],
        }
        print(mode, runs, traced, flush=True)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

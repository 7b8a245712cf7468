"""Scoping-matrix specs of the reporting cycle's API: periods, report requests and completeness,
reports (open, save, submit, approve, return, reopen, documents, signed scans) and document jobs
(see tests/matrix_ext/__init__.py).

The objects are made through the services, on each side, in the province programmes the matrix
makes: three thematic periods of October–November 2025 (A: a draft report of the side's commune
association and a report request for it; B: a submitted report with a signed scan and two
document jobs; C: an approved report), and a one-year phase of 2031 to generate periods in.
Their dates keep clear of what the other route modules make, so the locks of the approved report
(and of an approval made by a matrix test) never block another module's writes; they have ended,
as a lock needs.

Who writes what:
* periods: the programme's managers (unit administrators of a party's representative unit:
  hanoi.admin for the Hà Nội programme; the system administrator), not approvers (403);
* report requests: managers of the programme and approvers above the units (all four);
* reports: reporters and approvers of the unit's subtree open, save and submit; approvers above
  approve, return and reopen; a unit administrator reads only (403 on writes);
* document jobs: every reader of the report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnitLevel
from phoihop.programmes.models import Phase
from phoihop.reporting import services, tasks
from phoihop.reporting.models import DocumentJob, JobStatus, Report, ReportingPeriod, ReportRequest, ReportType
from tests.support.signing import named_signers, sign

NAMES = {"hn": "Hà Nội", "cm": "Cà Mau"}
WRITER_OF = {"hn": "hanoi.ccb", "cm": "camau.ccb"}
# Periods that have ended (a lock, which approving C makes, needs its period ended), in October
# and November 2025, where no other route module writes.
PERIODS = {
    "a": (date(2025, 10, 1), date(2025, 10, 14)),
    "b": (date(2025, 10, 15), date(2025, 10, 31)),
    "c": (date(2025, 11, 1), date(2025, 11, 14)),
}
NEW_PERIOD = "Kỳ mới thử ma trận API báo cáo"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Periods are the programme's managers' to change; approvers see them (403).
MANAGED: dict[str, Any] = {
    "writers": {"admin": 200, "hanoi.admin": 200},
    "denied": {"hanoi.ccb": 403, "tuhoi": 403},
}
MANAGED_NEW: dict[str, Any] = {
    "writers": {"admin": 201, "hanoi.admin": 201},
    "denied": {"hanoi.ccb": 403, "tuhoi": 403},
    # The other province's programme and phase are "not found" (400), like ids that do not exist.
    "refused": {"approver": 400, "unit_admin": 400},
}
# A report's writers and approvers; a unit administrator reads it only.
REPORT_WRITES: dict[str, Any] = {
    "writers": {"hanoi.ccb": 200, "tuhoi": 200, "admin": 200},
    "denied": {"hanoi.admin": 403},
}


def period_name(key: str, side: str) -> str:
    return f"Kỳ thử API {key.upper()} {NAMES[side]}"


def report_intro(side: str) -> str:
    return f"Báo cáo thử API {NAMES[side]}"


ROUTE_PREFIXES = ("api:reporting-period-", "api:report-", "api:document-job-")


def extend(w: Any, m: Any) -> None:
    """Made only for the tests of these routes, or on first use (see ``LazyExtra``)."""
    w.extra.later("rapi_", lambda: _build(w, m), routes=ROUTE_PREFIXES)
    w.camau_marks.extend([*(period_name(key, m.CM) for key in PERIODS), report_intro(m.CM)])


def _build(w: Any, m: Any) -> None:
    admin = w.users["admin"]
    objects: dict[str, dict[str, Any]] = {
        name: {}
        for name in (
            "rapi_period",
            "rapi_phase",
            "rapi_request",
            "rapi_draft",
            "rapi_sent",
            "rapi_approved",
            "rapi_job",
            "rapi_job_done",
        )
    }
    for side in (m.HN, m.CM):
        writer = w.users[WRITER_OF[side]]
        unit, programme, phase = w.unit[side], w.programme[side], w.phase[side]
        periods = {
            key: services.period_save(
                programme=programme,
                data={
                    "phase": phase,
                    "kind": PeriodKind.OTHER,
                    "report_type": ReportType.THEMATIC,
                    "name": period_name(key, side),
                    "start": start,
                    "end": end,
                },
                acting_user=admin,
            )
            for key, (start, end) in PERIODS.items()
        }
        objects["rapi_period"][side] = periods["a"]
        # A phase of its own (test set-up) to generate the default periods in.
        objects["rapi_phase"][side] = Phase.objects.create(
            programme=programme, code="thu-2031", name="2031 (thử API)", start=date(2031, 1, 1), end=date(2031, 12, 31)
        )
        services.requests_create(
            period=periods["a"],
            levels=OrgUnitLevel.objects.filter(code=unit.level.code),
            under=unit,
            acting_user=admin,
        )
        objects["rapi_request"][side] = ReportRequest.objects.get(period=periods["a"], unit=unit)

        draft = services.report_open(period=periods["a"], unit=unit, acting_user=writer)
        objects["rapi_draft"][side] = services.report_save(
            report=draft,
            data={"narrative": {"intro": report_intro(side)}, "signers": named_signers(draft)},
            expected_version=1,
            acting_user=writer,
        )
        sent = services.report_open(period=periods["b"], unit=unit, acting_user=writer)
        sent = services.report_submit(report=sign(sent, writer), acting_user=writer)
        scan = SimpleUploadedFile("ban-ky.pdf", PDF_BYTES, content_type="application/pdf")
        objects["rapi_sent"][side] = services.signed_scan_upload(report=sent, upload=scan, acting_user=writer)
        approved = services.report_open(period=periods["c"], unit=unit, acting_user=writer)
        approved = services.report_submit(report=sign(approved, writer), acting_user=writer)
        objects["rapi_approved"][side] = services.report_approve(report=approved, acting_user=writer)

        # Jobs: inside the test's transaction nothing is committed, so a started job stays pending;
        # the finished one is made finished here (test set-up) with a small file.
        objects["rapi_job"][side] = tasks.job_start(report=sent, fmt="xlsx", acting_user=writer)
        done = tasks.job_start(report=sent, fmt="docx", acting_user=writer)
        done.file.save("document", ContentFile(b"PK\x03\x04 thu"), save=False)
        DocumentJob.objects.filter(pk=done.pk).update(
            file=done.file.name, filename="bao-cao-thu.docx", status=JobStatus.DONE, progress=100
        )
        objects["rapi_job_done"][side] = done
    w.extra.update(objects)


# --- how the routes are reached -----------------------------------------------------------------


def _pk(name: str) -> Any:
    return lambda w, s: {"pk": w.extra[name][s].pk}


def _unit_code(w: Any, s: str) -> str:
    return str(w.unit[s].code)


def _period_query(w: Any, s: str) -> dict[str, str]:
    return {"period": str(w.extra["rapi_period"][s].pk)}


# --- payloads -------------------------------------------------------------------------------------


def new_period(w: Any, s: str) -> dict[str, Any]:
    return {
        "programme": w.programme[s].code,
        "phase": w.phase[s].pk,
        "kind": "khac",
        "report_type": "ad_hoc",
        "name": NEW_PERIOD,
        "start": "2030-05-01",
        "end": "2030-05-31",
    }


def new_requests(w: Any, s: str) -> dict[str, Any]:
    return {
        "period": w.extra["rapi_period"][s].pk,
        "levels": [w.unit[s].level.code],
        "under": w.province[s].code,
    }


def report_save_payload(w: Any, s: str) -> dict[str, Any]:
    report = Report.objects.get(pk=w.extra["rapi_draft"][s].pk)
    return {"version": report.version, "narrative": {"strengths": "Ưu điểm thử ma trận."}}


# --- states: everything a refused write must leave as it was --------------------------------------


def period_state(w: Any, s: str) -> Any:
    period = ReportingPeriod.objects.get(pk=w.extra["rapi_period"][s].pk)
    return (period.name, period.start, period.end, period.due_date, period.history.count())


def new_period_state(w: Any, s: str) -> Any:
    return ReportingPeriod.objects.filter(name=NEW_PERIOD).count()


def generated_state(w: Any, s: str) -> Any:
    return ReportingPeriod.objects.filter(phase=w.extra["rapi_phase"][s]).count()


def requests_state(w: Any, s: str) -> Any:
    return ReportRequest.objects.filter(period=w.extra["rapi_period"][s]).count()


def request_state(w: Any, s: str) -> Any:
    return ReportRequest.objects.filter(pk=w.extra["rapi_request"][s].pk).exists()


def reports_state(w: Any, s: str) -> Any:
    return Report.objects.filter(period=w.extra["rapi_period"][s]).count()


def report_state(name: str) -> Any:
    def state(w: Any, s: str) -> Any:
        report = Report.objects.get(pk=w.extra[name][s].pk)
        return (
            report.status,
            report.version,
            report.narrative,
            report.approvals,
            report.return_reason,
            report.history.count(),
        )

    return state


def jobs_state(w: Any, s: str) -> Any:
    return DocumentJob.objects.filter(report=w.extra["rapi_sent"][s]).count()


def routes(m: Any) -> dict[str, Any]:
    Route, LIST, OBJECT, CREATE = m.Route, m.LIST, m.OBJECT, m.CREATE
    return {
        # --- periods ---------------------------------------------------------------------------
        "api:reporting-period-list": Route(
            LIST,
            query=lambda w, s: {"programme": w.programme[s].code},
            shows=lambda w, s: period_name("a", s),
            method="post",
            payload=new_period,
            state=new_period_state,
            **MANAGED_NEW,
        ),
        "api:reporting-period-detail": Route(
            OBJECT,
            kwargs=_pk("rapi_period"),
            shows=lambda w, s: period_name("a", s),
            method="patch",
            payload=lambda w, s: {"name": f"{period_name('a', s)} (đã sửa)", "due_date": "2030-03-01"},
            state=period_state,
            **MANAGED,
        ),
        # A period's official letters (a preview): for the units one asks for reports (see the pages').
        "api:reporting-period-letter": Route(
            OBJECT,
            kwargs=lambda w, s: {"pk": w.extra["rapi_period"][s].pk, "kind": "request", "fmt": "docx"},
            readers={"hanoi.ccb": 200, "tuhoi": 404, "admin": 200, "hanoi.admin": 200},
        ),
        "api:reporting-period-generate": Route(
            CREATE,
            get=False,
            method="post",
            payload=lambda w, s: {"phase": w.extra["rapi_phase"][s].pk},
            state=generated_state,
            **MANAGED_NEW,
        ),
        # --- requests --------------------------------------------------------------------------
        # Managers of the programme (hanoi.admin) ask any unit; approvers ask the units below them.
        "api:report-request-list": Route(
            LIST,
            query=_period_query,
            shows=_unit_code,
            method="post",
            payload=new_requests,
            state=requests_state,
            writers={"hanoi.ccb": 201, "tuhoi": 201, "admin": 201, "hanoi.admin": 201},
            refused={"approver": 400, "unit_admin": 400},
        ),
        "api:report-request-detail": Route(
            OBJECT,
            kwargs=_pk("rapi_request"),
            shows=_unit_code,
            method="delete",
            payload=lambda w, s: {},
            state=request_state,
            writers={"hanoi.ccb": 204, "tuhoi": 204, "admin": 204, "hanoi.admin": 204},
        ),
        # The period in the query: another province's is "not found", like an id that does not exist.
        "api:report-request-completeness": Route(OBJECT, query=_period_query, shows=_unit_code),
        # --- reports ---------------------------------------------------------------------------
        "api:report-list": Route(
            LIST,
            query=_period_query,
            shows=_unit_code,
            method="post",
            payload=lambda w, s: {"period": w.extra["rapi_period"][s].pk, "unit": w.province[s].code},
            state=reports_state,
            writers={"hanoi.ccb": 201, "tuhoi": 201, "admin": 201},
            denied={"hanoi.admin": 403},
            refused={"approver": 400, "unit_admin": 400},
        ),
        "api:report-detail": Route(
            OBJECT,
            kwargs=_pk("rapi_draft"),
            shows=lambda w, s: report_intro(s),
            method="patch",
            payload=report_save_payload,
            state=report_state("rapi_draft"),
            **REPORT_WRITES,
        ),
        "api:report-submit": Route(
            OBJECT,
            kwargs=_pk("rapi_draft"),
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=report_state("rapi_draft"),
            **REPORT_WRITES,
        ),
        # Approving, returning and reopening come from above the unit: Hà Nội's and the centre's approvers.
        "api:report-approve": Route(
            OBJECT,
            kwargs=_pk("rapi_sent"),
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=report_state("rapi_sent"),
            **REPORT_WRITES,
        ),
        "api:report-return": Route(
            OBJECT,
            kwargs=_pk("rapi_sent"),
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Cần bổ sung số liệu."},
            state=report_state("rapi_sent"),
            **REPORT_WRITES,
        ),
        "api:report-reopen": Route(
            OBJECT,
            kwargs=_pk("rapi_approved"),
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Mở lại để sửa số liệu."},
            state=report_state("rapi_approved"),
            **REPORT_WRITES,
        ),
        # Files: no text to look for in them; the status says who gets them.
        "api:report-document": Route(OBJECT, kwargs=_pk("rapi_sent"), query=lambda w, s: {"file_format": "xlsx"}),
        "api:report-signed-scan": Route(OBJECT, kwargs=_pk("rapi_sent")),
        # Every reader of a report may have its document built in the background.
        "api:report-jobs": Route(
            OBJECT,
            kwargs=_pk("rapi_sent"),
            shows=_unit_code,
            method="post",
            payload=lambda w, s: {"format": "xlsx"},
            state=jobs_state,
            writers={"hanoi.ccb": 202, "tuhoi": 202, "admin": 202, "hanoi.admin": 202},
        ),
        "api:document-job-detail": Route(OBJECT, kwargs=_pk("rapi_job"), shows=_unit_code),
        "api:document-job-download": Route(OBJECT, kwargs=_pk("rapi_job_done")),
        # The register of outgoing documents: the sent reports' numbers, read only.
        "api:register-list": Route(LIST, query=lambda w, s: {"unit": w.unit[s].code}, shows=_unit_code),
    }


def probes(m: Any) -> list[Any]:
    Probe = m.Probe
    return [
        Probe("api:reporting-period-list", lambda w: {"programme": w.programme[m.CM].code}),
        Probe("api:reporting-period-list", lambda w: {"programme": w.programme[m.CM].code, "kind": "khac"}),
        Probe("api:report-request-list", lambda w: {"unit": "CCB-CAMAU"}),
        Probe("api:report-request-list", lambda w: {"programme": w.programme[m.CM].code}),
        Probe("api:report-list", lambda w: {"unit": "CCB-CAMAU"}),
        Probe("api:report-list", lambda w: {"programme": w.programme[m.CM].code, "status": "approved"}),
        Probe("api:register-list", lambda w: {"unit": "CCB-CAMAU"}),
        Probe("api:register-list", lambda w: {"unit": w.unit[m.CM].code, "year": "2026"}),
    ]

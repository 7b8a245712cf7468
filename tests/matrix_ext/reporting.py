"""Scoping-matrix specs of the reporting pages (see tests/matrix_ext/__init__.py).

Each side gets, through the services, in its own test programme: a reporting period (the first
half of 2026) made by the system administrator, a report request for its commune association,
and the commune's draft report opened by the side's approver. Objects that cost more to make
(a submitted report, an approved one with its signed scan, a built document, an uploaded Word
template) are made on first use, through the services, by the side's own users; they are
reports of two other commune associations of the same province (not the one
``records.sibling`` takes up a model in), so approving one locks nothing another route writes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.core.text import fold
from phoihop.documents.builders import default_template
from phoihop.orgunits.models import OrgUnit
from phoihop.reporting import registers, services, tasks
from phoihop.reporting.models import (
    DocumentJob,
    DocumentKind,
    DocumentTemplate,
    RegisteredNumber,
    Report,
    ReportingPeriod,
    ReportRequest,
)
from tests.support.signing import sign

PERIOD_NAME = {"hn": "6 tháng đầu năm 2026 (thử ma trận Hoàn Kiếm)", "cm": "6 tháng đầu năm 2026 (thử ma trận Cà Mau)"}
NEW_PERIOD = "Kỳ chuyên đề mới của ma trận"
APPROVER = {"hn": "hanoi.ccb", "cm": "camau.ccb"}
LINE_SUBJECT = {"hn": "Trích yếu thử sổ văn bản đi Hoàn Kiếm", "cm": "Trích yếu thử sổ văn bản đi Cà Mau"}
REGISTER_YEAR = 2026
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "ban-ky.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def template_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("mau.docx", default_template("association"))


def other_communes(unit: OrgUnit) -> list[OrgUnit]:
    """Two other open commune associations of the unit's province, skipping the first (the one
    ``tests/matrix_ext/records.py`` takes a model up in)."""
    parent_path = unit.path[: -OrgUnit.steplen]
    others = (
        OrgUnit.objects.filter(path__startswith=parent_path, depth=unit.depth, level=unit.level, valid_to__isnull=True)
        .exclude(pk=unit.pk)
        .order_by("path")
    )
    return list(others[1:3])


def extend(w: Any, m: Any) -> None:
    admin = w.users["admin"]
    periods, drafts, lines = {}, {}, {}
    for side in (m.HN, m.CM):
        user, unit = w.users[APPROVER[side]], w.unit[side]
        period = services.period_save(
            programme=w.programme[side],
            data={
                "name": PERIOD_NAME[side],
                "kind": "half",
                "report_type": "periodic",
                "phase": w.phase[side],
                "start": date(2025, 12, 15),
                "end": date(2026, 6, 14),
                "due_date": date(2026, 6, 24),
            },
            acting_user=admin,
        )
        services.requests_create(period=period, levels=[unit.level], acting_user=admin, under=unit)
        periods[side] = period
        drafts[side] = sign(services.report_open(period=period, unit=unit, acting_user=user), user)
        # A line of the commune's register of outgoing documents (for the register's pages).
        lines[side] = registers.take_number(
            unit=unit,
            year=REGISTER_YEAR,
            kind=DocumentKind.REPORT,
            symbol="BC-HCCB",
            subject=LINE_SUBJECT[side],
            acting_user=user,
        )
    w.extra["reporting.period"] = periods
    w.extra["reporting.draft"] = drafts
    w.extra["reporting.line"] = lines
    w.camau_marks.append(LINE_SUBJECT[m.CM])
    w.extra["reporting.lazy"] = {}
    w.camau_marks.append(PERIOD_NAME[m.CM])


# --- objects made on first use ----------------------------------------------------------------


def _lazy(w: Any, key: str, side: str, make: Any) -> Any:
    made = w.extra["reporting.lazy"]
    if (key, side) not in made:
        made[(key, side)] = make()
    return made[(key, side)]


def submitted(w: Any, side: str) -> Report:
    def make() -> Report:
        user = w.users[APPROVER[side]]
        unit = other_communes(w.unit[side])[0]
        report = services.report_open(period=w.extra["reporting.period"][side], unit=unit, acting_user=user)
        return services.report_submit(report=sign(report, user), acting_user=user)

    return _lazy(w, "submitted", side, make)


def approved(w: Any, side: str) -> Report:
    def make() -> Report:
        user = w.users[APPROVER[side]]
        unit = other_communes(w.unit[side])[1]
        report = services.report_open(period=w.extra["reporting.period"][side], unit=unit, acting_user=user)
        report = services.report_submit(report=sign(report, user), acting_user=user)
        report = services.signed_scan_upload(report=report, upload=pdf_upload(), acting_user=user)
        return services.report_approve(report=report, acting_user=user)

    return _lazy(w, "approved", side, make)


def built_job(w: Any, side: str) -> DocumentJob:
    def make() -> DocumentJob:
        job = tasks.job_start(report=approved(w, side), fmt="xlsx", acting_user=w.users[APPROVER[side]])
        tasks.build_document_task.call_local(job.pk)
        return DocumentJob.objects.get(pk=job.pk)

    return _lazy(w, "job", side, make)


def template(w: Any, side: str) -> DocumentTemplate:
    # Templates are system configuration, the same for both sides.
    return _lazy(
        w,
        "template",
        "",
        lambda: services.template_upload(
            kind="association",
            content=default_template("association"),
            acting_user=w.users["admin"],
            note="Mẫu thử ma trận",
        ),
    )


# --- how each route is reached -----------------------------------------------------------------


def period(w: Any, side: str) -> ReportingPeriod:
    return w.extra["reporting.period"][side]


def draft(w: Any, side: str) -> Report:
    return w.extra["reporting.draft"][side]


def report_state(report: Report) -> Any:
    current = Report.objects.filter(pk=report.pk).first()
    if current is None:
        return "deleted"
    return (
        current.status,
        current.version,
        current.narrative,
        current.place,
        current.return_reason,
        current.approvals,
        current.signed_scan.name,
        current.history.count(),  # type: ignore[attr-defined]
    )


def period_state(w: Any, side: str) -> Any:
    current = ReportingPeriod.objects.get(pk=period(w, side).pk)
    return (current.name, current.start, current.end, current.due_date, current.history.count())  # type: ignore[attr-defined]


def edit_form(w: Any, side: str) -> dict[str, Any]:
    report = Report.objects.get(pk=draft(w, side).pk)
    return {
        "version": report.version,
        "intro": "Mở đầu viết qua ma trận.",
        "field:tuyen-truyen": "Tuyên truyền được nhiều buổi.",
        "strengths": "Phối hợp chặt chẽ.",
        "signer-0-capacity": "TM.",
        "signer-0-collective": "BAN THƯỜNG VỤ",
        "signer-0-title": "CHỦ TỊCH",
        "signer-0-rank": "",
        "signer-0-name": "Nguyễn Văn Thử",
        "recipients": "Hội Cựu chiến binh cấp trên",
        "place": "Nơi thử",
        "number": "",
    }


def routes(m: Any) -> dict[str, Any]:
    Route = m.Route
    managers = {"hanoi.ccb": 403, "tuhoi": 403, "admin": 200, "hanoi.admin": 200}
    manager_writes: dict[str, Any] = {
        "writers": {"admin": 302, "hanoi.admin": 302},
        "denied": {"hanoi.ccb": 403, "tuhoi": 403},
    }
    # Reporters and approvers write reports; a unit administrator reads them.
    editor_writes = m.EDITOR_WRITES
    # Approving, returning and reopening come from an approver above the unit.
    approver_writes: dict[str, Any] = {
        "writers": {"hanoi.ccb": 302, "tuhoi": 302, "admin": 302},
        "denied": {"hanoi.admin": 403},
    }
    # Templates are for system administrators only; everyone else gets "not found".
    admins_only = {"hanoi.ccb": 404, "tuhoi": 404, "admin": 200, "hanoi.admin": 404}
    admin_writes: dict[str, Any] = {
        "writers": {"admin": 302},
        "denied": {"hanoi.ccb": 404, "tuhoi": 404, "hanoi.admin": 404},
        "refused": {"approver": 404, "unit_admin": 404},
    }
    period_kwargs = lambda w, s: {"pk": period(w, s).pk}  # noqa: E731
    draft_kwargs = lambda w, s: {"pk": draft(w, s).pk}  # noqa: E731
    draft_state = lambda w, s: report_state(draft(w, s))  # noqa: E731
    submitted_kwargs = lambda w, s: {"pk": submitted(w, s).pk}  # noqa: E731
    submitted_state = lambda w, s: report_state(submitted(w, s))  # noqa: E731
    approved_kwargs = lambda w, s: {"pk": approved(w, s).pk}  # noqa: E731
    approved_state = lambda w, s: report_state(approved(w, s))  # noqa: E731
    unit_name = lambda w, s: w.unit[s].name  # noqa: E731
    letter_writers = {"hanoi.ccb": 200, "tuhoi": 404, "admin": 200, "hanoi.admin": 200}
    return {
        "reporting:report-list": Route(m.LIST, shows=unit_name),
        "reporting:period-list": Route(
            m.LIST, query=lambda w, s: {"programme": w.programme[s].code}, shows=lambda w, s: PERIOD_NAME[s]
        ),
        "reporting:period": Route(m.OBJECT, kwargs=period_kwargs, shows=lambda w, s: PERIOD_NAME[s]),
        # A period's official letters: written by the units one asks for reports (the province's
        # approver, its unit administrator managing the programme, the system administrator); the
        # association's root is no issuing body of a province's programme (404).
        "reporting:period-letter": Route(
            m.OBJECT,
            kwargs=lambda w, s: {"pk": period(w, s).pk, "kind": "request"},
            readers=letter_writers,
            shows=unit_name,
        ),
        "reporting:period-letter-file": Route(
            m.OBJECT,
            kwargs=lambda w, s: {"pk": period(w, s).pk, "kind": "request", "fmt": "docx"},
            readers=letter_writers,
        ),
        "reporting:period-create": Route(
            m.CREATE,
            query=lambda w, s: {"programme": w.programme[s].code},
            readers=managers,
            method="post",
            payload=lambda w, s: {
                "programme": w.programme[s].code,
                "name": NEW_PERIOD,
                "kind": "other",
                "report_type": "thematic",
                "phase": "",
                "start": "2026-03-01",
                "end": "2026-05-31",
                "due_date": "",
            },
            state=lambda w, s: ReportingPeriod.objects.filter(name=NEW_PERIOD).count(),
            **manager_writes,
            # An approver manages no programme (403); a unit administrator of the other province
            # does not get this programme as a choice (the form comes back with the error).
            refused={"approver": 403, "unit_admin": 200},
        ),
        "reporting:period-edit": Route(
            m.OBJECT,
            kwargs=period_kwargs,
            readers=managers,
            shows=lambda w, s: PERIOD_NAME[s],
            method="post",
            payload=lambda w, s: {
                "name": f"{PERIOD_NAME[s]} (đã sửa)",
                "kind": "half",
                "report_type": "periodic",
                "phase": w.phase[s].pk,
                "start": "2025-12-15",
                "end": "2026-06-14",
                "due_date": "2026-06-30",
            },
            state=period_state,
            **manager_writes,
        ),
        "reporting:period-generate": Route(
            m.OBJECT,
            kwargs=lambda w, s: {"pk": w.phase[s].pk},
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=lambda w, s: ReportingPeriod.objects.filter(programme=w.programme[s]).count(),
            **manager_writes,
        ),
        # Managers ask any unit, approvers the units below them: all four Hà Nội users may.
        "reporting:request-create": Route(
            m.OBJECT,
            kwargs=period_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {"levels": [w.unit[s].level_id], "due_date": ""},
            state=lambda w, s: ReportRequest.objects.filter(period=period(w, s)).count(),
            writers={"hanoi.ccb": 302, "tuhoi": 302, "admin": 302, "hanoi.admin": 302},
        ),
        # Opening the province association's report (the commune already has one).
        "reporting:report-open": Route(
            m.OBJECT,
            query=lambda w, s: {"period": str(period(w, s).pk), "unit": w.province[s].code},
            readers=m.EDITORS,
            shows=lambda w, s: w.province[s].name,
            method="post",
            payload=lambda w, s: {"period": period(w, s).pk, "unit": w.province[s].code, "partner": ""},
            state=lambda w, s: Report.objects.filter(period=period(w, s), unit=w.province[s]).count(),
            **editor_writes,
        ),
        "reporting:report": Route(m.OBJECT, kwargs=draft_kwargs, shows=unit_name),
        "reporting:report-annex": Route(m.OBJECT, kwargs=lambda w, s: {**draft_kwargs(w, s), "n": 1}, shows=unit_name),
        "reporting:report-edit": Route(
            m.OBJECT,
            kwargs=draft_kwargs,
            readers=m.EDITORS,
            shows=unit_name,
            method="post",
            payload=edit_form,
            state=draft_state,
            **editor_writes,
        ),
        "reporting:report-submit": Route(
            m.OBJECT,
            kwargs=draft_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {"version": Report.objects.get(pk=draft(w, s).pk).version},
            state=draft_state,
            **editor_writes,
        ),
        "reporting:report-delete": Route(
            m.OBJECT,
            kwargs=draft_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=draft_state,
            **editor_writes,
        ),
        "reporting:report-approve": Route(
            m.OBJECT,
            kwargs=submitted_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=submitted_state,
            **approver_writes,
        ),
        "reporting:report-return": Route(
            m.OBJECT,
            kwargs=submitted_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Thiếu phần phương hướng."},
            state=submitted_state,
            **approver_writes,
        ),
        "reporting:report-reopen": Route(
            m.OBJECT,
            kwargs=approved_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Bổ sung số liệu."},
            state=approved_state,
            **approver_writes,
        ),
        # A file (binary): its content is checked in tests/test_reporting_pages.py.
        "reporting:report-document": Route(m.OBJECT, kwargs=lambda w, s: {"pk": draft(w, s).pk, "fmt": "xlsx"}),
        # Anyone who reads a report may have a document built (nothing of the report changes).
        "reporting:report-job-create": Route(
            m.OBJECT,
            kwargs=draft_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {"format": "xlsx"},
            state=lambda w, s: DocumentJob.objects.filter(report=draft(w, s)).count(),
            writers={"hanoi.ccb": 302, "tuhoi": 302, "admin": 302, "hanoi.admin": 302},
        ),
        "reporting:job": Route(
            m.OBJECT,
            kwargs=lambda w, s: {"pk": built_job(w, s).pk},
            shows=lambda w, s: approved(w, s).unit.name,
        ),
        "reporting:job-download": Route(m.OBJECT, kwargs=lambda w, s: {"pk": built_job(w, s).pk}),
        "reporting:report-scan": Route(m.OBJECT, kwargs=approved_kwargs),
        "reporting:report-scan-upload": Route(
            m.OBJECT,
            kwargs=submitted_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {"file": pdf_upload("ban-ky-moi.pdf")},
            state=submitted_state,
            **editor_writes,
        ),
        # The register of outgoing documents: read in the body's subtree; numbers cancelled by its
        # reporters and approvers (and those above), with a reason.
        "reporting:register-home": Route(m.LIST, shows=unit_name),
        "reporting:register": Route(
            m.OBJECT,
            kwargs=lambda w, s: {"unit": w.unit[s].pk, "year": REGISTER_YEAR},
            shows=lambda w, s: LINE_SUBJECT[s],
        ),
        "reporting:register-cancel": Route(
            m.OBJECT,
            kwargs=lambda w, s: {"pk": w.extra["reporting.line"][s].pk},
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Lấy nhầm số."},
            state=lambda w, s: RegisteredNumber.objects.get(pk=w.extra["reporting.line"][s].pk).status,
            **editor_writes,
        ),
        "reporting:template-list": Route(m.OPEN, readers=admins_only),
        "reporting:template-default": Route(m.OPEN, kwargs=lambda w, s: {"kind": "association"}, readers=admins_only),
        "reporting:template-download": Route(
            m.OPEN, kwargs=lambda w, s: {"pk": template(w, s).pk}, readers=admins_only
        ),
        "reporting:template-upload": Route(
            m.CREATE,
            get=False,
            method="post",
            payload=lambda w, s: {"kind": "association", "file": template_upload(), "note": "Phiên bản mới"},
            state=lambda w, s: DocumentTemplate.objects.count(),
            **admin_writes,
        ),
        "reporting:template-toggle": Route(
            m.CREATE,
            kwargs=lambda w, s: {"pk": template(w, s).pk},
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=lambda w, s: DocumentTemplate.objects.get(pk=template(w, s).pk).is_active,
            **admin_writes,
        ),
    }


def probes(m: Any) -> list[Any]:
    Probe = m.Probe
    return [
        Probe("reporting:report-list", lambda w: {"unit": w.unit[m.CM].code}),
        Probe("reporting:report-list", lambda w: {"unit": w.label[m.CM]}),
        Probe("reporting:report-list", lambda w: {"unit": fold(w.unit[m.CM].name), "status": "draft"}),
        Probe("reporting:report-list", lambda w: {"period": str(w.extra["reporting.period"][m.CM].pk)}),
        Probe("reporting:period-list", lambda w: {"programme": w.programme[m.CM].code}),
        Probe("reporting:period", lambda w: {"under": "CCB-CAMAU"}),
        Probe("reporting:period", lambda w: {"under": w.unit[m.CM].code}),
    ]

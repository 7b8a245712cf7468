"""The reporting cycle through the API: periods, report requests and completeness, reports from
opening to approval and reopening (with the version check and the locks), documents and jobs.

On the demo data, in a thematic period of the national programme's 2022–2027 phase made here
(15/5/2027–14/6/2027, after the demo's data): Phường Hoàn Kiếm's association (CCB-X00070,
reporter hoankiem.ccb) reports to Hà Nội's (CCB-HANOI, approver hanoi.ccb), which reports to
the association's centre (CCB-TW, approver tuhoi).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from rest_framework.test import APIClient

from phoihop.entry.models import EntryLock
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Phase, Programme
from phoihop.reporting import services
from phoihop.reporting.models import DocumentJob, Report, ReportingPeriod, ReportRequest, ReportStatus, ReportType

pytestmark = pytest.mark.django_db
# Approving locks the period, and only a period that has ended is locked (ADR 0014): the tests
# that approve in the thematic period of 2027 move the clock after it.
AFTER_PERIOD = datetime(2027, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

REPORTS = reverse("api:report-list")
PERIODS = reverse("api:reporting-period-list")
REQUESTS = reverse("api:report-request-list")
COMPLETENESS = reverse("api:report-request-completeness")
ENTERED = reverse("api:entered-figure-list")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A tiny but well-formed PDF: the upload check reads the type from the content.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def report_url(report: Report | int, action: str = "") -> str:
    pk = report if isinstance(report, int) else report.pk
    if action:
        return reverse(f"api:report-{action}", kwargs={"pk": pk})
    return reverse("api:report-detail", kwargs={"pk": pk})


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


@pytest.fixture
def phase(db: Any) -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def period(phase: Phase, demo_user: Callable[[str], Any]) -> ReportingPeriod:
    return services.period_save(
        programme=phase.programme,
        data={
            "phase": phase,
            "kind": PeriodKind.OTHER,
            "report_type": ReportType.THEMATIC,
            "name": "Chuyên đề thử API 2027",
            "start": date(2027, 5, 15),
            "end": date(2027, 6, 14),
            "due_date": date(2027, 6, 24),
        },
        acting_user=demo_user("admin"),
    )


def open_report(client: Any, period: ReportingPeriod, code: str, **extra: Any) -> dict[str, Any]:
    response = client.post(REPORTS, {"period": period.pk, "unit": code, **extra}, format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())


# A report is sent only with a named signer (phoihop/reporting/signers.py).
SIGNER = {"capacity": "TM.", "collective": "BAN THƯỜNG VỤ", "title": "CHỦ TỊCH", "name": "Nguyễn Văn Thử"}


def signed(client: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Name the report's signer through the API, as its writer would before sending."""
    response = client.patch(report_url(data["id"]), {"version": data["version"], "signers": [SIGNER]}, format="json")
    assert response.status_code == 200, response.json()
    return dict(response.json())


def figures(value: int, **extra: Any) -> dict[str, Any]:
    return {
        "unit": "CCB-X00070",
        "programme": "QDND-CCB",
        "period_start": "2027-05-15",
        "period_end": "2027-06-14",
        "values": [{"indicator": "gn-ho", "value": value}],
        **extra,
    }


def frozen_value(data: dict[str, Any], code: str) -> int:
    rows = [row for field in data["content"]["fields"] for row in field["rows"] if row["code"] == code]
    assert len(rows) == 1
    return int(rows[0]["value"])


# --- scoping ---------------------------------------------------------------------------------


def test_it_lists_only_the_reports_of_the_readers_subtree(
    api_client_as: Callable[[str], Any], period: ReportingPeriod
) -> None:
    hanoi = open_report(api_client_as("hanoi.ccb"), period, "CCB-HANOI")
    camau = open_report(api_client_as("camau.ccb"), period, "CCB-CAMAU")

    reader = api_client_as("hanoi.ccb")
    rows = reader.get(REPORTS, {"period": period.pk}).json()["results"]
    assert [row["unit"]["code"] for row in rows] == ["CCB-HANOI"]
    assert reader.get(REPORTS, {"unit": "CCB-CAMAU"}).json()["count"] == 0
    assert reader.get(report_url(camau["id"])).status_code == 404
    assert reader.get(report_url(camau["id"], "document")).status_code == 404
    assert reader.post(report_url(camau["id"], "submit"), {}, format="json").status_code == 404
    assert reader.get(report_url(hanoi["id"])).status_code == 200

    centre = api_client_as("tuhoi").get(REPORTS, {"period": period.pk}).json()["results"]
    assert {row["unit"]["code"] for row in centre} == {"CCB-HANOI", "CCB-CAMAU"}
    # The commune's reporter sees neither province's report.
    assert api_client_as("hoankiem.ccb").get(REPORTS, {"period": period.pk}).json()["count"] == 0


def test_it_refuses_to_open_a_report_for_a_unit_out_of_reach(
    api_client_as: Callable[[str], Any], period: ReportingPeriod
) -> None:
    client = api_client_as("hanoi.ccb")
    response = client.post(REPORTS, {"period": period.pk, "unit": "CCB-CAMAU"}, format="json")
    assert response.status_code == 400
    assert "Không tìm thấy đơn vị có mã “CCB-CAMAU”." in str(response.json())
    # A unit above is seen (its name and code) but not written for.
    response = client.post(REPORTS, {"period": period.pk, "unit": "CCB-TW"}, format="json")
    assert response.status_code in (400, 403)
    assert not Report.objects.filter(period=period).exists()


# --- the cycle -------------------------------------------------------------------------------


def test_it_runs_a_report_through_its_whole_cycle(
    api_client_as: Callable[[str], Any], period: ReportingPeriod, time_machine: Any
) -> None:
    time_machine.move_to(AFTER_PERIOD)
    writer = api_client_as("hoankiem.ccb")
    approver = api_client_as("hanoi.ccb")
    assert writer.post(ENTERED, figures(7), format="json").status_code == 200

    # Opening makes a draft; opening again returns the same report.
    data = open_report(writer, period, "CCB-X00070")
    report_id, version = data["id"], data["version"]
    assert (data["status"], data["unit"]["code"], data["content"]) == ("draft", "CCB-X00070", None)
    assert "strengths" in {s["key"] for s in data["sections"]}
    again = writer.post(REPORTS, {"period": period.pk, "unit": "CCB-X00070"}, format="json")
    assert (again.status_code, again.json()["id"]) == (200, report_id)
    # A draft's content is computed live on request.
    live = writer.get(report_url(report_id), {"content": "1"}).json()
    assert frozen_value(live, "gn-ho") == 7

    # Saving needs the version the writer opened (If-Match, or "version" in the body); a stale
    # one is refused with 412 and the version now stored.
    response = writer.patch(
        report_url(report_id),
        {"version": version, "narrative": {"strengths": "Ưu điểm thứ nhất."}, "signers": [SIGNER]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == version + 1
    stale = writer.patch(
        report_url(report_id), {"version": version, "narrative": {"strengths": "Bản ghi đè."}}, format="json"
    )
    assert stale.status_code == 412
    assert "sau khi bạn đọc nó" in stale.json()["detail"]
    assert stale.json()["version"] == version + 1
    assert Report.objects.get(pk=report_id).narrative["strengths"] == "Ưu điểm thứ nhất."
    missing = APIClient()
    missing.force_login(Report.objects.get(pk=report_id).created_by)
    response = missing.patch(report_url(report_id), {"narrative": {"strengths": "Không có phiên bản."}}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    version += 1

    # Submitting freezes the figures and takes a number.
    response = writer.post(report_url(report_id, "submit"), {"version": version}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "submitted"
    assert isinstance(data["number"], int)
    assert frozen_value(data, "gn-ho") == 7
    assert data["live_differences"] == []

    # A later change of the live figures does not change the report; the answer says it differs.
    assert writer.post(ENTERED, figures(9), format="json").status_code == 200
    data = writer.get(report_url(report_id)).json()
    assert frozen_value(data, "gn-ho") == 7
    assert [(d["frozen"], d["live"]) for d in data["live_differences"]] == [(7, 9)]

    # Only an approver above decides: the reporter may not, the other province does not see it.
    assert writer.post(report_url(report_id, "approve"), {}, format="json").status_code == 403
    assert api_client_as("camau.ccb").post(report_url(report_id, "approve"), {}, format="json").status_code == 404
    assert Report.objects.get(pk=report_id).status == ReportStatus.SUBMITTED

    # Returned with a reason (required), edited, sent again.
    assert approver.post(report_url(report_id, "return"), {"reason": " "}, format="json").status_code == 400
    response = approver.post(report_url(report_id, "return"), {"reason": "Bổ sung số hộ thoát nghèo."}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["return_reason"]) == ("returned", "Bổ sung số hộ thoát nghèo.")
    version = response.json()["version"]
    response = writer.patch(
        report_url(report_id), {"version": version, "narrative": {"strengths": "Ưu điểm đã bổ sung."}}, format="json"
    )
    assert response.status_code == 200, response.json()
    response = writer.post(report_url(report_id, "submit"), {}, format="json")
    assert response.status_code == 200
    assert frozen_value(response.json(), "gn-ho") == 9

    # Approved by the approver above: the report and the period's figures lock.
    response = approver.post(report_url(report_id, "approve"), {}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "approved"
    assert [a["unit"] for a in data["approvals"]] == ["CCB-X00070"]
    response = writer.patch(
        report_url(report_id),
        {"version": data["version"], "narrative": {"strengths": "Sửa sau khi duyệt."}},
        format="json",
    )
    assert response.status_code in (400, 409)
    assert Report.objects.get(pk=report_id).narrative["strengths"] == "Ưu điểm đã bổ sung."
    response = writer.post(ENTERED, figures(11), format="json")
    assert response.status_code == 400
    assert "đã khóa" in str(response.json())

    # Reopening is the approver's recorded act, with a reason; the figures open again.
    assert writer.post(report_url(report_id, "reopen"), {"reason": "Sửa số."}, format="json").status_code == 403
    assert approver.post(report_url(report_id, "reopen"), {}, format="json").status_code == 400
    response = approver.post(report_url(report_id, "reopen"), {"reason": "Sai số hộ thoát nghèo."}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "returned"
    assert not EntryLock.objects.filter(unit__code="CCB-X00070", start=period.start, reopened_at__isnull=True).exists()
    assert writer.post(ENTERED, figures(11), format="json").status_code == 200


def test_it_approves_a_joint_national_report_side_by_side(
    api_client_as: Callable[[str], Any], period: ReportingPeriod, time_machine: Any
) -> None:
    time_machine.move_to(AFTER_PERIOD)
    army, association = api_client_as("tcct"), api_client_as("tuhoi")
    data = open_report(army, period, "BQP", partner_unit="CCB-TW")
    assert (data["unit"]["code"], data["partner_unit"]["code"]) == ("BQP", "CCB-TW")
    assert len(data["signers"]) == 2
    # Both sides read it; a province does not.
    assert association.get(report_url(data["id"])).status_code == 200
    assert api_client_as("hanoi.ccb").get(report_url(data["id"])).status_code == 404
    assert army.post(report_url(data["id"], "submit"), {}, format="json").status_code == 200

    response = army.post(report_url(data["id"], "approve"), {}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], [a["unit"] for a in response.json()["approvals"]]) == ("submitted", ["BQP"])
    # The army's approver has approved their side; approving again is refused.
    assert army.post(report_url(data["id"], "approve"), {}, format="json").status_code == 400
    response = association.post(report_url(data["id"], "approve"), {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert {a["unit"] for a in response.json()["approvals"]} == {"BQP", "CCB-TW"}


def test_it_deletes_only_a_draft_never_sent(api_client_as: Callable[[str], Any], period: ReportingPeriod) -> None:
    writer = api_client_as("hoankiem.ccb")
    data = signed(writer, open_report(writer, period, "CCB-X00070"))
    assert api_client_as("camau.ccb").delete(report_url(data["id"])).status_code == 404
    assert writer.post(report_url(data["id"], "submit"), {}, format="json").status_code == 200
    response = writer.delete(report_url(data["id"]))
    assert response.status_code == 400
    assert "chưa gửi lần nào" in str(response.json())
    other = open_report(api_client_as("hanoi.ccb"), period, "CCB-HANOI")
    assert api_client_as("hanoi.ccb").delete(report_url(other["id"])).status_code == 204
    assert not Report.objects.filter(pk=other["id"]).exists()


# --- documents -------------------------------------------------------------------------------


def test_it_serves_the_report_as_word_and_excel(api_client_as: Callable[[str], Any], period: ReportingPeriod) -> None:
    writer = api_client_as("hoankiem.ccb")
    data = signed(writer, open_report(writer, period, "CCB-X00070"))
    assert writer.post(report_url(data["id"], "submit"), {}, format="json").status_code == 200
    assert set(writer.get(report_url(data["id"])).json()["documents"]) == {"docx", "xlsx", "pdf"}

    for fmt, content_type, magic in (("docx", DOCX, b"PK"), ("xlsx", XLSX, b"PK")):
        response = writer.get(report_url(data["id"], "document"), {"file_format": fmt})
        assert response.status_code == 200, response.content[:500]
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment;")
        assert f".{fmt}" in response["Content-Disposition"]
        assert response.content.startswith(magic) and len(response.content) > 1000
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames

    response = writer.get(report_url(data["id"], "document"), {"file_format": "odt"})
    assert response.status_code == 400
    assert "Định dạng “odt” không hợp lệ" in str(response.json())
    # Without a format, Word.
    assert writer.get(report_url(data["id"], "document"))["Content-Type"] == DOCX


def test_it_answers_503_for_pdf_without_libreoffice(
    api_client_as: Callable[[str], Any], period: ReportingPeriod, monkeypatch: pytest.MonkeyPatch
) -> None:
    from phoihop.documents import pdf

    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    writer = api_client_as("hoankiem.ccb")
    data = open_report(writer, period, "CCB-X00070")
    response = writer.get(report_url(data["id"], "document"), {"file_format": "pdf"})
    assert response.status_code == 503
    assert "LibreOffice" in response.json()["detail"]


def test_it_builds_a_document_in_the_background_and_serves_it(
    api_client_as: Callable[[str], Any], period: ReportingPeriod, django_capture_on_commit_callbacks: Any
) -> None:
    writer = api_client_as("hoankiem.ccb")
    data = open_report(writer, period, "CCB-X00070")
    assert writer.post(report_url(data["id"], "jobs"), {"format": "odt"}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.post(report_url(data["id"], "jobs"), {"format": "xlsx"}, format="json")
    assert response.status_code == 202, response.json()
    job_url = response["Location"]
    job = writer.get(job_url).json()
    assert (job["status"], job["progress"], job["report"]) == ("done", 100, data["id"])
    download = writer.get(job["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert b"".join(download.streaming_content).startswith(b"PK")
    assert [j["id"] for j in writer.get(report_url(data["id"], "jobs")).json()] == [job["id"]]
    # Another province sees neither the job nor its file.
    outsider = api_client_as("camau.ccb")
    assert outsider.get(job_url).status_code == 404
    assert outsider.get(job["download_url"]).status_code == 404


def test_it_answers_409_for_a_job_not_done_yet(api_client_as: Callable[[str], Any], period: ReportingPeriod) -> None:
    writer = api_client_as("hoankiem.ccb")
    data = open_report(writer, period, "CCB-X00070")
    # No commit inside the test's transaction: the job stays pending.
    job = writer.post(report_url(data["id"], "jobs"), {"format": "docx"}, format="json").json()
    assert (job["status"], job["download_url"]) == ("pending", None)
    response = writer.get(reverse("api:document-job-download", kwargs={"pk": job["id"]}))
    assert response.status_code == 409
    assert "chưa tạo xong" in response.json()["detail"]
    assert DocumentJob.objects.filter(report_id=data["id"]).count() == 1


def test_it_keeps_the_signed_scan_of_a_sent_report(
    api_client_as: Callable[[str], Any], period: ReportingPeriod
) -> None:
    writer = api_client_as("hoankiem.ccb")
    data = signed(writer, open_report(writer, period, "CCB-X00070"))
    scan = report_url(data["id"], "signed-scan")
    response = writer.post(scan, {"file": SimpleUploadedFile("ban-ky.pdf", PDF_BYTES)}, format="multipart")
    assert response.status_code == 400  # a draft has nothing signed yet
    assert writer.get(scan).status_code == 404
    assert writer.post(report_url(data["id"], "submit"), {}, format="json").status_code == 200
    response = writer.post(scan, {"file": SimpleUploadedFile("ban-ky.txt", b"not a scan")}, format="multipart")
    assert response.status_code == 400
    response = writer.post(scan, {"file": SimpleUploadedFile("ban-ky.pdf", PDF_BYTES)}, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["signed_scan"].endswith(scan)
    download = writer.get(scan)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert api_client_as("camau.ccb").get(scan).status_code == 404


# --- requests and completeness ---------------------------------------------------------------------


def test_it_requests_reports_and_counts_completeness(
    api_client_as: Callable[[str], Any], period: ReportingPeriod
) -> None:
    centre = api_client_as("tuhoi")
    response = centre.post(REQUESTS, {"period": period.pk, "levels": ["province"]}, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()["created"]
    provinces = (
        OrgUnit.objects.filter(organisation__code="ccb", level__code="province")
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.end))
    )
    assert created == provinces.count() == ReportRequest.objects.filter(period=period).count() == 34
    # Asking again creates nothing more.
    again = centre.post(REQUESTS, {"period": period.pk, "levels": ["province"]}, format="json")
    assert (again.status_code, again.json()) == (200, {"created": 0})

    hanoi = api_client_as("hanoi.ccb")
    data = open_report(hanoi, period, "CCB-HANOI")
    assert hanoi.post(report_url(data["id"], "submit"), {}, format="json").status_code == 200
    open_report(api_client_as("camau.ccb"), period, "CCB-CAMAU")  # a draft: not sent

    response = centre.get(COMPLETENESS, {"period": period.pk})
    assert response.status_code == 200, response.json()
    levels = response.json()["levels"]
    assert [(r["level"]["organisation"], r["level"]["code"]) for r in levels] == [("ccb", "province")]
    rate = levels[0]
    sent = Report.objects.filter(period=period, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED])
    assert (rate["expected"], rate["submitted"], rate["on_time"]) == (34, sent.count(), sent.count())
    assert rate["submitted"] == 1
    assert rate["share_submitted"] == pytest.approx(1 / 34)
    missing = {row["code"]: row["status"] for row in rate["missing"]}
    assert len(missing) == 33 and "CCB-HANOI" not in missing
    assert missing["CCB-CAMAU"] == "draft"

    # Hà Nội counts only its own request; Cà Mau's period view does not reach Hà Nội's units.
    own = hanoi.get(COMPLETENESS, {"period": period.pk}).json()["levels"]
    assert [(r["expected"], r["submitted"], r["missing"]) for r in own] == [(1, 1, [])]
    assert hanoi.get(COMPLETENESS, {"period": period.pk, "under": "CCB-CAMAU"}).status_code == 404
    assert centre.get(COMPLETENESS, {"period": period.pk, "under": "CCB-CAMAU"}).json()["levels"][0]["expected"] == 1
    assert centre.get(COMPLETENESS).status_code == 400

    # The request list carries each unit's status.
    rows = centre.get(REQUESTS, {"period": period.pk, "status": "submitted"}).json()["results"]
    assert [(r["unit"]["code"], r["status"], r["late"], r["report"]) for r in rows] == [
        ("CCB-HANOI", "submitted", False, data["id"])
    ]
    assert centre.get(REQUESTS, {"period": period.pk, "status": "not_started"}).json()["count"] == 32
    assert centre.get(REQUESTS, {"period": period.pk, "status": "draft"}).json()["count"] == 1
    assert [r["unit"]["code"] for r in hanoi.get(REQUESTS, {"period": period.pk}).json()["results"]] == ["CCB-HANOI"]


def test_it_marks_late_requests(
    api_client_as: Callable[[str], Any], phase: Phase, demo_user: Callable[[str], Any]
) -> None:
    past = services.period_save(
        programme=phase.programme,
        data={
            "phase": phase,
            "kind": PeriodKind.OTHER,
            "name": "Chuyên đề thử API đã quá hạn",
            "start": date(2025, 1, 1),
            "end": date(2025, 1, 31),
            "due_date": date(2025, 2, 10),
        },
        acting_user=demo_user("admin"),
    )
    centre = api_client_as("tuhoi")
    response = centre.post(REQUESTS, {"period": past.pk, "levels": ["province"], "under": "CCB-HANOI"}, format="json")
    assert (response.status_code, response.json()) == (201, {"created": 1})
    rows = centre.get(REQUESTS, {"period": past.pk, "late": "true"}).json()["results"]
    assert [(r["unit"]["code"], r["status"], r["late"]) for r in rows] == [("CCB-HANOI", "not_started", True)]
    assert centre.get(REQUESTS, {"period": past.pk, "late": "false"}).json()["count"] == 0
    rate = centre.get(COMPLETENESS, {"period": past.pk}).json()["levels"][0]
    assert (rate["expected"], rate["submitted"], rate["on_time"]) == (1, 0, 0)


def test_it_lets_only_an_approver_above_remove_a_request(
    api_client_as: Callable[[str], Any], period: ReportingPeriod
) -> None:
    centre = api_client_as("tuhoi")
    centre.post(REQUESTS, {"period": period.pk, "levels": ["province"], "under": "CCB-HANOI"}, format="json")
    request = ReportRequest.objects.get(period=period, unit__code="CCB-HANOI")
    url = reverse("api:report-request-detail", kwargs={"pk": request.pk})
    assert api_client_as("hanoi.ccb").get(url).json()["status"] == "not_started"
    assert api_client_as("camau.ccb").delete(url).status_code == 404
    assert api_client_as("hanoi.ccb").delete(url).status_code == 403
    assert centre.delete(url).status_code == 204
    assert not ReportRequest.objects.filter(pk=request.pk).exists()


def test_it_refuses_unknown_levels(api_client_as: Callable[[str], Any], period: ReportingPeriod) -> None:
    response = api_client_as("tuhoi").post(REQUESTS, {"period": period.pk, "levels": ["huyen-xa"]}, format="json")
    assert response.status_code == 400
    assert "Không tìm thấy cấp: “huyen-xa”." in str(response.json())


# --- periods ---------------------------------------------------------------------------------------


def test_it_lists_periods_by_kind_alias_and_year(
    api_client_as: Callable[[str], Any], phase: Phase, demo_user: Callable[[str], Any]
) -> None:
    services.periods_generate(
        phase=phase, kinds=[PeriodKind.END_PHASE, PeriodKind.YEAR], acting_user=demo_user("admin")
    )
    client = api_client_as("hoankiem.ccb")
    rows = client.get(PERIODS, {"programme": "QDND-CCB", "phase": "2022-2027", "kind": "tong-ket"}).json()["results"]
    assert [(r["kind"], r["start"], r["end"]) for r in rows] == [("end_phase", "2022-09-23", "2027-09-22")]
    assert rows[0]["kind_label"] == "Tổng kết giai đoạn"
    rows = client.get(PERIODS, {"programme": "QDND-CCB", "kind": "nam", "year": "2025"}).json()["results"]
    assert [(r["start"], r["end"]) for r in rows] == [("2024-12-15", "2025-12-14")]
    assert client.get(PERIODS, {"kind": "mua-xuan"}).status_code == 400


def test_it_lets_only_programme_managers_change_periods(
    api_client_as: Callable[[str], Any], phase: Phase, period: ReportingPeriod
) -> None:
    payload = {
        "programme": "QDND-CCB",
        "phase": phase.pk,
        "kind": "6-thang",
        "report_type": "ad_hoc",
        "name": "Đột xuất thử API",
        "start": "2027-01-01",
        "end": "2027-01-31",
    }
    assert api_client_as("hanoi.ccb").post(PERIODS, payload, format="json").status_code == 403
    response = api_client_as("admin").post(PERIODS, payload, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    # The alias is read as its kind; the due date follows the kind when not given.
    assert (data["kind"], data["report_type"], data["due_date"]) == ("half", "ad_hoc", "2027-02-10")
    response = api_client_as("admin").post(PERIODS, {**payload, "kind": "mua-xuan"}, format="json")
    assert response.status_code == 400
    assert "Loại kỳ “mua-xuan” không hợp lệ" in str(response.json())

    url = reverse("api:reporting-period-detail", kwargs={"pk": period.pk})
    assert api_client_as("tuhoi").patch(url, {"due_date": "2027-06-30"}, format="json").status_code == 403
    response = api_client_as("admin").patch(url, {"due_date": "2027-06-30"}, format="json")
    assert (response.status_code, response.json()["due_date"]) == (200, "2027-06-30")
    response = api_client_as("admin").patch(url, {"due_date": "2027-06-01"}, format="json")
    assert response.status_code == 400
    assert "Hạn gửi không được trước ngày cuối kỳ." in str(response.json())


def test_it_generates_the_default_periods_of_a_phase(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    programme = Programme.objects.get(code="QDND-CCB")
    phase = Phase.objects.create(
        programme=programme, code="thu-2031", name="Thử 2031", start=date(2031, 1, 1), end=date(2031, 12, 31)
    )
    url = reverse("api:reporting-period-generate")
    assert api_client_as("hanoi.ccb").post(url, {"phase": phase.pk}, format="json").status_code == 403
    response = api_client_as("admin").post(url, {"phase": phase.pk, "kinds": ["tong-ket", "so-ket"]}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 2
    assert {p["kind"] for p in response.json()["periods"]} == {"mid_phase", "end_phase"}
    again = api_client_as("admin").post(url, {"phase": phase.pk, "kinds": ["tong-ket"]}, format="json")
    assert (again.status_code, again.json()["created"]) == (200, 0)
    assert ReportingPeriod.objects.filter(phase=phase).count() == 2

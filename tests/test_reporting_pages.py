"""The pages of the reporting cycle: periods, completeness, reports, approval, documents.

Actors (demo): hoankiem.ccb reports for Phường Hoàn Kiếm's association (CCB-X00070);
hanoi.ccb approves for Hà Nội's association, above it, and writes the province's report;
tuhoi approves for the association's centre, above Hà Nội; camau.ccb is another province;
admin is the system administrator (and so the programme's manager).

Each test makes a period of its own through the services (the demo's periods are left alone),
so nothing here depends on the demo's reports.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phoihop.documents import builders
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel
from phoihop.programmes.models import Programme
from phoihop.reporting import services
from phoihop.reporting.models import (
    DocumentJob,
    DocumentTemplate,
    JobStatus,
    Report,
    ReportingPeriod,
    ReportRequest,
    ReportStatus,
)
from tests.support.signing import sign

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path
    yield tmp_path


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def period(demo_user: Callable[[str], Any]) -> ReportingPeriod:
    """A period of the demo programme, due at the end of the year: sending today is on time."""
    today = timezone.localdate()
    return services.period_save(
        programme=Programme.objects.get(code="QDND-CCB"),
        data={
            "name": "Quý thử trang báo cáo",
            "kind": "other",
            "report_type": "thematic",
            "start": date(2026, 8, 15),
            "end": date(2026, 11, 14),
            "due_date": max(date(2026, 12, 31), today + timedelta(days=30)),
        },
        acting_user=demo_user("admin"),
    )


@pytest.fixture
def draft(period: ReportingPeriod, demo_user: Callable[[str], Any]) -> Report:
    """Phường Hoàn Kiếm's association's draft report, opened by its reporter."""
    return services.report_open(period=period, unit=unit("CCB-X00070"), acting_user=demo_user("hoankiem.ccb"))


@pytest.fixture
def camau_report(period: ReportingPeriod, demo_user: Callable[[str], Any]) -> Report:
    return services.report_open(period=period, unit=unit("CCB-CAMAU"), acting_user=demo_user("camau.ccb"))


def edit_data(report: Report, **narrative: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": report.version,
        "signer-0-capacity": "TM.",
        "signer-0-collective": "BAN THƯỜNG VỤ",
        "signer-0-title": "CHỦ TỊCH",
        "signer-0-rank": "",
        "signer-0-name": "Đỗ Văn Đức",
        "recipients": "Hội Cựu chiến binh thành phố Hà Nội",
        "place": "Hà Nội",
        "number": "",
    }
    data.update(narrative)
    return data


# --- pages render for their readers; other provinces get 404 ------------------------------------


def test_it_renders_the_list_the_period_and_the_report_for_the_owner(
    client_as: Callable[[str], Client], period: ReportingPeriod, draft: Report
) -> None:
    client = client_as("hoankiem.ccb")
    listing = client.get(reverse("reporting:report-list"), {"period": period.pk})
    assert listing.status_code == 200
    assert f'data-report="{draft.pk}"' in listing.content.decode()
    periods = client.get(reverse("reporting:period-list"), {"programme": "QDND-CCB", "kind": "other"})
    assert periods.status_code == 200 and "Quý thử trang báo cáo" in periods.content.decode()
    assert client.get(reverse("reporting:period", kwargs={"pk": period.pk})).status_code == 200
    page = client.get(reverse("reporting:report", kwargs={"pk": draft.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hội Cựu chiến binh phường Hoàn Kiếm" in text
    assert 'data-testid="figures"' in text
    assert page.context["can_edit"] and page.context["can_submit"] and page.context["can_delete"]
    assert not page.context["can_approve"]
    # The number is taken at submission: the page says so with "…".
    assert page.context["number_label"].startswith("…/BC-")


def test_it_answers_404_for_another_provinces_report(
    client_as: Callable[[str], Client], camau_report: Report, draft: Report
) -> None:
    hanoi = client_as("hanoi.ccb")
    for name in ("reporting:report", "reporting:report-edit"):
        assert hanoi.get(reverse(name, kwargs={"pk": camau_report.pk})).status_code == 404
    assert (
        hanoi.get(reverse("reporting:report-document", kwargs={"pk": camau_report.pk, "fmt": "xlsx"})).status_code
        == 404
    )
    before = Report.objects.get(pk=camau_report.pk).version
    response = hanoi.post(reverse("reporting:report-submit", kwargs={"pk": camau_report.pk}), {"version": before})
    assert response.status_code == 404
    assert Report.objects.get(pk=camau_report.pk).status == ReportStatus.DRAFT
    camau = client_as("camau.ccb")
    assert camau.get(reverse("reporting:report", kwargs={"pk": draft.pk})).status_code == 404
    assert camau.get(reverse("reporting:report", kwargs={"pk": camau_report.pk})).status_code == 200
    listing = camau.get(reverse("reporting:report-list"))
    assert f'data-report="{draft.pk}"' not in listing.content.decode()


def test_it_shows_the_reports_still_owed_on_the_home_page(
    client_as: Callable[[str], Client], period: ReportingPeriod, demo_user: Callable[[str], Any]
) -> None:
    services.requests_create(
        period=period,
        levels=[unit("CCB-X00070").level],
        acting_user=demo_user("hanoi.ccb"),
        under=unit("CCB-X00070"),
    )
    home = client_as("hoankiem.ccb").get(reverse("home"))
    text = home.content.decode()
    assert "Báo cáo đơn vị còn phải gửi" in text
    row = next(r for r in home.context["owed"] if r.request.period_id == period.pk)
    assert row.status == "not_started" and not row.late
    open_url = f"{reverse('reporting:report-open')}?period={period.pk}&amp;unit=CCB-X00070"
    assert open_url in text


# --- the cycle through the pages -----------------------------------------------------------------


def test_it_goes_through_submit_return_edit_resubmit_and_approve(
    client_as: Callable[[str], Client], period: ReportingPeriod, demo_user: Callable[[str], Any]
) -> None:

    writer, approver = client_as("hoankiem.ccb"), client_as("hanoi.ccb")
    # Open the draft through the page.
    url = reverse("reporting:report-open")
    page = writer.get(url, {"period": str(period.pk), "unit": "CCB-X00070"})
    assert page.status_code == 200
    response = writer.post(url, {"period": period.pk, "unit": "CCB-X00070", "partner": ""})
    assert response.status_code == 302
    report = Report.objects.get(period=period, unit__code="CCB-X00070")
    assert response["Location"] == reverse("reporting:report", kwargs={"pk": report.pk})

    # Write and submit.
    edit = reverse("reporting:report-edit", kwargs={"pk": report.pk})
    response = writer.post(edit, edit_data(report, strengths="Phối hợp chặt chẽ."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.narrative["strengths"] == "Phối hợp chặt chẽ."
    assert report.signers[0]["name"] == "Đỗ Văn Đức"
    response = writer.post(reverse("reporting:report-submit", kwargs={"pk": report.pk}), {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.frozen is not None and report.number
    assert "Đã gửi báo cáo lên cấp trên" in " ".join(messages_of(response))

    # The writer may neither approve nor return their own report.
    assert writer.post(reverse("reporting:report-approve", kwargs={"pk": report.pk})).status_code == 403
    # Returning needs a reason: without one nothing changes and the page says why.
    response = approver.post(reverse("reporting:report-return", kwargs={"pk": report.pk}), {"reason": "  "})
    assert response.status_code == 302
    assert "Hãy ghi lý do trả lại" in " ".join(messages_of(response))
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    response = approver.post(
        reverse("reporting:report-return", kwargs={"pk": report.pk}), {"reason": "Bổ sung phần phương hướng."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    page = writer.get(reverse("reporting:report", kwargs={"pk": report.pk}))
    assert "Bổ sung phần phương hướng." in page.content.decode()
    assert page.context["can_edit"]

    # Edit and send again.
    response = writer.post(edit, edit_data(report, strengths="Phối hợp chặt chẽ.", directions="Nhân rộng mô hình."))
    assert response.status_code == 302
    report.refresh_from_db()
    response = writer.post(reverse("reporting:report-submit", kwargs={"pk": report.pk}), {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.narrative["directions"] == "Nhân rộng mô hình."

    # The province approves: the report and the commune's entry lock.
    page = approver.get(reverse("reporting:report", kwargs={"pk": report.pk}))
    assert page.context["can_approve"] and page.context["can_return"]
    response = approver.post(reverse("reporting:report-approve", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.locks.filter(unit__code="CCB-X00070", reopened_at__isnull=True).exists()
    page = writer.get(reverse("reporting:report", kwargs={"pk": report.pk}))
    assert not page.context["can_edit"] and not page.context["can_submit"] and not page.context["can_delete"]
    trail = page.context["trail"]
    assert [e.action for e in trail] == [
        "Duyệt báo cáo",
        "Gửi báo cáo",
        "Lưu báo cáo",
        "Trả lại báo cáo",
        "Gửi báo cáo",
        "Lưu báo cáo",
        "Mở báo cáo",
    ]
    approver_user = demo_user("hanoi.ccb")
    assert trail[0].who == (approver_user.get_full_name() or approver_user.username)
    assert trail[3].reason == "Bổ sung phần phương hướng."


def test_it_refuses_to_edit_an_approved_report_through_the_page(
    client_as: Callable[[str], Client], draft: Report, demo_user: Callable[[str], Any]
) -> None:
    writer = demo_user("hoankiem.ccb")
    report = services.report_submit(report=sign(draft, writer), acting_user=writer)
    report = services.report_approve(report=report, acting_user=demo_user("hanoi.ccb"))
    before = Report.objects.get(pk=report.pk)
    writer = client_as("hoankiem.ccb")
    edit = reverse("reporting:report-edit", kwargs={"pk": report.pk})
    response = writer.get(edit)
    assert response.status_code == 302
    response = writer.post(edit, edit_data(before, strengths="Sửa sau khi duyệt."))
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report", kwargs={"pk": report.pk})
    assert "không sửa được" in " ".join(messages_of(response))
    after = Report.objects.get(pk=report.pk)
    assert (after.narrative, after.version, after.status, after.updated_at) == (
        before.narrative,
        before.version,
        before.status,
        before.updated_at,
    )
    # Nor submitted again or deleted.
    writer.post(reverse("reporting:report-submit", kwargs={"pk": report.pk}), {"version": before.version})
    writer.post(reverse("reporting:report-delete", kwargs={"pk": report.pk}))
    assert Report.objects.get(pk=report.pk).version == before.version


def test_it_refuses_the_second_of_two_concurrent_saves_and_keeps_what_was_typed(
    client_as: Callable[[str], Client], draft: Report
) -> None:
    first, second = client_as("hoankiem.ccb"), client_as("hanoi.ccb")
    edit = reverse("reporting:report-edit", kwargs={"pk": draft.pk})
    form_a = first.get(edit).context["form"]
    form_b = second.get(edit).context["form"]
    assert form_a.initial["version"] == form_b.initial["version"] == draft.version
    response = first.post(edit, edit_data(draft, strengths="Văn bản của người thứ nhất."))
    assert response.status_code == 302
    response = second.post(edit, edit_data(draft, strengths="Văn bản của người thứ hai, chưa lưu."))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="conflict"' in text
    assert "sau khi bạn mở nó" in text
    assert "Văn bản của người thứ hai, chưa lưu." in text
    stored = Report.objects.get(pk=draft.pk)
    assert stored.narrative["strengths"] == "Văn bản của người thứ nhất."
    assert stored.version == draft.version + 1


def test_it_refuses_a_stale_submit(client_as: Callable[[str], Client], draft: Report) -> None:
    response = client_as("hoankiem.ccb").post(
        reverse("reporting:report-submit", kwargs={"pk": draft.pk}), {"version": draft.version - 1 or 99}
    )
    assert response.status_code == 302
    assert "người khác sửa" in " ".join(messages_of(response))
    assert Report.objects.get(pk=draft.pk).status == ReportStatus.DRAFT


def test_it_deletes_a_never_sent_draft(client_as: Callable[[str], Client], draft: Report) -> None:
    response = client_as("hoankiem.ccb").post(reverse("reporting:report-delete", kwargs={"pk": draft.pk}))
    assert response.status_code == 302 and response["Location"] == reverse("reporting:report-list")
    assert not Report.objects.filter(pk=draft.pk).exists()


def test_it_reopens_an_approved_report_with_a_reason(
    client_as: Callable[[str], Client], draft: Report, demo_user: Callable[[str], Any]
) -> None:
    writer = demo_user("hoankiem.ccb")
    report = services.report_submit(report=sign(draft, writer), acting_user=writer)
    report = services.report_approve(report=report, acting_user=demo_user("hanoi.ccb"))
    approver = client_as("hanoi.ccb")
    assert approver.get(reverse("reporting:report", kwargs={"pk": report.pk})).context["can_reopen"]
    response = approver.post(
        reverse("reporting:report-reopen", kwargs={"pk": report.pk}), {"reason": "Bổ sung số liệu."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "Bổ sung số liệu."
    assert not report.locks.filter(reopened_at__isnull=True).exists()


def test_it_shows_when_live_figures_differ_from_the_frozen_ones(
    client_as: Callable[[str], Client], draft: Report, demo_user: Callable[[str], Any]
) -> None:
    from phoihop.entry.services import figures_enter
    from phoihop.programmes.models import Indicator

    writer = demo_user("hoankiem.ccb")
    report = services.report_submit(report=sign(draft, writer), acting_user=writer)
    page = client_as("hoankiem.ccb").get(reverse("reporting:report", kwargs={"pk": report.pk}))
    assert 'data-testid="live-differences"' not in page.content.decode()
    indicator = Indicator.objects.get(programme__code="QDND-CCB", code="tt-buoi")
    figures_enter(
        acting_user=demo_user("hoankiem.ccb"),
        unit=unit("CCB-X00070"),
        period_start=date(2026, 9, 15),
        period_end=date(2026, 10, 14),
        values={indicator: 7},
        note="Bổ sung sau khi gửi",
    )
    page = client_as("hoankiem.ccb").get(reverse("reporting:report", kwargs={"pk": report.pk}))
    text = page.content.decode()
    assert "Số liệu hiện nay đã khác số liệu đã chốt khi gửi" in text
    assert indicator.name in text


# --- annexes load apart from the report's page -------------------------------------------------------


def annex_rows(html: str) -> list[list[str]]:
    """The annex table's body rows as the cells' texts."""
    import re

    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


@pytest.mark.parametrize("sent", [False, True], ids=["live draft", "frozen"])
def test_the_annex_loads_apart_and_holds_the_contents_rows(
    client_as: Callable[[str], Client], period: ReportingPeriod, demo_user: Callable[[str], Any], sent: bool
) -> None:
    """The page names the annex and where its table loads from (a province's annex has a row per
    district); the table equals the content's annex, row for row, live or frozen."""
    from phoihop.reporting.content import content_for
    from phoihop.reporting.content_html import number

    report = services.report_open(period=period, unit=unit("CCB-HANOI"), acting_user=demo_user("hanoi.ccb"))
    if sent:
        report = services.report_submit(report=sign(report, demo_user("hanoi.ccb")), acting_user=demo_user("hanoi.ccb"))
    client = client_as("hanoi.ccb")
    page = client.get(reverse("reporting:report", kwargs={"pk": report.pk}))
    text = page.content.decode()
    url = reverse("reporting:report-annex", kwargs={"pk": report.pk, "n": 1})
    assert 'data-testid="annex-card"' in text and f'hx-get="{url}"' in text
    assert 'data-testid="annex"' not in text  # the table itself is not in the page
    # Over a dozen districts: the table loads when the annex is opened, not with the page.
    assert "show.bs.collapse once" in text

    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html and 'data-testid="annex"' in html
    [annex] = content_for(Report.objects.get(pk=report.pk))["annexes"]
    assert len(annex["rows"]) > 12
    expected = [[r["name"], *(number(v) for v in r["values"])] for r in annex["rows"]]
    assert annex_rows(html) == expected
    # Without htmx the same table is a page of its own.
    full = client.get(url)
    assert full.status_code == 200 and "<html" in full.content.decode()
    assert annex_rows(full.content.decode()) == expected
    assert client.get(reverse("reporting:report-annex", kwargs={"pk": report.pk, "n": 2})).status_code == 404


def test_a_short_annex_opens_with_the_page(client_as: Callable[[str], Client], draft: Report) -> None:
    """A ward has no districts under it: its annex is short and loads with the page."""
    page = client_as("hoankiem.ccb").get(reverse("reporting:report", kwargs={"pk": draft.pk}))
    text = page.content.decode()
    assert 'hx-trigger="load"' in text and 'class="collapse show" id="annex-1"' in text


def test_another_provinces_annex_is_not_found(
    client_as: Callable[[str], Client], camau_report: Report, draft: Report
) -> None:
    url = reverse("reporting:report-annex", kwargs={"pk": camau_report.pk, "n": 1})
    assert client_as("hanoi.ccb").get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert client_as("camau.ccb").get(url, HTTP_HX_REQUEST="true").status_code == 200


def test_a_drafts_page_content_without_annexes_has_the_same_figures(draft: Report) -> None:
    from phoihop.reporting.content import content_for

    whole, page = content_for(draft), content_for(draft, annexes=False)
    assert page["annexes"] is None and whole["annexes"]
    assert page["fields"] == whole["fields"] and page["activities"] == whole["activities"]


# --- documents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "content_type", "magic"), [("docx", DOCX, b"PK"), ("xlsx", XLSX, b"PK")])
def test_it_downloads_the_report_as_a_document(
    client_as: Callable[[str], Client], draft: Report, fmt: str, content_type: str, magic: bytes
) -> None:
    response = client_as("hanoi.ccb").get(reverse("reporting:report-document", kwargs={"pk": draft.pk, "fmt": fmt}))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert f".{fmt}" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    content = body(response)
    assert content.startswith(magic) and len(content) > 1000
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(content))
        assert book.sheetnames


def test_it_answers_404_for_an_unknown_document_format(client_as: Callable[[str], Client], draft: Report) -> None:
    url = reverse("reporting:report-document", kwargs={"pk": draft.pk, "fmt": "exe"})
    assert client_as("hanoi.ccb").get(url).status_code == 404


def test_it_says_in_vietnamese_that_pdf_needs_libreoffice(
    client_as: Callable[[str], Client], draft: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builders, "pdf_available", lambda: False)
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    client = client_as("hanoi.ccb")
    response = client.get(reverse("reporting:report-document", kwargs={"pk": draft.pk, "fmt": "pdf"}))
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report", kwargs={"pk": draft.pk})
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "LibreOffice" in text and "Word (DOCX)" in text
    assert "alert-danger" in text


def test_it_builds_a_document_in_the_background_and_polls_its_progress(
    client_as: Callable[[str], Client], draft: Report, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("hanoi.ccb")
    response = client.post(reverse("reporting:report-job-create", kwargs={"pk": draft.pk}), {"format": "xlsx"})
    assert response.status_code == 302
    job = DocumentJob.objects.get(report=draft)
    assert response["Location"] == reverse("reporting:job", kwargs={"pk": job.pk})
    # Not built yet (the tests' transaction never commits): the status part polls every second.
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert 'hx-trigger="every 1s"' in text and "<html" not in text
    assert client.get(reverse("reporting:job-download", kwargs={"pk": job.pk})).status_code == 404
    # With the commit, the job runs (immediate mode) and the page offers the file.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report-job-create", kwargs={"pk": draft.pk}), {"format": "docx"})
    done = DocumentJob.objects.get(report=draft, format="docx")
    assert done.status == JobStatus.DONE
    partial = client.get(reverse("reporting:job", kwargs={"pk": done.pk}), HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert "hx-trigger" not in text
    assert reverse("reporting:job-download", kwargs={"pk": done.pk}) in text
    download = client.get(reverse("reporting:job-download", kwargs={"pk": done.pk}))
    assert download.status_code == 200 and download["Content-Type"] == DOCX
    assert body(download).startswith(b"PK")
    assert client_as("camau.ccb").get(reverse("reporting:job", kwargs={"pk": done.pk})).status_code == 404


def test_it_keeps_the_signed_scan_for_the_reports_readers_only(
    client_as: Callable[[str], Client], draft: Report, demo_user: Callable[[str], Any]
) -> None:
    writer = client_as("hoankiem.ccb")
    upload = reverse("reporting:report-scan-upload", kwargs={"pk": draft.pk})
    # Not sent yet: refused.
    response = writer.post(upload, {"file": SimpleUploadedFile("ban-ky.pdf", PDF)})
    assert "Chỉ lưu bản ký của báo cáo đã gửi" in " ".join(messages_of(response))
    services.report_submit(report=sign(draft, demo_user("hoankiem.ccb")), acting_user=demo_user("hoankiem.ccb"))
    response = writer.post(upload, {"file": SimpleUploadedFile("chuong-trinh.exe", EXE)})
    assert not Report.objects.get(pk=draft.pk).signed_scan
    response = writer.post(upload, {"file": SimpleUploadedFile("ban-ky.pdf", PDF)})
    assert response.status_code == 302
    assert Report.objects.get(pk=draft.pk).signed_scan
    scan = reverse("reporting:report-scan", kwargs={"pk": draft.pk})
    download = client_as("hanoi.ccb").get(scan)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert body(download) == PDF
    assert client_as("camau.ccb").get(scan).status_code == 404


# --- periods, requests and completeness ------------------------------------------------------------


def test_it_counts_completeness_like_a_direct_count(
    client_as: Callable[[str], Client], period: ReportingPeriod, demo_user: Callable[[str], Any]
) -> None:
    hanoi = unit("CCB-HANOI")
    communes = OrgUnitLevel.objects.get(organisation__code="ccb", code="commune")
    services.requests_create(period=period, levels=[communes, hanoi.level], acting_user=demo_user("admin"))
    sent = list(
        OrgUnit.objects.filter(path__startswith=hanoi.path, level=communes, valid_to__isnull=True).order_by("path")[:3]
    )
    for commune in sent:
        report = services.report_open(period=period, unit=commune, acting_user=demo_user("hanoi.ccb"))
        services.report_submit(report=sign(report, demo_user("hanoi.ccb")), acting_user=demo_user("hanoi.ccb"))
    services.report_open(period=period, unit=hanoi, acting_user=demo_user("hanoi.ccb"))

    response = client_as("hanoi.ccb").get(reverse("reporting:period", kwargs={"pk": period.pk}))
    assert response.status_code == 200
    rates = {r.level.pk: r for r in response.context["rates"]}
    in_scope = ReportRequest.objects.filter(period=period, unit__path__startswith=hanoi.path)
    for level_pk, rate in rates.items():
        requests = in_scope.filter(unit__level_id=level_pk)
        units = list(requests.values_list("unit_id", flat=True))
        submitted = Report.objects.filter(
            Q(unit_id__in=units) | Q(partner_unit_id__in=units),
            period=period,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
        ).count()
        assert rate.expected == requests.count()
        assert rate.submitted == submitted
        assert rate.on_time == submitted  # sent today, before the due date
        assert len(rate.missing) == rate.expected - rate.submitted
    assert rates[communes.pk].submitted == 3
    assert rates[hanoi.level_id].expected == 1 and rates[hanoi.level_id].submitted == 0
    text = response.content.decode()
    assert f'data-expected="{rates[communes.pk].expected}" data-submitted="3" data-on-time="3"' in text
    # Hà Nội's province report is a draft: listed as missing with its status.
    assert 'data-unit="CCB-HANOI" data-status="draft"' in text
    # Narrowed to one commune's subtree, and never another province.
    narrowed = client_as("hanoi.ccb").get(
        reverse("reporting:period", kwargs={"pk": period.pk}), {"under": sent[0].code}
    )
    assert [(r.expected, r.submitted) for r in narrowed.context["rates"]] == [(1, 1)]
    other = client_as("hanoi.ccb").get(reverse("reporting:period", kwargs={"pk": period.pk}), {"under": "CCB-CAMAU"})
    assert other.context["rates"] == [] and "CCB-CAMAU" not in other.content.decode()


def test_it_creates_requests_for_chosen_levels_from_the_period_page(
    client_as: Callable[[str], Client], period: ReportingPeriod
) -> None:
    communes = OrgUnitLevel.objects.get(organisation__code="ccb", code="commune")
    client = client_as("hanoi.ccb")
    page = client.get(reverse("reporting:period", kwargs={"pk": period.pk}))
    assert page.context["request_form"] is not None
    url = reverse("reporting:request-create", kwargs={"pk": period.pk})
    response = client.post(url, {"levels": [communes.pk], "due_date": ""})
    assert response.status_code == 302
    created = ReportRequest.objects.filter(period=period)
    expected = OrgUnit.objects.filter(
        path__startswith=unit("CCB-HANOI").path, level=communes, valid_to__isnull=True
    ).count()
    assert created.count() == expected
    assert not created.exclude(unit__path__startswith=unit("CCB-HANOI").path).exists()
    assert f"Đã gửi yêu cầu báo cáo đến {expected} đơn vị." in messages_of(response)
    # No level chosen: a message, nothing made.
    response = client.post(url, {"due_date": ""})
    assert "Hãy chọn ít nhất một cấp." in messages_of(response)
    # A due date before the period's end is refused.
    response = client.post(url, {"levels": [communes.pk], "due_date": "2026-01-01"})
    assert "Hạn gửi không được trước ngày cuối kỳ." in messages_of(response)
    # A reporter, who approves nothing, gets no form.
    assert (
        client_as("hoankiem.ccb").get(reverse("reporting:period", kwargs={"pk": period.pk})).context["request_form"]
        is None
    )


def test_it_lets_the_programme_manager_create_edit_and_generate_periods(client_as: Callable[[str], Client]) -> None:
    admin = client_as("admin")
    url = reverse("reporting:period-create")
    data = {
        "programme": "QDND-CCB",
        "name": "Chuyên đề an sinh",
        "kind": "other",
        "report_type": "thematic",
        "phase": "",
        "start": "2026-05-01",
        "end": "2026-04-01",
        "due_date": "",
    }
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    response = admin.post(url, {**data, "name": "", "end": "2026-06-30"})
    assert "Trường này là bắt buộc." in response.content.decode()
    response = admin.post(url, {**data, "end": "2026-06-30"})
    assert response.status_code == 302
    created = ReportingPeriod.objects.get(name="Chuyên đề an sinh")
    assert created.due_date == date(2026, 7, 10)  # ten days after the end by default
    response = admin.post(
        reverse("reporting:period-edit", kwargs={"pk": created.pk}),
        {
            **data,
            "end": "2026-06-30",
            "due_date": "2026-07-31",
            "name": "Chuyên đề an sinh xã hội",
            "version": created.version,
        },
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.name, created.due_date) == ("Chuyên đề an sinh xã hội", date(2026, 7, 31))
    # Only managers: an approver gets 403 on the forms and on generating.
    hanoi = client_as("hanoi.ccb")
    assert hanoi.get(url).status_code == 403
    assert hanoi.get(reverse("reporting:period-edit", kwargs={"pk": created.pk})).status_code == 403
    phase = Programme.objects.get(code="QDND-CCB").phases.get(code="2022-2027")
    before = ReportingPeriod.objects.filter(phase=phase).count()
    assert hanoi.post(reverse("reporting:period-generate", kwargs={"pk": phase.pk})).status_code == 403
    response = admin.post(reverse("reporting:period-generate", kwargs={"pk": phase.pk}))
    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(phase=phase).count() >= before


def test_it_never_echoes_a_programme_or_unit_out_of_sight(client_as: Callable[[str], Client]) -> None:
    client = client_as("hanoi.ccb")
    response = client.get(reverse("reporting:period-list"), {"programme": "khong-co"})
    assert response.status_code == 200 and response.context["programme_missing"]
    assert "khong-co" not in response.content.decode()
    response = client.get(reverse("reporting:report-list"), {"unit": "CCB-CAMAU"})
    assert response.status_code == 200 and response.context["unit_missing"]
    assert "CCB-CAMAU" not in response.content.decode()


# --- templates ------------------------------------------------------------------------------------


def test_it_shows_the_templates_to_system_administrators_only(client_as: Callable[[str], Client]) -> None:
    for username in ("hanoi.ccb", "tuhoi", "hoankiem.ccb"):
        client = client_as(username)
        assert client.get(reverse("reporting:template-list")).status_code == 404
        assert client.get(reverse("reporting:template-default", kwargs={"kind": "association"})).status_code == 404
    admin = client_as("admin")
    page = admin.get(reverse("reporting:template-list"))
    assert page.status_code == 200
    shipped = admin.get(reverse("reporting:template-default", kwargs={"kind": "association"}))
    assert shipped.status_code == 200 and shipped["Content-Type"] == DOCX
    content = body(shipped)
    # Uploading a broken file is refused with the reason; the shipped one is taken as version 1.
    response = admin.post(
        reverse("reporting:template-upload"),
        {"kind": "association", "file": SimpleUploadedFile("mau.docx", b"not a docx"), "note": ""},
    )
    assert response.status_code == 200 and "Mẫu không hợp lệ" in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    response = admin.post(
        reverse("reporting:template-upload"),
        {"kind": "association", "file": SimpleUploadedFile("mau.docx", content), "note": "Thêm logo"},
    )
    assert response.status_code == 302
    template = DocumentTemplate.objects.get()
    assert (template.kind, template.version, template.note, template.is_active) == ("association", 1, "Thêm logo", True)
    download = admin.get(reverse("reporting:template-download", kwargs={"pk": template.pk}))
    assert body(download) == content
    admin.post(reverse("reporting:template-toggle", kwargs={"pk": template.pk}))
    assert not DocumentTemplate.objects.get(pk=template.pk).is_active
    hanoi = client_as("hanoi.ccb")
    assert hanoi.post(reverse("reporting:template-toggle", kwargs={"pk": template.pk})).status_code == 404
    assert hanoi.get(reverse("reporting:template-download", kwargs={"pk": template.pk})).status_code == 404


def test_it_sends_with_the_number_left_blank_for_the_clerk(
    client_as: Callable[[str], Client], draft: Report, demo_user: Callable[[str], Any]
) -> None:
    draft = sign(draft, demo_user("hoankiem.ccb"))  # sent with a blank number, never without a signer
    client = client_as("hoankiem.ccb")
    page = client.get(reverse("reporting:report", kwargs={"pk": draft.pk})).content.decode()
    assert "Để trống số cho văn thư" in page
    response = client.post(
        reverse("reporting:report-submit", kwargs={"pk": draft.pk}), {"version": draft.version, "blank_number": "1"}
    )
    assert response.status_code == 302
    sent = Report.objects.get(pk=draft.pk)
    assert sent.status == ReportStatus.SUBMITTED and sent.number is None

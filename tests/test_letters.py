"""Official letters (công văn) of a reporting period: the request for reports and the reminder.

The letter names exactly the units asked (or overdue), checked by brute force against the
requests and reports; another province's issuing unit answers 404 on the page and in the API;
a number is taken from the body's register only with a named signer, once; the Word file is a
Decree 30 letter ("V/v", "Kính gửi:", the due date in words, "./.") and LibreOffice opens it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from phoihop.core.formats import cited_date, vn_date_words
from phoihop.documents.pdf import pdf_available
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel
from phoihop.reporting import letters, services
from phoihop.reporting.models import (
    DocumentKind,
    NumberRegister,
    RegisteredNumber,
    Report,
    ReportingPeriod,
    ReportRequest,
    ReportStatus,
    Signatory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)  # the tests' clock (conftest.py)
SIGNER = "Nguyễn Văn Thử"


def half_year() -> ReportingPeriod:
    """The demo's first half of 2026: every province-level unit asked, a mix of states."""
    return ReportingPeriod.objects.get(programme__code="QDND-CCB", kind="half", start=date(2025, 12, 15))


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def sign_for(code: str, name: str = SIGNER, **fields: Any) -> Signatory:
    values = {"capacity": "TM.", "collective": "BAN THƯỜNG VỤ", "title": "CHỦ TỊCH", "is_head": True}
    values.update(fields)
    return Signatory.objects.create(unit=unit(code), full_name=name, valid_from=date(2020, 1, 1), **values)


def xml_of(content: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()


def text_of(content: bytes) -> str:
    """The document's text, paragraph by paragraph (one line each)."""
    xml = xml_of(content)
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL)
    return "\n".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paragraphs)


def content(response: Any) -> bytes:
    """A download's bytes (the pages answer a FileResponse, the API an HttpResponse)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def letter_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def period_letters(period: ReportingPeriod) -> Any:
    return RegisteredNumber.objects.filter(
        content_type=ContentType.objects.get_for_model(ReportingPeriod),
        object_id=period.pk,
        kind=DocumentKind.OFFICIAL_LETTER,
    )


def last_number(code: str) -> int:
    found = NumberRegister.objects.filter(unit=unit(code), year=TODAY.year).values_list("last", flat=True).first()
    return found or 0


# --- whom the letters name --------------------------------------------------------------------


def test_the_request_letter_names_exactly_the_requested_units(demo_user: Callable[[str], Any]) -> None:
    period, root = half_year(), unit("CCB-TW")
    letter = letters.letter_preview(letters.REQUEST, period, root, demo_user("tuhoi"))
    # Brute force: every request of the period below the association's root.
    expected = {
        (r.unit.name, r.due_date)
        for r in ReportRequest.objects.filter(period=period, unit__path__startswith=root.path).exclude(unit=root)
    }
    assert len(expected) > letters.NAMED_ADDRESSEES
    annex = letter.document.lists[0]
    listed = {(name, due) for name, due in annex.rows}
    assert listed == {(name, cited_date(due)) for name, due in expected}
    assert len(annex.rows) == len(expected)  # each once
    # Many units: one collective line from the level's name, not 34 names.
    assert letter.document.addressees == ["Hội Cựu chiến binh các tỉnh, thành phố"]
    text = text_of(letters.build(letter, "docx").content)
    assert all(name in text for name, _due in expected)
    assert "Kính gửi: Hội Cựu chiến binh các tỉnh, thành phố." in text


def test_a_few_units_are_named_one_by_one(demo_user: Callable[[str], Any]) -> None:
    period, province, user = half_year(), unit("CCB-HANOI"), demo_user("hanoi.ccb")
    commune = OrgUnitLevel.objects.get(organisation__code="ccb", code="commune")
    communes = list(
        OrgUnit.objects.filter(path__startswith=province.path, level=commune, valid_to__isnull=True).order_by("path")[
            :3
        ]
    )
    for c in communes:
        services.requests_create(period=period, levels=[commune], acting_user=user, under=c)
    letter = letters.letter_preview(letters.REQUEST, period, province, user)
    assert letter.document.addressees == [c.name for c in communes]
    assert not letter.document.lists  # named on the letter: no list attached
    text = text_of(letters.build(letter, "docx").content)
    assert "Kính gửi:" in text
    for c in communes:
        assert f"- {c.name}" in text


def test_the_reminder_names_exactly_the_overdue_units(demo_user: Callable[[str], Any]) -> None:
    period, root = half_year(), unit("CCB-TW")
    letter = letters.letter_preview(letters.REMINDER, period, root, demo_user("tuhoi"), on_date=TODAY)
    overdue = set()
    for request in ReportRequest.objects.filter(period=period, unit__path__startswith=root.path).exclude(unit=root):
        report = (
            Report.objects.filter(period=period)
            .filter(Q(unit=request.unit) | Q(partner_unit=request.unit))
            .order_by("unit__path")
            .first()
        )
        in_hand = report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
        if not in_hand and request.due_date < TODAY:
            overdue.add((request.unit.name, cited_date(request.due_date)))
    assert overdue  # the demo has drafts, returned reports and units that never started
    text = text_of(letters.build(letter, "docx").content)
    named = set(re.findall(r"^- (.+?): hạn gửi (\d\d/\d\d/\d{4}),", text, re.MULTILINE))
    assert named == overdue
    assert f"Đến ngày {cited_date(TODAY)}" in text
    # Before the due date nobody is overdue: no reminder to write.
    with pytest.raises(ValidationError, match="không có đơn vị nào"):
        letters.letter_preview(letters.REMINDER, period, root, demo_user("tuhoi"), on_date=date(2026, 6, 24))


# --- who may write and download ---------------------------------------------------------------


def test_another_province_cannot_download_its_letters(
    client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    period = half_year()
    page = reverse("reporting:period-letter", kwargs={"pk": period.pk, "kind": "request"})
    file = reverse("reporting:period-letter-file", kwargs={"pk": period.pk, "kind": "request", "fmt": "docx"})
    api = reverse("api:reporting-period-letter", kwargs={"pk": period.pk, "kind": "request", "fmt": "docx"})
    camau = client_as("camau.ccb")
    assert camau.get(page, {"unit": "CCB-HANOI"}).status_code == 404
    assert camau.get(file, {"unit": "CCB-HANOI"}).status_code == 404
    assert camau.post(file, {"unit": "CCB-HANOI"}).status_code == 404
    assert client_as("hanoi.ccb").get(page, {"unit": "CCB-TW"}).status_code == 404  # the level above's
    client = api_client_as("camau.ccb")
    assert client.get(api, {"unit": "CCB-HANOI"}).status_code == 404
    assert client.post(api, {"unit": "CCB-HANOI"}, format="json").status_code == 404
    assert not period_letters(period).exists()
    # A reader who asks no unit for reports writes no letter.
    assert client_as("hoankiem.ccb").get(page).status_code == 404


def test_the_period_page_offers_the_letters_to_those_who_write_them(client_as: Callable[[str], Any]) -> None:
    period = half_year()
    url = reverse("reporting:period", kwargs={"pk": period.pk})
    page = client_as("tuhoi").get(url).content.decode()
    assert "Công văn yêu cầu báo cáo" in page
    assert "Công văn đôn đốc" in page  # some units are late
    assert "Công văn yêu cầu báo cáo" not in client_as("hoankiem.ccb").get(url).content.decode()
    letter_page = client_as("tuhoi").get(
        reverse("reporting:period-letter", kwargs={"pk": period.pk, "kind": "reminder"})
    )
    assert letter_page.status_code == 200
    assert "Lấy số và tải văn bản" in letter_page.content.decode()


# --- numbers ----------------------------------------------------------------------------------


def test_the_number_is_taken_once_and_registered(
    client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    period = half_year()
    sign_for("CCB-TW")
    file = reverse("reporting:period-letter-file", kwargs={"pk": period.pk, "kind": "request", "fmt": "docx"})
    client = client_as("tuhoi")
    preview = client.get(file)
    assert preview.status_code == 200
    assert not period_letters(period).exists()  # a preview takes no number
    assert re.search(r"Số: +/", text_of(content(preview)))  # blank for the clerk

    before = last_number("CCB-TW")
    issued = client.post(file, {"unit": "CCB-TW"})
    assert issued.status_code == 200
    entry = period_letters(period).get()
    assert entry.unit == unit("CCB-TW") and entry.year == TODAY.year and entry.issued_on == TODAY
    assert entry.number == before + 1
    assert entry.subject.startswith("báo cáo 6 tháng đầu năm 2026 thực hiện")
    assert f"Số: {entry.label}" in text_of(content(issued))
    assert entry.taken_by.username == "tuhoi"

    # Asked again (page or API): the same number, no second line.
    again = client.post(file, {"unit": "CCB-TW"})
    assert f"Số: {entry.label}" in text_of(content(again))
    api = reverse("api:reporting-period-letter", kwargs={"pk": period.pk, "kind": "request", "fmt": "docx"})
    by_api = api_client_as("tuhoi").post(api, {"unit": "CCB-TW"}, format="json")
    assert by_api.status_code == 200
    assert f"Số: {entry.label}" in text_of(content(by_api))
    assert period_letters(period).count() == 1
    assert NumberRegister.objects.get(unit=unit("CCB-TW"), year=TODAY.year).last == entry.number
    # The register's page links the line to the period.
    register = client.get(reverse("reporting:register", kwargs={"unit": entry.unit_id, "year": entry.year}))
    assert reverse("reporting:period", kwargs={"pk": period.pk}) in register.content.decode()

    # The reminder is another letter: its own number.
    reminder = reverse("reporting:period-letter-file", kwargs={"pk": period.pk, "kind": "reminder", "fmt": "docx"})
    text = text_of(content(client.post(reminder, {"unit": "CCB-TW"})))
    assert period_letters(period).count() == 2
    assert f"Công văn số {entry.label}" in text  # it cites the request letter


def test_a_placeholder_or_missing_signer_is_refused(demo_user: Callable[[str], Any], api_client_as: Any) -> None:
    period = half_year()
    before = last_number("CCB-TW")
    sign_for("CCB-TW", name="Thủ trưởng đơn vị", capacity="", collective="", title="THỦ TRƯỞNG ĐƠN VỊ")
    with pytest.raises(ValidationError) as refused:
        letters.letter_issue(
            letters.REQUEST, period, unit("CCB-TW"), demo_user("tuhoi"), signer_name="Thủ trưởng đơn vị"
        )
    assert "không phải họ tên người ký" in " ".join(refused.value.messages)
    # A name that is not the body's signatory that day.
    with pytest.raises(ValidationError, match="không phải người ký"):
        letters.letter_issue(letters.REQUEST, period, unit("CCB-TW"), demo_user("tuhoi"), signer_name="Ai Đó")
    api = reverse("api:reporting-period-letter", kwargs={"pk": period.pk, "kind": "request", "fmt": "docx"})
    answer = api_client_as("tuhoi").post(api, {"unit": "CCB-TW", "signer": "Thủ trưởng đơn vị"}, format="json")
    assert answer.status_code == 400
    assert not period_letters(period).exists()
    assert last_number("CCB-TW") == before  # no number taken and lost


def test_no_signatory_no_number(demo_user: Callable[[str], Any]) -> None:
    period, province, user = half_year(), unit("CCB-CAMAU"), demo_user("camau.ccb")
    commune = OrgUnitLevel.objects.get(organisation__code="ccb", code="commune")
    first = OrgUnit.objects.filter(path__startswith=province.path, level=commune, valid_to__isnull=True).first()
    services.requests_create(period=period, levels=[commune], acting_user=user, under=first)
    Signatory.objects.filter(unit=province).delete()
    letters.letter_preview(letters.REQUEST, period, province, user)  # a preview is fine
    with pytest.raises(ValidationError, match="Chưa có người ký"):
        letters.letter_issue(letters.REQUEST, period, province, user)
    assert not period_letters(period).exists()


# --- the document ------------------------------------------------------------------------------


def test_the_word_file_is_a_decree_30_letter(demo_user: Callable[[str], Any]) -> None:
    period = half_year()
    sign_for("CCB-TW")
    letter = letters.letter_issue(letters.REQUEST, period, unit("CCB-TW"), demo_user("tuhoi"), signer_name=SIGNER)
    xml = xml_of(letters.build(letter, "docx").content)
    text = text_of(letters.build(letter, "docx").content)
    lines = letter_lines(text)
    assert "V/v báo cáo 6 tháng đầu năm 2026 thực hiện Chương trình phối hợp" in text
    assert "BÁO CÁO" not in lines  # a letter has no type name
    assert "Kính gửi:" in xml
    assert vn_date_words(period.due_date) in text  # "ngày 24 tháng 6 năm 2026"
    assert vn_date_words(period.start) in text and vn_date_words(period.end) in text
    assert "./." in xml
    assert re.search(r"Số: \d\d/HCCB", text)
    assert "Như trên" in text
    assert SIGNER in text
    assert "minh họa" not in text.lower()


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_letter(client_as: Callable[[str], Any]) -> None:
    period = half_year()
    url = reverse("reporting:period-letter-file", kwargs={"pk": period.pk, "kind": "reminder", "fmt": "pdf"})
    response = client_as("tuhoi").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = content(response)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
        text = done.stdout.decode()
        assert "V/v đôn đốc báo cáo" in text
        assert "Kính gửi:" in text

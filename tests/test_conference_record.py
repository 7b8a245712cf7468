"""The conference record holds what its documents need (issue 14, items 3 and 4): the hour, the
venue, the programme, the speeches and the conclusions, through the service, the pages and the API;
the invitation names the hour and the venue and the notice carries the conclusions, or they are
refused; the bản tin of the seed's conference is an article written from the record (headline
results from the frozen report, the directions adopted, the signing), printed without the
application's chrome and exported to Word."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from phoihop.conferences import services
from phoihop.conferences.documents import NotReady, build_bulletin, build_invitation, build_notice
from phoihop.conferences.models import AgendaItem, Conference, Speech
from phoihop.conferences.selectors import headline_results, news_summary
from phoihop.core.formats import vn_number
from phoihop.demo.conferences import NATIONAL_DAY, PROVINCIAL_DAY
from phoihop.orgunits.models import Person
from tests.support.api_world import VersionedAPIClient as APIClient  # sends If-Match on PATCH

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def national() -> Conference:
    return Conference.objects.get(programme__code="QDND-CCB", held_on=NATIONAL_DAY)


def provincial() -> Conference:
    """Hà Nội's conference: organised by QS-HANOI and CCB-HANOI."""
    return Conference.objects.get(programme__code="QDND-CCB", held_on=PROVINCIAL_DAY)


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def docx_paragraphs(content: bytes) -> list[str]:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return parts


def save(conference: Conference, user: Any, **data: Any) -> Conference:
    return services.conference_save(
        acting_user=user, conference=conference, organisers=list(conference.organisers.all()), data=data
    )


# --- the record --------------------------------------------------------------------------------


def test_the_service_keeps_the_hour_the_venue_and_the_conclusions(demo_user: Callable[[str], Any]) -> None:
    user, conference = demo_user("hanoi.ccb"), provincial()
    save(
        conference,
        user,
        starts_at=time(7, 30),
        ends_at=time(11, 0),
        venue="  Hội trường   Bộ Tư lệnh Thủ đô ",
        venue_address="số 1 phố Thử, Hà Nội",
        conclusions_intro="Đồng chí chủ trì kết luận:",
        conclusions="Một.\n\n  Hai   điểm. \n",
    )
    conference.refresh_from_db()
    assert conference.history.first().history_change_reason  # who and why, in its history
    assert (conference.starts_at, conference.ends_at) == (time(7, 30), time(11, 0))
    assert conference.venue == "Hội trường Bộ Tư lệnh Thủ đô"
    assert conference.conclusion_points == ["Một.", "Hai điểm."]
    with pytest.raises(ValidationError) as caught:
        save(conference, user, ends_at=time(7, 0))
    assert "Giờ bế mạc phải sau giờ khai mạc." in str(caught.value)
    conference.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        save(conference, user, venue="", venue_address="số 2 phố Thử")
    assert "Đã ghi địa chỉ thì phải ghi tên hội trường, phòng họp." in str(caught.value)


def test_the_edit_page_saves_the_new_fields_and_says_what_is_wrong(demo_user: Callable[[str], Any]) -> None:
    user, conference = demo_user("hanoi.ccb"), provincial()
    url = reverse("conferences:edit", args=[conference.pk])
    form = {
        "programme": conference.programme_id,
        "phase": conference.phase_id,
        "kind": conference.kind,
        "title": conference.title,
        "held_on": "2025-04-18",
        "starts_at": "13:30",
        "ends_at": "17:00",
        "place": "Hà Nội",
        "venue": "Phòng họp số 2",
        "venue_address": "số 9 phố Thử, Hà Nội",
        "conclusions_intro": "",
        "conclusions": "Điểm một.\nĐiểm hai.",
        "organiser_codes": "QS-HANOI, CCB-HANOI",
        "version": conference.version,
    }
    response = web(user).post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    conference.refresh_from_db()
    assert conference.starts_at == time(13, 30) and conference.venue == "Phòng họp số 2"
    assert conference.conclusion_points == ["Điểm một.", "Điểm hai."]
    bad = web(user).post(url, {**form, "starts_at": "25:99", "version": conference.version})
    assert bad.status_code == 200
    assert "Giờ khai mạc không hợp lệ (ví dụ 08:00)." in bad.content.decode()
    detail = web(user).get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "13:30–17:00" in detail and "Phòng họp số 2" in detail and "Điểm hai." in detail


def test_programme_items_and_speeches_through_the_service_and_the_page(
    demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    user, conference = demo_user("hanoi.ccb"), provincial()
    client = web(user)
    url = reverse("conferences:programme", args=[conference.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"form": "agenda", "agenda-at": "14:00", "agenda-item": "Khai mạc", "agenda-presenter": "Ban Tổ chức"}
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(conference=conference, item="Khai mạc")
    assert item.at == time(14, 0) and item.presenter == "Ban Tổ chức"
    empty = client.post(url, {"form": "agenda", "agenda-item": "  "})
    assert "Hãy ghi nội dung của mục chương trình." in empty.content.decode()
    person = Person.objects.get(full_name="Lê Quang Vinh")  # a co-chair: named by rank and name only
    response = client.post(
        url,
        {
            "form": "speech",
            "speech-kind": "khai-mac",
            "speech-person": person.pk,
            "speech-title": "Phát biểu khai mạc",
            "speech-summary": "Hai bên đã phối hợp chặt chẽ.\nĐoạn thứ hai.",
            "speech-rank": "dai-ta",
            "speech-positions": "Phó Chủ tịch khi đó",
            "speech-file": SimpleUploadedFile("phat-bieu.pdf", PDF),
        },
    )
    assert response.status_code == 302
    speech = Speech.objects.get(conference=conference, title="Phát biểu khai mạc")
    assert (speech.rank_at_event, speech.positions_at_event) == ("dai-ta", ["Phó Chủ tịch khi đó"])
    assert speech.file and speech.content_type == "application/pdf"
    nobody = client.post(url, {"form": "speech", "speech-kind": "phat-bieu", "speech-title": "Không ai nói"})
    assert "Hãy chọn người phát biểu hoặc ghi họ tên người phát biểu." in nobody.content.decode()
    # The speech tells the bản tin, with the rank and position of that day.
    text = news_summary(conference).text
    assert "Phát biểu khai mạc Hội nghị, Đại tá Lê Quang Vinh cho biết: Hai bên đã phối hợp chặt chẽ." in text
    assert "Đoạn thứ hai." not in text  # a one-page article quotes the gist
    # Its file is served to readers; edit and remove go through the service.
    download = client.get(reverse("conferences:speech-file", args=[conference.pk, speech.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    edit = reverse("conferences:speech-edit", args=[conference.pk, speech.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "kind": "be-mac",
            "person": "",
            "speaker_name": "Nguyễn Văn Khách",
            "speaker_title": "Phó Chủ tịch Ủy ban Mặt trận Tổ quốc thành phố",
            "title": "Phát biểu bế mạc",
            "summary": "Cảm ơn.",
            "version": speech.version,
        },
    )
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.person_id is None and speech.rank_at_event == "" and speech.speaker_name == "Nguyễn Văn Khách"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("conferences:speech-remove", args=[conference.pk, speech.pk])).status_code == 302
    assert not Speech.objects.filter(pk=speech.pk).exists()
    item_edit = reverse("conferences:agenda-edit", args=[conference.pk, item.pk])
    response = client.post(item_edit, {"at": "14:15", "item": "Khai mạc Hội nghị", "order": 1, "version": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.at == time(14, 15) and item.history.count() == 2


def test_a_speech_file_is_checked_by_its_content(demo_user: Callable[[str], Any]) -> None:
    with pytest.raises(ValidationError):
        services.speech_add(
            conference=provincial(),
            acting_user=demo_user("hanoi.ccb"),
            title="Tệp giả",
            speaker_name="Khách",
            upload=SimpleUploadedFile("phat-bieu.pdf", b"MZ\x90\x00 a program, not a PDF"),
        )


def test_the_api_reads_and_writes_the_record(demo_user: Callable[[str], Any]) -> None:
    user, conference = demo_user("hanoi.ccb"), provincial()
    client = api(user)
    url = f"/api/v1/conferences/{conference.pk}/"
    response = client.patch(
        url,
        {
            "start_time": "15:00",
            "end_time": "17:30",
            "venue": "Hội trường API",
            "venue_address": "số 3 phố Thử",
            "conclusions_intro": "Hội nghị kết luận:",
            "conclusions": ["Điểm thứ nhất.", "  ", "Điểm thứ hai."],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["start_time"], data["end_time"]) == ("15:00", "17:30")
    assert (data["venue"], data["venue_address"]) == ("Hội trường API", "số 3 phố Thử")
    assert data["conclusions"] == ["Điểm thứ nhất.", "Điểm thứ hai."]
    bad = client.patch(url, {"conclusions": ["một\nhai"]}, format="json")
    assert bad.status_code == 400
    created = client.post(f"{url}agenda/", {"time": "15:05", "item": "Báo cáo sơ kết"}, format="json")
    assert created.status_code == 201 and created.json()["time"] == "15:05"
    speech = client.post(
        f"{url}speeches/",
        {
            "title": "Phát biểu của khách",
            "speaker_name": "Khách mời API",
            "speaker_title": "Nhà báo",
            "kind": "phat-bieu",
        },
        format="json",
    )
    assert speech.status_code == 201, speech.json()
    assert speech.json()["positions"] == ["Nhà báo"] and speech.json()["file"] is None
    patched = client.patch(f"{url}speeches/{speech.json()['id']}/", {"summary": "Tóm tắt mới."}, format="json")
    assert patched.status_code == 200 and patched.json()["summary"] == "Tóm tắt mới."
    detail = client.get(url).json()
    assert [i["item"] for i in detail["agenda"]][-1] == "Báo cáo sơ kết"
    assert [s["title"] for s in detail["speeches"]] == ["Phát biểu của khách"]


def test_a_user_outside_the_organisers_finds_nothing(demo_user: Callable[[str], Any]) -> None:
    camau, conference = demo_user("camau.ccb"), provincial()
    item = services.agenda_item_add(conference=conference, acting_user=demo_user("hanoi.ccb"), item="Khai mạc")
    speech = services.speech_add(
        conference=conference,
        acting_user=demo_user("hanoi.ccb"),
        title="Phát biểu",
        speaker_name="Khách",
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    client = web(camau)
    for name, args in (
        ("conferences:programme", [conference.pk]),
        ("conferences:agenda-edit", [conference.pk, item.pk]),
        ("conferences:speech-edit", [conference.pk, speech.pk]),
        ("conferences:speech-file", [conference.pk, speech.pk]),
        ("conferences:summary", [conference.pk]),
        ("conferences:summary-docx", [conference.pk]),
        ("conferences:invitation", [conference.pk]),
        ("conferences:notice", [conference.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.post(reverse("conferences:speech-remove", args=[conference.pk, speech.pk])).status_code == 404
    assert api(camau).get(f"/api/v1/conferences/{conference.pk}/speeches/").status_code == 404
    response = api(camau).post(f"/api/v1/conferences/{conference.pk}/agenda/", {"item": "X"}, format="json")
    assert response.status_code == 404
    assert Speech.objects.filter(pk=speech.pk).exists() and AgendaItem.objects.filter(pk=item.pk).exists()


# --- the invitation and the notice ---------------------------------------------------------------


def test_the_seed_invitation_names_the_hour_and_the_venue(demo_user: Callable[[str], Any]) -> None:
    response = web(demo_user("hanoi.ccb")).get(reverse("conferences:invitation", args=[national().pk]))
    assert response.status_code == 200
    paragraphs = docx_paragraphs(response.content)
    assert "Thời gian: từ 08 giờ 00 đến 11 giờ 30, ngày 23 tháng 9 năm 2022 (thứ Sáu)." in paragraphs
    assert (
        "Địa điểm: Hội trường Trung ương Hội Cựu chiến binh Việt Nam, số 34A Trần Phú, quận Ba Đình, Hà Nội."
        in paragraphs
    )
    assert "2. 08 giờ 10: Phát biểu khai mạc Hội nghị (Thiếu tướng Nguyễn Văn Gấu)." in paragraphs
    assert not any("minh họa" in p for p in paragraphs)


def test_the_invitation_is_refused_without_the_hour_or_the_venue(demo_user: Callable[[str], Any]) -> None:
    user, conference = demo_user("hanoi.ccb"), provincial()
    save(conference, user, starts_at=None, venue="")
    with pytest.raises(NotReady) as caught:
        build_invitation(conference)
    assert "chưa ghi giờ khai mạc và hội trường, phòng họp" in str(caught.value)
    client = web(user)
    response = client.get(reverse("conferences:invitation", args=[conference.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("conferences:detail", args=[conference.pk])
    assert "Chưa tạo được giấy mời" in client.get(response["Location"]).content.decode()
    save(conference, user, starts_at=time(14, 0))
    with pytest.raises(NotReady, match="chưa ghi hội trường, phòng họp"):
        build_invitation(conference)


def test_the_seed_notice_carries_the_numbered_conclusions() -> None:
    conference = national()
    paragraphs = docx_paragraphs(build_notice(conference).content)
    assert conference.conclusions_intro in paragraphs
    points = [p for p in paragraphs if re.match(r"^\d+\. ", p)]
    assert points == [f"{n}. {point}" for n, point in enumerate(conference.conclusion_points, start=1)]
    assert len(points) == 4 and "Giai đoạn 2022–2027, hai bên tập trung" in points[2]
    assert not any("Chưa ghi nội dung kết luận" in p or "minh họa" in p for p in paragraphs)


def test_the_notice_is_refused_without_conclusions(demo_user: Callable[[str], Any]) -> None:
    user, conference = demo_user("hanoi.ccb"), provincial()
    save(conference, user, conclusions="  \n ")
    with pytest.raises(NotReady, match="chưa ghi các điểm kết luận"):
        build_notice(conference)
    client = web(user)
    response = client.get(reverse("conferences:notice", args=[conference.pk]), follow=True)
    assert "Chưa tạo được thông báo kết luận" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("conferences:detail", args=[conference.pk])


# --- the bản tin ----------------------------------------------------------------------------------


def _frozen_values(conference: Conference) -> dict[int, tuple[int, str]]:
    assert conference.report is not None and conference.report.frozen
    return {
        row["indicator_id"]: (row["value"], row["unit_of_measure"])
        for field in conference.report.frozen["fields"]
        for row in field["rows"]
    }


SEED_FACTS = [
    "Sáng 23/9/2022, tại Hội trường Trung ương Hội Cựu chiến binh Việt Nam, Hà Nội, Tổng cục Chính trị Quân đội "
    "nhân dân Việt Nam phối hợp với Trung ương Hội Cựu chiến binh Việt Nam tổ chức Hội nghị tổng kết",
    "Thiếu tướng Nguyễn Văn Gấu, Ủy viên Trung ương Đảng, Phó Chủ nhiệm Tổng cục Chính trị Quân đội nhân dân Việt "
    "Nam và Trung tướng Khuất Việt Dũng, Phó Chủ tịch Hội Cựu chiến binh Việt Nam đồng chủ trì Hội nghị.",
    "Tới dự Hội nghị có đồng chí Phạm Tất Thắng, Ủy viên Trung ương Đảng, Phó Trưởng ban Thường trực Ban Dân vận "
    "Trung ương.",
    "Phát biểu khai mạc Hội nghị, Thiếu tướng Nguyễn Văn Gấu cho biết: 5 năm qua,",
    "Phát biểu tại Hội nghị, Trung tướng Khuất Việt Dũng nhấn mạnh: Trong giai đoạn 2022–2027,",
    "Hội nghị thống nhất phương hướng, nhiệm vụ phối hợp giai đoạn 2022–2027 theo đề xuất của Tổng cục Chính trị "
    "Quân đội nhân dân Việt Nam và Trung ương Hội Cựu chiến binh Việt Nam: tập trung tuyên truyền, giáo dục",
    "Các đại biểu dự Hội nghị đã trình bày hai tham luận: “Phối hợp xây dựng hệ thống chính trị ở cơ sở vững mạnh” "
    "(Bộ Tư lệnh Thủ đô Hà Nội) và “Hội viên Cựu chiến binh tham gia giảm nghèo bền vững” (Hội Cựu chiến binh "
    "thành phố Hà Nội).",
    "Tại Hội nghị, Tổng cục Chính trị Quân đội nhân dân Việt Nam và Trung ương Hội Cựu chiến binh Việt Nam đã ký kết "
    "Chương trình phối hợp giai đoạn 2022–2027; Thiếu tướng Nguyễn Văn Gấu và Trung tướng Khuất Việt Dũng thay mặt "
    "hai bên ký Chương trình.",
]


def _check_article(text: str, conference: Conference) -> None:
    for fact in SEED_FACTS:
        assert fact in text, fact
    # Three to five headline results, each the figure frozen in the summary report, with its unit.
    results = headline_results(conference)
    assert 3 <= len(results) <= 5
    frozen = _frozen_values(conference)
    for result in results:
        value, unit = frozen[result["indicator_id"]]
        assert result["value"] == value
        assert f"đạt {vn_number(value)} {unit}" in text
    # The directions are those of the proposals adopted for 2022–2027, each of them.
    adoptions = list(conference.adoptions.select_related("proposal", "phase"))
    assert len(adoptions) == 4 and {a.phase.code for a in adoptions} == {"2022-2027"}
    for adoption in adoptions:
        content = " ".join(adoption.proposal.content.split()).rstrip(".")
        assert content[1:] in text
    assert "minh họa" not in text


def test_the_seed_bulletin_reads_like_the_seed(demo_user: Callable[[str], Any]) -> None:
    conference = national()
    results = headline_results(conference)
    # The largest figure of each field, the five largest, in the report's order of fields.
    assert [r["code"] for r in results] == ["tt-luot", "htct-cb", "kt-von", "xh-nha", "ds-nguoi"]
    response = web(demo_user("hoankiem.ccb")).get(reverse("conferences:summary", args=[conference.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    _check_article(page, conference)
    assert "11.509.674 triệu đồng" in page


def test_the_bulletin_prints_without_the_application_chrome(demo_user: Callable[[str], Any]) -> None:
    page = web(demo_user("hanoi.ccb")).get(reverse("conferences:summary", args=[national().pk])).content.decode()
    assert 'data-testid="news-summary"' in page
    assert "<footer" not in page and "<nav" not in page and "navbar" not in page
    assert reverse("set_language") not in page and "language-switcher" not in page
    assert "phoihop chỉ lưu thông tin không mật" not in page  # the footer's line
    assert reverse("conferences:summary-docx", args=[national().pk]) in page


def test_the_bulletin_as_a_word_document(demo_user: Callable[[str], Any]) -> None:
    from docx import Document

    conference = national()
    response = web(demo_user("hanoi.ccb")).get(reverse("conferences:summary-docx", args=[conference.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="ban-tin-20220923-')
    paragraphs = docx_paragraphs(response.content)
    assert paragraphs[0] == conference.title
    _check_article("\n".join(paragraphs), conference)
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    fonts = {run.font.name for p in document.paragraphs for run in p.runs}
    assert fonts == {"Times New Roman"}


def test_the_bulletin_fits_one_page_in_libreoffice() -> None:
    from phoihop.documents.pdf import docx_to_pdf, pdf_available

    if not pdf_available():
        pytest.skip("LibreOffice is not installed")
    pdf = docx_to_pdf(build_bulletin(national()).content)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1

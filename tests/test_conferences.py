"""Conferences: the seed's conference in the demo and the API, the news summary that
follows the record, signing the next phase from a conference, and who sees what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from phoihop.conferences import services
from phoihop.conferences.models import Conference, ConferenceKind, ProposalAdoption
from phoihop.conferences.selectors import news_summary
from phoihop.demo.base import DemoLoader
from phoihop.demo.conferences import NATIONAL_DAY, PROVINCIAL_DAY, load_conference_demo
from phoihop.orgunits.models import OrgUnit, Person, Rank
from phoihop.programmes.models import Indicator, Phase, PhaseStatus, Programme, Signing, Target
from phoihop.records import services as activity_services
from tests.support.api_world import VersionedAPIClient as APIClient  # sends If-Match on PATCH
from tests.test_scoping_matrix import make_programme

pytestmark = pytest.mark.django_db


def national() -> Conference:
    return Conference.objects.get(programme__code="QDND-CCB", held_on=NATIONAL_DAY)


def provincial() -> Conference:
    return Conference.objects.get(programme__code="QDND-CCB", held_on=PROVINCIAL_DAY)


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the demo and the API acceptance ---------------------------------------------------------


def test_the_api_returns_the_seed_conference_by_phase(demo_user: Callable[[str], Any]) -> None:
    response = api(demo_user("hanoi.ccb")).get("/api/v1/conferences/", {"phase": "2017-2022"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert row["date"] == "2022-09-23"
    assert row["place"] == "Hà Nội"
    assert row["kind"] == "tong-ket"
    assert {o["code"] for o in row["organisers"]} == {"TCCT", "CCB-TW"}
    assert row["cochairs"] == [
        {
            "name": "Nguyễn Văn Gấu",
            "rank": "thieu-tuong",
            "rank_label": "Thiếu tướng",
            "positions": ["Ủy viên Trung ương Đảng", "Phó Chủ nhiệm Tổng cục Chính trị Quân đội nhân dân Việt Nam"],
        },
        {
            "name": "Khuất Việt Dũng",
            "rank": "trung-tuong",
            "rank_label": "Trung tướng",
            "positions": ["Phó Chủ tịch Hội Cựu chiến binh Việt Nam"],
        },
    ]
    assert row["guests"] == ["Phạm Tất Thắng"]
    guest = row["delegates"][0]
    assert guest["is_guest_of_honour"] is True
    assert guest["positions"] == ["Ủy viên Trung ương Đảng", "Phó Trưởng ban Thường trực Ban Dân vận Trung ương"]
    assert row["signing"]["phase"] == "2022-2027"
    assert row["signing"]["signed_on"] == "2022-09-23"
    assert set(row["signing"]["bodies"]) == {"TCCT", "CCB-TW"}
    assert row["papers"] and not any("minh họa" in p["title"] for p in row["papers"])
    assert row["report"] is not None
    detail = api(demo_user("hanoi.ccb")).get(row["url"])
    assert detail.status_code == 200 and detail.json()["id"] == row["id"]


def test_the_demo_links_the_existing_signing_and_the_joint_summary_report() -> None:
    conference = national()
    assert conference.signing == Signing.objects.get(phase__programme__code="QDND-CCB", phase__code="2022-2027")
    assert Signing.objects.filter(phase__programme__code="QDND-CCB").count() == 1
    report = conference.report
    assert report is not None
    assert (report.unit.code, report.partner_unit.code if report.partner_unit else None) == ("BQP", "CCB-TW")
    assert report.period.kind == "end_phase" and report.period.phase == conference.phase
    assert report.status == "approved"
    assert conference.is_national


def test_loading_the_demo_again_creates_nothing() -> None:
    before = (Conference.objects.count(), Conference.history.count(), ProposalAdoption.objects.count())
    assert load_conference_demo() == {}
    created = DemoLoader().run()
    assert not any(created.values())
    assert (Conference.objects.count(), Conference.history.count(), ProposalAdoption.objects.count()) == before


# --- the news summary --------------------------------------------------------------------------


def test_the_summary_states_the_seed_facts() -> None:
    text = news_summary(national()).text
    assert (
        "Sáng 23/9/2022, tại Hội trường Trung ương Hội Cựu chiến binh Việt Nam, Hà Nội, "
        "Tổng cục Chính trị Quân đội nhân dân Việt Nam phối hợp với "
        "Trung ương Hội Cựu chiến binh Việt Nam tổ chức Hội nghị tổng kết Chương trình phối hợp hoạt động "
        "giữa Quân đội nhân dân Việt Nam và Hội Cựu chiến binh Việt Nam giai đoạn 2017–2022; "
        "ký kết Chương trình phối hợp giai đoạn 2022–2027."
    ) in text
    assert (
        "Thiếu tướng Nguyễn Văn Gấu, Ủy viên Trung ương Đảng, Phó Chủ nhiệm Tổng cục Chính trị Quân đội nhân dân "
        "Việt Nam và Trung tướng Khuất Việt Dũng, Phó Chủ tịch Hội Cựu chiến binh Việt Nam đồng chủ trì Hội nghị."
    ) in text
    assert (
        "Tới dự Hội nghị có đồng chí Phạm Tất Thắng, Ủy viên Trung ương Đảng, "
        "Phó Trưởng ban Thường trực Ban Dân vận Trung ương."
    ) in text
    assert "Theo báo cáo tổng kết, giai đoạn 2017–2022, " in text
    assert "Các đại biểu dự Hội nghị đã trình bày hai tham luận: “Phối hợp xây dựng" in text
    assert (
        "Tại Hội nghị, Tổng cục Chính trị Quân đội nhân dân Việt Nam và Trung ương Hội Cựu chiến binh Việt Nam "
        "đã ký kết Chương trình phối hợp giai đoạn 2022–2027; Thiếu tướng Nguyễn Văn Gấu và Trung tướng "
        "Khuất Việt Dũng thay mặt hai bên ký Chương trình."
    ) in text


def test_the_printable_page_shows_the_summary(demo_user: Callable[[str], Any]) -> None:
    conference = national()
    response = web(demo_user("hoankiem.ccb")).get(reverse("conferences:summary", args=[conference.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    # Printed on A4 with the margins of Decree 30: the page rule is in the stylesheet it links.
    assert "css/news_summary.css" in page
    stylesheet = Path(settings.BASE_DIR, "phoihop", "static", "css", "news_summary.css").read_text()
    assert "@page { size: A4" in stylesheet
    assert "Sáng 23/9/2022, tại Hội trường Trung ương Hội Cựu chiến binh Việt Nam, Hà Nội" in page
    assert "Trung tướng Khuất Việt Dũng" in page


def test_the_summary_follows_the_record(demo_user: Callable[[str], Any]) -> None:
    admin = demo_user("admin")
    conference = national()
    before = news_summary(conference).text
    services.conference_save(
        acting_user=admin,
        conference=conference,
        organisers=list(conference.organisers.all()),
        data={"held_on": date(2022, 9, 24), "place": "Thành phố Hồ Chí Minh"},
    )
    conference.refresh_from_db()
    changed = news_summary(conference).text
    assert changed != before
    assert "Sáng 24/9/2022, tại Hội trường Trung ương Hội Cựu chiến binh Việt Nam, Thành phố Hồ Chí Minh," in changed
    assert "23/9/2022" not in changed
    # Another co-chair, with the rank and positions of that day (not today's).
    person = Person.objects.create(
        full_name="Trần Văn Thử", rank=Rank.TRUNG_TUONG, positions=["Chủ nhiệm hôm nay"], unit=None
    )
    conference.cochairs.filter(person__full_name="Khuất Việt Dũng").delete()
    services.cochair_add(
        conference=conference,
        person=person,
        rank=Rank.THIEU_TUONG,
        positions=["Phó Chủ nhiệm khi đó"],
        acting_user=admin,
        order=1,
    )
    text = news_summary(conference).text
    assert "Thiếu tướng Trần Văn Thử, Phó Chủ nhiệm khi đó đồng chủ trì Hội nghị." in text
    chairs = next(p for p in news_summary(conference).paragraphs if p.endswith("đồng chủ trì Hội nghị."))
    assert "Khuất Việt Dũng" not in chairs and "Chủ nhiệm hôm nay" not in text


def test_the_provincial_summary_is_right() -> None:
    conference = provincial()
    summary = news_summary(conference)
    assert summary.lead == (
        "Chiều 18/4/2025, tại Hội trường Bộ Tư lệnh Thủ đô Hà Nội, Bộ Tư lệnh Thủ đô Hà Nội phối hợp với "
        "Hội Cựu chiến binh thành phố Hà Nội "
        "tổ chức Hội nghị sơ kết Chương trình phối hợp hoạt động giữa Quân đội nhân dân Việt Nam và "
        "Hội Cựu chiến binh Việt Nam giai đoạn 2022–2027."
    )
    text = summary.text
    assert (
        "Đại tá Bùi Văn Toàn, Phó Chính ủy Bộ Tư lệnh Thủ đô Hà Nội và Thượng tá Lê Quang Vinh, Phó Chủ tịch "
        "Hội Cựu chiến binh thành phố Hà Nội đồng chủ trì Hội nghị."
    ) in text
    assert ("Tới dự Hội nghị có đồng chí Nguyễn Văn An, Phó Chủ tịch Ủy ban Mặt trận Tổ quốc thành phố Hà Nội.") in text
    assert "Các đại biểu dự Hội nghị đã trình bày một tham luận: “Mô hình tổ tự quản an ninh ở phường”" in text
    assert "Hội nghị đã sơ kết kết quả thực hiện Chương trình phối hợp giai đoạn 2022–2027." in text
    assert "ký kết" not in text


# --- signing the next phase --------------------------------------------------------------------


@pytest.fixture
def closing(demo_user: Callable[[str], Any]) -> dict[str, Any]:
    """A Hà Nội programme whose phase 2025–2030 closes at a conference of its two parties."""
    programme, phase, indicator = make_programme("ct-hn-ky", "Chương trình phối hợp thử ký kết", "HANOI")
    user = demo_user("hanoi.ccb")
    province = OrgUnit.objects.get(code="CCB-HANOI")
    army = OrgUnit.objects.get(code="QS-HANOI")
    old = Indicator.objects.create(
        programme=programme, field=indicator.field, code="tt-cu", name="Chỉ tiêu cũ", unit_of_measure="lần"
    )
    Target.objects.create(phase=phase, unit=province, indicator=indicator, value=Decimal("40"))
    Target.objects.create(phase=phase, unit=province, indicator=old, value=Decimal("7"))
    proposal = activity_services.proposal_save(
        acting_user=user,
        data={
            "unit": province,
            "phase": phase,
            "horizon": "phase",
            "field": indicator.field,
            "title": "Đề xuất mở rộng tuyên truyền qua mạng xã hội",
            "content": "Mỗi hội cơ sở có một trang tin.",
            "recorded_on": date(2030, 6, 1),
        },
    )
    conference = services.conference_save(
        acting_user=user,
        organisers=[army, province],
        data={
            "programme": programme,
            "phase": phase,
            "kind": ConferenceKind.END,
            "title": "Hội nghị tổng kết thử",
            "held_on": date(2030, 9, 25),
            "place": "Hà Nội",
        },
    )
    return {
        "programme": programme,
        "phase": phase,
        "indicator": indicator,
        "old": old,
        "proposal": proposal,
        "conference": conference,
        "user": user,
        "province": province,
        "army": army,
    }


def test_signing_creates_the_next_phase_with_its_indicators_targets_and_tasks(closing: dict[str, Any]) -> None:
    c = closing
    person = Person.objects.get(full_name="Lê Quang Vinh")
    signing = services.next_phase_sign(
        conference=c["conference"],
        acting_user=c["user"],
        code="2030-2035",
        name="2030–2035",
        start=date(2030, 10, 1),
        end=date(2035, 9, 30),
        document_number="01/CTPH",
        signatories=[{"person": person, "body": c["province"], "capacity": "TM. Ban Thường vụ"}],
        new_indicators=[
            {"field": c["indicator"].field, "code": "cds", "name": "Số trang tin điện tử", "unit_of_measure": "trang"}
        ],
        retired_indicators=[c["old"]],
        proposals=[c["proposal"]],
        document=SimpleUploadedFile("ky.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    phase = signing.phase
    assert (phase.code, phase.start, phase.end, phase.status) == (
        "2030-2035",
        date(2030, 10, 1),
        date(2035, 9, 30),
        PhaseStatus.SIGNED,
    )
    assert set(signing.bodies.values_list("code", flat=True)) == {"QS-HANOI", "CCB-HANOI"}
    signatory = signing.signatories.get()
    assert (signatory.person, signatory.rank_at_event, signatory.capacity) == (
        person,
        Rank.THUONG_TA,
        "TM. Ban Thường vụ",
    )
    applying = {i.code for i in Indicator.objects.filter(programme=c["programme"]) if i.applies_to(phase)}
    assert applying == {"tt-buoi", "cds"}
    assert {i.code for i in Indicator.objects.filter(programme=c["programme"]) if i.applies_to(c["phase"])} == {
        "tt-buoi",
        "tt-cu",
    }
    assert list(Target.objects.filter(phase=phase).values_list("indicator__code", "value")) == [
        ("tt-buoi", Decimal("40"))
    ]
    c["conference"].refresh_from_db()
    assert c["conference"].signing == signing and c["conference"].signed_document
    adoption = ProposalAdoption.objects.get(phase=phase)
    assert (adoption.proposal, adoption.conference, adoption.adopted_by) == (c["proposal"], c["conference"], c["user"])
    assert adoption.history.count() == 1
    # The adopted proposal shows on the conference page, as a task of the new phase.
    page = web(c["user"]).get(reverse("conferences:detail", args=[c["conference"].pk])).content.decode()
    assert "Đề xuất mở rộng tuyên truyền qua mạng xã hội" in page and "2030–2035" in page
    assert "ký kết Chương trình phối hợp giai đoạn 2030–2035" in news_summary(c["conference"]).text


def test_signing_from_the_page(closing: dict[str, Any]) -> None:
    c = closing
    url = reverse("conferences:sign", args=[c["conference"].pk])
    client = web(c["user"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "2030-2035",
            "name": "2030–2035",
            "start": "2030-10-01",
            "end": "2035-09-30",
            "document_number": "",
            "retired_indicators": [c["old"].pk],
            "proposals": [c["proposal"].pk],
        },
    )
    assert response.status_code == 302
    phase = Phase.objects.get(programme=c["programme"], code="2030-2035")
    assert ProposalAdoption.objects.filter(phase=phase, proposal=c["proposal"]).exists()
    assert not c["old"].__class__.objects.get(pk=c["old"].pk).applies_to(phase)
    # Once signed, a second signing is refused.
    with pytest.raises(Exception, match="đã có lễ ký kết"):
        services.next_phase_sign(
            conference=Conference.objects.get(pk=c["conference"].pk),
            acting_user=c["user"],
            code="x",
            name="x",
            start=date(2036, 1, 1),
            end=date(2037, 1, 1),
        )


def test_a_unit_administrator_may_not_sign(closing: dict[str, Any], hanoi_admin: Any) -> None:
    url = reverse("conferences:sign", args=[closing["conference"].pk])
    assert web(hanoi_admin).get(url).status_code == 403


# --- scoping -------------------------------------------------------------------------------------


@pytest.fixture
def camau_conference(demo_user: Callable[[str], Any]) -> Conference:
    programme = Programme.objects.get(code="QDND-CCB")
    conference = services.conference_save(
        acting_user=demo_user("camau.ccb"),
        organisers=[OrgUnit.objects.get(code="QS-CAMAU"), OrgUnit.objects.get(code="CCB-CAMAU")],
        data={
            "programme": programme,
            "phase": Phase.objects.get(programme=programme, code="2022-2027"),
            "kind": ConferenceKind.BRIEFING,
            "title": "Hội nghị giao ban Cà Mau thử",
            "held_on": date(2025, 6, 10),
            "place": "Cà Mau",
        },
    )
    return conference


def test_hanoi_does_not_see_the_camau_conference(demo_user: Callable[[str], Any], camau_conference: Conference) -> None:
    hanoi = demo_user("hanoi.ccb")
    pk = camau_conference.pk
    for name in ("conferences:detail", "conferences:summary", "conferences:edit", "conferences:sign"):
        assert web(hanoi).get(reverse(name, args=[pk])).status_code == 404, name
    listing = web(hanoi).get(reverse("conferences:list")).content.decode()
    assert "Cà Mau" not in listing and provincial().title in listing and national().title in listing
    assert api(hanoi).get(f"/api/v1/conferences/{pk}/").status_code == 404
    titles = [r["title"] for r in api(hanoi).get("/api/v1/conferences/").json()["results"]]
    assert camau_conference.title not in titles and national().title in titles
    # The Cà Mau user sees it, and the national news, but not Hà Nội's provincial conference.
    camau = demo_user("camau.ccb")
    titles = [r["title"] for r in api(camau).get("/api/v1/conferences/").json()["results"]]
    assert camau_conference.title in titles and national().title in titles and provincial().title not in titles
    assert web(camau).get(reverse("conferences:detail", args=[provincial().pk])).status_code == 404
    # Those above (the association's centre) and inside (a Hà Nội commune) see what concerns them.
    assert web(demo_user("tuhoi")).get(reverse("conferences:detail", args=[pk])).status_code == 200
    commune = demo_user("hoankiem.ccb")
    assert web(commune).get(reverse("conferences:detail", args=[provincial().pk])).status_code == 200
    assert web(commune).get(reverse("conferences:detail", args=[pk])).status_code == 404


def test_only_writers_of_an_organiser_change_a_conference(
    demo_user: Callable[[str], Any], camau_conference: Conference, hanoi_admin: Any
) -> None:
    conference = provincial()
    url = reverse("conferences:edit", args=[conference.pk])
    assert web(demo_user("hanoi.ccb")).get(url).status_code == 200
    assert web(hanoi_admin).get(url).status_code == 403
    # The commune's reporter reads it but the organisers are above it.
    assert web(demo_user("hoankiem.ccb")).get(url).status_code == 403
    with pytest.raises(Exception, match="quyền"):
        services.conference_save(
            acting_user=demo_user("hanoi.ccb"),
            conference=camau_conference,
            organisers=list(camau_conference.organisers.all()),
            data={"place": "Hà Nội"},
        )


def test_creating_a_conference_from_the_page(demo_user: Callable[[str], Any]) -> None:
    programme = Programme.objects.get(code="QDND-CCB")
    phase = Phase.objects.get(programme=programme, code="2022-2027")
    data = {
        "programme": programme.pk,
        "phase": phase.pk,
        "kind": "giao-ban",
        "title": "Giao ban quý thử",
        "held_on": "2026-03-20",
        "place": "Hà Nội",
        "agenda": "",
        "conclusions": "",
        "organiser_codes": "QS-HANOI, CCB-HANOI",
    }
    response = web(demo_user("hanoi.ccb")).post(reverse("conferences:create"), data)
    assert response.status_code == 302
    conference = Conference.objects.get(title="Giao ban quý thử")
    assert not conference.is_national
    # Units out of the writer's scope are "not found".
    data["organiser_codes"] = "QS-CAMAU, CCB-CAMAU"
    data["title"] = "Giao ban ngoài phạm vi"
    response = web(demo_user("hanoi.ccb")).post(reverse("conferences:create"), data)
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị" in response.content.decode()
    assert not Conference.objects.filter(title="Giao ban ngoài phạm vi").exists()


# --- Word documents ------------------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def test_the_invitation_and_the_notice_are_word_documents(demo_user: Callable[[str], Any]) -> None:
    client = web(demo_user("hanoi.ccb"))
    conference = national()
    response = client.get(reverse("conferences:invitation", args=[conference.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(response.content)
    assert "GIẤY MỜI" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BỘ QUỐC PHÒNG\nTỔNG CỤC CHÍNH TRỊ" in text  # the body above TCCT, in the Decree 30 header
    assert "KT. CHỦ NHIỆM" in text and "TM. BAN THƯỜNG VỤ" in text  # each co-chair signs in his capacity
    assert "TM. TW HỘI CCB" not in text and "TM. TỔNG CỤC CHÍNH TRỊ" not in text
    assert "Thời gian: từ 08 giờ 00 đến 11 giờ 30, ngày 23 tháng 9 năm 2022 (thứ Sáu)." in text
    assert "Địa điểm: Hội trường Trung ương Hội Cựu chiến binh Việt Nam, số 34A Trần Phú, quận Ba Đình, Hà Nội." in text
    assert "Thiếu tướng Nguyễn Văn Gấu" in text and "Trung tướng Khuất Việt Dũng" in text
    notice = client.get(reverse("conferences:notice", args=[provincial().pk]))
    assert notice.status_code == 200
    text = _docx_text(notice.content)
    assert "THÔNG BÁO" in text and "Hội nghị kết luận như sau:" in text
    assert "Hai bên thống nhất tiếp tục phối hợp tuyên truyền" in text
    assert "Chiều 18/4/2025, tại Hội trường Bộ Tư lệnh Thủ đô Hà Nội" in text


def test_the_plan_downloads_from_the_page_and_the_api(demo_user: Callable[[str], Any]) -> None:
    from phoihop.audit.models import ActionLog

    user, conference = demo_user("hanoi.ccb"), national()
    response = web(user).get(reverse("conferences:document", args=[conference.pk, "plan", "docx"]))
    assert response.status_code == 200 and 'filename="ke-hoach-20220923-' in response["Content-Disposition"]
    text = _docx_text(response.content)
    assert "KẾ HOẠCH" in text and f"Tổ chức {conference.title}" in text
    for heading in ("I. MỤC ĐÍCH, YÊU CẦU", "II. THỜI GIAN, ĐỊA ĐIỂM", "III. THÀNH PHẦN", "V. TỔ CHỨC THỰC HIỆN"):
        assert heading in text
    assert "/KH-TCCT-HCCB" in text  # the symbol; the number is the clerk's, from the register
    client = api(user)
    logged = ActionLog.objects.count()
    answer = client.get(f"/api/v1/conferences/{conference.pk}/plan.docx/")
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
    assert ActionLog.objects.count() == logged + 1  # the plan names the co-chairs: the access log
    assert client.get(f"/api/v1/conferences/{conference.pk}/plan.xlsx/").status_code == 404
    assert client.get(f"/api/v1/conferences/{conference.pk}/minutes.docx/").status_code == 404


def test_an_invitation_the_record_cannot_make_is_a_400_in_the_api(demo_user: Callable[[str], Any]) -> None:
    user, conference = demo_user("hanoi.ccb"), provincial()
    services.conference_save(
        acting_user=user,
        conference=conference,
        organisers=list(conference.organisers.all()),
        data={"starts_at": None, "venue": ""},
    )
    answer = api(user).get(f"/api/v1/conferences/{conference.pk}/invitation.docx/")
    assert answer.status_code == 400
    assert "Chưa tạo được giấy mời" in answer.content.decode()


def test_the_invitation_opens_in_libreoffice() -> None:
    from phoihop.conferences.documents import build_invitation
    from phoihop.documents.pdf import docx_to_pdf, pdf_available

    if not pdf_available():
        pytest.skip("LibreOffice is not installed")
    assert docx_to_pdf(build_invitation(national()).content).startswith(b"%PDF")


def test_the_notice_downloads_as_pdf(demo_user: Callable[[str], Any]) -> None:
    from phoihop.documents.pdf import pdf_available

    if not pdf_available():
        pytest.skip("LibreOffice is not installed")
    response = web(demo_user("hanoi.ccb")).get(reverse("conferences:document", args=[national().pk, "notice", "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and ".pdf" in response["Content-Disposition"]


def test_signing_through_the_api(closing: dict[str, Any], hanoi_admin: Any) -> None:
    c = closing
    url = f"/api/v1/conferences/{c['conference'].pk}/sign/"
    payload = {
        "code": "2030-2035",
        "name": "2030–2035",
        "start": "2030-10-01",
        "end": "2035-09-30",
        "retired_indicators": ["tt-cu"],
        "proposals": [c["proposal"].pk],
    }
    assert api(hanoi_admin).post(url, payload, format="json").status_code == 403
    response = api(c["user"]).post(url, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["signing"]["phase"] == "2030-2035"
    phase = Phase.objects.get(programme=c["programme"], code="2030-2035")
    assert ProposalAdoption.objects.filter(phase=phase, proposal=c["proposal"]).exists()
    again = api(c["user"]).post(url, {**payload, "code": "2036-2040"}, format="json")
    assert again.status_code == 400

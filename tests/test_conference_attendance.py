"""Attendance and papers of a conference: co-chairs, delegates and guests, papers with
their files, through the pages and the API, with scope, validation, and the printable summary
that follows the record; and the writable conferences API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from phoihop.conferences import services
from phoihop.conferences.models import CoChair, Conference, Delegate, Paper
from phoihop.core.services import OutOfScope
from phoihop.demo.conferences import NATIONAL_DAY, PROVINCIAL_DAY
from phoihop.orgunits.models import OrgUnit, Person, Rank
from tests.support.api_world import VersionedAPIClient as APIClient  # sends If-Match on PATCH

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DISGUISED = b"MZ\x90\x00\x03\x00\x00\x00 this is a program, not a PDF"


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


def page(response: Any) -> str:
    return str(response.content.decode())


def summary_of(user: Any, conference: Conference) -> str:
    response = web(user).get(reverse("conferences:summary", args=[conference.pk]))
    assert response.status_code == 200
    return page(response)


@pytest.fixture
def hanoi_person() -> Person:
    return Person.objects.create(
        full_name="Đỗ Văn Chủ Trì",
        rank=Rank.DAI_TA,
        positions=["Chỉ huy trưởng hôm nay"],
        unit=OrgUnit.objects.get(code="CCB-HANOI"),
    )


# --- co-chairs and delegates through the pages ---------------------------------------------------


def test_adding_a_cochair_with_the_rank_of_that_day_changes_the_summary(
    demo_user: Callable[[str], Any], hanoi_person: Person
) -> None:
    user, conference = demo_user("hanoi.ccb"), provincial()
    url = reverse("conferences:attendance", args=[conference.pk])
    assert web(user).get(url).status_code == 200
    # The person is found by typing in the picker (orgunits:person-autocomplete).
    found = web(user).get(reverse("orgunits:person-autocomplete"), {"q": "chu tri"}).json()["results"]
    assert any(r["id"] == hanoi_person.pk and r["text"].startswith("Đại tá Đỗ Văn Chủ Trì") for r in found)
    assert "Đỗ Văn Chủ Trì" not in summary_of(user, conference)
    response = web(user).post(
        url,
        {
            "form": "cochair",
            "cochair-person": hanoi_person.pk,
            "cochair-rank": Rank.THUONG_TA,
            "cochair-positions": "Phó Chỉ huy trưởng khi đó",
            "cochair-order": 5,
        },
    )
    assert response.status_code == 302
    row = CoChair.objects.get(conference=conference, person=hanoi_person)
    assert (row.rank_at_event, row.positions_at_event) == (Rank.THUONG_TA, ["Phó Chỉ huy trưởng khi đó"])
    assert row.history.get().history_user == user
    text = summary_of(user, conference)
    assert "Thượng tá Đỗ Văn Chủ Trì, Phó Chỉ huy trưởng khi đó" in text
    assert "hôm nay" not in text
    # Left empty, the rank and positions of that day are the person's current ones.
    services.cochair_remove(row=row, acting_user=user)
    web(user).post(url, {"form": "cochair", "cochair-person": hanoi_person.pk, "cochair-rank": ""})
    row = CoChair.objects.get(conference=conference, person=hanoi_person)
    assert (row.rank_at_event, row.positions_at_event) == (Rank.DAI_TA, ["Chỉ huy trưởng hôm nay"])


def test_a_guest_changes_the_summary_and_can_be_edited_and_removed(demo_user: Callable[[str], Any]) -> None:
    user, conference = demo_user("hanoi.ccb"), provincial()
    url = reverse("conferences:attendance", args=[conference.pk])
    response = web(user).post(
        url,
        {
            "form": "delegate",
            "delegate-name": "Trần Thị Khách",
            "delegate-organisation": "Hội Liên hiệp Phụ nữ thành phố Hà Nội",
            "delegate-title": "Chủ tịch",
            "delegate-is_guest_of_honour": "on",
        },
    )
    assert response.status_code == 302
    guest = Delegate.objects.get(conference=conference, name="Trần Thị Khách")
    assert "đồng chí Trần Thị Khách, Chủ tịch Hội Liên hiệp Phụ nữ thành phố Hà Nội" in summary_of(user, conference)
    edit = reverse("conferences:delegate-edit", args=[conference.pk, guest.pk])
    assert web(user).get(edit).status_code == 200
    response = web(user).post(
        edit,
        {
            "name": "Trần Thị Khách",
            "organisation": "Hội Liên hiệp Phụ nữ thành phố Hà Nội",
            "title": "Phó Chủ tịch",
            "is_guest_of_honour": "on",
            "rank_at_event": "",
            "positions_at_event": "",
            "order": 0,
            "version": guest.version,
        },
    )
    assert response.status_code == 302
    assert "đồng chí Trần Thị Khách, Phó Chủ tịch Hội Liên hiệp" in summary_of(user, conference)
    remove = reverse("conferences:delegate-remove", args=[conference.pk, guest.pk])
    assert web(user).get(remove).status_code == 405
    assert web(user).post(remove).status_code == 302
    assert not Delegate.objects.filter(pk=guest.pk).exists()
    assert "Trần Thị Khách" not in summary_of(user, conference)


def test_editing_the_rank_and_positions_of_that_day_of_a_cochair(demo_user: Callable[[str], Any]) -> None:
    user, conference = demo_user("tuhoi"), national()
    row = conference.cochairs.get(person__full_name="Khuất Việt Dũng")
    url = reverse("conferences:cochair-edit", args=[conference.pk, row.pk])
    assert 'value="Phó Chủ tịch Hội Cựu chiến binh Việt Nam"' in page(web(user).get(url)) or (
        "Phó Chủ tịch Hội Cựu chiến binh Việt Nam</textarea>" in page(web(user).get(url))
    )
    response = web(user).post(
        url,
        {
            "rank_at_event": Rank.THIEU_TUONG,
            "positions_at_event": "Ủy viên Thường vụ\nPhó Chủ tịch",
            "order": 1,
            "version": row.version,
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.rank_at_event, row.positions_at_event) == (Rank.THIEU_TUONG, ["Ủy viên Thường vụ", "Phó Chủ tịch"])
    assert row.person.rank == Rank.TRUNG_TUONG  # the person's record is not touched
    assert "Thiếu tướng Khuất Việt Dũng, Ủy viên Thường vụ, Phó Chủ tịch đồng chủ trì" in summary_of(user, conference)
    remove = reverse("conferences:cochair-remove", args=[conference.pk, row.pk])
    assert web(user).post(remove).status_code == 302
    text = summary_of(user, conference)
    # No longer a co-chair: the sentence of the chairs names one chair; he is still named as a speaker.
    assert "Khuất Việt Dũng, Ủy viên Thường vụ, Phó Chủ tịch đồng chủ trì" not in text
    assert "Thiếu tướng Nguyễn Văn Gấu, Ủy viên Trung ương Đảng, Phó Chủ nhiệm" in text and " chủ trì Hội nghị." in text
    assert "đồng chủ trì Hội nghị." not in text
    history = CoChair.history.filter(id=row.pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~", "-"] and history.last().history_user == user


def test_attendance_validation_messages(demo_user: Callable[[str], Any]) -> None:
    user, conference = demo_user("tuhoi"), national()
    url = reverse("conferences:attendance", args=[conference.pk])
    before = (CoChair.objects.count(), Delegate.objects.count())
    no_person = web(user).post(url, {"form": "cochair", "cochair-person": ""})
    assert no_person.status_code == 200 and "Hãy chọn người đồng chủ trì." in page(no_person)
    gau = conference.cochairs.get(person__full_name="Nguyễn Văn Gấu").person
    twice = web(user).post(url, {"form": "cochair", "cochair-person": gau.pk})
    assert "Người này đã là đồng chủ trì của hội nghị." in page(twice)
    nameless = web(user).post(url, {"form": "delegate", "delegate-organisation": "Báo Nhân Dân"})
    assert "Khách mời không chọn từ danh sách người thì phải ghi họ tên." in page(nameless)
    guest = conference.delegates.get().person
    again = web(user).post(url, {"form": "delegate", "delegate-person": guest.pk})
    assert "Người này đã có trong danh sách đại biểu của hội nghị." in page(again)
    assert (CoChair.objects.count(), Delegate.objects.count()) == before


def test_a_person_the_user_does_not_see_is_not_a_choice(demo_user: Callable[[str], Any]) -> None:
    camau_person = Person.objects.create(full_name="Lâm Văn Xa", unit=OrgUnit.objects.get(code="CCB-CAMAU"))
    user, conference = demo_user("hanoi.ccb"), provincial()
    url = reverse("conferences:attendance", args=[conference.pk])
    assert "Lâm Văn Xa" not in page(web(user).get(reverse("orgunits:person-autocomplete"), {"q": "lam van xa"}))
    response = web(user).post(url, {"form": "cochair", "cochair-person": camau_person.pk})
    assert response.status_code == 200 and not conference.cochairs.filter(person=camau_person).exists()
    with pytest.raises(OutOfScope):
        services.cochair_add(conference=conference, person=camau_person, acting_user=user)


# --- scope of the pages --------------------------------------------------------------------------


def test_a_camau_approver_finds_no_hanoi_conference(demo_user: Callable[[str], Any]) -> None:
    camau, conference = demo_user("camau.ccb"), provincial()
    row, guest, paper = conference.cochairs.first(), conference.delegates.first(), conference.papers.first()
    assert row and guest and paper
    for name, args in (
        ("conferences:attendance", [conference.pk]),
        ("conferences:papers", [conference.pk]),
        ("conferences:cochair-edit", [conference.pk, row.pk]),
        ("conferences:delegate-edit", [conference.pk, guest.pk]),
        ("conferences:paper-edit", [conference.pk, paper.pk]),
    ):
        assert web(camau).get(reverse(name, args=args)).status_code == 404, name
    for name, args in (
        ("conferences:cochair-remove", [conference.pk, row.pk]),
        ("conferences:delegate-remove", [conference.pk, guest.pk]),
        ("conferences:paper-remove", [conference.pk, paper.pk]),
    ):
        assert web(camau).post(reverse(name, args=args)).status_code == 404, name
    assert api(camau).get(f"/api/v1/conferences/{conference.pk}/cochairs/").status_code == 404
    response = api(camau).post(f"/api/v1/conferences/{conference.pk}/delegates/", {"name": "X"}, format="json")
    assert response.status_code == 404
    assert api(camau).delete(f"/api/v1/conferences/{conference.pk}/papers/{paper.pk}/").status_code == 404
    assert conference.cochairs.filter(pk=row.pk).exists() and Paper.objects.filter(pk=paper.pk).exists()
    # A row of another conference is not found under this one.
    other = national().cochairs.first()
    assert other
    tuhoi = demo_user("tuhoi")
    assert web(tuhoi).post(reverse("conferences:cochair-remove", args=[conference.pk, other.pk])).status_code == 404


def test_a_reporter_outside_the_organisers_subtree_reads_but_cannot_change(demo_user: Callable[[str], Any]) -> None:
    commune, conference = demo_user("hoankiem.ccb"), provincial()
    row = conference.cochairs.first()
    assert row
    assert web(commune).get(reverse("conferences:detail", args=[conference.pk])).status_code == 200
    detail = page(web(commune).get(reverse("conferences:detail", args=[conference.pk])))
    assert reverse("conferences:attendance", args=[conference.pk]) not in detail
    assert web(commune).get(reverse("conferences:attendance", args=[conference.pk])).status_code == 403
    assert web(commune).get(reverse("conferences:papers", args=[conference.pk])).status_code == 403
    assert web(commune).post(reverse("conferences:cochair-remove", args=[conference.pk, row.pk])).status_code == 403
    client = api(commune)
    assert client.get(f"/api/v1/conferences/{conference.pk}/cochairs/").status_code == 200
    assert client.delete(f"/api/v1/conferences/{conference.pk}/cochairs/{row.pk}/").status_code == 403
    response = client.post(f"/api/v1/conferences/{conference.pk}/papers/", {"title": "Thử"}, format="json")
    assert response.status_code == 403
    assert (
        client.patch(f"/api/v1/conferences/{conference.pk}/", {"place": "Hải Phòng"}, format="json").status_code == 403
    )
    with pytest.raises(OutOfScope):
        services.cochair_remove(row=row, acting_user=commune)
    assert CoChair.objects.filter(pk=row.pk).exists()
    # Writers see the links to the editing pages.
    writer = page(web(demo_user("hanoi.ccb")).get(reverse("conferences:detail", args=[conference.pk])))
    assert reverse("conferences:attendance", args=[conference.pk]) in writer
    assert reverse("conferences:papers", args=[conference.pk]) in writer


# --- papers --------------------------------------------------------------------------------------


def test_papers_through_the_page_add_edit_replace_and_remove(
    demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    user, conference = demo_user("hanoi.ccb"), provincial()
    url = reverse("conferences:papers", args=[conference.pk])
    empty = web(user).post(url, {"title": "  ", "author_name": "Ai đó"})
    assert empty.status_code == 200 and "Hãy ghi tên tham luận." in page(empty)
    wrong_unit = web(user).post(url, {"title": "Tham luận", "unit_code": "KHONG-CO"})
    assert "Không tìm thấy đơn vị này trong phạm vi của bạn." in page(wrong_unit)
    disguised = web(user).post(
        url, {"title": "Tham luận giả", "file": SimpleUploadedFile("tham-luan.pdf", DISGUISED, "application/pdf")}
    )
    assert "Nội dung tệp không thuộc loại được phép" in page(disguised)
    assert not Paper.objects.filter(title="Tham luận giả").exists()
    response = web(user).post(
        url,
        {
            "title": "Kinh nghiệm phối hợp ở cơ sở",
            "author_name": "Nguyễn Văn Viết",
            "unit_code": "CCB-HANOI",
            "order": 3,
            "file": SimpleUploadedFile("kinh-nghiem.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    paper = Paper.objects.get(title="Kinh nghiệm phối hợp ở cơ sở")
    assert (paper.author_display, paper.unit.code if paper.unit else None, paper.order) == (
        "Nguyễn Văn Viết",
        "CCB-HANOI",
        3,
    )
    assert paper.content_type == "application/pdf" and paper.original_name == "kinh-nghiem.pdf"
    assert "“Kinh nghiệm phối hợp ở cơ sở”" in summary_of(user, conference)
    old_name = paper.file.name
    edit = reverse("conferences:paper-edit", args=[conference.pk, paper.pk])
    assert "Kinh nghiệm phối hợp ở cơ sở" in page(web(user).get(edit))
    with django_capture_on_commit_callbacks(execute=True):
        response = web(user).post(
            edit,
            {
                "title": "Kinh nghiệm phối hợp ở cơ sở (bản sửa)",
                "author_name": "Nguyễn Văn Viết",
                "unit_code": "CCB-HANOI",
                "order": 3,
                "version": paper.version,
                "file": SimpleUploadedFile("ban-sua.pdf", PDF + b"%v2\n", "application/pdf"),
            },
        )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.title.endswith("(bản sửa)") and paper.original_name == "ban-sua.pdf"
    assert not default_storage.exists(old_name) and default_storage.exists(paper.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = web(user).post(reverse("conferences:paper-remove", args=[conference.pk, paper.pk]))
    assert response.status_code == 302
    assert not Paper.objects.filter(pk=paper.pk).exists() and not default_storage.exists(paper.file.name)
    assert "bản sửa" not in summary_of(user, conference)


def test_the_paper_file_is_served_only_to_readers(demo_user: Callable[[str], Any]) -> None:
    conference = provincial()
    paper = services.paper_add(
        conference=conference,
        title="Tham luận có tệp",
        upload=SimpleUploadedFile("tep.pdf", PDF),
        acting_user=demo_user("hanoi.ccb"),
    )
    page_url = reverse("conferences:paper-file", args=[conference.pk, paper.pk])
    api_url = f"/api/v1/conferences/{conference.pk}/papers/{paper.pk}/file/"
    reader = demo_user("hoankiem.ccb")
    for response in (web(reader).get(page_url), api(reader).get(api_url)):
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert 'filename="tep.pdf"' in response["Content-Disposition"]
    camau = demo_user("camau.ccb")
    assert web(camau).get(page_url).status_code == 404
    assert api(camau).get(api_url).status_code == 404
    assert APIClient().get(api_url).status_code in (401, 403)
    listed = api(reader).get(f"/api/v1/conferences/{conference.pk}/papers/").json()
    assert next(p["file"] for p in listed if p["id"] == paper.pk).endswith(api_url)


# --- the API --------------------------------------------------------------------------------------


def test_cochairs_and_delegates_through_the_api(demo_user: Callable[[str], Any], hanoi_person: Person) -> None:
    client, conference = api(demo_user("hanoi.ccb")), provincial()
    base = f"/api/v1/conferences/{conference.pk}"
    missing = client.post(f"{base}/cochairs/", {"person": None}, format="json")
    assert missing.status_code == 400 and "Hãy chọn người đồng chủ trì." in str(missing.json())
    added = client.post(f"{base}/cochairs/", {"person": hanoi_person.pk, "rank": "", "order": 3}, format="json")
    assert added.status_code == 201, added.json()
    row = added.json()
    assert (row["name"], row["rank"], row["positions"]) == ("Đỗ Văn Chủ Trì", "", ["Chỉ huy trưởng hôm nay"])
    twice = client.post(f"{base}/cochairs/", {"person": hanoi_person.pk}, format="json")
    assert twice.status_code == 400 and "đã là đồng chủ trì" in str(twice.json())
    patched = client.patch(
        f"{base}/cochairs/{row['id']}/",
        {"rank": Rank.DAI_TA, "positions": ["Chính ủy"]},
        format="json",
        HTTP_IF_MATCH=f'"{row["version"]}"',  # a row's version comes with it in the list
    )
    assert patched.status_code == 200 and patched.json()["rank_label"] == "Đại tá"
    assert "Đại tá Đỗ Văn Chủ Trì, Chính ủy" in news_text(client, conference)
    names = [r["name"] for r in client.get(f"{base}/cochairs/").json()]
    assert "Đỗ Văn Chủ Trì" in names
    assert client.delete(f"{base}/cochairs/{row['id']}/").status_code == 204
    assert "Đỗ Văn Chủ Trì" not in news_text(client, conference)

    guest = client.post(
        f"{base}/delegates/",
        {"name": "Lê Thị Mời", "organisation": "Thành đoàn Hà Nội", "title": "Bí thư", "is_guest_of_honour": True},
        format="json",
    )
    assert guest.status_code == 201, guest.json()
    assert "đồng chí Lê Thị Mời, Bí thư Thành đoàn Hà Nội" in news_text(client, conference)
    nameless = client.post(f"{base}/delegates/", {"organisation": "Báo"}, format="json")
    assert nameless.status_code == 400 and "phải ghi họ tên" in str(nameless.json())
    gid = guest.json()["id"]
    as_person = client.patch(
        f"{base}/delegates/{gid}/",
        {"person": hanoi_person.pk},
        format="json",
        HTTP_IF_MATCH=f'"{guest.json()["version"]}"',
    )
    assert as_person.status_code == 200
    assert (as_person.json()["name"], as_person.json()["rank"]) == ("Đỗ Văn Chủ Trì", Rank.DAI_TA)
    assert client.delete(f"{base}/delegates/{gid}/").status_code == 204
    assert not Delegate.objects.filter(pk=gid).exists()
    camau_person = Person.objects.create(full_name="Lâm Văn Xa", unit=OrgUnit.objects.get(code="CCB-CAMAU"))
    hidden = client.post(f"{base}/cochairs/", {"person": camau_person.pk}, format="json")
    assert hidden.status_code == 400 and "Lâm Văn Xa" not in str(hidden.json())


def news_text(client: APIClient, conference: Conference) -> str:
    return str(client.get(f"/api/v1/conferences/{conference.pk}/").json()["summary"])


def test_papers_through_the_api(demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any) -> None:
    client, conference = api(demo_user("hanoi.ccb")), provincial()
    base = f"/api/v1/conferences/{conference.pk}/papers"
    untitled = client.post(f"{base}/", {"title": ""}, format="json")
    assert untitled.status_code == 400 and "Hãy ghi tên tham luận." in str(untitled.json())
    disguised = client.post(
        f"{base}/", {"title": "Giả", "file": SimpleUploadedFile("a.pdf", DISGUISED)}, format="multipart"
    )
    assert disguised.status_code == 400 and "không thuộc loại được phép" in str(disguised.json())
    added = client.post(
        f"{base}/",
        {"title": "Tham luận qua API", "unit": "CCB-HANOI", "file": SimpleUploadedFile("api.pdf", PDF)},
        format="multipart",
    )
    assert added.status_code == 201, added.json()
    body = added.json()
    assert (body["unit"], body["original_name"]) == ("CCB-HANOI", "api.pdf") and body["file"]
    paper = Paper.objects.get(pk=body["id"])
    old_name = paper.file.name
    with django_capture_on_commit_callbacks(execute=True):
        replaced = client.patch(
            f"{base}/{paper.pk}/",
            {"title": "Tham luận qua API (sửa)", "file": SimpleUploadedFile("moi.pdf", PDF)},
            format="multipart",
            HTTP_IF_MATCH=f'"{body["version"]}"',
        )
    assert replaced.status_code == 200, replaced.json()
    paper.refresh_from_db()
    assert paper.title == "Tham luận qua API (sửa)" and paper.original_name == "moi.pdf"
    assert not default_storage.exists(old_name)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"{base}/{paper.pk}/").status_code == 204
    assert not default_storage.exists(paper.file.name)
    assert client.get(f"{base}/{paper.pk}/file/").status_code == 404


def test_creating_and_changing_a_conference_through_the_api(demo_user: Callable[[str], Any], hanoi_admin: Any) -> None:
    payload = {
        "programme": "QDND-CCB",
        "phase": "2022-2027",
        "kind": "giao-ban",
        "title": "Giao ban quý qua API",
        "date": "2026-04-10",
        "place": "Hà Nội",
        "organisers": ["QS-HANOI", "CCB-HANOI"],
    }
    assert api(hanoi_admin).post("/api/v1/conferences/", payload, format="json").status_code == 403
    wrong = api(demo_user("hanoi.ccb")).post("/api/v1/conferences/", {**payload, "kind": "hop"}, format="json")
    assert wrong.status_code == 400 and "Loại hội nghị không hợp lệ." in str(wrong.json())
    no_phase = api(demo_user("hanoi.ccb")).post("/api/v1/conferences/", {**payload, "phase": "2099"}, format="json")
    assert no_phase.status_code == 400 and "giai đoạn" in str(no_phase.json())
    # Only the counterpart's command as organiser: the writer may not organise for it alone.
    other_side = api(demo_user("hanoi.ccb")).post(
        "/api/v1/conferences/", {**payload, "organisers": ["QS-HANOI"]}, format="json"
    )
    assert other_side.status_code == 403
    created = api(demo_user("hanoi.ccb")).post("/api/v1/conferences/", payload, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["date"], body["phase"], body["kind"]) == ("2026-04-10", "2022-2027", "giao-ban")
    assert {o["code"] for o in body["organisers"]} == {"QS-HANOI", "CCB-HANOI"}
    url = f"/api/v1/conferences/{body['id']}/"
    changed = api(demo_user("hanoi.ccb")).patch(url, {"place": "Sơn Tây", "organisers": ["CCB-HANOI"]}, format="json")
    assert changed.status_code == 200
    assert changed.json()["place"] == "Sơn Tây" and [o["code"] for o in changed.json()["organisers"]] == ["CCB-HANOI"]
    assert "tại Sơn Tây" in changed.json()["summary"]
    assert api(demo_user("camau.ccb")).patch(url, {"place": "Cà Mau"}, format="json").status_code == 404
    assert api(demo_user("hanoi.ccb")).delete(url).status_code == 405


def test_the_signing_of_the_seed_conference_through_the_api(demo_user: Callable[[str], Any]) -> None:
    conference = national()
    body = api(demo_user("hoankiem.ccb")).get(f"/api/v1/conferences/{conference.pk}/signing/").json()
    assert body["signing"]["phase"] == "2022-2027" and body["signing"]["signed_on"] == "2022-09-23"
    assert set(body["signing"]["bodies"]) == {"TCCT", "CCB-TW"}
    assert [(s["name"], s["body"], s["capacity"]) for s in body["signing"]["signatories"]] == [
        ("Nguyễn Văn Gấu", "TCCT", "KT. Chủ nhiệm"),
        ("Khuất Việt Dũng", "CCB-TW", "TM. Ban Thường vụ"),
    ]
    adopted = body["adopted_proposals"]
    assert len(adopted) == 4 and {(a["unit"], a["phase"]) for a in adopted} == {
        ("TCCT", "2022-2027"),
        ("CCB-TW", "2022-2027"),
    }
    none = api(demo_user("hanoi.ccb")).get(f"/api/v1/conferences/{provincial().pk}/signing/").json()
    assert none == {"signing": None, "adopted_proposals": []}


def test_the_service_refuses_a_writer_of_another_province(demo_user: Callable[[str], Any]) -> None:
    conference = provincial()
    paper = conference.papers.first()
    assert paper
    with pytest.raises(OutOfScope):
        services.paper_update(paper=paper, acting_user=demo_user("camau.ccb"), data={"title": "Đổi"})
    with pytest.raises(OutOfScope):
        services.delegate_add(conference=conference, name="Khách", acting_user=demo_user("camau.ccb"))
    with pytest.raises(ValidationError):
        services.paper_add(conference=conference, title=" ", acting_user=demo_user("hanoi.ccb"))


# --- outcomes: the commendation decisions of the conference ---------------------------------------


def test_the_decisions_of_the_conference_show_on_its_page_and_in_its_summary(demo_user: Callable[[str], Any]) -> None:
    from phoihop.commendations.models import Decision

    conference = national()
    decision = Decision.objects.order_by("pk").first()
    assert decision is not None, "the demo holds a commendation decision"
    # The system administrator sees the decision whichever body issued it (TCCT or the Ministry).
    user = demo_user("admin")
    before = summary_of(user, conference)
    assert "được khen thưởng" not in before
    Decision.objects.filter(pk=decision.pk).update(conference=conference)
    awards = list(decision.awards.all())
    individuals = sum(1 for a in awards if a.person_id)
    collectives = sum(1 for a in awards if a.nominee_unit_id)
    detail = page(web(user).get(reverse("conferences:detail", args=[conference.pk])))
    assert f"Số {decision.number:02d}" in detail and decision.subject in detail
    assert f"ngày {decision.issued_on.day}/{decision.issued_on.month}/{decision.issued_on.year}" in detail
    words = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]
    parts = [f"{words[n]} {noun}" for n, noun in ((collectives, "tập thể"), (individuals, "cá nhân")) if n]
    assert (
        f"Dịp này, {' và '.join(parts)} có thành tích xuất sắc trong thực hiện Chương trình phối hợp "
        "giai đoạn 2017–2022 được khen thưởng."
    ) in summary_of(user, conference)

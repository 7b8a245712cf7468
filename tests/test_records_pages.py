"""Pages for good-practice models, exchanges, lessons and proposals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Field, Phase
from phoihop.records import services
from phoihop.records.models import Exchange, ExchangeRecipient, Lesson, PracticeModel, Proposal, Replication

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def camau_commune() -> OrgUnit:
    province = unit("CCB-CAMAU")
    return OrgUnit.objects.filter(path__startswith=province.path, depth=province.depth + 1).order_by("path").first()  # type: ignore[return-value]


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def field(phase: Phase) -> Field:
    return Field.objects.filter(programme=phase.programme).order_by("order", "code").first()  # type: ignore[return-value]


@pytest.fixture
def make_model(demo_user: Callable[[str], Any], phase: Phase, field: Field) -> Callable[..., PracticeModel]:
    def make(username: str, origin: str, name: str) -> PracticeModel:
        return services.practice_model_save(
            acting_user=demo_user(username),
            data={
                "phase": phase,
                "name": name,
                "field": field,
                "origin_unit": unit(origin),
                "started_on": date(2023, 3, 1),
                "description": "Mô tả.",
                "results": "Kết quả.",
            },
        )

    return make


def exchange_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sender": unit("CCB-X00070").pk,
        "kind": "notice",
        "phase": "",
        "subject": "Lịch tuần tra chung tháng 12",
        "body": "Đề nghị Ban CHQS phường bố trí dân quân cùng tuần tra.",
        "recipients": [unit("QS-X00070").pk],
    }
    data.update(overrides)
    return data


# --- scoping ------------------------------------------------------------------------------------


def test_it_hides_camau_models_exchanges_lessons_and_proposals_from_hanoi(
    client_as: Callable[[str], Any], demo_user: Callable[[str], Any], make_model: Callable[..., PracticeModel]
) -> None:
    camau = demo_user("camau.ccb")
    model = make_model("camau.ccb", "CCB-CAMAU", "Mô hình “Ngân hàng bò” Năm Căn")
    exchange = services.exchange_send(
        acting_user=camau,
        sender=unit("CCB-CAMAU"),
        kind="quick",
        subject="Báo cáo nhanh mưa bão Năm Căn",
        body="Thiệt hại.",
        recipients=[unit("QS-CAMAU")],
    )
    record = {"unit": unit("CCB-CAMAU"), "phase": model.phase, "content": "Nội dung.", "recorded_on": date(2024, 1, 1)}
    lesson = services.lesson_save(acting_user=camau, data=record | {"title": "Bài học Năm Căn"})
    proposal = services.proposal_save(acting_user=camau, data=record | {"title": "Đề xuất Năm Căn", "horizon": "phase"})
    pages = [
        reverse("records:model", kwargs={"pk": model.pk}),
        reverse("records:model-edit", kwargs={"pk": model.pk}),
        reverse("records:exchange", kwargs={"pk": exchange.pk}),
        reverse("records:lesson-edit", kwargs={"pk": lesson.pk}),
        reverse("records:proposal-edit", kwargs={"pk": proposal.pk}),
    ]
    hanoi, own = client_as("hanoi.ccb"), client_as("camau.ccb")
    for url in pages:
        assert hanoi.get(url).status_code == 404, url
        assert own.get(url).status_code == 200, url
    lists = {
        "records:model-list": model.name,
        "records:model-top": model.name,
        "records:exchange-list": exchange.subject,
        "records:lesson-list": lesson.title,
        "records:proposal-list": proposal.title,
    }
    services.replication_add(acting_user=camau, model=model, unit=camau_commune(), replicated_on=date(2024, 1, 1))
    for name, title in lists.items():
        assert title not in hanoi.get(reverse(name), {"q": "nam can"}).content.decode(), name
        assert title in own.get(reverse(name), {"q": "nam can"}).content.decode(), name


def test_it_shows_a_camau_model_to_hanoi_once_a_hanoi_unit_took_it_up(
    client_as: Callable[[str], Any], demo_user: Callable[[str], Any], make_model: Callable[..., PracticeModel]
) -> None:
    model = make_model("camau.ccb", "CCB-CAMAU", "Mô hình “Tổ hòa giải cựu chiến binh”")
    commune = camau_commune()
    services.replication_add(
        acting_user=demo_user("camau.ccb"), model=model, unit=commune, replicated_on=date(2023, 6, 1)
    )
    url = reverse("records:model", kwargs={"pk": model.pk})
    hanoi = client_as("hanoi.ccb")
    assert hanoi.get(url).status_code == 404

    # The national association, which sees both provinces, records that Hoàn Kiếm took it up.
    response = client_as("tuhoi").post(
        reverse("records:replication-add", kwargs={"pk": model.pk}),
        {"unit": unit("CCB-X00070").pk, "replicated_on": "2024-02-01", "note": "Học tập tại hội nghị"},
    )
    assert response.status_code == 302

    response = hanoi.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert model.name in page and "Học tập tại hội nghị" in page
    # Hà Nội sees its own replication, not Cà Mau's, but knows the model spread further.
    assert [r.unit.code for r in response.context["replications"]] == ["CCB-X00070"]
    assert response.context["hidden_count"] == 1
    assert commune.name not in page and commune.display_name not in page
    assert model.name in hanoi.get(reverse("records:model-list")).content.decode()


def test_it_shows_the_sender_that_the_army_counterpart_read_the_exchange(client_as: Callable[[str], Any]) -> None:
    sender = client_as("hoankiem.ccb")
    response = sender.post(reverse("records:exchange-create"), exchange_form())
    assert response.status_code == 302
    exchange = Exchange.objects.get(subject="Lịch tuần tra chung tháng 12")
    delivery = ExchangeRecipient.objects.get(exchange=exchange)
    assert (delivery.unit.code, delivery.read_at) == ("QS-X00070", None)
    detail = reverse("records:exchange", kwargs={"pk": exchange.pk})
    assert sender.get(detail).context["read_count"] == 0

    army = client_as("hanoi.qs")
    inbox = army.get(reverse("records:exchange-list"), {"tab": "in"})
    assert [(e.pk, e.unread) for e in inbox.context["page"]][:1] == [(exchange.pk, True)]
    assert 'data-unread="1"' in inbox.content.decode()
    assert army.get(detail).status_code == 200

    delivery.refresh_from_db()
    assert delivery.read_at is not None
    assert delivery.read_by is not None and delivery.read_by.username == "hanoi.qs"
    inbox = army.get(reverse("records:exchange-list"), {"tab": "in"})
    assert [(e.pk, e.unread) for e in inbox.context["page"]][:1] == [(exchange.pk, False)]

    response = sender.get(detail)
    assert response.context["read_count"] == 1 and response.context["sent_side"]
    page = response.content.decode()
    assert "Đã đọc lúc" in page
    assert delivery.read_by.get_full_name() in page


def test_it_does_not_count_the_senders_own_side_opening_an_exchange_as_read(
    client_as: Callable[[str], Any],
) -> None:
    # Sent to one of Hoàn Kiếm's own branches: the association and every level above it
    # cover that branch, yet opening what their side sent is no reading by the branch.
    recipients = [unit("CCB-X00070-CH01").pk, unit("QS-X00070").pk]
    client_as("hoankiem.ccb").post(reverse("records:exchange-create"), exchange_form(recipients=recipients))
    exchange = Exchange.objects.get(subject="Lịch tuần tra chung tháng 12")
    detail = reverse("records:exchange", kwargs={"pk": exchange.pk})
    for username in ("hoankiem.ccb", "hanoi.ccb", "tuhoi", "admin"):
        assert client_as(username).get(detail).status_code == 200
    assert list(ExchangeRecipient.objects.filter(exchange=exchange).values_list("read_at", flat=True)) == [None, None]
    # The same exchange is in Hà Nội association's out-box, not its in-box.
    hanoi = client_as("hanoi.ccb")
    assert exchange in hanoi.get(reverse("records:exchange-list"), {"tab": "out"}).context["page"]
    assert exchange not in hanoi.get(reverse("records:exchange-list"), {"tab": "in"}).context["page"]


def test_it_shows_a_recipient_only_its_own_units_among_the_recipients(client_as: Callable[[str], Any]) -> None:
    response = client_as("tuhoi").post(
        reverse("records:exchange-create"),
        exchange_form(sender=unit("CCB-TW").pk, recipients=[unit("CCB-HANOI").pk, unit("CCB-CAMAU").pk]),
    )
    assert response.status_code == 302
    exchange = Exchange.objects.get(subject="Lịch tuần tra chung tháng 12")
    response = client_as("hanoi.ccb").get(reverse("records:exchange", kwargs={"pk": exchange.pk}))
    assert [d.unit.code for d in response.context["deliveries"]] == ["CCB-HANOI"]
    assert response.context["hidden_count"] == 1
    assert "Cà Mau" not in response.content.decode()
    assert ExchangeRecipient.objects.get(exchange=exchange, unit__code="CCB-HANOI").read_at is not None
    assert ExchangeRecipient.objects.get(exchange=exchange, unit__code="CCB-CAMAU").read_at is None


# --- the models that spread most ------------------------------------------------------------------


def test_it_ranks_models_by_the_number_of_units_that_took_them_up(
    client_as: Callable[[str], Any], demo_user: Callable[[str], Any], make_model: Callable[..., PracticeModel]
) -> None:
    tuhoi = demo_user("tuhoi")
    small = make_model("tuhoi", "CCB-HANOI", "Mô hình xếp hạng thử: tủ sách")
    wide = make_model("tuhoi", "CCB-HANOI", "Mô hình xếp hạng thử: nhà đồng đội")
    make_model("tuhoi", "CCB-HANOI", "Mô hình xếp hạng thử: chưa ai học tập")
    hanoi_commune = OrgUnit.objects.filter(path__startswith=unit("CCB-HANOI").path, depth=3).exclude(code="CCB-X00070")[
        0
    ]
    spread = [
        (wide, "CCB-X00070", date(2023, 4, 1)),
        (wide, hanoi_commune.code, date(2023, 9, 1)),
        (wide, camau_commune().code, date(2024, 5, 2)),
        (small, "CCB-X00070", date(2023, 5, 1)),
    ]
    for model, code, day in spread:
        services.replication_add(acting_user=tuhoi, model=model, unit=unit(code), replicated_on=day)
    # The army side of Hoàn Kiếm took it up too: one more unit, no further province.
    services.replication_add(
        acting_user=demo_user("admin"), model=wide, unit=unit("QS-X00070"), replicated_on=date(2024, 6, 1)
    )

    response = client_as("tuhoi").get(reverse("records:model-top"), {"q": "mo hinh xep hang thu"})
    assert response.status_code == 200
    rows = [
        (rank, m.name, m.spread, provinces, m.first_on, m.last_on) for rank, m, provinces in response.context["rows"]
    ]
    assert rows == [
        (1, wide.name, 4, 2, date(2023, 4, 1), date(2024, 6, 1)),
        (2, small.name, 1, 1, date(2023, 5, 1), date(2023, 5, 1)),
    ]
    page = response.content.decode()
    assert page.index("nhà đồng đội") < page.index("tủ sách")
    assert "chưa ai học tập" not in page
    assert "1/4/2023" in page and "1/6/2024" in page


# --- models: create, edit, replications ----------------------------------------------------------


def test_it_creates_and_edits_a_model_through_the_pages(
    client_as: Callable[[str], Any], phase: Phase, field: Field
) -> None:
    client = client_as("hoankiem.ccb")
    form = client.get(reverse("records:model-create")).context["form"]
    assert form.initial["origin_unit"] == unit("CCB-X00070").pk
    data = {
        "phase": phase.pk,
        "name": "Mô hình “Cựu chiến binh giúp nhau làm kinh tế”",
        "field": field.pk,
        "origin_unit": unit("CCB-X00070").pk,
        "started_on": "2023-02-15",
        "description": "Tổ vay vốn xoay vòng.",
        "results": "Mười hộ thoát nghèo.",
    }
    response = client.post(reverse("records:model-create"), data)
    assert response.status_code == 302
    model = PracticeModel.objects.get(name=data["name"])
    assert (model.origin_unit.code, model.started_on) == ("CCB-X00070", date(2023, 2, 15))
    assert response["Location"] == reverse("records:model", kwargs={"pk": model.pk})

    response = client.post(
        reverse("records:model-edit", kwargs={"pk": model.pk}),
        data | {"results": "Mười hai hộ thoát nghèo.", "version": model.version},
    )
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.results == "Mười hai hộ thoát nghèo."
    assert model.history.count() == 2
    assert "Mười hai hộ thoát nghèo." in client.get(reverse("records:model", kwargs={"pk": model.pk})).content.decode()


@pytest.mark.parametrize("origin", ["QS-X00070", "CCB-HANOI", "CCB-CAMAU"])
def test_it_refuses_an_origin_unit_the_user_may_not_enter_data_for(
    client_as: Callable[[str], Any], phase: Phase, field: Field, origin: str
) -> None:
    data = {
        "phase": phase.pk,
        "name": "Mô hình ngoài phạm vi",
        "field": field.pk,
        "origin_unit": unit(origin).pk,
        "started_on": "2023-02-15",
    }
    response = client_as("hoankiem.ccb").post(reverse("records:model-create"), data)
    assert response.status_code == 200
    assert "origin_unit" in response.context["form"].errors
    assert not PracticeModel.objects.filter(name="Mô hình ngoài phạm vi").exists()


def test_it_adds_and_removes_a_replication(
    client_as: Callable[[str], Any], make_model: Callable[..., PracticeModel]
) -> None:
    model = make_model("hoankiem.ccb", "CCB-X00070", "Mô hình “Chi hội tự quản”")
    client = client_as("hoankiem.ccb")
    add = reverse("records:replication-add", kwargs={"pk": model.pk})
    branch = unit("CCB-X00070-CH02")
    data = {"unit": branch.pk, "replicated_on": "2024-03-08", "note": "Cả chi hội tham gia"}
    assert client.post(add, data).status_code == 302
    replication = Replication.objects.get(model=model)
    assert (replication.unit, replication.replicated_on, replication.note) == (
        branch,
        date(2024, 3, 8),
        "Cả chi hội tham gia",
    )

    again = client.post(add, data)
    assert again.status_code == 200
    assert "đã được ghi nhận" in again.content.decode()
    early = client.post(add, data | {"unit": unit("CCB-X00070-CH03").pk, "replicated_on": "2020-01-01"})
    assert "không được trước ngày mô hình bắt đầu" in early.content.decode()
    assert Replication.objects.filter(model=model).count() == 1

    remove = reverse("records:replication-remove", kwargs={"pk": model.pk, "replication_pk": replication.pk})
    assert client.post(remove).status_code == 302
    assert not Replication.objects.filter(model=model).exists()


def test_it_filters_models_by_text_without_diacritics_and_by_a_units_subtree(
    client_as: Callable[[str], Any], demo_user: Callable[[str], Any], make_model: Callable[..., PracticeModel]
) -> None:
    started = make_model("hanoi.ccb", "CCB-HANOI", "Mô hình “Đường điện cựu chiến binh thắp sáng”")
    taken_up = make_model("camau.ccb", "CCB-CAMAU", "Mô hình “Đường điện nông thôn”")
    services.replication_add(
        acting_user=demo_user("tuhoi"), model=taken_up, unit=unit("CCB-X00070"), replicated_on=date(2024, 1, 1)
    )
    client = client_as("tuhoi")
    found = client.get(reverse("records:model-list"), {"q": "DUONG DIEN cuu chien binh"}).context["page"]
    assert list(found) == [started]
    # Hoàn Kiếm's subtree holds the model it took up, not the one its province started.
    in_hoankiem = client.get(reverse("records:model-list"), {"unit": unit("CCB-X00070").pk, "q": "duong dien"})
    assert list(in_hoankiem.context["page"]) == [taken_up]
    in_hanoi = client.get(reverse("records:model-list"), {"unit": unit("CCB-HANOI").pk, "q": "duong dien"})
    assert {m.pk for m in in_hanoi.context["page"]} == {started.pk, taken_up.pk}
    # A unit out of the reader's scope filters everything out.
    refused = client_as("hanoi.ccb").get(reverse("records:model-list"), {"unit": unit("CCB-CAMAU").pk})
    assert list(refused.context["page"]) == []


# --- exchanges: recipients and attachments --------------------------------------------------------


@pytest.mark.parametrize("code", ["CCB-HANOI", "CCB-CAMAU", "QS-HANOI"])
def test_it_refuses_recipients_outside_the_allowed_set(client_as: Callable[[str], Any], code: str) -> None:
    response = client_as("hoankiem.ccb").post(
        reverse("records:exchange-create"), exchange_form(recipients=[unit("QS-X00070").pk, unit(code).pk])
    )
    assert response.status_code == 200
    assert "Chỉ gửi được tới đơn vị cấp dưới hoặc đơn vị phối hợp" in " ".join(
        response.context["form"].errors["recipients"]
    )
    assert not Exchange.objects.filter(subject="Lịch tuần tra chung tháng 12").exists()


def test_it_asks_for_a_recipient(client_as: Callable[[str], Any]) -> None:
    response = client_as("hoankiem.ccb").post(reverse("records:exchange-create"), exchange_form(recipients=[]))
    assert response.status_code == 200
    assert response.context["form"].errors["recipients"] == ["Hãy chọn ít nhất một nơi nhận."]


def test_it_sends_to_every_lower_unit_and_the_counterpart_with_the_shortcuts(
    client_as: Callable[[str], Any],
) -> None:
    response = client_as("hoankiem.ccb").post(
        reverse("records:exchange-create"), exchange_form(recipients=[], all_children="1", counterparts="1")
    )
    assert response.status_code == 302
    exchange = Exchange.objects.get(subject="Lịch tuần tra chung tháng 12")
    assert sorted(exchange.deliveries.values_list("unit__code", flat=True)) == [
        "CCB-X00070-CH01",
        "CCB-X00070-CH02",
        "CCB-X00070-CH03",
        "CCB-X00070-CH04",
        "QS-X00070",
    ]


def test_it_redraws_the_recipients_for_the_chosen_sender_and_search(client_as: Callable[[str], Any]) -> None:
    client = client_as("hanoi.ccb")
    url = reverse("records:exchange-create")
    response = client.get(url, {"sender": unit("CCB-X00070").pk, "find": "to dan pho so 2", "subject": "Giữ lại"})
    assert [u.code for u in response.context["candidates"]] == ["CCB-X00070-CH02"]
    assert response.context["form"]["subject"].value() == "Giữ lại"
    kept = client.get(
        url, {"sender": unit("CCB-X00070").pk, "recipients": [unit("QS-X00070").pk, unit("CCB-CAMAU").pk]}
    )
    assert [u.code for u in kept.context["selected"]] == ["QS-X00070"]
    assert "QS-X00070" not in [u.code for u in kept.context["candidates"]]
    # A sender out of the user's scope offers nothing.
    other = client.get(url, {"sender": unit("CCB-CAMAU").pk})
    assert other.context["sender"] is None and other.context["candidates"] == []


def test_it_attaches_a_png_to_an_exchange(client_as: Callable[[str], Any], settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("so-do-tuan-tra.png", PNG, content_type="application/octet-stream")
    client = client_as("hoankiem.ccb")
    response = client.post(reverse("records:exchange-create"), exchange_form(attachments=[upload]))
    assert response.status_code == 302
    exchange = Exchange.objects.get(subject="Lịch tuần tra chung tháng 12")
    attachment = exchange.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "so-do-tuan-tra.png",
        "image/png",
        len(PNG),
    )
    page = client.get(reverse("records:exchange", kwargs={"pk": exchange.pk})).content.decode()
    assert "so-do-tuan-tra.png" in page


def test_it_refuses_a_text_file_and_sends_nothing(
    client_as: Callable[[str], Any], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    good = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    text = SimpleUploadedFile("bao-cao.pdf", "Báo cáo tuần tra.".encode(), content_type="application/pdf")
    response = client_as("hoankiem.ccb").post(
        reverse("records:exchange-create"), exchange_form(attachments=[good, text])
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "bao-cao.pdf: Nội dung tệp không thuộc loại được phép" in errors
    assert "chọn lại tệp" in response.content.decode()
    assert not Exchange.objects.filter(subject="Lịch tuần tra chung tháng 12").exists()
    assert not any(tmp_path.rglob("*"))


# --- lessons and proposals ------------------------------------------------------------------------


def test_it_records_edits_finds_and_deletes_a_lesson(
    client_as: Callable[[str], Any], phase: Phase, field: Field
) -> None:
    client = client_as("hoankiem.ccb")
    data = {
        "unit": unit("CCB-X00070").pk,
        "phase": phase.pk,
        "field": field.pk,
        "title": "Phối hợp chặt chẽ với Ban CHQS phường",
        "content": "Họp giao ban hằng tháng giúp thống nhất kế hoạch.",
        "recorded_on": "2024-12-20",
    }
    assert client.post(reverse("records:lesson-create"), data).status_code == 302
    lesson = Lesson.objects.get(title=data["title"])
    assert lesson.recorded_by is not None and lesson.recorded_by.username == "hoankiem.ccb"

    edit = reverse("records:lesson-edit", kwargs={"pk": lesson.pk})
    assert (
        client.post(edit, data | {"content": "Họp giao ban hằng tuần.", "version": lesson.version}).status_code == 302
    )
    lesson.refresh_from_db()
    assert lesson.content == "Họp giao ban hằng tuần."

    found = client.get(reverse("records:lesson-list"), {"q": "phoi hop chat che", "phase": phase.pk})
    assert list(found.context["page"]) == [lesson]
    assert lesson.pk in found.context["changeable"]
    # The province reads it; the army counterpart does not.
    assert lesson in client_as("hanoi.ccb").get(reverse("records:lesson-list")).context["page"]
    assert client_as("hanoi.qs").get(edit).status_code == 404

    assert client.post(reverse("records:lesson-delete", kwargs={"pk": lesson.pk})).status_code == 302
    assert not Lesson.objects.filter(pk=lesson.pk).exists()


def test_it_refuses_a_field_of_another_programme(client_as: Callable[[str], Any], phase: Phase, field: Field) -> None:
    from tests.test_scoping_matrix import make_programme

    # Hà Nội's own programme, which Hoàn Kiếm also works under, has fields of its own.
    _, other, _ = make_programme("ct-hanoi-thu", "Chương trình thử", "HANOI")
    data = {
        "unit": unit("CCB-X00070").pk,
        "phase": other.pk,
        "field": field.pk,
        "title": "Bài học lệch chương trình",
        "content": "Nội dung.",
        "recorded_on": "2026-01-20",
    }
    response = client_as("hoankiem.ccb").post(reverse("records:lesson-create"), data)
    assert response.status_code == 200
    assert "field" in response.context["form"].errors
    assert not Lesson.objects.filter(title=data["title"]).exists()


def test_it_records_a_proposal_for_the_next_phase_and_filters_by_horizon(
    client_as: Callable[[str], Any], phase: Phase
) -> None:
    client = client_as("hanoi.ccb")
    data = {
        "unit": unit("CCB-HANOI").pk,
        "phase": phase.pk,
        "horizon": "phase",
        "field": "",
        "title": "Nâng cao chất lượng tuyên truyền giai đoạn 2027–2032",
        "content": "Đưa nội dung phối hợp vào nghị quyết của Hội.",
        "recorded_on": "2026-10-01",
    }
    assert client.post(reverse("records:proposal-create"), data).status_code == 302
    proposal = Proposal.objects.get(title=data["title"])
    assert proposal.horizon == "phase"
    for horizon, expected in (("phase", [proposal]), ("period", [])):
        page = client.get(reverse("records:proposal-list"), {"horizon": horizon, "q": "giai doan 2027"})
        assert list(page.context["page"]) == expected
    assert "cho giai đoạn tới" in client.get(reverse("records:proposal-list")).content.decode()
    assert (
        client_as("hoankiem.ccb").get(reverse("records:proposal-edit", kwargs={"pk": proposal.pk})).status_code == 404
    )


@pytest.mark.parametrize(
    "name", ["records:model-create", "records:exchange-create", "records:lesson-create", "records:proposal-create"]
)
def test_it_refuses_data_entry_pages_to_a_unit_administrator(hanoi_admin: Any, name: str) -> None:
    from django.test import Client

    client = Client()
    client.force_login(hanoi_admin)
    assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("records:model-list")).status_code == 200


def test_it_asks_for_a_field_of_a_model_instead_of_failing(client_as: Callable[[str], Any], phase: Phase) -> None:
    data = {"phase": phase.pk, "name": "Mô hình chưa chọn lĩnh vực", "field": "", "origin_unit": unit("CCB-X00070").pk}
    response = client_as("hoankiem.ccb").post(reverse("records:model-create"), data | {"started_on": "2023-02-15"})
    assert response.status_code == 200
    assert "field" in response.context["form"].errors
    assert not PracticeModel.objects.filter(name=data["name"]).exists()

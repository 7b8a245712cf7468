"""Entered figures, good-practice models, exchanges, lessons, proposals and locks through the
API (on the demo data: Phường Hoàn Kiếm's association CCB-X00070, its army counterpart
QS-X00070, the national programme QDND-CCB). Dates in 2027 lie after the demo's data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.entry.services import lock_create
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Field, Phase
from phoihop.records.models import Exchange, ExchangeRecipient, Lesson, PracticeModel, Proposal, Replication
from phoihop.records.services import exchange_send, lesson_save, practice_model_save

pytestmark = pytest.mark.django_db
# The periods below end in 2027: a lock needs its period ended, so these tests move the clock.
AFTER_2027 = datetime(2028, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def phase(db: Any) -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def field_(code: str) -> Field:
    return Field.objects.get(programme__code="QDND-CCB", code=code)


# --- entered figures ------------------------------------------------------------------------------

ENTERED = reverse("api:entered-figure-list")


def enter(unit_code: str = "CCB-X00070", **extra: Any) -> dict[str, Any]:
    return {
        "unit": unit_code,
        "period_start": "2027-06-15",
        "period_end": "2027-12-14",
        "values": [{"indicator": "gn-ho", "value": 12}, {"indicator": "xh-nha", "value": 2}],
        **extra,
    }


def entered(unit_code: str = "CCB-X00070") -> dict[str, int]:
    rows = IndicatorValue.objects.entered().filter(unit__code=unit_code, period_start=date(2027, 6, 15))
    return {row.indicator.code: row.value for row in rows.select_related("indicator")}


def test_it_sets_a_units_figures_for_a_period_and_lists_them(api_client_as: Callable[[str], Any]) -> None:
    client = api_client_as("hoankiem.ccb")
    response = client.post(ENTERED, enter(), format="json")
    assert response.status_code == 200, response.json()
    assert sorted((row["indicator"], row["value"], row["period_end"]) for row in response.json()) == [
        ("gn-ho", 12, "2027-12-14"),
        ("xh-nha", 2, "2027-12-14"),
    ]
    assert entered() == {"gn-ho": 12, "xh-nha": 2}

    # A number replaces the figure; null clears it; an indicator not named stays.
    response = client.post(ENTERED, enter(values=[{"indicator": "gn-ho", "value": None}]), format="json")
    assert response.status_code == 200
    assert [row["indicator"] for row in response.json()] == ["xh-nha"]
    assert entered() == {"xh-nha": 2}

    listed = client.get(ENTERED, {"unit": "CCB-X00070", "start": "2027-12-14", "indicator": "xh-nha"}).json()
    assert [(row["unit"], row["value"], row["entered_by_unit"]) for row in listed["results"]] == [
        ("CCB-X00070", 2, None)
    ]


def test_it_records_entering_on_behalf_of_a_lower_unit(api_client_as: Callable[[str], Any]) -> None:
    response = api_client_as("hanoi.ccb").post(ENTERED, enter(), format="json")
    assert response.status_code == 200
    assert {row["entered_by_unit"] for row in response.json()} == {"CCB-HANOI"}


@pytest.mark.parametrize(
    ("username", "data", "status", "message"),
    [
        ("hanoi.ccb", enter("CCB-CAMAU"), 400, "Không tìm thấy đơn vị có mã “CCB-CAMAU”."),
        ("hoankiem.ccb", enter("QS-X00070"), 403, None),
        ("hoankiem.ccb", enter(values=[{"indicator": "khong-co", "value": 1}]), 400, "“khong-co”"),
        ("hoankiem.ccb", enter(values=[]), 400, None),
        ("hoankiem.ccb", enter(period_end="2027-06-01"), 400, "Ngày cuối kỳ không được trước ngày đầu kỳ."),
        ("hoankiem.ccb", enter(programme="khong-co"), 400, "Không tìm thấy chương trình có mã “khong-co”"),
    ],
)
def test_it_refuses_figures_it_may_not_set(
    api_client_as: Callable[[str], Any], username: str, data: dict[str, Any], status: int, message: str | None
) -> None:
    before = IndicatorValue.objects.count()
    response = api_client_as(username).post(ENTERED, data, format="json")
    assert response.status_code == status, response.json()
    if message:
        assert message in str(response.json())
    assert IndicatorValue.objects.count() == before


def test_it_refuses_a_period_overlapping_one_already_entered(api_client_as: Callable[[str], Any]) -> None:
    client = api_client_as("hoankiem.ccb")
    assert client.post(ENTERED, enter(), format="json").status_code == 200
    response = client.post(ENTERED, enter(period_start="2027-09-15", period_end="2027-10-14"), format="json")
    assert response.status_code == 400
    assert "chồng lên" in str(response.json())
    assert entered() == {"gn-ho": 12, "xh-nha": 2}


def test_a_locked_period_refuses_entered_figures(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], time_machine: Any
) -> None:
    time_machine.move_to(AFTER_2027)  # only a period that has ended is locked
    client = api_client_as("hoankiem.ccb")
    assert client.post(ENTERED, enter(), format="json").status_code == 200
    lock_create(
        unit=unit("CCB-X00070"), start=date(2027, 6, 15), end=date(2027, 12, 14), acting_user=demo_user("hanoi.ccb")
    )
    for values in ([{"indicator": "gn-ho", "value": 13}], [{"indicator": "xh-nha", "value": None}]):
        response = client.post(ENTERED, enter(values=values), format="json")
        assert response.status_code == 400
        assert "đã khóa" in str(response.json())
    assert entered() == {"gn-ho": 12, "xh-nha": 2}


def test_it_hides_camau_entered_figures_from_hanoi(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    assert api_client_as("camau.ccb").post(ENTERED, enter("CCB-CAMAU"), format="json").status_code == 200
    rows = api_client_as("hanoi.ccb").get(ENTERED, {"start": "2027-12-14", "page_size": "500"}).json()["results"]
    assert "CCB-CAMAU" not in {row["unit"] for row in rows}
    rows = api_client_as("tuhoi").get(ENTERED, {"start": "2027-12-14", "page_size": "500"}).json()["results"]
    assert "CCB-CAMAU" in {row["unit"] for row in rows}


# --- good-practice models --------------------------------------------------------------------------

MODELS = reverse("api:practice-model-list")


def test_it_creates_and_edits_a_model_and_records_its_spread(api_client_as: Callable[[str], Any], phase: Phase) -> None:
    client = api_client_as("hanoi.ccb")
    response = client.post(
        MODELS,
        {
            "phase": phase.pk,
            "name": "Tổ cựu chiến binh tự quản",
            "field": "he-thong-chinh-tri",
            "origin_unit": "CCB-X00070",
            "started_on": "2027-01-05",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    model = PracticeModel.objects.get(pk=response.json()["id"])
    assert (response.json()["field"], response.json()["replication_count"]) == ("he-thong-chinh-tri", 0)

    response = client.patch(
        reverse("api:practice-model-detail", kwargs={"pk": model.pk}), {"results": "Giữ gìn trật tự."}, format="json"
    )
    assert (response.status_code, response.json()["results"]) == (200, "Giữ gìn trật tự.")

    replications = reverse("api:practice-model-replications", kwargs={"pk": model.pk})
    response = client.post(replications, {"unit": "CCB-X00004", "replicated_on": "2027-03-01"}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["unit"], response.json()["unit_name"]) == ("CCB-X00004", unit("CCB-X00004").display_name)
    assert Replication.objects.filter(model=model, unit__code="CCB-X00004").exists()
    # Twice, or before the model started: the service's messages.
    again = client.post(replications, {"unit": "CCB-X00004", "replicated_on": "2027-03-01"}, format="json")
    early = client.post(replications, {"unit": "CCB-X00008", "replicated_on": "2026-12-31"}, format="json")
    assert (again.status_code, early.status_code) == (400, 400)
    assert "đã được ghi nhận" in str(again.json()) and "trước ngày mô hình bắt đầu" in str(early.json())

    assert [row["unit"] for row in client.get(replications).json()] == ["CCB-X00004"]
    detail = client.get(reverse("api:practice-model-detail", kwargs={"pk": model.pk})).json()
    assert (detail["replication_count"], [r["unit"] for r in detail["replications"]]) == (1, ["CCB-X00004"])


def test_it_refuses_a_replication_by_a_unit_outside_the_writers_reach(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    model = practice_model_save(
        acting_user=demo_user("hoankiem.ccb"),
        data={
            "phase": phase,
            "name": "Câu lạc bộ truyền thống",
            "field": field_("van-hoa"),
            "origin_unit": unit("CCB-X00070"),
            "started_on": date(2027, 1, 1),
        },
    )
    url = reverse("api:practice-model-replications", kwargs={"pk": model.pk})
    reporter = api_client_as("hoankiem.ccb")
    # Ba Đình's association is Hà Nội's, not Hoàn Kiếm's: "not found" to Hoàn Kiếm's reporter.
    response = reporter.post(url, {"unit": "CCB-X00004", "replicated_on": "2027-03-01"}, format="json")
    assert response.status_code == 400
    # The army counterpart is seen, but is not the reporter's to write for.
    response = reporter.post(url, {"unit": "QS-X00070", "replicated_on": "2027-03-01"}, format="json")
    assert response.status_code == 403
    assert not Replication.objects.filter(model=model).exists()


def test_it_hides_camau_models_from_hanoi(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    model = practice_model_save(
        acting_user=demo_user("camau.ccb"),
        data={
            "phase": phase,
            "name": "Mô hình nuôi tôm Cà Mau",
            "field": field_("kinh-te"),
            "origin_unit": unit("CCB-CAMAU"),
            "started_on": date(2027, 1, 1),
        },
    )
    hanoi = api_client_as("hanoi.ccb")
    assert hanoi.get(MODELS, {"q": "nuoi tom"}).json()["count"] == 0
    for url in (
        reverse("api:practice-model-detail", kwargs={"pk": model.pk}),
        reverse("api:practice-model-replications", kwargs={"pk": model.pk}),
    ):
        assert hanoi.get(url).status_code == 404
    response = hanoi.post(
        reverse("api:practice-model-replications", kwargs={"pk": model.pk}),
        {"unit": "CCB-X00070", "replicated_on": "2027-03-01"},
        format="json",
    )
    assert response.status_code == 404
    assert api_client_as("camau.ccb").get(MODELS, {"q": "nuoi tom"}).json()["count"] == 1


# --- exchanges ------------------------------------------------------------------------------------

EXCHANGES = reverse("api:exchange-list")


def test_it_sends_an_exchange_and_records_who_read_it(api_client_as: Callable[[str], Any]) -> None:
    sender = api_client_as("hoankiem.ccb")
    response = sender.post(
        EXCHANGES,
        {
            "sender": "CCB-X00070",
            "kind": "quick",
            "subject": "Báo cáo nhanh kết quả diễn tập",
            "body": "Đã hoàn thành diễn tập.",
            "recipient_codes": ["QS-X00070", "CCB-X00070-CH01"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind_label"], sorted(data["recipients"]), data["read_by"]) == (
        "Báo cáo nhanh",
        ["CCB-X00070-CH01", "QS-X00070"],
        [],
    )
    read = reverse("api:exchange-read", kwargs={"pk": data["id"]})

    # The sender's own people opening it is no reading by the recipients.
    assert sender.post(read).json()["read_by"] == []

    army = api_client_as("hanoi.qs")
    assert army.get(EXCHANGES, {"q": "bao cao nhanh ket qua dien tap"}).json()["count"] == 1
    response = army.post(read)
    assert response.status_code == 200
    assert [(r["unit"], r["reader"] != "") for r in response.json()["read_by"]] == [("QS-X00070", True)]
    delivery = ExchangeRecipient.objects.get(exchange_id=data["id"], unit__code="QS-X00070")
    assert delivery.read_by is not None and delivery.read_by.username == "hanoi.qs"
    # The first reading stays.
    first = delivery.read_at
    army.post(read)
    delivery.refresh_from_db()
    assert delivery.read_at == first


@pytest.mark.parametrize(
    ("codes", "status", "message"),
    [
        (["CCB-CAMAU"], 400, "Không tìm thấy đơn vị có mã “CCB-CAMAU”."),
        (["KHONG-CO"], 400, "Không tìm thấy đơn vị có mã “KHONG-CO”."),
        # Seen, but not a place it may write to (itself): the service's message.
        (["CCB-X00070"], 400, "Chỉ gửi được tới đơn vị cấp dưới hoặc đơn vị phối hợp"),
        ([], 400, None),
    ],
)
def test_it_refuses_recipients_the_sender_may_not_write_to(
    api_client_as: Callable[[str], Any], codes: list[str], status: int, message: str | None
) -> None:
    before = Exchange.objects.count()
    response = api_client_as("hoankiem.ccb").post(
        EXCHANGES,
        {"sender": "CCB-X00070", "subject": "Thông báo", "body": "Nội dung.", "recipient_codes": codes},
        format="json",
    )
    assert response.status_code == status, response.json()
    if message:
        assert message in str(response.json())
    assert Exchange.objects.count() == before


def test_it_refuses_to_send_for_a_unit_the_user_only_reads(api_client_as: Callable[[str], Any]) -> None:
    response = api_client_as("hoankiem.ccb").post(
        EXCHANGES,
        {"sender": "QS-X00070", "subject": "Thông báo", "body": "Nội dung.", "recipient_codes": ["CCB-X00070"]},
        format="json",
    )
    assert response.status_code == 403
    assert not Exchange.objects.filter(subject="Thông báo", sender__code="QS-X00070").exists()


def test_it_shows_a_recipient_only_its_own_delivery(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    exchange = exchange_send(
        acting_user=demo_user("tuhoi"),
        sender=unit("CCB-TW"),
        kind="notice",
        subject="Thông báo tổng kết năm",
        body="Các tỉnh gửi báo cáo.",
        recipients=[unit("CCB-HANOI"), unit("CCB-CAMAU")],
    )
    url = reverse("api:exchange-detail", kwargs={"pk": exchange.pk})
    assert api_client_as("hanoi.ccb").get(url).json()["recipients"] == ["CCB-HANOI"]
    assert api_client_as("camau.ccb").get(url).json()["recipients"] == ["CCB-CAMAU"]
    assert sorted(api_client_as("tuhoi").get(url).json()["recipients"]) == ["CCB-CAMAU", "CCB-HANOI"]
    # Cà Mau's reading is not shown to Hà Nội either.
    api_client_as("camau.ccb").post(reverse("api:exchange-read", kwargs={"pk": exchange.pk}))
    assert api_client_as("hanoi.ccb").get(url).json()["read_by"] == []
    assert [r["unit"] for r in api_client_as("tuhoi").get(url).json()["read_by"]] == ["CCB-CAMAU"]


def test_it_hides_camau_exchanges_from_hanoi(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    camau = unit("CCB-CAMAU")
    child = OrgUnit.objects.filter(path__startswith=camau.path, depth=camau.depth + 1).first()
    assert child is not None
    exchange = exchange_send(
        acting_user=demo_user("camau.ccb"),
        sender=camau,
        kind="notice",
        subject="Thông báo mùa nước nổi",
        body="Nội dung.",
        recipients=[child],
    )
    hanoi = api_client_as("hanoi.ccb")
    assert hanoi.get(EXCHANGES, {"q": "mua nuoc noi"}).json()["count"] == 0
    assert hanoi.get(reverse("api:exchange-detail", kwargs={"pk": exchange.pk})).status_code == 404
    assert hanoi.post(reverse("api:exchange-read", kwargs={"pk": exchange.pk})).status_code == 404
    assert not ExchangeRecipient.objects.filter(exchange=exchange, read_at__isnull=False).exists()


# --- lessons and proposals ---------------------------------------------------------------------------


@pytest.mark.parametrize(("route", "model"), [("lesson", Lesson), ("proposal", Proposal)])
def test_it_records_and_edits_lessons_and_proposals(
    api_client_as: Callable[[str], Any], phase: Phase, route: str, model: Any
) -> None:
    client = api_client_as("hoankiem.ccb")
    data = {
        "unit": "CCB-X00070",
        "phase": phase.pk,
        "field": "tuyen-truyen",
        "title": "Tuyên truyền qua loa phát thanh tổ dân phố",
        "content": "Hiệu quả với người cao tuổi.",
        "recorded_on": "2027-02-01",
    }
    if route == "proposal":
        data["horizon"] = "phase"
    response = client.post(reverse(f"api:{route}-list"), data, format="json")
    assert response.status_code == 201, response.json()
    record = model.objects.get(pk=response.json()["id"])
    assert (response.json()["field"], response.json()["programme"]) == ("tuyen-truyen", "QDND-CCB")
    if route == "proposal":
        assert response.json()["horizon_label"] == "Giai đoạn tới"

    url = reverse(f"api:{route}-detail", kwargs={"pk": record.pk})
    response = client.patch(url, {"content": "Nên nhân rộng.", "field": None}, format="json")
    assert response.status_code == 200, response.json()
    record.refresh_from_db()
    assert (record.content, record.field_id) == ("Nên nhân rộng.", None)
    assert client.get(reverse(f"api:{route}-list"), {"q": "loa phat thanh"}).json()["count"] == 1

    response = client.patch(url, {"field": "khong-co"}, format="json")
    assert response.status_code == 400
    assert "Không tìm thấy lĩnh vực có mã “khong-co”" in str(response.json())
    # Outside the association's subtree (another province, the army side) it is not found.
    assert api_client_as("camau.ccb").get(url).status_code == 404
    assert api_client_as("camau.ccb").patch(url, {"content": "x"}, format="json").status_code == 404
    assert api_client_as("hanoi.qs").patch(url, {"content": "x"}, format="json").status_code == 404
    record.refresh_from_db()
    assert record.content == "Nên nhân rộng."


def test_it_answers_403_when_a_reader_edits_a_lesson(
    api_client_as: Callable[[str], Any],
    demo_user: Callable[[str], Any],
    user_with_role: Callable[..., Any],
    phase: Phase,
) -> None:
    lesson = lesson_save(
        acting_user=demo_user("hoankiem.ccb"),
        data={
            "unit": unit("CCB-X00070"),
            "phase": phase,
            "title": "Bài học",
            "content": "Nội dung.",
            "recorded_on": date(2027, 1, 2),
        },
    )
    viewer = user_with_role("hoankiem.viewer", "CCB-X00070", "viewer")
    from tests.support.api_world import VersionedAPIClient

    client = VersionedAPIClient()
    client.force_login(viewer)
    url = reverse("api:lesson-detail", kwargs={"pk": lesson.pk})
    assert client.get(url).status_code == 200
    assert client.patch(url, {"content": "Sửa."}, format="json").status_code == 403
    lesson.refresh_from_db()
    assert lesson.content == "Nội dung."


# --- locks ------------------------------------------------------------------------------------------


def test_it_lists_locks_and_lets_only_an_approver_above_reopen_them(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], time_machine: Any
) -> None:
    time_machine.move_to(AFTER_2027)  # only a period that has ended is locked
    lock = lock_create(
        unit=unit("CCB-X00070"),
        start=date(2027, 3, 15),
        end=date(2027, 4, 14),
        acting_user=demo_user("hanoi.ccb"),
        reason="Báo cáo tháng 4/2027 đã duyệt",
    )
    reporter = api_client_as("hoankiem.ccb")
    rows = reporter.get(reverse("api:lock-list"), {"unit": "CCB-X00070", "active": "true"}).json()["results"]
    assert [(r["id"], r["start"], r["end"], r["active"]) for r in rows] == [(lock.pk, "2027-03-15", "2027-04-14", True)]

    reopen = reverse("api:lock-reopen", kwargs={"pk": lock.pk})
    assert reporter.post(reopen, {"reason": "Bổ sung số liệu."}, format="json").status_code == 403
    approver = api_client_as("hanoi.ccb")
    assert approver.post(reopen, {"reason": ""}, format="json").status_code == 400
    assert EntryLock.objects.get(pk=lock.pk).is_active

    response = approver.post(reopen, {"reason": "Bổ sung số liệu."}, format="json")
    assert response.status_code == 200
    assert (response.json()["active"], response.json()["reopen_reason"]) == (False, "Bổ sung số liệu.")
    again = approver.post(reopen, {"reason": "Lần nữa."}, format="json")
    assert again.status_code == 400
    assert "đã được mở khóa" in str(again.json())
    assert reporter.get(reverse("api:lock-list"), {"unit": "CCB-X00070", "active": "true"}).json()["count"] == 0
    # Cà Mau does not see it.
    assert api_client_as("camau.ccb").get(reverse("api:lock-detail", kwargs={"pk": lock.pk})).status_code == 404


def test_reopening_lets_values_in_again(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], time_machine: Any
) -> None:
    time_machine.move_to(AFTER_2027)  # only a period that has ended is locked
    lock = lock_create(
        unit=unit("CCB-X00070"), start=date(2027, 6, 15), end=date(2027, 12, 14), acting_user=demo_user("hanoi.ccb")
    )
    client = api_client_as("hoankiem.ccb")
    assert client.post(ENTERED, enter(), format="json").status_code == 400
    api_client_as("hanoi.ccb").post(reverse("api:lock-reopen", kwargs={"pk": lock.pk}), {"reason": "Sót số liệu."})
    assert client.post(ENTERED, enter(), format="json").status_code == 200
    assert entered() == {"gn-ho": 12, "xh-nha": 2}

"""The audit trail says what was done: every history row names its action, bulk writes leave an
action-log row, and the pages show who did what, when and why."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from phoihop.audit.actions import LABELS, parse
from phoihop.audit.models import ActionLog
from phoihop.core.services import change_reason
from phoihop.entry import services as entry_services
from phoihop.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[1] / "phoihop"


def history_models() -> list[Any]:
    """The history tables of the models (not those of their many-to-many links, which a row of
    the model's own history accompanies)."""
    return [m for m in apps.get_models() if any(f.name == "history_change_reason" for f in m._meta.get_fields())]


def test_every_history_row_of_the_demo_names_its_action() -> None:
    unnamed = {
        model.__name__: count
        for model in history_models()
        if (
            count := model.objects.filter(history_change_reason__isnull=True).count()
            + model.objects.filter(history_change_reason="").count()
        )
    }
    assert unnamed == {}
    assert len(history_models()) >= 30
    assert sum(m.objects.count() for m in history_models()) > 10_000


def test_every_action_the_code_names_has_a_vietnamese_label() -> None:
    named: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        named |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        named |= set(re.findall(r'default_change_reason="([a-z_]+\.[a-z_]+)"', text))
        named |= set(re.findall(r'record\(\s*"([a-z_]+\.[a-z_]+)"', text))
        named |= {f"report.{a}" for a in re.findall(r'action="(return|reopen)"', text)}
    assert len(named) > 40
    assert sorted(named - set(LABELS)) == []


def test_a_change_reason_carries_the_action_then_the_reason() -> None:
    assert change_reason("activity.return", "  Thiếu ảnh.\n") == "activity.return\nThiếu ảnh."
    assert parse(change_reason("activity.return", "Thiếu ảnh.\nBổ sung danh sách.")) == (
        "activity.return",
        "Thiếu ảnh.\nBổ sung danh sách.",
    )
    assert parse("unit.close") == ("unit.close", "")
    assert parse(None) == ("", "")


# --- the pages show who did what, when and why -----------------------------------------------------


@pytest.fixture
def hanoi_admin(user_with_role: Callable[..., Any]) -> Any:
    return user_with_role("hanoi.unitadmin", "CCB-HANOI")


def test_it_closes_a_unit_with_its_successor_through_the_page_and_says_so(hanoi_admin: Any) -> None:
    client = Client()
    client.force_login(hanoi_admin)
    unit = OrgUnit.objects.get(code="CCB-X00070")
    url = reverse("orgunits:unit-close", kwargs={"pk": unit.pk})
    assert client.get(url).status_code == 200

    # A successor outside the organisation (or unknown) is refused, and nothing typed is lost.
    response = client.post(url, {"valid_to": "2026-06-30", "successors": "QS-X00070", "succession_kind": "absorbed"})
    assert response.status_code == 200
    assert "Không có đơn vị này trong phạm vi của bạn." in response.content.decode()
    assert 'value="2026-06-30"' in response.content.decode()
    response = client.post(url, {"valid_to": "2026-06-30", "successors": "CCB-X00082"})
    assert "Chọn hình thức kế thừa." in response.content.decode()

    response = client.post(url, {"valid_to": "2026-06-30", "successors": "CCB-X00082", "succession_kind": "absorbed"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.valid_to, unit.successor.code, unit.succession_date) == (
        date(2026, 6, 30),
        "CCB-X00082",
        date(2026, 7, 1),
    )
    row = unit.history.latest("history_date")
    assert (row.history_user, row.history_change_reason) == (hanoi_admin, "unit.close")
    page = client.get(reverse("orgunits:unit", kwargs={"pk": unit.pk}))
    latest = page.context["trail"][0]
    assert latest.action == "Đóng đơn vị, ghi đơn vị kế thừa"
    assert latest.who == hanoi_admin.get_full_name()
    assert {"đơn vị kế thừa", "hiệu lực đến"} <= set(latest.changes)


def test_it_refuses_the_close_page_to_a_reader(client_as: Callable[[str], Client]) -> None:
    unit = OrgUnit.objects.get(code="CCB-X00070")
    assert client_as("hoankiem.ccb").get(reverse("orgunits:unit-close", kwargs={"pk": unit.pk})).status_code == 403
    assert client_as("camau.ccb").get(reverse("orgunits:unit-close", kwargs={"pk": unit.pk})).status_code == 404


def test_a_lock_leaves_one_action_log_row_for_the_values_it_approves(demo_user: Callable[[str], Any]) -> None:
    unit = OrgUnit.objects.get(code="CCB-X00070")
    before = ActionLog.objects.count()
    lock = entry_services.lock_create(
        unit=unit, start=date(2026, 1, 1), end=date(2026, 3, 31), acting_user=demo_user("hanoi.ccb"), reason="Quý I"
    )
    logged = ActionLog.objects.exclude(pk__in=ActionLog.objects.order_by("pk")[:before].values("pk")).get()
    assert (logged.action, logged.actor, logged.unit, logged.reason) == (
        "lock.approve_values",
        demo_user("hanoi.ccb"),
        unit,
        "Quý I",
    )
    assert lock.history.get().history_change_reason == "lock.create\nQuý I"
    client = Client()
    client.force_login(demo_user("hanoi.ccb"))
    trail = client.get(reverse("orgunits:unit", kwargs={"pk": unit.pk})).context["trail"]
    assert any(e.action == "Số liệu trong kỳ khóa được tính là đã duyệt" and e.count == logged.count for e in trail)

"""The pages of joint activities: forms, status actions, list filters, export, attachments.

Actors (demo): hoankiem.ccb reports for Phường Hoàn Kiếm's association (CCB-X00070);
hanoi.ccb approves for Hà Nội's association, above it; hanoi.qs approves for Hà Nội's army
command, whose Ban CHQS phường Hoàn Kiếm (QS-X00070) is the association's partner;
camau.ccb is another province.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from phoihop.activities import services as services
from phoihop.activities.exports import ActivityRow, IndicatorColumn, build_activities_xlsx
from phoihop.activities.forms import ActivityForm
from phoihop.activities.models import Activity, ActivityStatus, Attachment
from phoihop.entry import services as entry_services
from phoihop.figures.selectors import totals
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 5)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path
    yield tmp_path


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def ind() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(programme__code="QDND-CCB")}


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def make(
    demo_user: Callable[[str], Any],
    phase: Phase,
    values: dict[Indicator, int | None],
    *,
    title: str = "Tuyên truyền Luật Cựu chiến binh",
    lead: str = "CCB-X00070",
    partners: tuple[str, ...] = ("QS-X00070",),
    user: str = "hoankiem.ccb",
    day: date = DAY,
    submit: bool = False,
    description: str = "",
) -> Activity:
    return services.activity_create(
        acting_user=demo_user(user),
        phase=phase,
        lead_unit=unit(lead),
        title=title,
        start_date=day,
        end_date=day,
        values=values,
        partners=[unit(c) for c in partners],
        description=description,
        submit=submit,
    )


def form_data(phase: Phase, values: dict[Indicator, int | str], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "phase": phase.pk,
        "title": "Hội thao quốc phòng phường Hoàn Kiếm",
        "start_date": "2026-10-04",
        "end_date": "2026-10-05",
        "area": "",
        "place": "Sân vận động phường",
        "lead_unit": unit("CCB-X00070").pk,
        "partners": [unit("QS-X00070").pk],
        "participants_lead": 40,
        "participants_partner": 15,
        "description": "Hội thao truyền thống.",
        "action": "draft",
    }
    for indicator, amount in values.items():
        data[f"value_{indicator.pk}"] = amount
    data.update(changes)
    return data


def page_text(response: Any) -> str:
    return response.content.decode()


def total_of(code: str, indicator: Indicator, day: date = DAY, approved: bool = False) -> int:
    pk = unit(code).pk
    return totals(unit_ids=[pk], indicator_ids=[indicator.pk], start=day, end=day, approved=approved)[
        (pk, indicator.pk)
    ]


def listed_titles(response: Any) -> list[str]:
    return [a.title for a in response.context["page"]]


# --- the create form ---------------------------------------------------------------------------


def test_it_offers_only_the_reporters_own_units_as_lead(client_as: Callable[[str], Client]) -> None:
    response = client_as("hoankiem.ccb").get(reverse("activities:create"))
    assert response.status_code == 200
    form = response.context["form"]
    offered = {u.code for u in form.fields["lead_unit"].queryset}
    assert "CCB-X00070" in offered
    assert offered <= {u.code for u in OrgUnit.objects.filter(path__startswith=unit("CCB-X00070").path)}
    rendered = {u.code for u, _label, _selected in form.lead_choices()}
    assert rendered == offered
    # The lead defaults to the user's own unit; its army counterpart is suggested as partner.
    assert form.selected_lead().code == "CCB-X00070"
    assert [u.code for u, _checked in form.partner_options()] == ["QS-X00070"]


def test_it_offers_the_indicators_that_apply_to_the_phase(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    earlier = Phase.objects.get(programme__code="QDND-CCB", code="2017-2022")
    retired = Indicator.objects.create(
        programme=phase.programme,
        field=ind["tt-buoi"].field,
        code="tt-cu",
        name="Số buổi chiếu phim lưu động",
        unit_of_measure="buổi",
        retired_in=phase,
    )
    new = Indicator.objects.create(
        programme=phase.programme,
        field=ind["tt-buoi"].field,
        code="tt-so",
        name="Số tin bài trên mạng xã hội",
        unit_of_measure="tin bài",
        introduced_in=phase,
    )
    assert retired.applies_to(earlier) and not retired.applies_to(phase)
    response = client_as("hoankiem.ccb").get(reverse("activities:create"))
    form = response.context["form"]
    [block] = form.blocks
    assert block.phase == phase
    offered = {i.code for group in block.groups for i, _bound in group.rows}
    assert offered == {i.code for i in ind.values()} | {"tt-so"}
    assert f'name="value_{new.pk}"' in page_text(response)
    assert f'name="value_{retired.pk}"' not in page_text(response)


def test_it_offers_only_active_phases_of_the_users_programmes(client_as: Callable[[str], Client]) -> None:
    form = client_as("hoankiem.ccb").get(reverse("activities:create")).context["form"]
    assert [(p.programme.code, p.code) for p in form.fields["phase"].queryset] == [("QDND-CCB", "2022-2027")]


def test_it_tells_a_unit_administrator_there_is_no_unit_to_enter_for(
    hanoi_admin: Any, phase: Phase, ind: dict[str, Indicator]
) -> None:
    client = Client()
    client.force_login(hanoi_admin)
    response = client.post(reverse("activities:create"), form_data(phase, {ind["tt-buoi"]: 3}))
    assert response.status_code == 200
    assert "lead_unit" in response.context["form"].errors
    assert "chưa được giao nhập liệu" in page_text(response)
    assert not Activity.objects.filter(title="Hội thao quốc phòng phường Hoàn Kiếm").exists()


# --- create, edit, submit, approve, return, delete -----------------------------------------


def test_it_creates_a_draft_with_its_values_and_partner(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    before = total_of("CCB-X00070", ind["qp-hoat-dong"])
    data = form_data(phase, {ind["qp-hoat-dong"]: 1, ind["tt-luot"]: 55, ind["tt-buoi"]: ""})
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    activity = Activity.objects.get(title="Hội thao quốc phòng phường Hoàn Kiếm")
    assert response.status_code == 302 and response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.status == ActivityStatus.DRAFT
    assert activity.lead_unit.code == "CCB-X00070"
    assert [u.code for u in activity.partners.all()] == ["QS-X00070"]
    assert (activity.participants_lead, activity.participants_partner) == (40, 15)
    # An empty cell is "not reported": no row, not a zero.
    assert dict(activity.values.values_list("indicator__code", "value")) == {"qp-hoat-dong": 1, "tt-luot": 55}
    # A draft does not count yet.
    assert total_of("CCB-X00070", ind["qp-hoat-dong"]) == before


def test_it_saves_and_submits_with_one_button(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    before = {code: total_of(code, ind["tt-buoi"]) for code in ("CCB-X00070", "CCB-HANOI", "CCB-TW")}
    data = form_data(phase, {ind["tt-buoi"]: 3}, action="submit")
    client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    activity = Activity.objects.get(title="Hội thao quốc phòng phường Hoàn Kiếm")
    assert activity.status == ActivityStatus.SUBMITTED
    for code, value in before.items():
        assert total_of(code, ind["tt-buoi"]) == value + 3, code


def test_it_refuses_a_lead_unit_out_of_the_reporters_scope(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    for code in ("CCB-HANOI", "QS-X00070", "CCB-CAMAU"):
        data = form_data(phase, {ind["tt-buoi"]: 3}, lead_unit=unit(code).pk)
        response = client_as("hoankiem.ccb").post(reverse("activities:create"), data)
        assert response.status_code == 200
        assert "lead_unit" in response.context["form"].errors, code
    assert not Activity.objects.filter(title="Hội thao quốc phòng phường Hoàn Kiếm").exists()


def test_it_refuses_a_partner_the_user_cannot_see(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    data = form_data(phase, {ind["tt-buoi"]: 3}, partners=[unit("QS-CAMAU").pk])
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    assert "partners" in response.context["form"].errors
    assert not Activity.objects.filter(title="Hội thao quốc phòng phường Hoàn Kiếm").exists()


def test_it_shows_a_date_outside_the_phase_on_the_form_and_keeps_what_was_typed(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    data = form_data(phase, {ind["tt-luot"]: 77}, start_date="2027-10-01", end_date="2027-10-02")
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Ngày kết thúc phải nằm trong giai đoạn" in str(errors["end_date"])
    text = page_text(response)
    assert 'value="Hội thao quốc phòng phường Hoàn Kiếm"' in text
    assert re.search(rf'name="value_{ind["tt-luot"].pk}" value="77"', text)
    assert 'value="Sân vận động phường"' in text
    assert not Activity.objects.filter(title="Hội thao quốc phòng phường Hoàn Kiếm").exists()


def test_it_shows_a_locked_period_on_the_form(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    entry_services.lock_create(
        unit=unit("CCB-X00070"), start=date(2026, 9, 15), end=date(2026, 10, 14), acting_user=demo_user("hanoi.ccb")
    )
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), form_data(phase, {ind["tt-buoi"]: 3}))
    assert response.status_code == 200
    assert "đã khóa" in " ".join(response.context["form"].non_field_errors())
    assert 'value="Hội thao quốc phòng phường Hoàn Kiếm"' in page_text(response)
    assert not Activity.objects.filter(title="Hội thao quốc phòng phường Hoàn Kiếm").exists()


def test_it_edits_title_values_and_partners(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 2, ind["tt-luot"]: 40}, submit=True)
    client = client_as("hoankiem.ccb")
    # Submitted means sent: it is withdrawn ("Rút lại để sửa") before it is changed.
    refused = client.get(reverse("activities:edit", args=[activity.pk]))
    assert refused.status_code == 302
    client.post(reverse("activities:withdraw", args=[activity.pk]))
    activity.refresh_from_db()
    page = client.get(reverse("activities:edit", args=[activity.pk]))
    assert page.status_code == 200
    assert re.search(rf'name="value_{ind["tt-buoi"].pk}" value="2"', page_text(page))
    data = form_data(
        phase,
        {ind["tt-buoi"]: 4, ind["tt-luot"]: ""},
        title="Tuyên truyền Luật Cựu chiến binh (bổ sung)",
        start_date=DAY.isoformat(),
        end_date=DAY.isoformat(),
        partners=[],
        participants_partner=0,
        action="draft",
        version=activity.version,
    )
    response = client.post(reverse("activities:edit", args=[activity.pk]), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Tuyên truyền Luật Cựu chiến binh (bổ sung)"
    assert activity.status == ActivityStatus.DRAFT
    assert dict(activity.values.values_list("indicator__code", "value")) == {"tt-buoi": 4}
    assert not activity.partners.exists()
    assert activity.phase == phase  # the phase is not a choice once the activity exists


def test_it_refuses_to_edit_an_approved_activity(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 2}, submit=True)
    services.activity_approve(activity=activity, acting_user=demo_user("hanoi.ccb"))
    client = client_as("hoankiem.ccb")
    response = client.post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(phase, {ind["tt-buoi"]: 9}, version=activity.version),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Tuyên truyền Luật Cựu chiến binh"
    assert "đã được duyệt" in page_text(client.get(response["Location"]))


def test_it_lets_a_partner_read_but_not_edit(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 2})
    client = client_as("hanoi.qs")
    detail = client.get(reverse("activities:detail", args=[activity.pk]))
    assert detail.status_code == 200
    assert "Phối hợp" in page_text(detail)
    assert not detail.context["can_change"] and not detail.context["can_approve"]
    assert reverse("activities:edit", args=[activity.pk]) not in page_text(detail)
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 403
    assert client.post(reverse("activities:submit", args=[activity.pk])).status_code == 403


def test_it_submits_a_draft(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 2})
    before = total_of("CCB-HANOI", ind["tt-buoi"])
    client = client_as("hoankiem.ccb")
    assert client.get(reverse("activities:detail", args=[activity.pk])).context["can_submit"]
    response = client.post(reverse("activities:submit", args=[activity.pk]))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED and activity.submitted_at is not None
    assert total_of("CCB-HANOI", ind["tt-buoi"]) == before + 2


def test_it_says_why_an_empty_draft_cannot_be_submitted(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    activity = make(demo_user, phase, {})
    client = client_as("hoankiem.ccb")
    response = client.post(reverse("activities:submit", args=[activity.pk]), follow=True)
    assert "Hãy nhập ít nhất một số liệu" in page_text(response)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT


def test_it_lets_hanoi_approve_and_counts_the_approved_figures(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 5}, submit=True)
    before = total_of("CCB-HANOI", ind["tt-buoi"], approved=True)
    client = client_as("hanoi.ccb")
    detail = client.get(reverse("activities:detail", args=[activity.pk]))
    assert detail.context["can_approve"] and reverse("activities:approve", args=[activity.pk]) in page_text(detail)
    response = client.post(reverse("activities:approve", args=[activity.pk]))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.APPROVED and activity.decided_by == demo_user("hanoi.ccb")
    assert total_of("CCB-HANOI", ind["tt-buoi"], approved=True) == before + 5
    trail = client.get(reverse("activities:detail", args=[activity.pk])).context["trail"]
    # Newest first: created and sent ("Lưu và gửi"), then approved by the province.
    assert [e.action for e in trail] == ["Duyệt hoạt động", "Tạo hoạt động và gửi lên cấp trên"]

    assert trail[0].who == demo_user("hanoi.ccb").get_full_name()


def test_it_refuses_approval_by_the_lead_units_own_people(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 5}, submit=True)
    client = client_as("hoankiem.ccb")
    assert not client.get(reverse("activities:detail", args=[activity.pk])).context["can_approve"]
    assert client.post(reverse("activities:approve", args=[activity.pk])).status_code == 403
    # The partner's army command sees it, but approves nothing of the association's.
    assert client_as("hanoi.qs").post(reverse("activities:approve", args=[activity.pk])).status_code == 403
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED


def test_it_returns_an_activity_with_its_reason(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 5}, submit=True)
    client = client_as("hanoi.ccb")
    empty = client.post(reverse("activities:return", args=[activity.pk]), {"reason": "  "}, follow=True)
    assert "Hãy ghi lý do trả lại" in page_text(empty)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED
    client.post(reverse("activities:return", args=[activity.pk]), {"reason": "Thiếu ảnh hoạt động."})
    activity.refresh_from_db()
    assert (activity.status, activity.return_reason) == (ActivityStatus.RETURNED, "Thiếu ảnh hoạt động.")
    detail = client_as("hoankiem.ccb").get(reverse("activities:detail", args=[activity.pk]))
    returned = detail.context["trail"][0]
    assert (returned.action, returned.reason) == ("Trả lại hoạt động", "Thiếu ảnh hoạt động.")

    assert "Thiếu ảnh hoạt động." in page_text(detail)
    assert detail.context["can_submit"]


def test_it_deletes_a_draft_after_confirmation(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 5}, submit=True)
    before = total_of("CCB-X00070", ind["tt-buoi"])
    client = client_as("hoankiem.ccb")
    # Submitted means sent: it is withdrawn before it can be deleted.
    assert client.get(reverse("activities:delete", args=[activity.pk])).status_code == 302
    client.post(reverse("activities:withdraw", args=[activity.pk]))
    confirm = client.get(reverse("activities:delete", args=[activity.pk]))
    assert confirm.status_code == 200 and activity.title in page_text(confirm)
    assert Activity.objects.filter(pk=activity.pk).exists()
    response = client.post(reverse("activities:delete", args=[activity.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("activities:list")
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert total_of("CCB-X00070", ind["tt-buoi"]) == before - 5


# --- the list and its filters -----------------------------------------------------------------


@pytest.fixture
def listed(demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]) -> dict[str, Activity]:
    """Four activities of Hoàn Kiếm and one of Hà Nội's army, all titled "… thử lọc …"."""
    return {
        "draft": make(demo_user, phase, {ind["tt-buoi"]: 1}, title="Tuyên truyền thử lọc Đức Giang"),
        "submitted": make(
            demo_user, phase, {ind["xh-nha"]: 1}, title="Trao nhà đồng đội thử lọc", submit=True, day=date(2026, 6, 1)
        ),
        "branch": make(
            demo_user,
            phase,
            {ind["gn-ho"]: 2},
            title="Giúp hộ thoát nghèo thử lọc",
            lead="CCB-X00070-CH01",
            partners=(),
            day=date(2025, 12, 20),
        ),
        "army": make(
            demo_user,
            phase,
            {ind["qp-hoat-dong"]: 1},
            title="Huấn luyện dân quân thử lọc",
            lead="QS-X00070",
            partners=("CCB-X00070",),
            user="hanoi.qs",
        ),
    }


def test_it_lists_what_the_user_leads_or_takes_part_in(
    client_as: Callable[[str], Client], listed: dict[str, Activity]
) -> None:
    response = client_as("hoankiem.ccb").get(reverse("activities:list"), {"q": "thu loc"})
    assert set(listed_titles(response)) == {a.title for a in listed.values()}
    rows = {a.title: a.led_here for a in response.context["page"]}
    assert rows["Huấn luyện dân quân thử lọc"] is False  # led by the army, the association partners it
    assert rows["Tuyên truyền thử lọc Đức Giang"] is True
    assert page_text(response).count(">Phối hợp</span>") == 1
    # Cà Mau sees none of them.
    assert listed_titles(client_as("camau.ccb").get(reverse("activities:list"), {"q": "thu loc"})) == []


def test_it_filters_by_text_without_diacritics(client_as: Callable[[str], Client], listed: dict[str, Activity]) -> None:
    client = client_as("hoankiem.ccb")
    found = [listed["draft"].title]
    assert listed_titles(client.get(reverse("activities:list"), {"q": "thu loc duc giang"})) == found
    assert listed_titles(client.get(reverse("activities:list"), {"q": "THỬ LỌC ĐỨC GIANG"})) == found
    assert listed_titles(client.get(reverse("activities:list"), {"q": "nha dong doi thu loc"})) == [
        listed["submitted"].title
    ]


def test_it_filters_by_status(client_as: Callable[[str], Client], listed: dict[str, Activity]) -> None:
    response = client_as("hoankiem.ccb").get(reverse("activities:list"), {"q": "thu loc", "status": "submitted"})
    assert listed_titles(response) == [listed["submitted"].title]


def test_it_filters_by_subtree(client_as: Callable[[str], Client], listed: dict[str, Activity]) -> None:
    client = client_as("hoankiem.ccb")
    branch = client.get(reverse("activities:list"), {"q": "thu loc", "unit": "CCB-X00070-CH01"})
    assert listed_titles(branch) == [listed["branch"].title]
    commune = client.get(reverse("activities:list"), {"q": "thu loc", "unit": "CCB-X00070"})
    assert set(listed_titles(commune)) == {listed[k].title for k in ("draft", "submitted", "branch")}
    army = client.get(reverse("activities:list"), {"q": "thu loc", "unit": "QS-X00070"})
    assert listed_titles(army) == [listed["army"].title]
    # A unit out of sight finds nothing, and the page does not repeat its code.
    hidden = client.get(reverse("activities:list"), {"q": "thu loc", "unit": "CCB-HANOI"})
    assert listed_titles(hidden) == [] and "CCB-HANOI" not in page_text(hidden)


def test_it_filters_by_field(
    client_as: Callable[[str], Client], listed: dict[str, Activity], ind: dict[str, Indicator]
) -> None:
    response = client_as("hoankiem.ccb").get(
        reverse("activities:list"), {"q": "thu loc", "field": str(ind["xh-nha"].field_id)}
    )
    assert listed_titles(response) == [listed["submitted"].title]


def test_it_filters_by_end_date(client_as: Callable[[str], Client], listed: dict[str, Activity]) -> None:
    client = client_as("hoankiem.ccb")
    first_half = client.get(reverse("activities:list"), {"q": "thu loc", "start": "2026-01-01", "end": "2026-06-30"})
    assert listed_titles(first_half) == [listed["submitted"].title]
    since = client.get(reverse("activities:list"), {"q": "thu loc", "start": "2026-06-01"})
    assert set(listed_titles(since)) == {listed[k].title for k in ("draft", "submitted", "army")}


def test_it_paginates_the_list(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    for n in range(52):
        make(demo_user, phase, {ind["tt-buoi"]: 1}, title=f"Sinh hoạt chi hội trang {n}", partners=())
    client = client_as("hoankiem.ccb")
    first = client.get(reverse("activities:list"), {"q": "sinh hoat chi hoi trang"})
    assert len(listed_titles(first)) == 50 and first.context["page"].paginator.count == 52
    assert "?q=sinh+hoat+chi+hoi+trang&page=2" in page_text(first)
    second = client.get(reverse("activities:list"), {"q": "sinh hoat chi hoi trang", "page": "2"})
    assert len(listed_titles(second)) == 2


# --- partners and figures ---------------------------------------------------------------------


def test_it_counts_a_joint_activity_once_under_its_lead(
    demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    codes = ("CCB-X00070", "QS-X00070", "CCB-HANOI", "QS-HANOI")
    indicator = ind["tt-luot"]
    before = {c: total_of(c, indicator) for c in codes}
    make(demo_user, phase, {indicator: 120}, submit=True)
    after = {c: total_of(c, indicator) for c in codes}
    assert after["CCB-X00070"] - before["CCB-X00070"] == 120
    assert after["CCB-HANOI"] - before["CCB-HANOI"] == 120
    assert after["QS-X00070"] == before["QS-X00070"] and after["QS-HANOI"] == before["QS-HANOI"]
    joint_before = before["CCB-HANOI"] + before["QS-HANOI"]
    assert after["CCB-HANOI"] + after["QS-HANOI"] - joint_before == 120


# --- export ------------------------------------------------------------------------------------


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def read_xlsx(content: bytes) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book.active.iter_rows(values_only=True))


@pytest.fixture
def export(django_capture_on_commit_callbacks: Any) -> Callable[[Client, dict[str, str]], Any]:
    """The export as a user gets it: a POST starts the job (run inline on commit, immediate
    mode), the answer is its page, and the page's link downloads the workbook."""

    def run(client: Client, query: dict[str, str]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(f"{reverse('activities:export')}?{urlencode(query)}")
        assert started.status_code == 302 and started["Location"].startswith("/jobs/")
        page = client.get(started["Location"]).content.decode()
        link = re.search(r'href="(/jobs/\d+/download/)"', page)
        assert link is not None, page
        return client.get(link.group(1))

    return run


def test_it_exports_the_filtered_list_to_excel(
    client_as: Callable[[str], Client],
    listed: dict[str, Activity],
    ind: dict[str, Indicator],
    export: Callable[[Client, dict[str, str]], Any],
) -> None:
    response = export(client_as("hoankiem.ccb"), {"q": "thu loc", "unit": "CCB-X00070"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.search(
        r'attachment; filename="hoat-dong-phoi-hop-\d{4}-\d{2}-\d{2}\.xlsx"', response["Content-Disposition"]
    )
    rows = read_xlsx(streamed(response))
    header, body = rows[0], rows[1:]
    assert header[:4] == ("STT", "Từ ngày", "Đến ngày", "Tên hoạt động")
    assert "Đơn vị chủ trì" in header and "Đơn vị phối hợp" in header
    by_title = {row[header.index("Tên hoạt động")]: row for row in body}
    assert set(by_title) == {listed[k].title for k in ("draft", "submitted", "branch")}
    house = by_title["Trao nhà đồng đội thử lọc"]
    assert house[header.index("Đến ngày")].date() == date(2026, 6, 1)
    assert house[header.index("Trạng thái")] == "Đã gửi"
    assert house[header.index("Đơn vị phối hợp")] == "Ban CHQS phường Hoàn Kiếm"
    column = header.index(f"{ind['xh-nha'].name} ({ind['xh-nha'].unit_of_measure})")
    assert house[column] == 1
    assert by_title["Tuyên truyền thử lọc Đức Giang"][column] is None  # not reported, not zero


def test_it_exports_nothing_of_another_province(
    client_as: Callable[[str], Client],
    demo_user: Callable[[str], Any],
    phase: Phase,
    ind: dict[str, Indicator],
    export: Callable[[Client, dict[str, str]], Any],
) -> None:
    make(
        demo_user,
        phase,
        {ind["tt-buoi"]: 1},
        title="Tuyên truyền ở Cà Mau thử xuất",
        lead="CCB-CAMAU",
        partners=(),
        user="camau.ccb",
    )
    for query in ({"q": "thu xuat"}, {"unit": "CCB-CAMAU"}):
        rows = read_xlsx(streamed(export(client_as("hanoi.ccb"), query)))
        assert rows[1:] == [], query
    own = read_xlsx(streamed(export(client_as("camau.ccb"), {"q": "thu xuat"})))
    assert [r[3] for r in own[1:]] == ["Tuyên truyền ở Cà Mau thử xuất"]


def test_it_builds_the_workbook_from_plain_data() -> None:
    row = ActivityRow(
        start_date=date(2022, 9, 23),
        end_date=date(2022, 9, 23),
        title="Hội nghị tổng kết",
        phase="QDND-CCB 2017–2022",
        area="Phường Ba Đình",
        place="Hà Nội",
        lead_unit="Tổng cục Chính trị",
        lead_code="TCCT",
        partners="TW Hội CCB",
        participants_lead=120,
        participants_partner=80,
        status="Đã duyệt",
        description="Tổng kết giai đoạn 2017–2022.",
        values={7: 1},
    )
    rows = read_xlsx(build_activities_xlsx(rows=[row], indicators=[IndicatorColumn(7, "Số hội nghị", "hội nghị")]))
    assert rows[0][13] == "Số hội nghị (hội nghị)"
    assert (
        rows[1][1].date() == date(2022, 9, 23) and rows[1][13] == 1 and rows[1][14] == "Tổng kết giai đoạn 2017–2022."
    )


# --- attachments ---------------------------------------------------------------------------------


def upload(client: Client, activity: Activity, name: str, content: bytes, content_type: str) -> Any:
    return client.post(
        reverse("activities:attachment-add", args=[activity.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


@pytest.mark.parametrize(
    ("name", "content", "stored_type"),
    [("ảnh hội thao.png", PNG, "image/png"), ("biên bản.pdf", PDF, "application/pdf")],
)
def test_it_accepts_a_photo_or_a_pdf(
    client_as: Callable[[str], Client],
    demo_user: Callable[[str], Any],
    phase: Phase,
    ind: dict[str, Indicator],
    name: str,
    content: bytes,
    stored_type: str,
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 1})
    client = client_as("hoankiem.ccb")
    response = upload(client, activity, name, content, "application/octet-stream")
    assert response.status_code == 302
    attachment = Attachment.objects.get(activity=activity)
    assert (attachment.original_name, attachment.content_type, attachment.size) == (name, stored_type, len(content))
    assert name not in attachment.file.name  # stored under its token, never its own name
    download = client.get(reverse("activities:attachment", args=[attachment.token]))
    assert download.status_code == 200
    assert streamed(download) == content
    assert download["Content-Type"] == stored_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in download["Content-Disposition"]


def test_it_refuses_a_program_renamed_as_a_photo(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 1})
    response = upload(client_as("hoankiem.ccb"), activity, "anh.png", EXE, "image/png")
    assert response.status_code == 200
    assert "Nội dung tệp không thuộc loại được phép" in page_text(response)
    assert not Attachment.objects.filter(activity=activity).exists()


def test_it_refuses_a_file_over_the_size_limit(
    client_as: Callable[[str], Client],
    demo_user: Callable[[str], Any],
    phase: Phase,
    ind: dict[str, Indicator],
    settings: Any,
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    activity = make(demo_user, phase, {ind["tt-buoi"]: 1})
    response = upload(client_as("hoankiem.ccb"), activity, "bien-ban.pdf", PDF + b" " * 2000, "application/pdf")
    assert response.status_code == 200
    assert "Tệp quá lớn" in page_text(response)
    assert not Attachment.objects.filter(activity=activity).exists()


def test_it_serves_attachments_to_partners_and_hides_them_from_other_provinces(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 1})
    upload(client_as("hoankiem.ccb"), activity, "anh.png", PNG, "image/png")
    attachment = Attachment.objects.get(activity=activity)
    url = reverse("activities:attachment", args=[attachment.token])
    assert client_as("hanoi.qs").get(url).status_code == 200  # the partner's army command
    assert client_as("camau.ccb").get(url).status_code == 404
    assert (
        client_as("camau.ccb").post(reverse("activities:attachment-delete", args=[attachment.token])).status_code == 404
    )
    assert Client().get(url).status_code == 302  # to sign in
    # A Cà Mau attachment is as unknown to Hà Nội as a token that does not exist.
    cm = make(demo_user, phase, {ind["tt-buoi"]: 1}, lead="CCB-CAMAU", partners=(), user="camau.ccb")
    upload(client_as("camau.ccb"), cm, "anh.png", PNG, "image/png")
    cm_token = Attachment.objects.get(activity=cm).token
    assert client_as("hanoi.ccb").get(reverse("activities:attachment", args=[cm_token])).status_code == 404
    assert client_as("hanoi.ccb").get(reverse("activities:attachment", args=["khong-co"])).status_code == 404


def test_it_deletes_an_attachment_only_while_the_activity_is_a_draft(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    client = client_as("hoankiem.ccb")
    draft = make(demo_user, phase, {ind["tt-buoi"]: 1})
    upload(client, draft, "anh.png", PNG, "image/png")
    token = Attachment.objects.get(activity=draft).token
    assert client.post(reverse("activities:attachment-delete", args=[token])).status_code == 302
    assert not Attachment.objects.filter(token=token).exists()
    sent = make(demo_user, phase, {ind["tt-buoi"]: 1})
    upload(client, sent, "anh.png", PNG, "image/png")
    services.activity_submit(activity=sent, acting_user=demo_user("hoankiem.ccb"))
    token = Attachment.objects.get(activity=sent).token
    response = client.post(reverse("activities:attachment-delete", args=[token]), follow=True)
    assert "không xóa được tệp đính kèm" in page_text(response)
    assert Attachment.objects.filter(token=token).exists()


# --- the area picker -----------------------------------------------------------------------------


def test_it_offers_the_communes_of_the_lead_units_province(client_as: Callable[[str], Client]) -> None:
    client = client_as("hoankiem.ccb")
    form = client.get(reverse("activities:create")).context["form"]
    areas = form.area_widget()
    assert areas.province.name == "Thành phố Hà Nội"
    assert len(areas.communes) == 126
    assert areas.selected_id == unit("CCB-X00070").area_id  # the lead's own ward by default
    other = client.get(reverse("activities:areas"), {"area_province": str(unit("CCB-CAMAU").area_id)})
    assert other.context["areas"].province.name == "Tỉnh Cà Mau"
    assert all(c.parent_id == unit("CCB-CAMAU").area_id for c in other.context["areas"].communes)


def test_it_validates_the_area_as_a_commune(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    data = form_data(phase, {ind["tt-buoi"]: 1}, area=unit("CCB-HANOI").area_id)  # a city, not a commune
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    assert "area" in response.context["form"].errors
    data = form_data(phase, {ind["tt-buoi"]: 1}, area=unit("CCB-X00070").area_id)
    client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    assert Activity.objects.get(title="Hội thao quốc phòng phường Hoàn Kiếm").area_id == unit("CCB-X00070").area_id


def test_it_uses_a_search_box_instead_of_thousands_of_lead_units(client_as: Callable[[str], Client]) -> None:
    response = client_as("tuhoi").get(reverse("activities:create"))
    form: ActivityForm = response.context["form"]
    assert form.lead_search and form.lead_count > 3000
    rendered = [u.code for u, _label, _selected in form.lead_choices()]
    assert "CCB-TW" in rendered and "CCB-HANOI" in rendered and len(rendered) < 100
    assert "data-unit-search" in page_text(response)


def test_it_refuses_to_delete_an_approved_activity(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make(demo_user, phase, {ind["tt-buoi"]: 5}, submit=True)
    services.activity_approve(activity=activity, acting_user=demo_user("hanoi.ccb"))
    client = client_as("hoankiem.ccb")
    assert not client.get(reverse("activities:detail", args=[activity.pk])).context["can_change"]
    response = client.post(reverse("activities:delete", args=[activity.pk]), follow=True)
    assert "đã được duyệt không xóa được" in page_text(response)
    assert Activity.objects.filter(pk=activity.pk).exists()

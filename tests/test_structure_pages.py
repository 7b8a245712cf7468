"""The structure pages (issue 15, item 1): a system administrator creates an organisation with
its levels and the unit at the top of its tree; a unit administrator adds units below their
unit, renames it (dated), closes it into one successor or splits it among several, merges
units into it, and pairs it with its counterpart. Each page refuses in Vietnamese, keeps what
was typed and writes nothing on a refusal; a unit of another province answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.figures import selectors as figures
from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel, OrgUnitPair, UnitName
from phoihop.orgunits.services import unit_close_into
from phoihop.programmes.models import Indicator, Phase

pytestmark = pytest.mark.django_db

HOANKIEM, CUANAM, BADINH = "CCB-X00070", "CCB-X00082", "CCB-X00004"


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def page(name: str, code: str) -> str:
    return reverse(f"orgunits:{name}", kwargs={"pk": unit(code).pk})


def text(response: Any) -> str:
    return response.content.decode()


def history_size() -> tuple[int, int, int, int]:
    return (
        OrgUnit.history.count(),
        UnitName.objects.count(),
        OrgUnitPair.history.count(),
        Organisation.objects.count(),
    )


@pytest.fixture
def admin_client(client_as: Callable[[str], Client]) -> Client:
    return client_as("admin")


@pytest.fixture
def hanoi(hanoi_admin: Any) -> Client:
    client = Client()
    client.force_login(hanoi_admin)
    return client


def siblings() -> list[OrgUnit]:
    """Three open commune associations of Hà Nội (the first is Phường Hoàn Kiếm's)."""
    found = [unit(HOANKIEM), unit(CUANAM), unit(BADINH)]
    assert all(u.valid_to is None for u in found)
    return found


# --- organisations and roots (system administrators) ---------------------------------------


def test_a_system_administrator_creates_an_organisation_with_its_levels_and_its_root(admin_client: Client) -> None:
    tree = text(admin_client.get(reverse("orgunits:tree")))
    assert reverse("orgunits:organisation-create") in tree

    response = admin_client.post(
        reverse("orgunits:organisation-create"),
        {
            "code": "doan-tn",
            "name": "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
            "short_name": "Đoàn TN",
            "levels-TOTAL_FORMS": "6",
            "levels-INITIAL_FORMS": "0",
            "levels-0-code": "trung-uong",
            "levels-0-name": "Trung ương Đoàn",
            "levels-1-code": "tinh",
            "levels-1-name": "Tỉnh đoàn",
            "levels-2-code": "xa",
            "levels-2-name": "Đoàn xã, phường",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orgunits:organisation-root", kwargs={"code": "doan-tn"})
    organisation = Organisation.objects.get(code="doan-tn")
    assert list(organisation.levels.order_by("rank").values_list("code", "rank")) == [
        ("trung-uong", 0),
        ("tinh", 1),
        ("xa", 2),
    ]
    assert "Đã tạo tổ chức." in text(admin_client.get(response["Location"]))

    province = organisation.levels.get(code="tinh")
    response = admin_client.post(
        response["Location"],
        {"code": "DOAN-NGHEAN", "name": "Tỉnh đoàn Nghệ An", "level": province.pk, "valid_from": "2026-01-01"},
    )
    assert response.status_code == 302
    root = OrgUnit.objects.get(code="DOAN-NGHEAN")
    assert (root.depth, root.level, root.valid_from) == (1, province, date(2026, 1, 1))
    assert response["Location"] == reverse("orgunits:unit", kwargs={"pk": root.pk})
    assert root.history.latest("history_date").history_change_reason == "unit.create"

    # The new root's page offers a unit below it, at the levels below its own.
    add = admin_client.get(page("unit-add", "DOAN-NGHEAN"))
    assert list(add.context["form"].fields["level"].queryset) == [organisation.levels.get(code="xa")]


def test_it_refuses_a_bad_organisation_in_vietnamese_and_keeps_what_was_typed(admin_client: Client) -> None:
    before = history_size()
    form = {
        "code": "ccb",
        "name": "Tổ chức gõ lại",
        "short_name": "",
        "levels-TOTAL_FORMS": "6",
        "levels-INITIAL_FORMS": "0",
        "levels-0-code": "tinh",
        "levels-0-name": "Tỉnh",
    }
    response = admin_client.post(reverse("orgunits:organisation-create"), form)
    assert response.status_code == 200
    assert "Đã có tổ chức mã “ccb”." in text(response)
    assert 'value="Tổ chức gõ lại"' in text(response) and 'value="tinh"' in text(response)

    no_levels = {**form, "code": "to-chuc-moi", "levels-0-code": "", "levels-0-name": ""}
    assert "Hãy nêu ít nhất một cấp của tổ chức" in text(
        admin_client.post(reverse("orgunits:organisation-create"), no_levels)
    )
    half = {**form, "code": "to-chuc-moi", "levels-1-code": "xa"}
    assert "Hãy nhập tên của cấp này." in text(admin_client.post(reverse("orgunits:organisation-create"), half))
    twice = {**form, "code": "to-chuc-moi", "levels-1-code": "tinh", "levels-1-name": "Tỉnh (lặp)"}
    assert "Mỗi mã cấp chỉ được dùng một lần; bị lặp: tinh." in text(
        admin_client.post(reverse("orgunits:organisation-create"), twice)
    )
    assert history_size() == before


def test_only_a_system_administrator_creates_organisations_and_roots(
    hanoi: Client, client_as: Callable[[str], Client]
) -> None:
    before = history_size()
    for client in (hanoi, client_as("tuhoi")):
        assert client.get(reverse("orgunits:organisation-create")).status_code == 403
        root = reverse("orgunits:organisation-root", kwargs={"code": "ccb"})
        assert client.get(root).status_code == 403
        level = OrgUnitLevel.objects.get(organisation__code="ccb", code="province")
        assert client.post(root, {"code": "CCB-GOC", "name": "Gốc", "level": level.pk}).status_code == 403
    assert reverse("orgunits:organisation-create") not in text(hanoi.get(reverse("orgunits:tree")))
    assert history_size() == before


# --- a unit below (unit administrators) ----------------------------------------------------


def test_a_unit_administrator_adds_a_unit_below_theirs(hanoi: Client, hanoi_admin: Any) -> None:
    detail = text(hanoi.get(page("unit", HOANKIEM)))
    assert page("unit-add", HOANKIEM) in detail and "Thêm đơn vị trực thuộc" in detail
    form = hanoi.get(page("unit-add", HOANKIEM)).context["form"]
    # Levels below the parent's only (a commune association has its branches below it); today by default.
    assert [level.code for level in form.fields["level"].queryset] == ["branch"]
    assert form.initial["valid_from"] == date(2026, 11, 27)

    branch = OrgUnitLevel.objects.get(organisation__code="ccb", code="branch")
    response = hanoi.post(
        page("unit-add", HOANKIEM),
        {
            "code": "CCB-X00070-MOI1",
            "name": "Chi hội Cựu chiến binh khu phố 1",
            "level": branch.pk,
            "valid_from": "2026-11-27",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    created = unit("CCB-X00070-MOI1")
    parent = unit(HOANKIEM)
    assert created.path.startswith(parent.path) and created.depth == parent.depth + 1
    assert created.history.latest("history_date").history_user == hanoi_admin
    assert "Đã thêm đơn vị trực thuộc." in text(hanoi.get(response["Location"]))


def test_it_refuses_a_unit_code_used_twice_and_a_start_before_the_parents(hanoi: Client) -> None:
    branch = OrgUnitLevel.objects.get(organisation__code="ccb", code="branch")
    parent = unit(HOANKIEM)
    before = history_size()
    typed = {"code": CUANAM, "name": "Chi hội gõ dở", "level": branch.pk, "valid_from": "2026-11-27"}
    response = hanoi.post(page("unit-add", HOANKIEM), typed)
    assert response.status_code == 200
    assert f"Mã đơn vị “{CUANAM}” đã được dùng cho đơn vị khác." in text(response)
    assert 'value="Chi hội gõ dở"' in text(response)

    assert parent.valid_from is not None
    early = {**typed, "code": "CCB-X00070-CH09", "valid_from": "2001-01-01"}
    response = hanoi.post(page("unit-add", HOANKIEM), early)
    assert "Ngày bắt đầu hoạt động không được trước ngày đơn vị cấp trên" in text(response)
    assert 'value="2001-01-01"' in text(response)
    assert history_size() == before


def test_a_hanoi_unit_administrator_cannot_add_a_unit_under_ca_mau(hanoi: Client) -> None:
    branch = OrgUnitLevel.objects.get(organisation__code="ccb", code="branch")
    camau = unit("CCB-CAMAU")
    url = reverse("orgunits:unit-add", kwargs={"pk": camau.pk})
    before = history_size()
    assert hanoi.get(url).status_code == 404
    assert hanoi.post(url, {"code": "CCB-CM-CH", "name": "Chi hội", "level": branch.pk}).status_code == 404
    assert not OrgUnit.objects.filter(code="CCB-CM-CH").exists()
    assert history_size() == before


def test_readers_see_no_structure_buttons_and_are_refused(client_as: Callable[[str], Client]) -> None:
    reader = client_as("hanoi.ccb")
    detail = text(reader.get(page("unit", HOANKIEM)))
    for name in ("unit-add", "unit-rename", "unit-close", "unit-merge", "unit-pairs"):
        assert page(name, HOANKIEM) not in detail
        assert reader.get(page(name, HOANKIEM)).status_code == 403


# --- renaming -------------------------------------------------------------------------------


def test_it_renames_a_unit_keeping_the_old_name_for_documents_of_the_time(hanoi: Client) -> None:
    old = unit(HOANKIEM)
    response = hanoi.post(
        page("unit-rename", HOANKIEM),
        {"name": "Hội Cựu chiến binh phường Hoàn Kiếm mới", "short_name": "", "effective": "2026-11-01"},
    )
    assert response.status_code == 302
    renamed = unit(HOANKIEM)
    assert renamed.name == "Hội Cựu chiến binh phường Hoàn Kiếm mới"
    earlier = UnitName.objects.get(unit=renamed)
    assert (earlier.name, earlier.valid_to) == (old.name, date(2026, 10, 31))
    assert old.name in text(hanoi.get(page("unit-rename", HOANKIEM)))


def test_it_refuses_a_renaming_before_the_current_name_began(hanoi: Client) -> None:
    before = history_size()
    response = hanoi.post(
        page("unit-rename", HOANKIEM), {"name": "Tên gõ dở", "short_name": "", "effective": "1990-01-01"}
    )
    assert response.status_code == 200
    assert "Ngày đổi tên phải sau ngày tên hiện tại của đơn vị bắt đầu có hiệu lực" in text(response)
    assert 'value="Tên gõ dở"' in text(response)
    assert history_size() == before


# --- closing, merging, splitting ------------------------------------------------------------


def test_it_closes_a_unit_into_one_successor(hanoi: Client) -> None:
    _closing, successor, _ = siblings()
    response = hanoi.post(
        page("unit-close", HOANKIEM),
        {"valid_to": "2026-10-31", "successors": [successor.pk], "succession_kind": "absorbed"},
    )
    assert response.status_code == 302
    closed = unit(HOANKIEM)
    assert (closed.valid_to, closed.successor, closed.succession_date) == (
        date(2026, 10, 31),
        successor,
        date(2026, 11, 1),
    )
    assert "Đã đóng đơn vị." in text(hanoi.get(response["Location"]))


def test_it_splits_a_unit_between_two_successors(hanoi: Client) -> None:
    _closing, first, second = siblings()
    response = hanoi.post(
        page("unit-close", HOANKIEM),
        {"valid_to": "2026-10-31", "successors": [second.pk, first.pk], "succession_kind": "absorbed"},
    )
    assert response.status_code == 302
    closed = unit(HOANKIEM)
    # The first chosen takes the figures; the other is named in the history row and the message.
    assert closed.successor == second
    row = closed.history.latest("history_date")
    assert first.code in row.history_change_reason or first.code in str(row.history_change_reason)
    assert "Chia tách" in text(hanoi.get(response["Location"]))


def test_it_refuses_a_closed_successor_the_unit_itself_and_a_date_before_its_start(
    hanoi: Client, demo_user: Callable[[str], Any]
) -> None:
    closing, successor, closed_here = siblings()
    unit_close_into(unit=closed_here, acting_user=demo_user("admin"), valid_to=date(2026, 6, 30))
    before = history_size()
    url = page("unit-close", HOANKIEM)

    response = hanoi.post(url, {"valid_to": "2026-10-31", "successors": [closing.pk], "succession_kind": "absorbed"})
    assert "Đơn vị không thể kế thừa chính nó." in text(response)
    assert 'value="2026-10-31"' in text(response)

    hoabinh = unit("CCB-HOABINH")  # closed in the 2025 reform (another province: not in scope)
    response = hanoi.post(url, {"valid_to": "2026-10-31", "successors": [hoabinh.pk], "succession_kind": "absorbed"})
    assert "Không có đơn vị này trong phạm vi của bạn." in text(response)

    response = hanoi.post(
        url, {"valid_to": "2026-10-31", "successors": [closed_here.pk], "succession_kind": "absorbed"}
    )
    assert "Đơn vị kế thừa phải còn hoạt động sau ngày đóng." in text(response)

    assert closing.valid_from is not None
    response = hanoi.post(url, {"valid_to": "2001-01-01", "successors": [successor.pk], "succession_kind": "absorbed"})
    assert "Ngày đóng không được trước ngày đơn vị bắt đầu hoạt động" in text(response)

    response = hanoi.post(url, {"valid_to": "2026-10-31", "successors": [successor.pk], "succession_kind": ""})
    assert "Chọn hình thức kế thừa." in text(response)
    assert history_size() == before
    assert unit(HOANKIEM).valid_to is None


def test_it_merges_units_into_the_unit_of_the_page(hanoi: Client) -> None:
    first, second, successor = siblings()
    detail = text(hanoi.get(page("unit", BADINH)))
    assert page("unit-merge", BADINH) in detail
    response = hanoi.post(
        page("unit-merge", BADINH),
        {"units": [first.pk, second.pk], "valid_to": "2026-10-31", "succession_kind": "absorbed"},
    )
    assert response.status_code == 302
    for code in (HOANKIEM, CUANAM):
        merged = unit(code)
        assert (merged.valid_to, merged.successor) == (date(2026, 10, 31), successor)
    assert "Đã sáp nhập các đơn vị vào đơn vị này." in text(hanoi.get(response["Location"]))


def test_a_merge_refused_for_one_unit_closes_none(hanoi: Client) -> None:
    first, _, successor = siblings()
    before = history_size()
    response = hanoi.post(
        page("unit-merge", BADINH),
        {"units": [first.pk, successor.pk], "valid_to": "2026-10-31", "succession_kind": "absorbed"},
    )
    assert response.status_code == 200
    assert "Đơn vị không thể sáp nhập vào chính nó." in text(response)
    camau = OrgUnit.objects.filter(path__startswith=unit("CCB-CAMAU").path, depth=unit("CCB-CAMAU").depth + 1).first()
    response = hanoi.post(
        page("unit-merge", BADINH),
        {"units": [first.pk, camau.pk], "valid_to": "2026-10-31", "succession_kind": "absorbed"},
    )
    assert "Không có đơn vị này trong phạm vi của bạn." in text(response)
    assert history_size() == before
    assert unit(HOANKIEM).valid_to is None


def test_closing_through_the_page_hands_the_figures_to_the_successor_in_todays_tree(hanoi: Client) -> None:
    closing, successor, _ = siblings()
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    ids = list(Indicator.objects.filter(programme__code="QDND-CCB").values_list("pk", flat=True))

    def dashboard(code: str, view: str) -> dict[int, int]:
        response = hanoi.get(reverse("figures:unit", kwargs={"pk": unit(code).pk}), {"view": view})
        assert response.status_code == 200
        return {row.indicator.pk: row.total for group in response.context["board"].fields for row in group.rows}

    def totals(of: OrgUnit, view: str) -> dict[int, int]:
        found = figures.totals(unit_ids=[of.pk], indicator_ids=ids, start=phase.start, end=phase.end, view=view)  # type: ignore[arg-type]
        return {pk: found[(of.pk, pk)] for pk in ids}

    closing_before, successor_before = totals(closing, "today"), totals(successor, "today")
    closing_then, successor_then = totals(closing, "historical"), totals(successor, "historical")
    assert any(closing_before.values()), "the closed unit has figures of its own"
    assert dashboard(successor.code, "today") == successor_before

    response = hanoi.post(
        page("unit-close", HOANKIEM),
        {"valid_to": "2026-10-31", "successors": [successor.pk], "succession_kind": "absorbed"},
    )
    assert response.status_code == 302

    # Today's tree: the successor's total takes in the closed unit's figures.
    assert dashboard(successor.code, "today") == {pk: successor_before[pk] + closing_before[pk] for pk in ids}
    # The historical view keeps them under the closed unit; the successor's own are unchanged.
    assert totals(closing, "historical") == closing_then
    assert dashboard(successor.code, "historical") == successor_then


# --- counterpart pairs ----------------------------------------------------------------------


def test_it_pairs_a_unit_with_its_counterpart_and_ends_the_pair(hanoi: Client) -> None:
    counterpart = unit("QS-HANOI")  # readable by Hà Nội's users: paired with their association
    url = page("unit-pairs", HOANKIEM)
    response = hanoi.post(url, {"unit_b": counterpart.pk, "valid_from": "2026-11-01", "note": "Ghép thử"})
    assert response.status_code == 302
    pair = OrgUnitPair.objects.get(unit_a=unit(HOANKIEM), unit_b=counterpart)
    assert pair.valid_from == date(2026, 11, 1)
    listing = text(hanoi.get(url))
    assert "Đã ghép cặp đơn vị tương ứng." in listing and counterpart.name in listing

    # The same pair again is refused while it lasts.
    again = hanoi.post(url, {"unit_b": counterpart.pk, "valid_from": "2026-11-20", "note": ""})
    assert "Hai đơn vị này đang được ghép cặp" in text(again)

    end = reverse("orgunits:pair-end", kwargs={"pk": pair.pk})
    response = hanoi.post(end, {"valid_to": "2026-10-01"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.valid_to is None
    assert "Ngày kết thúc không được trước ngày bắt đầu ghép cặp" in text(hanoi.get(response["Location"]))
    hanoi.post(end, {"valid_to": "2026-11-26"})
    pair.refresh_from_db()
    assert pair.valid_to == date(2026, 11, 26)
    assert pair.history.latest("history_date").history_change_reason == "pair.end"


def test_it_refuses_a_pair_within_one_organisation(hanoi: Client) -> None:
    before = history_size()
    response = hanoi.post(page("unit-pairs", HOANKIEM), {"unit_b": unit(CUANAM).pk, "valid_from": "2026-11-01"})
    assert response.status_code == 200
    assert "Hai đơn vị phối hợp phải thuộc hai tổ chức khác nhau." in text(response)
    assert history_size() == before


def test_a_hanoi_administrator_cannot_end_a_ca_mau_pair(hanoi: Client) -> None:
    pair = OrgUnitPair.objects.filter(unit_b__path__startswith=unit("CCB-CAMAU").path, valid_to__isnull=True).first()
    assert pair is not None
    response = hanoi.post(reverse("orgunits:pair-end", kwargs={"pk": pair.pk}), {"valid_to": "2026-11-26"})
    assert response.status_code == 404
    pair.refresh_from_db()
    assert pair.valid_to is None

"""The importer's kinds (issue 15, item 4): columns by header or key, units resolved by code or
name through the gate, and units, people, users, targets and figures imported through their
services: dry run writes nothing, a bad row writes nothing, the same file again changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from phoihop.accounts.models import RoleAssignment, User
from phoihop.core.text import fold
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.figures.rebuild import check_rollups
from phoihop.imports.kinds import KINDS, ImportResult, RowError
from phoihop.imports.reading import Table
from phoihop.imports.resolve import UnitResolver, Unresolved
from phoihop.imports.services import import_table, map_columns
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel, Person, UnitName
from phoihop.programmes.models import Programme, Target

pytestmark = pytest.mark.django_db


def table(headers: list[str], *rows: list[Any]) -> Table:
    return Table(headers=headers, rows=[(i + 2, list(r)) for i, r in enumerate(rows)], source_encoding="utf-8")


def run(user: Any, kind: str, t: Table, *, dry_run: bool = False, programme: Any = None) -> ImportResult:
    return import_table(acting_user=user, kind=kind, table=t, programme=programme, dry_run=dry_run)


def counts(result: ImportResult) -> tuple[int, int, int]:
    return result.created, result.updated, result.unchanged


def test_every_kind_is_registered_with_columns() -> None:
    assert set(KINDS) == {"units", "people", "users", "targets", "activities", "figures"}
    for kind in KINDS.values():
        assert kind.label and kind.importer is not None
        if not kind.needs_programme:
            keys = [c.key for c in kind.columns(None)]
            assert len(keys) == len(set(keys)) and any(c.required for c in kind.columns(None))


def test_columns_by_vietnamese_header_or_key_case_and_diacritics_aside() -> None:
    columns = KINDS["units"].columns(None)
    found, errors = map_columns(["MÃ ĐƠN VỊ", "ten don vi", "level *", "", "Tên ngắn"], columns)
    assert errors == []
    assert found == {0: "code", 1: "name", 2: "level", 4: "short_name"}
    found, errors = map_columns(["code", "Mã đơn vị", "Màu"], columns)
    messages = [e.message for e in errors]
    assert any("trùng" in m for m in messages) and any("Màu" in m for m in messages)
    assert any("Tên đơn vị" in m for m in messages)  # a required column missing
    assert all(e.row == 1 for e in errors)


def test_result_as_dict_is_json_ready() -> None:
    result = ImportResult("units", True, 2, 1, 0, 1, [RowError(3, "Mã đơn vị", "X", "Sai.")], "")
    assert result.as_dict()["errors"] == [{"row": 3, "column": "Mã đơn vị", "value": "X", "message": "Sai."}]


# --- resolving units -------------------------------------------------------------------------------


def _child(parent: OrgUnit, code: str, name: str) -> OrgUnit:
    level = OrgUnitLevel.objects.get(organisation=parent.organisation, code="commune")
    unit = OrgUnit(organisation=parent.organisation, code=code, name=name, level=level)
    return OrgUnit.objects.add_child(parent, instance=unit)


def test_units_by_code_or_exact_name_with_or_without_diacritics(demo_user: Any) -> None:
    hanoi = OrgUnit.objects.get(code="CCB-HANOI")
    a = _child(hanoi, "T-A", "Hội Cựu chiến binh xã Thử Nghiệm")
    b = _child(hanoi, "T-B", "Hội Cựu chiến binh xã Thứ Nghiệm")
    resolver = UnitResolver(demo_user("hanoi.ccb"))
    resolver.load(["T-A", "Hội Cựu chiến binh xã Thử Nghiệm", "hoi cuu chien binh xa thu nghiem", "CCB-CAMAU"])
    assert resolver.resolve("T-A") == a
    assert resolver.resolve("Hội Cựu chiến binh xã Thử Nghiệm") == a  # the exact name wins
    assert resolver.resolve("HỘI CỰU CHIẾN BINH XÃ THỨ NGHIỆM") == b
    with pytest.raises(Unresolved) as ambiguous:
        resolver.resolve("hoi cuu chien binh xa thu nghiem")
    assert "T-A" in str(ambiguous.value) and "T-B" in str(ambiguous.value) and "mã đơn vị" in str(ambiguous.value)
    with pytest.raises(Unresolved) as outside:
        resolver.resolve("CCB-CAMAU")  # Cà Mau is out of a Hà Nội user's sight: "not found"
    assert "phạm vi của bạn" in str(outside.value) and "Cà Mau" not in str(outside.value)
    # The whole readable tree once, past a few dozen names: the same answers.
    many = UnitResolver(demo_user("hanoi.ccb"))
    many.load([f"không có {i}" for i in range(50)] + ["hoi cuu chien binh xa thu nghiem", fold(a.name)])
    with pytest.raises(Unresolved):
        many.resolve("hoi cuu chien binh xa thu nghiem")


# --- units ----------------------------------------------------------------------------------------

UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Cấp", "Đơn vị cấp trên", "Hoạt động từ ngày"]


def test_units_below_ones_own_unit_parent_in_an_earlier_row(hanoi_admin: Any) -> None:
    t = table(
        UNIT_HEADERS,
        ["HN-NHAP-1", "Hội Cựu chiến binh xã Nhập Một", "commune", "CCB-HANOI", "1/7/2025"],
        ["HN-NHAP-1-CH1", "Chi hội Cựu chiến binh thôn 1, xã Nhập Một", "branch", "HN-NHAP-1", "1/7/2025"],
    )
    before = OrgUnit.objects.count()
    dry = run(hanoi_admin, "units", t, dry_run=True)
    assert dry.errors == [] and counts(dry) == (2, 0, 0)
    assert OrgUnit.objects.count() == before
    done = run(hanoi_admin, "units", t)
    assert done.errors == [] and counts(done) == (2, 0, 0)
    branch = OrgUnit.objects.get(code="HN-NHAP-1-CH1")
    assert branch.path[:-4] == OrgUnit.objects.get(code="HN-NHAP-1").path and branch.valid_from == date(2025, 7, 1)
    assert counts(run(hanoi_admin, "units", t)) == (0, 0, 2)
    # A new name is a dated rename: the old one is kept for documents of earlier days.
    t.rows[0][1][1] = "Hội Cựu chiến binh xã Nhập Một Mới"
    renamed = run(hanoi_admin, "units", t)
    assert renamed.errors == [] and counts(renamed) == (0, 1, 1)
    assert UnitName.objects.filter(unit__code="HN-NHAP-1", name="Hội Cựu chiến binh xã Nhập Một").exists()


def test_units_out_of_scope_or_moved_are_refused_and_nothing_written(hanoi_admin: Any) -> None:
    t = table(
        UNIT_HEADERS,
        ["HN-NHAP-2", "Hội Cựu chiến binh xã Nhập Hai", "commune", "CCB-HANOI", ""],
        ["CM-NHAP-1", "Hội Cựu chiến binh xã Cà Mau Nhập", "commune", "CCB-CAMAU", ""],
        ["HN-NHAP-3", "Hội Cựu chiến binh xã Nhập Ba", "khong-co", "CCB-HANOI", ""],
    )
    before = OrgUnit.objects.count()
    result = run(hanoi_admin, "units", t)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Đơn vị cấp trên"), (4, "Cấp")]
    assert OrgUnit.objects.count() == before


# --- people ---------------------------------------------------------------------------------------

PEOPLE_HEADERS = ["Mã người", "Họ và tên", "Đơn vị", "Cấp bậc", "Chức vụ", "Ngày sinh", "Giới tính"]


def test_people_created_then_updated_by_external_id(hanoi_admin: Any, demo_user: Any) -> None:
    t = table(
        PEOPLE_HEADERS,
        ["P-1", "Nguyễn Văn Nhập", "CCB-HANOI", "Đại tá", "Chủ tịch Hội; Bí thư chi bộ", "2/9/1955", "Nam"],
        ["P-2", "Trần Thị Nhập", "CCB-HANOI", "", "", "", "nu"],
    )
    user = demo_user("hanoi.ccb")
    assert counts(run(user, "people", t)) == (2, 0, 0)
    person = Person.objects.get(external_id="P-1")
    assert person.rank == "dai-ta" and person.positions == ["Chủ tịch Hội", "Bí thư chi bộ"]
    assert person.birth_year == 1955 and person.gender == "nam"
    assert counts(run(user, "people", t)) == (0, 0, 2)
    t.rows[0][1][3] = "Thiếu tướng"
    result = run(user, "people", t)
    assert result.errors == [] and counts(result) == (0, 1, 1)
    person.refresh_from_db()
    assert person.rank == "thieu-tuong"
    bad = table(PEOPLE_HEADERS, ["P-3", "Lê Văn Sai", "CCB-HANOI", "Đại úy giả", "", "31/2/1950", ""])
    errors = run(user, "people", bad).errors
    assert {e.column for e in errors} <= {"Cấp bậc", "Ngày sinh"} and errors
    assert not Person.objects.filter(external_id="P-3").exists()


# --- users ----------------------------------------------------------------------------------------


def test_users_with_roles_never_carry_a_password(hanoi_admin: Any) -> None:
    t = table(
        ["Tên đăng nhập", "Họ và tên", "Đơn vị", "Vai trò"],
        ["hn.nhap1", "Phạm Văn Nhập", "CCB-HANOI", "Người báo cáo"],
    )
    assert counts(run(hanoi_admin, "users", t, dry_run=True)) == (1, 0, 0)
    assert not User.objects.filter(username="hn.nhap1").exists()
    result = run(hanoi_admin, "users", t)
    assert result.errors == [] and counts(result) == (1, 0, 0)
    user = User.objects.get(username="hn.nhap1")
    assert user.must_change_password and user.get_full_name() == "Phạm Văn Nhập"
    assert "password" not in str(result.as_dict()).lower()
    assert RoleAssignment.objects.filter(user=user, unit__code="CCB-HANOI", role="reporter").exists()
    assert counts(run(hanoi_admin, "users", t)) == (0, 0, 1)
    outside = table(["username", "full_name", "unit", "role"], ["cm.nhap1", "Võ Nhập", "CCB-CAMAU", "reporter"])
    refused = run(hanoi_admin, "users", outside)
    assert refused.errors and refused.errors[0].row == 2
    assert not User.objects.filter(username="cm.nhap1").exists()


# --- targets and figures ---------------------------------------------------------------------------


def test_targets_by_phase_unit_indicator(demo_user: Any) -> None:
    programme = Programme.objects.get(code="QDND-CCB")
    user = demo_user("hanoi.ccb")
    t = table(["Giai đoạn", "Đơn vị", "Chỉ tiêu", "Chỉ tiêu giao"], ["2022-2027", "CCB-HANOI", "tt-buoi", "1.200"])
    result = run(user, "targets", t, programme=programme)
    assert result.errors == [] and result.created + result.updated == 1
    assert Target.objects.get(phase__code="2022-2027", unit__code="CCB-HANOI", indicator__code="tt-buoi").value == 1200
    assert counts(run(user, "targets", t, programme=programme)) == (0, 0, 1)
    t.rows[0][1][3] = 1300
    assert counts(run(user, "targets", t, programme=programme)) == (0, 1, 0)


def test_figures_per_period_keep_the_rollups_exact(demo_user: Any) -> None:
    programme = Programme.objects.get(code="QDND-CCB")
    user = demo_user("hanoi.ccb")
    unit = OrgUnit.objects.get(code="CCB-HANOI")
    start, end = date(2026, 11, 15), date(2026, 11, 26)
    assert not any(
        lock.start <= end and lock.end >= start and unit.path.startswith(lock.unit.path)
        for lock in EntryLock.objects.filter(reopened_at__isnull=True)
    )
    t = table(
        ["Đơn vị", "Chỉ tiêu", "Kỳ từ ngày", "Kỳ đến ngày", "Số liệu"],
        ["CCB-HANOI", "gn-ho", "15/11/2026", "26/11/2026", "12"],
        ["CCB-HANOI", "khong-co", "15/11/2026", "26/11/2026", "3"],
    )
    before = IndicatorValue.objects.count()
    failed = run(user, "figures", t, programme=programme)
    assert [(e.row, e.column) for e in failed.errors] == [(3, "Chỉ tiêu")]
    assert IndicatorValue.objects.count() == before
    del t.rows[1]
    assert counts(run(user, "figures", t, programme=programme)) == (1, 0, 0)
    assert IndicatorValue.objects.count() == before + 1
    assert check_rollups() is None
    assert counts(run(user, "figures", t, programme=programme)) == (0, 0, 1)
    t.rows[0][1][4] = "15"
    assert counts(run(user, "figures", t, programme=programme)) == (0, 1, 0)
    assert check_rollups() is None


def test_kinds_of_a_programme_need_one(demo_user: Any) -> None:
    t = table(["unit", "indicator", "period_start", "period_end", "value"], ["CCB-HANOI", "gn-ho", "", "", ""])
    result = run(demo_user("hanoi.ccb"), "figures", t)
    assert result.errors and result.errors[0].row == 0

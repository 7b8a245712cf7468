"""Files of people and users read the same whatever the language of the interface: a choice
column (rank, sex, role) takes the stored code, the Vietnamese label (with or without diacritics,
any case) or the label in the active language; headers are read in Vietnamese in every language;
templates and exports are written in Vietnamese, so an export made in English imports back
unchanged."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from phoihop.accounts.models import RoleAssignment, RoleChoices
from phoihop.imports.exports import write_export
from phoihop.imports.kinds import KINDS, ImportResult
from phoihop.imports.kinds.base import RowProblem
from phoihop.imports.kinds.common import ChoiceCells
from phoihop.imports.reading import Table, read_table
from phoihop.imports.services import import_table
from phoihop.imports.templates import template_bytes
from phoihop.orgunits.models import Gender, Person, Rank

pytestmark = pytest.mark.django_db

PEOPLE_HEADERS = ["Mã người", "Họ và tên", "Đơn vị", "Cấp bậc", "Ngày sinh", "Giới tính"]
USER_HEADERS = ["Tên đăng nhập", "Họ và tên", "Đơn vị", "Vai trò"]


def table(headers: list[str], *rows: list[Any]) -> Table:
    return Table(headers=headers, rows=[(i + 2, list(r)) for i, r in enumerate(rows)], source_encoding="utf-8")


def run(user: Any, kind: str, t: Table, *, dry_run: bool = False) -> ImportResult:
    return import_table(acting_user=user, kind=kind, table=t, dry_run=dry_run)


def counts(result: ImportResult) -> tuple[int, int, int]:
    return result.created, result.updated, result.unchanged


def test_a_choice_by_code_vietnamese_or_active_label() -> None:
    with translation.override("en"):
        english = str(Rank.DAI_TA.label)
        assert english != "Đại tá"  # the English catalogue names it otherwise: the test means something
        ranks = ChoiceCells(Rank.choices, "cấp bậc")
        for written in ["dai-ta", "Đại tá", "ĐẠI TÁ", "dai ta", " Đại  tá ", english, english.upper()]:
            assert ranks.read({"rank": written}, "rank") == "dai-ta", written
        assert ranks.read({"rank": ""}, "rank") == ""
        assert ranks.read({}, "rank") == ""
        with pytest.raises(RowProblem) as bad:
            ranks.read({"rank": "Đại úy giả"}, "rank")
        # The names offered are the template's: Vietnamese.
        assert bad.value.column == "rank" and "Đại úy giả" in bad.value.message and "Thiếu tướng" in bad.value.message
        genders = ChoiceCells(Gender.choices, "giới tính")
        assert [genders.read({"g": g}, "g") for g in ["Nam", "nữ", "NU", "nam", str(Gender.FEMALE.label)]] == [
            "nam",
            "nu",
            "nu",
            "nam",
            "nu",
        ]


def test_people_with_vietnamese_labels_in_the_english_interface(demo_user: Any) -> None:
    user = demo_user("hanoi.ccb")
    t = table(
        PEOPLE_HEADERS,
        ["EN-P-1", "Nguyễn Văn Anh", "CCB-HANOI", "Đại tá", "2/9/1955", "Nam"],
        ["EN-P-2", "Trần Thị Bình", "CCB-HANOI", "thieu tuong", "", "Nữ"],
        ["EN-P-3", "Lê Văn Cường", "CCB-HANOI", "trung-ta", "", "nu"],
    )
    with translation.override("en"):
        t.rows.append((5, ["EN-P-4", "Phạm Văn Dũng", "CCB-HANOI", str(Rank.THUONG_TA.label), "", "Male"]))
        result = run(user, "people", t)
        assert result.errors == [] and counts(result) == (4, 0, 0)
        assert counts(run(user, "people", t)) == (0, 0, 4)
    people = {p.external_id: (p.rank, p.gender) for p in Person.objects.filter(external_id__startswith="EN-P-")}
    assert people == {
        "EN-P-1": ("dai-ta", "nam"),
        "EN-P-2": ("thieu-tuong", "nu"),
        "EN-P-3": ("trung-ta", "nu"),
        "EN-P-4": ("thuong-ta", "nam"),
    }
    # The same file read in Vietnamese changes nothing either (the English label included).
    with translation.override("vi"):
        assert counts(run(user, "people", table(PEOPLE_HEADERS, *(r for _n, r in t.rows[:3])))) == (0, 0, 3)


def test_users_with_vietnamese_roles_in_the_english_interface(demo_user: Any) -> None:
    admin = demo_user("admin")  # an approver's account is a system administrator's to create
    t = table(
        USER_HEADERS,
        ["hn.en1", "Phạm Văn Em", "CCB-HANOI", "Người báo cáo"],
        ["hn.en2", "Võ Thị Gấm", "CCB-HANOI", "nguoi phe duyet"],
    )
    with translation.override("en"):
        t.rows.append((4, ["hn.en3", "Đỗ Văn Hùng", "CCB-HANOI", str(RoleChoices.VIEWER.label)]))
        result = run(admin, "users", t)
        assert result.errors == [] and counts(result) == (3, 0, 0)
        assert counts(run(admin, "users", t)) == (0, 0, 3)
    roles = dict(
        RoleAssignment.objects.filter(user__username__startswith="hn.en", unit__code="CCB-HANOI").values_list(
            "user__username", "role"
        )
    )
    assert roles == {"hn.en1": "reporter", "hn.en2": "approver", "hn.en3": "viewer"}


def test_the_template_made_in_english_is_vietnamese_and_reads_back(
    hanoi_admin: Any, demo_user: Any, tmp_path: Path
) -> None:
    for kind, user in (("people", demo_user("hanoi.ccb")), ("users", hanoi_admin)):
        with translation.override("en"):
            content = template_bytes(KINDS[kind])
            book = openpyxl.load_workbook(io.BytesIO(content))
            headers = [cell.value for cell in book.worksheets[0][1]]
            with translation.override("vi"):
                assert headers == [str(c.header) for c in KINDS[kind].columns(None)]
            path = tmp_path / f"{kind}.xlsx"
            path.write_bytes(content)
            result = run(user, kind, read_table(path, path.name), dry_run=True)
            assert result.errors == [] and counts(result) == (1, 0, 0), kind


@pytest.mark.parametrize("kind", ["people", "users"])
def test_an_export_made_in_english_imports_back_unchanged(
    kind: str, hanoi_admin: Any, demo_user: Any, tmp_path: Path
) -> None:
    # Whose exports import back whole (test_import_api: a system administrator's people, a unit
    # administrator's users); rows with choices added first (by a system administrator: an approver).
    user = demo_user("admin") if kind == "people" else hanoi_admin
    rows = {
        "people": table(PEOPLE_HEADERS, ["EN-X-1", "Ngô Văn Khải", "CCB-HANOI", "Thiếu tướng", "1/5/1950", "Nữ"]),
        "users": table(USER_HEADERS, ["hn.enx", "Bùi Văn Lâm", "CCB-HANOI", "Người phê duyệt"]),
    }[kind]
    assert counts(run(demo_user("admin"), kind, rows)) == (1, 0, 0)
    path = tmp_path / f"{kind}.xlsx"
    with translation.override("en"):
        count = write_export(path, kind=KINDS[kind], user=user)
        assert count > 0
        values = [list(row) for row in openpyxl.load_workbook(path).worksheets[0].values]
        flat = {str(v) for row in values for v in row if v is not None}
        if kind == "people":
            assert {"Cấp bậc", "Giới tính", "Thiếu tướng", "Nữ"} <= flat
            assert not {"Major General", "Female"} & flat
        else:
            assert {"Vai trò", "Người phê duyệt"} <= flat and "Approver" not in flat
        result = run(user, kind, read_table(path, path.name))
    assert result.errors == [] and result.total_rows == count
    assert (result.created, result.updated, result.unchanged) == (0, 0, count)

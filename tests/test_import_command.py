"""``manage.py import_data KIND FILE [--programme CODE] [--dry-run] [--user USERNAME]`` (issue 15,
item 4): prints the summary and every problem, exits 1 when a row has a problem or the file is
refused; a dry run writes nothing; without --user it imports as the oldest system administrator.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from phoihop.imports.models import ImportRun
from phoihop.orgunits.models import OrgUnit
from tests.support import imports as fake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fake_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    fake.use_fake_kind(monkeypatch)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_data", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_a_clean_dry_run_prints_the_summary_and_exits_0(tmp_path: Path) -> None:
    code, out, _err = run("notes", write(tmp_path, "tot.xlsx", fake.GOOD_NOTES), "--dry-run")
    assert code == 0
    assert "Kiểm tra (không ghi gì) ghi chú thử từ “tot.xlsx” với tài khoản admin." in out
    assert "Số dòng: 2; tạo mới: 2; cập nhật: 0; không đổi: 0; lỗi: 0." in out
    assert fake.CALLS == [{"user": "admin", "kind": "notes", "programme": None, "dry_run": True}]
    assert not ImportRun.objects.unrestricted("test").exists()  # the command keeps no run


def test_one_bad_row_exits_1_and_names_the_row(tmp_path: Path, hanoi_admin: Any) -> None:
    code, out, err = run("notes", write(tmp_path, "xau.xlsx", fake.BAD_NOTES), "--user", "hanoi.admin")
    assert code == 1
    assert "với tài khoản hanoi.admin" in out
    assert "Dòng 3, cột “Mã ghi chú”, giá trị “Z”: Mã phải là A, B hoặc C." in out
    assert "không dòng nào được ghi" in err


def test_a_refused_file_exits_1_with_the_reason(tmp_path: Path) -> None:
    code, _out, err = run("notes", write(tmp_path, "hong.xlsx", b"PK\x03\x04 broken"))
    assert code == 1
    assert err.startswith("Tệp bị từ chối: ")


def test_what_cannot_start_is_a_command_error_in_vietnamese(tmp_path: Path) -> None:
    good = write(tmp_path, "tot.xlsx", fake.GOOD_NOTES)
    with pytest.raises(CommandError, match="Không có loại dữ liệu “khong”"):
        call_command("import_data", "khong", good)
    with pytest.raises(CommandError, match="cần --programme"):
        call_command("import_data", "notes_prog", good)
    with pytest.raises(CommandError, match="Không tìm thấy chương trình có mã “khong”"):
        call_command("import_data", "notes_prog", good, "--programme", "khong")
    with pytest.raises(CommandError, match="không được nhập dữ liệu"):
        call_command("import_data", "notes", good, "--user", "hanoi.ccb")
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("import_data", "notes", str(tmp_path / "khong-co.xlsx"))


def test_a_real_dry_run_of_units_writes_nothing(tmp_path: Path) -> None:
    """The real units kind: a check of a new unit writes nothing; the import writes it."""
    before = OrgUnit.objects.unrestricted("test").count()
    parent = OrgUnit.objects.unrestricted("test").get(code="CCB-HANOI")
    content = fake.csv_bytes(
        ["code", "Tên đơn vị", "Tổ chức", "cap", "Đơn vị cấp trên", "valid_from"],
        [["CCB-THU-LENH", "Chi hội thử lệnh", parent.organisation.code, "branch", "CCB-HANOI", "01/01/2026"]],
    )
    path = write(tmp_path, "don-vi.csv", content)
    code, out, _err = run("units", path, "--dry-run")
    assert OrgUnit.objects.unrestricted("test").count() == before
    assert code == 0, out
    code, out, _err = run("units", path)
    assert code == 0, out
    assert OrgUnit.objects.unrestricted("test").filter(code="CCB-THU-LENH").exists()

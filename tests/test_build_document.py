"""``manage.py build_document KIND --id N``: every kind of document of the demo as Word (its
title and the names it must carry), one as PDF, a decision signed with TCCT's demo certificates
that validates, the access log of the files that name people, and the operator's errors in
Vietnamese."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from phoihop.audit.access import EXPORT, exports_naming
from phoihop.audit.models import ActionLog
from phoihop.commendations.models import Decision, Nomination
from phoihop.conferences import services as conference_services
from phoihop.conferences.models import Conference
from phoihop.demo.conferences import NATIONAL_DAY, PROVINCIAL_DAY
from phoihop.documents.pdf import pdf_available
from phoihop.esign.verify import verify_pdf
from phoihop.reporting.models import Report

pytestmark = pytest.mark.django_db

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("build_document", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


def docx_text(path: Path) -> str:
    """The text of the document's paragraphs and tables (nested too)."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]

    def tables(items: Any) -> None:
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(document.tables)
    return "\n".join(parts)


# --- the demo's documents ----------------------------------------------------------------------


def national_report() -> Report:
    """The joint national 2017–2022 summary report (BQP, through TCCT, and TW Hội CCB)."""
    return Report.objects.get(period__phase__code="2017-2022", unit__code="BQP", partner_unit__code="CCB-TW")


def tcct_decision() -> Decision:
    return Decision.objects.get(issuing_unit__code="TCCT")


def seed_conference() -> Conference:
    return Conference.objects.get(programme__code="QDND-CCB", held_on=NATIONAL_DAY)


def decided_nomination() -> Nomination:
    """The demo's decided nominee: Phạm Văn Thành, Bằng khen of the Head of TCCT."""
    return Nomination.objects.get(person__full_name="Phạm Văn Thành", award__code="bk-tcct")


def _report() -> tuple[int, list[str]]:
    return national_report().pk, ["BÁO CÁO", "Tổng kết 5 năm thực hiện Chương trình phối hợp", "Nguyễn Văn Gấu"]


def _decision() -> tuple[int, list[str]]:
    return tcct_decision().pk, ["QUYẾT ĐỊNH", "Số: 01/QĐ-TCCT", "DANH SÁCH TẬP THỂ, CÁ NHÂN", "Phạm Văn Thành"]


def _invitation() -> tuple[int, list[str]]:
    return seed_conference().pk, ["GIẤY MỜI", "Thời gian: từ 08 giờ 00 đến 11 giờ 30, ngày 23 tháng 9 năm 2022"]


def _notice() -> tuple[int, list[str]]:
    conference = seed_conference()
    return conference.pk, ["THÔNG BÁO", f"1. {conference.conclusion_points[0]}"]


def _plan() -> tuple[int, list[str]]:
    conference = seed_conference()
    return conference.pk, ["KẾ HOẠCH", f"Tổ chức {conference.title}", "I. MỤC ĐÍCH, YÊU CẦU", "V. TỔ CHỨC THỰC HIỆN"]


def _summary() -> tuple[int, list[str]]:
    conference = seed_conference()
    return conference.pk, [conference.title, "phương hướng, nhiệm vụ phối hợp giai đoạn 2022–2027"]


def _achievement() -> tuple[int, list[str]]:
    nomination = decided_nomination()
    # Read as the system: the private details a system administrator reads are printed.
    born = f"năm {nomination.person.birth_year}"  # type: ignore[union-attr]
    return nomination.pk, ["BÁO CÁO THÀNH TÍCH", "Phạm Văn Thành", born, "NGƯỜI BÁO CÁO THÀNH TÍCH", NATIONAL_NAME]


EXPECTED: dict[str, Callable[[], tuple[int, list[str]]]] = {
    "report": _report,
    "decision": _decision,
    "invitation": _invitation,
    "notice": _notice,
    "plan": _plan,
    "summary": _summary,
    "achievement": _achievement,
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_it_builds_each_kind_as_word(kind: str, tmp_path: Path) -> None:
    pk, wanted = EXPECTED[kind]()
    output = tmp_path / f"{kind}.docx"
    said = run(kind, "--id", str(pk), "--output", str(output))
    assert said.startswith(f"Đã ghi {output} (") and "byte)" in said
    text = docx_text(output)
    missing = [w for w in wanted if w not in text]
    assert not missing, missing


def test_every_kind_has_its_expectation() -> None:
    from phoihop.documents.management.commands.build_document import KINDS

    assert set(KINDS) == set(EXPECTED)


def test_a_file_that_names_people_is_in_the_access_log(tmp_path: Path) -> None:
    nomination = decided_nomination()
    person = nomination.person_id
    assert person is not None
    before = exports_naming(person).count()
    run("achievement", "--id", str(nomination.pk), "--output", str(tmp_path / "a.docx"))
    run("decision", "--id", str(tcct_decision().pk), "--output", str(tmp_path / "d.docx"))
    logs = list(exports_naming(person)[:2])
    assert exports_naming(person).count() == before + 2
    assert all(log.actor_id is None and log.details["format"] == "docx" for log in logs)
    # A report names units, not people: nothing is logged.
    count = ActionLog.objects.filter(action=EXPORT).count()
    run("report", "--id", str(national_report().pk), "--output", str(tmp_path / "r.docx"))
    assert ActionLog.objects.filter(action=EXPORT).count() == count


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
def test_the_bulletin_as_pdf(tmp_path: Path) -> None:
    output = tmp_path / "ban-tin.pdf"  # the format from the file's extension
    run("summary", "--id", str(seed_conference().pk), "--output", str(output))
    data = output.read_bytes()
    assert data.startswith(b"%PDF")
    assert verify_pdf(data).status == "unsigned"


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
def test_it_signs_the_tcct_decision(tmp_path: Path) -> None:
    output = tmp_path / "quyet-dinh.pdf"
    said = run("decision", "--id", str(tcct_decision().pk), "--format", "pdf", "--sign", "--output", str(output))
    assert "đã ký số" in said
    data = output.read_bytes()
    result = verify_pdf(data)
    assert result.status == "valid", result
    # The signer over the name the decision prints, then TCCT's seal; both chain to the demo CA.
    assert [s.signer_cn for s in result.signatures] == ["Nguyễn Văn Gấu", "Tổng cục Chính trị"]
    assert all(s.trusted for s in result.signatures)
    if shutil.which("pdfsig"):
        path = tmp_path / "copy.pdf"
        path.write_bytes(data)
        done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False)
        assert done.stdout.count("Signature is Valid") == 2, done.stdout + done.stderr
    at = data.index(b"stream", 200) + 20
    assert verify_pdf(data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]).status == "modified"


# --- errors ------------------------------------------------------------------------------------


def test_an_unknown_kind_is_refused_by_the_parser(tmp_path: Path) -> None:
    message = refused("letter", "--id", "1", "--output", str(tmp_path / "x.docx"))
    assert "invalid choice" in message and "'letter'" in message


def test_an_unknown_id_is_named(tmp_path: Path) -> None:
    output = tmp_path / "x.docx"
    assert refused("decision", "--id", "999999", "--output", str(output)) == (
        "Không tìm thấy quyết định khen thưởng có id 999999."
    )
    assert refused("achievement", "--id", "999999", "--output", str(output)) == (
        "Không tìm thấy đề nghị khen thưởng có id 999999."
    )
    assert not output.exists()


def test_sign_needs_pdf(tmp_path: Path) -> None:
    message = refused("decision", "--id", str(tcct_decision().pk), "--sign", "--output", str(tmp_path / "q.docx"))
    assert message == "Chỉ ký số được tệp PDF: hãy dùng --format pdf cùng với --sign."


def test_the_bulletin_is_not_signed(tmp_path: Path) -> None:
    message = refused("summary", "--id", str(seed_conference().pk), "--sign", "--output", str(tmp_path / "b.pdf"))
    assert "không phải văn bản ban hành" in message and "bỏ --sign" in message


def test_a_body_without_certificate_cannot_sign(tmp_path: Path) -> None:
    """Refused before LibreOffice runs: Hà Nội's association has no certificate in the demo."""
    report = Report.objects.get(unit__code="CCB-HANOI", period__name="6 tháng đầu năm 2026")
    output = tmp_path / "r.pdf"
    message = refused("report", "--id", str(report.pk), "--sign", "--output", str(output))
    assert message.startswith("Chưa ký số được: Hội Cựu chiến binh thành phố Hà Nội chưa có chứng thư số")
    assert not output.exists()


def test_the_builders_own_message_is_passed_through(demo_user: Callable[[str], Any], tmp_path: Path) -> None:
    """An invitation without the hour and the venue is not built: the record says what it lacks."""
    conference = Conference.objects.get(programme__code="QDND-CCB", held_on=PROVINCIAL_DAY)
    conference_services.conference_save(
        acting_user=demo_user("hanoi.ccb"),
        conference=conference,
        organisers=list(conference.organisers.all()),
        data={"starts_at": None, "venue": ""},
    )
    output = tmp_path / "giay-moi.docx"
    message = refused("invitation", "--id", str(conference.pk), "--output", str(output))
    assert message.startswith("Chưa tạo được giấy mời: hồ sơ hội nghị chưa ghi giờ khai mạc và hội trường")
    assert not output.exists()


def test_a_missing_folder_or_format(tmp_path: Path) -> None:
    pk = str(tcct_decision().pk)
    assert refused("decision", "--id", pk, "--output", str(tmp_path / "none" / "q.docx")) == (
        f"Không có thư mục “{tmp_path / 'none'}” để ghi tệp."
    )
    assert "--format docx hoặc pdf" in refused("decision", "--id", pk, "--output", str(tmp_path / "q.txt"))

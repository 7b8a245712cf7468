"""The draft record of a news report (issue 16): the seed through `manage.py extract_conference`
(its first acceptance item), Word input, the evidence spans, refusals, and the scores on the
labelled set of tests/data/articles/."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import CommandError, call_command

from phoihop.conferences.extract.evaluate import evaluate
from phoihop.conferences.extract.record import extract

ARTICLES = Path(__file__).parent / "data" / "articles"
SEED_PATH = next(ARTICLES.glob("000_*.txt"))
SEED = SEED_PATH.read_text(encoding="utf-8")


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("extract_conference", *args, stdout=out)
    return out.getvalue()


def _seed_record_is_right(record: dict[str, Any]) -> None:
    assert record["event_kind"] == "tong_ket+ky_ket"
    assert record["date"] == "2022-09-23"
    assert record["place"] == "Hà Nội"
    assert record["parties"] == ["QĐND Việt Nam", "Hội CCB Việt Nam"]
    assert record["phases"] == [{"years": "2017-2022", "role": "reviewed"}, {"years": "2022-2027", "role": "signed"}]
    assert record["chairs"] == [
        {
            "name": "Nguyễn Văn Gấu",
            "rank": "Thiếu tướng",
            "positions": ["Ủy viên T.Ư Đảng", "Phó chủ nhiệm Tổng cục Chính trị QĐND Việt Nam"],
        },
        {"name": "Khuất Việt Dũng", "rank": "Trung tướng", "positions": ["Phó chủ tịch Hội CCB Việt Nam"]},
    ]
    assert {
        "name": "Phạm Tất Thắng",
        "rank": None,
        "positions": ["Ủy viên T.Ư Đảng", "Phó trưởng ban Thường trực Ban Dân vận T.Ư"],
    } in record["other_people"]


def test_the_command_prints_the_seeds_record() -> None:
    _seed_record_is_right(json.loads(_command(str(SEED_PATH))))


def test_a_word_file_gives_the_same_record(tmp_path: Path) -> None:
    document = docx.Document()
    for paragraph in SEED.split("\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph)
    path = tmp_path / "bai-viet.docx"
    document.save(str(path))
    _seed_record_is_right(json.loads(_command(str(path))))


def test_every_value_points_at_its_words() -> None:
    record = extract(SEED)
    evidence = record["evidence"]
    assert [SEED[a:b] for a, b in evidence["place"]] == ["Hà Nội"]
    assert [SEED[a:b] for a, b in evidence["parties"]] == record["parties"]
    assert [SEED[a:b] for a, b in evidence["phases"]] == ["2017-2022", "2022-2027"]
    assert SEED[slice(*evidence["date"][0])] == "Ngày 23-9"
    chair_texts = [SEED[a:b] for a, b in evidence["chairs"]]
    assert "Thiếu tướng Nguyễn Văn Gấu" in chair_texts and "Trung tướng Khuất Việt Dũng" in chair_texts


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bai.pdf", b"%PDF-1.4", "Không đọc được tệp PDF"),
        ("bai.odt", b"PK\x03\x04", r"Chỉ đọc được tệp \.txt, \.docx hoặc \.pdf có lớp chữ\."),
        ("bai.txt", "Ngày 23-9".encode("cp1258"), "UTF-8"),
        ("bai.docx", b"not a zip", "Không đọc được tệp Word"),
    ],
)
def test_what_it_cannot_read_is_refused_in_vietnamese(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _command(str(path))


def test_a_word_bomb_and_an_oversized_text_are_refused_before_they_are_read(tmp_path: Path, settings: Any) -> None:
    from tests.test_uploads import real_docx, rezip, zeros

    bomb = tmp_path / "bai.docx"
    bomb.write_bytes(rezip(real_docx(), add=zeros("word/media/image2.png", 30)))
    with pytest.raises(CommandError, match=r"Không đọc được tệp Word này\. .*nén bất thường"):
        _command(str(bomb))
    settings.ATTACHMENT_MAX_BYTES = 1000
    big = tmp_path / "bai.txt"
    big.write_text(SEED, encoding="utf-8")
    with pytest.raises(CommandError, match="Tệp quá lớn"):
        _command(str(big))


def test_a_missing_file_is_named() -> None:
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        _command("khong-co.txt")


def test_the_scores_on_the_labelled_set() -> None:
    """The per-field table of docs/ (`manage.py extract_conference --evaluate tests/data/articles`).
    Issue 16: an overall F1 of 0.90 (0.94 on 2026-12-07, ADR 0023); the test fails below 0.85."""
    scores = evaluate(ARTICLES)
    assert scores["overall"].f1 >= 0.85, scores["overall"]
    for field in ("chairs", "ranks"):  # kind, date and phases: tests/test_extract_events.py
        assert scores[field].f1 >= 0.9, (field, scores[field])
    assert "| overall |" in _command("--evaluate", str(ARTICLES))


def test_the_scores_per_subset() -> None:
    """The articles kept aside (``"heldout": true``) are scored apart from those the rules were
    written while reading, and each round of them alone: round 1 (033–040; ADR 0023: 0.82 before
    the second round of rules, 1.00 after it, which saw their errors) and round 2 (041–048,
    ``"round": 2``; 0.75 unread, before the third round of rules)."""
    seen, heldout, whole = evaluate(ARTICLES, "seen"), evaluate(ARTICLES, "heldout"), evaluate(ARTICLES)
    first, second = evaluate(ARTICLES, "round1"), evaluate(ARTICLES, "round2")
    assert seen["overall"].tp + heldout["overall"].tp == whole["overall"].tp
    assert first["overall"].tp + second["overall"].tp == heldout["overall"].tp
    assert heldout["event_kind"].tp + heldout["event_kind"].fn == 16  # sixteen held-out articles
    assert second["event_kind"].tp + second["event_kind"].fn == 8  # eight of them in round 2
    assert heldout["overall"].f1 >= 0.85, heldout["overall"]
    assert seen["overall"].f1 >= 0.85, seen["overall"]
    assert second["overall"].f1 >= 0.85, second["overall"]
    table = _command("--evaluate", str(ARTICLES), "--subset", "heldout")
    assert "| event_kind | 1.00 | 1.00 | 1.00 | 16 | 0 | 0 |" in table, table
    with pytest.raises(ValueError):
        evaluate(ARTICLES, "round3")


@pytest.mark.parametrize(
    ("text", "chairs"),
    [
        (
            "Ngày 5-3, Sở Y tế và Hội CCB tỉnh sơ kết quy chế phối hợp. Đồng chủ trì Hội nghị là Đại tá Trần Văn "
            "An, Chủ tịch Hội CCB tỉnh và ông Lê Minh Bình, Giám đốc Sở Y tế. Cùng dự có ông Hồ Văn Cường, Phó "
            "Giám đốc Sở.",
            ["Trần Văn An", "Lê Minh Bình"],
        ),
        (
            "Dự và chủ trì Hội nghị có đồng chí Đỗ Thị Hoa, Trưởng Ban Dân vận Tỉnh ủy; tham dự có đồng chí Vũ Văn "
            "Dũng, Phó Chủ tịch UBND tỉnh.",
            ["Đỗ Thị Hoa"],
        ),
    ],
)
def test_the_chairs_may_be_named_after_the_word_chu_tri(text: str, chairs: list[str]) -> None:
    record = extract(text)
    assert [p["name"] for p in record["chairs"]] == chairs
    assert record["other_people"] and not {p["name"] for p in record["other_people"]} & set(chairs)


def test_a_place_ends_before_the_event_it_hosts_and_a_lead_names_parties_the_title_shortens() -> None:
    record = extract(
        "Công an và Quân sự ký kết quy chế phối hợp\n\n"
        "Sáng 12/4/2024, Công an huyện Đông Anh và Ban Chỉ huy Quân sự huyện Đông Anh đã tổ chức tại Đông Anh "
        "Lễ ký kết quy chế phối hợp giai đoạn 2024-2029."
    )
    assert record["place"] == "Đông Anh"
    assert record["parties"] == ["Công an huyện Đông Anh", "Ban Chỉ huy Quân sự huyện Đông Anh"]


def test_parties_named_later_or_by_their_signers() -> None:
    later = extract(
        "Sáng 12/4, hai cơ quan thường trực tổ chức giao ban quý I.\n\n"
        "Nghị định quy định việc phối hợp giữa Bộ Y tế và Hội Chữ thập đỏ Việt Nam trong phòng chống dịch."
    )
    assert later["parties"] == ["Bộ Y tế", "Hội Chữ thập đỏ Việt Nam"]
    text = (
        "Chiều 25.4, ông Trần Văn Hải – Chủ tịch Hội Cựu chiến binh huyện X và bà Lê Thị Mai – Giám đốc Trung tâm "
        "Y tế huyện X đã ký kết kế hoạch phối hợp năm 2024."
    )
    signed = extract(text)
    assert signed["parties"] == ["Hội Cựu chiến binh huyện X", "Trung tâm Y tế huyện X"]
    assert [text[a:b] for a, b in signed["evidence"]["parties"]] == signed["parties"]


def test_a_name_after_its_positions_and_a_place() -> None:
    record = extract(
        "Tham dự có UVTV Tỉnh ủy, Bí thư Huyện ủy, Chủ tịch HĐND TP. Vinh Hoàng Văn Minh; Đại tá Ngô Văn Tuấn, "
        "Cục trưởng Cục Cảnh sát, Bộ Công an, cùng lãnh đạo 2 đơn vị."
    )
    assert {p["name"]: p["positions"] for p in record["other_people"]} == {
        "Hoàng Văn Minh": ["UVTV Tỉnh ủy", "Bí thư Huyện ủy", "Chủ tịch HĐND TP. Vinh"],
        "Ngô Văn Tuấn": ["Cục trưởng Cục Cảnh sát, Bộ Công an"],
    }


def test_the_command_reads_a_gazetteer(tmp_path: Path) -> None:
    article = tmp_path / "bai.txt"
    article.write_text(
        "Ngày 5-3, tại Hà Nội, Báo Biên phòng cùng Nhà xuất bản Quân đội nhân dân ký kết chương trình phối hợp.",
        encoding="utf-8",
    )
    assert json.loads(_command(str(article)))["parties"] == []
    names = tmp_path / "ten.txt"
    names.write_text("Báo Biên phòng\nNhà xuất bản Quân đội nhân dân\n", encoding="utf-8")
    record = json.loads(_command(str(article), "--known", str(names)))
    assert record["parties"] == ["Báo Biên phòng", "Nhà xuất bản Quân đội nhân dân"]


def test_a_pdf_with_a_text_layer_reads_as_its_text(tmp_path: Path) -> None:
    """The seed as a Word file turned into PDF by LibreOffice: the same record from its text layer."""
    from docx import Document

    from phoihop.documents.pdf import docx_to_pdf, pdf_available

    if not pdf_available():
        pytest.skip("LibreOffice is not installed")
    document = Document()
    for paragraph in SEED.split("\n\n"):
        document.add_paragraph(paragraph)
    word = io.BytesIO()
    document.save(word)
    path = tmp_path / "bai-viet.pdf"
    path.write_bytes(docx_to_pdf(word.getvalue()))
    _seed_record_is_right(json.loads(_command(str(path))))

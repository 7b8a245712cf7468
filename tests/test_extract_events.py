"""Reading the event of a news report (issue 16): its kind, the phases reviewed and signed, and
its date, each with the span it came from; over the labelled set of tests/data/articles/."""

from __future__ import annotations

from pathlib import Path

import pytest

from phoihop.conferences.extract.evaluate import evaluate
from phoihop.conferences.extract.events import folded, read_event
from phoihop.core.text import fold

ARTICLES = Path(__file__).parent / "data" / "articles"
SEED = next(ARTICLES.glob("000_*.txt")).read_text(encoding="utf-8")


def test_the_seed_is_a_review_and_a_signing_on_23_september_2022() -> None:
    event = read_event(SEED)
    assert event.kind == "tong_ket+ky_ket"
    assert event.date == "2022-09-23"
    assert sorted((p.years, p.role) for p in event.phases) == [("2017-2022", "reviewed"), ("2022-2027", "signed")]
    # The evidence points at the words in the text.
    assert event.date_span is not None and fold(SEED[slice(*event.date_span)]) == "ngay 23-9"
    assert {fold(SEED[slice(*span)]) for span in event.kind_spans} == {"tong ket", "ky ket"}
    assert all(SEED[slice(*p.span)] == p.years for p in event.phases)


def test_folding_keeps_every_span_in_place() -> None:
    text = "Ngày 23-9, tại Hà Nội; Đồng chí Nguyễn Văn Gấu.\nKý kết"
    assert len(folded(text)) == len(text)
    assert folded(text) == "ngay 23-9, tai ha noi; dong chi nguyen van gau.\nky ket"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Ngày 23 tháng 9 năm 2022, tại Hà Nội, hai bên tổ chức ký kết chương trình phối hợp.", "2022-09-23"),
        ("Sáng 15.11, Hội Nông dân tỉnh và Công an tỉnh ký kết chương trình phối hợp.", "--11-15"),
        ("(20/11/2023)\n\nChiều 18/11, hai bên ký kết chương trình phối hợp.", "2023-11-18"),
        ("Hai bên sơ kết quy chế phối hợp\n\n(20/11/2023)\n\nChiều 18/11, hai bên sơ kết quy chế.", "2023-11-18"),
        ("Ngày 5-3, hai bên ký kết chương trình phối hợp giai đoạn 2024-2029.", "2024-03-05"),
        ("Ngày 5-3, hai bên tổng kết chương trình phối hợp giai đoạn 2019-2024.", "2024-03-05"),
        ("Ngày 31-2, hai bên ký kết chương trình phối hợp.", None),  # no such day
        ("Hai bên vừa ký kết Chương trình phối hợp số 09/CTr ngày 01/8/2013.", None),  # a document's date
        ("Hai bên vừa ký kết chương trình phối hợp.", None),
    ],
)
def test_the_date_takes_its_year_from_the_text_the_date_line_or_the_phases(text: str, date: str | None) -> None:
    assert read_event(text).date == date


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hội nghị sơ kết 3 năm thực hiện chương trình phối hợp giữa Tỉnh đoàn và Hội CCB tỉnh.", "so_ket"),
        ("Sơ kết chương trình phối hợp và ký kết bổ sung quy chế phối hợp.", "so_ket+ky_ket"),
        ("Hội nghị giao ban chương trình phối hợp quý III giữa Công an tỉnh và Hội Phụ nữ tỉnh.", "giao_ban"),
        ("Lễ kết nghĩa giữa Lữ đoàn 234 và xã Ia Băng.", "ky_ket"),
        (
            "Tổng kết 5 năm thực hiện chương trình. Giai đoạn tới, hai bên sẽ triển khai chương trình 2023-2028.",
            "tong_ket+ky_ket",
        ),
        ("Đoàn công tác thăm và làm việc tại xã.", "other"),
    ],
)
def test_the_kind_of_event(text: str, kind: str) -> None:
    assert read_event(text).kind == kind


def test_a_phase_is_reviewed_or_signed_by_the_words_before_it() -> None:
    event = read_event(
        "Hội nghị tổng kết chương trình phối hợp giai đoạn 2018 - 2022; ký kết chương trình giai đoạn 2023–2027. "
        "Năm 2020, dịch bệnh kéo dài từ 2020-2021 làm chậm nhiều việc."
    )
    assert [(p.years, p.role) for p in event.phases] == [("2018-2022", "reviewed"), ("2023-2027", "signed")]


def test_the_labelled_set() -> None:
    """Kind, date and phases each at an F1 of at least 0.9 on the labelled reports (all right when
    written; the scores have one home: ``extract.evaluate``)."""
    scores = evaluate(ARTICLES)
    for field in ("event_kind", "date", "phases"):
        assert scores[field].f1 >= 0.9, (field, scores[field])

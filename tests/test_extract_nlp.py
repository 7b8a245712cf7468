"""underthesea as the extractor's second opinion (issue 16, item 2; ADR 0023): its CRF models
load from the installed wheel with no network, only when a report is read; a capitalised place
with a position after it is not a person; the gazetteer of the database's organisations and
units finds and splits parties the rules cannot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from phoihop.conferences.extract.record import extract

ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh interpreter with every socket refused, so that a download would fail loudly.
OFFLINE_PROBE = """
import json, socket, sys

def refuse(*args, **kwargs):
    raise OSError("network used")

socket.socket.connect = refuse
socket.create_connection = refuse
from phoihop.conferences.extract import record
loaded_before = "underthesea" in sys.modules
draft = record.extract(
    "Ngày 23-9, tại Hà Nội, Bộ Quốc phòng và Hội CCB Việt Nam ký kết chương trình phối hợp. "
    "Dự có Trần Văn Bình, Chủ tịch Hội Nông dân thành phố Hà Nội, Phó Bí thư Thành ủy; "
    "đại diện quận Cầu Giấy, Phó Chủ tịch UBND quận."
)
from phoihop.conferences.extract import nlp
text = "Bà Leo Thị Lịch, Chủ tịch Hội Nông dân tỉnh Bắc Giang, dự hội nghị."
found = nlp.tokens(text)
print(json.dumps({
    "loaded_before": loaded_before,
    "loaded_after": "underthesea" in sys.modules,
    "deep_models": sorted(m for m in sys.modules if m.startswith(("torch", "transformers"))),
    "people": [p["name"] for p in draft["other_people"]],
    "tokens": [[t.text, t.pos, t.entity] for t in found],
}))
"""


def test_underthesea_loads_offline_and_only_when_a_report_is_read() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_ENDPOINT": "http://127.0.0.1:9"}
    result = subprocess.run(
        [sys.executable, "-c", OFFLINE_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["loaded_before"] is False  # importing the extractor does not load the models
    assert probe["loaded_after"] is True
    assert probe["deep_models"] == []  # only the CRF models of the wheel
    assert probe["people"] == ["Trần Văn Bình"]
    assert ["Leo Thị Lịch", "Np", "PER"] in probe["tokens"]  # a family name outside the rules' list


def test_django_start_up_does_not_import_underthesea() -> None:
    code = "import django, sys; django.setup(); import phoihop.urls; print('underthesea' in sys.modules)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "phoihop.settings", "SECRET_KEY": os.environ.get("SECRET_KEY", "x")}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_place_before_a_position_is_not_a_person() -> None:
    text = (
        "Ngày 12-4, Đoàn Thanh niên huyện ký giao ước với Công an quận Cầu Giấy, Phòng hồ sơ an ninh. "
        "Dự có bà Leo Thị Lịch – Chủ tịch Hội Nông dân tỉnh Bắc Giang và ông Trịnh Thế Khiết – Chủ tịch "
        "Hội Nông dân thành phố Hà Nội, Phó Bí thư Thành ủy."
    )
    draft = extract(text)
    assert [p["name"] for p in draft["other_people"]] == ["Leo Thị Lịch", "Trịnh Thế Khiết"]
    assert draft["other_people"][1]["positions"] == ["Chủ tịch Hội Nông dân thành phố Hà Nội", "Phó Bí thư Thành ủy"]


def test_a_position_word_is_a_whole_word() -> None:
    """ "Phòng hồ sơ" does not begin with the position word "phó"; "Chính trị viên phó" is one."""
    draft = extract("Dự lễ có đồng chí Trịnh Văn Hoán, Chính trị viên phó Đồn Biên phòng Thạnh An, Phòng Hậu cần.")
    assert draft["other_people"] == [
        {"name": "Trịnh Văn Hoán", "rank": None, "positions": ["Chính trị viên phó Đồn Biên phòng Thạnh An"]}
    ]


def test_the_gazetteer_finds_and_splits_parties_the_rules_cannot() -> None:
    text = (
        "Ngày 5-3, tại Hà Nội, Báo Biên phòng cùng Nhà xuất bản Quân đội nhân dân ký kết chương trình phối "
        "hợp giai đoạn 2024-2029."
    )
    assert extract(text)["parties"] == []  # "Nhà xuất bản" is no organisation word of the rules
    draft = extract(text, known=["Nhà xuất bản Quân đội nhân dân", "NXB QĐND", "Báo Biên phòng"])
    assert draft["parties"] == ["Báo Biên phòng", "Nhà xuất bản Quân đội nhân dân"]
    assert [text[a:b] for a, b in draft["evidence"]["parties"]] == draft["parties"]
    # Named only in a later sentence of the lead, and without accents in the gazetteer.
    text = "Hội nghị ký kết quy chế phối hợp diễn ra chiều 2-4. Dự có Công an tỉnh Bắc Ninh, Hội Cựu chiến binh tỉnh."
    assert extract(text)["parties"] == []
    known = ["cong an tinh Bac Ninh", "Hội Cựu chiến binh tỉnh"]
    assert extract(text, known=known)["parties"] == ["Công an tỉnh Bắc Ninh", "Hội Cựu chiến binh tỉnh"]


def test_abbreviations_do_not_end_a_sentence() -> None:
    draft = extract(
        "Tại trụ sở Hội ND TP.Hà Nội, hội nghị đánh giá Chương trình phối hợp giữa Hội ND TP. Hà Nội và Hội ND "
        "tỉnh Nghệ An năm 2021, ký chương trình phối hợp năm 2022 vừa được tổ chức."
    )
    assert draft["place"] == "trụ sở Hội ND TP.Hà Nội"
    assert draft["parties"] == ["Hội ND TP. Hà Nội", "Hội ND tỉnh Nghệ An"]
    assert draft["event_kind"] == "tong_ket+ky_ket"

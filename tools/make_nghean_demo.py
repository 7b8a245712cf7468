"""Write the Nghệ An demo programme's import files (phoihop/demo/data/nghean/).

Run once; its output is committed and imported by ``manage.py load_demo``
(``phoihop.demo.nghean``) through the importer, as a province's staff would import their
Excel files:

* ``don-vi.csv``: the commune police of Nghệ An's 130 communes and wards of the state list
  (phoihop/orgunits/data/admin_units.json, province code 40), under Công an tỉnh Nghệ An;
* ``nguoi.csv``: a few people of both sides (invented names);
* ``hoat-dong.csv``: two years of joint activities (1/12/2024–27/11/2026) with their indicator
  values: before the 2025 reform led by the provincial bodies, from 1/7/2025 on mostly by the
  commune police with the commune's veterans' association (or the other way round).

Deterministic (one ``random.Random(SEED)``): running it again writes the same files.
Usage: ``python tools/make_nghean_demo.py``.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADMIN_UNITS = ROOT / "phoihop" / "orgunits" / "data" / "admin_units.json"
OUT = ROOT / "phoihop" / "demo" / "data" / "nghean"
SEED = 20210420
PROVINCE = "40"
FIRST_DAY = date(2024, 12, 1)
REFORM_DAY = date(2025, 7, 1)
LAST_DAY = date(2026, 11, 27)  # the demo's "today"
# The programme's phases (phoihop/demo/nghean.py): 2021–2026 ends the day before 2026–2031 begins.
PHASE_SPLIT = date(2026, 4, 20)

# Column headers: the importer's Vietnamese headers (phoihop.imports.kinds), by key; an
# indicator's column is headed by its name (from phoihop/demo/nghean.py, read without Django).
# A key with no header here is written as the key (the importer accepts either).
HEADERS: dict[str, str] = {
    # activities
    "external_id": "Mã hoạt động",
    "phase": "Giai đoạn",
    "title": "Tên hoạt động",
    "start_date": "Từ ngày",
    "end_date": "Đến ngày",
    "lead_unit": "Đơn vị chủ trì",
    "partners": "Đơn vị phối hợp",
    "area": "Địa bàn",
    "place": "Địa điểm",
    "participants_lead": "Người tham gia bên chủ trì",
    "participants_partner": "Người tham gia bên phối hợp",
    "description": "Nội dung, kết quả",
}
PEOPLE_HEADERS: dict[str, str] = {
    "external_id": "Mã người",
    "full_name": "Họ và tên",
    "unit": "Đơn vị",
    "rank": "Cấp bậc",
    "positions": "Chức vụ",
    "birth_year": "Năm sinh",
    "gender": "Giới tính",
}
UNIT_HEADERS: dict[str, str] = {
    "code": "Mã đơn vị",
    "name": "Tên đơn vị",
    "short_name": "Tên ngắn",
    "organisation": "Tổ chức",
    "level": "Cấp",
    "parent": "Đơn vị cấp trên",
    "valid_from": "Hoạt động từ ngày",
}


def indicator_names() -> dict[str, str]:
    """The programme's indicators by code, as ``phoihop/demo/nghean.py`` defines them."""
    import ast

    tree = ast.parse((ROOT / "phoihop" / "demo" / "nghean.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "INDICATORS" for t in node.targets):
            return {code: name for code, _field, name, _uom in ast.literal_eval(node.value)}
    raise LookupError("INDICATORS not found in phoihop/demo/nghean.py")


POLICE_CODE = "CA-NGHEAN"
VETERANS_CODE = "CCB-NGHEAN"

FESTIVALS = [
    ("Lễ hội Đền Cuông", "Xã Diễn Châu", 2),
    ("Lễ hội Làng Sen", "Xã Kim Liên", 5),
    ("Lễ hội Đền Quả Sơn", "Xã Bạch Ngọc", 2),
    ("Lễ hội Đền Cờn", "Phường Tân Mai", 2),
    ("Lễ hội Hang Bua", "Xã Châu Tiến", 3),
]

NEIGHBOURHOOD = ["xóm", "xóm", "xóm", "khối", "bản"]
# Before the 2025 reform the province had districts (the state list here has only today's
# communes): activities of that time name the district in words.
OLD_DISTRICTS = [
    "thành phố Vinh",
    "thị xã Cửa Lò",
    "thị xã Thái Hòa",
    "thị xã Hoàng Mai",
    "huyện Quỳnh Lưu",
    "huyện Diễn Châu",
    "huyện Yên Thành",
    "huyện Nghi Lộc",
    "huyện Hưng Nguyên",
    "huyện Nam Đàn",
    "huyện Thanh Chương",
    "huyện Đô Lương",
    "huyện Anh Sơn",
    "huyện Con Cuông",
    "huyện Tân Kỳ",
    "huyện Nghĩa Đàn",
    "huyện Quỳ Hợp",
    "huyện Quỳ Châu",
    "huyện Quế Phong",
    "huyện Tương Dương",
    "huyện Kỳ Sơn",
]


def header(key: str, headers: dict[str, str]) -> str:
    return headers.get(key, key)


def communes() -> list[dict[str, str]]:
    data = json.loads(ADMIN_UNITS.read_text(encoding="utf-8"))
    return [c for c in data["communes"] if c["province_code"] == PROVINCE]


def lower_kind(name: str) -> str:
    """ "Xã Anh Sơn" -> "xã Anh Sơn", "Phường Vinh Phú" -> "phường Vinh Phú"."""
    word, _, rest = name.partition(" ")
    return f"{word.lower()} {rest}"


def police_code(commune: dict[str, str]) -> str:
    return f"CA-X{commune['code']}"


def veterans_code(commune: dict[str, str]) -> str:
    return f"CCB-X{commune['code']}"


def write(name: str, keys: list[str], rows: list[dict[str, object]], headers: dict[str, str]) -> None:
    path = OUT / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([header(k, headers) for k in keys])
        for row in rows:
            writer.writerow(["" if row.get(k) is None else row.get(k) for k in keys])
    print(f"{path.relative_to(ROOT)}: {len(rows)} dòng")


# --- units ---------------------------------------------------------------------------------


def unit_rows() -> list[dict[str, object]]:
    rows = []
    for c in communes():
        label = lower_kind(c["name"])
        rows.append(
            {
                "code": police_code(c),
                "name": f"Công an {label}",
                "short_name": f"CA {label}",
                "organisation": "cand",
                "level": "xa",
                "parent": POLICE_CODE,
                "valid_from": REFORM_DAY.strftime("%d/%m/%Y"),
            }
        )
    return rows


# --- people --------------------------------------------------------------------------------


def people_rows(chosen: list[dict[str, str]]) -> list[dict[str, object]]:
    """A few people, invented names (no real office holder is meant)."""
    first, second = chosen[0], chosen[1]
    return [
        {
            "external_id": "NA-CA-001",
            "full_name": "Hồ Đức Thịnh",
            "rank": "Đại tá",
            "positions": "Phó Giám đốc Công an tỉnh Nghệ An",
            "unit": POLICE_CODE,
            "birth_year": 1972,
            "gender": "Nam",
        },
        {
            "external_id": "NA-CA-002",
            "full_name": "Nguyễn Thị Thu Hà",
            "rank": "Thượng tá",
            "positions": "Trưởng phòng Tham mưu, Công an tỉnh Nghệ An",
            "unit": POLICE_CODE,
            "birth_year": 1978,
            "gender": "Nữ",
        },
        {
            "external_id": "NA-CA-003",
            "full_name": "Lô Văn Khánh",
            "rank": "Thiếu tá",
            "positions": f"Trưởng Công an {lower_kind(first['name'])}",
            "unit": police_code(first),
            "birth_year": 1985,
            "gender": "Nam",
        },
        {
            "external_id": "NA-CCB-001",
            "full_name": "Trần Văn Lương",
            "rank": "Đại tá",
            "positions": "Phó Chủ tịch Hội Cựu chiến binh tỉnh Nghệ An",
            "unit": VETERANS_CODE,
            "birth_year": 1961,
            "gender": "Nam",
        },
        {
            "external_id": "NA-CCB-002",
            "full_name": "Phan Đình Cảnh",
            "rank": "Trung tá",
            "positions": f"Chủ tịch Hội Cựu chiến binh {lower_kind(second['name'])}",
            "unit": veterans_code(second),
            "birth_year": 1963,
            "gender": "Nam",
        },
    ]


# --- activities ----------------------------------------------------------------------------

# (field, title template, values: {indicator: (low, high)}, lead participants, partner participants)
# Templates: {place} the commune ("xã Anh Sơn"), {hamlet} a hamlet ("xóm 3"), {year}.
COMMUNE_TEMPLATES = [
    ("Ra mắt Tổ tự quản an ninh, trật tự {hamlet}, {place}", {"to-tu-quan": (1, 1)}, (3, 8), (8, 25)),
    (
        "Phối hợp tuần tra, kiểm soát bảo đảm an ninh, trật tự ban đêm trên địa bàn {place}",
        {"tuan-tra-luot": (8, 40)},
        (3, 10),
        (8, 40),
    ),
    (
        "Tuần tra bảo đảm an ninh, trật tự dịp Tết Nguyên đán {tet} tại {place}",
        {"tuan-tra-luot": (10, 60)},
        (4, 12),
        (10, 60),
    ),
    (
        "Hòa giải mâu thuẫn, tranh chấp đất đai giữa các hộ dân ở {hamlet}, {place}",
        {"hoa-giai-thanh": (1, 2)},
        (2, 4),
        (2, 6),
    ),
    (
        "Phối hợp giải quyết vụ việc phức tạp về an ninh, trật tự ngay từ cơ sở tại {hamlet}, {place}",
        {"hoa-giai-thanh": (1, 3)},
        (2, 6),
        (3, 8),
    ),
    (
        "Tuyên truyền phòng, chống ma túy cho đoàn viên, thanh niên và học sinh {place}",
        {"tt-buoi": (1, 1), "tt-luot": (60, 350)},
        (2, 5),
        (3, 8),
    ),
    (
        "Tuyên truyền phòng, chống lừa đảo chiếm đoạt tài sản trên không gian mạng cho hội viên {place}",
        {"tt-buoi": (1, 1), "tt-luot": (40, 180)},
        (2, 4),
        (30, 120),
    ),
    (
        "Vận động nhân dân {place} giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ",
        {"tt-buoi": (1, 2), "tin-bao": (0, 3)},
        (3, 6),
        (6, 20),
    ),
    (
        "Phối hợp giáo dục, giúp đỡ người chấp hành xong án phạt tù tái hòa nhập cộng đồng tại {place}",
        {"giup-do": (1, 4)},
        (1, 3),
        (2, 6),
    ),
    (
        "Vận động hội viên Cựu chiến binh cung cấp tin báo tội phạm, tệ nạn xã hội ở {place}",
        {"tin-bao": (1, 6)},
        (2, 4),
        (10, 40),
    ),
    (
        "Xây dựng mô hình “Cựu chiến binh tham gia giữ gìn an ninh, trật tự” tại {hamlet}, {place}",
        {"mo-hinh": (1, 1), "tuan-tra-luot": (6, 20)},
        (2, 5),
        (8, 20),
    ),
    (
        "Ra mắt mô hình “Camera an ninh” do Cựu chiến binh {hamlet} đóng góp lắp đặt, {place}",
        {"mo-hinh": (1, 1)},
        (2, 4),
        (5, 15),
    ),
    (
        "Hướng dẫn người dân {place} cài đặt, kích hoạt tài khoản định danh điện tử VNeID",
        {"tt-buoi": (1, 2), "tt-luot": (50, 300)},
        (3, 8),
        (5, 15),
    ),
    (
        "Tuyên truyền Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở cho hội viên {place}",
        {"tt-buoi": (1, 1), "tt-luot": (40, 150)},
        (2, 4),
        (30, 120),
    ),
    (
        "Tuyên truyền Luật Trật tự, an toàn giao thông đường bộ cho học sinh và phụ huynh {place}",
        {"tt-buoi": (1, 1), "tt-luot": (80, 400)},
        (3, 6),
        (3, 8),
    ),
]

PROVINCE_TEMPLATES = [
    (
        "Hội nghị giao ban công tác phối hợp giữa Công an tỉnh và Hội Cựu chiến binh tỉnh Nghệ An {quarter}",
        {"tt-buoi": (1, 1), "tt-luot": (40, 90)},
        (15, 30),
        (15, 30),
    ),
    (
        "Tập huấn nghiệp vụ nắm tình hình, phát hiện, tố giác tội phạm cho cán bộ Hội Cựu chiến binh cơ sở",
        {"tt-buoi": (1, 2), "tt-luot": (120, 260)},
        (6, 12),
        (120, 260),
    ),
    (
        "Kiểm tra việc thực hiện Chương trình phối hợp tại các xã, phường khu vực {region}",
        {},
        (4, 8),
        (4, 8),
    ),
    (
        "Tọa đàm “Cựu chiến binh tham gia phong trào toàn dân bảo vệ an ninh Tổ quốc” năm {year}",
        {"tt-buoi": (1, 1), "tt-luot": (80, 200)},
        (20, 40),
        (60, 160),
    ),
]

REGIONS = ["miền Tây Nghệ An", "ven biển", "thành phố Vinh cũ", "Nam Đàn – Hưng Nguyên", "Quỳnh Lưu – Hoàng Mai"]

DESCRIPTIONS = [
    "Hai bên thống nhất nội dung, phân công lực lượng và tổ chức thực hiện đúng kế hoạch.",
    "Hoạt động được nhân dân đồng tình, hưởng ứng; không để xảy ra vụ việc phức tạp.",
    "Sau hoạt động, hai bên rút kinh nghiệm và thống nhất duy trì thường xuyên.",
    "Kết quả được báo cáo về Công an tỉnh và Hội Cựu chiến binh tỉnh theo quy chế phối hợp.",
    "",
    "",
]

RESULT_IN_WORDS = "Hai bên đã hoàn thành nội dung theo kế hoạch, kịp thời chấn chỉnh những tồn tại được phát hiện."


def festival_rows(rng: random.Random, by_name: dict[str, dict[str, str]]) -> list[dict[str, object]]:
    rows = []
    for year in (2025, 2026):
        for festival, commune_name, month in FESTIVALS:
            c = by_name[commune_name]
            day = date(year, month, rng.randint(2, 25))
            lead_is_police = True
            rows.append(
                activity(
                    rng,
                    title=f"Phối hợp bảo đảm an ninh, trật tự {festival} năm {year}",
                    start=day,
                    days=rng.randint(1, 3),
                    lead=police_code(c) if day >= REFORM_DAY else POLICE_CODE,
                    partner=veterans_code(c) if day >= REFORM_DAY else VETERANS_CODE,
                    area=c["code"] if day >= REFORM_DAY else "",
                    place=festival.removeprefix("Lễ hội ").strip(),
                    values={"tuan-tra-luot": (20, 80)},
                    lead_people=(15, 40) if lead_is_police else (20, 60),
                    partner_people=(20, 60),
                )
            )
    return rows


def activity(
    rng: random.Random,
    *,
    title: str,
    start: date,
    days: int,
    lead: str,
    partner: str,
    area: str,
    place: str,
    values: dict[str, tuple[int, int]],
    lead_people: tuple[int, int],
    partner_people: tuple[int, int],
) -> dict[str, object]:
    end = min(start + timedelta(days=days - 1), LAST_DAY)
    if start < PHASE_SPLIT <= end:  # an activity lies in one phase
        end = PHASE_SPLIT - timedelta(days=1)
    row: dict[str, object] = {
        "phase": "2026-2031" if start >= PHASE_SPLIT else "2021-2026",
        "title": title,
        "start_date": start.strftime("%d/%m/%Y"),
        "end_date": end.strftime("%d/%m/%Y"),
        "lead_unit": lead,
        "partners": partner,
        "area": area,
        "place": place,
        "participants_lead": rng.randint(*lead_people),
        "participants_partner": rng.randint(*partner_people),
        "description": rng.choice(DESCRIPTIONS),
    }
    for code, (low, high) in values.items():
        value = rng.randint(low, high)
        if value:
            row[code] = value
    if not row["description"] and not any(code in row for code in values):
        # A sent activity has a figure or a result in words.
        row["description"] = RESULT_IN_WORDS
    return row


def activity_rows(chosen_communes: list[dict[str, str]]) -> list[dict[str, object]]:
    rng = random.Random(SEED)
    all_communes = communes()
    by_name = {c["name"]: c for c in all_communes}
    rows = festival_rows(rng, by_name)
    # The provincial bodies, all along (before the reform they alone lead).
    day = FIRST_DAY
    quarter_seen: set[str] = set()
    while day <= LAST_DAY:
        template = rng.choice(PROVINCE_TEMPLATES)
        title, values, lead_people, partner_people = template
        quarter = f"quý {(day.month - 1) // 3 + 1} năm {day.year}"
        if "{quarter}" in title:
            if quarter in quarter_seen:
                day += timedelta(days=rng.randint(8, 20))
                continue
            quarter_seen.add(quarter)
        police_leads = rng.random() < 0.6
        rows.append(
            activity(
                rng,
                title=title.format(quarter=quarter, year=day.year, region=rng.choice(REGIONS)),
                start=day,
                days=rng.randint(1, 2),
                lead=POLICE_CODE if police_leads else VETERANS_CODE,
                partner=VETERANS_CODE if police_leads else POLICE_CODE,
                area="",
                place="Thành phố Vinh" if "{region}" not in title else "",
                values=values,
                lead_people=lead_people,
                partner_people=partner_people,
            )
        )
        day += timedelta(days=rng.randint(8, 20))
    # Before the reform: the districts' work, reported by the provincial bodies.
    day = FIRST_DAY
    while day < REFORM_DAY:
        title, values, lead_people, partner_people = rng.choice(
            [t for t in COMMUNE_TEMPLATES if "{hamlet}" not in t[0]]
        )
        place = rng.choice(OLD_DISTRICTS)
        police_leads = rng.random() < 0.7
        rows.append(
            activity(
                rng,
                title=title.format(place=place, tet="Ất Tỵ 2025", year=day.year),
                start=day,
                days=1,
                lead=POLICE_CODE if police_leads else VETERANS_CODE,
                partner=VETERANS_CODE if police_leads else POLICE_CODE,
                area="",
                place=place[:1].upper() + place[1:],
                values=values,
                lead_people=lead_people,
                partner_people=partner_people,
            )
        )
        day += timedelta(days=rng.randint(2, 5))
    # From the reform on: the communes' police with the communes' associations.
    day = REFORM_DAY
    while day <= LAST_DAY:
        for _ in range(rng.randint(1, 3)):
            title, values, lead_people, partner_people = rng.choice(COMMUNE_TEMPLATES)
            c = rng.choice(chosen_communes if rng.random() < 0.5 else all_communes)
            place = lower_kind(c["name"])
            police_leads = rng.random() < 0.7
            police, veterans = police_code(c), veterans_code(c)
            rows.append(
                activity(
                    rng,
                    title=title.format(place=place, hamlet=hamlet(rng), tet="Bính Ngọ 2026", year=day.year),
                    start=day,
                    days=rng.choice([1, 1, 1, 2, 3]),
                    lead=police if police_leads else veterans,
                    partner=veterans if police_leads else police,
                    area=c["code"],
                    place="",
                    values=values,
                    lead_people=lead_people,
                    partner_people=partner_people,
                )
            )
        day += timedelta(days=rng.randint(3, 6))
    rows = [r for r in rows if "Tết Nguyên đán" not in str(r["title"]) or str(r["start_date"])[3:5] in ("01", "02")]
    rows.sort(key=lambda r: (date(*reversed([int(x) for x in str(r["start_date"]).split("/")])), str(r["title"])))
    for n, row in enumerate(rows, start=1):
        row["external_id"] = f"NA-HD-{n:04d}"
    return rows


def hamlet(rng: random.Random) -> str:
    return f"{rng.choice(NEIGHBOURHOOD)} {rng.randint(1, 15)}"


INDICATOR_CODES = [
    "to-tu-quan",
    "tuan-tra-luot",
    "hoa-giai-thanh",
    "tin-bao",
    "giup-do",
    "mo-hinh",
    "tt-buoi",
    "tt-luot",
]
ACTIVITY_KEYS = [
    "external_id",
    "phase",
    "title",
    "start_date",
    "end_date",
    "lead_unit",
    "partners",
    "area",
    "place",
    "participants_lead",
    "participants_partner",
    "description",
    *INDICATOR_CODES,
]
UNIT_KEYS = ["code", "name", "short_name", "organisation", "level", "parent", "valid_from"]
PEOPLE_KEYS = ["external_id", "full_name", "rank", "positions", "unit", "birth_year", "gender"]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    all_communes = communes()
    # The communes the demo's walk-through and people use: Vinh's wards and a mountain commune.
    chosen = [c for c in all_communes if c["name"] in ("Phường Thành Vinh", "Xã Con Cuông", "Phường Vinh Phú")]
    write("don-vi.csv", UNIT_KEYS, unit_rows(), UNIT_HEADERS)
    write("nguoi.csv", PEOPLE_KEYS, people_rows(chosen), PEOPLE_HEADERS)
    write("hoat-dong.csv", ACTIVITY_KEYS, activity_rows(chosen), HEADERS | indicator_names())


if __name__ == "__main__":
    main()

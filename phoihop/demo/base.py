"""Demo data for the seed's programme: both sides' trees for the whole country, the 2017–2022
and 2022–2027 phases, the seed's people and the demo users.

Idempotent: a second run creates nothing and writes no history rows. Units are created in
bulk with their materialised paths computed here (treebeard's add_child is one query per
node; 7,000 of them take minutes).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from phoihop.accounts.models import RoleAssignment, User
from phoihop.audit.actions import default_action
from phoihop.core.gate import system_job
from phoihop.core.text import fold, person_sort_key
from phoihop.orgunits.models import (
    AdminArea,
    AdminAreaKind,
    Organisation,
    OrgUnit,
    OrgUnitLevel,
    OrgUnitPair,
    Person,
    Rank,
    SuccessionKind,
    UnitName,
)
from phoihop.programmes.models import Field, Indicator, Party, Phase, PhaseStatus, Programme, Signing, Target

DATA_FILE = Path(__file__).resolve().parent.parent / "orgunits" / "data" / "admin_units.json"
DEMO_PASSWORD = "phoihop-demo"
REFORM_DAY = date(2025, 7, 1)
LAST_OLD_DAY = date(2025, 6, 30)
HOAN_KIEM = "Phường Hoàn Kiếm"

# Units renamed before the 2025 reform, with the names they bore until then (full, short, last
# day): Thừa Thiên Huế became the centrally-run city of Huế on 1/1/2025 (Nghị quyết
# 1314/NQ-UBTVQH15). The provinces merged on 1/7/2025 keep their own units, closed that day
# under their own names, and a province whose name went on kept its bodies' names.
EARLIER_NAMES = [
    (
        "CCB-HUE",
        "Hội Cựu chiến binh tỉnh Thừa Thiên Huế",
        "Hội CCB Thừa Thiên Huế",
        date(2024, 12, 31),
    ),
    (
        "QS-HUE",
        "Bộ Chỉ huy Quân sự tỉnh Thừa Thiên Huế",
        "Bộ CHQS tỉnh Thừa Thiên Huế",
        date(2024, 12, 31),
    ),
]

# Positions an earlier load wrote without the unit they are held in, and the same in full.
POSITIONS_IN_FULL = {
    "Chủ tịch Hội CCB phường": "Chủ tịch Hội Cựu chiến binh phường Hoàn Kiếm",
    "Phó Chủ tịch Hội CCB thành phố": "Phó Chủ tịch Hội Cựu chiến binh thành phố Hà Nội",
    "Chủ tịch Hội CCB tỉnh": "Chủ tịch Hội Cựu chiến binh tỉnh Cà Mau",
    "Phó Chính ủy": "Phó Chính ủy Bộ Tư lệnh Thủ đô Hà Nội",
    "Chủ tịch Hội Cựu chiến binh phường": "Phó Chủ tịch Hội Cựu chiến binh phường Hoàn Kiếm",
    "Chi hội trưởng Chi hội 3": "Chi hội trưởng Chi hội Cựu chiến binh tổ dân phố số 3, phường Hoàn Kiếm",
    "Tổ trưởng tổ hội": "Tổ trưởng tổ hội, Chi hội Cựu chiến binh tổ dân phố số 1, phường Hoàn Kiếm",
}

LEVELS = {
    "qdnd": [
        ("central", "Trung ương", 0, False),
        ("region", "Quân khu", 1, False),
        ("province", "Tỉnh, thành phố", 2, False),
        ("district", "Quận, huyện (trước 2025)", 3, True),
        ("commune", "Xã, phường, đặc khu", 4, False),
    ],
    "ccb": [
        ("central", "Trung ương", 0, False),
        ("province", "Tỉnh, thành phố", 2, False),
        ("district", "Quận, huyện (trước 2025)", 3, True),
        ("commune", "Xã, phường, đặc khu", 4, False),
        ("branch", "Chi hội", 5, False),
    ],
}

REGIONS = [
    ("QK1", "Bộ Tư lệnh Quân khu 1", "Quân khu 1"),
    ("QK2", "Bộ Tư lệnh Quân khu 2", "Quân khu 2"),
    ("QK3", "Bộ Tư lệnh Quân khu 3", "Quân khu 3"),
    ("QK4", "Bộ Tư lệnh Quân khu 4", "Quân khu 4"),
    ("QK5", "Bộ Tư lệnh Quân khu 5", "Quân khu 5"),
    ("QK7", "Bộ Tư lệnh Quân khu 7", "Quân khu 7"),
    ("QK9", "Bộ Tư lệnh Quân khu 9", "Quân khu 9"),
]

FIELDS = [
    (
        "tuyen-truyen",
        "Tuyên truyền, giáo dục cán bộ, chiến sĩ, hội viên Cựu chiến binh và nhân dân thực hiện đường lối, "
        "chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
    ),
    ("he-thong-chinh-tri", "Xây dựng hệ thống chính trị ở cơ sở vững mạnh"),
    ("quoc-phong-an-ninh", "Củng cố quốc phòng, an ninh"),
    (
        "phong-trao",
        "Thực hiện các phong trào, các cuộc vận động do Đảng, Nhà nước, Mặt trận Tổ quốc, Quân đội, "
        "Hội Cựu chiến binh và địa phương phát động",
    ),
    ("kinh-te", "Phối hợp phát triển kinh tế"),
    ("van-hoa", "Phối hợp phát triển văn hóa"),
    ("xa-hoi", "Phối hợp thực hiện các hoạt động xã hội"),
    ("giam-ngheo", "Giảm nghèo bền vững"),
    ("doi-song", "Nâng cao đời sống hội viên Cựu chiến binh và nhân dân"),
]

INDICATORS = [
    ("tt-buoi", "tuyen-truyen", "Số buổi tuyên truyền, giáo dục đã tổ chức", "buổi"),
    ("tt-luot", "tuyen-truyen", "Số lượt người dự các buổi tuyên truyền", "lượt người"),
    ("htct-cb", "he-thong-chinh-tri", "Số lượt hội viên tham gia công tác xây dựng Đảng, chính quyền cơ sở", "lượt"),
    ("qp-hoat-dong", "quoc-phong-an-ninh", "Số hoạt động phối hợp bảo đảm quốc phòng, an ninh", "hoạt động"),
    ("pt-hoat-dong", "phong-trao", "Số hoạt động phối hợp đã tổ chức", "hoạt động"),
    ("pt-mo-hinh", "phong-trao", "Số mô hình hoạt động hiệu quả mới xây dựng", "mô hình"),
    ("pt-nhan-rong", "phong-trao", "Số đơn vị nhân rộng mô hình", "đơn vị"),
    ("pt-khen-thuong", "phong-trao", "Số tập thể, cá nhân được biểu dương, khen thưởng", "tập thể, cá nhân"),
    ("kt-von", "kinh-te", "Vốn vay, quỹ huy động giúp hội viên phát triển kinh tế", "triệu đồng"),
    ("vh-hoat-dong", "van-hoa", "Số hoạt động văn hóa, văn nghệ, thể thao phối hợp", "hoạt động"),
    ("xh-nha", "xa-hoi", "Số nhà đồng đội, nhà tình nghĩa xây mới, sửa chữa", "căn"),
    ("gn-ho", "giam-ngheo", "Số hộ hội viên Cựu chiến binh thoát nghèo", "hộ"),
    ("ds-nguoi", "doi-song", "Số người được giúp đỡ", "người"),
]

# The hard maximum of one entry (an activity, or one unit's period), per indicator: a value above
# it is refused (phoihop/figures/plausibility.py). Generous: no true figure reaches it.
MAX_PER_ENTRY = {
    "tt-buoi": 1_000,
    "tt-luot": 1_000_000,
    "htct-cb": 100_000,
    "qp-hoat-dong": 1_000,
    "pt-hoat-dong": 1_000,
    "pt-mo-hinh": 1_000,
    "pt-nhan-rong": 10_000,
    "pt-khen-thuong": 100_000,
    "kt-von": 10_000_000,
    "vh-hoat-dong": 1_000,
    "xh-nha": 10_000,
    "gn-ho": 100_000,
    "ds-nguoi": 1_000_000,
}

DEMO_USERS: list[tuple[str, str, str | None, str]] = [
    # username, full name, unit code (None: system admin), role
    ("admin", "Quản trị Hệ thống", None, ""),
    ("tcct", "Nguyễn Văn Minh", "BQP", "approver"),
    ("tuhoi", "Trần Thị Lan", "CCB-TW", "approver"),
    ("hanoi.qs", "Lê Văn Hùng", "QS-HANOI", "approver"),
    ("hanoi.ccb", "Phạm Thị Hương", "CCB-HANOI", "approver"),
    ("camau.ccb", "Võ Văn Tâm", "CCB-CAMAU", "approver"),
    ("hoankiem.ccb", "Đỗ Văn Đức", "@hoankiem", "reporter"),
]


@dataclass
class UnitSpec:
    code: str
    org: str
    name: str
    short_name: str
    level: str
    kind: str
    parent: str | None
    area: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successor: str | None = None
    succession_kind: str = ""


def province_slug(short_name: str) -> str:
    """ "Hà Nội" -> "HANOI", "Bà Rịa - Vũng Tàu" -> "BARIAVUNGTAU": the province part of unit codes."""
    return "".join(ch for ch in fold(short_name).upper() if ch.isalnum())


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _stable_int(*parts: str, low: int, high: int) -> int:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return low + int(digest[:8], 16) % (high - low + 1)


class DemoLoader:
    def __init__(self, stdout: Any = None) -> None:
        self.stdout = stdout
        self.created: dict[str, int] = defaultdict(int)
        self.data = json.loads(DATA_FILE.read_text(encoding="utf-8"))

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    @system_job("the demo data set")
    @default_action("demo.load")
    def run(self) -> dict[str, int]:
        self.load_admin_areas()
        self.load_organisations()
        self.load_units()
        self.load_unit_names()
        self.load_pairs()
        self.load_programme()
        self.load_people()
        self.load_users()
        self.load_activities()
        self.load_reporting()
        self.load_commendations()
        self.load_conferences()
        self.load_nghean()
        return dict(self.created)

    def load_activities(self) -> None:
        """Activities, figures, models, exchanges, lessons (``demo.activities``); roll-ups rebuilt."""
        from phoihop.demo.activities import load_activity_demo  # it reads the units loaded above

        for key, count in load_activity_demo(stdout=self.stdout).items():
            self.created[key] += count

    def load_reporting(self) -> None:
        """Periods, requests and reports of the reporting cycle (``demo.reporting``), after the figures."""
        from phoihop.demo.reporting import load_reporting_demo

        for key, count in load_reporting_demo(stdout=self.stdout).items():
            self.created[key] += count

    def load_commendations(self) -> None:
        """Award forms and titles, nominations at several stages and a decision (``demo.commendations``)."""
        from phoihop.demo.commendations import load_commendation_demo

        for key, count in load_commendation_demo(stdout=self.stdout).items():
            self.created[key] += count

    def load_conferences(self) -> None:
        """The seed's conference and a provincial one (``demo.conferences``), after the reports."""
        from phoihop.demo.conferences import load_conference_demo

        for key, count in load_conference_demo(stdout=self.stdout).items():
            self.created[key] += count

    def load_nghean(self) -> None:
        """The second programme, Công an tỉnh – Hội CCB tỉnh Nghệ An (``demo.nghean``): set up
        through the services and imported from the files in ``demo/data/nghean/``."""
        from phoihop.demo.nghean import load_nghean_demo

        for key, count in load_nghean_demo(stdout=self.stdout).items():
            self.created[key] += count

    # --- the state's administrative list -------------------------------------------------

    def old_goes_on(self, old: dict[str, Any]) -> bool:
        """An old province goes on as the same unit when the 2025 province keeps its code and name."""
        return bool(old["continues"] and old["name_continues"])

    def continuing_old(self) -> dict[str, dict[str, Any]]:
        """For each 2025 province, the old province whose name (and so whose bodies) went on."""
        return {o["successor_code"]: o for o in self.data["old_provinces"] if o["name_continues"]}

    def load_admin_areas(self) -> None:
        existing = set(AdminArea.objects.values_list("code", flat=True))
        rows: list[AdminArea] = []
        for p in self.data["provinces"]:
            if p["code"] not in existing:
                rows.append(
                    AdminArea(
                        code=p["code"], state_code=p["code"], name=p["name"], short_name=p["short_name"], kind=p["kind"]
                    )
                )
        for p in self.data["old_provinces"]:
            key = f"{p['code']}-cu"
            if not self.old_goes_on(p) and key not in existing:
                rows.append(
                    AdminArea(
                        code=key,
                        state_code=p["code"],
                        name=p["name"],
                        short_name=p["short_name"],
                        kind=p["kind"],
                        valid_to=LAST_OLD_DAY,
                    )
                )
        AdminArea.objects.bulk_create(rows)
        self.created["admin_areas"] += len(rows)
        by_code = {a.code: a for a in AdminArea.objects.filter(kind__in=[AdminAreaKind.CITY, AdminAreaKind.PROVINCE])}
        to_update = []
        for p in self.data["old_provinces"]:
            area = by_code.get(f"{p['code']}-cu")
            if area is not None and area.successor_id is None:
                area.successor = by_code[p["successor_code"]]
                to_update.append(area)
        AdminArea.objects.bulk_update(to_update, ["successor"])
        communes = [
            AdminArea(
                code=c["code"],
                state_code=c["code"],
                name=c["name"],
                short_name=c["name"],
                kind=c["kind"],
                parent=by_code[c["province_code"]],
                valid_from=REFORM_DAY,
            )
            for c in self.data["communes"]
            if c["code"] not in existing
        ]
        AdminArea.objects.bulk_create(communes, batch_size=1000)
        self.created["admin_areas"] += len(communes)

    # --- organisations and their trees ---------------------------------------------------

    def load_organisations(self) -> None:
        specs = [
            ("qdnd", "Quân đội nhân dân Việt Nam", "QĐND Việt Nam"),
            ("ccb", "Hội Cựu chiến binh Việt Nam", "Hội CCB Việt Nam"),
        ]
        for code, name, short in specs:
            org = Organisation.objects.filter(code=code).first()
            if org is None:
                org = Organisation(code=code, name=name, short_name=short)
                org.save()
                self.created["organisations"] += 1
            for level_code, level_name, rank, closed in LEVELS[code]:
                _, made = OrgUnitLevel.objects.get_or_create(
                    organisation=org, code=level_code, defaults={"name": level_name, "rank": rank, "closed": closed}
                )
                self.created["levels"] += int(made)

    def unit_specs(self) -> list[UnitSpec]:
        provinces = {p["code"]: p for p in self.data["provinces"]}
        specs: list[UnitSpec] = [
            UnitSpec("BQP", "qdnd", "Bộ Quốc phòng", "Bộ Quốc phòng", "central", "bo", None),
            UnitSpec(
                "TCCT",
                "qdnd",
                "Tổng cục Chính trị Quân đội nhân dân Việt Nam",
                "Tổng cục Chính trị",
                "central",
                "tong-cuc",
                "BQP",
            ),
        ]
        for code, name, short in REGIONS:
            specs.append(UnitSpec(code, "qdnd", name, short, "region", "quan-khu", "BQP"))
        specs.append(
            UnitSpec(
                "CCB-TW", "ccb", "Trung ương Hội Cựu chiến binh Việt Nam", "TW Hội CCB", "central", "trung-uong", None
            )
        )

        def army_names(p: dict[str, Any]) -> tuple[str, str]:
            if p["code"] == "01":
                return "Bộ Tư lệnh Thủ đô Hà Nội", "BTL Thủ đô Hà Nội"
            if p["code"] == "79":
                return "Bộ Tư lệnh Thành phố Hồ Chí Minh", "BTL TP Hồ Chí Minh"
            kind = "thành phố" if p["kind"] == AdminAreaKind.CITY else "tỉnh"
            return f"Bộ Chỉ huy Quân sự {kind} {p['short_name']}", f"Bộ CHQS {kind} {p['short_name']}"

        def assoc_names(p: dict[str, Any]) -> tuple[str, str]:
            kind = "thành phố" if p["kind"] == AdminAreaKind.CITY else "tỉnh"
            return f"Hội Cựu chiến binh {kind} {p['short_name']}", f"Hội CCB {p['short_name']}"

        # Provinces: each 2025 province's bodies are those of the old province whose name went
        # on; the other old provinces' bodies closed on 30/6/2025, absorbed into them, and stay
        # under the military region they belonged to.
        unit_suffix = {o["code"]: province_slug(o["short_name"]) for o in self.data["old_provinces"]}
        continuing = self.continuing_old()
        self.province_suffix = {code: unit_suffix[old["code"]] for code, old in continuing.items()}
        for old in self.data["old_provinces"]:
            goes_on = bool(old["name_continues"])
            p = provinces[old["successor_code"]] if goes_on else old
            region = p["military_region"] if goes_on else old["military_region"]
            area = p["code"] if goes_on else f"{old['code']}-cu"
            army_parent = "BQP" if region == "BTL-THUDO" else region
            a_name, a_short = army_names(p)
            c_name, c_short = assoc_names(p)
            suffix = unit_suffix[old["code"]]
            for org, prefix, name, short, parent, kind in (
                ("qdnd", "QS-", a_name, a_short, army_parent, "bo-chqs-tinh"),
                ("ccb", "CCB-", c_name, c_short, "CCB-TW", "hoi-tinh"),
            ):
                spec = UnitSpec(prefix + suffix, org, name, short, "province", kind, parent, area=area)
                if not goes_on:
                    spec.valid_to = LAST_OLD_DAY
                    spec.successor = prefix + self.province_suffix[old["successor_code"]]
                    spec.succession_kind = SuccessionKind.ABSORBED
                specs.append(spec)
        for c in self.data["communes"]:
            kind_word = _lower_first(c["name"].split(" ")[0]) if not c["name"].startswith("Đặc khu") else "đặc khu"
            rest = c["name"][len(kind_word) :].strip()
            label = f"{kind_word} {rest}"
            specs.append(
                UnitSpec(
                    f"QS-X{c['code']}",
                    "qdnd",
                    f"Ban Chỉ huy Quân sự {label}",
                    f"Ban CHQS {label}",
                    "commune",
                    "ban-chqs-xa",
                    "QS-" + self.province_suffix[c["province_code"]],
                    area=c["code"],
                    valid_from=REFORM_DAY,
                )
            )
            specs.append(
                UnitSpec(
                    f"CCB-X{c['code']}",
                    "ccb",
                    f"Hội Cựu chiến binh {label}",
                    f"Hội CCB {label}",
                    "commune",
                    "hoi-xa",
                    "CCB-" + self.province_suffix[c["province_code"]],
                    area=c["code"],
                    valid_from=REFORM_DAY,
                )
            )
        hoan_kiem = self.hoan_kiem_code()
        for i in range(1, 5):
            specs.append(
                UnitSpec(
                    f"CCB-X{hoan_kiem}-CH{i:02d}",
                    "ccb",
                    f"Chi hội Cựu chiến binh tổ dân phố số {i}, phường Hoàn Kiếm",
                    f"Chi hội CCB TDP {i}",
                    "branch",
                    "chi-hoi",
                    f"CCB-X{hoan_kiem}",
                    valid_from=REFORM_DAY,
                )
            )
        return specs

    def hoan_kiem_code(self) -> str:
        for c in self.data["communes"]:
            if c["name"] == HOAN_KIEM and c["province_code"] == "01":
                return str(c["code"])
        raise LookupError("Phường Hoàn Kiếm is missing from the administrative list")

    def load_unit_names(self) -> None:
        """The names units bore before they were renamed (``EARLIER_NAMES``), so that documents
        dated before then name them as they were (``orgunits.names``)."""
        units = dict(OrgUnit.objects.filter(code__in=[c for c, *_rest in EARLIER_NAMES]).values_list("code", "pk"))
        known = set(UnitName.objects.filter(unit_id__in=units.values()).values_list("unit_id", "valid_to"))
        rows = [
            UnitName(unit_id=units[code], name=name, short_name=short, valid_to=last)
            for code, name, short, last in EARLIER_NAMES
            if code in units and (units[code], last) not in known
        ]
        if rows:
            bulk_create_with_history(rows, UnitName, default_change_reason="demo.load")
            self.created["unit_names"] += len(rows)

    def load_units(self) -> None:
        specs = self.unit_specs()
        orgs = {o.code: o for o in Organisation.objects.all()}
        levels = {(lv.organisation.code, lv.code): lv for lv in OrgUnitLevel.objects.select_related("organisation")}
        areas = dict(AdminArea.objects.values_list("code", "pk"))
        known: dict[str, tuple[int, str, int]] = {
            code: (pk, path, depth)
            for pk, code, path, depth in OrgUnit.objects.values_list("pk", "code", "path", "depth")
        }
        # The highest child step used under each parent path, so new children append after it.
        last_step: dict[str, int] = defaultdict(int)
        for _, path, depth in known.values():
            parent_path = path[: (depth - 1) * OrgUnit.steplen]
            step = OrgUnit._str2int(path[-OrgUnit.steplen :])
            last_step[parent_path] = max(last_step[parent_path], step)
        new_units: list[OrgUnit] = []
        paths: dict[str, tuple[str, int]] = {code: (path, depth) for code, (_, path, depth) in known.items()}
        for spec in specs:
            if spec.code in paths:
                continue
            parent_path, parent_depth = paths[spec.parent] if spec.parent else ("", 0)
            last_step[parent_path] += 1
            depth = parent_depth + 1
            path = OrgUnit._get_path(parent_path, depth, last_step[parent_path])
            paths[spec.code] = (path, depth)
            new_units.append(
                OrgUnit(
                    path=path,
                    depth=depth,
                    numchild=0,
                    organisation=orgs[spec.org],
                    code=spec.code,
                    name=spec.name,
                    short_name=spec.short_name,
                    level=levels[(spec.org, spec.level)],
                    kind=spec.kind,
                    area_id=areas.get(spec.area) if spec.area else None,
                    valid_from=spec.valid_from,
                    valid_to=spec.valid_to,
                    succession_kind=spec.succession_kind,
                    succession_date=REFORM_DAY if spec.successor else None,
                    search_text=OrgUnit.build_search_text(spec.code, spec.name, spec.short_name),
                )
            )
        if not new_units:
            return
        bulk_create_with_history(new_units, OrgUnit, batch_size=1000, default_change_reason="demo.load")
        self.created["units"] += len(new_units)
        self.log(f"Đã tạo {len(new_units)} đơn vị.")
        by_code = dict(OrgUnit.objects.values_list("code", "pk"))
        successors = []
        new_codes = {u.code for u in new_units}
        for spec in specs:
            if spec.successor and spec.code in new_codes:
                successors.append(OrgUnit(pk=by_code[spec.code], successor_id=by_code[spec.successor]))
        OrgUnit.objects.bulk_update(successors, ["successor"], batch_size=1000)
        self.fix_numchild()

    def fix_numchild(self) -> None:
        rows = list(OrgUnit.objects.values_list("pk", "path", "depth", "numchild"))
        counts: dict[str, int] = defaultdict(int)
        for _, path, depth, _n in rows:
            counts[path[: (depth - 1) * OrgUnit.steplen]] += 1
        changed = [OrgUnit(pk=pk, numchild=counts[path]) for pk, path, _d, n in rows if counts[path] != n]
        OrgUnit.objects.bulk_update(changed, ["numchild"], batch_size=1000)

    def load_pairs(self) -> None:
        units = {
            u.code: u
            for u in OrgUnit.objects.filter(level__code__in=["province", "commune"]).only(
                "pk", "code", "valid_from", "valid_to"
            )
        }
        existing = set(OrgUnitPair.objects.values_list("unit_a__code", "unit_b__code"))
        pairs = []
        for code, unit in units.items():
            if not code.startswith("QS-"):
                continue
            other = units.get("CCB-" + code[3:])
            if other is None or (code, other.code) in existing:
                continue
            pairs.append(OrgUnitPair(unit_a=unit, unit_b=other, valid_from=unit.valid_from, valid_to=unit.valid_to))
        central = {u.code: u for u in OrgUnit.objects.filter(code__in=["TCCT", "CCB-TW"])}
        if ("TCCT", "CCB-TW") not in existing:
            pairs.append(
                OrgUnitPair(unit_a=central["TCCT"], unit_b=central["CCB-TW"], note="Hai cơ quan đại diện ký kết")
            )
        if pairs:
            bulk_create_with_history(pairs, OrgUnitPair, batch_size=1000, default_change_reason="demo.load")
            self.created["pairs"] += len(pairs)

    # --- the seed's programme ------------------------------------------------------------

    def load_programme(self) -> None:
        programme, made = Programme.objects.get_or_create(
            code="QDND-CCB",
            defaults={
                "title": (
                    "Chương trình phối hợp hoạt động giữa Quân đội nhân dân Việt Nam và Hội Cựu chiến binh Việt Nam"
                ),
                "summary": (
                    "Phối hợp toàn diện giữa các cơ quan, đơn vị Quân đội và tổ chức Hội Cựu chiến binh các cấp: "
                    "tuyên truyền, giáo dục; xây dựng hệ thống chính trị ở cơ sở; củng cố quốc phòng, an ninh; "
                    "các phong trào, cuộc vận động; phát triển kinh tế, văn hóa, xã hội; giảm nghèo bền vững; "
                    "nâng cao đời sống hội viên Cựu chiến binh và nhân dân."
                ),
                "legal_basis": (
                    "Pháp lệnh Cựu chiến binh số 19/2005/PL-UBTVQH11; Luật Quốc phòng số 22/2018/QH14; "
                    "Điều lệ Hội Cựu chiến binh Việt Nam."
                ),
            },
        )
        self.created["programmes"] += int(made)
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=["BQP", "TCCT", "CCB-TW"])}
        orgs = {o.code: o for o in Organisation.objects.all()}
        for order, (org, rep, root) in enumerate((("qdnd", "TCCT", "BQP"), ("ccb", "CCB-TW", "CCB-TW"))):
            _, made = Party.objects.get_or_create(
                programme=programme,
                organisation=orgs[org],
                defaults={"representative_unit": units[rep], "root_unit": units[root], "order": order},
            )
            self.created["parties"] += int(made)
        fields = {}
        for order, (code, name) in enumerate(FIELDS):
            fields[code], made = Field.objects.get_or_create(
                programme=programme, code=code, defaults={"name": name, "order": order}
            )
            self.created["fields"] += int(made)
        indicators = {}
        for order, (code, field_code, name, uom) in enumerate(INDICATORS):
            indicators[code], made = Indicator.objects.get_or_create(
                programme=programme,
                code=code,
                defaults={
                    "field": fields[field_code],
                    "name": name,
                    "unit_of_measure": uom,
                    "order": order,
                    "max_per_entry": MAX_PER_ENTRY.get(code),
                },
            )
            self.created["indicators"] += int(made)
        _old, made = Phase.objects.get_or_create(
            programme=programme,
            code="2017-2022",
            defaults={
                "name": "2017–2022",
                "start": date(2017, 9, 23),
                "end": date(2022, 9, 22),
                "status": PhaseStatus.CLOSED,
            },
        )
        self.created["phases"] += int(made)
        new, made = Phase.objects.get_or_create(
            programme=programme,
            code="2022-2027",
            defaults={
                "name": "2022–2027",
                "start": date(2022, 9, 23),
                "end": date(2027, 9, 22),
                "status": PhaseStatus.ACTIVE,
            },
        )
        self.created["phases"] += int(made)
        if not Signing.objects.filter(phase=new).exists():
            signing = Signing.objects.create(
                phase=new,
                signed_on=date(2022, 9, 23),
                place="Hà Nội",
                document_number="",
                note=(
                    "Ký kết tại Hội nghị tổng kết Chương trình phối hợp hoạt động giai đoạn 2017–2022, "
                    "do Tổng cục Chính trị QĐND Việt Nam và Hội CCB Việt Nam tổ chức."
                ),
            )
            signing.bodies.set([units["TCCT"], units["CCB-TW"]])
            self.created["signings"] += 1
        self.load_targets(new, indicators)

    def load_targets(self, phase: Phase, indicators: dict[str, Indicator]) -> None:
        if Target.objects.filter(phase=phase).exists():
            return
        chosen = ["tt-buoi", "xh-nha", "gn-ho"]
        provinces = OrgUnit.objects.filter(organisation__code="ccb", level__code="province", valid_to__isnull=True)
        rows = []
        for unit in provinces:
            for code in chosen:
                value = _stable_int(unit.code, code, low=20, high=400)
                rows.append(Target(phase=phase, unit=unit, indicator=indicators[code], value=Decimal(value)))
        bulk_create_with_history(rows, Target, default_change_reason="demo.load")
        self.created["targets"] += len(rows)

    def load_people(self) -> None:
        units = {
            u.code: u for u in OrgUnit.objects.filter(code__in=["TCCT", "CCB-TW", "CCB-HANOI", "CCB-CAMAU", "QS-HANOI"])
        }
        hoan_kiem = OrgUnit.objects.get(code=f"CCB-X{self.hoan_kiem_code()}")
        people = [
            dict(
                full_name="Nguyễn Văn Gấu",
                rank=Rank.THIEU_TUONG,
                positions=["Ủy viên Trung ương Đảng", "Phó Chủ nhiệm Tổng cục Chính trị Quân đội nhân dân Việt Nam"],
                unit=units["TCCT"],
                gender="nam",
                is_public_figure=True,
            ),
            dict(
                full_name="Khuất Việt Dũng",
                rank=Rank.TRUNG_TUONG,
                positions=["Phó Chủ tịch Hội Cựu chiến binh Việt Nam"],
                unit=units["CCB-TW"],
                gender="nam",
                is_public_figure=True,
            ),
            dict(
                full_name="Phạm Tất Thắng",
                rank="",
                positions=["Ủy viên Trung ương Đảng", "Phó Trưởng ban Thường trực Ban Dân vận Trung ương"],
                unit=None,
                affiliation="Ban Dân vận Trung ương",
                gender="nam",
                is_public_figure=True,
            ),
            # Demo members (invented names), to show scoping and search.
            dict(
                full_name="Trần Minh Đức",
                rank=Rank.DAI_UY,
                positions=[POSITIONS_IN_FULL["Chủ tịch Hội CCB phường"]],
                unit=hoan_kiem,
                birth_year=1958,
                gender="nam",
                member_card_number="HN-0001",
            ),
            dict(
                full_name="Nguyễn Thị Hòa",
                positions=["Hội viên"],
                unit=hoan_kiem,
                birth_year=1962,
                gender="nu",
                member_card_number="HN-0002",
            ),
            dict(
                full_name="Lê Quang Vinh",
                rank=Rank.THUONG_TA,
                positions=[POSITIONS_IN_FULL["Phó Chủ tịch Hội CCB thành phố"]],
                unit=units["CCB-HANOI"],
                birth_year=1960,
                gender="nam",
            ),
            dict(
                full_name="Đặng Văn Hải",
                rank=Rank.TRUNG_TA,
                positions=[POSITIONS_IN_FULL["Chủ tịch Hội CCB tỉnh"]],
                unit=units["CCB-CAMAU"],
                birth_year=1959,
                gender="nam",
                member_card_number="CM-0001",
            ),
            dict(
                full_name="Bùi Văn Toàn",
                rank=Rank.DAI_TA,
                positions=[POSITIONS_IN_FULL["Phó Chính ủy"]],
                unit=units["QS-HANOI"],
                birth_year=1972,
                gender="nam",
            ),
        ]
        self.name_positions_in_full()
        existing = set(Person.objects.values_list("full_name", flat=True))
        rows = []
        for spec in people:
            if spec["full_name"] in existing:
                continue
            person = Person(**spec)
            unit = spec.get("unit")
            unit_names = f"{unit.name} {unit.short_name}" if unit else ""
            person.sort_key = person_sort_key(person.full_name)
            person.search_text = fold(f"{person.full_name} {unit_names} {person.affiliation}")
            rows.append(person)
        if rows:
            bulk_create_with_history(rows, Person, default_change_reason="demo.load")
            self.created["people"] += len(rows)

    def name_positions_in_full(self) -> None:
        """A database loaded before holds positions without their unit ("Chủ tịch Hội CCB
        phường"): they name it now (``POSITIONS_IN_FULL``)."""
        from phoihop.demo.commendations import PEOPLE  # the commune's people, loaded later

        names = [name for name, *_rest in PEOPLE] + [
            "Trần Minh Đức",
            "Lê Quang Vinh",
            "Đặng Văn Hải",
            "Bùi Văn Toàn",
        ]
        for person in Person.objects.filter(full_name__in=names):
            positions = [POSITIONS_IN_FULL.get(p, p) for p in person.positions]
            if positions != person.positions:
                person.positions = positions
                person.save()

    def load_users(self) -> None:
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=[u[2] for u in DEMO_USERS if u[2]])}
        units["@hoankiem"] = OrgUnit.objects.get(code=f"CCB-X{self.hoan_kiem_code()}")
        for username, full_name, unit_code, role in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            parts = full_name.split()
            user = User(username=username, first_name=parts[-1], last_name=" ".join(parts[:-1]))
            # Approvers have an address: the demo writes their notices' mail to var/mail/ (ADR 0013).
            user.email = f"{username}@phoihop.example" if role == "approver" else ""
            if unit_code is None:
                user.is_superuser = True
                user.is_staff = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.created["users"] += 1
            if unit_code is not None:
                RoleAssignment.objects.create(user=user, unit=units[unit_code], role=role, valid_from=date(2022, 1, 1))

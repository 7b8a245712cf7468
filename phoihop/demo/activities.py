"""Demo activities and figures for the seed's programme (QDND-CCB), on top of ``demo.base``.

What it adds, from 23/9/2017 to ``FIXED_END`` (27/11/2026, the demo's fixed "today"):

* about 5,000 joint activities across the provinces of both sides: before 1/7/2025 led by the
  63 provinces' units of the time, from then on by today's provinces and communes; each with
  its counterpart (``OrgUnitPair``) as partner, sometimes a second partner of the other side,
  one to three indicator values, participants, a place and, after the reform, a commune;
  mostly approved, some submitted, a few recent drafts and returned ones;
* figures entered per Decree 09 half-year for the indicators not tied to one activity
  (households out of poverty, houses, people helped, loans), by a sample of provincial units;
* entry locks (approved half-year reports) for some provinces before 2025, so some entered
  figures count as approved;
* good-practice models with their replications, exchanges (some read), lessons and proposals.

Deterministic: one ``random.Random(SEED)``, units walked in code order, no set iteration, and
no dependence on the day it runs (``FIXED_END`` is a constant; only a draft's ``created_at`` is
the loading time).

Bulk and fast: every row is written with ``bulk_create`` (no history rows for generated data,
see ADR 0003), with the flags the services would set (``counted`` when
submitted or approved; ``approved`` when approved or covered by a lock), then the roll-ups are
rebuilt once by ``figures.rebuild.rebuild_rollups()``, which also recomputes today's-tree terms
from the units' successions, so it runs on every load, even when nothing new was generated.

Idempotent: every generated activity has no author (``created_by`` empty; every activity
written through the services names its author): when one exists, the generator adds nothing
(everything is written in one transaction, so either all of it exists or none does). The text
is plain prose: documents built from demo data carry a "BẢN MINH HỌA" watermark instead
(``phoihop.core.demo``). A database loaded before, whose texts ended with the old marker
``OLD_MARK``, loses it on the next load (``unmark``: one UPDATE per table).

Before the reform the state's list has no communes in this data set (today's communes start on
1/7/2025 and the data file has no old-to-new commune table), so activities of that time carry
a place in words and no ``area``.

Locks are put only on periods before 2025 and never on the provinces the demo walk-through and
the tests write in (``UNLOCKED_PROVINCES``), so that writing there is never refused.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Replace

from phoihop.activities.models import Activity, ActivityPartner, ActivityStatus
from phoihop.audit.actions import default_action
from phoihop.core.formats import vn_number
from phoihop.core.gate import system_job
from phoihop.core.services import change_reason
from phoihop.core.text import fold
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.figures.periods import PeriodKind, decree09_period
from phoihop.orgunits.models import AdminArea, OrgUnit, OrgUnitPair
from phoihop.programmes.models import Field, Indicator, Phase, Programme, Target
from phoihop.records.models import (
    Exchange,
    ExchangeKind,
    ExchangeRecipient,
    Lesson,
    PracticeModel,
    Proposal,
    ProposalHorizon,
    Replication,
)

SEED = 20220923
PROGRAMME_CODE = "QDND-CCB"
FIRST_DAY = date(2017, 9, 23)
FIXED_END = date(2026, 11, 27)
REFORM_DAY = date(2025, 7, 1)
# Drafts and returned activities only in the last half-year (15/6/2026 onwards).
RECENT = date(2026, 6, 15)
# The marker older loads appended to every generated text (removed by ``unmark``).
OLD_MARK = "(Dữ liệu minh họa.)"
# Provinces never locked: the demo's walk-through (Hà Nội, Cà Mau) and today's-tree example
# (Hòa Bình, Vĩnh Phúc → Phú Thọ), where the tests record new figures.
UNLOCKED_PROVINCES = ("HANOI", "CAMAU", "BACLIEU", "HOABINH", "PHUTHO", "VINHPHUC")
PROVINCE_WEIGHT = {"HANOI": 3.0, "HOCHIMINH": 2.0, "HOABINH": 2.0, "PHUTHO": 1.5, "CAMAU": 1.5}
HOAN_KIEM_AREA = "00070"
COMMUNES_PER_PROVINCE = 8
COMMUNE_KINDS = ("xa", "phuong", "dac-khu")
ENTERED_INDICATORS = {"ccb": ("gn-ho", "xh-nha", "ds-nguoi", "kt-von"), "qdnd": ("xh-nha", "ds-nguoi")}
ENTERED_RANGES = {"gn-ho": (15, 320), "xh-nha": (4, 90), "ds-nguoi": (120, 3500), "kt-von": (800, 60000)}

TZ = ZoneInfo(settings.TIME_ZONE)

# Tết Nguyên đán: (day, name of the lunar year).
TET = {
    2018: (date(2018, 2, 16), "Mậu Tuất"),
    2019: (date(2019, 2, 5), "Kỷ Hợi"),
    2020: (date(2020, 1, 25), "Canh Tý"),
    2021: (date(2021, 2, 12), "Tân Sửu"),
    2022: (date(2022, 2, 1), "Nhâm Dần"),
    2023: (date(2023, 1, 22), "Quý Mão"),
    2024: (date(2024, 2, 10), "Giáp Thìn"),
    2025: (date(2025, 1, 29), "Ất Tỵ"),
    2026: (date(2026, 2, 17), "Bính Ngọ"),
    2027: (date(2027, 2, 6), "Đinh Mùi"),
}

# --- what activities look like --------------------------------------------------------------


def _between(first: tuple[int, int], last: tuple[int, int]) -> Callable[[date], bool]:
    """Days from (month, day) to (month, day) of any year."""
    return lambda d: first <= (d.month, d.day) <= last


def _before_tet(d: date) -> bool:
    tet = TET.get(d.year)
    return tet is not None and tet[0] - timedelta(days=30) <= d < tet[0]


def _within(start: date, end: date) -> Callable[[date], bool]:
    return lambda d: start <= d <= end


def _elections(d: date) -> bool:
    # Elections of the National Assembly and the People's Councils: 23/5/2021 and 15/3/2026.
    return date(2021, 4, 15) <= d <= date(2021, 5, 22) or date(2026, 2, 20) <= d <= date(2026, 3, 14)


@dataclass(frozen=True)
class Template:
    """A kind of joint activity: its title, who usually leads it, its indicators and ranges."""

    title: str
    values: tuple[tuple[str, int, int], ...]
    side: str = ""  # "ccb", "qdnd" or "" (either)
    when: Callable[[date], bool] | None = None
    weight: float = 1.0
    level: str = ""  # "province", "commune" or "" (either)
    days: tuple[int, int] = (0, 0)  # how long it lasts, when it is a campaign of weeks


TEMPLATES: tuple[Template, ...] = (
    # Propaganda and education
    Template(
        "Tuyên truyền {nq} cho cán bộ, hội viên Cựu chiến binh",
        (("tt-buoi", 1, 5), ("tt-luot", 40, 500)),
        "ccb",
        weight=2,
    ),
    # A province's campaign: sessions held across its communes over some weeks.
    Template(
        "Đợt tuyên truyền {nq} cho hội viên Cựu chiến binh các cấp",
        (("tt-buoi", 10, 40), ("tt-luot", 600, 4000)),
        "ccb",
        level="province",
        weight=3,
        days=(14, 45),
    ),
    Template(
        "Đợt cao điểm tuyên truyền kỷ niệm các ngày lễ lớn, sự kiện lịch sử của đất nước",
        (("tt-buoi", 8, 30), ("tt-luot", 500, 3000)),
        "ccb",
        level="province",
        weight=1.5,
        days=(10, 30),
    ),
    Template(
        "Hội nghị quán triệt, triển khai Chương trình phối hợp hoạt động giữa Quân đội và Hội Cựu chiến binh",
        (("tt-buoi", 1, 2), ("tt-luot", 50, 300)),
        weight=1.2,
    ),
    Template(
        "Nói chuyện truyền thống cho đoàn viên thanh niên và học sinh",
        (("tt-buoi", 1, 4), ("tt-luot", 80, 500)),
        "ccb",
        weight=1.5,
    ),
    Template(
        "Tuyên truyền Luật Nghĩa vụ quân sự, Luật Quốc phòng cho hội viên và nhân dân",
        (("tt-buoi", 1, 3), ("tt-luot", 50, 400)),
        "qdnd",
        weight=1.2,
    ),
    Template(
        "Sinh hoạt chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        (("tt-buoi", 1, 3), ("tt-luot", 30, 250)),
    ),
    Template(
        "Bồi dưỡng kỹ năng đấu tranh phản bác quan điểm sai trái, thù địch trên không gian mạng",
        (("tt-buoi", 1, 2), ("tt-luot", 30, 200)),
        when=lambda d: d >= date(2019, 1, 1),
    ),
    Template(
        "Phối hợp tuyên truyền bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân các cấp",
        (("tt-buoi", 1, 4), ("tt-luot", 60, 500)),
        when=_elections,
        weight=6,
    ),
    Template(
        "Tọa đàm kỷ niệm {n_qd} năm Ngày thành lập Quân đội nhân dân Việt Nam và {n_qptd} năm Ngày hội "
        "Quốc phòng toàn dân",
        (("tt-buoi", 1, 1), ("tt-luot", 50, 250)),
        when=_between((12, 1), (12, 22)),
        weight=4,
    ),
    # A strong grassroots political system
    Template(
        "Hội viên Cựu chiến binh tham gia góp ý xây dựng Đảng, xây dựng chính quyền cơ sở",
        (("htct-cb", 20, 200),),
        "ccb",
        weight=1.5,
    ),
    Template("Tham gia giám sát, phản biện xã hội ở cơ sở", (("htct-cb", 10, 120),), "ccb"),
    Template(
        "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với hội viên Cựu chiến binh",
        (("htct-cb", 30, 200), ("tt-luot", 30, 200)),
        "ccb",
    ),
    Template(
        "Tiếp nhận, giới thiệu quân nhân xuất ngũ về sinh hoạt tại Hội Cựu chiến binh",
        (("htct-cb", 5, 60),),
        "qdnd",
        when=_between((2, 1), (4, 30)),
        weight=3,
    ),
    Template(
        "Hội nghị triển khai kiện toàn tổ chức Hội Cựu chiến binh sau sắp xếp đơn vị hành chính",
        (("htct-cb", 20, 150), ("tt-buoi", 1, 2)),
        "ccb",
        when=_within(REFORM_DAY, date(2025, 9, 30)),
        weight=8,
    ),
    # National defence and security
    Template("Hội thao quốc phòng", (("qp-hoat-dong", 1, 1), ("vh-hoat-dong", 1, 1)), "qdnd", weight=1.5),
    Template(
        "Phối hợp tuần tra, giữ gìn an ninh trật tự trên địa bàn khu dân cư",
        (("qp-hoat-dong", 1, 3), ("htct-cb", 10, 80)),
        "ccb",
        weight=1.2,
    ),
    Template(
        "Tham gia huấn luyện, diễn tập khu vực phòng thủ",
        (("qp-hoat-dong", 1, 2),),
        "qdnd",
        level="province",
        when=lambda d: d < REFORM_DAY,
    ),
    Template(
        "Tham gia diễn tập phòng thủ dân sự, ứng phó thiên tai cấp xã",
        (("qp-hoat-dong", 1, 2), ("ds-nguoi", 20, 150)),
        "qdnd",
        level="commune",
    ),
    Template(
        "Phối hợp tổ chức lễ giao nhận quân năm {y}",
        (("qp-hoat-dong", 1, 1), ("tt-luot", 100, 500)),
        "qdnd",
        when=_between((1, 20), (2, 28)),
        weight=5,
    ),
    Template(
        "Phối hợp phòng, chống thiên tai, tìm kiếm cứu nạn mùa mưa bão",
        (("qp-hoat-dong", 1, 2), ("ds-nguoi", 30, 400)),
        when=_between((7, 15), (11, 30)),
        weight=2,
    ),
    # Emulation movements and campaigns
    Template(
        "Phát động phong trào thi đua “Cựu chiến binh gương mẫu”",
        (("pt-hoat-dong", 1, 1), ("tt-luot", 50, 300)),
        "ccb",
    ),
    Template(
        "Hưởng ứng Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”",
        (("pt-hoat-dong", 1, 2),),
    ),
    Template(
        "Ra mắt mô hình “Cựu chiến binh tham gia bảo vệ môi trường”",
        (("pt-mo-hinh", 1, 1), ("pt-hoat-dong", 1, 1)),
        "ccb",
        weight=0.6,
    ),
    Template(
        "Ra mắt mô hình “Khu dân cư an toàn về an ninh, trật tự”",
        (("pt-mo-hinh", 1, 1), ("qp-hoat-dong", 1, 1)),
        weight=0.6,
    ),
    Template(
        "Hội nghị nhân rộng mô hình “Dân vận khéo”", (("pt-nhan-rong", 2, 10), ("pt-hoat-dong", 1, 1)), weight=0.8
    ),
    Template(
        "Sơ kết phong trào thi đua, biểu dương tập thể, cá nhân tiêu biểu",
        (("pt-khen-thuong", 5, 30), ("pt-hoat-dong", 1, 1)),
        when=_between((6, 1), (7, 15)),
        weight=2,
    ),
    Template(
        "Tổng kết năm, biểu dương, khen thưởng tập thể, cá nhân có thành tích xuất sắc",
        (("pt-khen-thuong", 5, 40),),
        when=_between((11, 20), (12, 31)),
        weight=2,
    ),
    # Economic development
    Template(
        "Hỗ trợ vốn vay phát triển sản xuất cho hội viên Cựu chiến binh",
        (("kt-von", 100, 2000), ("ds-nguoi", 5, 60)),
        "ccb",
        weight=2,
    ),
    Template(
        "Tập huấn chuyển giao tiến bộ khoa học kỹ thuật trong chăn nuôi, trồng trọt",
        (("ds-nguoi", 20, 150), ("tt-buoi", 1, 2)),
        "ccb",
    ),
    Template("Trao bò giống cho hội viên nghèo phát triển kinh tế", (("kt-von", 50, 300), ("ds-nguoi", 2, 15))),
    Template(
        "Biểu dương doanh nghiệp, trang trại, gia trại Cựu chiến binh sản xuất, kinh doanh giỏi",
        (("pt-khen-thuong", 5, 40), ("kt-von", 200, 1500)),
        "ccb",
        level="province",
    ),
    # Culture
    Template(
        "Giao lưu văn nghệ “Hát mãi khúc quân hành”",
        (("vh-hoat-dong", 1, 1), ("tt-luot", 100, 500)),
        weight=1.2,
    ),
    Template("Giải bóng chuyền hơi Cựu chiến binh", (("vh-hoat-dong", 1, 2),), "ccb"),
    Template(
        "Gặp mặt kỷ niệm {n_304} năm Ngày giải phóng miền Nam, thống nhất đất nước (30/4/1975 – 30/4/{y})",
        (("vh-hoat-dong", 1, 1), ("tt-luot", 50, 400)),
        when=_between((4, 10), (4, 30)),
        weight=5,
    ),
    Template(
        "Gặp mặt kỷ niệm {n_dbp} năm Chiến thắng Điện Biên Phủ (7/5/1954 – 7/5/{y})",
        (("vh-hoat-dong", 1, 1), ("tt-luot", 40, 300)),
        when=_between((4, 25), (5, 7)),
        weight=4,
    ),
    Template(
        "Kỷ niệm {n_ccb} năm Ngày truyền thống Hội Cựu chiến binh Việt Nam (6/12/1989 – 6/12/{y})",
        (("vh-hoat-dong", 1, 1), ("tt-luot", 50, 300)),
        "ccb",
        when=_between((11, 20), (12, 6)),
        weight=5,
    ),
    Template(
        "Xây dựng gia đình văn hóa, khu dân cư văn hóa",
        (("vh-hoat-dong", 1, 2), ("htct-cb", 10, 80)),
        "ccb",
        level="commune",
    ),
    # Society
    Template(
        "Trao nhà đồng đội cho hội viên Cựu chiến binh có hoàn cảnh khó khăn",
        (("xh-nha", 1, 3), ("kt-von", 50, 250)),
        weight=2,
    ),
    Template("Khởi công xây dựng nhà tình nghĩa", (("xh-nha", 1, 2),), "qdnd"),
    Template(
        "Thăm, tặng quà gia đình chính sách nhân kỷ niệm {n_tbls} năm Ngày Thương binh – Liệt sĩ "
        "(27/7/1947 – 27/7/{y})",
        (("ds-nguoi", 20, 300),),
        when=_between((7, 1), (7, 27)),
        weight=6,
    ),
    Template(
        "Khám bệnh, cấp thuốc miễn phí cho Cựu chiến binh, gia đình chính sách và nhân dân",
        (("ds-nguoi", 100, 600),),
        "qdnd",
    ),
    Template("Tham gia tìm kiếm, quy tập hài cốt liệt sĩ", (("qp-hoat-dong", 1, 1),), "qdnd", level="province"),
    # Sustainable poverty reduction
    Template(
        "Giúp hội viên Cựu chiến binh nghèo thoát nghèo bền vững",
        (("gn-ho", 1, 15), ("kt-von", 50, 500)),
        "ccb",
        weight=1.8,
    ),
    Template("Trao sinh kế cho hộ hội viên nghèo, cận nghèo", (("gn-ho", 1, 5), ("ds-nguoi", 5, 30)), weight=1.2),
    Template(
        "Tổng kết mô hình “Cựu chiến binh giúp nhau giảm nghèo”",
        (("gn-ho", 5, 30), ("pt-nhan-rong", 1, 6)),
        "ccb",
        level="province",
    ),
    # Living standards of veterans and the people
    Template(
        "Thăm hỏi, tặng quà hội viên có hoàn cảnh khó khăn dịp Tết Nguyên đán {tet}",
        (("ds-nguoi", 20, 300),),
        when=_before_tet,
        weight=6,
    ),
    Template(
        "Giúp hội viên và nhân dân khắc phục hậu quả mưa lũ",
        (("ds-nguoi", 20, 200), ("xh-nha", 1, 3)),
        when=_between((8, 1), (11, 30)),
        weight=2,
    ),
    Template(
        "Thăm, tặng quà hội viên là nạn nhân chất độc da cam/dioxin nhân Ngày vì nạn nhân chất độc da cam (10/8)",
        (("ds-nguoi", 5, 60),),
        "ccb",
        when=_between((7, 25), (8, 10)),
        weight=4,
    ),
    Template(
        "Trao học bổng cho con hội viên Cựu chiến binh vượt khó, học giỏi",
        (("ds-nguoi", 10, 100),),
        when=_between((8, 10), (9, 10)),
        weight=3,
    ),
    Template("Thăm, tặng quà Mẹ Việt Nam anh hùng, thương binh nặng", (("ds-nguoi", 5, 50),), "qdnd"),
    Template(
        "Hỗ trợ nhân dân phòng, chống dịch COVID-19",
        (("ds-nguoi", 50, 500),),
        when=_within(date(2020, 3, 1), date(2021, 12, 31)),
        weight=5,
    ),
)

RESULT_PHRASES = {
    "tt-buoi": "{n} buổi tuyên truyền",
    "tt-luot": "{n} lượt người tham dự",
    "htct-cb": "{n} lượt hội viên tham gia",
    "qp-hoat-dong": "{n} hoạt động bảo đảm quốc phòng, an ninh",
    "pt-hoat-dong": "{n} hoạt động phong trào",
    "pt-mo-hinh": "{n} mô hình mới",
    "pt-nhan-rong": "{n} đơn vị nhân rộng mô hình",
    "pt-khen-thuong": "{n} tập thể, cá nhân được biểu dương",
    "kt-von": "{n} triệu đồng vốn hỗ trợ",
    "vh-hoat-dong": "{n} hoạt động văn hóa, thể thao",
    "xh-nha": "{n} căn nhà đồng đội, nhà tình nghĩa",
    "gn-ho": "{n} hộ hội viên thoát nghèo",
    "ds-nguoi": "{n} người được giúp đỡ",
}

RETURN_REASONS = (
    "Đề nghị bổ sung danh sách người tham gia và ảnh hoạt động.",
    "Số liệu vốn hỗ trợ chưa khớp với báo cáo của đơn vị phối hợp; đề nghị kiểm tra lại.",
    "Đề nghị ghi rõ địa điểm và thành phần tham gia của đơn vị phối hợp.",
)

# --- models, exchanges, lessons, proposals ------------------------------------------------

MODELS: tuple[tuple[str, str, str, str], ...] = (
    # name, field, side, what it does
    (
        "Cựu chiến binh giúp nhau giảm nghèo",
        "giam-ngheo",
        "ccb",
        "Hội viên khá giả nhận đỡ đầu hộ hội viên nghèo: cho vay vốn không lãi, hướng dẫn cách làm ăn, "
        "giới thiệu việc làm cho con em.",
    ),
    (
        "Khu dân cư an toàn về an ninh, trật tự",
        "quoc-phong-an-ninh",
        "ccb",
        "Tổ Cựu chiến binh tự quản phối hợp với dân quân tuần tra, hòa giải mâu thuẫn và tố giác tội phạm "
        "ngay tại khu dân cư.",
    ),
    (
        "Dân vận khéo trong Cựu chiến binh",
        "he-thong-chinh-tri",
        "ccb",
        "Hội viên là người có uy tín vận động nhân dân hiến đất làm đường, giải phóng mặt bằng và thực hiện "
        "chính sách tại cơ sở.",
    ),
    (
        "Ngôi nhà đồng đội",
        "xa-hoi",
        "qdnd",
        "Cơ quan quân sự và Hội Cựu chiến binh góp công, góp vốn xây mới, sửa chữa nhà cho hội viên có hoàn "
        "cảnh khó khăn về nhà ở.",
    ),
    (
        "Cựu chiến binh tham gia bảo vệ môi trường",
        "van-hoa",
        "ccb",
        "Mỗi chi hội nhận chăm sóc một tuyến đường xanh, sạch, đẹp; phân loại rác tại nguồn trong gia đình hội viên.",
    ),
    (
        "Tổ tiết kiệm và vay vốn Cựu chiến binh",
        "kinh-te",
        "ccb",
        "Tổ nhận ủy thác của Ngân hàng Chính sách xã hội, bình xét công khai, giúp hội viên tiếp cận vốn ưu đãi "
        "đúng đối tượng.",
    ),
    (
        "Câu lạc bộ Cựu chiến binh với giáo dục truyền thống",
        "tuyen-truyen",
        "ccb",
        "Cựu chiến binh kể chuyện chiến trường, giới thiệu di tích lịch sử cho học sinh và thanh niên chuẩn bị "
        "nhập ngũ.",
    ),
    (
        "Đồng hành cùng thanh niên lên đường nhập ngũ",
        "quoc-phong-an-ninh",
        "qdnd",
        "Ban Chỉ huy Quân sự và Hội Cựu chiến binh thăm gia đình tân binh, theo dõi và giới thiệu việc làm khi "
        "quân nhân xuất ngũ.",
    ),
    (
        "Thắp sáng đường quê",
        "xa-hoi",
        "ccb",
        "Hội viên góp tiền, góp công lắp đèn chiếu sáng đường thôn, xóm, bảo đảm an toàn giao thông và an ninh "
        "ban đêm.",
    ),
    (
        "Doanh nghiệp Cựu chiến binh đỡ đầu hội viên khởi nghiệp",
        "kinh-te",
        "ccb",
        "Doanh nghiệp, trang trại của Cựu chiến binh nhận lao động là hội viên, con em hội viên và bao tiêu sản "
        "phẩm cho hộ khởi nghiệp.",
    ),
    (
        "Tủ sách pháp luật Cựu chiến binh",
        "tuyen-truyen",
        "ccb",
        "Tủ sách đặt tại nhà văn hóa, hội viên luân phiên giới thiệu văn bản pháp luật mới trong sinh hoạt chi hội.",
    ),
    (
        "Tổ hòa giải Cựu chiến binh ở cơ sở",
        "he-thong-chinh-tri",
        "ccb",
        "Hội viên tham gia tổ hòa giải, giải quyết từ sớm các mâu thuẫn trong gia đình và cộng đồng dân cư.",
    ),
    (
        "Quân dân y kết hợp chăm sóc sức khỏe Cựu chiến binh",
        "doi-song",
        "qdnd",
        "Quân y tổ chức khám bệnh định kỳ, tư vấn sức khỏe và cấp thuốc cho Cựu chiến binh cao tuổi, neo đơn.",
    ),
    (
        "Vườn cây Cựu chiến binh gương mẫu",
        "phong-trao",
        "ccb",
        "Mỗi hội viên gương mẫu trồng và chăm sóc cây xanh, cải tạo vườn tạp thành vườn cây ăn quả có thu nhập.",
    ),
    (
        "Cựu chiến binh tham gia tìm kiếm, quy tập hài cốt liệt sĩ",
        "xa-hoi",
        "qdnd",
        "Cựu chiến binh cung cấp thông tin, dẫn đường cho các đội tìm kiếm, quy tập hài cốt liệt sĩ.",
    ),
    (
        "Sổ tay Cựu chiến binh số",
        "tuyen-truyen",
        "ccb",
        "Nhóm trao đổi trực tuyến của chi hội đưa tin chính thống, kịp thời phản bác thông tin sai trái trên "
        "không gian mạng.",
    ),
    (
        "Chi hội Cựu chiến binh không có hộ nghèo",
        "giam-ngheo",
        "ccb",
        "Chi hội rà soát từng hộ, giao hội viên phụ trách, hỗ trợ giống, vốn và ngày công đến khi hộ thoát nghèo.",
    ),
    (
        "Bếp ăn nghĩa tình Cựu chiến binh",
        "doi-song",
        "ccb",
        "Hội viên góp gạo, thực phẩm nấu suất ăn miễn phí cho bệnh nhân nghèo tại bệnh viện tuyến tỉnh.",
    ),
    (
        "Dân quân và Cựu chiến binh cùng giữ bình yên thôn, tổ dân phố",
        "quoc-phong-an-ninh",
        "qdnd",
        "Ban Chỉ huy Quân sự cấp xã và chi hội Cựu chiến binh lập tổ tuần tra chung, diễn tập phòng cháy, chữa "
        "cháy ở khu dân cư.",
    ),
    (
        "Nghĩa tình đồng đội sau sắp xếp đơn vị hành chính",
        "doi-song",
        "ccb",
        "Hội Cựu chiến binh cấp xã mới rà soát, nối lại danh sách hội viên, thăm hỏi hội viên ốm đau, neo đơn "
        "ngay sau khi hợp nhất.",
    ),
)

MODEL_RESULTS = (
    "Sau một năm, mô hình đã giúp {a} hộ hội viên cải thiện đời sống và được cấp ủy, chính quyền đánh giá cao.",
    "Mô hình thu hút {a} hội viên tham gia, được biểu dương tại hội nghị sơ kết Chương trình phối hợp.",
    "Đến nay mô hình duy trì đều đặn, huy động được {a} triệu đồng từ hội viên và nhà hảo tâm.",
)

LESSONS: tuple[tuple[str, str, str], ...] = (
    (
        "tuyen-truyen",
        "Quán triệt sâu rộng để mỗi cán bộ, hội viên hiểu rõ Chương trình phối hợp",
        "Phải thường xuyên quán triệt, nâng cao nhận thức của cấp ủy, chỉ huy, hội viên về vị trí, ý nghĩa của "
        "Chương trình phối hợp; nội dung tuyên truyền ngắn gọn, gắn với việc làm cụ thể ở cơ sở.",
    ),
    (
        "he-thong-chinh-tri",
        "Phát huy vai trò nêu gương của Cựu chiến binh trong xây dựng cơ sở",
        "Cựu chiến binh là cấp ủy viên, trưởng thôn, tổ trưởng dân phố gương mẫu thì phong trào ở cơ sở chuyển "
        "biến rõ; cần phân công cụ thể từng hội viên phụ trách từng việc.",
    ),
    (
        "quoc-phong-an-ninh",
        "Gắn phối hợp với nhiệm vụ quân sự, quốc phòng địa phương",
        "Kế hoạch phối hợp xây dựng sát với nhiệm vụ quân sự, quốc phòng hằng năm của địa phương thì tổ chức "
        "thuận lợi, hiệu quả; tránh hình thức, chạy theo số lượng.",
    ),
    (
        "phong-trao",
        "Chọn điểm, làm mẫu rồi nhân rộng",
        "Mô hình mới cần chọn nơi có điều kiện làm điểm, tổng kết rút kinh nghiệm rồi mới nhân rộng; kịp thời "
        "biểu dương tập thể, cá nhân điển hình.",
    ),
    (
        "kinh-te",
        "Vốn vay đi kèm hướng dẫn cách làm ăn",
        "Hỗ trợ vốn phải đi đôi với tập huấn kỹ thuật, theo dõi sử dụng vốn; hộ được giúp cần có kế hoạch sản "
        "xuất cụ thể để thoát nghèo bền vững.",
    ),
    (
        "xa-hoi",
        "Huy động nguồn lực xã hội hóa minh bạch",
        "Công khai danh sách hộ được hỗ trợ nhà ở và nguồn kinh phí; phối hợp chặt với chính quyền để hoàn thành "
        "đúng tiến độ, đúng đối tượng.",
    ),
    (
        "giam-ngheo",
        "Rà soát hộ nghèo chính xác từ chi hội",
        "Việc rà soát hộ nghèo bắt đầu từ chi hội, có sự tham gia của Ban Chỉ huy Quân sự cấp xã, giúp hỗ trợ "
        "đúng người, đúng nhu cầu.",
    ),
    (
        "doi-song",
        "Thăm hỏi kịp thời, đúng lúc",
        "Nắm chắc hoàn cảnh hội viên ốm đau, neo đơn để thăm hỏi kịp thời; phối hợp với quân y tổ chức khám "
        "bệnh định kỳ cho hội viên cao tuổi.",
    ),
    (
        "",
        "Giao ban định kỳ giữa hai bên",
        "Duy trì giao ban 6 tháng một lần giữa cơ quan quân sự và Hội Cựu chiến binh cùng cấp, trao đổi thông tin "
        "thường xuyên, thống nhất số liệu trước khi báo cáo.",
    ),
    (
        "van-hoa",
        "Hoạt động văn hóa gắn với giáo dục truyền thống",
        "Các buổi giao lưu văn nghệ, thể thao nên kết hợp nói chuyện truyền thống, thu hút thanh niên cùng tham gia.",
    ),
)

PROPOSALS: tuple[tuple[str, str, str, str], ...] = (
    # horizon, field, title, content
    (
        ProposalHorizon.NEXT_PHASE,
        "",
        "Đề xuất phương hướng, nhiệm vụ phối hợp giai đoạn tiếp theo",
        "Tiếp tục ký kết Chương trình phối hợp giai đoạn mới với nội dung trọng tâm: giáo dục chính trị, tư tưởng; "
        "xây dựng cơ sở vững mạnh; giảm nghèo bền vững; chăm lo đời sống hội viên.",
    ),
    (
        ProposalHorizon.NEXT_PHASE,
        "giam-ngheo",
        "Đề xuất mục tiêu giảm nghèo bền vững cho hội viên Cựu chiến binh",
        "Phấn đấu cơ bản không còn hộ hội viên nghèo vào cuối giai đoạn; ưu tiên vốn vay và nhà ở cho hộ cận "
        "nghèo, hộ có nạn nhân chất độc da cam.",
    ),
    (
        ProposalHorizon.NEXT_PERIOD,
        "quoc-phong-an-ninh",
        "Đề xuất nhiệm vụ phối hợp về quốc phòng, an ninh kỳ tới",
        "Phối hợp tham gia diễn tập khu vực phòng thủ, tuyên truyền Luật Nghĩa vụ quân sự và tổ chức tốt lễ "
        "giao nhận quân.",
    ),
    (
        ProposalHorizon.NEXT_PERIOD,
        "xa-hoi",
        "Đề xuất xây dựng nhà đồng đội kỳ tới",
        "Đề nghị cấp trên hỗ trợ kinh phí xây mới, sửa chữa nhà đồng đội cho hội viên còn khó khăn về nhà ở; "
        "phối hợp huy động ngày công của dân quân.",
    ),
    (
        ProposalHorizon.NEXT_PERIOD,
        "",
        "Đề xuất hoàn thiện cơ chế trao đổi thông tin sau sắp xếp đơn vị hành chính",
        "Thống nhất đầu mối trao đổi thông tin giữa Ban Chỉ huy Quân sự và Hội Cựu chiến binh cấp xã mới; báo cáo "
        "số liệu theo kỳ 6 tháng trên hệ thống chung.",
    ),
)


def _tet_near(d: date) -> bool:
    return any(0 < (tet - d).days <= 45 for tet, _name in TET.values())


@dataclass(frozen=True)
class Subject:
    """What an exchange is about, who sends it (side; a province to its communes or not) and when."""

    kind: str
    text: str
    side: str = ""
    when: Callable[[date], bool] | None = None
    to_communes: bool = False

    def fits(self, side: str, day: date, to_communes: bool) -> bool:
        return (
            self.to_communes == to_communes
            and (not self.side or self.side == side)
            and (self.when is None or self.when(day))
        )


_NOTICE, _QUICK, _BRIEFING = ExchangeKind.NOTICE, ExchangeKind.QUICK_REPORT, ExchangeKind.BRIEFING
_AFTER_REFORM = _within(REFORM_DAY + timedelta(days=5), date(2025, 9, 30))
EXCHANGE_SUBJECTS: tuple[Subject, ...] = (
    # Between counterparts
    Subject(
        _NOTICE,
        "Thông báo kế hoạch phối hợp tổ chức Ngày hội Quốc phòng toàn dân năm {y}",
        "qdnd",
        _between((10, 15), (12, 10)),
    ),
    Subject(
        _NOTICE,
        "Thông báo kế hoạch thăm, tặng quà gia đình chính sách nhân Ngày Thương binh – Liệt sĩ năm {y}",
        when=_between((6, 15), (7, 20)),
    ),
    Subject(
        _NOTICE, "Hướng dẫn báo cáo sơ kết 6 tháng đầu năm {y} Chương trình phối hợp", when=_between((5, 10), (6, 5))
    ),
    Subject(
        _NOTICE, "Thông báo kế hoạch phối hợp tổ chức lễ giao nhận quân năm {y}", "qdnd", _between((1, 5), (2, 10))
    ),
    Subject(
        _QUICK,
        "Báo cáo nhanh kết quả hỗ trợ hội viên khắc phục hậu quả mưa lũ tháng {m}/{y}",
        "ccb",
        _between((8, 1), (11, 30)),
    ),
    Subject(_QUICK, "Báo cáo nhanh kết quả trao nhà đồng đội tháng {m}/{y}"),
    Subject(_QUICK, "Báo cáo nhanh kết quả Hội thao quốc phòng năm {y}", "qdnd"),
    Subject(_BRIEFING, "Giao ban Chương trình phối hợp quý {q} năm {y}"),
    Subject(_BRIEFING, "Trao đổi kinh nghiệm nhân rộng mô hình “Dân vận khéo”"),
    Subject(_BRIEFING, "Trao đổi thống nhất số liệu trước kỳ báo cáo tháng {m}/{y}"),
    # From a province to its communes (after the reform)
    Subject(
        _NOTICE,
        "Hướng dẫn kiện toàn tổ chức Hội Cựu chiến binh cấp xã sau sắp xếp đơn vị hành chính",
        "ccb",
        _AFTER_REFORM,
        True,
    ),
    Subject(
        _NOTICE,
        "Hướng dẫn kiện toàn Ban Chỉ huy Quân sự cấp xã sau sắp xếp đơn vị hành chính",
        "qdnd",
        _AFTER_REFORM,
        True,
    ),
    Subject(
        _NOTICE,
        "Hướng dẫn báo cáo số liệu Chương trình phối hợp 6 tháng cuối năm {y}",
        "",
        _between((11, 1), (12, 5)),
        True,
    ),
    Subject(
        _NOTICE,
        "Hướng dẫn báo cáo số liệu Chương trình phối hợp 6 tháng đầu năm {y}",
        "",
        _between((5, 10), (6, 5)),
        True,
    ),
    Subject(
        _NOTICE,
        "Thông báo kế hoạch kỷ niệm Ngày truyền thống Hội Cựu chiến binh Việt Nam (6/12/1989 – 6/12/{y})",
        "ccb",
        _between((10, 20), (11, 30)),
        True,
    ),
    Subject(
        _NOTICE,
        "Thông báo kế hoạch tổ chức Ngày hội Quốc phòng toàn dân năm {y}",
        "qdnd",
        _between((10, 15), (12, 10)),
        True,
    ),
    Subject(_NOTICE, "Thông báo kế hoạch thăm, tặng quà hội viên dịp Tết Nguyên đán {tet}", "", _tet_near, True),
    Subject(_NOTICE, "Thông báo kết quả giao ban Chương trình phối hợp quý {q} năm {y}", "", None, True),
    Subject(_NOTICE, "Hướng dẫn nhân rộng mô hình “Dân vận khéo” ở cơ sở", "", None, True),
)

EXCHANGE_BODY = (
    "Đề nghị các đơn vị triển khai thực hiện, báo cáo kết quả về cơ quan thường trực trước ngày 14 của tháng "
    "cuối kỳ. Trong quá trình thực hiện có vướng mắc, trao đổi trực tiếp với đầu mối của hai bên."
)


# --- the units and people the generator works with --------------------------------------------


@dataclass(frozen=True)
class UnitInfo:
    pk: int
    code: str
    org: str
    level: str
    name: str
    short_name: str
    path: str
    area_id: int | None
    valid_from: date | None
    valid_to: date | None
    successor_id: int | None

    def open_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    @property
    def slug(self) -> str:
        """The province part of a provincial unit's code: CCB-HOABINH -> HOABINH."""
        return self.code.split("-", 1)[1]

    @property
    def display(self) -> str:
        return self.short_name or self.name


@dataclass
class Context:
    programme: Programme
    phases: list[Phase]
    indicators: dict[str, Indicator]
    fields: dict[str, Field]
    units: dict[int, UnitInfo]
    by_code: dict[str, UnitInfo]
    by_path: dict[str, UnitInfo]
    counterparts: dict[int, list[tuple[int, date | None, date | None]]]
    communes_of_area: dict[int, list[tuple[int, str, str]]]  # province area -> [(area id, name, kind)]
    area_names: dict[int, str]
    users: dict[str, Any]
    targets: dict[tuple[int, str], int]  # (today's unit, indicator code) -> the phase's target
    # Today's commune units by ("CCB-X" or "QS-X", commune area id).
    commune_units: dict[tuple[str, int], UnitInfo] = field(default_factory=dict)
    # For each of today's provinces, how many provinces of the time went into it (itself included).
    merged: dict[int, int] = field(default_factory=dict)
    # Provincial units before the reform (63 per side) and today's (34 per side), by slug.
    old_slugs: list[str] = field(default_factory=list)
    new_slugs: list[str] = field(default_factory=list)
    # Today's commune units per today's province slug and side: a small sample of each.
    commune_sample: dict[tuple[str, str], list[UnitInfo]] = field(default_factory=dict)


def _load_context(programme: Programme) -> Context:
    rows = OrgUnit.objects.filter(level__code__in=["central", "region", "province", "commune"]).values_list(
        "pk",
        "code",
        "organisation__code",
        "level__code",
        "name",
        "short_name",
        "path",
        "area_id",
        "valid_from",
        "valid_to",
        "successor_id",
    )
    units = {r[0]: UnitInfo(*r) for r in rows}
    counterparts: dict[int, list[tuple[int, date | None, date | None]]] = defaultdict(list)
    for a, b, start, end in OrgUnitPair.objects.order_by("pk").values_list(
        "unit_a_id", "unit_b_id", "valid_from", "valid_to"
    ):
        counterparts[a].append((b, start, end))
        counterparts[b].append((a, start, end))
    communes: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for pk, name, kind, parent in (
        AdminArea.objects.filter(kind__in=COMMUNE_KINDS).order_by("code").values_list("pk", "name", "kind", "parent_id")
    ):
        communes[parent].append((pk, name, kind))
    users = {u.username: u for u in _user_model().objects.filter(username__in=_DEMO_USERNAMES)}
    ctx = Context(
        programme=programme,
        phases=list(Phase.objects.filter(programme=programme).order_by("start")),
        indicators={i.code: i for i in Indicator.objects.filter(programme=programme)},
        fields={f.code: f for f in Field.objects.filter(programme=programme)},
        units=units,
        by_code={u.code: u for u in units.values()},
        by_path={u.path: u for u in units.values()},
        counterparts=dict(counterparts),
        communes_of_area=dict(communes),
        area_names=dict(AdminArea.objects.values_list("pk", "name")),
        users=users,
        targets={
            (unit_id, code): int(value)
            for unit_id, code, value in Target.objects.filter(phase__programme=programme).values_list(
                "unit_id", "indicator__code", "value"
            )
        },
    )
    provinces = sorted((u for u in units.values() if u.level == "province" and u.org == "ccb"), key=lambda u: u.code)
    ctx.old_slugs = [u.slug for u in provinces if f"QS-{u.slug}" in ctx.by_code]
    ctx.new_slugs = [u.slug for u in provinces if u.valid_to is None and f"QS-{u.slug}" in ctx.by_code]
    merged: dict[int, int] = defaultdict(lambda: 1)
    for u in units.values():
        if u.level == "commune" and u.area_id is not None:
            ctx.commune_units[(u.code[: u.code.index("X") + 1], u.area_id)] = u
        if u.level == "province" and u.successor_id is not None:
            merged[u.successor_id] += 1
    ctx.merged = dict(merged)
    return ctx


_DEMO_USERNAMES = ("tcct", "tuhoi", "hanoi.qs", "hanoi.ccb", "camau.ccb", "hoankiem.ccb")


def _user_model() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model()


# --- helpers --------------------------------------------------------------------------------


vn_int = vn_number


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _at(day: date, rng: random.Random, first_hour: int = 7, last_hour: int = 17) -> datetime:
    return datetime.combine(day, time(rng.randint(first_hour, last_hour), rng.choice((0, 15, 30, 45))), tzinfo=TZ)


def _title_vars(day: date) -> dict[str, Any]:
    y = day.year
    if day < date(2021, 3, 1):
        nq = "Nghị quyết Đại hội XII của Đảng"
    elif day < date(2026, 1, 1):
        nq = "Nghị quyết Đại hội XIII của Đảng"
    else:
        nq = "các nghị quyết, chỉ thị mới của Đảng"
    tet = next((t for t in sorted(TET.values()) if t[0] >= day), (day, ""))
    return {
        "y": y,
        "nq": nq,
        "tet": f"{tet[1]} {tet[0].year}",
        "n_qd": y - 1944,
        "n_qptd": y - 1989,
        "n_ccb": y - 1989,
        "n_304": y - 1975,
        "n_dbp": y - 1954,
        "n_tbls": y - 1947,
    }


def _phase_of(ctx: Context, day: date) -> Phase | None:
    for phase in ctx.phases:
        if phase.start <= day <= phase.end:
            return phase
    return None


def _half_periods() -> list[tuple[date, date, str]]:
    """Decree 09 half-years from the first of 2018 to the last one ended by ``FIXED_END``."""
    periods = []
    for year in range(2018, FIXED_END.year + 1):
        for number in (1, 2):
            p = decree09_period(PeriodKind.HALF, year, number)
            if p.end <= FIXED_END:
                # The label in the stored language, whatever language is active.
                label = f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
                periods.append((p.start, p.end, label))
    return periods


# --- the generator --------------------------------------------------------------------------


class ActivityDemo:
    """Generates the demo's activities and figures (see the module docstring)."""

    ctx: Context

    def __init__(self, stdout: Any = None, seed: int = SEED) -> None:
        self.stdout = stdout
        self.rng = random.Random(seed)
        self.created: dict[str, int] = defaultdict(int)

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @staticmethod
    def already_generated(programme: Programme) -> bool:
        return generated_activities().filter(phase__programme=programme).exists()

    def unmark(self) -> None:
        """Remove ``OLD_MARK`` (and the line break before it) from the texts of an earlier load."""
        folded = fold(OLD_MARK)
        for model, fields in (
            (Activity, ("description",)),
            (Exchange, ("body",)),
            (Lesson, ("content",)),
            (Proposal, ("content",)),
            (PracticeModel, ("description",)),
        ):
            marked = model.objects.filter(**{f"{fields[0]}__contains": OLD_MARK})  # type: ignore[attr-defined]
            changes: dict[str, Any] = {
                name: Replace(Replace(name, Value(f"\n{OLD_MARK}"), Value("")), Value(OLD_MARK), Value(""))
                for name in fields
            }
            changes["search_text"] = Replace(
                Replace("search_text", Value(f" {folded}"), Value("")), Value(folded), Value("")
            )
            self.created["unmarked"] += marked.update(**changes)

    @transaction.atomic
    @system_job("the demo data set")
    @default_action("demo.load")
    def run(self) -> dict[str, int]:
        from phoihop.figures.rebuild import rebuild_rollups

        programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
        if programme is not None:
            if not programme.activity_approval:
                programme.activity_approval = True
                programme.save(update_fields=["activity_approval"])
            if not self.already_generated(programme):
                self.generate(_load_context(programme))
            self.unmark()
        # Always: the units' successions define today's-tree terms, even with no new values.
        rebuild_rollups()
        return dict(self.created)

    def generate(self, ctx: Context) -> None:
        self.ctx = ctx
        self.pick_communes()
        locks = self.plan_locks()
        self.write_activities(locks)
        self.write_entered(locks)
        self.write_locks(locks)
        self.write_models()
        self.write_exchanges()
        self.write_lessons_and_proposals()
        self.log(
            "Đã tạo {a} hoạt động phối hợp, {v} số liệu chỉ tiêu.".format(
                a=vn_int(self.created["activities"]),
                v=vn_int(self.created["activity_values"] + self.created["entered_values"]),
            )
        )

    # --- units ---------------------------------------------------------------------------------

    def pick_communes(self) -> None:
        """A few communes per province (Hoàn Kiếm always), whose two units lead the activities
        of the commune level: a demo commune then has a history, not one activity."""
        ctx = self.ctx
        for slug in ctx.new_slugs:
            province = ctx.by_code[f"CCB-{slug}"]
            areas = ctx.communes_of_area.get(province.area_id or 0, [])
            if not areas:
                continue
            chosen = self.rng.sample(areas, min(COMMUNES_PER_PROVINCE, len(areas)))
            for org, prefix in (("ccb", "CCB-X"), ("qdnd", "QS-X")):
                picked = []
                for area_id, _name, _kind in chosen:
                    unit = ctx.commune_units.get((prefix, area_id))
                    if unit is not None:
                        picked.append(unit)
                if slug == "HANOI":
                    hoan_kiem = ctx.by_code.get(prefix + HOAN_KIEM_AREA)
                    if hoan_kiem is not None and hoan_kiem not in picked:
                        picked[0:0] = [hoan_kiem]
                ctx.commune_sample[(slug, org)] = picked

    def province_unit(self, org: str, slug: str) -> UnitInfo:
        return self.ctx.by_code[("CCB-" if org == "ccb" else "QS-") + slug]

    def parent(self, unit: UnitInfo) -> UnitInfo | None:
        return self.ctx.by_path.get(unit.path[: -OrgUnit.steplen])

    def counterpart(self, unit: UnitInfo, day: date) -> UnitInfo | None:
        for other_id, start, end in self.ctx.counterparts.get(unit.pk, []):
            other = self.ctx.units.get(other_id)
            if (
                other is not None
                and other.org != unit.org
                and (start is None or start <= day)
                and (end is None or end >= day)
                and other.open_on(day)
            ):
                return other
        return None

    def approver(self, unit: UnitInfo) -> Any:
        """The demo user who would approve the unit's work: its province's approver for a
        Hà Nội or Cà Mau commune, else the approver at the root of its side."""
        users = self.ctx.users
        if unit.level == "commune":
            province = self.parent(unit)
            if province is not None:
                name = {"CCB-HANOI": "hanoi.ccb", "QS-HANOI": "hanoi.qs", "CCB-CAMAU": "camau.ccb"}.get(province.code)
                if name and name in users:
                    return users[name]
        return users.get("tuhoi" if unit.org == "ccb" else "tcct")

    def user_of(self, unit: UnitInfo) -> Any:
        """The demo user working at the unit itself, if any."""
        name = {
            "CCB-HANOI": "hanoi.ccb",
            "QS-HANOI": "hanoi.qs",
            "CCB-CAMAU": "camau.ccb",
            "CCB-X" + HOAN_KIEM_AREA: "hoankiem.ccb",
        }.get(unit.code)
        return self.ctx.users.get(name) if name else None

    # --- locks (approved half-year reports) ----------------------------------------------------

    def plan_locks(self) -> dict[int, list[tuple[date, date, str]]]:
        """Half-years before 2025 whose report some provinces had approved (unit -> periods)."""
        locks: dict[int, list[tuple[date, date, str]]] = defaultdict(list)
        periods = [p for p in _half_periods() if p[1] < date(2025, 1, 1)]
        for slug in self.ctx.old_slugs:
            if slug in UNLOCKED_PROVINCES:
                continue
            for org in ("ccb", "qdnd"):
                unit = self.province_unit(org, slug)
                for period in periods:
                    if self.rng.random() < 0.4:
                        locks[unit.pk].append(period)
        return locks

    @staticmethod
    def locked(locks: dict[int, list[tuple[date, date, str]]], unit: UnitInfo, day: date) -> bool:
        return any(start <= day <= end for start, end, _ in locks.get(unit.pk, ()))

    def write_locks(self, locks: dict[int, list[tuple[date, date, str]]]) -> None:
        rows: list[EntryLock] = []
        stamps: list[datetime] = []
        for unit_id in sorted(locks):
            unit = self.ctx.units[unit_id]
            for start, end, label in locks[unit_id]:
                rows.append(
                    EntryLock(
                        unit_id=unit_id,
                        programme=self.ctx.programme,
                        start=start,
                        end=end,
                        reason=f"Báo cáo {_lower_first(label)} của {unit.display} đã được duyệt.",
                        locked_by=self.approver(unit),
                    )
                )
                stamps.append(_at(end + timedelta(days=self.rng.randint(20, 45)), self.rng))
        EntryLock.objects.bulk_create(rows, batch_size=500)
        for row, stamp in zip(rows, stamps, strict=True):
            row.locked_at = stamp
        EntryLock.objects.bulk_update(rows, ["locked_at"], batch_size=500)
        self.created["locks"] += len(rows)

    # --- activities ----------------------------------------------------------------------------

    def activity_days(self) -> list[date]:
        """The end days of all activities: about 46 a month before the reform, 60 after,
        more in July and December, fewer in February and in the COVID-19 lockdowns."""
        days: list[date] = []
        month = date(FIRST_DAY.year, FIRST_DAY.month, 1)
        season = {1: 1.1, 2: 0.7, 7: 1.3, 12: 1.4}
        while month <= FIXED_END:
            following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            first, last = max(month, FIRST_DAY), min(following - timedelta(days=1), FIXED_END)
            base = 60 if month >= REFORM_DAY else 46
            factor = season.get(month.month, 1.0)
            if month in (date(2020, 4, 1), date(2021, 8, 1), date(2021, 9, 1)):
                factor *= 0.4
            count = round(base * factor * ((last - first).days + 1) / 30.4)
            span = (last - first).days
            days.extend(first + timedelta(days=self.rng.randint(0, span)) for _ in range(count))
            month = following
        return sorted(days)

    def pick_lead(self, day: date) -> UnitInfo:
        ctx, rng = self.ctx, self.rng
        org = "ccb" if rng.random() < 0.55 else "qdnd"
        slugs = ctx.old_slugs if day < REFORM_DAY else ctx.new_slugs
        weights = [PROVINCE_WEIGHT.get(s, 1.0) for s in slugs]
        slug = rng.choices(slugs, weights)[0]
        if day >= REFORM_DAY and rng.random() < 0.6:
            sample = ctx.commune_sample.get((slug, org), [])
            if sample:
                # Hoàn Kiếm (first of Hà Nội's sample) more often: it is the demo's commune.
                if slug == "HANOI" and rng.random() < 0.3:
                    return sample[0]
                return rng.choice(sample)
        return self.province_unit(org, slug)

    def pick_template(self, lead: UnitInfo, day: date) -> Template:
        fitting = [
            t
            for t in TEMPLATES
            if (not t.side or t.side == lead.org)
            and (not t.level or t.level == lead.level)
            and (t.when is None or t.when(day))
        ]
        return self.rng.choices(fitting, [t.weight for t in fitting])[0]

    def pick_status(self, day: date) -> str:
        r = self.rng.random()
        if day < date(2025, 12, 15):
            return ActivityStatus.APPROVED if r < 0.985 else ActivityStatus.SUBMITTED
        if day < RECENT:
            return ActivityStatus.APPROVED if r < 0.9 else ActivityStatus.SUBMITTED
        if r < 0.45:
            return ActivityStatus.APPROVED
        if r < 0.75:
            return ActivityStatus.SUBMITTED
        return ActivityStatus.DRAFT if r < 0.9 else ActivityStatus.RETURNED

    def place_and_area(self, lead: UnitInfo, day: date) -> tuple[int | None, str]:
        rng = self.rng
        if day < REFORM_DAY:
            area_name = self.ctx.area_names.get(lead.area_id or 0, "")
            choices = [f"Hội trường {lead.display}", f"Trụ sở {lead.display}"]
            if area_name:
                choices.append(f"Nhà văn hóa trung tâm {_lower_first(area_name)}")
            return None, rng.choice(choices)
        if lead.level == "commune" and lead.area_id is not None:
            area_id = lead.area_id
        else:
            province = lead if lead.level == "province" else self.parent(lead)
            areas = self.ctx.communes_of_area.get(province.area_id or 0, []) if province else []
            if not areas:
                return None, f"Hội trường {lead.display}"
            area_id = rng.choice(areas)[0]
        area_name = self.ctx.area_names.get(area_id, "")
        local = _lower_first(area_name)
        hamlet = "tổ dân phố" if area_name.startswith("Phường") else "thôn"
        choices = [
            f"Hội trường Ủy ban nhân dân {local}",
            f"Nhà văn hóa {hamlet} số {rng.randint(1, 12)}, {local}",
            f"Trụ sở {lead.display}",
        ]
        return area_id, rng.choice(choices)

    def write_activities(self, locks: dict[int, list[tuple[date, date, str]]]) -> None:
        ctx, rng = self.ctx, self.rng
        activities: list[Activity] = []
        partner_lists: list[list[int]] = []
        value_lists: list[list[tuple[int, int]]] = []
        for day in self.activity_days():
            phase = _phase_of(ctx, day)
            if phase is None:
                continue
            lead = self.pick_lead(day)
            partner = self.counterpart(lead, day)
            if partner is None:
                continue
            partners = [partner.pk]
            if rng.random() < 0.2:
                second = self.parent(partner) if lead.level == "commune" else None
                if lead.level == "province" and lead.org == "ccb":
                    above = self.parent(partner)
                    second = above if above is not None and above.level == "region" else None
                if second is not None and second.org != lead.org and second.open_on(day):
                    partners.append(second.pk)
            template = self.pick_template(lead, day)
            commune = lead.level == "commune"
            values: list[tuple[int, int]] = []
            phrases: list[str] = []
            for code, lo, hi in template.values:
                indicator = ctx.indicators.get(code)
                if indicator is None or not indicator.applies_to(phase):
                    continue
                if commune and hi > 20:
                    hi = max(lo, lo + (hi - lo) // 2)
                amount = rng.randint(lo, hi)
                values.append((indicator.pk, amount))
                phrases.append(RESULT_PHRASES[code].format(n=vn_int(amount)))
            if template.days[1]:
                length = rng.randint(*template.days)
            else:
                length = rng.choices((0, 1, 2, rng.randint(3, 30)), (70, 12, 8, 10))[0]
            start = max(day - timedelta(days=length), FIRST_DAY, lead.valid_from or FIRST_DAY)
            area_id, place = self.place_and_area(lead, day)
            title = template.title.format(**_title_vars(day))
            names = ", ".join(ctx.units[p].display for p in partners)
            description = (
                f"{lead.display} chủ trì, phối hợp với {names}. Kết quả: {'; '.join(phrases)}."
                if phrases
                else f"{lead.display} chủ trì, phối hợp với {names}."
            )
            size = (15, 120) if commune else (30, 300)
            activity = Activity(
                phase=phase,
                title=title,
                start_date=start,
                end_date=day,
                area_id=area_id,
                place=place,
                lead_unit_id=lead.pk,
                participants_lead=rng.randint(*size),
                participants_partner=rng.randint(size[0] // 2, size[1] // 2),
                description=description,
                search_text=fold(f"{title} {place} {description}")[:1200],
            )
            self.set_status(activity, self.pick_status(day), lead)
            activities.append(activity)
            partner_lists.append(partners)
            value_lists.append(values)
        # The demo's commune shows the whole cycle: its two latest activities are a draft and
        # one returned for correction (its reporter's and approver's to-do lists).
        hoan_kiem = ctx.by_code.get("CCB-X" + HOAN_KIEM_AREA)
        if hoan_kiem is not None:
            own = [a for a in activities if a.lead_unit_id == hoan_kiem.pk and a.end_date >= RECENT]
            for activity, status in zip(reversed(own), (ActivityStatus.DRAFT, ActivityStatus.RETURNED), strict=False):
                self.set_status(activity, status, hoan_kiem)
        Activity.objects.bulk_create(activities, batch_size=500)
        # created_at is set on insert (auto_now_add); an activity is dated when it was sent.
        Activity.objects.filter(pk__gte=activities[0].pk, pk__lte=activities[-1].pk, submitted_at__isnull=False).update(
            created_at=F("submitted_at")
        )
        links = [
            ActivityPartner(activity_id=a.pk, unit_id=unit_id)
            for a, partners in zip(activities, partner_lists, strict=True)
            for unit_id in partners
        ]
        ActivityPartner.objects.bulk_create(links, batch_size=1000)
        self.write_activity_history(activities)
        rows = []
        for a, values in zip(activities, value_lists, strict=True):
            counted = a.status in (ActivityStatus.SUBMITTED, ActivityStatus.APPROVED)
            lead = ctx.units[a.lead_unit_id]
            approved = a.status == ActivityStatus.APPROVED or (counted and self.locked_above(locks, lead, a.end_date))
            for indicator_id, amount in values:
                rows.append(
                    IndicatorValue(
                        activity_id=a.pk,
                        unit_id=a.lead_unit_id,
                        indicator_id=indicator_id,
                        date=a.end_date,
                        value=amount,
                        counted=counted,
                        approved=approved,
                    )
                )
        IndicatorValue.objects.bulk_create(rows, batch_size=1000)
        self.created["activities"] += len(activities)
        self.created["activity_partners"] += len(links)
        self.created["activity_values"] += len(rows)

    def write_activity_history(self, activities: list[Activity]) -> None:
        """Each activity's course as its history rows, as the services would have written them:
        created (and sent, when it was), then approved or returned by the level above, with the
        reason. The pages' "who did what, when, why" then reads like a real one."""
        history = Activity.history.model  # type: ignore[attr-defined]
        tracked = [f.attname for f in history._meta.concrete_fields if not f.name.startswith("history_")]
        rows = []
        for activity in activities:
            lead = self.ctx.units[activity.lead_unit_id]
            author = self.user_of(lead)
            state = {name: getattr(activity, name) for name in tracked}
            created = activity.submitted_at or activity.created_at
            sent = activity.submitted_at is not None
            first_status = ActivityStatus.SUBMITTED if sent else activity.status
            rows.append(
                history(
                    **{**state, "status": first_status, "decided_at": None, "decided_by_id": None, "return_reason": ""},
                    history_date=created,
                    history_type="+",
                    history_user_id=author.pk if author else None,
                    history_change_reason="activity.create_submit" if sent else "activity.create",
                )
            )
            if activity.decided_at is not None:
                returned = activity.status == ActivityStatus.RETURNED
                rows.append(
                    history(
                        **state,
                        history_date=activity.decided_at,
                        history_type="~",
                        history_user_id=activity.decided_by_id,
                        history_change_reason=change_reason(
                            "activity.return" if returned else "activity.approve",
                            activity.return_reason if returned else "",
                        ),
                    )
                )
        history.objects.bulk_create(rows, batch_size=1000)

    def set_status(self, activity: Activity, status: str, lead: UnitInfo) -> None:
        """The status and what goes with it: sent, decided (by whom), the reason of a return."""
        rng, day = self.rng, activity.end_date
        activity.status = status
        activity.submitted_at = activity.decided_at = activity.decided_by = None
        activity.return_reason = ""
        if status == ActivityStatus.DRAFT:
            return
        submitted = min(day + timedelta(days=rng.randint(0, 7)), FIXED_END)
        activity.submitted_at = _at(submitted, rng)
        if status in (ActivityStatus.APPROVED, ActivityStatus.RETURNED):
            decided = min(submitted + timedelta(days=rng.randint(1, 14)), FIXED_END)
            activity.decided_at = max(_at(decided, rng), activity.submitted_at)
            activity.decided_by = self.approver(lead)
        if status == ActivityStatus.RETURNED:
            activity.return_reason = rng.choice(RETURN_REASONS)

    def locked_above(self, locks: dict[int, list[tuple[date, date, str]]], unit: UnitInfo, day: date) -> bool:
        """A lock on the unit or a unit above it covers the day."""
        path = unit.path
        while path:
            above = self.ctx.by_path.get(path)
            if above is not None and self.locked(locks, above, day):
                return True
            path = path[: -OrgUnit.steplen]
        return False

    # --- figures entered per half-year ---------------------------------------------------------

    def write_entered(self, locks: dict[int, list[tuple[date, date, str]]]) -> None:
        ctx, rng = self.ctx, self.rng
        indicators = ctx.indicators
        rows: list[IndicatorValue] = []
        periods = _half_periods()
        diligence: dict[int, float] = {}
        for start, end, _label in periods:
            slugs = ctx.old_slugs if end < REFORM_DAY else ctx.new_slugs
            for slug in slugs:
                for org in ("ccb", "qdnd"):
                    unit = self.province_unit(org, slug)
                    if not unit.open_on(end):
                        continue
                    if unit.pk not in diligence:
                        sure = slug in UNLOCKED_PROVINCES
                        diligence[unit.pk] = 1.0 if sure else rng.uniform(0.45, 0.95)
                    if rng.random() >= diligence[unit.pk]:
                        continue
                    above = self.parent(unit) if rng.random() < 0.04 else None
                    approved = self.locked_above(locks, unit, end)
                    for code in ENTERED_INDICATORS[org]:
                        indicator = indicators.get(code)
                        if indicator is None or rng.random() < 0.12:
                            continue
                        lo, hi = self.entered_range(unit, code)
                        rows.append(
                            IndicatorValue(
                                unit_id=unit.pk,
                                indicator_id=indicator.pk,
                                period_start=start,
                                date=end,
                                value=rng.randint(lo, hi),
                                counted=True,
                                approved=approved,
                                entered_by_unit_id=above.pk if above is not None and above.level != "central" else None,
                                entered_by=self.user_of(unit),
                            )
                        )
        IndicatorValue.objects.bulk_create(rows, batch_size=1000)
        self.created["entered_values"] += len(rows)

    def entered_range(self, unit: UnitInfo, code: str) -> tuple[int, int]:
        """Half-year figures of a plausible size. Where today's province has a target for the
        phase, about 12% of it a half-year (shared among the provinces merged into it), so the
        dashboard's achievement against targets lands near 100% with the activities' values."""
        today = unit.successor_id or unit.pk
        target = self.ctx.targets.get((today, code))
        if target:
            share = target * 0.12 / self.ctx.merged.get(today, 1)
            return max(1, round(share * 0.6)), max(2, round(share * 1.4))
        lo, hi = ENTERED_RANGES[code]
        return (max(1, lo // 3), max(2, hi // 3)) if unit.org == "qdnd" else (lo, hi)

    # --- good-practice models -------------------------------------------------------------------

    def write_models(self) -> None:
        ctx, rng = self.ctx, self.rng
        phases = ctx.phases
        models: list[PracticeModel] = []
        spreads: list[int] = []
        for index, (name, field_code, side, description) in enumerate(MODELS):
            if field_code not in ctx.fields:
                continue
            post_reform = name.startswith("Nghĩa tình đồng đội") or index % 6 == 5
            if post_reform:
                started = REFORM_DAY + timedelta(days=rng.randint(20, 300))
                slug = rng.choice(ctx.new_slugs)
                sample = ctx.commune_sample.get((slug, side), [])
                origin = rng.choice(sample) if sample else self.province_unit(side, slug)
            else:
                started = FIRST_DAY + timedelta(days=rng.randint(60, 1900))
                origin = self.province_unit(side, rng.choice(ctx.old_slugs))
            phase = next(p for p in phases if p.start <= started <= p.end)
            results = rng.choice(MODEL_RESULTS).format(a=vn_int(rng.randint(12, 400)))
            model = PracticeModel(
                phase=phase,
                name=f"Mô hình “{name}”",
                field=ctx.fields[field_code],
                origin_unit_id=origin.pk,
                started_on=started,
                description=description,
                results=results,
            )
            model.search_text = fold(f"{model.name} {model.description}")[:1200]
            models.append(model)
            # The first three spread widely; the others to a few units.
            spreads.append(rng.randint(15, 40) if index < 3 else rng.randint(1, 9))
        PracticeModel.objects.bulk_create(models)
        replications: list[Replication] = []
        for model, spread in zip(models, spreads, strict=True):
            origin = ctx.units[model.origin_unit_id]
            candidates = sorted(
                (u for u in ctx.units.values() if u.org == origin.org and u.level == "province" and u.pk != origin.pk),
                key=lambda u: u.code,
            )
            candidates += [
                u for (_slug, org), sample in sorted(ctx.commune_sample.items()) if org == origin.org for u in sample
            ]
            chosen: list[UnitInfo] = []
            for unit in rng.sample(candidates, len(candidates)):
                if len(chosen) >= spread:
                    break
                if unit.pk == origin.pk:
                    continue
                first = max(model.started_on + timedelta(days=30), unit.valid_from or FIRST_DAY)
                last = min(FIXED_END, unit.valid_to or FIXED_END)
                if first > last:
                    continue
                day = first + timedelta(days=rng.randint(0, min((last - first).days, 720)))
                chosen.append(unit)
                replications.append(
                    Replication(
                        model=model,
                        unit_id=unit.pk,
                        replicated_on=day,
                        note=rng.choice(
                            ("", "Áp dụng có điều chỉnh cho phù hợp địa bàn.", "Làm điểm tại một chi hội.")
                        ),
                    )
                )
        Replication.objects.bulk_create(replications, batch_size=1000)
        self.created["practice_models"] += len(models)
        self.created["replications"] += len(replications)

    # --- exchanges ----------------------------------------------------------------------------

    def write_exchanges(self) -> None:
        ctx, rng = self.ctx, self.rng
        plans: list[tuple[UnitInfo, list[UnitInfo], datetime, str, str]] = []

        def subject_for(sender: UnitInfo, day: date, to_communes: bool = False, kinds: Sequence[str] = ()) -> Subject:
            fitting = [
                s for s in EXCHANGE_SUBJECTS if s.fits(sender.org, day, to_communes) and (not kinds or s.kind in kinds)
            ]
            # What the season calls for comes first.
            return rng.choices(fitting, [1 if s.when is None else 4 for s in fitting])[0]

        def plan(sender: UnitInfo, recipients: list[UnitInfo], day: date, subject: Subject) -> None:
            variables = {**_title_vars(day), "m": day.month, "q": (day.month - 1) // 3 + 1}
            plans.append((sender, recipients, _at(day, rng), subject.kind, subject.text.format(**variables)))

        # Between counterpart provinces, before and after the reform.
        for _ in range(24):
            day = FIRST_DAY + timedelta(days=rng.randint(0, (FIXED_END - FIRST_DAY).days - 1))
            slugs = ctx.old_slugs if day < REFORM_DAY else ctx.new_slugs
            slug = "HANOI" if rng.random() < 0.2 else rng.choice(slugs)
            sender = self.province_unit(rng.choice(("ccb", "qdnd")), slug)
            other = self.counterpart(sender, day)
            if other is not None:
                plan(sender, [other], day, subject_for(sender, day))
        # From today's provinces to some of their communes (Hà Nội and Cà Mau always).
        for slug in ["HANOI", "HANOI", "CAMAU", *rng.sample(ctx.new_slugs, 8)]:
            org = "ccb" if slug in ("HANOI", "CAMAU") or rng.random() < 0.6 else "qdnd"
            sender = self.province_unit(org, slug)
            sample = ctx.commune_sample.get((slug, org), [])
            if sample:
                day = REFORM_DAY + timedelta(days=rng.randint(5, (FIXED_END - REFORM_DAY).days - 1))
                plan(sender, sample[: rng.randint(3, len(sample))], day, subject_for(sender, day, True))
        # Communes' associations to their counterpart commanders.
        for slug in ("HANOI", "CAMAU", *rng.sample(ctx.new_slugs, 4)):
            sample = ctx.commune_sample.get((slug, "ccb"), [])
            other = self.counterpart(sample[0], FIXED_END) if sample else None
            if other is not None:
                day = REFORM_DAY + timedelta(days=rng.randint(30, (FIXED_END - REFORM_DAY).days - 1))
                plan(sample[0], [other], day, subject_for(sample[0], day, kinds=(_BRIEFING, _QUICK)))
        plans.sort(key=lambda p: p[2])
        exchanges: list[Exchange] = []
        for sender, _recipients, sent_at, kind, subject in plans:
            body = f"{subject}.\n{EXCHANGE_BODY}"
            exchange = Exchange(
                sender_id=sender.pk,
                phase=_phase_of(ctx, sent_at.date()),
                kind=kind,
                subject=subject,
                body=body,
                sent_by=self.user_of(sender),
                search_text=fold(f"{subject} {body}")[:1200],
            )
            exchanges.append(exchange)
        Exchange.objects.bulk_create(exchanges)
        deliveries: list[ExchangeRecipient] = []
        # The last one, and the last one to Hoàn Kiếm (the demo's commune), are not read yet.
        unread = {(len(plans) - 1, unit.pk) for unit in plans[-1][1]}
        hoan_kiem = ctx.by_code.get("CCB-X" + HOAN_KIEM_AREA)
        to_hoan_kiem = [i for i, p in enumerate(plans) if hoan_kiem in p[1]]
        if hoan_kiem is not None and to_hoan_kiem:
            unread.add((to_hoan_kiem[-1], hoan_kiem.pk))
        for index, (exchange, (_sender, recipients, sent_at, _kind, _subject)) in enumerate(
            zip(exchanges, plans, strict=True)
        ):
            exchange.sent_at = sent_at
            for unit in recipients:
                # Older ones are mostly read; of the recent ones some not yet.
                recent = sent_at.date() >= date(2026, 9, 1)
                read = (index, unit.pk) not in unread and (not recent or rng.random() < 0.5) and rng.random() < 0.9
                read_at = sent_at + timedelta(hours=rng.randint(2, 96)) if read else None
                deliveries.append(
                    ExchangeRecipient(
                        exchange=exchange,
                        unit_id=unit.pk,
                        read_at=read_at,
                        read_by=self.user_of(unit) if read else None,
                    )
                )
        Exchange.objects.bulk_update(exchanges, ["sent_at"])
        ExchangeRecipient.objects.bulk_create(deliveries)
        self.created["exchanges"] += len(exchanges)
        self.created["exchange_recipients"] += len(deliveries)

    # --- lessons and proposals ---------------------------------------------------------------

    def write_lessons_and_proposals(self) -> None:
        ctx, rng = self.ctx, self.rng
        lessons: list[Lesson] = []
        proposals: list[Proposal] = []
        for phase in ctx.phases:
            closing = min(phase.end, FIXED_END)
            if phase.end <= REFORM_DAY:
                # The end-of-phase summary (tổng kết), by the units of the time.
                first, last = phase.end - timedelta(days=100), phase.end - timedelta(days=5)
                slugs = ["HOABINH", "HANOI", *rng.sample(ctx.old_slugs, 10)]
            else:
                # The mid-phase review (sơ kết) and after, by today's units.
                first, last = REFORM_DAY + timedelta(days=60), closing
                slugs = ["HANOI", "CAMAU", *rng.sample(ctx.new_slugs, 8)]
            units: list[UnitInfo] = []
            for slug in dict.fromkeys(slugs):
                if f"CCB-{slug}" in ctx.by_code:
                    units.append(self.province_unit(rng.choice(("ccb", "qdnd")) if slug != "HANOI" else "ccb", slug))
            if phase.end > REFORM_DAY:
                units += [u for u in ctx.commune_sample.get(("HANOI", "ccb"), [])[:2]]
            for unit in units:
                span = (last - first).days
                for field_code, title, content in rng.sample(LESSONS, rng.randint(1, 2)):
                    text = content
                    lessons.append(
                        Lesson(
                            unit_id=unit.pk,
                            phase=phase,
                            field=ctx.fields.get(field_code),
                            title=title,
                            content=text,
                            recorded_on=first + timedelta(days=rng.randint(0, span)),
                            recorded_by=self.user_of(unit),
                            search_text=fold(f"{title} {text}")[:1200],
                        )
                    )
                if rng.random() < 0.7:
                    choices = [
                        p for p in PROPOSALS if (p[0] == ProposalHorizon.NEXT_PHASE) == (phase.end <= REFORM_DAY)
                    ]
                    if phase.end > REFORM_DAY:
                        choices.append(PROPOSALS[0])
                    horizon, field_code, title, content = rng.choice(choices)
                    text = content
                    proposals.append(
                        Proposal(
                            unit_id=unit.pk,
                            phase=phase,
                            horizon=horizon,
                            field=ctx.fields.get(field_code),
                            title=title,
                            content=text,
                            recorded_on=first + timedelta(days=rng.randint(0, span)),
                            recorded_by=self.user_of(unit),
                            search_text=fold(f"{title} {text}")[:1200],
                        )
                    )
        Lesson.objects.bulk_create(lessons)
        Proposal.objects.bulk_create(proposals)
        self.created["lessons"] += len(lessons)
        self.created["proposals"] += len(proposals)


def generated_activities() -> Any:
    """The activities this generator wrote: the ones with no author (see the module's docstring)."""
    return Activity.objects.unrestricted("demo loader: its own generated activities").filter(created_by__isnull=True)


def load_activity_demo(stdout: Any = None) -> dict[str, int]:
    """Add the demo's activities and figures (once) and rebuild the roll-ups (always)."""
    return ActivityDemo(stdout=stdout).run()


__all__ = ["FIXED_END", "OLD_MARK", "SEED", "ActivityDemo", "generated_activities", "load_activity_demo"]

"""Demo data of the reporting cycle for the seed's programme (QDND-CCB), on top of
``demo.base`` and ``demo.activities`` (it reads their units, users and figures).

What it adds:

* issuing-body profiles (``BodyProfile``): the General Political Department (TCCT), which
  issues for the army's whole tree, the Veterans' Association's Central Committee (CCB-TW),
  with the seed's co-chairs as signers and the ranks and offices they held on 23/9/2022, and
  the Hà Nội and Cà Mau associations of the walk-through;
* the default reporting periods of both phases (``services.periods_generate``);
* the joint national end-of-phase summary (tổng kết) of 2017–2022, written by BQP and CCB-TW
  together: narrative in every section (marked as demo text), recipients, a number from the
  2022 register, submitted by tcct, approved side by side by tcct and tuhoi, dated the eve of
  the seed's conference (23/9/2022);
* the first half of 2026 (15/12/2025–14/6/2026): a request to every province-level unit of
  both sides, and a deterministic mix of reports (``H1_PLAN``): sent on time, sent late,
  returned with a reason, drafts, and not started;
* the year 2026 (15/12/2025–14/12/2026, due 29/12/2026, so not over on the demo's "today",
  27/11/2026): a request to every province-level unit and a few drafts under way.

The reports go through the services (open, save, submit, return, approve), as a person would
act; the requests are created in bulk by ``services.requests_create``. The services stamp
today's date, so afterwards this module **back-dates** the demo's reports (dates of creation,
sending, decision, issue and approval, their history rows, the national report's entry locks
and the requests' dates) with queryset updates, to the fixed dates of the plan. That is demo
data only: no service ever back-dates.

No report of the first half of 2026 is approved: an approval locks the entry of the
province's figures for the half-year, and the existing tests write 2026 figures in several
provinces and check that the demo locks no period after 2024 (``tests/test_demo_activities``).
``H1_APPROVED`` names the provinces to approve once that is no longer so.

Deterministic (one ``random.Random(SEED)``, units in code order, fixed dates) and idempotent:
each part is skipped when its marker exists (the national report; the province-level requests
of a period), so a second run creates nothing and writes no history rows.
"""

from __future__ import annotations

import random
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from phoihop.audit.actions import default_action
from phoihop.core.formats import vn_number
from phoihop.core.gate import system_job
from phoihop.entry.models import EntryLock
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel
from phoihop.programmes.models import Phase, Programme
from phoihop.reporting import registers, services
from phoihop.reporting.authority import signer_for
from phoihop.reporting.content import figure_totals, period_indicators
from phoihop.reporting.documents import issuing_unit, subject_for
from phoihop.reporting.models import (
    BodyKind,
    BodyProfile,
    DocumentKind,
    RegisteredNumber,
    Report,
    ReportingPeriod,
    ReportRequest,
    Signatory,
    SigningCapacity,
)
from phoihop.reporting.signers import signer_problems

SEED = 20260614
PROGRAMME_CODE = "QDND-CCB"
TZ = ZoneInfo(settings.TIME_ZONE)
USERNAMES = ("admin", "tcct", "tuhoi", "hanoi.qs", "hanoi.ccb", "camau.ccb")

# The national summary: issued on the eve of the seed's conference (23/9/2022).
NATIONAL_SUBMITTED = datetime(2022, 9, 22, 8, 30, tzinfo=TZ)
NATIONAL_APPROVALS = {
    "tcct": datetime(2022, 9, 22, 15, 0, tzinfo=TZ),
    "tuhoi": datetime(2022, 9, 22, 16, 30, tzinfo=TZ),
}
NATIONAL_RECIPIENTS = [
    "Ban Bí thư Trung ương Đảng (để báo cáo)",
    "Thủ trưởng Bộ Quốc phòng (để báo cáo)",
    "Ban Dân vận Trung ương",
    "Thường trực Trung ương Hội Cựu chiến binh Việt Nam",
    "Các cơ quan, đơn vị trong Quân đội",
    "Hội Cựu chiến binh các tỉnh, thành phố",
]

H1_START, H1_END = date(2025, 12, 15), date(2026, 6, 14)
YEAR_START, YEAR_END = date(2025, 12, 15), date(2026, 12, 14)
H1_REQUESTED = datetime(2026, 5, 25, 8, 0, tzinfo=TZ)
YEAR_REQUESTED = datetime(2026, 11, 2, 8, 0, tzinfo=TZ)

# The first half of 2026, for the 68 province-level units of both sides (34 + 34).
ON_TIME, LATE, RETURNED, DRAFT, MISSING = "on_time", "late", "returned", "draft", "missing"
H1_PLAN = {ON_TIME: 34, LATE: 8, RETURNED: 4, DRAFT: 8, MISSING: 14}
# Fixed parts of the plan: the walk-through's provinces.
H1_FIXED = {"CCB-HANOI": ON_TIME, "QS-HANOI": ON_TIME, "CCB-CAMAU": DRAFT}
# Provinces whose first-half report is approved (locks their figures for the half-year); empty
# while tests write 2026 figures in provinces and expect no lock after 2024 (see the docstring).
H1_APPROVED: tuple[str, ...] = ()
# Drafts of the 2026 annual report under way.
YEAR_DRAFTS = ("CCB-HANOI", "QS-HANOI", "CCB-CAMAU", "CCB-HOCHIMINH", "QS-HOCHIMINH", "CCB-DANANG")

RETURN_REASONS = (
    "Đề nghị bổ sung số liệu giảm nghèo của các xã, phường còn thiếu và làm rõ nguyên nhân của hạn chế.",
    "Phần phương hướng, nhiệm vụ 6 tháng cuối năm còn chung chung; đề nghị nêu cụ thể nội dung, thời gian thực hiện.",
    "Số liệu nhà đồng đội chưa khớp với báo cáo của các xã, phường; đề nghị rà soát lại trước khi gửi.",
    "Đề nghị bổ sung các mô hình, điển hình tiêu biểu và kiến nghị cụ thể với cấp trên.",
)


vn_int = vn_number


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def _demo(text: str) -> str:
    """A section of demo narrative: plain prose (documents built from demo data carry a
    "BẢN MINH HỌA" watermark instead of a marker in the text, ``phoihop.core.demo``)."""
    return text.strip()


# --- what the reports say -------------------------------------------------------------------


def national_narrative(figures: dict[str, int]) -> dict[str, str]:
    """The 2017–2022 summary's narrative, its numbers taken from the figures it reports."""

    def n(code: str) -> str:
        return vn_int(figures.get(code, 0))

    money = figures.get("kt-von", 0)
    loans = f"hơn {vn_int(money // 1000)} tỷ đồng" if money >= 1000 else f"{vn_int(money)} triệu đồng"
    return {
        "intro": _demo(
            "Thực hiện Chương trình phối hợp hoạt động giữa Quân đội nhân dân Việt Nam và Hội Cựu chiến binh "
            "Việt Nam giai đoạn 2017–2022, 5 năm qua, cấp ủy, chỉ huy các cấp trong Quân đội và tổ chức Hội Cựu "
            "chiến binh các cấp đã triển khai công tác phối hợp hoạt động một cách toàn diện, đồng bộ, chặt chẽ "
            "trên nhiều lĩnh vực, sát với chức năng, nhiệm vụ của từng tổ chức, phù hợp với thực tiễn của các cơ "
            "quan, đơn vị và địa phương."
        )
        + "\nTổng cục Chính trị Quân đội nhân dân Việt Nam và Trung ương Hội Cựu chiến binh Việt Nam báo cáo tổng "
        "kết 5 năm thực hiện Chương trình như sau:",
        "field:tuyen-truyen": _demo(
            f"Hai bên đã phối hợp tổ chức {n('tt-buoi')} buổi tuyên truyền, giáo dục với {n('tt-luot')} lượt người "
            "dự; tập trung quán triệt các nghị quyết của Đảng, chính sách, pháp luật của Nhà nước, Luật Nghĩa vụ "
            "quân sự, Luật Quốc phòng; giáo dục truyền thống cho đoàn viên thanh niên, học sinh; đấu tranh phản "
            "bác các quan điểm sai trái, thù địch. Nhận thức, trách nhiệm của cán bộ, chiến sĩ, hội viên Cựu chiến "
            "binh và nhân dân được nâng lên rõ rệt."
        ),
        "field:he-thong-chinh-tri": _demo(
            f"Có {n('htct-cb')} lượt hội viên Cựu chiến binh tham gia góp ý xây dựng Đảng, xây dựng chính quyền; "
            "nhiều đồng chí Cựu chiến binh tham gia cấp ủy, Hội đồng nhân dân, Ban Thanh tra nhân dân, tổ hòa giải "
            "ở cơ sở. Các đơn vị Quân đội đóng quân trên địa bàn giúp xây dựng tổ chức Hội vững mạnh, góp phần "
            "củng cố hệ thống chính trị ở cơ sở."
        ),
        "field:quoc-phong-an-ninh": _demo(
            f"Hai bên phối hợp tổ chức {n('qp-hoat-dong')} hoạt động bảo đảm quốc phòng, an ninh: xây dựng thế "
            "trận quốc phòng toàn dân gắn với thế trận an ninh nhân dân, tuyển chọn và gọi công dân nhập ngũ, "
            "huấn luyện dân quân tự vệ, giữ gìn an ninh chính trị, trật tự an toàn xã hội ở địa bàn dân cư. Cựu "
            "chiến binh tham gia tích cực phong trào toàn dân bảo vệ an ninh Tổ quốc."
        ),
        "field:phong-trao": _demo(
            f"Hai bên tổ chức {n('pt-hoat-dong')} hoạt động phối hợp thực hiện các phong trào thi đua, các cuộc "
            "vận động do Đảng, Nhà nước, Mặt trận Tổ quốc, Quân đội, Hội Cựu chiến binh và địa phương phát động; "
            f"xây dựng mới {n('pt-mo-hinh')} mô hình hoạt động hiệu quả, được {n('pt-nhan-rong')} đơn vị nhân "
            f"rộng; biểu dương, khen thưởng {n('pt-khen-thuong')} lượt tập thể, cá nhân có thành tích tiêu biểu."
        ),
        "field:kinh-te": _demo(
            f"Hai bên phối hợp huy động {loans} vốn vay, quỹ giúp hội viên phát triển kinh tế; hỗ trợ giống, vật "
            "tư, chuyển giao tiến bộ khoa học kỹ thuật. Nhiều mô hình kinh tế trang trại, gia trại của Cựu chiến "
            "binh cho thu nhập ổn định, tạo việc làm cho người lao động, trong đó có quân nhân xuất ngũ."
        ),
        "field:van-hoa": _demo(
            f"Đã phối hợp tổ chức {n('vh-hoat-dong')} hoạt động văn hóa, văn nghệ, thể dục thể thao, nhất là dịp "
            "kỷ niệm Ngày thành lập Quân đội nhân dân Việt Nam (22/12) và Ngày truyền thống Hội Cựu chiến binh "
            "Việt Nam (6/12); phong trào xây dựng gia đình văn hóa, khu dân cư văn hóa được duy trì."
        ),
        "field:xa-hoi": _demo(
            f"Hai bên xây mới, sửa chữa {n('xh-nha')} căn nhà đồng đội, nhà tình nghĩa; thăm hỏi, tặng quà gia "
            "đình chính sách, Cựu chiến binh có hoàn cảnh khó khăn; phối hợp tìm kiếm, quy tập hài cốt liệt sĩ "
            "và tham gia phòng, chống dịch COVID-19 ở cơ sở."
        ),
        "field:giam-ngheo": _demo(
            f"Với sự giúp đỡ của các đơn vị Quân đội và tổ chức Hội các cấp, {n('gn-ho')} hộ hội viên Cựu chiến "
            "binh đã thoát nghèo; nhiều địa phương cơ bản không còn hộ hội viên nghèo."
        ),
        "field:doi-song": _demo(
            f"Có {n('ds-nguoi')} lượt người được giúp đỡ về vốn, ngày công, khám bệnh, cấp thuốc miễn phí; đời "
            "sống vật chất, tinh thần của hội viên Cựu chiến binh và nhân dân từng bước được nâng lên."
        ),
        "strengths": _demo(
            "Công tác phối hợp được cấp ủy, chỉ huy các cấp trong Quân đội và tổ chức Hội Cựu chiến binh các cấp "
            "quan tâm lãnh đạo, chỉ đạo; triển khai toàn diện, đồng bộ, chặt chẽ, sát với chức năng, nhiệm vụ "
            "của mỗi bên và thực tiễn của cơ quan, đơn vị, địa phương.\n"
            "Nhiều mô hình hoạt động đạt hiệu quả cao, có sức lan tỏa sâu rộng trong đời sống xã hội. Hai bên "
            "thường xuyên trao đổi thông tin, rút kinh nghiệm, kịp thời biểu dương, khen thưởng các tập thể, cá "
            "nhân có thành tích.\n"
            "Mối quan hệ đoàn kết, gắn bó giữa các đơn vị Quân đội với tổ chức Hội Cựu chiến binh các cấp được "
            "củng cố, tăng cường; vai trò, trách nhiệm của cán bộ, chiến sĩ và hội viên Cựu chiến binh được phát "
            "huy, góp phần thực hiện thắng lợi nhiệm vụ xây dựng và bảo vệ Tổ quốc trong tình hình mới."
        ),
        "limitations": _demo(
            "Hạn chế: ở một số nơi, việc phối hợp còn mang tính thời vụ, chưa thường xuyên; nội dung phối hợp có "
            "lúc chưa sát với đặc điểm địa bàn; thông tin, báo cáo có nơi chưa kịp thời, số liệu chưa đầy đủ; "
            "việc nhân rộng các mô hình hiệu quả còn chậm. Trong hai năm 2020 và 2021, dịch COVID-19 làm nhiều "
            "hoạt động tập trung phải tạm dừng hoặc chuyển hình thức.\n"
            "Nguyên nhân: một số cấp ủy, chỉ huy chưa quan tâm đúng mức đến công tác phối hợp; việc kiểm tra, đôn "
            "đốc, sơ kết, rút kinh nghiệm chưa thường xuyên; kinh phí, phương tiện phục vụ hoạt động phối hợp ở "
            "cơ sở còn khó khăn."
        ),
        "lessons": _demo(
            "Một là, thường xuyên quán triệt, nâng cao nhận thức, trách nhiệm của cấp ủy, chỉ huy và tổ chức Hội "
            "các cấp về vị trí, ý nghĩa của công tác phối hợp.\n"
            "Hai là, nội dung phối hợp phải sát với chức năng, nhiệm vụ của mỗi bên và tình hình thực tiễn của "
            "địa phương, đơn vị; chọn khâu đột phá, xây dựng mô hình, điển hình để nhân rộng.\n"
            "Ba là, duy trì nền nếp chế độ trao đổi thông tin, kiểm tra, sơ kết, tổng kết, rút kinh nghiệm; kịp "
            "thời biểu dương, khen thưởng các tập thể, cá nhân có thành tích."
        ),
        "directions": _demo(
            "Trong giai đoạn 2022–2027, hai bên tập trung thực hiện tốt công tác tuyên truyền, giáo dục nâng cao "
            "nhận thức cho cán bộ, chiến sĩ, hội viên Cựu chiến binh và nhân dân thực hiện đường lối, chủ trương "
            "của Đảng, chính sách, pháp luật của Nhà nước.\n"
            "Phối hợp xây dựng hệ thống chính trị ở cơ sở vững mạnh, củng cố quốc phòng, an ninh; thực hiện tốt "
            "các phong trào, các cuộc vận động do Đảng, Nhà nước, Mặt trận Tổ quốc Việt Nam, Quân đội, Hội Cựu "
            "chiến binh và địa phương phát động.\n"
            "Đặc biệt chú trọng các hoạt động phối hợp phát triển kinh tế, văn hóa, xã hội, giảm nghèo bền vững, "
            "nâng cao đời sống của hội viên Cựu chiến binh và nhân dân; ký kết và triển khai Chương trình phối hợp "
            "hoạt động giai đoạn 2022–2027."
        ),
        "proposals": _demo(
            "Đề nghị Ban Bí thư Trung ương Đảng, Bộ Quốc phòng tiếp tục quan tâm lãnh đạo, chỉ đạo công tác phối "
            "hợp giữa Quân đội nhân dân Việt Nam và Hội Cựu chiến binh Việt Nam.\n"
            "Đề nghị Ban Dân vận Trung ương phối hợp hướng dẫn, kiểm tra việc thực hiện Chương trình ở các địa "
            "phương; các bộ, ngành liên quan quan tâm bố trí kinh phí hỗ trợ hoạt động phối hợp ở cơ sở.\n"
            "Đề nghị cấp ủy, chính quyền địa phương tạo điều kiện để tổ chức Hội Cựu chiến binh và các đơn vị Quân "
            "đội đóng quân trên địa bàn phối hợp hoạt động có hiệu quả."
        ),
    }


def half_year_narrative(unit: OrgUnit, complete: bool) -> dict[str, str]:
    """A province's first-half report of 2026: the whole text, or the opening of a draft."""
    text = {
        "intro": _demo(
            "Thực hiện Chương trình phối hợp hoạt động giữa Quân đội nhân dân Việt Nam và Hội Cựu chiến binh Việt "
            f"Nam giai đoạn 2022–2027, {unit.name} đã triển khai các nội dung phối hợp theo kế hoạch năm 2026."
        )
        + "\nKết quả 6 tháng đầu năm 2026 như sau:",
        "field:tuyen-truyen": _demo(
            "Phối hợp tuyên truyền Nghị quyết Đại hội XIV của Đảng và cuộc bầu cử đại biểu Quốc hội khóa XVI, đại "
            "biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026–2031 đến cán bộ, hội viên và nhân dân; tổ chức các hoạt "
            "động mừng Đảng, mừng Xuân Bính Ngọ."
        ),
    }
    if not complete:
        return text
    text |= {
        "field:xa-hoi": _demo(
            "Thăm hỏi, tặng quà gia đình chính sách, hội viên Cựu chiến binh có hoàn cảnh khó khăn dịp Tết Nguyên "
            "đán Bính Ngọ; phối hợp xây dựng, sửa chữa nhà đồng đội cho hội viên khó khăn về nhà ở."
        ),
        "strengths": _demo(
            "Sau sắp xếp đơn vị hành chính, công tác phối hợp được duy trì nền nếp; các xã, phường mới đã kiện "
            "toàn tổ chức Hội và Ban Chỉ huy Quân sự, sớm ký kết kế hoạch phối hợp."
        ),
        "limitations": _demo(
            "Một số xã, phường mới sắp xếp còn lúng túng khi xây dựng kế hoạch phối hợp; việc tổng hợp số liệu "
            "từ cơ sở còn chậm. Nguyên nhân chủ yếu là cán bộ mới nhận nhiệm vụ, địa bàn rộng hơn trước."
        ),
        "directions": _demo(
            "6 tháng cuối năm 2026, tiếp tục triển khai các nội dung phối hợp theo kế hoạch, chú trọng giảm nghèo "
            "bền vững, chăm lo đời sống hội viên và chuẩn bị sơ kết giữa giai đoạn 2022–2027."
        ),
    }
    return text


def year_narrative(unit: OrgUnit) -> dict[str, str]:
    return {
        "intro": _demo(
            f"Năm 2026, {unit.name} tiếp tục triển khai Chương trình phối hợp hoạt động giữa Quân đội nhân dân Việt "
            "Nam và Hội Cựu chiến binh Việt Nam giai đoạn 2022–2027 trong điều kiện chính quyền địa phương hai "
            "cấp mới đi vào hoạt động. (Dự thảo, đang hoàn thiện.)"
        ),
        "strengths": _demo(
            "Các hoạt động phối hợp được duy trì đều khắp; nhiều mô hình giúp nhau giảm nghèo, xây dựng nhà đồng "
            "đội tiếp tục được nhân rộng ở các xã, phường mới."
        ),
    }


# --- the loader -----------------------------------------------------------------------------


# Invented office holders who sign the demo's province-level reports (no real person is meant):
# a name per unit, picked by its code, so every run signs alike.
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE_NAMES = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thanh", "Công", "Ngọc", "Đình")
GIVEN_NAMES = ("Hùng", "Dũng", "Thắng", "Bình", "Sơn", "Hải", "Tuấn", "Cường", "Thành", "Long", "Phúc", "Toàn", "Nam")
# The army's province-level bodies (Bộ Chỉ huy Quân sự tỉnh) sign as their commander, a colonel.
ARMY_SIGNER = {"capacity": "", "collective": "", "title": "CHỈ HUY TRƯỞNG", "rank": "Đại tá"}


# The fields a profile of an earlier load may lack (filled on the next load).
AUTHORITY_FIELDS = ("head_title", "authority_basis", "drafting_office")
# Who signs for the demo's bodies from SIGNATORIES_FROM on: (unit, capacity, collective, title,
# rank, name or "" for an invented head's name, is the head). The seed names the deputies.
SIGNATORIES_FROM = date(2020, 1, 1)
SIGNATORIES = [
    ("TCCT", SigningCapacity.OWN, "", "CHỦ NHIỆM", "thuong-tuong", "", True),
    ("TCCT", SigningCapacity.DEPUTY, "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "thieu-tuong", "Nguyễn Văn Gấu", False),
    ("CCB-TW", SigningCapacity.ON_BEHALF, "BAN THƯỜNG VỤ", "CHỦ TỊCH", "thuong-tuong", "", True),
    ("CCB-TW", SigningCapacity.ON_BEHALF, "BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "trung-tuong", "Khuất Việt Dũng", False),
    ("CCB-HANOI", SigningCapacity.ON_BEHALF, "BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "", "Lê Quang Vinh", False),
]


def demo_signer_name(code: str) -> str:
    n = zlib.crc32(code.encode())
    family = FAMILY_NAMES[n % len(FAMILY_NAMES)]
    middle = MIDDLE_NAMES[(n // 16) % len(MIDDLE_NAMES)]
    given = GIVEN_NAMES[(n // 256) % len(GIVEN_NAMES)]
    return f"{family} {middle} {given}"


def demo_signers(report: Report) -> list[dict[str, str]]:
    """The report's signers, each with a name: those its bodies' profiles give are kept; a
    body without one signs by its (invented) head, an army body by its commander with rank."""
    signers = []
    for k, unit in enumerate(report.units):
        signer = dict(report.signers[k]) if k < len(report.signers) else {}
        if signer_problems(signer):
            body = issuing_unit(unit)
            if unit.organisation.code == "qdnd":
                signer.update(ARMY_SIGNER)
            signer["name"] = demo_signer_name(body.code)
        signers.append(signer)
    return signers


@dataclass
class Trail:
    """A demo report as the services return it, with the planned time of each service call that
    wrote one of its history rows, when it was sent, and when each approver decided."""

    report: Report
    steps: list[datetime]
    sent: datetime | None = None
    decided: dict[int, datetime] = field(default_factory=dict)


class ReportingDemo:
    """Loads the reporting cycle's demo data (see the module docstring)."""

    def __init__(self, stdout: Any = None, seed: int = SEED) -> None:
        self.stdout = stdout
        self.rng = random.Random(seed)
        self.created: dict[str, int] = defaultdict(int)
        self.users: dict[str, Any] = {}
        self.units: dict[str, OrgUnit] = {}

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    @system_job("the demo data set")
    @default_action("demo.load")
    def run(self) -> dict[str, int]:
        from phoihop.accounts.models import User

        programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
        self.users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
        if programme is None or len(self.users) < len(USERNAMES):
            return {}
        self.units = {u.code: u for u in OrgUnit.objects.filter(code__in=["BQP", "TCCT", "CCB-TW"])}
        self.load_profiles()
        phases = {p.code: p for p in Phase.objects.filter(programme=programme)}
        for phase in sorted(phases.values(), key=lambda p: p.start):
            made = services.periods_generate(phase=phase, acting_user=self.users["admin"])
            self.created["reporting_periods"] += len(made)
        self.load_national(programme)
        self.load_half_year(programme)
        self.load_year(programme)
        if any(self.created.values()):
            self.log(
                "Đã tạo {p} kỳ báo cáo, {r} yêu cầu báo cáo, {b} báo cáo.".format(
                    p=vn_int(self.created["reporting_periods"]),
                    r=vn_int(self.created["report_requests"]),
                    b=vn_int(self.created["reports"]),
                )
            )
        return dict(self.created)

    # --- issuing bodies ------------------------------------------------------------------------

    def load_profiles(self) -> None:
        specs = [
            dict(
                unit="TCCT",
                kind=BodyKind.ARMY,
                abbreviation="TCCT",
                name_on_documents="Tổng cục Chính trị",
                parent_name="Bộ Quốc phòng",
                place="Hà Nội",
                signer_capacity="KT.",
                signer_collective="CHỦ NHIỆM",
                signer_title="PHÓ CHỦ NHIỆM",
                signer_rank="Thiếu tướng",
                signer_name="Nguyễn Văn Gấu",
                recipients="\n".join(NATIONAL_RECIPIENTS),
                head_title="Chủ nhiệm",
                authority_basis=(
                    "Căn cứ chức năng, nhiệm vụ, quyền hạn của Tổng cục Chính trị Quân đội nhân dân Việt Nam;"
                ),
                drafting_office="CDV",  # Cục Dân vận, which runs the programme for TCCT
            ),
            dict(
                unit="CCB-TW",
                kind=BodyKind.ASSOCIATION,
                abbreviation="HCCB",
                name_on_documents="Trung ương Hội Cựu chiến binh Việt Nam",
                parent_name="",
                place="Hà Nội",
                signer_capacity="TM.",
                signer_collective="BAN THƯỜNG VỤ",
                signer_title="PHÓ CHỦ TỊCH",
                signer_rank="Trung tướng",
                signer_name="Khuất Việt Dũng",
                recipients="\n".join(NATIONAL_RECIPIENTS),
                head_title="Chủ tịch",
                authority_basis="Căn cứ Điều lệ Hội Cựu chiến binh Việt Nam;",
                drafting_office="VP",
            ),
            # The walk-through's associations, signed by the demo's (invented) office holders.
            dict(
                unit="CCB-HANOI",
                kind=BodyKind.ASSOCIATION,
                abbreviation="HCCB",
                place="Hà Nội",
                signer_capacity="TM.",
                signer_collective="BAN THƯỜNG VỤ",
                signer_title="PHÓ CHỦ TỊCH",
                signer_name="Lê Quang Vinh",
                recipients="Trung ương Hội Cựu chiến binh Việt Nam\nThành ủy Hà Nội\nBộ Tư lệnh Thủ đô Hà Nội",
                head_title="Chủ tịch",
                authority_basis="Căn cứ Điều lệ Hội Cựu chiến binh Việt Nam;",
                drafting_office="VP",
            ),
            dict(
                unit="CCB-CAMAU",
                kind=BodyKind.ASSOCIATION,
                abbreviation="HCCB",
                place="Cà Mau",
                signer_capacity="TM.",
                signer_collective="BAN THƯỜNG VỤ",
                signer_title="CHỦ TỊCH",
                signer_name="Đặng Văn Hải",
                recipients="Trung ương Hội Cựu chiến binh Việt Nam\nTỉnh ủy Cà Mau\nBộ Chỉ huy Quân sự tỉnh Cà Mau",
                head_title="Chủ tịch",
                authority_basis="Căn cứ Điều lệ Hội Cựu chiến binh Việt Nam;",
                drafting_office="VP",
            ),
            # The walk-through's army body (the capital's command): its commander decides its
            # Giấy khen; no signer of its own (its reports are signed by name when sent), the rest
            # as its unit gives.
            dict(
                unit="QS-HANOI",
                kind=BodyKind.ARMY,
                abbreviation="BTL",
                head_title="Tư lệnh",
                authority_basis="Căn cứ chức năng, nhiệm vụ, quyền hạn của Bộ Tư lệnh Thủ đô Hà Nội;",
            ),
        ]
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=[s["unit"] for s in specs])}
        have = {p.unit.code: p for p in BodyProfile.objects.filter(unit__in=units.values()).select_related("unit")}
        rows = []
        for spec in specs:
            code = str(spec.pop("unit"))
            if code in have:
                # A profile of an earlier load gets the authority's fields it lacked (ADR 0019).
                profile = have[code]
                missing = {k: spec[k] for k in AUTHORITY_FIELDS if k in spec and not getattr(profile, k)}
                if missing:
                    for key, value in missing.items():
                        setattr(profile, key, value)
                    profile._change_reason = "demo.load"  # type: ignore[attr-defined]
                    profile.save(update_fields=list(missing))
            elif code in units:
                profile = BodyProfile(unit=units[code], **spec)
                profile.full_clean()
                rows.append(profile)
        if rows:
            bulk_create_with_history(
                rows, BodyProfile, default_user=self.users["admin"], default_change_reason="demo.load"
            )
            self.created["body_profiles"] += len(rows)
        self.load_signatories()

    def load_signatories(self) -> None:
        """Who signs for the bodies that sign in the demo, dated (reporting.authority): TCCT's
        head and its deputy, the Association's chairman and vice-chairman (the seed's co-chairs),
        Hà Nội's vice-chairman; the heads' names are invented like the other office holders'."""
        from phoihop.orgunits.models import Person

        units = {u.code: u for u in OrgUnit.objects.filter(code__in=[code for code, *_rest in SIGNATORIES])}
        have = set(Signatory.objects.filter(unit__in=units.values()).values_list("unit__code", "full_name"))
        people = {p.full_name: p for p in Person.objects.filter(full_name__in=[s[5] for s in SIGNATORIES if s[5]])}
        rows = []
        for order, (code, capacity, collective, title, rank, name, is_head) in enumerate(SIGNATORIES):
            full_name = name or demo_signer_name(code)
            if code not in units or (code, full_name) in have:
                continue
            row = Signatory(
                unit=units[code],
                capacity=capacity,
                collective=collective,
                title=title,
                rank=rank,
                full_name=full_name,
                person=people.get(full_name),
                valid_from=SIGNATORIES_FROM,
                order=order,
                is_head=is_head,
            )
            row.full_clean()
            rows.append(row)
        if rows:
            bulk_create_with_history(
                rows, Signatory, default_user=self.users["admin"], default_change_reason="demo.load"
            )
            self.created["signatories"] += len(rows)

    # --- report transitions, recorded with their planned times ----------------------------------

    def open(self, period: ReportingPeriod, unit: OrgUnit, user: Any, at: datetime, **kw: Any) -> Trail:
        report = services.report_open(period=period, unit=unit, acting_user=user, **kw)
        self.created["reports"] += 1
        return Trail(report, [at])

    def save(self, trail: Trail, user: Any, at: datetime, **data: Any) -> None:
        report = trail.report
        trail.report = services.report_save(report=report, data=data, expected_version=report.version, acting_user=user)
        trail.steps.append(at)

    def submit(self, trail: Trail, user: Any, at: datetime) -> None:
        """Send, signed by a named signer, with a number from the issuing body's register of the
        sending year (taken on the planned day, not today's)."""
        report = trail.report
        entry = registers.take_number(
            unit=issuing_unit(report.unit),
            year=at.year,
            kind=DocumentKind.REPORT,
            symbol=registers.symbol_for(report.units, DocumentKind.REPORT),
            subject=subject_for(report),
            document=report,
            issued_on=at.date(),
            acting_user=user,
        )
        self.save(trail, user, at - timedelta(minutes=5), number=entry.number, signers=demo_signers(report))
        trail.report = services.report_submit(report=trail.report, acting_user=user, take_number=False)
        trail.steps.append(at)
        trail.sent = at

    def decide(self, trail: Trail, user: Any, at: datetime, action: Callable[..., Report], **kw: Any) -> None:
        """Return or approve (``action``) as ``user``."""
        trail.report = action(report=trail.report, acting_user=user, **kw)
        trail.steps.append(at)
        trail.decided[user.pk] = at

    def backdate(self, trail: Trail) -> None:
        """Move the report's dates, and its history rows', to the plan's (demo data only)."""
        report, steps, sent, decided = trail.report, trail.steps, trail.sent, trail.decided
        current = Report.objects.get(pk=report.pk)
        changes: dict[str, Any] = {"created_at": steps[0], "updated_at": steps[-1]}
        if sent is not None:
            changes |= {"submitted_at": sent, "first_submitted_at": sent, "issued_on": sent.date(), "frozen_at": sent}
            if current.frozen is not None:
                changes["frozen"] = {**current.frozen, "computed_at": sent.isoformat()}
        if decided:
            changes["decided_at"] = max(decided.values())

        def redated(approvals: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**a, "at": decided[a["by"]].isoformat()} if a["by"] in decided else a for a in approvals]

        if current.approvals:
            changes["approvals"] = redated(current.approvals)
        Report.objects.filter(pk=report.pk).update(**changes)
        if sent is not None:
            lines = registers.entries_of(report)
            RegisteredNumber.history.filter(id__in=lines.values("pk")).update(history_date=sent)  # type: ignore[attr-defined]
            lines.update(taken_at=sent, issued_on=sent.date())
        history = list(Report.history.filter(id=report.pk).order_by("history_id"))  # type: ignore[attr-defined]
        for row, at in zip(history, steps, strict=False):
            row_changes: dict[str, Any] = {"history_date": at, "created_at": steps[0], "updated_at": at}
            for name in ("submitted_at", "first_submitted_at", "frozen_at"):
                if getattr(row, name) is not None and sent is not None:
                    row_changes[name] = sent
            if row.issued_on is not None and sent is not None:
                row_changes["issued_on"] = sent.date()
            if row.decided_at is not None and decided:
                row_changes["decided_at"] = at
            if row.approvals:
                row_changes["approvals"] = redated(row.approvals)
            type(row).objects.filter(pk=row.pk).update(**row_changes)
        approver_of = {a["unit"]: a["by"] for a in current.approvals}
        for lock in current.locks.all():
            approved = decided.get(approver_of.get(lock.unit_id, 0))
            if approved is not None:
                EntryLock.objects.filter(pk=lock.pk).update(locked_at=approved)
                EntryLock.history.filter(id=lock.pk).update(history_date=approved)  # type: ignore[attr-defined]

    # --- the national summary of 2017–2022 ------------------------------------------------------

    def load_national(self, programme: Programme) -> None:
        period = ReportingPeriod.objects.filter(
            programme=programme, kind=PeriodKind.END_PHASE, phase__code="2017-2022"
        ).first()
        army, association = self.units["BQP"], self.units["CCB-TW"]
        if period is None or Report.objects.filter(period=period, unit=army).exists():
            return
        tcct, tuhoi = self.users["tcct"], self.users["tuhoi"]
        indicators = period_indicators(period)
        totals = figure_totals([army, association], [i.pk for i in indicators], period.start, period.end)
        figures = {i.code: totals[i.pk] for i in indicators}
        start = NATIONAL_SUBMITTED - timedelta(days=40)
        trail = self.open(period, army, tcct, start, partner_unit=association)
        # Signed by the seed's co-chairs, the bodies' deputies on the day (reporting.authority).
        day = NATIONAL_SUBMITTED.date()
        cochairs = [signer_for(army, day, name="Nguyễn Văn Gấu"), signer_for(association, day, name="Khuất Việt Dũng")]
        self.save(
            trail,
            tcct,
            start + timedelta(days=12),
            narrative={k: v for k, v in national_narrative(figures).items() if not k.startswith("field:")},
            **({"signers": cochairs} if all(cochairs) else {}),
        )
        self.save(
            trail,
            tuhoi,
            start + timedelta(days=20),
            narrative={k: v for k, v in national_narrative(figures).items() if k.startswith("field:")},
            recipients="\n".join(NATIONAL_RECIPIENTS),
            place="Hà Nội",
        )
        self.submit(trail, tcct, NATIONAL_SUBMITTED)
        self.decide(trail, tcct, NATIONAL_APPROVALS["tcct"], services.report_approve)
        self.decide(trail, tuhoi, NATIONAL_APPROVALS["tuhoi"], services.report_approve)
        self.backdate(trail)

    # --- the first half of 2026 -----------------------------------------------------------------

    def request(self, period: ReportingPeriod, at: datetime) -> list[OrgUnit]:
        """Requests to every province-level unit of both sides, dated ``at``; their units."""
        levels = list(OrgUnitLevel.objects.filter(organisation__code__in=["qdnd", "ccb"], code="province"))
        made = services.requests_create(period=period, levels=levels, acting_user=self.users["admin"])
        self.created["report_requests"] += made
        requests = ReportRequest.objects.filter(period=period, unit__level__in=levels)
        requests.update(requested_at=at)
        ReportRequest.history.filter(id__in=requests.values("pk")).update(history_date=at)  # type: ignore[attr-defined]
        return list(OrgUnit.objects.filter(pk__in=requests.values("unit_id")).order_by("code"))

    def writer(self, unit: OrgUnit) -> Any:
        """The demo user who writes the unit's report: its own, else the approver of its side's root."""
        own = {"CCB-HANOI": "hanoi.ccb", "QS-HANOI": "hanoi.qs", "CCB-CAMAU": "camau.ccb"}.get(unit.code)
        if own:
            return self.users[own]
        return self.users["tuhoi" if unit.code.startswith("CCB-") else "tcct"]

    def approver(self, unit: OrgUnit) -> Any:
        return self.users["tuhoi" if unit.code.startswith("CCB-") else "tcct"]

    def plan(self, units: list[OrgUnit]) -> dict[str, str]:
        """Which province-level unit's report is in which state (``H1_PLAN``, deterministic)."""
        plan = {code: state for code, state in H1_FIXED.items() if any(u.code == code for u in units)}
        rest = [u.code for u in units if u.code not in plan]
        self.rng.shuffle(rest)
        wanted = dict(H1_PLAN)
        for state in plan.values():
            wanted[state] -= 1
        for state, count in wanted.items():
            for code in rest[:count]:
                plan[code] = state
            rest = rest[count:]
        for code in rest:  # more units than planned: they have not started
            plan[code] = MISSING
        return plan

    def load_half_year(self, programme: Programme) -> None:
        period = ReportingPeriod.objects.filter(
            programme=programme, kind=PeriodKind.HALF, start=H1_START, end=H1_END
        ).first()
        if period is None or ReportRequest.objects.filter(period=period, unit__level__code="province").exists():
            return
        units = self.request(period, H1_REQUESTED)
        plan = self.plan(units)
        due = period.due_date
        returns = 0
        for unit in units:
            state = plan[unit.code]
            if state == MISSING:
                continue
            user = self.writer(unit)
            if state in (ON_TIME, RETURNED):
                sent = _at(due - timedelta(days=self.rng.randint(0, 9)), self.rng.randint(8, 16), 15)
            elif state == LATE:
                sent = _at(due + timedelta(days=self.rng.randint(2, 30)), self.rng.randint(8, 16), 45)
            else:
                sent = _at(H1_END + timedelta(days=self.rng.randint(5, 150)), self.rng.randint(8, 16), 30)
            opened = sent - timedelta(days=self.rng.randint(6, 12), hours=2)
            trail = self.open(period, unit, user, opened)
            if state == DRAFT:
                self.save(trail, user, sent, narrative=half_year_narrative(unit, complete=False))
                self.backdate(trail)
                continue
            self.save(trail, user, opened + timedelta(days=3), narrative=half_year_narrative(unit, complete=True))
            self.submit(trail, user, sent)
            if state == RETURNED:
                reason = RETURN_REASONS[returns % len(RETURN_REASONS)]
                returns += 1
                returned = sent + timedelta(days=self.rng.randint(2, 6), hours=1)
                self.decide(trail, self.approver(unit), returned, services.report_return, reason=reason)
            elif unit.code in H1_APPROVED:
                approved = sent + timedelta(days=self.rng.randint(3, 10), hours=2)
                self.decide(trail, self.approver(unit), approved, services.report_approve)
            self.backdate(trail)

    # --- the year 2026, under way ----------------------------------------------------------------

    def load_year(self, programme: Programme) -> None:
        period = ReportingPeriod.objects.filter(
            programme=programme, kind=PeriodKind.YEAR, start=YEAR_START, end=YEAR_END
        ).first()
        if period is None or ReportRequest.objects.filter(period=period, unit__level__code="province").exists():
            return
        units = {u.code: u for u in self.request(period, YEAR_REQUESTED)}
        for n, code in enumerate(YEAR_DRAFTS):
            unit = units.get(code)
            if unit is None:
                continue
            user = self.writer(unit)
            opened = _at(date(2026, 11, 10) + timedelta(days=2 * n), 9)
            trail = self.open(period, unit, user, opened)
            self.save(trail, user, opened + timedelta(days=3, hours=5), narrative=year_narrative(unit))
            self.backdate(trail)


def load_reporting_demo(stdout: Any = None) -> dict[str, int]:
    """Add the reporting cycle's demo data (once)."""
    return ReportingDemo(stdout=stdout).run()


__all__ = [
    "H1_FIXED",
    "H1_PLAN",
    "NATIONAL_SUBMITTED",
    "SEED",
    "YEAR_DRAFTS",
    "ReportingDemo",
    "load_reporting_demo",
]

"""The demo's second programme: "Chương trình phối hợp giữa Công an tỉnh Nghệ An và Hội Cựu
chiến binh tỉnh Nghệ An" (issue 15, item 5), set up as a new organisation's staff would set it
up: only through the services and the importer, never by writing rows.

What it adds, on top of ``demo.base`` (which has the veterans' association of Nghệ An and its
130 communes' associations):

* the organisation "Công an nhân dân" with its levels (bộ, tỉnh, xã), whose tree here starts at
  Công an tỉnh Nghệ An, as a province's police adopting phoihop on its own (``orgunits.services``);
* the police of Nghệ An's 130 communes and wards, imported from ``data/nghean/don-vi.csv``
  (the importer, kind ``units``), each paired with its commune's veterans' association;
* the programme (parties Công an tỉnh Nghệ An and Hội CCB tỉnh Nghệ An), its phases 2021–2026
  (closed) and 2026–2031 (active), signings, fields, indicators and the provincial targets of
  both phases (``programmes.services``);
* users ``nghean.ca`` (approver and unit administrator at Công an tỉnh Nghệ An) and
  ``nghean.ccb`` (approver at Hội CCB tỉnh Nghệ An), password ``DEMO_PASSWORD``
  (``accounts.services``);
* a few people (``nguoi.csv``) and two years of joint activities with their indicator values
  (``hoat-dong.csv``, 1/12/2024–27/11/2026), imported; the files are written once by
  ``tools/make_nghean_demo.py`` and kept in the repository;
* the reporting periods of both phases, and the joint end-of-phase summary of 2021–2026, sent by
  the police and approved on both sides (the police's own approver, and Trung ương Hội for the
  association's part; dated as the reporting demo dates its reports), which locks the phase in
  this programme only; then the 2021–2026 phase closes (``phase_set_status``).

Idempotent: each part is skipped when what it makes exists, so a second run adds nothing.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from phoihop.accounts.models import User
from phoihop.accounts.services import role_assign, user_create
from phoihop.audit.actions import default_action
from phoihop.core.gate import system_job
from phoihop.orgunits.models import AdminArea, Organisation, OrgUnit, OrgUnitLevel, OrgUnitPair
from phoihop.orgunits.services import organisation_create, pair_create, unit_create_root
from phoihop.programmes.models import Aggregation, Phase, PhaseStatus, Programme
from phoihop.programmes.services import (
    field_create,
    indicator_create,
    phase_create,
    programme_create,
    signing_update,
    target_set,
)

DATA_DIR = Path(__file__).resolve().parent / "data" / "nghean"
PROGRAMME_CODE = "CA-CCB-NGHEAN"
PROGRAMME_TITLE = "Chương trình phối hợp giữa Công an tỉnh Nghệ An và Hội Cựu chiến binh tỉnh Nghệ An"
ORGANISATION = ("cand", "Công an nhân dân", "CAND")
LEVELS = [
    {"code": "bo", "name": "Bộ"},
    {"code": "tinh", "name": "Tỉnh, thành phố"},
    {"code": "xa", "name": "Xã, phường, đặc khu"},
]
POLICE = "CA-NGHEAN"
VETERANS = "CCB-NGHEAN"
PROVINCE_AREA = "40"
REFORM_DAY = date(2025, 7, 1)
TZ = ZoneInfo(settings.TIME_ZONE)

# Phases meet on their boundary day (tools/make_nghean_demo.py dates the activities by them).
PHASES = [
    ("2021-2026", "2021–2026", date(2021, 4, 20), date(2026, 4, 19), PhaseStatus.CLOSED),
    ("2026-2031", "2026–2031", date(2026, 4, 20), date(2031, 4, 19), PhaseStatus.ACTIVE),
]
SIGNINGS = {
    "2021-2026": (date(2021, 4, 20), "Số 1268/CTPH-CAT-HCCB"),
    "2026-2031": (date(2026, 4, 20), "Số 985/CTPH-CAT-HCCB"),
}

FIELDS = [
    ("an-ninh-co-so", "Bảo đảm an ninh, trật tự ở cơ sở"),
    ("phong-chong-toi-pham", "Phòng, chống tội phạm và tệ nạn xã hội"),
    ("phong-trao-toan-dan", "Xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc"),
    ("tuyen-truyen", "Tuyên truyền, phổ biến, giáo dục pháp luật"),
]
# (code, field, name, unit of measure): the columns of hoat-dong.csv are these codes.
INDICATORS = [
    ("to-tu-quan", "an-ninh-co-so", "Số tổ tự quản an ninh, trật tự được thành lập", "tổ"),
    ("tuan-tra-luot", "an-ninh-co-so", "Số lượt hội viên Cựu chiến binh tham gia tuần tra, kiểm soát", "lượt người"),
    ("hoa-giai-thanh", "an-ninh-co-so", "Số vụ việc hòa giải thành ở cơ sở", "vụ việc"),
    ("tin-bao", "phong-chong-toi-pham", "Số tin báo về tội phạm, tệ nạn xã hội do hội viên cung cấp", "tin"),
    (
        "giup-do",
        "phong-chong-toi-pham",
        "Số người chấp hành xong án phạt tù được giáo dục, giúp đỡ tái hòa nhập cộng đồng",
        "người",
    ),
    ("mo-hinh", "phong-trao-toan-dan", "Số mô hình tự phòng, tự quản về an ninh, trật tự xây dựng mới", "mô hình"),
    ("tt-buoi", "tuyen-truyen", "Số buổi tuyên truyền, phổ biến pháp luật", "buổi"),
    ("tt-luot", "tuyen-truyen", "Số lượt người dự tuyên truyền", "lượt người"),
]
# Targets of the police per phase, {indicator: value}; the association's are half of them (it
# leads fewer of the joint activities). Sized to the demo's sample of activities, so that the
# dashboards' progress bars say something.
TARGETS = {
    "2021-2026": {"to-tu-quan": 40, "tuan-tra-luot": 1_500, "hoa-giai-thanh": 80, "tt-buoi": 250, "mo-hinh": 30},
    "2026-2031": {"to-tu-quan": 60, "tuan-tra-luot": 2_000, "hoa-giai-thanh": 100, "tt-buoi": 300, "mo-hinh": 40},
}
USERS = [
    # username, full name, unit, roles
    ("nghean.ca", "Nguyễn Văn Quyết", POLICE, ("approver", "unit_admin")),
    ("nghean.ccb", "Lê Thị Hằng", VETERANS, ("approver",)),
]
ROLES_FROM = date(2021, 4, 20)

FILES = {
    "units": "don-vi.csv",
    "people": "nguoi.csv",
    "activities": "hoat-dong.csv",
}

# The joint end-of-phase summary of 2021–2026 (sent and approved before the new phase's signing).
SUMMARY_OPENED = datetime(2026, 3, 20, 8, 30, tzinfo=TZ)
SUMMARY_SENT = datetime(2026, 4, 10, 9, 0, tzinfo=TZ)
# The police approve their part (their unit is the root of their tree, so its own approver
# approves, as the national bodies do); the association's part is approved from above its unit,
# by Trung ương Hội (``ReportPolicy``). Each approval locks the entry of the approver's side for
# the phase in this programme only (ADR 0022): the association's Nghệ An units, in the seed's
# programme too, stay open there.
SUMMARY_APPROVED = {
    "nghean.ca": datetime(2026, 4, 13, 14, 0, tzinfo=TZ),
    "tuhoi": datetime(2026, 4, 15, 9, 30, tzinfo=TZ),
}
SIGNERS = [
    {"capacity": "KT.", "collective": "GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "rank": "Đại tá", "name": "Hồ Đức Thịnh"},
    {"capacity": "TM.", "collective": "BAN THƯỜNG VỤ", "title": "PHÓ CHỦ TỊCH", "rank": "", "name": "Trần Văn Lương"},
]
RECIPIENTS = [
    "Bộ Công an (Cục Xây dựng phong trào bảo vệ an ninh Tổ quốc) (để báo cáo)",
    "Trung ương Hội Cựu chiến binh Việt Nam (để báo cáo)",
    "Thường trực Tỉnh ủy, UBND tỉnh Nghệ An (để báo cáo)",
    "Công an các xã, phường; Hội Cựu chiến binh các xã, phường",
]
SUMMARY_NARRATIVE = {
    "intro": (
        "Thực hiện Chương trình phối hợp giữa Công an tỉnh Nghệ An và Hội Cựu chiến binh tỉnh Nghệ An giai đoạn "
        "2021–2026, hai bên đã triển khai đồng bộ các nội dung phối hợp, gắn với phong trào toàn dân bảo vệ an "
        "ninh Tổ quốc và việc sắp xếp tổ chức bộ máy, chính quyền địa phương hai cấp từ ngày 1/7/2025.\n"
        "Công an tỉnh và Hội Cựu chiến binh tỉnh báo cáo tổng kết 5 năm thực hiện Chương trình như sau:"
    ),
    "strengths": (
        "Công tác phối hợp được cấp ủy, lãnh đạo hai bên quan tâm chỉ đạo; sau khi tổ chức Công an xã, phường "
        "theo đơn vị hành chính mới, việc phối hợp ở cơ sở được kiện toàn nhanh, không bị gián đoạn. Hội viên "
        "Cựu chiến binh là lực lượng nòng cốt trong các tổ tự quản, tổ hòa giải và mô hình tự phòng, tự quản về "
        "an ninh, trật tự."
    ),
    "limitations": (
        "Ở một số xã miền núi, địa bàn rộng, việc tuần tra, nắm tình hình còn khó khăn; số liệu từ cơ sở có lúc "
        "tổng hợp chậm. Kinh phí hỗ trợ các tổ tự quản, mô hình ở cơ sở còn hạn chế."
    ),
    "lessons": (
        "Một là, bám sát chức năng, nhiệm vụ của mỗi bên và tình hình thực tế của địa bàn.\n"
        "Hai là, lấy cơ sở làm địa bàn trọng tâm, phát huy vai trò nòng cốt của hội viên Cựu chiến binh.\n"
        "Ba là, duy trì chế độ giao ban, trao đổi thông tin, sơ kết, tổng kết và khen thưởng kịp thời."
    ),
    "directions": (
        "Giai đoạn 2026–2031, hai bên tiếp tục phối hợp xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc vững "
        "mạnh, nhân rộng các mô hình tự phòng, tự quản, phòng, chống tội phạm và tệ nạn xã hội, nhất là tội phạm "
        "ma túy và lừa đảo trên không gian mạng; ký kết Chương trình phối hợp giai đoạn 2026–2031."
    ),
}


class NgheAnDemo:
    """Loads the Nghệ An programme (see the module docstring)."""

    def __init__(self, stdout: Any = None) -> None:
        self.stdout = stdout
        self.created: dict[str, int] = defaultdict(int)
        self.admin: Any = None

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    @system_job("the demo data set")
    @default_action("demo.load")
    def run(self) -> dict[str, int]:
        started = time.monotonic()
        self.admin = User.objects.filter(username="admin", is_superuser=True).first()
        veterans = OrgUnit.objects.filter(code=VETERANS).first()
        if self.admin is None or veterans is None:
            return {}
        police = self.load_police_tree()
        programme = self.load_programme(police, veterans)
        self.load_users(police, veterans)
        self.import_units()
        self.load_areas()
        self.load_pairs(police, veterans)
        self.import_people()
        self.import_activities(programme)
        self.load_reporting(programme, police, veterans)
        self.close_phases(programme)
        if any(self.created.values()):
            self.log(
                "Đã nạp chương trình phối hợp Công an tỉnh – Hội CCB tỉnh Nghệ An ("
                + ", ".join(f"{k}: {v}" for k, v in sorted(self.created.items()) if v)
                + f") trong {time.monotonic() - started:.1f} giây."
            )
        return dict(self.created)

    # --- the police tree, through the structure services -------------------------------------

    def load_police_tree(self) -> OrgUnit:
        code, name, short = ORGANISATION
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            organisation = organisation_create(
                acting_user=self.admin, code=code, name=name, short_name=short, levels=LEVELS
            )
            self.created["organisations"] += 1
        levels = {lv.code: lv for lv in OrgUnitLevel.objects.filter(organisation=organisation)}
        police = OrgUnit.objects.filter(code=POLICE).first()
        if police is None:
            # The province's police adopts phoihop on its own: its tree starts at the province
            # (``unit_create_root``), the communes' police below it (imported).
            police = unit_create_root(
                organisation=organisation,
                acting_user=self.admin,
                code=POLICE,
                name="Công an tỉnh Nghệ An",
                short_name="CA tỉnh Nghệ An",
                level=levels["tinh"],
                kind="cong-an-tinh",
                area=AdminArea.objects.filter(code=PROVINCE_AREA).first(),
            )
            self.created["units"] += 1
        return police

    # --- the programme, through the set-up services --------------------------------------------

    def load_programme(self, police: OrgUnit, veterans: OrgUnit) -> Programme:
        programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
        if programme is not None:
            return programme
        admin = self.admin
        programme = programme_create(
            acting_user=admin, code=PROGRAMME_CODE, title=PROGRAMME_TITLE, parties=[police, veterans]
        )
        self.created["programmes"] += 1
        phases = {}
        for code, name, start, end, _status in PHASES:
            # Both phases run while the past comes in; the first closes after its summary (``close_phases``).
            phases[code] = phase_create(
                acting_user=admin,
                programme=programme,
                code=code,
                name=name,
                start=start,
                end=end,
                status=PhaseStatus.ACTIVE,
            )
            signed_on, number = SIGNINGS[code]
            signing_update(
                phase=phases[code],
                acting_user=admin,
                data={
                    "signed_on": signed_on,
                    "place": "Thành phố Vinh, Nghệ An",
                    "document_number": number,
                    "note": "Ký giữa Giám đốc Công an tỉnh Nghệ An và Chủ tịch Hội Cựu chiến binh tỉnh Nghệ An.",
                },
            )
            self.created["phases"] += 1
        fields = {}
        for order, (code, name) in enumerate(FIELDS):
            fields[code] = field_create(acting_user=admin, programme=programme, name=name, order=order, code=code)
            self.created["fields"] += 1
        indicators = {}
        for order, (code, field_code, name, uom) in enumerate(INDICATORS):
            indicators[code] = indicator_create(
                acting_user=admin,
                programme=programme,
                field=fields[field_code],
                code=code,
                name=name,
                unit_of_measure=uom,
                aggregation=Aggregation.SUM,
                order=order,
            )
            self.created["indicators"] += 1
        for phase_code, values in TARGETS.items():
            for unit, share in ((police, 1), (veterans, 2)):
                for indicator_code, value in values.items():
                    target_set(
                        phase=phases[phase_code],
                        unit=unit,
                        indicator=indicators[indicator_code],
                        value=value // share,
                        acting_user=admin,
                    )
                    self.created["targets"] += 1
        return programme

    # --- users -------------------------------------------------------------------------------

    def load_users(self, police: OrgUnit, veterans: OrgUnit) -> None:
        from phoihop.demo.base import DEMO_PASSWORD

        units = {POLICE: police, VETERANS: veterans}
        for username, full_name, unit_code, roles in USERS:
            if User.objects.filter(username=username).exists():
                continue
            user, _password = user_create(
                acting_user=self.admin,
                username=username,
                full_name=full_name,
                unit=units[unit_code],
                role=roles[0],
                password=DEMO_PASSWORD,
                valid_from=ROLES_FROM,
                must_change_password=False,
            )
            for role in roles[1:]:
                role_assign(acting_user=self.admin, user=user, unit=units[unit_code], role=role, valid_from=ROLES_FROM)
            # Approvers have an address: the demo writes their notices' mail to var/mail/ (ADR 0013).
            User.objects.filter(pk=user.pk).update(email=f"{username}@phoihop.example")
            self.created["users"] += 1

    # --- the files, through the importer ---------------------------------------------------------

    def import_kind(self, kind: str, programme: Programme | None = None) -> bool:
        """Import ``FILES[kind]`` as the system administrator; refuse loudly on any row error."""
        from phoihop.imports.services import import_file

        path = DATA_DIR / FILES[kind]
        result = import_file(
            acting_user=self.admin,
            kind=kind,
            path=path,
            filename=path.name,
            programme=programme,
            dry_run=False,
        )
        if result.errors:
            problems = "; ".join(f"dòng {e.row}, cột {e.column} ({e.value}): {e.message}" for e in result.errors[:10])
            raise RuntimeError(f"Tệp minh họa {path.name} không nhập được: {problems}")
        self.created[f"imported_{kind}"] += result.created
        return True

    def import_units(self) -> None:
        if OrgUnit.objects.filter(code__startswith="CA-X").exists():
            return
        self.import_kind("units")

    def import_people(self) -> None:
        from phoihop.orgunits.models import Person

        if Person.objects.filter(unit__code=POLICE).exists():
            return
        self.import_kind("people")

    def import_activities(self, programme: Programme) -> None:
        from phoihop.activities.models import Activity

        if Activity.objects.filter(phase__programme=programme).exists():
            return
        self.import_kind("activities", programme)

    def load_areas(self) -> None:
        """Each commune's police stands for its commune of the state list (the units' file has
        no area column): ``unit_update``, once."""
        from phoihop.orgunits.services import unit_update

        units = OrgUnit.objects.filter(code__startswith="CA-X", organisation__code=ORGANISATION[0], area__isnull=True)
        areas = {a.code: a for a in AdminArea.objects.filter(parent__code=PROVINCE_AREA)}
        for unit in units.order_by("code"):
            area = areas.get(unit.code.removeprefix("CA-X"))
            if area is not None:
                unit_update(unit=unit, acting_user=self.admin, data={"area": area})
                self.created["unit_areas"] += 1

    # --- pairs -------------------------------------------------------------------------------

    def load_pairs(self, police: OrgUnit, veterans: OrgUnit) -> None:
        """Each police unit with its counterpart association: the province's, and each commune's
        (``CA-X<code>`` with ``CCB-X<code>``), so each side sees their joint work."""
        pairs = OrgUnitPair.objects.filter(unit_a__organisation__code=ORGANISATION[0])
        existing = set(pairs.values_list("unit_a_id", flat=True))
        if police.pk not in existing:
            pair_create(
                unit_a=police,
                unit_b=veterans,
                acting_user=self.admin,
                valid_from=PHASES[0][2],
                note="Hai bên ký kết Chương trình phối hợp",
            )
            self.created["pairs"] += 1
        communes = OrgUnit.objects.filter(code__startswith="CA-X", organisation__code="cand").order_by("code")
        below = OrgUnit.objects.filter(path__startswith=veterans.path, depth=veterans.depth + 1)
        counterparts = {u.code: u for u in below.filter(code__startswith="CCB-X")}
        for unit in communes:
            other = counterparts.get("CCB-X" + unit.code.removeprefix("CA-X"))
            if other is None or unit.pk in existing:
                continue
            pair_create(unit_a=unit, unit_b=other, acting_user=self.admin, valid_from=unit.valid_from)
            self.created["pairs"] += 1

    # --- reporting ---------------------------------------------------------------------------

    def load_reporting(self, programme: Programme, police: OrgUnit, veterans: OrgUnit) -> None:
        """The periods of both phases, and the 2021–2026 summary (through the reporting services,
        then dated like the reporting demo's reports: ``ReportingDemo.backdate``)."""
        from phoihop.demo.reporting import ReportingDemo, Trail
        from phoihop.figures.periods import PeriodKind
        from phoihop.reporting import registers, services
        from phoihop.reporting.documents import issuing_unit, subject_for
        from phoihop.reporting.models import DocumentKind, Report, ReportingPeriod

        for phase in Phase.objects.filter(programme=programme).order_by("start"):
            made = services.periods_generate(phase=phase, acting_user=self.admin)
            self.created["reporting_periods"] += len(made)
        period = ReportingPeriod.objects.filter(
            programme=programme, kind=PeriodKind.END_PHASE, phase__code=PHASES[0][0]
        ).first()
        names = [u[0] for u in USERS] + list(SUMMARY_APPROVED)
        users = {u.username: u for u in User.objects.filter(username__in=names)}
        if period is None or len(users) < len(set(names)) or Report.objects.filter(period=period, unit=police).exists():
            return
        self.load_profiles(police, veterans)
        helper = ReportingDemo(stdout=self.stdout)
        writer, partner = users["nghean.ca"], users["nghean.ccb"]
        trail = Trail(
            services.report_open(period=period, unit=police, acting_user=writer, partner_unit=veterans),
            [SUMMARY_OPENED],
        )
        self.created["reports"] += 1
        helper.save(trail, writer, SUMMARY_OPENED + timedelta(days=6), narrative=SUMMARY_NARRATIVE)
        helper.save(
            trail, partner, SUMMARY_OPENED + timedelta(days=9), recipients="\n".join(RECIPIENTS), place="Nghệ An"
        )
        report = trail.report
        entry = registers.take_number(
            unit=issuing_unit(report.unit),
            year=SUMMARY_SENT.year,
            kind=DocumentKind.REPORT,
            symbol=registers.symbol_for(report.units, DocumentKind.REPORT),
            subject=subject_for(report),
            document=report,
            issued_on=SUMMARY_SENT.date(),
            acting_user=writer,
        )
        helper.save(trail, writer, SUMMARY_SENT - timedelta(minutes=5), number=entry.number, signers=SIGNERS)
        trail.report = services.report_submit(report=trail.report, acting_user=writer, take_number=False)
        trail.steps.append(SUMMARY_SENT)
        trail.sent = SUMMARY_SENT
        for username, at in SUMMARY_APPROVED.items():
            helper.decide(trail, users[username], at, services.report_approve)
        helper.backdate(trail)

    def close_phases(self, programme: Programme) -> None:
        """The 2021–2026 phase closes once its activities are in and its summary approved, as a
        programme's managers close a phase (``phase_set_status``): nothing more is written in it."""
        from phoihop.programmes.services import phase_set_status

        wanted = {code: status for code, _name, _start, _end, status in PHASES}
        for phase in Phase.objects.filter(programme=programme).order_by("start"):
            if phase.status != wanted[phase.code]:
                phase_set_status(phase=phase, acting_user=self.admin, status=wanted[phase.code])

    def load_profiles(self, police: OrgUnit, veterans: OrgUnit) -> None:
        """How the two provincial bodies stand on their documents (as ``demo.reporting`` does)."""
        from phoihop.reporting.models import BodyKind, BodyProfile

        specs = [
            dict(
                unit=police,
                kind=BodyKind.STATE,
                abbreviation="CAT",
                name_on_documents="Công an tỉnh Nghệ An",
                parent_name="Bộ Công an",
                place="Nghệ An",
                signer_capacity="KT.",
                signer_collective="GIÁM ĐỐC",
                signer_title="PHÓ GIÁM ĐỐC",
                signer_rank="Đại tá",
                signer_name="Hồ Đức Thịnh",
                recipients="\n".join(RECIPIENTS),
                head_title="Giám đốc",
            ),
            dict(
                unit=veterans,
                kind=BodyKind.ASSOCIATION,
                abbreviation="HCCB",
                place="Nghệ An",
                signer_capacity="TM.",
                signer_collective="BAN THƯỜNG VỤ",
                signer_title="PHÓ CHỦ TỊCH",
                signer_name="Trần Văn Lương",
                head_title="Chủ tịch",
                authority_basis="Căn cứ Điều lệ Hội Cựu chiến binh Việt Nam;",
            ),
        ]
        have = set(BodyProfile.objects.filter(unit__in=[police, veterans]).values_list("unit_id", flat=True))
        rows = []
        for spec in specs:
            if cast(OrgUnit, spec["unit"]).pk in have:
                continue
            profile = BodyProfile(**spec)
            profile.full_clean()
            rows.append(profile)
        if rows:
            bulk_create_with_history(rows, BodyProfile, default_user=self.admin, default_change_reason="demo.load")
            self.created["body_profiles"] += len(rows)


def load_nghean_demo(stdout: Any = None) -> dict[str, int]:
    """Add the Nghệ An programme (once)."""
    return NgheAnDemo(stdout=stdout).run()


__all__ = ["PROGRAMME_CODE", "NgheAnDemo", "load_nghean_demo"]

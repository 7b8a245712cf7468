"""Demo conferences: the seed's national conference of 23/9/2022 and a provincial one of Hà Nội (2025).

Idempotent: a conference already there (same programme, day and kind) is left as it is.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from phoihop.accounts.models import User
from phoihop.audit.actions import default_action
from phoihop.conferences import services
from phoihop.conferences.models import Conference, ConferenceKind
from phoihop.core.gate import system_job
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Phase, Programme, Signing
from phoihop.reporting.models import Report

NATIONAL_DAY = date(2022, 9, 23)
PROVINCIAL_DAY = date(2025, 4, 18)


class ConferenceDemo:
    def __init__(self, stdout: Any = None) -> None:
        self.stdout = stdout
        self.created: dict[str, int] = defaultdict(int)

    @system_job("the demo data set")
    @default_action("demo.load")
    def run(self) -> dict[str, int]:
        programme = Programme.objects.filter(code="QDND-CCB").first()
        admin = User.objects.filter(username="admin").first()
        if programme is None or admin is None:
            return {}
        self.units = {
            u.code: u for u in OrgUnit.objects.filter(code__in=["TCCT", "CCB-TW", "QS-HANOI", "CCB-HANOI", "BQP"])
        }
        self.people = {
            p.full_name: p
            for p in Person.objects.filter(unit__isnull=False) | Person.objects.filter(is_public_figure=True)
        }
        self.national(programme, admin)
        self.provincial(programme, admin)
        if self.stdout is not None:
            self.stdout.write(f"Hội nghị: {dict(self.created)}")
        return dict(self.created)

    def national(self, programme: Programme, admin: User) -> None:
        closing = Phase.objects.get(programme=programme, code="2017-2022")
        if Conference.objects.filter(programme=programme, held_on=NATIONAL_DAY, kind=ConferenceKind.END).exists():
            return
        report = Report.objects.filter(
            period__programme=programme,
            period__phase=closing,
            period__kind=PeriodKind.END_PHASE,
            unit=self.units["BQP"],
            partner_unit=self.units["CCB-TW"],
        ).first()
        conference = services.conference_save(
            acting_user=admin,
            organisers=[self.units["TCCT"], self.units["CCB-TW"]],
            data={
                "programme": programme,
                "phase": closing,
                "kind": ConferenceKind.END,
                "title": (
                    "Hội nghị tổng kết Chương trình phối hợp hoạt động giữa Quân đội nhân dân Việt Nam và "
                    "Hội Cựu chiến binh Việt Nam giai đoạn 2017–2022, ký kết Chương trình phối hợp giai đoạn 2022–2027"
                ),
                "held_on": NATIONAL_DAY,
                "place": "Hà Nội",
                "agenda": (
                    "1. Phát biểu khai mạc (Thiếu tướng Nguyễn Văn Gấu).\n"
                    "2. Báo cáo tổng kết Chương trình phối hợp giai đoạn 2017–2022.\n"
                    "3. Tham luận của các cơ quan, đơn vị.\n"
                    "4. Phát biểu chỉ đạo; phương hướng giai đoạn 2022–2027 (Trung tướng Khuất Việt Dũng).\n"
                    "5. Ký kết Chương trình phối hợp giai đoạn 2022–2027."
                ),
                "report": report,
            },
        )
        self.created["conferences"] += 1
        for order, name in enumerate(("Nguyễn Văn Gấu", "Khuất Việt Dũng")):
            # The demo's people hold the positions of that day (23/9/2022).
            services.cochair_add(conference=conference, person=self.people[name], acting_user=admin, order=order)
            self.created["cochairs"] += 1
        services.delegate_add(
            conference=conference, person=self.people["Phạm Tất Thắng"], is_guest_of_honour=True, acting_user=admin
        )
        self.created["delegates"] += 1
        for order, (unit, title) in enumerate(
            (
                ("QS-HANOI", "Phối hợp xây dựng hệ thống chính trị ở cơ sở vững mạnh (minh họa)"),
                ("CCB-HANOI", "Hội viên Cựu chiến binh tham gia giảm nghèo bền vững (minh họa)"),
            )
        ):
            services.paper_add(
                conference=conference, title=title, unit=self.units[unit], acting_user=admin, order=order
            )
            self.created["papers"] += 1
        signing = Signing.objects.filter(phase__programme=programme, phase__code="2022-2027").first()
        if signing is not None and not Conference.objects.filter(signing=signing).exists():
            services.signing_link(conference=conference, signing=signing, acting_user=admin)

    def provincial(self, programme: Programme, admin: User) -> None:
        phase = Phase.objects.get(programme=programme, code="2022-2027")
        if Conference.objects.filter(programme=programme, held_on=PROVINCIAL_DAY, kind=ConferenceKind.MID).exists():
            return
        conference = services.conference_save(
            acting_user=admin,
            organisers=[self.units["QS-HANOI"], self.units["CCB-HANOI"]],
            data={
                "programme": programme,
                "phase": phase,
                "kind": ConferenceKind.MID,
                "title": "Hội nghị sơ kết giữa giai đoạn Chương trình phối hợp trên địa bàn Thủ đô (minh họa)",
                "held_on": PROVINCIAL_DAY,
                "place": "Hà Nội",
                "agenda": "1. Báo cáo sơ kết.\n2. Tham luận.\n3. Kết luận.",
                "conclusions": (
                    "Hai bên thống nhất tiếp tục phối hợp tuyên truyền và giúp hội viên phát triển kinh tế (minh họa)."
                ),
            },
        )
        self.created["conferences"] += 1
        for order, name in enumerate(("Bùi Văn Toàn", "Lê Quang Vinh")):
            services.cochair_add(conference=conference, person=self.people[name], acting_user=admin, order=order)
            self.created["cochairs"] += 1
        services.delegate_add(
            conference=conference,
            name="Nguyễn Văn An",
            organisation="Ủy ban Mặt trận Tổ quốc thành phố Hà Nội",
            title="Phó Chủ tịch",
            is_guest_of_honour=True,
            acting_user=admin,
        )
        self.created["delegates"] += 1
        services.paper_add(
            conference=conference,
            title="Mô hình tổ tự quản an ninh ở phường (minh họa)",
            unit=self.units["CCB-HANOI"],
            acting_user=admin,
        )
        self.created["papers"] += 1


def load_conference_demo(stdout: Any = None) -> dict[str, int]:
    """Add the conferences' demo data (once)."""
    return ConferenceDemo(stdout=stdout).run()

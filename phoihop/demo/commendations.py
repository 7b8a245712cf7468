"""Demo commendations: the catalogue, and nominations of Hoàn Kiếm's association at several
stages, one crossing to the army and decided by the Head of the General Political Department
(TCCT's Bằng khen, TCCT's decision, signed by its deputy head "KT. CHỦ NHIỆM"; once; idempotent).
Each decided nomination's steps are dated on their planned days, before its decision.

Names and achievements are made up for the demo and say so."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from phoihop.audit.actions import default_action
from phoihop.commendations import services
from phoihop.commendations.models import AwardType, Nomination, NominationStep
from phoihop.core.gate import system_job
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Phase

COMMUNE = "CCB-X00070"
# TCCT's decision of the crossed nomination, and the days of the nomination's steps before it
# (sent by the ward, endorsed by the city, by the Association's centre, crossed to the army).
DECIDED_ON = date(2025, 12, 22)
STEP_DAYS = [date(2025, 11, 10), date(2025, 11, 21), date(2025, 12, 3), date(2025, 12, 10)]


def date_steps(nomination: Nomination, days: list[date]) -> None:
    """Date the nomination's steps, in their order, on ``days`` (at 09:00), and its making on
    the first: the demo's services ran today for a nomination of another day."""
    zone = ZoneInfo(settings.TIME_ZONE)
    steps = list(NominationStep.objects.filter(nomination=nomination).order_by("at", "pk"))
    for step, day in zip(steps, days, strict=False):
        NominationStep.objects.filter(pk=step.pk).update(at=datetime.combine(day, time(9), tzinfo=zone))
    if days:
        first = datetime.combine(days[0] - timedelta(days=3), time(9), tzinfo=zone)
        Nomination.objects.filter(pk=nomination.pk).update(created_at=first)


PEOPLE = [
    # full name, birth year, rank, positions
    ("Phạm Văn Thành", 1952, "thuong-uy", ["Phó Chủ tịch Hội Cựu chiến binh phường Hoàn Kiếm"]),
    (
        "Lê Thị Hòa",
        1958,
        "trung-uy",
        ["Chi hội trưởng Chi hội Cựu chiến binh tổ dân phố số 3, phường Hoàn Kiếm"],
    ),
    ("Ngô Đức Lâm", 1955, "dai-uy", ["Tổ trưởng tổ hội, Chi hội Cựu chiến binh tổ dân phố số 1, phường Hoàn Kiếm"]),
]


# The decided nominee's identity as his achievement report asks it (Decree 98, form 02).
IDENTITY = {
    "Phạm Văn Thành": {
        "birth_date": date(1952, 5, 19),
        "gender": "nam",
        "home_town": "xã Thanh Mai, huyện Thanh Oai, thành phố Hà Nội",
        "residence": "số 12 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội",
        "qualification": "Trung cấp lý luận chính trị",
    },
}


class CommendationDemo:
    def __init__(self, stdout: Any = None) -> None:
        self.stdout = stdout
        self.created: dict[str, int] = {"award_types": 0, "nominations": 0, "decisions": 0}

    @system_job("the demo data set")
    @default_action("demo.load")
    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.created["award_types"] = services.awards_load()
            commune = OrgUnit.objects.filter(code=COMMUNE).first()
            phase = Phase.objects.filter(programme__code="QDND-CCB", code="2022-2027").first()
            if commune is None or phase is None or not AwardType.objects.filter(code="bk-tcct").exists():
                return self.created
            if Nomination.objects.filter(proposing_unit=commune).exists():
                return self.created  # loaded before
            self.load(commune, phase)
        return self.created

    def load(self, commune: OrgUnit, phase: Phase) -> None:
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=["hoankiem.ccb", "hanoi.ccb", "tuhoi", "tcct"])
        }
        reporter = users["hoankiem.ccb"]
        people = []
        for name, born, rank, positions in PEOPLE:
            person = Person.objects.filter(full_name=name, unit=commune).first()
            if person is None:
                person = Person(
                    full_name=name,
                    birth_year=born,
                    rank=rank,
                    positions=positions,
                    unit=commune,
                    **IDENTITY.get(name, {}),
                )
                person.save()
            people.append(person)

        def propose(code: str, year: int, summary: str, **nominee: Any) -> Nomination:
            self.created["nominations"] += 1
            return services.nomination_create(
                acting_user=reporter,
                proposing_unit=commune,
                award=AwardType.objects.get(code=code),
                phase=phase,
                year=year,
                summary=summary,
                submission_text="Hội Cựu chiến binh phường Hoàn Kiếm kính trình cấp trên xem xét, đề nghị khen thưởng.",
                council_minutes=(
                    "Hội đồng thi đua, khen thưởng phường họp, thống nhất 100% thành viên dự họp nhất trí đề nghị."
                ),
                **nominee,
            )

        self.earlier_awards(commune, people[0], users)
        # 1. Crossed to the army and decided by the Head of TCCT (his Bằng khen, TCCT's decision).
        crossed = propose(
            "bk-tcct",
            2025,
            "Nhiều năm phối hợp với Ban Chỉ huy Quân sự phường tuyên truyền, giáo dục truyền thống.",
            person=people[0],
        )
        services.nomination_submit(nomination=crossed, acting_user=reporter)
        services.nomination_endorse(nomination=crossed, acting_user=users["hanoi.ccb"])
        services.nomination_endorse(nomination=crossed, acting_user=users["tuhoi"])
        before = NominationStep.objects.filter(nomination=crossed).count()
        date_steps(crossed, STEP_DAYS[:before])
        services.nomination_decide(
            nomination=crossed,
            acting_user=users["tcct"],
            issued_on=DECIDED_ON,
            subject="Về việc tặng Bằng khen của Chủ nhiệm Tổng cục Chính trị",
            # TCCT's decision (heading, number, authority "CHỦ NHIỆM TỔNG CỤC CHÍNH TRỊ"), signed
            # by its deputy head: TCCT's signatory gives "KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM" and his rank.
            signer_name="Nguyễn Văn Gấu",
        )
        date_steps(crossed, [*STEP_DAYS[:before], DECIDED_ON])
        self.created["decisions"] += 1
        # 2. Pending at the province: the commune's association as a collective.
        pending = propose(
            "gk-ccb-tinh",
            2026,
            "Hoàn thành xuất sắc nhiệm vụ phối hợp năm 2026.",
            nominee_unit=commune,
        )
        services.nomination_submit(nomination=pending, acting_user=reporter)
        # 3. Returned by the province, with its reason.
        returned = propose("bk-ccb-tw", 2026, "Tiêu biểu trong phong trào giúp nhau giảm nghèo.", person=people[1])
        services.nomination_submit(nomination=returned, acting_user=reporter)
        services.nomination_return(
            nomination=returned,
            reason="Đề nghị bổ sung biên bản họp hội đồng thi đua, khen thưởng có đủ chữ ký của các thành viên.",
            acting_user=users["hanoi.ccb"],
        )
        # 4. A draft.
        propose("knc-ccb", 2026, "Hơn 20 năm hoạt động trong Hội.", person=people[2])
        if self.stdout is not None:
            self.stdout.write(
                f"Khen thưởng: {self.created['nominations']} đề nghị, {self.created['decisions']} quyết định."
            )

    def earlier_awards(self, commune: OrgUnit, person: Person, users: dict[str, Any]) -> None:
        """The decided nominee's record before the Ministry's Bằng khen, so that the achievement
        report (Decree 98, form 02) has its identity fields and its table of earlier awards: a
        title of 2021 and a certificate of 2024, each proposed by the ward and decided by the
        city's association (idempotent)."""
        from phoihop.commendations.models import Award
        from phoihop.orgunits.models import Gender
        from phoihop.orgunits.services import person_update

        reporter, city = users["hoankiem.ccb"], users["hanoi.ccb"]
        if not person.gender:
            person_update(person=person, acting_user=reporter, data={"gender": Gender.MALE})
        earlier = [
            (
                "cstd-co-so-ccb",
                "2017-2022",
                2021,
                date(2021, 12, 20),
                "Về việc công nhận danh hiệu Chiến sĩ thi đua cơ sở năm 2021",
                "Chủ trì phối hợp với Ban Chỉ huy Quân sự phường tổ chức 12 buổi nói chuyện truyền thống cho "
                "1.450 lượt đoàn viên, học sinh; vận động hội viên đóng góp xây dựng 02 nhà tình nghĩa.",
            ),
            (
                "gk-ccb-tinh",
                "2022-2027",
                2024,
                date(2024, 12, 18),
                "Về việc tặng Giấy khen cho tập thể, cá nhân có thành tích xuất sắc năm 2024",
                "Lãnh đạo Hội Cựu chiến binh phường hoàn thành xuất sắc nhiệm vụ năm 2024; phối hợp tiếp nhận, "
                "quản lý 35 quân nhân xuất ngũ trở về địa phương và giúp 08 hộ hội viên thoát nghèo.",
            ),
        ]
        for code, phase_code, year, issued_on, subject, summary in earlier:
            if Award.objects.filter(person=person, award__code=code, year=year).exists():
                continue
            nomination = services.nomination_create(
                acting_user=reporter,
                proposing_unit=commune,
                award=AwardType.objects.get(code=code),
                phase=Phase.objects.get(programme__code="QDND-CCB", code=phase_code),
                year=year,
                summary=summary,
                person=person,
            )
            services.nomination_submit(nomination=nomination, acting_user=reporter)
            sent = issued_on - timedelta(days=21)
            date_steps(nomination, [sent])
            services.nomination_decide(
                nomination=nomination,
                acting_user=city,
                issued_on=issued_on,
                subject=subject,
                # "TM. BAN THƯỜNG VỤ / PHÓ CHỦ TỊCH", from the city association's signatory.
                signer_name="Lê Quang Vinh",
            )
            date_steps(nomination, [sent, issued_on])
            self.created["decisions"] += 1


def load_commendation_demo(stdout: Any = None) -> dict[str, int]:
    """Add the commendations' demo data (once)."""
    return CommendationDemo(stdout=stdout).run()

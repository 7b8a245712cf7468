"""Demo conferences: the seed's national conference of 23/9/2022 and a provincial one of Hà Nội (2025).

Idempotent: a conference already there (same programme, day and kind) is not made again; what its
record lacks (the hour, the venue, the programme, the speeches, the conclusions, the directions
adopted, the signatories) is added once, so a database loaded before keeps up with the demo.

The seed's conference is written from the seed's news report: its co-chairs and guest, the opening
speech and the speech on the 2022–2027 directions, the conclusions, the directions adopted and the
signing. The seed names neither the hour nor the hall: 08 giờ 00 and the hall of the Veterans'
Association's central office are the demo's.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time
from typing import Any

from phoihop.accounts.models import User
from phoihop.audit.actions import default_action
from phoihop.conferences import services
from phoihop.conferences.models import Conference, ConferenceKind, SpeechKind
from phoihop.core.gate import system_job
from phoihop.core.services import audited_save
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit, Person, take_snapshot
from phoihop.programmes.models import Field, Phase, Programme, Signatory, Signing
from phoihop.records import services as record_services
from phoihop.records.models import Proposal, ProposalHorizon
from phoihop.reporting.models import Report

NATIONAL_DAY = date(2022, 9, 23)
PROVINCIAL_DAY = date(2025, 4, 18)
DEMO_MARK = " (minh họa)"

NATIONAL_RECORD: dict[str, Any] = {
    "starts_at": time(8, 0),
    "ends_at": time(11, 30),
    "venue": "Hội trường Trung ương Hội Cựu chiến binh Việt Nam",
    "venue_address": "số 34A Trần Phú, quận Ba Đình, Hà Nội",
    "conclusions_intro": (
        "Sau khi nghe Báo cáo tổng kết Chương trình phối hợp hoạt động giai đoạn 2017–2022, các tham luận và ý kiến "
        "phát biểu của đại biểu, đồng chủ trì Hội nghị kết luận như sau:"
    ),
    "conclusions": "\n".join(
        [
            "Năm năm qua, cấp ủy, chỉ huy các cấp trong Quân đội và Hội Cựu chiến binh Việt Nam đã triển khai công tác "
            "phối hợp hoạt động toàn diện, đồng bộ, chặt chẽ trên nhiều lĩnh vực, sát với chức năng, nhiệm vụ của mỗi "
            "tổ chức, phù hợp với thực tiễn của các cơ quan, đơn vị và địa phương; nhiều mô hình hoạt động đạt "
            "hiệu quả cao, có sức lan tỏa sâu rộng trong đời sống xã hội.",
            "Việc thực hiện Chương trình đã góp phần củng cố, tăng cường mối quan hệ đoàn kết gắn bó giữa các đơn vị "
            "Quân đội với tổ chức Cựu chiến binh các cấp; phát huy vai trò, trách nhiệm của cán bộ, chiến sĩ và "
            "hội viên Cựu chiến binh, góp phần thực hiện thắng lợi nhiệm vụ xây dựng và bảo vệ Tổ quốc "
            "trong tình hình mới.",
            "Giai đoạn 2022–2027, hai bên tập trung làm tốt công tác tuyên truyền, giáo dục nâng cao nhận thức cho cán "
            "bộ, chiến sĩ, hội viên Cựu chiến binh và nhân dân; xây dựng hệ thống chính trị ở cơ sở vững mạnh, củng cố "
            "quốc phòng, an ninh; thực hiện tốt các phong trào, các cuộc vận động; đặc biệt là phối hợp phát triển "
            "kinh tế, văn hóa, xã hội, giảm nghèo bền vững, nâng cao đời sống hội viên Cựu chiến binh và nhân dân.",
            "Các cơ quan, đơn vị của hai bên căn cứ Chương trình phối hợp giai đoạn 2022–2027 đã ký kết xây dựng kế "
            "hoạch thực hiện sát với thực tiễn; thường xuyên trao đổi thông tin, định kỳ sơ kết, tổng kết, rút kinh "
            "nghiệm; biểu dương, khen thưởng kịp thời các tập thể, cá nhân có thành tích.",
        ]
    ),
}

NATIONAL_AGENDA = [
    (time(8, 0), "Tuyên bố lý do, giới thiệu đại biểu", "Ban Tổ chức"),
    (time(8, 10), "Phát biểu khai mạc Hội nghị", "Thiếu tướng Nguyễn Văn Gấu"),
    (
        time(8, 25),
        "Báo cáo tổng kết Chương trình phối hợp hoạt động giai đoạn 2017–2022",
        "Cục Dân vận, Tổng cục Chính trị",
    ),
    (time(9, 0), "Tham luận của các cơ quan, đơn vị", "Đại biểu các cơ quan, đơn vị"),
    (
        time(10, 0),
        "Phát biểu về phương hướng, nhiệm vụ phối hợp giai đoạn 2022–2027",
        "Trung tướng Khuất Việt Dũng",
    ),
    (
        time(10, 30),
        "Ký kết Chương trình phối hợp hoạt động giai đoạn 2022–2027",
        "Tổng cục Chính trị và Trung ương Hội Cựu chiến binh Việt Nam",
    ),
    (time(11, 0), "Kết luận, bế mạc Hội nghị", "Đồng chủ trì Hội nghị"),
]

# The two speeches the seed reports, in its words.
NATIONAL_SPEECHES = [
    (
        "Nguyễn Văn Gấu",
        SpeechKind.OPENING,
        "Phát biểu khai mạc Hội nghị tổng kết Chương trình phối hợp hoạt động giai đoạn 2017–2022",
        "5 năm qua, các cấp ủy, chỉ huy các cấp trong Quân đội và Hội Cựu chiến binh Việt Nam đã triển khai thực hiện "
        "công tác phối hợp hoạt động một cách toàn diện, đồng bộ và chặt chẽ trên nhiều lĩnh vực, sát với chức năng, "
        "nhiệm vụ của từng tổ chức, phù hợp với thực tiễn của các cơ quan, đơn vị và địa phương; nhiều mô hình hoạt "
        "động đạt hiệu quả cao, có sức lan tỏa sâu rộng trong đời sống xã hội. Hai bên thường xuyên trao đổi "
        "thông tin, rút kinh nghiệm và biểu dương, khen thưởng kịp thời các tập thể, cá nhân có thành tích, "
        "đồng thời đề xuất phương hướng, nhiệm vụ trong thời gian tiếp theo.\n"
        "Thông qua thực hiện Chương trình phối hợp hoạt động đã góp phần củng cố và tăng cường mối quan hệ đoàn kết "
        "gắn bó giữa các đơn vị Quân đội với các tổ chức Cựu chiến binh các cấp, động viên và phát huy tốt vai trò, "
        "trách nhiệm của cán bộ, chiến sĩ và hội viên Cựu chiến binh trong công tác phối hợp hoạt động, góp phần thực "
        "hiện thắng lợi nhiệm vụ xây dựng và bảo vệ Tổ quốc trong tình hình mới.",
    ),
    (
        "Khuất Việt Dũng",
        SpeechKind.SPEECH,
        "Phương hướng, nhiệm vụ phối hợp hoạt động giai đoạn 2022–2027",
        "Trong giai đoạn 2022–2027, công tác phối hợp cần bám sát chức năng, nhiệm vụ của mỗi tổ chức, tập trung "
        "vào những nội dung trọng tâm hai bên đã thống nhất, đặc biệt là phối hợp giảm nghèo bền vững, nâng cao đời "
        "sống của hội viên Cựu chiến binh và nhân dân.",
    ),
]

# The directions of 2022–2027, proposed by the two parties for the summary report and adopted at
# the conference (the seed's words): (unit, field, title, content).
NATIONAL_DIRECTIONS = [
    (
        "TCCT",
        "tuyen-truyen",
        "Tuyên truyền, giáo dục giai đoạn 2022–2027",
        "Tập trung tuyên truyền, giáo dục nâng cao nhận thức cho cán bộ, chiến sĩ, hội viên Cựu chiến binh và nhân "
        "dân thực hiện đường lối, chủ trương của Đảng, chính sách, pháp luật của Nhà nước.",
    ),
    (
        "CCB-TW",
        "he-thong-chinh-tri",
        "Xây dựng hệ thống chính trị ở cơ sở, củng cố quốc phòng, an ninh",
        "Xây dựng hệ thống chính trị ở cơ sở vững mạnh, củng cố quốc phòng, an ninh.",
    ),
    (
        "TCCT",
        "phong-trao",
        "Các phong trào, các cuộc vận động",
        "Thực hiện tốt các phong trào, các cuộc vận động do Đảng, Nhà nước, Mặt trận Tổ quốc, Quân đội, Hội Cựu "
        "chiến binh và địa phương phát động.",
    ),
    (
        "CCB-TW",
        "giam-ngheo",
        "Phát triển kinh tế, văn hóa, xã hội, giảm nghèo bền vững",
        "Đẩy mạnh phối hợp phát triển kinh tế, văn hóa, xã hội, giảm nghèo bền vững, nâng cao đời sống hội viên Cựu "
        "chiến binh và nhân dân.",
    ),
]
DIRECTIONS_DAY = date(2022, 9, 15)

# Who signed the programme of 2022–2027 for each body, and in what capacity.
NATIONAL_SIGNATORIES = [
    ("Nguyễn Văn Gấu", "TCCT", "KT. Chủ nhiệm"),
    ("Khuất Việt Dũng", "CCB-TW", "TM. Ban Thường vụ"),
]


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
        existing = Conference.objects.filter(programme=programme, held_on=NATIONAL_DAY, kind=ConferenceKind.END).first()
        if existing is not None:
            self.complete_national(existing, admin)
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
                ("QS-HANOI", "Phối hợp xây dựng hệ thống chính trị ở cơ sở vững mạnh"),
                ("CCB-HANOI", "Hội viên Cựu chiến binh tham gia giảm nghèo bền vững"),
            )
        ):
            services.paper_add(
                conference=conference, title=title, unit=self.units[unit], acting_user=admin, order=order
            )
            self.created["papers"] += 1
        signing = Signing.objects.filter(phase__programme=programme, phase__code="2022-2027").first()
        if signing is not None and not Conference.objects.filter(signing=signing).exists():
            services.signing_link(conference=conference, signing=signing, acting_user=admin)
        self.complete_national(conference, admin)

    def complete_national(self, conference: Conference, admin: User) -> None:
        """What the seed's conference record holds beyond its first version, each part added once."""
        if conference.starts_at is None:
            services.conference_save(
                acting_user=admin,
                conference=conference,
                organisers=list(conference.organisers.all()),
                data=NATIONAL_RECORD,
            )
            self.created["records"] += 1
        if not conference.agenda_items.exists():
            for order, (at, item, presenter) in enumerate(NATIONAL_AGENDA, start=1):
                services.agenda_item_add(
                    conference=conference, acting_user=admin, at=at, item=item, presenter=presenter, order=order
                )
                self.created["agenda_items"] += 1
        if not conference.speeches.exists():
            for order, (name, kind, title, summary) in enumerate(NATIONAL_SPEECHES, start=1):
                # The demo's people hold the positions of that day (23/9/2022).
                services.speech_add(
                    conference=conference,
                    acting_user=admin,
                    person=self.people[name],
                    kind=kind,
                    title=title,
                    summary=summary,
                    order=order,
                )
                self.created["speeches"] += 1
        self.unmark(conference, admin)
        self.adopt_directions(conference, admin)
        self.sign(conference, admin)

    def unmark(self, conference: Conference, admin: User) -> None:
        """Text meant for documents carries no demo marker (a database loaded before had them)."""
        changes = {
            name: getattr(conference, name).replace(DEMO_MARK, "").replace("(minh họa)", "").strip()
            for name in ("title", "conclusions")
            if "minh họa" in getattr(conference, name)
        }
        if changes:
            services.conference_save(
                acting_user=admin, conference=conference, organisers=list(conference.organisers.all()), data=changes
            )
            self.created["records"] += 1
        for paper in conference.papers.filter(title__contains="minh họa"):
            services.paper_update(
                paper=paper, acting_user=admin, data={"title": paper.title.replace(DEMO_MARK, "").strip()}
            )
            self.created["papers"] += 1

    def adopt_directions(self, conference: Conference, admin: User) -> None:
        signing = conference.signing
        if signing is None or conference.adoptions.exists():
            return
        fields = {f.code: f for f in Field.objects.filter(programme=conference.programme)}
        for code, field_code, title, content in NATIONAL_DIRECTIONS:
            unit = self.units[code]
            proposal = Proposal.objects.filter(unit=unit, phase=conference.phase, title=title).first()
            if proposal is None:
                proposal = record_services.proposal_save(
                    acting_user=admin,
                    data={
                        "unit": unit,
                        "phase": conference.phase,
                        "horizon": ProposalHorizon.NEXT_PHASE,
                        "field": fields.get(field_code),
                        "title": title,
                        "content": content,
                        "recorded_on": DIRECTIONS_DAY,
                    },
                )
                self.created["proposals"] += 1
            services.proposal_adopt(conference=conference, proposal=proposal, phase=signing.phase, acting_user=admin)
            self.created["adoptions"] += 1

    def sign(self, conference: Conference, admin: User) -> None:
        """The signatories of the programme of 2022–2027: the two co-chairs, each for its body."""
        signing = conference.signing
        if signing is None or Signatory.objects.filter(signing=signing).exists():
            return
        for order, (name, code, capacity) in enumerate(NATIONAL_SIGNATORIES):
            signatory = Signatory(signing=signing, body=self.units[code], capacity=capacity, order=order)
            take_snapshot(signatory, self.people[name])
            audited_save(signatory, acting_user=admin, action="demo.load")
            self.created["signatories"] += 1

    def provincial(self, programme: Programme, admin: User) -> None:
        phase = Phase.objects.get(programme=programme, code="2022-2027")
        existing = Conference.objects.filter(
            programme=programme, held_on=PROVINCIAL_DAY, kind=ConferenceKind.MID
        ).first()
        if existing is not None:
            self.unmark(existing, admin)
            return
        conference = services.conference_save(
            acting_user=admin,
            organisers=[self.units["QS-HANOI"], self.units["CCB-HANOI"]],
            data={
                "programme": programme,
                "phase": phase,
                "kind": ConferenceKind.MID,
                "title": "Hội nghị sơ kết giữa giai đoạn Chương trình phối hợp trên địa bàn Thủ đô",
                "held_on": PROVINCIAL_DAY,
                "starts_at": time(14, 0),
                "place": "Hà Nội",
                "venue": "Hội trường Bộ Tư lệnh Thủ đô Hà Nội",
                "conclusions": (
                    "Hai bên thống nhất tiếp tục phối hợp tuyên truyền và giúp hội viên phát triển kinh tế."
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
            title="Mô hình tổ tự quản an ninh ở phường",
            unit=self.units["CCB-HANOI"],
            acting_user=admin,
        )
        self.created["papers"] += 1


def load_conference_demo(stdout: Any = None) -> dict[str, int]:
    """Add the conferences' demo data (once)."""
    return ConferenceDemo(stdout=stdout).run()

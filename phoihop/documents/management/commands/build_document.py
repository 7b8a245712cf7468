"""python manage.py build_document: one document of the record as DOCX or PDF, signed on request.

    python manage.py build_document KIND --id N [--format docx|pdf] [--sign] --output FILE

KIND and what N is the id of (``KINDS``): ``report`` (a report), ``decision`` (a commendation
decision), ``invitation``, ``notice``, ``plan`` and ``summary`` (a conference: its invitation,
its notice of conclusions, its plan, its bản tin), ``achievement`` (a nomination: its
achievement report, Decree 98).

Each kind is built by its own builder, the one its page downloads (no second copy of a
document here); PDF is LibreOffice's conversion of that DOCX. ``--sign`` (PDF only) signs with
the issuing bodies' certificates (``phoihop.esign``): each body's signer over the name its block
prints, then its seal. A bản tin is an article, not an issued document: it is not signed.

The command reads as the system (``system_job``), as ``build_report`` does: the server's
operator reads the database itself. An achievement report therefore prints the nominee's
private details as a system administrator gets them, and every file that names people is
written to the access log of personal data with no user as actor (ADR 0011).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Model

from phoihop.audit.access import log_people_export
from phoihop.commendations import achievement
from phoihop.commendations.documents import decision_docx
from phoihop.commendations.models import Decision, Nomination
from phoihop.commendations.selectors import decision_number
from phoihop.conferences import documents as conference_documents
from phoihop.conferences.models import Conference
from phoihop.core.formats import vn_number
from phoihop.core.gate import system_job
from phoihop.documents.builders import TemplateFailed
from phoihop.documents.pdf import PdfFailed, PdfUnavailable, docx_to_pdf
from phoihop.orgunits.models import OrgUnit
from phoihop.reporting import documents as report_documents
from phoihop.reporting.models import Report

FORMATS = ("docx", "pdf")


@dataclass
class Made:
    """A document built as DOCX, with what signing and the access log need."""

    docx: bytes
    label: str  # what it is, for the operator: "Quyết định số 01 ngày 22/12/2025 của Tổng cục Chính trị"
    # The issuing bodies in signing order, each with the signer's name its block prints ("": the
    # certificate's person); empty: the document has no signature to sign.
    signers: list[tuple[OrgUnit, str]] = field(default_factory=list)
    number: str = ""  # "Số: 01/QĐ-TCCT", shown with the seal ("" while not numbered)
    place: str = ""
    log: Callable[[str], None] | None = None  # the access log of personal data, for the file's format


@dataclass(frozen=True)
class Kind:
    noun: str  # what N is the id of, for the messages: "quyết định"
    load: Callable[[int], Any]  # the record of that id, or None
    make: Callable[[Any], Made]  # its document, from the builder its page downloads
    unsigned: str = ""  # why it is never signed ("": it may be)


# --- the kinds ---------------------------------------------------------------------------------


def _log_people(target: Model, people: list[int], what: str, unit: OrgUnit | None = None) -> Callable[[str], None]:
    def log(file_format: str) -> None:
        log_people_export(actor=None, target=target, people=people, what=what, file_format=file_format, unit=unit)

    return log


def _load_report(pk: int) -> Report | None:
    return (
        Report.objects.select_related("period__programme", "period__phase", "unit", "partner_unit")
        .filter(pk=pk)
        .first()
    )


def _report(report: Report) -> Made:
    """The report's builder (``reporting.documents.build``); each party's issuing body signs
    over the name of its signer, as ``build_report --sign`` does."""
    from phoihop.reporting.views import number_label

    return Made(
        docx=report_documents.build(report, "docx").content,
        label=f"Báo cáo {report_documents.lower_first(report.period.name)}, "
        + " và ".join(unit.code for unit in report.units),
        signers=report_documents.signing_bodies(report),
        number=f"Số: {number_label(report)}" if report.number else "",
        place=report.place or "",
    )


def _load_decision(pk: int) -> Decision | None:
    return Decision.objects.select_related("issuing_unit", "awarding_unit").filter(pk=pk).first()


def _decision(decision: Decision) -> Made:
    people = [pk for pk in decision.awards.values_list("person_id", flat=True) if pk]
    return Made(
        docx=decision_docx(decision),
        label=f"{decision} của {decision.issuing_unit.name}",
        signers=[(decision.issuing_unit, decision.signer_name)],
        number=f"Số: {decision_number(decision)}" if decision.number else "",
        place=report_documents.default_place(decision.issuing_unit),
        log=_log_people(decision, people, str(decision), decision.issuing_unit),
    )


def _load_conference(pk: int) -> Conference | None:
    return Conference.objects.select_related("programme").filter(pk=pk).first()


def _conference(build: Callable[[Conference], Any], what: str, *, signed: bool = True) -> Callable[[Conference], Made]:
    """A conference's document from its builder: the organisers sign it, each over the name of
    its chair (the co-chair of its tree), as the document's signature blocks print them."""

    def make(conference: Conference) -> Made:
        built = build(conference)
        cochairs = list(conference.cochairs.select_related("person__unit"))
        signers = []
        if signed:
            for unit in conference_documents.organisers(conference):
                chair = conference_documents.chair_of(unit, cochairs)
                signers.append((unit, chair.person.full_name if chair is not None else ""))
        return Made(
            docx=built.content,
            label=f"{what} {conference.title}",
            signers=signers,
            place=conference.place,
            log=_log_people(conference, [c.person_id for c in cochairs], built.filename),
        )

    return make


def _load_nomination(pk: int) -> Nomination | None:
    return (
        Nomination.objects.select_related(
            "award", "phase__programme", "proposing_unit", "awarding_unit", "nominee_unit", "person", "home_unit"
        )
        .filter(pk=pk)
        .first()
    )


def _achievement(nomination: Nomination) -> Made:
    from phoihop.accounts.models import User

    # The system's reader: a system administrator's view (private details printed), not saved,
    # holding no role. It only answers ``perms(...).can("read-private")`` in achievement_content.
    reader = User(username="build_document", is_superuser=True, is_active=True)
    report = achievement.achievement_content(nomination, reader)
    head = nomination.nominee_unit if nomination.is_collective else nomination.home_unit
    assert head is not None
    return Made(
        docx=achievement.achievement_docx(report),
        label=f"Báo cáo thành tích của {report.nominee}, đề nghị tặng {report.award}",
        # The head of the unit signs and seals (form 01: "THỦ TRƯỞNG ĐƠN VỊ"; form 02: the head's
        # confirmation); the block leaves the name to write, so the certificate's person is sought.
        signers=[(report_documents.issuing_unit(head), "")],
        place=report.place,
        # achievement.log_export reads only the request's user: here none, the system.
        log=lambda file_format: achievement.log_export(SimpleNamespace(user=None), nomination, file_format),
    )


KINDS: dict[str, Kind] = {
    "report": Kind("báo cáo", _load_report, _report),
    "decision": Kind("quyết định khen thưởng", _load_decision, _decision),
    "invitation": Kind("hội nghị", _load_conference, _conference(conference_documents.build_invitation, "Giấy mời dự")),
    "notice": Kind(
        "hội nghị", _load_conference, _conference(conference_documents.build_notice, "Thông báo kết luận của")
    ),
    "plan": Kind("hội nghị", _load_conference, _conference(conference_documents.build_plan, "Kế hoạch tổ chức")),
    "summary": Kind(
        "hội nghị",
        _load_conference,
        _conference(conference_documents.build_bulletin, "Bản tin", signed=False),
        unsigned="Bản tin là bài viết đưa tin về hội nghị, không phải văn bản ban hành, nên không có chữ ký để ký số",
    ),
    "achievement": Kind("đề nghị khen thưởng", _load_nomination, _achievement),
}


# --- the command -------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Xuất một văn bản ra tệp Word (DOCX) hoặc PDF, ký số nếu cần: báo cáo (report), quyết định khen thưởng "
        "(decision), giấy mời (invitation), thông báo kết luận (notice), kế hoạch tổ chức (plan) và bản tin (summary) "
        "của hội nghị, báo cáo "
        "thành tích của đề nghị khen thưởng (achievement). Lệnh dành cho người vận hành máy chủ: đọc thẳng cơ sở "
        "dữ liệu như một thao tác của hệ thống, không theo phạm vi của một tài khoản nào; tệp có tên người được "
        "ghi vào nhật ký truy cập dữ liệu cá nhân."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=list(KINDS),
            metavar="KIND",
            help="Loại văn bản: " + ", ".join(KINDS) + ".",
        )
        parser.add_argument(
            "--id",
            type=int,
            required=True,
            dest="pk",
            metavar="N",
            help="Id của báo cáo (report), quyết định (decision), hội nghị (invitation, notice, plan, summary) "
            "hoặc đề nghị khen thưởng (achievement).",
        )
        parser.add_argument("--format", choices=FORMATS, help="docx hoặc pdf (mặc định: theo đuôi tên tệp --output).")
        parser.add_argument("--output", required=True, help="Đường dẫn tệp sẽ ghi.")
        parser.add_argument(
            "--sign",
            action="store_true",
            help="Ký số tệp PDF bằng chứng thư số của (các) cơ quan ban hành (chỉ với --format pdf).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with system_job("build_document: a document written out from the command line"):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        started = time.monotonic()
        kind = KINDS[options["kind"]]
        output = Path(options["output"]).expanduser()
        fmt = options["format"] or output.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise CommandError(
                "Hãy cho biết định dạng bằng --format docx hoặc pdf (hoặc đặt tên tệp --output có đuôi đó)."
            )
        if not output.parent.is_dir():
            raise CommandError(f"Không có thư mục “{output.parent}” để ghi tệp.")
        if options["sign"] and fmt != "pdf":
            raise CommandError("Chỉ ký số được tệp PDF: hãy dùng --format pdf cùng với --sign.")
        if options["sign"] and kind.unsigned:
            raise CommandError(f"{kind.unsigned}. Hãy bỏ --sign.")

        found = kind.load(options["pk"])
        if found is None:
            raise CommandError(f"Không tìm thấy {kind.noun} có id {options['pk']}.")
        try:
            made = kind.make(found)
        except ValidationError as exc:  # the record lacks what the document must say
            raise CommandError(" ".join(exc.messages)) from exc
        except TemplateFailed as exc:
            raise CommandError(str(exc)) from exc
        if options["sign"]:
            self._check_certificates(made)

        content = made.docx
        if fmt == "pdf":
            try:
                content = docx_to_pdf(content)
            except (PdfUnavailable, PdfFailed) as exc:
                raise CommandError(str(exc)) from exc
        if options["sign"]:
            content = self._sign(made, content)
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp “{output}”: {exc.strerror or exc}.") from exc
        if made.log is not None:
            made.log(fmt)

        self.stdout.write(
            f"Đã ghi {output} ({vn_number(len(content))} byte{', đã ký số' if options['sign'] else ''}) "
            f"trong {vn_number(time.monotonic() - started, 1)} giây: {made.label}."
        )

    def _check_certificates(self, made: Made) -> None:
        """Before LibreOffice runs: every body that signs has a certificate in force."""
        from phoihop.esign.signing import current_certificates

        if not made.signers:
            raise CommandError("Văn bản này không có khối chữ ký để ký số. Hãy bỏ --sign.")
        for body, _name in made.signers:
            if not current_certificates(body):
                raise CommandError(
                    f"Chưa ký số được: {body.name} chưa có chứng thư số còn hiệu lực. Quản trị hệ thống tải "
                    "chứng thư số của cơ quan lên ở trang “Chứng thư số của cơ quan”; hoặc bỏ --sign để xuất "
                    "bản chưa ký."
                )

    def _sign(self, made: Made, pdf: bytes) -> bytes:
        from phoihop.esign.signing import SigningUnavailable, sign_pdf

        (body, name), *partners = made.signers
        try:
            return sign_pdf(
                pdf,
                unit=body,
                signer_name=name,
                partners=partners,
                reason=f"Ký ban hành: {made.label}",
                location=made.place,
                number=made.number,
            )
        except SigningUnavailable as exc:
            raise CommandError(str(exc)) from exc

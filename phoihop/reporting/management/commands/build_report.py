"""python manage.py build_report: a report of a programme's period as DOCX, XLSX or PDF, for batch work.

    python manage.py build_report --programme QDND-CCB --phase 2017-2022 [--kind tong-ket]
        [--period <id or name>] [--unit CODE ...] --format docx|xlsx|pdf --output FILE
        [--status any|approved] [--sign]

Without ``--unit``: the joint national report of the programme's parties (their root units, the
first party's as the reporting unit and the second's as its partner); with one unit, that unit's
report; with two, their joint report. A report saved in phoihop for that period and unit is used
(its frozen figures once sent); otherwise the document is built from live figures and nothing
is saved. ``--sign`` (PDF only) signs the document with the issuing bodies' certificates
(``phoihop.esign``): each body's signer over its signature block, then its seal.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from phoihop.core.formats import vn_number
from phoihop.core.gate import system_job
from phoihop.documents.pdf import PdfFailed, PdfUnavailable
from phoihop.figures.periods import REPORTING_KIND_VALUES, PeriodKind
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Phase, Programme
from phoihop.programmes.selectors import covers, party_roots
from phoihop.reporting.documents import FORMATS, build, default_place, default_recipients, default_signers
from phoihop.reporting.models import KIND_ALIASES, Report, ReportingPeriod, ReportStatus


class Command(BaseCommand):
    help = (
        "Xuất báo cáo của một kỳ ra tệp Word (DOCX, thể thức Nghị định 30/2020/NĐ-CP), Excel (XLSX) hoặc PDF. "
        "Không ghi --unit: báo cáo liên tịch toàn quốc của các bên ký kết chương trình. Nếu hệ thống đã có báo "
        "cáo của kỳ và đơn vị thì dùng báo cáo đó (số liệu đã chốt khi gửi); nếu chưa, dựng văn bản từ số liệu "
        "hiện nay và không lưu gì. Lệnh dành cho người vận hành máy chủ: đọc thẳng cơ sở dữ liệu như một thao "
        "tác của hệ thống, không theo phạm vi của một tài khoản nào."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", required=True, help="Mã chương trình, ví dụ QDND-CCB.")
        parser.add_argument("--phase", help="Mã giai đoạn, ví dụ 2017-2022 (bắt buộc khi không ghi --period).")
        parser.add_argument(
            "--kind",
            default="tong-ket",
            help=(
                "Loại kỳ: "
                + ", ".join(f"{alias} ({PeriodKind(kind).label})" for alias, kind in KIND_ALIASES.items())
                + "; hoặc giá trị month, quarter, half, nine, year, mid_phase, end_phase, other. Mặc định: tong-ket."
            ),
        )
        parser.add_argument("--period", help="Kỳ báo cáo: id hoặc tên đầy đủ (thay cho --phase và --kind).")
        parser.add_argument(
            "--unit",
            action="extend",
            nargs="+",
            default=[],
            metavar="CODE",
            help="Mã đơn vị báo cáo; ghi hai mã cho báo cáo liên tịch. Bỏ trống: báo cáo toàn quốc của các bên.",
        )
        parser.add_argument(
            "--format",
            choices=list(FORMATS),
            help="Định dạng tệp: docx, xlsx hoặc pdf (mặc định: theo đuôi tên tệp --output).",
        )
        parser.add_argument("--output", required=True, help="Đường dẫn tệp sẽ ghi.")
        parser.add_argument(
            "--status",
            choices=["any", "approved"],
            default="any",
            help="any (mặc định): báo cáo ở bất kỳ trạng thái nào, hoặc dựng từ số liệu hiện nay khi chưa có; "
            "approved: chỉ xuất báo cáo đã duyệt.",
        )
        parser.add_argument(
            "--sign",
            action="store_true",
            help="Ký số tệp PDF bằng chứng thư số của (các) cơ quan ban hành (chỉ với --format pdf).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with system_job("build_report: a report written out from the command line"):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        started = time.monotonic()
        output = Path(options["output"]).expanduser()
        fmt = options["format"] or output.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise CommandError(
                "Hãy cho biết định dạng bằng --format docx, xlsx hoặc pdf (hoặc đặt tên tệp --output có đuôi đó)."
            )
        if not output.parent.is_dir():
            raise CommandError(f"Không có thư mục “{output.parent}” để ghi tệp.")
        if options["sign"] and fmt != "pdf":
            raise CommandError("Chỉ ký số được tệp PDF: hãy dùng --format pdf cùng với --sign.")

        programme = Programme.objects.filter(code=options["programme"]).first()
        if programme is None:
            known = ", ".join(Programme.objects.order_by("code").values_list("code", flat=True)) or "chưa có"
            raise CommandError(
                f"Không tìm thấy chương trình có mã “{options['programme']}”. Các chương trình: {known}."
            )
        period = self._period(programme, options)
        unit, partner = self._units(programme, options["unit"])
        report, saved = self._report(period, unit, partner, options["status"])

        try:
            built = build(report, fmt)
        except (PdfUnavailable, PdfFailed) as exc:
            raise CommandError(str(exc)) from exc
        content = self._sign(report, built.content) if options["sign"] else built.content
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp “{output}”: {exc.strerror or exc}.") from exc

        if saved:
            source = f"báo cáo {report.get_status_display().lower()} trong hệ thống"
            if report.is_sent:
                source += ", số liệu đã chốt khi gửi"
        else:
            source = "dựng từ số liệu hiện nay, chưa có báo cáo lưu trong hệ thống"
        names = " và ".join(u.code for u in report.units)
        self.stdout.write(
            f"Đã ghi {output} ({vn_number(len(content))} byte{', đã ký số' if options['sign'] else ''}) "
            f"trong {vn_number(time.monotonic() - started, 1)} "
            f"giây: {period.name}, {names} ({source})."
        )

    def _sign(self, report: Report, pdf: bytes) -> bytes:
        """Sign with each issuing body's certificates, over the signer's name it prints."""
        from phoihop.esign.signing import SigningUnavailable, sign_pdf
        from phoihop.reporting.documents import signing_bodies

        (body, name), *partners = signing_bodies(report)
        try:
            return sign_pdf(
                pdf,
                unit=body,
                signer_name=name,
                partners=partners,
                reason=f"Ký ban hành: {report.period.name}",
                location=report.place or "",
            )
        except SigningUnavailable as exc:
            raise CommandError(str(exc)) from exc

    # --- choosing the period, the units and the report -------------------------------------------

    def _period(self, programme: Programme, options: dict[str, Any]) -> ReportingPeriod:
        periods = ReportingPeriod.objects.filter(programme=programme).select_related("phase")
        chosen = options["period"]
        if chosen:
            found = periods.filter(pk=int(chosen)) if chosen.isdigit() else periods.filter(name=chosen)
            if options["phase"]:
                found = found.filter(phase__code=options["phase"])
            period = found.first()
            if period is None:
                raise CommandError(f"Chương trình {programme.code} không có kỳ báo cáo “{chosen}”.")
            return period

        if not options["phase"]:
            raise CommandError("Hãy cho biết giai đoạn (--phase, ví dụ 2017-2022) hoặc kỳ báo cáo (--period).")
        phase = Phase.objects.filter(programme=programme, code=options["phase"]).first()
        if phase is None:
            known = ", ".join(
                Phase.objects.filter(programme=programme).order_by("start").values_list("code", flat=True)
            )
            raise CommandError(
                f"Chương trình {programme.code} không có giai đoạn “{options['phase']}”. "
                f"Các giai đoạn: {known or 'chưa có'}."
            )
        kind = KIND_ALIASES.get(options["kind"], options["kind"])
        if kind not in REPORTING_KIND_VALUES:
            raise CommandError(f"Loại kỳ “{options['kind']}” không hợp lệ; nhận: {', '.join(KIND_ALIASES)}.")
        label = PeriodKind(kind).label
        candidates = list(
            periods.filter(kind=kind)
            .filter(Q(phase=phase) | Q(phase__isnull=True, start__gte=phase.start, end__lte=phase.end))
            .order_by("start", "pk")
        )
        if not candidates:
            raise CommandError(
                f"Chương trình {programme.code} chưa có kỳ báo cáo loại “{label}” trong giai đoạn {phase.name}. "
                "Hãy tạo các kỳ mặc định của giai đoạn (services.periods_generate, hoặc "
                "POST /api/v1/reporting-periods/generate/) rồi chạy lại."
            )
        if len(candidates) > 1:
            listed = "; ".join(f"{p.pk}: {p.label}" for p in candidates[:12])
            raise CommandError(
                f"Giai đoạn {phase.name} có {len(candidates)} kỳ loại “{label}”; hãy chọn một bằng --period "
                f"(id hoặc tên): {listed}{' ...' if len(candidates) > 12 else ''}."
            )
        return candidates[0]

    def _units(self, programme: Programme, codes: list[str]) -> tuple[OrgUnit, OrgUnit | None]:
        roots = party_roots(programme.pk)
        if not roots:
            raise CommandError(f"Chương trình {programme.code} chưa có bên ký kết nào.")
        if not codes:
            return roots[0], (roots[1] if len(roots) > 1 else None)
        codes = list(dict.fromkeys(codes))
        if len(codes) > 2:
            raise CommandError("Chỉ ghi một mã đơn vị, hoặc hai mã cho báo cáo liên tịch.")
        units = []
        for code in codes:
            unit = OrgUnit.objects.filter(code=code).first()
            if unit is None:
                raise CommandError(f"Không tìm thấy đơn vị có mã “{code}”.")
            if not covers(programme.pk, unit, roots):
                raise CommandError(f"Đơn vị {code} không thuộc các bên của chương trình {programme.code}.")
            units.append(unit)
        return units[0], (units[1] if len(units) > 1 else None)

    def _report(
        self, period: ReportingPeriod, unit: OrgUnit, partner: OrgUnit | None, wanted: str
    ) -> tuple[Report, bool]:
        reports = Report.objects.filter(period=period).select_related(
            "period__programme", "period__phase", "unit", "partner_unit"
        )
        if partner is not None:
            existing = reports.filter(Q(unit=unit, partner_unit=partner) | Q(unit=partner, partner_unit=unit)).first()
        else:
            existing = reports.filter(unit=unit).first() or reports.filter(partner_unit=unit).first()
        names = " và ".join(u.code for u in (unit, partner) if u is not None)
        if wanted == "approved" and (existing is None or existing.status != ReportStatus.APPROVED):
            state = (
                "chưa có báo cáo"
                if existing is None
                else f"báo cáo đang ở trạng thái “{existing.get_status_display()}”"
            )
            raise CommandError(f"Kỳ “{period.name}” của {names}: {state}, chưa được duyệt.")
        if existing is not None:
            return existing, True
        # Not saved: a draft-like report only for the document, with the default signers,
        # place and recipients a new report would get.
        report = Report(period=period, unit=unit, partner_unit=partner)
        report.place = default_place(unit)
        report.recipients = default_recipients(unit)
        report.signers = default_signers(report)
        return report, False

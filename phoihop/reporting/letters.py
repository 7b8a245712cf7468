"""Official letters (công văn) of a reporting period: the request for reports, and the reminder
to the units that are late.

An issuing body (a unit the user approves for, or a party of a programme the user manages)
writes to the units requested under it (``ReportRequest``): its own subtree, or its party's
whole tree for a party's representative unit (the General Political Department writes for the
army's tree, ``documents.issuing_unit``). The request letter names them all; the reminder only
those whose report is overdue on its date: not sent (or returned and not sent again) and past
the due date, by the reporting selectors' rules (``selectors.request_rows``, ``is_late``).

Both are Decree 30 official letters (``ReportDocument`` with ``doc_type=""``: "Số: 15/TCCT-CDV",
"V/v …" under the number, "Kính gửi:"), signed by the body's signatory of the day
(``authority.signer_for``). A preview has no number (left blank for the clerk). Issuing takes
the number from the body's register (``registers.take_number``, kind official letter, the
line pointing at the period) only with a named signer (``signers.signer_problems``), once: the
same letter asked again (the request letter of a period and body; the reminder of a day) gets
the number it was given, with its date.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.demo import demo_watermark
from phoihop.core.formats import cited_date, vn_date_words
from phoihop.core.gate import PROGRAMME_DATA
from phoihop.core.permissions import perms
from phoihop.core.services import OutOfScope
from phoihop.documents.data import ListAnnex, ReportDocument
from phoihop.documents.formats import FORMATS
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Party
from phoihop.programmes.selectors import covers, party_roots
from phoihop.reporting import authority, registers, selectors
from phoihop.reporting.documents import (
    Built,
    body_for,
    default_place,
    issuing_unit,
    lower_first,
    template_for,
)
from phoihop.reporting.models import (
    DocumentKind,
    NumberRegister,
    NumberStatus,
    RegisteredNumber,
    ReportingPeriod,
    ReportRequest,
    ReportStatus,
)
from phoihop.reporting.permissions import manages_programme
from phoihop.reporting.signers import require_named_signer, signer_problems

REQUEST = "request"
REMINDER = "reminder"
KINDS = (REQUEST, REMINDER)
LETTER_FORMATS = ("docx", "pdf")
# Up to this many addressees are named one by one; more are grouped ("Hội Cựu chiến binh các
# tỉnh, thành phố") and the request letter lists them in its annex.
NAMED_ADDRESSEES = 6
# Words that begin the place in a unit's name ("tỉnh Cà Mau", "Thành phố Hồ Chí Minh"), with
# their marks: "Quân sự" is not "quận".
PLACE_STARTS = {"tỉnh", "thành", "xã", "phường", "huyện", "quận", "thị", "đặc"}

# What the reminder says of each overdue unit's report.
OVERDUE_STATES = {
    selectors.NOT_STARTED: gettext_lazy("chưa soạn báo cáo"),
    ReportStatus.DRAFT: gettext_lazy("báo cáo đang soạn, chưa gửi"),
    ReportStatus.RETURNED: gettext_lazy("báo cáo bị trả lại, chưa gửi lại"),
}


@dataclass
class Letter:
    """A letter ready to build: its document, and its register line once issued."""

    kind: str
    document: ReportDocument
    rows: list[selectors.RequestRow]  # the requests it names, in the units' order
    entry: RegisteredNumber | None = None


# --- who writes, to whom ----------------------------------------------------------------------


def _parties(period: ReportingPeriod) -> list[Party]:
    return list(
        Party.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme_id=period.programme_id)
        .select_related("root_unit", "representative_unit")
    )


def letter_reach(unit: OrgUnit, parties: list[Party]) -> OrgUnit:
    """The subtree a body's letters go to: its party's whole tree for a party's representative
    unit (TCCT writes for the army's tree), else its own."""
    for party in parties:
        if party.representative_unit_id == unit.pk:
            return party.root_unit
    return unit


def issuers(user: Any, period: ReportingPeriod) -> list[OrgUnit]:
    """The units the user may write the period's letters for: those asking units for reports
    (``ReportingPeriodPolicy.can_request``) write for the units they approve for, and the
    programme's managers for its parties; each inside the programme, highest first."""
    may = perms(user)
    if not may.for_(period).can("request"):
        return []
    parties = _parties(period)
    ids = set(may.scope.unit_ids("approve"))
    if manages_programme(may, period.programme):
        ids |= {p.root_unit_id for p in parties if may.is_system_admin or may.reaches(p.representative_unit, "manage")}
    roots = party_roots(period.programme_id)
    found: dict[int, OrgUnit] = {}
    for unit in OrgUnit.objects.restrict(user, "view").filter(pk__in=ids).select_related("organisation"):
        reach = letter_reach(unit, parties)
        if covers(period.programme_id, reach, roots):
            found[reach.pk] = reach
    return sorted(found.values(), key=lambda u: (u.depth, u.path))


def issuer_for(user: Any, period: ReportingPeriod, code: str | None = None) -> OrgUnit | None:
    """The issuing unit the user asked for by code (its own, or its body's), else the first they
    may write for that has units to write to; None: not one of theirs (404 on a page or the API)."""
    candidates = issuers(user, period)
    if not code:
        # The first with units to write to, else the first.
        asked = (u for u in candidates if requests_under(user, period, u).exists())
        return next(asked, candidates[0] if candidates else None)
    wanted = code.strip().upper()
    parties = _parties(period)
    for unit in candidates:
        body = issuing_unit(unit)
        if wanted in {unit.code.upper(), body.code.upper()} or any(
            p.root_unit_id == unit.pk and p.representative_unit.code.upper() == wanted for p in parties
        ):
            return unit
    return None


def requests_under(user: Any, period: ReportingPeriod, issuer: OrgUnit) -> QuerySet[ReportRequest]:
    """The period's requests of the units below the issuing unit (its body's own unit left out),
    as the user reads them, in the tree's order."""
    body = issuing_unit(issuer)
    return (
        ReportRequest.objects.restrict(user, "view")
        .filter(period=period, unit__path__startswith=issuer.path)
        .exclude(unit_id__in={issuer.pk, body.pk})
        .select_related("unit__level__organisation", "period")
        .order_by("unit__path")
    )


def is_overdue(row: selectors.RequestRow, on_date: date) -> bool:
    """A unit to remind on ``on_date``: its report is not in hand (not sent, or returned and not
    sent again) and its due date has passed (``is_late`` of a report not sent)."""
    return not row.submitted and selectors.is_late(None, row.request.due_date, on_date)


def overdue_rows(user: Any, period: ReportingPeriod, issuer: OrgUnit, on_date: date) -> list[selectors.RequestRow]:
    rows = selectors.request_rows(requests_under(user, period, issuer), on_date)
    return [row for row in rows if is_overdue(row, on_date)]


def any_overdue(rates: list[selectors.LevelRate], on_date: date) -> bool:
    """Whether a period page's completeness rows show a unit to remind."""
    return any(is_overdue(row, on_date) for rate in rates for row in rate.missing)


def _head(name: str) -> str:
    """A unit's name before its place: "Hội Cựu chiến binh tỉnh Cà Mau" -> "Hội Cựu chiến binh"."""
    words = name.split()
    for k, word in enumerate(words[1:], start=1):
        if word.lower() in PLACE_STARTS:
            return " ".join(words[:k])
    return name


def _level_words(level: Any) -> str:
    """ "Tỉnh, thành phố" -> "tỉnh, thành phố"; "Quận, huyện (trước 2025)" -> "quận, huyện"."""
    return lower_first(re.sub(r"\s*\([^)]*\)", "", level.name).strip())


def addressees(units: list[OrgUnit]) -> list[str]:
    """The "Kính gửi:" lines: each unit by name up to ``NAMED_ADDRESSEES``; more, then per level
    the units sharing a name before their place as one line ("Hội Cựu chiến binh các tỉnh,
    thành phố", "Bộ Chỉ huy Quân sự các tỉnh, thành phố") and the others by name."""
    if len(units) <= NAMED_ADDRESSEES:
        return [u.name for u in units]
    levels: dict[int, list[OrgUnit]] = {}
    for unit in units:
        levels.setdefault(unit.level_id, []).append(unit)
    lines: list[str] = []
    for members in levels.values():
        heads = Counter(_head(u.name) for u in members)
        grouped = {head for head, count in heads.items() if count > 1 and head not in {u.name for u in members}}
        words = _level_words(members[0].level)
        for unit in members:
            head = _head(unit.name)
            line = f"{head} {_('các')} {words}" if head in grouped else unit.name
            if line not in lines:
                lines.append(line)
    return lines


# --- the letters -------------------------------------------------------------------------------


def _subject(kind: str, period: ReportingPeriod) -> str:
    values = {"period": lower_first(period.name), "programme": period.programme.title}
    if kind == REMINDER:
        return _("đôn đốc báo cáo %(period)s thực hiện %(programme)s") % values
    return _("báo cáo %(period)s thực hiện %(programme)s") % values


def _programme_line(period: ReportingPeriod) -> str:
    if period.phase_id and period.phase:
        return _("%(programme)s, giai đoạn %(phase)s") % {
            "programme": period.programme.title,
            "phase": period.phase.name,
        }
    return str(period.programme.title)


def _whom(rows: list[selectors.RequestRow]) -> str:
    return _("các đơn vị") if len(rows) != 1 else _("đơn vị")


def _contact(user: Any, body_name: str) -> str:
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    if not name:
        return _(
            "Quá trình thực hiện, nếu có vướng mắc, đề nghị liên hệ %(body)s qua hệ thống phoihop để được hướng dẫn."
        ) % {"body": body_name}
    email = getattr(user, "email", "") or ""
    who = _("đồng chí %(name)s") % {"name": name}
    if email:
        who += _(" (thư điện tử: %(email)s)") % {"email": email}
    return _(
        "Quá trình thực hiện, nếu có vướng mắc, đề nghị liên hệ %(who)s, %(body)s, qua hệ thống phoihop "
        "để được hướng dẫn."
    ) % {"who": who, "body": body_name}


def _due_line(rows: list[selectors.RequestRow]) -> str:
    dues = sorted({row.request.due_date for row in rows})
    if len(dues) == 1:
        return _("3. Thời hạn gửi báo cáo: chậm nhất %(day)s.") % {"day": vn_date_words(dues[0])}
    return _(
        "3. Thời hạn gửi báo cáo: theo hạn của từng đơn vị tại danh sách kèm theo, sớm nhất %(first)s, "
        "chậm nhất %(last)s."
    ) % {"first": vn_date_words(dues[0]), "last": vn_date_words(dues[-1])}


def _request_paragraphs(period: ReportingPeriod, rows: list[selectors.RequestRow], body: str, user: Any) -> list[str]:
    fields = "; ".join(period.programme.fields.order_by("order", "pk").values_list("name", flat=True))
    whom = _whom(rows)
    return [
        _(
            "Thực hiện %(programme)s, để tổng hợp, đánh giá kết quả thực hiện %(period)s, %(body)s đề nghị "
            "%(whom)s báo cáo kết quả thực hiện, cụ thể như sau:"
        )
        % {"programme": _programme_line(period), "period": lower_first(period.name), "body": body, "whom": whom},
        _(
            "1. Nội dung báo cáo: kết quả phối hợp thực hiện trên từng lĩnh vực của Chương trình (%(fields)s); "
            "ưu điểm, hạn chế, nguyên nhân; bài học kinh nghiệm; phương hướng, nhiệm vụ thời gian tới; đề xuất, "
            "kiến nghị. Số liệu các chỉ tiêu lấy từ hệ thống phoihop; đề nghị %(whom)s rà soát, cập nhật đầy đủ "
            "số liệu của đơn vị và các đơn vị trực thuộc trên hệ thống trước khi gửi báo cáo."
        )
        % {"fields": fields, "whom": whom},
        _("2. Thời gian lấy số liệu: từ %(start)s đến %(end)s.")
        % {"start": vn_date_words(period.start), "end": vn_date_words(period.end)},
        _due_line(rows),
        _(
            "4. Hình thức gửi: soạn và gửi báo cáo trên hệ thống phoihop (mục Báo cáo, kỳ “%(period)s”); sau khi "
            "gửi, tải lên bản báo cáo có chữ ký, đóng dấu (bản quét) tại trang báo cáo trên hệ thống."
        )
        % {"period": period.name},
        _contact(user, body),
        _("Đề nghị %(whom)s quan tâm, triển khai thực hiện.") % {"whom": whom},
    ]


def request_entry(period: ReportingPeriod, issuer: OrgUnit) -> RegisteredNumber | None:
    """The register's line of the period's request letter of the body, once issued."""
    body = issuing_unit(issuer)
    lines = registers.entries_of(period).filter(
        unit=body, kind=DocumentKind.OFFICIAL_LETTER, subject=_subject(REQUEST, period)[:500]
    )
    return lines.filter(status=NumberStatus.ISSUED).order_by("issued_on", "number").first()  # type: ignore[no-any-return]


def _reminder_paragraphs(
    period: ReportingPeriod, issuer: OrgUnit, rows: list[selectors.RequestRow], body: str, user: Any, on_date: date
) -> list[str]:
    whom = _whom(rows)
    asked = request_entry(period, issuer)
    values = {
        "programme": _programme_line(period),
        "period": lower_first(period.name),
        "body": body,
        "whom": whom,
    }
    if asked is not None and asked.issued_on:
        opening = _(
            "Ngày %(day)s, %(body)s có Công văn số %(number)s đề nghị các đơn vị báo cáo %(period)s thực hiện "
            "%(programme)s trên hệ thống phoihop."
        ) % {**values, "day": cited_date(asked.issued_on), "number": asked.label}
    else:
        opening = _(
            "Thực hiện %(programme)s, %(body)s đã đề nghị các đơn vị báo cáo %(period)s (từ %(start)s đến "
            "%(end)s) trên hệ thống phoihop."
        ) % {**values, "start": cited_date(period.start), "end": cited_date(period.end)}
    lines = [
        opening,
        _("Đến ngày %(day)s, %(whom)s sau đây chưa gửi báo cáo (hoặc báo cáo bị trả lại chưa gửi lại) dù đã quá hạn:")
        % {"day": cited_date(on_date), "whom": whom},
    ]
    for k, row in enumerate(rows):
        mark = "." if k == len(rows) - 1 else ";"
        lines.append(
            _("- %(unit)s: hạn gửi %(due)s, %(state)s%(mark)s")
            % {
                "unit": row.request.unit.name,
                "due": cited_date(row.request.due_date),
                "state": OVERDUE_STATES.get(row.status, OVERDUE_STATES[selectors.NOT_STARTED]),
                "mark": mark,
            }
        )
    lines += [
        _(
            "Để kịp thời tổng hợp, báo cáo cấp trên, %(body)s đề nghị %(whom)s khẩn trương hoàn thành, gửi báo "
            "cáo trên hệ thống phoihop, kèm bản có chữ ký, đóng dấu (bản quét)."
        )
        % values,
        _contact(user, body),
        _("Đề nghị %(whom)s nghiêm túc thực hiện.") % values,
    ]
    return lines


def _signer(issuer: OrgUnit, day: date, signer_name: str | None) -> dict[str, str]:
    """The body's signatory of the day (the one named, else the head); none: an empty block."""
    signer = authority.signer_for(issuer, day, name=signer_name or None)
    if signer is None and signer_name:
        raise ValidationError(
            {
                "signer": _("“%(name)s” không phải người ký của %(body)s ngày %(day)s.")
                % {"name": signer_name, "body": issuing_unit(issuer).name, "day": cited_date(day)}
            }
        )
    return signer or {}


def _document(
    kind: str,
    period: ReportingPeriod,
    issuer: OrgUnit,
    user: Any,
    rows: list[selectors.RequestRow],
    day: date,
    *,
    on_date: date,
    signer: dict[str, str],
    number: int | None,
) -> ReportDocument:
    body = body_for(issuer, signer, number)
    units = [row.request.unit for row in rows]
    if kind == REMINDER:
        paragraphs = _reminder_paragraphs(period, issuer, rows, body.name, user, on_date)
    else:
        paragraphs = _request_paragraphs(period, rows, body.name, user)
    lists = []
    named = addressees(units)
    if kind == REQUEST and len(units) > NAMED_ADDRESSEES:
        lists.append(
            ListAnnex(
                title=_("DANH SÁCH CÁC ĐƠN VỊ ĐƯỢC ĐỀ NGHỊ BÁO CÁO"),
                headers=[_("Đơn vị"), _("Hạn gửi báo cáo")],
                shares=[5, 2],
                rows=[[row.request.unit.name, cited_date(row.request.due_date)] for row in rows],
            )
        )
    recipients = [_("Như trên")]
    if body.parent:
        recipients.append(_("%(parent)s (để báo cáo)") % {"parent": body.parent})
    label = "cong van don doc" if kind == REMINDER else "cong van yeu cau bao cao"  # a file name
    return ReportDocument(
        bodies=[body],
        place=default_place(issuer),
        issued_on=day,
        subject=_subject(kind, period),
        period_label="",
        doc_type="",
        type_code="",
        intro=paragraphs,
        lists=lists,
        recipients=recipients,
        addressees=named,
        watermark=demo_watermark(),
        title=f"{label} {period.name} {body.abbreviation}",
    )


def _require_issuer(user: Any, period: ReportingPeriod, issuer: OrgUnit) -> None:
    if issuer.pk not in {u.pk for u in issuers(user, period)}:
        raise OutOfScope(_("Chỉ người quản lý chương trình hoặc người duyệt của đơn vị mới gửi công văn này."))


def _rows(kind: str, user: Any, period: ReportingPeriod, issuer: OrgUnit, on_date: date) -> list[selectors.RequestRow]:
    if kind == REMINDER:
        rows = overdue_rows(user, period, issuer, on_date)
        if not rows:
            raise ValidationError(
                _("Đến ngày %(day)s không có đơn vị nào dưới %(body)s quá hạn báo cáo: không cần công văn đôn đốc.")
                % {"day": cited_date(on_date), "body": issuing_unit(issuer).name}
            )
        return rows
    rows = selectors.request_rows(requests_under(user, period, issuer), on_date)
    if not rows:
        raise ValidationError(
            _("Chưa có đơn vị nào dưới %(body)s được yêu cầu báo cáo kỳ này: hãy gửi yêu cầu báo cáo trước.")
            % {"body": issuing_unit(issuer).name}
        )
    return rows


def _on_date(on_date: date | None) -> date:
    today = timezone.localdate()
    day = on_date or today
    if day > today:
        raise ValidationError({"on": _("Ngày đôn đốc không được sau hôm nay.")})
    return day


def _letter_day(kind: str, period: ReportingPeriod, issuer: OrgUnit, user: Any, on_date: date | None) -> date:
    """The letter's date, once ``user`` may issue letters of this kind for ``issuer``."""
    if kind not in KINDS:
        raise ValueError(kind)
    _require_issuer(user, period, issuer)
    return _on_date(on_date)


def letter_preview(
    kind: str,
    period: ReportingPeriod,
    issuer: OrgUnit,
    user: Any,
    *,
    on_date: date | None = None,
    signer_name: str | None = None,
) -> Letter:
    """The letter without a number (blank for the clerk), dated ``on_date`` (today)."""
    day = _letter_day(kind, period, issuer, user, on_date)
    rows = _rows(kind, user, period, issuer, day)
    signer = _signer(issuer, day, signer_name)
    document = _document(kind, period, issuer, user, rows, day, on_date=day, signer=signer, number=None)
    return Letter(kind, document, rows)


def request_letter(period: ReportingPeriod, issuing_unit: OrgUnit, user: Any, **kwargs: Any) -> ReportDocument:
    """The letter asking the units under ``issuing_unit`` for the period's reports (a preview)."""
    return letter_preview(REQUEST, period, issuing_unit, user, **kwargs).document


def reminder_letter(
    period: ReportingPeriod, issuing_unit: OrgUnit, user: Any, on_date: date | None = None, **kwargs: Any
) -> ReportDocument:
    """The letter reminding the units under ``issuing_unit`` whose report is overdue on ``on_date``."""
    return letter_preview(REMINDER, period, issuing_unit, user, on_date=on_date, **kwargs).document


@transaction.atomic
def letter_issue(
    kind: str,
    period: ReportingPeriod,
    issuer: OrgUnit,
    user: Any,
    *,
    on_date: date | None = None,
    signer_name: str | None = None,
) -> Letter:
    """The letter numbered from the body's register, with a named signer. Asked again, the
    same letter (the request letter of the period; the reminder of that day) keeps the number
    and date it was given; a cancelled number is replaced by the register's next one."""
    day = _letter_day(kind, period, issuer, user, on_date)
    body = issuing_unit(issuer)
    subject = _subject(kind, period)[:500]
    # The body's register row, locked: two clerks issuing the same letter at once get one number.
    NumberRegister.objects.get_or_create(unit=body, year=day.year)
    NumberRegister.objects.select_for_update().get(unit=body, year=day.year)
    lines = registers.entries_of(period).filter(
        unit=body, kind=DocumentKind.OFFICIAL_LETTER, subject=subject, status=NumberStatus.ISSUED
    )
    if kind == REMINDER:
        lines = lines.filter(issued_on=day)
    entry: RegisteredNumber | None = lines.order_by("issued_on", "number").first()
    if entry is not None and entry.issued_on:
        day = entry.issued_on
    rows = _rows(kind, user, period, issuer, day)
    signer = _signer(issuer, day, signer_name)
    require_named_signer(signer_problems(signer, body=body.name))
    if entry is None:
        entry = registers.take_number(
            unit=body,
            year=day.year,
            kind=DocumentKind.OFFICIAL_LETTER,
            symbol=registers.symbol_for([issuer], DocumentKind.OFFICIAL_LETTER),
            subject=subject,
            document=period,
            issued_on=day,
            acting_user=user,
        )
    document = _document(kind, period, issuer, user, rows, day, on_date=day, signer=signer, number=entry.number)
    return Letter(kind, document, rows, entry)


def build(letter: Letter, fmt: str) -> Built:
    """The letter as DOCX or PDF (PDF raises ``PdfUnavailable`` without LibreOffice)."""
    from phoihop.documents import builders

    if fmt not in LETTER_FORMATS:
        raise ValueError(fmt)
    doc = letter.document
    data = builders.build_docx(doc, template_for(doc.bodies[0].kind))
    if fmt == "pdf":
        data = builders.docx_to_pdf(data)
    return Built(data, builders.filename(doc, fmt), FORMATS[fmt])

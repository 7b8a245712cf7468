"""The reporting cycle: periods, report requests, reports with their approval and locks,
issuing-body profiles, the yearly number registers with their lines (the register of outgoing
documents) and the Word templates.

A unit reports on its subtree for a period; the level above approves (at the top, an approver
of the party's root unit), which locks the entry of figures for that subtree and period
(``phoihop.activities.services.lock_create``). Submitting freezes the figures into the report
(``Report.frozen``), so a later change of live figures never changes a sent report.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.formats import vn_date
from phoihop.core.models import RestrictedQuerySet, Versioned
from phoihop.figures.periods import REPORTING_KIND_CHOICES, PeriodKind
from phoihop.jobs.models import JobStatus  # one set of job states for every background job
from phoihop.orgunits.models import OrgUnit, Person, Rank
from phoihop.programmes.models import Phase, Programme, ProgrammeChildQuerySet

# Short Vietnamese names accepted on the command line and in URLs (build_report --kind tong-ket).
KIND_ALIASES = {
    "thang": PeriodKind.MONTH,
    "quy": PeriodKind.QUARTER,
    "6-thang": PeriodKind.HALF,
    "9-thang": PeriodKind.NINE_MONTHS,
    "nam": PeriodKind.YEAR,
    "so-ket": PeriodKind.MID_PHASE,
    "tong-ket": PeriodKind.END_PHASE,
    "khac": PeriodKind.OTHER,
}


class ReportType(models.TextChoices):
    PERIODIC = "periodic", _("Định kỳ")
    THEMATIC = "thematic", _("Chuyên đề")
    AD_HOC = "ad_hoc", _("Đột xuất")


class ReportingPeriod(Versioned):
    """A period a programme's units report on, with its due date. Periods are data."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="reporting_periods", verbose_name=_("chương trình")
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reporting_periods",
        verbose_name=_("giai đoạn"),
    )
    kind = models.CharField(_("loại kỳ"), max_length=12, choices=REPORTING_KIND_CHOICES)
    report_type = models.CharField(
        _("loại báo cáo"), max_length=10, choices=ReportType.choices, default=ReportType.PERIODIC
    )
    name = models.CharField(_("tên kỳ báo cáo"), max_length=200)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    due_date = models.DateField(_("hạn gửi"))
    history = HistoricalRecords()

    objects = ProgrammeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["programme", "-end", "start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "start", "end", "name"], name="period_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_date_range"),
            models.CheckConstraint(condition=Q(due_date__gte=models.F("end")), name="period_due_after_end"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
        if self.end and self.due_date and self.due_date < self.end:
            errors["due_date"] = _("Hạn gửi không được trước ngày cuối kỳ.")
        if self.phase is not None and self.programme_id and self.phase.programme_id != self.programme_id:
            errors["phase"] = _("Giai đoạn phải thuộc chương trình của kỳ báo cáo.")
        for name in ("start", "end", "due_date"):
            value = getattr(self, name)
            if value and not (date(1900, 1, 1) <= value <= date(2100, 12, 31)):
                errors[name] = _("Ngày phải trong khoảng năm 1900–2100.")
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        start, end = self.start, self.end
        return f"{self.name} ({vn_date(start)} – {vn_date(end)})"


class ReportRequest(Versioned):
    """A unit owes a report for a period (units at chosen levels of both sides)."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="requests", verbose_name=_("kỳ báo cáo")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="report_requests", verbose_name=_("đơn vị")
    )
    due_date = models.DateField(_("hạn gửi"))
    requested_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    requested_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu báo cáo")
        verbose_name_plural = _("yêu cầu báo cáo")
        ordering = ["period", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="request_unique")]

    def __str__(self) -> str:
        return f"{self.period} · {self.unit}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


# The narrative sections a report's writers edit, in document order (results by field come first,
# one text per field of the programme, keyed "field:<code>").
NARRATIVE_SECTIONS: list[tuple[str, Any]] = [
    ("strengths", _("Ưu điểm")),
    ("limitations", _("Hạn chế, nguyên nhân")),
    ("lessons", _("Bài học kinh nghiệm")),
    ("directions", _("Phương hướng, nhiệm vụ")),
    ("proposals", _("Đề xuất, kiến nghị")),
]


def scan_path(instance: Report, filename: str) -> str:
    # The stored name never reuses the uploaded one: files are served only by a scoped view.
    return f"reports/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}"


class Report(Versioned):
    """A unit's report on its subtree for a period; a joint report also covers ``partner_unit``
    (the counterpart writing with it, as the two parties do at national level)."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("kỳ báo cáo")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("đơn vị báo cáo")
    )
    partner_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_reports",
        verbose_name=_("đơn vị cùng báo cáo"),
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    narrative = models.JSONField(_("nội dung"), default=dict, blank=True)
    signers = models.JSONField(_("người ký"), default=list, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    frozen = models.JSONField(_("số liệu đã chốt"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("chốt số liệu lúc"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số văn bản"), null=True, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    # Timeliness counts the first sending: a report returned and sent again was still on time.
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người gửi")
    )
    decided_at = models.DateTimeField(_("duyệt hoặc trả lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    # A joint report is approved when each side's approver has approved: [{"unit", "by", "at"}].
    approvals = models.JSONField(_("các lượt duyệt"), default=list, blank=True)
    locks = models.ManyToManyField(
        "entry.EntryLock", blank=True, related_name="reports", verbose_name=_("khóa nhập liệu")
    )
    signed_scan = models.FileField(_("bản ký đã quét"), upload_to=scan_path, blank=True, max_length=200)
    signed_scan_name = models.CharField(_("tên tệp bản ký"), max_length=255, blank=True)
    signed_scan_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người tạo")
    )
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người sửa")
    )
    history = HistoricalRecords(excluded_fields=["frozen"])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-period__end", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="report_unique_unit"),
            models.CheckConstraint(condition=~Q(partner_unit=models.F("unit")), name="report_partner_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.unit}"

    @property
    def units(self) -> list[OrgUnit]:
        return [self.unit] + ([self.partner_unit] if self.partner_unit_id and self.partner_unit else [])

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def is_sent(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

    def section_text(self, key: str) -> str:
        return str(self.narrative.get(key, "") or "")


class BodyKind(models.TextChoices):
    STATE = "state", _("Cơ quan nhà nước")
    ARMY = "army", _("Cơ quan quân đội")
    ASSOCIATION = "association", _("Hội, đoàn thể")
    PARTY = "party", _("Cấp ủy đảng")


class BodyProfile(models.Model):
    """How a unit stands on its documents: kind of body, abbreviation, parent line, place, signer.

    Optional: without one, the kind follows the organisation, the abbreviation the name's
    initials, the parent line the parent unit and the place the unit's province.
    """

    unit = models.OneToOneField(
        OrgUnit, on_delete=models.CASCADE, related_name="body_profile", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại cơ quan ban hành"), max_length=12, choices=BodyKind.choices)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=40, help_text=_("Ví dụ: HCCB trong số 15/BC-HCCB."))
    name_on_documents = models.CharField(_("tên trên văn bản"), max_length=255, blank=True)
    parent_name = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    signer_capacity = models.CharField(_("thẩm quyền ký (TM., KT., ...)"), max_length=8, blank=True)
    signer_collective = models.CharField(_("tập thể hoặc người đứng đầu"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_rank = models.CharField(_("cấp bậc người ký"), max_length=40, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=128, blank=True)
    recipients = models.TextField(_("nơi nhận mặc định"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    head_title = models.CharField(
        _("chức danh người đứng đầu"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: Chủ nhiệm, Chủ tịch, Bộ trưởng, Chỉ huy trưởng (dòng thẩm quyền của quyết định)."),
    )
    authority_basis = models.CharField(
        _("căn cứ thẩm quyền"),
        max_length=500,
        blank=True,
        help_text=_("Căn cứ đầu tiên của quyết định, ví dụ: Căn cứ Điều lệ Hội Cựu chiến binh Việt Nam;"),
    )
    drafting_office = models.CharField(
        _("đơn vị soạn thảo"), max_length=20, blank=True, help_text=_("Viết tắt, ví dụ CDV trong “Lưu: VT, CDV.”")
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông tin cơ quan ban hành")
        verbose_name_plural = _("thông tin cơ quan ban hành")

    def __str__(self) -> str:
        return f"{self.unit} ({self.abbreviation})"


class SigningCapacity(models.TextChoices):
    """How a signer signs for the body (Decree 30, Article 13): in the head's own name, for the
    collective (TM.), for the head (KT.), as acting head (Q.), by delegation (TL., TUQ.)."""

    OWN = "", _("Người đứng đầu ký")
    ON_BEHALF = "TM.", _("TM. (thay mặt tập thể)")
    DEPUTY = "KT.", _("KT. (ký thay người đứng đầu)")
    ACTING = "Q.", _("Q. (quyền)")
    BY_ORDER = "TL.", _("TL. (thừa lệnh)")
    BY_AUTHORITY = "TUQ.", _("TUQ. (thừa ủy quyền)")


class SignatoryQuerySet(RestrictedQuerySet):
    def valid_on(self, day: date) -> SignatoryQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Signatory(models.Model):
    """A person who signs for an issuing body, in which capacity, from when to when.

    The signer block of a document reads: capacity and collective ("KT. CHỦ NHIỆM"), title
    ("PHÓ CHỦ NHIỆM"), rank and name. ``phoihop.reporting.authority`` holds the rules.
    """

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("cơ quan ban hành")
    )
    capacity = models.CharField(
        _("thẩm quyền ký"), max_length=8, choices=SigningCapacity.choices, blank=True, default=SigningCapacity.OWN
    )
    collective = models.CharField(
        _("tập thể hoặc người đứng đầu"),
        max_length=100,
        blank=True,
        help_text=_("Sau TM.: BAN THƯỜNG VỤ; sau KT., Q., TL., TUQ.: chức danh người đứng đầu, ví dụ CHỦ NHIỆM."),
    )
    title = models.CharField(_("chức vụ"), max_length=100, help_text=_("Ví dụ: PHÓ CHỦ NHIỆM."))
    rank = models.CharField(_("cấp bậc"), max_length=20, choices=Rank.choices, blank=True)
    full_name = models.CharField(_("họ tên"), max_length=128)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("cá nhân")
    )
    valid_from = models.DateField(_("ký từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    history = HistoricalRecords()

    objects = SignatoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("người ký của cơ quan")
        verbose_name_plural = _("người ký của cơ quan")
        ordering = ["unit", "order", "-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="signatory_date_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.signer_line}"

    @property
    def rank_label(self) -> str:
        return str(Rank(self.rank).label) if self.rank else ""

    @property
    def signer_line(self) -> str:
        """ "KT. CHỦ NHIỆM – PHÓ CHỦ NHIỆM Thiếu tướng Nguyễn Văn Gấu"."""
        head = " ".join(p for p in (self.capacity, self.collective) if p)
        who = " ".join(p for p in (self.title, self.rank_label, self.full_name) if p)
        return f"{head} – {who}" if head else who

    def as_signer(self) -> dict[str, str]:
        """The signer dict every document uses (a report's ``signers``, a decision's block)."""
        return {
            "capacity": self.capacity,
            "collective": self.collective,
            "title": self.title,
            "rank": self.rank_label,
            "name": self.full_name,
        }

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
        if self.capacity and not self.collective:
            errors["collective"] = _("Sau %(capacity)s phải ghi tập thể hoặc chức danh người đứng đầu.") % {
                "capacity": self.capacity
            }
        if errors:
            raise ValidationError(errors)


class NumberRegister(models.Model):
    """An issuing body's register of outgoing document numbers; starts again at 01 each year."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    last = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký văn bản đi")
        verbose_name_plural = _("sổ đăng ký văn bản đi")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="register_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.last}"


class DocumentKind(models.TextChoices):
    """Kinds of outgoing document, as the register writes them (the code goes before the body's
    abbreviation in the number: 15/BC-HCCB)."""

    REPORT = "report", _("Báo cáo")
    DECISION = "decision", _("Quyết định")
    PLAN = "plan", _("Kế hoạch")
    OFFICIAL_LETTER = "letter", _("Công văn")
    INVITATION = "invitation", _("Giấy mời")
    NOTICE = "notice", _("Thông báo")
    OTHER = "other", _("Văn bản khác")


# The type code of each kind in a document's number (Decree 30, Appendix III).
TYPE_CODES = {
    DocumentKind.REPORT: "BC",
    DocumentKind.DECISION: "QĐ",
    DocumentKind.PLAN: "KH",
    DocumentKind.OFFICIAL_LETTER: "",
    DocumentKind.INVITATION: "GM",
    DocumentKind.NOTICE: "TB",
    DocumentKind.OTHER: "",
}


class NumberStatus(models.TextChoices):
    ISSUED = "issued", _("Đã cấp")
    CANCELLED = "cancelled", _("Đã hủy")


class RegisteredNumber(models.Model):
    """One line of an issuing body's register of outgoing documents (sổ đăng ký văn bản đi):
    a number taken, the document it went to, and whether it stands or was cancelled.

    Numbers of a body and year run from 01 without gaps or repeats: each is taken with its
    line in one transaction that locks the body's ``NumberRegister`` row
    (``phoihop.reporting.registers.take_number``). A cancelled number stays, marked, with its
    reason; it is never given again. The document is a generic reference (content type and
    id): reports, commendation decisions and later kinds live in different apps.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành"))
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=100, help_text=_("Ví dụ: BC-HCCB trong số 15/BC-HCCB."))
    kind = models.CharField(_("loại văn bản"), max_length=12, choices=DocumentKind.choices)
    # Blank only on lines the data migration wrote for numbers whose document was not found.
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=500, blank=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loại đối tượng"),
    )
    object_id = models.PositiveBigIntegerField(_("mã văn bản"), null=True, blank=True)
    document = GenericForeignKey("content_type", "object_id")
    taken_at = models.DateTimeField(_("lấy số lúc"), auto_now_add=True)
    taken_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lấy số"),
    )
    status = models.CharField(_("tình trạng"), max_length=10, choices=NumberStatus.choices, default=NumberStatus.ISSUED)
    cancel_reason = models.TextField(_("lý do hủy số"), blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người hủy")
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("số văn bản đi")
        verbose_name_plural = _("sổ đăng ký văn bản đi")
        ordering = ["unit", "-year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="registered_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="registered_number_from_one"),
            models.CheckConstraint(
                condition=Q(status="issued") | ~Q(cancel_reason=""), name="registered_number_cancel_reason"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="registered_number_document")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """ "15/BC-HCCB"; a party's "15-BC/ĐU" (its symbol already holds the slash)."""
        joiner = "-" if "/" in self.symbol else "/"
        return f"{self.number:02d}{joiner}{self.symbol}" if self.symbol else f"{self.number:02d}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == NumberStatus.CANCELLED


def template_path(instance: DocumentTemplate, filename: str) -> str:
    return f"templates/{instance.kind}/v{instance.version}-{secrets.token_hex(8)}.docx"


class DocumentTemplate(models.Model):
    """An administrator's version of a Word template for a kind of issuing body.

    The newest active version is used; without one, the template shipped with phoihop.
    """

    kind = models.CharField(_("loại cơ quan ban hành"), max_length=12, choices=BodyKind.choices)
    version = models.PositiveIntegerField(_("phiên bản"))
    file = models.FileField(_("tệp mẫu"), upload_to=template_path, max_length=200)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="template_unique_version")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


def job_path(instance: DocumentJob, filename: str) -> str:
    return f"documents/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}"


class DocumentJob(models.Model):
    """A document built in the background, with its progress and the file it produced."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("báo cáo"))
    format = models.CharField(_("định dạng"), max_length=4)
    status = models.CharField(_("trạng thái"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    file = models.FileField(upload_to=job_path, blank=True, max_length=200)
    filename = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tạo văn bản")
        verbose_name_plural = _("tạo văn bản")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report} · {self.format} · {self.status}"

"""Commendations: award forms and emulation titles (reference data), quotas, nominations with
their route up (and across) the two trees, decisions and the awards they grant.

Forms (hình thức khen thưởng) and titles (danh hiệu thi đua) are one model, ``AwardType``, with
a ``kind`` discriminator: they are kept apart by kind everywhere they are listed, yet a
nomination, a quota or an award points at either through one foreign key. See ADR 0007.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.formats import cited_date
from phoihop.core.models import ReferenceQuerySet, RestrictedQuerySet, Versioned
from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel, Person, Rank
from phoihop.programmes.models import Phase


class AwardKind(models.TextChoices):
    FORM = "form", _("Hình thức khen thưởng")
    TITLE = "title", _("Danh hiệu thi đua")


class AwardCategory(models.TextChoices):
    HUAN_CHUONG = "huan-chuong", _("Huân chương")
    HUY_CHUONG = "huy-chuong", _("Huy chương")
    KY_NIEM_CHUONG = "ky-niem-chuong", _("Kỷ niệm chương")
    BANG_KHEN = "bang-khen", _("Bằng khen")
    GIAY_KHEN = "giay-khen", _("Giấy khen")
    INDIVIDUAL_TITLE = "danh-hieu-ca-nhan", _("Danh hiệu thi đua cá nhân")
    COLLECTIVE_TITLE = "danh-hieu-tap-the", _("Danh hiệu thi đua tập thể")


FORM_CATEGORIES = frozenset(
    {
        AwardCategory.HUAN_CHUONG,
        AwardCategory.HUY_CHUONG,
        AwardCategory.KY_NIEM_CHUONG,
        AwardCategory.BANG_KHEN,
        AwardCategory.GIAY_KHEN,
    }
)


class Recipients(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    BOTH = "both", _("Tập thể và cá nhân")


class AwardType(models.Model):
    """A form of commendation or an emulation title, awarded by one level of one organisation."""

    kind = models.CharField(_("loại"), max_length=8, choices=AwardKind.choices)
    category = models.CharField(_("nhóm"), max_length=20, choices=AwardCategory.choices)
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    recipients = models.CharField(_("dành cho"), max_length=12, choices=Recipients.choices, default=Recipients.BOTH)
    awarding_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức khen thưởng")
    )
    awarding_level = models.ForeignKey(
        OrgUnitLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("cấp khen thưởng")
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    history = HistoricalRecords()

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("hình thức khen thưởng, danh hiệu thi đua")
        verbose_name_plural = _("hình thức khen thưởng, danh hiệu thi đua")
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.category and self.kind and (self.category in FORM_CATEGORIES) != (self.kind == AwardKind.FORM):
            raise ValidationError({"category": _("Nhóm không khớp với loại (hình thức khen thưởng hay danh hiệu).")})
        if (
            self.awarding_level_id
            and self.awarding_organisation_id
            and self.awarding_level.organisation_id != self.awarding_organisation_id
        ):
            raise ValidationError({"awarding_level": _("Cấp khen thưởng không thuộc tổ chức khen thưởng.")})

    def allows(self, *, collective: bool) -> bool:
        return self.recipients == Recipients.BOTH or (
            self.recipients == (Recipients.COLLECTIVE if collective else Recipients.INDIVIDUAL)
        )


class AwardRequirement(models.Model):
    """An earlier title the award requires: ``times`` awards of it within the ``within_years``
    years before the nomination's year (e.g. 3 times Chiến sĩ thi đua cơ sở in 3 years)."""

    award = models.ForeignKey(
        AwardType, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("khen thưởng")
    )
    required = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        related_name="required_by",
        limit_choices_to={"kind": AwardKind.TITLE},
        verbose_name=_("danh hiệu phải có"),
    )
    times = models.PositiveSmallIntegerField(_("số lần"), default=1)
    within_years = models.PositiveSmallIntegerField(_("trong số năm liền trước"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("danh hiệu phải có trước")
        verbose_name_plural = _("danh hiệu phải có trước")
        constraints = [models.UniqueConstraint(fields=["award", "required"], name="awardrequirement_unique")]

    def __str__(self) -> str:
        return f"{self.times} × {self.required} / {self.within_years} năm"

    def clean(self) -> None:
        if self.required_id and self.required.kind != AwardKind.TITLE:
            raise ValidationError({"required": _("Chỉ yêu cầu được danh hiệu thi đua.")})
        if self.award_id and self.award_id == self.required_id:
            raise ValidationError({"required": _("Không thể yêu cầu chính danh hiệu này.")})
        if self.times and self.within_years and self.times > self.within_years:
            raise ValidationError({"times": _("Số lần không được lớn hơn số năm.")})


class QuotaScope(models.TextChoices):
    PROPOSING = "proposing", _("Đơn vị đề nghị")
    AWARDING = "awarding", _("Đơn vị khen thưởng")


class QuotaBase(models.TextChoices):
    MEMBERS = "members", _("Số hội viên, cán bộ, chiến sĩ")
    UNITS = "units", _("Số đơn vị trực thuộc")


class Quota(models.Model):
    """At most so many nominations of an award in a phase, for a proposing or an awarding unit:
    a number, or a percentage of the unit's members (``member_count``) or of its child units."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    scope = models.CharField(_("áp dụng cho"), max_length=10, choices=QuotaScope.choices)
    award = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("khen thưởng"))
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="+", verbose_name=_("giai đoạn"))
    number = models.PositiveIntegerField(_("số lượng tối đa"), null=True, blank=True)
    share_percent = models.DecimalField(_("tỉ lệ tối đa (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    share_of = models.CharField(_("tỉ lệ trên"), max_length=10, choices=QuotaBase.choices, blank=True)
    member_count = models.PositiveIntegerField(_("số hội viên, cán bộ, chiến sĩ"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu khen thưởng")
        verbose_name_plural = _("chỉ tiêu khen thưởng")
        constraints = [models.UniqueConstraint(fields=["unit", "scope", "award", "phase"], name="quota_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.award} · {self.phase}"

    def clean(self) -> None:
        if (self.number is None) == (self.share_percent is None):
            raise ValidationError(_("Hãy nhập hoặc số lượng tối đa, hoặc tỉ lệ tối đa (không nhập cả hai)."))
        if self.share_percent is not None:
            if not self.share_of:
                raise ValidationError({"share_of": _("Hãy chọn tỉ lệ tính trên hội viên hay trên đơn vị trực thuộc.")})
            if not (0 < self.share_percent <= 100):
                raise ValidationError({"share_percent": _("Tỉ lệ phải lớn hơn 0 và không quá 100%.")})
            if self.share_of == QuotaBase.MEMBERS and not self.member_count:
                raise ValidationError({"member_count": _("Hãy nhập số hội viên, cán bộ, chiến sĩ của đơn vị.")})


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đang xét")
    RETURNED = "returned", _("Bị trả lại")
    REJECTED = "rejected", _("Không đề nghị")
    AWARDED = "awarded", _("Đã khen thưởng")


class Nomination(Versioned):
    """A unit's proposal to commend a collective or an individual, with its dossier and route."""

    proposing_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị đề nghị")
    )
    nominee_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tập thể")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cá nhân")
    )
    rank_at_event = models.CharField(_("cấp bậc khi đề nghị"), max_length=20, choices=Rank.choices, blank=True)
    positions_at_event = models.JSONField(_("chức vụ khi đề nghị"), default=list, blank=True)
    home_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("đơn vị của đối tượng")
    )
    award = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("khen thưởng")
    )
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+", verbose_name=_("giai đoạn"))
    year = models.PositiveSmallIntegerField(_("năm xét"))
    summary = models.TextField(_("tóm tắt thành tích"), blank=True)
    activities = models.ManyToManyField(
        "activities.Activity", blank=True, related_name="+", verbose_name=_("hoạt động minh chứng")
    )
    submission_text = models.TextField(_("tờ trình"), blank=True)
    achievement_report = models.TextField(_("báo cáo thành tích"), blank=True)
    council_minutes = models.TextField(_("biên bản họp hội đồng thi đua, khen thưởng"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=NominationStatus.choices, default=NominationStatus.DRAFT
    )
    holder = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đang ở đơn vị"))
    awarding_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị khen thưởng")
    )
    route = models.JSONField(_("lộ trình"), default=list, editable=False, help_text=_("Mã số các đơn vị sẽ đi qua."))
    decision = models.ForeignKey(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("quyết định"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("người tạo")
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominee_unit__isnull=True, person__isnull=False)
                | Q(nominee_unit__isnull=False, person__isnull=True),
                name="nomination_one_nominee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} — {self.award}"

    @property
    def is_collective(self) -> bool:
        return self.nominee_unit_id is not None

    @property
    def nominee_name(self) -> str:
        if self.nominee_unit_id:
            return self.nominee_unit.name  # type: ignore[union-attr]
        return self.person.full_name if self.person_id else ""  # type: ignore[union-attr]

    @property
    def rank_at_event_label(self) -> str:
        return str(Rank(self.rank_at_event).label) if self.rank_at_event else ""

    @property
    def is_editable(self) -> bool:
        return self.status in (NominationStatus.DRAFT, NominationStatus.RETURNED)


class StepAction(models.TextChoices):
    SUBMIT = "submit", _("Gửi đề nghị")
    ENDORSE = "endorse", _("Đồng ý, trình cấp trên")
    CROSS = "cross", _("Chuyển sang tổ chức khen thưởng")
    RETURN = "return", _("Trả lại")
    REJECT = "reject", _("Không đề nghị")
    DECIDE = "decide", _("Quyết định khen thưởng")


class NominationStep(models.Model):
    """One step of a nomination's route: the unit that acted, what it did, who, when, why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="steps")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    action = models.CharField(_("thao tác"), max_length=10, choices=StepAction.choices)
    to_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chuyển đến")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("bước xét đề nghị")
        verbose_name_plural = _("bước xét đề nghị")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_action_display()}"


class DossierKind(models.TextChoices):
    SUBMISSION = "submission", _("Tờ trình")
    ACHIEVEMENT = "achievement", _("Báo cáo thành tích")
    MINUTES = "minutes", _("Biên bản họp hội đồng thi đua, khen thưởng")
    OTHER = "other", _("Tài liệu khác")


def dossier_path(instance: NominationFile, filename: str) -> str:
    return f"commendations/dossiers/{date.today():%Y/%m}/{instance.token}"


class NominationFile(models.Model):
    """A signed or scanned paper of a nomination's dossier (tờ trình, báo cáo thành tích, biên bản).

    Files live in private storage under a random name and are served only to the nomination's
    readers; the type is read from the content (phoihop.core.files)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại giấy tờ"), max_length=12, choices=DossierKind.choices)
    token = models.CharField(max_length=64, editable=False)
    file = models.FileField(_("tệp"), upload_to=dossier_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tệp hồ sơ đề nghị")
        verbose_name_plural = _("tệp hồ sơ đề nghị")
        ordering = ["nomination", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class Decision(Versioned):
    """A commendation decision: number from the issuing body's register, date, signer, its list."""

    issuing_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành")
    )
    awarding_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị khen thưởng")
    )
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    issued_on = models.DateField(_("ngày ký"))
    subject = models.CharField(_("trích yếu"), max_length=500, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=128, blank=True)
    # "KT." and "CHỦ NHIỆM" over the title "PHÓ CHỦ NHIỆM" (reporting.authority checks they agree).
    signer_capacity = models.CharField(_("thẩm quyền ký (TM., KT., ...)"), max_length=8, blank=True)
    signer_collective = models.CharField(_("tập thể hoặc người đứng đầu"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=255, blank=True)
    signer_rank = models.CharField(_("cấp bậc người ký"), max_length=20, choices=Rank.choices, blank=True)
    conference = models.ForeignKey(
        "conferences.Conference",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commendation_decisions",
        verbose_name=_("hội nghị"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("người tạo")
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "number", "issued_on"],
                condition=Q(number__isnull=False),
                name="decision_unique_number",
            )
        ]

    def __str__(self) -> str:
        number = f"{self.number:02d}" if self.number else "…"
        return f"Quyết định số {number} ngày {cited_date(self.issued_on)}"


class Award(models.Model):
    """One collective or individual granted a form or title by a decision."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="awards", verbose_name=_("quyết định")
    )
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="granted", verbose_name=_("đề nghị")
    )
    award = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="awards", verbose_name=_("khen thưởng"))
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+", verbose_name=_("giai đoạn"))
    year = models.PositiveSmallIntegerField(_("năm"))
    nominee_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tập thể")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cá nhân")
    )
    rank_at_event = models.CharField(_("cấp bậc khi khen"), max_length=20, choices=Rank.choices, blank=True)
    positions_at_event = models.JSONField(_("chức vụ khi khen"), default=list, blank=True)
    home_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị của đối tượng")
    )
    summary = models.TextField(_("thành tích"), blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominee_unit__isnull=True, person__isnull=False)
                | Q(nominee_unit__isnull=False, person__isnull=True),
                name="award_one_nominee",
            ),
        ]

    def __str__(self) -> str:
        who = self.nominee_unit.name if self.nominee_unit_id else self.person.full_name  # type: ignore[union-attr]
        return f"{who} — {self.award} ({self.year})"

    @property
    def rank_at_event_label(self) -> str:
        return str(Rank(self.rank_at_event).label) if self.rank_at_event else ""

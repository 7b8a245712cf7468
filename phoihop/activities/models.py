"""The daily work of a programme: joint activities and their figures, figures entered for a
period, entry locks, good-practice models, exchanges, lessons and proposals.

Every figure is an ``IndicatorValue`` row: one table for the values of activities and for the
values a unit enters for a period, so roll-ups, rebuilds and checks read one table. A value
carries the unit it counts under, the day it counts on and two flags (``counted``: submitted;
``approved``), kept by the services together with the roll-ups (``phoihop.figures``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.models import RestrictedQuerySet
from phoihop.core.scoping import below_q, get_scope, path_prefixes, subtree_q
from phoihop.core.text import fold
from phoihop.orgunits.models import AdminArea, OrgUnit
from phoihop.programmes.models import Field, Indicator, Phase, programme_scope_q

# A trillion: more than any count or amount (million đồng) of a programme, and far from the
# 64-bit limit, so that sums of millions of values stay exact integers on both databases.
MAX_VALUE = 10**12


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Bị trả lại")


class ActivityQuerySet(RestrictedQuerySet):
    def search(self, text: str) -> ActivityQuerySet:
        folded = fold(text)
        return self.filter(search_text__contains=folded) if folded else self


class Activity(models.Model):
    """A joint activity: led by one unit, with partner units (usually of the other side).

    Its figures count once, under the lead unit, on its end date; partners see it and are
    linked to it, never summed again.
    """

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="activities", verbose_name=_("giai đoạn"))
    title = models.CharField(_("tên hoạt động"), max_length=500)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    area = models.ForeignKey(
        AdminArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("địa bàn (xã, phường, đặc khu)"),
    )
    place = models.CharField(_("địa điểm cụ thể"), max_length=255, blank=True)
    lead_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="led_activities", verbose_name=_("đơn vị chủ trì")
    )
    partners: models.ManyToManyField[OrgUnit, ActivityPartner] = models.ManyToManyField(
        OrgUnit,
        through="ActivityPartner",
        related_name="partner_activities",
        verbose_name=_("đơn vị phối hợp"),
        blank=True,
    )
    participants_lead = models.PositiveIntegerField(_("người tham gia bên chủ trì"), default=0)
    participants_partner = models.PositiveIntegerField(_("người tham gia bên phối hợp"), default=0)
    description = models.TextField(_("nội dung, kết quả"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    decided_at = models.DateTimeField(_("duyệt/trả lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    search_text = models.CharField(max_length=1200, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động phối hợp")
        verbose_name_plural = _("hoạt động phối hợp")
        ordering = ["-end_date", "-pk"]
        indexes = [
            models.Index(fields=["lead_unit", "end_date"], name="activity_lead_end"),
            models.Index(fields=["phase", "status"], name="activity_phase_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="activity_date_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.title} {self.place} {self.description}")[:1200]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})
        if self.phase_id and self.end_date and not (self.phase.start <= self.end_date <= self.phase.end):
            raise ValidationError(
                {"end_date": _("Ngày kết thúc phải nằm trong giai đoạn %(phase)s.") % {"phase": self.phase.name}}
            )
        if self.lead_unit_id and self.end_date and not self.lead_unit.is_active_on(self.end_date):
            raise ValidationError({"lead_unit": _("Đơn vị chủ trì không hoạt động vào ngày kết thúc hoạt động.")})
        if self.area is not None and self.area.kind not in ("xa", "phuong", "dac-khu"):
            raise ValidationError({"area": _("Địa bàn phải là một xã, phường hoặc đặc khu.")})

    @property
    def is_editable(self) -> bool:
        return self.status in (ActivityStatus.DRAFT, ActivityStatus.RETURNED)

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        """Read: led in the user's subtree, or a partner is. Change: led in the subtree.
        Approve: led strictly below one of the user's units."""
        if action == "approve":
            return below_q(user, "approve", "lead_unit")
        own = subtree_q(user, action, "lead_unit")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        partner = Q(pk__in=ActivityPartner.objects.filter(subtree_q(user, "view", "unit")).values("activity"))
        return own | partner


class ActivityPartner(models.Model):
    """A unit taking part in an activity it does not lead."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="partner_links")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị phối hợp")
        verbose_name_plural = _("đơn vị phối hợp")
        constraints = [models.UniqueConstraint(fields=["activity", "unit"], name="activitypartner_unique")]

    def __str__(self) -> str:
        return f"{self.activity_id} ↔ {self.unit_id}"


class ValueQuerySet(RestrictedQuerySet):
    def entered(self) -> ValueQuerySet:
        return self.filter(activity__isnull=True)


class IndicatorValue(models.Model):
    """One figure: an activity's value for an indicator, or a unit's total for a period.

    It counts under ``unit`` on ``date`` (an activity's lead unit and end date; an entered
    value's unit and the last day of its period). ``counted`` and ``approved`` are kept by
    the services in the same transaction as the roll-ups.
    """

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="values", verbose_name=_("hoạt động")
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("chỉ tiêu"))
    date = models.DateField(_("ngày tính"))
    period_start = models.DateField(_("kỳ từ ngày"), null=True, blank=True)
    value = models.BigIntegerField(_("giá trị"), validators=[MinValueValidator(0), MaxValueValidator(MAX_VALUE)])
    counted = models.BooleanField(_("đã gửi"), default=False)
    approved = models.BooleanField(_("đã duyệt"), default=False)
    entered_by_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cấp trên nhập thay"),
        help_text=_("Đơn vị cấp trên đã nhập số liệu thay cho đơn vị (nếu có)."),
    )
    entered_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = ValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        indexes = [models.Index(fields=["unit", "indicator", "date"], name="value_unit_ind_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "indicator"], condition=Q(activity__isnull=False), name="value_activity_indicator"
            ),
            models.UniqueConstraint(
                fields=["unit", "indicator", "period_start", "date"],
                condition=Q(activity__isnull=True),
                name="value_entered_period",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="value_not_negative"),
            models.CheckConstraint(
                condition=Q(activity__isnull=False) | Q(period_start__isnull=False), name="value_entered_has_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        own = subtree_q(user, action, "unit")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        return own | Q(activity__in=Activity.objects.filter(Activity.scope_q(user, "view")).values("pk"))


class EntryLock(models.Model):
    """Entry for a unit's subtree and a period is closed (its report was approved).

    A value of the subtree dated in the period can be neither added, changed nor deleted, and
    counts among the approved figures. Reopening is a recorded act of an approver above.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="entry_locks", verbose_name=_("đơn vị"))
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    reason = models.CharField(_("căn cứ khóa"), max_length=500, blank=True)
    locked_at = models.DateTimeField(_("khóa lúc"), auto_now_add=True)
    locked_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người khóa"),
    )
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người mở lại"),
    )
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("khóa nhập liệu")
        verbose_name_plural = _("khóa nhập liệu")
        ordering = ["-end", "unit"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="entrylock_date_range")]

    def __str__(self) -> str:
        return f"{self.unit} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"

    @property
    def is_active(self) -> bool:
        return self.reopened_at is None

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        """Read: locks in the user's subtree and locks above it that cover it. Reopen
        ("approve"): locks strictly below one of the user's approver units."""
        if action == "approve":
            if get_scope(user).is_system_admin:
                return Q()
            # Approvers strictly above; a root's locks (national reports) by its own approvers.
            return below_q(user, "approve", "unit") | (Q(unit__depth=1) & subtree_q(user, "approve", "unit"))
        own = subtree_q(user, action, "unit")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        above = {p for path in get_scope(user).paths("view") for p in path_prefixes(path)}
        return own | Q(unit__path__in=sorted(above))


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never reuses the uploaded one: files are served only by the scoped view.
    today = date.today()
    return f"attachments/{today:%Y/%m}/{instance.token}"


class Attachment(models.Model):
    """A photo, PDF or Word file of an activity or an exchange, served only by a scoped view."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    exchange = models.ForeignKey(
        "Exchange", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người tải")
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False, exchange__isnull=True)
                | Q(activity__isnull=True, exchange__isnull=False),
                name="attachment_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if get_scope(user).is_system_admin:
            return Q()
        return Q(activity__in=Activity.objects.filter(Activity.scope_q(user, action)).values("pk")) | Q(
            exchange__in=Exchange.objects.filter(Exchange.scope_q(user, action)).values("pk")
        )


class PracticeModel(models.Model):
    """A good-practice model (mô hình) started by a unit, and how far it spread."""

    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="practice_models", verbose_name=_("giai đoạn")
    )
    name = models.CharField(_("tên mô hình"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="+", verbose_name=_("lĩnh vực"))
    origin_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="practice_models", verbose_name=_("đơn vị xây dựng")
    )
    started_on = models.DateField(_("ngày bắt đầu"))
    description = models.TextField(_("mô tả"), blank=True)
    results = models.TextField(_("kết quả"), blank=True)
    search_text = models.CharField(max_length=1200, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mô hình")
        verbose_name_plural = _("mô hình")
        ordering = ["-started_on", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.name} {self.description}")[:1200]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # field_id, not field: a model's field is required, and reading an unset one raises.
        if self.field_id is not None and self.phase_id and self.field.programme_id != self.phase.programme_id:
            raise ValidationError({"field": _("Lĩnh vực không thuộc chương trình của giai đoạn.")})

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        """Read: started in the user's subtree or replicated there. Change: started there."""
        own = subtree_q(user, action, "origin_unit")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        return own | Q(pk__in=Replication.objects.filter(subtree_q(user, "view", "unit")).values("model"))


class Replication(models.Model):
    """A unit that took up a model (nhân rộng)."""

    model = models.ForeignKey(
        PracticeModel, on_delete=models.CASCADE, related_name="replications", verbose_name=_("mô hình")
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị nhân rộng"))
    replicated_on = models.DateField(_("ngày nhân rộng"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhân rộng mô hình")
        verbose_name_plural = _("nhân rộng mô hình")
        ordering = ["replicated_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["model", "unit"], name="replication_unique")]

    def __str__(self) -> str:
        return f"{self.model} → {self.unit}"

    def clean(self) -> None:
        if self.model_id and self.unit_id and self.unit_id == self.model.origin_unit_id:
            raise ValidationError({"unit": _("Đơn vị xây dựng mô hình không được tự ghi nhân rộng mô hình của mình.")})

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        own = subtree_q(user, action, "unit")
        if action != "view":
            return own
        return own | subtree_q(user, "view", "model__origin_unit")


class ExchangeKind(models.TextChoices):
    NOTICE = "notice", _("Thông báo")
    QUICK_REPORT = "quick", _("Báo cáo nhanh")
    BRIEFING = "briefing", _("Trao đổi, giao ban")


class Exchange(models.Model):
    """Information sent by a unit to counterpart or lower units, with who has read it."""

    sender = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="sent_exchanges", verbose_name=_("đơn vị gửi")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="exchanges", verbose_name=_("giai đoạn")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=ExchangeKind.choices, default=ExchangeKind.NOTICE)
    subject = models.CharField(_("trích yếu"), max_length=500)
    body = models.TextField(_("nội dung"))
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người gửi")
    )
    recipients: models.ManyToManyField[OrgUnit, ExchangeRecipient] = models.ManyToManyField(
        OrgUnit, through="ExchangeRecipient", related_name="received_exchanges", verbose_name=_("nơi nhận")
    )
    search_text = models.CharField(max_length=1200, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("trao đổi thông tin")
        verbose_name_plural = _("trao đổi thông tin")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.subject} {self.body}")[:1200]
        super().save(*args, **kwargs)

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        """Read: sent from the user's subtree or to a unit of it. Change: sent from it."""
        own = subtree_q(user, action, "sender")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        return own | Q(pk__in=ExchangeRecipient.objects.filter(subtree_q(user, "view", "unit")).values("exchange"))


class ExchangeRecipient(models.Model):
    """A unit an exchange was sent to, and when someone of it first read it."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="deliveries")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị nhận"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    read_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người đọc")
    )

    class Meta:
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")
        constraints = [models.UniqueConstraint(fields=["exchange", "unit"], name="exchangerecipient_unique")]

    def __str__(self) -> str:
        return f"{self.exchange_id} → {self.unit_id}"


class UnitNote(models.Model):
    """What a unit writes down for a phase (and a field): the shape lessons and proposals share."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="%(class)ss", verbose_name=_("đơn vị"))
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="%(class)ss", verbose_name=_("giai đoạn"))
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lĩnh vực")
    )
    title = models.CharField(_("tiêu đề"), max_length=500)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người ghi")
    )
    search_text = models.CharField(max_length=1200, editable=False, db_index=True, default="")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-recorded_on", "-pk"]

    content: str  # each subclass labels its own text

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.title} {self.content}")[:1200]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.field is not None and self.phase_id and self.field.programme_id != self.phase.programme_id:
            raise ValidationError({"field": _("Lĩnh vực không thuộc chương trình của giai đoạn.")})

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return subtree_q(user, action, "unit")


class Lesson(UnitNote):
    """A lesson learned (rút kinh nghiệm), recorded by a unit for a phase and field."""

    content = models.TextField(_("nội dung"))
    recorded_on = models.DateField(_("ngày ghi nhận"))
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta(UnitNote.Meta):
        verbose_name = _("bài học kinh nghiệm")
        verbose_name_plural = _("bài học kinh nghiệm")


class ProposalHorizon(models.TextChoices):
    NEXT_PERIOD = "period", _("Kỳ tới")
    NEXT_PHASE = "phase", _("Giai đoạn tới")


class Proposal(UnitNote):
    """Directions and tasks a unit proposes for the next period or phase."""

    horizon = models.CharField(
        _("đề xuất cho"), max_length=8, choices=ProposalHorizon.choices, default=ProposalHorizon.NEXT_PERIOD
    )
    content = models.TextField(_("phương hướng, nhiệm vụ đề xuất"))
    recorded_on = models.DateField(_("ngày đề xuất"))
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta(UnitNote.Meta):
        verbose_name = _("đề xuất phương hướng, nhiệm vụ")
        verbose_name_plural = _("đề xuất phương hướng, nhiệm vụ")


__all__ = [
    "Activity",
    "ActivityPartner",
    "ActivityStatus",
    "Attachment",
    "EntryLock",
    "Exchange",
    "ExchangeKind",
    "ExchangeRecipient",
    "IndicatorValue",
    "Lesson",
    "PracticeModel",
    "Proposal",
    "ProposalHorizon",
    "Replication",
    "programme_scope_q",
]

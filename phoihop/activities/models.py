"""Joint activities: led by one unit, with partner units of the other side, their attached files.

An activity's figures are ``entry.IndicatorValue`` rows (``activity.values``), kept by the
services together with the roll-ups.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.models import RestrictedQuerySet, Versioned
from phoihop.core.text import fold
from phoihop.orgunits.models import AdminArea, OrgUnit
from phoihop.programmes.models import Phase


class ActivityStatus(models.TextChoices):
    # A plan: an activity whose end date has not come. Its values are never counted, and it
    # cannot be submitted before that date (docs/adr/0014-plausibility.md).
    PLAN = "plan", _("Kế hoạch")
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Bị trả lại")


class ActivityQuerySet(RestrictedQuerySet):
    def search(self, text: str) -> ActivityQuerySet:
        folded = fold(text)
        return self.filter(search_text__contains=folded) if folded else self


class Activity(Versioned):
    """A joint activity: led by one unit, with partner units (usually of the other side).

    Its figures count once, under the lead unit, on its end date; partners see it and are
    linked to it, never summed again.
    """

    # The phase's and the lead unit's reads use the composite indexes below (phase and status,
    # phase and external_id, lead unit and end date): their own indexes would only slow writes.
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="activities", verbose_name=_("giai đoạn"), db_index=False
    )
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
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="led_activities",
        verbose_name=_("đơn vị chủ trì"),
        db_index=False,
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
    # Searched with "contains" (LIKE '%…%'), which no B-tree index serves.
    search_text = models.CharField(max_length=1200, editable=False, default="")
    external_id = models.CharField(
        _("mã hoạt động (tệp nhập)"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("Mã của hoạt động trong tệp Excel/CSV đã nhập; nhập lại tệp thì cập nhật theo mã này."),
    )
    # History rows are read by the activity's id and by date; the indexes and the user's foreign
    # key that simple-history would add to the other columns cost every write and serve no read.
    history = HistoricalRecords(
        excluded_fields=["search_text"],
        no_db_index=["phase", "lead_unit", "area", "created_by", "decided_by"],
        user_db_constraint=False,
    )

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
            # An imported activity is found again by its id in the file, within its phase.
            models.UniqueConstraint(
                fields=["phase", "external_id"], condition=~Q(external_id=""), name="activity_phase_external_id"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text(self.title, self.place, self.description)
        super().save(*args, **kwargs)

    @staticmethod
    def build_search_text(title: str, place: str, description: str) -> str:
        """What ``search`` looks in (bulk writes, which skip ``save``, fill it with this too)."""
        return fold(f"{title} {place} {description}")[:1200]

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
        return self.status in (ActivityStatus.PLAN, ActivityStatus.DRAFT, ActivityStatus.RETURNED)

    @property
    def is_future(self) -> bool:
        from django.utils import timezone

        return self.end_date > timezone.localdate()


class ActivityPartner(models.Model):
    """A unit taking part in an activity it does not lead."""

    # The activity's reads use the unique (activity, unit) index.
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="partner_links", db_index=False)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    history = HistoricalRecords(no_db_index=["unit"], user_db_constraint=False)

    class Meta:
        verbose_name = _("đơn vị phối hợp")
        verbose_name_plural = _("đơn vị phối hợp")
        constraints = [models.UniqueConstraint(fields=["activity", "unit"], name="activitypartner_unique")]

    def __str__(self) -> str:
        return f"{self.activity_id} ↔ {self.unit_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never reuses the uploaded one: files are served only by the scoped view.
    today = date.today()
    return f"attachments/{today:%Y/%m}/{instance.token}"


class Attachment(models.Model):
    """A photo, PDF or Word file of an activity or an exchange, served only by a scoped view."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    exchange = models.ForeignKey(
        "records.Exchange", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
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
    # Who added or deleted the file, when and why; a deletion leaves its tombstone ('-' row).
    history = HistoricalRecords()

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

"""What the sides record beside their figures: good-practice models and where they spread,
information exchanges and who read them, lessons learned and proposals.

The tables keep the names they had when these models lived in ``activities``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.models import RestrictedQuerySet, Versioned
from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Field, Phase


class PracticeModelQuerySet(RestrictedQuerySet):
    def in_subtree(self, path: str) -> PracticeModelQuerySet:
        """The models of a unit's subtree (``path``): started there, or taken up by a unit there."""
        taken_up = Replication.objects.filter(unit__path__startswith=path).values("model_id")
        return self.filter(Q(origin_unit__path__startswith=path) | Q(pk__in=taken_up))


class PracticeModel(Versioned):
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
    history = HistoricalRecords(excluded_fields=["search_text"], table_name="activities_historicalpracticemodel")

    objects = PracticeModelQuerySet.as_manager()

    class Meta:
        db_table = "activities_practicemodel"
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


class Replication(models.Model):
    """A unit that took up a model (nhân rộng)."""

    model = models.ForeignKey(
        PracticeModel, on_delete=models.CASCADE, related_name="replications", verbose_name=_("mô hình")
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị nhân rộng"))
    replicated_on = models.DateField(_("ngày nhân rộng"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    history = HistoricalRecords(table_name="activities_historicalreplication")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        db_table = "activities_replication"
        verbose_name = _("nhân rộng mô hình")
        verbose_name_plural = _("nhân rộng mô hình")
        ordering = ["replicated_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["model", "unit"], name="replication_unique")]

    def __str__(self) -> str:
        return f"{self.model} → {self.unit}"

    def clean(self) -> None:
        if self.model_id and self.unit_id and self.unit_id == self.model.origin_unit_id:
            raise ValidationError({"unit": _("Đơn vị xây dựng mô hình không được tự ghi nhân rộng mô hình của mình.")})


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
    history = HistoricalRecords(excluded_fields=["search_text"], table_name="activities_historicalexchange")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        db_table = "activities_exchange"
        verbose_name = _("trao đổi thông tin")
        verbose_name_plural = _("trao đổi thông tin")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.subject} {self.body}")[:1200]
        super().save(*args, **kwargs)


class ExchangeRecipient(models.Model):
    """A unit an exchange was sent to, and when someone of it first read it."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="deliveries")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị nhận"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    read_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người đọc")
    )

    class Meta:
        db_table = "activities_exchangerecipient"
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")
        constraints = [models.UniqueConstraint(fields=["exchange", "unit"], name="exchangerecipient_unique")]

    def __str__(self) -> str:
        return f"{self.exchange_id} → {self.unit_id}"


class UnitNote(Versioned):
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


class Lesson(UnitNote):
    """A lesson learned (rút kinh nghiệm), recorded by a unit for a phase and field."""

    content = models.TextField(_("nội dung"))
    recorded_on = models.DateField(_("ngày ghi nhận"))
    history = HistoricalRecords(excluded_fields=["search_text"], table_name="activities_historicallesson")

    class Meta(UnitNote.Meta):
        db_table = "activities_lesson"
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
    history = HistoricalRecords(excluded_fields=["search_text"], table_name="activities_historicalproposal")

    class Meta(UnitNote.Meta):
        db_table = "activities_proposal"
        verbose_name = _("đề xuất phương hướng, nhiệm vụ")
        verbose_name_plural = _("đề xuất phương hướng, nhiệm vụ")

"""Programmes, their parties, fields, indicators, phases, targets and signings."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.formats import vn_date
from phoihop.core.gate import INTEGRITY
from phoihop.core.models import RestrictedQuerySet, Versioned
from phoihop.orgunits.models import Organisation, OrgUnit, PersonSnapshot


class Programme(Versioned):
    """A coordination programme between organisations, signed phase by phase."""

    code = models.SlugField(_("mã"), max_length=40, unique=True, allow_unicode=False)
    title = models.CharField(_("tên chương trình"), max_length=500)
    summary = models.TextField(_("tóm tắt"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thực hiện chương trình"),
        help_text=_("Chương trình cấp trên mà chương trình này cụ thể hoá (nếu có)."),
    )
    activity_approval = models.BooleanField(
        _("hoạt động cần được duyệt"),
        default=False,
        help_text=_("Hoạt động phối hợp đã gửi phải được cấp trên duyệt trước khi tính vào số liệu đã duyệt."),
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chương trình phối hợp")
        verbose_name_plural = _("chương trình phối hợp")
        ordering = ["code"]

    def __str__(self) -> str:
        # A person knows a programme by its title; the code is for URLs, the API and documents.
        return self.title

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("Chương trình cấp trên không thể là chính nó hoặc chương trình con của nó.")}
                )
            ancestor = ancestor.parent


class ProgrammeChildQuerySet(RestrictedQuerySet):
    """Reference data of a programme: visible to every user of the programme."""


class Party(models.Model):
    """An organisation bound by the programme: who represents it and which subtree it covers."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="parties", verbose_name=_("chương trình")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức")
    )
    representative_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan đại diện")
    )
    root_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("phạm vi (đơn vị gốc)")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    objects = ProgrammeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("bên ký kết")
        verbose_name_plural = _("các bên ký kết")
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation"], name="party_unique_organisation"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self) -> None:
        for field in ("representative_unit", "root_unit"):
            unit = getattr(self, field, None)
            if unit is not None and self.organisation_id and unit.organisation_id != self.organisation_id:
                raise ValidationError({field: _("Đơn vị phải thuộc tổ chức của bên ký kết.")})


class Field(models.Model):
    """A field of coordination (lĩnh vực phối hợp) of one programme."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="fields", verbose_name=_("chương trình")
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên lĩnh vực"), max_length=500)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    objects = ProgrammeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("lĩnh vực phối hợp")
        verbose_name_plural = _("lĩnh vực phối hợp")
        ordering = ["programme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="field_unique_code")]

    def __str__(self) -> str:
        return self.name


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng dồn")


class Indicator(models.Model):
    """A counted figure (chỉ tiêu), in exactly one field, so totals by field count each value once."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("chương trình")
    )
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("lĩnh vực"))
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên chỉ tiêu"), max_length=500)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=64)
    aggregation = models.CharField(
        _("cách tổng hợp"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    introduced_in = models.ForeignKey(
        "Phase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("áp dụng từ giai đoạn"),
    )
    retired_in = models.ForeignKey(
        "Phase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôi áp dụng từ giai đoạn"),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    max_per_entry = models.PositiveBigIntegerField(
        _("tối đa mỗi lần ghi"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Giá trị lớn nhất hợp lý của một lần ghi (một hoạt động hoặc một kỳ của một đơn vị); "
            "để trống là không giới hạn. Giá trị lớn hơn bị từ chối."
        ),
    )
    history = HistoricalRecords()

    objects = ProgrammeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["programme", "field__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_of_measure})"

    def clean(self) -> None:
        if self.field_id and self.programme_id and self.field.programme_id != self.programme_id:
            raise ValidationError({"field": _("Lĩnh vực phải thuộc cùng chương trình.")})
        for name in ("introduced_in", "retired_in"):
            phase = getattr(self, name)
            if phase is not None and phase.programme_id != self.programme_id:
                raise ValidationError({name: _("Giai đoạn phải thuộc cùng chương trình.")})
        if self.introduced_in and self.retired_in and self.retired_in.start <= self.introduced_in.start:
            raise ValidationError({"retired_in": _("Giai đoạn thôi áp dụng phải sau giai đoạn bắt đầu áp dụng.")})

    def applies_to(self, phase: Phase) -> bool:
        if self.introduced_in and phase.start < self.introduced_in.start:
            return False
        return not (self.retired_in and phase.start >= self.retired_in.start)


class PhaseStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SIGNED = "signed", _("Đã ký kết")
    ACTIVE = "active", _("Đang thực hiện")
    CLOSED = "closed", _("Đã kết thúc")


PHASE_TRANSITIONS: dict[str, set[str]] = {
    PhaseStatus.DRAFT: {PhaseStatus.SIGNED},
    PhaseStatus.SIGNED: {PhaseStatus.ACTIVE, PhaseStatus.DRAFT},
    PhaseStatus.ACTIVE: {PhaseStatus.CLOSED},
    PhaseStatus.CLOSED: set(),
}

PHASE_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


class Phase(Versioned):
    """A multi-year phase (giai đoạn) of a programme, e.g. 2022–2027."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="phases", verbose_name=_("chương trình")
    )
    code = models.CharField(_("mã"), max_length=40, help_text=_("Chữ không dấu, số, dấu gạch: ví dụ 2022-2027."))
    name = models.CharField(_("tên hiển thị"), max_length=100)
    start = models.DateField(_("bắt đầu"))
    end = models.DateField(_("kết thúc"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=PhaseStatus.choices, default=PhaseStatus.DRAFT)
    history = HistoricalRecords()

    objects = ProgrammeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")
        ordering = ["programme", "start"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="phase_unique_code"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="phase_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.full_label

    @property
    def label(self) -> str:
        """The phase as a person names it within its programme: "Giai đoạn 2022–2027"."""
        return str(_("Giai đoạn %(name)s") % {"name": self.name})

    @property
    def full_label(self) -> str:
        """The phase and its programme, by their names (choices and pages that list phases of
        several programmes): "Giai đoạn 2022–2027 · Chương trình phối hợp ..."."""
        return f"{self.label} · {self.programme.title}"

    def clean(self) -> None:
        if self.code and not PHASE_CODE_RE.match(self.code):
            raise ValidationError({"code": _("Mã giai đoạn chỉ gồm chữ không dấu, số, dấu gạch ngang, gạch dưới.")})
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Ngày kết thúc không được trước ngày bắt đầu.")})
        if self.programme_id and self.start and self.end:
            overlapping = Phase.objects.unrestricted(INTEGRITY).filter(
                programme_id=self.programme_id, start__lte=self.end, end__gte=self.start
            )

            if self.pk:
                overlapping = overlapping.exclude(pk=self.pk)
            # Phases meet on their boundary day (2017–2022 ends the day 2022–2027 is signed).
            overlapping = overlapping.exclude(end=self.start).exclude(start=self.end)
            if overlapping.exists():
                raise ValidationError(_("Giai đoạn này trùng thời gian với giai đoạn khác của chương trình."))


class Target(models.Model):
    """A phase's target for one unit and indicator."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="targets", verbose_name=_("giai đoạn"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="targets", verbose_name=_("đơn vị"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("chỉ tiêu")
    )
    value = models.DecimalField(_("chỉ tiêu giao"), max_digits=18, decimal_places=2)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu giao")
        verbose_name_plural = _("chỉ tiêu giao")
        ordering = ["phase", "unit__path", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "unit", "indicator"], name="target_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator.name} · {self.value}"

    def clean(self) -> None:
        if self.phase_id and self.indicator_id and self.indicator.programme_id != self.phase.programme_id:
            raise ValidationError({"indicator": _("Chỉ tiêu phải thuộc chương trình của giai đoạn.")})


class Signing(Versioned):
    """The signing of a phase: date, place, document number and the signing bodies."""

    phase = models.OneToOneField(Phase, on_delete=models.CASCADE, related_name="signing", verbose_name=_("giai đoạn"))
    signed_on = models.DateField(_("ngày ký"))
    place = models.CharField(_("địa điểm"), max_length=255)
    document_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    bodies = models.ManyToManyField(OrgUnit, related_name="+", verbose_name=_("cơ quan ký kết"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords(m2m_fields=[bodies])

    objects = ProgrammeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("ký kết")
        verbose_name_plural = _("ký kết")

    def __str__(self) -> str:
        return f"{self.phase} · {vn_date(self.signed_on)}"

    def clean(self) -> None:
        if self.phase_id and self.signed_on and self.signed_on > self.phase.end:
            raise ValidationError({"signed_on": _("Ngày ký không được sau ngày kết thúc giai đoạn.")})


class Signatory(PersonSnapshot):
    """A person who signed, with the capacity, rank and positions held that day."""

    signing = models.ForeignKey(Signing, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("ký kết"))
    body = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("thay mặt cơ quan"))
    capacity = models.CharField(
        _("tư cách ký"), max_length=255, help_text=_("Ví dụ: TM. Ban Thường vụ, KT. Chủ nhiệm.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    objects = ProgrammeChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("người ký")
        verbose_name_plural = _("người ký")
        ordering = ["signing", "order"]

    def __str__(self) -> str:
        return f"{self.capacity} {self.person}"

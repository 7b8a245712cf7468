"""Conferences (hội nghị sơ kết, tổng kết, giao ban): organisers, co-chairs, delegates, papers, outcomes."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.formats import vn_date
from phoihop.core.models import RestrictedQuerySet, Versioned
from phoihop.orgunits.models import OrgUnit, Person, PersonSnapshot
from phoihop.programmes.models import Phase, Programme, Signing


class ConferenceKind(models.TextChoices):
    MID = "so-ket", _("Sơ kết")
    END = "tong-ket", _("Tổng kết")
    BRIEFING = "giao-ban", _("Giao ban")
    OTHER = "khac", _("Khác")


class Conference(Versioned):
    """A conference of a programme: who organised and chaired it, who came, what it reviewed and decided."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("chương trình")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("giai đoạn được sơ kết, tổng kết")
    )
    kind = models.CharField(_("loại hội nghị"), max_length=16, choices=ConferenceKind.choices)
    title = models.CharField(_("tên hội nghị"), max_length=500)
    held_on = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa điểm"), max_length=255)
    agenda = models.TextField(_("chương trình hội nghị"), blank=True)
    conclusions = models.TextField(_("kết luận của hội nghị"), blank=True)
    organisers = models.ManyToManyField(OrgUnit, related_name="conferences", verbose_name=_("đơn vị tổ chức"))
    is_national = models.BooleanField(
        _("hội nghị của cơ quan đại diện"),
        default=False,
        editable=False,
        help_text=_("Do cơ quan đại diện hoặc đơn vị gốc của một bên tổ chức: mọi người dùng của chương trình xem."),
    )
    report = models.ForeignKey(
        "reporting.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conferences",
        verbose_name=_("báo cáo sơ kết, tổng kết"),
    )
    signing = models.OneToOneField(
        Signing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conference",
        verbose_name=_("ký kết giai đoạn mới"),
    )
    signed_document = models.FileField(_("văn bản đã ký"), upload_to="conferences/signed/", blank=True, max_length=200)
    history = HistoricalRecords(m2m_fields=[organisers])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({vn_date(self.held_on)})"

    def clean(self) -> None:
        if self.phase_id and self.programme_id and self.phase.programme_id != self.programme_id:
            raise ValidationError({"phase": _("Giai đoạn phải thuộc chương trình của hội nghị.")})
        if self.signing_id and self.signing and self.signing.phase.programme_id != self.programme_id:
            raise ValidationError({"signing": _("Ký kết phải thuộc cùng chương trình.")})


class ConferenceChild(Versioned):
    """Something of one conference: seen and changed with it."""

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class CoChair(ConferenceChild, PersonSnapshot):
    """A co-chair (đồng chủ trì), with the rank and positions held on the day."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="cochairs", verbose_name=_("hội nghị")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đồng chủ trì")
        verbose_name_plural = _("đồng chủ trì")
        ordering = ["conference", "order", "pk"]

    def __str__(self) -> str:
        return str(self.person)


class Delegate(ConferenceChild, PersonSnapshot):
    """A delegate: a person of the record (with the rank and positions of the day) or a named guest."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="delegates", verbose_name=_("hội nghị")
    )
    person = models.ForeignKey(  # type: ignore[assignment]
        Person, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("người")
    )
    name = models.CharField(_("họ và tên (khách mời)"), max_length=128, blank=True)
    organisation = models.CharField(_("cơ quan"), max_length=255, blank=True)
    title = models.CharField(_("chức vụ"), max_length=255, blank=True)
    is_guest_of_honour = models.BooleanField(_("khách mời danh dự"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đại biểu")
        verbose_name_plural = _("đại biểu")
        ordering = ["conference", "-is_guest_of_honour", "order", "pk"]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if not self.person_id and not self.name.strip():
            raise ValidationError(_("Hãy chọn một người hoặc ghi họ tên đại biểu."))

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person_id and self.person else self.name

    @property
    def positions(self) -> list[str]:
        if self.person_id:
            return list(self.positions_at_event)
        return [" ".join(p for p in (self.title, self.organisation) if p)] if self.title or self.organisation else []


def paper_path(instance: Paper, filename: str) -> str:
    return f"conferences/papers/{date.today():%Y/%m}/{instance.token}"


class Paper(ConferenceChild):
    """A paper (tham luận) presented at the conference."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="papers", verbose_name=_("hội nghị")
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tác giả")
    )
    author_name = models.CharField(_("tác giả (ghi tên)"), max_length=128, blank=True)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đơn vị")
    )
    title = models.CharField(_("tên tham luận"), max_length=500)
    token = models.CharField(max_length=64, blank=True, editable=False)
    file = models.FileField(_("tệp"), upload_to=paper_path, blank=True, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(_("loại tệp"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tham luận")
        verbose_name_plural = _("tham luận")
        ordering = ["conference", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def author_display(self) -> str:
        return self.author.full_name if self.author_id and self.author else self.author_name


class ProposalAdoption(ConferenceChild):
    """A proposal of the closing phase adopted as a task of the new phase (one record per adoption)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("hội nghị")
    )
    proposal = models.ForeignKey(
        "records.Proposal", on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("đề xuất")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="adopted_tasks", verbose_name=_("nhiệm vụ của giai đoạn")
    )
    adopted_on = models.DateField(_("ngày tiếp thu"))
    adopted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người ghi")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề xuất được tiếp thu")
        verbose_name_plural = _("đề xuất được tiếp thu")
        ordering = ["phase", "pk"]
        constraints = [models.UniqueConstraint(fields=["proposal", "phase"], name="adoption_unique")]

    def __str__(self) -> str:
        return f"{self.proposal} → {self.phase}"

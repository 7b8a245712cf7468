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
    """A conference of a programme: who organised and chaired it, who came, what it reviewed and decided.

    ``place`` is the locality of the date line ("Hà Nội"); ``venue`` and ``venue_address`` the
    hall the invitation names. The conclusions are an introduction (``conclusions_intro``) and
    their points, one a line of ``conclusions`` (numbered 1, 2, 3... in the notice): a point is one
    paragraph, so a text field keeps them in order without rows of their own, and the page, the
    API (a list of points) and the notice read the same lines (``conclusion_points``).
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("chương trình")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("giai đoạn được sơ kết, tổng kết")
    )
    kind = models.CharField(_("loại hội nghị"), max_length=16, choices=ConferenceKind.choices)
    title = models.CharField(_("tên hội nghị"), max_length=500)
    held_on = models.DateField(_("ngày tổ chức"))
    starts_at = models.TimeField(_("giờ khai mạc"), null=True, blank=True)
    ends_at = models.TimeField(_("giờ bế mạc"), null=True, blank=True)
    place = models.CharField(
        _("địa danh"), max_length=255, help_text=_("Tỉnh, thành phố ghi ở dòng ngày tháng, ví dụ: Hà Nội.")
    )
    venue = models.CharField(_("hội trường, phòng họp"), max_length=255, blank=True)
    venue_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    conclusions_intro = models.TextField(
        _("mở đầu phần kết luận"),
        blank=True,
        help_text=_("Đoạn dẫn trước các điểm kết luận, ví dụ: “Đồng chí … kết luận như sau:”."),
    )
    conclusions = models.TextField(
        _("các điểm kết luận"),
        blank=True,
        help_text=_("Mỗi điểm kết luận một dòng; được đánh số 1, 2, 3... theo thứ tự."),
    )
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
    source_text = models.TextField(
        _("bài viết nguồn"),
        blank=True,
        help_text=_("Bài viết (tin, bài báo) mà hồ sơ hội nghị được ghi từ đó, giữ nguyên văn."),
    )
    source_name = models.CharField(_("nguồn bài viết"), max_length=500, blank=True)
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
        if self.ends_at and not self.starts_at:
            raise ValidationError({"starts_at": _("Đã ghi giờ bế mạc thì phải ghi giờ khai mạc.")})
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Giờ bế mạc phải sau giờ khai mạc.")})
        if self.venue_address.strip() and not self.venue.strip():
            raise ValidationError({"venue": _("Đã ghi địa chỉ thì phải ghi tên hội trường, phòng họp.")})

    @property
    def conclusion_points(self) -> list[str]:
        """The numbered points of the conclusions: one a line, in order."""
        return [" ".join(line.split()) for line in self.conclusions.splitlines() if line.strip()]

    @property
    def venue_line(self) -> str:
        """ "Hội trường Bộ Quốc phòng, số 1 Hoàng Diệu, Ba Đình, Hà Nội" ("" without a venue)."""
        return ", ".join(p.strip() for p in (self.venue, self.venue_address) if p.strip())


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


class AgendaItem(ConferenceChild):
    """An item of the conference's programme: at what time, what, and who presents it."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("hội nghị")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    at = models.TimeField(_("thời gian"), null=True, blank=True)
    item = models.CharField(_("nội dung"), max_length=500)
    presenter = models.CharField(_("người trình bày"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục chương trình hội nghị")
        verbose_name_plural = _("chương trình hội nghị")
        ordering = ["conference", "order", "at", "pk"]

    def __str__(self) -> str:
        return self.item


class SpeechKind(models.TextChoices):
    OPENING = "khai-mac", _("Phát biểu khai mạc")
    REPORT = "bao-cao", _("Trình bày báo cáo")
    DIRECTING = "chi-dao", _("Phát biểu chỉ đạo")
    SPEECH = "phat-bieu", _("Phát biểu")
    CLOSING = "be-mac", _("Phát biểu kết luận, bế mạc")


def speech_path(instance: Speech, filename: str) -> str:
    return f"conferences/speeches/{date.today():%Y/%m}/{instance.token}"


class Speech(ConferenceChild, PersonSnapshot):
    """A speech at the conference: the speaker as of that day (a person of the record, or a named
    guest), its title, a summary, and optionally its text as a file."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="speeches", verbose_name=_("hội nghị")
    )
    person = models.ForeignKey(  # type: ignore[assignment]
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người phát biểu")
    )
    speaker_name = models.CharField(_("người phát biểu (ghi tên)"), max_length=128, blank=True)
    speaker_title = models.CharField(_("chức vụ, cơ quan (người ghi tên)"), max_length=255, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=SpeechKind.choices, default=SpeechKind.SPEECH)
    title = models.CharField(_("tiêu đề bài phát biểu"), max_length=500)
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    token = models.CharField(max_length=64, blank=True, editable=False)
    file = models.FileField(_("tệp toàn văn"), upload_to=speech_path, blank=True, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(_("loại tệp"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bài phát biểu")
        verbose_name_plural = _("bài phát biểu")
        ordering = ["conference", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def speaker_display(self) -> str:
        return self.person.full_name if self.person_id and self.person else self.speaker_name

    @property
    def speaker_positions(self) -> list[str]:
        if self.person_id:
            return list(self.positions_at_event)
        return [self.speaker_title] if self.speaker_title else []


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


# Drafts uploaded more than this many days ago are deleted (conferences.tasks; the drafts page
# says so).
KEEP_DRAFT_DAYS = 90


class ArticleDraft(models.Model):
    """A news report read into a draft conference record, waiting for its reader to confirm it.

    Made one per article of a batch (a folder or a ZIP); the text is kept as given, ``record``
    holds the extractor's draft (``None`` until it has been read) and ``conference`` the record
    confirmed from it. Only its creator sees it (and system administrators)."""

    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("người tải lên")
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    batch = models.CharField(_("đợt"), max_length=32, db_index=True)
    name = models.CharField(_("tên tệp"), max_length=255)
    text = models.TextField(_("nội dung"), blank=True)
    record = models.JSONField(_("bản nháp"), null=True, blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    conference = models.ForeignKey(
        Conference,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hội nghị đã ghi"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản nháp từ bài viết")
        verbose_name_plural = _("bản nháp từ bài viết")
        ordering = ["-created_at", "name", "pk"]

    def __str__(self) -> str:
        return self.name

"""Organisations, their unit trees (with dates and successions), counterpart pairs, people."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from phoihop.core.models import (
    Dated,
    DatedQuerySet,
    DatedReferenceQuerySet,
    ReferenceQuerySet,
    RestrictedQuerySet,
    Versioned,
)
from phoihop.core.text import fold, person_sort_key, sort_key


class Organisation(models.Model):
    """One side of a programme, such as the People's Army (QĐND) or the Veterans' Association."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    history = HistoricalRecords()

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_name or self.name


class OrgUnitLevel(models.Model):
    """A level of one organisation's tree (central, region, province, commune, branch...)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(_("mã"), max_length=32)
    name = models.CharField(_("tên"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("thứ tự"), help_text=_("0 là cấp cao nhất."))
    closed = models.BooleanField(_("cấp đã bỏ"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cấp")
        verbose_name_plural = _("cấp")
        ordering = ["organisation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="orgunitlevel_unique_code"),
        ]

    def __str__(self) -> str:
        return str(self.name)


# The kinds of unit (OrgUnit.kind, a code) and their names. The field stays free text: a kind
# not listed here is shown by its code.
UNIT_KINDS: dict[str, Any] = {
    "bo": _("Bộ"),
    "tong-cuc": _("Tổng cục"),
    "quan-khu": _("Quân khu"),
    "bo-chqs-tinh": _("Bộ Chỉ huy quân sự tỉnh, thành phố"),
    "ban-chqs-xa": _("Ban Chỉ huy quân sự xã, phường, đặc khu"),
    "trung-uong": _("Cơ quan Trung ương Hội"),
    "hoi-tinh": _("Hội Cựu chiến binh tỉnh, thành phố"),
    "hoi-xa": _("Hội Cựu chiến binh xã, phường, đặc khu"),
    "chi-hoi": _("Chi hội Cựu chiến binh"),
}


class AdminAreaKind(models.TextChoices):
    CITY = "thanh-pho", _("Thành phố trực thuộc Trung ương")
    PROVINCE = "tinh", _("Tỉnh")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    SPECIAL_ZONE = "dac-khu", _("Đặc khu")


class AdminArea(Dated):
    """A unit of the state's administrative list (province or commune), with its history."""

    code = models.CharField(
        _("khóa"),
        max_length=16,
        unique=True,
        help_text=_(
            "Mã nhà nước với đơn vị hiện hành; mã kèm “-cu” với tỉnh cũ đã thôi tồn tại (mã có thể đã được dùng lại)."
        ),
    )
    state_code = models.CharField(_("mã nhà nước"), max_length=8, db_index=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=AdminAreaKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("thuộc")
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )

    objects = DatedReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_province(self) -> bool:
        return self.kind in (AdminAreaKind.CITY, AdminAreaKind.PROVINCE)


class SuccessionKind(models.TextChoices):
    ABSORBED = "absorbed", _("Sáp nhập vào đơn vị kế thừa")
    NEW = "new", _("Hợp nhất thành đơn vị mới")


# Treebeard rewrites descendants' paths in raw SQL, past history and roll-ups (ARCHITECTURE rule 6).
NEVER_MOVE = _("Không được chuyển đơn vị sang vị trí khác trong cây; hãy đóng đơn vị và ghi đơn vị kế thừa.")


class OrgUnitQuerySet(MP_NodeQuerySet, DatedQuerySet):
    pass


class OrgUnitManager(MP_NodeManager):
    def get_queryset(self) -> OrgUnitQuerySet:
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")

    def restrict(self, user: Any, action: str = "view") -> OrgUnitQuerySet:
        return self.get_queryset().restrict(user, action)  # type: ignore[return-value]

    def unrestricted(self, reason: str) -> OrgUnitQuerySet:
        return self.get_queryset().unrestricted(reason)  # type: ignore[no-any-return]

    def active_on(self, day: date) -> OrgUnitQuerySet:
        return self.get_queryset().active_on(day)  # type: ignore[return-value]

    def move(self, *args: Any, **kwargs: Any) -> None:
        raise ValidationError(NEVER_MOVE)


class OrgUnit(MP_Node, Dated, Versioned):
    """A unit of an organisation at some level: an agency, command, association or branch.

    Units are never moved in the tree (treebeard rewrites descendants' paths in raw SQL,
    past history and roll-ups). A unit that closes keeps its place, gets ``valid_to`` and,
    where it went on in another, a successor.
    """

    steplen = 4
    node_order_by: list[str] = []

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("tổ chức")
    )
    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=128, blank=True)
    level = models.ForeignKey(OrgUnitLevel, on_delete=models.PROTECT, related_name="units", verbose_name=_("cấp"))
    kind = models.CharField(_("loại đơn vị"), max_length=64, blank=True)
    area = models.ForeignKey(
        AdminArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("địa bàn hành chính"),
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )
    succession_date = models.DateField(_("ngày kế thừa"), null=True, blank=True)
    succession_kind = models.CharField(
        _("hình thức kế thừa"), max_length=16, choices=SuccessionKind.choices, blank=True
    )
    search_text = models.CharField(max_length=600, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["numchild", "search_text"])

    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [
            models.Index(fields=["organisation", "level"], name="orgunit_org_level"),
            # A level of a subtree (a root's children for the national totals): one range read.
            models.Index(fields=["depth", "path"], name="orgunit_depth_path"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(valid_to__isnull=False),
                name="orgunit_successor_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text(self.code, self.name, self.short_name)
        super().save(*args, **kwargs)

    @staticmethod
    def build_search_text(code: str, name: str, short_name: str) -> str:
        return fold(f"{name} {short_name} {code}")[:600]

    def move(self, *args: Any, **kwargs: Any) -> None:
        raise ValidationError(NEVER_MOVE)

    def clean(self) -> None:
        self.clean_dates()
        if self.level_id and self.organisation_id and self.level.organisation_id != self.organisation_id:
            raise ValidationError({"level": _("Cấp này không thuộc tổ chức của đơn vị.")})
        if self.successor_id:
            if self.successor_id == self.pk:
                raise ValidationError({"successor": _("Đơn vị không thể kế thừa chính nó.")})
            if not self.valid_to:
                raise ValidationError({"successor": _("Chỉ đơn vị đã đóng mới có đơn vị kế thừa.")})
            if not self.succession_kind:
                raise ValidationError({"succession_kind": _("Hãy chọn hình thức kế thừa.")})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def kind_label(self) -> str:
        """The kind of unit by its name ("Hội Cựu chiến binh tỉnh, thành phố"), not its code
        ("hoi-tinh"); a kind without a name shows its code."""
        return str(UNIT_KINDS.get(self.kind, self.kind))

    @property
    def is_closed(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()


class UnitName(Dated):
    """A name a unit bore over a range of days (``valid_from`` to ``valid_to``, both inclusive)
    before the one it bears now: "Hội Cựu chiến binh tỉnh Thừa Thiên Huế" until 31/12/2024.

    The unit's current name stays on ``OrgUnit`` (history rows tell when a row was edited, not
    when a name took effect). A document names a unit as it was on the document's date
    (``phoihop.orgunits.names``); a dated renaming is ``services.rename_unit``.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="earlier_names", verbose_name=_("đơn vị"))
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=128, blank=True)
    history = HistoricalRecords()

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tên trước đây của đơn vị")
        verbose_name_plural = _("tên trước đây của đơn vị")
        ordering = ["unit", "valid_from"]
        indexes = [models.Index(fields=["unit", "valid_to"], name="unitname_unit_valid_to")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unitname_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.clean_dates()


class OrgUnitPair(Dated):
    """Counterpart units of two organisations (Bộ CHQS tỉnh X with Hội CCB tỉnh X), with dates."""

    unit_a = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="pairs_as_a", verbose_name=_("đơn vị"))
    unit_b = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="pairs_as_b", verbose_name=_("đơn vị kết nghĩa")
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    history = HistoricalRecords()

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cặp đơn vị phối hợp")
        verbose_name_plural = _("cặp đơn vị phối hợp")
        constraints = [
            models.UniqueConstraint(fields=["unit_a", "unit_b", "valid_from"], name="orgunitpair_unique"),
            models.CheckConstraint(condition=~Q(unit_a=models.F("unit_b")), name="orgunitpair_distinct_units"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_a} ↔ {self.unit_b}"

    def clean(self) -> None:
        self.clean_dates()
        if self.unit_a_id and self.unit_b_id and self.unit_a.organisation_id == self.unit_b.organisation_id:
            raise ValidationError(_("Hai đơn vị phối hợp phải thuộc hai tổ chức khác nhau."))


class Rank(models.TextChoices):
    """Military ranks, low to high (navy names for the three general ranks below Đại tướng)."""

    BINH_NHI = "binh-nhi", _("Binh nhì")
    BINH_NHAT = "binh-nhat", _("Binh nhất")
    HA_SI = "ha-si", _("Hạ sĩ")
    TRUNG_SI = "trung-si", _("Trung sĩ")
    THUONG_SI = "thuong-si", _("Thượng sĩ")
    THIEU_UY = "thieu-uy", _("Thiếu úy")
    TRUNG_UY = "trung-uy", _("Trung úy")
    THUONG_UY = "thuong-uy", _("Thượng úy")
    DAI_UY = "dai-uy", _("Đại úy")
    THIEU_TA = "thieu-ta", _("Thiếu tá")
    TRUNG_TA = "trung-ta", _("Trung tá")
    THUONG_TA = "thuong-ta", _("Thượng tá")
    DAI_TA = "dai-ta", _("Đại tá")
    THIEU_TUONG = "thieu-tuong", _("Thiếu tướng")
    CHUAN_DO_DOC = "chuan-do-doc", _("Chuẩn đô đốc")
    TRUNG_TUONG = "trung-tuong", _("Trung tướng")
    PHO_DO_DOC = "pho-do-doc", _("Phó đô đốc")
    THUONG_TUONG = "thuong-tuong", _("Thượng tướng")
    DO_DOC = "do-doc", _("Đô đốc")
    DAI_TUONG = "dai-tuong", _("Đại tướng")


class Gender(models.TextChoices):
    MALE = "nam", _("Nam")
    FEMALE = "nu", _("Nữ")


class PersonQuerySet(RestrictedQuerySet):
    def search(self, text: str) -> PersonQuerySet:
        folded = fold(text)
        return self.filter(search_text__contains=folded) if folded else self


class Person(Versioned):
    """An officer, soldier, association member or guest, with current rank and positions.

    Events (signings, attendance, nominations) keep the rank and positions held then.
    """

    full_name = models.CharField(_("họ và tên"), max_length=128)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    # Identity as the Decree 98 achievement report (báo cáo thành tích) asks it; personal data
    # (ADR 0011): shown only where birth year and gender are.
    birth_date = models.DateField(
        _("ngày sinh"), null=True, blank=True, help_text=_("Khi ghi ngày sinh, năm sinh theo ngày sinh.")
    )
    home_town = models.CharField(_("quê quán"), max_length=255, blank=True)
    residence = models.CharField(_("trú quán"), max_length=255, blank=True)
    qualification = models.CharField(_("trình độ chuyên môn, nghiệp vụ"), max_length=255, blank=True)
    distinctions = models.CharField(_("học hàm, học vị, danh hiệu, giải thưởng"), max_length=255, blank=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    rank = models.CharField(_("cấp bậc (quân hàm)"), max_length=20, choices=Rank.choices, blank=True)
    positions = models.JSONField(_("chức vụ"), default=list, blank=True)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("đơn vị")
    )
    affiliation = models.CharField(
        _("cơ quan (ngoài hai tổ chức)"),
        max_length=255,
        blank=True,
        help_text=_("Cho khách mời không thuộc đơn vị nào."),
    )
    member_card_number = models.CharField(_("số thẻ hội viên"), max_length=32, blank=True)
    external_id = models.CharField(
        _("mã người (tệp nhập)"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("Mã của người này trong tệp Excel/CSV đã nhập; nhập lại tệp thì cập nhật theo mã này."),
    )
    is_public_figure = models.BooleanField(
        _("nhân vật công khai"),
        default=False,
        help_text=_("Tên, cấp bậc và chức vụ hiển thị cho mọi người dùng của chương trình (lãnh đạo, khách mời)."),
    )
    sort_key = models.CharField(max_length=255, editable=False, db_index=True, default="")
    search_text = models.CharField(max_length=600, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["sort_key", "search_text"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("người")
        verbose_name_plural = _("người")
        ordering = ["sort_key", "id"]
        constraints = [
            # An imported person is found again by their id in the file.
            models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""), name="person_external_id"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name = " ".join(self.full_name.split())
        if self.birth_date is not None:  # one truth: the year is the date's
            self.birth_year = self.birth_date.year
        self.sort_key = person_sort_key(self.full_name)
        unit_names = f"{self.unit.name} {self.unit.short_name}" if self.unit_id and self.unit else ""
        self.search_text = fold(f"{self.full_name} {unit_names} {self.affiliation}")[:600]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not isinstance(self.positions, list) or not all(isinstance(p, str) for p in self.positions):
            raise ValidationError({"positions": _("Chức vụ phải là một danh sách.")})
        self.positions = [" ".join(p.split()) for p in self.positions if p.strip()]
        current_year = timezone.localdate().year
        if self.birth_year and not (1900 <= self.birth_year <= current_year):
            raise ValidationError({"birth_year": _("Năm sinh phải từ 1900 đến %(year)s.") % {"year": current_year}})
        if self.birth_date is not None:
            if not (1900 <= self.birth_date.year and self.birth_date <= timezone.localdate()):
                raise ValidationError({"birth_date": _("Ngày sinh phải từ năm 1900 đến hôm nay.")})
            if self.birth_year and self.birth_year != self.birth_date.year:
                raise ValidationError(
                    {"birth_year": _("Năm sinh khác năm của ngày sinh: hãy để trống năm sinh hoặc sửa cho khớp.")}
                )

    @property
    def rank_label(self) -> str:
        return str(Rank(self.rank).label) if self.rank else ""

    @property
    def title_line(self) -> str:
        """ "Thiếu tướng Nguyễn Văn Gấu": rank before the name, as army documents write it."""
        return f"{self.rank_label} {self.full_name}".strip()


class PersonSnapshot(models.Model):
    """The rank and positions a person held at an event, kept beside the current ones."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, verbose_name=_("người"))
    rank_at_event = models.CharField(_("cấp bậc khi đó"), max_length=20, choices=Rank.choices, blank=True)
    positions_at_event = models.JSONField(_("chức vụ khi đó"), default=list, blank=True)

    class Meta:
        abstract = True

    @property
    def rank_at_event_label(self) -> str:
        return str(Rank(self.rank_at_event).label) if self.rank_at_event else ""


def take_snapshot(row: Any, person: Person | None, *, rank: str | None = None, positions: Any = None) -> None:
    """The one way an event keeps a person's rank and positions of the day (signatories,
    co-chairs, delegates, nominees): ``row.person`` becomes ``person`` and
    ``rank_at_event``/``positions_at_event`` their current ones, unless the record of the day
    says otherwise (``rank``, ``positions``). No person: nothing is kept."""
    row.person = person
    if person is None:
        row.rank_at_event, row.positions_at_event = "", []
        return
    row.rank_at_event = person.rank if rank is None else rank
    row.positions_at_event = [" ".join(p.split()) for p in (person.positions if positions is None else positions)]


def vi_sort(items: list[Any], key: Any) -> list[Any]:
    """Sort Python objects in Vietnamese alphabetical order of ``key(item)``."""
    return sorted(items, key=lambda item: sort_key(key(item)))

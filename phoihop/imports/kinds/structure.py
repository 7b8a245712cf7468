"""Units, people and users with their roles: few rows, each written by its service
(``orgunits.services``, ``accounts.services``) in a savepoint, so every rule is the service's
own (docs/adr/0021-imports.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.accounts.models import RoleAssignment, RoleChoices, User
from phoihop.accounts.services import role_assign, user_create
from phoihop.core.gate import INTEGRITY, STRUCTURE
from phoihop.core.permissions import perms, require
from phoihop.core.services import OutOfScope, audited_save
from phoihop.imports.kinds.base import Column, ImportContext, ImportKind, RowProblem
from phoihop.imports.kinds.common import (
    CREATED,
    PK_REF,
    UNCHANGED,
    UPDATED,
    ChoiceCells,
    cell_text,
    date_cell,
    int_cell,
    run_rows,
    text_cell,
    unit_cell,
)
from phoihop.imports.resolve import UnitResolver
from phoihop.orgunits.models import Gender, Organisation, OrgUnit, OrgUnitLevel, Person, Rank
from phoihop.orgunits.services import person_create, person_update, rename_unit, unit_create, unit_create_root

# --- units ------------------------------------------------------------------------------------------


def unit_columns(programme: Any) -> list[Column]:
    return [
        Column("code", gettext_lazy("Mã đơn vị"), True, gettext_lazy("Mã riêng, không trùng đơn vị nào."), "CCB-XA-A"),
        Column("name", gettext_lazy("Tên đơn vị"), True, gettext_lazy("Tên đầy đủ."), "Hội Cựu chiến binh xã A"),
        Column("short_name", gettext_lazy("Tên ngắn"), False, gettext_lazy("Không bắt buộc."), "Hội CCB xã A"),
        Column(
            "organisation",
            gettext_lazy("Tổ chức"),
            False,
            gettext_lazy("Mã tổ chức; bắt buộc với đơn vị không có đơn vị cấp trên."),
            "",
            _organisation_codes,
        ),
        Column("level", gettext_lazy("Cấp"), True, gettext_lazy("Mã cấp của tổ chức, thấp hơn cấp trên."), "xa"),
        Column(
            "parent",
            gettext_lazy("Đơn vị cấp trên"),
            False,
            gettext_lazy(
                "Mã hoặc đúng tên đơn vị cấp trên (trong phạm vi của bạn, hoặc ở dòng trước của tệp). "
                "Để trống: đơn vị cao nhất của tổ chức (chỉ quản trị hệ thống)."
            ),
            "CCB-HANOI",
        ),
        Column(
            "valid_from",
            gettext_lazy("Hoạt động từ ngày"),
            False,
            gettext_lazy("Ngày/tháng/năm; để trống là hôm nay."),
            "1/7/2025",
        ),
    ]


def _organisation_codes(programme: Any) -> list[str]:
    return list(Organisation.objects.unrestricted(STRUCTURE).order_by("code").values_list("code", flat=True))


def unit_rows(user: Any, programme: Any) -> Iterable[dict[str, Any]]:
    # The units the user manages: what they may import back (the counterpart units they read are
    # another organisation's to keep).
    units = list(OrgUnit.objects.restrict(user, "manage").select_related("organisation", "level").order_by("path"))
    parents = {p[: -OrgUnit.steplen] for p in (u.path for u in units) if len(p) > OrgUnit.steplen}
    codes = dict(OrgUnit.objects.unrestricted(STRUCTURE).filter(path__in=parents).values_list("path", "code"))
    for u in units:
        yield {
            "code": u.code,
            "name": u.name,
            "short_name": u.short_name,
            "organisation": u.organisation.code,
            "level": u.level.code,
            "parent": codes.get(u.path[: -OrgUnit.steplen], ""),
            "valid_from": u.valid_from,
        }


def _parent_code(unit: OrgUnit) -> str:
    if len(unit.path) <= OrgUnit.steplen:
        return ""
    parent_path = unit.path[: -OrgUnit.steplen]
    return OrgUnit.objects.unrestricted(STRUCTURE).filter(path=parent_path).values_list("code", flat=True).first() or ""


def import_units(ctx: ImportContext) -> None:
    resolver = UnitResolver(ctx.acting_user)
    resolver.load(data.get("parent") for _n, data in ctx.rows)
    today = timezone.localdate()

    def handle(number: int, data: dict[str, Any]) -> str:
        code = text_cell(data, "code", required=True, max_length=40)
        name = " ".join(text_cell(data, "name", required=True, max_length=255).split())
        short_name = " ".join(text_cell(data, "short_name", max_length=128).split())
        level_code = text_cell(data, "level", required=True)
        organisation_code = text_cell(data, "organisation")
        valid_from = date_cell(data, "valid_from")
        existing = OrgUnit.objects.unrestricted(INTEGRITY).filter(code=code).select_related("level").first()
        # An existing unit's own parent, named by its code, needs no lookup: a unit administrator's
        # export names the unit above theirs, which lies outside what they may look up.
        parent_text = text_cell(data, "parent")
        same_parent = existing is not None and bool(parent_text) and parent_text == _parent_code(existing)
        parent = None if same_parent else unit_cell(resolver, data, "parent")
        if existing is not None:
            if existing.level.code != level_code:
                raise RowProblem(
                    "level",
                    _("Không đổi được cấp của đơn vị đã có (đang là “%(level)s”).") % {"level": existing.level.code},
                )
            if parent is not None and existing.path[: -OrgUnit.steplen] != parent.path:
                raise RowProblem("parent", _("Không chuyển được đơn vị đã có sang đơn vị cấp trên khác."))
            if existing.name == name and existing.short_name == short_name:
                return UNCHANGED
            if not perms(ctx.acting_user).reaches(existing, "manage"):
                raise RowProblem("code", _("Mã đơn vị “%(code)s” đã được dùng cho đơn vị khác.") % {"code": code})
            rename_unit(
                unit=existing, new_name=name, new_short_name=short_name, effective=today, acting_user=ctx.acting_user
            )
            return UPDATED
        if parent is not None:
            if organisation_code and parent.organisation.code != organisation_code:
                raise RowProblem(
                    "organisation",
                    _("Đơn vị cấp trên thuộc tổ chức khác (%(org)s).") % {"org": parent.organisation.code},
                )
            organisation_id = parent.organisation_id
        else:
            if not organisation_code:
                raise RowProblem("parent", _("Hãy ghi đơn vị cấp trên (hoặc tổ chức, với đơn vị cao nhất)."))
            organisation = Organisation.objects.unrestricted(STRUCTURE).filter(code=organisation_code).first()
            if organisation is None:
                raise RowProblem("organisation", _("Không có tổ chức mã “%(code)s”.") % {"code": organisation_code})
            organisation_id = organisation.pk
        level = OrgUnitLevel.objects.filter(organisation_id=organisation_id, code=level_code).first()
        if level is None:
            raise RowProblem("level", _("Tổ chức không có cấp mã “%(code)s”.") % {"code": level_code})
        fields: dict[str, Any] = {
            "code": code,
            "name": name,
            "short_name": short_name,
            "level": level,
            "valid_from": valid_from,
        }
        if parent is not None:
            unit = unit_create(parent=parent, acting_user=ctx.acting_user, **fields)
        else:
            unit = unit_create_root(organisation=level.organisation, acting_user=ctx.acting_user, **fields)
        resolver.remember(unit)
        return CREATED

    run_rows(ctx, handle, fields={"effective": "name", "successor": "parent"})


# --- people ------------------------------------------------------------------------------------------

PERSON_TEXT = {
    "full_name": 128,
    "home_town": 255,
    "residence": 255,
    "qualification": 255,
    "distinctions": 255,
    "member_card_number": 32,
    "affiliation": 255,
}


def person_columns(programme: Any) -> list[Column]:
    return [
        Column(
            "external_id",
            gettext_lazy("Mã người"),
            True,
            gettext_lazy("Mã riêng của người này trong tệp của đơn vị; nhập lại tệp thì cập nhật theo mã này."),
            "CCB-HN-0001",
        ),
        Column("full_name", gettext_lazy("Họ và tên"), True, "", "Nguyễn Văn A"),
        Column("unit", gettext_lazy("Đơn vị"), False, gettext_lazy("Mã hoặc đúng tên đơn vị."), "CCB-HANOI"),
        Column(
            "rank",
            gettext_lazy("Cấp bậc"),
            False,
            gettext_lazy("Quân hàm, ví dụ Đại tá; để trống nếu không có."),
            "Đại tá",
            lambda p: [str(label) for _c, label in Rank.choices],
        ),
        Column(
            "positions",
            gettext_lazy("Chức vụ"),
            False,
            gettext_lazy("Các chức vụ, cách nhau bằng dấu chấm phẩy (;)."),
            "Chủ tịch Hội",
        ),
        Column("birth_date", gettext_lazy("Ngày sinh"), False, gettext_lazy("Ngày/tháng/năm."), ""),
        Column("birth_year", gettext_lazy("Năm sinh"), False, gettext_lazy("Khi không rõ ngày sinh."), 1958),
        Column(
            "gender",
            gettext_lazy("Giới tính"),
            False,
            gettext_lazy("Nam hoặc Nữ."),
            "Nam",
            lambda p: [str(label) for _c, label in Gender.choices],
        ),
        Column("home_town", gettext_lazy("Quê quán"), False, "", ""),
        Column("residence", gettext_lazy("Trú quán"), False, "", ""),
        Column("qualification", gettext_lazy("Trình độ chuyên môn"), False, "", ""),
        Column("distinctions", gettext_lazy("Học hàm, học vị, danh hiệu"), False, "", ""),
        Column("member_card_number", gettext_lazy("Số thẻ hội viên"), False, "", ""),
        Column("affiliation", gettext_lazy("Cơ quan (ngoài hai tổ chức)"), False, "", ""),
    ]


def person_rows(user: Any, programme: Any) -> Iterable[dict[str, Any]]:
    permissions = perms(user)
    for p in Person.objects.restrict(user, "view").select_related("unit").order_by("pk"):
        row = {
            "external_id": p.external_id or f"#{p.pk}",
            "full_name": p.full_name,
            "unit": p.unit.code if p.unit else "",
            "rank": p.rank_label,
            "positions": "; ".join(p.positions or []),
            "affiliation": p.affiliation,
        }
        if permissions.for_(p).can("read_private"):
            row.update(
                {
                    "birth_date": p.birth_date,
                    "birth_year": p.birth_year if p.birth_date is None else None,
                    "gender": p.get_gender_display() if p.gender else "",
                    "home_town": p.home_town,
                    "residence": p.residence,
                    "qualification": p.qualification,
                    "distinctions": p.distinctions,
                    "member_card_number": p.member_card_number,
                }
            )
        yield row


def import_people(ctx: ImportContext) -> None:
    from phoihop.imports.values import BadValue, split_codes

    resolver = UnitResolver(ctx.acting_user)
    resolver.load(data.get("unit") for _n, data in ctx.rows)
    present = set(ctx.headers)
    ranks = ChoiceCells(Rank.choices, _("cấp bậc"))
    genders = ChoiceCells(Gender.choices, _("giới tính"))

    def handle(number: int, data: dict[str, Any]) -> str:
        external_id = text_cell(data, "external_id", required=True, max_length=64)
        values: dict[str, Any] = {}
        for key, length in PERSON_TEXT.items():
            if key in present:
                values[key] = " ".join(text_cell(data, key, required=key == "full_name", max_length=length).split())
        if "unit" in present:
            values["unit"] = unit_cell(resolver, data, "unit")
        if "rank" in present:
            values["rank"] = ranks.read(data, "rank")
        if "gender" in present:
            values["gender"] = genders.read(data, "gender")
        if "positions" in present:
            try:
                values["positions"] = split_codes(data.get("positions")) if cell_text(data.get("positions")) else []
            except BadValue as e:
                raise RowProblem("positions", str(e)) from e
        if "birth_date" in present:
            values["birth_date"] = date_cell(data, "birth_date")
        if "birth_year" in present:
            values["birth_year"] = int_cell(data, "birth_year", default=None)
            if values.get("birth_date") is not None and values["birth_year"] is None:
                values["birth_year"] = values["birth_date"].year
        match = PK_REF.match(external_id)
        people = Person.objects.unrestricted(INTEGRITY)
        existing = (
            people.filter(pk=int(match.group(1))).first() if match else people.filter(external_id=external_id).first()
        )
        if existing is None:
            if match:
                raise RowProblem("external_id", _("Không tìm thấy người số %(id)s.") % {"id": external_id})
            person_create(acting_user=ctx.acting_user, data={**values, "external_id": external_id})
            return CREATED
        changed = {k: v for k, v in values.items() if getattr(existing, k) != v}
        if not changed:
            return UNCHANGED
        if not Person.objects.restrict(ctx.acting_user, "change").filter(pk=existing.pk).exists():
            raise RowProblem(
                "external_id",
                _("Mã người “%(id)s” đã được dùng cho người ngoài phạm vi của bạn.") % {"id": external_id},
            )
        person_update(person=existing, acting_user=ctx.acting_user, data=changed)
        return UPDATED

    run_rows(ctx, handle)


# --- users with roles ------------------------------------------------------------------------------


def user_columns(programme: Any) -> list[Column]:
    return [
        Column(
            "username", gettext_lazy("Tên đăng nhập"), True, gettext_lazy("Chữ không dấu, số, dấu chấm."), "hn.xa-a"
        ),
        Column("full_name", gettext_lazy("Họ và tên"), True, "", "Trần Văn B"),
        Column(
            "unit",
            gettext_lazy("Đơn vị"),
            True,
            gettext_lazy("Mã hoặc đúng tên đơn vị được giao vai trò."),
            "CCB-HANOI",
        ),
        Column(
            "role",
            gettext_lazy("Vai trò"),
            True,
            gettext_lazy("Người xem, Người báo cáo, Người phê duyệt hoặc Quản trị đơn vị."),
            str(RoleChoices.REPORTER.label),
            lambda p: [str(label) for _c, label in RoleChoices.choices],
        ),
        Column(
            "valid_from",
            gettext_lazy("Từ ngày"),
            False,
            gettext_lazy(
                "Ngày bắt đầu vai trò; để trống là hôm nay. Mật khẩu không nhập từ tệp: người dùng mới nhận mật "
                "khẩu tạm thời khi quản trị cấp lại mật khẩu trên trang người dùng."
            ),
            "",
        ),
    ]


def user_rows(user: Any, programme: Any) -> Iterable[dict[str, Any]]:
    today = timezone.localdate()
    users = User.objects.restrict(user, "view").order_by("username")
    assignments = (
        RoleAssignment.objects.restrict(user, "view")
        .active_on(today)
        .filter(user__in=users)
        .select_related("user", "unit")
        .order_by("user__username", "unit__path", "role")
    )
    for a in assignments:
        yield {
            "username": a.user.username,
            "full_name": a.user.get_full_name(),
            "unit": a.unit.code,
            "role": str(a.get_role_display()),
            "valid_from": a.valid_from,
        }


def import_users(ctx: ImportContext) -> None:
    resolver = UnitResolver(ctx.acting_user)
    resolver.load(data.get("unit") for _n, data in ctx.rows)
    today = timezone.localdate()
    roles = ChoiceCells(RoleChoices.choices, _("vai trò"))

    def handle(number: int, data: dict[str, Any]) -> str:
        username = text_cell(data, "username", required=True, max_length=150)
        full_name = " ".join(text_cell(data, "full_name", required=True, max_length=300).split())
        unit = unit_cell(resolver, data, "unit", required=True)
        role = roles.read(data, "role")
        if not role:
            raise RowProblem("role", _("Cột này không được để trống."))
        valid_from = date_cell(data, "valid_from")
        existing = User.objects.unrestricted(INTEGRITY).filter(username__iexact=username).first()
        if existing is None:
            # The password is never imported: a random one nobody knows, to be replaced with a
            # one-time password by the unit administrator (docs/adr/0021-imports.md).
            user_create(
                acting_user=ctx.acting_user,
                username=username,
                full_name=full_name,
                unit=unit,
                role=role,
                valid_from=valid_from,
                must_change_password=True,
            )
            return CREATED
        holds = (
            RoleAssignment.objects.unrestricted(INTEGRITY)
            .filter(user=existing, unit=unit, role=role)
            .active_on(valid_from or today)
            .exists()
        )
        same_name = existing.get_full_name() == full_name
        if holds and same_name:
            return UNCHANGED
        if not same_name:
            try:
                require(ctx.acting_user, existing, "manage")
            except OutOfScope as e:
                raise RowProblem(
                    "username",
                    _("Tên đăng nhập “%(name)s” đã có người dùng ngoài phạm vi của bạn.") % {"name": username},
                ) from e
            parts = full_name.split()
            existing.first_name, existing.last_name = " ".join(parts[-1:]), " ".join(parts[:-1])
            audited_save(existing, acting_user=ctx.acting_user, action="user.update", exclude=["password"])
        if not holds:
            role_assign(acting_user=ctx.acting_user, user=existing, unit=unit, role=role, valid_from=valid_from)
        return UPDATED

    run_rows(ctx, handle, fields={"user": "username"})


UNITS = ImportKind("units", gettext_lazy("Đơn vị"), False, unit_columns, unit_rows, import_units)
PEOPLE = ImportKind(
    "people", gettext_lazy("Người (cán bộ, hội viên)"), False, person_columns, person_rows, import_people
)
USERS = ImportKind("users", gettext_lazy("Người dùng và vai trò"), False, user_columns, user_rows, import_users)

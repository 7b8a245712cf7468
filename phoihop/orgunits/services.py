"""Writes to units, pairs and people. Each checks scope before and after, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.formats import vn_date
from phoihop.core.gate import INTEGRITY, STRUCTURE, system_job
from phoihop.core.permissions import require
from phoihop.core.services import apply_changes, audited_save, check_version, require_in_scope, reread_for_update, stamp
from phoihop.figures.periods import out_of_bounds
from phoihop.figures.today import rebuild_terms
from phoihop.orgunits.models import (
    Organisation,
    OrgUnit,
    OrgUnitLevel,
    OrgUnitPair,
    Person,
    SuccessionKind,
    UnitName,
)
from phoihop.orgunits.names import current_name_start

UNIT_EDITABLE = {"name", "short_name", "kind", "area", "valid_from"}
PERSON_EDITABLE = {
    "full_name",
    "birth_year",
    "birth_date",
    "gender",
    "home_town",
    "residence",
    "qualification",
    "distinctions",
    "rank",
    "positions",
    "unit",
    "affiliation",
    "member_card_number",
    "external_id",
    "is_public_figure",
}


@transaction.atomic
def unit_update(
    *, unit: OrgUnit, acting_user: Any, data: dict[str, Any], expected_version: int | None = None
) -> OrgUnit:
    require_in_scope(unit, user=acting_user, action="manage")
    check_version(unit, expected_version)
    apply_changes(unit, data, UNIT_EDITABLE)
    return audited_save(unit, acting_user=acting_user, action="unit.update")


def _new_unit(
    organisation_id: int, parent: OrgUnit | None, acting_user: Any, *, code: str, level: OrgUnitLevel, **fields: Any
) -> OrgUnit:
    """A checked, stamped unit not yet placed in the tree (treebeard places it)."""
    check_new_unit(code=code, level=level, valid_from=fields.get("valid_from"), parent=parent)
    unit = OrgUnit(organisation_id=organisation_id, code=code, level=level, **fields)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    stamp(unit, acting_user=acting_user, action="unit.create")
    return unit


@transaction.atomic
def unit_create(
    *,
    parent: OrgUnit,
    acting_user: Any,
    code: str,
    name: str,
    level: OrgUnitLevel,
    short_name: str = "",
    kind: str = "",
    valid_from: date | None = None,
    area: Any = None,
) -> OrgUnit:
    require_in_scope(parent, user=acting_user, action="manage")
    if level.organisation_id != parent.organisation_id:
        raise ValidationError({"level": _("Cấp này không thuộc tổ chức của đơn vị cấp trên.")})
    unit = _new_unit(
        parent.organisation_id,
        parent,
        acting_user,
        code=code,
        name=name,
        level=level,
        short_name=short_name,
        kind=kind,
        valid_from=valid_from,
        area=area,
    )
    parent = reread_for_update(parent)
    with system_job(STRUCTURE):  # treebeard reads the parent's children to place the new unit
        return OrgUnit.objects.add_child(parent, instance=unit)


def check_successor(unit: OrgUnit, successor: OrgUnit, valid_to: date, field: str = "successor") -> None:
    """A unit may go on in ``successor`` from the day after ``valid_to``: one of the same
    organisation, still active after that day."""
    if successor.organisation_id != unit.organisation_id:
        raise ValidationError({field: _("Đơn vị kế thừa phải cùng tổ chức.")})
    if not successor.is_active_on(valid_to) and not successor.is_active_on(date.fromordinal(valid_to.toordinal() + 1)):
        raise ValidationError({field: _("Đơn vị kế thừa phải còn hoạt động sau ngày đóng.")})


@transaction.atomic
def unit_close(
    *,
    unit: OrgUnit,
    acting_user: Any,
    valid_to: date,
    successor: OrgUnit | None = None,
    kind: str = "",
    reason: str = "",
) -> OrgUnit:
    """Close a unit where it stands; never move it. Its successor (if any) takes over its figures
    in "today's tree" views. ``reason`` goes to the history row."""
    require_in_scope(unit, user=acting_user, action="manage")
    if successor is not None:
        check_successor(unit, successor, valid_to)
    unit.valid_to = valid_to
    unit.successor = successor
    unit.succession_date = date.fromordinal(valid_to.toordinal() + 1) if successor else None
    unit.succession_kind = kind if successor else ""
    audited_save(unit, acting_user=acting_user, action="unit.close", reason=reason)
    # Where the unit's figures count in today's tree changes with its successor (rule 6).
    rebuild_terms()
    return unit


DATES_OUT_OF_BOUNDS = gettext_lazy("Chỉ nhận ngày từ 1/1/1900 đến 31/12/2100.")


def check_new_unit(*, code: str, level: OrgUnitLevel, valid_from: date | None, parent: OrgUnit | None) -> None:
    """What a new unit must satisfy besides its fields: a code no unit has, a level still in use
    and below its parent's (a root may be at any level in use), and a parent open on the day the
    unit begins (today when no day is given). Units are never moved, so a unit is created in
    its place or not at all (docs/adr/0020-structure-writes.md)."""
    if OrgUnit.objects.unrestricted(INTEGRITY).filter(code=code).exists():
        raise ValidationError({"code": _("Mã đơn vị “%(code)s” đã được dùng cho đơn vị khác.") % {"code": code}})
    if level.closed:
        raise ValidationError(
            {"level": _("Cấp “%(level)s” đã bỏ, không tạo thêm đơn vị ở cấp này.") % {"level": level.name}}
        )
    if valid_from is not None and out_of_bounds(valid_from):
        raise ValidationError({"valid_from": DATES_OUT_OF_BOUNDS})
    if parent is None:
        return
    if level.rank <= parent.level.rank:
        raise ValidationError(
            {
                "level": _("Cấp của đơn vị mới phải thấp hơn cấp của đơn vị cấp trên (%(parent)s là cấp “%(level)s”).")
                % {"parent": parent.code, "level": parent.level.name}
            }
        )
    begins = valid_from or timezone.localdate()
    if parent.valid_from is not None and begins < parent.valid_from:
        raise ValidationError(
            {
                "valid_from": _(
                    "Ngày bắt đầu hoạt động không được trước ngày đơn vị cấp trên %(parent)s bắt đầu hoạt động "
                    "(%(day)s)."
                )
                % {"parent": parent.code, "day": vn_date(parent.valid_from)}
            }
        )
    if parent.valid_to is not None and begins > parent.valid_to:
        raise ValidationError(
            {
                "parent": _(
                    "Đơn vị cấp trên %(parent)s chỉ hoạt động đến ngày %(day)s; không thêm được đơn vị bắt đầu "
                    "sau ngày đó."
                )
                % {"parent": parent.code, "day": vn_date(parent.valid_to)}
            }
        )


@transaction.atomic
def unit_create_root(
    *,
    organisation: Organisation,
    acting_user: Any,
    code: str,
    name: str,
    level: OrgUnitLevel,
    short_name: str = "",
    kind: str = "",
    valid_from: date | None = None,
    area: Any = None,
) -> OrgUnit:
    """A unit at the top of its organisation's tree (no parent): system administrators only
    (``OrganisationPolicy.can_add_root``). An organisation that adopts phoihop in one province
    may start its tree at the province's unit."""
    require(acting_user, organisation, "add_root")
    if level.organisation_id != organisation.pk:
        raise ValidationError({"level": _("Cấp này không thuộc tổ chức của đơn vị.")})
    unit = _new_unit(
        organisation.pk,
        None,
        acting_user,
        code=code,
        name=name,
        level=level,
        short_name=short_name,
        kind=kind,
        valid_from=valid_from,
        area=area,
    )
    with system_job(STRUCTURE):  # treebeard reads the last root to place the new one
        return OrgUnit.objects.add_root(instance=unit)


@transaction.atomic
def unit_close_into(
    *,
    unit: OrgUnit,
    acting_user: Any,
    valid_to: date,
    successors: Sequence[OrgUnit] = (),
    kind: str = "",
) -> tuple[OrgUnit, list[OrgUnit]]:
    """Close ``unit`` on ``valid_to`` (its last day): dissolved (no successor), merged into one
    successor, or split among several. A unit records one successor (``OrgUnit.successor``, which
    takes over its figures in today's tree), so in a split the first one named is recorded as the
    successor and the others are named in the history row's reason. Answers the unit and the
    successors not recorded on it (empty unless it was a split)."""
    require_in_scope(unit, user=acting_user, action="manage")
    if out_of_bounds(valid_to):
        raise ValidationError({"valid_to": DATES_OUT_OF_BOUNDS})
    if unit.valid_from is not None and valid_to < unit.valid_from:
        raise ValidationError(
            {
                "valid_to": _("Ngày đóng không được trước ngày đơn vị bắt đầu hoạt động (%(day)s).")
                % {"day": vn_date(unit.valid_from)}
            }
        )
    successors = list(successors)
    codes = [s.code for s in successors]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ValidationError(
            {
                "successors": _("Mỗi đơn vị kế thừa chỉ được nêu một lần; bị lặp: %(codes)s.")
                % {"codes": ", ".join(repeated)}
            }
        )
    if any(s.pk == unit.pk for s in successors):
        raise ValidationError({"successors": _("Đơn vị không thể kế thừa chính nó.")})
    for successor in successors:
        check_successor(unit, successor, valid_to, field="successors")
    first, others = (successors[0], successors[1:]) if successors else (None, [])
    reason = ""
    if others:
        reason = _(
            "Chia tách cho các đơn vị %(codes)s; ghi %(first)s là đơn vị kế thừa (mỗi đơn vị chỉ ghi được một "
            "đơn vị kế thừa)."
        ) % {"codes": ", ".join(codes), "first": codes[0]}
    closed = unit_close(
        unit=unit,
        acting_user=acting_user,
        valid_to=valid_to,
        successor=first,
        kind=(kind or SuccessionKind.ABSORBED) if first else "",
        reason=reason,
    )
    return closed, others


@transaction.atomic
def organisation_create(
    *, acting_user: Any, code: str, name: str, short_name: str = "", levels: Sequence[Mapping[str, str]]
) -> Organisation:
    """An organisation with its levels, highest first (``levels[0]`` gets rank 0, the top of the
    tree): system administrators only (``OrganisationPolicy.can_create``)."""
    organisation = Organisation(code=code.strip(), name=" ".join(name.split()), short_name=" ".join(short_name.split()))
    require(acting_user, organisation, "create")
    if Organisation.objects.unrestricted(INTEGRITY).filter(code=organisation.code).exists():
        raise ValidationError({"code": _("Đã có tổ chức mã “%(code)s”.") % {"code": organisation.code}})
    if not levels:
        raise ValidationError({"levels": _("Hãy nêu ít nhất một cấp của tổ chức, từ cấp cao nhất xuống.")})
    level_codes = [str(level["code"]).strip() for level in levels]
    repeated = sorted({c for c in level_codes if level_codes.count(c) > 1})
    if repeated:
        raise ValidationError(
            {"levels": _("Mỗi mã cấp chỉ được dùng một lần; bị lặp: %(codes)s.") % {"codes": ", ".join(repeated)}}
        )
    audited_save(organisation, acting_user=acting_user, action="organisation.create")
    for rank, (level_code, level) in enumerate(zip(level_codes, levels, strict=True)):
        row = OrgUnitLevel(
            organisation=organisation, code=level_code, name=" ".join(str(level["name"]).split()), rank=rank
        )
        try:
            audited_save(row, acting_user=acting_user, action="organisation.create")
        except ValidationError as error:
            problems = "; ".join(error.messages)
            raise ValidationError(
                {
                    "levels": _("Cấp thứ %(n)s (%(code)s): %(problems)s")
                    % {"n": rank + 1, "code": level_code, "problems": problems}
                }
            ) from error
    return organisation


@transaction.atomic
def rename_unit(
    *,
    unit: OrgUnit,
    new_name: str,
    new_short_name: str = "",
    effective: date,
    acting_user: Any,
    expected_version: int | None = None,
) -> OrgUnit:
    """Rename a unit from ``effective`` on: its current name is kept as a ``UnitName`` from the
    day that name began (``names.current_name_start``) to the day before ``effective``, and
    the unit bears the new one. Documents dated before ``effective`` keep naming it as it was
    (``phoihop.orgunits.names``). A correction of a misspelt name is ``unit_update``."""
    require_in_scope(unit, user=acting_user, action="manage")
    unit = reread_for_update(unit)
    check_version(unit, expected_version)
    name, short_name = " ".join(new_name.split()), " ".join(new_short_name.split())
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên mới của đơn vị.")})
    if name == unit.name and short_name == unit.short_name:
        raise ValidationError({"name": _("Tên mới trùng với tên hiện tại của đơn vị.")})
    start = current_name_start(unit)
    if start is not None and effective <= start:
        raise ValidationError(
            {
                "effective": _("Ngày đổi tên phải sau ngày tên hiện tại của đơn vị bắt đầu có hiệu lực (%(day)s).")
                % {"day": vn_date(start)}
            }
        )
    if effective > timezone.localdate():
        raise ValidationError({"effective": _("Ngày đổi tên không được sau ngày hôm nay.")})
    if unit.valid_to is not None and effective > unit.valid_to:
        raise ValidationError(
            {
                "effective": _(
                    "Đơn vị chỉ hoạt động đến ngày %(day)s; ngày đổi tên phải trong thời gian đơn vị còn hoạt động."
                )
                % {"day": vn_date(unit.valid_to)}
            }
        )
    earlier = UnitName(
        unit=unit,
        name=unit.name,
        short_name=unit.short_name,
        valid_from=start,
        valid_to=date.fromordinal(effective.toordinal() - 1),
    )
    audited_save(earlier, acting_user=acting_user, action="unit.rename")
    unit.name, unit.short_name = name, short_name
    return audited_save(unit, acting_user=acting_user, action="unit.rename")


@transaction.atomic
def pair_create(
    *, unit_a: OrgUnit, unit_b: OrgUnit, acting_user: Any, valid_from: date | None = None, note: str = ""
) -> OrgUnitPair:
    require_in_scope(unit_a, user=acting_user, action="manage")
    if unit_a.pk == unit_b.pk:
        raise ValidationError({"unit_b": _("Không ghép cặp một đơn vị với chính nó.")})
    current = (
        OrgUnitPair.objects.unrestricted(STRUCTURE)
        .filter(Q(unit_a=unit_a, unit_b=unit_b) | Q(unit_a=unit_b, unit_b=unit_a))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from or timezone.localdate()))
        .first()
    )
    if current is not None:
        raise ValidationError(
            {"unit_b": _("Hai đơn vị này đang được ghép cặp; hãy kết thúc cặp cũ trước khi ghép lại.")}
        )
    pair = OrgUnitPair(unit_a=unit_a, unit_b=unit_b, valid_from=valid_from, note=note)
    return audited_save(pair, acting_user=acting_user, action="pair.create")


@transaction.atomic
def units_merge_into(
    *,
    successor: OrgUnit,
    units: Sequence[OrgUnit],
    acting_user: Any,
    valid_to: date,
    kind: str = "",
) -> list[OrgUnit]:
    """Merge ``units`` into ``successor``: each is closed on ``valid_to`` with ``successor`` as
    its one successor (``unit_close_into``, which checks each), all or none. The page "Sáp nhập
    đơn vị vào đơn vị này" of the successor."""
    units = list(units)
    if not units:
        raise ValidationError({"units": _("Hãy chọn ít nhất một đơn vị sáp nhập vào đơn vị này.")})
    if any(unit.pk == successor.pk for unit in units):
        raise ValidationError({"units": _("Đơn vị không thể sáp nhập vào chính nó.")})
    closed = []
    for unit in units:
        try:
            done, _others = unit_close_into(
                unit=unit, acting_user=acting_user, valid_to=valid_to, successors=[successor], kind=kind
            )
        except ValidationError as error:
            problems = "; ".join(error.messages)
            field = "valid_to" if hasattr(error, "error_dict") and "valid_to" in error.error_dict else "units"
            raise ValidationError(
                {field: _("%(unit)s: %(problems)s") % {"unit": unit.name, "problems": problems}}
            ) from error
        closed.append(done)
    return closed


@transaction.atomic
def pair_end(*, pair: OrgUnitPair, acting_user: Any, valid_to: date, reason: str = "") -> OrgUnitPair:
    """End a pairing of counterpart units on ``valid_to`` (its last day); the pair stays in the
    history, with its dates. A unit administrator of either unit may end it."""
    pair = reread_for_update(pair)
    require_in_scope(pair, user=acting_user, action="manage")
    if out_of_bounds(valid_to):
        raise ValidationError({"valid_to": DATES_OUT_OF_BOUNDS})
    if pair.valid_from is not None and valid_to < pair.valid_from:
        raise ValidationError(
            {
                "valid_to": _("Ngày kết thúc không được trước ngày bắt đầu ghép cặp (%(day)s).")
                % {"day": vn_date(pair.valid_from)}
            }
        )
    pair.valid_to = valid_to
    return audited_save(pair, acting_user=acting_user, action="pair.end", reason=reason)


def _publicity_changes(person: Person, data: dict[str, Any]) -> bool:
    return "is_public_figure" in data and bool(data["is_public_figure"]) != bool(person.is_public_figure)


def _publicity_action(person: Person, acting_user: Any, reason: str) -> tuple[str, str]:
    """Marking or unmarking a public figure: allowed by ``PersonPolicy.can_publicise`` (checked
    against the person's unit, after the change), with a reason kept in the history row."""
    require(acting_user, person, "publicise")
    if not reason.strip():
        raise ValidationError({"public_reason": _("Hãy ghi lý do đánh dấu hoặc bỏ đánh dấu nhân vật công khai.")})
    return ("person.publicise" if person.is_public_figure else "person.unpublicise"), reason


@transaction.atomic
def person_create(*, acting_user: Any, data: dict[str, Any], public_reason: str = "") -> Person:
    person = apply_changes(Person(), data, PERSON_EDITABLE)
    action, reason = "person.create", ""
    if person.is_public_figure:
        action, reason = _publicity_action(person, acting_user, public_reason)
    audited_save(person, acting_user=acting_user, action=action, reason=reason)
    require_in_scope(person, user=acting_user, action="change")
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    acting_user: Any,
    data: dict[str, Any],
    public_reason: str = "",
    expected_version: int | None = None,
) -> Person:
    require_in_scope(person, user=acting_user, action="change")
    check_version(person, expected_version)
    publicity = _publicity_changes(person, data)
    if publicity:
        require(acting_user, person, "publicise")  # over the unit it is in now, too
    apply_changes(person, data, PERSON_EDITABLE)
    action, reason = "person.update", ""
    if publicity:
        action, reason = _publicity_action(person, acting_user, public_reason)
    audited_save(person, acting_user=acting_user, action=action, reason=reason)
    # The new unit must be in scope too: a write never moves a record out of the writer's reach.
    require_in_scope(person, user=acting_user, action="change")
    return person


@transaction.atomic
def person_anonymise(*, person: Person, acting_user: Any, reason: str) -> Person:
    """Replace the person's name, birth year, gender, rank, positions, affiliation and member
    card with placeholders, here and in the person's own history rows (which keep who did what,
    when and why), where no retention rule forbids it (``PersonPolicy.can_anonymise``;
    docs/adr/0011-personal-data.md). The unit stays: figures and counts do not change."""
    from phoihop.orgunits.privacy import anonymised_values

    person = reread_for_update(person, "unit")
    require(acting_user, person, "anonymise")
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do ẩn danh hoá (ví dụ: theo yêu cầu của người này ngày …).")})
    values = anonymised_values(person)
    # The history rows of the person keep the actions, not the old values.
    Person.history.filter(id=person.pk).update(**values)  # type: ignore[attr-defined]
    apply_changes(person, values, PERSON_EDITABLE)
    return audited_save(person, acting_user=acting_user, action="person.anonymise", reason=reason)

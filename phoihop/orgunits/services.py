"""Writes to units, pairs and people. Each checks scope before and after, in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core.gate import STRUCTURE, system_job
from phoihop.core.services import apply_changes, audited_save, require_in_scope, reread_for_update, stamp
from phoihop.figures.today import rebuild_terms
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel, OrgUnitPair, Person

UNIT_EDITABLE = {"name", "short_name", "kind", "area", "valid_from"}
PERSON_EDITABLE = {
    "full_name",
    "birth_year",
    "gender",
    "rank",
    "positions",
    "unit",
    "affiliation",
    "member_card_number",
    "is_public_figure",
}


@transaction.atomic
def unit_update(*, unit: OrgUnit, acting_user: Any, data: dict[str, Any]) -> OrgUnit:
    require_in_scope(unit, user=acting_user, action="manage")
    apply_changes(unit, data, UNIT_EDITABLE)
    return audited_save(unit, acting_user=acting_user, action="unit.update")


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
    unit = OrgUnit(
        organisation_id=parent.organisation_id,
        code=code,
        name=name,
        short_name=short_name,
        level=level,
        kind=kind,
        valid_from=valid_from,
        area=area,
    )
    unit.full_clean(exclude=["path", "depth", "numchild"])
    stamp(unit, acting_user=acting_user, action="unit.create")
    parent = reread_for_update(parent)
    with system_job(STRUCTURE):  # treebeard reads the parent's children to place the new unit
        return OrgUnit.objects.add_child(parent, instance=unit)


@transaction.atomic
def unit_close(
    *, unit: OrgUnit, acting_user: Any, valid_to: date, successor: OrgUnit | None = None, kind: str = ""
) -> OrgUnit:
    """Close a unit where it stands; never move it. Its successor (if any) takes over its figures
    in "today's tree" views."""
    require_in_scope(unit, user=acting_user, action="manage")
    if successor is not None:
        if successor.organisation_id != unit.organisation_id:
            raise ValidationError({"successor": _("Đơn vị kế thừa phải cùng tổ chức.")})
        if not successor.is_active_on(valid_to) and not successor.is_active_on(
            date.fromordinal(valid_to.toordinal() + 1)
        ):
            raise ValidationError({"successor": _("Đơn vị kế thừa phải còn hoạt động sau ngày đóng.")})
    unit.valid_to = valid_to
    unit.successor = successor
    unit.succession_date = date.fromordinal(valid_to.toordinal() + 1) if successor else None
    unit.succession_kind = kind if successor else ""
    audited_save(unit, acting_user=acting_user, action="unit.close")
    # Where the unit's figures count in today's tree changes with its successor (rule 6).
    rebuild_terms()
    return unit


@transaction.atomic
def pair_create(
    *, unit_a: OrgUnit, unit_b: OrgUnit, acting_user: Any, valid_from: date | None = None, note: str = ""
) -> OrgUnitPair:
    require_in_scope(unit_a, user=acting_user, action="manage")
    pair = OrgUnitPair(unit_a=unit_a, unit_b=unit_b, valid_from=valid_from, note=note)
    return audited_save(pair, acting_user=acting_user, action="pair.create")


@transaction.atomic
def person_create(*, acting_user: Any, data: dict[str, Any]) -> Person:
    person = apply_changes(Person(), data, PERSON_EDITABLE)
    audited_save(person, acting_user=acting_user, action="person.create")
    require_in_scope(person, user=acting_user, action="change")
    return person


@transaction.atomic
def person_update(*, person: Person, acting_user: Any, data: dict[str, Any]) -> Person:
    require_in_scope(person, user=acting_user, action="change")
    apply_changes(person, data, PERSON_EDITABLE)
    audited_save(person, acting_user=acting_user, action="person.update")
    # The new unit must be in scope too: a write never moves a record out of the writer's reach.
    require_in_scope(person, user=acting_user, action="change")
    return person

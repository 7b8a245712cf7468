"""Writes to programmes, phases, targets and signings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date
from phoihop.core.gate import INTEGRITY
from phoihop.core.permissions import require
from phoihop.core.services import OutOfScope, apply_changes, audited_save, check_version, require_in_scope
from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import (
    PHASE_TRANSITIONS,
    Aggregation,
    Field,
    Indicator,
    Party,
    Phase,
    PhaseStatus,
    Programme,
    Signing,
    Target,
)

PROGRAMME_EDITABLE = {"title", "summary", "legal_basis", "parent", "activity_approval"}
PHASE_EDITABLE = {"name", "start", "end"}
SIGNING_EDITABLE = {"signed_on", "place", "document_number", "note"}


@transaction.atomic
def programme_update(
    *, programme: Programme, acting_user: Any, data: dict[str, Any], expected_version: int | None = None
) -> Programme:
    require_in_scope(programme, user=acting_user, action="change")
    check_version(programme, expected_version)
    apply_changes(programme, data, PROGRAMME_EDITABLE)
    return audited_save(programme, acting_user=acting_user, action="programme.update")


@transaction.atomic
def phase_update(*, phase: Phase, acting_user: Any, data: dict[str, Any], expected_version: int | None = None) -> Phase:
    require_in_scope(phase.programme, user=acting_user, action="change")
    check_version(phase, expected_version)
    apply_changes(phase, data, PHASE_EDITABLE)
    return audited_save(phase, acting_user=acting_user, action="phase.update")


@transaction.atomic
def phase_set_status(*, phase: Phase, acting_user: Any, status: str) -> Phase:
    require_in_scope(phase.programme, user=acting_user, action="change")
    if status not in PHASE_TRANSITIONS[phase.status]:
        raise ValidationError(
            _("Không thể chuyển giai đoạn từ “%(old)s” sang “%(new)s”.")
            % {"old": phase.get_status_display(), "new": PhaseStatus(status).label}
        )
    signed = Signing.objects.unrestricted(INTEGRITY).filter(phase=phase).exists()
    if status in (PhaseStatus.ACTIVE, PhaseStatus.CLOSED) and not signed:
        raise ValidationError(_("Giai đoạn chưa có thông tin ký kết."))
    phase.status = status
    return audited_save(phase, acting_user=acting_user, action="phase.status")


@transaction.atomic
def signing_update(
    *, phase: Phase, acting_user: Any, data: dict[str, Any], expected_version: int | None = None
) -> Signing:
    require_in_scope(phase.programme, user=acting_user, action="change")
    signing = Signing.objects.restrict(acting_user, "change").filter(phase=phase).first() or Signing(phase=phase)
    if signing.pk:
        check_version(signing, expected_version)
    apply_changes(signing, data, SIGNING_EDITABLE)
    return audited_save(signing, acting_user=acting_user, action="signing.update")


@transaction.atomic
def target_set(*, phase: Phase, unit: OrgUnit, indicator: Indicator, value: Any, acting_user: Any) -> Target:
    if not OrgUnit.objects.restrict(acting_user, "approve").filter(pk=unit.pk).exists():
        raise OutOfScope()
    if not indicator.applies_to(phase):
        raise ValidationError({"indicator": _("Chỉ tiêu này không áp dụng cho giai đoạn đã chọn.")})
    target = Target.objects.restrict(acting_user, "change").filter(
        phase=phase, unit=unit, indicator=indicator
    ).first() or Target(phase=phase, unit=unit, indicator=indicator)
    target.value = value
    audited_save(target, acting_user=acting_user, action="target.set")
    require_in_scope(target, user=acting_user, action="change")
    return target


# --- setting up a programme (issue 15, item 2): parties, phases, fields, indicators -------------


@transaction.atomic
def programme_create(
    *, acting_user: Any, code: str, title: str, parties: list[OrgUnit], activity_approval: bool = False
) -> Programme:
    """A new programme between ``parties``: units of two or more organisations, each a party
    that represents itself and covers its own subtree.

    Who may: system administrators, and unit administrators of one of the parties' units (they
    manage the programme they set up: ``ProgrammePolicy.can_manage``, checked on the saved
    programme inside the transaction). Every party's unit must be one the writer may read."""
    units = list(dict.fromkeys(parties))
    if len(units) < 2:
        raise ValidationError({"parties": _("Chương trình phối hợp phải có ít nhất hai bên ký kết.")})
    by_organisation: dict[int, OrgUnit] = {}
    for unit in units:
        other = by_organisation.setdefault(unit.organisation_id, unit)
        if other is not unit:
            raise ValidationError(
                {
                    "parties": _(
                        "“%(a)s” và “%(b)s” cùng thuộc %(organisation)s: mỗi bên ký kết phải là một tổ chức khác nhau."
                    )
                    % {"a": other.display_name, "b": unit.display_name, "organisation": unit.organisation.name}
                }
            )
        if unit.is_closed:
            raise ValidationError({"parties": _("Đơn vị “%(unit)s” đã ngừng hoạt động.") % {"unit": unit.display_name}})
    visible = set(
        OrgUnit.objects.restrict(acting_user, "view").filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    if len(visible) < len(units):
        raise OutOfScope()
    if Programme.objects.unrestricted(INTEGRITY).filter(code=code).exists():
        raise ValidationError({"code": _("Đã có chương trình mã “%(code)s”.") % {"code": code}})
    programme = audited_save(
        Programme(code=code, title=title, activity_approval=activity_approval),
        acting_user=acting_user,
        action="programme.create",
    )
    for order, unit in enumerate(units):
        party = Party(
            programme=programme,
            organisation=unit.organisation,
            representative_unit=unit,
            root_unit=unit,
            order=order,
        )
        audited_save(party, acting_user=acting_user, action="programme.create")
    # Rule 4: the writer must be a manager of what they made, or nothing is saved.
    require_in_scope(programme, user=acting_user, action="change")
    return programme


@transaction.atomic
def phase_create(
    *,
    acting_user: Any,
    programme: Programme,
    code: str,
    name: str,
    start: date,
    end: date,
    status: str = PhaseStatus.DRAFT,
) -> Phase:
    """A phase of ``programme``, by its managers. Any status is accepted at set-up: a programme
    already running (or a past phase) is recorded as it is; later changes follow
    ``phase_set_status``."""
    require(acting_user, programme, "manage")
    if status not in PhaseStatus.values:
        raise ValidationError({"status": _("Trạng thái “%(status)s” không hợp lệ.") % {"status": status}})
    if end < start:
        raise ValidationError({"end": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    phases = Phase.objects.unrestricted(INTEGRITY).filter(programme=programme)
    if phases.filter(code=code).exists():
        raise ValidationError({"code": _("Chương trình đã có giai đoạn mã “%(code)s”.") % {"code": code}})
    # Phases meet on their boundary day (2017–2022 ends the day 2022–2027 is signed): Phase.clean.
    overlapping = (
        phases.filter(start__lte=end, end__gte=start).exclude(end=start).exclude(start=end).order_by("start").first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "start": _("Giai đoạn trùng thời gian với giai đoạn %(other)s (%(start)s – %(end)s) của chương trình.")
                % {"other": overlapping.name, "start": vn_date(overlapping.start), "end": vn_date(overlapping.end)}
            }
        )
    phase = Phase(programme=programme, code=code, name=name, start=start, end=end, status=status)
    return audited_save(phase, acting_user=acting_user, action="phase.create")


def _unique_field_code(programme: Programme, name: str) -> str:
    base = (slugify(fold(name)) or "linh-vuc")[:36].strip("-")
    taken = set(Field.objects.unrestricted(INTEGRITY).filter(programme=programme).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def field_create(*, acting_user: Any, programme: Programme, name: str, order: int = 0, code: str = "") -> Field:
    """A field of coordination of ``programme``, by its managers. Names are unique within the
    programme (with or without diacritics: indicators are attached to a field by its name); the
    code, when not given, is made from the name."""
    require(acting_user, programme, "manage")
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên lĩnh vực.")})
    fields = Field.objects.unrestricted(INTEGRITY).filter(programme=programme)
    if any(fold(other) == fold(name) for other in fields.values_list("name", flat=True)):
        raise ValidationError({"name": _("Chương trình đã có lĩnh vực “%(name)s”.") % {"name": name}})
    if code and fields.filter(code=code).exists():
        raise ValidationError({"code": _("Chương trình đã có lĩnh vực mã “%(code)s”.") % {"code": code}})
    field = Field(programme=programme, name=name, order=order, code=code or _unique_field_code(programme, name))
    return audited_save(field, acting_user=acting_user, action="field.create")


@transaction.atomic
def indicator_create(
    *,
    acting_user: Any,
    programme: Programme,
    field: Field,
    code: str,
    name: str,
    unit_of_measure: str,
    aggregation: str = Aggregation.SUM,
    order: int = 0,
) -> Indicator:
    """An indicator of ``programme`` in one of its fields, by its managers; its code is unique in
    the programme (values, imports and the API name indicators by code)."""
    require(acting_user, programme, "manage")
    if field.programme_id != programme.pk:
        raise ValidationError(
            {"field": _("Lĩnh vực “%(field)s” không thuộc chương trình này.") % {"field": field.name}}
        )
    if aggregation not in Aggregation.values:
        raise ValidationError(
            {
                "aggregation": _("Cách tổng hợp “%(value)s” không có; chỉ nhận: %(choices)s.")
                % {"value": aggregation, "choices": "; ".join(f"{v} ({label})" for v, label in Aggregation.choices)}
            }
        )
    if Indicator.objects.unrestricted(INTEGRITY).filter(programme=programme, code=code).exists():
        raise ValidationError(
            {"code": _("Mã chỉ tiêu “%(code)s” đã được dùng trong chương trình này.") % {"code": code}}
        )
    indicator = Indicator(
        programme=programme,
        field=field,
        code=code,
        name=name,
        unit_of_measure=unit_of_measure,
        aggregation=aggregation,
        order=order,
    )
    return audited_save(indicator, acting_user=acting_user, action="indicator.create")


def suggest_programme_code(parties: list[OrgUnit]) -> str:
    """A free programme code made from the parties' unit codes ("qs-quangninh-ccb-quangninh"),
    for a programme set up in the pages without a code typed by hand."""
    base = "-".join(slugify(fold(unit.code)) for unit in parties if unit.code)[:36].strip("-") or "chuong-trinh"
    taken = set(Programme.objects.unrestricted(INTEGRITY).filter(code__startswith=base).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def suggest_indicator_code(programme: Programme, name: str) -> str:
    """A code for a new indicator of ``programme`` made from its name, free in the programme."""
    base = (slugify(fold(name)) or "chi-tieu")[:36].strip("-")
    taken = set(Indicator.objects.unrestricted(INTEGRITY).filter(programme=programme).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def suggest_phase_code(programme: Programme, start: date, end: date) -> str:
    """A code for a new phase from its years ("2023-2028"), free in the programme."""
    base = f"{start.year}-{end.year}"
    taken = set(Phase.objects.unrestricted(INTEGRITY).filter(programme=programme).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def field_update(*, acting_user: Any, field: Field, name: str | None = None, order: int | None = None) -> Field:
    """Rename or reorder a field of a programme, by the programme's managers. Names stay unique
    within the programme, with or without diacritics; the code does not change (values,
    imports and the API name fields by it)."""
    require(acting_user, field.programme, "manage")
    field = Field.objects.unrestricted(INTEGRITY).select_for_update().get(pk=field.pk)
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise ValidationError({"name": _("Hãy nhập tên lĩnh vực.")})
        others = Field.objects.unrestricted(INTEGRITY).filter(programme_id=field.programme_id).exclude(pk=field.pk)
        if any(fold(other) == fold(name) for other in others.values_list("name", flat=True)):
            raise ValidationError({"name": _("Chương trình đã có lĩnh vực “%(name)s”.") % {"name": name}})
        field.name = name
    if order is not None:
        field.order = order
    return audited_save(field, acting_user=acting_user, action="field.update")


INDICATOR_EDITABLE = {"name", "unit_of_measure", "order", "field"}


@transaction.atomic
def indicator_update(*, acting_user: Any, indicator: Indicator, data: dict[str, Any]) -> Indicator:
    """Rename an indicator, change its unit of measure, its order or its field (of the same
    programme), by the programme's managers. The code does not change."""
    require(acting_user, indicator.programme, "manage")
    indicator = Indicator.objects.unrestricted(INTEGRITY).select_for_update().get(pk=indicator.pk)
    field = data.get("field")
    if field is not None and field.programme_id != indicator.programme_id:
        raise ValidationError(
            {"field": _("Lĩnh vực “%(field)s” không thuộc chương trình này.") % {"field": field.name}}
        )
    apply_changes(indicator, data, INDICATOR_EDITABLE)
    return audited_save(indicator, acting_user=acting_user, action="indicator.update")

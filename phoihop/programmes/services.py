"""Writes to programmes, phases, targets and signings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core.gate import INTEGRITY
from phoihop.core.services import OutOfScope, apply_changes, audited_save, check_version, require_in_scope
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import PHASE_TRANSITIONS, Indicator, Phase, PhaseStatus, Programme, Signing, Target

PROGRAMME_EDITABLE = {"title", "summary", "legal_basis", "parent"}
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

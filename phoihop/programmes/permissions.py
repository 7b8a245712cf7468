"""Who may do what to programmes: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from phoihop.core.gate import PROGRAMME_DATA
from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, register, scope_q
from phoihop.core.scoping import get_scope, nothing, path_prefixes, subtree_q
from phoihop.programmes.models import (
    Field,
    Indicator,
    Party,
    Phase,
    Programme,
    Signatory,
    Signing,
    Target,
)


def _party_touches_q(user: Any, action: str) -> Q:
    """Parties whose covered subtree meets the user's subtrees (inside or above)."""
    scope = get_scope(user)
    q = nothing()
    for path in scope.paths(action):
        q |= Q(root_unit__path__startswith=path) | Q(root_unit__path__in=path_prefixes(path))
    return q


def programme_scope_q(user: Any, action: str, field: str = "programme") -> Q:
    visible = Programme.objects.filter(scope_q(Programme, user, action)).values("pk")
    if get_scope(user).is_system_admin:
        return Q()
    return Q(**{f"{field}__in": visible})


@register(Programme)
class ProgrammePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Every user of the programme reads it; unit administrators of a party's
        representative unit (or above) change it."""
        scope = get_scope(user)
        if scope.is_system_admin:
            return Q()
        if action == "view":
            covering = Party.objects.filter(programme=OuterRef("pk")).filter(_party_touches_q(user, "view"))
            return Q(Exists(covering))
        managing = Party.objects.filter(programme=OuterRef("pk")).filter(
            subtree_q(user, "manage", "representative_unit")
        )
        return Q(Exists(managing))

    def can_manage(self, perms: Permissions, programme: Programme) -> Verdict:
        """Change the programme, its phases and periods: its managers (unit administrators of a
        party's representative unit, or above) and system administrators."""
        if perms.in_scope(programme, "change"):
            return ALLOWED
        return out_of_scope(_("Chỉ người quản lý chương trình mới thay đổi được chương trình, giai đoạn, kỳ báo cáo."))


@register(Party)
class PartyPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return programme_scope_q(user, action)


@register(Field)
class FieldPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return programme_scope_q(user, action)


@register(Indicator)
class IndicatorPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return programme_scope_q(user, action)


@register(Phase)
class PhasePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return programme_scope_q(user, action)


@register(Target)
class TargetPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """A unit's targets are its own data: its subtree's users read them, approvers above set them."""
        if action == "view":
            return subtree_q(user, "view", "unit")
        return subtree_q(user, "approve", "unit")


@register(Signing)
class SigningPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return programme_scope_q(user, action, "phase__programme")


@register(Signatory)
class SignatoryPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return programme_scope_q(user, action, "signing__phase__programme")


def co_owned_roots_q(user: Any) -> Q:
    """Units: the root units of every party of the programmes one of whose parties' roots lies
    in the user's subtrees (the user co-owns the programme nationally and reads both sides'
    national totals: the counterpart rule, phoihop/figures/permissions.py)."""
    parties = Party.objects.unrestricted(PROGRAMME_DATA)
    programmes = parties.filter(subtree_q(user, "view", "root_unit")).values("programme_id")
    return Q(pk__in=parties.filter(programme_id__in=programmes).values("root_unit_id"))


def may_create_programme(perms: Permissions) -> Verdict:
    """Set up a new programme: system administrators and unit administrators (of one of the
    parties' units: ``programme_create`` checks that on the programme it saves)."""
    if perms.has_units("manage"):
        return ALLOWED
    return out_of_scope(_("Chỉ quản trị đơn vị hoặc quản trị hệ thống mới tạo được chương trình phối hợp."))

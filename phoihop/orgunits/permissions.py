"""Who may do what to orgunits: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.core.gate import STRUCTURE
from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, refuse, register
from phoihop.core.scoping import Role, get_scope, nothing, subtree_q
from phoihop.orgunits.models import AdminArea, Organisation, OrgUnit, OrgUnitLevel, OrgUnitPair, Person, UnitName

# Marking a person public shows their name, rank and positions to every user of both
# organisations: a decision for approvers at this level of their organisation or above.
PUBLICISING_LEVEL = "province"


@register(Organisation)
class OrganisationPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        # Organisations are reference data: everyone signed in may read them.
        scope = get_scope(user)
        if scope.is_system_admin:
            return Q()
        return Q() if action == "view" else nothing()

    def can_create(self, perms: Permissions, organisation: Organisation) -> Verdict:
        """Create an organisation with its levels: system administrators only."""
        if perms.is_system_admin:
            return ALLOWED
        return out_of_scope(_("Chỉ quản trị hệ thống mới được tạo tổ chức."))

    def can_add_root(self, perms: Permissions, organisation: Organisation) -> Verdict:
        """Create a unit at the top of the organisation's tree (a unit with no parent): system
        administrators only; a unit administrator creates units below their own unit."""
        if perms.is_system_admin:
            return ALLOWED
        return out_of_scope(_("Chỉ quản trị hệ thống mới được tạo đơn vị không có đơn vị cấp trên."))


@register(AdminArea)
class AdminAreaPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return Q() if action == "view" or get_scope(user).is_system_admin else nothing()


@register(OrgUnit)
class OrgUnitPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Own subtree; for reading, also the counterpart units paired with it."""
        from phoihop.orgunits.counterparts import paired_with_q

        own = subtree_q(user, action)
        if action != "view" or get_scope(user).is_system_admin:
            return own
        return own | paired_with_q(user, action)

    def can_enter(self, perms: Permissions, unit: OrgUnit) -> Verdict:
        """Record activities and figures of the unit: a reporter or approver of its subtree."""
        return ALLOWED if perms.reaches(unit, "change") else out_of_scope()

    def can_lock(self, perms: Permissions, unit: OrgUnit) -> Verdict:
        """Approve what the unit sends up and close its entry: an approver strictly above it;
        for a root, which has nobody above, its own approvers (the national report)."""
        if perms.above(unit, "approve") or (unit.depth == 1 and perms.reaches(unit, "approve")):
            return ALLOWED
        return out_of_scope(_("Chỉ người duyệt của cấp trên mới khóa được số liệu của đơn vị này."))

    def can_manage(self, perms: Permissions, unit: OrgUnit) -> Verdict:
        """Edit the unit and the accounts of its subtree: a unit administrator of its subtree."""
        return ALLOWED if perms.reaches(unit, "manage") else out_of_scope()


@register(UnitName)
class UnitNamePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """A unit's earlier names go with the unit: its own subtree; for reading, also the
        counterpart units paired with it (as ``OrgUnitPolicy``)."""
        from phoihop.orgunits.counterparts import paired_with_q

        own = subtree_q(user, action, "unit")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        return own | paired_with_q(user, action, "unit")


@register(OrgUnitPair)
class OrgUnitPairPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return subtree_q(user, action, "unit_a") | subtree_q(user, action, "unit_b")


@register(Person)
class PersonPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        own = subtree_q(user, action, "unit")
        if action == "view" and not get_scope(user).is_system_admin:
            return own | Q(is_public_figure=True)
        return own

    def can_read_private(self, perms: Permissions, person: Person) -> Verdict:
        """Birth year, gender, member card and the edit history: the users of the person's
        unit's subtree. A public figure seen from elsewhere shows name, rank, positions, unit."""
        if perms.is_system_admin or (person.unit is not None and perms.reaches(person.unit, "view")):
            return ALLOWED
        return out_of_scope()

    def can_publicise(self, perms: Permissions, person: Person) -> Verdict:
        """Mark or unmark the person as a public figure: a system administrator, or an approver at
        province level or above whose unit is the person's unit or above it. (The reason is
        required by ``services.person_update`` and kept in the history row.)"""
        if perms.is_system_admin:
            return ALLOWED
        unit = person.unit
        if unit is not None and _publicising_unit_ids(perms, str(unit.path)):
            return ALLOWED
        return out_of_scope(
            _(
                "Chỉ người phê duyệt cấp tỉnh trở lên (của đơn vị này hoặc cấp trên) hoặc quản trị hệ thống mới "
                "được đánh dấu hay bỏ đánh dấu nhân vật công khai."
            )
        )

    def can_see_personal_data(self, perms: Permissions, person: Person) -> Verdict:
        """The "Dữ liệu cá nhân" page (all that is held about the person, printable): a system
        administrator, or a unit administrator of the person's unit's subtree."""
        if perms.is_system_admin or (person.unit is not None and perms.reaches(person.unit, "manage")):
            return ALLOWED
        return out_of_scope()

    def can_anonymise(self, perms: Permissions, person: Person) -> Verdict:
        """Replace the person's name and details with placeholders: whoever sees their personal
        data, unless a retention rule keeps them (``orgunits.privacy.retention_holds``)."""
        from phoihop.orgunits.privacy import is_anonymised, retention_holds

        seen = self.can_see_personal_data(perms, person)
        if not seen:
            return seen
        if is_anonymised(person):
            return refuse(_("Người này đã được ẩn danh hoá."))
        holds = retention_holds(person)
        if holds:
            return refuse(
                _("Không ẩn danh hoá được vì phải lưu giữ theo quy định: người này %(holds)s.")
                % {"holds": "; ".join(holds)}
            )
        return ALLOWED


def _publicising_unit_ids(perms: Permissions, path: str = "") -> list[int]:
    """The user's approver units at province level or above (over ``path``, when given)."""
    ids = [g.unit_id for g in perms.scope.grants if g.role == Role.APPROVER and (not path or path.startswith(g.path))]
    if not ids:
        return []
    units = OrgUnit.objects.unrestricted(STRUCTURE).filter(pk__in=ids).select_related("level")
    limits = dict(OrgUnitLevel.objects.filter(code=PUBLICISING_LEVEL).values_list("organisation_id", "rank"))
    return [u.pk for u in units if u.organisation_id in limits and u.level.rank <= limits[u.organisation_id]]


def may_publicise_somewhere(perms: Permissions) -> bool:
    """Whether the user may mark anybody public at all (the person forms offer the field)."""
    return perms.is_system_admin or bool(_publicising_unit_ids(perms))


def private_person_q(user: Any) -> Q:
    """The people whose private details the user reads (as ``PersonPolicy.can_read_private``)."""
    return Q(pk__isnull=False) if get_scope(user).is_system_admin else subtree_q(user, "view", "unit")

"""Who may do what to orgunits: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, register
from phoihop.core.scoping import get_scope, nothing, subtree_q
from phoihop.orgunits.models import AdminArea, Organisation, OrgUnit, OrgUnitPair, Person


@register(Organisation)
class OrganisationPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        # Organisations are reference data: everyone signed in may read them.
        scope = get_scope(user)
        if scope.is_system_admin:
            return Q()
        return Q() if action == "view" else nothing()


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


def private_person_q(user: Any) -> Q:
    """The people whose private details the user reads (as ``PersonPolicy.can_read_private``)."""
    return Q(pk__isnull=False) if get_scope(user).is_system_admin else subtree_q(user, "view", "unit")

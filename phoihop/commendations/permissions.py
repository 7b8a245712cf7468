"""Who may do what to commendations: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.commendations.models import (
    Award,
    AwardType,
    Decision,
    Nomination,
    NominationStatus,
    NominationStep,
    Quota,
)
from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, refuse, register
from phoihop.core.scoping import get_scope, nothing, subtree_q


@register(AwardType)
class AwardTypePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        # Programme-independent reference data: every signed-in user reads it; the admin edits it.
        if action == "view" or get_scope(user).is_system_admin:
            return Q()
        return nothing()


@register(Quota)
class QuotaPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return subtree_q(user, "view" if action == "view" else "manage", "unit")


@register(Nomination)
class NominationPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """View: proposed in the subtree, about it, or passed through it. Change: proposed in
        the subtree. Approve: held by a unit of the subtree."""
        if action == "approve":
            return subtree_q(user, "approve", "holder")
        own = subtree_q(user, action, "proposing_unit")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        passed = Q(pk__in=NominationStep.objects.filter(subtree_q(user, "view", "unit")).values("nomination"))
        return own | subtree_q(user, "view", "home_unit") | subtree_q(user, "view", "holder") | passed

    # --- decisions on one nomination -----------------------------------------------------------

    def can_edit(self, perms: Permissions, nomination: Nomination) -> Verdict:
        """Edit the text, the activities and the dossier's files: the proposing side, while a
        draft or returned."""
        if not perms.in_scope(nomination, "change"):
            return out_of_scope(_("Chỉ người báo cáo, người duyệt của đơn vị đề nghị được sửa đề nghị này."))
        if not nomination.is_editable:
            return refuse(_("Chỉ sửa được đề nghị đang soạn hoặc bị trả lại."))
        return ALLOWED

    def can_submit(self, perms: Permissions, nomination: Nomination) -> Verdict:
        if not perms.in_scope(nomination, "change"):
            return out_of_scope(_("Chỉ người báo cáo, người duyệt của đơn vị đề nghị được gửi đề nghị này."))
        if not nomination.is_editable:
            return refuse(_("Chỉ gửi được đề nghị đang soạn hoặc bị trả lại."))
        return ALLOWED

    def can_delete(self, perms: Permissions, nomination: Nomination) -> Verdict:
        """Delete a draft never sent (a sent one keeps its record: return or reject it)."""
        if not perms.in_scope(nomination, "change"):
            return out_of_scope()
        if nomination.status != NominationStatus.DRAFT or nomination.steps.exists():
            return refuse(_("Chỉ xóa được đề nghị đang soạn, chưa gửi lần nào."))
        return ALLOWED

    def can_consider(self, perms: Permissions, nomination: Nomination) -> Verdict:
        """Endorse, return, reject or decide: the approvers of the unit holding it, while it waits."""
        if not perms.in_scope(nomination, "approve"):
            return out_of_scope(_("Chỉ người duyệt của đơn vị đang giữ đề nghị mới được xét đề nghị này."))
        if nomination.status != NominationStatus.SUBMITTED:
            return refuse(_("Đề nghị này không ở trạng thái chờ xét."))
        return ALLOWED

    def can_endorse(self, perms: Permissions, nomination: Nomination) -> Verdict:
        verdict = self.can_consider(perms, nomination)
        if verdict and nomination.holder_id == nomination.awarding_unit_id:
            return refuse(_("Đề nghị đã đến cấp có thẩm quyền khen thưởng; hãy ra quyết định hoặc trả lại."))
        return verdict

    def can_decide(self, perms: Permissions, nomination: Nomination) -> Verdict:
        verdict = self.can_consider(perms, nomination)
        if verdict and nomination.holder_id != nomination.awarding_unit_id:
            return refuse(_("Đề nghị chưa đến cấp có thẩm quyền khen thưởng."))
        return verdict


@register(Decision)
class DecisionPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """View: issued in the subtree, or listing an award of it. Change: the awarding unit's approvers."""
        if action != "view":
            return subtree_q(user, "approve", "awarding_unit")
        if get_scope(user).is_system_admin:
            return Q()
        listed = Q(pk__in=Award.objects.filter(subtree_q(user, "view", "home_unit")).values("decision"))
        return subtree_q(user, "view", "issuing_unit") | subtree_q(user, "view", "awarding_unit") | listed


def can_propose(perms: Permissions, unit: Any = None) -> bool:
    """Propose collectives and individuals: reporters and approvers (of ``unit``, when given)."""
    return perms.reaches(unit, "change") if unit is not None else perms.has_units("change")


def can_issue_decisions(perms: Permissions, awarding_unit: Any) -> bool:
    """A decision of an awarding unit: its approvers (or those above it)."""
    return perms.reaches(awarding_unit, "approve")


@register(Award)
class AwardPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        if action != "view":
            return subtree_q(user, "approve", "decision__awarding_unit")
        if get_scope(user).is_system_admin:
            return Q()
        return subtree_q(user, "view", "home_unit") | subtree_q(user, "view", "decision__issuing_unit")

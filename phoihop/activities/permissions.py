"""Who may do what to activities: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.activities.models import Activity, ActivityPartner, ActivityStatus, Attachment
from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, refuse, register, scope_q
from phoihop.core.scoping import below_q, get_scope, subtree_q
from phoihop.orgunits.models import OrgUnit


@register(Activity)
class ActivityPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Read: led in the user's subtree, or a partner is. Change: led in the subtree.
        Approve: led strictly below one of the user's units."""
        if action == "approve":
            return below_q(user, "approve", "lead_unit")
        own = subtree_q(user, action, "lead_unit")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        # The partner links by unit id among the subtree's units: an index search per unit, where
        # joining every link to its unit to test the unit's path read the whole table.
        units = OrgUnit.objects.filter(subtree_q(user, "view")).values("pk")
        partner = Q(pk__in=ActivityPartner.objects.filter(unit__in=units).values("activity"))
        return own | partner

    # --- decisions on one activity --------------------------------------------------------------

    def can_edit(self, perms: Permissions, activity: Activity) -> Verdict:
        if not perms.in_scope(activity, "change"):
            return out_of_scope()
        if activity.status == ActivityStatus.APPROVED:
            return refuse(_("Hoạt động đã được duyệt; cần cấp trên trả lại trước khi sửa."))
        if activity.status == ActivityStatus.SUBMITTED:
            return refuse(
                _(
                    "Hoạt động đã gửi, đang chờ cấp trên duyệt; muốn sửa, bấm “Rút lại để sửa” trước "
                    "(hoạt động về nháp)."
                )
            )
        return ALLOWED

    def can_delete(self, perms: Permissions, activity: Activity) -> Verdict:
        if not perms.in_scope(activity, "change"):
            return out_of_scope()
        if activity.status == ActivityStatus.APPROVED:
            return refuse(_("Hoạt động đã được duyệt không xóa được; cần cấp trên trả lại trước."))
        if activity.status == ActivityStatus.SUBMITTED:
            return refuse(
                _(
                    "Hoạt động đã gửi, đang chờ cấp trên duyệt; muốn xóa, bấm “Rút lại để sửa” trước "
                    "(hoạt động về nháp)."
                )
            )
        return ALLOWED

    def can_withdraw(self, perms: Permissions, activity: Activity) -> Verdict:
        if not perms.in_scope(activity, "change"):
            return out_of_scope()
        if activity.status != ActivityStatus.SUBMITTED:
            return refuse(_("Chỉ rút lại được hoạt động đã gửi và chưa được duyệt."))
        return ALLOWED

    def can_submit(self, perms: Permissions, activity: Activity) -> Verdict:
        if not perms.in_scope(activity, "change"):
            return out_of_scope()
        if not activity.is_editable:
            return refuse(_("Chỉ gửi được hoạt động ở trạng thái nháp, kế hoạch hoặc bị trả lại."))
        if activity.is_future:
            return refuse(_("Hoạt động chưa diễn ra (kế hoạch): gửi được từ ngày kết thúc của nó."))
        return ALLOWED

    def can_attach(self, perms: Permissions, activity: Activity) -> Verdict:
        return self.can_edit(perms, activity)

    def can_detach(self, perms: Permissions, activity: Activity) -> Verdict:
        if not perms.in_scope(activity, "change"):
            return out_of_scope()
        if not activity.is_editable:
            return refuse(_("Hoạt động đã gửi; không xóa được tệp đính kèm."))
        return ALLOWED

    def can_approve(self, perms: Permissions, activity: Activity) -> Verdict:
        if not perms.in_scope(activity, "approve"):
            return out_of_scope(_("Chỉ người duyệt của cấp trên đơn vị chủ trì mới duyệt được hoạt động này."))
        if not activity.phase.programme.activity_approval:
            return refuse(
                _("Chương trình này không yêu cầu duyệt từng hoạt động; số liệu được duyệt khi báo cáo kỳ được duyệt.")
            )
        if activity.status != ActivityStatus.SUBMITTED:
            return refuse(_("Chỉ duyệt được hoạt động đã gửi."))
        return ALLOWED

    def can_return(self, perms: Permissions, activity: Activity) -> Verdict:
        if not perms.in_scope(activity, "approve"):
            return out_of_scope(_("Chỉ người duyệt của cấp trên đơn vị chủ trì mới trả lại được hoạt động này."))
        if activity.status not in (ActivityStatus.SUBMITTED, ActivityStatus.APPROVED):
            return refuse(_("Chỉ trả lại được hoạt động đã gửi hoặc đã duyệt."))
        return ALLOWED


def remember_reach(permissions: Permissions, activity: Activity) -> bool:
    """For a page that shows ``activity`` (read through the gate with its lead unit): tell the
    user's permission object whether the activity is within their reach to change and to
    approve, and answer whether it is led here (within reach to change).

    These are the rules of ``ActivityPolicy.scope_q`` for "change" (the lead unit in one of the
    user's subtrees) and "approve" (the lead unit strictly below one of the user's units),
    answered from the lead unit's path as ``reaches`` and ``above`` answer them, instead of two
    queries. Services never rely on it: ``require()`` asks a fresh permission object."""
    led_here = permissions.reaches(activity.lead_unit, "change")
    known = permissions._in_scope  # the permission object's answers, kept for the request
    known[(Activity, activity.pk, "change")] = led_here
    known[(Activity, activity.pk, "approve")] = permissions.above(activity.lead_unit, "approve")
    return led_here


@register(Attachment)
class AttachmentPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        if get_scope(user).is_system_admin:
            return Q()
        exchange: Any = self.model._meta.get_field("exchange").related_model
        return Q(activity__in=Activity.objects.filter(scope_q(Activity, user, action)).values("pk")) | Q(
            exchange__in=exchange.objects.filter(scope_q(exchange, user, action)).values("pk")
        )

"""Who may do what to reporting: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, refuse, register
from phoihop.core.scoping import below_q, get_scope, nothing, subtree_q
from phoihop.programmes.models import Programme
from phoihop.programmes.permissions import programme_scope_q
from phoihop.reporting.models import (
    BodyProfile,
    DocumentJob,
    DocumentTemplate,
    NumberStatus,
    RegisteredNumber,
    Report,
    ReportingPeriod,
    ReportRequest,
    ReportStatus,
    Signatory,
)


@register(ReportingPeriod)
class ReportingPeriodPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Every user of the programme reads its periods; its managers change them."""
        return programme_scope_q(user, "view" if action == "view" else "change")

    def can_request(self, perms: Permissions, period: ReportingPeriod) -> Verdict:
        """Ask units for their reports: managers of the programme ask any unit, approvers the
        units below them."""
        if manages_programme(perms, period.programme) or perms.has_units("approve"):
            return ALLOWED
        return out_of_scope(_("Chỉ người quản lý chương trình hoặc người duyệt mới yêu cầu báo cáo."))


def manages_programme(perms: Permissions, programme: Programme) -> bool:
    """Managers of a programme (unit administrators of a party's representative unit, or above)
    set its periods and ask any unit for reports."""
    return perms.for_(programme).can("manage")


@register(ReportRequest)
class ReportRequestPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Read in one's subtree; created and removed by approvers strictly above the unit."""
        if action == "view":
            return subtree_q(user, "view", "unit")
        return below_q(user, "approve", "unit")

    def can_remove(self, perms: Permissions, request: ReportRequest) -> Verdict:
        if manages_programme(perms, request.period.programme) or perms.in_scope(request, "change"):
            return ALLOWED
        return out_of_scope()


@register(Report)
class ReportPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Read and write in the subtree of either unit; approve from strictly above the unit
        (or as an approver of a party's root unit, for the national report)."""
        if action == "approve":
            if get_scope(user).is_system_admin:
                return Q()
            q = nothing()
            for field in ("unit", "partner_unit"):
                q |= below_q(user, "approve", field)
                q |= Q(**{f"{field}__depth": 1}) & subtree_q(user, "approve", field)
            return q
        return subtree_q(user, action, "unit") | subtree_q(user, action, "partner_unit")

    # --- decisions on one report ----------------------------------------------------------------

    def can_edit(self, perms: Permissions, report: Report) -> Verdict:
        if not perms.in_scope(report, "change"):
            return out_of_scope(_("Bạn không có quyền soạn báo cáo của đơn vị này."))
        if not report.is_editable:
            return refuse(_("Báo cáo đã gửi hoặc đã duyệt, không sửa được nữa."))
        return ALLOWED

    def can_submit(self, perms: Permissions, report: Report) -> Verdict:
        if not perms.in_scope(report, "change"):
            return out_of_scope(_("Bạn không có quyền soạn báo cáo của đơn vị này."))
        if not report.is_editable:
            return refuse(_("Chỉ gửi được báo cáo đang soạn hoặc bị trả lại."))
        return ALLOWED

    def can_delete(self, perms: Permissions, report: Report) -> Verdict:
        if not perms.in_scope(report, "change"):
            return out_of_scope()
        if report.status != ReportStatus.DRAFT:
            return refuse(_("Chỉ xóa được báo cáo đang soạn, chưa gửi lần nào."))
        return ALLOWED

    def can_approve(self, perms: Permissions, report: Report) -> Verdict:
        """Approve one's side: an approver above a unit of the report whose part is not yet approved."""
        if not perms.in_scope(report, "approve"):
            return out_of_scope(APPROVERS_ONLY)
        if report.status != ReportStatus.SUBMITTED:
            return refuse(_("Chỉ duyệt được báo cáo đã gửi."))
        if not approvable_units(perms, report):
            return refuse(_("Bạn đã duyệt phần của mình; báo cáo đang chờ bên kia duyệt."))
        return ALLOWED

    def can_return(self, perms: Permissions, report: Report) -> Verdict:
        if not perms.in_scope(report, "approve"):
            return out_of_scope(APPROVERS_ONLY)
        if report.status != ReportStatus.SUBMITTED:
            return refuse(_("Chỉ trả lại được báo cáo đã gửi và chưa duyệt."))
        return ALLOWED

    def can_reopen(self, perms: Permissions, report: Report) -> Verdict:
        if not perms.in_scope(report, "approve"):
            return out_of_scope(APPROVERS_ONLY)
        if report.status != ReportStatus.APPROVED:
            return refuse(_("Chỉ mở lại được báo cáo đã duyệt."))
        return ALLOWED


APPROVERS_ONLY = gettext_lazy("Chỉ người duyệt của cấp trên mới duyệt hoặc trả lại được báo cáo này.")


def approvable_units(perms: Permissions, report: Report) -> list[Any]:
    """The report's units whose part the user may approve and that are not approved yet."""
    done = {a["unit"] for a in report.approvals}
    return [u for u in report.units if u.pk not in done and perms.for_(u).can("lock")]


@register(BodyProfile)
class BodyProfilePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        if action == "view":
            return subtree_q(user, "view", "unit")
        return subtree_q(user, "manage", "unit")


@register(Signatory)
class SignatoryPolicy(Policy):
    """A body's signers are read and kept as its profile is."""

    def scope_q(self, user: Any, action: str) -> Q:
        if action == "view":
            return subtree_q(user, "view", "unit")
        return subtree_q(user, "manage", "unit")


@register(DocumentTemplate)
class DocumentTemplatePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Templates are system configuration: system administrators only."""
        return Q() if get_scope(user).is_system_admin else nothing()

    def can_change(self, perms: Permissions, template: DocumentTemplate) -> Verdict:
        """Upload a new version of a template, or switch one on or off."""
        return ALLOWED if perms.is_system_admin else out_of_scope(_("Chỉ quản trị hệ thống mới thay mẫu văn bản."))


@register(DocumentJob)
class DocumentJobPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return Q(report__in=Report.objects.restrict(user, "view").values("pk"))


@register(RegisteredNumber)
class RegisteredNumberPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """A body's register is read in the subtree of the body (its clerks, and every level
        above it); numbers are cancelled by its reporters and approvers (and those above)."""
        return subtree_q(user, "view" if action == "view" else "change", "unit")

    def can_cancel(self, perms: Permissions, entry: RegisteredNumber) -> Verdict:
        if not perms.in_scope(entry, "change"):
            return out_of_scope(_("Chỉ văn thư, người báo cáo hoặc người duyệt của cơ quan mới hủy được số."))
        if entry.status != NumberStatus.ISSUED:
            return refuse(_("Số này đã hủy."))
        return ALLOWED

"""Who may do what to conferences: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.conferences.models import ArticleDraft, Conference, ConferenceChild
from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, register, scope_q
from phoihop.core.scoping import get_scope, nothing, path_prefixes
from phoihop.programmes.permissions import programme_scope_q


def _organisers_meet_q(user: Any, action: str, *, inside: bool) -> Q:
    """Conferences one of whose organisers lies in the user's subtrees (or, with ``inside``, above them)."""
    through = Conference.organisers.through
    q = nothing()
    for path in get_scope(user).paths(action):
        q |= Q(orgunit__path__startswith=path)
        if inside:
            q |= Q(orgunit__path__in=path_prefixes(path))
    return Q(pk__in=through.objects.filter(q).values("conference_id"))


@register(Conference)
class ConferencePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Readers: users of the programme whose subtrees meet an organiser's (inside or above);
        a conference of a party's representative or root unit is news for every user of the
        programme. Writers: reporters and approvers of an organiser's subtree (or above)."""
        if get_scope(user).is_system_admin:
            return Q()
        if action == "view":
            return programme_scope_q(user, "view") & (
                Q(is_national=True) | _organisers_meet_q(user, "view", inside=True)
            )
        return _organisers_meet_q(user, action, inside=False)

    def can_change(self, perms: Permissions, conference: Conference) -> Verdict:
        if perms.in_scope(conference, "change"):
            return ALLOWED
        return out_of_scope(_("Chỉ người báo cáo, người duyệt của đơn vị tổ chức (hoặc cấp trên) được sửa hội nghị."))


def can_hold_conferences(perms: Permissions) -> bool:
    """Record a conference: reporters and approvers (of one of its organising units)."""
    return perms.has_units("change")


NOT_AN_ORGANISER = gettext_lazy("Chỉ người báo cáo, người duyệt mới tạo được hội nghị.")


@register(ConferenceChild)
class ConferenceChildPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        visible = Conference.objects.filter(scope_q(Conference, user, action)).values("pk")
        return Q(conference__in=visible)


@register(ArticleDraft)
class ArticleDraftPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """A draft holds an article its creator uploaded and has not confirmed: nobody else sees
        it but a system administrator."""
        if user is None or not getattr(user, "is_authenticated", False):
            return nothing()
        if get_scope(user).is_system_admin:
            return Q()
        return Q(created_by=user)

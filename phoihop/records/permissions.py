"""Who may do what to records: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from phoihop.core.permissions import Permissions, Policy, register
from phoihop.core.scoping import get_scope, nothing, subtree_q
from phoihop.records.models import Exchange, ExchangeRecipient, PracticeModel, Replication, UnitNote


@register(PracticeModel)
class PracticeModelPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Read: started in the user's subtree or replicated there. Change: started there."""
        own = subtree_q(user, action, "origin_unit")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        return own | Q(pk__in=Replication.objects.filter(subtree_q(user, "view", "unit")).values("model"))


@register(Replication)
class ReplicationPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        own = subtree_q(user, action, "unit")
        if action != "view":
            return own
        return own | subtree_q(user, "view", "model__origin_unit")


@register(Exchange)
class ExchangePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Read: sent from the user's subtree or to a unit of it. Change: sent from it."""
        own = subtree_q(user, action, "sender")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        return own | Q(pk__in=ExchangeRecipient.objects.filter(subtree_q(user, "view", "unit")).values("exchange"))


@register(UnitNote)
class UnitNotePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return subtree_q(user, action, "unit")


# --- exchanges: who sent, who received, which recipients a reader sees ------------------------------


def sent_side_q(user: Any) -> Q:
    """Exchanges sent from the user's subtree (the sending side reads the whole delivery list)."""
    return subtree_q(user, "view", "sender")


def received_q(user: Any) -> Q:
    """Deliveries the user reads as a recipient: to a unit of one of their roles' subtrees, from
    outside that role's own side (what a province sends its communes is in its out-box, not its
    in-box)."""
    scope = get_scope(user)
    view_units = set(scope.unit_ids("view"))
    q = nothing()
    for grant in scope.grants:
        if grant.unit_id in view_units:
            q |= Q(unit__path__startswith=grant.path) & ~Q(exchange__sender__path__startswith=grant.path)
    return q


def visible_deliveries(perms: Permissions, exchange: Exchange) -> list[ExchangeRecipient]:
    """The recipients a reader sees: all of them on the sending side; a recipient sees the
    deliveries to units it may read (its subtrees and their counterparts), not the other
    places the exchange went (they may lie in another province)."""
    deliveries = sorted(exchange.deliveries.all(), key=lambda d: d.unit.path)
    if perms.reaches(exchange.sender, "view"):
        return deliveries
    readable = perms.readable(d.unit_id for d in deliveries)
    return [d for d in deliveries if d.unit_id in readable]

"""Who may see and do what: scope built from a user's dated role assignments on units.

A role on a unit applies to the unit's whole subtree, which is one path-prefix range of the
materialised-path tree. Every model's ``restrict(user, action)`` is built from these helpers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connections, router
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from phoihop.accounts.models import User


class Role:
    VIEWER = "viewer"
    REPORTER = "reporter"
    APPROVER = "approver"
    UNIT_ADMIN = "unit_admin"


# Which roles allow which action. "view" is reading; "change" is entering and editing data;
# "approve" is approving what the level below sent up; "manage" is managing users and units.
ACTION_ROLES: dict[str, frozenset[str]] = {
    "view": frozenset({Role.VIEWER, Role.REPORTER, Role.APPROVER, Role.UNIT_ADMIN}),
    "change": frozenset({Role.REPORTER, Role.APPROVER}),
    "approve": frozenset({Role.APPROVER}),
    "manage": frozenset({Role.UNIT_ADMIN}),
}


@dataclass(frozen=True)
class Grant:
    unit_id: int
    path: str
    role: str
    organisation_id: int


@dataclass
class Scope:
    is_system_admin: bool
    grants: list[Grant] = field(default_factory=list)
    # paths() by action, worked out once: a permission object asks for every row of an import.
    _paths: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)

    def paths(self, action: str) -> list[str]:
        found = self._paths.get(action)
        if found is None:
            roles = ACTION_ROLES[action]
            found = self._paths[action] = collapse_prefixes(g.path for g in self.grants if g.role in roles)
        return list(found)

    def unit_ids(self, action: str = "view") -> list[int]:
        roles = ACTION_ROLES[action]
        return sorted({g.unit_id for g in self.grants if g.role in roles})


def collapse_prefixes(paths: Any) -> list[str]:
    """Drop paths inside another path of the list: their subtrees are already covered."""
    kept: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def get_scope(user: User | Any, on: date | None = None) -> Scope:
    """The user's scope today (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(is_system_admin=False)
    if on is None:
        cached = getattr(user, "_phoihop_scope", None)
        if cached is not None:
            return cached
    day = on or timezone.localdate()
    scope = Scope(is_system_admin=bool(user.is_superuser), grants=[Grant(*row) for row in _grant_rows(user.pk, day)])
    if on is None:
        user._phoihop_scope = scope  # type: ignore[union-attr]
    return scope


def _grant_rows(user_id: int, day: date) -> list[tuple[int, str, str, int]]:
    """A user's role assignments active on ``day``: (unit id, unit path, role, organisation id),
    by unit path.

    One plain statement, the same on SQLite and PostgreSQL: every signed-in request reads it
    (the second factor's check, the header, every ``restrict``), and building it through the
    ORM (a gated, dated queryset with a join) cost ten times its execution. It is the ORM's
    ``RoleAssignment.objects.unrestricted(...).active_on(day).filter(user=...)`` (a user's own
    role assignments make their scope), read from the database that queryset would use."""
    from phoihop.accounts.models import RoleAssignment
    from phoihop.orgunits.models import OrgUnit

    connection = connections[router.db_for_read(RoleAssignment)]
    sql = _GRANTS_SQL.get(connection.alias)
    if sql is None:
        q = connection.ops.quote_name
        a, u = RoleAssignment._meta, OrgUnit._meta

        def col(meta: Any, name: str) -> str:
            return q(meta.get_field(name).column)

        sql = _GRANTS_SQL[connection.alias] = (
            f"SELECT a.{col(a, 'unit')}, u.{col(u, 'path')}, a.{col(a, 'role')}, u.{col(u, 'organisation')}"
            f" FROM {q(a.db_table)} a INNER JOIN {q(u.db_table)} u ON a.{col(a, 'unit')} = u.{col(u, 'id')}"
            f" WHERE a.{col(a, 'user')} = %s"
            f" AND (a.{col(a, 'valid_from')} IS NULL OR a.{col(a, 'valid_from')} <= %s)"
            f" AND (a.{col(a, 'valid_to')} IS NULL OR a.{col(a, 'valid_to')} >= %s)"
            f" ORDER BY u.{col(u, 'path')}, a.{col(a, 'id')}"
        )
    value = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, value, value])
        return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]


_GRANTS_SQL: dict[str, str] = {}


def clear_scope_cache(user: Any) -> None:
    """Forget the user's scope and permission answers (after their roles changed)."""
    for name in ("_phoihop_scope", "_phoihop_perms"):
        if hasattr(user, name):
            delattr(user, name)


def nothing() -> Q:
    return Q(pk__in=[])


def path_within(path_field: str, path: str) -> Q:
    """Q for the units (through ``path_field``, e.g. ``"unit__path"``) of the subtree at ``path``.

    A subtree is one range of the tree's paths: ``path`` itself and every path that starts with
    it, all made of the tree's alphabet, sort between ``path`` and ``path`` followed by its last
    letter as many times as a path can hold (treebeard reads a unit's children the same way).
    The range lets the database use the path's index, which ``LIKE 'P%'`` cannot on SQLite
    (case-insensitive LIKE) nor on PostgreSQL (a non-C collation); the prefix test stays, so the
    rows are exactly those whose path starts with ``path``.
    """
    from phoihop.orgunits.models import OrgUnit

    longest = int(OrgUnit._meta.get_field("path").max_length or 255)
    top = path + OrgUnit.alphabet[-1] * (longest - len(path))
    return Q(**{f"{path_field}__startswith": path, f"{path_field}__range": (path, top)})


def subtree_q(user: Any, action: str, unit_field: str = "") -> Q:
    """Q for rows whose unit (``unit_field``, or the row itself when empty) is in the subtree."""
    scope = get_scope(user)
    if scope.is_system_admin:
        return Q()
    prefix = f"{unit_field}__" if unit_field else ""
    q = nothing()
    for p in scope.paths(action):
        q |= path_within(f"{prefix}path", p)
    return q


def is_system_admin(user: Any) -> bool:
    return get_scope(user).is_system_admin


def below_q(user: Any, action: str, unit_field: str = "") -> Q:
    """Q for rows whose unit lies strictly below one of the user's units for ``action``.

    Approvals come from a unit above: an approver of a commune does not approve the
    commune's own work, the province does.
    """
    scope = get_scope(user)
    if scope.is_system_admin:
        return Q()
    prefix = f"{unit_field}__" if unit_field else ""
    q = nothing()
    for p in scope.paths(action):
        q |= path_within(f"{prefix}path", p) & ~Q(**{f"{prefix}path": p})
    return q


def under_any(path: str, prefixes: Any) -> bool:
    """Whether the unit at ``path`` lies in the subtree of one of ``prefixes`` (itself included)."""
    return any(path.startswith(p) for p in prefixes)


def path_prefixes(path: str, steplen: int = 4) -> list[str]:
    """The paths of a unit's ancestors and of the unit itself, root first."""
    return [path[: i * steplen] for i in range(1, len(path) // steplen + 1)]

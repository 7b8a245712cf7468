"""One permission object: ``perms(user)`` answers "may this user do this, to this object?".

Services, views, templates (``{% can "approve" activity as may_approve %}``) and the API
(``phoihop.api.permissions.Can``) ask the same object, so an answer has one home:

* ``perms(user).units("change")``: the units the user may act on for an action;
* ``perms(user).reaches(unit, "approve")`` / ``.above(unit, "approve")``: whether a unit lies in
  the user's subtree for an action, or strictly below one of their units (approvals come from
  above), read from the user's role assignments without a query (``reaches_all`` and ``above_all``
  answer for a list of units at once);
* ``perms(user).for_(obj).can("approve")``, ``.check(...)`` (with the reason, in Vietnamese,
  when the answer is no) and ``.require(...)`` (raises it).

Who may do what to each model is its **policy**, one class per model in ``<app>/permissions.py``
(registered with ``@register(Model)``), in the way of Wagtail's permission policies:

* ``scope_q(user, action)``: the rows the user reaches for ``view``, ``change``, ``approve`` or
  ``manage`` (``Model.objects.restrict(user, action)`` filters by it: the gate);
* ``can_<action>(perms, obj)``: the decision for an action on one object (its state included),
  returning a ``Verdict`` or a bool; an action without such a method is a plain scope check.

docs/adr/0008-the-gate-and-the-permission-object.md explains the actions and the counterpart rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from phoihop.core.scoping import ACTION_ROLES, Scope, get_scope, subtree_q

if TYPE_CHECKING:
    from collections.abc import Callable

SCOPE_ACTIONS = tuple(ACTION_ROLES)


@dataclass(frozen=True)
class Verdict:
    """An answer, with the reason for a no (Vietnamese, for the user). ``out_of_scope``: the
    record is not the user's to act on at all (403, or 404 when they cannot even read it),
    rather than in a state that forbids the action (400)."""

    allowed: bool
    reason: str = ""
    out_of_scope: bool = False

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Verdict(True)


def refuse(reason: Any) -> Verdict:
    """No, because of the record's state (it is the user's, but not now)."""
    return Verdict(False, str(reason))


def out_of_scope(reason: Any = "") -> Verdict:
    """No: the record is not the user's to act on."""
    return Verdict(False, str(reason), out_of_scope=True)


class Policy:
    """Who may do what to one model (and its subclasses)."""

    model: type[Model]

    def scope_q(self, user: Any, action: str) -> Q:
        raise NotImplementedError(f"{type(self).__name__}.scope_q")


_POLICIES: dict[type[Model], Policy] = {}


def register(model: type[Model]) -> Callable[[type[Policy]], type[Policy]]:
    """``@register(Activity)`` on a Policy class: its instance answers for the model."""

    def wrap(policy_class: type[Policy]) -> type[Policy]:
        policy = policy_class()
        policy.model = model
        _POLICIES[model] = policy
        return policy_class

    return wrap


def policy_for(model: type[Model]) -> Policy:
    """The policy of ``model``, or of the nearest base it inherits one from."""
    for klass in model.__mro__:
        if klass in _POLICIES:
            return _POLICIES[klass]
    raise LookupError(f"no permission policy for {model.__name__}: add one to its app's permissions.py")


def scope_q(model: type[Model], user: Any, action: str) -> Q:
    """The rows of ``model`` the user reaches for ``action``; nothing for anonymous users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return policy_for(model).scope_q(user, action)


def _path_of(unit: Any) -> str:
    return unit if isinstance(unit, str) else str(unit.path)


class Permissions:
    """What one user may do. Made by ``perms(user)`` and kept with the user for the request."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._in_scope: dict[tuple[type[Model], Any, str], bool] = {}
        self._readable: dict[int, bool] = {}
        # reaches' answers per path and action, for the scope they were worked out from (an
        # import asks for each of 20,000 rows about a few hundred units).
        self._reached: tuple[Scope | None, dict[tuple[str, str], bool]] = (None, {})

    @property
    def scope(self) -> Scope:
        return get_scope(self.user)

    @property
    def is_system_admin(self) -> bool:
        return self.scope.is_system_admin

    # --- units ----------------------------------------------------------------------------------

    def units(self, action: str = "view") -> Any:
        """The units the user reaches for ``action`` (for reading: their subtrees and the
        counterparts paired with them)."""
        return apps.get_model("orgunits", "OrgUnit").objects.restrict(self.user, action)

    def subtree_units(self, action: str = "view") -> Any:
        """The units of the user's own subtrees for ``action``, without the counterparts paired
        with them (whose figures and records a reader sees only as counterpart: ADR 0008)."""
        return self.units(action).filter(subtree_q(self.user, action))

    def has_units(self, action: str) -> bool:
        """Whether the user holds a role for ``action`` anywhere (or is a system administrator)."""
        return self.is_system_admin or bool(self.scope.paths(action))

    def readable(self, unit_ids: Any) -> set[int]:
        """Which of ``unit_ids`` the user may read (one query for those not asked before)."""
        wanted = set(unit_ids)
        unknown = wanted - self._readable.keys()
        if unknown:
            found = set(self.units("view").filter(pk__in=unknown).values_list("pk", flat=True))
            self._readable.update({pk: pk in found for pk in unknown})
        return {pk for pk in wanted if self._readable[pk]}

    def require_units(self, action: str, reason: Any = "") -> None:
        """Go on only if the user holds a role for ``action`` somewhere (else ``OutOfScope``, 403)."""
        from phoihop.core.services import OutOfScope

        if not self.has_units(action):
            raise OutOfScope(reason or None)

    def reaches(self, unit: Any, action: str = "view") -> bool:
        """Whether ``unit`` (a unit or its path) lies in one of the user's subtrees for
        ``action`` (counterparts are not in a subtree: ask ``units`` for them)."""
        path = _path_of(unit)
        return path in self.reaches_all([path], action)

    def reaches_all(self, units: Any, action: str = "view") -> set[str]:
        """The paths of those of ``units`` (units or paths) for which ``reaches`` holds: the same
        rule for a whole list, the scope read once."""
        scope = self.scope
        paths = map(_path_of, units)
        if scope.is_system_admin:
            return set(paths)
        if self._reached[0] is not scope:
            self._reached = (scope, {})
        known = self._reached[1]
        mine: list[str] | None = None
        found = set()
        for path in paths:
            hit = known.get((path, action))
            if hit is None:
                if mine is None:
                    mine = scope.paths(action)
                hit = known[(path, action)] = any(path.startswith(p) for p in mine)
            if hit:
                found.add(path)
        return found

    def above(self, unit: Any, action: str = "approve") -> bool:
        """Whether ``unit`` (a unit or its path) lies strictly below one of the user's units for
        ``action``: the level above acts on what the level below sent up."""
        path = _path_of(unit)
        return path in self.above_all([path], action)

    def above_all(self, units: Any, action: str = "approve") -> set[str]:
        """The paths of those of ``units`` (units or paths) for which ``above`` holds: the same
        rule for a whole list (a province's hundred-odd wards), the scope read once."""
        admin = self.is_system_admin
        mine = self.scope.paths(action)
        return {path for path in map(_path_of, units) if admin or any(path.startswith(p) and path != p for p in mine)}

    # --- objects -------------------------------------------------------------------------------

    def in_scope(self, obj: Model, action: str) -> bool:
        """Whether ``obj`` is among the rows the user reaches for ``action`` (one query, then kept)."""
        key = (type(obj), obj.pk, action)
        if key not in self._in_scope:
            manager: Any = type(obj)._default_manager
            self._in_scope[key] = manager.restrict(self.user, action).filter(pk=obj.pk).exists()
        return self._in_scope[key]

    def knows(self, obj: Model, action: str, answer: bool) -> None:
        """Keep the answer of ``in_scope(obj, action)`` that a read of this request already gave
        (``Exists(restrict(user, action).filter(pk=...))`` annotated on the object's row): the
        same question of the gate, not asked twice."""
        self._in_scope[(type(obj), obj.pk, action)] = bool(answer)

    def for_(self, obj: Model) -> ObjectPermissions:
        return ObjectPermissions(self, obj)

    def forget(self) -> None:
        """Drop what was learnt (after a write that changes the user's reach)."""
        self._in_scope.clear()
        self._readable.clear()
        self._reached = (None, {})


class ObjectPermissions:
    """What the user may do to one object."""

    def __init__(self, permissions: Permissions, obj: Model) -> None:
        self.permissions = permissions
        self.obj = obj

    def check(self, action: str) -> Verdict:
        policy = policy_for(type(self.obj))
        rule = getattr(policy, f"can_{action.replace('-', '_')}", None)
        if rule is not None:
            answer = rule(self.permissions, self.obj)
            if isinstance(answer, Verdict):
                return answer
            return ALLOWED if answer else out_of_scope()
        if action not in SCOPE_ACTIONS:
            raise LookupError(f"{type(policy).__name__} has no rule for {action!r}")
        return ALLOWED if self.permissions.in_scope(self.obj, action) else out_of_scope()

    def can(self, action: str) -> bool:
        return self.check(action).allowed

    def within_scope(self, action: str) -> Verdict:
        """For pages: a record out of the user's reach answers 403 (``OutOfScope``); otherwise
        the verdict, whose reason the page shows when the record's state forbids the action."""
        from phoihop.core.services import OutOfScope

        verdict = self.check(action)
        if verdict.out_of_scope:
            raise OutOfScope(verdict.reason or None)
        return verdict

    def require(self, action: str) -> None:
        """Go on only if allowed: a refusal of scope raises ``OutOfScope`` (403), a refusal of
        state a ``ValidationError`` with its reason."""
        from phoihop.core.services import OutOfScope

        decision = self.check(action)
        if decision.allowed:
            return
        if decision.out_of_scope:
            raise OutOfScope(decision.reason or None)
        raise ValidationError(decision.reason or _("Không thực hiện được thao tác này lúc này."))


def perms(user: Any) -> Permissions:
    """The permission object of ``user``, kept on the user object for the request."""
    found = getattr(user, "_phoihop_perms", None)
    if found is None:
        found = Permissions(user)
        if user is not None:
            try:
                user._phoihop_perms = found
            except AttributeError:  # AnonymousUser and the like keep no state
                pass
    return found


def require(user: Any, obj: Model, action: str) -> None:
    """For services: go on only if ``user`` may do ``action`` to ``obj``, asked afresh inside
    the service's transaction (a write never trusts an answer kept from before it)."""
    Permissions(user).for_(obj).require(action)

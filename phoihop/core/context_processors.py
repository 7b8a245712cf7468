"""Values every page needs: the user's main unit and role for the header."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from phoihop.core.scoping import get_scope

MENU_TTL = 60  # seconds: a unit renamed shows its new name in the menu within a minute


@dataclass(frozen=True)
class MenuAssignment:
    """What the header says of the user's main role (``User.primary_assignment``): its role and
    its unit's name, kept in the cache for a minute under the user's grants of the day (a role
    given or taken changes the key, so the header follows at once)."""

    role: str
    unit_name: str

    @property
    def role_label(self) -> str:
        label = _role_labels().get(self.role)
        return str(label) if label is not None else self.role


@functools.cache
def _role_labels() -> dict[str, Any]:
    """Each role's label (lazy: translated when shown), read from the choices once."""
    from phoihop.accounts.models import RoleChoices

    return {choice.value: choice.label for choice in RoleChoices}


def menu_assignment(user: Any) -> MenuAssignment | None:
    grants = sorted((g.unit_id, g.role) for g in get_scope(user).grants)
    if not grants:
        return None
    digest = hashlib.blake2b(repr(grants).encode(), digest_size=8).hexdigest()
    key = f"menu:assignment:{user.pk}:{timezone.localdate().isoformat()}:{digest}"
    found = cache.get(key)
    if found is None:
        assignment = user.primary_assignment()
        found = MenuAssignment(assignment.role, str(assignment.unit.display_name)) if assignment else False
        cache.set(key, found, MENU_TTL)
    return found or None


def phoihop(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: read only when the header is drawn (not for the fragments htmx asks for).
    return {"current_assignment": SimpleLazyObject(lambda: menu_assignment(user) or "")}

"""What the home page lists, read as values with the columns it shows: the user's roles, the
programmes, the units their tree starts from and the reports their units still owe.

Each is the read of its selector (``restrict(user, action)`` as there), its statement compiled
once per worker for the user's roles and the day (``core.statements``: the rows are read on every
visit, only the SQL is kept). The rows carry the attributes ``home/home.html`` and
``reporting/_owed.html`` read of the model objects they replace.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from phoihop.accounts.models import RoleAssignment, RoleChoices
from phoihop.core.gate import PROGRAMME_DATA
from phoihop.core.scoping import collapse_prefixes, get_scope
from phoihop.core.statements import compile_values, kept, plan_key
from phoihop.orgunits.models import OrgUnit
from phoihop.orgunits.selectors import own_units
from phoihop.programmes.models import Phase, PhaseStatus
from phoihop.programmes.selectors import programme_list

Row = dict[str, Any]


def _rows(user: Any, day: date, name: str, build: Any) -> list[Row]:
    statement = kept(plan_key(user, day), f"home:{name}", lambda: compile_values(build()))
    return statement.rows() if statement is not None else []


def roles(user: Any, day: date) -> list[SimpleNamespace]:
    """The user's role assignments of the day, as ``RoleAssignment`` objects show them."""
    rows = _rows(
        user,
        day,
        "roles",
        lambda: (
            RoleAssignment.objects.restrict(user, "view")
            .active_on(day)
            .filter(user=user)
            .values(
                "role",
                "unit_id",
                "unit__name",
                "unit__organisation__name",
                "unit__organisation__short_name",
                "valid_from",
                "valid_to",
            )
        ),
    )
    labels = dict(RoleChoices.choices)
    return [
        SimpleNamespace(
            get_role_display=str(labels.get(row["role"], row["role"])),
            unit=SimpleNamespace(
                pk=row["unit_id"],
                name=row["unit__name"],
                # Organisation.__str__
                organisation=row["unit__organisation__short_name"] or row["unit__organisation__name"],
            ),
            valid_from=row["valid_from"],
            valid_to=row["valid_to"],
        )
        for row in rows
    ]


def programmes(user: Any, day: date) -> list[SimpleNamespace]:
    """``programmes.selectors.programme_list`` with each programme's phases (in their order)."""
    visible = programme_list(user=user).prefetch_related(None)
    found = _rows(user, day, "programmes", lambda: visible.values("pk", "code", "title"))
    if not found:
        return []
    phases = _rows(
        user,
        day,
        "phases",
        # The phases of the programmes read through the gate just above.
        lambda: (
            Phase.objects.unrestricted(PROGRAMME_DATA)
            .filter(programme__in=visible.values("pk"))
            .values("programme_id", "name", "status")
        ),
    )
    labels = dict(PhaseStatus.choices)
    by_programme: dict[int, list[SimpleNamespace]] = {}
    for ph in phases:
        by_programme.setdefault(ph["programme_id"], []).append(
            SimpleNamespace(name=ph["name"], get_status_display=str(labels.get(ph["status"], ph["status"])))
        )
    return [
        SimpleNamespace(code=p["code"], title=p["title"], phases=SimpleNamespace(all=by_programme.get(p["pk"], [])))
        for p in found
    ]


def roots(user: Any, day: date) -> list[SimpleNamespace]:
    """``orgunits.selectors.unit_roots_for``: the top units the user's tree starts from."""

    def build() -> Any:
        scope = get_scope(user)
        if scope.is_system_admin:
            units = own_units(user).filter(depth=1)
        else:
            paths = collapse_prefixes(g.path for g in scope.grants)
            units = OrgUnit.objects.restrict(user, "view").filter(path__in=paths).order_by("path")
        return units.values("pk", "name")

    return [SimpleNamespace(pk=row["pk"], name=row["name"]) for row in _rows(user, day, "roots", build)]

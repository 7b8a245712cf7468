"""Scoping-matrix specs of the API's structure writes (see tests/matrix_ext/__init__.py): creating
organisations (system administrators only), creating units below a unit the user administers,
and closing a unit (issue 15, docs/adr/0020-structure-writes.md).

``api:organisation-list`` and ``api:unit-list`` are specced here, with their reads as before
and their POST. The new units are branches (chi hội) under each side's commune association;
the unit closed is that commune association, merged into a sibling.
"""

from __future__ import annotations

from typing import Any

from phoihop.orgunits.models import Organisation, OrgUnit


def extend(w: Any, m: Any) -> None:
    """Nothing to add: the writes act on the matrix's own units."""


def _organisation_code(side: str) -> str:
    return f"mt-to-chuc-{side}"


def _branch_code(side: str) -> str:
    return f"MT-CHI-HOI-{side.upper()}"


def _new_organisation(w: Any, side: str) -> dict[str, Any]:
    return {
        "code": _organisation_code(side),
        "name": "Tổ chức thử ma trận",
        "levels": [{"code": "tinh", "name": "Tỉnh"}, {"code": "xa", "name": "Xã"}],
    }


def _new_branch(w: Any, side: str) -> dict[str, Any]:
    return {
        "code": _branch_code(side),
        "name": "Chi hội Cựu chiến binh thử ma trận",
        "organisation": "ccb",
        "level": "branch",
        "parent": w.unit[side].code,
        "valid_from": "2026-01-01",
    }


def _sibling(w: Any, side: str) -> OrgUnit:
    province, unit = w.province[side], w.unit[side]
    found = (
        OrgUnit.objects.filter(path__startswith=province.path, depth=province.depth + 1, valid_to__isnull=True)
        .exclude(pk=unit.pk)
        .order_by("path")
        .first()
    )
    assert found is not None
    return found


def routes(m: Any) -> dict[str, Any]:
    Route = m.Route
    return {
        # Organisations are reference data everyone reads; only a system administrator creates one.
        "api:organisation-list": Route(
            m.CREATE,
            method="post",
            payload=_new_organisation,
            state=lambda w, s: Organisation.objects.filter(code=_organisation_code(s)).count(),
            writers={"admin": 201},
            denied={"hanoi.ccb": 403, "tuhoi": 403, "hanoi.admin": 403},
            refused={"approver": 403, "unit_admin": 403},
        ),
        "api:unit-list": Route(
            m.LIST,
            query=lambda w, s: {"q": w.label[s]},
            shows=lambda w, s: w.unit[s].code,
            method="post",
            payload=_new_branch,
            state=lambda w, s: OrgUnit.objects.filter(code=_branch_code(s)).count(),
            writers={"admin": 201, "hanoi.admin": 201},
            # Approvers see the commune association but manage no units.
            denied={"hanoi.ccb": 403, "tuhoi": 403},
            # The other province's commune is "not found" (400 on the parent field), like a code
            # that does not exist.
            refused={"approver": 400, "unit_admin": 400},
        ),
        "api:unit-close": Route(
            m.OBJECT,
            kwargs=m.unit_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {"valid_to": "2026-10-31", "successors": [_sibling(w, s).code]},
            state=m.unit_state,
            writers={"admin": 200, "hanoi.admin": 200},
            denied={"hanoi.ccb": 403, "tuhoi": 403},
        ),
    }


def probes(m: Any) -> list[Any]:
    return []

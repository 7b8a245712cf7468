"""Scoping-matrix specs of the structure pages (issue 15, item 1): adding a unit below a unit,
renaming it, merging units into it, pairing it with a counterpart and ending a pair (unit
administrators of its subtree and system administrators), creating an organisation and the unit
at the top of its tree (system administrators only). The close page is specced in
tests/test_scoping_matrix.py.
"""

from __future__ import annotations

from typing import Any

from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel, OrgUnitPair

# Pages only a unit administrator (or the system administrator) may open.
MANAGERS = {"hanoi.ccb": 403, "tuhoi": 403, "admin": 200, "hanoi.admin": 200}
MANAGER_WRITES: dict[str, Any] = {
    "writers": {"admin": 302, "hanoi.admin": 302},
    "denied": {"hanoi.ccb": 403, "tuhoi": 403},
}
# Pages of system administrators only: everyone else is refused (403) before anything is read.
ADMIN_ONLY = {"hanoi.ccb": 403, "tuhoi": 403, "admin": 200, "hanoi.admin": 403}
ADMIN_WRITES: dict[str, Any] = {
    "writers": {"admin": 302},
    "denied": {"hanoi.ccb": 403, "tuhoi": 403, "hanoi.admin": 403},
    "refused": {"approver": 403, "unit_admin": 403},
}


def _counterpart(w: Any, side: str) -> OrgUnit:
    """The army's provincial command of the side's province (paired with its association, so
    readable by the province's users), not yet paired with the commune association."""
    return OrgUnit.objects.get(code=w.province[side].code.replace("CCB-", "QS-"))


def _pair(w: Any, side: str) -> OrgUnitPair:
    unit = w.unit[side]
    found = OrgUnitPair.objects.filter(unit_b=unit, valid_to__isnull=True).order_by("pk").first()
    assert found is not None, unit.code
    return found


def extend(w: Any, m: Any) -> None:
    w.extra["structure_pair"] = {side: _pair(w, side) for side in (m.HN, m.CM)}


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


def _new_code(side: str) -> str:
    return f"MT-TRANG-CHI-HOI-{side.upper()}"


def _state_of(unit: OrgUnit) -> Any:
    unit = OrgUnit.objects.get(pk=unit.pk)
    return (unit.name, unit.valid_to, unit.successor_id, unit.history.count())


def routes(m: Any) -> dict[str, Any]:
    Route = m.Route
    return {
        "orgunits:unit-add": Route(
            m.OBJECT,
            kwargs=m.unit_kwargs,
            readers=MANAGERS,
            shows=lambda w, s: w.unit[s].name,
            method="post",
            payload=lambda w, s: {
                "code": _new_code(s),
                "name": "Chi hội Cựu chiến binh thử trang",
                "short_name": "",
                "level": OrgUnitLevel.objects.get(organisation__code="ccb", code="branch").pk,
                "kind": "chi-hoi",
                "valid_from": "2026-01-01",
            },
            state=lambda w, s: (OrgUnit.objects.filter(code=_new_code(s)).count(), m.unit_state(w, s)),
            **MANAGER_WRITES,
        ),
        "orgunits:unit-rename": Route(
            m.OBJECT,
            kwargs=m.unit_kwargs,
            readers=MANAGERS,
            shows=lambda w, s: w.unit[s].name,
            method="post",
            payload=lambda w, s: {"name": f"{w.unit[s].name} (tên mới)", "short_name": "", "effective": "2026-11-01"},
            state=lambda w, s: (m.unit_state(w, s), w.unit[s].earlier_names.count()),
            **MANAGER_WRITES,
        ),
        "orgunits:unit-merge": Route(
            m.OBJECT,
            kwargs=m.unit_kwargs,
            readers=MANAGERS,
            shows=lambda w, s: w.unit[s].name,
            method="post",
            payload=lambda w, s: {
                "units": [_sibling(w, s).pk],
                "valid_to": "2026-10-31",
                "succession_kind": "absorbed",
            },
            state=lambda w, s: (_state_of(_sibling(w, s)), m.unit_state(w, s)),
            **MANAGER_WRITES,
        ),
        "orgunits:unit-pairs": Route(
            m.OBJECT,
            kwargs=m.unit_kwargs,
            readers=MANAGERS,
            shows=lambda w, s: w.unit[s].name,
            method="post",
            payload=lambda w, s: {"unit_b": _counterpart(w, s).pk, "valid_from": "2026-11-01", "note": ""},
            state=lambda w, s: OrgUnitPair.objects.filter(unit_a=w.unit[s]).count(),
            **MANAGER_WRITES,
        ),
        "orgunits:pair-end": Route(
            m.OBJECT,
            kwargs=lambda w, s: {"pk": w.extra["structure_pair"][s].pk},
            get=False,
            method="post",
            payload=lambda w, s: {"valid_to": "2026-11-20"},
            state=lambda w, s: (
                OrgUnitPair.objects.get(pk=w.extra["structure_pair"][s].pk).valid_to,
                OrgUnitPair.history.filter(id=w.extra["structure_pair"][s].pk).count(),
            ),
            **MANAGER_WRITES,
        ),
        "orgunits:organisation-create": Route(
            m.CREATE,
            readers=ADMIN_ONLY,
            method="post",
            payload=lambda w, s: {
                "code": f"mt-trang-{s}",
                "name": "Tổ chức thử trang",
                "short_name": "",
                "levels-TOTAL_FORMS": "2",
                "levels-INITIAL_FORMS": "0",
                "levels-0-code": "tinh",
                "levels-0-name": "Tỉnh",
                "levels-1-code": "xa",
                "levels-1-name": "Xã",
            },
            state=lambda w, s: Organisation.objects.filter(code=f"mt-trang-{s}").count(),
            **ADMIN_WRITES,
        ),
        "orgunits:organisation-root": Route(
            m.CREATE,
            kwargs=lambda w, s: {"code": "ccb"},
            readers=ADMIN_ONLY,
            method="post",
            payload=lambda w, s: {
                "code": f"MT-GOC-{s.upper()}",
                "name": "Đơn vị gốc thử trang",
                "level": OrgUnitLevel.objects.get(organisation__code="ccb", code="province").pk,
                "kind": "",
                "valid_from": "2026-01-01",
            },
            state=lambda w, s: OrgUnit.objects.filter(code=f"MT-GOC-{s.upper()}").count(),
            **ADMIN_WRITES,
        ),
    }


def probes(m: Any) -> list[Any]:
    return []

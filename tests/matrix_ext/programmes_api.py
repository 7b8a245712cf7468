"""Scoping-matrix specs of the API's set-up writes (issue 15): a programme, a phase, a field,
an indicator and a user, each made through its service.

The read routes of programmes and phases keep their specs (tests/test_scoping_matrix.py); the
write is added to them here. Who writes: system administrators, and the unit administrator of
Hà Nội's association (a party's representative unit of the Hà Nội programme, and above the
accounts it makes); approvers are refused (403) before their input is read. The other
province's programme and units are "not found" to a unit administrator (400), like codes that do
not exist.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from phoihop.accounts.models import RoleAssignment, User
from phoihop.programmes.models import Field, Indicator, Phase, Programme

NAMES = {"hn": "HANOI", "cm": "CAMAU"}
NEW_PROGRAMME = "ct-thu-ma-tran"
NEW_FIELD = "Lĩnh vực thử ma trận"
NEW_INDICATOR = "tt-thu-ma-tran"
PASSWORD = "Kiem-thu-pham-vi-2026!"

SETUP_WRITES: dict[str, Any] = {
    "writers": {"admin": 201, "hanoi.admin": 201},
    "denied": {"hanoi.ccb": 403, "tuhoi": 403},
    "refused": {"approver": 403, "unit_admin": 400},
}


def extend(w: Any, m: Any) -> None:
    pass


def probes(m: Any) -> list[Any]:
    return []


def _programme(w: Any, side: str) -> Programme:
    return w.programme[side]


def new_programme_state(w: Any, side: str) -> Any:
    return Programme.objects.unrestricted("test: the matrix's state").filter(code=NEW_PROGRAMME).count()


def phases_state(w: Any, side: str) -> Any:
    rows = Phase.objects.unrestricted("test: the matrix's state").filter(programme=_programme(w, side))
    return sorted(rows.values_list("code", flat=True))


def fields_state(w: Any, side: str) -> Any:
    rows = Field.objects.unrestricted("test: the matrix's state").filter(programme=_programme(w, side))
    return sorted(rows.values_list("name", flat=True))


def indicators_state(w: Any, side: str) -> Any:
    rows = Indicator.objects.unrestricted("test: the matrix's state").filter(programme=_programme(w, side))
    return sorted(rows.values_list("code", flat=True))


def new_user_state(w: Any, side: str) -> Any:
    return (
        User.objects.filter(username=NEW_PROGRAMME).count(),
        RoleAssignment.objects.unrestricted("test: the matrix's state").count(),
    )


def routes(m: Any) -> dict[str, Any]:
    return {
        "api:programme-list": dataclasses.replace(
            m.ROUTES["api:programme-list"],
            method="post",
            payload=lambda w, s: {
                "code": NEW_PROGRAMME,
                "title": "Chương trình thử ma trận",
                "parties": [f"QS-{NAMES[s]}", f"CCB-{NAMES[s]}"],
            },
            state=new_programme_state,
            **SETUP_WRITES,
        ),
        "api:phase-list": dataclasses.replace(
            m.ROUTES["api:phase-list"],
            method="post",
            payload=lambda w, s: {
                "programme": w.programme[s].code,
                "code": "2040-2044",
                "name": "2040–2044",
                "start": "2040-01-01",
                "end": "2044-12-31",
                "status": "draft",
            },
            state=phases_state,
            **SETUP_WRITES,
        ),
        "api:field-list": m.Route(
            m.CREATE,
            get=False,
            method="post",
            payload=lambda w, s: {"programme": w.programme[s].code, "name": NEW_FIELD, "order": 5},
            state=fields_state,
            **SETUP_WRITES,
        ),
        "api:indicator-list": m.Route(
            m.CREATE,
            get=False,
            method="post",
            payload=lambda w, s: {
                "programme": w.programme[s].code,
                "field": w.indicator[s].field.name,
                "code": NEW_INDICATOR,
                "name": "Chỉ tiêu thử ma trận",
                "unit_of_measure": "lượt",
                "aggregation": "sum",
            },
            state=indicators_state,
            **SETUP_WRITES,
        ),
        "api:user-list": m.Route(
            m.CREATE,
            get=False,
            method="post",
            payload=lambda w, s: {
                "username": NEW_PROGRAMME,
                "password": PASSWORD,
                "full_name": m.NEW_NAME,
                "roles": [{"unit": w.unit[s].code, "role": "viewer"}],
            },
            state=new_user_state,
            **SETUP_WRITES,
        ),
    }

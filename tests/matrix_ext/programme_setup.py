"""Scoping-matrix specs of the guided set-up of a programme (issue 15, item 2): the page that
creates a programme with its parties, and the steps of an existing programme (fields,
indicators, phases, targets, signing).

Who: system administrators and unit administrators (the Hà Nội association's, a manager of the
Hà Nội programme); reporters and approvers get 403. The other province's programme is "not
found" (404); the other province's units are no choice of the creation form, which comes back
with the error and saves nothing (200).
"""

from __future__ import annotations

from typing import Any

from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Party, Programme
from phoihop.reporting.models import Signatory
from tests.matrix_ext.programmes_api import fields_state, indicators_state, phases_state

NAMES = {"hn": "HANOI", "cm": "CAMAU"}
NEW_PROGRAMME = "ct-thu-trang-thiet-lap"
NEW_FIELD = "Lĩnh vực thử trang thiết lập"
NEW_INDICATOR = "tt-thu-trang-thiet-lap"

MANAGERS = {"hanoi.ccb": 403, "tuhoi": 403, "admin": 200, "hanoi.admin": 200}
MANAGER_WRITES: dict[str, Any] = {
    "writers": {"admin": 302, "hanoi.admin": 302},
    "denied": {"hanoi.ccb": 403, "tuhoi": 403},
}


def extend(w: Any, m: Any) -> None:
    pass


def probes(m: Any) -> list[Any]:
    return []


def new_programme_state(w: Any, side: str) -> Any:
    return Programme.objects.unrestricted("test: the matrix's state").filter(code=NEW_PROGRAMME).count()


def create_form(w: Any, side: str) -> dict[str, Any]:
    units = [OrgUnit.objects.get(code=f"QS-{NAMES[side]}"), OrgUnit.objects.get(code=f"CCB-{NAMES[side]}")]
    data: dict[str, Any] = {
        "title": "Chương trình thử trang thiết lập",
        "code": NEW_PROGRAMME,
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "save": "1",
    }
    for i, unit in enumerate(units):
        data[f"form-{i}-organisation"] = unit.organisation.code
        data[f"form-{i}-unit"] = str(unit.pk)
    return data


def ccb_party_unit(w: Any, side: str) -> OrgUnit:
    """The veterans' association that is a party of the side's programme."""
    parties = Party.objects.unrestricted("test: the matrix's payload").filter(programme=w.programme[side])
    return parties.select_related("representative_unit").get(organisation__code="ccb").representative_unit


def signatories_state(w: Any, side: str) -> Any:
    return Signatory.objects.unrestricted("test: the matrix's state").filter(unit=ccb_party_unit(w, side)).count()


def programme_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"code": w.programme[side].code}


def routes(m: Any) -> dict[str, Any]:
    def step(**extra: Any) -> Any:
        return m.Route(
            m.OBJECT, kwargs=programme_kwargs, readers=MANAGERS, shows=lambda w, s: w.programme[s].title, **extra
        )

    return {
        "programmes:create": m.Route(
            m.CREATE,
            readers=MANAGERS,
            method="post",
            payload=create_form,
            state=new_programme_state,
            **MANAGER_WRITES,
            # Approvers hold no unit to manage: 403. A unit administrator of the other province
            # is shown the form again: the units are no choice of theirs.
            refused={"approver": 403, "unit_admin": 200},
        ),
        "programmes:setup-fields": step(
            method="post",
            payload=lambda w, s: {"add-name": NEW_FIELD, "add-order": "9"},
            state=fields_state,
            **MANAGER_WRITES,
        ),
        "programmes:setup-indicators": step(
            method="post",
            payload=lambda w, s: {
                "add-field": str(w.indicator[s].field_id),
                "add-name": "Chỉ tiêu thử trang thiết lập",
                "add-unit_of_measure": "lượt",
                "add-aggregation": "sum",
                "add-code": NEW_INDICATOR,
            },
            state=indicators_state,
            **MANAGER_WRITES,
        ),
        "programmes:setup-phases": step(
            method="post",
            payload=lambda w, s: {
                "start": "2040-01-01",
                "end": "2044-12-31",
                "status": "draft",
                "name": "",
                "code": "",
            },
            state=phases_state,
            **MANAGER_WRITES,
        ),
        "programmes:setup-targets": step(),
        "programmes:setup-signing": step(
            method="post",
            payload=lambda w, s: {
                "unit": str(ccb_party_unit(w, s).pk),
                "capacity": "KT.",
                "collective": "CHỦ TỊCH",
                "title": "PHÓ CHỦ TỊCH",
                "rank": "",
                "full_name": "Người Ký Thử Ma Trận",
                "valid_from": "2026-01-01",
            },
            state=signatories_state,
            **MANAGER_WRITES,
        ),
    }

"""Who may read and change what, for every named route (ARCHITECTURE.md rules 2 and 3).

The routes come from the URL configuration: the resolver is walked (namespaces included) and
every named route must have a spec in ``ROUTES``, so a route added later fails
``test_it_has_a_spec_for_every_named_route`` until its scoping is written down here.

Each spec says how to reach an object of Hà Nội's association (Phường Hoàn Kiếm's association,
a Hà Nội demo person, a Hà Nội programme...) and the same kind of object of Cà Mau's, who may
read and write it, and with what. Users (demo users, plus two unit administrators made here):

    hanoi.ccb    approver on CCB-HANOI        camau.ccb    approver on CCB-CAMAU
    hanoi.admin  unit_admin on CCB-HANOI      camau.admin  unit_admin on CCB-CAMAU
    tuhoi        approver on CCB-TW (the association's root)
    admin        system administrator

Rules checked: anonymous users are sent to sign in (pages) or get 401/403 (API); a user of
one province reading or writing the other province's object gets 404 and changes nothing;
lists, searches and filters never show a Hà Nội user anything of Cà Mau; the Hà Nội users
read (200) and write (302 on pages, 200/201 in the API) as their roles allow, and a write
they may not make changes nothing.
"""

from __future__ import annotations

import copy
import functools
import html
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from phoihop.accounts.models import RoleAssignment, User
from phoihop.core.scoping import clear_scope_cache
from phoihop.core.text import fold
from phoihop.orgunits.models import Organisation, OrgUnit, Person
from phoihop.programmes.models import Field, Indicator, Party, Phase, Programme, Signing, Target
from tests import matrix_ext
from tests.support.api_world import VersionedAPIClient as APIClient  # sends If-Match on PATCH

pytestmark = pytest.mark.django_db

# Named routes the matrix does not cover: Django's admin (system administrators only), the
# language switch, and Django's own sign-in pages (tested with the accounts).
SKIPPED_NAMESPACES = ("admin",)
# healthz: a load balancer's check of an application node, "ok" or 503, no data (tests/test_health.py).
SKIPPED_NAMES = {"set_language", "login", "logout", "password_change", "healthz"}
# One's own sign-in and API tokens: no unit's data, and another user's token is a 404
# (tests/test_two_factor.py, tests/test_tokens.py).
SKIPPED_NAMES |= {
    "two-factor",
    "two-factor-setup",
    "two-factor-verify",
    "two-factor-backup-codes",
    "accounts:token-revoke",
    "api:auth-logout",
    "api:auth-logoutall",
    "api:auth-token-list",
    "api:auth-token-detail",
}

HN, CM = "hn", "cm"
HANOI_USERS = ("hanoi.ccb", "tuhoi", "admin", "hanoi.admin")
HANOI_SIDE = ("hanoi.ccb", "hanoi.admin")
CAMAU_SIDE = ("camau.ccb", "camau.admin")
MIRROR = {
    "hanoi.ccb": "camau.ccb",
    "hanoi.admin": "camau.admin",
    "camau.ccb": "hanoi.ccb",
    "camau.admin": "hanoi.admin",
}
ROLE_OF = {"hanoi.ccb": "approver", "camau.ccb": "approver", "hanoi.admin": "unit_admin", "camau.admin": "unit_admin"}

OBJECT, LIST, CREATE, OPEN, PUBLIC = "object", "list", "create", "open", "public"

NEW_NAME = "Người Thử Ma Trận"
NEW_USERNAME = "ma.tran.thu"


# --- the world the routes act on ---------------------------------------------------------


class LazyExtra(dict[str, dict[str, Any]]):
    """``World.extra``: objects of the later apps by name. An extension may register a builder
    (``later``) for a prefix of its names, run once every extension has added its objects
    (``build_all``); what a Hà Nội user must never read is added to ``camau_marks`` at once,
    from names known in advance."""

    def __init__(self) -> None:
        super().__init__()
        self.builders: list[tuple[str, tuple[str, ...], Callable[[], None]]] = []

    def later(self, prefix: str, build: Callable[[], None], routes: tuple[str, ...] = ()) -> None:
        self.builders.append((prefix, routes, build))

    def build_all(self) -> None:
        for prefix, _, _ in list(self.builders):
            self._run(prefix)

    def _run(self, prefix: str) -> None:
        for index, (name, _, build) in enumerate(self.builders):
            if name == prefix:
                del self.builders[index]
                build()
                return

    def __missing__(self, key: str) -> dict[str, Any]:
        for prefix, _, _ in self.builders:
            if key.startswith(prefix):
                self._run(prefix)
                return self[key]
        raise KeyError(key)


@dataclass
class World:
    users: dict[str, User]
    province: dict[str, OrgUnit]  # CCB-HANOI, CCB-CAMAU
    unit: dict[str, OrgUnit]  # a commune association of each province
    label: dict[str, str]  # that commune's name, folded, to search for it
    person: dict[str, Person]
    account: dict[str, User]  # the user the account pages act on
    assignment: dict[str, RoleAssignment]  # that user's role
    programme: dict[str, Programme]
    phase: dict[str, Phase]
    indicator: dict[str, Indicator]
    camau_marks: list[str] = field(default_factory=list)  # what a Hà Nội user must never read
    # Objects the route modules of tests/matrix_ext add (activities, exchanges, ...), by name then side.
    extra: LazyExtra = field(default_factory=lambda: LazyExtra())


@functools.cache
def camau_unit_codes() -> tuple[str, ...]:
    """Codes of every unit of Cà Mau, on both sides (the demo's codes never change)."""
    q = Q(pk__in=[])
    for path in OrgUnit.objects.filter(code__in=["CCB-CAMAU", "QS-CAMAU"]).values_list("path", flat=True):
        q |= Q(path__startswith=path)
    return tuple(OrgUnit.objects.filter(q).values_list("code", flat=True))


@functools.cache
def camau_commune_code() -> str:
    """A commune association of Cà Mau whose name no other association shares."""
    province = OrgUnit.objects.get(code="CCB-CAMAU")
    for unit in OrgUnit.objects.filter(path__startswith=province.path, depth=province.depth + 1).order_by("path"):
        label = commune_label(unit)
        if OrgUnit.objects.filter(organisation__code="ccb", search_text__contains=label).count() == 1:
            return unit.code
    raise LookupError("no Cà Mau commune with a name of its own")


def commune_label(unit: OrgUnit) -> str:
    """ "Hội Cựu chiến binh phường Vĩnh Trạch" -> "phuong vinh trach"."""
    return fold(unit.name).removeprefix("hoi cuu chien binh ").strip()


def make_programme(code: str, title: str, province: str) -> tuple[Programme, Phase, Indicator]:
    """A province's own programme between its army command and its association (test set-up)."""
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[f"QS-{province}", f"CCB-{province}"])}
    orgs = {o.code: o for o in Organisation.objects.all()}
    programme = Programme.objects.create(
        code=code, title=title, summary="Phối hợp ở địa phương.", activity_approval=True
    )
    for order, (org, unit_code) in enumerate((("qdnd", f"QS-{province}"), ("ccb", f"CCB-{province}"))):
        unit = units[unit_code]
        Party.objects.create(
            programme=programme, organisation=orgs[org], representative_unit=unit, root_unit=unit, order=order
        )
    phase = Phase.objects.create(
        programme=programme, code="2025-2030", name="2025–2030", start=date(2025, 10, 1), end=date(2030, 9, 30)
    )
    field_ = Field.objects.create(programme=programme, code="tuyen-truyen", name="Tuyên truyền")
    indicator = Indicator.objects.create(
        programme=programme, field=field_, code="tt-buoi", name="Số buổi tuyên truyền", unit_of_measure="buổi"
    )
    return programme, phase, indicator


def build_world(users: dict[str, User]) -> World:
    """Everything the routes act on, every extension's objects included."""
    units = {HN: OrgUnit.objects.get(code="CCB-X00070"), CM: OrgUnit.objects.get(code=camau_commune_code())}
    accounts = {HN: users["hoankiem.ccb"], CM: users["camau.ccb"]}
    hn_programme, hn_phase, hn_indicator = make_programme(
        "ct-hanoi-2025", "Chương trình phối hợp thành phố Hà Nội", "HANOI"
    )
    cm_programme, cm_phase, cm_indicator = make_programme("ct-camau-2025", "Chương trình phối hợp tỉnh Cà Mau", "CAMAU")
    w = World(
        users=users,
        province={HN: OrgUnit.objects.get(code="CCB-HANOI"), CM: OrgUnit.objects.get(code="CCB-CAMAU")},
        unit=units,
        label={side: commune_label(unit) for side, unit in units.items()},
        person={HN: Person.objects.get(full_name="Trần Minh Đức"), CM: Person.objects.get(full_name="Đặng Văn Hải")},
        account=accounts,
        assignment={side: RoleAssignment.objects.get(user=user) for side, user in accounts.items()},
        programme={HN: hn_programme, CM: cm_programme},
        phase={HN: hn_phase, CM: cm_phase},
        indicator={HN: hn_indicator, CM: cm_indicator},
    )
    w.camau_marks = [
        "Cà Mau",
        "CAMAU",
        *camau_unit_codes(),
        "Đặng Văn Hải",
        "camau.ccb",
        "camau.admin",
        cm_programme.code,
    ]
    for extension in matrix_ext.EXTENSIONS:
        extension.extend(w, sys.modules[__name__])
    w.extra.build_all()
    return w


@pytest.fixture(scope="module")
def _world_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world, built once for the module (per test process) in a transaction that each
    test's own transaction nests in (as a savepoint) and that is rolled back at the end."""
    from phoihop.accounts.services import role_assign

    with django_db_blocker.unblock(), transaction.atomic():
        users = {name: User.objects.get(username=name) for name in ("hanoi.ccb", "tuhoi", "admin", "camau.ccb")}
        users["hoankiem.ccb"] = User.objects.get(username="hoankiem.ccb")
        for username, unit_code in (("hanoi.admin", "CCB-HANOI"), ("camau.admin", "CCB-CAMAU")):
            user = User.objects.create_user(username=username, first_name="Thử", last_name="Người")
            role_assign(
                acting_user=users["admin"], user=user, unit=OrgUnit.objects.get(code=unit_code), role="unit_admin"
            )
            users[username] = user
        yield build_world(users)
        transaction.set_rollback(True)


@pytest.fixture
def world(_world_once: World, db: None) -> World:
    """A copy of the module's world for one test: what a test does to its objects in memory
    stays with it, and every user's scope is read again."""
    w = copy.deepcopy(_world_once)
    for user in w.users.values():
        clear_scope_cache(user)
    return w


# --- how each route is reached and what it may do ----------------------------------------


def no_kwargs(w: World, side: str) -> dict[str, Any]:
    return {}


def no_query(w: World, side: str) -> dict[str, str]:
    return {}


READ_ALL = {user: 200 for user in HANOI_USERS}
# Pages only a unit administrator (or the system administrator) may open.
MANAGERS = {"hanoi.ccb": 403, "tuhoi": 403, "admin": 200, "hanoi.admin": 200}
# Users are seen only by unit administrators above all their roles.
ACCOUNT_READERS = {"hanoi.ccb": 404, "tuhoi": 404, "admin": 200, "hanoi.admin": 200}
# Data entry: reporters and approvers, not unit administrators.
EDITORS = {"hanoi.ccb": 200, "tuhoi": 200, "admin": 200, "hanoi.admin": 403}

MANAGER_WRITES: dict[str, Any] = {
    "writers": {"admin": 302, "hanoi.admin": 302},
    "denied": {"hanoi.ccb": 403, "tuhoi": 403},
}
ACCOUNT_WRITES: dict[str, Any] = {
    "writers": {"admin": 302, "hanoi.admin": 302},
    "denied": {"hanoi.ccb": 404, "tuhoi": 404},
}
EDITOR_WRITES: dict[str, Any] = {
    "writers": {"hanoi.ccb": 302, "tuhoi": 302, "admin": 302},
    "denied": {"hanoi.admin": 403},
}
REFUSED_404 = {"approver": 404, "unit_admin": 404}


@dataclass(frozen=True)
class Route:
    kind: str
    kwargs: Callable[[World, str], dict[str, Any]] = no_kwargs
    get: bool = True  # False: the route answers only its write method
    readers: Mapping[str, int] = field(default_factory=lambda: READ_ALL)
    # What the side's own reader must find in the page (proves it is the right, full page).
    shows: Callable[[World, str], str] | None = None
    # lists: the query string for each side, and the Hà Nội user whose list shows `shows`
    query: Callable[[World, str], dict[str, str]] = no_query
    viewer: str = "hanoi.ccb"
    # writes
    method: str | None = None
    payload: Callable[[World, str], dict[str, Any]] | None = None
    state: Callable[[World, str], Any] | None = None
    writers: Mapping[str, int] = field(default_factory=dict)  # status of a successful write
    denied: Mapping[str, int] = field(default_factory=dict)  # status for the other Hà Nội users
    refused: Mapping[str, int] = field(default_factory=lambda: REFUSED_404)  # other province, by role


# States: everything a refused write must leave as it was (fields and history rows).


def unit_state(w: World, side: str) -> Any:
    unit = OrgUnit.objects.get(pk=w.unit[side].pk)
    return (unit.name, unit.short_name, unit.kind, unit.valid_from, unit.valid_to, unit.history.count())


def person_state(w: World, side: str) -> Any:
    person = Person.objects.get(pk=w.person[side].pk)
    return (person.full_name, person.positions, person.unit_id, person.birth_year, person.history.count())


def new_person_state(w: World, side: str) -> Any:
    return Person.objects.filter(full_name=NEW_NAME).count()


def new_user_state(w: World, side: str) -> Any:
    return (User.objects.filter(username=NEW_USERNAME).count(), RoleAssignment.objects.count())


def account_state(w: World, side: str) -> Any:
    user = User.objects.get(pk=w.account[side].pk)
    roles = list(user.role_assignments.order_by("pk").values_list("pk", "unit_id", "role", "valid_from", "valid_to"))
    return (user.password, user.must_change_password, user.is_active, roles, user.history.count())


def account_log_state(w: World, side: str) -> Any:
    """The account, and the action-log rows about it (unlocking, resetting a second factor,
    revoking tokens change nothing else a refused write could touch)."""
    from django.contrib.contenttypes.models import ContentType

    from phoihop.audit.models import ActionLog

    rows = ActionLog.objects.filter(
        target_type=ContentType.objects.get_for_model(User), target_id=str(w.account[side].pk)
    )
    return (account_state(w, side), rows.count())


def programme_state(w: World, side: str) -> Any:
    programme = Programme.objects.get(pk=w.programme[side].pk)
    phase = Phase.objects.get(pk=w.phase[side].pk)
    signing = list(Signing.objects.filter(phase=phase).values_list("signed_on", "place", "document_number", "note"))
    return (
        programme.title,
        programme.summary,
        programme.history.count(),
        (phase.name, phase.start, phase.end, phase.status),
        phase.history.count(),
        signing,
    )


def target_state(w: World, side: str) -> Any:
    targets = Target.objects.filter(phase=w.phase[side], unit=w.unit[side])
    return (list(targets.values_list("indicator_id", "value")), Target.history.filter(unit_id=w.unit[side].pk).count())


def unit_close_form(w: World, side: str) -> dict[str, Any]:
    return {"valid_to": "2026-10-31", "successor": "", "succession_kind": ""}


def version_of(model: Any, **lookup: Any) -> int | str:
    """The version an edit page would carry in its hidden field (empty when there is no record)."""
    row = model.objects.unrestricted("test: the version an edit form carries").filter(**lookup).first()
    return row.version if row is not None else ""


def unit_form(w: World, side: str) -> dict[str, Any]:
    unit = w.unit[side]
    return {
        "name": f"{unit.name} (đã sửa)",
        "short_name": unit.short_name,
        "kind": unit.kind,
        "valid_from": "2025-07-01",
        "version": version_of(OrgUnit, pk=unit.pk),
    }


def person_form(w: World, side: str) -> dict[str, Any]:
    person = w.person[side]
    return {
        "full_name": person.full_name,
        "birth_year": person.birth_year or "",
        "gender": person.gender,
        "rank": person.rank,
        "unit": person.unit_id,
        "affiliation": person.affiliation,
        "member_card_number": person.member_card_number,
        "positions_text": "\n".join([*person.positions, "Ủy viên Ban Thường vụ"]),
        "version": version_of(Person, pk=person.pk),
    }


def new_person_form(w: World, side: str) -> dict[str, Any]:
    return {"full_name": NEW_NAME, "unit": w.unit[side].pk, "positions_text": "Hội viên", "gender": "", "rank": ""}


def new_user_form(w: World, side: str) -> dict[str, Any]:
    return {"username": NEW_USERNAME, "full_name": NEW_NAME, "role": "viewer", "unit": w.unit[side].pk}


def unit_kwargs(w: World, side: str) -> dict[str, Any]:
    return {"pk": w.unit[side].pk}


def person_kwargs(w: World, side: str) -> dict[str, Any]:
    return {"pk": w.person[side].pk}


def account_kwargs(w: World, side: str) -> dict[str, Any]:
    return {"pk": w.account[side].pk}


def programme_kwargs(w: World, side: str) -> dict[str, Any]:
    return {"code": w.programme[side].code}


def phase_kwargs(w: World, side: str) -> dict[str, Any]:
    return {"code": w.programme[side].code, "phase": w.phase[side].code}


def first_child_name(w: World, side: str) -> str:
    unit = w.unit[side]
    return OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path").first().name


ROUTES: dict[str, Route] = {
    # --- pages -----------------------------------------------------------------------------
    "home": Route(LIST, shows=lambda w, s: w.province[s].name),
    "search": Route(
        LIST,
        query=lambda w, s: {"q": w.label[s]},
        shows=lambda w, s: w.unit[s].code,
    ),
    "orgunits:tree": Route(LIST, shows=lambda w, s: f'data-unit="{w.province[s].code}"'),
    "orgunits:autocomplete": Route(
        LIST,
        query=lambda w, s: {"q": w.label[s]},
        shows=lambda w, s: w.unit[s].code,
    ),
    "orgunits:person-list": Route(LIST, shows=lambda w, s: w.person[s].full_name),
    "orgunits:unit": Route(OBJECT, kwargs=unit_kwargs, shows=lambda w, s: w.unit[s].code),
    "orgunits:children": Route(OBJECT, kwargs=unit_kwargs, shows=first_child_name),
    "orgunits:unit-edit": Route(
        OBJECT,
        kwargs=unit_kwargs,
        readers=MANAGERS,
        shows=lambda w, s: w.unit[s].name,
        method="post",
        payload=unit_form,
        state=unit_state,
        **MANAGER_WRITES,
    ),
    "orgunits:unit-close": Route(
        OBJECT,
        kwargs=unit_kwargs,
        readers=MANAGERS,
        shows=lambda w, s: w.unit[s].name,
        method="post",
        payload=unit_close_form,
        state=unit_state,
        **MANAGER_WRITES,
    ),
    "orgunits:person": Route(OBJECT, kwargs=person_kwargs, shows=lambda w, s: w.person[s].full_name),
    # What is held about a person (Law 91/2025/QH15): their unit's administrators and system
    # administrators (ADR 0011).
    "orgunits:person-data": Route(
        OBJECT,
        kwargs=person_kwargs,
        readers={"hanoi.ccb": 404, "tuhoi": 404, "admin": 200, "hanoi.admin": 200},
        shows=lambda w, s: w.person[s].full_name,
    ),
    "orgunits:person-edit": Route(
        OBJECT,
        kwargs=person_kwargs,
        readers=EDITORS,
        shows=lambda w, s: w.person[s].full_name,
        method="post",
        payload=person_form,
        state=person_state,
        **EDITOR_WRITES,
    ),
    "orgunits:person-create": Route(
        CREATE,
        method="post",
        payload=new_person_form,
        state=new_person_state,
        writers={"hanoi.ccb": 302, "tuhoi": 302, "admin": 302},
        # A unit administrator enters no data: the form offers no unit and says so.
        denied={"hanoi.admin": 200},
        # The other province's unit is no choice of the form: it is re-shown with the error.
        refused={"approver": 200, "unit_admin": 200},
    ),
    "programmes:list": Route(LIST, shows=lambda w, s: w.programme[s].code),
    "programmes:detail": Route(OBJECT, kwargs=programme_kwargs, shows=lambda w, s: w.programme[s].title),
    "programmes:edit": Route(
        OBJECT,
        kwargs=programme_kwargs,
        readers=MANAGERS,
        shows=lambda w, s: w.programme[s].title,
        method="post",
        payload=lambda w, s: {
            "title": f"{w.programme[s].title} (đã sửa)",
            "summary": "Tóm tắt mới.",
            "legal_basis": "",
            "version": version_of(Programme, pk=w.programme[s].pk),
        },
        state=programme_state,
        **MANAGER_WRITES,
    ),
    "programmes:phase": Route(OBJECT, kwargs=phase_kwargs, shows=lambda w, s: w.programme[s].code),
    "programmes:phase-edit": Route(
        OBJECT,
        kwargs=phase_kwargs,
        readers=MANAGERS,
        shows=lambda w, s: w.phase[s].name,
        method="post",
        payload=lambda w, s: {
            "name": "2025–2030 (đã sửa)",
            "start": "2025-10-01",
            "end": "2030-09-30",
            "version": version_of(Phase, pk=w.phase[s].pk),
        },
        state=programme_state,
        **MANAGER_WRITES,
    ),
    "programmes:signing-edit": Route(
        OBJECT,
        kwargs=phase_kwargs,
        readers=MANAGERS,
        shows=lambda w, s: w.programme[s].code,
        method="post",
        payload=lambda w, s: {
            "signed_on": "2025-10-01",
            "place": "Hội trường",
            "document_number": "01/CTPH",
            "note": "",
            "version": version_of(Signing, phase=w.phase[s]),
        },
        state=programme_state,
        **MANAGER_WRITES,
    ),
    "programmes:phase-status": Route(
        OBJECT,
        kwargs=phase_kwargs,
        get=False,
        method="post",
        payload=lambda w, s: {"status": "signed"},
        state=programme_state,
        **MANAGER_WRITES,
    ),
    "programmes:target-set": Route(
        OBJECT,
        kwargs=phase_kwargs,
        get=False,
        method="post",
        payload=lambda w, s: {"unit": w.unit[s].pk, "indicator": w.indicator[s].pk, "value": "12"},
        state=target_state,
        # Targets are set from above, by approvers; a unit administrator's form offers no unit,
        # so the page goes back to the phase with the error and nothing is saved.
        writers={"hanoi.ccb": 302, "tuhoi": 302, "admin": 302},
        denied={"hanoi.admin": 302},
    ),
    "accounts:user-list": Route(LIST, viewer="hanoi.admin", shows=lambda w, s: w.account[s].username),
    "accounts:user-create": Route(
        CREATE,
        readers=MANAGERS,
        method="post",
        payload=new_user_form,
        state=new_user_state,
        **MANAGER_WRITES,
        # An approver manages no users at all (403); a unit administrator of the other province
        # does not get the unit as a choice (the form is re-shown with the error).
        refused={"approver": 403, "unit_admin": 200},
    ),
    "accounts:user": Route(
        OBJECT, kwargs=account_kwargs, readers=ACCOUNT_READERS, shows=lambda w, s: w.account[s].username
    ),
    "accounts:role-add": Route(
        OBJECT,
        kwargs=account_kwargs,
        get=False,
        method="post",
        payload=lambda w, s: {"role": "viewer", "unit": w.unit[s].pk, "valid_from": ""},
        state=account_state,
        **ACCOUNT_WRITES,
    ),
    "accounts:role-end": Route(
        OBJECT,
        kwargs=lambda w, s: {"pk": w.account[s].pk, "assignment_pk": w.assignment[s].pk},
        get=False,
        method="post",
        payload=lambda w, s: {},
        state=account_state,
        **ACCOUNT_WRITES,
    ),
    "accounts:password-reset": Route(
        OBJECT,
        kwargs=account_kwargs,
        get=False,
        method="post",
        payload=lambda w, s: {},
        state=account_state,
        **ACCOUNT_WRITES,
    ),
    "accounts:user-toggle-active": Route(
        OBJECT,
        kwargs=account_kwargs,
        get=False,
        method="post",
        payload=lambda w, s: {},
        state=account_state,
        **ACCOUNT_WRITES,
    ),
    # Sign-in protection of another account: system administrators only (ADR 0012).
    "accounts:user-unlock": Route(
        OBJECT,
        kwargs=account_kwargs,
        get=False,
        method="post",
        payload=lambda w, s: {},
        state=account_log_state,
        writers={"admin": 302},
        denied={"hanoi.ccb": 404, "tuhoi": 404, "hanoi.admin": 404},
    ),
    "accounts:user-two-factor-reset": Route(
        OBJECT,
        kwargs=account_kwargs,
        get=False,
        method="post",
        payload=lambda w, s: {"reason": "Mất điện thoại"},
        state=account_log_state,
        writers={"admin": 302},
        denied={"hanoi.ccb": 404, "tuhoi": 404, "hanoi.admin": 404},
    ),
    "accounts:user-tokens-revoke-all": Route(
        OBJECT,
        kwargs=account_kwargs,
        get=False,
        method="post",
        payload=lambda w, s: {},
        state=account_log_state,
        **ACCOUNT_WRITES,
    ),
    # --- API -------------------------------------------------------------------------------
    "api:api-root": Route(OPEN),
    # The state of the system: system administrators only (tests/test_health.py).
    "system-health": Route(OPEN, readers={"hanoi.ccb": 403, "tuhoi": 403, "admin": 200, "hanoi.admin": 403}),
    # Signing in for a token needs no account; the OpenAPI schema and its viewer hold no
    # records (drf-spectacular serves them to anyone by default).
    "api:auth-token": Route(PUBLIC, get=False),
    "api:api-schema": Route(PUBLIC),
    "api:api-docs": Route(PUBLIC),
    "api:organisation-detail": Route(OPEN, kwargs=lambda w, s: {"code": "ccb"}),
    # api:organisation-list and api:unit-list (reads and creates): tests/matrix_ext/structure_api.py.
    "api:unit-detail": Route(
        OBJECT,
        kwargs=unit_kwargs,
        shows=lambda w, s: w.unit[s].code,
        method="patch",
        payload=lambda w, s: {"name": f"{w.unit[s].name} (đã sửa)"},
        state=unit_state,
        writers={"admin": 200, "hanoi.admin": 200},
        denied={"hanoi.ccb": 403, "tuhoi": 403},
    ),
    "api:person-list": Route(
        LIST,
        shows=lambda w, s: w.person[s].full_name,
        method="post",
        payload=lambda w, s: {"full_name": NEW_NAME, "unit": w.unit[s].code, "positions": ["Hội viên"]},
        state=new_person_state,
        writers={"hanoi.ccb": 201, "tuhoi": 201, "admin": 201},
        denied={"hanoi.admin": 403},
        # The other province's unit code is "not found", like a code that does not exist.
        refused={"approver": 400, "unit_admin": 400},
    ),
    "api:person-detail": Route(
        OBJECT,
        kwargs=person_kwargs,
        shows=lambda w, s: w.person[s].full_name,
        method="patch",
        payload=lambda w, s: {"positions": [*w.person[s].positions, "Ủy viên Ban Thường vụ"]},
        state=person_state,
        writers={"hanoi.ccb": 200, "tuhoi": 200, "admin": 200},
        denied={"hanoi.admin": 403},
    ),
    "api:programme-list": Route(LIST, shows=lambda w, s: w.programme[s].code),
    "api:programme-detail": Route(OBJECT, kwargs=programme_kwargs, shows=lambda w, s: w.programme[s].title),
    "api:phase-list": Route(LIST, shows=lambda w, s: w.programme[s].code),
    "api:phase-detail": Route(
        OBJECT, kwargs=lambda w, s: {"pk": w.phase[s].pk}, shows=lambda w, s: w.programme[s].code
    ),
}


# Routes of later apps live in tests/matrix_ext/<app>.py: each module has routes(m) -> dict of
# Route (m is this module, for Route, World and the helpers above), extend(w, m) to add its
# objects to the world, and probes(m) -> list of Probe.
for _extension in matrix_ext.EXTENSIONS:
    ROUTES.update(_extension.routes(sys.modules[__name__]))


# --- helpers -----------------------------------------------------------------------------


def named_routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """Every named route of the URL configuration, with its namespaces ("api:unit-list")."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            yield from named_routes(pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
        elif pattern.name and pattern.name not in SKIPPED_NAMES and prefix + pattern.name not in SKIPPED_NAMES:
            yield prefix + pattern.name


def is_api(name: str) -> bool:
    return name.startswith("api:")


def client_for(w: World, name: str, username: str | None) -> Client:
    client: Client = APIClient() if is_api(name) else Client()
    if username is not None:
        client.force_login(w.users[username])
    return client


def url_of(w: World, name: str, side: str) -> str:
    return reverse(name, kwargs=ROUTES[name].kwargs(w, side))


def read(w: World, name: str, username: str | None, side: str, query: dict[str, str] | None = None) -> Any:
    spec = ROUTES[name]
    params = spec.query(w, side) if query is None else query
    return client_for(w, name, username).get(url_of(w, name, side), params)


def write(w: World, name: str, username: str | None, url_side: str, payload_side: str | None = None) -> Any:
    spec = ROUTES[name]
    assert spec.method and spec.payload
    data = spec.payload(w, payload_side or url_side)
    client = client_for(w, name, username)
    if is_api(name):
        return getattr(client, spec.method)(url_of(w, name, url_side), data, format="json")
    if spec.get and spec.method == "post" and "version" not in data:
        # An edit form sends back the version its page carried (no lost update), as a browser does.
        page = client.get(url_of(w, name, url_side))
        found = re.search(r'name="version" value="(\d+)"', page.content.decode()) if page.status_code == 200 else None
        if found:
            data = {**data, "version": found.group(1)}
    return getattr(client, spec.method)(url_of(w, name, url_side), data)


def text_of(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def contains(text: str, needle: str) -> bool:
    return needle in text or html.escape(needle) in text


def camau_marks_in(w: World, text: str) -> list[str]:
    return [mark for mark in w.camau_marks if contains(text, mark)]


def assert_sign_in_required(name: str, response: Any) -> None:
    if is_api(name):
        assert response.status_code in (401, 403), (name, response.status_code)
    else:
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith(reverse("login") + "?next="), response["Location"]


def routes_of(*kinds: str, get: bool | None = None, writes: bool | None = None) -> list[str]:
    return sorted(
        name
        for name, spec in ROUTES.items()
        if spec.kind in kinds
        and (get is None or spec.get == get)
        and (writes is None or (spec.method is not None) == writes)
    )


GUARDED = (OBJECT, LIST, CREATE, OPEN)


# --- the matrix --------------------------------------------------------------------------


def test_it_has_a_spec_for_every_named_route() -> None:
    missing = sorted(set(named_routes()) - set(ROUTES))
    assert not missing, f"routes without a scoping spec in ROUTES (tests/test_scoping_matrix.py): {missing}"


def test_it_has_no_spec_for_a_route_that_is_gone() -> None:
    gone = sorted(set(ROUTES) - set(named_routes()))
    assert not gone, f"ROUTES names routes the URL configuration no longer has: {gone}"


@pytest.mark.parametrize("name", routes_of(*GUARDED))
def test_it_sends_anonymous_users_to_sign_in(world: World, name: str) -> None:
    spec = ROUTES[name]
    if spec.get:
        assert_sign_in_required(name, read(world, name, None, HN))
    if spec.method:
        before = spec.state(world, HN)
        assert_sign_in_required(name, write(world, name, None, HN))
        assert spec.state(world, HN) == before


@pytest.mark.parametrize("name", routes_of(PUBLIC))
def test_it_serves_the_public_api_routes_to_anonymous_users(world: World, name: str) -> None:
    client = APIClient()
    if name == "api:auth-token":
        response = client.post(reverse(name), {"username": "hanoi.ccb", "password": "phoihop-demo"}, format="json")
        assert response.status_code == 200
        assert response.json()["token"]
    else:
        response = client.get(reverse(name))
        assert response.status_code == 200
        # The schema describes the routes; its viewer loads the schema (from its start-up script,
        # a file of its own under the Content-Security-Policy). Neither holds a record.
        if name == "api:api-schema":
            assert "/api/v1/units/" in text_of(response)
        else:
            script = client.get(reverse(name), {"script": ""})
            assert reverse("api:api-schema") in text_of(script)
        assert not camau_marks_in(world, text_of(response))
        assert not camau_marks_in(world, text_of(response))


@pytest.mark.parametrize(("name", "username"), [(n, u) for n in routes_of(*GUARDED, get=True) for u in HANOI_USERS])
def test_it_serves_the_hanoi_object_to_its_readers(world: World, name: str, username: str) -> None:
    spec = ROUTES[name]
    response = read(world, name, username, HN)
    assert response.status_code == spec.readers[username], text_of(response)[:2000]
    if response.status_code == 200 and spec.kind == OBJECT and spec.shows:
        assert contains(text_of(response), spec.shows(world, HN))


@pytest.mark.parametrize(
    ("name", "username"), [(n, u) for n in routes_of(OBJECT, CREATE, LIST, writes=True) for u in HANOI_USERS]
)
def test_it_lets_only_its_writers_change_the_hanoi_object(world: World, name: str, username: str) -> None:
    spec = ROUTES[name]
    before = spec.state(world, HN)
    response = write(world, name, username, HN)
    if username in spec.writers:
        assert response.status_code == spec.writers[username], text_of(response)[:2000]
        assert spec.state(world, HN) != before, "the write answered success but changed nothing"
    else:
        assert response.status_code == spec.denied[username], text_of(response)[:2000]
        assert spec.state(world, HN) == before


@pytest.mark.parametrize(
    ("name", "username"),
    [(n, u) for n in routes_of(OBJECT) + routes_of(CREATE, LIST, writes=True) for u in HANOI_SIDE],
)
def test_it_hides_the_camau_object_from_hanoi(world: World, name: str, username: str) -> None:
    spec = ROUTES[name]
    if spec.kind == OBJECT and spec.get:
        assert read(world, name, username, CM).status_code == 404
    if spec.method:
        before = spec.state(world, CM)
        response = write(world, name, username, CM)
        assert response.status_code == spec.refused[ROLE_OF[username]], text_of(response)[:2000]
        assert spec.state(world, CM) == before


@pytest.mark.parametrize(
    ("name", "username"),
    [(n, u) for n in routes_of(OBJECT) + routes_of(CREATE, LIST, writes=True) for u in CAMAU_SIDE],
)
def test_it_hides_the_hanoi_object_from_camau(world: World, name: str, username: str) -> None:
    spec = ROUTES[name]
    if spec.kind == OBJECT and spec.get:
        assert read(world, name, username, HN).status_code == 404
    if spec.method:
        before = spec.state(world, HN)
        response = write(world, name, username, HN)
        assert response.status_code == spec.refused[ROLE_OF[username]], text_of(response)[:2000]
        assert spec.state(world, HN) == before


@pytest.mark.parametrize("name", routes_of(LIST))
def test_it_keeps_camau_rows_out_of_hanoi_lists(world: World, name: str) -> None:
    spec = ROUTES[name]
    own = read(world, name, spec.viewer, HN)
    assert own.status_code == 200
    assert contains(text_of(own), spec.shows(world, HN)), "the list does not show the Hà Nội row"
    for username in HANOI_SIDE:
        for side in (HN, CM):
            response = read(world, name, username, side)
            assert response.status_code == 200
            assert not camau_marks_in(world, text_of(response)), (username, side)
    # The query that must find nothing of Cà Mau for Hà Nội does find it for Cà Mau.
    mirror = read(world, name, MIRROR[spec.viewer], CM)
    assert contains(text_of(mirror), spec.shows(world, CM))


# Searches, autocompletes, filters and shared pages aimed at Cà Mau: none may show a Hà Nội
# user a Cà Mau row; each also finds Cà Mau rows for the system administrator (so it is aimed).
@dataclass(frozen=True)
class Probe:
    name: str
    query: Callable[[World], dict[str, str]] = lambda w: {}
    kwargs: dict[str, str] = field(default_factory=dict)


NATIONAL_PHASE = {"code": "QDND-CCB", "phase": "2022-2027"}
PROBES: list[Probe] = [
    Probe("search", lambda w: {"q": "ca mau"}),
    Probe("search", lambda w: {"q": "CÀ MAU"}),
    Probe("search", lambda w: {"q": w.label[CM]}),
    Probe("search", lambda w: {"q": "dang van hai"}),
    Probe("orgunits:autocomplete", lambda w: {"q": "ca mau"}),
    Probe("orgunits:autocomplete", lambda w: {"q": "ca mau", "action": "change"}),
    Probe("orgunits:autocomplete", lambda w: {"q": w.label[CM]}),
    Probe("orgunits:person-list", lambda w: {"q": "ca mau"}),
    Probe("orgunits:person-list", lambda w: {"q": "dang van hai"}),
    Probe("orgunits:person-list", lambda w: {"unit": "CCB-CAMAU"}),
    Probe("accounts:user-list", lambda w: {"q": "camau"}),
    Probe("programmes:list"),
    # The national programme is shared; its phase page lists targets and offers units.
    Probe("programmes:phase", kwargs=NATIONAL_PHASE),
    Probe("api:unit-list", lambda w: {"q": "ca mau"}),
    Probe("api:unit-list", lambda w: {"q": w.label[CM]}),
    Probe("api:unit-list", lambda w: {"parent": "CCB-CAMAU"}),
    Probe("api:unit-list", lambda w: {"parent": str(w.province[CM].pk)}),
    Probe("api:unit-list", lambda w: {"area": w.unit[CM].area.code}),
    Probe("api:unit-list", lambda w: {"organisation": "ccb", "level": "province", "active": "2026-01-01"}),
    Probe("api:unit-list", lambda w: {"organisation": "qdnd", "q": "ca mau", "active": "2026-01-01"}),
    Probe("api:person-list", lambda w: {"q": "ca mau"}),
    Probe("api:person-list", lambda w: {"unit": "CCB-CAMAU"}),
    Probe("api:programme-list"),
    Probe("api:phase-list", lambda w: {"programme": "ct-camau-2025"}),
]
for _extension in matrix_ext.EXTENSIONS:
    PROBES.extend(_extension.probes(sys.modules[__name__]))


@pytest.mark.parametrize("probe", PROBES, ids=[f"{p.name}-{i}" for i, p in enumerate(PROBES)])
def test_it_finds_nothing_of_camau_for_hanoi_in_searches_and_filters(world: World, probe: Probe) -> None:
    params = probe.query(world)
    url = reverse(probe.name, kwargs=probe.kwargs) if probe.kwargs else url_of(world, probe.name, HN)
    for username in HANOI_SIDE:
        response = client_for(world, probe.name, username).get(url, params)
        assert response.status_code == 200
        assert not camau_marks_in(world, text_of(response)), (username, params)
    control = client_for(world, probe.name, "admin").get(url, params)
    assert control.status_code == 200
    assert camau_marks_in(world, text_of(control)), params


def test_it_finds_zero_camau_units_when_hanoi_searches_for_ca_mau(world: World) -> None:
    response = read(world, "search", "hanoi.ccb", HN, {"q": "ca mau"})
    assert response.status_code == 200
    assert list(response.context["units"]) == []
    assert list(response.context["people"]) == []
    admin = read(world, "search", "admin", HN, {"q": "ca mau"})
    assert {"CCB-CAMAU", "QS-CAMAU"} <= {u.code for u in admin.context["units"]}


# --- writes that would carry a record out of the writer's reach (rule 4) -----------------


def test_it_refuses_hanoi_a_target_for_a_camau_unit_in_the_shared_programme(world: World) -> None:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    camau = world.province[CM]
    indicator = Indicator.objects.get(programme__code="QDND-CCB", code="tt-buoi")
    before = list(Target.objects.filter(phase=phase, unit=camau).values_list("indicator_id", "value"))
    assert before  # the demo sets Cà Mau's targets
    response = client_for(world, "programmes:target-set", "hanoi.ccb").post(
        reverse("programmes:target-set", kwargs=NATIONAL_PHASE),
        {"unit": camau.pk, "indicator": indicator.pk, "value": "999"},
    )
    assert response.status_code == 302
    assert list(Target.objects.filter(phase=phase, unit=camau).values_list("indicator_id", "value")) == before
    # Hà Nội's own target, the same way, is saved: the refusal is about the unit.
    response = client_for(world, "programmes:target-set", "hanoi.ccb").post(
        reverse("programmes:target-set", kwargs=NATIONAL_PHASE),
        {"unit": world.province[HN].pk, "indicator": indicator.pk, "value": "999"},
    )
    assert Target.objects.get(phase=phase, unit=world.province[HN], indicator=indicator).value == 999


@pytest.mark.parametrize(
    ("unit_code", "status"),
    [
        ("CCB-CAMAU", 400),  # not seen: "not found", like a code that does not exist
        ("QS-X00070", 403),  # Hoàn Kiếm's army counterpart: seen, but not Hà Nội's association's to change
    ],
)
def test_it_refuses_to_move_a_hanoi_person_out_of_reach_through_the_api(
    world: World, unit_code: str, status: int
) -> None:
    person = world.person[HN]
    before = person_state(world, HN)
    response = client_for(world, "api:person-detail", "hanoi.ccb").patch(
        reverse("api:person-detail", kwargs={"pk": person.pk}), {"unit": unit_code}, format="json"
    )
    assert response.status_code == status, text_of(response)
    assert person_state(world, HN) == before


def test_it_refuses_to_move_a_hanoi_person_to_camau_through_the_page(world: World) -> None:
    before = person_state(world, HN)
    response = client_for(world, "orgunits:person-edit", "hanoi.ccb").post(
        reverse("orgunits:person-edit", kwargs={"pk": world.person[HN].pk}),
        {**person_form(world, HN), "unit": world.province[CM].pk},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert person_state(world, HN) == before


# --- public figures: everyone reads their name, rank and positions, and nothing more -----


@pytest.fixture
def camau_public_figure(world: World) -> Person:
    """Cà Mau's association chairman, made a public figure by Cà Mau (through the service)."""
    from phoihop.orgunits.services import person_update

    person = world.person[CM]
    assert (person.birth_year, person.member_card_number) == (1959, "CM-0001")
    return person_update(
        person=person,
        acting_user=world.users["camau.ccb"],
        data={"is_public_figure": True},
        public_reason="Chủ tịch Hội, đồng chủ trì hội nghị tổng kết",
    )


def test_it_shows_hanoi_only_the_public_part_of_a_camau_public_figure_in_the_api(
    world: World, camau_public_figure: Person
) -> None:
    response = client_for(world, "api:person-detail", "hanoi.ccb").get(
        reverse("api:person-detail", kwargs={"pk": camau_public_figure.pk})
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["full_name"], data["rank"], data["positions"]) == (
        "Đặng Văn Hải",
        "trung-ta",
        ["Chủ tịch Hội Cựu chiến binh tỉnh Cà Mau"],
    )
    assert (data["birth_year"], data["gender"], data["member_card_number"]) == (None, "", "")


def test_it_shows_hanoi_only_the_public_part_of_a_camau_public_figure_on_the_page(
    world: World, camau_public_figure: Person
) -> None:
    response = client_for(world, "orgunits:person", "hanoi.ccb").get(
        reverse("orgunits:person", kwargs={"pk": camau_public_figure.pk})
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Đặng Văn Hải" in page and "Chủ tịch Hội Cựu chiến binh tỉnh Cà Mau" in page
    assert "CM-0001" not in page, "member card number of a person outside the reader's scope"
    assert "1959" not in page, "birth year of a person outside the reader's scope"
    assert "camau.ccb" not in page, "who edited a person outside the reader's scope"
    # Cà Mau itself still reads everything.
    own = client_for(world, "orgunits:person", "camau.ccb").get(
        reverse("orgunits:person", kwargs={"pk": camau_public_figure.pk})
    )
    assert "CM-0001" in text_of(own) and "1959" in text_of(own)

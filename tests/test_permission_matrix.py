"""The scoping matrix's cases across levels and organisations, with their expected outcomes taken
from the permission object.

Each case names a demo user, a record and what the rule says (docs/adr/0008): whether the user
may read it, and for some an action and whether they may take it. The test checks that
``perms(user)`` answers as the rule says, then that the page and the API answer what
``perms(user)`` answers: 200 when it may read, 404 when it may not (the same as a record that
does not exist); for an action, 200 on the action's page when it may, 403 when it reads but may
not, 404 when it does not read. So the HTTP outcomes come from the permission object, and the
permission object from the rule.

The kinds of case:

* vertical: a commune's user and the province's records (the level above is not theirs);
  the province's user and the commune's records (theirs to read and to approve);
* counterpart: paired units of the two organisations read each other's unit, not what lies
  below it, and a joint activity its partners read and do not change;
* the parties' roots: the national co-owners of the joint programme read both sides' totals;
* cross-organisation: a unit of one organisation and another organisation's records that are
  neither paired with it nor shared;
* user management: a unit administrator grants roles in their subtree only, never above it,
  never to themselves, and never makes a system administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from phoihop.accounts.models import RoleAssignment, User
from phoihop.activities.models import Activity, ActivityPartner, ActivityStatus
from phoihop.core.permissions import perms
from phoihop.figures.permissions import figure_units
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.reporting.models import Report

pytestmark = pytest.mark.django_db


# --- the records the cases act on ------------------------------------------------------------------


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def activity_of(
    code: str, status: str | None = None, partner_under: str | None = None, partner_exactly: str | None = None
) -> Activity:
    """An activity led by the unit ``code`` (with that status; with a partner in
    ``partner_under``'s subtree; with ``partner_exactly`` as its only partner)."""
    rows = Activity.objects.filter(lead_unit__code=code).order_by("pk")
    if status:
        rows = rows.filter(status=status)
    if partner_under:
        partners = ActivityPartner.objects.filter(unit__path__startswith=unit(partner_under).path)
        rows = rows.filter(pk__in=partners.values("activity"))
    if partner_exactly:
        rows = rows.filter(
            pk__in=ActivityPartner.objects.filter(unit__code=partner_exactly).values("activity")
        ).exclude(pk__in=ActivityPartner.objects.exclude(unit__code=partner_exactly).values("activity"))
    found = rows.first()
    assert found is not None, (code, status, partner_under)
    return found


def report_of(code: str) -> Report:
    found = Report.objects.filter(unit__code=code).order_by("pk").first()
    assert found is not None, code
    return found


def person_of(code: str) -> Person:
    found = Person.objects.filter(unit__code=code, is_public_figure=False).order_by("pk").first()
    assert found is not None, code
    return found


def unit_urls(u: OrgUnit) -> tuple[str, str]:
    return reverse("orgunits:unit", kwargs={"pk": u.pk}), f"/api/v1/units/{u.pk}/"


def activity_urls(a: Activity) -> tuple[str, str]:
    return reverse("activities:detail", kwargs={"pk": a.pk}), f"/api/v1/activities/{a.pk}/"


def report_urls(r: Report) -> tuple[str, str]:
    return reverse("reporting:report", kwargs={"pk": r.pk}), f"/api/v1/reports/{r.pk}/"


def person_urls(p: Person) -> tuple[str, str]:
    return reverse("orgunits:person", kwargs={"pk": p.pk}), f"/api/v1/persons/{p.pk}/"


ACTION_PAGES: dict[str, Callable[[Model], str]] = {
    "edit": lambda a: reverse("activities:edit", kwargs={"pk": a.pk}),
    "manage": lambda u: reverse("orgunits:unit-edit", kwargs={"pk": u.pk}),
}


@dataclass(frozen=True)
class Case:
    kind: str
    user: str
    what: str
    record: Callable[[], Model]
    urls: Callable[[Any], tuple[str, str]]
    reads: bool
    action: str = ""
    may: bool = False

    @property
    def id(self) -> str:
        return f"{self.kind}: {self.user} · {self.what}"


CASES = [
    # vertical
    Case("vertical", "hoankiem.ccb", "the province's activity", lambda: activity_of("CCB-HANOI"), activity_urls, False),
    Case("vertical", "hoankiem.ccb", "the province's report", lambda: report_of("CCB-HANOI"), report_urls, False),
    Case("vertical", "hoankiem.ccb", "the province's unit page", lambda: unit("CCB-HANOI"), unit_urls, False),
    Case("vertical", "hoankiem.ccb", "a person of the province", lambda: person_of("CCB-HANOI"), person_urls, False),
    Case(
        "vertical",
        "hoankiem.ccb",
        "its own draft activity",
        lambda: activity_of("CCB-X00070", ActivityStatus.DRAFT),
        activity_urls,
        True,
        "edit",
        True,
    ),
    Case(
        "vertical",
        "hanoi.ccb",
        "a commune's draft activity (read, approve not yet)",
        lambda: activity_of("CCB-X00070", ActivityStatus.DRAFT),
        activity_urls,
        True,
        "approve",
        False,
    ),
    Case(
        "vertical",
        "hanoi.ccb",
        "a commune's submitted activity",
        lambda: activity_of("CCB-X00070", ActivityStatus.SUBMITTED),
        activity_urls,
        True,
        "approve",
        True,
    ),
    Case(
        "vertical",
        "hoankiem.ccb",
        "its own submitted activity (no approving one's own)",
        lambda: activity_of("CCB-X00070", ActivityStatus.SUBMITTED),
        activity_urls,
        True,
        "approve",
        False,
    ),
    Case("vertical", "hanoi.ccb", "a person of a commune", lambda: person_of("CCB-X00070"), person_urls, True),
    # counterpart
    Case("counterpart", "hanoi.ccb", "the paired unit", lambda: unit("QS-HANOI"), unit_urls, True, "manage", False),
    Case("counterpart", "hanoi.qs", "the paired unit", lambda: unit("CCB-HANOI"), unit_urls, True),
    Case("counterpart", "hoankiem.ccb", "the paired commune", lambda: unit("QS-X00070"), unit_urls, True),
    Case(
        "counterpart",
        "hanoi.ccb",
        "the commune paired with a commune of its own",
        lambda: unit("QS-X00004"),
        unit_urls,
        True,
    ),
    Case(
        "counterpart",
        "hoankiem.ccb",
        "the unit paired with the province above it",
        lambda: unit("QS-HANOI"),
        unit_urls,
        False,
    ),
    Case(
        "counterpart",
        "hanoi.ccb",
        "a joint activity it is a partner of (read, not change)",
        lambda: activity_of("QS-HANOI", partner_under="CCB-HANOI"),
        activity_urls,
        True,
        "edit",
        False,
    ),
    Case(
        "counterpart",
        "hoankiem.ccb",
        "a joint activity of the two provinces (a partner above it)",
        lambda: activity_of("QS-HANOI", partner_exactly="CCB-HANOI"),
        activity_urls,
        False,
    ),
    Case("counterpart", "hanoi.ccb", "the paired unit's report", lambda: report_of("QS-HANOI"), report_urls, False),
    # the parties' roots: each other's root totals (below), not each other's pages
    Case("party roots", "tuhoi", "the army's paired national body", lambda: unit("TCCT"), unit_urls, True),
    Case("party roots", "tcct", "the association's root", lambda: unit("CCB-TW"), unit_urls, True),
    Case("party roots", "tuhoi", "the army's root", lambda: unit("BQP"), unit_urls, False),
    Case("party roots", "tuhoi", "an army unit paired with none of its units", lambda: unit("QK1"), unit_urls, False),
    Case(
        "party roots", "tcct", "an association unit paired with none", lambda: unit("CCB-X00070-CH01"), unit_urls, False
    ),
    # cross-organisation
    Case(
        "cross-organisation",
        "hanoi.qs",
        "another province's activity",
        lambda: activity_of("CCB-CAMAU"),
        activity_urls,
        False,
    ),
    Case("cross-organisation", "camau.ccb", "the army's Hà Nội unit", lambda: unit("QS-HANOI"), unit_urls, False),
    Case("cross-organisation", "camau.ccb", "Hà Nội's report", lambda: report_of("CCB-HANOI"), report_urls, False),
    Case(
        "cross-organisation",
        "hanoi.qs",
        "a person of the association",
        lambda: person_of("CCB-X00070"),
        person_urls,
        False,
    ),
]


def status_from_perms(username: str, record: Model, action: str = "view") -> int:
    """What the page or API must answer, as the permission object sees it."""
    user = User.objects.get(username=username)
    may = perms(user).for_(record)
    if not may.can("view"):
        return 404
    if action == "view" or may.can(action):
        return 200
    return 403


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_permission_object_answers_as_the_rule_says(case: Case) -> None:
    user = User.objects.get(username=case.user)
    record = case.record()
    may = perms(user).for_(record)
    assert may.can("view") is case.reads
    if case.action:
        assert may.can(case.action) is case.may


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_page_and_the_api_answer_what_the_permission_object_answers(
    case: Case, client_as: Callable[[str], Client], api_client_as: Callable[[str], APIClient]
) -> None:
    record = case.record()
    page, api = case.urls(record)
    expected = status_from_perms(case.user, record)
    assert client_as(case.user).get(page).status_code == expected
    assert api_client_as(case.user).get(api).status_code == expected
    if isinstance(record, Report):  # the report's annex, which its page loads apart
        annex = reverse("reporting:report-annex", kwargs={"pk": record.pk, "n": 1})
        assert client_as(case.user).get(annex).status_code == expected
    if case.action in ACTION_PAGES:
        action_page = ACTION_PAGES[case.action](record)
        assert client_as(case.user).get(action_page).status_code == status_from_perms(case.user, record, case.action)


def test_it_refuses_an_approval_the_permission_object_refuses(client_as: Callable[[str], Client]) -> None:
    draft = activity_of("CCB-X00070", ActivityStatus.DRAFT)
    response = client_as("hanoi.ccb").post(reverse("activities:approve", kwargs={"pk": draft.pk}), follow=True)
    assert "Chỉ duyệt được hoạt động đã gửi." in [str(m) for m in response.context["messages"]]
    draft.refresh_from_db()
    assert draft.status == ActivityStatus.DRAFT


# --- whose figures: the counterpart rule for totals ------------------------------------------------


@pytest.mark.parametrize(
    ("username", "readable", "unreadable"),
    [
        # National co-owners: both roots; every unit paired with one of their subtrees.
        ("tuhoi", {"CCB-TW", "CCB-HANOI", "BQP", "TCCT", "QS-HANOI", "QS-X00070"}, {"QK1", "QK2"}),
        ("tcct", {"BQP", "QK1", "QS-HANOI", "CCB-TW", "CCB-HANOI"}, {"CCB-X00070-CH01"}),
        # A province: its subtree and the units paired with it; not the roots, not other provinces.
        ("hanoi.ccb", {"CCB-HANOI", "CCB-X00070", "QS-HANOI", "QS-X00004"}, {"QK1", "BQP", "CCB-TW", "CCB-CAMAU"}),
        ("hanoi.qs", {"QS-HANOI", "QS-X00070", "CCB-HANOI", "CCB-X00070"}, {"BQP", "CCB-TW", "CCB-CAMAU", "QK1"}),
        # A commune: itself and its pair; not the province above nor the province's pair.
        ("hoankiem.ccb", {"CCB-X00070", "CCB-X00070-CH01", "QS-X00070"}, {"CCB-HANOI", "QS-HANOI", "BQP"}),
        ("camau.ccb", {"CCB-CAMAU"}, {"CCB-HANOI", "QS-HANOI", "BQP", "CCB-TW"}),
    ],
)
def test_it_lets_each_user_read_the_totals_the_counterpart_rule_gives(
    demo_user: Callable[[str], Any], username: str, readable: set[str], unreadable: set[str]
) -> None:
    codes = set(figure_units(demo_user(username)).filter(code__in=readable | unreadable).values_list("code", flat=True))
    assert codes == readable


# --- user management -------------------------------------------------------------------------------


@pytest.fixture
def hanoi_admin(user_with_role: Callable[..., Any]) -> User:
    return user_with_role("hanoi.unitadmin", "CCB-HANOI")


@pytest.fixture
def commune_user(user_with_role: Callable[..., Any]) -> User:
    return user_with_role("hoankiem.viewer", "CCB-X00070", role="viewer")


def _admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_unit_admin_grants_a_role_inside_the_subtree(hanoi_admin: User, commune_user: User) -> None:
    # Up to reporter: roles above it are the system administrators' (tests/test_privileges.py).
    response = _admin_client(hanoi_admin).post(
        reverse("accounts:role-add", kwargs={"pk": commune_user.pk}),
        {"role": "reporter", "unit": unit("CCB-X00070").pk},
    )
    assert response.status_code == 302
    assert commune_user.role_assignments.filter(role="reporter", unit__code="CCB-X00070").exists()


@pytest.mark.parametrize("above", ["CCB-TW", "QS-HANOI", "CCB-CAMAU"])
def test_a_unit_admin_grants_no_role_above_or_outside_the_subtree(
    hanoi_admin: User, commune_user: User, above: str
) -> None:
    before = RoleAssignment.objects.count()
    assert not perms(hanoi_admin).reaches(unit(above), "manage")
    response = _admin_client(hanoi_admin).post(
        reverse("accounts:role-add", kwargs={"pk": commune_user.pk}), {"role": "unit_admin", "unit": unit(above).pk}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.count() == before


def test_a_unit_admin_widens_neither_their_own_rights_nor_a_system_administrators(hanoi_admin: User) -> None:
    client = _admin_client(hanoi_admin)
    own = client.post(
        reverse("accounts:role-add", kwargs={"pk": hanoi_admin.pk}), {"role": "approver", "unit": unit("CCB-HANOI").pk}
    )
    # They read their own account, and may not widen it: the form offers no role above reporter.
    assert own.status_code in (302, 403)
    superuser = User.objects.get(username="admin")
    assert client.post(reverse("accounts:password-reset", kwargs={"pk": superuser.pk})).status_code == 404
    assert client.post(reverse("accounts:user-toggle-active", kwargs={"pk": superuser.pk})).status_code == 404
    assert not hanoi_admin.role_assignments.filter(role="approver").exists()
    superuser.refresh_from_db()
    assert superuser.is_active


def test_a_unit_admin_makes_no_system_administrator(hanoi_admin: User) -> None:
    response = _admin_client(hanoi_admin).post(
        reverse("accounts:user-create"),
        {
            "username": "hoankiem.new",
            "full_name": "Nguyễn Văn Mới",
            "role": "reporter",
            "unit": unit("CCB-X00070").pk,
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code in (200, 302)
    created = User.objects.get(username="hoankiem.new")
    assert not created.is_superuser and not created.is_staff
    assert not perms(created).is_system_admin
    # Nor through the Django admin: it is for staff only, and its user pages are read-only.
    assert _admin_client(hanoi_admin).get(f"/admin/accounts/user/{created.pk}/change/").status_code == 302

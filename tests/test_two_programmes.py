"""The demo's two programmes against each other (issue 15, item 5).

The seed's programme (QDND-CCB: the army and the veterans' association, nationwide) and the
Nghệ An programme (CA-CCB-NGHEAN: Công an tỉnh Nghệ An and Hội CCB tỉnh Nghệ An, loaded by
``phoihop.demo.nghean`` through the services and the importer). A user of one programme sees
nothing of the other's activities, reports, figures and people, except what their units
share: Hội CCB tỉnh Nghệ An is a party of the second and, under the association's root, part of
the first, so ``nghean.ccb`` sees the joint work of their units in both.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client

from phoihop.accounts.models import RoleAssignment
from phoihop.activities.models import Activity
from phoihop.demo.nghean import DATA_DIR, FILES, PROGRAMME_CODE, PROGRAMME_TITLE
from phoihop.entry.models import IndicatorValue
from phoihop.orgunits.models import OrgUnit, OrgUnitPair, Person
from phoihop.programmes.models import Field, Indicator, Party, Phase, PhaseStatus, Programme, Target
from phoihop.reporting.models import Report, ReportingPeriod

pytestmark = pytest.mark.django_db

SEED = "QDND-CCB"
NA = PROGRAMME_CODE
START, END = date(2024, 12, 1), date(2026, 11, 27)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def subtree(code: str) -> Q:
    unit = OrgUnit.objects.unrestricted("a test's fixture: the subtree of a demo unit").get(code=code)
    return Q(path__startswith=unit.path)


def rows_of(kind: str) -> int:
    with (DATA_DIR / FILES[kind]).open(encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


# --- the set-up ----------------------------------------------------------------------------


def test_the_demo_has_the_nghean_programme_set_up(demo_user: Callable[[str], Any]) -> None:
    admin = demo_user("admin")
    programme = Programme.objects.restrict(admin, "view").get(code=NA)
    assert programme.title == PROGRAMME_TITLE
    parties = Party.objects.restrict(admin, "view").filter(programme=programme)
    assert {p.representative_unit.code for p in parties} == {"CA-NGHEAN", "CCB-NGHEAN"}
    assert {p.root_unit.code for p in parties} == {"CA-NGHEAN", "CCB-NGHEAN"}
    phases = {p.code: p for p in Phase.objects.restrict(admin, "view").filter(programme=programme)}
    assert {code: p.status for code, p in phases.items()} == {
        "2021-2026": PhaseStatus.CLOSED,
        "2026-2031": PhaseStatus.ACTIVE,
    }
    assert phases["2021-2026"].end < phases["2026-2031"].start
    assert Field.objects.restrict(admin, "view").filter(programme=programme).count() == 4
    codes = set(Indicator.objects.restrict(admin, "view").filter(programme=programme).values_list("code", flat=True))
    assert {"to-tu-quan", "tuan-tra-luot", "hoa-giai-thanh", "tt-buoi"} <= codes
    targets = Target.objects.restrict(admin, "view").filter(phase__programme=programme)
    assert set(targets.values_list("unit__code", flat=True)) == {"CA-NGHEAN", "CCB-NGHEAN"}
    assert targets.filter(phase__code="2026-2031").count() == targets.filter(phase__code="2021-2026").count() > 0
    # Written by the services: each set-up record has its history row, by the system administrator.
    assert programme.history.filter(history_user=admin).exists()


def test_the_police_tree_holds_the_communes_of_the_state_list_each_paired(demo_user: Callable[[str], Any]) -> None:
    admin = demo_user("admin")
    units = OrgUnit.objects.restrict(admin, "view")
    police = units.get(code="CA-NGHEAN")
    assert police.organisation.code == "cand"
    assert police.is_root() and police.level.code == "tinh"
    communes = units.filter(subtree("CA-NGHEAN"), depth=police.depth + 1)
    assert communes.count() == rows_of("units") == 130
    assert set(communes.values_list("level__code", flat=True)) == {"xa"}
    sample = communes.get(code="CA-X16681")
    assert sample.name == "Công an phường Thành Vinh"
    assert sample.area.code == "16681"
    pairs = OrgUnitPair.objects.restrict(admin, "view").filter(unit_a__in=communes)
    assert pairs.count() == 130
    assert all(p.unit_b.code == "CCB-X" + p.unit_a.code.removeprefix("CA-X") for p in pairs)
    assert OrgUnitPair.objects.restrict(admin, "view").filter(unit_a=police, unit_b__code="CCB-NGHEAN").exists()


def test_the_nghean_users_and_their_roles(demo_user: Callable[[str], Any]) -> None:
    ca, ccb = demo_user("nghean.ca"), demo_user("nghean.ccb")
    assert ca.check_password("phoihop-demo") and ccb.check_password("phoihop-demo")
    roles = RoleAssignment.objects.restrict(demo_user("admin"), "view")
    assert set(roles.filter(user=ca).values_list("unit__code", "role")) == {
        ("CA-NGHEAN", "approver"),
        ("CA-NGHEAN", "unit_admin"),
    }
    assert set(roles.filter(user=ccb).values_list("unit__code", "role")) == {("CCB-NGHEAN", "approver")}


def test_two_years_of_activities_came_in_through_the_importer(demo_user: Callable[[str], Any]) -> None:
    admin = demo_user("admin")
    activities = Activity.objects.restrict(admin, "view").filter(phase__programme__code=NA)
    assert activities.count() == rows_of("activities") >= 300
    assert not activities.filter(external_id="").exists()
    assert activities.filter(phase__code="2021-2026").exists() and activities.filter(phase__code="2026-2031").exists()
    assert activities.filter(start_date__lt=date(2025, 1, 1)).exists()
    assert activities.filter(lead_unit__code__startswith="CA-X").exists()
    values = IndicatorValue.objects.restrict(admin, "view").filter(activity__in=activities)
    assert values.count() > activities.count() // 2
    assert Person.objects.restrict(admin, "view").filter(unit__code="CA-NGHEAN").count() >= 2


def test_the_closed_phase_has_its_joint_summary_sent_and_approved_on_both_sides(
    demo_user: Callable[[str], Any],
) -> None:
    ca = demo_user("nghean.ca")
    periods = ReportingPeriod.objects.restrict(ca, "view").filter(programme__code=NA)
    assert periods.filter(phase__code="2021-2026").exists() and periods.filter(phase__code="2026-2031").exists()
    report = Report.objects.restrict(ca, "view").get(period__programme__code=NA, period__phase__code="2021-2026")
    assert report.unit.code == "CA-NGHEAN"
    assert report.partner_unit.code == "CCB-NGHEAN"
    # Sent, and approved on both sides: the police's own approver, Trung ương Hội for the
    # association's part. Each side's lock holds for this programme only (ADR 0022).
    assert report.status == "approved" and report.number
    police = OrgUnit.objects.restrict(ca, "view").get(code="CA-NGHEAN")
    veterans = OrgUnit.objects.get(code="CCB-NGHEAN")
    assert [a["unit"] for a in report.approvals] == [police.pk, veterans.pk]
    locks = report.locks.all()
    assert {(lock.unit.code, lock.programme.code) for lock in locks} == {("CA-NGHEAN", NA), ("CCB-NGHEAN", NA)}
    assert Report.objects.restrict(demo_user("nghean.ccb"), "view").filter(pk=report.pk).exists()
    # Its notable activities are the programme's own, never the seed's (Hội CCB tỉnh Nghệ An leads
    # activities in both programmes over the same years).
    listed = {a["id"] for a in report.frozen["activities"]}
    assert listed
    own = Activity.objects.restrict(ca, "view").filter(phase__programme__code=NA, pk__in=listed)
    assert own.count() == len(listed)


# --- a user of one programme sees nothing of the other ----------------------------------------


def test_the_police_user_sees_nothing_of_the_seeds_programme(demo_user: Callable[[str], Any]) -> None:
    ca = demo_user("nghean.ca")
    assert Activity.objects.restrict(ca, "view").filter(phase__programme__code=NA).count() == rows_of("activities")
    assert not Activity.objects.restrict(ca, "view").filter(phase__programme__code=SEED).exists()
    assert not Report.objects.restrict(ca, "view").filter(period__programme__code=SEED).exists()
    assert not IndicatorValue.objects.restrict(ca, "view").filter(indicator__programme__code=SEED).exists()
    # People: their own side's; of the other programme only the public figures everyone sees.
    people = Person.objects.restrict(ca, "view")
    assert people.filter(unit__code="CA-NGHEAN").exists()
    assert not people.filter(is_public_figure=False).exclude(unit__organisation__code="cand").exists()
    client = client_of(ca)
    for unit in ("CCB-HANOI", "CCB-NGHEAN", "QS-NGHEAN", "CCB-TW"):
        answer = client.get("/api/v1/figures/", {"unit": unit, "start": START, "end": END, "programme": SEED})
        assert answer.status_code in (400, 404), unit
    listed = client.get("/api/v1/activities/", {"page_size": 1}).json()
    assert listed["count"] == rows_of("activities")
    assert client.get("/api/v1/reports/").json()["count"] == Report.objects.restrict(ca, "view").count()
    seed_activity = Activity.objects.restrict(demo_user("admin"), "view").filter(phase__programme__code=SEED).first()
    assert client.get(f"/api/v1/activities/{seed_activity.pk}/").status_code == 404
    assert client.get(f"/activities/{seed_activity.pk}/").status_code == 404


@pytest.mark.parametrize("username", ["hanoi.ccb", "camau.ccb", "hanoi.qs", "hoankiem.ccb"])
def test_users_of_the_seeds_programme_see_nothing_of_nghean(demo_user: Callable[[str], Any], username: str) -> None:
    user = demo_user(username)
    assert not Activity.objects.restrict(user, "view").filter(phase__programme__code=NA).exists()
    assert not Report.objects.restrict(user, "view").filter(period__programme__code=NA).exists()
    assert not IndicatorValue.objects.restrict(user, "view").filter(indicator__programme__code=NA).exists()
    assert not Person.objects.restrict(user, "view").filter(unit__organisation__code="cand").exists()
    client = client_of(user)
    for unit in ("CA-NGHEAN", "CA-X16681", "CCB-NGHEAN"):
        answer = client.get("/api/v1/figures/", {"unit": unit, "start": START, "end": END, "programme": NA})
        assert answer.status_code in (400, 404), unit
    na_activity = Activity.objects.restrict(demo_user("admin"), "view").filter(phase__programme__code=NA).first()
    assert client.get(f"/api/v1/activities/{na_activity.pk}/").status_code == 404
    assert client.get(f"/activities/{na_activity.pk}/").status_code == 404
    na_report = Report.objects.restrict(demo_user("admin"), "view").filter(period__programme__code=NA).first()
    assert client.get(f"/api/v1/reports/{na_report.pk}/").status_code == 404


def test_the_veterans_user_of_both_programmes_sees_what_their_units_share(demo_user: Callable[[str], Any]) -> None:
    ccb = demo_user("nghean.ccb")
    mine = subtree("CCB-NGHEAN")
    activities = Activity.objects.restrict(ccb, "view")
    # The Nghệ An programme: every activity has the association (or a commune's) as lead or partner.
    assert activities.filter(phase__programme__code=NA).count() == rows_of("activities")
    # The seed's programme: only the activities of their own subtree, none of another province.
    seed = activities.filter(phase__programme__code=SEED)
    assert seed.exists()
    root = OrgUnit.objects.restrict(ccb, "view").get(code="CCB-NGHEAN").path
    units = OrgUnit.objects.restrict(ccb, "view").filter(mine)
    shared = seed.filter(Q(lead_unit__in=units) | Q(partners__in=units)).distinct()
    assert shared.count() == seed.count()
    assert all(path.startswith(root) for path in units.values_list("path", flat=True))
    assert not seed.filter(lead_unit__code__in=["CCB-HANOI", "QS-HANOI", "CCB-CAMAU"]).exists()
    assert not Report.objects.restrict(ccb, "view").filter(unit__code__in=["CCB-HANOI", "QS-HANOI"]).exists()
    client = client_of(ccb)
    for programme in (NA, SEED):
        answer = client.get(
            "/api/v1/figures/", {"unit": "CCB-NGHEAN", "start": START, "end": END, "programme": programme}
        )
        assert answer.status_code == 200, programme
        assert answer.json()["programme"] == programme
    assert client.get("/api/v1/figures/", {"unit": "CCB-HANOI", "start": START, "end": END}).status_code == 404
    # The police user sees the same joint activities of the Nghệ An programme.
    ca_ids = set(
        Activity.objects.restrict(demo_user("nghean.ca"), "view")
        .filter(phase__programme__code=NA)
        .values_list("pk", flat=True)
    )
    assert ca_ids == set(activities.filter(phase__programme__code=NA).values_list("pk", flat=True))


def test_the_dashboard_of_each_side_shows_the_nghean_programme(demo_user: Callable[[str], Any]) -> None:
    for username, code in (("nghean.ca", "CA-NGHEAN"), ("nghean.ccb", "CCB-NGHEAN")):
        user = demo_user(username)
        unit = OrgUnit.objects.restrict(user, "view").get(code=code)
        answer = client_of(user).get(f"/figures/unit/{unit.pk}/", {"programme": NA})
        assert answer.status_code == 200, username
        assert PROGRAMME_TITLE in answer.content.decode() or NA in answer.content.decode()
        figures = client_of(user).get("/api/v1/figures/", {"unit": code, "start": START, "end": END, "programme": NA})
        assert figures.status_code == 200
        assert sum(v for v in figures.json()["values"].values() if v) > 0, username

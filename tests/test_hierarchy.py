"""The demo's unit trees match the state's administrative list, before and after 1/7/2025.

Both sides (the army's ``qdnd`` and the association's ``ccb``) hold one unit per 2025 province
and commune, the 63 pre-2025 provinces up to 30/6/2025, counterpart pairs on the same area,
and a tree treebeard finds sound. Loading the demo again changes nothing and writes no history.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F

from phoihop.accounts.models import RoleAssignment, User
from phoihop.orgunits.models import AdminArea, AdminAreaKind, OrgUnit, OrgUnitPair, Person

pytestmark = pytest.mark.django_db

SIDES = ["qdnd", "ccb"]
LAST_OLD_DAY = date(2025, 6, 30)
REFORM_DAY = date(2025, 7, 1)


def provinces(org: str):
    return OrgUnit.objects.filter(organisation__code=org, level__code="province")


def communes(org: str):
    return OrgUnit.objects.filter(organisation__code=org, level__code="commune")


@pytest.mark.parametrize("org", SIDES)
def test_it_has_34_provincial_units_on_each_side_in_2026(org: str) -> None:
    assert provinces(org).active_on(date(2026, 1, 1)).count() == 34


@pytest.mark.parametrize("org", SIDES)
def test_it_had_63_provincial_units_on_each_side_before_the_reform(org: str) -> None:
    assert provinces(org).active_on(LAST_OLD_DAY).count() == 63


@pytest.mark.parametrize("org", SIDES)
def test_it_has_3321_commune_units_on_each_side(org: str) -> None:
    assert communes(org).count() == 3321
    assert communes(org).active_on(date(2026, 1, 1)).count() == 3321
    assert communes(org).active_on(LAST_OLD_DAY).count() == 0


@pytest.mark.parametrize("org", SIDES)
def test_it_gives_commune_units_areas_of_the_three_commune_kinds(org: str) -> None:
    kinds = {kind: communes(org).filter(area__kind=kind).count() for kind in AdminAreaKind.values}
    assert kinds == {
        AdminAreaKind.COMMUNE: 2621,
        AdminAreaKind.WARD: 687,
        AdminAreaKind.SPECIAL_ZONE: 13,
        AdminAreaKind.CITY: 0,
        AdminAreaKind.PROVINCE: 0,
    }
    assert not communes(org).filter(area__isnull=True).exists()


@pytest.mark.parametrize("org", SIDES)
def test_it_puts_every_commune_under_the_unit_of_its_province(org: str) -> None:
    province_by_path = {u.path: u for u in provinces(org).select_related("area")}
    checked = 0
    for unit in communes(org).select_related("area"):
        parent = province_by_path.get(unit.path[: -OrgUnit.steplen])
        assert parent is not None, f"{unit.code} is not under a provincial unit"
        assert parent.area_id == unit.area.parent_id, (
            f"{unit.code} ({unit.area}) is under {parent.code} ({parent.area})"
        )
        assert parent.is_active_on(REFORM_DAY), f"{unit.code} is under {parent.code}, closed before the communes opened"
        checked += 1
    assert checked == 3321


def test_it_pairs_only_units_of_the_same_area() -> None:
    pairs = OrgUnitPair.objects.select_related("unit_a", "unit_b")
    assert pairs.count() > 3321
    mismatched = pairs.exclude(unit_a__area=F("unit_b__area")).exclude(
        unit_a__area__isnull=True, unit_b__area__isnull=True
    )
    assert list(mismatched.values_list("unit_a__code", "unit_b__code")) == []
    assert not pairs.filter(unit_a__organisation=F("unit_b__organisation")).exists()


@pytest.mark.parametrize("org", SIDES)
def test_it_pairs_every_provincial_and_commune_unit_with_its_counterpart(org: str) -> None:
    units = OrgUnit.objects.filter(organisation__code=org, level__code__in=["province", "commune"])
    side = "unit_a" if org == "qdnd" else "unit_b"
    paired = set(OrgUnitPair.objects.values_list(f"{side}_id", flat=True))
    assert sorted(units.exclude(pk__in=paired).values_list("code", flat=True)) == []


@pytest.mark.parametrize("org", SIDES)
def test_it_hands_every_closed_province_to_an_open_successor(org: str) -> None:
    closed = provinces(org).filter(valid_to=LAST_OLD_DAY).select_related("successor")
    assert closed.count() == 63 - 34
    for unit in closed:
        assert unit.successor is not None, unit.code
        assert unit.successor.is_active_on(REFORM_DAY), f"{unit.code} -> {unit.successor.code}"
        assert unit.successor.valid_to is None, f"{unit.code} -> {unit.successor.code}"
        assert unit.successor.level_id == unit.level_id
        assert unit.succession_kind, unit.code
        assert unit.succession_date == REFORM_DAY, unit.code


def test_it_closes_hoa_binh_into_phu_tho() -> None:
    unit = OrgUnit.objects.select_related("successor").get(code="CCB-HOABINH")
    assert unit.valid_to == LAST_OLD_DAY
    assert unit.successor.code == "CCB-PHUTHO"
    assert not unit.is_active_on(REFORM_DAY)


def test_it_gives_hanoi_association_126_communes() -> None:
    hanoi = OrgUnit.objects.get(code="CCB-HANOI")
    children = OrgUnit.objects.filter(path__startswith=hanoi.path, depth=hanoi.depth + 1)
    assert children.count() == 126
    assert set(children.values_list("level__code", flat=True)) == {"commune"}
    assert hanoi.numchild == 126


def test_it_gives_hoan_kiem_association_four_branches() -> None:
    hoan_kiem = OrgUnit.objects.get(code="CCB-X00070")
    branches = OrgUnit.objects.filter(path__startswith=hoan_kiem.path, depth=hoan_kiem.depth + 1)
    assert sorted(branches.values_list("code", flat=True)) == [f"CCB-X00070-CH0{i}" for i in range(1, 5)]


def test_it_has_no_tree_problems() -> None:
    problems = OrgUnit.objects.find_problems()
    assert problems == ([], [], [], [], [])


def test_it_refuses_to_move_a_unit_the_old_way() -> None:
    unit = OrgUnit.objects.get(code="CCB-X00070")
    target = OrgUnit.objects.get(code="CCB-CAMAU")
    with pytest.raises(ValidationError):
        unit.move(target, "last-child")
    assert OrgUnit.objects.get(pk=unit.pk).path == unit.path


def test_it_refuses_to_move_a_unit_through_the_manager() -> None:
    """treebeard 7 moves nodes with ``OrgUnit.objects.move(node, target, pos)``."""
    unit = OrgUnit.objects.get(code="CCB-X00070")
    target = OrgUnit.objects.get(code="CCB-CAMAU")
    paths = dict(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", "path"))
    with pytest.raises(ValidationError):
        OrgUnit.objects.move(unit, target, "last-child")
    assert dict(OrgUnit.objects.filter(pk__in=paths).values_list("pk", "path")) == paths


def _history_counts() -> dict[str, int]:
    models = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    assert len(models) >= 10
    return {m._meta.label: m.objects.count() for m in models}


def _counts() -> dict[str, int]:
    return {
        "areas": AdminArea.objects.count(),
        "units": OrgUnit.objects.count(),
        "pairs": OrgUnitPair.objects.count(),
        "people": Person.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
    }


def test_it_loads_the_demo_again_without_changing_anything() -> None:
    counts, history = _counts(), _history_counts()
    units = dict(OrgUnit.objects.values_list("code", "path"))
    assert counts["units"] > 6000 and sum(history.values()) > 6000

    call_command("load_demo", allow_production=True, verbosity=0)

    assert _counts() == counts
    assert _history_counts() == history
    assert dict(OrgUnit.objects.values_list("code", "path")) == units

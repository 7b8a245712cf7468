"""The gate: a read of a scoped model that skipped restrict() fails loudly in tests and under
DEBUG, and is logged in production; deliberate exceptions are marked where they happen."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from phoihop.activities.models import Activity
from phoihop.core.gate import STRUCTURE, UnscopedRead, system_job
from phoihop.orgunits.models import Organisation, OrgUnit

pytestmark = pytest.mark.django_db


def app_code(source: str) -> Callable[..., Any]:
    """A function that runs as application code (its module is ``phoihop.…``), as a view or a
    service would; ``source`` is its body, with ``Activity``, ``OrgUnit`` and ``user`` at hand."""
    body = "\n".join(f"    {line}" for line in source.strip().splitlines())
    namespace: dict[str, Any] = {
        "__name__": "phoihop.example_views",
        "Activity": Activity,
        "OrgUnit": OrgUnit,
        "Organisation": Organisation,
        "STRUCTURE": STRUCTURE,
    }
    exec(compile(f"def run(user=None):\n{body}\n", "phoihop/example_views.py", "exec"), namespace)
    run: Callable[..., Any] = namespace["run"]
    return run


def test_it_refuses_a_read_of_a_scoped_model_that_skipped_restrict() -> None:
    read = app_code("return list(Activity.objects.filter(title__contains='a')[:3])")
    with pytest.raises(UnscopedRead, match=r"Activity read at phoihop.example_views:2"):
        read()


@pytest.mark.parametrize(
    "evaluation",
    [
        "return Activity.objects.count()",
        "return Activity.objects.filter(pk__gt=0).exists()",
        "return Activity.objects.first()",
        "return Activity.objects.get(pk=OrgUnit.objects.restrict(user).values_list('pk', flat=True)[0])",
        "return Activity.objects.values_list('pk', flat=True)[0]",
        "return list(Activity.objects.iterator())",
        "from django.db.models import Count\nreturn Activity.objects.aggregate(n=Count('pk'))",
        "return Activity.objects.in_bulk([1])",
    ],
)
def test_it_notices_every_way_of_reading(evaluation: str, demo_user: Callable[[str], Any]) -> None:
    with pytest.raises(UnscopedRead):
        app_code(evaluation)(demo_user("hanoi.ccb"))


def test_it_lets_a_restricted_read_through_and_keeps_the_mark_through_the_chain(
    demo_user: Callable[[str], Any],
) -> None:
    read = app_code("return list(Activity.objects.restrict(user, 'view').filter(status='approved').order_by('pk')[:5])")
    assert read(demo_user("hanoi.ccb"))


def test_it_lets_a_marked_exception_through_and_asks_for_its_reason() -> None:
    # The demo's roots: BQP, CCB-TW and Công an tỉnh Nghệ An (the second programme's police).
    assert app_code("return OrgUnit.objects.unrestricted(STRUCTURE).filter(depth=1).count()")() == 3
    with pytest.raises(ValueError, match="needs a reason"):
        app_code("return OrgUnit.objects.unrestricted('  ').count()")()


def test_it_lets_a_system_job_read_everything() -> None:
    read = app_code("return OrgUnit.objects.filter(depth=1).count()")
    with system_job("a test of the system job"):
        assert read() == 3
    with pytest.raises(UnscopedRead):
        read()


def test_it_unmarks_a_union_with_an_unmarked_queryset(demo_user: Callable[[str], Any]) -> None:
    read = app_code("return list(OrgUnit.objects.restrict(user, 'view') | OrgUnit.objects.filter(depth=1))")
    with pytest.raises(UnscopedRead):
        read(demo_user("hoankiem.ccb"))


def test_it_lets_related_reads_of_an_object_already_read_through(demo_user: Callable[[str], Any]) -> None:
    read = app_code(
        "activity = Activity.objects.restrict(user, 'view').exclude(partner_links=None).first()\n"
        "return list(activity.partners.all()), list(activity.values.all())"
    )
    partners, values = read(demo_user("hanoi.ccb"))
    assert partners and values is not None


def test_it_leaves_reference_data_and_the_tests_own_reads_alone() -> None:
    assert app_code("return Organisation.objects.count()")() == 3  # reference data: no gate
    assert OrgUnit.objects.filter(depth=1).count() == 3  # made here, in a test


def test_it_only_logs_in_production(caplog: pytest.LogCaptureFixture) -> None:
    read = app_code("return OrgUnit.objects.filter(depth=1).count()")
    with override_settings(PHOIHOP_GATE="log"), caplog.at_level(logging.ERROR, logger="phoihop.gate"):
        assert read() == 3
    assert "OrgUnit read at phoihop.example_views:2 without restrict" in caplog.text

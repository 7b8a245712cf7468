"""The import's bulk writer (phoihop.imports.bulk.Writer): on PostgreSQL the rows are written in
a thread of their own on the transaction's connection while the import works on; what it writes,
what an error does, and what the transaction looks like afterwards must be as if written inline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from phoihop.activities.models import Activity, ActivityPartner
from phoihop.core.gate import INTEGRITY
from phoihop.imports.bulk import Writer
from phoihop.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
REASON = "Nhập từ tệp (kiểm thử)"


@pytest.fixture
def admin(demo_user: Any) -> Any:
    return demo_user("admin")


def _activity_and_free_units(count: int) -> tuple[Activity, list[OrgUnit]]:
    activity = Activity.objects.unrestricted(INTEGRITY).order_by("pk").first()
    assert activity is not None
    taken = set(ActivityPartner.objects.filter(activity=activity).values_list("unit_id", flat=True))
    taken.add(activity.lead_unit_id)
    units = list(OrgUnit.objects.unrestricted(INTEGRITY).exclude(pk__in=taken).order_by("pk")[:count])
    assert len(units) == count
    return activity, units


def _links(activity: Activity, units: list[OrgUnit]) -> list[dict[str, Any]]:
    return [{"activity_id": activity.pk, "unit_id": u.pk} for u in units]


def test_rows_land_in_order_with_their_history_and_keys(admin: Any) -> None:
    activity, units = _activity_and_free_units(5)
    with Writer() as writer:
        first = writer.insert_with_history(
            ActivityPartner, _links(activity, units[:3]), user=admin, reason=REASON, when=WHEN
        )
        ids = writer.keys(first)
        writer.insert_with_history(ActivityPartner, _links(activity, units[3:]), user=admin, reason=REASON, when=WHEN)
    assert len(ids) == 3 and ids == sorted(ids)
    stored = dict(ActivityPartner.objects.filter(activity=activity, unit__in=units).values_list("unit_id", "pk"))
    assert [stored[u.pk] for u in units[:3]] == ids
    assert len(stored) == 5
    history = ActivityPartner.history.filter(id__in=stored.values())
    assert history.count() == 5
    assert {(h.history_type, h.history_change_reason, h.history_user_id, h.history_date) for h in history} == {
        ("+", REASON, admin.pk, WHEN)
    }
    assert {h.activity_id for h in history} == {activity.pk}


def test_a_failed_insert_raises_djangos_error_and_writes_nothing_after_it(admin: Any) -> None:
    activity, units = _activity_and_free_units(3)
    ActivityPartner.objects.create(activity=activity, unit=units[0])
    before = ActivityPartner.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        with Writer() as writer:
            # The unit is a partner already: the unique (activity, unit) constraint refuses it.
            writer.insert_with_history(
                ActivityPartner, _links(activity, units[:2]), user=admin, reason=REASON, when=WHEN
            )
            later = writer.insert_with_history(
                ActivityPartner, _links(activity, units[2:]), user=admin, reason=REASON, when=WHEN
            )
            writer.keys(later)  # the error of the failed insert, not a wait for ever
    # The transaction goes on, as after any database error rolled back to its savepoint.
    assert ActivityPartner.objects.count() == before
    assert not ActivityPartner.objects.filter(activity=activity, unit__in=units[1:]).exists()


def test_an_error_of_the_caller_drops_what_is_queued_and_rolls_back(admin: Any) -> None:
    activity, units = _activity_and_free_units(4)
    before = ActivityPartner.objects.count()
    with pytest.raises(ValueError, match="stop"), transaction.atomic():
        with Writer() as writer:
            writer.insert_with_history(ActivityPartner, _links(activity, units), user=admin, reason=REASON, when=WHEN)
            raise ValueError("stop")
    assert ActivityPartner.objects.count() == before
    assert not ActivityPartner.history.filter(activity_id=activity.pk, unit_id__in=[u.pk for u in units]).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deferred foreign keys are PostgreSQL's")
def test_foreign_keys_are_deferred_again_after_the_writer(admin: Any) -> None:
    """The writer checks its own rows' foreign keys as it writes them; the rest of the transaction
    keeps Django's deferred checks (a row may point to one written later, until the commit)."""
    activity, units = _activity_and_free_units(1)
    with Writer() as writer:
        writer.insert_with_history(ActivityPartner, _links(activity, units), user=admin, reason=REASON, when=WHEN)
    table = ActivityPartner._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} (activity_id, unit_id) VALUES (-1, %s)", [units[0].pk])  # accepted
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # now it is checked

"""Names of units as they were on a day: the one home of the rule documents follow ("names of
units as they were on the document's date, written in full").

A unit's current name is ``OrgUnit.name``; the names it bore before are ``UnitName`` rows, each
over a range of days. On a day one of them covers, the unit is named by it; on any other day
(the current name's time, or a day before any recorded name) by ``OrgUnit.name``. Both
readers give full names; the short names are the web pages' own.

Unit names are what every reader of a unit already read may see (its breadcrumbs, a document
that names it): the reads here are the system's, with the reason ``STRUCTURE``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from phoihop.core.gate import STRUCTURE
from phoihop.orgunits.models import OrgUnit, UnitName


def dated_name(day: date) -> Coalesce:
    """An expression for a query of units that gives each unit's full name on ``day``: the
    earlier name in force then, else its name (``names_on``; a query that reads units by
    other columns, such as paths, annotates with it)."""
    earlier = (
        UnitName.objects.unrestricted(STRUCTURE)
        .filter(unit_id=OuterRef("pk"))
        .active_on(day)
        .order_by("-valid_from")
        .values("name")[:1]
    )
    return Coalesce(Subquery(earlier), F("name"))


def name_on(unit: OrgUnit, day: date) -> str:
    """The unit's full name on ``day`` (one query)."""
    earlier = (
        UnitName.objects.unrestricted(STRUCTURE)
        .filter(unit_id=unit.pk)
        .active_on(day)
        .order_by("-valid_from")
        .values_list("name", flat=True)
        .first()
    )
    return earlier or unit.name


def names_on(unit_ids: Iterable[int], day: date) -> dict[int, str]:
    """The full names on ``day`` of the units ``unit_ids``, by id, in one query."""
    ids = sorted(set(unit_ids))
    if not ids:
        return {}
    rows: Any = (
        OrgUnit.objects.unrestricted(STRUCTURE)
        .filter(pk__in=ids)
        .annotate(dated=dated_name(day))
        .order_by()
        .values_list("pk", "dated")
    )
    return dict(rows)


def current_name_start(unit: OrgUnit) -> date | None:
    """The first day of the unit's current name: the day after its last earlier name ended,
    else the unit's own start (``None``: not known)."""
    last = (
        UnitName.objects.unrestricted(STRUCTURE)
        .filter(unit_id=unit.pk, valid_to__isnull=False)
        .order_by("-valid_to")
        .values_list("valid_to", flat=True)
        .first()
    )
    if last is not None:
        return date.fromordinal(last.toordinal() + 1)
    return unit.valid_from

"""Searchable pickers of units and people (core/widgets.py), and the labels they show.

A label says which unit or person it is without a code: "Hội CCB phường Hoàn Kiếm · Cấp xã ·
Hà Nội". The autocomplete endpoints (orgunits/views.py) answer with the same labels.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from phoihop.core.forms import IdsChoiceField
from phoihop.core.text import fold
from phoihop.core.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from phoihop.orgunits.models import OrgUnit, Person

UNIT_RELATED = ("level", "area", "area__parent")
PERSON_RELATED = ("unit", "unit__level")


def unit_province(unit: OrgUnit) -> str:
    """The province (or centrally run city) the unit sits in, from its administrative area."""
    area = unit.area if unit.area_id else None
    while area is not None and not area.is_province:
        area = area.parent if area.parent_id else None
    return area.name if area is not None else ""


def unit_label(unit: OrgUnit) -> str:
    parts = [unit.name]
    if unit.level_id:
        parts.append(str(unit.level.name))
    province = unit_province(unit)
    if province and fold(province) not in fold(unit.name):
        parts.append(province)
    return " · ".join(parts)


def person_label(person: Person) -> str:
    name = person.title_line
    where = person.unit.name if person.unit_id and person.unit else person.affiliation
    return f"{name} · {where}" if where else name


def unit_results(units: QuerySet[OrgUnit] | list[OrgUnit]) -> list[dict[str, Any]]:
    rows = []
    for unit in units:
        label = unit_label(unit)
        rows.append(
            {"id": unit.pk, "text": label, "search": fold(f"{label} {unit.code}"), "code": unit.code, "name": unit.name}
        )
    return rows


def person_results(people: QuerySet[Person] | list[Person]) -> list[dict[str, Any]]:
    rows = []
    for person in people:
        label = person_label(person)
        rows.append({"id": person.pk, "text": label, "search": fold(label), "name": person.full_name})
    return rows


def UnitPicker(
    *, action: str = "view", multiple: bool = False, attrs: dict[str, Any] | None = None, **filters: Any
) -> AutocompleteSelect | AutocompleteSelectMultiple:
    """A unit picker over ``orgunits:autocomplete``: units in the user's scope for ``action``.

    ``filters`` narrow the answers: ``organisation`` (code), ``level`` (code), ``active`` (a date),
    ``open=1`` (units not closed today), ``parent`` (code or id), as in the units' list, and
    ``max_depth`` (the upper levels of the tree only).
    """
    cls = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    return cls(
        url="orgunits:autocomplete",
        params={"action": action, **filters},
        label=unit_label,
        select_related=UNIT_RELATED,
        attrs=attrs,
    )


def PersonPicker(
    *, action: str = "view", multiple: bool = False, attrs: dict[str, Any] | None = None, **filters: Any
) -> AutocompleteSelect | AutocompleteSelectMultiple:
    """A person picker over ``orgunits:person-autocomplete``: people the user may see for ``action``.

    ``filters``: ``unit`` (a unit code: that unit and the units below it).
    """
    cls = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    return cls(
        url="orgunits:person-autocomplete",
        params={"action": action, **filters},
        label=person_label,
        select_related=PERSON_RELATED,
        attrs=attrs,
    )


class UnitChoiceField(forms.ModelChoiceField):
    """A unit chosen with a picker (its id); a unit code is taken too, for links such as
    ``?unit=CCB-HANOI`` and for API-like clients, and is shown as that unit."""

    def _by_code(self, value: Any) -> Any:
        if isinstance(value, str) and value and not value.isdigit():
            unit = self.queryset.filter(code__iexact=value.strip()).only("pk").first()  # type: ignore[union-attr]
            return unit.pk if unit is not None else value
        return value

    def to_python(self, value: Any) -> Any:
        return super().to_python(self._by_code(value))

    def prepare_value(self, value: Any) -> Any:
        return super().prepare_value(self._by_code(value))


class UnitsChoiceField(IdsChoiceField):
    """Several units chosen with a picker (their ids), in the order chosen (a split's first
    successor takes the figures); unit codes are taken too, as ``UnitChoiceField`` does."""

    def _by_codes(self, value: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            return value
        codes = [v.strip() for v in value if isinstance(v, str) and v.strip() and not v.strip().isdigit()]
        if not codes:
            return list(value)
        found = {
            code.upper(): pk
            for code, pk in self.queryset.filter(code__in=codes).values_list("code", "pk")  # type: ignore[union-attr]
        }
        return [found.get(v.strip().upper(), v) if isinstance(v, str) else v for v in value]

    def clean(self, value: Any) -> Any:
        value = self._by_codes(value)
        chosen = super().clean(value)
        by_pk = {unit.pk: unit for unit in chosen}
        order = [int(v) for v in value or [] if str(v).isdigit() and int(v) in by_pk]
        return [by_pk[pk] for pk in dict.fromkeys(order)]

    def prepare_value(self, value: Any) -> Any:
        return super().prepare_value(self._by_codes(value))

"""Fields and pieces every app's API shares: records named by code or id, looked up in scope.

A code or id the user may not see is "not found" (a 400 on the field), exactly like one that
does not exist, so an answer never tells which records exist outside the user's scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from phoihop.core.gate import PROGRAMME_DATA
from phoihop.entry.models import MAX_VALUE
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Field, Indicator, Phase, Programme
from phoihop.programmes.selectors import programmes_covering

UNIT_NOT_FOUND = gettext_lazy("Không tìm thấy đơn vị có mã “{value}”.")
# Ids in paths are numbers, codes letters, digits and dashes; anything else is a 404 from the
# router, never a question to the database.
ID_PATTERN = "[0-9]+"
CODE_PATTERN = "[A-Za-z0-9_-]+"
# Ids fit a 32-bit integer column: a larger number in a query is refused (400), never a 500.
MAX_ID = 2**31 - 1


def choices_text(choices: Any) -> str:
    """ "draft (Nháp); sent (Đã gửi)": the values a filter takes, for its description."""
    return "; ".join(f"{value} ({label})" for value, label in choices)


def code_ref(label: Any, *, allow_null: bool = False) -> serializers.SlugRelatedField[Any]:
    """A related record shown by its code, read only."""
    return serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=allow_null, label=label)


def unit_dict(unit: OrgUnit | None) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


class UnitBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


# Characters no code holds, which PostgreSQL refuses in a query (NUL) or which never come typed.
_CONTROL = re.compile("[\x00-\x1f\x7f]")


class _CodeLookup(serializers.SlugRelatedField):
    """A related record given by its code: a code with a control character (NUL, which
    PostgreSQL refuses in a query) is "invalid" before any lookup, never a 500."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or _CONTROL.search(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class UnitCodeField(_CodeLookup):
    """A unit given and shown by its code, looked up among the units the user may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {}).update(
            {"does_not_exist": UNIT_NOT_FOUND, "invalid": gettext_lazy("Mã đơn vị không hợp lệ.")}
        )
        # The empty queryset names the model for the schema; the real one depends on the user.
        super().__init__(slug_field="code", queryset=OrgUnit.objects.none(), **kwargs)

    def get_queryset(self) -> QuerySet[OrgUnit]:
        request = self.context.get("request")
        return OrgUnit.objects.restrict(request.user if request else None, "view")


class ProgrammeCodeField(_CodeLookup):
    """A programme given by its code, among the programmes the user takes part in."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {}).update(
            {
                "does_not_exist": gettext_lazy("Không tìm thấy chương trình có mã “{value}”."),
                "invalid": gettext_lazy("Mã chương trình không hợp lệ."),
            }
        )
        super().__init__(slug_field="code", queryset=Programme.objects.none(), **kwargs)

    def get_queryset(self) -> QuerySet[Programme]:
        request = self.context.get("request")
        return Programme.objects.restrict(request.user if request else None, "view")


class ScopedPkField(serializers.PrimaryKeyRelatedField):
    """A record given by its id, among those the user may read (any other id is "not found")."""

    def __init__(self, model: Any, missing: Any, **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("error_messages", {}).update(
            {
                "does_not_exist": missing,
                "incorrect_type": gettext_lazy("Hãy ghi id (một số)."),
            }
        )
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        return self.model.objects.restrict(request.user if request else None, "view")


def phase_field(**kwargs: Any) -> ScopedPkField:
    return ScopedPkField(Phase, gettext_lazy("Không tìm thấy giai đoạn số {pk_value}."), **kwargs)


class PhaseField(serializers.PrimaryKeyRelatedField):
    """A phase given by its id, among the phases of the programmes the user takes part in."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {}).update(
            {
                "does_not_exist": gettext_lazy("Không tìm thấy giai đoạn số {pk_value}."),
                "incorrect_type": gettext_lazy("Giai đoạn phải là một số (id của giai đoạn)."),
            }
        )
        super().__init__(queryset=Phase.objects.none(), **kwargs)

    def get_queryset(self) -> QuerySet[Phase]:
        request = self.context.get("request")
        return Phase.objects.restrict(request.user if request else None, "view").select_related("programme")


class CodeOf(serializers.CharField):
    """A record of a programme (field, indicator) given and shown by its code.

    Codes are unique only within a programme, so the serializer resolves the code once it
    knows the programme (``resolve_field`` / ``resolve_indicators``).
    """

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, "code", value))


def resolve_field(programme: Programme, code: str) -> Field:
    found = Field.objects.unrestricted(PROGRAMME_DATA).filter(programme=programme, code=code).first()
    if found is None:
        raise serializers.ValidationError(
            _("Không tìm thấy lĩnh vực có mã “%(code)s” trong chương trình %(programme)s.")
            % {"code": code, "programme": programme.code}
        )
    return found


def resolve_indicators(programme: Programme, rows: Iterable[dict[str, Any]]) -> dict[Indicator, int | None]:
    """``[{"indicator": "tt-buoi", "value": 5}, ...]`` -> {Indicator: 5, ...}, codes within ``programme``."""
    rows = list(rows)
    codes = [row["indicator"] for row in rows]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise serializers.ValidationError(
            _("Mỗi chỉ tiêu chỉ được nêu một lần; bị lặp: %(codes)s.") % {"codes": ", ".join(duplicates)}
        )
    indicators = Indicator.objects.unrestricted(PROGRAMME_DATA).filter(programme=programme, code__in=codes)
    found = {i.code: i for i in indicators}

    missing = [code for code in codes if code not in found]
    if missing:
        raise serializers.ValidationError(
            _("Không tìm thấy chỉ tiêu có mã %(codes)s trong chương trình %(programme)s.")
            % {"codes": ", ".join(f"“{code}”" for code in missing), "programme": programme.code}
        )
    return {found[row["indicator"]]: row["value"] for row in rows}


def resolve_programme(unit: OrgUnit, user: Any, code: str | None) -> Programme:
    """The programme named by ``code``, or the oldest one covering the unit; it must cover the unit."""
    covering = programmes_covering(user=user, unit=unit)
    if code:
        programme = covering.filter(code=code).first()
        if programme is None:
            raise serializers.ValidationError(
                {
                    "programme": [
                        _("Không tìm thấy chương trình có mã “%(code)s” bao gồm đơn vị %(unit)s.")
                        % {"code": code, "unit": unit.code}
                    ]
                }
            )
        return programme
    programme = covering.first()
    if programme is None:
        raise serializers.ValidationError(
            {"programme": [_("Đơn vị %(unit)s không thuộc chương trình phối hợp nào.") % {"unit": unit.code}]}
        )
    return programme


class ValueSerializer(serializers.Serializer):
    # One indicator's value, the indicator by its code within the programme. A comment, not a
    # docstring: drf-spectacular would show a docstring as the schema's description.

    indicator = serializers.CharField(max_length=40, label=gettext_lazy("Chỉ tiêu (mã)"))
    indicator_name = serializers.CharField(read_only=True, label=gettext_lazy("Tên chỉ tiêu"))
    field = serializers.CharField(read_only=True, label=gettext_lazy("Lĩnh vực (mã)"))
    unit_of_measure = serializers.CharField(read_only=True, label=gettext_lazy("Đơn vị tính"))
    value = serializers.IntegerField(
        min_value=0,
        max_value=MAX_VALUE,
        allow_null=True,
        label=gettext_lazy("Giá trị (null: xóa)"),
        error_messages={
            "min_value": gettext_lazy("Giá trị không được âm."),
            "max_value": gettext_lazy("Giá trị quá lớn (tối đa 1.000.000.000.000)."),
        },
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        indicator = instance.indicator
        return {
            "indicator": indicator.code,
            "indicator_name": indicator.name,
            "field": indicator.field.code,
            "unit_of_measure": indicator.unit_of_measure,
            "value": instance.value,
        }

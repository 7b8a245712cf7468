"""Targets of a phase and figures entered per period: written row by row by their services
(``programmes.services.target_set``, ``entry.services.figures_enter``), each in a savepoint."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.gate import PROGRAMME_DATA
from phoihop.entry.models import MAX_VALUE, IndicatorValue
from phoihop.entry.services import figures_enter
from phoihop.imports.kinds.base import Column, ImportContext, ImportKind, RowProblem
from phoihop.imports.kinds.common import (
    CREATED,
    UNCHANGED,
    UPDATED,
    cell_text,
    date_cell,
    indicator_codes,
    int_cell,
    phase_codes,
    run_rows,
    unit_cell,
)
from phoihop.imports.resolve import UnitResolver
from phoihop.programmes.models import Indicator, Phase, Target
from phoihop.programmes.services import target_set


def _indicator(indicators: dict[str, Indicator], data: dict[str, Any]) -> Indicator:
    code = cell_text(data.get("indicator"))
    if not code:
        raise RowProblem("indicator", _("Cột này không được để trống."))
    found = indicators.get(code)
    if found is None:
        raise RowProblem("indicator", _("Chương trình không có chỉ tiêu mã “%(code)s”.") % {"code": code})
    return found


def _indicators(programme: Any) -> dict[str, Indicator]:
    rows = Indicator.objects.unrestricted(PROGRAMME_DATA).filter(programme=programme)
    return {i.code: i for i in rows.select_related("introduced_in", "retired_in")}


UNIT_HELP = gettext_lazy("Mã hoặc đúng tên đơn vị (có hoặc không dấu), trong phạm vi của bạn.")
INDICATOR_HELP = gettext_lazy("Mã chỉ tiêu của chương trình.")

# --- targets --------------------------------------------------------------------------------------


def target_columns(programme: Any) -> list[Column]:
    return [
        Column("phase", gettext_lazy("Giai đoạn"), True, gettext_lazy("Mã giai đoạn."), "2022-2027", phase_codes),
        Column("unit", gettext_lazy("Đơn vị"), True, UNIT_HELP, "CCB-HANOI"),
        Column("indicator", gettext_lazy("Chỉ tiêu"), True, INDICATOR_HELP, "tt-buoi", indicator_codes),
        Column("value", gettext_lazy("Chỉ tiêu giao"), True, gettext_lazy("Số không âm, ví dụ 1.200."), 120),
    ]


def target_rows(user: Any, programme: Any) -> Iterable[dict[str, Any]]:
    targets = (
        Target.objects.restrict(user, "view")
        .filter(phase__programme=programme)
        .select_related("phase", "unit", "indicator")
        .order_by("phase__start", "unit__path", "indicator__code")
    )
    for t in targets:
        value = t.value
        yield {
            "phase": t.phase.code,
            "unit": t.unit.code,
            "indicator": t.indicator.code,
            "value": int(value) if value == value.to_integral_value() else float(value),
        }


def import_targets(ctx: ImportContext) -> None:
    from phoihop.imports.values import BadValue, parse_decimal

    resolver = UnitResolver(ctx.acting_user)
    resolver.load(data.get("unit") for _n, data in ctx.rows)
    phases = {p.code: p for p in Phase.objects.unrestricted(PROGRAMME_DATA).filter(programme=ctx.programme)}
    indicators = _indicators(ctx.programme)

    def handle(number: int, data: dict[str, Any]) -> str:
        code = cell_text(data.get("phase"))
        phase = phases.get(code)
        if phase is None:
            raise RowProblem("phase", _("Chương trình không có giai đoạn mã “%(code)s”.") % {"code": code})
        unit = unit_cell(resolver, data, "unit", required=True)
        indicator = _indicator(indicators, data)
        if cell_text(data.get("value")) == "":
            raise RowProblem("value", _("Cột này không được để trống."))
        try:
            value = parse_decimal(data.get("value"), min_value=0)
        except BadValue as e:
            raise RowProblem("value", str(e)) from e
        existing = Target.objects.restrict(ctx.acting_user, "view").filter(phase=phase, unit=unit, indicator=indicator)
        found = existing.first()
        if found is not None and Decimal(found.value) == Decimal(value):
            return UNCHANGED
        target_set(phase=phase, unit=unit, indicator=indicator, value=value, acting_user=ctx.acting_user)
        return CREATED if found is None else UPDATED

    run_rows(ctx, handle)


# --- figures entered per period ----------------------------------------------------------------------


def figure_columns(programme: Any) -> list[Column]:
    return [
        Column("unit", gettext_lazy("Đơn vị"), True, UNIT_HELP, "CCB-HANOI"),
        Column("indicator", gettext_lazy("Chỉ tiêu"), True, INDICATOR_HELP, "gn-ho", indicator_codes),
        Column("period_start", gettext_lazy("Kỳ từ ngày"), True, gettext_lazy("Ngày/tháng/năm."), "15/12/2024"),
        Column("period_end", gettext_lazy("Kỳ đến ngày"), True, gettext_lazy("Ngày/tháng/năm."), "14/12/2025"),
        Column("value", gettext_lazy("Số liệu"), True, gettext_lazy("Số nguyên, không âm."), 12),
    ]


def figure_rows(user: Any, programme: Any) -> Iterable[dict[str, Any]]:
    values = (
        IndicatorValue.objects.restrict(user, "view")
        .entered()
        .filter(indicator__programme=programme)
        .select_related("unit", "indicator")
        .order_by("unit__path", "period_start", "indicator__code")
    )
    for v in values:
        yield {
            "unit": v.unit.code,
            "indicator": v.indicator.code,
            "period_start": v.period_start,
            "period_end": v.date,
            "value": v.value,
        }


def import_figures(ctx: ImportContext) -> None:
    resolver = UnitResolver(ctx.acting_user)
    resolver.load(data.get("unit") for _n, data in ctx.rows)
    indicators = _indicators(ctx.programme)

    def handle(number: int, data: dict[str, Any]) -> str:
        unit = unit_cell(resolver, data, "unit", required=True)
        indicator = _indicator(indicators, data)
        start = date_cell(data, "period_start", required=True)
        end = date_cell(data, "period_end", required=True)
        value = int_cell(data, "value", maximum=MAX_VALUE, required=True)
        assert start is not None and end is not None  # required: date_cell refuses an empty cell
        found = (
            IndicatorValue.objects.restrict(ctx.acting_user, "view")
            .entered()
            .filter(unit=unit, indicator=indicator, period_start=start, date=end)
            .first()
        )
        if found is not None and found.value == value:
            return UNCHANGED
        figures_enter(
            acting_user=ctx.acting_user, unit=unit, period_start=start, period_end=end, values={indicator: value}
        )
        return CREATED if found is None else UPDATED

    run_rows(ctx, handle, fields={"end": "period_end", "values": "value"})


TARGETS = ImportKind("targets", gettext_lazy("Chỉ tiêu giao"), True, target_columns, target_rows, import_targets)
FIGURES = ImportKind("figures", gettext_lazy("Số liệu theo kỳ"), True, figure_columns, figure_rows, import_figures)

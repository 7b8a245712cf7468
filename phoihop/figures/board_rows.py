"""The dashboard's tables, lists and tiles as HTML, built once per request.

The same HTML the template's loops wrote (the same text, links, classes and escaping, in both
languages), without their cost: a template loop costs a dozen tags a row, and the page has a
row per indicator in three places, a column per side, a hundred-odd children for a province
and 34 tiles for the nation. Each piece is one ``str.format`` of values escaped here one by one
(``escape``: what ``format_html`` and the template's autoescaping do, without their overhead per
value), its words translated once per page and the units' addresses built from one reversed
address (``unit_urls``).

The template's ``{% translate %}`` of a literal is not escaped (the catalogue is trusted): the
translations here are not either (``_t``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from html import escape as _html_escape
from typing import Any

from django.templatetags.l10n import unlocalize
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_number
from phoihop.figures.dashboard import Choice, Dashboard

UnitUrls = Callable[[int], str]


# The escaped text of a string (a pure function): units' names and codes come back on every request.
_escaped = functools.lru_cache(maxsize=50_000)(_html_escape)


def escape(value: Any) -> str:
    """Django's ``escape`` (``html.escape`` of the text) without its lazy-string wrapper."""
    return _escaped(value) if type(value) is str else _html_escape(str(value))


def number(value: Any) -> str:
    """``vn_number`` (1.234.567), without its Decimal for an integer (the same text)."""
    return f"{value:,}".replace(",", ".") if type(value) is int else vn_number(value)


def _t(message: str) -> str:
    """A translation written as the template's ``{% translate %}`` writes it (not escaped)."""
    return str(_(message))


def unit_urls(query: str) -> UnitUrls:
    """A function giving a unit's dashboard address with the page's query: the address is
    reversed once (a province lists over a hundred children, each linked twice)."""
    prefix = reverse("figures:unit", kwargs={"pk": 0})
    assert prefix.endswith("/0/")
    head, suffix = prefix[: -len("0/")], f"/?{query}" if query else "/"
    return lambda pk: f"{head}{pk}{suffix}"


# --- the totals by field ---------------------------------------------------------------------

FIELD_GROUP = (
    "\n    <tbody>\n"
    '      <tr class="table-group-row"><th colspan="5" scope="rowgroup">{name}</th></tr>\n'
    "      {rows}\n"
    "    </tbody>\n"
    "    "
)
TOTAL_ROW = (
    '<tr data-indicator="{code}">\n'
    '        <td>{name}<span class="d-sm-none text-muted"> ({uom})</span></td>'
    '<td class="text-muted d-none d-sm-table-cell">{uom}</td>\n'
    '        <td class="text-end fw-semibold" data-testid="total-{code}">{total}</td>\n'
    '        <td class="text-end">{target}</td>\n'
    "        <td>{progress}</td>\n"
    "      </tr>"
)
NO_TARGET = '<span class="text-muted">—</span>'
PROGRESS = (
    '<div class="d-flex align-items-center gap-2"><div class="progress flex-grow-1 d-none d-md-flex" '
    'role="progressbar" aria-label="{label}" aria-valuenow="{bar}" aria-valuemin="0" aria-valuemax="100">'
    '<div class="progress-bar{done}" style="width: {bar}%"></div></div>'
    '<span class="text-nowrap">{percent}%</span></div>'
)


def totals_rows(board: Dashboard) -> SafeString:
    """The totals table's bodies: a group a field, a row an indicator."""
    label = _t("Tỷ lệ đạt")
    groups = []
    for group in board.fields:
        rows = []
        for row in group.rows:
            indicator = row.indicator
            percent = row.percent
            progress = ""
            if percent is not None:
                bar = row.bar
                progress = PROGRESS.format(
                    label=label,
                    bar=escape(unlocalize(bar)),
                    done=" bg-success" if bar >= 100 else "",
                    percent=escape(vn_number(percent, 1)),
                )
            uom = escape(indicator.unit_of_measure)
            rows.append(
                TOTAL_ROW.format(
                    code=escape(indicator.code),
                    name=escape(indicator.name),
                    uom=uom,
                    total=number(row.total),
                    target=NO_TARGET if row.target is None else escape(vn_number(row.target)),
                    progress=progress,
                )
            )
        groups.append(FIELD_GROUP.format(name=escape(group.field.name), rows="".join(rows)))
    return mark_safe("".join(groups))  # every value escaped above


# --- the indicators to choose: the trend's menu and the children's select -------------------

TREND_OPTION = (
    '<div class="form-check"><input class="form-check-input" type="checkbox" form="dashboard-form" '
    'name="trend" value="{code}" id="trend-{code}"{checked}>\n'
    '              <label class="form-check-label" for="trend-{code}">{name} '
    '<span class="text-muted">({uom})</span></label></div>'
)
INDICATOR_OPTION = '<option value="{code}"{selected}>{name} ({uom})</option>'


def trend_options(choice: Choice, trend_codes: set[str]) -> SafeString:
    return mark_safe(  # every value escaped here
        "".join(
            TREND_OPTION.format(
                code=escape(i.code),
                checked=" checked" if i.code in trend_codes else "",
                name=escape(i.name),
                uom=escape(i.unit_of_measure),
            )
            for i in choice.indicators
        )
    )


def indicator_options(choice: Choice) -> SafeString:
    return mark_safe(  # every value escaped here
        "".join(
            INDICATOR_OPTION.format(
                code=escape(i.code),
                selected=" selected" if i == choice.indicator else "",
                name=escape(i.name),
                uom=escape(i.unit_of_measure),
            )
            for i in choice.indicators
        )
    )


# --- the sides ("Theo bên phối hợp") ---------------------------------------------------------

SIDE_HEAD = '<th scope="col" class="text-end">{dot}{name}<div class="fw-normal text-muted">{organisation}</div></th>'
SIDE_DOT = '<span class="side-dot side-{index}" aria-hidden="true"></span>'
SIDE_LINK = '<a href="{href}" title="{title}">{name}</a>'
SIDE_NAME = '<span title="{title}">{name}</span>'
SIDE_ROW = "<tr>\n          <td>{name}{shares}</td>\n          {values}\n          {total}\n        </tr>"
SIDE_SHARE = '<span class="side-{index}" style="width: {share}%"></span>'
SIDE_VALUE = '<td class="text-end">{value}</td>'
NOT_VISIBLE = '<span class="text-muted fst-italic" data-testid="not-visible">{label}</span>'
SIDE_TOTAL = '<td class="text-end fw-semibold">{total}</td>'
SIDE_PART_TOTAL = '<span class="text-muted fst-italic" title="{label}">{total}*</span>'


def sides_head(board: Dashboard, urls: UnitUrls) -> SafeString:
    """The sides' column heads: each side linked when the reader reads its figures."""
    several = len(board.sides) > 1
    heads = []
    for index, side in enumerate(board.sides):
        unit = side.unit
        pattern = SIDE_LINK if side.visible else SIDE_NAME
        heads.append(
            SIDE_HEAD.format(
                dot=SIDE_DOT.format(index=index) if several else "",
                name=pattern.format(
                    href=escape(urls(unit.pk)), title=escape(unit.name), name=escape(unit.display_name)
                ),
                organisation=escape(unit.organisation),
            )
        )
    return mark_safe("".join(heads))  # every value escaped here


def sides_rows(board: Dashboard) -> SafeString:
    """A row an indicator: each side's total (or that the reader may not see it) and their sum."""
    several = len(board.sides) > 1
    not_visible = NOT_VISIBLE.format(label=_t("không thuộc phạm vi xem"))
    partial = _t("Chỉ cộng các bên trong phạm vi xem")
    rows = []
    for row in board.side_rows:
        total = row.total
        shares = ""
        if several and total:
            shares = (
                '<div class="side-share" aria-hidden="true">'
                + "".join(
                    SIDE_SHARE.format(index=index, share=escape(unlocalize(share)))
                    for index, share in enumerate(row.shares)
                )
                + "</div>"
            )
        values = "".join(
            SIDE_VALUE.format(value=not_visible if value is None else number(value)) for value in row.values
        )
        total_cell = ""
        if several:
            shown = number(total)
            total_cell = SIDE_TOTAL.format(
                total=shown if row.complete else SIDE_PART_TOTAL.format(label=partial, total=shown)
            )
        rows.append(SIDE_ROW.format(name=escape(row.indicator.name), shares=shares, values=values, total=total_cell))
    return mark_safe("".join(rows))  # every value escaped here


# --- the children ----------------------------------------------------------------------------

CHILD_ROW = (
    '<tr data-unit="{code}"><td data-sort="{sort}"><a href="{href}">{name}</a>{closed}</td>'
    '<td class="text-end" data-sort="{value}">{shown}</td>'
    '<td class="text-end" data-sort="{share}">{share_shown}</td></tr>'
)
CLOSED_BADGE = ' <span class="badge text-bg-secondary" title="{title}">{label}</span>'


def children_rows(board: Dashboard, urls: UnitUrls) -> SafeString:
    """The children table's rows, built here in one pass (a template loop over a province's
    hundred-odd wards cost more than the rest of the page)."""
    closed = CLOSED_BADGE.format(title=escape(_("Đơn vị đã thôi hoạt động")), label=escape(_("đã thôi hoạt động")))
    return mark_safe(  # every value escaped here (numbers need none: digits, signs and separators)
        "\n".join(
            CHILD_ROW.format(
                code=escape(c.code),
                sort=escape(c.sort_name),
                href=escape(urls(c.unit_id)),
                name=escape(c.name),
                closed=closed if c.closed else "",
                value=c.value,
                shown=number(c.value),
                share=0 if c.share is None else c.share,
                share_shown="—" if c.share is None else f"{vn_number(c.share, 1)}%",
            )
            for c in board.children_sorted
        )
    )


def children_chart(board: Dashboard, urls: UnitUrls) -> dict[str, Any]:
    indicator = board.choice.indicator
    rows = [
        {"name": c.name, "value": c.value, "closed": c.closed, "url": urls(c.unit_id)} for c in board.children_sorted
    ]
    return {
        "rows": rows,
        "indicator": indicator.name if indicator else "",
        "unit": getattr(indicator, "unit_of_measure", ""),
    }


# --- the provinces' tiles --------------------------------------------------------------------

MAP_TILE = (
    '<a class="tile tile-level-{level}" style="grid-column: {col}; grid-row: {row}" href="{href}" '
    'title="{name}: {value} {uom}" data-province="{code}" data-value="{raw}">\n'
    '            <span class="tile-label">{label}</span><span class="tile-value">{value}</span></a>\n'
    "          "
)
MAP_NONE = (
    '<span class="tile tile-none" style="grid-column: {col}; grid-row: {row}" title="{label}: {outside}" '
    'data-province="{code}"><span class="tile-label">{label}</span></span>'
)
LEGEND_ITEM = '<li><span class="tile-swatch tile-level-{level}"></span> {low_high} {uom}</li>'
RANKING = '<h2 class="h6 mt-3">{title}</h2>\n        <ol class="small ps-3" data-testid="province-ranking">{items}</ol>'
RANKING_ITEM = '<li><a href="{href}">{name}</a>: {value} {uom}</li>'


def map_tiles(board: Dashboard, urls: UnitUrls) -> SafeString:
    """The province map's 34 tiles (a template loop of a dozen tags per tile costs a few
    milliseconds)."""
    if board.province_map is None:
        return mark_safe("")
    uom = escape(getattr(board.choice.indicator, "unit_of_measure", ""))
    outside = escape(_("ngoài phạm vi"))
    tiles = []
    for tile in board.province_map.tiles:
        if tile.unit is not None:
            value = number(tile.value)
            tiles.append(
                MAP_TILE.format(
                    level=escape(tile.level),
                    col=escape(tile.col + 1),
                    row=escape(tile.row + 1),
                    href=escape(urls(tile.unit.pk)),
                    name=escape(tile.unit.name),
                    value=value,
                    uom=uom,
                    code=escape(tile.state_code),
                    raw=escape(tile.value),
                    label=escape(tile.label),
                )
            )
        else:
            tiles.append(
                MAP_NONE.format(
                    col=escape(tile.col + 1),
                    row=escape(tile.row + 1),
                    label=escape(tile.label),
                    outside=outside,
                    code=escape(tile.state_code),
                )
            )
    return mark_safe("".join(tiles))  # every value escaped here


def map_legend(board: Dashboard) -> SafeString:
    """The legend's classes (from, to) after "no figures"."""
    if board.province_map is None:
        return mark_safe("")
    uom = escape(getattr(board.choice.indicator, "unit_of_measure", ""))
    items = []
    for level, low, high in board.province_map.legend:
        low_high = escape(vn_number(low)) if low == high else f"{escape(vn_number(low))} – {escape(vn_number(high))}"
        items.append(LEGEND_ITEM.format(level=escape(unlocalize(level)), low_high=low_high, uom=uom))
    return mark_safe("".join(items))  # every value escaped here


def map_ranking(board: Dashboard, urls: UnitUrls) -> SafeString:
    """The ten provinces with the largest figures (nothing when no province has any)."""
    if board.province_map is None or not board.province_map.ranking:
        return mark_safe("")
    uom = escape(getattr(board.choice.indicator, "unit_of_measure", ""))
    items = "".join(
        RANKING_ITEM.format(
            href=escape(urls(tile.unit.pk)), name=escape(tile.name), value=escape(vn_number(tile.value)), uom=uom
        )
        for tile in board.province_map.ranking
        if tile.unit is not None
    )
    return mark_safe(RANKING.format(title=_t("Cao nhất"), items=items))  # every value escaped here


# --- the breadcrumbs -------------------------------------------------------------------------

CRUMB_LINK = '<li class="breadcrumb-item"><a href="{href}">{name}</a></li>'
CRUMB_NAME = '<li class="breadcrumb-item"><span title="{code}">{name}</span></li>'


def ancestors_crumbs(board: Dashboard, urls: UnitUrls) -> SafeString:
    """The units above the unit, linked where the reader reads their figures."""
    crumbs = []
    for a in board.ancestors:
        if a.pk in board.visible_ancestor_ids:
            crumbs.append(CRUMB_LINK.format(href=escape(urls(a.pk)), name=escape(a.display_name)))
        else:
            crumbs.append(CRUMB_NAME.format(code=escape(a.code), name=escape(a.display_name)))
    return mark_safe("".join(crumbs))  # every value escaped here


# --- the picker's selects and dates ----------------------------------------------------------

# Django's Select and DateInput as the dashboard's form renders them (its widgets' attributes;
# not required, no help text): the same HTML without a template per option.
SELECT = '<select name="{name}" class="form-select form-select-sm" id="id_{name}">{options}\n</select>'
SELECT_OPTION = '\n  <option value="{value}"{selected}>{label}</option>\n'
DATE_INPUT = '<input type="date" name="{name}" value="{value}" class="form-control form-control-sm" id="id_{name}">'


def offered(choices: Any, value: str) -> bool:
    """Whether a select accepts ``value`` (a ChoiceField's check: empty, or one of its choices)."""
    return not value or any(str(key) == value for key, _label in choices)


def select(name: str, choices: Any, value: str) -> SafeString:
    """The select of a form field holding ``value``, one of its ``choices`` (``offered``)."""
    options = []
    selected = False
    for key, label in choices:
        here = not selected and str(key) == value
        selected = selected or here
        options.append(
            SELECT_OPTION.format(value=escape(key), selected=" selected" if here else "", label=escape(label))
        )
    return mark_safe(SELECT.format(name=name, options="".join(options)))  # every value escaped here


def date_input(name: str, value: str) -> SafeString:
    return mark_safe(DATE_INPUT.format(name=name, value=escape(value)))  # escaped here


def parts(board: Dashboard, query: str, trend_codes: set[str]) -> dict[str, Any]:
    """Every piece above, for the template's context."""
    urls = unit_urls(query)
    return {
        "totals_rows": totals_rows(board),
        "trend_options": trend_options(board.choice, trend_codes),
        "indicator_options": indicator_options(board.choice),
        "sides_head": sides_head(board, urls),
        "sides_rows": sides_rows(board),
        "children_chart": children_chart(board, urls),
        "children_rows": children_rows(board, urls),
        "map_tiles": map_tiles(board, urls),
        "map_legend": map_legend(board),
        "map_ranking": map_ranking(board, urls),
        "ancestors_crumbs": ancestors_crumbs(board, urls),
    }

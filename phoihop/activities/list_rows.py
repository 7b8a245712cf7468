"""The rows of the activity list (``/activities/``): one page read in a few narrow queries and
its HTML built once per request.

A page lists 50 activities. Reading them as model objects (with their phase, programme, lead
unit and area, a "led here" subquery per row, and two prefetches that filter a queryset per row)
and looping over them in a template cost tens of milliseconds. Here:

* ``page_of`` reads the ids of the page and the number of rows in one query: the scoped
  queryset, sorted as the list sorts, with ``COUNT(*) OVER ()`` (no second ``count()``);
* ``read_rows`` reads those ids' columns, their partners and their figures as tuples (three
  small queries by id: those ids came from ``restrict(user, "view")`` in this request);
* ``rows_html`` builds each row with one ``format_html`` call (every value escaped), its words
  translated and its link reversed once per page, each status badge rendered once per page.

Whether the user's unit leads an activity ("led here") is the policy's own rule for
``restrict(user, "change")`` (ActivityPolicy.scope_q: the lead unit in one of the user's subtrees
for "change"), answered from the lead unit's path by ``perms(user).reaches``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from html import escape  # Django's escape() is html.escape(str(text)), marked safe
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from phoihop.activities.models import Activity, ActivityStatus
from phoihop.core.formats import vn_date, vn_number
from phoihop.core.permissions import perms
from phoihop.core.statements import compile_scalars, compile_values, kept, plan_key
from phoihop.entry.models import IndicatorValue

ROW = (
    '    <tr data-activity="{pk}">\n'
    '      <td class="small text-nowrap" data-label="{l_time}">{dates}</td>\n'
    '      <td class="text-break-all"><a class="fw-semibold" href="{href}">{title}</a>\n'
    "        {partner_badge}\n"
    "        {area}</td>\n"
    '      <td class="small" title="{lead_code}" data-label="{l_lead}">{lead_name}</td>\n'
    '      <td class="small" data-label="{l_partners}">{partners}</td>\n'
    '      <td data-label="{l_status}">{status}</td>\n'
    '      <td class="small" data-label="{l_figures}">{values}</td>\n'
    "    </tr>\n"
)
NONE = mark_safe('<span class="text-muted">—</span>')
PLACEHOLDER = 999999999  # a pk no activity has, replaced in the reversed link
# Pages past this one are asked with a count first (no OFFSET no database takes).
FAST_PAGES = 100_000

# The rows of a page are read by the ids that restrict(user, "view") gave in the same request.
PAGE_IDS = "the activities of a list page, whose ids restrict(user, 'view') gave in this request"


@dataclass(slots=True)
class ListedActivity:
    """One activity of the list, as its row shows it."""

    pk: int
    title: str
    start_date: date
    end_date: date
    status: str
    led_here: bool
    lead_code: str
    lead_name: str
    area_name: str | None  # None: no area
    partners: list[tuple[str, str]] = field(default_factory=list)  # (code, name shown)
    values: list[tuple[str, Any, str]] = field(default_factory=list)  # (indicator, value, unit of measure)


class Listing:
    """How a list reads its page: the number of rows, the ids of a slice, or both at once."""

    def __init__(self, queryset: QuerySet[Activity]) -> None:
        self.queryset = queryset
        # With conditions (a user's scope, a filter) the page's ids come with the number of rows
        # (one scan); without any (a system administrator's whole list) a count and a top-50
        # sort are two cheap queries where a window would make one dear one.
        self.windowed = bool(queryset.query.where)

    def count(self) -> int:
        return self.queryset.count()

    def ids(self, offset: int, limit: int) -> list[int]:
        return list(self.queryset.values_list("pk", flat=True)[offset : offset + limit])

    def numbered(self, offset: int, limit: int) -> list[tuple[int, int]]:
        numbered = self.queryset.annotate(listed_total=Window(Count("*"))).values_list("pk", "listed_total")
        return list(numbered[offset : offset + limit])


class WholeListing(Listing):
    """The same reads of a user's whole list (``restrict(user, "view")``, no filter), their
    statements compiled once per worker for the user's roles of the day
    (``phoihop.core.statements``): the queryset is built, and checked by the gate, only to compile
    them; on each visit only the slice's offset and length are bound. A system administrator's
    list has no condition (``scope_q`` is everything)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.key = plan_key(user, timezone.localdate())
        self.windowed = not perms(user).is_system_admin

    @cached_property
    def queryset(self) -> QuerySet[Activity]:  # type: ignore[override]
        return Activity.objects.restrict(self.user, "view")

    def _rows(self, name: str, build: Any, *params: Any) -> list[dict[str, Any]]:
        statement = kept(self.key, f"activities:list:{name}", lambda: compile_values(build()))
        if statement is None:  # the list can hold nothing for this user
            return []
        if params:
            sql = f"{statement.sql} LIMIT %s OFFSET %s"
            statement = replace(statement, sql=sql, params=(*statement.params, *params))
        return statement.rows()

    def count(self) -> int:
        build = lambda: compile_scalars([self.queryset], self.queryset.db)  # noqa: E731
        statement = kept(self.key, "activities:list:count", build)
        return int(statement.rows()[0]["n0"]) if statement is not None else 0

    def ids(self, offset: int, limit: int) -> list[int]:
        return [row["pk"] for row in self._rows("ids", lambda: self.queryset.values("pk"), limit, offset)]

    def numbered(self, offset: int, limit: int) -> list[tuple[int, int]]:
        build = lambda: self.queryset.annotate(listed_total=Window(Count("*"))).values("pk", "listed_total")  # noqa: E731
        return [(row["pk"], row["listed_total"]) for row in self._rows("numbered", build, limit, offset)]


def page_of(listing: Listing, number: Any, per_page: int) -> Page:
    """The page ``number`` of the listing in its order, holding the ids of its rows; the page is
    chosen as ``Paginator.get_page`` chooses it (not a whole number: the first; past the end or
    below 1: the last)."""
    paginator = Paginator((), per_page)
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 1
    if not listing.windowed or not 1 <= wanted <= FAST_PAGES:
        paginator.count = listing.count()  # type: ignore[misc]  # the cached property, known now
        chosen = paginator.get_page(number).number
        return Page(listing.ids((chosen - 1) * per_page, per_page), chosen, paginator)
    found = listing.numbered((wanted - 1) * per_page, per_page)
    if found:
        paginator.count = found[0][1]  # type: ignore[misc]
        return Page([pk for pk, _total in found], wanted, paginator)
    # No rows, or a page past the end: count, then read the page get_page chooses (the last).
    paginator.count = 0 if wanted == 1 else listing.count()  # type: ignore[misc]
    chosen = paginator.get_page(number).number
    return Page(listing.ids((chosen - 1) * per_page, per_page) if paginator.count else [], chosen, paginator)


def _by_ids(user: Any, name: str, ids: Sequence[int], build: Any) -> list[dict[str, Any]]:
    """The rows of the ``values()`` queryset ``build(ids)``, whose only parameters are ``ids``:
    its statement compiled once per worker for as many ids, then bound to these."""
    ids = tuple(ids)
    compiled = kept(
        plan_key(user, timezone.localdate()), f"activities:{name}:{len(ids)}", lambda: compile_values(build(ids))
    )
    if compiled is None or len(compiled.params) != len(ids):  # not a statement of the ids alone
        statement = compile_values(build(ids))
        return statement.rows() if statement is not None else []
    return replace(compiled, params=ids).rows()


def read_rows(ids: Sequence[int], user: Any) -> list[ListedActivity]:
    """The rows of the activities ``ids`` (read through the gate by the caller), in that order."""
    if not ids:
        return []
    # perms(user).reaches(path, "change") for each row, the scope's paths read once.
    reach = perms(user)
    leads_all = reach.is_system_admin
    change_paths = tuple(reach.scope.paths("change"))
    rows: dict[int, ListedActivity] = {}
    columns = _by_ids(
        user,
        "rows",
        ids,
        lambda ids: (
            Activity.objects.unrestricted(PAGE_IDS)
            .filter(pk__in=ids)
            .order_by()
            .values(
                "pk",
                "title",
                "start_date",
                "end_date",
                "status",
                "lead_unit__code",
                "lead_unit__name",
                "lead_unit__short_name",
                "lead_unit__path",
                "area_id",
                "area__name",
            )
        ),
    )
    for row in columns:
        rows[row["pk"]] = ListedActivity(
            pk=row["pk"],
            title=row["title"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            status=row["status"],
            led_here=leads_all or row["lead_unit__path"].startswith(change_paths),
            lead_code=row["lead_unit__code"],
            lead_name=row["lead_unit__short_name"] or row["lead_unit__name"],
            area_name=None if row["area_id"] is None else row["area__name"],
        )
    partners = _by_ids(
        user,
        "partners",
        ids,
        lambda ids: (
            Activity.objects.unrestricted(PAGE_IDS)
            .filter(pk__in=ids, partners__isnull=False)
            .order_by("partners__path")
            .values("pk", "partners__code", "partners__name", "partners__short_name")
        ),
    )
    for row in partners:
        name = row["partners__short_name"] or row["partners__name"]
        rows[row["pk"]].partners.append((row["partners__code"], name))
    values = _by_ids(
        user,
        "values",
        ids,
        lambda ids: (
            IndicatorValue.objects.unrestricted(PAGE_IDS)
            .filter(activity_id__in=ids)
            .order_by("indicator__field__order", "indicator__order", "indicator__code")
            .values("activity_id", "indicator__name", "value", "indicator__unit_of_measure")
        ),
    )
    for row in values:
        rows[row["activity_id"]].values.append(
            (row["indicator__name"], row["value"], row["indicator__unit_of_measure"])
        )
    return [rows[pk] for pk in ids if pk in rows]


# The badge of each status in each language, rendered once per process from its template (which
# the detail page includes too): the same few strings on every page.
_BADGES: dict[tuple[str, str], SafeString] = {}


def status_badge(status: str, label: str) -> SafeString:
    badge = _BADGES.get((status, label))
    if badge is None:
        html = render_to_string("activities/_status_badge.html", {"status": status, "label": label})
        badge = _BADGES[(status, label)] = mark_safe(html)  # the template's output
    return badge


def rows_html(activities: Iterable[ListedActivity]) -> SafeString:
    """The ``<tr>`` of each activity.

    The markup of ``format_html`` written with ``str.format`` and every value escaped by
    ``html.escape`` (what Django's ``escape`` is), as ``format_html`` per row and per partner
    and figure cost more than the rest of the page."""
    head, _sep, tail = reverse("activities:detail", kwargs={"pk": PLACEHOLDER}).partition(str(PLACEHOLDER))
    head, tail = escape(head), escape(tail)
    labels = {
        "l_time": escape(_("Thời gian")),
        "l_lead": escape(_("Đơn vị chủ trì")),
        "l_partners": escape(_("Đơn vị phối hợp")),
        "l_status": escape(_("Trạng thái")),
        "l_figures": escape(_("Số liệu")),
    }
    partner_badge = format_html(
        ' <span class="badge text-bg-info" title="{}">{}</span>',
        _("Đơn vị của bạn là đơn vị phối hợp, không phải đơn vị chủ trì"),
        _("Phối hợp"),
    )
    status_labels = {value: str(label) for value, label in ActivityStatus.choices}
    rows = []
    for a in activities:
        if a.start_date != a.end_date:
            dates = f"{escape(vn_date(a.start_date))} –<br>{escape(vn_date(a.end_date))}"
        else:
            dates = escape(vn_date(a.end_date))
        if a.partners:
            partners = "; ".join(f'<span title="{escape(code)}">{escape(name)}</span>' for code, name in a.partners)
        else:
            partners = NONE
        if a.values:
            values = " · ".join(
                f'<span class="text-nowrap" title="{escape(name)}">{escape(vn_number(value))} {escape(unit)}</span>'
                for name, value, unit in a.values
            )
        else:
            values = NONE
        rows.append(
            ROW.format(
                pk=a.pk,
                dates=dates,
                href=f"{head}{a.pk}{tail}",
                title=escape(a.title),
                partner_badge="" if a.led_here else partner_badge,
                area="" if a.area_name is None else f'<div class="small text-muted">{escape(a.area_name)}</div>',
                lead_code=escape(a.lead_code),
                lead_name=escape(a.lead_name),
                partners=partners,
                status=status_badge(a.status, status_labels.get(a.status, a.status)),
                values=values,
                **labels,
            )
        )
    return mark_safe("".join(rows))  # every value above is escaped


# --- the filter form's choices ------------------------------------------------------------------


def filter_options(records: Iterable[Any], chosen: Any, truncate: int | None = None) -> SafeString:
    """The ``<option>`` of each record a filter offers (labelled as its form field labels it:
    ``str(record)``), the one ``chosen`` (the value asked for) selected; a long label cut to
    ``truncate`` characters, whole in its title."""
    chosen = str(chosen)
    options = []
    for record in records:
        value = str(record.pk)
        label = escape(str(record))
        selected = " selected" if value == chosen else ""
        if truncate is None:
            options.append(f'<option value="{value}"{selected}>{label}</option>')
        else:
            short = escape(Truncator(str(record)).chars(truncate))
            options.append(f'<option value="{value}" title="{label}"{selected}>{short}</option>')
    return mark_safe("".join(options))  # every value above is escaped


def status_options(chosen: Any) -> SafeString:
    return mark_safe(  # every value below is escaped
        "".join(
            f'<option value="{escape(value)}"{" selected" if chosen == value else ""}>{escape(str(label))}</option>'
            for value, label in ActivityStatus.choices
        )
    )

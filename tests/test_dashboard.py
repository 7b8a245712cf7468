"""The dashboard (/figures/): totals by field, children, sides, provinces; periods and views."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phoihop.activities.services import activity_approve, activity_create
from phoihop.entry.models import IndicatorValue
from phoihop.entry.services import figures_enter
from phoihop.figures import selectors
from phoihop.figures.dashboard import province_tiles, trend_data
from phoihop.figures.periods import PeriodKind, decree09_period
from phoihop.orgunits.models import OrgUnit
from phoihop.orgunits.services import unit_create
from phoihop.programmes.models import Indicator, Phase, Target

pytestmark = pytest.mark.django_db

ADMIN_UNITS = Path(__file__).resolve().parent.parent / "phoihop" / "orgunits" / "data" / "admin_units.json"


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(programme__code="QDND-CCB", code=code)


def active_phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


def url(code: str, **params: Any) -> str:
    path = reverse("figures:unit", kwargs={"pk": unit(code).pk})
    return f"{path}?{urlencode(params, doseq=True)}" if params else path


def totals_shown(response: Any) -> dict[str, int]:
    assert response.status_code == 200
    return {row.indicator.code: row.total for group in response.context["board"].fields for row in group.rows}


def children_shown(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    return {child.code: child for child in response.context["board"].children}


def cell(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{re.escape(testid)}">([^<]*)<', html)
    assert match, testid
    return match.group(1)


def vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def free_indicator(unit_: OrgUnit, start: date, end: date) -> Indicator:
    """An indicator the unit has entered nothing for in a period meeting [start, end]
    (``figures_enter`` refuses overlapping periods, and the demo may hold some)."""
    taken = set(
        IndicatorValue.objects.entered()
        .filter(unit=unit_, period_start__lte=end, date__gte=start)
        .values_list("indicator_id", flat=True)
    )
    return Indicator.objects.filter(programme__code="QDND-CCB").exclude(pk__in=taken).order_by("-code")[0]


@pytest.fixture
def hoankiem_activity(demo_user: Callable[[str], Any]) -> Any:
    """Phường Hoàn Kiếm's association records and submits an activity with three values."""
    return activity_create(
        acting_user=demo_user("hoankiem.ccb"),
        phase=active_phase(),
        lead_unit=unit("CCB-X00070"),
        title="Tuyên truyền kỷ niệm ngày thành lập Hội (thử bảng số liệu)",
        start_date=date(2025, 12, 19),
        end_date=date(2025, 12, 20),  # in Decree 09's year 2026 (from 15/12/2025)
        values={indicator("tt-buoi"): 12, indicator("tt-luot"): 987_654, indicator("xh-nha"): 3},
        submit=True,
        confirm_outliers=True,  # far above a ward's usual figures, under the indicator's maximum
    )


# --- the numbers -------------------------------------------------------------------------


def test_it_shows_the_totals_the_selectors_compute(client_as: Callable[[str], Any], hoankiem_activity: Any) -> None:
    phase = active_phase()
    hanoi = unit("CCB-HANOI")
    ids = list(Indicator.objects.filter(programme__code="QDND-CCB").values_list("pk", flat=True))
    for view in ("today", "historical"):
        for figures, approved in (("submitted", False), ("approved", True)):
            response = client_as("hanoi.ccb").get(url("CCB-HANOI", view=view, figures=figures))
            expected = selectors.totals(
                unit_ids=[hanoi.pk],
                indicator_ids=ids,
                start=phase.start,
                end=phase.end,
                view=view,  # type: ignore[arg-type]
                approved=approved,
            )
            by_code = {i.code: expected[(hanoi.pk, i.pk)] for i in Indicator.objects.filter(pk__in=ids)}
            assert totals_shown(response) == by_code
    page = client_as("hanoi.ccb").get(url("CCB-HANOI")).content.decode()
    attendances = totals_shown(client_as("hanoi.ccb").get(url("CCB-HANOI")))["tt-luot"]
    assert attendances >= 987_654
    assert cell(page, "total-tt-luot") == vn(attendances)  # written the Vietnamese way, 987.654


def test_it_shows_a_new_activity_at_once_on_the_commune_province_and_national_dashboards(
    client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    readers = {"CCB-X00070": "hoankiem.ccb", "CCB-HANOI": "hanoi.ccb", "CCB-TW": "tuhoi"}
    before = {code: totals_shown(client_as(user).get(url(code))) for code, user in readers.items()}
    added = {"tt-buoi": 7, "tt-luot": 4_321, "gn-ho": 2}
    activity_create(
        acting_user=demo_user("hoankiem.ccb"),
        phase=active_phase(),
        lead_unit=unit("CCB-X00070"),
        title="Giúp hội viên thoát nghèo (thử bảng số liệu)",
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 2),
        values={indicator(code): amount for code, amount in added.items()},
        submit=True,
        confirm_outliers=True,
    )
    for code, user in readers.items():
        after = totals_shown(client_as(user).get(url(code)))
        changed = {k: after[k] - before[code][k] for k in after if after[k] != before[code][k]}
        assert changed == added, code
    # The province's row on the national dashboard grows by the same amount.
    national = children_shown(client_as("tuhoi").get(url("CCB-TW", indicator="tt-luot")))
    assert national["CCB-HANOI"].value >= 4_321


def test_it_counts_a_submitted_activity_among_the_approved_figures_only_once_approved(
    client_as: Callable[[str], Any], demo_user: Callable[[str], Any], hoankiem_activity: Any
) -> None:
    submitted = totals_shown(client_as("hanoi.ccb").get(url("CCB-HANOI", figures="submitted")))
    approved = totals_shown(client_as("hanoi.ccb").get(url("CCB-HANOI", figures="approved")))
    assert submitted["tt-luot"] - approved["tt-luot"] >= 987_654
    activity_approve(activity=hoankiem_activity, acting_user=demo_user("hanoi.ccb"))
    approved_after = totals_shown(client_as("hanoi.ccb").get(url("CCB-HANOI", figures="approved")))
    assert approved_after["tt-luot"] - approved["tt-luot"] == 987_654


def test_it_measures_the_totals_against_the_phase_targets(client_as: Callable[[str], Any]) -> None:
    target = Target.objects.get(phase=active_phase(), unit=unit("CCB-HANOI"), indicator=indicator("tt-buoi"))
    response = client_as("hanoi.ccb").get(url("CCB-HANOI"))
    rows = {r.indicator.code: r for g in response.context["board"].fields for r in g.rows}
    row = rows["tt-buoi"]
    assert row.target == target.value
    assert row.percent == round(row.total * 100 / target.value, 1)
    assert rows["qp-hoat-dong"].target is None  # no target set: no percentage
    assert "Chỉ tiêu giao: giai đoạn 2022–2027" in response.content.decode()


def test_it_breaks_the_total_down_by_children_to_the_last_unit(
    client_as: Callable[[str], Any], hoankiem_activity: Any
) -> None:
    response = client_as("hanoi.ccb").get(url("CCB-HANOI", indicator="tt-luot"))
    board = response.context["board"]
    children = {c.code: c for c in board.children}
    assert len(children) == OrgUnit.objects.get_children(unit("CCB-HANOI")).filter(valid_to__isnull=True).count()
    assert children["CCB-X00070"].value >= 987_654
    assert sum(c.value for c in children.values()) + board.children_rest == board.indicator_total
    # Each child links to its own dashboard, keeping the chosen period and indicator.
    page = response.content.decode()
    assert f'href="{url("CCB-X00070")}?indicator=tt-luot"' in page


def test_it_lists_only_children_the_reader_may_open(
    client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    # Hà Nội's association reads its army counterpart, whose communes are paired with its own;
    # a unit stationed there and paired with no association stays out of its sight.
    admin = demo_user("admin")
    command = unit("QS-HANOI")
    commune = OrgUnit.objects.get_children(command).first()
    assert commune is not None
    stationed = unit_create(
        parent=command,
        acting_user=admin,
        code="QS-THU-DONG-QUAN",
        name="Đơn vị đóng quân thử",
        level=commune.level,
        valid_from=date(2025, 7, 1),
    )
    tt_buoi = indicator("tt-buoi")
    figures_enter(
        acting_user=admin,
        unit=stationed,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        values={tt_buoi: 321},
        confirm_outliers=True,
    )
    response = client_as("hanoi.ccb").get(url("QS-HANOI"))
    board = response.context["board"]
    listed = {c.code for c in board.children}
    assert "QS-THU-DONG-QUAN" not in listed and commune.code in listed
    assert board.children_rest >= 321 and not board.children_all_visible
    assert "Đơn vị đóng quân thử" not in response.content.decode()
    assert "Còn lại (tại chính đơn vị và đơn vị không thuộc phạm vi xem)" in response.content.decode()
    # The system administrator sees it among the children.
    assert "QS-THU-DONG-QUAN" in {c.code for c in client_as("admin").get(url("QS-HANOI")).context["board"].children}


def test_it_sets_the_unit_and_its_counterpart_side_by_side(
    client_as: Callable[[str], Any], hoankiem_activity: Any
) -> None:
    response = client_as("hoankiem.ccb").get(url("CCB-X00070"))
    board = response.context["board"]
    assert [(s.unit.code, s.visible) for s in board.sides] == [("CCB-X00070", True), ("QS-X00070", True)]
    qs = unit("QS-X00070")
    phase = active_phase()
    army = selectors.total(
        unit_id=qs.pk, indicator_id=indicator("tt-luot").pk, start=phase.start, end=phase.end, view="today"
    )
    row = next(r for r in board.side_rows if r.indicator.code == "tt-luot")
    assert row.values == [board.unit_totals[indicator("tt-luot").pk], army]
    assert row.total == sum(row.values)


def test_it_sets_both_organisations_roots_side_by_side_at_the_root(client_as: Callable[[str], Any]) -> None:
    response = client_as("admin").get(reverse("figures:dashboard"))
    board = response.context["board"]
    assert board.unit.code == "CCB-TW"
    assert [(s.unit.code, s.visible) for s in board.sides] == [("CCB-TW", True), ("BQP", True)]


def test_it_shows_the_national_co_owners_both_sides_totals_and_never_a_column_of_zeros(
    client_as: Callable[[str], Any],
) -> None:
    """The association's central approver co-owns the joint programme: the Ministry's column
    holds its national totals, equal to what the Ministry's own approver reads at home."""
    board = client_as("tuhoi").get(reverse("figures:dashboard")).context["board"]
    assert [(s.unit.code, s.visible) for s in board.sides] == [("CCB-TW", True), ("BQP", True)]
    army = client_as("tcct").get(url("BQP")).context["board"]
    buoi = indicator("tt-buoi")
    row = next(r for r in board.side_rows if r.indicator.code == "tt-buoi")
    assert row.values[1] == army.unit_totals[buoi.pk] > 0
    assert row.values[0] == board.unit_totals[buoi.pk] > 0
    assert row.complete and row.total == sum(row.values)
    # The Ministry's own approver reads the same two columns.
    tcct = client_as("tcct").get(url("BQP")).context["board"]
    assert [s.unit.code for s in tcct.sides] == ["BQP", "CCB-TW"]
    assert next(r for r in tcct.side_rows if r.indicator.code == "tt-buoi").total == row.total


def test_it_says_a_side_is_out_of_sight_instead_of_showing_zero(
    client_as: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where a reader may not see a side's figures, the page says so; the total adds what they see."""
    from phoihop.figures import dashboard

    readable = dashboard.figure_units

    def without_the_army(user: Any) -> Any:
        return readable(user).exclude(code="QS-X00070")

    monkeypatch.setattr(dashboard, "figure_units", without_the_army)
    response = client_as("hoankiem.ccb").get(url("CCB-X00070"))
    board = response.context["board"]
    assert [(s.unit.code, s.visible) for s in board.sides] == [("CCB-X00070", True), ("QS-X00070", False)]
    row = board.side_rows[0]
    assert row.values[1] is None and not row.complete and row.total == row.values[0]
    html = response.content.decode()
    assert html.count('data-testid="not-visible"') == len(board.side_rows)
    assert "không thuộc phạm vi xem" in html


# --- the two views of the tree -----------------------------------------------------------


def test_it_shows_hoa_binh_2024_under_phu_tho_today_and_under_hoa_binh_historically(
    client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    # 2024: before the 2025 reform, after the 2017–2022 phase (which the demo's national report locks).
    year = decree09_period("year", 2024)
    hoabinh = unit("CCB-HOABINH")
    chosen = free_indicator(hoabinh, year.start, year.end)
    params = {"period": "year", "year": "2024", "indicator": chosen.code}

    def read(view: str) -> dict[str, Any]:
        return children_shown(client_as("tuhoi").get(url("CCB-TW", view=view, **params)))

    today_before, then_before = read("today"), read("historical")
    figures_enter(
        acting_user=demo_user("admin"),
        unit=hoabinh,
        period_start=year.start,
        period_end=year.end,
        values={chosen: 321},
        confirm_outliers=True,
    )
    today, then = read("today"), read("historical")
    assert "CCB-HOABINH" not in today
    assert today["CCB-PHUTHO"].value - today_before["CCB-PHUTHO"].value == 321
    assert then["CCB-HOABINH"].value - then_before["CCB-HOABINH"].value == 321
    assert then["CCB-HOABINH"].closed
    assert then["CCB-PHUTHO"].value == then_before["CCB-PHUTHO"].value
    page = client_as("tuhoi").get(url("CCB-TW", view="historical", **params)).content.decode()
    row = re.search(r'<tr data-unit="CCB-HOABINH">.*?</tr>', page, re.S)
    assert row and "đã thôi hoạt động" in row.group(0)
    # Hòa Bình's own dashboard says where its figures went.
    closed = client_as("tuhoi").get(url("CCB-HOABINH", **params))
    assert closed.context["board"].unit_totals[chosen.pk] == 0
    notice = re.search(r'data-testid="closed-unit">(.*?)</div>', closed.content.decode(), re.S)
    assert notice and f'href="{url("CCB-PHUTHO")}?' in notice.group(1) and "Hội CCB Phú Thọ" in notice.group(1)


# --- periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "start", "end"),
    [
        ({}, date(2022, 9, 23), date(2027, 9, 22)),
        ({"period": "phase", "phase": "2017-2022"}, date(2017, 9, 23), date(2022, 9, 22)),
        ({"period": "year", "year": "2024"}, date(2023, 12, 15), date(2024, 12, 14)),
        ({"period": "half", "year": "2024", "half": "1"}, date(2023, 12, 15), date(2024, 6, 14)),
        ({"period": "half", "year": "2024", "half": "2"}, date(2024, 6, 15), date(2024, 12, 14)),
        ({"period": "custom", "start": "2023-02-03", "end": "2023-05-06"}, date(2023, 2, 3), date(2023, 5, 6)),
    ],
)
def test_it_reads_the_period_from_the_picker(
    client_as: Callable[[str], Any], params: dict[str, str], start: date, end: date
) -> None:
    response = client_as("hanoi.ccb").get(url("CCB-HANOI", **params))
    period = response.context["choice"].period
    assert (period.start, period.end) == (start, end)
    assert f"({start.day}/{start.month}/{start.year} – {end.day}/{end.month}/{end.year})" in response.content.decode()


def test_it_falls_back_to_the_active_phase_when_the_range_is_wrong(client_as: Callable[[str], Any]) -> None:
    response = client_as("hanoi.ccb").get(url("CCB-HANOI", period="custom", start="2024-05-01", end="2024-01-01"))
    assert response.status_code == 200
    assert (response.context["choice"].period.start, response.context["choice"].period.end) == (
        date(2022, 9, 23),
        date(2027, 9, 22),
    )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()


def test_it_draws_the_trend_month_by_month(client_as: Callable[[str], Any], hoankiem_activity: Any) -> None:
    response = client_as("hoankiem.ccb").get(url("CCB-X00070", period="year", year="2026", trend=["tt-luot", "xh-nha"]))
    script = re.search(
        r'<script id="dashboard-trend" type="application/json">(.*?)</script>', response.content.decode()
    )
    assert script
    trend = json.loads(script.group(1))
    # Decree 09's year 2026 runs to 14/12/2026; on 27/11/2026 (the tests' today) it stops at November.
    assert trend["months"][0] == "12/2025" and trend["months"][-1] == "11/2026"
    assert [s["unit"] for s in trend["series"]] == ["lượt người", "căn"]
    december = trend["months"].index("12/2025")
    assert trend["series"][0]["data"][december] >= 987_654
    assert sum(trend["series"][1]["data"]) == totals_shown(response)["xh-nha"]


def trend_of(response: Any) -> dict[str, Any]:
    html = response.content.decode()
    script = re.search(r'<script id="dashboard-trend" type="application/json">(.*?)</script>', html)
    assert script
    return dict(json.loads(script.group(1)))


def test_the_trend_stops_at_the_current_month_and_marks_it_partial(
    client_as: Callable[[str], Any], time_machine: Any
) -> None:
    time_machine.move_to(datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)
    phase = active_phase()
    response = client_as("hanoi.ccb").get(url("CCB-HANOI", period="phase", phase=phase.code))
    trend = trend_of(response)
    months = trend["months"]
    assert months[-1] == "3/2026"  # no month after today's is drawn (it would read as 0)
    assert months[0] == f"{phase.start.month}/{phase.start.year}"
    assert len(trend["partial"]) == len(months) == len(trend["series"][0]["data"])
    assert trend["partial"][-1] is True  # March 2026 has not ended
    assert trend["partial"][0] is (phase.start.day != 1)  # a phase starting mid-month
    assert not any(trend["partial"][1:-1])
    assert "tháng chưa trọn" in response.content.decode()


def test_the_trend_marks_a_decree_09_years_cut_months_partial(
    client_as: Callable[[str], Any], time_machine: Any
) -> None:
    time_machine.move_to(datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)
    trend = trend_of(client_as("hanoi.ccb").get(url("CCB-HANOI", period="year", year="2025")))
    # 15/12/2024 - 14/12/2025, long past: all thirteen months, the first and the last cut mid-month.
    assert trend["months"][0] == "12/2024" and trend["months"][-1] == "12/2025"
    assert trend["partial"] == [True] + [False] * 11 + [True]


def test_a_period_not_yet_begun_draws_no_month(time_machine: Any) -> None:
    time_machine.move_to(datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)
    period = decree09_period(PeriodKind.YEAR, 2028)
    trend = trend_data(unit("CCB-HANOI"), [indicator("tt-luot")], period, "today", False, date(2026, 11, 27))
    assert trend["months"] == [] and trend["partial"] == [] and trend["series"][0]["data"] == []


# --- the provinces' tiles -----------------------------------------------------------------


def test_it_lays_out_each_of_the_34_provinces_once_one_tile_a_cell() -> None:
    provinces = {p["code"] for p in json.loads(ADMIN_UNITS.read_text(encoding="utf-8"))["provinces"]}
    columns, rows, tiles = province_tiles()
    assert set(tiles) == provinces and len(provinces) == 34
    cells = [(col, row) for col, row, _ in tiles.values()]
    assert len(set(cells)) == 34
    assert all(0 <= col < columns and 0 <= row < rows for col, row in cells)


def test_it_colours_the_34_provinces_on_the_national_dashboard(
    client_as: Callable[[str], Any], hoankiem_activity: Any
) -> None:
    response = client_as("tuhoi").get(url("CCB-TW", indicator="tt-luot"))
    tiles = response.context["board"].province_map.tiles
    assert len(tiles) == 34 and all(t.unit is not None for t in tiles)
    assert {t.unit.code for t in tiles} >= {"CCB-HANOI", "CCB-CAMAU", "CCB-PHUTHO"}
    phase = active_phase()
    expected = selectors.totals(
        unit_ids=[t.unit.pk for t in tiles],
        indicator_ids=[indicator("tt-luot").pk],
        start=phase.start,
        end=phase.end,
        view="today",
    )
    assert {t.unit.pk: t.value for t in tiles} == {u: v for (u, _), v in expected.items()}
    hanoi = next(t for t in tiles if t.unit.code == "CCB-HANOI")
    assert hanoi.value >= 987_654 and hanoi.level == 5
    assert 'data-province="01"' in response.content.decode()


def test_it_draws_a_military_regions_provinces_and_no_map_below_the_provinces(client_as: Callable[[str], Any]) -> None:
    region = client_as("tcct").get(url("QK9")).context["board"].province_map
    assert region is not None
    drawn = {t.unit.code for t in region.tiles if t.unit is not None}
    assert "QS-CAMAU" in drawn and "QS-HANOI" not in drawn
    assert client_as("hanoi.ccb").get(url("CCB-HANOI")).context["board"].province_map is None


# --- scope and cost -----------------------------------------------------------------------


def test_it_opens_on_the_users_first_unit(client_as: Callable[[str], Any], user_with_role: Callable[..., Any]) -> None:
    assert client_as("hanoi.ccb").get(reverse("figures:dashboard")).context["unit"].code == "CCB-HANOI"
    assert client_as("admin").get(reverse("figures:dashboard")).context["unit"].code == "CCB-TW"
    from django.contrib.auth import get_user_model
    from django.test import Client

    nobody = get_user_model().objects.create_user(username="khong.vai.tro")
    client = Client()
    client.force_login(nobody)
    response = client.get(reverse("figures:dashboard"))
    assert response.status_code == 200
    assert "chưa được giao vai trò" in response.content.decode()


def test_it_answers_404_for_another_provinces_dashboard(client_as: Callable[[str], Any]) -> None:
    assert client_as("hanoi.ccb").get(url("CCB-CAMAU")).status_code == 404
    assert client_as("hanoi.ccb").get(url("QS-CAMAU")).status_code == 404
    assert client_as("camau.ccb").get(url("CCB-X00070")).status_code == 404
    assert client_as("hanoi.ccb").get(url("QS-HANOI")).status_code == 200  # its counterpart


def test_it_does_not_echo_a_programme_the_user_may_not_see(client_as: Callable[[str], Any]) -> None:
    response = client_as("hanoi.ccb").get(url("CCB-HANOI", programme="no-such-programme"))
    assert response.status_code == 200
    assert response.context["choice"].programme.code == "QDND-CCB"
    assert "no-such-programme" not in response.content.decode()


def test_it_reads_the_figures_in_a_bounded_number_of_queries(client_as: Callable[[str], Any]) -> None:
    def count(user: str, path: str) -> int:
        client = client_as(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        return len(queries)

    hanoi_children = OrgUnit.objects.get_children_count(unit("CCB-HANOI"))
    camau_children = OrgUnit.objects.get_children_count(unit("CCB-CAMAU"))
    assert hanoi_children > camau_children
    hanoi = count("hanoi.ccb", url("CCB-HANOI"))
    camau = count("camau.ccb", url("CCB-CAMAU"))
    assert hanoi == camau  # independent of the number of children
    assert hanoi <= 32
    assert count("tuhoi", url("CCB-TW")) <= 36  # 34 provinces, their map, the root's sum

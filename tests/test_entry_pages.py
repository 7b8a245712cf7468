"""The data-entry form (a unit's figures for one period, laid out like a paper report) and the
completeness page of a unit's children."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.entry.models import IndicatorValue
from phoihop.entry.services import figures_enter
from phoihop.figures.periods import Period, decree09_period
from phoihop.figures.selectors import total
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase

pytestmark = pytest.mark.django_db

HALF = decree09_period("half", 2026, 1)  # 15/12/2025 – 14/6/2026
YEAR = decree09_period("year", 2026)  # 15/12/2025 – 14/12/2026, overlaps HALF
LEVELS = ("CCB-X00070", "CCB-HANOI", "CCB-TW")  # the commune, its province, the association's root


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def ind() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(programme__code="QDND-CCB")}


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def selection(unit_code: str, phase: Phase, period: Period = HALF) -> dict[str, Any]:
    number = 1 if period.kind != "half" else (1 if period.end.month == 6 else 2)
    return {
        "unit": unit(unit_code).pk,
        "phase": phase.pk,
        "kind": period.kind,
        "year": period.end.year,
        "number": number,
    }


def post(
    client: Client,
    unit_code: str,
    phase: Phase,
    values: dict[Indicator, str],
    period: Period = HALF,
    note: str = "",
) -> Any:
    data = {**selection(unit_code, phase, period), "note": note}
    data.update({f"v_{indicator.pk}": text for indicator, text in values.items()})
    return client.post(reverse("entry:form"), data)


def entered(unit_code: str, indicator: Indicator, period: Period = HALF) -> IndicatorValue | None:
    return (
        IndicatorValue.objects.entered()
        .filter(unit__code=unit_code, indicator=indicator, period_start=period.start, date=period.end)
        .first()
    )


def totals_on(day_start: Any, day_end: Any, indicator: Indicator, approved: bool = False) -> dict[str, int]:
    return {
        code: total(unit_id=unit(code).pk, indicator_id=indicator.pk, start=day_start, end=day_end, approved=approved)
        for code in LEVELS
    }


def unit_options(html: str) -> set[int]:
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the page has no unit select"
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select.group(1))}


def selected_unit(html: str) -> int:
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', html, re.S)
    assert select
    found = re.search(r'<option value="(\d+)"[^>]*selected', select.group(1))
    assert found, "no unit is selected"
    return int(found.group(1))


# --- the choice of unit ------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "own"), [("hoankiem.ccb", "CCB-X00070"), ("hanoi.ccb", "CCB-HANOI")])
def test_it_offers_only_the_units_the_user_may_enter_for(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], username: str, own: str
) -> None:
    response = client_as(username).get(reverse("entry:form"))
    assert response.status_code == 200
    html = response.content.decode()
    offered = unit_options(html)
    allowed = set(OrgUnit.objects.restrict(demo_user(username), "change").values_list("pk", flat=True))
    assert unit(own).pk in offered
    assert offered <= allowed
    assert selected_unit(html) == unit(own).pk  # the user's own unit by default
    for other in ("QS-X00070", "CCB-CAMAU", "CCB-TW"):  # the army counterpart, another province, the root
        assert unit(other).pk not in offered
    if username == "hoankiem.ccb":
        assert unit("CCB-HANOI").pk not in offered  # the province above is not the commune's to enter


def test_it_finds_other_units_in_scope_by_name_without_diacritics(client_as: Callable[[str], Client]) -> None:
    response = client_as("hanoi.ccb").get(reverse("entry:form"), {"unit_q": "ba dinh"})
    offered = unit_options(response.content.decode())
    assert unit("CCB-HANOI").pk in offered
    found = OrgUnit.objects.get(organisation__code="ccb", name="Hội Cựu chiến binh phường Ba Đình")
    assert found.pk in offered
    camau = client_as("hanoi.ccb").get(reverse("entry:form"), {"unit_q": "ca mau"})
    assert not unit_options(camau.content.decode()) & set(
        OrgUnit.objects.filter(path__startswith=unit("CCB-CAMAU").path).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(("code", "status"), [("CCB-CAMAU", 404), ("QS-X00070", 403), ("CCB-TW", 404)])
def test_it_refuses_a_unit_out_of_reach_and_saves_nothing(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator], code: str, status: int
) -> None:
    client = client_as("hanoi.ccb")
    assert client.get(reverse("entry:form"), selection(code, phase)).status_code == status
    assert post(client, code, phase, {ind["tt-buoi"]: "9"}).status_code == status
    assert entered(code, ind["tt-buoi"]) is None


def test_it_refuses_a_user_who_enters_for_no_unit(client_as: Callable[[str], Client], hanoi_admin: Any) -> None:
    client = Client()
    client.force_login(hanoi_admin)  # a unit administrator manages users, enters no figures
    assert client.get(reverse("entry:form")).status_code == 403


# --- saving, clearing, on behalf -----------------------------------------------------------------


def test_it_counts_a_saved_value_on_the_last_day_of_the_period_at_every_level(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    indicator = ind["gn-ho"]
    on_last_day = totals_on(HALF.end, HALF.end, indicator)
    before_last_day = totals_on(HALF.start, HALF.end - timedelta(days=1), indicator)
    response = post(client_as("hoankiem.ccb"), "CCB-X00070", phase, {indicator: "37"}, note="Theo sổ theo dõi")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("entry:form") + "?")
    assert f"unit={unit('CCB-X00070').pk}" in response["Location"]
    row = entered("CCB-X00070", indicator)
    assert row is not None and (row.value, row.counted, row.note) == (37, True, "Theo sổ theo dõi")
    assert row.entered_by_unit_id is None  # the commune entered its own figures
    assert totals_on(HALF.end, HALF.end, indicator) == {code: n + 37 for code, n in on_last_day.items()}
    assert totals_on(HALF.start, HALF.end - timedelta(days=1), indicator) == before_last_day


def test_it_shows_the_saved_value_in_its_box(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    client = client_as("hoankiem.ccb")
    post(client, "CCB-X00070", phase, {ind["kt-von"]: "1.234"})  # typed the Vietnamese way
    assert entered("CCB-X00070", ind["kt-von"]).value == 1234  # type: ignore[union-attr]
    html = client.get(reverse("entry:form"), selection("CCB-X00070", phase)).content.decode()
    assert re.search(rf'name="v_{ind["kt-von"].pk}" value="1234"', html)


def test_it_clears_a_value_left_empty(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    client = client_as("hoankiem.ccb")
    indicator = ind["xh-nha"]
    before = totals_on(HALF.end, HALF.end, indicator)
    post(client, "CCB-X00070", phase, {indicator: "4", ind["ds-nguoi"]: "12"})
    assert totals_on(HALF.end, HALF.end, indicator) == {code: n + 4 for code, n in before.items()}
    response = post(client, "CCB-X00070", phase, {indicator: "", ind["ds-nguoi"]: "12"})
    assert response.status_code == 302
    assert entered("CCB-X00070", indicator) is None
    assert entered("CCB-X00070", ind["ds-nguoi"]).value == 12  # type: ignore[union-attr]
    assert totals_on(HALF.end, HALF.end, indicator) == before


def test_it_records_entering_on_behalf_by_the_province(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    client = client_as("hanoi.ccb")
    page = client.get(reverse("entry:form"), selection("CCB-X00070", phase)).content.decode()
    assert "Bạn đang nhập thay cho Hội CCB phường Hoàn Kiếm" in page
    assert post(client, "CCB-X00070", phase, {ind["tt-buoi"]: "6"}).status_code == 302
    row = entered("CCB-X00070", ind["tt-buoi"])
    assert row is not None
    assert (row.entered_by_unit, row.entered_by) == (unit("CCB-HANOI"), demo_user("hanoi.ccb"))
    # The commune, opening its own form, sees who entered it for it.
    own = client_as("hoankiem.ccb").get(reverse("entry:form"), selection("CCB-X00070", phase)).content.decode()
    assert "Cấp trên nhập thay: Hội CCB Hà Nội" in own
    assert "Bạn đang nhập thay" not in own


def test_it_shows_a_value_whose_enterer_is_not_recorded(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    """Figures loaded with the demo (or whose account was deleted) have nobody as their enterer:
    the form shows them with a dash, where it once failed with a server error."""
    client = client_as("hoankiem.ccb")
    post(client, "CCB-X00070", phase, {ind["tt-buoi"]: "6"}, note="nhập từ sổ")
    IndicatorValue.objects.entered().filter(unit__code="CCB-X00070").update(entered_by=None)
    response = client.get(reverse("entry:form"), selection("CCB-X00070", phase))
    assert response.status_code == 200
    html = response.content.decode()
    who = re.search(r'data-indicator="tt-buoi">.*?<td class="small entry-who">(.*?)</td>', html, re.S)
    assert who is not None
    assert who.group(1).strip().startswith("—")
    assert "nhập từ sổ" in who.group(1)


# --- refusals, on the form ---------------------------------------------------------------------------


def test_it_refuses_an_overlapping_period_and_keeps_what_was_typed(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    client = client_as("hoankiem.ccb")
    assert post(client, "CCB-X00070", phase, {ind["tt-buoi"]: "10"}).status_code == 302
    response = post(client, "CCB-X00070", phase, {ind["tt-buoi"]: "25", ind["tt-luot"]: "300"}, period=YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert "chồng lên kỳ này; một số liệu chỉ được tính một lần" in html
    assert re.search(rf'name="v_{ind["tt-buoi"].pk}" value="25"', html)
    assert re.search(rf'name="v_{ind["tt-luot"].pk}" value="300"', html)
    assert entered("CCB-X00070", ind["tt-buoi"], YEAR) is None
    assert entered("CCB-X00070", ind["tt-luot"], YEAR) is None  # nothing of the refused save is kept
    assert entered("CCB-X00070", ind["tt-buoi"]).value == 10  # type: ignore[union-attr]


def test_it_refuses_a_negative_value_on_the_form(
    client_as: Callable[[str], Client], phase: Phase, ind: dict[str, Indicator]
) -> None:
    response = post(client_as("hoankiem.ccb"), "CCB-X00070", phase, {ind["tt-buoi"]: "-3", ind["gn-ho"]: "2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Số liệu không được âm." in html
    assert re.search(rf'name="v_{ind["gn-ho"].pk}" value="2"', html)
    assert entered("CCB-X00070", ind["tt-buoi"]) is None
    assert entered("CCB-X00070", ind["gn-ho"]) is None


def test_it_refuses_a_period_that_ends_outside_the_phase(client_as: Callable[[str], Client], phase: Phase) -> None:
    old_half = decree09_period("half", 2022, 1)  # ends 14/6/2022, in the 2017–2022 phase
    response = client_as("hoankiem.ccb").get(reverse("entry:form"), selection("CCB-X00070", phase, old_half))
    assert response.status_code == 200
    html = response.content.decode()
    assert "kết thúc ngoài giai đoạn 2022–2027" in html
    assert 'data-testid="entry-table"' not in html


# --- completeness of the children -------------------------------------------------------------------


def test_it_shows_which_children_entered_and_who_entered_on_behalf(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    hanoi = demo_user("hanoi.ccb")
    figures_enter(
        acting_user=hanoi,
        unit=unit("CCB-X00070"),
        period_start=HALF.start,
        period_end=HALF.end,
        values={ind["tt-buoi"]: 3, ind["gn-ho"]: 1},
    )
    response = client_as("hanoi.ccb").get(reverse("entry:status"), selection("CCB-HANOI", phase))
    assert response.status_code == 200
    html = response.content.decode()
    filled = {code: int(n) for code, n in re.findall(r'data-unit="([^"]+)" data-filled="(\d+)"', html)}
    assert filled["CCB-X00070"] == 2
    # Every row counts what its unit entered for exactly this period (the demo enters some too).
    rows = IndicatorValue.objects.entered().filter(period_start=HALF.start, date=HALF.end, unit__code__in=filled)
    expected = {code: rows.filter(unit__code=code).count() for code in filled}
    assert filled == expected
    communes = OrgUnit.objects.filter(path__startswith=unit("CCB-HANOI").path, depth=3, valid_to__isnull=True)
    assert set(filled) == {"CCB-HANOI", *communes.values_list("code", flat=True)}
    assert response.context["reported"] == sum(1 for code, n in filled.items() if n and code != "CCB-HANOI")
    row = re.search(r'<tr data-unit="CCB-X00070".*?</tr>', html, re.S)
    assert row and "Cấp trên nhập thay: Hội CCB Hà Nội" in row.group(0)
    assert f"?unit={unit('CCB-X00070').pk}&amp;phase={phase.pk}&amp;kind=half&amp;year=2026&amp;number=1" in row.group(
        0
    )


def test_it_shows_the_status_only_of_units_in_the_reader_subtree(
    client_as: Callable[[str], Client], phase: Phase
) -> None:
    assert client_as("hoankiem.ccb").get(reverse("entry:status"), selection("CCB-HANOI", phase)).status_code == 404
    assert client_as("hanoi.ccb").get(reverse("entry:status"), selection("CCB-CAMAU", phase)).status_code == 404
    # The army counterpart is seen (name and pairing), but its figures entry is not Hà Nội association's.
    assert client_as("hanoi.ccb").get(reverse("entry:status"), selection("QS-HANOI", phase)).status_code == 403

"""Names of units as they were on a document's date, written in full (issue 14, item 2):
``orgunits.names`` (a unit's earlier names, ``UnitName``), ``services.rename_unit``, and the
documents that name units: the report (content, annexes, narrative lists) as of its period's
end, the commendation decision's list as of the decision's date; the demo's renamed units
(Thừa Thiên Huế, a centrally-run city from 1/1/2025) and its people's positions.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from phoihop.commendations.documents import award_line, decision_document, decision_xlsx
from phoihop.commendations.models import Decision
from phoihop.demo.base import POSITIONS_IN_FULL
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit, Person, UnitName
from phoihop.orgunits.names import name_on, names_on
from phoihop.orgunits.services import rename_unit
from phoihop.reporting.content import report_content
from phoihop.reporting.documents import build, document_for
from phoihop.reporting.models import Report, ReportingPeriod

pytestmark = pytest.mark.django_db

HUE_BEFORE = "Hội Cựu chiến binh tỉnh Thừa Thiên Huế"
HUE_NOW = "Hội Cựu chiến binh thành phố Huế"
HUE_ARMY_BEFORE = "Bộ Chỉ huy Quân sự tỉnh Thừa Thiên Huế"
HUE_ARMY_NOW = "Bộ Chỉ huy Quân sự thành phố Huế"


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def docx_text(content: bytes) -> str:
    """The document's paragraphs and table cells (nested too), one per line."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]

    def tables(items: Any) -> None:
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(document.tables)
    return "\n".join(parts)


def national() -> Report:
    return Report.objects.select_related("period", "unit", "partner_unit").get(
        period__programme__code="QDND-CCB", period__kind=PeriodKind.END_PHASE, period__phase__code="2017-2022"
    )


# --- the selector ---------------------------------------------------------------------


def test_the_demos_hue_units_bear_their_province_names_until_the_end_of_2024() -> None:
    association, army = unit("CCB-HUE"), unit("QS-HUE")
    assert (association.name, army.name) == (HUE_NOW, HUE_ARMY_NOW)
    assert name_on(association, date(2022, 9, 22)) == HUE_BEFORE
    assert name_on(association, date(2024, 12, 31)) == HUE_BEFORE
    assert name_on(association, date(2025, 1, 1)) == HUE_NOW
    assert name_on(army, date(2020, 1, 1)) == HUE_ARMY_BEFORE
    assert name_on(army, date(2026, 6, 14)) == HUE_ARMY_NOW
    # A unit never renamed is named by its name on any day.
    assert name_on(unit("CCB-HANOI"), date(2018, 1, 1)) == "Hội Cựu chiến binh thành phố Hà Nội"


def test_names_on_reads_any_number_of_units_in_one_query(django_assert_num_queries: Any) -> None:
    codes = ["CCB-HUE", "QS-HUE", "CCB-HANOI", "CCB-HOCHIMINH", "TCCT"]
    ids = {code: unit(code).pk for code in codes}
    with django_assert_num_queries(1):
        before = names_on(ids.values(), date(2022, 9, 22))
    with django_assert_num_queries(1):
        after = names_on(list(ids.values()) * 2, date(2026, 1, 1))
    assert before == {
        ids["CCB-HUE"]: HUE_BEFORE,
        ids["QS-HUE"]: HUE_ARMY_BEFORE,
        ids["CCB-HANOI"]: "Hội Cựu chiến binh thành phố Hà Nội",
        ids["CCB-HOCHIMINH"]: "Hội Cựu chiến binh thành phố Hồ Chí Minh",
        ids["TCCT"]: "Tổng cục Chính trị Quân đội nhân dân Việt Nam",
    }
    assert after[ids["CCB-HUE"]] == HUE_NOW and after[ids["QS-HUE"]] == HUE_ARMY_NOW
    assert names_on([], date(2026, 1, 1)) == {}


# --- renaming, dated ------------------------------------------------------------------


def test_rename_unit_keeps_the_old_name_until_the_day_before(demo_user: Callable[[str], Any]) -> None:
    admin = demo_user("admin")
    ward = unit("CCB-X00070")  # Hội Cựu chiến binh phường Hoàn Kiếm, from 1/7/2025
    old = ward.name
    renamed = rename_unit(
        unit=ward,
        new_name="  Hội Cựu chiến binh   phường Hoàn Kiếm mới ",
        new_short_name="Hội CCB Hoàn Kiếm mới",
        effective=date(2026, 3, 1),
        acting_user=admin,
    )
    assert (renamed.name, renamed.short_name) == ("Hội Cựu chiến binh phường Hoàn Kiếm mới", "Hội CCB Hoàn Kiếm mới")
    ward.refresh_from_db()
    assert ward.name == "Hội Cựu chiến binh phường Hoàn Kiếm mới"
    earlier = UnitName.objects.get(unit=ward)
    assert (earlier.name, earlier.valid_from, earlier.valid_to) == (old, date(2025, 7, 1), date(2026, 2, 28))
    assert name_on(ward, date(2025, 7, 1)) == old
    assert name_on(ward, date(2026, 2, 28)) == old
    assert name_on(ward, date(2026, 3, 1)) == "Hội Cựu chiến binh phường Hoàn Kiếm mới"
    # Who did it and what, in both history rows.
    for history in (earlier.history.latest(), ward.history.latest()):
        assert (history.history_user, history.history_change_reason) == (admin, "unit.rename")

    # A second renaming starts where the first one's name began: 1/3/2026.
    with pytest.raises(ValidationError) as refused:
        rename_unit(unit=ward, new_name="Tên khác", effective=date(2026, 3, 1), acting_user=admin)
    assert "Ngày đổi tên phải sau ngày tên hiện tại của đơn vị bắt đầu có hiệu lực (1/3/2026)." in str(refused.value)
    ward = rename_unit(unit=ward, new_name="Tên khác", effective=date(2026, 5, 1), acting_user=admin)
    assert [name_on(ward, day) for day in (date(2026, 2, 1), date(2026, 4, 1), date(2026, 5, 1))] == [
        old,
        "Hội Cựu chiến binh phường Hoàn Kiếm mới",
        "Tên khác",
    ]


def test_rename_unit_refuses_a_day_before_the_current_names_start_in_vietnamese(
    demo_user: Callable[[str], Any],
) -> None:
    admin = demo_user("admin")
    hue = unit("CCB-HUE")  # its current name since 1/1/2025
    for day in (date(2024, 6, 1), date(2025, 1, 1)):
        with pytest.raises(ValidationError) as refused:
            rename_unit(unit=hue, new_name="Hội Cựu chiến binh Huế", effective=day, acting_user=admin)
        assert refused.value.message_dict == {
            "effective": ["Ngày đổi tên phải sau ngày tên hiện tại của đơn vị bắt đầu có hiệu lực (1/1/2025)."]
        }
    with pytest.raises(ValidationError) as refused:
        rename_unit(unit=hue, new_name="Hội Cựu chiến binh Huế", effective=date(2027, 1, 1), acting_user=admin)
    assert refused.value.message_dict == {"effective": ["Ngày đổi tên không được sau ngày hôm nay."]}
    with pytest.raises(ValidationError) as refused:
        rename_unit(
            unit=hue, new_name=HUE_NOW, new_short_name=hue.short_name, effective=date(2026, 1, 1), acting_user=admin
        )
    assert refused.value.message_dict == {"name": ["Tên mới trùng với tên hiện tại của đơn vị."]}
    assert UnitName.objects.filter(unit=hue).count() == 1
    assert unit("CCB-HUE").name == HUE_NOW


def test_rename_unit_is_refused_outside_the_writers_scope(demo_user: Callable[[str], Any]) -> None:
    from phoihop.core.services import OutOfScope

    with pytest.raises(OutOfScope):
        rename_unit(
            unit=unit("CCB-HUE"), new_name="Tên khác", effective=date(2026, 1, 1), acting_user=demo_user("hanoi.ccb")
        )
    assert unit("CCB-HUE").name == HUE_NOW


# --- documents ------------------------------------------------------------------------


def test_the_national_2017_2022_report_names_units_in_full_as_they_were_then() -> None:
    report = national()
    content = report.frozen
    association = next(a for a in content["annexes"] if a["unit"]["id"] == unit("CCB-TW").pk)
    rows = {row["id"]: row["name"] for row in association["rows"]}
    assert rows[unit("CCB-HUE").pk] == HUE_BEFORE
    assert rows[unit("CCB-HOCHIMINH").pk] == "Hội Cựu chiến binh thành phố Hồ Chí Minh"
    listed = [item["unit"] for key in ("activities", "models", "lessons", "proposals") for item in content[key]]
    assert listed and all(name and not name.startswith(("Hội CCB", "Bộ CHQS", "BTL ")) for name in listed)

    text = docx_text(build(report, "docx").content)
    assert HUE_BEFORE in text
    assert "Hội Cựu chiến binh thành phố Hồ Chí Minh" in text
    assert "Huế" not in text.replace("Thừa Thiên Huế", "")  # neither "Hội CCB Huế" nor the city's name
    assert not re.search(r"\b(Hội CCB|Bộ CHQS|BTL) ", text), re.findall(r".{30}(?:Hội CCB|Bộ CHQS|BTL) .{30}", text)
    # A five-year summary's figures are the phase's, not "Kỳ này".
    assert document_for(report).value_label == "Giai đoạn 2017–2022"
    assert "Giai đoạn 2017–2022" in text.split("\n")


def test_a_2026_report_names_the_renamed_unit_by_its_new_name() -> None:
    report = Report.objects.select_related("period", "unit").get(
        unit__code="CCB-HUE", period__kind=PeriodKind.HALF, period__start__year=2025, period__end__year=2026
    )
    text = docx_text(build(report, "docx").content)
    assert HUE_NOW in text
    assert "Thừa Thiên" not in text
    assert document_for(report).value_label == "Kỳ này"


def test_report_content_names_units_as_of_the_periods_end() -> None:
    """Computed content (a draft, or one frozen on submission) resolves names when it is made:
    the same subtree before and after the renaming of Huế."""
    tw = unit("CCB-TW")
    period = ReportingPeriod.objects.filter(programme__code="QDND-CCB", start__year=2024, end__year=2024).first()
    assert period is not None and period.end < date(2025, 1, 1)
    later = ReportingPeriod.objects.filter(programme__code="QDND-CCB", start__gte=date(2025, 7, 1)).first()
    assert later is not None
    for each, expected in ((period, HUE_BEFORE), (later, HUE_NOW)):
        content = report_content(period=each, unit=tw)
        rows = {row["id"]: row["name"] for row in content["annexes"][0]["rows"]}
        assert rows[unit("CCB-HUE").pk] == expected, each


def test_the_decisions_list_names_units_as_they_were_on_the_decisions_date(
    demo_user: Callable[[str], Any],
) -> None:
    decision = Decision.objects.get(issued_on=date(2025, 12, 22))
    award = decision.awards.select_related("home_unit", "person", "decision").get()
    ward = award.home_unit
    old = ward.name
    rename_unit(
        unit=ward,
        new_name="Hội Cựu chiến binh phường Hoàn Kiếm (tên mới)",
        effective=date(2026, 1, 1),
        acting_user=demo_user("admin"),
    )
    ward.refresh_from_db()
    award.home_unit.refresh_from_db()

    document = decision_document(decision)
    (annex,) = document.lists
    assert [row[3] for row in annex.rows] == [old]
    assert award_line(award).endswith(f", {old}")
    assert award_line(award, date(2026, 1, 1)).endswith(", Hội Cựu chiến binh phường Hoàn Kiếm (tên mới)")
    sheet = load_workbook(io.BytesIO(decision_xlsx(decision))).active
    assert sheet.cell(row=4, column=5).value == old


# --- the demo's people ------------------------------------------------------------------


def test_the_demos_people_name_the_unit_of_their_positions() -> None:
    assert Person.objects.get(full_name="Trần Minh Đức").positions == ["Chủ tịch Hội Cựu chiến binh phường Hoàn Kiếm"]
    assert Person.objects.get(full_name="Bùi Văn Toàn").positions == ["Phó Chính ủy Bộ Tư lệnh Thủ đô Hà Nội"]
    bare = re.compile(r"(Hội CCB|Hội Cựu chiến binh) (phường|xã|tỉnh|thành phố)$|^Phó Chính ủy$|^Tổ trưởng tổ hội$")
    held = [p for positions in Person.objects.values_list("positions", flat=True) for p in positions]
    assert held and not [p for p in held if bare.search(p) or "CCB" in p]
    assert all(full in held for full in POSITIONS_IN_FULL.values())

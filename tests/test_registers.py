"""The register of outgoing documents (sổ đăng ký văn bản đi) and the named signer.

Numbers of a body and year run from 01 with no gap and no repeat, also when many take them at
once (threads on PostgreSQL); a cancelled number stays in the register and is never given
again; a report or decision is neither numbered nor sent without a named signer; a user reads
only the registers of bodies in their subtree.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from phoihop.commendations import services as commendation_services
from phoihop.core.gate import system_job
from phoihop.core.services import OutOfScope
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Phase
from phoihop.reporting import registers, services
from phoihop.reporting.models import (
    DocumentKind,
    NumberRegister,
    NumberStatus,
    RegisteredNumber,
    Report,
    ReportingPeriod,
    ReportStatus,
)
from phoihop.reporting.signers import is_placeholder_name, signer_problems
from tests.support.signing import sign, signer_form

pytestmark = pytest.mark.django_db

COMMUNE = "CCB-X00070"  # Hoàn Kiếm's association: reporter hoankiem.ccb, approver above hanoi.ccb


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


@pytest.fixture
def half(demo_user: Callable[[str], Any]) -> ReportingPeriod:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    services.periods_generate(phase=phase, acting_user=demo_user("admin"))
    return ReportingPeriod.objects.get(programme=phase.programme, kind=PeriodKind.HALF, start=date(2025, 12, 15))


@pytest.fixture
def draft(half: ReportingPeriod, demo_user: Callable[[str], Any]) -> Report:
    """The commune's draft with the signer its profile gives: a title, no name."""
    return services.report_open(period=half, unit=unit(COMMUNE), acting_user=demo_user("hoankiem.ccb"))


def take(body: OrgUnit, year: int, user: Any, **extra: Any) -> RegisteredNumber:
    return registers.take_number(
        unit=body, year=year, kind=DocumentKind.REPORT, symbol="BC-HCCB", acting_user=user, **extra
    )


def numbers(body: OrgUnit, year: int) -> list[int]:
    return list(
        RegisteredNumber.objects.filter(unit=body, year=year).order_by("number").values_list("number", flat=True)
    )


# --- numbers ------------------------------------------------------------------------------------


def test_it_numbers_each_body_from_01_and_again_each_year(demo_user: Callable[[str], Any]) -> None:
    user = demo_user("hanoi.ccb")
    hanoi, commune = unit("CCB-HANOI"), unit(COMMUNE)
    assert [take(hanoi, 2031, user).number for _ in range(3)] == [1, 2, 3]
    assert take(commune, 2031, user).number == 1  # another body: its own register
    assert take(hanoi, 2032, user).number == 1  # 1 January: from 01 again
    assert take(hanoi, 2031, user).number == 4
    assert numbers(hanoi, 2031) == [1, 2, 3, 4]
    assert NumberRegister.objects.get(unit=hanoi, year=2031).last == 4
    line = RegisteredNumber.objects.get(unit=hanoi, year=2031, number=4)
    assert (line.label, line.taken_by, line.status) == ("04/BC-HCCB", user, NumberStatus.ISSUED)


def test_the_database_refuses_a_number_given_twice(demo_user: Callable[[str], Any]) -> None:
    line = take(unit("CCB-HANOI"), 2033, demo_user("hanoi.ccb"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisteredNumber.objects.create(
            unit=line.unit, year=2033, number=line.number, symbol="BC-HCCB", kind=DocumentKind.REPORT
        )


def test_a_cancelled_number_stays_and_is_never_given_again(demo_user: Callable[[str], Any]) -> None:
    user, hanoi = demo_user("hanoi.ccb"), unit("CCB-HANOI")
    first, second = take(hanoi, 2034, user), take(hanoi, 2034, user)
    with pytest.raises(ValidationError) as no_reason:
        registers.number_cancel(entry=second, reason="  ", acting_user=user)
    assert "lý do" in str(no_reason.value)
    with pytest.raises(OutOfScope):  # another province's clerk
        registers.number_cancel(entry=second, reason="Nhầm.", acting_user=demo_user("camau.ccb"))

    cancelled = registers.number_cancel(entry=second, reason="Lấy nhầm số.", acting_user=user)
    assert (cancelled.status, cancelled.cancel_reason, cancelled.cancelled_by) == ("cancelled", "Lấy nhầm số.", user)
    assert take(hanoi, 2034, user).number == 3
    assert numbers(hanoi, 2034) == [first.number, 2, 3]
    with pytest.raises(ValidationError):  # once is enough
        registers.number_cancel(entry=cancelled, reason="Lại.", acting_user=user)


@pytest.mark.django_db(transaction=True)
def test_eight_threads_taking_numbers_at_once_leave_no_gap_and_no_repeat(demo_user: Callable[[str], Any]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite runs one writer at a time)")
    user, body = demo_user("hanoi.ccb"), unit("CCB-HANOI")
    year, threads_n, each = 2040, 8, 10
    barrier = threading.Barrier(threads_n)
    taken: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(each):
                taken.append(take(body, year, user).number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert not errors, errors
    assert sorted(taken) == list(range(1, threads_n * each + 1))
    assert numbers(body, year) == list(range(1, threads_n * each + 1))
    assert NumberRegister.objects.get(unit=body, year=year).last == threads_n * each


# --- a report is numbered and sent only with a named signer ------------------------------------


@pytest.mark.parametrize(
    "name",
    ["", "   ", "THỦ TRƯỞNG ĐƠN VỊ", "Thủ trưởng cơ quan", "NGƯỜI KÝ", "…", "......", "(ký tên)", "CHỦ TỊCH"],
)
def test_a_placeholder_is_not_a_name(name: str) -> None:
    assert is_placeholder_name(name)
    assert signer_problems({"title": "CHỦ TỊCH", "name": name})


@pytest.mark.parametrize("name", ["Nguyễn Văn Gấu", "Khuất Việt Dũng", "NGUYỄN VĂN A", "Đỗ Thị Bình"])
def test_a_persons_name_is_a_name(name: str) -> None:
    assert not is_placeholder_name(name)
    assert signer_problems({"title": "PHÓ CHỦ TỊCH", "name": name}) == []


def test_a_placeholder_title_is_refused_even_with_a_name() -> None:
    assert signer_problems({"title": "THỦ TRƯỞNG ĐƠN VỊ", "name": "Trần Văn Bình"})
    assert signer_problems({"title": "", "name": "Trần Văn Bình"})


@pytest.mark.parametrize("name", ["", "THỦ TRƯỞNG ĐƠN VỊ", "(ký tên)"])
def test_a_report_without_a_named_signer_is_neither_sent_nor_numbered(
    draft: Report, demo_user: Callable[[str], Any], name: str
) -> None:
    writer = demo_user("hoankiem.ccb")
    signer = {**draft.signers[0], "name": name}
    draft = services.report_save(
        report=draft, data={"signers": [signer]}, expected_version=draft.version, acting_user=writer
    )
    lines_before = RegisteredNumber.objects.count()
    registers_before = list(NumberRegister.objects.values_list("unit_id", "year", "last"))
    with pytest.raises(ValidationError) as refused:
        services.report_submit(report=draft, acting_user=writer)
    assert "người ký" in " ".join(refused.value.messages)
    stored = Report.objects.get(pk=draft.pk)
    assert (stored.status, stored.number, stored.frozen) == (ReportStatus.DRAFT, None, None)
    assert RegisteredNumber.objects.count() == lines_before
    assert list(NumberRegister.objects.values_list("unit_id", "year", "last")) == registers_before


def test_an_army_bodys_default_placeholder_signer_must_be_named(demo_user: Callable[[str], Any]) -> None:
    # The army's province body has no profile: its default signer is the placeholder the
    # Cao Bằng report went out with ("THỦ TRƯỞNG ĐƠN VỊ", no name). The demo's 2026 draft has it.
    writer = demo_user("hanoi.qs")
    report = Report.objects.get(
        unit__code="QS-HANOI", period__kind=PeriodKind.YEAR, period__start=date(2025, 12, 15), status="draft"
    )
    assert report.signers[0]["title"] == "THỦ TRƯỞNG ĐƠN VỊ" and not report.signers[0]["name"]
    problems = services.report_signer_problems(report)
    assert any("THỦ TRƯỞNG ĐƠN VỊ" in p for p in problems) and any("họ tên" in p for p in problems)
    with pytest.raises(ValidationError):
        services.report_submit(report=report, acting_user=writer)
    sent = services.report_submit(report=sign(report, writer), acting_user=writer)
    assert sent.status == ReportStatus.SUBMITTED and sent.number


def test_a_sent_report_has_its_line_in_the_register(draft: Report, demo_user: Callable[[str], Any]) -> None:
    writer = demo_user("hoankiem.ccb")
    sent = services.report_submit(report=sign(draft, writer), acting_user=writer)
    line = registers.entries_of(sent).get()
    assert (line.unit, line.year, line.number, line.kind) == (unit(COMMUNE), 2026, sent.number, DocumentKind.REPORT)
    assert line.label.endswith(f"/{line.symbol}") and line.symbol.startswith("BC-")
    assert line.document == sent and "Kết quả thực hiện" in line.subject
    # Returned and sent again, it keeps its number: no second line.
    services.report_return(report=sent, reason="Bổ sung.", acting_user=demo_user("hanoi.ccb"))
    again = services.report_submit(report=Report.objects.get(pk=sent.pk), acting_user=writer)
    assert again.number == sent.number and registers.entries_of(again).count() == 1


def test_a_typed_number_must_be_the_registers_next(draft: Report, demo_user: Callable[[str], Any]) -> None:
    writer = demo_user("hoankiem.ccb")
    draft = sign(draft, writer)
    body = unit(COMMUNE)
    following = (NumberRegister.objects.filter(unit=body, year=2026).values_list("last", flat=True).first() or 0) + 1
    typed = services.report_save(
        report=draft, data={"number": following + 5}, expected_version=draft.version, acting_user=writer
    )
    with pytest.raises(ValidationError) as refused:
        services.report_submit(report=typed, acting_user=writer)
    assert f"số tiếp theo là {following:02d}" in " ".join(refused.value.messages)
    typed = services.report_save(
        report=typed, data={"number": following}, expected_version=typed.version, acting_user=writer
    )
    sent = services.report_submit(report=typed, acting_user=writer)
    assert sent.number == following and registers.entries_of(sent).get().number == following


def test_cancelling_a_returned_reports_number_gives_it_a_new_one(
    draft: Report, demo_user: Callable[[str], Any]
) -> None:
    writer, approver = demo_user("hoankiem.ccb"), demo_user("hanoi.ccb")
    sent = services.report_submit(report=sign(draft, writer), acting_user=writer)
    line = registers.entries_of(sent).get()
    with pytest.raises(ValidationError):  # it went out with that number
        registers.number_cancel(entry=line, reason="Nhầm.", acting_user=writer)
    services.report_return(report=sent, reason="Làm lại.", acting_user=approver)
    registers.number_cancel(entry=line, reason="Báo cáo làm lại, lấy số mới.", acting_user=writer)
    assert Report.objects.get(pk=sent.pk).number is None
    again = services.report_submit(report=Report.objects.get(pk=sent.pk), acting_user=writer)
    assert again.number == line.number + 1
    assert RegisteredNumber.objects.get(pk=line.pk).status == NumberStatus.CANCELLED


def test_the_report_page_says_what_is_missing_and_refuses_to_send(
    client_as: Callable[[str], Client], draft: Report
) -> None:
    client = client_as("hoankiem.ccb")
    page = client.get(reverse("reporting:report", kwargs={"pk": draft.pk})).content.decode()
    assert 'data-testid="signer-missing"' in page and "Chưa ghi họ tên người ký" in page
    response = client.post(reverse("reporting:report-submit", kwargs={"pk": draft.pk}), {"version": draft.version})
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert "chưa có người ký có tên" in shown
    assert Report.objects.get(pk=draft.pk).status == ReportStatus.DRAFT
    # Named through the form, the warning goes and the report is sent.
    data = {"version": draft.version, "recipients": "", "place": "Hà Nội", "number": "", **signer_form(draft)}
    assert client.post(reverse("reporting:report-edit", kwargs={"pk": draft.pk}), data).status_code == 302
    page = client.get(reverse("reporting:report", kwargs={"pk": draft.pk})).content.decode()
    assert 'data-testid="signer-missing"' not in page
    version = Report.objects.get(pk=draft.pk).version
    client.post(reverse("reporting:report-submit", kwargs={"pk": draft.pk}), {"version": version})
    assert Report.objects.get(pk=draft.pk).status == ReportStatus.SUBMITTED


def test_the_api_answers_400_with_the_message(api_client_as: Callable[[str], Any], draft: Report) -> None:
    response = api_client_as("hoankiem.ccb").post(f"/api/v1/reports/{draft.pk}/submit/", {}, format="json")
    assert response.status_code == 400
    assert "người ký" in str(response.json())
    assert Report.objects.get(pk=draft.pk).number is None


def test_a_decision_is_numbered_only_with_a_named_signer(demo_user: Callable[[str], Any]) -> None:
    approver, province = demo_user("hanoi.ccb"), unit("CCB-HANOI")
    before = RegisteredNumber.objects.count()
    with pytest.raises(ValidationError):
        commendation_services.decision_create(awarding_unit=province, acting_user=approver, signer_title="Chủ tịch")
    assert RegisteredNumber.objects.count() == before
    unnumbered = commendation_services.decision_create(awarding_unit=province, acting_user=approver, take_number=False)
    assert unnumbered.number is None
    decision = commendation_services.decision_create(
        awarding_unit=province, acting_user=approver, signer_title="Phó Chủ tịch", signer_name="Lê Quang Vinh"
    )
    line = registers.entries_of(decision).get()
    assert (line.number, line.kind, line.unit) == (decision.number, DocumentKind.DECISION, decision.issuing_unit)
    assert line.symbol == "QĐ-HCCB"


# --- the register's pages and API ----------------------------------------------------------------


def test_the_register_page_shows_lines_and_cancels_with_a_reason(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any]
) -> None:
    hanoi = unit("CCB-HANOI")
    user = demo_user("hanoi.ccb")
    kept, dropped = take(hanoi, 2035, user, subject="Báo cáo giữ số"), take(hanoi, 2035, user, subject="Lấy nhầm")
    client = client_as("hanoi.ccb")
    url = reverse("reporting:register", kwargs={"unit": hanoi.pk, "year": 2035})
    page = client.get(url).content.decode()
    assert "Báo cáo giữ số" in page and "01/BC-HCCB" in page and "02/BC-HCCB" in page
    assert client.get(reverse("reporting:register-home")).status_code == 200

    cancel = reverse("reporting:register-cancel", kwargs={"pk": dropped.pk})
    client.post(cancel, {"reason": ""})
    assert RegisteredNumber.objects.get(pk=dropped.pk).status == NumberStatus.ISSUED
    response = client.post(cancel, {"reason": "Lấy nhầm số."})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "<s>02/BC-HCCB</s>" in page and "Lấy nhầm số." in page
    assert RegisteredNumber.objects.get(pk=kept.pk).status == NumberStatus.ISSUED


def test_another_provinces_register_answers_404(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any]
) -> None:
    camau = unit("CCB-CAMAU")
    line = take(camau, 2036, demo_user("camau.ccb"), subject="Của Cà Mau")
    hanoi = client_as("hanoi.ccb")
    assert hanoi.get(reverse("reporting:register", kwargs={"unit": camau.pk, "year": 2036})).status_code == 404
    assert hanoi.post(reverse("reporting:register-cancel", kwargs={"pk": line.pk}), {"reason": "x"}).status_code == 404
    assert "Của Cà Mau" not in hanoi.get(reverse("reporting:register-home")).content.decode()
    assert RegisteredNumber.objects.get(pk=line.pk).status == NumberStatus.ISSUED
    own = client_as("camau.ccb").get(reverse("reporting:register", kwargs={"unit": camau.pk, "year": 2036}))
    assert own.status_code == 200 and "Của Cà Mau" in own.content.decode()


def test_the_api_lists_a_register_in_scope(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    camau = unit("CCB-CAMAU")
    take(camau, 2037, demo_user("camau.ccb"), subject="Sổ Cà Mau")
    own = api_client_as("camau.ccb").get("/api/v1/registers/", {"unit": "CCB-CAMAU", "year": 2037}).json()
    assert [(r["number"], r["number_label"], r["status"]) for r in own["results"]] == [(1, "01/BC-HCCB", "issued")]
    other = api_client_as("hanoi.ccb").get("/api/v1/registers/", {"unit": "CCB-CAMAU", "year": 2037}).json()
    assert other["results"] == []


# --- the data migration ------------------------------------------------------------------------


def test_the_data_migration_registers_every_numbered_document_without_gaps() -> None:
    numbered = {(r.pk, r.number) for r in Report.objects.filter(number__isnull=False)}
    assert numbered, "the demo has numbered reports"
    RegisteredNumber.objects.all().delete()
    migration = importlib.import_module("phoihop.reporting.migrations.0006_register_existing_numbers")
    with system_job("the data migration, run on today's models"):
        migration.forwards(django_apps, None)

    report_lines = RegisteredNumber.objects.filter(content_type__model="report")
    assert {(line.object_id, line.number) for line in report_lines} == numbered
    for register in NumberRegister.objects.all():
        got = numbers(register.unit, register.year)
        assert got == list(range(1, register.last + 1)), (register.unit.code, register.year)


def test_every_numbered_demo_document_has_a_named_signer_and_its_line() -> None:
    from phoihop.commendations.models import Decision

    sent = Report.objects.filter(number__isnull=False).select_related("unit", "partner_unit")
    assert sent.exists()
    for report in sent:
        assert services.report_signer_problems(report) == [], (report.unit.code, report.signers)
        assert registers.entries_of(report).filter(number=report.number).exists()
    for decision in Decision.objects.filter(number__isnull=False):
        assert signer_problems({"name": decision.signer_name, "title": decision.signer_title}) == []
        if decision.issuing_unit.organisation.code == "qdnd":
            assert decision.signer_rank  # an army body's signer has a rank
        assert registers.entries_of(decision).get().number == decision.number

"""Commendations through their services: the seeded catalogue, each rule refused with its
message, every transition of a nomination and who may make it, crossing to the other
organisation, decisions numbered from the register, and the commendation history."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from phoihop.commendations import services
from phoihop.commendations.models import (
    Award,
    AwardKind,
    AwardType,
    Decision,
    Nomination,
    NominationStatus,
    Quota,
    QuotaBase,
    QuotaScope,
    StepAction,
)
from phoihop.commendations.selectors import (
    award_forms,
    commendation_history,
    emulation_titles,
    nominations_to_decide,
    nominations_visible,
)
from phoihop.core.services import OutOfScope
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Phase

pytestmark = pytest.mark.django_db

COMMUNE = "CCB-X00070"  # Hoàn Kiếm's association: reporter hoankiem.ccb; CCB-HANOI above, then CCB-TW
# A decision is numbered only with a named signer (phoihop/reporting/signers.py), a signatory of
# its body when the body lists them (phoihop/reporting/authority.py): the demo's Hà Nội signs by
# its vice-chairman, the Association's centre by Khuất Việt Dũng, TCCT by Nguyễn Văn Gấu (KT.);
# the capital's command (no signatories) by its commander in his own name.
SIGNER = {"signer_name": "Lê Quang Vinh"}
TW_SIGNER = {"signer_name": "Khuất Việt Dũng"}
TCCT_SIGNER = {"signer_name": "Nguyễn Văn Gấu"}
ARMY_SIGNER = {"signer_title": "Tư lệnh", "signer_name": "Phạm Quang Huy", "signer_rank": "thieu-tuong"}
TODAY = date(2026, 11, 27)  # the tests' clock: a decision is not dated before its nomination's steps


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def award(code: str) -> AwardType:
    return AwardType.objects.get(code=code)


@pytest.fixture(autouse=True)
def catalogue() -> None:
    services.awards_load()


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def users(demo_user: Callable[[str], Any]) -> dict[str, Any]:
    names = ["admin", "tcct", "tuhoi", "hanoi.qs", "hanoi.ccb", "camau.ccb", "hoankiem.ccb"]
    return {n: demo_user(n) for n in names}


@pytest.fixture
def veteran() -> Person:
    return Person.objects.create(
        full_name="Nguyễn Văn Cựu", birth_year=1955, rank="thuong-uy", positions=["Chi hội trưởng"], unit=unit(COMMUNE)
    )


def propose(
    users: dict[str, Any], phase: Phase, person: Person, code: str = "bk-ccb-tw", year: int = 2026
) -> Nomination:
    return services.nomination_create(
        acting_user=users["hoankiem.ccb"],
        proposing_unit=unit(COMMUNE),
        person=person,
        award=award(code),
        phase=phase,
        year=year,
        summary="Tích cực tham gia tuyên truyền.",
    )


def grant(nominee: dict[str, Any], code: str, phase: Phase, year: int, issuer: str = "CCB-HANOI") -> Award:
    """An earlier award, written directly: history that predates phoihop."""
    decision = Decision.objects.create(
        issuing_unit=unit(issuer), awarding_unit=unit(issuer), issued_on=date(year, 12, 1)
    )
    home = nominee.get("nominee_unit") or nominee["person"].unit
    return Award.objects.create(decision=decision, award=award(code), phase=phase, year=year, home_unit=home, **nominee)


# --- catalogue ------------------------------------------------------------------------------


def test_catalogue_is_seeded_apart_and_idempotent(users: dict[str, Any]) -> None:
    assert services.awards_load() == 0
    out = io.StringIO()
    call_command("load_awards", stdout=out)
    assert "Đã thêm 0 hình thức" in out.getvalue()
    forms = {a.code for a in award_forms(users["hoankiem.ccb"])}
    titles = {a.code for a in emulation_titles(users["hoankiem.ccb"])}
    assert {"bk-bqp", "bk-ccb-tw", "gk-ccb-tinh", "gk-bchqs-tinh"} <= forms
    assert {"cstd-co-so-ccb", "don-vi-quyet-thang"} <= titles
    assert not forms & titles
    bqp = award("bk-bqp")
    assert (bqp.awarding_organisation.code, bqp.awarding_level.code) == ("qdnd", "central")
    req = award("cstd-toan-quan").requirements.get()
    assert (req.required.code, req.times, req.within_years) == ("cstd-co-so-qd", 3, 3)
    assert AwardType.objects.restrict(users["hoankiem.ccb"], "change").count() == 0
    assert all(a.kind == AwardKind.FORM for a in award_forms(users["tuhoi"]))


# --- routes ---------------------------------------------------------------------------------


def test_route_within_and_across_organisations() -> None:
    within = services.route_for(proposing_unit=unit(COMMUNE), award=award("bk-ccb-tw"))
    assert [u.code for u in within.units] == ["CCB-HANOI", "CCB-TW"]
    assert within.awarding_unit.code == "CCB-TW" and within.crossing_unit is None
    across = services.route_for(proposing_unit=unit(COMMUNE), award=award("bk-bqp"))
    assert [u.code for u in across.units] == ["CCB-HANOI", "CCB-TW", "BQP"]
    assert across.crossing_unit is not None and across.crossing_unit.code == "CCB-TW"
    province = services.route_for(proposing_unit=unit(COMMUNE), award=award("gk-ccb-tinh"))
    assert [u.code for u in province.units] == ["CCB-HANOI"]
    army_province = services.route_for(proposing_unit=unit(COMMUNE), award=award("gk-bchqs-tinh"))
    assert army_province.crossing_unit is not None and army_province.crossing_unit.code == "CCB-HANOI"
    assert army_province.awarding_unit.organisation.code == "qdnd"
    assert army_province.awarding_unit.level.code == "province"


# --- the rules ------------------------------------------------------------------------------


def test_out_of_subtree_nominee_refused(users: dict[str, Any], phase: Phase) -> None:
    stranger = Person.objects.create(full_name="Lê Văn Xa", unit=unit("CCB-CAMAU"))
    with pytest.raises(ValidationError, match=r"không thuộc Hội Cựu chiến binh .* hoặc các đơn vị trực thuộc"):
        propose(users, phase, stranger)
    with pytest.raises(ValidationError, match=r"không thuộc .* hoặc các đơn vị trực thuộc"):
        services.nomination_create(
            acting_user=users["hoankiem.ccb"],
            proposing_unit=unit(COMMUNE),
            nominee_unit=unit("CCB-HANOI"),
            award=award("bk-ccb-tw"),
            phase=phase,
            year=2026,
        )


def test_recipients_and_proposer_scope(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    with pytest.raises(ValidationError, match=r"chỉ dành cho cá nhân"):
        services.nomination_create(
            acting_user=users["hoankiem.ccb"],
            proposing_unit=unit(COMMUNE),
            nominee_unit=unit(COMMUNE),
            award=award("knc-ccb"),
            phase=phase,
            year=2026,
        )
    with pytest.raises(OutOfScope):
        services.nomination_create(
            acting_user=users["camau.ccb"],
            proposing_unit=unit(COMMUNE),
            person=veteran,
            award=award("bk-ccb-tw"),
            phase=phase,
            year=2026,
        )


def test_double_award_refused_pending_and_decided(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    first = propose(users, phase, veteran)
    services.nomination_submit(nomination=first, acting_user=users["hoankiem.ccb"])
    with pytest.raises(ValidationError, match=r"đang có đề nghị khen “Bằng khen của Ban Chấp hành Trung ương Hội"):
        propose(users, phase, veteran)
    services.nomination_reject(nomination=first, reason="Chưa tiêu biểu.", acting_user=users["hanoi.ccb"])
    other = Person.objects.create(full_name="Trần Văn Hai", unit=unit(COMMUNE))
    grant({"person": other}, "bk-ccb-tw", phase, 2024, issuer="CCB-TW")
    with pytest.raises(ValidationError, match=r"đã được khen .* trong giai đoạn 2022"):
        propose(users, phase, other)
    # Another phase is another matter.
    earlier = Phase.objects.get(programme__code="QDND-CCB", code="2017-2022")
    assert propose(users, earlier, other, year=2021).status == NominationStatus.DRAFT


def test_missing_title_chain_refused(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    with pytest.raises(
        ValidationError,
        match=r"cần 3 lần đạt danh hiệu “Chiến sĩ thi đua cơ sở \(Hội Cựu chiến binh\)” .* mới có 0 lần",
    ):
        propose(users, phase, veteran, code="cstd-ccb-tw")
    for year in (2023, 2024):
        grant({"person": veteran}, "cstd-co-so-ccb", phase, year)
    with pytest.raises(ValidationError, match=r"mới có 2 lần"):
        propose(users, phase, veteran, code="cstd-ccb-tw")
    grant({"person": veteran}, "cstd-co-so-ccb", phase, 2025)
    assert propose(users, phase, veteran, code="cstd-ccb-tw").pk


def test_quota_number_and_share(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    quota = Quota.objects.create(
        unit=unit(COMMUNE), scope=QuotaScope.PROPOSING, award=award("bk-ccb-tw"), phase=phase, number=1
    )
    first = propose(users, phase, veteran)
    services.nomination_submit(nomination=first, acting_user=users["hoankiem.ccb"])
    other = Person.objects.create(full_name="Trần Văn Hai", unit=unit(COMMUNE))
    with pytest.raises(ValidationError, match=r"Vượt chỉ tiêu khen .* tối đa 1, đã có 1"):
        propose(users, phase, other)
    # A share of members: 10% of 25 members is 2 (rounded down).
    quota.number, quota.share_percent, quota.share_of, quota.member_count = None, 10, QuotaBase.MEMBERS, 25
    quota.full_clean()
    quota.save()
    assert services.quota_limit(quota) == 2
    second = propose(users, phase, other)
    services.nomination_submit(nomination=second, acting_user=users["hoankiem.ccb"])
    third = Person.objects.create(full_name="Lê Thị Ba", unit=unit(COMMUNE))
    with pytest.raises(ValidationError, match=r"tối đa 2, đã có 2"):
        propose(users, phase, third)
    # A share of units: the awarding unit's child units.
    tw = unit("CCB-TW")
    children = OrgUnit.objects.active_on(date.today()).filter(path__startswith=tw.path, depth=tw.depth + 1).count()
    share = Quota(
        unit=tw,
        scope=QuotaScope.AWARDING,
        award=award("knc-ccb"),
        phase=phase,
        share_percent=50,
        share_of=QuotaBase.UNITS,
    )
    share.full_clean()
    share.save()
    assert services.quota_limit(share) == children // 2
    bad = Quota(unit=tw, scope=QuotaScope.AWARDING, award=award("bk-bqp"), phase=phase)
    with pytest.raises(ValidationError, match=r"Hãy nhập hoặc số lượng tối đa"):
        bad.full_clean()


def test_rules_checked_again_when_deciding(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    n = propose(users, phase, veteran, code="gk-ccb-tinh")
    services.nomination_submit(nomination=n, acting_user=users["hoankiem.ccb"])
    # Meanwhile the nominee was awarded the same form by another way (history written directly).
    grant({"person": veteran}, "gk-ccb-tinh", phase, 2025)
    with pytest.raises(ValidationError, match=r"đã được khen"):
        services.nomination_decide(nomination=n, acting_user=users["hanoi.ccb"])
    n.refresh_from_db()
    assert n.status == NominationStatus.SUBMITTED


# --- transitions ----------------------------------------------------------------------------


def test_full_route_with_crossing_decision_and_history(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    n = propose(users, phase, veteran, code="bk-tcct")
    assert n.status == NominationStatus.DRAFT and n.awarding_unit.code == "BQP"
    assert (n.rank_at_event, n.positions_at_event) == ("thuong-uy", ["Chi hội trưởng"])
    assert "BÁO CÁO THÀNH TÍCH" in n.achievement_report and "Nguyễn Văn Cựu" in n.achievement_report
    # Only the proposing side submits.
    with pytest.raises(OutOfScope):
        services.nomination_submit(nomination=n, acting_user=users["camau.ccb"])
    n = services.nomination_submit(nomination=n, acting_user=users["hoankiem.ccb"])
    assert (n.status, n.holder.code) == (NominationStatus.SUBMITTED, "CCB-HANOI")
    # The reporter cannot endorse, nor can another province or the army's province.
    for name in ("hoankiem.ccb", "camau.ccb", "hanoi.qs", "tcct"):
        with pytest.raises(OutOfScope):
            services.nomination_endorse(nomination=n, acting_user=users[name])
    assert n in nominations_to_decide(users["hanoi.ccb"])
    assert n not in nominations_to_decide(users["camau.ccb"])
    n = services.nomination_endorse(nomination=n, acting_user=users["hanoi.ccb"])
    assert n.holder.code == "CCB-TW"
    with pytest.raises(OutOfScope):
        services.nomination_endorse(nomination=n, acting_user=users["hanoi.ccb"])
    n = services.nomination_endorse(nomination=n, acting_user=users["tuhoi"])
    assert n.holder.code == "BQP"
    assert n.steps.last().action == StepAction.CROSS  # type: ignore[union-attr]
    # The army's top sees it now; the proposer still does.
    assert nominations_visible(users["tcct"]).filter(pk=n.pk).exists()
    assert nominations_visible(users["hoankiem.ccb"]).filter(pk=n.pk).exists()
    assert not nominations_visible(users["camau.ccb"]).filter(pk=n.pk).exists()
    with pytest.raises(OutOfScope):
        services.nomination_decide(nomination=n, acting_user=users["tuhoi"])
    with pytest.raises(ValidationError, match=r"đã đến cấp có thẩm quyền"):
        services.nomination_endorse(nomination=n, acting_user=users["tcct"])
    got = services.nomination_decide(nomination=n, acting_user=users["tcct"], issued_on=TODAY, **TCCT_SIGNER)
    n.refresh_from_db()
    assert n.status == NominationStatus.AWARDED and n.decision == got.decision
    decision = got.decision
    assert decision.issuing_unit.code == "TCCT" and decision.awarding_unit.code == "BQP"
    assert decision.number == 1 and decision.issued_on == TODAY
    assert (decision.signer_capacity, decision.signer_collective, decision.signer_title) == (
        "KT.",
        "CHỦ NHIỆM",
        "PHÓ CHỦ NHIỆM",
    )
    assert (got.rank_at_event, got.home_unit.code) == ("thuong-uy", COMMUNE)
    assert [s.action for s in n.steps.all()] == [
        StepAction.SUBMIT,
        StepAction.ENDORSE,
        StepAction.CROSS,
        StepAction.DECIDE,
    ]
    # The commendation history shows it, to the nominee's side and the awarding side.
    for name in ("hoankiem.ccb", "tcct", "tuhoi"):
        assert list(commendation_history(user=users[name], person=veteran)) == [got]
    assert not commendation_history(user=users["camau.ccb"], person=veteran).exists()
    assert Decision.objects.restrict(users["hoankiem.ccb"]).filter(pk=decision.pk).exists()
    # Decided is final.
    with pytest.raises(ValidationError, match=r"không ở trạng thái chờ xét"):
        services.nomination_reject(nomination=n, reason="x", acting_user=users["tcct"])
    # A second award joins the same decision, numbered once.
    other = Person.objects.create(full_name="Trần Văn Hai", unit=unit(COMMUNE))
    m = services.nomination_submit(
        nomination=propose(users, phase, other, code="bk-tcct"), acting_user=users["hoankiem.ccb"]
    )
    m = services.nomination_endorse(nomination=m, acting_user=users["hanoi.ccb"])
    m = services.nomination_endorse(nomination=m, acting_user=users["tuhoi"])
    second = services.nomination_decide(nomination=m, acting_user=users["tcct"], decision=decision)
    assert second.decision == decision and decision.awards.count() == 2
    assert "Bằng khen của Bộ trưởng Bộ Quốc phòng" in services.achievement_report_text(
        Nomination(
            person=veteran,
            proposing_unit=unit(COMMUNE),
            home_unit=unit(COMMUNE),
            award=award("bk-bqp"),
            phase=phase,
            year=2027,
        )
    )


def test_return_then_resubmit(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    n = services.nomination_submit(nomination=propose(users, phase, veteran), acting_user=users["hoankiem.ccb"])
    with pytest.raises(ValidationError, match=r"Hãy nêu lý do trả lại"):
        services.nomination_return(nomination=n, reason="  ", acting_user=users["hanoi.ccb"])
    with pytest.raises(ValidationError, match=r"Chỉ sửa được"):
        services.nomination_save(nomination=n, data={"summary": "x"}, acting_user=users["hoankiem.ccb"])
    n = services.nomination_return(nomination=n, reason="Bổ sung biên bản hội đồng.", acting_user=users["hanoi.ccb"])
    assert (n.status, n.holder.code) == (NominationStatus.RETURNED, COMMUNE)
    step = n.steps.last()
    assert step is not None and (step.action, step.reason, step.unit.code) == (
        StepAction.RETURN,
        "Bổ sung biên bản hội đồng.",
        "CCB-HANOI",
    )
    n = services.nomination_save(
        nomination=n, data={"council_minutes": "Hội đồng nhất trí 7/7."}, acting_user=users["hoankiem.ccb"]
    )
    n = services.nomination_submit(nomination=n, acting_user=users["hoankiem.ccb"])
    assert (n.status, n.holder.code) == (NominationStatus.SUBMITTED, "CCB-HANOI")
    assert n.council_minutes == "Hội đồng nhất trí 7/7."


def test_reject_is_final(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    n = services.nomination_submit(nomination=propose(users, phase, veteran), acting_user=users["hoankiem.ccb"])
    with pytest.raises(ValidationError, match=r"Hãy nêu lý do không đề nghị"):
        services.nomination_reject(nomination=n, reason="", acting_user=users["hanoi.ccb"])
    n = services.nomination_reject(nomination=n, reason="Không đủ tiêu chuẩn.", acting_user=users["hanoi.ccb"])
    assert n.status == NominationStatus.REJECTED
    with pytest.raises(ValidationError, match=r"Chỉ gửi được"):
        services.nomination_submit(nomination=n, acting_user=users["hoankiem.ccb"])
    with pytest.raises(ValidationError, match=r"không ở trạng thái chờ xét"):
        services.nomination_endorse(nomination=n, acting_user=users["hanoi.ccb"])
    # A rejected nomination holds no place: the nominee may be proposed again.
    assert propose(users, phase, veteran).pk


def test_collective_decided_by_province(users: dict[str, Any]) -> None:
    earlier = Phase.objects.get(programme__code="QDND-CCB", code="2017-2022")
    n = services.nomination_create(
        acting_user=users["hoankiem.ccb"],
        proposing_unit=unit(COMMUNE),
        nominee_unit=unit(COMMUNE),
        award=award("gk-ccb-tinh"),
        phase=earlier,
        year=2022,
    )
    assert "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH" in n.achievement_report
    n = services.nomination_submit(nomination=n, acting_user=users["hoankiem.ccb"])
    assert n.holder.code == "CCB-HANOI" == n.awarding_unit.code
    got = services.nomination_decide(nomination=n, acting_user=users["hanoi.ccb"], **SIGNER)
    assert got.decision.issuing_unit.code == "CCB-HANOI" and got.decision.number
    assert list(commendation_history(user=users["hoankiem.ccb"], unit=unit(COMMUNE))) == [got]


def test_demo_nominations_at_several_stages(users: dict[str, Any]) -> None:
    from phoihop.demo.commendations import load_commendation_demo

    load_commendation_demo()
    load_commendation_demo()  # idempotent
    # The four of the current phase (the earlier awards of 2021 and 2024 are decided ones).
    rows = Nomination.objects.filter(proposing_unit=unit(COMMUNE), year__gte=2025)
    by_status = {n.status: n for n in rows}
    assert rows.count() == 4
    assert set(by_status) == {
        NominationStatus.AWARDED,
        NominationStatus.SUBMITTED,
        NominationStatus.RETURNED,
        NominationStatus.DRAFT,
    }
    crossed = by_status[NominationStatus.AWARDED]
    assert StepAction.CROSS in {s.action for s in crossed.steps.all()}
    assert crossed.decision is not None and crossed.decision.issuing_unit.code == "TCCT"
    assert by_status[NominationStatus.SUBMITTED].holder.code == "CCB-HANOI"
    assert by_status[NominationStatus.RETURNED].steps.last().reason  # type: ignore[union-attr]


def test_provincial_crossing_to_the_army_command(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    n = services.nomination_submit(
        nomination=propose(users, phase, veteran, code="gk-bchqs-tinh"), acting_user=users["hoankiem.ccb"]
    )
    assert n.awarding_unit.code == "QS-HANOI"
    with pytest.raises(OutOfScope):
        services.nomination_endorse(nomination=n, acting_user=users["hanoi.qs"])
    n = services.nomination_endorse(nomination=n, acting_user=users["hanoi.ccb"])
    assert n.holder.code == "QS-HANOI"
    with pytest.raises(OutOfScope):
        services.nomination_decide(nomination=n, acting_user=users["hanoi.ccb"])
    got = services.nomination_decide(nomination=n, acting_user=users["hanoi.qs"], **ARMY_SIGNER)
    assert got.decision.issuing_unit.code == "QS-HANOI"
    # The decision considers the proposal of the unit that crossed it over, not the commune's.
    from phoihop.commendations.documents import decision_document

    assert decision_document(got.decision).intro[-1] == f"Xét đề nghị của {unit('CCB-HANOI').name},"
    assert list(commendation_history(user=users["hanoi.qs"], person=veteran)) == [got]


def test_activities_snapshot_and_higher_approver(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    from phoihop.activities.models import Activity

    n = propose(users, phase, veteran)
    mine = Activity.objects.restrict(users["hoankiem.ccb"]).filter(phase=phase).order_by("pk")[:2]
    assert mine, "the demo has activities the commune sees"
    n = services.nomination_save(nomination=n, data={"activities": list(mine)}, acting_user=users["hoankiem.ccb"])
    n = services.achievement_report_generate(nomination=n, acting_user=users["hoankiem.ccb"])
    assert mine[0].title in n.achievement_report and "Các hoạt động tiêu biểu:" in n.achievement_report
    hidden = Activity.objects.exclude(pk__in=Activity.objects.restrict(users["hoankiem.ccb"]).values("pk")).first()
    assert hidden is not None
    with pytest.raises(OutOfScope):
        services.nomination_save(nomination=n, data={"activities": [hidden]}, acting_user=users["hoankiem.ccb"])
    old = Activity.objects.restrict(users["hoankiem.ccb"]).exclude(phase=phase).first()
    if old is not None:
        with pytest.raises(ValidationError, match="phải thuộc giai đoạn"):
            services.nomination_save(nomination=n, data={"activities": [old]}, acting_user=users["hoankiem.ccb"])
    n = services.nomination_submit(nomination=n, acting_user=users["hoankiem.ccb"])
    # The person is promoted afterwards: the nomination keeps the rank of its day.
    veteran.rank, veteran.positions = "dai-uy", ["Chủ tịch Hội"]
    veteran.save()
    # An approver higher up the tree may act for the holder.
    n = services.nomination_endorse(nomination=n, acting_user=users["tuhoi"])
    assert n.holder.code == "CCB-TW"
    got = services.nomination_decide(nomination=n, acting_user=users["tuhoi"], **TW_SIGNER)
    assert (got.rank_at_event, got.positions_at_event) == ("thuong-uy", ["Chi hội trưởng"])
    assert got.decision.issuing_unit.code == "CCB-TW"


def test_decision_word_document(users: dict[str, Any], phase: Phase, veteran: Person) -> None:
    """Điều 1 names the form and counts those commended; the list is the annex, a row per
    collective or individual with rank and positions of the day; LibreOffice opens it."""
    import os
    import re
    import zipfile

    from openpyxl import load_workbook

    from phoihop.commendations.documents import decision_document, decision_docx, decision_xlsx
    from phoihop.documents import pdf

    n = services.nomination_submit(
        nomination=propose(users, phase, veteran, code="gk-ccb-tinh"), acting_user=users["hoankiem.ccb"]
    )
    got = services.nomination_decide(nomination=n, acting_user=users["hanoi.ccb"], issued_on=TODAY, **SIGNER)
    collective = services.nomination_create(
        acting_user=users["hoankiem.ccb"],
        proposing_unit=unit(COMMUNE),
        nominee_unit=unit(COMMUNE),
        award=award("tap-the-ldxs-ccb"),
        phase=phase,
        year=2026,
    )
    assert f"- Tên đơn vị: {unit(COMMUNE).name}; trực thuộc: {unit('CCB-HANOI').name}." in (
        collective.achievement_report
    )
    services.nomination_submit(nomination=collective, acting_user=users["hoankiem.ccb"])
    services.nomination_decide(nomination=collective, acting_user=users["hanoi.ccb"], decision=got.decision)
    doc = decision_document(got.decision)
    assert doc.doc_type == "QUYẾT ĐỊNH" and doc.bodies[0].number == got.decision.number
    assert doc.authority == "BAN THƯỜNG VỤ HỘI CỰU CHIẾN BINH THÀNH PHỐ HÀ NỘI"
    assert doc.intro[0] == "Căn cứ Điều lệ Hội Cựu chiến binh Việt Nam;"
    assert doc.intro[-1] == f"Xét đề nghị của {unit(COMMUNE).name},"
    assert doc.articles[0].startswith(
        "Điều 1. Tặng Giấy khen của Hội Cựu chiến binh tỉnh, thành phố cho 01 cá nhân "
        "(có danh sách kèm theo) đã có thành tích xuất sắc trong thực hiện "
    )
    assert doc.articles[0].endswith(f", giai đoạn {phase.name}.")
    assert doc.articles[1].startswith(
        "Điều 2. Tặng danh hiệu “Tập thể lao động xuất sắc (Hội Cựu chiến binh)” cho 01 tập thể (có danh sách"
    )
    assert doc.articles[-1].startswith("Điều 4. ") and doc.recipients[0] == "Như Điều 4"
    [annex] = doc.lists
    assert annex.group_titles == {
        0: "Giấy khen của Hội Cựu chiến binh tỉnh, thành phố",
        1: "Tập thể lao động xuất sắc (Hội Cựu chiến binh)",
    }
    assert annex.rows == [
        ["Nguyễn Văn Cựu", "Thượng úy", "Chi hội trưởng", unit(COMMUNE).name],
        [unit(COMMUNE).name, "", "", unit("CCB-HANOI").name],
    ]
    data = decision_docx(got.decision)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "Nguyễn Văn Cựu" in xml and "QĐ-" in xml and "ngày 27 tháng 11 năm 2026" in xml
    assert "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG" in xml and "<w:tblHeader/>" in xml
    sheet = load_workbook(io.BytesIO(decision_xlsx(got.decision))).active
    assert sheet is not None
    names = {c.value for row in sheet.iter_rows(min_row=4) for c in row[1:2]}
    assert names == {"Nguyễn Văn Cựu", unit(COMMUNE).name}
    if not pdf.pdf_available():
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is missing: CI installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    out = pdf.docx_to_pdf(data)
    assert out.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", out)) == 2

"""Signing authority as data, checked (issue 14, item 1; phoihop/reporting/authority.py, ADR 0019).

A decision's heading, number symbol, authority line, legal bases, signer and awards must agree
with its issuing body: the body's dated signatories say who signs in which capacity, its profile
the head's title and the authority's own basis. On the demo data: TCCT issues for the army's
whole tree (head "CHỦ NHIỆM", deputy Thiếu tướng Nguyễn Văn Gấu signing "KT. CHỦ NHIỆM"); the
Association's centre (CCB-TW) and Hà Nội's association decide as their standing committees
("TM. BAN THƯỜNG VỤ").
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from phoihop.commendations import services
from phoihop.commendations.documents import LEGAL_BASES, decision_docx, legal_bases
from phoihop.commendations.models import AwardType, Decision, Nomination, NominationStep
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Phase
from phoihop.reporting.authority import (
    authority_line,
    authority_problems,
    signatories_on,
    signer_for,
)
from phoihop.reporting.documents import default_signers
from phoihop.reporting.models import BodyProfile, Report, Signatory

pytestmark = pytest.mark.django_db

COMMUNE = "CCB-X00070"
TCCT_AUTHORITY = "CHỦ NHIỆM TỔNG CỤC CHÍNH TRỊ"
TCCT_BASIS = "Căn cứ chức năng, nhiệm vụ, quyền hạn của Tổng cục Chính trị Quân đội nhân dân Việt Nam;"
GAU = {
    "capacity": "KT.",
    "collective": "CHỦ NHIỆM",
    "title": "PHÓ CHỦ NHIỆM",
    "rank": "Thiếu tướng",
    "name": "Nguyễn Văn Gấu",
}
DAY = date(2026, 11, 20)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def head_of(code: str) -> Signatory:
    return Signatory.objects.get(unit__code=code, is_head=True)


def problems(**changes: Any) -> list[str]:
    """What the check finds in TCCT's decision with one thing changed."""
    given: dict[str, Any] = {
        "authority": TCCT_AUTHORITY,
        "signer": GAU,
        "legal_bases": legal_bases(unit("TCCT")),
        "symbol": "QĐ-TCCT",
        "award": AwardType.objects.get(code="bk-tcct"),
    }
    day = changes.pop("day", DAY)
    given.update(changes)
    return authority_problems(unit("TCCT"), day, **given)


@pytest.fixture(autouse=True)
def catalogue() -> None:
    services.awards_load()


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def crossed(demo_user: Callable[[str], Any], phase: Phase) -> Callable[[str], Nomination]:
    """A nomination of the commune's veteran sent up to the army's top (held by BQP, TCCT decides)."""

    def make(code: str = "bk-tcct") -> Nomination:
        person = Person.objects.create(
            full_name="Nguyễn Văn Cựu",
            birth_year=1955,
            rank="thuong-uy",
            positions=["Chi hội trưởng"],
            unit=unit(COMMUNE),
        )
        nomination = services.nomination_create(
            acting_user=demo_user("hoankiem.ccb"),
            proposing_unit=unit(COMMUNE),
            person=person,
            award=AwardType.objects.get(code=code),
            phase=phase,
            year=2026,
            summary="Tích cực tham gia tuyên truyền.",
        )
        nomination = services.nomination_submit(nomination=nomination, acting_user=demo_user("hoankiem.ccb"))
        nomination = services.nomination_endorse(nomination=nomination, acting_user=demo_user("hanoi.ccb"))
        nomination = services.nomination_endorse(nomination=nomination, acting_user=demo_user("tuhoi"))
        assert nomination.holder.code == "BQP"
        return nomination

    return make


# --- the body's signatories and its authority -------------------------------------------------


def test_the_signer_of_a_body_on_a_day_is_the_named_one_else_the_head() -> None:
    tcct = unit("TCCT")
    head = head_of("TCCT")
    assert signer_for(tcct, DAY, name="nguyen van gau") == GAU  # names compare without marks or case
    assert signer_for(tcct, DAY) == head.as_signer() and head.title == "CHỦ NHIỆM"
    # The army's root issues through TCCT: the same signers.
    assert signer_for(unit("BQP"), DAY, name="Nguyễn Văn Gấu") == GAU
    # Dated: nobody signed before the signatories' first day, nor after a deputy left.
    assert signer_for(tcct, date(2019, 6, 1)) is None
    Signatory.objects.filter(full_name="Nguyễn Văn Gấu").update(valid_to=date(2026, 6, 30))
    assert [s.full_name for s in signatories_on(tcct, DAY)] == [head.full_name]
    assert signer_for(tcct, DAY, name="Nguyễn Văn Gấu") is None
    # A body without signatories has none.
    assert signer_for(unit("CCB-CAMAU"), DAY) is None


def test_authority_lines_name_the_head_or_the_collective() -> None:
    assert authority_line(unit("TCCT")) == TCCT_AUTHORITY
    assert authority_line(unit("BQP")) == TCCT_AUTHORITY
    assert authority_line(unit("CCB-TW")) == "BAN THƯỜNG VỤ TRUNG ƯƠNG HỘI CỰU CHIẾN BINH VIỆT NAM"
    assert authority_line(unit("CCB-HANOI")) == "BAN THƯỜNG VỤ HỘI CỰU CHIẾN BINH THÀNH PHỐ HÀ NỘI"


def test_a_decision_that_agrees_has_no_problem() -> None:
    assert legal_bases(unit("TCCT"))[0] == TCCT_BASIS
    assert problems() == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"authority": "BỘ TRƯỞNG BỘ QUỐC PHÒNG"},
            "Thẩm quyền “BỘ TRƯỞNG BỘ QUỐC PHÒNG” không phải của Tổng cục Chính trị: văn bản của Tổng cục Chính "
            "trị ghi thẩm quyền “CHỦ NHIỆM TỔNG CỤC CHÍNH TRỊ”.",
        ),
        (
            {"symbol": "QĐ-BQP"},
            "Ký hiệu “QĐ-BQP” không phải của Tổng cục Chính trị (chữ viết tắt của cơ quan: TCCT).",
        ),
        (
            {"day": date(2019, 6, 1)},
            "“Nguyễn Văn Gấu” không phải người ký của Tổng cục Chính trị ngày 1/6/2019.",
        ),
        (
            {"signer": {**GAU, "name": "Nguyễn Văn A", "title": "BỘ TRƯỞNG", "capacity": "", "collective": ""}},
            "“Nguyễn Văn A” không phải người ký của Tổng cục Chính trị ngày 20/11/2026.",
        ),
        (
            {"signer": {**GAU, "capacity": ""}},
            "“PHÓ CHỦ NHIỆM” không ký bằng tên mình: cấp phó ký thay người đứng đầu, ghi “KT. CHỦ NHIỆM”.",
        ),
        (
            {"signer": {**GAU, "collective": "BỘ TRƯỞNG"}},
            "Sau KT. phải ghi chức danh người đứng đầu của dòng thẩm quyền “CHỦ NHIỆM TỔNG CỤC CHÍNH TRỊ”: "
            "“KT. CHỦ NHIỆM”, không phải “KT. BỘ TRƯỞNG”.",
        ),
        (
            {"signer": {**GAU, "capacity": "TM.", "collective": ""}},
            "Thay mặt (TM.) phải ghi tập thể, ví dụ “TM. BAN THƯỜNG VỤ”.",
        ),
        (
            {"legal_bases": list(LEGAL_BASES)},
            f"Căn cứ đầu tiên phải là căn cứ thẩm quyền của Tổng cục Chính trị: “{TCCT_BASIS}”.",
        ),
        (
            {"award": "Bằng khen của Bộ trưởng Bộ Quốc phòng"},
            "“Bằng khen của Bộ trưởng Bộ Quốc phòng” được tặng theo thẩm quyền khác, không phải của CHỦ NHIỆM "
            "TỔNG CỤC CHÍNH TRỊ: quyết định tặng phải do chính cơ quan có thẩm quyền đó ban hành.",
        ),
    ],
)
def test_each_disagreement_is_refused_with_its_message(changes: dict[str, Any], message: str) -> None:
    found = problems(**changes)
    assert any(p.startswith(message) for p in found), found


def test_kt_with_the_heads_own_title_is_refused() -> None:
    head = head_of("TCCT")
    signer = {**head.as_signer(), "capacity": "KT.", "collective": "CHỦ NHIỆM"}
    assert problems(signer=signer) == [
        "KT. là của cấp phó ký thay hoặc quyền người đứng đầu; “CHỦ NHIỆM” không phải chức vụ cấp phó."
    ]
    # The head signs in the head's own name; a placeholder or an empty name is refused too.
    assert problems(signer=head.as_signer()) == []
    assert any("không phải họ tên người ký" in p for p in problems(signer={**GAU, "name": "THỦ TRƯỞNG ĐƠN VỊ"}))


def test_a_body_without_its_authority_basis_decides_nothing() -> None:
    BodyProfile.objects.filter(unit__code="TCCT").update(authority_basis="")
    assert problems(legal_bases=list(LEGAL_BASES)) == [
        "Chưa có căn cứ thẩm quyền của Tổng cục Chính trị: quản trị ghi “căn cứ thẩm quyền” trong thông tin cơ "
        "quan ban hành trước khi ra quyết định."
    ]


def test_awards_granted_in_the_bodys_own_name_agree() -> None:
    def award_problems(code: str, body: str) -> list[str]:
        return authority_problems(
            unit(body),
            DAY,
            authority="",
            signer=None,
            legal_bases=None,
            symbol="",
            award=AwardType.objects.get(code=code),
        )[1:]  # the first says the signer is missing

    assert award_problems("bk-ccb-tw", "CCB-TW") == []  # "của Ban Chấp hành Trung ương Hội …"
    assert award_problems("gk-ccb-tinh", "CCB-HANOI") == []  # "của Hội Cựu chiến binh tỉnh, thành phố"
    assert award_problems("gk-bchqs-tinh", "QS-HANOI") == []
    assert award_problems("cstd-co-so-ccb", "CCB-HANOI") == []  # a title names no grantor
    assert award_problems("bk-ccb-tw", "CCB-HANOI")  # the centre's, not the city's
    assert award_problems("bk-bqp", "BQP")  # the Minister's, issued by TCCT


# --- the service refuses, the page and the API say why ------------------------------------------


def test_a_matching_decision_is_numbered_with_the_signer_its_signatory_gives(demo_user: Callable[[str], Any]) -> None:
    decision = services.decision_create(
        awarding_unit=unit("BQP"), acting_user=demo_user("tcct"), issued_on=DAY, signer_name="Nguyễn Văn Gấu"
    )
    assert decision.number is not None and decision.issuing_unit.code == "TCCT"
    assert (decision.signer_capacity, decision.signer_collective, decision.signer_title, decision.signer_rank) == (
        "KT.",
        "CHỦ NHIỆM",
        "PHÓ CHỦ NHIỆM",
        "thieu-tuong",
    )
    # No signer at all: the head signs.
    by_head = services.decision_create(awarding_unit=unit("BQP"), acting_user=demo_user("tcct"), issued_on=DAY)
    assert by_head.signer_name == head_of("TCCT").full_name and by_head.signer_capacity == ""


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        (
            {"signer_name": "Nguyễn Văn A", "signer_title": "Bộ trưởng"},
            "signer_name",
            "“Nguyễn Văn A” không phải người ký của Tổng cục Chính trị ngày 20/11/2026",
        ),
        (
            {"signer_name": "Nguyễn Văn Gấu", "signer_title": "Chủ nhiệm"},
            "signer_title",
            "Chức vụ “Chủ nhiệm” không khớp với chức vụ của Nguyễn Văn Gấu: “PHÓ CHỦ NHIỆM”.",
        ),
        (
            {"signer_name": "Nguyễn Văn Gấu", "signer_collective": "BỘ TRƯỞNG"},
            "signer_collective",
            "Sau KT. phải ghi chức danh người đứng đầu",
        ),
    ],
)
def test_the_service_refuses_a_mismatched_signer(
    demo_user: Callable[[str], Any], fields: dict[str, str], key: str, message: str
) -> None:
    before = Decision.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.decision_create(awarding_unit=unit("BQP"), acting_user=demo_user("tcct"), issued_on=DAY, **fields)
    assert any(m.startswith(message) for m in refused.value.message_dict[key]), refused.value.message_dict
    assert Decision.objects.count() == before


def test_the_service_refuses_a_head_signing_kt(demo_user: Callable[[str], Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        services.decision_create(
            awarding_unit=unit("BQP"),
            acting_user=demo_user("tcct"),
            issued_on=DAY,
            signer_name=head_of("TCCT").full_name,
            signer_capacity="KT.",
            signer_collective="CHỦ NHIỆM",
        )
    assert refused.value.message_dict["signer_capacity"] == [
        "KT. là của cấp phó ký thay hoặc quyền người đứng đầu; “CHỦ NHIỆM” không phải chức vụ cấp phó."
    ]


def test_the_service_refuses_without_the_authority_basis(demo_user: Callable[[str], Any]) -> None:
    BodyProfile.objects.filter(unit__code="TCCT").update(authority_basis="")
    with pytest.raises(ValidationError) as refused:
        services.decision_create(
            awarding_unit=unit("BQP"), acting_user=demo_user("tcct"), issued_on=DAY, signer_name="Nguyễn Văn Gấu"
        )
    assert refused.value.message_dict["legal_bases"][0].startswith("Chưa có căn cứ thẩm quyền của Tổng cục Chính trị")


def test_an_award_of_another_authority_is_refused(
    demo_user: Callable[[str], Any], crossed: Callable[[str], Nomination]
) -> None:
    nomination = crossed("bk-bqp")
    with pytest.raises(ValidationError) as refused:
        services.nomination_decide(
            nomination=nomination, acting_user=demo_user("tcct"), issued_on=DAY, signer_name="Nguyễn Văn Gấu"
        )
    assert refused.value.message_dict["award"][0].startswith(
        "“Bằng khen của Bộ trưởng Bộ Quốc phòng” được tặng theo thẩm quyền khác"
    )
    assert not Decision.objects.filter(issued_on=DAY).exists()


def test_a_decision_dated_before_the_last_step_is_refused(
    demo_user: Callable[[str], Any], crossed: Callable[[str], Nomination]
) -> None:
    nomination = crossed()
    last = timezone.localdate(NominationStep.objects.filter(nomination=nomination).order_by("-at").first().at)  # type: ignore[union-attr]
    assert last == date(2026, 11, 27)  # the tests' today
    with pytest.raises(ValidationError) as refused:
        services.nomination_decide(
            nomination=nomination,
            acting_user=demo_user("tcct"),
            issued_on=date(2026, 11, 26),
            signer_name="Nguyễn Văn Gấu",
        )
    assert refused.value.message_dict["issued_on"] == [
        "Quyết định ngày 26/11/2026 không thể trước bước xét cuối cùng của đề nghị (Chuyển sang tổ chức khen "
        "thưởng, ngày 27/11/2026): ghi ngày quyết định từ ngày 27/11/2026 trở đi."
    ]
    # Into an existing decision of an earlier day: refused the same way.
    earlier = services.decision_create(
        awarding_unit=unit("BQP"), acting_user=demo_user("tcct"), issued_on=DAY, signer_name="Nguyễn Văn Gấu"
    )
    with pytest.raises(ValidationError, match="không thể trước bước xét cuối cùng"):
        services.nomination_decide(nomination=nomination, acting_user=demo_user("tcct"), decision=earlier)
    award = services.nomination_decide(
        nomination=nomination, acting_user=demo_user("tcct"), issued_on=date(2026, 11, 27), signer_name="Nguyễn Văn Gấu"
    )
    assert award.decision.number is not None


def test_the_page_and_the_api_show_the_refusal(
    client_as: Callable[[str], Any], api_client_as: Callable[[str], Any], crossed: Callable[[str], Nomination]
) -> None:
    nomination = crossed()
    form = {
        "decision": "",
        "issued_on": "2026-11-27",
        "subject": "Về việc tặng Bằng khen",
        "signer_name": "Nguyễn Văn Gấu",
        "signer_capacity": "",
        "signer_title": "Chủ nhiệm",
    }
    page = client_as("tcct").post(reverse("commendations:nomination-decide", kwargs={"pk": nomination.pk}), form)
    assert page.status_code == 200
    assert "Chức vụ “Chủ nhiệm” không khớp với chức vụ của Nguyễn Văn Gấu" in page.content.decode()
    api = api_client_as("tcct")
    decide = reverse("api:nomination-decide", kwargs={"pk": nomination.pk})
    answer = api.post(decide, {"issued_on": "2026-11-26", "signer_name": "Nguyễn Văn Gấu"}, format="json")
    assert answer.status_code == 400
    assert "không thể trước bước xét cuối cùng" in answer.json()["issued_on"][0]
    answer = api.post(
        reverse("api:decision-list"),
        {"awarding_unit": "BQP", "issued_on": "2026-11-27", "signer_name": "Nguyễn Văn A", "signer_title": "Bộ trưởng"},
        format="json",
    )
    assert answer.status_code == 400
    assert "“Nguyễn Văn A” không phải người ký của Tổng cục Chính trị" in answer.json()["signer_name"][0]
    assert Nomination.objects.get(pk=nomination.pk).decision_id is None
    made = api.post(decide, {"issued_on": "2026-11-27", "signer_name": "Nguyễn Văn Gấu"}, format="json")
    assert made.status_code == 200, made.json()


# --- the demo's decision and its document -------------------------------------------------------


def demo_decision() -> Decision:
    return Decision.objects.get(awards__person__full_name="Phạm Văn Thành", awards__award__code="bk-tcct")


def test_the_demo_decision_agrees_and_follows_its_steps() -> None:
    decision = demo_decision()
    assert decision.issued_on == date(2025, 12, 22) and decision.issuing_unit.code == "TCCT"
    assert services.decision_authority_errors(decision) == []
    assert (decision.signer_capacity, decision.signer_collective, decision.signer_title, decision.signer_name) == (
        "KT.",
        "CHỦ NHIỆM",
        "PHÓ CHỦ NHIỆM",
        "Nguyễn Văn Gấu",
    )
    nomination = decision.nominations.get()
    days = [timezone.localdate(s.at) for s in nomination.steps.order_by("at", "pk")]
    assert days[-1] == decision.issued_on and all(day <= decision.issued_on for day in days)
    assert days == sorted(days) and days[0] < decision.issued_on
    # The city's earlier decisions too: their steps are dated before them.
    for earlier in Decision.objects.filter(awarding_unit__code="CCB-HANOI", awards__person__full_name="Phạm Văn Thành"):
        assert services.decision_authority_errors(earlier) == []
        for step in NominationStep.objects.filter(nomination__decision=earlier):
            assert timezone.localdate(step.at) <= earlier.issued_on


def document_text(decision: Decision) -> str:
    with zipfile.ZipFile(io.BytesIO(decision_docx(decision))) as archive:
        xml = archive.read("word/document.xml").decode()
    # The paragraphs' text, one per line (runs joined).
    return "\n".join(
        "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", paragraph))
        for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml)
    )


def test_the_demo_decision_document_prints_authority_basis_and_capacity() -> None:
    text = document_text(demo_decision())
    lines = text.splitlines()
    assert TCCT_AUTHORITY in lines
    assert "KT. CHỦ NHIỆM" in text and "PHÓ CHỦ NHIỆM" in text and "Thiếu tướng Nguyễn Văn Gấu" in text
    basis = lines.index(TCCT_BASIS)
    assert lines.index(TCCT_AUTHORITY) < basis < next(i for i, line in enumerate(lines) if "Luật Thi đua" in line)
    assert "Bằng khen của Chủ nhiệm Tổng cục Chính trị" in text
    assert "Bộ trưởng Bộ Quốc phòng" not in text


# --- reports take their signer from the signatories ----------------------------------------------


def test_a_reports_default_signer_is_the_bodys_signatory() -> None:
    report = Report.objects.filter(unit__code="CCB-HANOI").first()
    assert report is not None
    vinh = {
        "capacity": "TM.",
        "collective": "BAN THƯỜNG VỤ",
        "title": "PHÓ CHỦ TỊCH",
        "rank": "",
        "name": "Lê Quang Vinh",
    }
    assert default_signers(report) == [vinh]
    # The national report is signed by the seed's co-chairs, the bodies' deputies on the day.
    national = Report.objects.get(unit__code="BQP", period__phase__code="2017-2022", partner_unit__code="CCB-TW")
    assert [s["name"] for s in national.signers] == ["Nguyễn Văn Gấu", "Khuất Việt Dũng"]
    assert national.signers[0]["capacity"] == "KT." and national.signers[1]["collective"] == "BAN THƯỜNG VỤ"

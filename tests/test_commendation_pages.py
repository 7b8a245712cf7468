"""The commendation pages, the whole path with the test client: a commune proposes an
individual (a rule refused in the page, with what was typed kept), the dossier's files, the
province endorses, the association's centre sends it across, the Ministry decides into a new
decision; the decision's page, Word document and Excel list; the commendation history."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from phoihop.commendations import services
from phoihop.commendations.models import AwardType, Decision, Nomination, NominationStatus
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Phase

pytestmark = pytest.mark.django_db

COMMUNE = "CCB-X00070"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUMMARY = "Gương mẫu trong phong trào giúp nhau làm kinh tế, điều đã gõ phải còn nguyên."


@pytest.fixture(autouse=True)
def catalogue() -> None:
    services.awards_load()


@pytest.fixture
def clients(demo_user: Callable[[str], Any]) -> Callable[[str], Client]:
    def make(username: str) -> Client:
        client = Client()
        client.force_login(demo_user(username))
        return client

    return make


@pytest.fixture
def veteran() -> Person:
    return Person.objects.create(
        full_name="Trịnh Văn Kiên",
        birth_year=1956,
        rank="trung-uy",
        positions=["Chi hội trưởng Chi hội 5"],
        unit=OrgUnit.objects.get(code=COMMUNE),
    )


def award_pk(code: str) -> int:
    return AwardType.objects.get(code=code).pk


def form_data(person: Person, award: str, **extra: Any) -> dict[str, Any]:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    return {
        "proposing_unit": COMMUNE,
        "nominee_kind": "individual",
        "person": person.pk,
        "nominee_unit": "",
        "award": award_pk(award),
        "phase": phase.pk,
        "year": 2026,
        "summary": SUMMARY,
        "submission_text": "Kính trình Hội Cựu chiến binh thành phố xem xét.",
        "council_minutes": "Hội đồng nhất trí 7/7.",
        **extra,
    }


def detail(n: Nomination, name: str = "nomination-detail") -> str:
    return reverse(f"commendations:{name}", kwargs={"pk": n.pk})


def test_a_nomination_goes_from_the_commune_to_the_ministry_through_the_pages(
    clients: Callable[[str], Client], veteran: Person
) -> None:
    commune = clients("hoankiem.ccb")
    new = reverse("commendations:nomination-create")
    assert commune.get(new).status_code == 200

    # A missing chain of titles is refused in the page, with everything typed kept.
    response = commune.post(new, form_data(veteran, "cstd-ccb-tw"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa đủ điều kiện đề nghị" in page and "mới có 0 lần" in page
    assert SUMMARY in page and "Hội đồng nhất trí 7/7." in page
    # So is a second award of the same form in the phase (the demo's veteran already has it).
    decorated = Person.objects.get(full_name="Phạm Văn Thành", unit__code=COMMUNE)
    response = commune.post(new, form_data(decorated, "bk-tcct"))
    assert response.status_code == 200
    assert "không khen hai lần cùng một hình thức" in response.content.decode()
    assert not Nomination.objects.filter(person__in=[veteran, decorated], status=NominationStatus.DRAFT).exists()

    response = commune.post(new, form_data(veteran, "bk-tcct"))
    assert response.status_code == 302
    nomination = Nomination.objects.get(person=veteran)
    assert response["Location"] == detail(nomination)
    assert (nomination.rank_at_event, nomination.positions_at_event) == ("trung-uy", ["Chi hội trưởng Chi hội 5"])
    page = commune.get(detail(nomination)).content.decode()
    assert "Trung úy Trịnh Văn Kiên" in page and "Bộ Quốc phòng" in page

    # The edit page starts from the record and saves through the service.
    edit = detail(nomination, "nomination-edit")
    assert SUMMARY in commune.get(edit).content.decode()
    changed = {
        "year": 2026,
        "summary": "Thành tích đã bổ sung.",
        "achievement_report": "Báo cáo sửa tay.",
        "version": nomination.version,
    }
    assert commune.post(edit, changed).status_code == 302
    nomination.refresh_from_db()
    assert (nomination.summary, nomination.achievement_report) == ("Thành tích đã bổ sung.", "Báo cáo sửa tay.")
    assert commune.post(detail(nomination, "nomination-report")).status_code == 302
    nomination.refresh_from_db()
    assert nomination.achievement_report.startswith("BÁO CÁO THÀNH TÍCH")
    assert "Thành tích đã bổ sung." in nomination.achievement_report

    # The dossier: a text file dressed as a PDF is refused; a real PDF is kept and served to
    # the nomination's readers only.
    add = detail(nomination, "nomination-file-add")
    fake = SimpleUploadedFile("to-trinh.pdf", b"just text, not a PDF at all\n", content_type="application/pdf")
    response = commune.post(add, {"kind": "submission", "file": fake})
    assert response.status_code == 200
    assert "Nội dung tệp không thuộc loại được phép" in response.content.decode()
    assert not nomination.files.exists()
    real = SimpleUploadedFile("to-trinh.pdf", PDF_BYTES, content_type="application/pdf")
    assert commune.post(add, {"kind": "submission", "file": real}).status_code == 302
    row = nomination.files.get()
    url = reverse("commendations:nomination-file", kwargs={"pk": nomination.pk, "file_pk": row.pk})
    download = commune.get(url)
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert clients("camau.ccb").get(url).status_code == 404

    assert commune.post(detail(nomination, "nomination-submit")).status_code == 302
    nomination.refresh_from_db()
    assert (nomination.status, nomination.holder.code) == (NominationStatus.SUBMITTED, "CCB-HANOI")

    # Only the holder's approvers act: the proposer may read but not endorse; Cà Mau does not see it.
    endorse = detail(nomination, "nomination-endorse")
    assert commune.post(endorse).status_code == 403
    assert clients("camau.ccb").post(endorse).status_code == 404
    assert clients("camau.ccb").get(detail(nomination)).status_code == 404
    nomination.refresh_from_db()
    assert nomination.holder.code == "CCB-HANOI"

    province = clients("hanoi.ccb")
    response = province.post(detail(nomination, "nomination-return"), {"return-reason": "  "})
    assert response.status_code == 200
    assert "Hãy nêu lý do trả lại đề nghị." in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED

    assert province.post(endorse).status_code == 302
    assert clients("tuhoi").post(endorse).status_code == 302
    nomination.refresh_from_db()
    assert nomination.holder.code == "BQP"
    assert "chuyển sang" in clients("tcct").get(detail(nomination)).content.decode()

    response = clients("tcct").post(
        detail(nomination, "nomination-decide"),
        {
            "decision": "",
            "issued_on": "2026-12-20",
            "subject": "Về việc tặng Bằng khen của Chủ nhiệm Tổng cục Chính trị",
            # TCCT's deputy head: his signatory gives "KT. CHỦ NHIỆM", the title and the rank.
            "signer_name": "Nguyễn Văn Gấu",
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWARDED
    decision = nomination.decision
    assert isinstance(decision, Decision)
    assert response["Location"] == reverse("commendations:decision-detail", kwargs={"pk": decision.pk})
    assert decision.signer_name == "Nguyễn Văn Gấu" and decision.number is not None
    assert (decision.signer_capacity, decision.signer_rank) == ("KT.", "thieu-tuong")

    page = province.get(response["Location"]).content.decode()
    assert "Trung úy Trịnh Văn Kiên" in page and "Chi hội trưởng Chi hội 5" in page
    assert f'Quyết định số <span class="text-nowrap" data-testid="decision-number">{decision.number:02d}/QĐ-' in page

    docx = province.get(reverse("commendations:decision-docx", kwargs={"pk": decision.pk}))
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "Trịnh Văn Kiên" in text
    xlsx = province.get(reverse("commendations:decision-xlsx", kwargs={"pk": decision.pk}))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert "Trịnh Văn Kiên" in [cell.value for row in sheet.iter_rows() for cell in row]

    history = commune.get(reverse("commendations:history"), {"person": veteran.pk}).content.decode()
    assert "Bằng khen của Chủ nhiệm Tổng cục Chính trị" in history
    assert clients("camau.ccb").get(reverse("commendations:history"), {"person": veteran.pk}).status_code == 404


def test_the_list_shows_what_waits_for_the_user(clients: Callable[[str], Client]) -> None:
    province = clients("hanoi.ccb")
    waiting = province.get(reverse("commendations:nomination-list"), {"tab": "decide"})
    names = [n.nominee_name for n in waiting.context["page"]]
    assert names == ["Hội Cựu chiến binh phường Hoàn Kiếm"]  # the demo's collective, held at the province
    found = province.get(reverse("commendations:nomination-list"), {"q": "le thi hoa"})
    assert [n.status for n in found.context["page"]] == [NominationStatus.RETURNED]
    home = province.get(reverse("home")).content.decode()
    assert 'data-testid="inbox-nominations_to_decide" data-count="1"' in home  # the inbox group on the home page


def test_the_catalogue_keeps_forms_and_titles_apart(clients: Callable[[str], Client]) -> None:
    page = clients("hoankiem.ccb").get(reverse("commendations:award-list")).content.decode()
    forms_at, titles_at = page.index("Hình thức khen thưởng</h2>"), page.index("Danh hiệu thi đua</h2>")
    assert forms_at < page.index("Bằng khen của Bộ trưởng Bộ Quốc phòng") < titles_at
    assert titles_at < page.index("3 lần “Chiến sĩ thi đua cơ sở (Quân đội)” trong 3 năm")
    assert "/admin/" not in page
    assert (
        "/admin/commendations/awardtype/" in clients("admin").get(reverse("commendations:award-list")).content.decode()
    )


def test_a_decision_announced_at_a_conference(
    clients: Callable[[str], Client], demo_user: Any, veteran: Person
) -> None:
    """The awarding level may tie its new decision to a conference of the programme; the
    conference's page then lists it among its outcomes."""
    from phoihop.conferences.models import Conference

    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    nomination = services.nomination_create(
        acting_user=demo_user("hoankiem.ccb"),
        proposing_unit=OrgUnit.objects.get(code=COMMUNE),
        person=veteran,
        award=AwardType.objects.get(code="bk-ccb-tw"),
        phase=phase,
        year=2026,
    )
    services.nomination_submit(nomination=nomination, acting_user=demo_user("hoankiem.ccb"))
    services.nomination_endorse(nomination=nomination, acting_user=demo_user("hanoi.ccb"))
    conference = Conference.objects.get(held_on="2022-09-23")
    nation = clients("tuhoi")
    page = nation.get(detail(nomination)).content.decode()
    assert f'<option value="{conference.pk}">' in page
    response = nation.post(
        detail(nomination, "nomination-decide"),
        {
            "issued_on": "2026-11-27",
            "signer_name": "Khuất Việt Dũng",  # the centre's signatory
            "conference": conference.pk,
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.decision is not None and nomination.decision.conference_id == conference.pk
    page = nation.get(reverse("conferences:detail", kwargs={"pk": conference.pk})).content.decode()
    assert reverse("commendations:decision-detail", kwargs={"pk": nomination.decision.pk}) in page

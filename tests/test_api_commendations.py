"""Commendations through the API: the catalogue (forms and titles apart), nominations made by a
commune (each rule refused with its message), every transition and who may make it, crossing to
the army and the decision it ends in, the decision's documents, the commendation history, and
the dossier's files.

On the demo data: Phường Hoàn Kiếm's association (CCB-X00070, reporter hoankiem.ccb) proposes;
Hà Nội's association (CCB-HANOI, approver hanoi.ccb), the association's centre (CCB-TW,
approver tuhoi) and the Ministry of Defence (BQP, its political department TCCT: approver
tcct) endorse and decide; Cà Mau's association (camau.ccb) sees none of it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from phoihop.commendations.models import Award, AwardType, Decision, Nomination
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Phase

pytestmark = pytest.mark.django_db
# A decision is numbered only with a named signer (phoihop/reporting/signers.py), its body's
# signatory (phoihop/reporting/authority.py): Hà Nội's vice-chairman, the centre's Khuất Việt Dũng.
SIGNER = {"signer_name": "Lê Quang Vinh"}
TW_SIGNER = {"signer_name": "Khuất Việt Dũng"}

COMMUNE = "CCB-X00070"
NOMINATIONS = reverse("api:nomination-list")
DECISIONS = reverse("api:decision-list")
AWARDS = reverse("api:award-list")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def url(pk: int, action: str = "") -> str:
    if action:
        return reverse(f"api:nomination-{action}", kwargs={"pk": pk})
    return reverse("api:nomination-detail", kwargs={"pk": pk})


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def veteran() -> Person:
    return Person.objects.create(
        full_name="Nguyễn Văn Cựu", birth_year=1955, rank="thuong-uy", positions=["Chi hội trưởng"], unit=unit(COMMUNE)
    )


@pytest.fixture
def as_user(api_client_as: Callable[[str], Any]) -> Callable[[str], Any]:
    clients: dict[str, Any] = {}

    def get(name: str) -> Any:
        if name not in clients:
            clients[name] = api_client_as(name)
        return clients[name]

    return get


def propose(
    as_user: Callable[[str], Any], in_phase: Phase, nominee: Person, award: str = "bk-ccb-tw", **extra: Any
) -> Any:
    payload = {
        "proposing_unit": COMMUNE,
        "person": nominee.pk,
        "award": award,
        "phase": in_phase.pk,
        "year": 2026,
        "summary": "Tích cực tham gia tuyên truyền.",
        **extra,
    }
    return as_user("hoankiem.ccb").post(NOMINATIONS, payload, format="json")


def proposed(as_user: Callable[[str], Any], phase: Phase, person: Person, award: str = "bk-ccb-tw") -> dict[str, Any]:
    response = propose(as_user, phase, person, award)
    assert response.status_code == 201, response.json()
    return dict(response.json())


def post(client: Any, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data or {}, format="json")


def errors(response: Any) -> str:
    return str(response.json())


# --- the catalogue ------------------------------------------------------------------------------


def test_it_lists_award_forms_and_emulation_titles_apart(as_user: Callable[[str], Any]) -> None:
    client = as_user("hoankiem.ccb")
    forms = client.get(reverse("api:award-form-list"), {"page_size": 500}).json()["results"]
    titles = client.get(reverse("api:emulation-title-list"), {"page_size": 500}).json()["results"]
    form_codes, title_codes = {r["code"] for r in forms}, {r["code"] for r in titles}
    assert {"bk-bqp", "bk-ccb-tw", "gk-ccb-tinh"} <= form_codes
    assert {"cstd-co-so-ccb", "cstd-toan-quan", "don-vi-quyet-thang"} <= title_codes
    assert not form_codes & title_codes
    bqp = next(r for r in forms if r["code"] == "bk-bqp")
    assert (bqp["organisation"], bqp["level"], bqp["category"], bqp["requirements"]) == (
        "qdnd",
        "central",
        "bang-khen",
        [],
    )
    chain = client.get(reverse("api:emulation-title-detail", kwargs={"code": "cstd-toan-quan"})).json()
    assert chain["requirements"] == [
        {
            "title": "cstd-co-so-qd",
            "name": AwardType.objects.get(code="cstd-co-so-qd").name,
            "times": 3,
            "within_years": 3,
        }
    ]
    # A title is no form, and the other way round.
    assert client.get(reverse("api:award-form-detail", kwargs={"code": "cstd-toan-quan"})).status_code == 404
    assert client.get(reverse("api:emulation-title-detail", kwargs={"code": "bk-bqp"})).status_code == 404
    # Filters: who may receive it (a "both" form is for collectives too), and the organisation.
    collective = client.get(reverse("api:award-form-list"), {"recipients": "collective", "page_size": 500}).json()
    codes = {r["code"] for r in collective["results"]}
    assert "bk-bqp" in codes and "knc-ccb" not in codes
    ccb = client.get(reverse("api:emulation-title-list"), {"organisation": "ccb"}).json()["results"]
    assert ccb and {r["organisation"] for r in ccb} == {"ccb"}
    # Read only here: the catalogue is edited in the Django admin.
    assert post(client, reverse("api:award-form-list"), {"code": "x"}).status_code == 405


# --- proposing and the rules ---------------------------------------------------------------------


def test_a_commune_proposes_an_individual(as_user: Callable[[str], Any], phase: Phase, veteran: Person) -> None:
    data = proposed(as_user, phase, veteran)
    assert (data["status"], data["nominee_kind"], data["nominee_name"], data["person"]) == (
        "draft",
        "individual",
        "Nguyễn Văn Cựu",
        veteran.pk,
    )
    assert (data["rank_at_event"], data["positions_at_event"], data["home_unit"]) == (
        "thuong-uy",
        ["Chi hội trưởng"],
        COMMUNE,
    )
    assert (data["programme"], data["phase"], data["award"]) == ("QDND-CCB", "2022-2027", "bk-ccb-tw")
    assert (data["holder"], data["awarding_unit"], data["route"]) == (COMMUNE, "CCB-TW", ["CCB-HANOI", "CCB-TW"])
    assert "BÁO CÁO THÀNH TÍCH" in data["achievement_report"] and data["steps"] == [] and data["decision"] is None
    # The phase by its code within the programme does as well as its id.
    other = Person.objects.create(full_name="Trần Văn Hai", unit=unit(COMMUNE))
    response = propose(as_user, phase, other, programme="QDND-CCB", phase="2022-2027")
    assert response.status_code == 201 and response.json()["phase"] == "2022-2027"
    assert propose(as_user, phase, other, phase="2022-2027").status_code == 400
    # Cà Mau's association sees neither.
    assert as_user("camau.ccb").get(url(data["id"])).status_code == 404
    assert as_user("camau.ccb").get(NOMINATIONS, {"award": "bk-ccb-tw"}).json()["count"] == 0


def test_each_rule_is_refused_with_its_message(as_user: Callable[[str], Any], phase: Phase, veteran: Person) -> None:
    first = proposed(as_user, phase, veteran)
    assert post(as_user("hoankiem.ccb"), url(first["id"], "submit")).status_code == 200
    # Double award: a nomination of the same form for the same phase is pending.
    twice = propose(as_user, phase, veteran)
    assert twice.status_code == 400
    assert "đang có đề nghị khen “Bằng khen của Ban Chấp hành Trung ương Hội" in errors(twice)
    # Out of the proposer's subtree: the commune's army counterpart, which the commune does see.
    outside = propose(as_user, phase, veteran, award="gk-ccb-tinh", person=None, nominee_unit="QS-X00070")
    assert outside.status_code == 400
    assert "không thuộc Hội Cựu chiến binh" in errors(outside) and "hoặc các đơn vị trực thuộc" in errors(outside)
    # A unit of Cà Mau is "not found", like a code that does not exist.
    camau = propose(as_user, phase, veteran, award="gk-ccb-tinh", person=None, nominee_unit="CCB-CAMAU")
    assert camau.status_code == 400 and "Không tìm thấy đơn vị có mã “CCB-CAMAU”" in errors(camau)
    # The chain of titles.
    chain = propose(as_user, phase, veteran, award="cstd-ccb-tw")
    assert chain.status_code == 400 and "mới có 0 lần" in errors(chain)
    # Recipients: an individual-only medal for a collective.
    medal = propose(as_user, phase, veteran, award="knc-ccb", person=None, nominee_unit=COMMUNE)
    assert medal.status_code == 400 and "chỉ dành cho cá nhân" in errors(medal)
    # Neither a collective nor an individual.
    assert propose(as_user, phase, veteran, person=None).status_code == 400
    # A Cà Mau approver may not propose for Hoàn Kiếm (the unit is not found for them).
    payload = {"proposing_unit": COMMUNE, "person": veteran.pk, "award": "gk-ccb-tinh", "phase": phase.pk, "year": 2026}
    assert post(as_user("camau.ccb"), NOMINATIONS, payload).status_code == 400
    assert Nomination.objects.filter(person=veteran).count() == 1


# --- transitions -----------------------------------------------------------------------------------


def test_a_nomination_crosses_to_the_army_and_is_decided(
    as_user: Callable[[str], Any], phase: Phase, veteran: Person
) -> None:
    data = proposed(as_user, phase, veteran, award="bk-tcct")
    pk = data["id"]
    assert data["route"] == ["CCB-HANOI", "CCB-TW", "BQP"] and data["awarding_unit"] == "BQP"
    # Only the proposing side submits; Cà Mau does not even see it.
    assert post(as_user("camau.ccb"), url(pk, "submit")).status_code == 404
    draft = post(as_user("hanoi.ccb"), url(pk, "endorse"))  # a draft waits for nobody's decision
    assert draft.status_code == 400 and "không ở trạng thái chờ xét" in errors(draft)
    sent = post(as_user("hoankiem.ccb"), url(pk, "submit"))
    assert sent.status_code == 200 and (sent.json()["status"], sent.json()["holder"]) == ("submitted", "CCB-HANOI")
    # The proposer may not endorse (403); a Cà Mau approver and the army's province do not see it (404).
    assert post(as_user("hoankiem.ccb"), url(pk, "endorse")).status_code == 403
    assert post(as_user("camau.ccb"), url(pk, "endorse")).status_code == 404
    assert post(as_user("hanoi.qs"), url(pk, "endorse")).status_code == 404
    waiting = as_user("hanoi.ccb").get(NOMINATIONS, {"to_decide": "true"}).json()["results"]
    assert pk in {r["id"] for r in waiting}
    assert pk not in {r["id"] for r in as_user("tcct").get(NOMINATIONS, {"to_decide": "true"}).json()["results"]}
    endorsed = post(as_user("hanoi.ccb"), url(pk, "endorse"))
    assert endorsed.status_code == 200 and endorsed.json()["holder"] == "CCB-TW"
    assert post(as_user("hanoi.ccb"), url(pk, "endorse")).status_code == 403  # no longer Hà Nội's to act on
    crossed = post(as_user("tuhoi"), url(pk, "endorse")).json()
    assert crossed["holder"] == "BQP" and crossed["steps"][-1]["action"] == "cross"
    assert crossed["steps"][-1]["by"] == "tuhoi" and crossed["steps"][-1]["to_unit"] == "BQP"
    # The association's centre may no longer decide; the Ministry has nobody above to endorse to.
    assert post(as_user("tuhoi"), url(pk, "decide")).status_code == 403
    top = post(as_user("tcct"), url(pk, "endorse"))
    assert top.status_code == 400 and "đã đến cấp có thẩm quyền" in errors(top)
    decided = post(
        as_user("tcct"),
        url(pk, "decide"),
        {"issued_on": "2026-11-27", "signer_name": "Nguyễn Văn Gấu"},
    )
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert body["status"] == "awarded" and body["steps"][-1]["action"] == "decide"
    assert [s["action"] for s in body["steps"]] == ["submit", "endorse", "cross", "decide"]
    decision = as_user("hoankiem.ccb").get(reverse("api:decision-detail", kwargs={"pk": body["decision"]})).json()
    assert (decision["number"], decision["issued_on"], decision["issuing_unit"], decision["awarding_unit"]) == (
        1,
        "2026-11-27",
        "TCCT",
        "BQP",
    )
    assert decision["signer_rank_label"] == "Thiếu tướng"
    assert (decision["signer_capacity"], decision["signer_collective"]) == ("KT.", "CHỦ NHIỆM")
    assert [
        (a["nominee"], a["rank"], a["positions"], a["home_unit"], a["award"], a["phase"], a["year"])
        for a in decision["awards"]
    ] == [("Nguyễn Văn Cựu", "thuong-uy", ["Chi hội trưởng"], COMMUNE, "bk-tcct", "2022-2027", 2026)]
    assert as_user("camau.ccb").get(reverse("api:decision-detail", kwargs={"pk": body["decision"]})).status_code == 404
    # Decided is final.
    again = post(as_user("tcct"), url(pk, "reject"), {"reason": "x"})
    assert again.status_code == 400 and "không ở trạng thái chờ xét" in errors(again)


def test_return_resubmit_reject_and_delete(as_user: Callable[[str], Any], phase: Phase, veteran: Person) -> None:
    writer, approver = as_user("hoankiem.ccb"), as_user("hanoi.ccb")
    pk = proposed(as_user, phase, veteran)["id"]
    post(writer, url(pk, "submit"))
    blank = post(approver, url(pk, "return"), {"reason": "  "})
    assert blank.status_code == 400 and "Hãy nêu lý do trả lại đề nghị." in errors(blank)
    locked = writer.patch(url(pk), {"summary": "x"}, format="json")
    assert locked.status_code == 400 and "Chỉ sửa được" in errors(locked)
    assert post(writer, url(pk, "return"), {"reason": "Tự trả"}).status_code == 403
    back = post(approver, url(pk, "return"), {"reason": "Bổ sung biên bản hội đồng."}).json()
    assert (back["status"], back["holder"], back["steps"][-1]["reason"]) == (
        "returned",
        COMMUNE,
        "Bổ sung biên bản hội đồng.",
    )
    saved = writer.patch(url(pk), {"council_minutes": "Hội đồng nhất trí 7/7."}, format="json")
    assert saved.status_code == 200 and saved.json()["council_minutes"] == "Hội đồng nhất trí 7/7."
    saved = writer.patch(url(pk), {"achievement_report": "Bản tự viết."}, format="json").json()
    assert saved["achievement_report"] == "Bản tự viết."
    regenerated = post(writer, url(pk, "achievement-report")).json()
    assert regenerated["achievement_report"].startswith("BÁO CÁO THÀNH TÍCH")
    assert post(as_user("camau.ccb"), url(pk, "achievement-report")).status_code == 404
    assert post(writer, url(pk, "submit")).json()["status"] == "submitted"
    no_reason = post(approver, url(pk, "reject"))
    assert no_reason.status_code == 400 and "Hãy nêu lý do không đề nghị" in errors(no_reason)
    rejected = post(approver, url(pk, "reject"), {"reason": "Không đủ tiêu chuẩn."}).json()
    assert rejected["status"] == "rejected"
    # A nomination once sent keeps its record; a fresh draft is deleted by its proposer only.
    kept = writer.delete(url(pk))
    assert kept.status_code == 400 and "Chỉ xóa được đề nghị đang soạn" in errors(kept)
    draft = proposed(as_user, phase, veteran)["id"]
    assert as_user("camau.ccb").delete(url(draft)).status_code == 404
    assert writer.delete(url(draft)).status_code == 204
    assert not Nomination.objects.filter(pk=draft).exists()


# --- decisions, documents, history -----------------------------------------------------------------


def decided_by_province(as_user: Callable[[str], Any], phase: Phase, **nominee: Any) -> dict[str, Any]:
    payload = {"proposing_unit": COMMUNE, "award": "gk-ccb-tinh", "phase": phase.pk, "year": 2026, **nominee}
    pk = post(as_user("hoankiem.ccb"), NOMINATIONS, payload).json()["id"]
    assert post(as_user("hoankiem.ccb"), url(pk, "submit")).json()["holder"] == "CCB-HANOI"
    response = post(
        as_user("hanoi.ccb"),
        url(pk, "decide"),
        {"issued_on": "2026-11-27", **SIGNER},
    )
    assert response.status_code == 200, response.json()
    return dict(response.json())


def test_decisions_their_documents_and_the_history(
    as_user: Callable[[str], Any], phase: Phase, veteran: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = decided_by_province(as_user, phase, person=veteran.pk)
    decision = Decision.objects.get(pk=person["decision"])
    assert decision.issuing_unit.code == "CCB-HANOI" and decision.number
    # A second nominee joins the same decision: a branch of the commune's association (the demo has
    # the commune itself pending for this form already).
    commune = unit(COMMUNE)
    branch = OrgUnit.objects.filter(path__startswith=commune.path, depth=commune.depth + 1).order_by("path").first()
    assert branch is not None
    collective = {"proposing_unit": COMMUNE, "award": "gk-ccb-tinh", "phase": phase.pk, "year": 2026}
    pk = post(as_user("hoankiem.ccb"), NOMINATIONS, {**collective, "nominee_unit": branch.code}).json()["id"]
    post(as_user("hoankiem.ccb"), url(pk, "submit"))
    joined = post(as_user("hanoi.ccb"), url(pk, "decide"), {"decision": decision.pk}).json()
    assert joined["decision"] == decision.pk and decision.awards.count() == 2

    document = reverse("api:decision-document", kwargs={"pk": decision.pk})
    reader = as_user("hoankiem.ccb")
    docx = reader.get(document, {"file_format": "docx"})
    assert docx.status_code == 200 and docx["Content-Type"] == DOCX
    assert "attachment" in docx["Content-Disposition"]
    xml = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "Nguyễn Văn Cựu" in xml and "QUYẾT ĐỊNH" in xml and "ngày 27 tháng 11 năm 2026" in xml
    xlsx = reader.get(document, {"file_format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and [c.value for c in sheet[4]][:3] == ["1", "Nguyễn Văn Cựu", "Thượng úy"]
    assert reader.get(document, {"file_format": "odt"}).status_code == 400
    assert as_user("camau.ccb").get(document).status_code == 404
    # No LibreOffice on the server: the PDF is a 503 that says why.
    monkeypatch.setattr("phoihop.documents.pdf.soffice_path", lambda: None)
    pdf = reader.get(document, {"file_format": "pdf"})
    assert pdf.status_code == 503 and "LibreOffice" in pdf.json()["detail"]

    # The commendation history of the individual and of the collective.
    history = reader.get(AWARDS, {"person": veteran.pk}).json()["results"]
    assert [(r["award"], r["decision"], r["issuing_unit"], r["year"]) for r in history] == [
        ("gk-ccb-tinh", decision.pk, "CCB-HANOI", 2026)
    ]
    collective_rows = reader.get(AWARDS, {"unit": branch.code}).json()["results"]
    assert [r["nominee_unit"] for r in collective_rows] == [branch.code] and collective_rows[0]["person"] is None
    assert as_user("camau.ccb").get(AWARDS, {"person": veteran.pk}).json()["count"] == 0
    award_pk = history[0]["id"]
    assert as_user("camau.ccb").get(reverse("api:award-detail", kwargs={"pk": award_pk})).status_code == 404
    assert Award.objects.filter(decision=decision).count() == 2

    # A decision made ahead, by the awarding unit's approver only.
    made = post(as_user("hanoi.ccb"), DECISIONS, {"awarding_unit": "CCB-HANOI", "issued_on": "2026-03-01", **SIGNER})
    assert made.status_code == 201 and made.json()["number"] == decision.number + 1
    assert post(as_user("hoankiem.ccb"), DECISIONS, {"awarding_unit": COMMUNE}).status_code == 403
    assert post(as_user("camau.ccb"), DECISIONS, {"awarding_unit": "CCB-HANOI"}).status_code == 400
    listed = as_user("hanoi.ccb").get(DECISIONS, {"awarding_unit": "CCB-HANOI"}).json()["results"]
    assert {decision.pk, made.json()["id"]} <= {r["id"] for r in listed}
    assert as_user("camau.ccb").get(DECISIONS, {"awarding_unit": "CCB-HANOI"}).json()["count"] == 0


# --- the dossier's files ---------------------------------------------------------------------------


def test_dossier_files_refuse_a_disguised_file_and_serve_readers_only(
    as_user: Callable[[str], Any], phase: Phase, veteran: Person
) -> None:
    pk = proposed(as_user, phase, veteran)["id"]
    files = url(pk, "files")
    writer = as_user("hoankiem.ccb")
    disguised = SimpleUploadedFile("to-trinh.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    refused = writer.post(files, {"kind": "submission", "file": disguised}, format="multipart")
    assert refused.status_code == 400 and "Nội dung tệp không thuộc loại được phép" in errors(refused)
    bad_kind = SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")
    assert writer.post(files, {"kind": "hoa-don", "file": bad_kind}, format="multipart").status_code == 400
    real = SimpleUploadedFile("to-trinh-da-ky.pdf", PDF_BYTES, content_type="application/pdf")
    made = writer.post(files, {"kind": "submission", "file": real}, format="multipart")
    assert made.status_code == 201, made.json()
    row = made.json()
    assert (row["kind"], row["name"], row["content_type"], row["size"]) == (
        "submission",
        "to-trinh-da-ky.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    # Cà Mau may neither list, nor upload, nor download.
    assert as_user("camau.ccb").get(files).status_code == 404
    other = SimpleUploadedFile("x.pdf", PDF_BYTES, content_type="application/pdf")
    assert as_user("camau.ccb").post(files, {"kind": "other", "file": other}, format="multipart").status_code == 404
    download = reverse("api:nomination-file", kwargs={"pk": pk, "file_id": row["id"]})
    assert row["url"].endswith(download)
    assert as_user("camau.ccb").get(download).status_code == 404
    served = as_user("hanoi.ccb").get(download)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF_BYTES
    assert "attachment" in served["Content-Disposition"]
    assert [f["id"] for f in writer.get(url(pk)).json()["files"]] == [row["id"]]
    assert [f["id"] for f in writer.get(files).json()] == [row["id"]]
    # A file of another nomination is not found under this one.
    other_pk = proposed(as_user, phase, Person.objects.create(full_name="Lê Văn Ba", unit=unit(COMMUNE)))["id"]
    assert writer.get(reverse("api:nomination-file", kwargs={"pk": other_pk, "file_id": row["id"]})).status_code == 404
    # Removed by the proposer, not by Cà Mau; not once the nomination is sent.
    assert as_user("camau.ccb").delete(download).status_code == 404
    assert writer.delete(download).status_code == 204
    assert writer.get(download).status_code == 404
    again = SimpleUploadedFile("bien-ban.pdf", PDF_BYTES, content_type="application/pdf")
    kept = writer.post(files, {"kind": "minutes", "file": again}, format="multipart").json()
    post(writer, url(pk, "submit"))
    locked = writer.delete(reverse("api:nomination-file", kwargs={"pk": pk, "file_id": kept["id"]}))
    assert locked.status_code == 400 and "Chỉ thêm, bớt được tệp" in errors(locked)


def test_decide_refuses_a_bad_rank_and_a_foreign_decision(
    as_user: Callable[[str], Any], phase: Phase, veteran: Person
) -> None:
    pk = proposed(as_user, phase, veteran, award="gk-ccb-tinh")["id"]
    post(as_user("hoankiem.ccb"), url(pk, "submit"))
    bad = post(as_user("hanoi.ccb"), url(pk, "decide"), {"signer_rank": "nguyen-soai"})
    assert bad.status_code == 400 and "signer_rank" in bad.json()
    # A decision of another awarding unit (the centre's, made by tuhoi) does not take it.
    centre = post(
        as_user("tuhoi"), DECISIONS, {"awarding_unit": "CCB-TW", "issued_on": str(date(2026, 4, 1)), **TW_SIGNER}
    ).json()
    foreign = post(as_user("tuhoi"), url(pk, "decide"), {"decision": centre["id"]})
    assert foreign.status_code == 400 and "không phải của đơn vị khen thưởng đề nghị" in errors(foreign)
    assert Nomination.objects.get(pk=pk).status == "submitted"


def test_deciding_into_a_new_decision_announced_at_a_conference(
    as_user: Callable[[str], Any], phase: Phase, veteran: Person
) -> None:
    from phoihop.conferences.models import Conference

    row = proposed(as_user, phase, veteran)
    assert post(as_user("hoankiem.ccb"), url(row["id"], "submit")).status_code == 200
    assert post(as_user("hanoi.ccb"), url(row["id"], "endorse")).status_code == 200
    conference = Conference.objects.get(held_on="2022-09-23")
    # A conference outside the decider's reach is refused, as if it did not exist.
    response = post(as_user("tuhoi"), url(row["id"], "decide"), {"conference": 10**6})
    assert response.status_code == 400 and "Không tìm thấy hội nghị" in errors(response)
    payload = {"conference": conference.pk, "issued_on": "2026-11-27", **TW_SIGNER}
    response = post(as_user("tuhoi"), url(row["id"], "decide"), payload)
    assert response.status_code == 200, errors(response)
    decision = Nomination.objects.get(pk=row["id"]).decision
    assert decision is not None and decision.conference_id == conference.pk
    shown = as_user("tuhoi").get(reverse("api:decision-detail", kwargs={"pk": decision.pk})).json()
    assert shown["conference"] == conference.pk


def test_an_unknown_document_format_is_refused(as_user: Callable[[str], Any]) -> None:
    decision = Decision.objects.first()
    assert decision is not None, "the demo holds a decision"
    path = reverse("api:decision-document", kwargs={"pk": decision.pk})
    response = as_user("tcct").get(path, {"file_format": "odt"})
    assert response.status_code == 400
    assert "Định dạng “odt” không hợp lệ; nhận: docx, xlsx, pdf." in errors(response)
    assert as_user("tcct").get(path, {"file_format": "docx"}).status_code == 200

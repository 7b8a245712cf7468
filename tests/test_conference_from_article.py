"""A conference recorded from a news report (issue 16, items 4 and 5): the seed read and matched to
the programme, its units, phases and people; nothing saved before the confirmation; the
confirmation records the conference (or completes the one already recorded) with the co-chairs'
rank and positions of the day, the signing, and the article as its source; the API returns the
draft only; many articles at once become drafts through a job; scoping holds throughout."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phoihop.conferences import services
from phoihop.conferences.from_article import match
from phoihop.conferences.models import ArticleDraft, CoChair, Conference, Delegate
from phoihop.conferences.tasks import KEEP_DRAFT_DAYS, purge_drafts
from phoihop.demo.conferences import NATIONAL_DAY
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Phase, Signing
from tests.support.api_world import VersionedAPIClient as APIClient

pytestmark = pytest.mark.django_db

SEED = (Path(__file__).resolve().parent / "data" / "articles" / "000_seed-qdnd-hoi-ccb-2022.txt").read_text("utf-8")
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
PAGE = "/conferences/from-article/"


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def national() -> Conference:
    return Conference.objects.get(programme__code="QDND-CCB", held_on=NATIONAL_DAY)


def move_demo_conference_away() -> None:
    """The demo already holds the seed's conference: moved to another day and unlinked from its
    signing, the seed's article is a conference the database does not have yet."""
    Conference.objects.filter(pk=national().pk).update(held_on=date(2022, 9, 20), signing=None)


def read(client: Client, text: str = SEED) -> Any:
    response = client.post(PAGE, {"action": "read", "text": text, "source_name": "qdnd.vn"})
    assert response.status_code == 200
    return response


def confirm_data(response: Any, **changes: Any) -> dict[str, Any]:
    """The review page's form as the user would send it unchanged (``changes`` on top)."""
    form, people = response.context["form"], response.context["people"]
    data: dict[str, Any] = {"action": "confirm"}
    for name in form.fields:
        value = form.initial.get(name)
        if hasattr(value, "pk"):
            value = value.pk
        if value is not None:
            data[name] = value.isoformat() if isinstance(value, date) else value
    data = {**data, **{f"people-{k}": v for k, v in people.management_form.initial.items()}}
    for i, row in enumerate(people.initial or []):
        for key, value in row.items():
            data[f"people-{i}-{key}"] = value
    data.update(changes)
    return data


def test_the_seed_is_matched_to_the_programme_its_units_phases_and_people(demo_user: Callable[[str], Any]) -> None:
    from phoihop.conferences.extract.record import extract

    proposal = match(extract(SEED), demo_user("tcct"))
    assert proposal.programme is not None and proposal.programme.code == "QDND-CCB"
    assert proposal.kind == "tong-ket"
    assert proposal.held_on == NATIONAL_DAY and proposal.place == "Hà Nội"
    assert [u.code for u in proposal.organisers] == ["TCCT", "CCB-TW"]
    assert proposal.phase is not None and proposal.phase.code == "2017-2022"
    assert proposal.signed_years == "2022-2027"
    chairs = {p.name: p for p in proposal.people if p.role == "chair"}
    assert set(chairs) == {"Nguyễn Văn Gấu", "Khuất Việt Dũng"}
    assert chairs["Nguyễn Văn Gấu"].rank == "thieu-tuong" and chairs["Khuất Việt Dũng"].rank == "trung-tuong"
    for name, found in chairs.items():
        assert found.person == Person.objects.get(full_name=name)
    # "Ủy viên T.Ư Đảng" is the record's "Ủy viên Trung ương Đảng": the record's wording is kept.
    assert "Ủy viên Trung ương Đảng" in chairs["Nguyễn Văn Gấu"].positions
    guest = next(p for p in proposal.people if p.role == "delegate")
    assert guest.name == "Phạm Tất Thắng" and guest.person is not None
    assert proposal.duplicate == national()


def test_nothing_is_saved_before_the_confirmation(demo_user: Callable[[str], Any]) -> None:
    counts = (Conference.objects.count(), Person.objects.count(), Signing.objects.count(), Phase.objects.count())
    response = read(web(demo_user("tcct")))
    assert "Xác nhận và ghi hội nghị" in response.content.decode()
    assert 'class="ev ev-chairs"' in response.content.decode()  # the sources are highlighted
    assert (
        Conference.objects.count(),
        Person.objects.count(),
        Signing.objects.count(),
        Phase.objects.count(),
    ) == counts


def test_confirming_records_the_conference_with_the_cochairs_of_the_day_the_signing_and_the_source(
    demo_user: Callable[[str], Any],
) -> None:
    move_demo_conference_away()
    client = web(demo_user("tcct"))
    response = read(client)
    assert response.context["proposal"].duplicate is None
    before = Conference.objects.count()
    done = client.post(PAGE, confirm_data(response))
    assert done.status_code == 302, done.context["form"].errors if done.context else done
    assert Conference.objects.count() == before + 1
    conference = Conference.objects.get(programme__code="QDND-CCB", held_on=NATIONAL_DAY)
    assert done["Location"] == reverse("conferences:detail", args=[conference.pk])
    assert conference.kind == "tong-ket" and conference.place == "Hà Nội" and conference.phase.code == "2017-2022"
    assert conference.source_text == SEED.strip() and conference.source_name == "qdnd.vn"
    assert {u.code for u in conference.organisers.all()} == {"TCCT", "CCB-TW"}
    cochairs = {c.person.full_name: c for c in CoChair.objects.filter(conference=conference)}
    assert cochairs["Nguyễn Văn Gấu"].rank_at_event == "thieu-tuong"
    assert cochairs["Nguyễn Văn Gấu"].positions_at_event == [
        "Ủy viên Trung ương Đảng",
        "Phó Chủ nhiệm Tổng cục Chính trị Quân đội nhân dân Việt Nam",
    ]
    assert cochairs["Khuất Việt Dũng"].rank_at_event == "trung-tuong"
    assert cochairs["Khuất Việt Dũng"].positions_at_event == ["Phó Chủ tịch Hội Cựu chiến binh Việt Nam"]
    delegate = Delegate.objects.get(conference=conference)
    assert delegate.person is not None and delegate.person.full_name == "Phạm Tất Thắng"
    assert delegate.positions_at_event[1] == "Phó Trưởng ban Thường trực Ban Dân vận Trung ương"
    assert conference.signing is not None and conference.signing.phase.code == "2022-2027"
    page = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "Bài viết nguồn" in page and "Giai đoạn 2022–2027, ký ngày 23/9/2022" in page


def test_an_article_already_recorded_completes_the_record_without_doubling_it(demo_user: Callable[[str], Any]) -> None:
    client = web(demo_user("tcct"))
    response = read(client)
    data = confirm_data(response)
    assert data["into"] == national().pk  # offered by default
    conferences, cochairs = Conference.objects.count(), CoChair.objects.filter(conference=national()).count()
    assert client.post(PAGE, data).status_code == 302
    assert Conference.objects.count() == conferences
    assert CoChair.objects.filter(conference=national()).count() == cochairs
    assert national().source_text == SEED.strip()


def test_a_new_person_and_a_named_guest(demo_user: Callable[[str], Any]) -> None:
    """A co-chair not in the record becomes a person of the chosen unit with the rank and
    positions of the day; a guest not in the record is a named guest (no person made)."""
    demo = national()
    move_demo_conference_away()
    user = demo_user("tcct")
    conference = services.conference_from_article(
        acting_user=user,
        data={
            "programme": demo.programme,
            "phase": demo.phase,
            "kind": "tong-ket",
            "title": "Hội nghị tổng kết",
            "held_on": NATIONAL_DAY,
            "place": "Hà Nội",
        },
        organisers=[OrgUnit.objects.get(code="TCCT")],
        people=[
            services.ArticlePerson(
                "chair", "Trần Văn Mới", "dai-ta", ("Cục trưởng Cục Dân vận",), new_in=OrgUnit.objects.get(code="TCCT")
            ),
            services.ArticlePerson("delegate", "Lê Thị Khách", "", ("Phó Chủ tịch Hội Nông dân Việt Nam",)),
        ],
        signed_years="",
        source_text="Bài viết.",
    )
    chair = CoChair.objects.get(conference=conference)
    assert chair.person.full_name == "Trần Văn Mới" and chair.person.unit.code == "TCCT"
    assert chair.rank_at_event == "dai-ta" and chair.positions_at_event == ["Cục trưởng Cục Dân vận"]
    guest = Delegate.objects.get(conference=conference)
    assert guest.person is None and guest.name == "Lê Thị Khách"
    assert guest.title == "Phó Chủ tịch Hội Nông dân Việt Nam"
    assert not Person.objects.filter(full_name="Lê Thị Khách").exists()


def test_a_signed_phase_the_programme_lacks_is_signed_at_the_conference(demo_user: Callable[[str], Any]) -> None:
    """The end-of-phase conference of 2022–2027 (held in 2027) signs 2027–2032: the phase is made,
    signed at the conference, from its day for five years."""
    client = web(demo_user("tcct"))
    text = SEED.replace("2022-2027", "2027-2032").replace("2017-2022", "2022-2027")
    response = read(client, text)
    assert response.context["proposal"].phase.code == "2022-2027"
    done = client.post(PAGE, confirm_data(response))
    assert done.status_code == 302
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2027-2032")
    assert (phase.start, phase.end) == (date(2027, 9, 23), date(2032, 9, 22))
    assert phase.signing.conference.held_on == date(2027, 9, 23)
    assert phase.signing.conference.phase.code == "2022-2027"


def test_a_user_out_of_the_organisers_reach_records_nothing(demo_user: Callable[[str], Any]) -> None:
    move_demo_conference_away()
    client = web(demo_user("camau.ccb"))
    response = read(client)
    before = (Conference.objects.count(), Person.objects.count())
    again = client.post(PAGE, confirm_data(response, organiser_codes="TCCT, CCB-TW"))
    assert again.status_code == 200
    assert again.context["form"].errors  # said on the form, nothing lost
    assert (Conference.objects.count(), Person.objects.count()) == before


def test_the_api_returns_the_draft_and_saves_nothing(demo_user: Callable[[str], Any]) -> None:
    client = APIClient()
    client.force_authenticate(demo_user("tcct"))
    before = Conference.objects.count()
    response = client.post("/api/v1/conferences/extract/", {"text": SEED}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["event_kind"] == "tong_ket+ky_ket" and body["date"] == "2022-09-23" and body["place"] == "Hà Nội"
    assert {p["years"]: p["role"] for p in body["phases"]} == {"2017-2022": "reviewed", "2022-2027": "signed"}
    assert body["matched"]["programme"] == "QDND-CCB" and body["matched"]["organisers"] == ["TCCT", "CCB-TW"]
    assert body["matched"]["existing_conference"] == national().pk
    start, end = body["evidence"]["place"][0]
    assert SEED[start:end] == "Hà Nội"
    assert Conference.objects.count() == before
    assert client.post("/api/v1/conferences/extract/", {"text": " "}, format="json").status_code == 400


def test_the_api_reads_a_word_file(demo_user: Callable[[str], Any]) -> None:
    from docx import Document

    document = Document()
    for paragraph in SEED.split("\n\n"):
        document.add_paragraph(paragraph)
    content = io.BytesIO()
    document.save(content)
    client = APIClient()
    client.force_authenticate(demo_user("tcct"))
    upload = SimpleUploadedFile("bai.docx", content.getvalue())
    response = client.post("/api/v1/conferences/extract/", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["date"] == "2022-09-23"
    assert [c["name"] for c in response.json()["chairs"]] == ["Nguyễn Văn Gấu", "Khuất Việt Dũng"]
    bad = SimpleUploadedFile("bai.pdf", b"%PDF-1.4")
    assert client.post("/api/v1/conferences/extract/", {"file": bad}, format="multipart").status_code == 400


def test_the_api_refuses_a_user_who_records_no_conference(demo_user: Callable[[str], Any]) -> None:
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("no-role", password="x-x-x-x-x-12345")
    client = APIClient()
    client.force_authenticate(nobody)
    assert client.post("/api/v1/conferences/extract/", {"text": SEED}, format="json").status_code == 403


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_many_articles_become_drafts_with_a_progress_bar(
    demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    articles = sorted(ARTICLES.glob("0*.txt"))[:3]
    archive = _zip(
        {
            **{f"bai/{p.name}": p.read_bytes() for p in articles},
            "bai/anh.odt": b"PK not an article",
            "bai/hong.pdf": b"%PDF-1.4 cut short",
            "__MACOSX/._x.txt": b"junk",
        }
    )
    user = demo_user("tcct")
    client = web(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conferences:article-batch"),
            {"files": SimpleUploadedFile("bai.zip", archive, content_type="application/zip")},
        )
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    drafts = {d.name: d for d in ArticleDraft.objects.filter(created_by=user)}
    assert sorted(drafts) == sorted(["bai/anh.odt", "bai/hong.pdf", *[f"bai/{p.name}" for p in articles]])
    odt, pdf = drafts.pop("bai/anh.odt"), drafts.pop("bai/hong.pdf")
    assert "Chỉ đọc được tệp .txt, .docx hoặc .pdf" in odt.error and odt.record is None
    assert "Không đọc được tệp PDF" in pdf.error and pdf.record is None
    for draft in drafts.values():
        assert draft.record is not None and draft.record["event_kind"] and not draft.error
    one = drafts[f"bai/{articles[0].name}"]
    listing = client.get(reverse("conferences:article-drafts")).content.decode()
    assert listing.count('data-testid="draft-row"') == 5 and "Kiểm tra và ghi" in listing
    assert (
        'data-testid="draft-row"'
        not in web(demo_user("camau.ccb")).get(reverse("conferences:article-drafts")).content.decode()
    )
    # A draft opens on the review page; another user never sees it.
    assert "Kiểm tra hồ sơ hội nghị" in client.get(f"{PAGE}?draft={one.pk}").content.decode()
    assert web(demo_user("camau.ccb")).get(f"{PAGE}?draft={one.pk}").status_code == 404


def test_a_zip_bomb_is_refused_and_makes_no_draft(demo_user: Callable[[str], Any], settings: Any) -> None:
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 10_000
    archive = _zip({"a.txt": b"a" * 50_000})
    response = web(demo_user("tcct")).post(
        reverse("conferences:article-batch"), {"files": SimpleUploadedFile("bom.zip", archive)}
    )
    assert response.status_code == 200 and "tệp nén độc hại" in response.content.decode()
    assert not ArticleDraft.objects.exists()


def test_drafts_are_kept_ninety_days_and_the_conference_keeps_its_article(demo_user: Callable[[str], Any]) -> None:
    user = demo_user("tcct")
    text = SEED
    with time_machine.travel(timezone.now() - timedelta(days=KEEP_DRAFT_DAYS, hours=1)):
        old = ArticleDraft.objects.create(created_by=user, batch="cu", name="cu.txt", text=text)
    with time_machine.travel(timezone.now() - timedelta(days=KEEP_DRAFT_DAYS - 1)):
        recent = ArticleDraft.objects.create(created_by=user, batch="moi", name="moi.txt", text=text)
    listing = web(user).get(reverse("conferences:article-drafts")).content.decode()
    assert f"Bản nháp được giữ {KEEP_DRAFT_DAYS} ngày kể từ khi tải lên rồi tự xóa" in listing

    assert purge_drafts() == 1
    assert list(ArticleDraft.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not ArticleDraft.objects.filter(pk=old.pk).exists()

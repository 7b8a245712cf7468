"""Scoping-matrix specs of conferences (see tests/matrix_ext/__init__.py).

Each side gets, through the services, a conference of its province programme organised by its
two counterpart provinces (QS-… and CCB-…, the programme's representative units: news for every
user of that programme, and for no one else), with a co-chair and a paper with a file.

Each conference also has a named guest (a delegate) and, besides its co-chair, a second person of
the province (``conferences.person``) to add as a co-chair; its hour, hall and conclusions (so its
invitation and notice are built), an item of its programme and a speech with a file. The API's
specs are in conferences_api.

Who writes: reporters and approvers of an organiser's subtree or above (hanoi.ccb, tuhoi, admin);
a unit administrator reads only (403). The other province's conference is "not found" (404).
The attendance and papers pages are editing pages: only writers open them.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.conferences import services
from phoihop.conferences.models import AgendaItem, CoChair, Conference, Delegate, Paper, Speech
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Phase

PROVINCE = {"hn": "HANOI", "cm": "CAMAU"}
NAMES = {"hn": "Hà Nội", "cm": "Cà Mau"}
NEW_TITLE = "Hội nghị mới của ma trận"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def extend(w: Any, m: Any) -> None:
    admin = w.users["admin"]
    for side in (m.HN, m.CM):
        province = PROVINCE[side]
        organisers = list(OrgUnit.objects.filter(code__in=[f"QS-{province}", f"CCB-{province}"]).order_by("code"))
        conference = services.conference_save(
            acting_user=admin,
            organisers=organisers,
            data={
                "programme": w.programme[side],
                "phase": w.phase[side],
                "kind": "tong-ket",
                "title": f"Hội nghị tổng kết ma trận {NAMES[side]}",
                "held_on": date(2030, 9, 28),
                "starts_at": time(8, 0),
                "place": NAMES[side],
                "venue": f"Hội trường ma trận {NAMES[side]}",
                "conclusions": f"Kết luận ma trận {NAMES[side]}.",
            },
        )
        item = services.agenda_item_add(
            conference=conference, acting_user=admin, item=f"Khai mạc ma trận {NAMES[side]}", at=time(8, 0)
        )
        speech = services.speech_add(
            conference=conference,
            acting_user=admin,
            title=f"Phát biểu ma trận {NAMES[side]}",
            person=w.person[side],
            upload=SimpleUploadedFile("phat-bieu.pdf", PDF_BYTES),
        )
        cochair = services.cochair_add(conference=conference, person=w.person[side], acting_user=admin)
        guest = services.delegate_add(
            conference=conference,
            name=f"Khách mời ma trận {NAMES[side]}",
            organisation="Báo Nhân Dân",
            acting_user=admin,
        )
        person = Person.objects.create(
            full_name=f"Người dự ma trận {'Một' if side == m.HN else 'Hai'}",
            rank="dai-ta",
            positions=["Chỉ huy trưởng"],
            unit=OrgUnit.objects.get(code=f"CCB-{province}"),
        )
        paper = services.paper_add(
            conference=conference,
            title=f"Tham luận ma trận {NAMES[side]}",
            unit=w.province[side],
            upload=SimpleUploadedFile("tham-luan.pdf", PDF_BYTES),
            acting_user=admin,
        )
        w.extra.setdefault("conferences.conference", {})[side] = conference
        w.extra.setdefault("conferences.paper", {})[side] = paper
        w.extra.setdefault("conferences.cochair", {})[side] = cochair
        w.extra.setdefault("conferences.delegate", {})[side] = guest
        w.extra.setdefault("conferences.person", {})[side] = person
        w.extra.setdefault("conferences.agenda", {})[side] = item
        w.extra.setdefault("conferences.speech", {})[side] = speech
    w.camau_marks.append(w.extra["conferences.conference"][m.CM].title)


def _conference(w: Any, side: str) -> Conference:
    return w.extra["conferences.conference"][side]  # type: ignore[no-any-return]


PLAN = {"kind": "plan", "fmt": "docx"}  # the plan, as Word: every conference has one (no PDF run per reader)


def conference_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _conference(w, side).pk}


def paper_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _conference(w, side).pk, "paper_pk": w.extra["conferences.paper"][side].pk}


def cochair_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _conference(w, side).pk, "row_pk": w.extra["conferences.cochair"][side].pk}


def delegate_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _conference(w, side).pk, "row_pk": w.extra["conferences.delegate"][side].pk}


def agenda_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _conference(w, side).pk, "row_pk": w.extra["conferences.agenda"][side].pk}


def speech_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _conference(w, side).pk, "row_pk": w.extra["conferences.speech"][side].pk}


def rows_state(w: Any, side: str) -> Any:
    """Every co-chair, delegate, paper, programme item and speech of the side's conference, with their history."""
    conference = _conference(w, side)
    return tuple(
        (
            list(model.objects.filter(conference=conference).order_by("pk").values()),
            model.history.filter(conference_id=conference.pk).count(),
        )
        for model in (CoChair, Delegate, Paper, AgendaItem, Speech)
    )


def attendance_form(w: Any, side: str) -> dict[str, Any]:
    return {"form": "cochair", "cochair-person": w.extra["conferences.person"][side].pk, "cochair-order": 2}


def cochair_form(w: Any, side: str) -> dict[str, Any]:
    return {"rank_at_event": "thieu-tuong", "positions_at_event": "Chức vụ ngày hội nghị", "order": 1}


def delegate_form(w: Any, side: str) -> dict[str, Any]:
    return {
        "name": f"Khách mời ma trận {NAMES[side]}",
        "organisation": "Báo Quân đội nhân dân",
        "title": "Phóng viên",
        "is_guest_of_honour": "on",
        "rank_at_event": "",
        "positions_at_event": "",
        "order": 3,
    }


def papers_form(w: Any, side: str) -> dict[str, Any]:
    return {"title": "Tham luận thêm của ma trận", "author_name": "Tác giả thử", "unit_code": "", "order": 5}


def paper_edit_form(w: Any, side: str) -> dict[str, Any]:
    return {"title": "Tham luận đã sửa của ma trận", "author_name": "", "unit_code": "", "order": 1}


def programme_form(w: Any, side: str) -> dict[str, Any]:
    return {"form": "agenda", "agenda-at": "09:00", "agenda-item": "Tham luận của ma trận", "agenda-order": 2}


def agenda_form(w: Any, side: str) -> dict[str, Any]:
    return {"at": "08:30", "item": "Khai mạc ma trận (đã sửa)", "presenter": "Ban Tổ chức", "order": 1}


def speech_form(w: Any, side: str) -> dict[str, Any]:
    return {
        "kind": "chi-dao",
        "person": w.person[side].pk,
        "title": "Phát biểu ma trận (đã sửa)",
        "summary": "Tóm tắt.",
        "rank": "",
        "positions": "",
        "order": 1,
    }


def no_payload(w: Any, side: str) -> dict[str, Any]:
    return {}


def title(w: Any, side: str) -> str:
    return str(_conference(w, side).title)


def conference_state(w: Any, side: str) -> Any:
    row = Conference.objects.filter(pk=_conference(w, side).pk).first()
    if row is None:
        return None
    return (row.title, row.place, row.signing_id, row.history.count())


def conference_form(w: Any, side: str) -> dict[str, Any]:
    conference = _conference(w, side)
    province = PROVINCE[side]
    return {
        "programme": conference.programme_id,
        "phase": conference.phase_id,
        "kind": conference.kind,
        "title": f"{conference.title} (đã sửa)",
        "held_on": "2030-09-29",
        "place": conference.place,
        "agenda": "Chương trình mới.",
        "conclusions": "",
        "organiser_codes": f"QS-{province}, CCB-{province}",
    }


def new_conference_form(w: Any, side: str) -> dict[str, Any]:
    data = conference_form(w, side)
    data["title"] = NEW_TITLE
    return data


def new_conference_state(w: Any, side: str) -> Any:
    return Conference.objects.filter(title=NEW_TITLE).count()


def sign_form(w: Any, side: str) -> dict[str, Any]:
    return {"code": "2040-2044", "name": "2040–2044", "start": "2040-01-01", "end": "2044-12-31", "document_number": ""}


def sign_state(w: Any, side: str) -> Any:
    return (Phase.objects.filter(programme=w.programme[side]).count(), conference_state(w, side))


ARTICLE_TITLE = "Hội nghị ghi từ bài viết của ma trận"
SIDE_USERS = {"hn": ("hanoi.ccb", "tuhoi", "hanoi.admin", "admin"), "cm": ("camau.ccb", "camau.admin")}


def article_form(w: Any, side: str) -> dict[str, Any]:
    """The confirmation of the page "Ghi hội nghị từ bài viết", for the side's own units."""
    data = conference_form(w, side)
    return {
        **{k: v for k, v in data.items() if k not in ("agenda", "conclusions")},
        "title": ARTICLE_TITLE,
        "action": "confirm",
        "text": "Sáng 29-9, tại tỉnh, hai bên tổ chức hội nghị.",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }


def article_state(w: Any, side: str) -> Any:
    return Conference.objects.filter(title=ARTICLE_TITLE, programme=w.programme[side]).count()


def article_upload(w: Any, side: str) -> dict[str, Any]:
    return {"files": SimpleUploadedFile("bai.txt", "Sáng 29-9, hai bên ký kết chương trình phối hợp.".encode())}


def drafts_state(w: Any, side: str) -> Any:
    """The drafts of the side's users: another side's upload never makes or touches one."""
    from phoihop.conferences.models import ArticleDraft

    return ArticleDraft.objects.filter(created_by__username__in=SIDE_USERS[side]).count()


def routes(m: Any) -> dict[str, Any]:
    Route = m.Route
    edits: dict[str, Any] = {
        "readers": m.EDITORS,
        "method": "post",
        "writers": {"hanoi.ccb": 302, "tuhoi": 302, "admin": 302},
        "denied": {"hanoi.admin": 403},
    }
    return {
        "conferences:list": Route(m.LIST, shows=title),
        "conferences:detail": Route(m.OBJECT, kwargs=conference_kwargs, shows=title),
        "conferences:summary": Route(m.OBJECT, kwargs=conference_kwargs, shows=title),
        "conferences:edit": Route(
            m.OBJECT, kwargs=conference_kwargs, payload=conference_form, state=conference_state, **edits
        ),
        "conferences:sign": Route(m.OBJECT, kwargs=conference_kwargs, payload=sign_form, state=sign_state, **edits),
        # Creating: the other province's programme and units are not choices (the form comes back, 200).
        "conferences:create": Route(
            m.CREATE,
            payload=new_conference_form,
            state=new_conference_state,
            refused={"approver": 200, "unit_admin": 403},
            **edits,
        ),
        # From an article: the confirmation records a conference of the user's own units only
        # (another side's units are "not found", the form comes back, 200).
        "conferences:from-article": Route(
            m.CREATE,
            payload=article_form,
            state=article_state,
            refused={"approver": 200, "unit_admin": 403},
            **edits,
        ),
        # Many articles: each user's drafts are their own (another side's upload makes its own).
        "conferences:article-batch": Route(
            m.CREATE,
            payload=article_upload,
            state=drafts_state,
            refused={"approver": 302, "unit_admin": 403},
            **edits,
        ),
        "conferences:article-drafts": Route(m.OPEN),
        "conferences:paper-file": Route(m.OBJECT, kwargs=paper_kwargs),
        "conferences:summary-docx": Route(m.OBJECT, kwargs=conference_kwargs),
        "conferences:speech-file": Route(m.OBJECT, kwargs=speech_kwargs),
        "conferences:programme": Route(
            m.OBJECT, kwargs=conference_kwargs, shows=title, payload=programme_form, state=rows_state, **edits
        ),
        "conferences:agenda-edit": Route(
            m.OBJECT, kwargs=agenda_kwargs, payload=agenda_form, state=rows_state, **edits
        ),
        "conferences:agenda-remove": Route(
            m.OBJECT, kwargs=agenda_kwargs, get=False, payload=no_payload, state=rows_state, **edits
        ),
        "conferences:speech-edit": Route(
            m.OBJECT, kwargs=speech_kwargs, payload=speech_form, state=rows_state, **edits
        ),
        "conferences:speech-remove": Route(
            m.OBJECT, kwargs=speech_kwargs, get=False, payload=no_payload, state=rows_state, **edits
        ),
        "conferences:invitation": Route(m.OBJECT, kwargs=conference_kwargs),
        "conferences:notice": Route(m.OBJECT, kwargs=conference_kwargs),
        "conferences:document": Route(m.OBJECT, kwargs=lambda w, side: {**conference_kwargs(w, side), **PLAN}),
        "conferences:attendance": Route(
            m.OBJECT, kwargs=conference_kwargs, shows=title, payload=attendance_form, state=rows_state, **edits
        ),
        "conferences:cochair-edit": Route(
            m.OBJECT, kwargs=cochair_kwargs, payload=cochair_form, state=rows_state, **edits
        ),
        "conferences:cochair-remove": Route(
            m.OBJECT, kwargs=cochair_kwargs, get=False, payload=no_payload, state=rows_state, **edits
        ),
        "conferences:delegate-edit": Route(
            m.OBJECT, kwargs=delegate_kwargs, payload=delegate_form, state=rows_state, **edits
        ),
        "conferences:delegate-remove": Route(
            m.OBJECT, kwargs=delegate_kwargs, get=False, payload=no_payload, state=rows_state, **edits
        ),
        "conferences:papers": Route(
            m.OBJECT, kwargs=conference_kwargs, shows=title, payload=papers_form, state=rows_state, **edits
        ),
        "conferences:paper-edit": Route(
            m.OBJECT, kwargs=paper_kwargs, payload=paper_edit_form, state=rows_state, **edits
        ),
        "conferences:paper-remove": Route(
            m.OBJECT, kwargs=paper_kwargs, get=False, payload=no_payload, state=rows_state, **edits
        ),
    }


def probes(m: Any) -> list[Any]:
    return [
        m.Probe("conferences:list", lambda w: {"phase": "2025-2030"}),
    ]

"""Scoping-matrix specs of the conferences API (see tests/matrix_ext/__init__.py).

The objects are those of tests/matrix_ext/conferences.py (that module's ``extend`` runs first):
each province's conference of its province programme, with a co-chair, a named guest, a paper
with a file, a programme item, a speech with a file and a second person of the province to add as
a co-chair.

Readers of a conference (everyone of the province, unit administrators included) read it and its
rows; reporters and approvers of an organiser's subtree or above (hanoi.ccb, tuhoi, admin) write;
a unit administrator gets 403 on writes. The other province's conference is "not found" (404).
Creating: the other province's programme is not found (400) for an approver; a unit
administrator may not create (403).
"""

from __future__ import annotations

from typing import Any

from phoihop.conferences.models import Conference
from tests.matrix_ext import conferences as pages

NEW_TITLE = "Hội nghị mới của ma trận API"


def extend(w: Any, m: Any) -> None:
    return None


def _row_kwargs(name: str) -> Any:
    def kwargs(w: Any, side: str) -> dict[str, Any]:
        return {"pk": pages.conference_kwargs(w, side)["pk"], "row_id": w.extra[name][side].pk}

    return kwargs


def new_conference(w: Any, side: str) -> dict[str, Any]:
    province = pages.PROVINCE[side]
    return {
        "programme": w.programme[side].code,
        "phase": w.phase[side].code,
        "kind": "giao-ban",
        "title": NEW_TITLE,
        "date": "2030-06-15",
        "place": pages.NAMES[side],
        "organisers": [f"QS-{province}", f"CCB-{province}"],
    }


def new_conference_state(w: Any, side: str) -> Any:
    from phoihop.conferences.models import Conference

    return Conference.objects.filter(title=NEW_TITLE).count()


def routes(m: Any) -> dict[str, Any]:
    Route = m.Route
    denied = {"hanoi.admin": 403}
    ok = {"hanoi.ccb": 200, "tuhoi": 200, "admin": 200}
    created = {"hanoi.ccb": 201, "tuhoi": 201, "admin": 201}
    rows = pages.rows_state
    return {
        "api:conference-list": Route(
            m.LIST,
            shows=pages.title,
            method="post",
            payload=new_conference,
            state=new_conference_state,
            writers=created,
            denied=denied,
            refused={"approver": 400, "unit_admin": 403},
        ),
        "api:conference-detail": Route(
            m.OBJECT,
            kwargs=pages.conference_kwargs,
            shows=pages.title,
            method="patch",
            payload=lambda w, side: {"place": "Hội trường mới", "organisers": [f"CCB-{pages.PROVINCE[side]}"]},
            state=pages.conference_state,
            writers=ok,
            denied=denied,
        ),
        # Signing through the API: a POST only; a unit administrator reads (403), the other side 404.
        # Reading an article into a draft writes nothing, for anyone (state: the conferences).
        "api:conference-extract": Route(
            m.OPEN,
            get=False,
            method="post",
            payload=lambda w, side: {"text": "Sáng 29-9, hai bên ký kết chương trình phối hợp."},
            state=lambda w, side: Conference.objects.count(),
        ),
        "api:conference-sign": Route(
            m.OBJECT,
            kwargs=pages.conference_kwargs,
            get=False,
            method="post",
            payload=pages.sign_form,
            state=pages.sign_state,
            writers=created,
            denied=denied,
        ),
        "api:conference-signing": Route(m.OBJECT, kwargs=pages.conference_kwargs),
        "api:conference-document-file": Route(
            m.OBJECT, kwargs=lambda w, side: {**pages.conference_kwargs(w, side), **pages.PLAN}
        ),
        "api:conference-cochairs": Route(
            m.OBJECT,
            kwargs=pages.conference_kwargs,
            shows=lambda w, side: w.person[side].full_name,
            method="post",
            payload=lambda w, side: {"person": w.extra["conferences.person"][side].pk, "positions": ["Chỉ huy"]},
            state=rows,
            writers=created,
            denied=denied,
        ),
        "api:conference-cochair": Route(
            m.OBJECT,
            kwargs=_row_kwargs("conferences.cochair"),
            get=False,
            method="patch",
            payload=lambda w, side: {"rank": "", "positions": ["Chức vụ ngày hội nghị"]},
            state=rows,
            writers=ok,
            denied=denied,
        ),
        "api:conference-delegates": Route(
            m.OBJECT,
            kwargs=pages.conference_kwargs,
            shows=lambda w, side: f"Khách mời ma trận {pages.NAMES[side]}",
            method="post",
            payload=lambda w, side: {"name": "Khách mới của API", "organisation": "Báo Tin tức"},
            state=rows,
            writers=created,
            denied=denied,
        ),
        "api:conference-delegate": Route(
            m.OBJECT,
            kwargs=_row_kwargs("conferences.delegate"),
            get=False,
            method="patch",
            payload=lambda w, side: {"title": "Tổng Biên tập", "is_guest_of_honour": True},
            state=rows,
            writers=ok,
            denied=denied,
        ),
        "api:conference-papers": Route(
            m.OBJECT,
            kwargs=pages.conference_kwargs,
            shows=lambda w, side: f"Tham luận ma trận {pages.NAMES[side]}",
            method="post",
            payload=lambda w, side: {"title": "Tham luận mới của API", "author_name": "Tác giả API"},
            state=rows,
            writers=created,
            denied=denied,
        ),
        "api:conference-paper": Route(
            m.OBJECT,
            kwargs=_row_kwargs("conferences.paper"),
            get=False,
            method="patch",
            payload=lambda w, side: {"title": "Tham luận đã sửa qua API"},
            state=rows,
            writers=ok,
            denied=denied,
        ),
        "api:conference-paper-file": Route(m.OBJECT, kwargs=_row_kwargs("conferences.paper")),
        "api:conference-agenda": Route(
            m.OBJECT,
            kwargs=pages.conference_kwargs,
            shows=lambda w, side: f"Khai mạc ma trận {pages.NAMES[side]}",
            method="post",
            payload=lambda w, side: {"time": "09:00", "item": "Mục mới của API"},
            state=rows,
            writers=created,
            denied=denied,
        ),
        "api:conference-agenda-item": Route(
            m.OBJECT,
            kwargs=_row_kwargs("conferences.agenda"),
            get=False,
            method="patch",
            payload=lambda w, side: {"item": "Mục đã sửa qua API"},
            state=rows,
            writers=ok,
            denied=denied,
        ),
        "api:conference-speeches": Route(
            m.OBJECT,
            kwargs=pages.conference_kwargs,
            shows=lambda w, side: f"Phát biểu ma trận {pages.NAMES[side]}",
            method="post",
            payload=lambda w, side: {"title": "Phát biểu mới của API", "speaker_name": "Khách API"},
            state=rows,
            writers=created,
            denied=denied,
        ),
        "api:conference-speech": Route(
            m.OBJECT,
            kwargs=_row_kwargs("conferences.speech"),
            get=False,
            method="patch",
            payload=lambda w, side: {"title": "Phát biểu đã sửa qua API"},
            state=rows,
            writers=ok,
            denied=denied,
        ),
        "api:conference-speech-file": Route(m.OBJECT, kwargs=_row_kwargs("conferences.speech")),
    }


def probes(m: Any) -> list[Any]:
    return [m.Probe("api:conference-list", lambda w: {"phase": "2025-2030"})]

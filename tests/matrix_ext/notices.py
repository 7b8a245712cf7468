"""Scoping-matrix specs of the notices (see tests/matrix_ext/__init__.py): a notice is its
recipient's alone. Each side's approver (hanoi.ccb, camau.ccb) has one; every other user,
system administrator included, gets 404 for it, and lists show each user only their own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from phoihop.notices.kinds import Delivery, Kind
from phoihop.notices.models import Notice, NoticePreference

TITLE = {"hn": "Thông báo ma trận của Hoàn Kiếm", "cm": "Thông báo ma trận của Cà Mau"}
OWNER = {"hn": "hanoi.ccb", "cm": "camau.ccb"}
ONLY_OWNER_READS = {"hanoi.ccb": 200, "tuhoi": 404, "admin": 404, "hanoi.admin": 404}
OWN = {"approver": 404, "unit_admin": 404}
# Marking all read, choosing one's preferences: each user acts on their own rows only.
EVERYONE_OWN = {"tuhoi": 302, "admin": 302, "hanoi.admin": 302}


def extend(w: Any, m: Any) -> None:
    notices = {}
    for side in (m.HN, m.CM):
        notices[side] = Notice.objects.create(
            recipient=w.users[OWNER[side]],
            kind=Kind.RETURNED,
            title=TITLE[side],
            body="Thiếu ảnh minh chứng",
            url="/activities/",
        )
        # The newest of its recipient's notices, whatever the other extensions' events told them.
        Notice.objects.filter(pk=notices[side].pk).update(created_at=timezone.now() + timedelta(hours=1))
    w.extra["notice"] = notices
    w.camau_marks.append(TITLE[m.CM])


def _notice(w: Any, side: str) -> Notice:
    return w.extra["notice"][side]  # type: ignore[no-any-return]


def read_state(w: Any, side: str) -> Any:
    return Notice.objects.filter(pk=_notice(w, side).pk).values_list("read_at", flat=True).get()


def preference_state(w: Any, side: str) -> Any:
    return sorted(NoticePreference.objects.filter(user=w.users[OWNER[side]]).values_list("kind", "delivery"))


def _pk(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _notice(w, side).pk}


def routes(m: Any) -> dict[str, Any]:
    shows = lambda w, s: TITLE[s]  # noqa: E731
    return {
        "notices:list": m.Route(m.LIST, shows=shows),
        "notices:bell": m.Route(m.LIST, shows=shows),
        "notices:open": m.Route(m.OBJECT, kwargs=_pk, readers={**ONLY_OWNER_READS, "hanoi.ccb": 302}, shows=shows),
        "notices:read": m.Route(
            m.OBJECT,
            kwargs=_pk,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=read_state,
            writers={"hanoi.ccb": 302},
            denied={"tuhoi": 404, "admin": 404, "hanoi.admin": 404},
            refused=OWN,
        ),
        "notices:read-all": m.Route(
            m.CREATE,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=read_state,
            writers={"hanoi.ccb": 302},
            denied=EVERYONE_OWN,
            refused={"approver": 302, "unit_admin": 302},
        ),
        "notices:preferences": m.Route(
            m.LIST,
            shows=lambda w, s: str(Kind.SUBMITTED.label),
            method="post",
            payload=lambda w, s: {kind: Delivery.NONE for kind in Kind.values},
            state=preference_state,
            writers={"hanoi.ccb": 302},
            denied=EVERYONE_OWN,
            refused={"approver": 302, "unit_admin": 302},
        ),
        "api:notice-list": m.Route(m.LIST, shows=shows),
        "api:notice-detail": m.Route(m.OBJECT, kwargs=_pk, readers=ONLY_OWNER_READS, shows=shows),
        "api:notice-read": m.Route(
            m.OBJECT,
            kwargs=_pk,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=read_state,
            writers={"hanoi.ccb": 200},
            denied={"tuhoi": 404, "admin": 404, "hanoi.admin": 404},
            refused=OWN,
        ),
        "api:notice-read-all": m.Route(
            m.CREATE,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=read_state,
            writers={"hanoi.ccb": 200},
            denied={"tuhoi": 200, "admin": 200, "hanoi.admin": 200},
            refused={"approver": 200, "unit_admin": 200},
        ),
    }


def probes(m: Any) -> list[Any]:
    """None: a notice is nobody's but its recipient's, the system administrator's search included."""
    return []

"""Scoping-matrix specs for the pages of joint activities (see tests/matrix_ext/__init__.py).

Each side gets, through the services, by its own approver and in its own test programme: a
draft activity led by its commune association with its army counterpart as partner (with a
photo attached), and a submitted one (for approving and returning). Hà Nội's commune is
Phường Hoàn Kiếm's association (CCB-X00070), its partner Ban CHQS phường Hoàn Kiếm.

Uploaded files go to a temporary media folder for the whole session, never to ``var/media``.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from phoihop.activities import services
from phoihop.activities.models import Activity, Attachment
from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit, OrgUnitPair
from phoihop.programmes.models import Indicator, Phase

TITLE = {"hn": "Hoạt động thử ma trận của Hoàn Kiếm", "cm": "Hoạt động thử ma trận của Cà Mau"}
SUBMITTED_TITLE = {side: f"{title} (đã gửi)" for side, title in TITLE.items()}
NEW_TITLE = "Hoạt động mới của ma trận"
# The smallest valid PNG: 1×1 pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
)


def png_upload(name: str = "anh-hoat-dong.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def counterpart(unit: OrgUnit) -> OrgUnit:
    pair = OrgUnitPair.objects.filter(unit_b=unit).select_related("unit_a").first()
    if pair is not None:
        return pair.unit_a
    return OrgUnitPair.objects.select_related("unit_b").get(unit_a=unit).unit_b


def national() -> tuple[Phase, Indicator]:
    """The demo's active national phase: the create form offers only active phases."""
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    return phase, Indicator.objects.get(programme__code="QDND-CCB", code="tt-buoi")


def extend(w: Any, m: Any) -> None:
    day = timezone.localdate()
    drafts, submitted, attachments = {}, {}, {}
    for side, username in ((m.HN, "hanoi.ccb"), (m.CM, "camau.ccb")):
        user, unit = w.users[username], w.unit[side]
        common = {
            "acting_user": user,
            "phase": w.phase[side],
            "lead_unit": unit,
            "partners": [counterpart(unit)],
            "start_date": day,
            "end_date": day,
            "area": unit.area,
            "place": "Nhà văn hóa",
            "participants_lead": 20,
            "participants_partner": 8,
            "description": "Tuyên truyền pháp luật cho hội viên.",
        }
        drafts[side] = services.activity_create(title=TITLE[side], values={w.indicator[side]: 2}, **common)
        submitted[side] = services.activity_create(
            title=SUBMITTED_TITLE[side], values={w.indicator[side]: 3}, submit=True, **common
        )
        attachments[side] = services.attachment_add(acting_user=user, upload=png_upload(), activity=drafts[side])
    w.extra["activity"] = drafts
    w.extra["activity_submitted"] = submitted
    w.extra["attachment"] = attachments
    w.camau_marks.extend([TITLE[m.CM], SUBMITTED_TITLE[m.CM]])


def activity_state(activity: Activity) -> Any:
    current = Activity.objects.filter(pk=activity.pk).first()
    if current is None:
        return "deleted"
    return (
        current.title,
        current.status,
        current.return_reason,
        current.place,
        sorted(current.values.values_list("indicator_id", "value")),
        sorted(current.partner_links.values_list("unit_id", flat=True)),
        current.attachments.count(),
        current.history.count(),  # type: ignore[attr-defined]
    )


def draft_state(w: Any, side: str) -> Any:
    return activity_state(w.extra["activity"][side])


def submitted_state(w: Any, side: str) -> Any:
    return activity_state(w.extra["activity_submitted"][side])


def attachment_state(w: Any, side: str) -> Any:
    return Attachment.objects.filter(pk=w.extra["attachment"][side].pk).exists()


def new_activity_state(w: Any, side: str) -> Any:
    return Activity.objects.filter(title=NEW_TITLE).count()


def draft_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": w.extra["activity"][side].pk}


def submitted_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": w.extra["activity_submitted"][side].pk}


def attachment_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"token": w.extra["attachment"][side].token}


def new_activity_form(w: Any, side: str) -> dict[str, Any]:
    phase, indicator = national()
    unit = w.unit[side]
    return {
        "phase": phase.pk,
        "title": NEW_TITLE,
        "start_date": "2026-03-01",
        "end_date": "2026-03-02",
        "area": "",
        "place": "Hội trường",
        "lead_unit": unit.pk,
        "partners": [counterpart(unit).pk],
        "participants_lead": 30,
        "participants_partner": 10,
        "description": "Tuyên truyền.",
        f"value_{indicator.pk}": 4,
        "action": "draft",
    }


def edit_form(w: Any, side: str) -> dict[str, Any]:
    activity, unit = w.extra["activity"][side], w.unit[side]
    return {
        "title": f"{activity.title} (đã sửa)",
        "start_date": activity.start_date.isoformat(),
        "end_date": activity.end_date.isoformat(),
        "area": activity.area_id or "",
        "place": "Hội trường",
        "lead_unit": unit.pk,
        "partners": [counterpart(unit).pk],
        "participants_lead": 25,
        "participants_partner": 9,
        "description": "Đã bổ sung.",
        f"value_{w.indicator[side].pk}": 6,
        "action": "draft",
    }


def routes(m: Any) -> dict[str, Any]:
    # Data entry is for reporters and approvers; a unit administrator reads but writes nothing.
    writes = {"writers": {"hanoi.ccb": 302, "tuhoi": 302, "admin": 302}, "denied": {"hanoi.admin": 403}}
    return {
        "activities:list": m.Route(
            m.LIST,
            query=lambda w, s: {"q": fold(TITLE[s])},
            shows=lambda w, s: TITLE[s],
        ),
        # An Excel file (binary): its rows are checked in tests/test_activity_pages.py.
        "activities:export": m.Route(m.OPEN),
        # The state's list of communes: reference data every signed-in user reads.
        "activities:areas": m.Route(m.OPEN),
        "activities:detail": m.Route(m.OBJECT, kwargs=draft_kwargs, shows=lambda w, s: TITLE[s]),
        "activities:create": m.Route(
            m.CREATE,
            method="post",
            payload=new_activity_form,
            state=new_activity_state,
            writers={"hanoi.ccb": 302, "tuhoi": 302, "admin": 302},
            # A unit administrator's form offers no lead unit: it comes back with the error.
            denied={"hanoi.admin": 200},
            # The other province's unit is no choice of the form: it comes back with the error.
            refused={"approver": 200, "unit_admin": 200},
        ),
        "activities:edit": m.Route(
            m.OBJECT,
            kwargs=draft_kwargs,
            readers=m.EDITORS,
            shows=lambda w, s: TITLE[s],
            method="post",
            payload=edit_form,
            state=draft_state,
            **writes,
        ),
        "activities:delete": m.Route(
            m.OBJECT,
            kwargs=draft_kwargs,
            readers=m.EDITORS,
            shows=lambda w, s: TITLE[s],
            method="post",
            payload=lambda w, s: {},
            state=draft_state,
            **writes,
        ),
        "activities:submit": m.Route(
            m.OBJECT,
            kwargs=draft_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=draft_state,
            **writes,
        ),
        # Submitted means sent: the writing side takes it back to draft before changing it.
        "activities:withdraw": m.Route(
            m.OBJECT,
            kwargs=submitted_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Bổ sung số liệu."},
            state=submitted_state,
            **writes,
        ),
        "activities:approve": m.Route(
            m.OBJECT,
            kwargs=submitted_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=submitted_state,
            **writes,
        ),
        "activities:return": m.Route(
            m.OBJECT,
            kwargs=submitted_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Thiếu ảnh hoạt động."},
            state=submitted_state,
            **writes,
        ),
        "activities:attachment-add": m.Route(
            m.OBJECT,
            kwargs=draft_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {"file": png_upload("them.png")},
            state=draft_state,
            **writes,
        ),
        "activities:attachment": m.Route(m.OBJECT, kwargs=attachment_kwargs),
        "activities:attachment-delete": m.Route(
            m.OBJECT,
            kwargs=attachment_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=attachment_state,
            **writes,
        ),
    }


def probes(m: Any) -> list[Any]:
    return [
        m.Probe("activities:list", lambda w: {"q": "ca mau"}),
        m.Probe("activities:list", lambda w: {"q": fold(TITLE[m.CM])}),
        m.Probe("activities:list", lambda w: {"unit": "CCB-CAMAU"}),
        m.Probe("activities:list", lambda w: {"unit": w.unit[m.CM].code}),
        m.Probe("activities:list", lambda w: {"unit": w.unit[m.CM].code, "status": "submitted"}),
        m.Probe("activities:list", lambda w: {"q": "ma tran", "start": timezone.localdate().isoformat()}),
    ]

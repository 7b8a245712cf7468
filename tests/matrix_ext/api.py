"""Scoping-matrix specs of the API of the daily work: activities, entered figures,
models, exchanges, lessons, proposals, locks and figures (see tests/matrix_ext/__init__.py).

The objects are made through the services, on each side: Hà Nội's in Phường Hoàn Kiếm's
association (CCB-X00070), Cà Mau's in the matrix's Cà Mau commune association, both in the
province programmes the matrix makes. Their dates (2028–2029) keep clear of what the other
route modules make, so a lock of one module never blocks another's writes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from phoihop.activities.models import Activity
from phoihop.activities.services import activity_create
from phoihop.core.text import fold
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.entry.services import figures_enter, lock_create
from phoihop.orgunits.models import OrgUnit, OrgUnitPair
from phoihop.records.models import Exchange, ExchangeRecipient, Lesson, PracticeModel, Proposal, Replication
from phoihop.records.services import exchange_send, lesson_save, practice_model_save, proposal_save, replication_add

NAMES = {"hn": "Hà Nội", "cm": "Cà Mau"}
WRITER_OF = {"hn": "hanoi.ccb", "cm": "camau.ccb"}
NEW_TITLE = "Bản ghi mới thử ma trận API"

# Data entry through the API: reporters and approvers write; a unit administrator reads only.
CREATED: dict[str, Any] = {
    "writers": {"hanoi.ccb": 201, "tuhoi": 201, "admin": 201},
    "denied": {"hanoi.admin": 403},
    # The other province's phase and units are "not found" (400), like ids that do not exist.
    "refused": {"approver": 400, "unit_admin": 400},
}
CHANGED: dict[str, Any] = {
    "writers": {"hanoi.ccb": 200, "tuhoi": 200, "admin": 200},
    "denied": {"hanoi.admin": 403},
}


def _title(kind: str, side: str) -> str:
    return f"{kind} thử API {NAMES[side]}"


def _siblings(w: Any, side: str) -> list[OrgUnit]:
    """Two other commune associations of the province (they replicate the model)."""
    province = w.province[side]
    return list(
        OrgUnit.objects.filter(path__startswith=province.path, depth=province.depth + 1)
        .exclude(pk=w.unit[side].pk)
        .order_by("path")[:2]
    )


def _first_child(w: Any, side: str) -> OrgUnit:
    unit = w.unit[side]
    child = OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path").first()
    assert child is not None
    return child


def _counterpart(w: Any, side: str) -> OrgUnit:
    pair = OrgUnitPair.objects.filter(unit_b=w.unit[side]).select_related("unit_a").first()
    assert pair is not None, "the commune association has no army counterpart in the demo"
    return pair.unit_a


def extend(w: Any, m: Any) -> None:
    admin = w.users["admin"]
    objects: dict[str, dict[str, Any]] = {
        name: {}
        for name in (
            "api_activity",
            "api_submitted",
            "api_model",
            "api_exchange",
            "api_lesson",
            "api_proposal",
            "api_lock",
        )
    }
    for side in (m.HN, m.CM):
        writer = w.users[WRITER_OF[side]]
        unit, phase, indicator = w.unit[side], w.phase[side], w.indicator[side]
        common = {"acting_user": writer, "phase": phase, "lead_unit": unit, "values": {indicator: 3}}
        objects["api_activity"][side] = activity_create(
            **common, title=_title("Hoạt động", side), start_date=date(2026, 3, 2), end_date=date(2026, 3, 3)
        )
        objects["api_submitted"][side] = activity_create(
            **common,
            title=_title("Hoạt động đã gửi", side),
            start_date=date(2026, 4, 6),
            end_date=date(2026, 4, 6),
            submit=True,
        )
        model = practice_model_save(
            acting_user=writer,
            data={
                "phase": phase,
                "name": _title("Mô hình", side),
                "field": indicator.field,
                "origin_unit": unit,
                "started_on": date(2028, 1, 10),
            },
        )
        replication_add(acting_user=writer, model=model, unit=_siblings(w, side)[0], replicated_on=date(2028, 2, 1))
        objects["api_model"][side] = model
        # Sent by the army counterpart to the association: its readers are the recipients.
        objects["api_exchange"][side] = exchange_send(
            acting_user=admin,
            sender=_counterpart(w, side),
            kind="notice",
            subject=_title("Trao đổi", side),
            body="Nội dung trao đổi thử.",
            recipients=[unit],
            phase=phase,
        )
        record = {"unit": unit, "phase": phase, "field": indicator.field, "content": "Nội dung thử."}
        objects["api_lesson"][side] = lesson_save(
            acting_user=writer, data={**record, "title": _title("Bài học", side), "recorded_on": date(2028, 5, 1)}
        )
        objects["api_proposal"][side] = proposal_save(
            acting_user=writer, data={**record, "title": _title("Đề xuất", side), "recorded_on": date(2028, 5, 2)}
        )
        objects["api_lock"][side] = lock_create(
            unit=unit,
            # A period that has ended (a lock on one still running is refused), where nothing else
            # of the matrix lies.
            start=date(2025, 11, 15),
            end=date(2025, 12, 14),
            acting_user=writer,
            reason=_title("Khóa số liệu", side),
        )
        figures_enter(
            acting_user=writer,
            unit=unit,
            period_start=date(2029, 2, 3),
            period_end=date(2029, 2, 5),
            values={indicator: 4},
        )
    w.extra.update(objects)
    w.camau_marks.extend(
        _title(kind, m.CM) for kind in ("Hoạt động", "Mô hình", "Trao đổi", "Bài học", "Đề xuất", "Khóa số liệu")
    )


# --- how the routes are reached -----------------------------------------------------------


def _pk(name: str) -> Any:
    return lambda w, s: {"pk": w.extra[name][s].pk}


def _q(kind: str) -> Any:
    return lambda w, s: {"q": fold(_title(kind, s))}


def _shows(kind: str) -> Any:
    return lambda w, s: _title(kind, s)


def _figures_query(w: Any, s: str) -> dict[str, str]:
    return {"unit": w.unit[s].code, "start": "2028-01-01", "end": "2029-12-31", "view": "historical"}


# --- payloads -------------------------------------------------------------------------------


def new_activity(w: Any, s: str) -> dict[str, Any]:
    return {
        "phase": w.phase[s].pk,
        "title": NEW_TITLE,
        "start_date": "2028-06-01",
        "end_date": "2028-06-02",
        "lead_unit": w.unit[s].code,
        "values": [{"indicator": w.indicator[s].code, "value": 6}],
    }


def entered_figures(w: Any, s: str) -> dict[str, Any]:
    return {
        "unit": w.unit[s].code,
        "programme": w.programme[s].code,
        "period_start": "2029-04-03",
        "period_end": "2029-04-05",
        "values": [{"indicator": w.indicator[s].code, "value": 9}],
    }


def new_model(w: Any, s: str) -> dict[str, Any]:
    return {
        "phase": w.phase[s].pk,
        "name": NEW_TITLE,
        "field": w.indicator[s].field.code,
        "origin_unit": w.unit[s].code,
        "started_on": "2028-02-01",
    }


def new_replication(w: Any, s: str) -> dict[str, Any]:
    return {"unit": _siblings(w, s)[1].code, "replicated_on": "2028-05-01", "note": "Nhân rộng thử."}


def new_exchange(w: Any, s: str) -> dict[str, Any]:
    return {
        "sender": w.unit[s].code,
        "kind": "briefing",
        "subject": NEW_TITLE,
        "body": "Nội dung.",
        "recipient_codes": [_counterpart(w, s).code],
    }


def new_record(w: Any, s: str) -> dict[str, Any]:
    return {
        "unit": w.unit[s].code,
        "phase": w.phase[s].pk,
        "field": w.indicator[s].field.code,
        "title": NEW_TITLE,
        "content": "Nội dung.",
        "recorded_on": "2028-07-01",
    }


# --- states: everything a refused write must leave as it was --------------------------------


def activity_state(w: Any, s: str, name: str = "api_activity") -> Any:
    activity = Activity.objects.get(pk=w.extra[name][s].pk)
    values = sorted(IndicatorValue.objects.filter(activity=activity).values_list("indicator_id", "value", "approved"))
    return (activity.title, activity.status, activity.return_reason, values, activity.history.count())


def new_activity_state(w: Any, s: str) -> Any:
    return (Activity.objects.filter(title=NEW_TITLE).count(), IndicatorValue.objects.count())


def entered_state(w: Any, s: str) -> Any:
    rows = IndicatorValue.objects.entered().filter(unit=w.unit[s]).order_by("date", "indicator_id")
    return list(rows.values_list("indicator_id", "period_start", "date", "value"))


def model_state(w: Any, s: str) -> Any:
    model = PracticeModel.objects.get(pk=w.extra["api_model"][s].pk)
    replications = list(Replication.objects.filter(model=model).values_list("unit_id", "replicated_on"))
    return (model.name, model.results, model.history.count(), sorted(replications))


def new_model_state(w: Any, s: str) -> Any:
    return PracticeModel.objects.filter(name=NEW_TITLE).count()


def new_exchange_state(w: Any, s: str) -> Any:
    return (Exchange.objects.filter(subject=NEW_TITLE).count(), ExchangeRecipient.objects.count())


def reading_state(w: Any, s: str) -> Any:
    rows = ExchangeRecipient.objects.filter(exchange=w.extra["api_exchange"][s]).order_by("pk")
    return list(rows.values_list("unit_id", "read_at", "read_by_id"))


def lesson_state(w: Any, s: str) -> Any:
    lesson = Lesson.objects.get(pk=w.extra["api_lesson"][s].pk)
    return (lesson.title, lesson.content, lesson.history.count())


def proposal_state(w: Any, s: str) -> Any:
    proposal = Proposal.objects.get(pk=w.extra["api_proposal"][s].pk)
    return (proposal.title, proposal.content, proposal.horizon, proposal.history.count())


def new_records_state(w: Any, s: str) -> Any:
    return (Lesson.objects.filter(title=NEW_TITLE).count(), Proposal.objects.filter(title=NEW_TITLE).count())


def lock_state(w: Any, s: str) -> Any:
    lock = EntryLock.objects.get(pk=w.extra["api_lock"][s].pk)
    return (lock.reopened_at, lock.reopen_reason, lock.history.count())


def routes(m: Any) -> dict[str, Any]:
    Route, LIST, OBJECT = m.Route, m.LIST, m.OBJECT
    return {
        "api:activity-list": Route(
            LIST,
            query=_q("Hoạt động"),
            shows=_shows("Hoạt động"),
            method="post",
            payload=new_activity,
            state=new_activity_state,
            **CREATED,
        ),
        "api:activity-detail": Route(
            OBJECT,
            kwargs=_pk("api_activity"),
            shows=_shows("Hoạt động"),
            method="patch",
            payload=lambda w, s: {
                "title": f"{_title('Hoạt động', s)} (đã sửa)",
                "values": [{"indicator": w.indicator[s].code, "value": 5}],
            },
            state=activity_state,
            **CHANGED,
        ),
        "api:activity-submit": Route(
            OBJECT,
            kwargs=_pk("api_activity"),
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=activity_state,
            **CHANGED,
        ),
        # Withdrawing a submitted activity (back to draft): the side that writes for its lead unit.
        "api:activity-withdraw": Route(
            OBJECT,
            kwargs=_pk("api_submitted"),
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Bổ sung số liệu."},
            state=lambda w, s: activity_state(w, s, "api_submitted"),
            **CHANGED,
        ),
        # Approving and returning come from above the lead unit: Hà Nội's and the centre's approvers.
        "api:activity-approve": Route(
            OBJECT,
            kwargs=_pk("api_submitted"),
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=lambda w, s: activity_state(w, s, "api_submitted"),
            **CHANGED,
        ),
        "api:activity-return": Route(
            OBJECT,
            kwargs=_pk("api_submitted"),
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Cần bổ sung số liệu."},
            state=lambda w, s: activity_state(w, s, "api_submitted"),
            **CHANGED,
        ),
        "api:entered-figure-list": Route(
            LIST,
            query=lambda w, s: {"unit": w.unit[s].code},
            shows=lambda w, s: w.unit[s].code,
            method="post",
            payload=entered_figures,
            state=entered_state,
            # Setting a period's figures answers 200 with the period's rows (it may also clear them).
            writers={"hanoi.ccb": 200, "tuhoi": 200, "admin": 200},
            denied={"hanoi.admin": 403},
            refused={"approver": 400, "unit_admin": 400},
        ),
        "api:practice-model-list": Route(
            LIST,
            query=_q("Mô hình"),
            shows=_shows("Mô hình"),
            method="post",
            payload=new_model,
            state=new_model_state,
            **CREATED,
        ),
        "api:practice-model-detail": Route(
            OBJECT,
            kwargs=_pk("api_model"),
            shows=_shows("Mô hình"),
            method="patch",
            payload=lambda w, s: {"results": "Đã nhân rộng ra ba phường."},
            state=model_state,
            **CHANGED,
        ),
        "api:practice-model-replications": Route(
            OBJECT,
            kwargs=_pk("api_model"),
            shows=lambda w, s: _siblings(w, s)[0].code,
            method="post",
            payload=new_replication,
            state=model_state,
            writers={"hanoi.ccb": 201, "tuhoi": 201, "admin": 201},
            denied={"hanoi.admin": 403},
        ),
        "api:exchange-list": Route(
            LIST,
            query=_q("Trao đổi"),
            shows=_shows("Trao đổi"),
            method="post",
            payload=new_exchange,
            state=new_exchange_state,
            **CREATED,
        ),
        "api:exchange-detail": Route(OBJECT, kwargs=_pk("api_exchange"), shows=_shows("Trao đổi")),
        # Reading marks the recipient units of the reader's subtree: everyone of Hà Nội's
        # association reads it; the system administrator, of no unit, marks nothing (200).
        "api:exchange-read": Route(
            OBJECT,
            kwargs=_pk("api_exchange"),
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=reading_state,
            writers={"hanoi.ccb": 200, "tuhoi": 200, "hanoi.admin": 200},
            denied={"admin": 200},
        ),
        "api:lesson-list": Route(
            LIST,
            query=_q("Bài học"),
            shows=_shows("Bài học"),
            method="post",
            payload=new_record,
            state=new_records_state,
            **CREATED,
        ),
        "api:lesson-detail": Route(
            OBJECT,
            kwargs=_pk("api_lesson"),
            shows=_shows("Bài học"),
            method="patch",
            payload=lambda w, s: {"content": "Nội dung đã sửa."},
            state=lesson_state,
            **CHANGED,
        ),
        "api:proposal-list": Route(
            LIST,
            query=_q("Đề xuất"),
            shows=_shows("Đề xuất"),
            method="post",
            payload=lambda w, s: {**new_record(w, s), "horizon": "phase"},
            state=new_records_state,
            **CREATED,
        ),
        "api:proposal-detail": Route(
            OBJECT,
            kwargs=_pk("api_proposal"),
            shows=_shows("Đề xuất"),
            method="patch",
            payload=lambda w, s: {"content": "Nội dung đã sửa.", "horizon": "phase"},
            state=proposal_state,
            **CHANGED,
        ),
        "api:lock-list": Route(LIST, query=lambda w, s: {"unit": w.unit[s].code}, shows=_shows("Khóa số liệu")),
        "api:lock-detail": Route(OBJECT, kwargs=_pk("api_lock"), shows=_shows("Khóa số liệu")),
        # Reopening is for approvers above the unit.
        "api:lock-reopen": Route(
            OBJECT,
            kwargs=_pk("api_lock"),
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Mở lại để bổ sung số liệu."},
            state=lock_state,
            **CHANGED,
        ),
        # A unit's figures: its code in the query; another province's unit is "not found".
        "api:figures": Route(OBJECT, query=_figures_query, shows=lambda w, s: w.unit[s].code),
        "api:figures-by-child": Route(OBJECT, query=_figures_query, shows=lambda w, s: _first_child(w, s).code),
        "api:figures-by-side": Route(OBJECT, query=_figures_query, shows=lambda w, s: w.unit[s].code),
    }


def probes(m: Any) -> list[Any]:
    Probe = m.Probe
    return [
        Probe("api:activity-list", lambda w: {"q": "ca mau"}),
        Probe("api:activity-list", lambda w: {"unit": "CCB-CAMAU"}),
        Probe("api:entered-figure-list", lambda w: {"unit": "CCB-CAMAU"}),
        Probe("api:entered-figure-list", lambda w: {"programme": w.programme[m.CM].code}),
        Probe("api:practice-model-list", lambda w: {"q": "ca mau"}),
        Probe("api:practice-model-list", lambda w: {"unit": "CCB-CAMAU"}),
        Probe("api:exchange-list", lambda w: {"q": "ca mau"}),
        Probe("api:lesson-list", lambda w: {"q": "ca mau"}),
        Probe("api:lesson-list", lambda w: {"unit": "CCB-CAMAU"}),
        Probe("api:proposal-list", lambda w: {"q": "ca mau"}),
        Probe("api:lock-list", lambda w: {"unit": "CCB-CAMAU"}),
    ]

"""Scoping-matrix specs for good-practice models, exchanges, lessons and proposals
(see tests/matrix_ext/__init__.py).

Each side gets, through the services, by its own approver: a model started by its commune
association and taken up by its province association, an exchange from the commune to its
army counterpart, a lesson and a proposal, all in the side's own test programme.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit, OrgUnitPair
from phoihop.records import services
from phoihop.records.models import Exchange, Lesson, PracticeModel, Proposal, Replication

LABEL = {"hn": "Hoàn Kiếm", "cm": "Cà Mau"}
NEW_MODEL = "Mô hình mới của ma trận"
NEW_SUBJECT = "Thông báo mới của ma trận"
NEW_LESSON = "Bài học mới của ma trận"
NEW_PROPOSAL = "Đề xuất mới của ma trận"


def counterpart(unit: OrgUnit) -> OrgUnit:
    pair = OrgUnitPair.objects.filter(unit_b=unit).select_related("unit_a").first()
    if pair is not None:
        return pair.unit_a
    return OrgUnitPair.objects.select_related("unit_b").get(unit_a=unit).unit_b


def sibling(unit: OrgUnit) -> OrgUnit:
    """Another commune association of the same province (a unit that may take a model up)."""
    parent_path = unit.path[: -OrgUnit.steplen]
    return (
        OrgUnit.objects.filter(path__startswith=parent_path, depth=unit.depth)
        .exclude(pk=unit.pk)
        .order_by("path")
        .first()
    )  # type: ignore[return-value]


def extend(w: Any, m: Any) -> None:
    for side, username in ((m.HN, "hanoi.ccb"), (m.CM, "camau.ccb")):
        user = w.users[username]
        unit, phase, label = w.unit[side], w.phase[side], LABEL[side]
        field = w.indicator[side].field
        model = services.practice_model_save(
            acting_user=user,
            data={
                "phase": phase,
                "name": f"Mô hình “Tổ tự quản an ninh” ma trận {label}",
                "field": field,
                "origin_unit": unit,
                "started_on": date(2025, 10, 15),
                "description": "Hội viên cùng dân quân tuần tra mỗi tối.",
                "results": "Không còn trộm cắp trên địa bàn.",
            },
        )
        replication = services.replication_add(
            acting_user=user, model=model, unit=w.province[side], replicated_on=date(2025, 12, 1), note="Thí điểm"
        )
        exchange = services.exchange_send(
            acting_user=user,
            sender=unit,
            kind="notice",
            subject=f"Thông báo lịch tuần tra ma trận {label}",
            body="Lịch tuần tra chung tháng 12.",
            recipients=[counterpart(unit)],
            phase=phase,
        )
        lesson = services.lesson_save(
            acting_user=user,
            data={
                "unit": unit,
                "phase": phase,
                "field": field,
                "title": f"Bài học phối hợp tuần tra ma trận {label}",
                "content": "Phân công rõ người, rõ việc.",
                "recorded_on": date(2025, 11, 1),
            },
        )
        proposal = services.proposal_save(
            acting_user=user,
            data={
                "unit": unit,
                "phase": phase,
                "horizon": "period",
                "field": field,
                "title": f"Đề xuất nhân rộng tuần tra ma trận {label}",
                "content": "Nhân rộng ra các tổ dân phố.",
                "recorded_on": date(2025, 11, 2),
            },
        )
        for name, obj in (
            ("model", model),
            ("replication", replication),
            ("exchange", exchange),
            ("lesson", lesson),
            ("proposal", proposal),
        ):
            w.extra.setdefault(f"records.{name}", {})[side] = obj
    w.camau_marks.extend(
        [
            w.extra["records.model"][m.CM].name,
            w.extra["records.exchange"][m.CM].subject,
            w.extra["records.lesson"][m.CM].title,
            w.extra["records.proposal"][m.CM].title,
        ]
    )


# --- how each route is reached ---------------------------------------------------------------


def _obj(w: Any, name: str, side: str) -> Any:
    return w.extra[f"records.{name}"][side]


def phase_query(w: Any, side: str) -> dict[str, str]:
    return {"phase": str(w.phase[side].pk)}


def model_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _obj(w, "model", side).pk}


def model_name(w: Any, side: str) -> str:
    return str(_obj(w, "model", side).name)


def model_state(w: Any, side: str) -> Any:
    model = PracticeModel.objects.filter(pk=_obj(w, "model", side).pk).first()
    if model is None:
        return None
    return (model.name, model.description, model.results, model.origin_unit_id, model.history.count())


def model_form(w: Any, side: str) -> dict[str, Any]:
    model = _obj(w, "model", side)
    return {
        "phase": model.phase_id,
        "name": f"{model.name} (đã sửa)",
        "field": model.field_id,
        "origin_unit": model.origin_unit_id,
        "started_on": "2025-10-15",
        "description": "Mô tả mới.",
        "results": model.results,
    }


def new_model_form(w: Any, side: str) -> dict[str, Any]:
    return {
        "phase": w.phase[side].pk,
        "name": NEW_MODEL,
        "field": w.indicator[side].field_id,
        "origin_unit": w.unit[side].pk,
        "started_on": "2025-11-01",
        "description": "",
        "results": "",
    }


def replication_state(w: Any, side: str) -> Any:
    model = _obj(w, "model", side)
    return sorted(Replication.objects.filter(model=model).values_list("unit_id", "replicated_on", "note"))


def replication_form(w: Any, side: str) -> dict[str, Any]:
    return {"unit": sibling(w.unit[side]).pk, "replicated_on": "2026-01-10", "note": "Nhân rộng"}


def replication_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _obj(w, "model", side).pk, "replication_pk": _obj(w, "replication", side).pk}


def exchange_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _obj(w, "exchange", side).pk}


def exchange_subject(w: Any, side: str) -> str:
    return str(_obj(w, "exchange", side).subject)


def new_exchange_form(w: Any, side: str) -> dict[str, Any]:
    return {
        "sender": w.unit[side].pk,
        "kind": "quick",
        "phase": "",
        "subject": NEW_SUBJECT,
        "body": "Báo cáo nhanh kết quả tuần tra.",
        "recipients": [counterpart(w.unit[side]).pk],
    }


def new_exchange_state(w: Any, side: str) -> Any:
    return Exchange.objects.filter(subject=NEW_SUBJECT).count()


def record_state(model: Any, name: str) -> Any:
    def state(w: Any, side: str) -> Any:
        record = model.objects.filter(pk=_obj(w, name, side).pk).first()
        if record is None:
            return None
        return (record.title, record.content, record.unit_id, record.history.count())

    return state


def record_form(name: str) -> Any:
    def payload(w: Any, side: str) -> dict[str, Any]:
        record = _obj(w, name, side)
        data = {
            "unit": record.unit_id,
            "phase": record.phase_id,
            "field": record.field_id,
            "title": f"{record.title} (đã sửa)",
            "content": "Nội dung mới.",
            "recorded_on": "2025-11-05",
        }
        if name == "proposal":
            data["horizon"] = "phase"
        return data

    return payload


def new_record_form(title: str, proposal: bool = False) -> Any:
    def payload(w: Any, side: str) -> dict[str, Any]:
        data = {
            "unit": w.unit[side].pk,
            "phase": w.phase[side].pk,
            "field": "",
            "title": title,
            "content": "Nội dung.",
            "recorded_on": "2025-12-01",
        }
        if proposal:
            data["horizon"] = "phase"
        return data

    return payload


def routes(m: Any) -> dict[str, Any]:
    Route = m.Route
    # Creating: a unit administrator enters no data (403); a user of the other province does
    # not get its units as choices (the form is re-shown with the error, nothing saved).
    creates: dict[str, Any] = {
        "readers": m.EDITORS,
        "method": "post",
        "writers": {"hanoi.ccb": 302, "tuhoi": 302, "admin": 302},
        "denied": {"hanoi.admin": 403},
        "refused": {"approver": 200, "unit_admin": 403},
    }
    specs: dict[str, Any] = {
        "records:model-list": Route(m.LIST, query=phase_query, shows=model_name),
        "records:model-top": Route(m.LIST, query=phase_query, shows=model_name),
        "records:model": Route(m.OBJECT, kwargs=model_kwargs, shows=model_name),
        "records:model-create": Route(
            m.CREATE,
            payload=new_model_form,
            state=lambda w, s: PracticeModel.objects.filter(name=NEW_MODEL).count(),
            **creates,
        ),
        "records:model-edit": Route(
            m.OBJECT,
            kwargs=model_kwargs,
            readers=m.EDITORS,
            shows=model_name,
            method="post",
            payload=model_form,
            state=model_state,
            **m.EDITOR_WRITES,
        ),
        "records:model-delete": Route(
            m.OBJECT,
            kwargs=model_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=model_state,
            **m.EDITOR_WRITES,
        ),
        "records:replication-add": Route(
            m.OBJECT,
            kwargs=model_kwargs,
            get=False,
            method="post",
            payload=replication_form,
            state=replication_state,
            **m.EDITOR_WRITES,
        ),
        "records:replication-remove": Route(
            m.OBJECT,
            kwargs=replication_kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=replication_state,
            **m.EDITOR_WRITES,
        ),
        "records:exchange-list": Route(m.LIST, query=phase_query, shows=exchange_subject),
        "records:exchange": Route(m.OBJECT, kwargs=exchange_kwargs, shows=exchange_subject),
        "records:exchange-create": Route(m.CREATE, payload=new_exchange_form, state=new_exchange_state, **creates),
    }
    for name, model, new_title in (("lesson", Lesson, NEW_LESSON), ("proposal", Proposal, NEW_PROPOSAL)):
        shows = lambda w, s, name=name: str(_obj(w, name, s).title)  # noqa: E731
        kwargs = lambda w, s, name=name: {"pk": _obj(w, name, s).pk}  # noqa: E731
        specs[f"records:{name}-list"] = Route(m.LIST, query=phase_query, shows=shows)
        specs[f"records:{name}-create"] = Route(
            m.CREATE,
            payload=new_record_form(new_title, proposal=name == "proposal"),
            state=lambda w, s, model=model, title=new_title: model.objects.filter(title=title).count(),
            **creates,
        )
        specs[f"records:{name}-edit"] = Route(
            m.OBJECT,
            kwargs=kwargs,
            readers=m.EDITORS,
            shows=shows,
            method="post",
            payload=record_form(name),
            state=record_state(model, name),
            **m.EDITOR_WRITES,
        )
        specs[f"records:{name}-delete"] = Route(
            m.OBJECT,
            kwargs=kwargs,
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=record_state(model, name),
            **m.EDITOR_WRITES,
        )
    return specs


def probes(m: Any) -> list[Any]:
    Probe = m.Probe

    def folded(name: str, attr: str) -> Any:
        return lambda w: {"q": fold(str(getattr(w.extra[f"records.{name}"][m.CM], attr)))}

    def camau_unit(w: Any) -> dict[str, str]:
        return {"unit": str(w.province[m.CM].pk)}

    return [
        Probe("records:model-list", folded("model", "name")),
        Probe("records:model-list", camau_unit),
        Probe("records:model-list", lambda w: {"q": "ca mau"}),
        Probe("records:model-top", folded("model", "name")),
        Probe("records:model-top", camau_unit),
        Probe("records:exchange-list", folded("exchange", "subject")),
        Probe("records:exchange-list", lambda w: {"tab": "out", "q": "ca mau"}),
        Probe("records:exchange-list", lambda w: {"phase": str(w.phase[m.CM].pk)}),
        Probe("records:lesson-list", folded("lesson", "title")),
        Probe("records:lesson-list", camau_unit),
        Probe("records:proposal-list", folded("proposal", "title")),
        Probe("records:proposal-list", camau_unit),
    ]

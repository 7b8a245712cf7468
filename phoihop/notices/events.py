"""From what happened to who is told: one hook on the history rows the services write.

Every service names its action in the history row (``audited_save(..., action="activity.submit")``,
``phoihop.audit.actions``); ``on_history_row`` (simple-history's ``post_create_historical_record``)
maps the action to a kind of notice and its recipients, and writes the notices in the same
transaction. Three events are not told by a history row of their own item, and have their hook
here too:

* a nomination's steps (``NominationStep``, saved after the nomination, carry the step's reason):
  ``post_save`` of the step;
* an exchange's recipients are written after its history row: ``exchange_sent`` is called by
  ``records.services.exchange_send``;
* report requests are created in bulk (no signals): ``requests_created`` is called by
  ``reporting.services.requests_create``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from phoihop.audit.actions import parse
from phoihop.core.gate import gate_mode, system_job
from phoihop.inbox import badge
from phoihop.notices import recipients as who
from phoihop.notices.kinds import Kind
from phoihop.notices.services import NewNotice, deliver

logger = logging.getLogger("phoihop.notices")


def _unit_name(unit: Any) -> str:
    return str(unit.display_name) if unit is not None else ""


def notify(
    *,
    kind: str,
    obj: Any,
    users: Iterable[Any],
    title: str,
    url: str,
    body: str = "",
    action: str = "",
    actor: Any = None,
    key: str = "",
) -> list[Any]:
    """Tell ``users`` (those of them who may see ``obj``, the actor excepted) about ``obj``."""
    actor_id = getattr(actor, "pk", None)
    told = [u for u in who.may_see(users, obj) if u.pk != actor_id]
    return deliver(
        [
            NewNotice(recipient=u, kind=kind, title=title, body=body, url=url, action=action, actor=actor, key=key)
            for u in told
        ]
    )


# --- activities ---------------------------------------------------------------------------------


def _activity_owners(activity: Any) -> list[Any]:
    """Who sent the activity up (the last submitter) and who recorded it."""
    ids = {activity.created_by_id}
    submitted = (
        activity.history.filter(
            Q(history_change_reason__startswith="activity.submit")
            | Q(history_change_reason__startswith="activity.create_submit")
        )
        .order_by("-history_date", "-history_id")
        .values_list("history_user_id", flat=True)
        .first()
    )
    ids.add(submitted)
    return who.users(i for i in ids if i)


def _activity(activity: Any, action: str, reason: str, actor: Any) -> None:
    url = reverse("activities:detail", kwargs={"pk": activity.pk})
    unit = _unit_name(activity.lead_unit)
    if action in ("activity.submit", "activity.create_submit"):
        notify(
            kind=Kind.SUBMITTED,
            obj=activity,
            users=who.approvers(activity, [activity.lead_unit], "approve"),
            title=_("Hoạt động “%(title)s” của %(unit)s chờ bạn duyệt") % {"title": activity.title, "unit": unit},
            url=url,
            action=action,
            actor=actor,
        )
    elif action == "activity.return":
        notify(
            kind=Kind.RETURNED,
            obj=activity,
            users=_activity_owners(activity),
            title=_("Hoạt động “%(title)s” bị trả lại") % {"title": activity.title},
            body=reason or activity.return_reason,
            url=url,
            action=action,
            actor=actor,
        )
    elif action == "activity.approve":
        notify(
            kind=Kind.APPROVED,
            obj=activity,
            users=_activity_owners(activity),
            title=_("Hoạt động “%(title)s” đã được duyệt") % {"title": activity.title},
            url=url,
            action=action,
            actor=actor,
        )


# --- reports ------------------------------------------------------------------------------------


def _report(report: Any, action: str, reason: str, actor: Any) -> None:
    url = reverse("reporting:report", kwargs={"pk": report.pk})
    name = str(report)
    owners = who.users(i for i in (report.submitted_by_id, report.created_by_id) if i)
    if action == "report.submit":
        notify(
            kind=Kind.SUBMITTED,
            obj=report,
            users=who.approvers(report, report.units, "approve"),
            title=_("Báo cáo “%(report)s” chờ bạn duyệt") % {"report": name},
            url=url,
            action=action,
            actor=actor,
        )
    elif action in ("report.return", "report.reopen"):
        notify(
            kind=Kind.RETURNED,
            obj=report,
            users=owners,
            title=_("Báo cáo “%(report)s” bị trả lại") % {"report": name},
            body=reason or report.return_reason,
            url=url,
            action=action,
            actor=actor,
        )
    elif action == "report.approve":
        notify(
            kind=Kind.APPROVED,
            obj=report,
            users=owners,
            title=_("Báo cáo “%(report)s” đã được duyệt") % {"report": name},
            url=url,
            action=action,
            actor=actor,
        )


HANDLERS: dict[str, Callable[[Any, str, str, Any], None]] = {
    "activity.submit": _activity,
    "activity.create_submit": _activity,
    "activity.return": _activity,
    "activity.approve": _activity,
    "report.submit": _report,
    "report.return": _report,
    "report.reopen": _report,
    "report.approve": _report,
}


def on_history_row(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    """``post_create_historical_record``: tell whom the action concerns, in its transaction."""
    action, reason = parse(getattr(history_instance, "history_change_reason", None))
    handler = HANDLERS.get(action)
    if handler is None or getattr(history_instance, "history_type", "~") == "-":
        return
    with guarded(action), system_job(f"notices: who is told of {action}"), translation.override("vi"):
        handler(instance, action, reason, getattr(history_instance, "history_user", None))


@contextlib.contextmanager
def guarded(event: str) -> Iterator[None]:
    """The notices of an event are written in a savepoint of its transaction. Should telling fail
    (a bug), the event itself still stands and the error is logged, in production; in development
    and the tests (the gate raising) the error is raised, so that it is seen."""
    try:
        with transaction.atomic():
            yield
    except Exception:
        if gate_mode() == "raise":
            raise
        logger.exception("notices of %s not written", event)


# --- nominations: their steps ---------------------------------------------------------------------


def on_nomination_step(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if not created or raw:
        return
    from phoihop.commendations.models import StepAction

    step = instance
    nomination = step.nomination
    url = reverse("commendations:nomination-detail", kwargs={"pk": nomination.pk})
    with (
        guarded(f"nomination.{step.action}"),
        system_job(f"notices: who is told of a nomination's step {step.action}"),
        translation.override("vi"),
    ):
        if step.action in (StepAction.SUBMIT, StepAction.ENDORSE, StepAction.CROSS):
            notify(
                kind=Kind.NOMINATION_RECEIVED,
                obj=nomination,
                users=who.approvers(nomination, [nomination.holder], "consider"),
                title=_("Đề nghị khen thưởng “%(nomination)s” gửi tới %(unit)s")
                % {"nomination": nomination, "unit": _unit_name(nomination.holder)},
                url=url,
                action=f"nomination.{step.action}",
                actor=step.by,
            )
        elif step.action == StepAction.RETURN:
            notify(
                kind=Kind.RETURNED,
                obj=nomination,
                users=_nomination_owners(nomination),
                title=_("Đề nghị khen thưởng “%(nomination)s” bị trả lại") % {"nomination": nomination},
                body=step.reason,
                url=url,
                action="nomination.return",
                actor=step.by,
            )
        elif step.action in (StepAction.REJECT, StepAction.DECIDE):
            decided = step.action == StepAction.DECIDE
            title = (
                _("Đề nghị khen thưởng “%(nomination)s” đã có quyết định khen thưởng")
                if decided
                else _("Đề nghị khen thưởng “%(nomination)s” không được đề nghị tiếp")
            )
            notify(
                kind=Kind.NOMINATION_DECIDED,
                obj=nomination,
                users=_nomination_owners(nomination),
                title=title % {"nomination": nomination},
                body=step.reason,
                url=url,
                action=f"nomination.{step.action}",
                actor=step.by,
            )


def _nomination_owners(nomination: Any) -> list[Any]:
    """Who proposed it: its author and whoever sent it up."""
    from phoihop.commendations.models import StepAction

    ids = {nomination.created_by_id}
    ids.update(nomination.steps.filter(action=StepAction.SUBMIT).values_list("by_id", flat=True))
    return who.users(i for i in ids if i)


def connect_model_signals() -> None:
    from phoihop.commendations.models import NominationStep

    post_save.connect(on_nomination_step, sender=NominationStep, dispatch_uid="notices.on_nomination_step")


# --- explicit calls from services whose events no history row tells in full ----------------------


def exchange_sent(exchange: Any, acting_user: Any) -> None:
    """Called by ``records.services.exchange_send`` once the exchange's recipients are written:
    the people of each recipient unit."""
    with guarded("exchange.send"), system_job("notices: who is told of an exchange"), translation.override("vi"):
        unit_ids = list(exchange.deliveries.values_list("unit_id", flat=True))
        badge.forget_units([*unit_ids, exchange.sender_id], [getattr(acting_user, "pk", None)])
        people = who.people_of(unit_ids, who.ANY_ROLE)
        ids = {u for found in people.values() for u in found}
        notify(
            kind=Kind.EXCHANGE_RECEIVED,
            obj=exchange,
            users=who.users(ids),
            title=_("%(unit)s gửi thông tin: “%(subject)s”")
            % {"unit": _unit_name(exchange.sender), "subject": exchange.subject},
            url=reverse("records:exchange", kwargs={"pk": exchange.pk}),
            action="exchange.send",
            actor=acting_user,
        )


def requests_created(requests: Iterable[Any], acting_user: Any) -> None:
    """Called by ``reporting.services.requests_create`` after its bulk insert: the reporters and
    approvers of each unit asked for a report."""
    requests = list(requests)
    if not requests:
        return
    badge.forget_units({r.unit_id for r in requests}, [getattr(acting_user, "pk", None)])
    with guarded("request.create"), system_job("notices: who is told of report requests"), translation.override("vi"):
        people = who.people_of([r.unit_id for r in requests])
        user_by_id = {u.pk: u for u in who.users({u for found in people.values() for u in found})}
        for request in requests:
            users = [user_by_id[i] for i in people.get(request.unit_id, ()) if i in user_by_id]
            if users:
                notify(
                    kind=Kind.REQUEST_RECEIVED,
                    obj=request,
                    users=users,
                    title=request_title(Kind.REQUEST_RECEIVED, request),
                    url=request_url(request),
                    action="request.create",
                    actor=acting_user,
                    key=f"request:{request.pk}:{Kind.REQUEST_RECEIVED}",
                )


def request_url(request: Any) -> str:
    return f"{reverse('reporting:report-open')}?period={request.period_id}&unit={request.unit.code}"


def request_title(kind: str, request: Any) -> str:
    from phoihop.core.formats import vn_date

    values = {"period": request.period.name, "unit": _unit_name(request.unit), "due": vn_date(request.due_date)}
    if kind == Kind.REQUEST_DUE:
        return _("Báo cáo %(period)s của %(unit)s đến hạn ngày %(due)s") % values
    if kind == Kind.REQUEST_LATE:
        return _("Báo cáo %(period)s của %(unit)s đã quá hạn (hạn %(due)s)") % values
    return _("%(unit)s được yêu cầu gửi báo cáo %(period)s, hạn %(due)s") % values

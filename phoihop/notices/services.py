"""Writes of notices: delivering them (in the caller's transaction, with their e-mail queued in
the outbox), reading them, preferences, and sending the outbox (docs/adr/0013-notices.md)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from phoihop.core.replicas import primary_reads
from phoihop.notices.kinds import DEFAULT_DELIVERY, Delivery, Kind
from phoihop.notices.models import Notice, NoticePreference, OutboxMessage, OutboxStatus

logger = logging.getLogger("phoihop.notices")

# The system's own reads and writes of notices and the outbox (jobs, the recipients' rows).
SYSTEM = "notices: the system delivers notices and sends their e-mail"


@dataclass
class NewNotice:
    recipient: Any
    kind: str
    title: str
    url: str
    body: str = ""
    action: str = ""
    actor: Any = None
    key: str = ""


def deliveries(user_ids: list[int], kind: str) -> dict[int, str]:
    """How each user wants ``kind`` by e-mail (their row, or the kind's default)."""
    chosen = dict(
        NoticePreference.objects.unrestricted(SYSTEM)
        .filter(user_id__in=user_ids, kind=kind)
        .values_list("user_id", "delivery")
    )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY[kind]) for pk in user_ids}


def deliver(new: list[NewNotice]) -> list[Notice]:
    """Write the notices in the caller's transaction (never lost with the event, never without
    it) and, for those their recipient wants at once, an outbox row each; the mail goes out
    after the commit. A notice with a key its recipient already has is not written again."""
    if not new:
        return []
    by_kind: dict[str, list[int]] = {}
    for item in new:
        by_kind.setdefault(item.kind, []).append(item.recipient.pk)
    how = {kind: deliveries(ids, kind) for kind, ids in by_kind.items()}
    keyed = [n for n in new if n.key]
    if keyed:
        have = set(
            Notice.objects.unrestricted(SYSTEM)
            .filter(key__in={n.key for n in keyed}, recipient__in=[n.recipient.pk for n in keyed])
            .values_list("recipient_id", "key")
        )
        new = [n for n in new if not n.key or (n.recipient.pk, n.key) not in have]
    rows = [
        Notice(
            recipient=n.recipient,
            kind=n.kind,
            title=n.title[:300],
            body=n.body,
            url=n.url[:500],
            action=n.action,
            actor=n.actor if getattr(n.actor, "pk", None) else None,
            key=n.key,
            awaiting_digest=how[n.kind][n.recipient.pk] == Delivery.DIGEST and bool(n.recipient.email),
        )
        for n in new
    ]
    Notice.objects.bulk_create(rows, batch_size=500)
    forget_unread(n.recipient_id for n in rows)
    queued = []
    for notice in rows:
        if how[notice.kind][notice.recipient_id] == Delivery.IMMEDIATE and notice.recipient.email:
            queued.append(_queue_mail(notice))
    if queued:
        ids = [m.pk for m in queued]
        transaction.on_commit(lambda: _start_sending(ids))
    return rows


def base_url() -> str:
    return str(settings.PHOIHOP_BASE_URL).rstrip("/")


def absolute(url: str) -> str:
    return f"{base_url()}{url}" if url.startswith("/") else url


def _compose(template: str, context: dict[str, Any]) -> str:
    with translation.override("vi"):
        return render_to_string(template, {**context, "base_url": base_url()}).strip() + "\n"


def _queue_mail(notice: Notice) -> OutboxMessage:
    user = notice.recipient
    with translation.override("vi"):
        subject = _("[phoihop] %(title)s") % {"title": notice.title}
    body = _compose("notices/mail/notice.txt", {"user": user, "notice": notice, "link": absolute(notice.url)})
    message = OutboxMessage.objects.create(
        key=f"notice:{notice.pk}",
        recipient=user,
        address=user.email,
        subject=subject[:300],
        body=body,
        next_attempt_at=timezone.now(),
    )
    Notice.objects.unrestricted(SYSTEM).filter(pk=notice.pk).update(mail=message)
    notice.mail = message
    return message


def _start_sending(ids: list[int]) -> None:
    """After the commit: a job per message (inline in immediate mode). A queue that cannot be
    reached loses nothing: the periodic job sends what is still pending."""
    from phoihop.notices.tasks import send_outbox_task

    for pk in ids:
        try:
            send_outbox_task(pk)
        except Exception:  # the queue is down, or a message failed inline: the row stays pending
            logger.exception("could not start sending outbox message %s", pk)


# --- sending --------------------------------------------------------------------------------------

# A message claimed by a sender that died is claimed again after this.
CLAIM_TIMEOUT = timedelta(minutes=15)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes after the n-th failed attempt, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


def send_message(message_id: int, *, now: datetime | None = None) -> bool:
    """Send one outbox message if it is due and nobody has it: claimed by one conditional UPDATE
    (so two senders never both send it, and a sent one never again), sent, then marked sent; a
    failure counts an attempt and waits (``backoff``), and after ``NOTICES_MAIL_MAX_ATTEMPTS`` the
    message is failed. True when it was sent now."""
    now = now or timezone.now()
    rows = OutboxMessage.objects.unrestricted(SYSTEM).filter(pk=message_id)
    claimed = rows.filter(
        Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING), next_attempt_at__lte=now
    ).update(status=OutboxStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_TIMEOUT)
    if not claimed:
        return False
    message = rows.get()
    try:
        EmailMessage(message.subject, message.body, None, [message.address]).send()
    except Exception as exc:
        failed = message.attempts >= int(settings.NOTICES_MAIL_MAX_ATTEMPTS)
        rows.filter(status=OutboxStatus.SENDING).update(
            status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
            next_attempt_at=now + backoff(message.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:500],
        )
        logger.warning("outbox message %s not sent (attempt %s): %s", message_id, message.attempts, exc)
        return False
    rows.update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")
    return True


def send_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send the messages that are due (new, waiting to be tried again, or claimed by a sender that
    died). Returns how many were sent."""
    now = now or timezone.now()
    due = (
        OutboxMessage.objects.unrestricted(SYSTEM)
        .filter(Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING), next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(send_message(pk, now=now) for pk in list(due))


# --- daily digests -------------------------------------------------------------------------------


def send_digests(*, now: datetime | None = None) -> int:
    """Once a day, from ``NOTICES_DIGEST_HOUR`` (local time): one message per user gathering their
    notices waiting for the digest. The key "digest:<user>:<day>" makes it once a day however
    often this runs. Returns how many digests were queued."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < int(settings.NOTICES_DIGEST_HOUR):
        return 0
    waiting = Notice.objects.unrestricted(SYSTEM).filter(awaiting_digest=True, mail__isnull=True)
    queued = []
    for user_id in sorted(set(waiting.values_list("recipient_id", flat=True))):
        with transaction.atomic():
            key = f"digest:{user_id}:{local.date().isoformat()}"
            if OutboxMessage.objects.unrestricted(SYSTEM).filter(key=key).exists():
                continue
            notices = list(
                waiting.filter(recipient_id=user_id)
                .select_for_update()
                .select_related("recipient")
                .order_by("created_at")
            )
            if not notices:
                continue
            user = notices[0].recipient
            if not user.email or not user.is_active:
                Notice.objects.unrestricted(SYSTEM).filter(pk__in=[n.pk for n in notices]).update(awaiting_digest=False)
                continue
            with translation.override("vi"):
                subject = _("[phoihop] Tổng hợp thông báo ngày %(day)s: %(count)s thông báo") % {
                    "day": f"{local.day}/{local.month}/{local.year}",
                    "count": len(notices),
                }
            body = _compose(
                "notices/mail/digest.txt",
                {"user": user, "items": [(n, absolute(n.url)) for n in notices]},
            )
            try:
                with transaction.atomic():
                    message = OutboxMessage.objects.create(
                        key=key,
                        recipient=user,
                        address=user.email,
                        subject=subject[:300],
                        body=body,
                        next_attempt_at=now,
                    )
            except IntegrityError:  # another runner queued it meanwhile
                continue
            Notice.objects.unrestricted(SYSTEM).filter(pk__in=[n.pk for n in notices]).update(
                mail=message, awaiting_digest=False
            )
            queued.append(message.pk)
            transaction.on_commit(partial(_start_sending, [message.pk]))
    return len(queued)


# --- reminders of report requests -----------------------------------------------------------------


def remind_requests(*, today: Any = None) -> int:
    """Reminders of report requests whose report is not sent: "due in 3 days" from three days
    before the due date, "late" from the day after it; one per request, kind and person (the
    notices' unique key), so running this twice reminds once. Returns how many were written."""
    from phoihop.notices.events import request_title, request_url
    from phoihop.notices.recipients import may_see, people_of, users
    from phoihop.reporting.models import Report, ReportRequest, ReportStatus

    today = today or timezone.localdate()
    days = int(settings.NOTICES_DUE_SOON_DAYS)
    requests = ReportRequest.objects.unrestricted(SYSTEM).select_related("period", "unit")
    sent = Report.objects.unrestricted(SYSTEM).filter(
        status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED], period_id=OuterRef("period_id")
    )
    open_requests = requests.filter(
        due_date__lte=today + timedelta(days=days),
        due_date__gte=today - timedelta(days=int(settings.NOTICES_LATE_REMIND_DAYS)),
    ).exclude(Exists(sent.filter(Q(unit_id=OuterRef("unit_id")) | Q(partner_unit_id=OuterRef("unit_id")))))
    written = 0
    candidates = list(open_requests)
    people = people_of([r.unit_id for r in candidates])
    user_by_id = {u.pk: u for u in users({u for found in people.values() for u in found})}

    def kind_of(request: Any) -> str:
        return Kind.REQUEST_LATE if request.due_date < today else Kind.REQUEST_DUE

    keys = {f"request:{r.pk}:{kind_of(r)}" for r in candidates}
    # Who was reminded already (the common case, every five minutes): one query, not one per request.
    reminded = set(Notice.objects.unrestricted(SYSTEM).filter(key__in=keys).values_list("recipient_id", "key"))
    for request in candidates:
        kind = kind_of(request)
        key = f"request:{request.pk}:{kind}"
        told = [user_by_id[i] for i in people.get(request.unit_id, ()) if i in user_by_id and (i, key) not in reminded]
        if not told:
            continue
        with transaction.atomic(), translation.override("vi"):
            written += len(
                deliver(
                    [
                        NewNotice(
                            recipient=u,
                            kind=kind,
                            title=request_title(kind, request),
                            url=request_url(request),
                            action="request.remind",
                            key=key,
                        )
                        for u in may_see(told, request)
                    ]
                )
            )
    return written


def tick(*, now: datetime | None = None) -> dict[str, int]:
    """What the periodic job does (``manage.py notices_tick``): reminders, digests, due mail."""
    now = now or timezone.now()
    return {
        "reminders": remind_requests(today=timezone.localtime(now).date()),
        "digests": send_digests(now=now),
        "sent": send_due(now=now),
    }


# --- the user's own notices and preferences --------------------------------------------------------


def mark_read(*, user: Any, notice_ids: list[int] | None = None) -> int:
    """Mark the user's notices read (all unread ones when ``notice_ids`` is None)."""
    rows = Notice.objects.restrict(user, "change").filter(read_at__isnull=True)
    if notice_ids is not None:
        rows = rows.filter(pk__in=notice_ids)
    read = int(rows.update(read_at=timezone.now()))
    forget_unread([user.pk])
    return read


# --- the bell's count, cached per user -----------------------------------------------------------

UNREAD_TTL = 60  # seconds; a notice written or read drops its recipient's count at once


def _unread_key(user_id: int) -> str:
    return f"notices:unread:{user_id}"


def unread_count(user: Any) -> int:
    """The bell's number: the user's unread notices, from the cache when it is there."""
    key = _unread_key(user.pk)
    found = cache.get(key)
    if found is None:
        with primary_reads():  # kept for a minute: read where it is up to date
            found = int(Notice.objects.restrict(user, "view").unread().count())
        cache.set(key, found, UNREAD_TTL)
    return int(found)


def forget_unread(user_ids: Any) -> None:
    """Drop the bell's count of ``user_ids`` now and again when the transaction commits (a
    request counting in between would keep the old number). Shared by all processes with Redis;
    with the local-memory cache another process may show the old count for ``UNREAD_TTL``."""
    keys = [_unread_key(i) for i in {i for i in user_ids if i}]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def on_notice_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A notice written or deleted one by one (not through ``deliver``): its recipient's bell."""
    if not raw:
        forget_unread([instance.recipient_id])


@transaction.atomic
def preferences_set(*, user: Any, choices: dict[str, str]) -> None:
    """The user's choice of delivery per kind (a kind left at its default keeps no row)."""
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValueError(f"unknown kind or delivery: {kind}={delivery}")
        rows = NoticePreference.objects.restrict(user, "change").filter(kind=kind)
        if delivery == DEFAULT_DELIVERY[kind]:
            rows.delete()
        elif not rows.update(delivery=delivery):
            NoticePreference.objects.create(user=user, kind=kind, delivery=delivery)

"""The menu's inbox badge, cached per user: exact after every action that changes a group, and
at most ``INBOX_BADGE_TTL`` seconds old for what changes with time alone.

``total(user)`` reads the user's count from Django's cache (``CACHES``) or counts it
(``selectors.inbox_total``: one statement, compiled once per worker for the user's roles
and the day, ``core.statements``) and keeps it for
``INBOX_BADGE_TTL`` seconds, with the user's roles of the day (a role given or taken: counted again at
once). ``forget_units(units, users)`` drops the counts of everyone an event can
change: the holders of a role on the item's units or on a unit above them
(``notices.recipients.concerned``: the approvers of every level, the units' own people), plus
the actor and the item's owners. The hooks below call it for every history row of an item the
inbox counts (activities, reports, report requests, nominations, exchanges), for a nomination's
steps and for an exchange's reading; ``notices.events`` calls it for what is written in bulk (an
exchange's recipients, report requests).

The count is dropped at once and again when the transaction commits (a request counting in
between would otherwise keep the old count). With Redis (``REDIS_URL``) the cache is shared by
every process, so the badge is exact everywhere; with the local-memory cache a process other than
the one that handled the action may show the old count for up to ``INBOX_BADGE_TTL`` seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from phoihop.core.replicas import primary_reads, reads_the_primary
from phoihop.core.scoping import get_scope
from phoihop.inbox.selectors import inbox_total

UNIT_FIELDS = (
    "lead_unit_id",
    "unit_id",
    "partner_unit_id",
    "proposing_unit_id",
    "holder_id",
    "sender_id",
    "to_unit_id",
)
OWNER_FIELDS = ("created_by_id", "submitted_by_id", "decided_by_id", "by_id", "sent_by_id")


def ttl() -> int:
    return int(getattr(settings, "INBOX_BADGE_TTL", 60))


def _key(user_id: int, day: date) -> str:
    return f"inbox:badge:{user_id}:{day.isoformat()}"


def _grants(user: Any) -> str:
    """The user's roles of the day (a role given or taken makes the kept count stale at once)."""
    return repr(sorted((g.unit_id, g.role) for g in get_scope(user).grants))


def total(user: Any) -> int:
    """The user's inbox total for the menu's badge, from the cache when it is there."""
    key, grants = _key(user.pk, timezone.localdate()), _grants(user)
    found = cache.get(key)
    if found is None or found[0] != grants:
        with primary_reads():  # kept for a minute: read where it is up to date
            found = (grants, inbox_total(user))
        cache.set(key, found, ttl())
    return int(found[1])


def remember(user: Any, count: int) -> None:
    """A page that counted the whole inbox (the inbox page, the home page) keeps its total, when
    it was read from the primary (a replica's count may lag; the badge then counts anew)."""
    if reads_the_primary():
        cache.set(_key(user.pk, timezone.localdate()), (_grants(user), count), ttl())


def forget(user_ids: Iterable[int | None]) -> None:
    """Drop the badges of ``user_ids`` now and once more when the transaction commits."""
    ids = {i for i in user_ids if i}
    if not ids:
        return

    def drop() -> None:
        day = timezone.localdate()
        cache.delete_many([_key(i, day) for i in ids])

    drop()
    transaction.on_commit(drop)


def forget_units(unit_ids: Iterable[int | None], user_ids: Iterable[int | None] = ()) -> None:
    """Drop the badges of everyone an event on items of ``unit_ids`` can change."""
    from phoihop.notices.recipients import concerned

    forget({*concerned(i for i in unit_ids if i), *user_ids})


def _units_and_owners(obj: Any) -> tuple[set[int], set[int]]:
    units = {getattr(obj, f, None) for f in UNIT_FIELDS}
    owners = {getattr(obj, f, None) for f in OWNER_FIELDS}
    return {u for u in units if u}, {o for o in owners if o}


# --- the hooks -----------------------------------------------------------------------------------


def _counted_models() -> tuple[type, ...]:
    from phoihop.activities.models import Activity
    from phoihop.commendations.models import Nomination
    from phoihop.records.models import Exchange
    from phoihop.reporting.models import Report, ReportRequest

    return (Activity, Report, ReportRequest, Nomination, Exchange)


def on_history_row(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    """``post_create_historical_record`` of an item the inbox counts: whatever the action (a
    submit, a return, an approval, a withdrawal, an edit, a deletion), its people's badges."""
    if not isinstance(instance, _counted_models()):
        return
    units, owners = _units_and_owners(instance)
    if hasattr(instance, "partner_links"):  # an activity's partner units
        units.update(instance.partner_links.values_list("unit_id", flat=True))
    if hasattr(instance, "deliveries"):  # an exchange's recipients (none yet when it is sent)
        units.update(instance.deliveries.values_list("unit_id", flat=True))
    owners.add(getattr(history_instance, "history_user_id", None) or 0)
    forget_units(units, owners)


def on_nomination_step(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    units, owners = _units_and_owners(instance)
    nomination_units, nomination_owners = _units_and_owners(instance.nomination)
    forget_units(units | nomination_units, owners | nomination_owners)


def on_action_log(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    """An exchange read (``exchange.read``, written for a bulk update): its recipients' people."""
    if raw or not created or instance.action != "exchange.read" or not instance.target_id:
        return
    from phoihop.records.models import ExchangeRecipient

    unit_ids = ExchangeRecipient.objects.filter(exchange_id=instance.target_id).values_list("unit_id", flat=True)
    forget_units(list(unit_ids), [instance.actor_id])


def connect() -> None:
    from django.db.models.signals import post_save
    from simple_history.signals import post_create_historical_record

    from phoihop.audit.models import ActionLog
    from phoihop.commendations.models import NominationStep

    post_create_historical_record.connect(on_history_row, dispatch_uid="inbox.badge.on_history_row")
    post_save.connect(on_nomination_step, sender=NominationStep, dispatch_uid="inbox.badge.on_nomination_step")
    post_save.connect(on_action_log, sender=ActionLog, dispatch_uid="inbox.badge.on_action_log")

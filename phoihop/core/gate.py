"""The gate: every read of a scoped model is restricted to a user, or marked as an exception.

A queryset of a scoped model (one whose manager comes from ``RestrictedQuerySet``) knows
whether it went through ``restrict(user, action)``, was marked ``.unrestricted("why")``, or
neither. Evaluating one that is neither, when application code (``phoihop.*``) made it, is a
read that skipped the gate:

* under ``DEBUG`` and in the tests (``PHOIHOP_GATE = "raise"``) it raises ``UnscopedRead``;
* in production (``"log"``) it is logged as an error and the read goes on.

Reads that need no gate:

* a related manager of an object already read (``unit.people.all()``, prefetches): the object
  passed the gate; a list of another unit's children is still restricted where it is shown;
* Django's own integrity reads (unique checks in ``full_clean``);
* querysets made by tests, benchmarks and other code outside ``phoihop``;
* anything inside ``system_job("why")``: demo loading, rebuilds, commands, background jobs.

Every deliberate exception is visible at its call site as ``unrestricted(...)`` or
``system_job(...)``: ``grep -rn "unrestricted(\\|system_job(" phoihop`` lists them, and
docs/adr/0008-the-gate-and-the-permission-object.md says why each kind exists.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models

logger = logging.getLogger("phoihop.gate")

_system_job: ContextVar[str | None] = ContextVar("phoihop_system_job", default=None)

# Modules that make querysets of any model for their own integrity checks (Django's and DRF's
# unique and constraint validation), for related managers (which get the instance they start
# from), and to sign a user in (by username, or the session's user id).
_TRUSTED_CREATORS = (
    "django.contrib.auth",
    "rest_framework.validators",
    "django.db.models.base",
    "django.db.models.constraints",
    "django.db.models.fields.related_descriptors",
    "django.db.models.deletion",
)
# Code that is not the application: tests and benchmarks read what they check freely.
_OUTSIDE_ROOTS = {"tests", "conftest", "bench", "tools", "__main__"}

RESTRICTED = "restricted"

# Why a read goes without a user's scope: the kinds of deliberate exception, each explained in
# docs/adr/0008-the-gate-and-the-permission-object.md. Call sites name one of these (or say more).
STRUCTURE = "the tree's shape: paths, parents, children and names of units around a unit already read"
INTEGRITY = "a rule that binds whoever writes: duplicates, overlaps, locks, quotas across scopes"
REREAD = "a fresh read (for update) of a record the caller has already read through the gate"
PROGRAMME_DATA = "reference data of a programme read through the gate (its parties, phases, fields, indicators)"
OFFICIAL_TEXT = "the full text of a document or report the user may read: every figure and unit it names"
ROLLUP_UPKEEP = "roll-up bookkeeping of a write the service has authorised"
ADMINISTRATION = "the Django admin: system administrators only, reading every record to run the system"


class UnscopedRead(Exception):
    """A scoped model was read without ``restrict(user, action)`` or a marked exception."""


@contextlib.contextmanager
def system_job(reason: str) -> Iterator[None]:
    """Reads inside are the system's own (a command, the demo, a rebuild, a background job):
    no user's scope applies. ``reason`` says which, for the reader of the code."""
    if not reason.strip():
        raise ValueError("system_job() needs a reason")
    token = _system_job.set(reason)
    try:
        yield
    finally:
        _system_job.reset(token)


def in_system_job() -> bool:
    return _system_job.get() is not None


def _creation_origin() -> str | None:
    """Where application code made the queryset ("module:line"), or None when it was made by
    Django for its own checks, by a related manager, or by code outside ``phoihop``."""
    frame = sys._getframe(2)
    while frame is not None:
        name = str(frame.f_globals.get("__name__", ""))
        if name.startswith(_TRUSTED_CREATORS):
            return None
        if name.startswith("phoihop."):
            # A manager's own get_queryset, the gate, middleware: not where the read is asked for.
            if (
                name == __name__
                or name.endswith(".middleware")
                or isinstance(frame.f_locals.get("self"), models.Manager)
            ):
                frame = frame.f_back  # type: ignore[assignment]
                continue
            return f"{name}:{frame.f_lineno}"
        if name.split(".")[0] in _OUTSIDE_ROOTS:
            return None
        frame = frame.f_back  # type: ignore[assignment]
    return None


def gate_mode() -> str:
    return str(settings.PHOIHOP_GATE)


class GatedQuerySet(models.QuerySet):
    """A queryset that remembers whether it was restricted or marked (see the module's doc)."""

    # False for reference data every signed-in user reads (organisations, the state's list).
    gated = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._gate: str | None = None
        # A queryset made afresh (by a manager: no query yet) notes where; clones copy it.
        self._gate_origin: str | None = _creation_origin() if kwargs.get("query") is None else None

    # --- marking ------------------------------------------------------------------------------

    def _mark(self, state: str) -> Any:
        clone = self._chain()  # type: ignore[attr-defined]
        clone._gate = state
        return clone

    def unrestricted(self, reason: str) -> Any:
        """Read without a user's scope, on purpose: ``reason`` says why (reference data of a
        record already read, an integrity check across units, the official text of a
        document...). Listed in docs/adr/0008-the-gate-and-the-permission-object.md."""
        if not reason.strip():
            raise ValueError("unrestricted() needs a reason")
        return self._mark(f"unrestricted: {reason}")

    unrestricted.queryset_only = False  # type: ignore[attr-defined]

    @property
    def is_gated(self) -> bool:
        """True once restricted to a user or marked as an exception."""
        return self._gate is not None

    # --- keeping the mark through the chain -----------------------------------------------------

    def _clone(self) -> Any:
        clone = super()._clone()  # type: ignore[misc]
        clone._gate = self._gate
        clone._gate_origin = self._gate_origin
        return clone

    def _merged(self, combined: Any, others: tuple[Any, ...]) -> Any:
        # A union with an unmarked queryset is as unmarked as it.
        for other in others:
            if isinstance(other, GatedQuerySet) and not other.is_gated and other._gate_origin:
                combined._gate = None
                combined._gate_origin = combined._gate_origin or other._gate_origin
        return combined

    def __or__(self, other: Any) -> Any:
        return self._merged(super().__or__(other), (other,))

    def __and__(self, other: Any) -> Any:
        return self._merged(super().__and__(other), (other,))

    def __xor__(self, other: Any) -> Any:
        return self._merged(super().__xor__(other), (other,))  # type: ignore[misc]

    def _combinator_query(self, combinator: str, *other_qs: Any, all: bool = False) -> Any:
        combined = super()._combinator_query(combinator, *other_qs, all=all)  # type: ignore[misc]
        return self._merged(combined, other_qs)

    # --- the check --------------------------------------------------------------------------------

    def _check_gate(self) -> None:
        if self._gate is not None or self._gate_origin is None or not self.gated:
            return
        if self._hints.get("instance") is not None or _system_job.get() is not None:  # type: ignore[attr-defined]
            return
        if self.query.is_empty():
            return
        message = (
            f"{self.model.__name__} read at {self._gate_origin} without restrict(user, action) or a marked "
            'exception (.unrestricted("why") or system_job("why")).'
        )
        if gate_mode() == "raise":
            raise UnscopedRead(message)
        logger.error(message)

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_gate()
        super()._fetch_all()

    def count(self) -> int:
        if self._result_cache is None:
            self._check_gate()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._check_gate()
        return super().exists()

    def contains(self, obj: Any) -> bool:
        if self._result_cache is None:
            self._check_gate()
        return super().contains(obj)

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_gate()
        return super().aggregate(*args, **kwargs)

    def iterator(self, chunk_size: int | None = None) -> Any:
        self._check_gate()
        return super().iterator(chunk_size=chunk_size)

    def in_bulk(self, *args: Any, **kwargs: Any) -> Any:
        self._check_gate()
        return super().in_bulk(*args, **kwargs)

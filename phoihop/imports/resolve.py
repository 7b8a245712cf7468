"""Units named in an imported file: by code, or by exact name with or without diacritics.

Every lookup goes through the gate (``OrgUnit.objects.restrict(user, "view")``): a unit the user
may not read is "not found in your scope", exactly like one that does not exist, so an import
never tells which units exist outside the user's reach. A name that several units bear is an
error listing them (name and code), never a guess.

A resolver reads each distinct text once: codes in one query per chunk, names by their folded
form (``phoihop.core.text.fold``) against the units' ``search_text``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit

CHUNK = 2000
# Past this many distinct names, the user's whole readable tree is read once instead of one
# query per name.
NAMES_ONE_BY_ONE = 40
MAX_CANDIDATES = 8


class Unresolved(Exception):
    """The text names no unit in scope, or several; ``str(e)`` says so in Vietnamese."""


def _exact(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class UnitResolver:
    def __init__(self, user: Any, *, action: str = "view") -> None:
        self.user = user
        self.action = action
        self._by_code: dict[str, OrgUnit] = {}
        self._by_text: dict[str, OrgUnit | Unresolved] = {}

    def _units(self) -> Any:
        return OrgUnit.objects.restrict(self.user, self.action)

    def remember(self, unit: OrgUnit) -> None:
        """A unit created by this run (a parent named by a later row of the same file)."""
        self._by_code[unit.code] = unit
        for text in list(self._by_text):
            if isinstance(self._by_text[text], Unresolved):
                del self._by_text[text]

    def load(self, texts: Iterable[Any]) -> None:
        """Resolve every distinct text at once (the rows then ask ``resolve``)."""
        wanted = {str(t).strip() for t in texts if t is not None and str(t).strip()}
        wanted = {t for t in wanted if t not in self._by_text and t not in self._by_code}
        if not wanted:
            return
        codes = sorted(wanted)
        for i in range(0, len(codes), CHUNK):
            for unit in self._units().filter(code__in=codes[i : i + CHUNK]):
                self._by_code[unit.code] = unit
        names = [t for t in wanted if t not in self._by_code]
        if not names:
            return
        if len(names) <= NAMES_ONE_BY_ONE:
            for name in names:
                folded = fold(name)
                candidates = list(self._units().filter(search_text__contains=folded)) if folded else []
                self._by_text[name] = self._choose(name, candidates)
            return
        by_fold: dict[str, list[OrgUnit]] = {}
        for unit in self._units():
            for label in {fold(unit.name), fold(unit.short_name)} - {""}:
                by_fold.setdefault(label, []).append(unit)
        for name in names:
            self._by_text[name] = self._choose(name, by_fold.get(fold(name), []))

    def _choose(self, name: str, candidates: list[OrgUnit]) -> OrgUnit | Unresolved:
        exact = _exact(name)
        same = [u for u in candidates if exact in (_exact(u.name), _exact(u.short_name))]
        if len(same) == 1:
            return same[0]
        if not same:
            folded = fold(name)
            same = [u for u in candidates if folded in (fold(u.name), fold(u.short_name))]
        if len(same) == 1:
            return same[0]
        if not same:
            return Unresolved(
                _("Không tìm thấy đơn vị “%(text)s” (theo mã hoặc đúng tên) trong phạm vi của bạn.") % {"text": name}
            )
        same.sort(key=lambda u: u.path)
        listed = "; ".join(f"{u.name} ({u.code})" for u in same[:MAX_CANDIDATES])
        if len(same) > MAX_CANDIDATES:
            listed += _("; và %(n)s đơn vị khác") % {"n": len(same) - MAX_CANDIDATES}
        return Unresolved(
            _("Tên “%(text)s” trùng với nhiều đơn vị: %(units)s. Hãy ghi mã đơn vị.") % {"text": name, "units": listed}
        )

    def resolve(self, text: Any) -> OrgUnit:
        """The unit ``text`` names (a code, or an exact name), or ``Unresolved``."""
        key = str(text).strip()
        if key in self._by_code:
            return self._by_code[key]
        if key not in self._by_text:
            self.load([key])
            if key in self._by_code:
                return self._by_code[key]
        found = self._by_text[key]
        if isinstance(found, Unresolved):
            raise found
        return found

    def units(self) -> list[OrgUnit]:
        """Every unit resolved so far."""
        found = {u.pk: u for u in self._by_code.values()}
        found.update({u.pk: u for u in self._by_text.values() if isinstance(u, OrgUnit)})
        return list(found.values())

"""Who signs for an issuing body, in whose name, and on what authority: the one home of the rule.

An issuing body (``phoihop.reporting.documents.issuing_unit``) has its signatories
(``Signatory``: the head, the deputies, those acting for it, each with a capacity, title, rank
and name, dated) and its profile (``BodyProfile``: the head's title, the authority's own legal
basis, the drafting office). A document's signer block comes from here (``signer_for``).

The named-signer rule (no placeholder, no empty name) stays in ``phoihop.reporting.signers``.
"""

from __future__ import annotations

import re
from datetime import date

from phoihop.core.gate import OFFICIAL_TEXT
from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit
from phoihop.reporting import documents as reporting_documents
from phoihop.reporting.models import Signatory


def _words(text: str) -> str:
    """Letters and digits only, folded: names and titles compare without marks, case or dots."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text or "")))


def signatories_on(unit: OrgUnit, day: date) -> list[Signatory]:
    """The signatories of the body issuing for ``unit`` valid on ``day``, in their order."""
    body = reporting_documents.issuing_unit(unit)
    rows = Signatory.objects.unrestricted(OFFICIAL_TEXT).filter(unit_id=body.pk).valid_on(day)
    return list(rows.order_by("order", "-is_head", "-valid_from", "pk"))


def signatory_for(unit: OrgUnit, day: date, *, name: str | None = None) -> Signatory | None:
    """The named signatory valid on ``day`` (names compared without marks or case), else the
    head, else the first; ``None`` when the body has none that day (or none by that name)."""
    found = signatories_on(unit, day)
    if name:
        wanted = _words(name)
        return next((s for s in found if _words(s.full_name) == wanted), None)
    return next((s for s in found if s.is_head), found[0] if found else None)


def signer_for(unit: OrgUnit, day: date, *, name: str | None = None) -> dict[str, str] | None:
    """The signer dict ({capacity, collective, title, rank, name}) of the body issuing for
    ``unit`` on ``day``: the named signatory, else the head, else the first; ``None`` if none."""
    signatory = signatory_for(unit, day, name=name)
    return signatory.as_signer() if signatory is not None else None

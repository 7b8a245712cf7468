"""A document is numbered and sent only with a named signer: the one home of that rule.

A signer is a dict of ``capacity``, ``collective``, ``title``, ``rank`` and ``name`` (a report's
``signers``; a decision's ``signer_*`` fields). Its name must be a person's name, not a
placeholder a template or a body's profile left there ("THỦ TRƯỞNG ĐƠN VỊ", "Người ký",
"…", "(ký tên)"), and its title must say the signer's position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phoihop.core.text import fold

# Words that stand where a signer's name or position should be, folded (no marks, lower case).
# A name containing one of these phrases is a title or a blank, not a person.
PLACEHOLDERS = (
    "thu truong don vi",
    "thu truong co quan",
    "thu truong",
    "nguoi ky",
    "ky ten",
    "ky ghi ro ho ten",
    "ghi ro ho ten",
    "ho va ten",
    "ho ten",
    "ten nguoi ky",
    "chu tich",
    "pho chu tich",
    "bi thu",
    "chu nhiem",
    "pho chu nhiem",
    "chi huy truong",
    "chinh uy",
    "giam doc",
    "truong ban",
    "don vi",
    "co quan",
    "ban thuong vu",
    "xxx",
)
# Positions that say nothing about who signs: a title must not be one of these alone.
PLACEHOLDER_TITLES = ("thu truong don vi", "thu truong co quan", "nguoi ky", "lanh dao", "xxx")

_PHRASES = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in PLACEHOLDERS) + r")\b")


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def is_placeholder_name(name: str) -> bool:
    """Whether ``name`` is empty or stands in for one: no letters ("…", "....."), a bracketed
    hint ("(ký tên)"), or a title or blank used as a name ("THỦ TRƯỞNG ĐƠN VỊ", "Người ký")."""
    text = (name or "").strip()
    words = _words(text)
    if not words or not re.search(r"[a-z]", words):
        return True
    if text.startswith(("(", "[", "<")) or "…" in text or "..." in text or "___" in text:
        return True
    return bool(_PHRASES.search(words))


def signer_problems(signer: Mapping[str, Any] | None, *, body: str = "") -> list[str]:
    """What is missing from a signer before a document may be numbered or sent (Vietnamese)."""
    where = f" ({body})" if body else ""
    if not signer:
        return [_("Chưa có người ký%(where)s: hãy ghi chức vụ và họ tên người ký.") % {"where": where}]
    problems = []
    name = str(signer.get("name", "") or "").strip()
    title = str(signer.get("title", "") or "").strip()
    if not name:
        problems.append(_("Chưa ghi họ tên người ký%(where)s.") % {"where": where})
    elif is_placeholder_name(name) or (title and _words(name) == _words(title)):
        problems.append(
            _("“%(name)s” không phải họ tên người ký%(where)s: hãy ghi họ tên thật của người ký.")
            % {"name": name, "where": where}
        )
    if not title:
        problems.append(_("Chưa ghi chức vụ người ký%(where)s.") % {"where": where})
    elif _words(title) in PLACEHOLDER_TITLES:
        problems.append(
            _("“%(title)s” là chức vụ để trống của mẫu%(where)s: hãy ghi chức vụ thật của người ký.")
            % {"title": title, "where": where}
        )
    return problems


def report_signer_problems(signers: Iterable[Mapping[str, Any]] | None, bodies: list[str]) -> list[str]:
    """Every issuing body of a report (one for a unit's report, two for a joint one) needs its
    named signer; ``bodies`` names them for the message."""
    given = list(signers or [])
    problems: list[str] = []
    for k, body in enumerate(bodies):
        label = body if len(bodies) > 1 else ""
        problems += signer_problems(given[k] if k < len(given) else None, body=label)
    return problems


def require_named_signer(problems: list[str]) -> None:
    """Refuse with every problem at once, under the ``signers`` key (the form and the API show it)."""
    if problems:
        raise ValidationError(
            {"signers": [_("Chưa gửi hoặc lấy số được: văn bản chưa có người ký có tên."), *problems]}
        )

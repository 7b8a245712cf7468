"""Who signs for an issuing body, in whose name, and on what authority: the one home of the rule.

An issuing body (``phoihop.reporting.documents.issuing_unit``) has its signatories
(``Signatory``: the head, the deputies, those acting for it, each with a capacity, title, rank
and name, dated) and its profile (``BodyProfile``: the head's title, the authority's own legal
basis, the drafting office). A document's signer block comes from here (``signer_for``), and a
decision's heading, number symbol, authority line, legal bases, signer and awards must agree
(``authority_problems``; the services refuse with ``require_authority``). ADR 0019.

Capacities (Decree 30/2020, Article 13): none when the head signs in the head's own name; TM.
for a collective ("TM. BAN THƯỜNG VỤ"); KT. for a deputy signing for the head ("KT. CHỦ NHIỆM"
over "PHÓ CHỦ NHIỆM"); Q. for an acting head; TL. and TUQ. by delegation, after the head's title.

The named-signer rule (no placeholder, no empty name) stays in ``phoihop.reporting.signers``
and is asked from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date
from phoihop.core.gate import OFFICIAL_TEXT
from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit
from phoihop.reporting import documents as reporting_documents
from phoihop.reporting.models import BodyKind, Signatory, SigningCapacity
from phoihop.reporting.signers import signer_problems

# Bodies that decide as a collective: their decisions are in the standing committee's name.
COLLECTIVE_KINDS = (BodyKind.ASSOCIATION, BodyKind.PARTY)
COLLECTIVE = "BAN THƯỜNG VỤ"
# The charter every level of the Veterans' Association decides under (no decree number is
# assumed for any other body: its basis is data, BodyProfile.authority_basis).
ASSOCIATION_BASIS = {"ccb": "Căn cứ Điều lệ Hội Cựu chiến binh Việt Nam;"}
# Titles and collectives that open a grantor's name in an award ("Bằng khen của Bộ trưởng Bộ
# Quốc phòng"): what follows them names the body.
GRANTOR_TITLES = (
    "bo truong",
    "thu truong",
    "chu nhiem",
    "tu lenh",
    "chinh uy",
    "chi huy truong",
    "giam doc",
    "chu tich",
    "ban chap hanh",
    "ban thuong vu",
    "ban chi huy",
)
# Level words a generic award name ends with ("Giấy khen của Hội Cựu chiến binh tỉnh, thành phố").
GENERIC_PLACES = ("tinh", "thanh pho", "huyen", "quan", "thi xa", "xa", "phuong", "thi tran", "cap")
DEPUTY_CAPACITIES = (SigningCapacity.DEPUTY, SigningCapacity.ACTING)
DELEGATED_CAPACITIES = (SigningCapacity.BY_ORDER, SigningCapacity.BY_AUTHORITY)


def _words(text: str | None) -> str:
    """Letters and digits only, folded: names and titles compare without marks, case or dots."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text or "")))


def _within(part: str, whole: str) -> bool:
    """Whether the words ``part`` stand in ``whole`` as whole words."""
    return bool(part) and f" {part} " in f" {whole} "


def normal_capacity(capacity: str | None) -> str:
    """ "kt" -> "KT.", "T.M." -> "TM.", "TUQ" -> "TUQ."; anything else as written, trimmed."""
    letters = re.sub(r"[^A-Z]", "", fold(capacity or "").upper())
    known = {c.value.rstrip("."): c.value for c in SigningCapacity if c.value}
    return known.get(letters, (capacity or "").strip())


# --- the body's signatories ---------------------------------------------------------------


def signatories_on(unit: OrgUnit, day: date) -> list[Signatory]:
    """The signatories of the body issuing for ``unit`` valid on ``day``, in their order."""
    body = reporting_documents.issuing_unit(unit)
    rows = Signatory.objects.unrestricted(OFFICIAL_TEXT).filter(unit_id=body.pk).valid_on(day)
    return list(rows.order_by("order", "-is_head", "-valid_from", "pk"))


def has_signatories(unit: OrgUnit) -> bool:
    body = reporting_documents.issuing_unit(unit)
    return Signatory.objects.unrestricted(OFFICIAL_TEXT).filter(unit_id=body.pk).exists()


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


# --- the authority ------------------------------------------------------------------------------


def body_name(unit: OrgUnit) -> str:
    """The issuing body's name as its documents write it ("Tổng cục Chính trị")."""
    body = reporting_documents.issuing_unit(unit)
    profile = reporting_documents._profile(body)
    return profile.name_on_documents if profile is not None and profile.name_on_documents else body.name


def head_title(unit: OrgUnit) -> str:
    """The head's title from the body's profile ("Chủ nhiệm"), "" when not recorded."""
    profile = reporting_documents._profile(reporting_documents.issuing_unit(unit))
    return profile.head_title.strip() if profile is not None else ""


def is_collective(unit: OrgUnit) -> bool:
    """Whether the body decides as a collective (an association, a party committee)."""
    return reporting_documents.body_kind(reporting_documents.issuing_unit(unit)) in COLLECTIVE_KINDS


def authority_line(unit: OrgUnit) -> str:
    """The deciding authority over a decision's bases: "CHỦ NHIỆM TỔNG CỤC CHÍNH TRỊ"; a
    collective body's "BAN THƯỜNG VỤ HỘI CỰU CHIẾN BINH THÀNH PHỐ HÀ NỘI"; the body's name
    alone when its head's title is not recorded."""
    name = body_name(unit)
    if is_collective(unit):
        return f"{COLLECTIVE} {name}".upper()
    head = head_title(unit)
    return f"{head} {name}".upper() if head else name.upper()


def authority_basis(unit: OrgUnit) -> str:
    """The authority's own legal basis, the first of a decision's bases: the profile's, else
    the Veterans' Association's charter for its bodies; "" when none is recorded."""
    body = reporting_documents.issuing_unit(unit)
    profile = reporting_documents._profile(body)
    if profile is not None and profile.authority_basis.strip():
        return profile.authority_basis.strip()
    if reporting_documents.body_kind(body) == BodyKind.ASSOCIATION:
        return ASSOCIATION_BASIS.get(body.organisation.code, "")
    return ""


def _grantor(award_name: str) -> str:
    """Who an award is granted by, from its name: "Bằng khen của Bộ trưởng Bộ Quốc phòng" ->
    "bo truong bo quoc phong"; "" when the name says nobody (a title, a medal)."""
    folded = fold(award_name)
    if " cua " not in f" {folded} ":
        return ""
    text = re.split(r"\bcua\b", folded, maxsplit=1)[1]
    text = re.split(r"[,(;]", text, maxsplit=1)[0]
    words = _words(text)
    changed = True
    while changed:
        changed = False
        for place in GENERIC_PLACES:
            if words.endswith(" " + place):
                words, changed = words[: -len(place) - 1].strip(), True
    return words


def award_agrees(award: Any, unit: OrgUnit) -> bool:
    """Whether an award (an ``AwardType`` or its name) is granted in the name of the body
    issuing for ``unit``: its name names that body ("Bằng khen của Chủ nhiệm Tổng cục Chính
    trị"), or names nobody (a title, a medal), or is the generic form of the awarding unit's
    own level and organisation when the unit issues for itself ("Giấy khen của Chỉ huy trưởng
    Bộ Chỉ huy Quân sự tỉnh, thành phố" for the capital's command). A body issuing for another
    unit (TCCT for the Ministry) issues only what its own name grants."""
    grantor = _grantor(str(getattr(award, "name", award) or ""))
    if not grantor:
        return True
    authority, name = _words(authority_line(unit)), _words(body_name(unit))
    head = _words(head_title(unit))
    if _within(grantor, authority) or _within(grantor, name) or (head and grantor == f"{head} {name}"):
        return True
    for title in (head, *GRANTOR_TITLES):
        if title and grantor.startswith(title + " "):
            rest = grantor[len(title) + 1 :]
            if _within(rest, name) or _within(rest, authority):
                return True
            break
    own_level = (
        getattr(award, "awarding_level_id", None) == unit.level_id
        and getattr(award, "awarding_organisation_id", None) == unit.organisation_id
    )
    return own_level and reporting_documents.issuing_unit(unit).pk == unit.pk


# --- the checks ---------------------------------------------------------------------------------


def _signer_errors(unit: OrgUnit, day: date, signer: Mapping[str, Any]) -> list[tuple[str, str]]:
    body = body_name(unit)
    errors: list[tuple[str, str]] = []
    capacity = normal_capacity(str(signer.get("capacity", "") or ""))
    collective = str(signer.get("collective", "") or "").strip()
    title = str(signer.get("title", "") or "").strip()
    name = str(signer.get("name", "") or "").strip()
    if has_signatories(unit):
        found = signatories_on(unit, day)
        match = signatory_for(unit, day, name=name) if name else None
        if match is None:
            listed = "; ".join(s.signer_line for s in found) or _("không có ai")
            errors.append(
                (
                    "signer_name",
                    _(
                        "“%(name)s” không phải người ký của %(body)s ngày %(day)s. Người ký của cơ quan "
                        "ngày đó: %(listed)s."
                    )
                    % {"name": name or "…", "body": body, "day": vn_date(day), "listed": listed},
                )
            )
        elif title and not (_words(title) + " ").startswith(_words(match.title) + " "):
            errors.append(
                (
                    "signer_title",
                    _("Chức vụ “%(title)s” không khớp với chức vụ của %(name)s: “%(own)s”.")
                    % {"title": title, "name": match.full_name, "own": match.title},
                )
            )
    head = head_title(unit)
    head_w, title_w, body_w = _words(head), _words(title), _words(body)
    deputy = title_w.startswith("pho ")
    acting_for_head = capacity in DEPUTY_CAPACITIES or capacity in DELEGATED_CAPACITIES
    if capacity == SigningCapacity.OWN:
        if deputy:
            errors.append(
                (
                    "signer_capacity",
                    _("“%(title)s” không ký bằng tên mình: cấp phó ký thay người đứng đầu, ghi “KT. %(head)s”.")
                    % {"title": title, "head": (head or _("người đứng đầu")).upper()},
                )
            )
        elif head_w and title_w and not (title_w == head_w or title_w == f"{head_w} {body_w}"):
            errors.append(
                (
                    "signer_capacity",
                    _(
                        "Ký không ghi thẩm quyền chỉ dành cho người đứng đầu (%(head)s %(body)s); "
                        "“%(title)s” phải ghi KT., TL. hoặc TUQ."
                    )
                    % {"head": head, "body": body, "title": title},
                )
            )
    elif capacity == SigningCapacity.ON_BEHALF:
        if not collective:
            errors.append(("signer_collective", _("Thay mặt (TM.) phải ghi tập thể, ví dụ “TM. BAN THƯỜNG VỤ”.")))
    elif acting_for_head:
        if capacity in DEPUTY_CAPACITIES and not deputy:
            errors.append(
                (
                    "signer_capacity",
                    _(
                        "%(capacity)s là của cấp phó ký thay hoặc quyền người đứng đầu; “%(title)s” không phải "
                        "chức vụ cấp phó."
                    )
                    % {"capacity": capacity, "title": title or "…"},
                )
            )
        collective_w = _words(collective)
        if not collective_w:
            errors.append(
                (
                    "signer_collective",
                    _("Sau %(capacity)s phải ghi chức danh người đứng đầu, ví dụ “%(capacity)s %(head)s”.")
                    % {"capacity": capacity, "head": (head or _("Chủ nhiệm")).upper()},
                )
            )
        elif head_w and collective_w not in (head_w, f"{head_w} {body_w}"):
            errors.append(
                (
                    "signer_collective",
                    _(
                        "Sau %(capacity)s phải ghi chức danh người đứng đầu của dòng thẩm quyền “%(authority)s”: "
                        "“%(capacity)s %(head)s”, không phải “%(capacity)s %(collective)s”."
                    )
                    % {
                        "capacity": capacity,
                        "authority": authority_line(unit),
                        "head": head.upper(),
                        "collective": collective,
                    },
                )
            )
    else:
        errors.append(
            (
                "signer_capacity",
                _("Thẩm quyền ký “%(capacity)s” không có trong Nghị định 30: TM., KT., Q., TL., TUQ. hoặc để trống.")
                % {"capacity": capacity},
            )
        )
    return errors


def authority_errors(
    unit: OrgUnit,
    day: date,
    *,
    authority: str,
    signer: Mapping[str, Any] | None,
    legal_bases: list[str] | None,
    symbol: str,
    award: Any = None,
) -> list[tuple[str, str]]:
    """Each disagreement, as (the field it concerns, a Vietnamese message), between a document
    of the body issuing for ``unit`` on ``day`` and that body: the authority line must name the
    body; the number's symbol must carry its abbreviation; the signer must be named, a signatory
    of the body that day (when the body lists its signatories), in a capacity that agrees with
    the title (KT. and Q. for a deputy after the head's title; no capacity for the head; TM.
    with a collective); the legal bases (``None``: a document without them) must open with the
    body's own basis; an award (an ``AwardType``, a name, or several) must be granted in the
    body's name."""
    body = body_name(unit)
    errors: list[tuple[str, str]] = []
    if authority and not _within(_words(body), _words(authority)):
        errors.append(
            (
                "authority",
                _(
                    "Thẩm quyền “%(authority)s” không phải của %(body)s: văn bản của %(body)s ghi thẩm quyền "
                    "“%(expected)s”."
                )
                % {"authority": authority, "body": body, "expected": authority_line(unit)},
            )
        )
    if symbol:
        abbreviation = reporting_documents.body_for(unit, {}, None, with_parent=False).abbreviation
        tokens = {_words(t) for t in re.split(r"[-/]", symbol)}
        if _words(abbreviation) not in tokens:
            errors.append(
                (
                    "symbol",
                    _("Ký hiệu “%(symbol)s” không phải của %(body)s (chữ viết tắt của cơ quan: %(abbreviation)s).")
                    % {"symbol": symbol, "body": body, "abbreviation": abbreviation},
                )
            )
    errors += [("signer_name", p) for p in signer_problems(signer)]
    if signer:
        errors += _signer_errors(unit, day, signer)
    if legal_bases is not None:
        basis = authority_basis(unit)
        if not basis:
            errors.append(
                (
                    "legal_bases",
                    _(
                        "Chưa có căn cứ thẩm quyền của %(body)s: quản trị ghi “căn cứ thẩm quyền” trong thông tin "
                        "cơ quan ban hành trước khi ra quyết định."
                    )
                    % {"body": body},
                )
            )
        elif not legal_bases or _words(legal_bases[0]) != _words(basis):
            errors.append(
                (
                    "legal_bases",
                    _("Căn cứ đầu tiên phải là căn cứ thẩm quyền của %(body)s: “%(basis)s”.")
                    % {"body": body, "basis": basis},
                )
            )
    errors += [("award", p) for p in award_problems(unit, award)]
    return errors


def award_problems(unit: OrgUnit, award: Any) -> list[str]:
    """An award (an ``AwardType``, a name, or several) granted in another authority's name
    than the body issuing for ``unit`` ("Bằng khen của Bộ trưởng Bộ Quốc phòng" on a decision
    of the Head of TCCT), in Vietnamese."""
    awards = award if isinstance(award, Iterable) and not isinstance(award, str) else [award]
    problems = []
    for item in awards:
        name = str(getattr(item, "name", item) or "")
        if name and not award_agrees(item, unit):
            problems.append(
                _(
                    "“%(award)s” được tặng theo thẩm quyền khác, không phải của %(authority)s: quyết định tặng "
                    "phải do chính cơ quan có thẩm quyền đó ban hành."
                )
                % {"award": name, "authority": authority_line(unit)}
            )
    return problems


def authority_problems(unit: OrgUnit, day: date, **document: Any) -> list[str]:
    """The messages of ``authority_errors`` (same arguments), without their fields."""
    return [message for _field, message in authority_errors(unit, day, **document)]


def require_authority(errors: list[tuple[str, str]], *, fields: Mapping[str, str] | None = None) -> None:
    """Refuse with every disagreement at once, each under its field (``fields`` renames them
    to the caller's form fields; the others go under ``authority``)."""
    if not errors:
        return
    rename = dict(fields or {})
    grouped: dict[str, list[str]] = {}
    for field, message in errors:
        grouped.setdefault(rename.get(field, field), []).append(message)
    raise ValidationError(grouped)

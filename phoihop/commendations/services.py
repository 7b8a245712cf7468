"""Commendation writes: seeding award forms and titles, nominations and their route, decisions.

A nomination goes up its proposing unit's tree one level at a time, to the unit of the
award's awarding level. When the award belongs to the other organisation, it goes up its own
tree to the first unit at or above the awarding level's rank (the crossing unit), then crosses
to that unit's counterpart in the awarding organisation (its counterpart pair; for a party's
root, the other party's root) and goes on up there to the awarding unit. The whole route is
worked out when the nomination is made and again when it is submitted (ADR 0007).

The rules (recipients, subtree, no double award, chain of titles, quotas) are checked when
proposing, on submission and again when deciding.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.activities.models import Activity
from phoihop.commendations.permissions import can_issue_decisions, can_propose
from phoihop.core.files import check_upload, delete_on_commit
from phoihop.core.formats import cited_date
from phoihop.core.gate import INTEGRITY, OFFICIAL_TEXT, REREAD, STRUCTURE
from phoihop.core.permissions import perms, require
from phoihop.core.services import OutOfScope, audited_save, check_version, require_in_scope, reread_for_update, stamp
from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel, Person, take_snapshot
from phoihop.orgunits.selectors import unit_chain, unit_parent
from phoihop.programmes.models import Phase
from phoihop.programmes.selectors import joint_partners
from phoihop.reporting import authority, registers
from phoihop.reporting.documents import issuing_unit
from phoihop.reporting.models import DocumentKind
from phoihop.reporting.signers import require_named_signer, signer_problems

from .models import (
    Award,
    AwardRequirement,
    AwardType,
    Decision,
    DossierKind,
    Nomination,
    NominationFile,
    NominationStatus,
    NominationStep,
    Quota,
    QuotaBase,
    QuotaScope,
    StepAction,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "awards.json"

# Nominations that hold a place: counted against doubles and quotas.
PENDING = (NominationStatus.SUBMITTED, NominationStatus.RETURNED)
COUNTED = (NominationStatus.SUBMITTED, NominationStatus.AWARDED)


# --- reference data ---------------------------------------------------------------------


@transaction.atomic
def awards_load(*, acting_user: Any = None, path: Path = DATA_FILE) -> int:
    """Create the award forms and titles of the data file that are missing (idempotent).

    Entries whose organisation or level does not exist yet are skipped. Existing rows are left
    as the administrator edited them. Returns how many rows were created."""
    data = json.loads(path.read_text(encoding="utf-8"))
    orgs = {o.code: o for o in Organisation.objects.all()}
    levels = {(lv.organisation.code, lv.code): lv for lv in OrgUnitLevel.objects.select_related("organisation")}
    existing = set(AwardType.objects.values_list("code", flat=True))
    made = 0
    for order, row in enumerate(data["awards"]):
        org = orgs.get(row["organisation"])
        level = levels.get((row["organisation"], row["level"]))
        if row["code"] in existing or org is None or level is None:
            continue
        award = AwardType(
            kind=row["kind"],
            category=row["category"],
            code=row["code"],
            name=row["name"],
            recipients=row["recipients"],
            awarding_organisation=org,
            awarding_level=level,
            note=row.get("note", ""),
            order=order,
        )
        audited_save(award, acting_user=acting_user, action="awards.load")
        made += 1
    by_code = {a.code: a for a in AwardType.objects.all()}
    for row in data["awards"]:
        for req in row.get("requires", []):
            target, required = by_code.get(row["code"]), by_code.get(req["title"])
            if target is None or required is None:
                continue
            if AwardRequirement.objects.filter(award=target, required=required).exists():
                continue
            audited_save(
                AwardRequirement(award=target, required=required, times=req["times"], within_years=req["within_years"]),
                acting_user=acting_user,
                action="awards.load",
            )
    return made


# --- route ------------------------------------------------------------------------------


@dataclass
class Route:
    units: list[OrgUnit]  # from the first unit above the proposer to the awarding unit
    awarding_unit: OrgUnit
    crossing_unit: OrgUnit | None  # the last unit of the proposer's tree when the route crosses


def _ancestors_or_self(unit: OrgUnit) -> list[OrgUnit]:
    """Root first."""
    return unit_chain(unit)


def _shallowest_at(chain: list[OrgUnit], level_id: int) -> OrgUnit | None:
    return next((u for u in chain if u.level_id == level_id), None)


def route_for(*, proposing_unit: OrgUnit, award: AwardType, on: date | None = None) -> Route:
    """The units a nomination of ``proposing_unit`` for ``award`` passes through, up to (and
    across to) the unit of the award's awarding level."""
    day = on or timezone.localdate()
    chain = _ancestors_or_self(proposing_unit)  # root first, ends with the proposer
    level = award.awarding_level
    no_route = ValidationError(
        _(
            "Không tìm thấy đơn vị có thẩm quyền khen thưởng “%(award)s” (%(level)s của %(org)s) "
            "trên đường trình của %(unit)s."
        )
        % {"award": award.name, "level": level.name, "org": award.awarding_organisation, "unit": proposing_unit.name}
    )
    if proposing_unit.organisation_id == award.awarding_organisation_id:
        awarding = _shallowest_at(chain, level.pk)
        if awarding is None:
            raise no_route
        if awarding.pk == proposing_unit.pk:
            return Route([proposing_unit], awarding, None)
        up = [u for u in reversed(chain[:-1]) if u.depth >= awarding.depth]
        return Route(up, awarding, None)
    # Up the own tree to the first unit at or above the awarding level's rank, then across.
    crossing = next((u for u in reversed(chain) if u.level.rank <= level.rank), None)
    if crossing is None:
        raise no_route
    own = [u for u in reversed(chain[:-1]) if u.depth >= crossing.depth]
    for other in sorted(joint_partners(crossing, day), key=lambda u: (u.depth, u.path)):
        if other.organisation_id != award.awarding_organisation_id:
            continue
        other_chain = _ancestors_or_self(other)
        awarding = _shallowest_at(other_chain, level.pk)
        if awarding is None:
            continue
        there = [u for u in reversed(other_chain) if u.depth >= awarding.depth]
        return Route(own + there, awarding, crossing)
    raise no_route


# --- rules ------------------------------------------------------------------------------


def _same_nominee(nomination: Nomination) -> Q:
    if nomination.nominee_unit_id:
        return Q(nominee_unit_id=nomination.nominee_unit_id)
    return Q(person_id=nomination.person_id)


def quota_limit(quota: Quota) -> int:
    """A number, or the share (rounded down) of the unit's members or of its child units."""
    if quota.number is not None:
        return quota.number
    if quota.share_of == QuotaBase.MEMBERS:
        base = quota.member_count or 0
    else:
        unit = quota.unit
        base = (
            OrgUnit.objects.unrestricted(INTEGRITY)
            .active_on(timezone.localdate())
            .filter(path__startswith=unit.path, depth=unit.depth + 1)
            .count()
        )
    share = Decimal(quota.share_percent or 0) * base / 100
    return int(share.to_integral_value(rounding=ROUND_FLOOR))


def check_rules(nomination: Nomination) -> None:
    """Refuse, with a Vietnamese message, a nomination that breaks a rule."""
    award, phase = nomination.award, nomination.phase
    who = nomination.nominee_name
    if not award.is_active:
        raise ValidationError({"award": _("Hình thức khen thưởng, danh hiệu này không còn được dùng.")})
    if not award.allows(collective=nomination.is_collective):
        raise ValidationError(
            {
                "award": _("“%(award)s” chỉ dành cho %(who)s.")
                % {"award": award.name, "who": award.get_recipients_display().lower()}
            }
        )
    if not (phase.start.year <= nomination.year <= phase.end.year):
        raise ValidationError({"year": _("Năm xét phải nằm trong giai đoạn %(phase)s.") % {"phase": phase.name}})
    home = nomination.home_unit
    if not home.path.startswith(nomination.proposing_unit.path):
        raise ValidationError(
            _("%(who)s không thuộc %(unit)s hoặc các đơn vị trực thuộc, nên %(unit)s không thể đề nghị khen thưởng.")
            % {"who": who, "unit": nomination.proposing_unit.name}
        )
    same = _same_nominee(nomination)
    if Award.objects.unrestricted(INTEGRITY).filter(same, award=award, phase=phase).exists():
        raise ValidationError(
            _(
                "%(who)s đã được khen “%(award)s” trong giai đoạn %(phase)s; "
                "không khen hai lần cùng một hình thức trong một giai đoạn."
            )
            % {"who": who, "award": award.name, "phase": phase.name}
        )
    others = Nomination.objects.unrestricted(INTEGRITY).filter(
        same, award=award, phase=phase, status__in=(*PENDING, NominationStatus.AWARDED)
    )
    if nomination.pk:
        others = others.exclude(pk=nomination.pk)
    if others.exists():
        raise ValidationError(
            _("%(who)s đang có đề nghị khen “%(award)s” trong giai đoạn %(phase)s chờ xét; không đề nghị hai lần.")
            % {"who": who, "award": award.name, "phase": phase.name}
        )
    for req in award.requirements.select_related("required"):
        had = (
            Award.objects.unrestricted(INTEGRITY)
            .filter(same, award=req.required, year__gte=nomination.year - req.within_years, year__lt=nomination.year)
            .count()
        )
        if had < req.times:
            raise ValidationError(
                _(
                    "Chưa đủ điều kiện đề nghị “%(award)s”: cần %(times)s lần đạt danh hiệu “%(title)s” trong "
                    "%(years)s năm trước năm %(year)s, %(who)s mới có %(had)s lần."
                )
                % {
                    "award": award.name,
                    "times": req.times,
                    "title": req.required.name,
                    "years": req.within_years,
                    "year": nomination.year,
                    "who": who,
                    "had": had,
                }
            )
    quotas = (
        Quota.objects.unrestricted(INTEGRITY)
        .filter(award=award, phase=phase)
        .filter(
            Q(scope=QuotaScope.PROPOSING, unit=nomination.proposing_unit)
            | Q(scope=QuotaScope.AWARDING, unit=nomination.awarding_unit)
        )
    )
    for quota in quotas.select_related("unit"):
        field = "proposing_unit" if quota.scope == QuotaScope.PROPOSING else "awarding_unit"
        used_q = Nomination.objects.unrestricted(INTEGRITY).filter(
            award=award, phase=phase, status__in=COUNTED, **{field: quota.unit}
        )
        if nomination.pk:
            used_q = used_q.exclude(pk=nomination.pk)
        used, limit = used_q.count(), quota_limit(quota)
        if used + 1 > limit:
            raise ValidationError(
                _(
                    "Vượt chỉ tiêu khen “%(award)s” giai đoạn %(phase)s của %(unit)s: tối đa %(limit)s, "
                    "đã có %(used)s đề nghị được gửi hoặc được khen."
                )
                % {"award": award.name, "phase": phase.name, "unit": quota.unit.name, "limit": limit, "used": used}
            )


# --- nominations ------------------------------------------------------------------------


def _step(
    nomination: Nomination, *, unit: OrgUnit, action: str, by: Any, to_unit: OrgUnit | None = None, reason: str = ""
) -> None:
    NominationStep.objects.create(
        nomination=nomination, unit=unit, action=action, by=by, to_unit=to_unit, reason=reason
    )


def _snapshot(nomination: Nomination) -> None:
    person = nomination.person if nomination.person_id else None
    take_snapshot(nomination, person)
    if person is not None:
        if person.unit_id is None:
            raise ValidationError({"person": _("Người được đề nghị chưa thuộc đơn vị nào.")})
        nomination.home_unit_id = person.unit_id
    else:
        assert nomination.nominee_unit is not None
        nomination.home_unit = nomination.nominee_unit


def _plan(nomination: Nomination) -> Route:
    route = route_for(proposing_unit=nomination.proposing_unit, award=nomination.award)
    nomination.awarding_unit = route.awarding_unit
    nomination.route = [u.pk for u in route.units]
    return route


def _set_activities(nomination: Nomination, activities: Iterable[Activity], acting_user: Any) -> None:
    chosen = list(activities)
    ids = {a.pk for a in chosen}
    visible = set(Activity.objects.restrict(acting_user, "view").filter(pk__in=ids).values_list("pk", flat=True))
    if visible != ids:
        raise OutOfScope(_("Có hoạt động ngoài phạm vi bạn được xem."))
    if any(a.phase_id != nomination.phase_id for a in chosen):
        raise ValidationError({"activities": _("Hoạt động minh chứng phải thuộc giai đoạn của đề nghị.")})
    nomination.activities.set(chosen)


@transaction.atomic
def nomination_create(
    *,
    acting_user: Any,
    proposing_unit: OrgUnit,
    award: AwardType,
    phase: Phase,
    year: int,
    nominee_unit: OrgUnit | None = None,
    person: Person | None = None,
    summary: str = "",
    activities: Iterable[Activity] = (),
    submission_text: str = "",
    council_minutes: str = "",
) -> Nomination:
    """A draft nomination of a collective or an individual of the proposing unit's subtree."""
    if not can_propose(perms(acting_user), proposing_unit):
        raise OutOfScope(_("Bạn không có quyền lập đề nghị khen thưởng của đơn vị này."))
    if (nominee_unit is None) == (person is None):
        raise ValidationError(_("Hãy chọn một tập thể hoặc một cá nhân được đề nghị."))
    nomination = Nomination(
        proposing_unit=proposing_unit,
        nominee_unit=nominee_unit,
        person=person,
        award=award,
        phase=phase,
        year=year,
        summary=summary,
        submission_text=submission_text,
        council_minutes=council_minutes,
        holder=proposing_unit,
        created_by=acting_user,
    )
    _snapshot(nomination)
    _plan(nomination)
    check_rules(nomination)
    audited_save(nomination, acting_user=acting_user, action="nomination.create")
    _set_activities(nomination, activities, acting_user)
    nomination.achievement_report = achievement_report_text(nomination)
    audited_save(nomination, acting_user=acting_user, action="nomination.create")
    return nomination


NOMINATION_FIELDS = {"summary", "submission_text", "achievement_report", "council_minutes", "year", "activities"}


@transaction.atomic
def nomination_save(
    *, nomination: Nomination, data: dict[str, Any], acting_user: Any, expected_version: int | None = None
) -> Nomination:
    """Edit a draft or returned nomination's text, year and activities (refused when
    ``expected_version`` is no longer the stored one)."""
    current = reread_for_update(nomination)
    check_version(current, expected_version)
    require(acting_user, current, "edit")
    unknown = set(data) - NOMINATION_FIELDS
    if unknown:
        raise ValidationError(_("Trường không sửa được: %(names)s") % {"names": ", ".join(sorted(unknown))})
    activities = data.get("activities")
    for key, value in data.items():
        if key != "activities":
            setattr(current, key, value)
    check_rules(current)
    audited_save(current, acting_user=acting_user, action="nomination.edit")
    if activities is not None:
        _set_activities(current, activities, acting_user)
    return current


@transaction.atomic
def nomination_delete(*, nomination: Nomination, acting_user: Any, reason: str = "") -> None:
    """Delete a draft that was never sent (a sent nomination keeps its record: return or reject it)."""
    current = _lock(nomination)
    require(acting_user, current, "delete")
    for row in current.files.all():
        nomination_file_remove(row=row, acting_user=acting_user)
    stamp(current, acting_user=acting_user, action="nomination.delete", reason=reason)
    current.delete()


@transaction.atomic
def achievement_report_generate(*, nomination: Nomination, acting_user: Any) -> Nomination:
    """Write the achievement report again from the record (replacing the edited text)."""
    require(acting_user, nomination, "edit")
    nomination.achievement_report = achievement_report_text(nomination)
    return audited_save(nomination, acting_user=acting_user, action="nomination.report_generate")


def _lock(nomination: Nomination) -> Nomination:
    return reread_for_update(nomination, "award", "phase", "holder")


@transaction.atomic
def nomination_submit(*, nomination: Nomination, acting_user: Any) -> Nomination:
    """Send a draft or returned nomination to the next unit up (the first unit of its route)."""
    current = _lock(nomination)
    require(acting_user, current, "submit")
    _snapshot(current)
    route = _plan(current)
    check_rules(current)
    current.holder = route.units[0]
    current.status = NominationStatus.SUBMITTED
    audited_save(current, acting_user=acting_user, action="nomination.submit")
    _step(current, unit=current.proposing_unit, action=StepAction.SUBMIT, by=acting_user, to_unit=current.holder)
    return current


def _considered(nomination: Nomination, acting_user: Any, action: str = "consider") -> Nomination:
    """The nomination, locked, once its holder's approver may ``action`` it."""
    current = _lock(nomination)
    require(acting_user, current, action)
    return current


@transaction.atomic
def nomination_endorse(*, nomination: Nomination, acting_user: Any) -> Nomination:
    """The holder agrees and sends it one unit up its route (crossing to the other organisation
    when the next unit belongs to it)."""
    current = _considered(nomination, acting_user, "endorse")
    try:
        index = current.route.index(current.holder_id)
    except ValueError as exc:
        raise ValidationError(_("Đơn vị đang giữ đề nghị không nằm trên lộ trình của đề nghị.")) from exc
    here = current.holder
    nxt = OrgUnit.objects.unrestricted(STRUCTURE).get(pk=current.route[index + 1])
    action = StepAction.CROSS if nxt.organisation_id != here.organisation_id else StepAction.ENDORSE
    current.holder = nxt
    audited_save(current, acting_user=acting_user, action="nomination.endorse")
    _step(current, unit=here, action=action, by=acting_user, to_unit=nxt)
    return current


def _reason(reason: str, message: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": message})
    return text


@transaction.atomic
def nomination_return(*, nomination: Nomination, reason: str, acting_user: Any) -> Nomination:
    """Send it back to the proposing unit, with a reason: editable and resubmittable there."""
    text = _reason(reason, _("Hãy nêu lý do trả lại đề nghị."))
    current = _considered(nomination, acting_user)
    here = current.holder
    current.holder = current.proposing_unit
    current.status = NominationStatus.RETURNED
    audited_save(current, acting_user=acting_user, action="nomination.return")
    _step(current, unit=here, action=StepAction.RETURN, by=acting_user, to_unit=current.proposing_unit, reason=text)
    return current


@transaction.atomic
def nomination_reject(*, nomination: Nomination, reason: str, acting_user: Any) -> Nomination:
    """Refuse it for good, with a reason."""
    text = _reason(reason, _("Hãy nêu lý do không đề nghị khen thưởng."))
    current = _considered(nomination, acting_user)
    current.status = NominationStatus.REJECTED
    audited_save(current, acting_user=acting_user, action="nomination.reject")
    _step(current, unit=current.holder, action=StepAction.REJECT, by=acting_user, reason=text)
    return current


# --- the dossier's files --------------------------------------------------------------------


@transaction.atomic
def nomination_file_add(*, nomination: Nomination, kind: str, upload: UploadedFile, acting_user: Any) -> NominationFile:
    """Attach a paper of the dossier (signed submission, achievement report, council minutes…)
    to a nomination the user may change, while it is a draft or returned."""
    require_in_scope(nomination, user=acting_user, action="change")
    if not Nomination.objects.unrestricted(REREAD).get(pk=nomination.pk).is_editable:
        raise ValidationError(_("Chỉ thêm, bớt được tệp của đề nghị đang soạn hoặc bị trả lại."))
    if kind not in DossierKind.values:
        raise ValidationError({"kind": _("Loại giấy tờ không hợp lệ.")})
    file_kind = check_upload(upload, upload.size or 0)
    row = NominationFile(
        nomination=nomination,
        kind=kind,
        token=secrets.token_urlsafe(24),
        original_name=(upload.name or f"ho-so.{file_kind.extension}")[-255:],
        content_type=file_kind.content_type,
        size=upload.size or 0,
        uploaded_by=acting_user,
    )
    row.file.save(row.token, upload, save=False)
    stamp(row, acting_user=acting_user, action="nomination.file_add")
    row.save()
    return row


@transaction.atomic
def nomination_file_remove(*, row: NominationFile, acting_user: Any) -> None:
    nomination = row.nomination
    require_in_scope(nomination, user=acting_user, action="change")
    if not Nomination.objects.unrestricted(REREAD).get(pk=nomination.pk).is_editable:
        raise ValidationError(_("Chỉ thêm, bớt được tệp của đề nghị đang soạn hoặc bị trả lại."))
    stamp(row, acting_user=acting_user, action="nomination.file_remove")
    storage, stored = row.file.storage, row.file.name
    row.delete()
    delete_on_commit(storage, stored)


# --- decisions --------------------------------------------------------------------------


# The fields of a decision's signer, and what reporting.authority calls them.
SIGNER_FIELDS = {
    "capacity": "signer_capacity",
    "collective": "signer_collective",
    "title": "signer_title",
    "rank": "signer_rank",
    "name": "signer_name",
}


def decision_signer_fields(awarding_unit: OrgUnit, day: date, **given: str) -> dict[str, str]:
    """The signer fields of a decision of ``awarding_unit`` on ``day``, completed from the
    issuing body's signatories (reporting.authority): a named signatory gives what was left
    blank (capacity, collective, title, rank); no signer at all, the body's head (or first)."""
    fields = {name: str(given.get(name) or "").strip() for name in SIGNER_FIELDS.values()}
    if fields["signer_name"] or fields["signer_title"]:
        signatory = authority.signatory_for(awarding_unit, day, name=fields["signer_name"] or None)
        if not fields["signer_name"]:
            signatory = None
    else:
        signatory = authority.signatory_for(awarding_unit, day)
    if signatory is not None:
        own = {**signatory.as_signer(), "rank": signatory.rank}
        for key, name in SIGNER_FIELDS.items():
            fields[name] = fields[name] or own[key]
    fields["signer_capacity"] = authority.normal_capacity(fields["signer_capacity"])
    return fields


def decision_authority_errors(decision: Decision) -> list[tuple[str, str]]:
    """What disagrees between the decision and its issuing body (reporting.authority), each
    under the decision's field it concerns (signer_name, signer_title, signer_capacity,
    signer_collective) or authority, symbol, legal_bases."""
    from phoihop.commendations.documents import decision_signer, legal_bases

    unit = decision.awarding_unit
    return authority.authority_errors(
        unit,
        decision.issued_on,
        authority=authority.authority_line(unit),
        signer=decision_signer(decision),
        legal_bases=legal_bases(unit),
        symbol=registers.symbol_for([unit], DocumentKind.DECISION),
    )


@transaction.atomic
def decision_create(
    *,
    awarding_unit: OrgUnit,
    acting_user: Any,
    issued_on: date | None = None,
    subject: str = "",
    signer_name: str = "",
    signer_title: str = "",
    signer_rank: str = "",
    signer_capacity: str = "",
    signer_collective: str = "",
    conference: Any = None,
    take_number: bool = True,
) -> Decision:
    """A decision of the awarding unit, numbered from its issuing body's register once its
    heading, symbol, authority, legal bases and signer agree (reporting.authority). The signer
    is completed from the body's signatories (``decision_signer_fields``)."""
    if not can_issue_decisions(perms(acting_user), awarding_unit):
        raise OutOfScope(_("Chỉ người duyệt của đơn vị khen thưởng mới được ra quyết định."))
    day = issued_on or timezone.localdate()
    issuer = issuing_unit(awarding_unit)
    signer = decision_signer_fields(
        awarding_unit,
        day,
        signer_name=signer_name,
        signer_title=signer_title,
        signer_rank=signer_rank,
        signer_capacity=signer_capacity,
        signer_collective=signer_collective,
    )
    decision = Decision(
        issuing_unit=issuer,
        awarding_unit=awarding_unit,
        issued_on=day,
        subject=subject or _("Về việc khen thưởng"),
        conference=conference,
        created_by=acting_user,
        **signer,
    )
    entry = None
    if take_number:
        # Numbered only with a named signer, from the issuing body's register (reporting.registers).
        require_named_signer(signer_problems({"name": decision.signer_name, "title": decision.signer_title}))
        authority.require_authority(decision_authority_errors(decision))
        entry = registers.take_number(
            unit=issuer,
            year=day.year,
            kind=DocumentKind.DECISION,
            symbol=registers.symbol_for([awarding_unit], DocumentKind.DECISION),
            subject=str(decision.subject),
            issued_on=day,
            acting_user=acting_user,
        )
        decision.number = entry.number
    audited_save(decision, acting_user=acting_user, action="decision.create")
    if entry is not None:
        registers.attach(entry=entry, document=decision, acting_user=acting_user)
    return decision


def _check_decidable(nomination: Nomination, awarding_unit: OrgUnit, day: date) -> None:
    """A nomination goes into a decision of ``day`` only if the award is granted in the
    issuing body's name and the decision is not dated before the nomination's last step."""
    problems = authority.award_problems(awarding_unit, nomination.award)
    if problems:
        raise ValidationError({"award": problems})
    last = nomination.steps.order_by("-at", "-pk").first()
    if last is not None and timezone.localdate(last.at) > day:
        raise ValidationError(
            {
                "issued_on": _(
                    "Quyết định ngày %(day)s không thể trước bước xét cuối cùng của đề nghị (%(step)s, ngày "
                    "%(step_day)s): ghi ngày quyết định từ ngày %(step_day)s trở đi."
                )
                % {
                    "day": cited_date(day),
                    "step": last.get_action_display(),
                    "step_day": cited_date(timezone.localdate(last.at)),
                }
            }
        )


@transaction.atomic
def nomination_decide(
    *, nomination: Nomination, acting_user: Any, decision: Decision | None = None, **decision_fields: Any
) -> Award:
    """The awarding unit decides: the rules are checked again, and the nominee is added to
    ``decision`` (or to a new decision made with ``decision_fields``, see ``decision_create``).
    The award must be granted in the issuing body's name, and the decision dated on or after
    the nomination's last step."""
    current = _considered(nomination, acting_user, "decide")
    check_rules(current)
    if decision is None:
        _check_decidable(current, current.awarding_unit, decision_fields.get("issued_on") or timezone.localdate())
        decision = decision_create(awarding_unit=current.awarding_unit, acting_user=acting_user, **decision_fields)
    else:
        require_in_scope(decision, user=acting_user, action="change")
        if decision.awarding_unit_id != current.awarding_unit_id:
            raise ValidationError({"decision": _("Quyết định này không phải của đơn vị khen thưởng đề nghị.")})
        _check_decidable(current, decision.awarding_unit, decision.issued_on)
    award = Award(
        decision=decision,
        nomination=current,
        award=current.award,
        phase=current.phase,
        year=current.year,
        nominee_unit=current.nominee_unit,
        person=current.person,
        rank_at_event=current.rank_at_event,
        positions_at_event=list(current.positions_at_event),
        home_unit=current.home_unit,
        summary=current.summary,
    )
    audited_save(award, acting_user=acting_user, action="nomination.decide")
    current.status = NominationStatus.AWARDED
    current.decision = decision
    audited_save(current, acting_user=acting_user, action="nomination.decide")
    _step(current, unit=current.holder, action=StepAction.DECIDE, by=acting_user, reason=str(decision))
    return award


# --- the achievement report (Decree 98/2023, forms for a collective / an individual) ------


def achievement_report_text(nomination: Nomination) -> str:
    """A first draft of the achievement report from the record, in the sections of Decree 98's
    forms; the proposing unit edits it before sending."""
    award = nomination.award
    lines: list[str] = []
    if nomination.is_collective:
        unit = nomination.nominee_unit
        assert unit is not None
        parent = unit_parent(unit)
        lines += [
            "BÁO CÁO THÀNH TÍCH",
            f"Đề nghị tặng {award.name}",
            f"Tên tập thể: {unit.name}",
            "",
            "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH",
            f"- Tên đơn vị: {unit.name}" + (f"; trực thuộc: {parent.name}." if parent is not None else "."),
        ]
    else:
        person = nomination.person
        assert person is not None
        lines += [
            "BÁO CÁO THÀNH TÍCH",
            f"Đề nghị tặng {award.name}",
            f"Họ và tên: {person.full_name}",
            "",
            "I. SƠ LƯỢC LÝ LỊCH",
            f"- Họ và tên: {person.full_name}"
            + (f"; năm sinh: {person.birth_year}" if person.birth_year else "")
            + (f"; giới tính: {person.get_gender_display()}" if person.gender else "")
            + ".",
        ]
        if nomination.rank_at_event:
            lines.append(f"- Cấp bậc: {nomination.rank_at_event_label}.")
        if nomination.positions_at_event:
            lines.append(f"- Chức vụ: {'; '.join(nomination.positions_at_event)}.")
        lines.append(f"- Đơn vị: {nomination.home_unit.name}.")
    lines += ["", f"II. THÀNH TÍCH ĐẠT ĐƯỢC (giai đoạn {nomination.phase.name}, năm xét {nomination.year})"]
    if nomination.summary.strip():
        lines.append(nomination.summary.strip())
    activities = list(nomination.activities.order_by("start_date", "pk")) if nomination.pk else []
    if activities:
        lines.append("Các hoạt động tiêu biểu:")
        for i, act in enumerate(activities, 1):
            people = act.participants_lead + act.participants_partner
            count = f"{people:,}".replace(",", ".")
            detail = f", {count} người tham gia" if people else ""
            place = f", tại {act.place}" if act.place else ""
            lines.append(
                f"{i}. {act.title} (từ {cited_date(act.start_date)} đến {cited_date(act.end_date)}{place}{detail})."
            )
    else:
        lines.append("(Chưa gắn hoạt động minh chứng.)")
    lines += ["", "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG"]
    earlier = (
        Award.objects.unrestricted(OFFICIAL_TEXT)
        .filter(_same_nominee(nomination))
        .select_related("award", "decision", "decision__issuing_unit")
    )
    rows = [
        f"- Năm {a.year}: {a.award.name} ({a.decision}, {a.decision.issuing_unit.name})."
        for a in earlier.order_by("year", "pk")
    ]
    lines += rows or ["(Chưa có.)"]
    return "\n".join(lines)

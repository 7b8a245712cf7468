"""Writes to conferences, their co-chairs, delegates and papers, and the signing of the next phase."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.conferences.models import (
    AgendaItem,
    ArticleDraft,
    CoChair,
    Conference,
    Delegate,
    Paper,
    ProposalAdoption,
    Speech,
)
from phoihop.core.files import check_upload, delete_on_commit
from phoihop.core.gate import INTEGRITY, PROGRAMME_DATA
from phoihop.core.permissions import perms
from phoihop.core.services import OutOfScope, apply_changes, audited_save, check_version, require_in_scope, stamp
from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit, Person, take_snapshot
from phoihop.orgunits.services import person_create
from phoihop.programmes.models import Indicator, Party, Phase, PhaseStatus, Signatory, Signing, Target
from phoihop.records.models import Proposal

CONFERENCE_EDITABLE = {
    "programme",
    "phase",
    "kind",
    "title",
    "held_on",
    "starts_at",
    "ends_at",
    "place",
    "venue",
    "venue_address",
    "conclusions_intro",
    "conclusions",
    "report",
    "source_text",
    "source_name",
}
TEXT_FIELDS = ("title", "place", "venue", "venue_address")


def _check_organisers(organisers: Sequence[OrgUnit], acting_user: Any) -> None:
    if not organisers:
        raise ValidationError({"organisers": _("Hãy chọn ít nhất một đơn vị tổ chức.")})
    may = perms(acting_user)
    if not any(may.reaches(unit, "change") for unit in organisers):
        raise OutOfScope()


def _is_national(conference: Conference, organisers: Sequence[OrgUnit]) -> bool:
    ids = [u.pk for u in organisers]
    return (
        Party.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme_id=conference.programme_id)
        .filter(Q(representative_unit_id__in=ids) | Q(root_unit_id__in=ids))
        .exists()
    )


@transaction.atomic
def conference_save(
    *,
    acting_user: Any,
    data: dict[str, Any],
    organisers: Sequence[OrgUnit],
    conference: Conference | None = None,
    expected_version: int | None = None,
) -> Conference:
    """Create or change a conference; its writer must report or approve for one of the organisers.
    A change carrying ``expected_version`` is refused once someone else has saved (``Conflict``)."""
    if conference is not None and conference.pk:
        require_in_scope(conference, user=acting_user, action="change")
        check_version(conference, expected_version)
    else:
        conference = Conference()
    _check_organisers(organisers, acting_user)
    apply_changes(conference, data, CONFERENCE_EDITABLE)
    for name in TEXT_FIELDS:
        setattr(conference, name, " ".join(getattr(conference, name).split()))
    conference.conclusions_intro = conference.conclusions_intro.strip()
    conference.conclusions = "\n".join(conference.conclusion_points)
    if conference.report_id and conference.report and conference.report.period.phase_id != conference.phase_id:
        raise ValidationError({"report": _("Báo cáo phải thuộc giai đoạn được sơ kết, tổng kết.")})
    conference.is_national = _is_national(conference, organisers)
    audited_save(conference, acting_user=acting_user, action="conference.save")
    conference.organisers.set(organisers)
    require_in_scope(conference, user=acting_user, action="change")
    return conference


def _check_person(person: Person | None, acting_user: Any) -> None:
    """A person may be named only by a user who sees them (a person of another unit is "not found")."""
    if person is not None and not Person.objects.restrict(acting_user, "view").filter(pk=person.pk).exists():
        raise OutOfScope()


def _clean_positions(positions: Any) -> list[str] | None:
    if positions is None:
        return None
    if not isinstance(positions, list | tuple) or not all(isinstance(p, str) for p in positions):
        raise ValidationError({"positions_at_event": _("Chức vụ phải là một danh sách.")})
    return [" ".join(p.split()) for p in positions if p.strip()]


def _row_of(row: Any, acting_user: Any) -> Conference:
    """The conference a row belongs to, once the acting user may change it."""
    conference: Conference = row.conference
    require_in_scope(conference, user=acting_user, action="change")
    return conference


def _remove(row: Any, acting_user: Any) -> None:
    stamp(row, acting_user=acting_user, action="conference.row_remove")
    row.delete()


@transaction.atomic
def cochair_add(
    *,
    conference: Conference,
    person: Person | None,
    acting_user: Any,
    rank: str | None = None,
    positions: list[str] | None = None,
    order: int = 0,
) -> CoChair:
    """A co-chair with the rank and positions of the day (the person's current ones unless given)."""
    require_in_scope(conference, user=acting_user, action="change")
    if person is None:
        raise ValidationError({"person": _("Hãy chọn người đồng chủ trì.")})
    _check_person(person, acting_user)
    if CoChair.objects.unrestricted(INTEGRITY).filter(conference=conference, person=person).exists():
        raise ValidationError({"person": _("Người này đã là đồng chủ trì của hội nghị.")})
    row = CoChair(conference=conference, order=order)
    take_snapshot(row, person, rank=rank, positions=_clean_positions(positions))
    return audited_save(row, acting_user=acting_user, action="conference.cochair_add")


COCHAIR_EDITABLE = {"rank_at_event", "positions_at_event", "order"}


@transaction.atomic
def cochair_update(
    *, row: CoChair, acting_user: Any, data: dict[str, Any], expected_version: int | None = None
) -> CoChair:
    """Correct the rank and positions of the day (or the order) of a co-chair."""
    _row_of(row, acting_user)
    check_version(row, expected_version)
    if "positions_at_event" in data:
        data = {**data, "positions_at_event": _clean_positions(data["positions_at_event"])}
    apply_changes(row, data, COCHAIR_EDITABLE)
    return audited_save(row, acting_user=acting_user, action="conference.cochair_update")


@transaction.atomic
def cochair_remove(*, row: CoChair, acting_user: Any) -> None:
    _row_of(row, acting_user)
    _remove(row, acting_user)


def _check_delegate(row: Delegate) -> None:
    if row.person_id is None and not row.name.strip():
        raise ValidationError({"name": _("Khách mời không chọn từ danh sách người thì phải ghi họ tên.")})
    others = Delegate.objects.unrestricted(INTEGRITY).filter(conference_id=row.conference_id).exclude(pk=row.pk)
    if row.person_id is not None and others.filter(person=row.person).exists():
        raise ValidationError({"person": _("Người này đã có trong danh sách đại biểu của hội nghị.")})


@transaction.atomic
def delegate_add(
    *,
    conference: Conference,
    acting_user: Any,
    person: Person | None = None,
    name: str = "",
    organisation: str = "",
    title: str = "",
    is_guest_of_honour: bool = False,
    rank: str | None = None,
    positions: list[str] | None = None,
    order: int = 0,
) -> Delegate:
    """A delegate: a person of the record (with the rank and positions of the day) or a named guest."""
    require_in_scope(conference, user=acting_user, action="change")
    _check_person(person, acting_user)
    row = Delegate(
        conference=conference,
        name=name.strip(),
        organisation=organisation.strip(),
        title=title.strip(),
        is_guest_of_honour=is_guest_of_honour,
        order=order,
    )
    if person is not None:
        take_snapshot(row, person, rank=rank, positions=_clean_positions(positions))
    _check_delegate(row)
    return audited_save(row, acting_user=acting_user, action="conference.delegate_add")


DELEGATE_EDITABLE = {
    "person",
    "name",
    "organisation",
    "title",
    "is_guest_of_honour",
    "rank_at_event",
    "positions_at_event",
    "order",
}


@transaction.atomic
def delegate_update(
    *, row: Delegate, acting_user: Any, data: dict[str, Any], expected_version: int | None = None
) -> Delegate:
    """Change a delegate; naming another person takes their current rank and positions unless given."""
    _row_of(row, acting_user)
    check_version(row, expected_version)
    data = dict(data)
    if "positions_at_event" in data:
        data["positions_at_event"] = _clean_positions(data["positions_at_event"])
    person = data.pop("person", row.person)
    if person is not None and person.pk != row.person_id:
        _check_person(person, acting_user)
        take_snapshot(row, person, rank=data.pop("rank_at_event", None), positions=data.pop("positions_at_event", None))
    elif person is None and row.person_id is not None:
        take_snapshot(row, None)
    apply_changes(row, data, DELEGATE_EDITABLE)
    for key in ("name", "organisation", "title"):
        setattr(row, key, getattr(row, key).strip())
    _check_delegate(row)
    return audited_save(row, acting_user=acting_user, action="conference.delegate_update")


@transaction.atomic
def delegate_remove(*, row: Delegate, acting_user: Any) -> None:
    _row_of(row, acting_user)
    _remove(row, acting_user)


def _store_file(row: Paper | Speech, upload: UploadedFile, stem: str) -> None:
    """Keep an attached file of a row (a paper, a speech) under a random token, once its content
    is checked; its original name and type are kept for the download."""
    kind = check_upload(upload, upload.size or 0)
    row.token = secrets.token_urlsafe(24)
    row.original_name = (upload.name or f"{stem}.{kind.extension}")[-255:]
    row.content_type = kind.content_type
    row.file.save(row.token, upload, save=False)


def _store_paper_file(paper: Paper, upload: UploadedFile) -> None:
    _store_file(paper, upload, "tham-luan")


def _delete_file_on_commit(paper: Paper | Speech) -> None:
    delete_on_commit(paper.file.storage, paper.file.name)


def _save_paper(paper: Paper, acting_user: Any) -> Paper:
    paper.title = " ".join(paper.title.split())
    paper.author_name = paper.author_name.strip()
    if not paper.title:
        raise ValidationError({"title": _("Hãy ghi tên tham luận.")})
    stamp(paper, acting_user=acting_user, action="conference.paper_save")
    paper.full_clean(exclude=["file"])
    paper.save()
    return paper


@transaction.atomic
def paper_add(
    *,
    conference: Conference,
    acting_user: Any,
    title: str,
    author: Person | None = None,
    author_name: str = "",
    unit: OrgUnit | None = None,
    upload: UploadedFile | None = None,
    order: int = 0,
) -> Paper:
    require_in_scope(conference, user=acting_user, action="change")
    _check_person(author, acting_user)
    paper = Paper(conference=conference, title=title, author=author, author_name=author_name, unit=unit, order=order)
    if not " ".join(title.split()):
        raise ValidationError({"title": _("Hãy ghi tên tham luận.")})
    if upload is not None:
        _store_paper_file(paper, upload)
    return _save_paper(paper, acting_user)


PAPER_EDITABLE = {"title", "author", "author_name", "unit", "order"}


@transaction.atomic
def paper_update(
    *,
    paper: Paper,
    acting_user: Any,
    data: dict[str, Any],
    upload: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Paper:
    """Change a paper; a new file replaces the stored one (deleted once the change is committed)."""
    _row_of(paper, acting_user)
    check_version(paper, expected_version)
    if data.get("author") is not None and data["author"].pk != paper.author_id:
        _check_person(data["author"], acting_user)
    apply_changes(paper, data, PAPER_EDITABLE)
    if not " ".join(paper.title.split()):
        raise ValidationError({"title": _("Hãy ghi tên tham luận.")})
    if upload is not None:
        old = Paper(file=paper.file.name)
        _store_paper_file(paper, upload)
        _delete_file_on_commit(old)
    return _save_paper(paper, acting_user)


@transaction.atomic
def paper_remove(*, paper: Paper, acting_user: Any) -> None:
    """Remove a paper and, once committed, its stored file."""
    _row_of(paper, acting_user)
    _delete_file_on_commit(paper)
    _remove(paper, acting_user)


# --- the programme of the conference (agenda items) ---------------------------------------------

AGENDA_EDITABLE = {"order", "at", "item", "presenter"}


def _save_agenda_item(row: AgendaItem, acting_user: Any, action: str) -> AgendaItem:
    row.item = " ".join(row.item.split())
    row.presenter = " ".join(row.presenter.split())
    if not row.item:
        raise ValidationError({"item": _("Hãy ghi nội dung của mục chương trình.")})
    return audited_save(row, acting_user=acting_user, action=action)


@transaction.atomic
def agenda_item_add(
    *,
    conference: Conference,
    acting_user: Any,
    item: str,
    at: time | None = None,
    presenter: str = "",
    order: int = 0,
) -> AgendaItem:
    """An item of the conference's programme: its time, what, and who presents it."""
    require_in_scope(conference, user=acting_user, action="change")
    row = AgendaItem(conference=conference, item=item, at=at, presenter=presenter, order=order)
    return _save_agenda_item(row, acting_user, "conference.agenda_add")


@transaction.atomic
def agenda_item_update(
    *, row: AgendaItem, acting_user: Any, data: dict[str, Any], expected_version: int | None = None
) -> AgendaItem:
    _row_of(row, acting_user)
    check_version(row, expected_version)
    apply_changes(row, data, AGENDA_EDITABLE)
    return _save_agenda_item(row, acting_user, "conference.agenda_update")


@transaction.atomic
def agenda_item_remove(*, row: AgendaItem, acting_user: Any) -> None:
    _row_of(row, acting_user)
    _remove(row, acting_user)


# --- speeches ---------------------------------------------------------------------------------

SPEECH_EDITABLE = {
    "kind",
    "title",
    "summary",
    "speaker_name",
    "speaker_title",
    "rank_at_event",
    "positions_at_event",
    "order",
}


def _save_speech(row: Speech, acting_user: Any, action: str) -> Speech:
    row.title = " ".join(row.title.split())
    row.speaker_name = " ".join(row.speaker_name.split())
    row.speaker_title = " ".join(row.speaker_title.split())
    row.summary = row.summary.strip()
    errors: dict[str, str] = {}
    if not row.title:
        errors["title"] = _("Hãy ghi tiêu đề bài phát biểu.")
    if row.person_id is None and not row.speaker_name:
        errors["speaker_name"] = _("Hãy chọn người phát biểu hoặc ghi họ tên người phát biểu.")
    if errors:
        raise ValidationError(errors)
    if row.person_id is not None:
        row.speaker_name = row.speaker_title = ""
    stamp(row, acting_user=acting_user, action=action)
    row.full_clean(exclude=["file"])
    row.save()
    return row


@transaction.atomic
def speech_add(
    *,
    conference: Conference,
    acting_user: Any,
    title: str,
    kind: str = "phat-bieu",
    summary: str = "",
    person: Person | None = None,
    speaker_name: str = "",
    speaker_title: str = "",
    rank: str | None = None,
    positions: list[str] | None = None,
    upload: UploadedFile | None = None,
    order: int = 0,
) -> Speech:
    """A speech: the speaker as of that day (a person of the record, with the rank and positions of
    the day unless given, or a typed name for a guest), its title, summary and optional text file."""
    require_in_scope(conference, user=acting_user, action="change")
    _check_person(person, acting_user)
    row = Speech(
        conference=conference,
        kind=kind,
        title=title,
        summary=summary,
        speaker_name=speaker_name,
        speaker_title=speaker_title,
        order=order,
    )
    take_snapshot(row, person, rank=rank, positions=_clean_positions(positions))
    if upload is not None:
        _store_file(row, upload, "phat-bieu")
    return _save_speech(row, acting_user, "conference.speech_add")


@transaction.atomic
def speech_update(
    *,
    row: Speech,
    acting_user: Any,
    data: dict[str, Any],
    upload: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Speech:
    """Change a speech; naming another person takes their current rank and positions unless given;
    a new file replaces the stored one (deleted once the change is committed)."""
    _row_of(row, acting_user)
    check_version(row, expected_version)
    data = dict(data)
    if "positions_at_event" in data:
        data["positions_at_event"] = _clean_positions(data["positions_at_event"])
    if "person" in data:
        person = data.pop("person")
        if person is not None and person.pk != row.person_id:
            _check_person(person, acting_user)
            take_snapshot(
                row, person, rank=data.pop("rank_at_event", None), positions=data.pop("positions_at_event", None)
            )
        elif person is None and row.person_id is not None:
            take_snapshot(row, None)
    apply_changes(row, data, SPEECH_EDITABLE)
    if upload is not None:
        old = Speech(file=row.file.name)
        _store_file(row, upload, "phat-bieu")
        _delete_file_on_commit(old)
    return _save_speech(row, acting_user, "conference.speech_update")


@transaction.atomic
def speech_remove(*, row: Speech, acting_user: Any) -> None:
    """Remove a speech and, once committed, its stored file."""
    _row_of(row, acting_user)
    _delete_file_on_commit(row)
    _remove(row, acting_user)


@transaction.atomic
def signing_link(*, conference: Conference, signing: Signing, acting_user: Any) -> Conference:
    """Record an existing signing of the next phase as this conference's outcome."""
    require_in_scope(conference, user=acting_user, action="change")
    other = Conference.objects.unrestricted(INTEGRITY).filter(signing=signing).exclude(pk=conference.pk).first()

    if other is not None:
        raise ValidationError(_("Lễ ký kết này đã gắn với hội nghị “%(title)s”.") % {"title": other.title})
    conference.signing = signing
    return audited_save(conference, acting_user=acting_user, action="conference.signing_link")


@transaction.atomic
def proposal_adopt(*, conference: Conference, proposal: Proposal, phase: Phase, acting_user: Any) -> ProposalAdoption:
    """Adopt a proposal of the closing phase as a task of the new phase; each adoption is recorded."""
    require_in_scope(conference, user=acting_user, action="change")
    if proposal.phase.programme_id != phase.programme_id or proposal.phase_id == phase.pk:
        raise ValidationError(_("Chỉ tiếp thu được đề xuất của giai đoạn trước, cùng chương trình."))
    if phase.start < proposal.phase.start:
        raise ValidationError(_("Đề xuất chỉ được tiếp thu vào giai đoạn sau giai đoạn của nó."))
    if ProposalAdoption.objects.unrestricted(INTEGRITY).filter(proposal=proposal, phase=phase).exists():
        raise ValidationError(_("Đề xuất này đã được tiếp thu vào giai đoạn %(phase)s.") % {"phase": phase.name})
    adoption = ProposalAdoption(
        conference=conference, proposal=proposal, phase=phase, adopted_on=conference.held_on, adopted_by=acting_user
    )
    return audited_save(adoption, acting_user=acting_user, action="proposal.adopt")


@transaction.atomic
def next_phase_sign(
    *,
    conference: Conference,
    acting_user: Any,
    code: str,
    name: str,
    start: date,
    end: date,
    signed_on: date | None = None,
    place: str | None = None,
    document_number: str = "",
    bodies: Iterable[OrgUnit] = (),
    signatories: Iterable[dict[str, Any]] = (),
    new_indicators: Iterable[dict[str, Any]] = (),
    retired_indicators: Iterable[Indicator] = (),
    targets: Iterable[tuple[OrgUnit, Indicator, Any]] | None = None,
    proposals: Iterable[Proposal] = (),
    document: UploadedFile | None = None,
) -> Signing:
    """Sign the next phase at a conference.

    Creates the phase (signed), adds the indicators introduced with it and retires others from
    it, sets targets (the given ones, or the closing phase's targets carried over for the
    indicators still applying), records the signing, its bodies, signatories and signed document,
    and adopts the chosen proposals of the closing phase as the new phase's tasks.
    """
    require_in_scope(conference, user=acting_user, action="change")
    if conference.signing_id:
        raise ValidationError(_("Hội nghị này đã có lễ ký kết giai đoạn mới."))
    programme = conference.programme
    closing = conference.phase
    if start < closing.start:
        raise ValidationError({"start": _("Giai đoạn mới phải bắt đầu sau giai đoạn được tổng kết.")})
    phase = audited_save(
        Phase(programme=programme, code=code, name=name, start=start, end=end, status=PhaseStatus.SIGNED),
        acting_user=acting_user,
        action="phase.sign",
    )
    for spec in new_indicators:
        indicator = Indicator(programme=programme, introduced_in=phase, **spec)
        audited_save(indicator, acting_user=acting_user, action="phase.sign")
    for indicator in retired_indicators:
        if indicator.programme_id != programme.pk:
            raise ValidationError(_("Chỉ tiêu phải thuộc chương trình của hội nghị."))
        indicator.retired_in = phase
        audited_save(indicator, acting_user=acting_user, action="phase.sign")
    if targets is None:
        rows = [
            (t.unit, t.indicator, t.value)
            for t in Target.objects.unrestricted("the closing phase's targets, carried into the next by its signing")
            .filter(phase=closing)
            .select_related("unit", "indicator__introduced_in")
        ]
    else:
        rows = list(targets)
    for unit, indicator, value in rows:
        indicator.refresh_from_db(fields=["retired_in", "introduced_in"])
        if indicator.applies_to(phase):
            audited_save(
                Target(phase=phase, unit=unit, indicator=indicator, value=value),
                acting_user=acting_user,
                action="phase.sign",
            )
    signing = _new_signing(conference, phase, acting_user, signed_on, place, document_number, bodies)
    for order, spec in enumerate(signatories):
        person = spec["person"]
        signatory = Signatory(signing=signing, body=spec["body"], capacity=spec.get("capacity", ""), order=order)
        take_snapshot(signatory, person, rank=spec.get("rank"), positions=spec.get("positions"))
        audited_save(signatory, acting_user=acting_user, action="phase.sign")
    conference.signing = signing
    if document is not None:
        kind = check_upload(document, document.size or 0)
        conference.signed_document.save(f"{secrets.token_urlsafe(24)}.{kind.extension}", document, save=False)
    audited_save(conference, acting_user=acting_user, action="phase.sign")
    for proposal in proposals:
        if proposal.phase_id != closing.pk:
            raise ValidationError(_("Chỉ tiếp thu được đề xuất của giai đoạn được tổng kết."))
        proposal_adopt(conference=conference, proposal=proposal, phase=phase, acting_user=acting_user)
    return signing


@dataclass(frozen=True)
class ArticlePerson:
    """A person an article names, as the user confirmed them: a co-chair (``role`` "chair") or a
    delegate; ``person`` of the record, or a new person in ``new_in`` (a co-chair is always a
    person of the record), or else a named guest."""

    role: str
    name: str
    rank: str = ""
    positions: tuple[str, ...] = ()
    person: Person | None = None
    new_in: OrgUnit | None = None


PHASE_YEARS = re.compile(r"^\s*((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})\s*$")


def phase_years(text: str) -> tuple[int, int] | None:
    """ "2022-2027" (or "2022–2027") → (2022, 2027); anything else → None."""
    found = PHASE_YEARS.match(text or "")
    return (int(found.group(1)), int(found.group(2))) if found else None


def phase_named(phases: Iterable[Phase], years: str) -> Phase | None:
    """The phase among ``phases`` that an article's "giai đoạn 2022-2027" names: its code, or its
    first and last years."""
    span = phase_years(years)
    if span is None:
        return None
    return next((p for p in phases if p.code == f"{span[0]}-{span[1]}" or (p.start.year, p.end.year) == span), None)


@transaction.atomic
def conference_from_article(
    *,
    acting_user: Any,
    data: dict[str, Any],
    organisers: Sequence[OrgUnit],
    people: Sequence[ArticlePerson],
    signed_years: str = "",
    source_text: str,
    source_name: str = "",
) -> Conference:
    """Record a conference read from a news report, as its reader confirmed it: the conference
    (the article kept as its source), its co-chairs and delegates with the rank and positions the
    article gives them that day, and the signing of the phase it signed."""
    if not source_text.strip():
        raise ValidationError({"source_text": _("Không có bài viết để ghi làm nguồn.")})
    conference = conference_save(
        acting_user=acting_user,
        data={**data, "source_text": source_text.strip(), "source_name": source_name.strip()[:500]},
        organisers=organisers,
    )
    _people_from_article(conference, people, acting_user)
    if signed_years.strip():
        _sign_from_article(conference, signed_years, acting_user)
    return conference


@transaction.atomic
def conference_supplement_from_article(
    *,
    acting_user: Any,
    conference: Conference,
    people: Sequence[ArticlePerson],
    signed_years: str = "",
    source_text: str,
    source_name: str = "",
) -> Conference:
    """Complete a conference already recorded from a news report about it: the article becomes
    its source, the people it names who are not in the record yet are added (with the rank and
    positions of the day), and the signing is linked when the record has none."""
    require_in_scope(conference, user=acting_user, action="change")
    if not source_text.strip():
        raise ValidationError({"source_text": _("Không có bài viết để ghi làm nguồn.")})
    conference.source_text = source_text.strip()
    conference.source_name = source_name.strip()[:500]
    audited_save(conference, acting_user=acting_user, action="conference.source")
    _people_from_article(conference, people, acting_user)
    if signed_years.strip() and conference.signing_id is None:
        _sign_from_article(conference, signed_years, acting_user)
    return conference


def _people_from_article(conference: Conference, people: Sequence[ArticlePerson], acting_user: Any) -> None:
    """Add the article's people to the conference: a person of the record, a new person (a
    co-chair always is one), or a named guest; someone already in the record is left as it is."""
    chairs = set(
        CoChair.objects.unrestricted(INTEGRITY).filter(conference=conference).values_list("person_id", flat=True)
    )
    delegates = Delegate.objects.unrestricted(INTEGRITY).filter(conference=conference)
    present = set(delegates.exclude(person=None).values_list("person_id", flat=True)) | chairs
    guests = {fold(n) for n in delegates.filter(person=None).values_list("name", flat=True)}
    order = len(present) + len(guests)
    for row in people:
        order += 1
        person = row.person
        if person is None and (row.role == "chair" or row.new_in is not None):
            if row.new_in is None:
                raise ValidationError(
                    {"people": _("Hãy chọn đơn vị cho người mới “%(name)s” (người đồng chủ trì).") % {"name": row.name}}
                )
            person = person_create(
                acting_user=acting_user,
                data={"full_name": row.name, "rank": row.rank, "positions": list(row.positions), "unit": row.new_in},
            )
        if (person is not None and person.pk in present) or (person is None and fold(row.name) in guests):
            continue
        if person is None:  # a guest named only
            title = ", ".join(row.positions)
            delegate_add(conference=conference, acting_user=acting_user, name=row.name, title=title, order=order)
            continue
        present.add(person.pk)
        add: Any = cochair_add if row.role == "chair" else delegate_add
        positions = list(row.positions)
        add(
            conference=conference,
            person=person,
            acting_user=acting_user,
            rank=row.rank,
            positions=positions,
            order=order,
        )


def _sign_from_article(conference: Conference, years: str, acting_user: Any) -> None:
    """The signing of the phase of ``years`` at ``conference``: the phase's signing when the
    programme has it (linked to this conference), a new signing of the phase when it has none, and
    a new phase signed here when the programme has no such phase yet."""
    span = phase_years(years)
    if span is None:
        raise ValidationError({"signed_years": _("Giai đoạn được ký kết phải ghi dạng 2022-2027.")})
    first, last = span
    if last <= first:
        raise ValidationError({"signed_years": _("Năm kết thúc của giai đoạn phải sau năm bắt đầu.")})
    phase = phase_named(Phase.objects.unrestricted(PROGRAMME_DATA).filter(programme_id=conference.programme_id), years)
    if phase is None:
        start = conference.held_on if conference.held_on.year == first else date(first, 1, 1)
        next_phase_sign(
            conference=conference,
            acting_user=acting_user,
            code=f"{first}-{last}",
            name=f"{first}–{last}",
            start=start,
            end=date(last, start.month, start.day) - timedelta(days=1),
        )
        return
    signing = Signing.objects.unrestricted(INTEGRITY).filter(phase=phase).first()
    if signing is not None:
        signing_link(conference=conference, signing=signing, acting_user=acting_user)
        return
    conference.signing = _new_signing(conference, phase, acting_user)
    audited_save(conference, acting_user=acting_user, action="phase.sign")


# --- drafts of many articles ----------------------------------------------------------------


@transaction.atomic
def article_batch_start(*, acting_user: Any, articles: Sequence[Any]) -> Any:
    """One draft per article (``batch.Article``: name, text, or why it could not be read), then
    the job that reads them in the background; returns the job (its page shows the progress)."""
    from phoihop.jobs.kinds import ARTICLE_DRAFTS
    from phoihop.jobs.services import job_start

    if not perms(acting_user).has_units("change"):
        raise OutOfScope()
    batch = secrets.token_hex(8)
    ArticleDraft.objects.bulk_create(
        ArticleDraft(created_by=acting_user, batch=batch, name=a.name[:255], text=a.text, error=a.error[:500])
        for a in articles
    )
    return job_start(kind=ARTICLE_DRAFTS, parameters={"batch": batch}, acting_user=acting_user)


def _own_draft(draft: ArticleDraft, acting_user: Any) -> None:
    if not ArticleDraft.objects.restrict(acting_user, "change").filter(pk=draft.pk).exists():
        raise OutOfScope()


def article_draft_read(*, draft: ArticleDraft, record: dict[str, Any], acting_user: Any) -> ArticleDraft:
    """Keep the record read from a draft's article."""
    _own_draft(draft, acting_user)
    draft.record = record
    draft.save(update_fields=["record"])
    return draft


def article_draft_done(*, draft: ArticleDraft, conference: Conference, acting_user: Any) -> ArticleDraft:
    """Mark a draft as recorded: the conference confirmed from it."""
    _own_draft(draft, acting_user)
    draft.conference = conference
    draft.save(update_fields=["conference"])
    return draft


def _new_signing(
    conference: Conference,
    phase: Phase,
    acting_user: Any,
    signed_on: date | None = None,
    place: str | None = None,
    document_number: str = "",
    bodies: Iterable[OrgUnit] = (),
) -> Signing:
    """The signing of ``phase`` at ``conference``: on its day and at its place unless told, by its
    organisers unless other bodies are named."""
    signing = Signing(
        phase=phase,
        signed_on=signed_on or conference.held_on,
        place=conference.place if place is None else place,
        document_number=document_number,
        note=_("Ký kết tại %(title)s.") % {"title": conference.title},
    )
    audited_save(signing, acting_user=acting_user, action="phase.sign")
    signing.bodies.set(list(bodies) or list(conference.organisers.all()))
    return signing


def today() -> date:
    return timezone.localdate()

"""Personal data of a person (Law 91/2025/QH15; docs/adr/0011-personal-data.md): what phoihop
holds about one person, and the retention rules that forbid anonymising them.

The one home of "may this person be anonymised" is ``retention_holds``: the records that the
Law on Archives and the law on emulation and commendation keep (a decided award, a signed
programme, a conference's co-chairs, a commendation dossier) name the person, and their names
there must stay as they were. ``PersonPolicy.can_anonymise`` asks it; the page shows it.

Every read here is of one person already read through the gate by their administrator
(``Person.objects.restrict(user, "manage")``), across the apps that name them: unrestricted on
purpose (``PERSONAL_DATA``), since the person has the right to know all of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from phoihop.orgunits.models import Person

PERSONAL_DATA = "everything held about one person, read by their administrator to answer them (ADR 0011)"

# A person's private fields (ADR 0011), with the value each reads as when hidden or emptied:
# shown only to those who may read them (the API and the pages hide them from the others).
PRIVATE_FIELDS: dict[str, Any] = {
    "birth_year": None,
    "birth_date": None,
    "gender": "",
    "home_town": "",
    "residence": "",
    "qualification": "",
    "distinctions": "",
    "member_card_number": "",
}

# What an anonymised person is called, and the fields an anonymisation empties: the private
# ones, and those that say who they are.
ANONYMOUS_NAME = "Người đã ẩn danh #{pk}"
ANONYMISED_FIELDS: dict[str, Any] = {
    **PRIVATE_FIELDS,
    "full_name": None,  # set to ANONYMOUS_NAME
    "rank": "",
    "positions": [],
    "affiliation": "",
    "is_public_figure": False,
}


@dataclass
class Mention:
    """A record of another app that names the person."""

    kind: str
    label: str
    detail: str = ""
    url: str = ""
    retained: bool = False


@dataclass
class Held:
    person: Person
    mentions: list[Mention] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)


def _model(label: str) -> Any:
    return apps.get_model(label)


def _read(label: str) -> Any:
    return _model(label).objects.unrestricted(PERSONAL_DATA)


def _url(name: str, pk: Any) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


def mentions_of(person: Person) -> list[Mention]:
    """Every record that names the person: signatures, co-chairs, delegates, papers,
    nominations and awards (with the rank and positions of the day)."""
    found: list[Mention] = []
    for row in _read("programmes.Signatory").filter(person=person).select_related("signing__phase__programme"):
        found.append(
            Mention(
                _("Người ký chương trình phối hợp"),
                str(row.signing),
                f"{row.capacity} · {row.rank_at_event_label}".strip(" ·"),
                retained=True,
            )
        )
    for row in _read("conferences.CoChair").filter(person=person).select_related("conference"):
        found.append(
            Mention(
                _("Đồng chủ trì hội nghị"),
                str(row.conference),
                row.rank_at_event_label,
                _url("conferences:detail", row.conference_id),
                retained=True,
            )
        )
    for row in _read("conferences.Delegate").filter(person=person).select_related("conference"):
        found.append(
            Mention(
                _("Đại biểu dự hội nghị"),
                str(row.conference),
                ", ".join(row.positions_at_event),
                _url("conferences:detail", row.conference_id),
            )
        )
    for row in _read("conferences.Paper").filter(author=person).select_related("conference"):
        found.append(
            Mention(
                _("Tác giả tham luận"), row.title, str(row.conference), _url("conferences:detail", row.conference_id)
            )
        )
    for row in _read("commendations.Nomination").filter(person=person).select_related("award"):
        found.append(
            Mention(
                _("Được đề nghị khen thưởng"),
                f"{row.award} ({row.year})",
                row.get_status_display(),
                _url("commendations:nomination-detail", row.pk),
                retained=True,
            )
        )
    for row in _read("commendations.Award").filter(person=person).select_related("award", "decision"):
        found.append(
            Mention(
                _("Được khen thưởng"),
                f"{row.award} ({row.year})",
                str(row.decision),
                _url("commendations:decision-detail", row.decision_id),
                retained=True,
            )
        )
    return found


def retention_holds(person: Person) -> list[str]:
    """Why the person must be kept as named (empty: they may be anonymised)."""
    holds = []
    if _read("commendations.Award").filter(person=person).exists():
        holds.append(_("đã được khen thưởng theo quyết định (hồ sơ khen thưởng lưu trữ vĩnh viễn)"))
    if _read("commendations.Nomination").filter(person=person).exists():
        holds.append(_("có hồ sơ đề nghị khen thưởng (hồ sơ thi đua, khen thưởng phải lưu trữ)"))
    if _read("programmes.Signatory").filter(person=person).exists():
        holds.append(_("là người ký văn bản chương trình phối hợp đã ký kết"))
    if _read("conferences.CoChair").filter(person=person).exists():
        holds.append(_("là đồng chủ trì hội nghị (tên có trong giấy mời, thông báo kết luận đã ban hành)"))
    return holds


def held_about(person: Person) -> Held:
    return Held(person=person, mentions=mentions_of(person), holds=retention_holds(person))


def anonymised_values(person: Person) -> dict[str, Any]:
    values = dict(ANONYMISED_FIELDS)
    values["full_name"] = ANONYMOUS_NAME.format(pk=person.pk)
    return values


def is_anonymised(person: Person) -> bool:
    return person.full_name == ANONYMOUS_NAME.format(pk=person.pk)

"""A small world for the API tests: two organisations, a few units, people and a programme.

Built with the ORM directly (test set-up, not application code), beside the demo data the
test session may hold: its codes (organisations ``tqd`` and ``tccb``, lower-case unit
codes, programme ``ct-09``) and usernames do not meet the demo's. Units:

    qd          Bộ Quốc phòng                                 (central)
      qd-hn     Bộ Chỉ huy Quân sự thành phố Hà Nội           (province)
        qd-hn-bd  Ban Chỉ huy Quân sự phường Ba Đình          (commune)
        qd-hn-hk  Ban Chỉ huy Quân sự phường Hoàn Kiếm        (commune, closed 30/6/2025 into qd-hn-bd)
      qd-hp     Bộ Chỉ huy Quân sự thành phố Hải Phòng        (province)
      qd-hd     Bộ Chỉ huy Quân sự tỉnh Hải Dương             (province, closed 30/6/2025 into qd-hp)
    ccb         Trung ương Hội Cựu chiến binh Việt Nam        (central)
      ccb-hn    Hội Cựu chiến binh thành phố Hà Nội           (province, counterpart of qd-hn)
      ccb-hp    Hội Cựu chiến binh thành phố Hải Phòng        (province)

People (users): alice is approver on qd-hn, carol unit administrator on qd-hn, bob approver
on ccb-hp, dave has no role, root is a superuser. Everyone's password is ``PASSWORD``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.contrib.auth.hashers import make_password
from rest_framework.test import APIClient

from phoihop.accounts.models import RoleAssignment, User
from phoihop.core.scoping import Role
from phoihop.orgunits.models import (
    Organisation,
    OrgUnit,
    OrgUnitLevel,
    OrgUnitPair,
    Person,
    Rank,
    SuccessionKind,
)
from phoihop.programmes.models import Field, Indicator, Party, Phase, PhaseStatus, Programme

PASSWORD = "mat-khau-thu-nghiem-2026"


@cache
def _password_hash() -> str:
    # Argon2 is slow on purpose; hash once per test run, not once per user per test.
    return make_password(PASSWORD)


CLOSED_ON = date(2025, 6, 30)


@dataclass
class ApiWorld:
    units: dict[str, OrgUnit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    programme: Programme | None = None
    phase: Phase | None = None
    # The daily work's records (``add_daily_work``), by API base name: "activity", "lock", ...
    records: dict[str, Any] = field(default_factory=dict)

    def unit(self, code: str) -> OrgUnit:
        return self.units[code]


def _levels(org: Organisation) -> dict[str, OrgUnitLevel]:
    return {
        code: OrgUnitLevel.objects.create(organisation=org, code=code, name=name, rank=rank)
        for code, name, rank in [("central", "Trung ương", 0), ("province", "Tỉnh", 1), ("commune", "Xã", 2)]
    }


def build_world() -> ApiWorld:
    world = ApiWorld()
    qd = Organisation.objects.create(code="tqd", name="Quân đội nhân dân Việt Nam", short_name="QĐND")
    ccb = Organisation.objects.create(code="tccb", name="Hội Cựu chiến binh Việt Nam", short_name="Hội CCB")
    qd_levels, ccb_levels = _levels(qd), _levels(ccb)

    def add(parent: OrgUnit | None, org: Organisation, levels: dict[str, OrgUnitLevel], **kwargs: Any) -> OrgUnit:
        level = levels[kwargs.pop("level")]
        if parent is None:
            unit = OrgUnit.objects.add_root(dict(organisation=org, level=level, **kwargs))
        else:
            parent.refresh_from_db()  # treebeard counts children on the parent row
            unit = OrgUnit.objects.add_child(parent, dict(organisation=org, level=level, **kwargs))
        world.units[unit.code] = unit
        return unit

    root = add(None, qd, qd_levels, code="qd", name="Bộ Quốc phòng", level="central")
    hn = add(
        root,
        qd,
        qd_levels,
        code="qd-hn",
        name="Bộ Chỉ huy Quân sự thành phố Hà Nội",
        short_name="Bộ CHQS Hà Nội",
        level="province",
    )
    bd = add(hn, qd, qd_levels, code="qd-hn-bd", name="Ban Chỉ huy Quân sự phường Ba Đình", level="commune")
    add(
        hn, qd, qd_levels, code="qd-hn-hk", name="Ban Chỉ huy Quân sự phường Hoàn Kiếm", level="commune",
        valid_to=CLOSED_ON, successor=bd, succession_kind=SuccessionKind.ABSORBED,
    )  # fmt: skip
    hp = add(root, qd, qd_levels, code="qd-hp", name="Bộ Chỉ huy Quân sự thành phố Hải Phòng", level="province")
    add(
        root, qd, qd_levels, code="qd-hd", name="Bộ Chỉ huy Quân sự tỉnh Hải Dương", level="province",
        valid_to=CLOSED_ON, successor=hp, succession_kind=SuccessionKind.ABSORBED,
    )  # fmt: skip

    ccb_root = add(None, ccb, ccb_levels, code="ccb", name="Trung ương Hội Cựu chiến binh Việt Nam", level="central")
    ccb_hn = add(ccb_root, ccb, ccb_levels, code="ccb-hn", name="Hội Cựu chiến binh thành phố Hà Nội", level="province")
    ccb_hp = add(
        ccb_root, ccb, ccb_levels, code="ccb-hp", name="Hội Cựu chiến binh thành phố Hải Phòng", level="province"
    )
    OrgUnitPair.objects.create(unit_a=hn, unit_b=ccb_hn)

    grants: dict[str, tuple[OrgUnit, str] | None] = {
        "alice": (hn, Role.APPROVER),
        "carol": (hn, Role.UNIT_ADMIN),
        "bob": (ccb_hp, Role.APPROVER),
        "dave": None,
    }
    for name, grant in grants.items():
        user = User.objects.create(username=name, password=_password_hash())
        if grant is not None:
            RoleAssignment.objects.create(user=user, unit=grant[0], role=grant[1])
        world.users[name] = user
    world.users["root"] = User.objects.create(
        username="root", password=_password_hash(), is_staff=True, is_superuser=True
    )

    world.people["gau"] = Person.objects.create(
        full_name="Nguyễn Văn Gấu", birth_year=1975, gender="nam", rank=Rank.DAI_TA,
        positions=["Chỉ huy trưởng"], unit=hn, member_card_number="",
    )  # fmt: skip
    world.people["duc"] = Person.objects.create(
        full_name="Trần Minh Đức", birth_year=1950, gender="nam", positions=["Chủ tịch Hội"],
        unit=ccb_hp, member_card_number="CCB-0001",
    )  # fmt: skip
    world.people["lan"] = Person.objects.create(
        full_name="Lê Thị Lan", birth_year=1955, gender="nu", positions=["Chủ tịch Hội"],
        unit=ccb_root, member_card_number="CCB-0002", is_public_figure=True,
    )  # fmt: skip

    programme = Programme.objects.create(code="ct-09", title="Chương trình phối hợp số 09")
    Party.objects.create(programme=programme, organisation=qd, representative_unit=root, root_unit=root, order=1)
    Party.objects.create(
        programme=programme, organisation=ccb, representative_unit=ccb_root, root_unit=ccb_root, order=2
    )
    field_ = Field.objects.create(programme=programme, code="giao-duc", name="Giáo dục chính trị", order=1)
    phase = Phase.objects.create(
        programme=programme, code="2022-2027", name="2022–2027", start=date(2022, 9, 23), end=date(2027, 9, 22),
        status=PhaseStatus.ACTIVE,
    )  # fmt: skip
    Indicator.objects.create(
        programme=programme, field=field_, code="so-buoi", name="Số buổi tuyên truyền", unit_of_measure="buổi",
        introduced_in=phase,
    )  # fmt: skip
    world.programme, world.phase = programme, phase
    return world


def add_daily_work(world: ApiWorld) -> None:
    """One record of each kind of the daily work, in Ba Đình's command, made through the services
    by the system administrator: an activity, a model, an exchange, a lesson, a proposal, a lock."""
    from phoihop.activities import services as services
    from phoihop.entry import services as entry_services
    from phoihop.records import services as records_services

    root, bd, hn = world.users["root"], world.unit("qd-hn-bd"), world.unit("qd-hn")
    assert world.phase is not None and world.programme is not None
    phase = world.phase
    indicator = Indicator.objects.get(programme=world.programme, code="so-buoi")
    world.records["activity"] = services.activity_create(
        acting_user=root, phase=phase, lead_unit=bd, title="Tuyên truyền Luật Quốc phòng",
        start_date=date(2024, 1, 10), end_date=date(2024, 1, 10), values={indicator: 2},
    )  # fmt: skip
    world.records["practice-model"] = records_services.practice_model_save(
        acting_user=root,
        data={"phase": phase, "name": "Tổ tuyên truyền", "field": indicator.field, "origin_unit": bd,
              "started_on": date(2024, 1, 1)},
    )  # fmt: skip
    world.records["exchange"] = records_services.exchange_send(
        acting_user=root, sender=hn, kind="notice", subject="Thông báo lịch giao ban", body="Thứ Hai hằng tuần.",
        recipients=[bd],
    )  # fmt: skip
    record = {
        "unit": bd,
        "phase": phase,
        "field": indicator.field,
        "content": "Nội dung.",
        "recorded_on": date(2024, 2, 1),
    }
    world.records["lesson"] = records_services.lesson_save(acting_user=root, data={**record, "title": "Bài học"})
    world.records["proposal"] = records_services.proposal_save(acting_user=root, data={**record, "title": "Đề xuất"})
    world.records["lock"] = entry_services.lock_create(
        unit=bd, start=date(2024, 2, 15), end=date(2024, 3, 14), acting_user=root, reason="Báo cáo quý I đã duyệt"
    )


def token_for(user: User) -> str:
    """A fresh API token of ``user`` (knox: the database keeps only its digest), as a program
    gets it from ``POST /api/v1/auth/token/``."""
    from knox.models import AuthToken

    _row, token = AuthToken.objects.create(user=user)
    return str(token)


def token_client(user: User) -> Any:
    """An APIClient that sends ``Authorization: Token <token>`` with a fresh token of ``user``."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


class VersionedAPIClient(APIClient):
    """An API client that sends ``If-Match`` on PUT and PATCH as a careful client does: unless
    the test gives one, it reads the record first and sends back its ETag (``"0"``, which
    matches nothing, when the read gives none, so an unreadable record still answers 404).
    The tests of the precondition itself (tests/test_concurrency.py) use the plain client."""

    def _with_version(self, path: str, extra: dict[str, Any]) -> dict[str, Any]:
        if "HTTP_IF_MATCH" not in extra and "headers" not in extra:
            read = self.get(path)
            etag = read.headers.get("ETag")
            if etag is None and read.status_code == 405:
                etag = self._version_in_list(path)
            extra["HTTP_IF_MATCH"] = etag or '"0"'
        return extra

    def _version_in_list(self, path: str) -> str | None:
        """A row edited at a URL without GET (a conference's co-chairs, delegates, papers): its
        version as the list of its siblings shows it."""
        parent, _, row_id = path.rstrip("/").rpartition("/")
        listing = self.get(parent + "/")
        if listing.status_code != 200:
            return None
        body = listing.json()
        rows = body.get("results", []) if isinstance(body, dict) else body
        for row in rows:
            if str(row.get("id")) == row_id and "version" in row:
                return f'"{row["version"]}"'
        return None

    def patch(self, path: str, *args: Any, **extra: Any) -> Any:  # type: ignore[override]
        return super().patch(path, *args, **self._with_version(path, extra))

    def put(self, path: str, *args: Any, **extra: Any) -> Any:  # type: ignore[override]
        return super().put(path, *args, **self._with_version(path, extra))

"""Personal data (Law 91/2025/QH15; docs/adr/0011-personal-data.md): the access log of
downloads that name people, the "Dữ liệu cá nhân" page, and anonymisation.

Demo people of the Hoàn Kiếm ward association (CCB-X00070): Trần Minh Đức (born 1958, card
HN-0001; named in no other record) and Phạm Văn Thành (nominated and awarded by the demo's
commendation decision: kept by the retention rules). ``hanoi_admin`` and ``camau_admin``
(tests/conftest.py) are unit administrators of the Hà Nội and Cà Mau associations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from phoihop.audit.access import EXPORT, exports_naming
from phoihop.audit.actions import parse
from phoihop.audit.models import ActionLog, ExportedPerson
from phoihop.commendations.models import Award, Decision
from phoihop.conferences.models import Conference
from phoihop.core.services import OutOfScope
from phoihop.orgunits.models import Person
from phoihop.orgunits.services import person_anonymise

pytestmark = pytest.mark.django_db

REASON = "Theo đề nghị của ông Trần Minh Đức ngày 20/11/2026"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person(name: str) -> Person:
    return Person.objects.get(full_name=name)


def data_url(target: Person) -> str:
    return reverse("orgunits:person-data", kwargs={"pk": target.pk})


def awarded_decision() -> Decision:
    award = Award.objects.filter(person__isnull=False).select_related("decision").first()
    assert award is not None, "the demo has an individual award"
    return award.decision


# --- the access log ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["commendations:decision-xlsx", "commendations:decision-docx"])
def test_downloading_a_decision_writes_one_access_log_row(demo_user: Callable[[str], Any], route: str) -> None:
    decision = awarded_decision()
    individuals = set(Award.objects.filter(decision=decision, person__isnull=False).values_list("person_id", flat=True))
    before = ActionLog.objects.filter(action=EXPORT).count()
    admin = demo_user("admin")
    response = signed_in(admin).get(reverse(route, kwargs={"pk": decision.pk}))
    assert response.status_code == 200
    rows = ActionLog.objects.filter(action=EXPORT).order_by("-pk")
    assert rows.count() == before + 1
    log = rows.first()
    assert (log.actor, log.target_id, log.count) == (admin, str(decision.pk), len(individuals))
    assert log.details["format"] == route.rsplit("-", 1)[1]
    assert set(ExportedPerson.objects.filter(log=log).values_list("person_id", flat=True)) == individuals
    for person_id in individuals:
        assert exports_naming(person_id).first() == log


def test_the_api_download_of_a_decision_is_logged_too(demo_user: Callable[[str], Any]) -> None:
    decision = awarded_decision()
    client = APIClient()
    client.force_authenticate(demo_user("admin"))
    before = ActionLog.objects.filter(action=EXPORT, target_id=str(decision.pk)).count()
    response = client.get(f"/api/v1/decisions/{decision.pk}/document/", {"file_format": "xlsx"})
    assert response.status_code == 200
    assert ActionLog.objects.filter(action=EXPORT, target_id=str(decision.pk)).count() == before + 1


def test_a_conference_invitation_naming_its_co_chairs_is_logged(demo_user: Callable[[str], Any]) -> None:
    conference = Conference.objects.filter(cochairs__isnull=False).distinct().first()
    assert conference is not None
    cochairs = set(conference.cochairs.values_list("person_id", flat=True))
    response = signed_in(demo_user("admin")).get(reverse("conferences:invitation", kwargs={"pk": conference.pk}))
    assert response.status_code == 200
    log = ActionLog.objects.filter(action=EXPORT).order_by("-pk").first()
    assert log is not None and log.target_id == str(conference.pk)
    assert set(log.people.values_list("person_id", flat=True)) == cochairs


def test_a_refused_download_writes_no_row(camau_admin: Any) -> None:
    decision = awarded_decision()
    before = ActionLog.objects.filter(action=EXPORT).count()
    response = signed_in(camau_admin).get(reverse("commendations:decision-xlsx", kwargs={"pk": decision.pk}))
    assert response.status_code == 404
    assert ActionLog.objects.filter(action=EXPORT).count() == before


# --- the "Dữ liệu cá nhân" page ---------------------------------------------------------------------


def test_the_unit_admin_sees_everything_held_about_a_person_of_the_subtree(hanoi_admin: Any) -> None:
    thanh = person("Phạm Văn Thành")
    response = signed_in(hanoi_admin).get(data_url(thanh))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phạm Văn Thành" in page and "1952" in page
    mentions = {m.kind for m in response.context["held"].mentions}
    assert {"Được đề nghị khen thưởng", "Được khen thưởng"} <= mentions
    assert 'data-testid="personal-history"' in page and "data-print" in page
    # The person page links to it for those who may open it.
    detail = signed_in(hanoi_admin).get(reverse("orgunits:person", kwargs={"pk": thanh.pk}))
    assert data_url(thanh) in detail.content.decode()


@pytest.mark.parametrize("who", ["camau_admin", "hoankiem.ccb", "hanoi.ccb"])
def test_the_page_is_404_for_another_units_admin_and_for_non_admins(
    who: str, request: pytest.FixtureRequest, demo_user: Callable[[str], Any]
) -> None:
    user = request.getfixturevalue(who) if who.endswith("_admin") else demo_user(who)
    duc = person("Trần Minh Đức")
    assert signed_in(user).get(data_url(duc)).status_code == 404
    assert signed_in(user).post(data_url(duc), {"reason": REASON}).status_code == 404
    duc.refresh_from_db()
    assert duc.full_name == "Trần Minh Đức"
    detail = signed_in(user).get(reverse("orgunits:person", kwargs={"pk": duc.pk}))
    assert data_url(duc) not in detail.content.decode()


def test_the_system_admin_sees_a_person_without_a_unit(demo_user: Callable[[str], Any]) -> None:
    guest = Person.objects.filter(unit__isnull=True).first()
    assert guest is not None
    assert signed_in(demo_user("admin")).get(data_url(guest)).status_code == 200


# --- anonymisation --------------------------------------------------------------------------------


def test_the_unit_admin_anonymises_a_person_with_a_reason(hanoi_admin: Any) -> None:
    duc = person("Trần Minh Đức")
    client = signed_in(hanoi_admin)
    response = client.post(data_url(duc), {"reason": ""})
    assert response.status_code == 200
    assert "Hãy ghi lý do ẩn danh hoá." in response.content.decode()

    response = client.post(data_url(duc), {"reason": REASON})
    assert response.status_code == 302
    duc.refresh_from_db()
    assert duc.full_name == f"Người đã ẩn danh #{duc.pk}"
    assert (duc.birth_year, duc.member_card_number, duc.positions, duc.gender) == (None, "", [], "")
    assert duc.unit is not None and duc.unit.code == "CCB-X00070", "the unit, and so the counts, stay"
    assert not Person.objects.filter(search_text__contains="tran minh duc").exists()
    # The history keeps who did what and why, not the old values.
    rows = list(duc.history.all())
    assert all(r.full_name == duc.full_name and r.birth_year is None for r in rows)
    assert all(r.member_card_number == "" for r in rows)
    assert parse(rows[0].history_change_reason) == ("person.anonymise", REASON)
    assert rows[0].history_user == hanoi_admin
    page = client.get(data_url(duc)).content.decode()
    assert "HN-0001" not in page and "1958" not in page
    assert "Người này đã được ẩn danh hoá." in page


def test_anonymising_is_refused_when_a_retention_rule_keeps_the_person(hanoi_admin: Any) -> None:
    thanh = person("Phạm Văn Thành")
    rows = thanh.history.count()
    client = signed_in(hanoi_admin)
    page = client.get(data_url(thanh)).content.decode()
    assert "Không ẩn danh hoá được vì phải lưu giữ theo quy định" in page
    assert "đã được khen thưởng theo quyết định" in page

    response = client.post(data_url(thanh), {"reason": REASON})
    assert response.status_code == 200
    assert "Không ẩn danh hoá được vì phải lưu giữ theo quy định" in response.content.decode()
    thanh.refresh_from_db()
    assert thanh.full_name == "Phạm Văn Thành" and thanh.birth_year == 1952
    assert thanh.history.count() == rows


def test_the_service_refuses_out_of_scope_and_retained_people(
    camau_admin: Any, demo_user: Callable[[str], Any]
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(OutOfScope):
        person_anonymise(person=person("Trần Minh Đức"), acting_user=camau_admin, reason=REASON)
    with pytest.raises(ValidationError) as refused:
        person_anonymise(person=person("Phạm Văn Thành"), acting_user=demo_user("admin"), reason=REASON)
    assert "phải lưu giữ" in " ".join(refused.value.messages)
    # A co-chair is named in issued documents: kept too.
    cochair = Conference.objects.filter(cochairs__isnull=False).first().cochairs.first().person
    with pytest.raises(ValidationError):
        person_anonymise(person=cochair, acting_user=demo_user("admin"), reason=REASON)

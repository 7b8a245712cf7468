"""A person's identity as the Decree 98 achievement report asks it (birth date, home town,
residence, qualification, distinctions): kept on the person, edited through the service,
printed in the report for those who may read private fields, hidden from the others (the
page, the API and the report), and emptied by an anonymisation."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from phoihop.accounts.models import User
from phoihop.commendations.models import Nomination, NominationStatus
from phoihop.orgunits import services
from phoihop.orgunits.models import Person
from phoihop.orgunits.privacy import ANONYMISED_FIELDS

pytestmark = pytest.mark.django_db

IDENTITY = {
    "birth_date": date(1952, 3, 7),
    "home_town": "xã Thanh Mai, huyện Thanh Oai, thành phố Hà Nội",
    "residence": "số 12 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội",
    "qualification": "Cử nhân Chính trị",
    "distinctions": "Huân chương Chiến công hạng Ba",
}


def nominee() -> tuple[Nomination, Person]:
    nomination = Nomination.objects.filter(person__isnull=False, status=NominationStatus.AWARDED).first()
    assert nomination is not None and nomination.person is not None
    return nomination, nomination.person


def paragraphs(content: bytes) -> list[str]:
    body = Document(io.BytesIO(content)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def with_identity(person: Person) -> Person:
    admin = User.objects.get(username="admin")
    return services.person_update(person=person, acting_user=admin, data=dict(IDENTITY))


def test_the_report_prints_the_identity_for_those_who_may_read_it(
    client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    nomination, person = nominee()
    person = with_identity(person)
    assert person.birth_year == 1952  # the year follows the date

    url = reverse("commendations:nomination-achievement", kwargs={"pk": nomination.pk, "fmt": "docx"})
    own = paragraphs(client_as("hoankiem.ccb").get(url).content)
    assert any(p.startswith("- Sinh ngày 07 tháng 03 năm 1952") for p in own)
    assert f"- Quê quán: {IDENTITY['home_town']}" in own
    assert f"- Trú quán: {IDENTITY['residence']}" in own
    assert f"- Trình độ chuyên môn, nghiệp vụ: {IDENTITY['qualification']}" in own
    assert f"- Học hàm, học vị, danh hiệu, giải thưởng: {IDENTITY['distinctions']}" in own

    # Up the route, the report keeps the name and the achievements, not the private fields.
    api = reverse("api:nomination-achievement-report-file", kwargs={"pk": nomination.pk, "fmt": "docx"})
    far = paragraphs(api_client_as("tcct").get(api).content)
    assert "- Họ tên: " + person.full_name in far
    assert not any(IDENTITY["home_town"] in p or IDENTITY["residence"] in p or "07 tháng 03" in p for p in far)


def test_the_api_hides_the_identity_from_outside_the_unit(api_client_as: Callable[[str], Any]) -> None:
    _nomination, person = nominee()
    with_identity(person)
    url = reverse("api:person-detail", kwargs={"pk": person.pk})
    mine = api_client_as("hoankiem.ccb").get(url).json()
    assert mine["birth_date"] == "1952-03-07" and mine["home_town"] == IDENTITY["home_town"]
    other = api_client_as("camau.ccb").get(url)
    if other.status_code == 200:  # a public figure is seen, without the private fields
        data = other.json()
        assert data["birth_date"] is None and data["home_town"] == "" and data["residence"] == ""
    else:
        assert other.status_code == 404


def test_a_birth_date_in_the_future_or_against_the_year_is_refused() -> None:
    _nomination, person = nominee()
    admin = User.objects.get(username="admin")
    with pytest.raises(ValidationError) as future:
        services.person_update(person=person, acting_user=admin, data={"birth_date": date(2999, 1, 1)})
    assert "Ngày sinh phải từ năm 1900 đến hôm nay." in str(future.value)
    with pytest.raises(ValidationError) as mismatch:
        services.person_update(
            person=person, acting_user=admin, data={"birth_date": date(1960, 1, 1), "birth_year": 1952}
        )
    assert "Năm sinh khác năm của ngày sinh" in str(mismatch.value)


def test_an_anonymisation_empties_the_identity() -> None:
    for field in IDENTITY:
        assert field in ANONYMISED_FIELDS

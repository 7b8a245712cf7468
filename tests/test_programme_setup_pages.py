"""The guided set-up of a programme through the pages (issue 15, item 2): a system
administrator walks the six steps (parties chosen as units, fields, indicators, phases, a
target, the signing), with no code typed; then the refusals, in Vietnamese, on the form, with
what was typed kept and nothing written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Field, Indicator, Party, Phase, Programme, Signing, Target

pytestmark = pytest.mark.django_db

PARTIES = ["QS-QUANGNINH", "CCB-QUANGNINH"]
TITLE = "Chương trình phối hợp giữa Bộ Chỉ huy quân sự và Hội Cựu chiến binh tỉnh Quảng Ninh"


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def create_data(*units: OrgUnit | None, **extra: Any) -> dict[str, Any]:
    """The step-1 form as a browser sends it: the parties' rows carry the ids the pickers hold."""
    data: dict[str, Any] = {
        "title": TITLE,
        "code": "",
        "form-TOTAL_FORMS": str(len(units)),
        "form-INITIAL_FORMS": "0",
        "save": "1",
        **extra,
    }
    for i, u in enumerate(units):
        data[f"form-{i}-organisation"] = u.organisation.code if u is not None else ""
        data[f"form-{i}-unit"] = str(u.pk) if u is not None else ""
    return data


def programme_count() -> int:
    return Programme.objects.unrestricted("test").count()


@pytest.fixture
def admin(client_as: Callable[[str], Any]) -> Any:
    return client_as("admin")


def url(name: str, code: str, **extra: str) -> str:
    return reverse(f"programmes:{name}", kwargs={"code": code, **extra})


def test_a_system_administrator_sets_a_programme_up_through_the_six_steps(admin: Any) -> None:
    # The list offers the set-up; step 1 opens with two empty party rows and its step indicator.
    assert reverse("programmes:create") in admin.get(reverse("programmes:list")).content.decode()
    page = admin.get(reverse("programmes:create"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bước 1/6" in text
    assert text.count('data-testid="party-row"') == 2
    assert 'data-autocomplete-url="/units/autocomplete/' in text or "data-autocomplete-url" in text

    # A third row is added and removed again, without losing the title.
    data = create_data(unit(PARTIES[0]), unit(PARTIES[1]))
    more = admin.post(reverse("programmes:create"), {**data, "add_party": "1"})
    assert more.status_code == 200 and more.content.decode().count('data-testid="party-row"') == 3
    assert TITLE in more.content.decode()
    assert programme_count() == Programme.objects.unrestricted("test").count()

    # Step 1: the programme between two units of different organisations; its code is made for it.
    before = programme_count()
    response = admin.post(reverse("programmes:create"), {**data, "activity_approval": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert programme_count() == before + 1
    programme = Programme.objects.unrestricted("test").get(title=TITLE)
    assert programme.code == "qs-quangninh-ccb-quangninh"
    assert programme.activity_approval is True
    parties = Party.objects.unrestricted("test").filter(programme=programme).order_by("order")
    assert [p.representative_unit.code for p in parties] == PARTIES
    code = programme.code
    assert response["Location"] == url("setup-fields", code)

    # The programme's page says what is still missing, with links to the steps.
    detail = admin.get(url("detail", code)).content.decode()
    assert "Chưa có lĩnh vực phối hợp nào." in detail and url("setup-fields", code) in detail
    assert "Chưa có giai đoạn nào." in detail and url("setup-phases", code) in detail

    # Step 2: a field, then renamed and reordered.
    page = admin.get(url("setup-fields", code)).content.decode()
    assert "Bước 2/6" in page
    assert admin.post(url("setup-fields", code), {"add-name": "Tuyen truyen", "add-order": "1"}).status_code == 302
    field = Field.objects.unrestricted("test").get(programme=programme)
    response = admin.post(
        url("setup-fields", code),
        {"field": str(field.pk), f"f{field.pk}-name": "Tuyên truyền, giáo dục", f"f{field.pk}-order": "2"},
    )
    assert response.status_code == 302
    field.refresh_from_db()
    assert (field.name, field.order) == ("Tuyên truyền, giáo dục", 2)
    assert field.history.latest().history_user.username == "admin"  # through the service, audited

    # Step 3: two indicators, their codes made from their names.
    for name, unit_of_measure in (("Số buổi tuyên truyền", "buổi"), ("Số lượt người tham gia", "lượt người")):
        response = admin.post(
            url("setup-indicators", code),
            {
                "add-field": str(field.pk),
                "add-name": name,
                "add-unit_of_measure": unit_of_measure,
                "add-aggregation": "sum",
                "add-code": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    indicators = Indicator.objects.unrestricted("test").filter(programme=programme).order_by("order")
    assert [(i.code, i.unit_of_measure, i.field_id) for i in indicators] == [
        ("so-buoi-tuyen-truyen", "buổi", field.pk),
        ("so-luot-nguoi-tham-gia", "lượt người", field.pk),
    ]
    first = indicators[0]
    response = admin.post(
        url("setup-indicators", code),
        {
            "indicator": str(first.pk),
            f"i{first.pk}-name": "Số buổi tuyên truyền chung",
            f"i{first.pk}-unit_of_measure": "buổi",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.name == "Số buổi tuyên truyền chung" and first.code == "so-buoi-tuyen-truyen"

    # Step 4: two phases meeting on their boundary day; names and codes from their years.
    for start, end, status in (("2021-01-01", "2026-01-01", "closed"), ("2026-01-01", "2030-12-31", "active")):
        response = admin.post(
            url("setup-phases", code), {"start": start, "end": end, "status": status, "name": "", "code": ""}
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    phases = Phase.objects.unrestricted("test").filter(programme=programme).order_by("start")
    assert [(p.code, p.name, p.status) for p in phases] == [
        ("2021-2026", "2021–2026", "closed"),
        ("2026-2030", "2026–2030", "active"),
    ]
    current = phases[1]

    # Step 5: the active phase is offered; a target for a party's unit, back to the step.
    page = admin.get(url("setup-targets", code)).content.decode()
    assert "Bước 5/6" in page and reverse("programmes:target-set", args=[code, current.code]) in page
    back = re.search(r'name="next" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    response = admin.post(
        reverse("programmes:target-set", args=[code, current.code]),
        {"unit": unit("CCB-QUANGNINH").pk, "indicator": first.pk, "value": "24", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    target = Target.objects.unrestricted("test").get(phase=current)
    assert (target.unit.code, target.indicator_id, target.value) == ("CCB-QUANGNINH", first.pk, 24)

    # Step 6: the signing of each phase, through the phase's signing page and back.
    page = admin.get(url("setup-signing", code)).content.decode()
    assert "Bước 6/6" in page and "Chưa có thông tin ký kết." in page
    back = url("setup-signing", code)
    signing_url = reverse("programmes:signing-edit", args=[code, current.code])
    assert f"{signing_url}?next=" in page
    assert "Bước 6/6" in admin.get(signing_url, {"next": back}).content.decode()
    response = admin.post(
        signing_url,
        {"signed_on": "2025-12-20", "place": "Hạ Long", "document_number": "05/CTPH", "note": "", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Signing.objects.unrestricted("test").get(phase=current).place == "Hạ Long"

    # What is left shows on the programme's page: only the first phase's signing.
    detail = admin.get(url("detail", code)).content.decode()
    assert "Chưa có lĩnh vực phối hợp nào." not in detail and "Chưa có giai đoạn nào." not in detail
    assert "Giai đoạn chưa có thông tin ký kết: 2021–2026." in detail


def post_create(client: Any, *units: OrgUnit | None, **extra: Any) -> Any:
    return client.post(reverse("programmes:create"), create_data(*units, **extra))


def test_it_refuses_fewer_than_two_parties_and_keeps_what_was_typed(admin: Any) -> None:
    before = programme_count()
    response = post_create(admin, unit("CCB-QUANGNINH"), None)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chương trình phối hợp phải có ít nhất hai bên ký kết." in text
    assert TITLE in text
    assert "Hội Cựu chiến binh" in text or str(unit("CCB-QUANGNINH").pk) in text  # the chosen unit stays
    assert programme_count() == before


def test_it_refuses_two_parties_of_the_same_organisation(admin: Any) -> None:
    same = OrgUnit.objects.filter(organisation=unit("CCB-QUANGNINH").organisation, depth=1).exclude(
        code="CCB-QUANGNINH"
    )[0]
    before = programme_count()
    response = post_create(admin, unit("CCB-QUANGNINH"), same)
    assert response.status_code == 200
    assert "mỗi bên ký kết phải là một tổ chức khác nhau" in response.content.decode()
    assert programme_count() == before


def test_it_refuses_a_code_already_taken_on_the_code_field(admin: Any) -> None:
    taken = Programme.objects.unrestricted("test").first().code
    before = programme_count()
    response = post_create(admin, unit(PARTIES[0]), unit(PARTIES[1]), code=taken)
    assert response.status_code == 200
    assert f"Đã có chương trình mã “{taken}”." in response.content.decode()
    assert programme_count() == before


@pytest.fixture
def programme(admin: Any) -> Programme:
    assert post_create(admin, unit(PARTIES[0]), unit(PARTIES[1])).status_code == 302
    return Programme.objects.unrestricted("test").get(title=TITLE)


def test_it_refuses_overlapping_phases_and_an_end_before_the_start(admin: Any, programme: Programme) -> None:
    phases_url = url("setup-phases", programme.code)
    ok = {"start": "2023-01-01", "end": "2028-01-01", "status": "active", "name": "", "code": ""}
    assert admin.post(phases_url, ok).status_code == 302

    overlapping = {**ok, "start": "2027-06-01", "end": "2032-06-01", "name": "Giai đoạn thử"}
    response = admin.post(phases_url, overlapping)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Giai đoạn trùng thời gian với giai đoạn 2023–2028 (1/1/2023 – 1/1/2028) của chương trình." in text
    assert 'value="Giai đoạn thử"' in text and 'value="2027-06-01"' in text

    backwards = {**ok, "start": "2035-01-01", "end": "2033-01-01"}
    response = admin.post(phases_url, backwards)
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    assert list(Phase.objects.unrestricted("test").filter(programme=programme).values_list("start", flat=True)) == [
        date(2023, 1, 1)
    ]


def test_it_refuses_an_indicator_code_used_twice_in_the_programme(admin: Any, programme: Programme) -> None:
    admin.post(url("setup-fields", programme.code), {"add-name": "An ninh trật tự", "add-order": "1"})
    field = Field.objects.unrestricted("test").get(programme=programme)
    indicators_url = url("setup-indicators", programme.code)
    data = {
        "add-field": str(field.pk),
        "add-name": "Số vụ việc",
        "add-unit_of_measure": "vụ",
        "add-aggregation": "sum",
        "add-code": "vu-viec",
    }
    assert admin.post(indicators_url, data).status_code == 302
    response = admin.post(indicators_url, {**data, "add-name": "Số vụ việc được hoà giải"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Mã chỉ tiêu “vu-viec” đã được dùng trong chương trình này." in text
    assert 'value="Số vụ việc được hoà giải"' in text
    assert Indicator.objects.unrestricted("test").filter(programme=programme).count() == 1


def test_it_refuses_a_field_renamed_to_another_fields_name(admin: Any, programme: Programme) -> None:
    fields_url = url("setup-fields", programme.code)
    admin.post(fields_url, {"add-name": "An ninh trật tự", "add-order": "1"})
    admin.post(fields_url, {"add-name": "Tuyên truyền", "add-order": "2"})
    second = Field.objects.unrestricted("test").get(programme=programme, name="Tuyên truyền")
    response = admin.post(
        fields_url, {"field": str(second.pk), f"f{second.pk}-name": "an ninh trat tu", f"f{second.pk}-order": "2"}
    )
    assert response.status_code == 200
    assert "Chương trình đã có lĩnh vực “an ninh trat tu”." in response.content.decode()
    second.refresh_from_db()
    assert second.name == "Tuyên truyền"


def test_the_steps_are_for_the_programmes_managers_only(
    client_as: Callable[[str], Any], programme: Programme, hanoi_admin: Any
) -> None:
    from django.test import Client

    reporter = client_as("hanoi.ccb")
    assert reporter.get(reverse("programmes:create")).status_code == 403
    assert reverse("programmes:create") not in reporter.get(reverse("programmes:list")).content.decode()
    # A unit administrator of another province does not even see the new programme.
    other = Client()
    other.force_login(hanoi_admin)
    for step in ("setup-fields", "setup-indicators", "setup-phases", "setup-targets", "setup-signing"):
        assert other.get(url(step, programme.code)).status_code == 404, step
    before = Field.objects.unrestricted("test").count()
    assert other.post(url("setup-fields", programme.code), {"add-name": "X", "add-order": "1"}).status_code == 404
    assert Field.objects.unrestricted("test").count() == before


def test_a_unit_administrator_sets_up_a_programme_of_their_own_unit(
    hanoi_admin: Any, client_as: Callable[[str], Any]
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(hanoi_admin)
    assert client.get(reverse("programmes:create")).status_code == 200
    response = post_create(client, unit("CCB-HANOI"), unit("QS-HANOI"), code="ct-hanoi-thu")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.get(url("setup-fields", "ct-hanoi-thu")).status_code == 200


def test_a_party_units_signatory_is_added_on_the_signing_step(admin: Any, programme: Programme) -> None:
    from phoihop.reporting.models import Signatory

    ccb = unit("CCB-QUANGNINH")
    page = admin.get(url("setup-signing", programme.code)).content.decode()
    assert "Người ký của các cơ quan ký kết" in page and "Bộ Chỉ huy Quân sự tỉnh Quảng Ninh" in page
    data = {
        "unit": str(ccb.pk),
        "capacity": "KT.",
        "collective": "CHỦ TỊCH",
        "title": "PHÓ CHỦ TỊCH",
        "rank": "",
        "full_name": "Nguyễn Văn Thử",
        "valid_from": "2026-01-01",
    }
    # An end before the start is no date a form can send here; a missing name is refused, kept.
    response = admin.post(url("setup-signing", programme.code), {**data, "full_name": ""})
    assert response.status_code == 200 and 'value="PHÓ CHỦ TỊCH"' in response.content.decode()
    assert not Signatory.objects.unrestricted("test").filter(unit=ccb, title="PHÓ CHỦ TỊCH").exists()
    response = admin.post(url("setup-signing", programme.code), data)
    assert response.status_code == 302
    signatory = Signatory.objects.unrestricted("test").get(unit=ccb, full_name="Nguyễn Văn Thử")
    assert signatory.signer_line == "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH Nguyễn Văn Thử"
    assert signatory.history.latest().history_user.username == "admin"
    assert (
        "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH Nguyễn Văn Thử" in admin.get(url("setup-signing", programme.code)).content.decode()
    )

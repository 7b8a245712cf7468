"""No lost update: every edited record carries a version (phoihop.core.models.Versioned).

A page that saves over a version someone else has saved meanwhile keeps the user's text and
shows what changed; the API answers ``ETag`` on detail reads, 412 to a stale ``If-Match`` and
428 to a PUT or PATCH without one (phoihop/api/concurrency.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from rest_framework.test import APIClient

from phoihop.activities import services as activity_services
from phoihop.activities.models import Activity
from phoihop.core.services import Conflict, check_version
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase
from phoihop.records.models import Lesson

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 5)


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def ind() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(programme__code="QDND-CCB")}


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def make_activity(demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]) -> Activity:
    return activity_services.activity_create(
        acting_user=demo_user("hoankiem.ccb"),
        phase=phase,
        lead_unit=unit("CCB-X00070"),
        title="Tuyên truyền Luật Cựu chiến binh",
        start_date=DAY,
        end_date=DAY,
        values={ind["tt-buoi"]: 2},
        partners=[unit("QS-X00070")],
    )


def activity_form(activity: Activity, ind: dict[str, Indicator], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "phase": activity.phase_id,
        "title": activity.title,
        "start_date": DAY.isoformat(),
        "end_date": DAY.isoformat(),
        "area": "",
        "place": "",
        "lead_unit": unit("CCB-X00070").pk,
        "partners": [unit("QS-X00070").pk],
        "participants_lead": 0,
        "participants_partner": 0,
        "description": "",
        "action": "draft",
        f"value_{ind['tt-buoi'].pk}": 2,
    }
    data.update(changes)
    return data


# --- the one mechanism ----------------------------------------------------------------------


def test_every_save_takes_a_new_version_and_a_stale_one_is_refused(
    demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make_activity(demo_user, phase, ind)
    assert activity.version == 1
    first = activity_services.activity_update(
        activity=activity, acting_user=demo_user("hoankiem.ccb"), data={"place": "Nhà văn hóa"}, expected_version=1
    )
    assert first.version == 2
    with pytest.raises(Conflict) as refused:
        activity_services.activity_update(
            activity=activity, acting_user=demo_user("hoankiem.ccb"), data={"place": "Sân bóng"}, expected_version=1
        )
    assert refused.value.current_version == 2
    activity.refresh_from_db()
    assert (activity.place, activity.version) == ("Nhà văn hóa", 2)
    # An internal save (a status change) takes a version too, so an edit opened before it is stale.
    activity_services.activity_submit(activity=activity, acting_user=demo_user("hoankiem.ccb"))
    activity.refresh_from_db()
    assert activity.version == 3


def test_the_compare_and_increment_is_one_statement(
    demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    """Two writers who both read version 1: the first increment wins, the second finds none left."""
    activity = make_activity(demo_user, phase, ind)
    one, two = (
        Activity.objects.unrestricted("test").get(pk=activity.pk),
        Activity.objects.unrestricted("test").get(pk=activity.pk),
    )
    check_version(one, 1)
    with pytest.raises(Conflict):
        check_version(two, 1)
    assert Activity.objects.unrestricted("test").get(pk=activity.pk).version == 2


# --- pages ------------------------------------------------------------------------------------


def test_a_stale_activity_page_save_keeps_the_text_and_shows_the_difference(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make_activity(demo_user, phase, ind)
    url = reverse("activities:edit", args=[activity.pk])
    first, second = client_as("hoankiem.ccb"), client_as("hanoi.ccb")
    assert 'name="version" value="1"' in first.get(url).content.decode()
    saved = first.post(
        url, activity_form(activity, ind, version=1, title="Giao ban quý IV", **{f"value_{ind['tt-buoi'].pk}": 5})
    )
    assert saved.status_code == 302

    stale = second.post(url, activity_form(activity, ind, version=1, description="Nội dung người thứ hai soạn rất dài"))
    assert stale.status_code == 200
    page = stale.content.decode()
    assert "Nội dung người thứ hai soạn rất dài" in page
    assert "trong khi bạn đang sửa" in page
    diff = re.findall(r'<tr data-testid="stale-row">(.*?)</tr>', page, re.S)
    assert any("Giao ban quý IV" in row and "Tuyên truyền Luật Cựu chiến binh" in row for row in diff), diff
    assert any(">5<" in row and ">2<" in row for row in diff), diff  # the indicator value
    assert 'name="version" value="2"' in page
    activity.refresh_from_db()
    assert (activity.title, activity.description, activity.version) == ("Giao ban quý IV", "", 2)
    assert dict(activity.values.values_list("indicator__code", "value")) == {"tt-buoi": 5}

    # Saved again with the refreshed version, the second writer's text goes in.
    again = second.post(
        url, activity_form(activity, ind, version=2, title="Giao ban quý IV", description="Nội dung người thứ hai")
    )
    assert again.status_code == 302
    activity.refresh_from_db()
    assert (activity.description, activity.version) == ("Nội dung người thứ hai", 3)


def test_a_stale_lesson_page_save_is_refused(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any]
) -> None:
    lesson = Lesson.objects.restrict(demo_user("hanoi.ccb"), "change").order_by("pk").first()
    assert lesson is not None
    url = reverse("records:lesson-edit", args=[lesson.pk])
    client = client_as("hanoi.ccb")
    page = client.get(url).content.decode()
    version = int(re.search(r'name="version" value="(\d+)"', page).group(1))  # type: ignore[union-attr]
    form = {k: v for k, v in _form_fields(page).items() if k != "csrfmiddlewaretoken"}
    assert client.post(url, {**form, "content": "Bản của người thứ nhất", "version": version}).status_code == 302
    stale = client.post(url, {**form, "content": "Bản của người thứ hai", "version": version})
    assert stale.status_code == 200
    text = stale.content.decode()
    assert "Bản của người thứ hai" in text and 'data-testid="stale-row"' in text
    lesson.refresh_from_db()
    assert lesson.content == "Bản của người thứ nhất"


def _form_fields(page: str) -> dict[str, str]:
    """The named inputs, textareas and selected options of the page's form (enough to resubmit)."""
    fields: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        fields.setdefault(name, value)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[name] = value.strip()
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


# --- API -------------------------------------------------------------------------------------


def test_the_api_answers_an_etag_and_refuses_a_stale_or_missing_if_match(
    demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    activity = make_activity(demo_user, phase, ind)
    url = reverse("api:activity-detail", args=[activity.pk])
    first, second = api(demo_user("hoankiem.ccb")), api(demo_user("hanoi.ccb"))
    read = first.get(url)
    assert read.headers["ETag"] == '"1"' and read.json()["version"] == 1

    missing = first.patch(url, {"title": "Không có If-Match"}, format="json")
    assert missing.status_code == 428
    assert "If-Match" in missing.json()["detail"]

    saved = first.patch(url, {"values": [{"indicator": "tt-buoi", "value": 7}]}, format="json", HTTP_IF_MATCH='"1"')
    assert saved.status_code == 200, saved.json()
    assert saved.headers["ETag"] == '"2"'

    stale = second.patch(url, {"values": [{"indicator": "tt-buoi", "value": 1}]}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.json()["version"] == 2 and "phiên bản hiện tại" in stale.json()["detail"]
    assert stale.headers["ETag"] == '"2"'
    assert dict(activity.values.values_list("indicator__code", "value")) == {"tt-buoi": 7}

    weak = second.patch(url, {"title": "Sửa lại"}, format="json", HTTP_IF_MATCH='W/"2"')
    assert weak.status_code == 200 and weak.json()["version"] == 3


def test_the_api_refuses_a_stale_lesson(demo_user: Callable[[str], Any]) -> None:
    lesson = Lesson.objects.restrict(demo_user("hanoi.ccb"), "change").order_by("pk").first()
    assert lesson is not None
    url = reverse("api:lesson-detail", args=[lesson.pk])
    client = api(demo_user("hanoi.ccb"))
    tag = client.get(url).headers["ETag"]
    assert client.patch(url, {"content": "Một"}, format="json").status_code == 428
    assert client.patch(url, {"content": "Một"}, format="json", HTTP_IF_MATCH=tag).status_code == 200
    assert client.patch(url, {"content": "Hai"}, format="json", HTTP_IF_MATCH=tag).status_code == 412
    lesson.refresh_from_db()
    assert lesson.content == "Một"


def _api_update_routes() -> Iterator[tuple[str, str]]:
    """(route name, method) of every API route that takes PUT or PATCH, from the URL resolver."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api" and pattern.name:
                yield pattern.name, pattern.callback

    for name, callback in walk(get_resolver().url_patterns, ""):
        actions = getattr(callback, "actions", None)
        cls = getattr(callback, "cls", None)
        methods = set(actions) if actions is not None else {m for m in ("put", "patch") if cls and hasattr(cls, m)}
        for method in sorted(methods & {"put", "patch"}):
            yield name, method


UPDATE_ROUTES = sorted(set(_api_update_routes()))


def _url(name: str) -> str:
    for sample in ("1", "ABC"):
        for extra in ({}, {"row_id": "1"}):
            try:
                return reverse(f"api:{name}", kwargs={"pk": sample, **extra})
            except NoReverseMatch:
                pass
            try:
                return reverse(f"api:{name}", kwargs={"code": sample, **extra})
            except NoReverseMatch:
                pass
    raise AssertionError(f"no sample URL for api:{name}")


def test_the_update_routes_are_found() -> None:
    names = {name for name, _method in UPDATE_ROUTES}
    assert {"activity-detail", "lesson-detail", "conference-delegate"} <= names


@pytest.mark.parametrize(("name", "method"), UPDATE_ROUTES)
def test_every_update_route_requires_if_match(demo_user: Callable[[str], Any], name: str, method: str) -> None:
    client = api(demo_user("admin"))
    response = getattr(client, method)(_url(name), {}, format="json")
    assert response.status_code == 428, (name, response.status_code)

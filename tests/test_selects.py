"""No drop-down sends thousands of options: every choice that can grow past about 200 (a unit, a
person, an activity) is a searchable picker (core/widgets.py) that holds only what is chosen.

Every page of the main menu, and the create and edit pages of units, people, activities,
nominations, users and roles, programmes, conferences and exchanges, is rendered for the system
administrator (6,700 units in view) and for the central association (tcct); no <select> on them
has more than 200 <option>. The user-role page for admin, once 515 kB, is small and fast. The
pickers' endpoints answer only what the user may see, and find "Nguyễn Văn" from "nguyen van".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from phoihop.activities.models import Activity
from phoihop.commendations.models import Nomination
from phoihop.conferences.models import Conference
from phoihop.core.gate import STRUCTURE
from phoihop.core.permissions import perms
from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Phase

pytestmark = pytest.mark.django_db

MAX_OPTIONS = 200
USERS = ["admin", "tcct"]
SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S | re.I)
NAME = re.compile(r'name="([^"]*)"')
NAV = re.compile(r"<nav\b.*?</nav>", re.S | re.I)
HREF = re.compile(r'href="([^"#]+)"')
# Menu links that are no form page of the app: leaving, the API's docs, the Django admin.
NOT_PAGES = ("/logout", "/admin/", "/api/", "/i18n/", "/static/")


def selects_of(html: str) -> dict[str, int]:
    """Each <select> of a page (by name) and how many options it sends."""
    out = {}
    for attrs, body in SELECT.findall(html):
        name = NAME.search(attrs)
        out[name.group(1) if name else attrs.strip()[:60]] = len(re.findall(r"<option\b", body, re.I))
    return out


def menu_pages(client: Client) -> list[str]:
    html = client.get("/").content.decode()
    links: set[str] = set()
    for nav in NAV.findall(html):
        for href in HREF.findall(nav):
            path = urlsplit(href).path
            if path.startswith("/") and not any(path.startswith(p) for p in NOT_PAGES):
                links.add(href.replace("&amp;", "&"))
    return sorted(links)


def form_pages(username: str, user: Any) -> list[str]:
    """The create and edit pages, each on an object the user may change (when there is one)."""
    pages = [
        reverse("orgunits:person-create"),
        reverse("activities:create"),
        reverse("commendations:nomination-create"),
        reverse("accounts:user-create"),
        reverse("conferences:create"),
        reverse("records:exchange-create"),
        reverse("records:model-create"),
        reverse("records:lesson-create"),
        reverse("records:proposal-create"),
        reverse("reporting:period-create"),
        reverse("entry:form"),
        reverse("programmes:list"),
    ]
    unit = OrgUnit.objects.restrict(user, "manage").order_by("-depth").first()
    if unit is not None:
        pages += [
            reverse(f"orgunits:{name}", args=[unit.pk])
            for name in ("unit-edit", "unit-close", "unit-merge", "unit-add", "unit-rename", "unit-pairs")
        ]
    person = Person.objects.restrict(user, "change").first()
    if person is not None:
        pages.append(reverse("orgunits:person-edit", args=[person.pk]))
    activity = Activity.objects.restrict(user, "change").filter(status__in=["draft", "returned"]).first()
    if activity is not None:
        pages.append(reverse("activities:edit", args=[activity.pk]))
    nomination = Nomination.objects.restrict(user, "change").first()
    if nomination is not None:
        pages += [
            reverse("commendations:nomination-edit", args=[nomination.pk]),
            reverse("commendations:nomination-detail", args=[nomination.pk]),
        ]
    conference = Conference.objects.restrict(user, "change").first()
    if conference is not None:
        pages += [
            reverse("conferences:edit", args=[conference.pk]),
            reverse("conferences:detail", args=[conference.pk]),
        ]
    phase = Phase.objects.restrict(user, "view").select_related("programme").first()
    if phase is not None:
        code, slug = phase.programme.code, phase.code
        pages += [
            reverse("programmes:detail", args=[code]),
            reverse("programmes:edit", args=[code]),
            reverse("programmes:phase", args=[code, slug]),
            reverse("programmes:phase-edit", args=[code, slug]),
        ]
    # Users and their roles: the page of another user carries the role form.
    if perms(user).is_system_admin:
        pages.append(reverse("accounts:user", args=[get_user_model().objects.get(username="hanoi.ccb").pk]))
    return pages


@pytest.mark.parametrize("username", USERS)
def test_no_select_sends_more_than_200_options(
    client_as: Callable[[str], Client], demo_user: Any, username: str
) -> None:
    client = client_as(username)
    pages = menu_pages(client)
    assert len(pages) >= 10, pages  # the menu was read: a broken pattern must not pass empty
    pages += form_pages(username, demo_user(username))
    too_long: dict[str, dict[str, int]] = {}
    seen_selects = 0
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), (url, response.status_code)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        selects = selects_of(response.content.decode())
        seen_selects += len(selects)
        big = {name: n for name, n in selects.items() if n > MAX_OPTIONS}
        if big:
            too_long[url] = big
    assert seen_selects > 20  # the pages do have selects
    assert not too_long, too_long


def test_the_user_role_page_of_admin_is_small(client_as: Callable[[str], Client], demo_user: Any) -> None:
    client = client_as("admin")
    target = demo_user("hanoi.ccb")
    url = reverse("accounts:user", args=[target.pk])
    client.get(url)  # warm: templates compiled, caches filled
    # Its server CPU time is measured by bench/pages.py ("user roles (admin)"): tests hold no timings.
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="unit"' in html and "data-autocomplete-url" in html  # the role form is there, with a picker
    assert len(response.content) < 100_000, len(response.content)


def test_a_unit_picker_shows_the_chosen_unit_by_name_and_sends_no_other(
    client_as: Callable[[str], Client], demo_user: Any
) -> None:
    """A form sent back with an error keeps the chosen unit, readable, and only it."""
    client = client_as("admin")
    target = demo_user("hanoi.ccb")
    unit = OrgUnit.objects.unrestricted(STRUCTURE).get(code="CCB-HANOI")
    response = client.post(reverse("accounts:role-add", args=[target.pk]), {"role": "nonsense", "unit": unit.pk})
    if response.status_code == 302:  # the view redirects with a message: read the page it shows
        response = client.get(response["Location"])
    html = response.content.decode()
    select = next(body for attrs, body in SELECT.findall(html) if 'name="unit"' in attrs)
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)<', select)
    assert [value for value, _ in options if value] in ([], [str(unit.pk)])


# --- the endpoints --------------------------------------------------------------------------------


def results(client: Client, name: str, **params: str) -> list[dict[str, Any]]:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) <= 20
    return rows  # type: ignore[no-any-return]


def hanoi_paths() -> list[str]:
    return list(
        OrgUnit.objects.unrestricted(STRUCTURE)
        .filter(code__in=["CCB-HANOI", "QS-HANOI"])
        .values_list("path", flat=True)
    )


def test_camau_never_gets_a_hanoi_unit_person_or_activity(client_as: Callable[[str], Client]) -> None:
    camau = client_as("camau.ccb")
    paths = hanoi_paths()
    assert len(paths) == 2
    hanoi_units = set(
        OrgUnit.objects.unrestricted(STRUCTURE).filter(path__startswith=paths[0]).values_list("pk", flat=True)
    ) | set(OrgUnit.objects.unrestricted(STRUCTURE).filter(path__startswith=paths[1]).values_list("pk", flat=True))
    for q in ("ha noi", "hoan kiem", "Hà Nội", ""):
        for action in ("view", "change", "manage"):
            rows = results(camau, "orgunits:autocomplete", q=q, action=action)
            assert not {r["id"] for r in rows} & hanoi_units, (q, action)
    # The same queries do find Hà Nội units for the system administrator: they are aimed.
    assert {r["id"] for r in results(client_as("admin"), "orgunits:autocomplete", q="ha noi")} & hanoi_units

    hanoi_people = set(
        Person.objects.unrestricted(STRUCTURE).filter(unit_id__in=hanoi_units).values_list("pk", flat=True)
    )
    assert hanoi_people
    someone = Person.objects.unrestricted(STRUCTURE).filter(pk__in=hanoi_people, is_public_figure=False).first()
    queries = ["ha noi", "hoan kiem", ""] + ([fold(someone.full_name)] if someone else [])
    for q in queries:
        rows = results(camau, "orgunits:person-autocomplete", q=q)
        private = {r["id"] for r in rows} & hanoi_people
        public = set(
            Person.objects.unrestricted(STRUCTURE)
            .filter(pk__in=private, is_public_figure=True)
            .values_list("pk", flat=True)
        )
        assert private == public, q  # a Hà Nội person only if a public figure, as the people's list
        rows = results(camau, "orgunits:person-autocomplete", q=q, action="change")
        assert not {r["id"] for r in rows} & hanoi_people, q

    hanoi_activities = set(
        Activity.objects.unrestricted(STRUCTURE)
        .filter(lead_unit_id__in=hanoi_units)
        .exclude(partners__in=OrgUnit.objects.unrestricted(STRUCTURE).exclude(pk__in=hanoi_units))
        .values_list("pk", flat=True)
    )
    assert hanoi_activities
    title = Activity.objects.unrestricted(STRUCTURE).get(pk=min(hanoi_activities)).title
    for q in ("ha noi", fold(title), ""):
        rows = results(camau, "activities:autocomplete", q=q)
        assert not {r["id"] for r in rows} & hanoi_activities, q
    assert {r["id"] for r in results(client_as("admin"), "activities:autocomplete", q=fold(title))}


def test_typed_without_diacritics_nguyen_van_finds_nguyen_van(client_as: Callable[[str], Client]) -> None:
    rows = results(client_as("admin"), "orgunits:person-autocomplete", q="nguyen van")
    assert rows
    assert all(fold(r["text"]).find("nguyen van") >= 0 or "nguyen van" in r["search"] for r in rows)
    assert any("Nguyễn Văn" in r["text"] for r in rows)
    # Upper case and marks typed are the same search.
    assert {r["id"] for r in results(client_as("admin"), "orgunits:person-autocomplete", q="NGUYỄN Văn")} == {
        r["id"] for r in rows
    }
    units = results(client_as("admin"), "orgunits:autocomplete", q="hoan kiem")
    assert any("Hoàn Kiếm" in r["text"] for r in units)


def test_a_result_reads_as_a_name_with_its_level_and_province_not_a_code(client_as: Callable[[str], Client]) -> None:
    rows = results(client_as("admin"), "orgunits:autocomplete", q="hoan kiem")
    commune = next(r for r in rows if r["code"].startswith("CCB-"))
    unit = OrgUnit.objects.unrestricted(STRUCTURE).select_related("level").get(pk=commune["id"])
    assert commune["text"].startswith(unit.name)
    assert unit.level.name in commune["text"]
    assert "Hà Nội" in commune["text"]
    assert unit.code not in commune["text"]


def test_a_reporting_period_is_found_by_its_name_typed_without_diacritics(client_as: Callable[[str], Client]) -> None:
    rows = results(client_as("tcct"), "reporting:period-autocomplete", q="6 thang dau nam 2026")
    assert rows
    assert rows[0]["text"].startswith("6 tháng đầu năm 2026")  # the words together come first
    assert all(all(w in r["search"] for w in ("6", "thang", "dau", "nam", "2026")) for r in rows)
    assert [r["id"] for r in results(client_as("tcct"), "reporting:period-autocomplete", q="")]  # newest first

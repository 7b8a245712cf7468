"""Every route of the API, generated from the router: who gets in, and what outsiders see.

Also the schema (generated without warnings) and the Swagger UI (served without any CDN).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, reverse
from rest_framework.test import APIClient

from phoihop.activities import api as activities
from phoihop.api.urls import router
from phoihop.entry import api as entry
from phoihop.orgunits import api as orgunits
from phoihop.programmes import api as programmes
from phoihop.records import api as records
from tests.support.api_world import ApiWorld, add_daily_work, build_world

pytestmark = pytest.mark.django_db

# The routes of the units, programmes and the daily work (the later apps' routes have their
# own worlds in the scoping matrix).
BASENAMES = {basename for app in (orgunits, programmes, activities, entry, records) for _, basename, _ in app.ROUTES}


def _ours(pattern: Any) -> bool:
    return isinstance(pattern, URLPattern) and any(str(pattern.name).startswith(f"{b}-") for b in BASENAMES)


ROUTES: list[tuple[str, list[str]]] = [
    (str(pattern.name), sorted(pattern.pattern.regex.groupindex)) for pattern in router.urls if _ours(pattern)
]
# The routes that answer GET (actions such as "submit" answer only POST).
GET_ROUTES: list[tuple[str, list[str]]] = [
    (str(pattern.name), sorted(pattern.pattern.regex.groupindex))
    for pattern in router.urls
    if _ours(pattern) and "get" in getattr(pattern.callback, "actions", {})
]
# What a user with no role may read: reference data only (organisations); everything else in
# a detail route is "not found" to them.
OPEN_TO_EVERYONE = {"organisation"}


@pytest.fixture
def world(db: Any) -> ApiWorld:
    world = build_world()
    add_daily_work(world)
    return world


def url_for(world: ApiWorld, name: str, kwargs: list[str]) -> str:
    basename = name.rsplit("-", 1)[0]
    samples: dict[str, Any] = {
        "organisation": "tqd",
        "unit": world.unit("qd-hn").pk,
        "person": world.people["gau"].pk,
        "programme": "ct-09",
        "phase": world.phase.pk if world.phase else None,
        **{basename: record.pk for basename, record in world.records.items()},
    }
    return reverse(f"api:{name}", kwargs={key: samples[basename] for key in kwargs})


def test_the_router_has_the_expected_routes() -> None:
    assert sorted(name for name, _ in ROUTES) == sorted(
        [
            *(
                f"{basename}-{kind}"
                for basename in (
                    "organisation", "unit", "person", "programme", "phase",
                    "activity", "practice-model", "exchange", "lesson", "proposal", "lock",
                )
                for kind in ("list", "detail")
            ),
            "activity-submit", "activity-withdraw", "activity-approve", "activity-return", "entered-figure-list",
            "practice-model-replications", "exchange-read", "lock-reopen", "unit-close",
            "field-list", "indicator-list",
        ]
    )  # fmt: skip


@pytest.mark.parametrize(("name", "kwargs"), ROUTES)
@pytest.mark.parametrize("method", ["get", "post", "patch"])
def test_it_answers_401_to_anonymous_users_on_every_route(
    world: ApiWorld, name: str, kwargs: list[str], method: str
) -> None:
    response = getattr(APIClient(), method)(url_for(world, name, kwargs), {}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize(("name", "kwargs"), GET_ROUTES)
def test_it_shows_a_user_without_roles_only_reference_data(world: ApiWorld, name: str, kwargs: list[str]) -> None:
    client = APIClient()
    client.force_authenticate(world.users["dave"])
    response = client.get(url_for(world, name, kwargs))
    basename, kind = name.rsplit("-", 1)
    if kind == "list":
        assert response.status_code == 200
        rows = response.json()["results"]
        if basename == "person":
            assert rows and all(row["is_public_figure"] for row in rows)  # public figures only
        elif basename in OPEN_TO_EVERYONE:
            assert rows
        else:
            assert rows == []
    else:
        assert response.status_code == (200 if basename in OPEN_TO_EVERYONE else 404)


@pytest.mark.parametrize(("name", "kwargs"), GET_ROUTES)
def test_it_lets_a_system_administrator_read_every_route(world: ApiWorld, name: str, kwargs: list[str]) -> None:
    client = APIClient()
    client.force_authenticate(world.users["root"])
    response = client.get(url_for(world, name, kwargs))
    assert response.status_code == 200
    if name.endswith("-list"):
        assert {"count", "next", "previous", "results"} <= set(response.json())


def test_it_serves_the_schema_and_the_docs_without_a_cdn(client: Any) -> None:
    schema = client.get(reverse("api:api-schema"))
    assert schema.status_code == 200
    assert b"/api/v1/units/{id}/" in schema.content
    docs = client.get(reverse("api:api-docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    for cdn in ("cdn.", "jsdelivr", "unpkg", "cdnjs"):
        assert cdn not in html


def test_the_schema_generates_without_warnings(tmp_path: Path) -> None:
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/persons/" in target.read_text()

"""The same user sees the same records on a list page and on its API endpoint.

Every list that has both an HTML page and an endpoint under ``/api/v1/`` is read whole on
both sides (every page of the page, every page of the API) as the same demo user, and the
sets of ids (or codes) are compared. Where a list is large for a national user, the same
filter narrows both sides (a unit's subtree), so that both stay complete. The ids a page
shows come from its template context (the paginated ``page`` and the like), the API's from
its JSON.

Pairs covered (page route ↔ API route):

* activities:list ↔ api:activity-list
* orgunits:person-list ↔ api:person-list
* orgunits:children (a unit's lower units in the tree) ↔ api:unit-list ``?parent=``
* search (units and people found by text) ↔ api:unit-list and api:person-list ``?q=``
* records:model-list ↔ api:practice-model-list; records:model-top ↔ the same endpoint's
  models with a replication; records:model (replications) ↔ api:practice-model-replications
* records:exchange-list, every box (all, ``tab=in``, ``tab=out``) ↔ api:exchange-list (the
  out-box is ``?sender=`` the user's unit; the in-box is the rest); records:exchange
  (recipients) ↔ api:exchange-detail and the list's ``recipients``
* records:lesson-list ↔ api:lesson-list; records:proposal-list ↔ api:proposal-list
* programmes:list ↔ api:programme-list; programmes:detail (phases) ↔ api:phase-list ``?programme=``
* reporting:period-list ↔ api:reporting-period-list ``?programme=``
* reporting:report-list ↔ api:report-list
* reporting:period (the requests counted and those still missing) ↔ api:report-request-list ``?period=``
* commendations:nomination-list, both tabs ↔ api:nomination-list (``?to_decide=true``)
* commendations:decision-list ↔ api:decision-list; commendations:decision-detail (awards) ↔
  api:decision-detail
* commendations:award-list ↔ api:award-form-list and api:emulation-title-list
* commendations:history ↔ api:award-list ``?person=``
* conferences:list ↔ api:conference-list; conferences:detail (co-chairs, delegates, papers) ↔
  api:conference-cochairs, api:conference-delegates, api:conference-papers
* entry:locks ↔ api:lock-list

Left out on purpose:

* pages without an API list: the unit tree's roots (orgunits:tree, home; the API lists units,
  not a user's roots), a phase's targets (programmes:phase), user accounts
  (accounts:user-list), the Word templates (reporting:template-list), the reminders of
  reports owed (home, reporting:report-list's ``owed``: the API has no "owed" list), the
  completeness of entered figures (entry:status: counts per lower unit, not records);
* the figure entry form (entry:form) and api:entered-figure-list: the page is a form of one
  unit's values for one period, the API a list over a subtree; and the dashboards
  (figures:*) ↔ api:figures*: totals, not lists of records;
* API lists without a page: organisations (api:organisation-list), background document
  jobs (api:document-job-detail has no list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from phoihop.commendations.models import Award, Decision
from phoihop.conferences.models import Conference
from phoihop.core.scoping import get_scope
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.records.models import PracticeModel
from phoihop.reporting.models import ReportingPeriod, ReportRequest

pytestmark = pytest.mark.django_db

# The API's largest page: long lists come back in one or two answers.
API_PAGE_SIZE = 500

# The users every list is read as; system administrators and the army's root only where a
# filter keeps their lists short.
USERS = ["hoankiem.ccb", "hanoi.ccb", "hanoi.qs", "tuhoi", "camau.ccb"]
ALL_USERS = [*USERS, "tcct", "admin"]

# Each user's only role unit (checked by ``own_unit``).
OWN_UNIT = {
    "hoankiem.ccb": "CCB-X00070",
    "hanoi.ccb": "CCB-HANOI",
    "hanoi.qs": "QS-HANOI",
    "tuhoi": "CCB-TW",
    "camau.ccb": "CCB-CAMAU",
    "tcct": "BQP",
}
PROGRAMME = "QDND-CCB"

Client = Any


# --- reading both sides whole ---------------------------------------------------------------------


def page_objects(client: Client, route: str, params: Mapping[str, str] | None = None) -> list[Any]:
    """Every object of a paginated list page (its ``page``), following its pages to the last."""
    url = reverse(route)
    objects: list[Any] = []
    number = 1
    while True:
        response = client.get(url, {**(params or {}), "page": number})
        assert response.status_code == 200, f"{url} page {number}: {response.status_code}"
        page = response.context["page"]
        objects.extend(page.object_list)
        if not page.has_next():
            return objects
        number = page.next_page_number()


def page_context(client: Client, route: str, params: Mapping[str, str] | None = None, **kwargs: Any) -> Any:
    response = client.get(reverse(route, kwargs=kwargs or None), params or {})
    assert response.status_code == 200, f"{route}: {response.status_code}"
    return response.context


def api_rows(client: Client, route: str, params: Mapping[str, str] | None = None, **kwargs: Any) -> list[Any]:
    """Every row of a paginated API list, following ``next`` to the last page."""
    url: str | None = reverse(route, kwargs=kwargs or None)
    query: dict[str, Any] | None = {**(params or {}), "page_size": API_PAGE_SIZE}
    rows: list[Any] = []
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, f"{url}: {response.status_code} {response.content[:300]!r}"
        body = response.json()
        rows.extend(body["results"])
        url, query = body["next"], None
    return rows


def api_json(client: Client, route: str, params: Mapping[str, str] | None = None, **kwargs: Any) -> Any:
    response = client.get(reverse(route, kwargs=kwargs or None), params or {})
    assert response.status_code == 200, f"{route}: {response.status_code} {response.content[:300]!r}"
    return response.json()


def unique(values: Iterable[Any], side: str) -> set[Any]:
    """The values as a set; a record listed twice on one side is a fault of its own."""
    values = list(values)
    found = set(values)
    assert len(found) == len(values), f"{side} lists a record twice: {sorted(values)}"
    return found


def own_unit(username: str) -> str:
    """The code of the user's only role unit (the exchange boxes rely on a single role)."""
    from phoihop.accounts.models import User

    grants = get_scope(User.objects.get(username=username)).grants
    assert [g.unit_id for g in grants] == [OrgUnit.objects.get(code=OWN_UNIT[username]).pk]
    return OWN_UNIT[username]


# --- the plain lists: one page route, one API route, the same filter on both --------------------------


@dataclass(frozen=True)
class ListPair:
    page: str
    api: str
    # Users whose list must not be empty: a broken fixture never passes unnoticed.
    owners: frozenset[str]
    # Parameters both sides understand alike.
    params: Mapping[str, str] = field(default_factory=dict)
    # A user's narrower filter (both sides), where the whole list is long.
    narrow: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def filters(self, username: str) -> dict[str, str]:
        return {**self.params, **self.narrow.get(username, {})}


PAIRS: dict[str, ListPair] = {
    "activities": ListPair(
        "activities:list",
        "api:activity-list",
        frozenset(ALL_USERS),
        # The roots see five thousand activities: the lead unit's subtree narrows both sides.
        narrow={"tuhoi": {"unit": "CCB-HANOI"}, "tcct": {"unit": "QS-CAMAU"}, "admin": {"unit": "CCB-CAMAU"}},
    ),
    "persons": ListPair("orgunits:person-list", "api:person-list", frozenset(ALL_USERS)),
    "practice models": ListPair(
        "records:model-list",
        "api:practice-model-list",
        # Hoàn Kiếm neither started a model nor took one up: its list is empty by right.
        frozenset(ALL_USERS) - {"hoankiem.ccb"},
    ),
    "exchanges": ListPair("records:exchange-list", "api:exchange-list", frozenset(ALL_USERS)),
    "lessons": ListPair(
        "records:lesson-list",
        "api:lesson-list",
        # The army side of Hà Nội recorded no lesson, and sees none of the association's.
        frozenset(ALL_USERS) - {"hanoi.qs"},
    ),
    "proposals": ListPair(
        "records:proposal-list",
        "api:proposal-list",
        # Neither the army side of Hà Nội nor Cà Mau's association recorded a proposal.
        frozenset(ALL_USERS) - {"hanoi.qs", "camau.ccb"},
    ),
    "reporting periods": ListPair(
        "reporting:period-list",
        "api:reporting-period-list",
        frozenset(ALL_USERS),
        # The page shows one programme at a time.
        params={"programme": PROGRAMME},
    ),
    "reports": ListPair(
        "reporting:report-list",
        "api:report-list",
        # A commune is asked for no report in the demo, and sees none above it.
        frozenset(ALL_USERS) - {"hoankiem.ccb"},
    ),
    "nominations": ListPair(
        "commendations:nomination-list",
        "api:nomination-list",
        # The demo's nominations are Hoàn Kiếm's: nothing of them reaches the army's Hà Nội
        # command or Cà Mau.
        frozenset(ALL_USERS) - {"hanoi.qs", "camau.ccb"},
    ),
    "decisions": ListPair(
        "commendations:decision-list",
        "api:decision-list",
        # The demo's one decision commends a member of Hoàn Kiếm's association.
        frozenset(ALL_USERS) - {"hanoi.qs", "camau.ccb"},
    ),
    "conferences": ListPair("conferences:list", "api:conference-list", frozenset(ALL_USERS)),
    "entry locks": ListPair(
        "entry:locks",
        "api:lock-list",
        frozenset(ALL_USERS),
        # Hundreds of provinces' locks for the roots: one province or military region each.
        narrow={"tuhoi": {"unit": "CCB-ANGIANG"}, "tcct": {"unit": "QK9"}, "admin": {"unit": "CCB-BACGIANG"}},
    ),
}


@pytest.mark.parametrize("username", ALL_USERS)
@pytest.mark.parametrize("name", list(PAIRS))
def test_it_lists_the_same_records_on_the_page_and_in_the_api(
    name: str, username: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    pair = PAIRS[name]
    filters = pair.filters(username)
    on_page = unique((obj.pk for obj in page_objects(client_as(username), pair.page, filters)), "the page")
    in_api = unique((row["id"] for row in api_rows(api_client_as(username), pair.api, filters)), "the API")
    assert on_page == in_api, f"page only: {sorted(on_page - in_api)}; API only: {sorted(in_api - on_page)}"
    if username in pair.owners:
        assert on_page, f"{username} should see {name}"


# --- units ----------------------------------------------------------------------------------------

# A user's own unit, and the unit paired with it on the other side where the user sees it (its
# lower units are out of their sight: the lists are empty on both sides).
TREE_PARENTS = [
    ("hoankiem.ccb", "CCB-X00070"),
    ("hoankiem.ccb", "QS-X00070"),
    ("hanoi.ccb", "CCB-HANOI"),
    ("hanoi.ccb", "QS-HANOI"),
    ("hanoi.qs", "QS-HANOI"),
    ("hanoi.qs", "CCB-HANOI"),
    ("camau.ccb", "CCB-CAMAU"),
    ("camau.ccb", "QS-CAMAU"),
    ("tuhoi", "CCB-TW"),
    ("tuhoi", "CCB-HANOI"),
    ("tcct", "BQP"),
    ("admin", "BQP"),
    ("admin", "CCB-TW"),
]


@pytest.mark.parametrize(("username", "parent"), TREE_PARENTS)
def test_it_shows_the_same_lower_units_in_the_tree_and_in_the_api(
    username: str, parent: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    unit = OrgUnit.objects.get(code=parent)
    context = page_context(client_as(username), "orgunits:children", pk=unit.pk)
    on_page = unique((u.pk for u in [*context["children"], *context["closed"]]), "the tree")
    rows = api_rows(api_client_as(username), "api:unit-list", {"parent": parent})
    in_api = unique((row["id"] for row in rows), "the API")
    assert on_page == in_api
    if parent == OWN_UNIT.get(username) or username == "admin":
        assert on_page, f"{username} should see the lower units of {parent}"


SEARCHES = [
    ("hoankiem.ccb", "hoan kiem"),
    ("hanoi.ccb", "hoan kiem"),
    ("hanoi.qs", "tran"),
    ("camau.ccb", "nguyen"),
    ("tuhoi", "hoan kiem"),
    ("tcct", "ha noi"),
]


@pytest.mark.parametrize(("username", "text"), SEARCHES)
def test_it_finds_the_same_units_and_people_by_text_on_the_page_and_in_the_api(
    username: str, text: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    context = page_context(client_as(username), "search", {"q": text})
    units = unique((u.pk for u in context["units"]), "the page")
    people = unique((p.pk for p in context["people"]), "the page")
    # The page shows the first fifty of each: the searches are chosen to find fewer.
    assert len(units) < 50 and len(people) < 50
    api = api_client_as(username)
    assert units == unique((row["id"] for row in api_rows(api, "api:unit-list", {"q": text})), "the API")
    assert people == unique((row["id"] for row in api_rows(api, "api:person-list", {"q": text})), "the API")
    assert units, f"{username} should find units by “{text}”"


# --- exchanges: the boxes and the recipients ------------------------------------------------------


@pytest.mark.parametrize("username", [*USERS, "tcct"])
def test_it_shows_the_same_sent_and_received_exchanges_on_the_page_and_in_the_api(
    username: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    client, api = client_as(username), api_client_as(username)
    unit = own_unit(username)
    every = unique((row["id"] for row in api_rows(api, "api:exchange-list")), "the API")
    sent = unique((row["id"] for row in api_rows(api, "api:exchange-list", {"sender": unit})), "the API")
    out_box = unique((e.pk for e in page_objects(client, "records:exchange-list", {"tab": "out"})), "the out-box")
    in_box = unique((e.pk for e in page_objects(client, "records:exchange-list", {"tab": "in"})), "the in-box")
    assert out_box == sent
    # With one role, an exchange the user reads was sent from their subtree or to a unit of it.
    assert in_box == every - sent
    assert out_box, f"{username} sent exchanges"
    if username != "camau.ccb":  # nothing reaches Cà Mau's association from outside it
        assert in_box, f"{username} received exchanges"


@pytest.mark.parametrize("username", ["hoankiem.ccb", "hanoi.ccb", "hanoi.qs", "tuhoi"])
def test_it_names_the_same_recipients_of_a_received_exchange_on_the_page_and_in_the_api(
    username: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    client, api = client_as(username), api_client_as(username)
    received = [e.pk for e in page_objects(client, "records:exchange-list", {"tab": "in"})]
    assert received, f"{username} received exchanges"
    listed = {row["id"]: row["recipients"] for row in api_rows(api, "api:exchange-list")}
    hidden = 0
    for pk in received:
        context = page_context(client, "records:exchange", pk=pk)
        on_page = unique((d.unit.code for d in context["deliveries"]), "the page")
        hidden += context["hidden_count"]
        assert on_page, f"exchange {pk} names no recipient the reader sees"
        assert on_page == unique(api_json(api, "api:exchange-detail", pk=pk)["recipients"], "the API")
        assert on_page == set(listed[pk])
    if username == "hoankiem.ccb":
        # The province wrote to every commune: a commune sees only itself among them.
        assert hidden > 0


# --- good-practice models -------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_it_ranks_the_same_spread_models_as_the_api_counts(
    username: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    on_page = unique((m.pk for m in page_objects(client_as(username), "records:model-top")), "the page")
    rows = api_rows(api_client_as(username), "api:practice-model-list")
    assert on_page == unique((row["id"] for row in rows if row["replication_count"] > 0), "the API")
    if username != "hoankiem.ccb":  # Hoàn Kiếm sees no model at all
        assert on_page


@pytest.mark.parametrize("username", ["hanoi.ccb", "hanoi.qs", "tuhoi", "camau.ccb", "tcct"])
def test_it_shows_the_same_replications_of_a_model_on_the_page_and_in_the_api(
    username: str, demo_user: Callable[[str], Any], client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    client, api = client_as(username), api_client_as(username)
    models = list(PracticeModel.objects.restrict(demo_user(username), "view").values_list("pk", flat=True))
    assert models
    seen = 0
    for pk in models:
        on_page = unique((r.pk for r in page_context(client, "records:model", pk=pk)["replications"]), "the page")
        in_api = api_json(api, "api:practice-model-replications", pk=pk)
        assert on_page == unique((row["id"] for row in in_api), "the API")
        seen += len(on_page)
    assert seen, f"{username} sees where its models spread"


# --- programmes and phases ------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_it_shows_the_same_programmes_and_phases_on_the_pages_and_in_the_api(
    username: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    client, api = client_as(username), api_client_as(username)
    programmes = unique((p.code for p in page_context(client, "programmes:list")["programmes"]), "the page")
    assert programmes == unique((row["code"] for row in api_rows(api, "api:programme-list")), "the API")
    assert PROGRAMME in programmes  # and the Nghệ An programme for those whose units take part in it
    phases = page_context(client, "programmes:detail", code=PROGRAMME)["phases"]
    on_page = unique((phase.pk for phase, _signing in phases), "the page")
    assert on_page == unique((row["id"] for row in api_rows(api, "api:phase-list", {"programme": PROGRAMME})), "API")
    assert on_page


# --- report requests: a period's completeness -------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_it_counts_the_same_report_requests_on_the_period_page_and_in_the_api(
    username: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    client, api = client_as(username), api_client_as(username)
    periods = ReportingPeriod.objects.filter(pk__in=ReportRequest.objects.values("period")).order_by("pk")
    assert periods.exists(), "the demo asks for reports"
    counted = 0
    for period in periods:
        rates = page_context(client, "reporting:period", pk=period.pk)["rates"]
        expected = sum(rate.expected for rate in rates)
        missing = unique((row.request.pk for rate in rates for row in rate.missing), "the page")
        rows = api_rows(api, "api:report-request-list", {"period": str(period.pk)})
        assert expected == len(unique((row["id"] for row in rows), "the API"))
        still_owed = {row["id"] for row in rows if row["status"] not in ("submitted", "approved")}
        assert missing == still_owed
        counted += expected
    # A commune is asked for no report in the demo.
    if username != "hoankiem.ccb":
        assert counted, f"{username} should see report requests"


# --- commendations ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_it_shows_the_same_nominations_waiting_for_the_user_on_the_page_and_in_the_api(
    username: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    on_page = unique(
        (n.pk for n in page_objects(client_as(username), "commendations:nomination-list", {"tab": "decide"})), "page"
    )
    rows = api_rows(api_client_as(username), "api:nomination-list", {"to_decide": "true"})
    assert on_page == unique((row["id"] for row in rows), "the API")
    # One nomination of Hoàn Kiếm waits at the province; the others wait for nobody here.
    if username == "hanoi.ccb":
        assert on_page


@pytest.mark.parametrize("username", ALL_USERS)
def test_it_shows_the_same_award_catalogue_on_the_page_and_in_the_api(
    username: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    sections = page_context(client_as(username), "commendations:award-list")["sections"]
    (_forms_heading, forms), (_titles_heading, titles) = sections
    api = api_client_as(username)
    # The page also lists forms and titles no longer awarded (marked so); the API only those in use.
    assert {a.code for a in forms if a.is_active} == {row["code"] for row in api_rows(api, "api:award-form-list")}
    assert {a.code for a in titles if a.is_active} == {row["code"] for row in api_rows(api, "api:emulation-title-list")}
    assert forms and titles


@pytest.mark.parametrize("username", ALL_USERS)
def test_it_shows_the_same_commendation_history_of_a_person_on_the_page_and_in_the_api(
    username: str, demo_user: Callable[[str], Any], client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    award = Award.objects.filter(person__isnull=False).order_by("pk").first()
    assert award is not None, "the demo commends a person"
    params = {"person": str(award.person_id)}
    response = client_as(username).get(reverse("commendations:history"), params)
    if not Person.objects.restrict(demo_user(username), "view").filter(pk=award.person_id).exists():
        # The page looks the person up first and never says whether one out of sight exists.
        # (The API's ``person`` is a plain filter of the awards the user reads: the army's root
        # reads this award through the decision its body issued, not through the person.)
        assert response.status_code == 404
        return
    assert response.status_code == 200
    on_page = unique((a.pk for a in response.context["awards"]), "the page")
    assert on_page == unique((row["id"] for row in api_rows(api_client_as(username), "api:award-list", params)), "API")
    if username in ("hoankiem.ccb", "hanoi.ccb", "tuhoi", "admin"):
        # All of the person's awards (the demo's nominee has earlier ones, for his achievement report).
        assert on_page == set(Award.objects.filter(person_id=award.person_id).values_list("pk", flat=True))
        assert award.pk in on_page


def test_it_lists_the_same_awards_of_a_decision_on_the_page_and_in_the_api(
    client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    decision = Decision.objects.get(awards__person__unit__code="CCB-X00070", awards__award__code="bk-tcct")
    commended = decision.awards.get()
    # The same decision also commends Cà Mau's association, out of Hoàn Kiếm's sight.
    camau = OrgUnit.objects.get(code="CCB-CAMAU")
    other = Award.objects.create(
        decision=decision,
        award=commended.award,
        phase=commended.phase,
        year=commended.year,
        nominee_unit=camau,
        home_unit=camau,
    )
    for username, expected in (
        ("hoankiem.ccb", {commended.pk}),
        ("camau.ccb", {other.pk}),
        ("tcct", {commended.pk, other.pk}),
    ):
        groups = page_context(client_as(username), "commendations:decision-detail", pk=decision.pk)["groups"]
        on_page = unique((a.pk for _award_type, rows in groups for a in rows), "the page")
        in_api = api_json(api_client_as(username), "api:decision-detail", pk=decision.pk)["awards"]
        assert on_page == unique((row["id"] for row in in_api), "the API"), username
        assert on_page == expected, username


# --- conferences ------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_it_shows_the_same_cochairs_delegates_and_papers_of_a_conference_on_the_page_and_in_the_api(
    username: str, demo_user: Callable[[str], Any], client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    client, api = client_as(username), api_client_as(username)
    conferences = list(Conference.objects.restrict(demo_user(username), "view").values_list("pk", flat=True))
    assert conferences
    seen = 0
    for pk in conferences:
        conference = page_context(client, "conferences:detail", pk=pk)["conference"]
        for part in ("cochairs", "delegates", "papers"):
            on_page = unique((row.pk for row in getattr(conference, part).all()), "the page")
            in_api = api_json(api, f"api:conference-{part}", pk=pk)
            assert on_page == unique((row["id"] for row in in_api), "the API"), part
            seen += len(on_page)
    assert seen


@pytest.mark.parametrize(
    ("username", "code"),
    [("tuhoi", "CCB-HANOI"), ("tcct", "QS-HANOI"), ("hanoi.ccb", "CCB-HANOI"), ("hanoi.qs", "QS-HANOI")],
)
def test_it_filters_a_units_practice_models_alike_on_the_page_and_in_the_api(
    username: str, code: str, client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    """A unit's models are those started in its subtree or taken up there, on both sides."""
    from phoihop.orgunits.models import OrgUnit

    unit = OrgUnit.objects.get(code=code)
    on_page = unique(
        (m.pk for m in page_objects(client_as(username), "records:model-list", {"unit": str(unit.pk)})), "the page"
    )
    in_api = unique(
        (r["id"] for r in api_rows(api_client_as(username), "api:practice-model-list", {"unit": code})), "the API"
    )
    assert on_page == in_api
    assert on_page

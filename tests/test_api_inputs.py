"""Every query parameter of the API is validated: out-of-range numbers, malformed dates and
unknown choices are a 400 with a Vietnamese message, never a 500 (issue 12: five lists answered
500 on SQLite for ``?year=99999999999999999999``, ``decisions?year=`` on PostgreSQL too).

Each list route of the router is asked with every filter of its filterset set to values a
careless client or an attacker sends; a guard checks that no API filter is a plain number or
record filter (the bounded ones live in phoihop/api/filtersets.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
import pytest
from django.urls import reverse

from phoihop.api import filtersets as api_filtersets
from phoihop.api.routes import ROUTES

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BAD_VALUES = [HUGE, "-" + HUGE, "1e30", "9223372036854775808", "1.5", "0", "abc", "2026-13-45", "99999-01-01"]


def _list_routes() -> list[tuple[str, Any]]:
    return [(basename, viewset) for _prefix, basename, viewset in ROUTES if hasattr(viewset, "list")]


def _filters(viewset: Any) -> dict[str, Any]:
    filterset = getattr(viewset, "filterset_class", None)
    return dict(filterset.base_filters) if filterset else {}


def _is_vietnamese(messages: Any) -> bool:
    text = str(messages)
    return any(ch in text for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def test_every_number_and_record_filter_of_the_api_is_bounded() -> None:
    plain = []
    for basename, viewset in _list_routes():
        for name, item in _filters(viewset).items():
            if isinstance(item, django_filters.NumberFilter) and not isinstance(item, api_filtersets.IntegerFilter):
                plain.append(f"{basename}?{name}")
            if isinstance(item, django_filters.ModelChoiceFilter) and not isinstance(
                item, api_filtersets.ScopedChoiceFilter
            ):
                plain.append(f"{basename}?{name}")
    assert plain == []


@pytest.mark.parametrize("basename", [basename for basename, _viewset in _list_routes()])
def test_no_filter_value_makes_a_list_answer_500(basename: str, api_client_as: Callable[[str], Any]) -> None:
    viewset = dict(_list_routes())[basename]
    client = api_client_as("admin")
    url = reverse(f"api:{basename}-list")
    refused = []
    for name in [*_filters(viewset), "page", "page_size"]:
        for value in BAD_VALUES:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (basename, name, value, response.content[:300])
            if response.status_code == 400:
                refused.append(response.json())
    for body in refused:
        assert _is_vietnamese(body), body


@pytest.mark.parametrize(
    ("basename", "params"),
    [
        ("decision", {"year": HUGE}),
        ("decision", {"year": "0"}),
        ("decision", {"year": "10000"}),
        ("nomination", {"year": "1e30"}),
        ("award", {"person": "9223372036854775808"}),
        ("practice-model", {"phase": HUGE}),
        ("lesson", {"phase": "-1"}),
        ("activity", {"phase": HUGE}),
        ("activity", {"start": "2026-02-30"}),
        ("activity", {"status": "khong-co"}),
        ("reporting-period", {"year": HUGE}),
        ("report-request", {"period": HUGE}),
    ],
)
def test_out_of_range_malformed_and_unknown_values_are_a_400_in_vietnamese(
    basename: str, params: dict[str, str], api_client_as: Callable[[str], Any]
) -> None:
    response = api_client_as("admin").get(reverse(f"api:{basename}-list"), params)

    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert set(body) == set(params)
    assert _is_vietnamese(body), body


def test_a_year_in_range_still_filters(api_client_as: Callable[[str], Any]) -> None:
    response = api_client_as("admin").get(reverse("api:decision-list"), {"year": "2026"})
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1e30", "1.5", HUGE])
def test_a_malformed_page_number_is_a_400_in_vietnamese(page: str, api_client_as: Callable[[str], Any]) -> None:
    response = api_client_as("admin").get(reverse("api:activity-list"), {"page": page})

    assert response.status_code == 400
    assert _is_vietnamese(response.json()["page"]), response.json()


def test_a_page_past_the_end_is_a_404_in_vietnamese(api_client_as: Callable[[str], Any]) -> None:
    response = api_client_as("admin").get(reverse("api:activity-list"), {"page": "100000"})

    assert response.status_code == 404
    assert _is_vietnamese(response.json()["detail"]), response.json()


@pytest.mark.parametrize("pk", [HUGE, "9223372036854775808", "9223372036854775807"])
def test_an_id_beyond_bigint_in_a_path_is_a_404_not_a_500(pk: str, api_client_as: Callable[[str], Any]) -> None:
    client = api_client_as("admin")
    for basename, _viewset in _list_routes():
        url = reverse(f"api:{basename}-list") + pk + "/"
        response = client.get(url)
        assert response.status_code in (404, 405), (url, response.status_code, response.content[:200])

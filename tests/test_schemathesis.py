"""Schemathesis against the API's own schema, for a reporter, an approver and an admin (issue 12).

Every operation of the schema is fuzzed with data generated from the schema (bounded: a few
examples per operation, no shrinking), in-process through the WSGI application, as each of
three demo users: ``hoankiem.ccb`` (a ward reporter), ``hanoi.ccb`` (a province approver) and
``admin`` (a system admin). Two checks: no answer is a server error (5xx), and every status
answered is one the schema declares for that operation (phoihop/api/schema.py adds the errors).

Each (user, operation) is one test inside the test's transaction, rolled back after it: the
writes the fuzzing makes never reach the demo data of other tests. The user is signed in by a
session with a CSRF token (cookie and header), so writes pass the CSRF check and reach the views.

``make test`` runs it with the rest of the suite (about 360 tests, a few minutes on two cores).
Set SCHEMATHESIS_EXAMPLES to fuzz harder locally.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

pytestmark = pytest.mark.django_db

ROLES = ["hoankiem.ccb", "hanoi.ccb", "admin"]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))
METHODS = ("get", "post", "put", "patch", "delete")
CSRF = "schemathesis0csrf0token000000000"  # 32 characters, as Django's unmasked secret


def _raw_schema() -> dict[str, Any]:
    # As /api/schema/ serves it, as JSON (lazy translations made text).
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, default=str))


RAW = _raw_schema()
SCHEMA = schemathesis.openapi.from_dict(RAW)
SCHEMA.app = get_wsgi_application()
OPERATIONS = [(path, method) for path, item in RAW["paths"].items() for method in item if method in METHODS]


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    # As Django's test client does: a request must not close the test's connection (which
    # holds the transaction rolled back after the test).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_no_server_error_and_no_undocumented_status(
    username: str, path: str, method: str, demo_user: Callable[[str], Any], in_test_transaction: None
) -> None:
    client = Client()
    client.force_login(demo_user(username))
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    headers = {"X-CSRFToken": CSRF}
    operation = SCHEMA[path][method.upper()]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def fuzz(case: Any) -> None:
        response = case.call(headers=headers, cookies=cookies)
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance])

    fuzz()

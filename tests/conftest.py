"""Fixtures of the tests in ``tests/`` beyond the root conftest (which loads the demo data).

* ``user_with_role("hn.admin", "CCB-HANOI")``: a fresh user holding one role on a demo unit,
  granted through the service (``role_assign`` by the demo system administrator), as a unit
  administrator would grant it. Unit administrator unless told otherwise.
* ``hanoi_admin`` and ``camau_admin``: unit administrators of the two provinces'
  associations (the demo has no unit administrator of its own).
* ``bench_env``: the environment of a benchmark's tiny run, with an empty migrated SQLite
  database to start from (``tests.support.database.migrated_schema``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from phoihop.core.scoping import Role
from tests.support.database import migrated_schema
from tests.support.s3 import Bucket, in_memory_bucket


@pytest.fixture
def user_with_role(demo_user: Callable[[str], Any]) -> Callable[..., Any]:
    from phoihop.accounts.models import User
    from phoihop.accounts.services import role_assign
    from phoihop.orgunits.models import OrgUnit

    def make(username: str, unit_code: str, role: str = Role.UNIT_ADMIN, valid_from: date | None = None) -> Any:
        user = User.objects.create_user(username=username, first_name="Thử", last_name="Người")
        role_assign(
            acting_user=demo_user("admin"),
            user=user,
            unit=OrgUnit.objects.get(code=unit_code),
            role=role,
            valid_from=valid_from,
        )
        return user

    return make


@pytest.fixture
def hanoi_admin(user_with_role: Callable[..., Any]) -> Any:
    return user_with_role("hanoi.admin", "CCB-HANOI")


@pytest.fixture
def camau_admin(user_with_role: Callable[..., Any]) -> Any:
    return user_with_role("camau.admin", "CCB-CAMAU")


@pytest.fixture
def media_folder(settings: Any, tmp_path: Path) -> Path:
    """A MEDIA_ROOT of the test's own (with S3: to see that nothing lands there)."""
    folder = tmp_path / "media"
    settings.MEDIA_ROOT = folder
    return folder


@pytest.fixture
def bucket(settings: Any, media_folder: Path) -> Iterator[Bucket]:
    """The stored files in a new, empty S3 bucket (moto's, in memory)."""
    with in_memory_bucket(settings) as s3:
        yield s3


@pytest.fixture(scope="session")
def bench_env() -> dict[str, str]:
    """The environment of a benchmark run in a process of its own, as ``make bench`` runs it: on
    SQLite (no DATABASE_URL), starting from an empty migrated database (``PHOIHOP_BENCH_SCHEMA``)
    rather than migrating one of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.setdefault("SECRET_KEY", "test-only-key-not-for-production")
    env["PHOIHOP_BENCH_SCHEMA"] = str(migrated_schema())
    return env

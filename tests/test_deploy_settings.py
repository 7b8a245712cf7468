"""``manage.py check --deploy`` is clean with the production environment of docs/deploy.md.

The environment is read from the example block in docs/deploy.md (between the
``<!-- production-env -->`` markers), so the documentation and the test cannot drift apart.
The check runs in a subprocess: the settings are read once per process, from the environment.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY_DOC = ROOT / "docs" / "deploy.md"


def documented_environment() -> dict[str, str]:
    """The ``NAME=value`` lines of the documented production example."""
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- production-env -->\s*```[a-z]*\n(.*?)```\s*<!-- /production-env -->", text, re.S)
    assert block, "docs/deploy.md has no <!-- production-env --> block"
    env = {}
    for line in block.group(1).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        env[name.strip()] = value.strip().strip("'\"")
    return env


def run_check(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
    base.update(env)
    # A database of its own (check --deploy opens none, but the settings name one).
    base["PHOIHOP_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env() -> dict[str, str]:
    env = documented_environment()
    # The documented key is a placeholder; a real one is 50+ random characters.
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    # PostgreSQL is not needed to check the settings.
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def test_the_documented_production_environment_passes_check_deploy(tmp_path: Path) -> None:
    env = production_env()
    for name in ["DEBUG", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "PHOIHOP_BEHIND_PROXY"]:
        assert name in env, f"docs/deploy.md's production example does not set {name}"
    result = run_check(env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("drop", "warning"),
    [("SECURE_HSTS_SECONDS", "security.W004"), ("SECURE_COOKIES", "security.W012")],
)
def test_check_deploy_warns_without_the_documented_setting(tmp_path: Path, drop: str, warning: str) -> None:
    """The clean result comes from the documented variables, not from a silenced check."""
    env = production_env()
    env.pop(drop)
    result = run_check(env, tmp_path)
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr

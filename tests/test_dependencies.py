"""The lock files pin exactly what pyproject.toml asks for, with hashes, so that `make install`
and CI install the same packages everywhere."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        name, _, version = line.partition("==")
        pins[re.sub(r"\[.*\]", "", name).strip().lower().replace("_", "-")] = version.strip()
    return pins


def _locked(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    assert "--hash=sha256:" in text
    # Every requirement carries at least one hash (pip refuses the file otherwise).
    blocks = re.split(r"\n(?=[a-z0-9])", text.split("\n", 6)[-1])
    assert all("--hash=sha256:" in b for b in blocks if "==" in b)
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+)", text, flags=re.MULTILINE))


def test_the_locks_pin_what_pyproject_asks_for() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _pins(project["dependencies"])
    dev = _pins(project["optional-dependencies"]["dev"])
    base, full = _locked("base.txt"), _locked("dev.txt")
    assert {k: base.get(k) for k in runtime} == runtime
    assert {k: full.get(k) for k in runtime | dev} == runtime | dev
    # The runtime lock is the development lock's subset, at the same versions.
    assert {k: full.get(k) for k in base} == base

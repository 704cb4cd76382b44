"""The lock files are what `make setup`, CI and the package install: they must match
pyproject.toml (a dependency added there without `make lock` would silently be missing) and
pin every file by hash."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _locked(name: str) -> dict[str, list[str]]:
    """name → versions pinned (one per environment marker) in a `uv pip compile` lock."""
    pins: dict[str, list[str]] = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)", line)
        if match:
            pins.setdefault(canonicalize_name(match[1]), []).append(match[2])
    return pins


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _check(requirements: list[str], pins: dict[str, list[str]]) -> list[str]:
    problems = []
    for text in requirements:
        req = Requirement(text)
        versions = pins.get(canonicalize_name(req.name))
        if not versions:
            problems.append(f"{req.name} is not in the lock")
        elif not any(req.specifier.contains(v, prereleases=True) for v in versions):
            problems.append(f"{req.name}: locked {versions} do not satisfy {req.specifier}")
    return problems


def test_every_runtime_dependency_is_locked_at_a_version_pyproject_allows() -> None:
    assert _check(_project()["dependencies"], _locked("requirements.lock")) == []


def test_every_dev_dependency_is_locked_at_a_version_pyproject_allows() -> None:
    project = _project()
    reqs = project["dependencies"] + project["optional-dependencies"]["dev"]
    assert _check(reqs, _locked("requirements-dev.lock")) == []


def test_the_dev_lock_keeps_the_runtime_versions() -> None:
    runtime, dev = _locked("requirements.lock"), _locked("requirements-dev.lock")
    assert {n: v for n, v in runtime.items() if dev.get(n) != v} == {}


def test_every_pin_carries_hashes() -> None:
    for name in ("requirements.lock", "requirements-dev.lock"):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / name).read_text(encoding="utf-8"))
        unhashed = [b.split()[0] for b in blocks if "==" in b and "--hash=sha256:" not in b]
        assert unhashed == [], name


def test_no_dependency_needs_a_compiler_or_is_unused() -> None:
    runtime = _locked("requirements.lock")
    # evdev is an sdist (gcc + kernel headers on every kiosk); evdev-binary is its wheel.
    # tuspy was declared and never imported (kiosk/api/uploads.py says why).
    assert "evdev" not in runtime and "tuspy" not in runtime

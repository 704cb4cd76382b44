"""Scenes shared by the camera tests (rendered once per session; fixed seeds)."""

from __future__ import annotations

import pytest

from devices.camera.scenes import Scene, make_scene


@pytest.fixture(scope="session")
def a4_on_dark_pad() -> Scene:
    return make_scene(4242, kind="a4", background="dark")


@pytest.fixture(scope="session")
def card_on_wood() -> Scene:
    return make_scene(4343, kind="card", background="wood")

"""Fixtures of the offline queue tests: real SQLite files and real blob files in tmp dirs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from offline_queue import NewFile, Outbox, file_ref

# Fictitious test identity: region 999999 does not exist.
FAKE_CERT_NO = "99999919900101123X"
FAKE_NAME = "测试张三"


class Clock:
    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, s: float) -> None:
        self.t += s


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_outbox(tmp_path: Path) -> Iterator[Callable[..., Outbox]]:
    opened: list[Outbox] = []

    def make(**kw: object) -> Outbox:
        params: dict[str, object] = dict(max_bytes=50 * 1024**2, min_free_bytes=1024)
        params.update(kw)
        ob = Outbox(tmp_path / "q" / "outbox.db", tmp_path / "q" / "files",
                    tmp_path / "q" / "outbox.key", **params)  # type: ignore[arg-type]
        opened.append(ob)
        return ob

    yield make
    for ob in opened:
        try:
            ob.close()
        except Exception:
            pass


def application_body(item_id: str, n_files: int) -> bytes:
    body = {
        "clientApplicationId": item_id,
        "applicant": {"certNo": FAKE_CERT_NO, "name": FAKE_NAME},
        "materials": [{"materialCode": "M1", "fileIds": [file_ref(item_id, i) for i in range(n_files)]}],
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sample_files(n: int, size: int = 2000) -> list[NewFile]:
    return [NewFile("M1", (FAKE_NAME.encode() + bytes([i])) * (size // 13), "image/jpeg")
            for i in range(n)]

"""Hostile image files for ``kiosk qr decode`` and ``kiosk scan`` (#14 items 6, 10): refused
by their header before decoding, in one line, with little memory; a code's terminal escape
sequences are shown escaped, never sent raw."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest

from tests.measure import ROOT, run_measured


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(path: Path, width: int, height: int, *, colour: int = 0, rows: int | None = None) -> Path:
    """A PNG declaring width×height (8-bit grey or RGB); ``rows`` of real zero pixels are
    compressed (all of them: a decompression bomb; few: a lying header)."""
    channels = 3 if colour == 2 else 1
    comp = zlib.compressobj(9)
    row = b"\0" * (1 + width * channels)
    body = []
    for _ in range(height if rows is None else rows):
        body.append(comp.compress(row))
    body.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(body))
                     + _chunk(b"IEND", b""))
    return path


def run(*args: str | Path) -> tuple[int, str, str, int, float]:
    """Exit status, stdout, stderr, peak RSS (KiB) and seconds of one ``kiosk`` process."""
    return run_measured(*args)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hostile")
    return {
        "60000x60000 header": png(d / "huge-header.png", 60000, 60000, rows=2),
        "1000000x1 strip": png(d / "strip.png", 1_000_000, 1),
        "20000x20000 grey bomb": png(d / "bomb.png", 20000, 20000),
        "9000x9000 RGB bomb": png(d / "bomb-rgb.png", 9000, 9000, colour=2),
    }


CASES = ["60000x60000 header", "1000000x1 strip", "20000x20000 grey bomb", "9000x9000 RGB bomb"]


@pytest.mark.parametrize("case", CASES)
def test_qr_decode_refuses_oversized_images_by_header(hostile: dict[str, Path], case: str) -> None:
    path = hostile[case]
    rc, out, err, rss, secs = run("qr", "decode", path)
    assert rc == 2 and "Traceback" not in out + err, (rc, err)
    assert out.count("\n") == 1 and "error" in out and ("limit" in out or "side" in out)
    assert rss < 300 * 1024 and secs < 10, (rss, secs)
    rc, out, _, _, _ = run("qr", "decode", "--json", path)
    assert rc == 2 and json.loads(out)["error"]["code"] == "BAD_IMAGE"


@pytest.mark.parametrize("case", CASES)
def test_scan_refuses_oversized_images_by_header(hostile: dict[str, Path], case: str) -> None:
    rc, out, err, rss, secs = run("scan", "--json", hostile[case])
    assert rc == 1 and "Traceback" not in out + err, (rc, err)
    line = json.loads(out)
    assert line["corners"] is None and line["checks"]["image"]["ok"] is False
    assert rss < 400 * 1024 and secs < 15, (rss, secs)


def test_pixel_limit_comes_from_the_config(tmp_path: Path) -> None:
    img = png(tmp_path / "two-mp.png", 2000, 1000)
    text = (ROOT / "kiosk.toml").read_text(encoding="utf-8").replace(
        "demo = true", "demo = true\nmax_image_pixels = 1000000", 1).replace(
        'secret_file = "packaging/demo/demo-api-secret"',
        f'secret_file = "{ROOT / "packaging/demo/demo-api-secret"}"')
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(text, encoding="utf-8")
    rc, out, err, _, _ = run("--config", cfg, "qr", "decode", img)
    assert rc == 2 and "the limit is 1000000" in out, err
    rc, out, _, _, _ = run("qr", "decode", img)   # 2 MP is fine under the default 50 MP
    assert rc == 0 and "no code found" in out


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/stdin", "/proc/self/mem"])
def test_qr_decode_of_a_device_is_one_line(path: str) -> None:
    rc, out, err, _, secs = run("qr", "decode", path)
    assert rc == 2 and "Traceback" not in out + err and secs < 10


def test_terminal_escapes_in_a_code_are_shown_escaped(tmp_path: Path) -> None:
    import segno

    evil = "\x1b[2J\x1b]0;owned\x07receipt\u202eRLO\x9b31m"
    img = tmp_path / "evil.png"
    segno.make_qr(evil, encoding="utf-8").save(str(img), scale=8, border=4)
    rc, out, err, _, _ = run("qr", "decode", img)
    assert rc == 0, err
    assert not any(c in out for c in "\x1b\x07\x9b\u202e")
    assert "\\x1b[2J" in out and "\\x1b]0;owned\\x07" in out and "\\u202e" in out
    rc, out, _, _, _ = run("qr", "decode", "--json", img)
    assert rc == 0 and json.loads(out)["codes"][0]["text"] == evil   # JSON stays exact

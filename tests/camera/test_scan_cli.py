"""``kiosk scan`` prints one JSON line per image in the agreed shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

from devices.camera.scenes import Scene


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, timeout=120)


def test_scan_json_lines_have_exactly_the_agreed_shape(tmp_path: Path, a4_on_dark_pad: Scene) -> None:
    good = tmp_path / "page.jpg"
    cv2.imwrite(str(good), a4_on_dark_pad.image)
    empty = tmp_path / "empty.png"
    cv2.imwrite(str(empty), np.full((480, 640, 3), 30, np.uint8))
    out = tmp_path / "out"
    p = _run("scan", str(good), str(empty), "--json", "--out", str(out))
    assert p.returncode == 0, p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(lines) == 2
    for line in lines:
        assert set(line) == {"image", "corners", "checks", "ms"}
        assert isinstance(line["ms"], float | int) and isinstance(line["checks"], dict)
    first, second = lines
    assert first["image"] == str(good)
    assert len(first["corners"]) == 4 and all(len(c) == 2 for c in first["corners"])
    assert a4_on_dark_pad.corners is not None
    assert np.abs(np.array(first["corners"]) - a4_on_dark_pad.corners).max() < 2
    assert first["checks"]["sharpness"]["ok"] is True
    assert second["corners"] is None and second["checks"]["page"]["ok"] is False
    assert (out / "page-page.jpg").read_bytes()[:2] == b"\xff\xd8"
    assert not (out / "empty-page.jpg").exists()


def test_unreadable_image_gives_one_line_and_a_failing_status(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not an image")
    p = _run("scan", str(bad), "--json")
    assert p.returncode == 1
    line = json.loads(p.stdout)
    assert line["corners"] is None and line["checks"]["image"]["ok"] is False
    assert "Traceback" not in p.stderr


def test_camera_preview_prints_figures_headless() -> None:
    p = _run("camera", "preview", "--simulate", "--seconds", "1.5", "--json")
    assert p.returncode == 0, p.stderr
    rows = [json.loads(x) for x in p.stdout.splitlines()]
    assert rows and rows[0]["width"] > 0 and rows[0]["fps"] > 0
    assert {"focus", "sharpness", "detect_ms", "page"} <= set(rows[0])


def test_camera_and_scan_use_the_document_camera_role(tmp_path: Path, a4_on_dark_pad: Scene) -> None:
    # kiosk.toml names the camera by role ([devices.document_camera]); a lookup by the old
    # section name "camera" found nothing ("no camera configured") and default thresholds.
    from tests.test_diag import _demo_config

    page = tmp_path / "page.jpg"
    cv2.imwrite(str(page), a4_on_dark_pad.image)
    cfg = _demo_config(tmp_path)
    text = cfg.read_text(encoding="utf-8")
    head, _, rest = text.partition("[devices.document_camera]\n")
    cfg.write_text(head + "[devices.document_camera]\n"
                   f'source = "{page}"\nmin_sharpness = 99.0\n' + rest, encoding="utf-8")
    p = _run("--config", str(cfg), "camera", "info", "--json")
    assert p.returncode == 0, p.stdout + p.stderr
    p = _run("--config", str(cfg), "scan", str(page), "--json")
    (line,) = [json.loads(x) for x in p.stdout.splitlines()]
    assert line["checks"]["sharpness"]["limit"] == 99.0

"""Capture through the real Camera device fed by the simulator's files: preview, still,
unplug and reconnect, driver registry and options."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import cv2
import pytest

from devices.base import Cancel, DeviceOptionError, find_driver
from devices.camera import Camera
from devices.camera.scenes import Scene
from devices.status import Availability


@pytest.fixture()
def scene_dir(tmp_path: Path, a4_on_dark_pad: Scene, card_on_wood: Scene) -> Path:
    d = tmp_path / "pad"
    d.mkdir()
    big = cv2.resize(a4_on_dark_pad.image, (2560, 1440), interpolation=cv2.INTER_CUBIC)
    cv2.imwrite(str(d / "a.jpg"), big)
    cv2.imwrite(str(d / "b.png"), card_on_wood.image)
    return d


def _camera(path: Path, **options: object) -> Camera:
    spec = find_driver("camera", "simulated")
    assert spec is not None
    cam = spec.factory("camera", {"source": str(path), "fps": 50, "preview_width": 1280,
                                  "preview_height": 720, **options})
    assert isinstance(cam, Camera)
    return cam


def test_simulator_delivers_preview_frames_and_a_full_resolution_still(scene_dir: Path) -> None:
    cam = _camera(scene_dir)
    assert cam.poll_status().availability is Availability.STARTING
    assert cam.open().ok
    frames = [cam.read_preview() for _ in range(3)]
    assert all(f.ok for f in frames)
    f = frames[-1].unwrap()
    assert f.image.shape == (720, 1280, 3) and f.index == 3
    still = cam.capture_still()
    assert still.ok and still.unwrap().image.shape == (1440, 2560, 3)
    st = cam.poll_status()
    assert st.availability is Availability.READY and st.media["preview"] == "1280x720"
    assert st.info.port == "simulator"
    cam.close()
    assert cam.poll_status().availability is Availability.OFFLINE


def test_preview_is_paced_at_the_source_rate(scene_dir: Path) -> None:
    cam = _camera(scene_dir, fps=20)
    assert cam.open().ok
    t0 = time.monotonic()
    for _ in range(6):
        assert cam.read_preview().ok
    assert time.monotonic() - t0 >= 0.2  # 5 intervals of 50 ms
    cam.close()


def test_cancelled_preview_read_returns_cancelled(scene_dir: Path) -> None:
    cam = _camera(scene_dir, fps=1)
    assert cam.open().ok
    assert cam.read_preview().ok
    c = Cancel()
    c.cancel()
    r = cam.read_preview(c)
    assert not r.ok and r.fault is not None and r.fault.code == "CANCELLED"
    cam.close()


def test_simulator_source_unplugged_then_replugged_reconnects(scene_dir: Path) -> None:
    cam = _camera(scene_dir)
    cam.reconnect_s = 0.05
    assert cam.open().ok and cam.read_preview().ok
    away = scene_dir.with_name("pad-unplugged")
    shutil.move(scene_dir, away)
    r = cam.read_preview()
    assert not r.ok and r.fault is not None and r.fault.code == "DISCONNECTED"
    st = cam.poll_status()
    assert st.availability is Availability.DISCONNECTED and st.fault is not None
    assert not cam.capture_still().ok
    shutil.move(away, scene_dir)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if cam.read_preview().ok:
            break
    assert cam.poll_status().availability is Availability.READY
    cam.close()


def test_missing_source_at_start_is_a_result_not_an_exception(tmp_path: Path) -> None:
    cam = _camera(tmp_path / "nowhere")
    r = cam.open()
    assert not r.ok and r.fault is not None and r.fault.code == "DISCONNECTED"
    assert cam.poll_status().availability is Availability.DISCONNECTED


def test_simulator_plays_a_video_through_the_same_path(tmp_path: Path, a4_on_dark_pad: Scene) -> None:
    video = tmp_path / "pad.avi"
    w = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 10, (1280, 720))
    assert w.isOpened()
    for _ in range(5):
        w.write(a4_on_dark_pad.image)
    w.release()
    cam = _camera(video)
    assert cam.open().ok
    for _ in range(8):  # loops past the end
        assert cam.read_preview().ok
    assert cam.capture_still().unwrap().image.shape == (720, 1280, 3)
    cam.close()


def test_uvc_camera_that_is_not_there_reports_disconnected() -> None:
    spec = find_driver("camera", "uvc")
    assert spec is not None
    cam = spec.factory("camera", {"index": 63})
    r = cam.open()
    assert not r.ok and r.fault is not None and r.fault.code == "DISCONNECTED"
    assert cam.poll_status().availability is Availability.DISCONNECTED


@pytest.mark.parametrize("options", [{"index": -1}, {"fourcc": "MJPEG"}, {"backend": "gstreamer2"},
                                     {"min_sharpness": "high"}, {"mode": "sepia"},
                                     {"resolution": "4k"}])
def test_bad_uvc_options_are_named(options: dict[str, object]) -> None:
    spec = find_driver("camera", "uvc")
    assert spec is not None
    with pytest.raises(DeviceOptionError) as exc:
        spec.factory("camera", options)
    assert exc.value.key == next(iter(options))


def test_demo_mode_without_a_source_generates_fictitious_scenes(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    spec = find_driver("camera", "simulated")
    assert spec is not None
    cam = spec.factory("camera", {"index": 0})
    assert cam.open().ok
    assert len(list((tmp_path / "kiosk-camera-demo").glob("*.jpg"))) == 4
    cam.close()

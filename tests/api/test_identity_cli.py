"""``kiosk sandbox eid-qr``, ``kiosk identify qr`` and ``kiosk face analyse`` as a script
would run them (own processes; the e-ID check against a sandbox in its own process)."""

from __future__ import annotations

import json
from pathlib import Path

import cv2

from devices.camera.face_scenes import FaceSceneSource
from kiosk.privacy import mask_id_number
from kiosk.sandbox.demo_identities import IDENTITIES
from tests.api.test_cli import kiosk, running, write_config  # noqa: F401  (fixture)


def test_a_demo_e_id_code_is_classified_and_verified_masked(running: tuple[str, Path],  # noqa: F811
                                                            tmp_path: Path) -> None:
    url, _ = running
    made = kiosk("sandbox", "eid-qr", "--identity", "0")
    assert made.returncode == 0, made.stderr
    code = made.stdout.strip()
    config = str(write_config(tmp_path, url))
    done = kiosk("--config", config, "identify", "qr", code, "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    person = list(IDENTITIES.values())[0]
    assert out["kind"] == "EID" and out["decision"] == "VALID"
    assert out["identity"]["certNo"] == mask_id_number(person.cert_no)
    assert person.cert_no not in done.stdout and person.name not in done.stdout
    expired = kiosk("sandbox", "eid-qr", "--ttl", "-60").stdout.strip()
    out = json.loads(kiosk("--config", config, "identify", "qr", expired, "--json").stdout)
    assert out["decision"] == "EXPIRED" and "identity" not in out


def test_other_codes_are_named_without_asking_the_platform(tmp_path: Path) -> None:
    for text, kind in (("YY202612070001", "APPOINTMENT"), ("http://[x/q/abcdef?pw=1234", "UNKNOWN"),
                       ("https://zwfw.example.gov.cn/uap/q/ABCDEF123?pw=1234", "RECEIPT")):
        done = kiosk("identify", "qr", text, "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["kind"] == kind


def test_face_analyse_reports_a_face_no_face_and_an_unreadable_file(tmp_path: Path) -> None:
    face, wall, bad = tmp_path / "face.png", tmp_path / "wall.png", tmp_path / "bad.jpg"
    cv2.imwrite(str(face), FaceSceneSource("match").frame_at(0.2))
    cv2.imwrite(str(wall), FaceSceneSource("none").frame_at(0.2))
    bad.write_bytes(b"not an image")
    done = kiosk("face", "analyse", str(face), str(wall), str(bad), "--json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert lines[0]["faces"] == 1 and lines[0]["usable"] and len(lines[0]["box"]) == 4
    assert set(lines[0]["quality"]) >= {"pose", "sharpness", "exposure", "eyesOpen"}
    assert lines[1]["faces"] == 0 and lines[1]["reasons"] == ["no_face"]
    assert lines[2]["input"] == str(bad) and "error" in lines[2]

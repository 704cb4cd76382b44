"""人证比对 and e-ID over real HTTP to the sandbox, every exchange checked against the contract;
the face images come from the face camera's simulator through the real face-check loop."""

from __future__ import annotations

import base64

import cv2
import pytest

from devices.base import Cancel
from devices.camera.device import Camera
from devices.camera.face_analysis import DetectorFaceAnalyser
from devices.camera.face_scenes import FaceSceneSource
from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError
from kiosk.face.check import FaceCheckTimes, run_face_check
from kiosk.face.matcher import FaceProbe, PlatformFaceMatcher
from kiosk.sandbox.demo_identities import ZHANG_SAN
from kiosk.sandbox.routes_identity import eid_code
from kiosk.services import PreviewFrame

FAST = FaceCheckTimes(face_s=3.0, liveness_s=9.0)  # two of the simulator's cycles


def _camera(subject: str) -> Camera:
    cam = Camera("face_camera", FaceSceneSource(subject, fps=30))
    assert cam.open().ok
    return cam


def _check(client: ApiClient, subject: str, challenge: str = "BLINK",
           cert_no: str = ZHANG_SAN.cert_no) -> tuple[str, list[str], list[PreviewFrame]]:
    cam = _camera(subject)
    frames: list[PreviewFrame] = []
    try:
        r = run_face_check(cam, Cancel(), DetectorFaceAnalyser(), PlatformFaceMatcher(client, "T-1"),
                           "RESIDENT_ID_CARD", cert_no, frames.append, FAST, challenge)
    finally:
        cam.close()
    assert r.value is not None, r.fault
    return r.value.decision, list(r.value.reasons), frames


def test_the_card_owner_blinking_at_the_camera_matches(client: ApiClient) -> None:
    decision, reasons, frames = _check(client, "match", "BLINK")
    assert decision == "MATCH" and reasons == []
    prompts = {f.problem for f in frames}
    assert "BLINK" in prompts and "checking" in prompts  # the citizen was asked, then told
    assert any(f.corners for f in frames)  # the face was outlined in the preview


def test_the_card_owner_turning_the_head_as_asked_matches(client: ApiClient) -> None:
    assert _check(client, "match", "TURN_LEFT")[0] == "MATCH"


def test_somebody_else_with_the_card_does_not_match(client: ApiClient) -> None:
    decision, reasons, _ = _check(client, "stranger", "BLINK")
    assert decision == "NO_MATCH" and reasons == ["LOW_SIMILARITY"]


def test_a_printed_photo_held_up_fails_liveness_and_reaches_no_platform(
        client: ApiClient) -> None:
    decision, reasons, _ = _check(client, "photo", "BLINK")
    assert decision == "NOT_LIVE" and reasons == ["LIVENESS_TIMEOUT"]


def test_nobody_in_front_of_the_camera_is_no_face(client: ApiClient) -> None:
    decision, reasons, frames = _check(client, "none")
    assert decision == "NO_FACE" and reasons == ["NO_FACE"]
    assert all(f.problem == "no_face" for f in frames)


def test_an_identity_without_a_photo_on_file_is_no_reference(client: ApiClient) -> None:
    assert _check(client, "match", cert_no="990101190001010018")[0] == "NO_REFERENCE"


def _jpeg(subject: str) -> bytes:
    img = FaceSceneSource(subject).frame_at(0.1)[80:380, 190:450]
    return bytes(cv2.imencode(".jpg", img)[1])


def test_platform_refuses_liveness_not_passed_and_replayed_images(client: ApiClient) -> None:
    m = PlatformFaceMatcher(client, "T-1")
    same = _jpeg("match")
    not_live = m.verify(FaceProbe("RESIDENT_ID_CARD", ZHANG_SAN.cert_no,
                                  (bytearray(same), bytearray(_jpeg("match"))),
                                  {"challenge": "BLINK", "passed": False})).unwrap()
    assert (not_live.decision, not_live.reasons) == ("NOT_LIVE", ("LIVENESS_NOT_PASSED",))
    replay = m.verify(FaceProbe("RESIDENT_ID_CARD", ZHANG_SAN.cert_no,
                                (bytearray(same), bytearray(same)),
                                {"challenge": "BLINK", "passed": True})).unwrap()
    assert (replay.decision, replay.reasons) == ("NOT_LIVE", ("STATIC_IMAGES",))


def test_probe_images_are_zeroed_after_the_comparison(client: ApiClient) -> None:
    probe = FaceProbe("RESIDENT_ID_CARD", ZHANG_SAN.cert_no,
                      (bytearray(_jpeg("match")), bytearray(_jpeg("stranger"))),
                      {"challenge": "BLINK", "passed": True})
    PlatformFaceMatcher(client, "T-1").verify(probe)
    probe.wipe()
    assert all(len(i) == 0 for i in probe.images)
    assert "images" in repr(probe) and ZHANG_SAN.cert_no not in repr(probe)


def test_garbage_image_data_is_a_contract_refusal_not_a_crash(client: ApiClient) -> None:
    body = {"certType": "RESIDENT_ID_CARD", "certNo": ZHANG_SAN.cert_no,
            "images": [{"mediaType": "image/jpeg", "data": base64.b64encode(b"nope").decode()}],
            "liveness": {"challenge": "BLINK", "passed": True}}
    with pytest.raises(ApiError) as caught:
        client.verify_face(body)
    assert caught.value.status == 422


def test_a_fresh_e_id_code_names_its_demo_identity(client: ApiClient) -> None:
    answer = client.verify_eid(eid_code(ZHANG_SAN.cert_no), "T-1").json
    assert answer["decision"] == "VALID"
    assert answer["identity"] == {"certType": "RESIDENT_ID_CARD", "certNo": ZHANG_SAN.cert_no,
                                  "name": ZHANG_SAN.name}


def test_an_expired_e_id_code_says_expired_without_identity(client: ApiClient) -> None:
    answer = client.verify_eid(eid_code(ZHANG_SAN.cert_no, ttl_s=-10)).json
    assert answer["decision"] == "EXPIRED" and "identity" not in answer


def test_a_forged_or_foreign_code_is_invalid(client: ApiClient) -> None:
    good = eid_code(ZHANG_SAN.cert_no)
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    assert client.verify_eid(forged).json["reasonCodes"] == ["BAD_SIGNATURE"]
    assert client.verify_eid("EID1.!!.??").json["decision"] == "INVALID"
    assert client.verify_eid(eid_code("990101190001010018")).json["reasonCodes"] == \
        ["UNKNOWN_PERSON"]


def test_technician_test_of_the_face_camera_reports_face_and_quality_figures() -> None:
    from kiosk.device_classes import CAMERA, DeviceTestContext

    ctx = DeviceTestContext(Cancel(), 5.0, "hall", "K-1", "test")
    face_cam = Camera("face_camera", FaceSceneSource("match", fps=30))
    assert face_cam.open().ok
    try:
        r = CAMERA.run_test(face_cam, ctx)
    finally:
        face_cam.close()
    assert r.value is not None and r.value.code == "FACE_FRAME"
    assert r.value.fact("faces") == "1" and r.value.fact("usable") == "yes"
    assert float(r.value.fact("sharpness")) > 0

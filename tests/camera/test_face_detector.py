"""The trained face detector (BlazeFace short range, run by our OpenCV from the model shipped
in the package) on a real photograph of a face and on scenes without one; the real
photograph in the face camera's simulator. Figures against the classical analyser are in
bench/bench_face.py."""

from __future__ import annotations

import hashlib

import cv2
import numpy as np
import pytest

from devices.camera.device import Camera
from devices.camera.face_analysis import SkinFaceAnalyser
from devices.camera.face_detector import MODEL, BlazeFaceDetector
from devices.camera.face_scenes import PHOTO, FaceSceneSource, real_photo
from devices.camera.scenes import scene_set
from devices.idcard import sample_cards

SIZE = (1280, 720)


@pytest.fixture(scope="module")
def detector() -> BlazeFaceDetector:
    return BlazeFaceDetector()


def test_the_shipped_files_are_the_ones_their_provenance_names() -> None:
    for path, digest in (
            (PHOTO, "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"),
            (MODEL, "3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633")):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
        assert digest in (path.parent / "PROVENANCE.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("face_share", [0.15, 0.2, 0.3, 0.45, 0.6])
def test_a_real_face_is_found_once_at_every_size_and_tilt_a_citizen_shows(
        detector: BlazeFaceDetector, face_share: float) -> None:
    for tilt in (-20, -10, 0, 10, 20):
        frame = real_photo(SIZE, face_share, tilt)
        found = detector.detect(frame)
        assert len(found) == 1, (face_share, tilt)
        x, y, w, h = found[0].box
        # the box is the face: where and how big the photograph was framed
        assert abs(x + w / 2 - SIZE[0] / 2) < 0.1 * SIZE[0]
        assert abs(y + h / 2 - 0.45 * SIZE[1]) < 0.1 * SIZE[1]
        assert 0.7 * face_share < w / SIZE[0] < 1.4 * face_share
        right_eye, left_eye = found[0].keypoints[:2]
        assert right_eye[0] < left_eye[0]  # the person's right eye is on the picture's left


def test_the_classical_analyser_misses_the_real_face_that_the_detector_finds(
        detector: BlazeFaceDetector) -> None:
    frames = [real_photo(SIZE, share, tilt) for share in (0.2, 0.3, 0.45) for tilt in (-10, 0, 10)]
    classical = sum(SkinFaceAnalyser().analyse(f).faces == 1 for f in frames)
    trained = sum(len(detector.detect(f)) == 1 for f in frames)
    assert trained == len(frames) and classical < len(frames) // 2


def test_no_face_is_found_on_pages_cards_desks_or_an_empty_wall(
        detector: BlazeFaceDetector) -> None:
    scenes = [s.image for s in scene_set(25)]  # the bench runs 100 and the corpus
    wall = FaceSceneSource("none", size=SIZE)
    scenes += [wall.frame_at(t) for t in (0.0, 0.5, 1.0)]
    assert [i for i, img in enumerate(scenes) if detector.detect(img)] == []


def test_the_simulators_people_are_faces_too(detector: BlazeFaceDetector) -> None:
    for subject in ("match", "stranger", "photo", "portrait"):
        source = FaceSceneSource(subject, size=SIZE)
        assert all(len(detector.detect(source.frame_at(t))) == 1 for t in (0.0, 1.2, 2.2)), \
            subject


def test_the_simulated_face_camera_films_the_real_photograph_through_the_camera_path(
        detector: BlazeFaceDetector) -> None:
    camera = Camera("face_camera", FaceSceneSource("portrait", fps=30))
    assert camera.open().ok
    try:
        frames = [camera.read_preview().value for _ in range(3)]
    finally:
        camera.close()
    images = [f.image for f in frames if f is not None]
    assert len(images) == 3 and all(img.shape == (480, 640, 3) for img in images)
    assert not np.array_equal(images[0], images[1])  # a camera's noise, not a still file
    assert all(len(detector.detect(img)) == 1 for img in images)


def test_a_picture_of_any_shape_or_a_tiny_one_gives_an_answer_not_an_error(
        detector: BlazeFaceDetector) -> None:
    assert detector.detect(np.zeros((8, 8, 3), np.uint8)) == []
    tall = cv2.rotate(real_photo(SIZE, 0.3), cv2.ROTATE_90_CLOCKWISE)
    assert len(detector.detect(cv2.rotate(tall, cv2.ROTATE_90_COUNTERCLOCKWISE))) == 1
    assert detector.detect(np.full((720, 1280, 3), 255, np.uint8)) == []


def test_the_kiosks_analyser_finds_a_usable_frontal_real_face_with_its_eyes() -> None:
    from devices.camera.face_analysis import DetectorFaceAnalyser

    a = DetectorFaceAnalyser().analyse(real_photo(SIZE, 0.3))
    assert a.usable and a.faces == 1 and a.box is not None and a.quality is not None
    assert a.quality.pose < 0.18 and 0.25 < a.quality.size < 0.4
    (lx, ly), (rx, ry) = a.eyes
    x, y, w, h = a.box
    assert x < lx < rx < x + w and y < ly < y + h / 2  # both eyes in the upper face
    assert not a.blink_measurable  # six key points do not show eyelids
    far = DetectorFaceAnalyser().analyse(real_photo(SIZE, 0.15))
    assert far.faces == 1 and "too_far" in far.reasons


def test_a_real_face_whose_eyelids_cannot_be_seen_is_asked_to_turn_not_to_blink() -> None:
    from devices.base import Cancel
    from devices.camera.face_analysis import DetectorFaceAnalyser
    from kiosk.face.check import FaceCheckTimes, run_face_check
    from kiosk.face.matcher import FaceProbe
    from kiosk.services import PreviewFrame

    class Platform:
        asked: list[FaceProbe] = []

        def verify(self, probe: FaceProbe) -> object:
            self.asked.append(probe)
            raise AssertionError("a still picture never reaches the platform")

    prompts: list[str] = []

    def shown(frame: PreviewFrame) -> None:
        prompts.append(frame.problem)

    camera = Camera("face_camera", FaceSceneSource("portrait", fps=30))
    camera.open()
    try:
        r = run_face_check(camera, Cancel(), DetectorFaceAnalyser(), Platform(),  # type: ignore[arg-type]
                           "RESIDENT_ID_CARD", sample_cards.resident().id_number, shown,
                           FaceCheckTimes(face_s=4.0, liveness_s=1.0), challenge="BLINK")
    finally:
        camera.close()
    assert r.value is not None and r.value.decision == "NOT_LIVE"  # a picture does not turn
    assert "BLINK" not in prompts
    assert {"TURN_LEFT", "TURN_RIGHT"} & set(prompts)

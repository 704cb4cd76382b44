"""Materials: pages photographed on the document camera, and 告知承诺 (a signed promise in
place of a material)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.device_roles import DOCUMENT_CAMERA
from kiosk.promise import signature_problem
from kiosk.session import effects as fx
from kiosk.session.application import (
    missing_materials,
)
from kiosk.session.events import (
    Action,
    CaptureDone,
    Event,
    Tap,
)

if TYPE_CHECKING:
    from kiosk.session.machine import SessionMachine


def start_materials(m: SessionMachine) -> list[fx.Effect]:
    """Entering the materials step: the first material still missing is current."""
    todo = m.materials_to_capture()
    missing = [c for c in todo if not m.data.pages.get(c)]
    m.data.material_code = (missing or todo)[0]
    return [fx.StartPreview(m.data.material_code)]


def on_materials(m: SessionMachine, e: Event) -> list[fx.Effect]:
    d, matter = m.data, m.matter
    assert matter is not None
    if isinstance(e, CaptureDone):
        if e.page is not None and e.material_code in m.materials_to_capture():
            pages = d.pages.setdefault(e.material_code, [])
            if len(pages) >= m.page_limit(e.material_code):
                e.page.wipe()  # not kept: the citizen must delete a page first
                d.capture_problem = "page_limit"
                return []
            pages.append(e.page)
            d.capture_problem = ""
        else:
            d.capture_problem = e.problem or "capture_failed"
        return []
    if not isinstance(e, Tap):
        return []
    if e.action is Action.SELECT_MATERIAL and e.value in m.materials_to_capture():
        d.material_code, d.capture_problem = str(e.value), ""
        return [fx.StartPreview(d.material_code)]
    if e.action is Action.CAPTURE and d.material_code:
        if len(d.pages.get(d.material_code) or []) >= m.page_limit():
            d.capture_problem = "page_limit"
            return []
        if m.device_problems.get(DOCUMENT_CAMERA):
            d.capture_problem = "camera_unavailable"
            return []
        return [fx.CapturePage(d.material_code)]
    if e.action is Action.PROMISE and m.data.supplement is None:
        mat = m.material(str(e.value))
        if mat is not None and mat.promisable:  # 承诺代替材料, or back to photographing
            d.promised.symmetric_difference_update({mat.code})
            d.signature, d.signature_problem = [], ""  # a new promise is signed anew
            d.message = ""
        return []
    if e.action is Action.DELETE_PAGE:
        code, index = e.page
        pages = d.pages.get(code) or []
        if 0 <= index < len(pages):
            pages.pop(index).wipe()
        return []
    if e.action is Action.NEXT:
        missing = missing_materials(matter, d)
        if missing and m.device_problems.get(DOCUMENT_CAMERA):
            # No dead end: the camera is out, so the originals are shown at the window
            # when the result is collected (PAPER_AT_WINDOW), and the citizen goes on.
            d.paper.update(missing)
            missing = []
        if missing:
            d.message = "materials_missing"
            return []
        return m.forward()
    if e.action is Action.BACK:
        return m.back()
    return []


def on_promise(m: SessionMachine, e: Event) -> list[fx.Effect]:
    """告知承诺: the 承诺书 is read and signed on the screen (strokes kept in memory)."""
    d = m.data
    if not isinstance(e, Tap):
        return []
    if e.action is Action.ADD_STROKE:
        stroke = tuple((min(1.0, max(0.0, x)), min(1.0, max(0.0, y)))
                       for x, y in e.stroke)
        if stroke:
            d.signature.append(stroke)
            d.signature_problem = ""
    elif e.action is Action.CLEAR_SIGNATURE:
        d.signature, d.signature_problem = [], ""
    elif e.action in (Action.NEXT, Action.CONFIRM):
        d.signature_problem = signature_problem(d.signature)
        if d.signature_problem:
            return []
        return m.forward(m.audit("citizen.promise_signed",
                                       materials=sorted(d.promised)))
    elif e.action is Action.BACK:
        d.signature, d.signature_problem = [], ""
        return m.back()
    return []

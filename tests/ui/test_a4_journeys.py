"""打印A4文书 by touch: the citizen's A4 copy goes to the document printer (the PDF sink, a
real directory of PDF files); with the A4 printer out of paper the copy is greyed with the
reason and applying is not. 补正回执: a supplement prints its receipt on the receipt printer.
Real parts as in conftest (embedded sandbox, queue, simulated devices, window offscreen)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.session import State
from ui.inspect import widget_texts
from ui.journey import Driver
from ui.selftest import demo_card_for


@pytest.fixture
def a4_stack(tmp_path: Path, qapp: Any) -> Iterator[tuple[Driver, Path]]:
    """The demo kiosk whose document printer is the PDF sink writing into ``tmp_path``."""
    from kiosk.app_services import AppServices
    from kiosk.config import load_settings, parse_settings
    from ui.main import build_kiosk
    from ui.selftest import selftest_settings

    base = selftest_settings(load_settings(), tmp_path / "data")
    raw = copy.deepcopy(dict(base.raw))
    sink = tmp_path / "a4-sink"
    raw["devices"]["document_printer"] = {"class": "document_printer", "driver": "pdf_sink",
                                          "directory": str(sink)}
    settings = parse_settings(raw, base.source)
    services = AppServices(settings)
    kiosk = build_kiosk(settings, services, catalog=services.catalog(), voice=False)
    kiosk.window.show()
    try:
        yield Driver(kiosk), sink
    finally:
        kiosk.controller.shutdown()
        kiosk.window.close()
        services.close()
        kiosk.window.deleteLater()
        qapp.processEvents()


def _apply(d: Driver, query: str = "gjj") -> None:
    sim = demo_card_for(d.kiosk.services)
    matter = d.kiosk.machine.catalog.search(query)[0]
    d.start_apply()
    sim.present()
    d.choose(query, matter.code)
    d.fill_form()
    d.capture_materials()
    d.deliver()
    d.confirm()


def _pdf_title(pdf: bytes) -> str:
    m = re.search(rb"/Title\s*\((.*?)\)", pdf)
    if m:
        return m.group(1).decode("latin-1")
    m = re.search(rb"/Title\s*<FEFF([0-9A-Fa-f]*)>", pdf)
    return bytes.fromhex(m.group(1).decode()).decode("utf-16-be") if m else ""


def test_an_a4_copy_to_the_pdf_sink(a4_stack: tuple[Driver, Path]) -> None:
    """The citizen finishes an application and taps 打印A4文书: one PDF job lands in the sink
    with the form and the notice (two A4 pages) and the receipt number as its title."""
    from devices.document_printer.types import pdf_page_count

    d, sink = a4_stack
    m = d.kiosk.machine
    _apply(d)
    outcome = m.data.outcome
    assert outcome is not None and outcome.delivered
    d.take_receipt()  # the receipt still comes from the receipt printer
    d.tap("action:print_a4")
    d.wait_for("A4 printed", lambda: m.data.a4_printed, timeout_s=30)
    [pdf_file] = sorted(sink.glob("job-*.pdf"))
    pdf = pdf_file.read_bytes()
    assert pdf.startswith(b"%PDF") and pdf_page_count(pdf) == 2
    assert _pdf_title(pdf) == outcome.client_application_id
    facts = json.loads(pdf_file.with_suffix(".json").read_text(encoding="utf-8"))
    assert facts["title"] == outcome.client_application_id and facts["pages"] == 2
    assert oct(pdf_file.stat().st_mode & 0o777) == "0o600"
    d.kiosk.window.show_state()
    assert any("A4文书" in t and "已打印" in t for t in widget_texts(d.window))
    d.tap("action:finish")
    d.wait_state(State.ATTRACT)
    assert not m.data.a4_printed  # wiped with the session


def test_a4_printer_out_of_paper_greys_only_the_a4_copy(a4_stack: tuple[Driver, Path]) -> None:
    """Paper out on the A4 printer: 办理业务 stays enabled, the citizen still applies and gets
    the receipt; the A4 button is greyed with the reason and a tap prints nothing."""
    d, sink = a4_stack
    m = d.kiosk.machine
    printer = d.kiosk.services.device("document_printer")
    printer.set_state("paper_out")  # type: ignore[union-attr]
    d.wait_for("A4 printer out", lambda: m.device_problems.get("document_printer") == "PAPER_OUT")
    d.kiosk.window.show_state()
    assert m.services()["apply"] == ""
    assert d.find("action:start_apply").isEnabled()
    _apply(d)
    d.take_receipt()
    d.kiosk.window.show_state()
    button = d.find("action:print_a4")
    assert not button.isEnabled() and button.accessibleName()
    assert any("文书打印机" in t and "缺纸" in t for t in widget_texts(d.window))
    assert not list(sink.glob("job-*.pdf"))
    printer.set_state("ready")  # type: ignore[union-attr]
    d.wait_for("A4 printer back", lambda: "document_printer" not in m.device_problems)
    d.kiosk.window.show_state()
    d.tap("action:print_a4")
    d.wait_for("A4 printed", lambda: m.data.a4_printed, timeout_s=30)
    assert len(list(sink.glob("job-*.pdf"))) == 1

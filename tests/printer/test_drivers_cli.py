"""Driver registry entries, option validation, and the command line (real subprocesses)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from devices.base import Device, DeviceOptionError, drivers_for, find_driver
from devices.printer.device import ReceiptPrinter
from devices.printer.transport import NetworkTransport, SerialTransport, UsbTransport
from devices.status import Availability
from kiosk.qr_payload import PayloadKind, classify
from kiosk.receipts import intake_receipt, samples

ROOT = Path(__file__).resolve().parents[2]


def kiosk(*args: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "kiosk"] + (["--config", str(config)] if config else [])
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=60,
                          cwd=ROOT)


def test_all_printer_drivers_are_registered() -> None:
    assert {s.name for s in drivers_for("printer")} >= {"usb", "serial", "network", "file",
                                                        "simulated"}


def test_finding_a_printer_driver_loads_no_other_device_class() -> None:
    code = ("import sys\n"
            "from devices.base import find_driver\n"
            "assert find_driver('printer', 'simulated') is not None\n"
            "print(sorted(m for m in sys.modules if m.endswith('.drivers') or m == 'cv2'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=ROOT, check=True)
    assert out.stdout.strip() == "['devices.printer.drivers']"  # no OpenCV, no scanner stack


def test_usb_driver_takes_hex_ids_and_custom_endpoints() -> None:
    spec = find_driver("printer", "usb")
    assert spec is not None
    p = spec.factory("printer", {"vendor_id": "0x0416", "product_id": "0x5011",
                                 "in_ep": "0x81", "out_ep": "0x03", "paper_width_mm": 58})
    assert isinstance(p, ReceiptPrinter) and isinstance(p, Device)
    t = p.transport
    assert isinstance(t, UsbTransport)
    assert (t.vendor_id, t.product_id, t.in_ep, t.out_ep) == (0x0416, 0x5011, 0x81, 0x03)
    assert p.paper.columns == 32


def test_usb_printer_absent_is_a_status_not_an_exception() -> None:
    spec = find_driver("printer", "usb")
    assert spec is not None
    p = spec.factory("printer", {"vendor_id": 0x0416, "product_id": 0x5011})
    status = p.poll_status()
    assert status.availability in (Availability.DISCONNECTED, Availability.HARDWARE_ERROR)
    assert status.fault is not None and status.fault.message


@pytest.mark.parametrize(("driver", "options", "key"), [
    ("network", {"host": "127.0.0.1", "paper_width_mm": 76}, "paper_width_mm"),
    ("network", {}, "host"),
    ("usb", {"vendor_id": "zz", "product_id": 1}, "vendor_id"),
    ("usb", {"vendor_id": 1, "product_id": 1, "out_ep": "0x82"}, "out_ep"),
    ("serial", {"port": "/dev/ttyS0", "flow_control": "magic"}, "flow_control"),
    ("serial", {"port": "/dev/ttyS0", "charset": "big5"}, "charset"),
    ("file", {"path": "/tmp/x", "colour": "red"}, "colour"),
    ("simulated", {"sim_paper": "empty"}, "sim_paper"),
])
def test_bad_option_names_the_key(driver: str, options: dict[str, object], key: str) -> None:
    spec = find_driver("printer", driver)
    assert spec is not None
    with pytest.raises(DeviceOptionError) as err:
        spec.factory("printer", options)
    assert err.value.key == key


def test_receipt_sample_then_render_gives_a_scannable_chinese_receipt(tmp_path: Path) -> None:
    bin_path, png = tmp_path / "r.bin", tmp_path / "r.png"
    got = kiosk("receipt", "sample", "--out", str(bin_path), "--width", "58")
    assert got.returncode == 0, got.stderr
    got = kiosk("receipt", "render", str(bin_path), "--out", str(png), "--width", "58",
                "--text")
    assert got.returncode == 0, got.stderr
    assert "收件回执" in got.stdout and "收件待上传" in got.stdout
    [qr] = [r.text for r in zxingcpp.read_barcodes(Image.open(png))]
    assert classify(qr).kind is PayloadKind.RECEIPT


def test_receipt_render_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    got = kiosk("receipt", "render", str(tmp_path / "nope.bin"), "--out", str(tmp_path / "x"))
    assert got.returncode == 1 and got.stderr.count("\n") == 1 and "Traceback" not in got.stderr


def test_printer_status_json_and_test_page_on_the_demo_printer(tmp_path: Path) -> None:
    got = kiosk("printer", "status", "--json")
    assert got.returncode == 0, got.stderr
    status = json.loads(got.stdout)
    assert status["availability"] == "READY" and status["media"]["paper"] == "ok"
    assert status["info"]["model"] == "KIOSK-SIM80"
    saved = tmp_path / "test.bin"
    got = kiosk("printer", "test", "--save", str(saved))
    assert got.returncode == 0, got.stderr
    assert "test page printed" in got.stdout and saved.read_bytes().endswith(b"\x1dV\x00")


def test_test_page_saved_to_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    got = kiosk("printer", "test", "--save", str(tmp_path / "no-such-dir" / "test.bin"))
    assert got.returncode == 1 and "Traceback" not in got.stderr
    assert got.stderr.startswith("kiosk printer: cannot write") and "internal" not in got.stderr


def test_paper_out_demo_printer_fails_the_test_page_with_one_line(tmp_path: Path) -> None:
    text = (ROOT / "kiosk.toml").read_text(encoding="utf-8")
    text = text.replace('paper_width_mm = 80', 'paper_width_mm = 80\nsim_paper = "out"')
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(text, encoding="utf-8")
    (tmp_path / "packaging/demo").mkdir(parents=True)
    (tmp_path / "packaging/demo/demo-api-secret").write_text("x")
    got = kiosk("printer", "status", config=cfg)
    assert got.returncode == 1 and "PAPER_OUT" in got.stdout and "clear" in got.stdout
    got = kiosk("printer", "test", config=cfg)
    assert got.returncode == 1 and got.stderr.startswith("kiosk printer: PAPER_OUT")


def test_unknown_printer_name_is_a_usage_error() -> None:
    got = kiosk("printer", "status", "--device", "nope")
    assert got.returncode == 2 and "no printer named 'nope'" in got.stderr


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_simulator(*args: str) -> tuple[subprocess.Popen[str], str]:
    # SIGINT ignored, as a shell's background job starts (make test in the background):
    # Ctrl-C must stop the simulator all the same.
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "printer", "simulate", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, preexec_fn=_ignore_sigint)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    assert first.startswith("simulated printer on "), first + proc.stderr.read()
    return proc, first.split(" on ", 1)[1].split(" (", 1)[0]


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    return out


def test_simulate_command_serves_tcp_with_the_given_state_and_saves_jobs(
        tmp_path: Path) -> None:
    proc, where = _start_simulator("--port", "0", "--set", "paper=low", "--save-dir",
                                   str(tmp_path))
    try:
        host, port = where.split(":")
        p = ReceiptPrinter("printer", NetworkTransport(host, int(port), timeout=5))
        assert p.open().ok
        status = p.poll_status()
        assert status.media["paper"] == "low" and status.availability is Availability.READY
        receipt = intake_receipt(samples.sample_receipt(), 80)
        assert p.print_job(receipt).ok
        p.close()
        deadline = time.monotonic() + 10
        while not (tmp_path / "job-0001.png").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        out = _stop(proc)
    assert (tmp_path / "job-0001.bin").read_bytes() == receipt
    assert "stopped: 1 job(s)" in out


def test_simulate_command_serves_a_pty_serial_printer() -> None:
    proc, port = _start_simulator("--serial", "--set", "cover=open")
    try:
        p = ReceiptPrinter("printer", SerialTransport(port, 115200))
        status = p.poll_status()
        p.close()
    finally:
        _stop(proc)
    assert status.fault is not None and status.fault.code == "COVER_OPEN"


def test_simulate_command_rejects_an_unknown_state_in_one_line() -> None:
    got = kiosk("printer", "simulate", "--port", "0", "--set", "paper=empty")
    assert got.returncode == 2 and got.stderr.startswith("kiosk printer simulate: paper must")


def test_printer_layout_carries_its_options_into_the_templates() -> None:
    spec = find_driver("printer", "file")
    assert spec is not None
    p = spec.factory("printer", {"path": "/tmp/unused", "paper_width_mm": 58,
                                 "native_qr": False, "cut": "partial", "charset": "gbk"})
    assert isinstance(p, ReceiptPrinter)
    data = intake_receipt(samples.sample_receipt(), **p.layout)
    assert data.endswith(b"\x1dV\x01") and b"\x1d(k" not in data
    assert data == intake_receipt(samples.sample_receipt(), 58, "gbk", False, "partial")


@pytest.mark.parametrize("kind", ["intake", "reprint", "query", "test", "readiness"])
def test_receipt_sample_writes_every_kind(tmp_path: Path, kind: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    out = tmp_path / f"{kind}.bin"
    assert main(["receipt", "sample", "--out", str(out), "--kind", kind, "--width", "58"]) == 0
    assert out.read_bytes().startswith(b"\x1b@\x1c&") and f"{kind} on 58 mm" in \
        capsys.readouterr().out

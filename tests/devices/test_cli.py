"""`kiosk idcard …`, `kiosk qr decode`, `kiosk doctor` as a person runs them: through
``kiosk.cli.main`` in-process (argument parsing, handlers, exit status, stdout) and, for the
end-to-end cases, as real subprocesses."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from devices.idcard import sample_cards
from devices.idcard.frame import pack_read_data, pack_response
from devices.idcard.simulator import IdCardSimulator
from devices.idcard.textblock import encode_text_block
from tests.devices.idcard_fixtures import CARDS, full_exchange, read_answer, with_bad_check_digit

KEYS = ["card_type", "name", "english_name", "gender_code", "nation_code", "birth_date",
        "address", "id_number", "issuer", "valid_from", "valid_until", "pass_number",
        "issue_count", "nationality", "photo"]
CORPUS = Path("/work/shared/corpus")
if not CORPUS.is_dir():  # ../shared beside the checkout, as tests/conftest.py assumes
    CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def kiosk_process(*args: str, stdin: bytes | None = None,
                  timeout: float = 60) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "kiosk", *args], input=stdin,
                          capture_output=True, timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(),
                                       proc.stderr.decode())


@pytest.fixture
def own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config whose data_dir is the test's: ``idcard read`` writes an audit record."""
    from tests.queue.sandbox_apps import write_config

    (tmp_path / "kiosk").mkdir()
    cfg = write_config(tmp_path / "kiosk", "http://127.0.0.1:9/uap/v1")
    monkeypatch.setenv("KIOSK_CONFIG", str(cfg))
    return cfg


@pytest.fixture
def kiosk(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``kiosk ARGS`` in this process; returns (exit status, stdout, stderr)."""
    from kiosk.cli import main

    def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        status = main(list(args))
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, status, out.out, out.err)
    return run


def hexdump(data: bytes) -> bytes:
    return "\n".join(data[i:i + 16].hex(" ").upper() for i in range(0, len(data), 16)).encode()


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.card_type.value + c.name)
def test_decode_prints_masked_json_with_exactly_the_issue_keys(card, tmp_path: Path, kiosk) -> None:
    capture = tmp_path / "capture.hex"
    capture.write_bytes(hexdump(full_exchange(card)))
    out = kiosk("idcard", "decode", str(capture), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data) == KEYS
    assert data["card_type"] == card.card_type.value
    assert card.id_number not in out.stdout and data["id_number"].count("*") >= 7
    assert data["photo"] == {"format": "wlt", "bytes": 1024}


def test_decode_reveal_from_stdin_binary_shows_the_card(kiosk) -> None:
    card = sample_cards.resident_long_term()
    out = kiosk("idcard", "decode", "-", "--json", "--reveal", stdin=read_answer(card))
    data = json.loads(out.stdout)
    assert data["name"] == "孙七测试" and data["id_number"] == card.id_number
    assert data["valid_until"] == "long-term" and data["birth_date"] == "1960-12-31"
    assert data["nation_code"] == "03" and data["english_name"] is None


def test_decode_text_output_is_labelled_and_masked(kiosk) -> None:
    out = kiosk("idcard", "decode", "-", stdin=hexdump(read_answer(sample_cards.resident())))
    assert out.returncode == 0
    assert "姓名 name: 张***" in out.stdout and "民族 nation: 01 (汉)" in out.stdout
    assert sample_cards.resident().id_number not in out.stdout


def _corrupt(data: bytes) -> bytes:
    b = bytearray(data)
    b[-1] ^= 0x55
    return bytes(b)


FAILURES = {
    "CHECKSUM": _corrupt(read_answer(sample_cards.resident())),
    "TRUNCATED": read_answer(sample_cards.resident())[:600],
    "NO_CARD": pack_response(0x80),
    "READ_FAILED": pack_response(0x41),
    "BAD_CHECK_DIGIT": read_answer(with_bad_check_digit(sample_cards.resident())),
    "BAD_LENGTH": bytes.fromhex("AAAAAA9669FFFF00009000"),
    "NO_FRAME": b"this is not a capture\n",
    "BAD_FIELD": None,  # filled below: a birth date that is no calendar date
}
_text = bytearray(encode_text_block(sample_cards.resident()))
_text[36:52] = "19900230".encode("utf-16-le")
FAILURES["BAD_FIELD"] = pack_response(0x90, pack_read_data(bytes(_text), bytes(1024)))


@pytest.mark.parametrize("code", sorted(FAILURES))
def test_decode_failures_exit_2_with_an_error_object(code: str, kiosk) -> None:
    data = FAILURES[code]
    assert data is not None
    out = kiosk("idcard", "decode", "-", "--json", stdin=hexdump(data))
    assert out.returncode == 2
    assert "Traceback" not in out.stdout + out.stderr
    assert json.loads(out.stdout)["error"]["code"] == code


def test_decode_as_a_real_process_exits_2_on_failure_without_traceback() -> None:
    out = kiosk_process("idcard", "decode", "-", "--json",
                        stdin=b"AA AA AA 96 69 00 04 00 00 41 45")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    error = json.loads(out.stdout)["error"]
    assert set(error) == {"code", "message"} and error["code"] == "READ_FAILED"


def test_decode_missing_file_and_empty_input_exit_2(kiosk) -> None:
    missing = kiosk("idcard", "decode", "/nonexistent/capture.hex")
    assert missing.returncode == 2 and json.loads(missing.stdout)["error"]["code"] == "NO_INPUT"
    empty = kiosk("idcard", "decode", "-", stdin=b"")
    assert empty.returncode == 2 and json.loads(empty.stdout)["error"]["code"] == "NO_FRAME"


def test_read_from_a_simulated_reader_on_a_pty(tmp_path: Path, kiosk, own_config: Path) -> None:
    with IdCardSimulator(CARDS, link_path=str(tmp_path / "ttyUSB0")) as sim:
        sim.present(sample_cards.foreign_2017())
        out = kiosk("idcard", "read", "--port", sim.path, "--json", "--timeout", "30")
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(out.stdout)
    assert data["card_type"] == "foreign_permanent_2017" and data["nationality"] == "USA"



def test_a_card_read_on_the_command_line_is_audited_with_the_os_user_and_staff_number(
        tmp_path: Path, kiosk, own_config: Path) -> None:
    import getpass

    from kiosk.audit import audit_path

    with IdCardSimulator(CARDS, link_path=str(tmp_path / "ttyUSB0")) as sim:
        sim.present(sample_cards.foreign_2017())
        out = kiosk("idcard", "read", "--port", sim.path, "--json", "--timeout", "30",
                    "--reveal", "--staff", "9900003")
    assert out.returncode == 0, out.stdout + out.stderr
    log = audit_path(own_config.parent / "var").read_text(encoding="utf-8")
    [rec] = [json.loads(x) for x in log.splitlines()]
    assert rec["event"] == "tech.card_read" and rec["staff"] == "9900003"
    assert rec["actor"].startswith(f"os:{getpass.getuser()}")
    assert rec["details"]["revealed"] is True
    card_no = sample_cards.foreign_2017().id_number
    assert card_no not in log and rec["details"]["certNo"].count("*") > 0


def test_read_on_a_missing_port_exits_2(tmp_path: Path, kiosk) -> None:
    out = kiosk("idcard", "read", "--port", str(tmp_path / "ttyUSB7"), "--json")
    assert out.returncode == 2
    assert json.loads(out.stdout)["error"]["code"] == "DISCONNECTED"


def test_simulate_then_read_end_to_end(tmp_path: Path, own_config: Path) -> None:
    link = tmp_path / "sim-link"
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "idcard", "simulate", "--link",
                             str(link), "--seconds", "120"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        path = proc.stdout.readline().strip()
        assert path == str(link)
        out = kiosk_process("idcard", "read", "--port", path, "--json", "--timeout", "30")
        assert out.returncode == 0, out.stdout
        assert json.loads(out.stdout)["name"] == "张***"
    finally:
        proc.terminate()
        proc.wait(10)


def test_qr_decode_prints_one_json_line_per_image(tmp_path: Path, kiosk) -> None:
    folder = CORPUS / "zxing" / "qrcode-3"
    if not folder.is_dir():
        pytest.skip("corpus not present")
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG broken")
    images = [folder / "01.png", CORPUS / "zxing" / "falsepositives-2" / "01.png", bad]
    out = kiosk("qr", "decode", *map(str, images), "--json")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 3 and out.returncode == 2
    first = lines[0]["codes"][0]
    assert first["text"] == (folder / "01.txt").read_text(encoding="utf-8")
    assert first["format"] == "QRCode" and len(first["corners"]) == 4
    assert first["kind"] == "other"
    assert lines[1]["codes"] == [] or lines[1]["image"].endswith("01.png")
    assert lines[2]["error"]["code"] == "BAD_IMAGE"


def test_doctor_lists_demo_devices_and_serial_ports(kiosk) -> None:
    out = kiosk("doctor", "--json")
    data = json.loads(out.stdout)
    by_name = {d["name"]: d for d in data["devices"]}
    assert set(by_name) >= {"id_reader", "document_camera", "receipt_printer", "code_scanner"}
    assert by_name["id_reader"]["availability"] == "READY"
    assert by_name["id_reader"]["driver"] == "simulated"
    assert by_name["id_reader"]["info"]["serial"]
    for name in ("document_camera", "receipt_printer"):
        d = by_name[name]
        assert d["availability"] == "READY" or "driver not available" in d["fault"]["message"]
    assert isinstance(data["serial_ports"], list)
    assert set(data["services"]) >= {"apply", "query"}
    assert data["services"]["query"] == {"available": True, "reason": ""}
    text = kiosk_process("doctor")
    assert "id_reader (idcard, role id_reader, driver simulated): READY" in text.stdout
    assert "serial ports:" in text.stdout

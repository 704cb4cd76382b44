"""The ``kiosk`` commands against a sandbox started by ``kiosk sandbox`` in its own process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.api.client import ApiClient
from kiosk.sandbox.server import DEMO_ACCESS_KEY, DEMO_SECRET_FILE, demo_credentials
from tests.api.helpers import application, fake_jpeg, sha256

CONFIG = """
[kiosk]
device_id = "DEMO-KIOSK-0001"
hall_code = "330106-HALL-01"
area_code = "330106"
demo = true
data_dir = "{data}"

[api]
base_url = "{url}"
access_key = "DEMO-KIOSK-0001"
secret_file = "{secret}"
"""


def kiosk(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, timeout=timeout, env=os.environ.copy())


def write_config(tmp_path: Path, url: str, secret: Path = DEMO_SECRET_FILE) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG.format(data=tmp_path / "var", url=url, secret=secret),
                    encoding="utf-8")
    return path


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "cli-sandbox.db"
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config",
                             str(write_config(tmp_path, "embedded")), "sandbox", "--port", "0",
                             "--db", str(db), "--status-step", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("sandbox listening on "), line + (proc.stderr.read() if proc.stderr else "")
    url = line.split()[3]
    yield url, db
    proc.terminate()
    assert proc.wait(10) == 0


def test_dump_lists_an_application_sent_with_one_attachment(running: tuple[str, Path],
                                                            tmp_path: Path) -> None:
    url, db = running
    client = ApiClient(url, DEMO_ACCESS_KEY, demo_credentials()[DEMO_ACCESS_KEY])
    app = application()
    photo = fake_jpeg(3000, seed=9)
    fid = client.upload(photo, sha256=sha256(photo), filename="p.jpg", content_type="image/jpeg",
                        client_application_id=app["clientApplicationId"])
    app["materials"][2] = {"materialCode": "M0005-03", "fileIds": [fid]}
    receipt = client.submit_application(app, app["clientApplicationId"]).json
    assert client.submit_application(app, app["clientApplicationId"]).replayed
    done = kiosk("sandbox", "dump", "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows == [{"clientApplicationId": app["clientApplicationId"],
                     "applicationId": receipt["applicationId"], "matter": "330106SBX0005",
                     "applicantCertNo": "330199198806060046",
                     "files": [{"sha256": sha256(photo), "bytes": 3000}], "evaluation": None,
                     "identificationMethod": "IDCARD_FACE"}]
    status = kiosk("--config", str(write_config(tmp_path, url)), "status",
                   receipt["applicationId"], "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["projId"] == receipt["projId"]
    by_pw = kiosk("--config", str(write_config(tmp_path, url)), "status", "--password",
                  receipt["queryPassword"])
    assert by_pw.returncode == 0 and receipt["projId"] in by_pw.stdout


def test_matters_search_and_detail_print_the_contract_json(running: tuple[str, Path],
                                                           tmp_path: Path) -> None:
    url, _ = running
    cfg = str(write_config(tmp_path, url))
    found = kiosk("--config", cfg, "matters", "--q", "公积金", "--json")
    assert found.returncode == 0, found.stderr
    assert [m["name"] for m in json.loads(found.stdout)] == ["提取住房公积金"]
    detail = kiosk("--config", cfg, "matters", "--code", "330106SBX0001", "--json")
    matter = json.loads(detail.stdout)
    client = ApiClient(url, DEMO_ACCESS_KEY, demo_credentials()[DEMO_ACCESS_KEY])
    assert matter == client.get_matter("330106SBX0001").json
    assert any(m["exemption"] for m in matter["materials"]) and matter["formSchema"]
    missing = kiosk("--config", cfg, "matters", "--code", "NOPE")
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1


def test_unreachable_gateway_is_one_line_and_exit_3(tmp_path: Path) -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    done = kiosk("--config", str(write_config(tmp_path, f"http://127.0.0.1:{port}/uap/v1")),
                 "matters")
    assert done.returncode == 3
    assert done.stderr.startswith("kiosk: gateway unreachable") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_bad_credentials_are_one_line_and_exit_4(running: tuple[str, Path],
                                                 tmp_path: Path) -> None:
    url, _ = running
    wrong = tmp_path / "wrong-secret"
    wrong.write_text("not-the-secret\n")
    done = kiosk("--config", str(write_config(tmp_path, url, wrong)), "status", "app_x")
    assert done.returncode == 4 and "refused this kiosk's credentials" in done.stderr
    assert done.stderr.count("\n") == 1


def test_clock_skew_is_one_line_naming_the_offset(tmp_path: Path) -> None:
    db = tmp_path / "skew.db"
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config",
                             str(write_config(tmp_path, "embedded")), "sandbox", "--port", "0",
                             "--db", str(db), "--fault-clock-offset", "-400"],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[3]
        done = kiosk("--config", str(write_config(tmp_path, url)), "matters")
        assert done.returncode == 4
        assert "clock is 400 s ahead of the gateway's" in done.stderr or \
               "clock is 399 s ahead of the gateway's" in done.stderr or \
               "clock is 401 s ahead of the gateway's" in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1
    finally:
        proc.terminate()
        proc.wait(10)


def test_demo_config_starts_the_embedded_sandbox_for_a_command(tmp_path: Path) -> None:
    done = kiosk("--config", str(write_config(tmp_path, "embedded")), "matters", "--q", "gjj")
    assert done.returncode == 0, done.stderr
    assert "提取住房公积金" in done.stdout
    assert (tmp_path / "var" / "sandbox" / "sandbox.db").is_file()


def test_bad_fault_flag_value_is_refused_before_starting(tmp_path: Path) -> None:
    done = kiosk("sandbox", "--db", str(tmp_path / "x.db"), "--fault-error-rate", "3")
    assert done.returncode == 2 and "error_rate" in done.stderr


def test_missing_secret_file_is_a_one_line_configuration_error(tmp_path: Path) -> None:
    done = kiosk("--config", str(write_config(tmp_path, "embedded", tmp_path / "nope")),
                 "matters")
    assert done.returncode == 2 and "api.secret_file" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_dump_of_a_file_that_is_not_a_sandbox_database_is_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are not SQLite pages\n" * 100)
    done = kiosk("sandbox", "dump", "--db", str(bogus), "--json")
    assert done.returncode == 1 and "not a readable sandbox database" in done.stderr
    assert done.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # nothing created
    missing = kiosk("sandbox", "dump", "--db", str(tmp_path / "none.db"), "--json")
    assert missing.returncode == 1 and missing.stderr.startswith("kiosk: no sandbox database")

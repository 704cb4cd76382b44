from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

from tests.conftest import ROOT


def _demo_config(tmp_path: Path) -> Path:
    text = (ROOT / "kiosk.toml").read_text(encoding="utf-8")
    text = text.replace('data_dir = "var"', f'data_dir = "{tmp_path / "var"}"')
    text = text.replace('secret_file = "packaging/demo/demo-api-secret"',
                        f'secret_file = "{ROOT / "packaging/demo/demo-api-secret"}"')
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


def test_diag_export_bundles_every_part_and_masks_id_numbers_in_the_log(tmp_path: Path) -> None:
    cfg = _demo_config(tmp_path)
    log_dir = tmp_path / "var" / "log"
    log_dir.mkdir(parents=True)
    (log_dir / "kiosk.log").write_text("read card 990101190001010018 ok\n", encoding="utf-8")
    out = tmp_path / "bundle.tar.gz"
    proc = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(cfg), "diag", "export",
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_mode & 0o077 == 0
    with tarfile.open(out) as tar:
        names = {Path(n).name for n in tar.getnames()}
        assert {"doctor.json", "queue-status.json", "audit-verify.json", "config.json",
                "versions.json", "kiosk.log"} <= names
        log = next(m for m in tar.getmembers() if m.name.endswith("kiosk.log"))
        text = tar.extractfile(log).read().decode()  # type: ignore[union-attr]
    assert "990101190001010018" not in text and "9901**********0018" in text

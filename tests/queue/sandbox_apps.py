"""Valid applications for the sandbox (fictitious demo identity) and a kiosk.toml for tests."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from kiosk.sandbox.catalog import Catalog
from kiosk.sandbox.demo_identities import ZHAO_LIU
from kiosk.submission import Application, Attachment

ROOT = Path(__file__).resolve().parents[2]
MATTER = "330106SBX0005"       # 居住证申领: one required material that needs files
MATERIAL = "M0005-03"
CERT_NO = ZHAO_LIU.cert_no     # fictitious (region 330199 does not exist)
NAME = ZHAO_LIU.name


def applicant(**changes: Any) -> dict[str, Any]:
    a = {"applicantType": "NATURAL_PERSON", "certType": "RESIDENT_ID_CARD",
         "certNo": CERT_NO, "name": NAME, "phone": ZHAO_LIU.phone}
    a.update(changes)
    return a


def form() -> dict[str, Any]:
    example: dict[str, Any] = Catalog().get(MATTER)["formSchema"]["examples"][0]  # type: ignore[index]
    return dict(example)


def jpeg(seed: int, approx_bytes: int = 20_000) -> bytes:
    """A real JPEG (noise) of roughly the given size."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    side = max(16, int((approx_bytes / 1.1) ** 0.5 / 1.0))
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8)).save(buf, "JPEG",
                                                                             quality=90)
    return buf.getvalue()


def application(seed: int = 0, n_files: int = 1, approx_bytes: int = 20_000,
                **kw: Any) -> Application:
    files = [Attachment(MATERIAL, jpeg(seed * 100 + i, approx_bytes), "image/jpeg")
             for i in range(n_files)]
    return Application(impl_code=MATTER, applicant=kw.pop("applicant", applicant()),
                       form=kw.pop("form", form()), attachments=files, **kw)


def write_config(tmp: Path, base_url: str, *, max_bytes: int = 2 * 1024**3,
                 min_free_bytes: int = 1024**2) -> Path:
    cfg = tmp / "kiosk.toml"
    cfg.write_text(f"""
[kiosk]
device_id = "DEMO-KIOSK-0001"
hall_code = "330106-HALL-01"
area_code = "330106"
data_dir = "{tmp / 'var'}"

[api]
base_url = "{base_url}"
access_key = "DEMO-KIOSK-0001"
secret_file = "{ROOT / 'packaging' / 'demo' / 'demo-api-secret'}"
connect_timeout_s = 1
read_timeout_s = 10

[queue]
max_bytes = {max_bytes}
min_free_bytes = {min_free_bytes}
""", encoding="utf-8")
    return cfg


def kiosk(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)


def dump(db: Path) -> list[dict[str, Any]]:
    """What the platform received, through ``kiosk sandbox dump`` (the public way)."""
    res = kiosk("sandbox", "dump", "--db", db, "--json")
    assert res.returncode == 0, res.stderr
    data: list[dict[str, Any]] = json.loads(res.stdout)
    return data


def rng(seed: int) -> random.Random:
    return random.Random(seed)

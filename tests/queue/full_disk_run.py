"""Run inside a private mount namespace with a small tmpfs at argv[1] (the data disk):
stores applications, fills the disk to the last byte, and reports what each ``kiosk``
command did then, and after space came back, as JSON on stdout."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from tests.queue.sandbox_apps import applicant, form, jpeg, kiosk, write_config

MATTER, MATERIAL = "330106SBX0005", "M0005-03"


def main(disk: Path, n: int) -> None:
    cfg = write_config(disk, "http://127.0.0.1:9/uap/v1", min_free_bytes=0)
    inp = disk / "in"
    inp.mkdir()
    (inp / "a.json").write_text(json.dumps(applicant(), ensure_ascii=False), encoding="utf-8")
    (inp / "f.json").write_text(json.dumps(form(), ensure_ascii=False), encoding="utf-8")
    (inp / "p.jpg").write_bytes(jpeg(1, 4000))
    args = ["--config", cfg, "submit", "--matter", MATTER, "--applicant", inp / "a.json",
            "--form", inp / "f.json", "--attach", f"{MATERIAL}={inp / 'p.jpg'}", "--no-sync"]
    stored = [kiosk(*args).returncode for _ in range(n)]
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    for size in (65536, 4096, 512, 64, 1):  # to the last byte
        try:
            while os.write(fd, b"\0" * size):
                pass
        except OSError:
            pass
    os.close(fd)
    full = {name: _run(*a) for name, a in {
        "status": ("--config", cfg, "queue", "status", "--json"),
        "list": ("--config", cfg, "queue", "list", "--json"),
        "submit": tuple(args),
    }.items()}
    filler.unlink()
    after = _run("--config", cfg, "queue", "status", "--json")
    moved = [p.name for p in (disk / "var" / "queue").iterdir() if ".corrupt-" in p.name]
    print(json.dumps({"stored": stored, "full": full, "after": after, "moved": moved}))


def _run(*args: object) -> dict[str, object]:
    res = kiosk(*map(str, args))
    return {"rc": res.returncode, "out": res.stdout, "err": res.stderr}


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))

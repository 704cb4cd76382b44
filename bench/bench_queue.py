"""Offline queue benchmark (issue #3 §10): figures and ratios against plain baselines, one run.

1. Durable enqueue of a 10-page application (10 × ~500 KB JPEG)  — target ≤ 150 ms.
   Baseline: the same bytes written + fsynced as files and one sqlite3 row, no encryption.
2. Durable enqueue of small items per second — target ≥ 50 % of a plain sqlite3 insert loop
   with the same durability (WAL, synchronous=FULL, one transaction per row).
3. Resync throughput to the sandbox on loopback — target ≥ 80 % of a plain ``requests``
   upload loop of the same bytes (same endpoints, signed, no queue).

Run: ``.venv/bin/python bench/bench_queue.py [--quick]``. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from offline_queue import NewFile, Outbox, file_ref  # noqa: E402


def make_jpeg(seed: int, target: int = 500_000) -> bytes:
    """A real JPEG of about ``target`` bytes (noisy page photo)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    side = 560
    while True:
        pixels = rng.integers(0, 256, (side, int(side * 1.3), 3), dtype=np.uint8)
        buf = io.BytesIO()
        Image.fromarray(pixels).save(buf, "JPEG", quality=85)
        data = buf.getvalue()
        if len(data) >= target:
            return data
        side = int(side * 1.1)


def body_for(item_id: str, n_files: int, pad: int = 0) -> bytes:
    doc = {"clientApplicationId": item_id, "implCode": "BENCH-0001",
           "applicant": {"certType": "RESIDENT_ID_CARD", "certNo": "999999199001011230", "name": "测试"},
           "form": {"note": "x" * pad},
           "materials": [{"materialCode": "M1", "fileIds": [file_ref(item_id, i) for i in range(n_files)]}]}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def open_outbox(root: Path) -> Outbox:
    return Outbox(root / "outbox.db", root / "files", root / "outbox.key",
                  max_bytes=50 * 1024**3, min_free_bytes=0)


def plain_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t(id TEXT PRIMARY KEY, body BLOB, created REAL)")
    return conn


def plain_enqueue(conn: sqlite3.Connection, files_dir: Path, item_id: str, body: bytes,
                  pages: list[bytes]) -> None:
    for i, data in enumerate(pages):
        fd = os.open(files_dir / f"{item_id}-{i}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
    dfd = os.open(files_dir, os.O_RDONLY | os.O_DIRECTORY)
    os.fsync(dfd)
    os.close(dfd)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t VALUES (?,?,?)", [item_id, body, time.time()])
    conn.execute("COMMIT")


def bench_ten_pages(root: Path, runs: int) -> dict[str, float]:
    pages = [make_jpeg(i) for i in range(10)]
    size = sum(len(p) for p in pages)
    ob = open_outbox(root / "q1")
    queue_ms = []
    for r in range(runs):
        item_id = f"ten-{r}"
        files = [NewFile("M1", p, "image/jpeg") for p in pages]
        t0 = time.perf_counter()
        res = ob.enqueue(item_id, "application", body_for(item_id, 10), files)
        queue_ms.append((time.perf_counter() - t0) * 1000)
        assert res.ok, res
    ob.close()
    conn = plain_db(root / "plain1.db")
    pdir = root / "plain1"
    pdir.mkdir()
    plain_ms = []
    for r in range(runs):
        t0 = time.perf_counter()
        plain_enqueue(conn, pdir, f"ten-{r}", body_for(f"ten-{r}", 10), pages)
        plain_ms.append((time.perf_counter() - t0) * 1000)
    conn.close()
    q, p = statistics.median(queue_ms), statistics.median(plain_ms)
    print(f"[1] 10-page application ({size / 1e6:.2f} MB, {runs} runs, median): "
          f"outbox {q:.1f} ms (max {max(queue_ms):.1f}) | plain fsync+sqlite3 {p:.1f} ms | "
          f"outbox/plain time {q / p:.2f}x | target <= 150 ms: {'MET' if q <= 150 else 'MISSED'}")
    return {"ten_page_ms": q, "ten_page_plain_ms": p}


def bench_small(root: Path, n: int, rounds: int = 20) -> dict[str, float]:
    """Interleaved rounds (outbox, plain, outbox, …) so disk contention hits both alike; the
    figure is the median of the per-round ratios (robust to a burst from other processes)."""
    ob = open_outbox(root / "q2")
    conn = plain_db(root / "plain2.db")
    bodies = [body_for(f"small-{i}", 0, pad=600) for i in range(n)]
    per = n // rounds
    q_times, p_times = [], []
    for r in range(rounds):
        chunk = range(r * per, (r + 1) * per)
        t0 = time.perf_counter()
        for i in chunk:
            res = ob.enqueue(f"small-{i}", "application", bodies[i])
            assert res.ok, res
        q_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for i in chunk:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t VALUES (?,?,?)", [f"small-{i}", bodies[i], time.time()])
            conn.execute("COMMIT")
        p_times.append(time.perf_counter() - t0)
    ob.close()
    conn.close()
    q_rate, p_rate = per * rounds / sum(q_times), per * rounds / sum(p_times)
    ratio = statistics.median(p / q for p, q in zip(p_times, q_times, strict=True))
    print(f"[2] small items ({per * rounds}, ~{len(bodies[0])} B, {rounds} interleaved rounds): "
          f"outbox {q_rate:.0f}/s | plain sqlite3 WAL+FULL {p_rate:.0f}/s | median round ratio "
          f"{ratio:.0%} (totals {q_rate / p_rate:.0%}) | target >= 50 %: "
          f"{'MET' if ratio >= 0.5 else 'MISSED'}")
    return {"small_rate": q_rate, "small_plain_rate": p_rate, "small_ratio": ratio}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="fewer runs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-queue-", dir=os.environ.get("BENCH_DIR")) as tmp:
        root = Path(tmp)
        bench_ten_pages(root, 3 if args.quick else 10)
        bench_small(root, 200 if args.quick else 1000)
        from queue_sync import bench_sync  # beside this file (not a bench_* script itself)

        bench_sync(root, args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

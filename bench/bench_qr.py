"""QR decode rate and median time per 1280×720 frame, per corpus folder: our
``devices.scanner.decode_frame`` beside zxing-cpp used directly (the baseline) and pyzbar,
in one process on the same frames.

Each corpus image is placed (downscaled if larger) in the middle of a light-grey 1280×720
frame, as a kiosk camera would deliver it. A decode counts when a result equals the
expected text; line ends are compared with CRLF normalised to LF (the corpus .txt files
use LF while several codes carry CRLF). Run: ``.venv/bin/python bench/bench_qr.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from devices.scanner.decode import decode_frame, load_image  # noqa: E402

SHARED = Path(os.environ.get("KIOSK_SHARED", Path(__file__).resolve().parents[3] / "shared"))
if not (SHARED / "corpus").is_dir():
    SHARED = Path("/work/shared")
CORPUS = SHARED / "corpus"
FOLDERS = [CORPUS / "zxing" / f"qrcode-{i}" for i in range(1, 7)] + [CORPUS / "zxing-cpp" / "qrcode-2"]
W, H = 1280, 720


def samples(folder: Path) -> list[tuple[Path, str]]:
    out = []
    for img in sorted(folder.iterdir()):
        if img.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp", ".gif"):
            txt = img.with_suffix(".txt")
            if txt.exists():
                out.append((img, txt.read_text(encoding="utf-8")))
    return out


def frame_of(path: Path) -> np.ndarray:
    img = load_image(path)
    h, w = img.shape[:2]
    scale = min(1.0, W / w, H / h)
    if scale < 1.0:
        img = cv2.resize(img, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
        h, w = img.shape[:2]
    canvas = np.full((H, W), 200, dtype=np.uint8)
    y, x = (H - h) // 2, (W - w) // 2
    canvas[y:y + h, x:x + w] = img
    return canvas


def norm(s: str) -> str:
    return s.replace("\r\n", "\n")


def ours(frame: np.ndarray) -> list[str]:
    return [c.text for c in decode_frame(frame)]


def zxing_direct(frame: np.ndarray) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(frame)]


def pyzbar_decode(frame: np.ndarray) -> list[str]:
    from pyzbar import pyzbar

    return [r.data.decode("utf-8", "replace") for r in pyzbar.decode(frame)]


def measure(folder: Path) -> dict[str, tuple[int, int, float]]:
    """Each frame goes to the three decoders in turn (order rotating), so machine load
    from other processes hits them alike."""
    items = samples(folder)
    frames = [(frame_of(p), norm(t)) for p, t in items]
    deciders = [("ours", ours), ("zxing-cpp", zxing_direct), ("pyzbar", pyzbar_decode)]
    ok = {k: 0 for k, _ in deciders}
    times: dict[str, list[float]] = {k: [] for k, _ in deciders}
    for i, (frame, expected) in enumerate(frames):
        for label, fn in deciders[i % 3:] + deciders[:i % 3]:
            t0 = time.perf_counter()
            texts = fn(frame)
            times[label].append((time.perf_counter() - t0) * 1000)
            ok[label] += expected in [norm(x) for x in texts]
    return {k: (ok[k], len(frames), statistics.median(times[k]) if frames else 0.0)
            for k, _ in deciders}


def main() -> None:
    print(f"QR decode per 1280x720 frame (zxing-cpp {zxingcpp.__name__}, corpus {CORPUS})")
    print(f"{'folder':<22}{'n':>4}  {'ours':>16}  {'zxing-cpp direct':>18}  {'pyzbar':>16}")
    totals = {k: [0, 0] for k in ("ours", "zxing-cpp", "pyzbar")}
    for folder in FOLDERS:
        if not folder.is_dir():
            continue
        res = measure(folder)
        name = f"{folder.parent.name}/{folder.name}"
        cells = []
        for key in ("ours", "zxing-cpp", "pyzbar"):
            ok, n, ms = res[key]
            totals[key][0] += ok
            totals[key][1] += n
            cells.append(f"{ok:>3}/{n:<3} {100 * ok / n:5.1f}% {ms:5.1f}ms")
        print(f"{name:<22}{res['ours'][1]:>4}  " + "  ".join(cells))
    print("total: " + ", ".join(f"{k} {ok}/{n} = {100 * ok / max(1, n):.1f}%"
                                for k, (ok, n) in totals.items()))
    print("ratio ours/zxing-cpp direct decoded: "
          f"{totals['ours'][0] / max(1, totals['zxing-cpp'][0]):.3f}")


if __name__ == "__main__":
    main()

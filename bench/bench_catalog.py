"""Catalog benchmark at county scale: 14 matters (the seeded sandbox) vs 2,000 (a county's
catalog holds 1,000–2,000), measured in the same run, each in a fresh process.

Run: ``.venv/bin/python bench/bench_catalog.py [--matters 14,2000] [--rounds 3]``.

Each process starts the kiosk as ``kiosk selftest`` does (simulated devices, the embedded
sandbox on loopback seeded with N matters by ``[sandbox] seed_matters``, Qt offscreen, a
temporary data dir) and measures:

1. start: AppServices up, then ``services.catalog()`` — every matter fetched over loopback
   (signed requests, answers checked against the contract), parsed, pinyin keys computed
   (child process), the search index built and the cache file written; then the next
   start's path: the cache file loaded, its keys and index taken from the file;
2. search: ``Catalog.search`` after each letter of queries typed on the letter pad
   (``gjj``, ``sbk``…, and a backspace), p50/p95/max; target ≤ 50 ms;
3. memory: RSS when the catalog is ready and after the journey; the kiosk's own catalog
   objects (tracemalloc over loading the cache file: the embedded sandbox, which holds its
   own copy of the N matters in a demo kiosk, is not in it); target growth ≤ 30 MB;
4. the window: a citizen journey through the real window (selftest's: card, 搜索 and the
   letters, the matter, guide, consent, form, camera, delivery, submit, receipt, rating),
   with per-key latency on the letter pad (tap → screen updated), paging through the
   personal matters, the tiles the matter screen holds (it shows 8 per page), and the longest
   GUI-thread stall (10 ms timer); target ≤ 33 ms.

Figures of the N-matter run are printed with their ratio to the 14-matter run. The machine
is shared: load average printed; figures are indicative, ratios matter more.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("gjj", "sbk", "jzz", "bdc", "esf", "gtgsh", "yb", "lhjy", "cjz", "qybg",
           "gongjijin", "zzq")  # the last one finds nothing


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith("VmRSS")) / 1024


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] if ordered else 0.0


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50": _pct(values, 0.5), "p95": _pct(values, 0.95), "max": max(values or [0.0]),
            "n": len(values)}


def child(n: int) -> dict[str, Any]:
    """One kiosk process with an N-matter sandbox; the figures as a dict."""
    import tempfile
    import tracemalloc

    sys.path.insert(0, str(ROOT))
    from ui.offscreen import use_offscreen

    use_offscreen()  # a screen big enough for the window (touch scrolling finds widgets by it)
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(lambda *_: None)  # offscreen "propagateSizeHints" chatter
    from kiosk.app_services import AppServices
    from kiosk.catalog import Catalog
    from kiosk.config import load_settings, parse_settings
    from kiosk.logs import setup_logging
    from ui.journey import Driver, StallMeter
    from ui.main import application, build_kiosk
    from ui.selftest import run_journey, selftest_settings

    out: dict[str, Any] = {"matters": n}
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-catalog-") as tmp:
        base = load_settings()
        raw = dict(base.raw)
        raw["sandbox"] = {"seed_matters": n if n != 14 else 0}
        settings = selftest_settings(parse_settings(raw, base.source), Path(tmp))
        setup_logging(settings.kiosk.log_dir)
        app = application()
        import ui.screens.matters  # noqa: F401  (what the first screen change imports anyway)

        out["rss_start_mb"] = _rss_mb()
        t0 = time.perf_counter()
        services = AppServices(settings)
        t1 = time.perf_counter()
        catalog = services.catalog()
        t2 = time.perf_counter()
        out["services_ms"] = (t1 - t0) * 1000
        out["catalog_first_ms"] = (t2 - t1) * 1000
        out["catalog_len"] = len(catalog)
        out["rss_catalog_mb"] = _rss_mb()

        # The next start: the cache file written above, loaded as a kiosk without the
        # platform would (keys and index from the file: no pinyin child process).
        cache = settings.kiosk.data_dir / "cache" / "catalog.json"
        out["cache_kb"] = cache.stat().st_size / 1000
        t = time.perf_counter()
        again = Catalog.load(cache)
        assert again is not None
        t_load = time.perf_counter()
        again.warm()
        t_warm = time.perf_counter()
        again.search("a")  # builds the index if warm() did not
        t_index = time.perf_counter()
        out["cache_load_ms"] = (t_load - t) * 1000
        out["cache_warm_ms"] = (t_warm - t_load) * 1000
        out["cache_first_search_ms"] = (t_index - t_warm) * 1000
        del again
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        held = Catalog.load(cache)
        assert held is not None
        held.warm()
        held.search("a")
        out["catalog_objects_mb"] = (tracemalloc.get_traced_memory()[0] - before) / 1e6
        tracemalloc.stop()
        del held

        # The next start with the platform reachable: what services.catalog() does with a
        # current cache (listing only; unchanged matters taken from the cache; keys file).
        from kiosk.catalog import fetch_catalog

        t = time.perf_counter()
        cached = Catalog.load(cache)
        fresh = fetch_catalog(services.parts.client, cached)
        assert fresh is not None and len(fresh) == len(catalog)
        fresh.save(cache)
        fresh.warm()
        out["next_start_catalog_ms"] = (time.perf_counter() - t) * 1000
        del cached, fresh

        # Search as the letter pad sends it: each prefix of each query, then a backspace.
        lat: list[float] = []
        hits: dict[str, int] = {}
        for _ in range(3):
            for q in QUERIES:
                for i in range(1, len(q) + 1):
                    t = time.perf_counter()
                    found = catalog.search(q[:i])
                    lat.append((time.perf_counter() - t) * 1000)
                    hits[q[:i]] = len(found)
                t = time.perf_counter()
                catalog.search(q[:-1])
                lat.append((time.perf_counter() - t) * 1000)
        out["search_ms"] = _summary(lat)
        out["search_hits"] = {q: hits[q] for q in QUERIES}
        t = time.perf_counter()
        for cat in ("PERSONAL", "CORPORATE"):
            for theme in catalog.themes(cat):
                catalog.search(category=cat, theme=theme)
        out["themes_ms"] = (time.perf_counter() - t) * 1000

        # The window: the selftest journey, with the letter pad and the pages timed.
        t = time.perf_counter()
        kiosk = build_kiosk(settings, services, catalog=catalog, voice=False)
        kiosk.window.show()
        app.processEvents()
        out["window_ms"] = (time.perf_counter() - t) * 1000
        out["start_ms"] = out["services_ms"] + out["catalog_first_ms"] + out["window_ms"]
        import gc

        gc_pauses: list[tuple[int, float]] = []
        gc_started = [0.0]

        def on_gc(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                gc_started[0] = time.perf_counter()
            else:
                gc_pauses.append((info["generation"], (time.perf_counter() - gc_started[0]) * 1000))

        gc.callbacks.append(on_gc)
        meter = StallMeter()
        meter.start()
        d = Driver(kiosk, meter=meter)
        key_ms: list[float] = []
        page_ms: list[float] = []
        tiles: list[int] = []

        def timed_tap(name: str, into: list[float]) -> None:
            d.tap(name)  # a person's tap (Driver.tap); press → updated screen is timed
            into.append(d.last_click_ms)

        def count_tiles() -> int:
            from PySide6.QtWidgets import QPushButton

            screen = kiosk.window.stack.currentWidget()
            return sum(1 for b in screen.findChildren(QPushButton)
                       if b.objectName().startswith("action:select_matter:"))

        def choose_by_pad() -> None:
            from kiosk.session import State

            d.wait_state(State.CHOOSE_MATTER)
            tiles.append(count_tiles())
            for name in ("action:page_next", "action:page_prev"):
                for _ in range(3):
                    if not d.find(name).isEnabled():
                        break
                    timed_tap(name, page_ms)
                    tiles.append(count_tiles())
            d.tap("action:search_open")
            for q in QUERIES[:6]:
                for ch in q:
                    timed_tap(f"key:{ch.upper()}", key_ms)
                    tiles.append(count_tiles())
                if kiosk.machine.data.search != q:
                    raise RuntimeError(f"typed {q!r}, the search says "
                                       f"{kiosk.machine.data.search!r}")
                for _ in q:
                    timed_tap("key:backspace", key_ms)
                if kiosk.machine.data.search:
                    raise RuntimeError(f"{kiosk.machine.data.search!r} left after backspaces")
            matter = catalog.search("gjj")[0]
            for ch in "gjj":
                timed_tap(f"key:{ch.upper()}", key_ms)
            d.tap(f"action:select_matter:{matter.code}")
            d.wait_state(State.GUIDE)
            d.tap("action:next")
            d.wait_state(State.CONSENT)
            d.tap("action:agree")
            d.wait_state(State.FORM)
            d.wait_for("prefill", lambda: not kiosk.machine.data.prefill_loading)

        for _ in range(2):  # the first journey warms fonts and styles: figures of the 2nd
            d.steps.clear()
            meter.max_stall_ms = 0.0
            key_ms.clear()
            page_ms.clear()
            run_journey(d, services, choose=choose_by_pad)
        meter.stop()
        out["steps"] = [{"name": s.name, "ms": s.ms, "stall_ms": s.stall_ms} for s in d.steps]
        out["max_stall_ms"] = meter.max_stall_ms
        out["key_ms"] = _summary(key_ms)
        out["page_ms"] = _summary(page_ms)
        out["max_tiles"] = max(tiles)
        gc.callbacks.remove(on_gc)
        out["gc_max_ms"] = max((ms for _, ms in gc_pauses), default=0.0)
        out["gc_gen2_max_ms"] = max((ms for g, ms in gc_pauses if g == 2), default=0.0)
        out["gc_objects"] = len(gc.get_objects())
        out["pypinyin_loaded"] = "pypinyin" in sys.modules
        out["rss_end_mb"] = _rss_mb()
        kiosk.controller.shutdown()
        kiosk.window.close()
        services.close()
    return out


def run_child(n: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"the {n}-matter run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over rounds of every number (latency summaries: median of each figure)."""
    first = runs[0]
    out: dict[str, Any] = {}
    for key, value in first.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = statistics.median_low(r[key] for r in runs)
        elif isinstance(value, dict) and all(isinstance(v, int | float) for v in value.values()):
            out[key] = {k: statistics.median_low(r[key][k] for r in runs) for k in value}
        else:
            out[key] = value
    return out


def report(results: list[dict[str, Any]]) -> None:
    base = results[0]

    def row(label: str, key: str, unit: str, target: str = "", sub: str = "") -> None:
        def get(r: dict[str, Any]) -> float:
            v = r[key]
            return float(v[sub] if sub else v)

        b = get(base)
        cells = "".join(f"{get(r):>12.1f}" for r in results)
        ratios = "".join(f"{get(r) / b:>8.2f}x" if b else f"{'':>9}" for r in results[1:])
        print(f"  {label:<40}{cells} {unit:<3}{ratios}   {target}")

    head = "".join(f"{r['matters']:>12}" for r in results)
    ratio_head = "".join(f"{'ratio':>9}" for _ in results[1:])
    print(f"  {'matters':<40}{head}    {ratio_head}")
    print("start")
    row("services up", "services_ms", "ms")
    row("catalog: fetch, parse, keys, index, cache", "catalog_first_ms", "ms")
    row("window shown", "window_ms", "ms")
    row("start (selftest's 'start')", "start_ms", "ms", "target <= 1.5x")
    row("cache file (kB)", "cache_kb", "kB")
    row("offline start: cache file loaded", "cache_load_ms", "ms")
    row("offline start: keys (file) and index", "cache_warm_ms", "ms")
    row("offline start: first search", "cache_first_search_ms", "ms")
    row("next start, platform up: catalog ready", "next_start_catalog_ms", "ms")
    print("search (Catalog.search per letter-pad key)")
    for sub in ("p50", "p95", "max"):
        row(f"search {sub}", "search_ms", "ms", "target <= 50 ms" if sub == "max" else "", sub)
    row("every theme of both categories", "themes_ms", "ms")
    print("memory")
    row("RSS, catalog ready", "rss_catalog_mb", "MB")
    row("RSS after the journeys", "rss_end_mb", "MB")
    row("kiosk catalog objects (tracemalloc)", "catalog_objects_mb", "MB")
    print("window (the selftest journey, second round)")
    for sub in ("p50", "p95", "max"):
        row(f"letter-pad key: tap -> screen {sub}", "key_ms", "ms",
            "target <= 50 ms" if sub == "max" else "", sub)
    row("下一页: tap -> screen max", "page_ms", "ms", "", "max")
    row("tiles on the matter screen (max)", "max_tiles", "")
    row("longest GUI-thread stall", "max_stall_ms", "ms", "target <= 33 ms")
    row("longest garbage collection (any thread)", "gc_max_ms", "ms")
    row("longest full (gen 2) collection", "gc_gen2_max_ms", "ms")
    row("objects tracked by the collector", "gc_objects", "")
    names = [s["name"] for s in base["steps"]][-9:]
    for name in names:
        def step(r: dict[str, Any], name: str = name) -> dict[str, Any]:
            return next(s for s in reversed(r["steps"]) if s["name"] == name)

        cells = "".join(f"{step(r)['ms']:>12.1f}" for r in results)
        stalls = " / ".join(f"{step(r)['stall_ms']:.0f}" for r in results)
        print(f"    {name:<38}{cells} ms   stall {stalls} ms")
    print("  hits per query: " + "; ".join(
        f"{q} " + "/".join(str(r["search_hits"][q]) for r in results) for q in QUERIES))
    for r in results:
        print(f"  {r['matters']} matters: catalog of {r['catalog_len']}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--matters", default="14,2000",
                   help="catalog sizes, comma-separated; the first is the baseline")
    p.add_argument("--rounds", type=int, default=1, help="processes per size (medians)")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = p.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child), ensure_ascii=False))
        return 0
    sizes = [int(x) for x in args.matters.split(",")]
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    results = []
    for n in sizes:
        runs = [run_child(n) for _ in range(max(1, args.rounds))]
        results.append(_merge(runs))
    report(results)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    print(f"load average: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Ingestion throughput: documents per second through the Prefect flow vs the same work in a
plain Python loop, with 1 and 2 extraction workers.

Generates N varied reports (docx and text PDF, benchmarks/make_reports.py; cached under
var/bench/) and ingests them into a fresh SQLite database per configuration, one run each. The
Prefect API server is started once beforehand (its start-up is reported, not charged to the
runs). Prints docs/s per configuration, the flow/plain ratio and the 2-worker/1-worker scaling.

Usage: python benchmarks/bench_ingest.py [-n 500] [--pdf-share 0.4] [--workers 1,2] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def corpus(n: int, pdf_share: float, seed: int) -> Path:
    from make_reports import make_corpus

    d = ROOT / "var" / "bench" / f"reports-{n}-{pdf_share}-{seed}"
    if not (d.is_dir() and len(list(d.iterdir())) == n):
        shutil.rmtree(d, ignore_errors=True)
        t0 = time.perf_counter()
        make_corpus(d, n, pdf_share, seed)
        print(f"generated {n} reports in {time.perf_counter() - t0:.0f} s → {d}", flush=True)
    return d


def start_prefect() -> float:
    """Start a Prefect API server for this process; returns its start-up seconds."""
    from pipeline.prefect_env import configure

    configure(quiet=True)
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    t0 = time.perf_counter()
    server = SubprocessASGIServer()
    server.start(timeout=300)
    temporary_settings(updates={PREFECT_API_URL: server.api_url}).__enter__()  # for the whole process
    return time.perf_counter() - t0


def run_once(mode: str, src: Path, workers: int) -> dict:
    from outputs.db import dispose_engines

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        t0 = time.perf_counter()
        if mode == "flow":
            from pipeline.flows import run_ingest

            s = run_ingest(str(src), url, workers=workers)
        else:
            from pipeline.ingest import ingest_plain

            s = ingest_plain(src, url, workers=workers)
        wall = time.perf_counter() - t0
        dispose_engines()
    out = {"mode": mode, "workers": workers, "found": s["found"], "new": s["new"], "failed": s["failed"],
           "seconds": round(wall, 2), "docs_per_second": round(s["found"] / wall, 3)}
    print(f"{mode:>5}  workers={workers}  {s['found']} docs ({s['new']} loaded, {s['failed']} failed)  "
          f"{wall:7.1f} s  {out['docs_per_second']:6.2f} docs/s", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=500)
    ap.add_argument("--pdf-share", type=float, default=0.4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--json", type=Path, help="Also write the results here.")
    a = ap.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    src = corpus(a.n, a.pdf_share, a.seed)
    files = list(src.iterdir())
    print(f"corpus: {len(files)} files, {sum(f.suffix == '.pdf' for f in files)} pdf, "
          f"{sum(f.suffix == '.docx' for f in files)} docx; {os.cpu_count()} cores", flush=True)
    startup = start_prefect()
    print(f"Prefect API server start-up: {startup:.1f} s (not charged to the runs)", flush=True)
    from pipeline.ingest import worker_pool

    with worker_pool(1):  # start the forkserver (preloaded extraction modules) once
        pass
    results = []
    for w in [int(x) for x in a.workers.split(",")]:
        for mode in ("plain", "flow"):
            results.append(run_once(mode, src, w))
    by = {(r["mode"], r["workers"]): r["docs_per_second"] for r in results}
    print()
    ws = sorted({r["workers"] for r in results})
    for w in ws:
        ratio = by[("plain", w)] / by[("flow", w)]
        print(f"workers={w}: flow costs {100 * (ratio - 1):+.1f}% over the plain loop "
              f"(plain/flow time ratio {ratio:.3f})")
    if len(ws) > 1:
        for mode in ("plain", "flow"):
            print(f"{mode}: workers {ws[-1]} vs {ws[0]}: {by[(mode, ws[-1])] / by[(mode, ws[0])]:.2f}× docs/s")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps({"n": a.n, "pdf_share": a.pdf_share, "prefect_startup_s": round(startup, 1),
                                      "results": results}, indent=2))


if __name__ == "__main__":
    main()

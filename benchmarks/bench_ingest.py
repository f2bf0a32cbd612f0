"""Ingestion throughput: documents per second through the Prefect flow vs the same work in a
plain Python loop (pipeline.ingest.ingest_plain), with 1 and 2 worker processes.

Generates N varied reports (docx and text PDF, benchmarks/make_reports.py; cached under
var/bench/) and ingests them into a fresh SQLite database per run. The Prefect API server is
started once beforehand (its start-up is reported, not charged to the runs). For each run it
prints wall time and docs/s, and the CPU seconds per document spent in the worker processes,
in this process (the flow engine / the loop) and in the Prefect server — the CPU figures do
not depend on what else the machine is running, the wall times do. With --repeat k the
configurations are run k times, interleaved, and the ratios use each one's best run.

Usage: python benchmarks/bench_ingest.py [-n 500] [--pdf-share 0.4] [--workers 1,2] [--repeat 1]
                                         [--json OUT]
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


def start_prefect():
    """Start a Prefect API server for this process; returns (start-up seconds, its pid)."""
    from pipeline.prefect_env import configure

    configure(quiet=True)
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    t0 = time.perf_counter()
    server = SubprocessASGIServer()
    server.start(timeout=300)
    temporary_settings(updates={PREFECT_API_URL: server.api_url}).__enter__()  # for the whole process
    return time.perf_counter() - t0, server.server_process.pid


def _tree_cpu(pid: int) -> float:
    import psutil

    total = 0.0
    try:
        root = psutil.Process(pid)
        for p in [root] + root.children(recursive=True):
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
    except psutil.NoSuchProcess:
        pass
    return total


def run_once(mode: str, src: Path, workers: int, server_pid: int) -> dict:
    from outputs.db import dispose_engines

    outcomes = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        cpu0, srv0, t0 = time.process_time(), _tree_cpu(server_pid), time.perf_counter()
        if mode == "flow":
            from pipeline.flows import run_ingest

            s = run_ingest(str(src), url, workers=workers,
                           on_progress=lambda e, p: outcomes.append(p) if e == "done" else None)
        else:
            from pipeline.ingest import ingest_plain

            s = ingest_plain(src, url, workers=workers, on_done=outcomes.append)
        wall = time.perf_counter() - t0
        main_cpu, srv_cpu = time.process_time() - cpu0, _tree_cpu(server_pid) - srv0
        dispose_engines()
    n = s["found"]
    work_cpu = sum(o.cpu_seconds for o in outcomes)
    out = {"mode": mode, "workers": workers, "found": n, "new": s["new"], "failed": s["failed"],
           "seconds": round(wall, 2), "docs_per_second": round(n / wall, 3),
           "cpu_ms_per_doc": {"workers": round(1000 * work_cpu / n, 1), "main": round(1000 * main_cpu / n, 1),
                              "prefect_server": round(1000 * srv_cpu / n, 1)},
           "loadavg": round(os.getloadavg()[0], 1)}
    c = out["cpu_ms_per_doc"]
    print(f"{mode:>5}  workers={workers}  {n} docs ({s['new']} loaded, {s['failed']} failed)  {wall:7.1f} s  "
          f"{out['docs_per_second']:6.2f} docs/s   CPU ms/doc: workers {c['workers']:6.1f}  main {c['main']:5.1f}  "
          f"server {c['prefect_server']:5.1f}   (load avg {out['loadavg']})", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=500)
    ap.add_argument("--pdf-share", type=float, default=0.4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", type=Path, help="Also write the results here.")
    a = ap.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    src = corpus(a.n, a.pdf_share, a.seed)
    files = list(src.iterdir())
    print(f"corpus: {len(files)} files, {sum(f.suffix == '.pdf' for f in files)} pdf, "
          f"{sum(f.suffix == '.docx' for f in files)} docx; {os.cpu_count()} cores", flush=True)
    startup, server_pid = start_prefect()
    print(f"Prefect API server start-up: {startup:.1f} s (not charged to the runs)", flush=True)
    from pipeline.ingest import worker_pool

    with worker_pool(1):  # start the forkserver (preloaded extraction modules) once
        pass
    ws = [int(x) for x in a.workers.split(",")]
    results = []
    for _ in range(a.repeat):
        for w in ws:
            for mode in ("plain", "flow"):
                results.append(run_once(mode, src, w, server_pid))
    best = {}
    for r in results:
        k = (r["mode"], r["workers"])
        if k not in best or r["seconds"] < best[k]["seconds"]:
            best[k] = r
    print()
    for w in ws:
        p, f = best[("plain", w)], best[("flow", w)]
        cp = sum(p["cpu_ms_per_doc"].values())
        cf = sum(f["cpu_ms_per_doc"].values())
        print(f"workers={w}: flow/plain docs/s = {f['docs_per_second'] / p['docs_per_second']:.3f} "
              f"(flow costs {100 * (p['docs_per_second'] / f['docs_per_second'] - 1):+.1f}% time); "
              f"CPU per doc {cf:.0f} ms vs {cp:.0f} ms ({100 * (cf / cp - 1):+.1f}%)")
    if len(ws) > 1:
        for mode in ("plain", "flow"):
            print(f"{mode}: workers {ws[-1]} vs {ws[0]}: "
                  f"{best[(mode, ws[-1])]['docs_per_second'] / best[(mode, ws[0])]['docs_per_second']:.2f}× docs/s")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps({"n": a.n, "pdf_share": a.pdf_share, "prefect_startup_s": round(startup, 1),
                                      "results": results}, indent=2))


if __name__ == "__main__":
    main()

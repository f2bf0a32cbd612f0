#!/usr/bin/env python3
"""Seconds per document for `extract` on the corpus, split into reading, NLP and the rest,
measured in one warm process as process CPU time (other processes on a shared machine do not
count); the ratio to the bare library read of the same file: for .docx python-docx (open, iterate
paragraphs and tables), for .pdf pdfplumber (extract_text and extract_tables of every page).
Targets (issue 13): .docx median ≤ 3×; the .pdf reader ≤ 1.2× (benchmarks/bench_readers.py).

With --stages, also the median CPU milliseconds of each stage (read, sections, metadata, tables,
figures, references, checks) per form, and their share of the bare read.

Usage: python benchmarks/bench_extract.py [--repeat N] [--forms docx,pdf,doc,tcvn3.docx] [--stages]
       [DIR ...]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.readers import read_document  # noqa: E402
from extractors.report import extract_report  # noqa: E402

NLP_STAGES = ("figures", "references")


def bare_docx(path: Path) -> None:
    import docx

    d = docx.Document(str(path))
    for block in d.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                for cell in row.cells:
                    _ = cell.text
        else:
            _ = block.text


def bare_pdf(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


BARE = {".docx": bare_docx, ".pdf": bare_pdf}
clock = time.process_time


def clear_text_caches() -> None:
    """Forget per-text memos (NLP tags, reference scans) so that each run does the work again;
    models stay loaded, as in a warm worker."""
    from extractors import references
    from extractors.text import nlp, vntext

    vntext._FOLD_TABLE.clear()
    for fn in (nlp._tag_cached, references._scan, vntext._fold_char):
        if hasattr(fn, "cache_clear"):
            fn.cache_clear()


def measure(path: Path, repeat: int) -> dict[str, float]:
    runs: list[dict[str, float]] = []
    for _ in range(repeat):
        clear_text_caches()
        t0 = clock()
        doc = read_document(path)
        t_read = clock() - t0
        timings: dict[str, float] = {}
        t1 = clock()
        extract_report(doc, timings=timings)
        t_extract = clock() - t1
        nlp = sum(timings.get(k, 0.0) for k in NLP_STAGES)
        runs.append({"read": t_read, "nlp": nlp, "rest": t_extract - nlp, "total": t_read + t_extract,
                     **{f"stage:{k}": v for k, v in timings.items()}})
    out = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    bare_read = BARE.get(path.suffix)
    if bare_read is not None and not path.name.endswith(".scan.pdf"):
        bare = []
        for _ in range(repeat):
            t0 = clock()
            bare_read(path)
            bare.append(clock() - t0)
        out["bare"] = statistics.median(bare)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="*", type=Path,
                    default=[ROOT.parent / "shared" / "corpus" / "docs", ROOT / "tests" / "fixtures" / "corpus" / "docs"])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--forms", default="docx,tcvn3.docx,pdf,doc")
    ap.add_argument("--stages", action="store_true", help="print the median of each stage per form")
    a = ap.parse_args()
    forms = a.forms.split(",")
    def form_of(f: Path) -> str:
        return ".".join(f.name.split(".")[1:])  # "x.tcvn3.docx" → "tcvn3.docx"

    files = [f for d in a.dirs for f in sorted(d.glob("*")) if form_of(f) in forms]
    # warm up: imports, NLP models, caches
    if files:
        extract_report(read_document(files[0]))
    print(f"{'file':42} {'read':>7} {'nlp':>7} {'rest':>7} {'total':>7} {'bare':>7} {'ratio':>6}")
    ratios: dict[str, list[float]] = {}
    stages: dict[str, dict[str, list[float]]] = {}
    for f in files:
        m = measure(f, a.repeat)
        per_form = stages.setdefault(form_of(f), {})
        for k, v in m.items():
            if k.startswith("stage:") or k == "read":
                per_form.setdefault(k.removeprefix("stage:"), []).append((v, m.get("bare")))
        ratio = m["total"] / m["bare"] if "bare" in m and m["bare"] > 0 else None
        if ratio is not None:
            ratios.setdefault(form_of(f), []).append(ratio)
        print(f"{f.name:42} {m['read']:7.3f} {m['nlp']:7.3f} {m['rest']:7.3f} {m['total']:7.3f} "
              f"{m.get('bare', float('nan')):7.3f} {ratio if ratio is not None else float('nan'):6.2f}")
    for suffix, rs in ratios.items():
        print(f"{suffix} end to end / bare library read: median {statistics.median(rs):.2f}x "
              f"(max {max(rs):.2f}x, {len(rs)} files)")
    if a.stages:
        for suffix, per in stages.items():
            cells = []
            for k, vs in per.items():
                cell = f"{k} {statistics.median(v for v, _ in vs) * 1000:.1f}"
                if all(b for _, b in vs):
                    cell += f" ({statistics.median(v / b for v, b in vs):.2f}x)"
                cells.append(cell)
            print(f"{suffix} stage medians, ms (x the bare read):", "; ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())

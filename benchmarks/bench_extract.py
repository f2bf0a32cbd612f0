#!/usr/bin/env python3
"""Seconds per document for `extract` on the corpus, split into reading, NLP and the rest,
measured in one warm process; for .docx also the ratio to the bare python-docx read
(open and iterate paragraphs and tables) of the same file. Target: ratio < 5.

Usage: python benchmarks/bench_extract.py [--repeat N] [--forms docx,pdf,doc,tcvn3.docx] [DIR ...]
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
        t0 = time.perf_counter()
        doc = read_document(path)
        t_read = time.perf_counter() - t0
        timings: dict[str, float] = {}
        t1 = time.perf_counter()
        extract_report(doc, timings=timings)
        t_extract = time.perf_counter() - t1
        nlp = sum(timings.get(k, 0.0) for k in NLP_STAGES)
        runs.append({"read": t_read, "nlp": nlp, "rest": t_extract - nlp, "total": t_read + t_extract})
    out = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    if path.name.endswith(".docx"):
        bare = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            bare_docx(path)
            bare.append(time.perf_counter() - t0)
        out["bare"] = statistics.median(bare)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="*", type=Path,
                    default=[ROOT.parent / "shared" / "corpus" / "docs", ROOT / "tests" / "fixtures" / "corpus" / "docs"])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--forms", default="docx,tcvn3.docx,pdf,doc")
    a = ap.parse_args()
    forms = a.forms.split(",")
    files = [f for d in a.dirs for f in sorted(d.glob("*")) if any(f.name.endswith("." + x) for x in forms)
             and not (f.name.endswith(".docx") and "tcvn3" in f.name and "tcvn3.docx" not in forms)]
    files = [f for f in files if next(x for x in sorted(forms, key=len, reverse=True) if f.name.endswith("." + x))]
    # warm up: imports, NLP models, caches
    if files:
        extract_report(read_document(files[0]))
    print(f"{'file':42} {'read':>7} {'nlp':>7} {'rest':>7} {'total':>7} {'bare':>7} {'ratio':>6}")
    ratios = []
    for f in files:
        m = measure(f, a.repeat)
        ratio = m["total"] / m["bare"] if "bare" in m and m["bare"] > 0 else None
        if ratio is not None and "tcvn3" not in f.name:
            ratios.append(ratio)
        print(f"{f.name:42} {m['read']:7.3f} {m['nlp']:7.3f} {m['rest']:7.3f} {m['total']:7.3f} "
              f"{m.get('bare', float('nan')):7.3f} {ratio if ratio is not None else float('nan'):6.2f}")
    if ratios:
        print(f"docx end to end / bare python-docx read: median {statistics.median(ratios):.2f}x "
              f"(max {max(ratios):.2f}x; target < 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

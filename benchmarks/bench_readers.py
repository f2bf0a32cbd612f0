#!/usr/bin/env python3
"""Time each reader against the bare library call on the same file, and print the ratio.

For every .docx and text .pdf of the corpus (docs/ and real/): read_document(path) versus the
bare library work a reader cannot avoid,
  .docx  docx.Document(path), then every paragraph's and every table cell's text;
  .pdf   pdfplumber.open(path), then page.extract_text() and page.extract_tables() per page.
Scanned PDFs are listed but not timed (they go to OCR; the bare pdfplumber call is no measure).
Each timing is the best of N runs of process CPU time (other processes on a shared machine do
not count), the two measured alternately. The target is a ratio ≤ 1.5.

Usage: python benchmarks/bench_readers.py [--runs N] [--corpus DIR] [FILE ...]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

TARGET = 1.5


def bare_docx(path: Path) -> None:
    import docx

    d = docx.Document(str(path))
    for p in d.paragraphs:
        p.text
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                cell.text


def bare_pdf(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


BARE = {".docx": bare_docx, ".pdf": bare_pdf}


def is_scanned(path: Path) -> bool:
    import pdfplumber

    from extractors.readers.pdf.reader import needs_ocr

    with pdfplumber.open(str(path)) as pdf:
        return needs_ocr(pdf, [p.chars for p in pdf.pages])


def best_cpu(fn, path: Path) -> float:
    t0 = time.process_time()
    fn(path)
    return time.process_time() - t0


def bench(path: Path, runs: int) -> tuple[float, float]:
    from extractors.readers import read_document

    bare, ours = BARE[path.suffix.lower()], read_document
    tb = tr = float("inf")
    for _ in range(runs):  # alternate, so slow spells of the machine hit both
        tb = min(tb, best_cpu(bare, path))
        tr = min(tr, best_cpu(ours, path))
    return tb, tr


def corpus_files(corpus: Path) -> list[Path]:
    files = []
    for sub in ("docs", "real"):
        d = corpus / sub
        if d.is_dir():
            files += sorted(p for p in d.iterdir() if p.suffix.lower() in BARE)
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--corpus", type=Path,
                    default=Path(os.environ.get("BAOCAO_CORPUS", ROOT.parent / "shared" / "corpus")))
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args(argv)
    files = args.files or corpus_files(args.corpus)
    print(f"{'file':44} {'bare s':>8} {'reader s':>9} {'ratio':>6}")
    worst = 0.0
    for f in files:
        if f.suffix.lower() == ".pdf" and is_scanned(f):
            print(f"{f.name:44} {'scanned: goes to OCR, not timed':>25}")
            continue
        tb, tr = bench(f, args.runs)
        ratio = tr / tb if tb > 0 else float("inf")
        worst = max(worst, ratio)
        flag = "" if ratio <= TARGET else f"  > {TARGET}"
        print(f"{f.name:44} {tb:8.3f} {tr:9.3f} {ratio:6.2f}{flag}")
    print(f"worst ratio {worst:.2f} (target ≤ {TARGET})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

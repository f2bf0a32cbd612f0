"""Read a scanned PDF (no text layer) into a Document by OCR.

`read_scanned_pdf(path)` is called by the PDF reader when a PDF has no usable text layer. The
pages are read by Tesseract (Vietnamese, 300 dpi, pages in parallel: engine), ruled tables
found in the page images (layout), and the words assembled into paragraphs, layout and data
tables (document). The OCR result is cached on disk per file content, Tesseract version and
settings (cache), so the test suite, the CLI and the scorer read each scan once.

Bold cannot be told from a scan (every run is plain); alignment and a font-size estimate are
kept. Source.ocr_confidence is the mean Tesseract word confidence (0-100).
"""
from __future__ import annotations

import statistics
from pathlib import Path

from extractors.readers.ocr import cache as ocr_cache
from extractors.readers.common import sha256_file
from extractors.readers.ocr.document import build_blocks
from extractors.readers.ocr.engine import DPI, LANG, PageOCR, check_tools, ocr_pdf, settings, tesseract_version
from models.document import Document, Format, Source
from models.errors import ConversionError, InputError


def ocr_pages(path: Path, sha256: str | None = None) -> list[PageOCR]:
    """The file's OCR pages, from the cache when this file was read before with these settings."""
    sha = sha256 or sha256_file(path)
    check_tools(path)
    key = ocr_cache.cache_key(sha, settings())
    cached = ocr_cache.load(key)
    if cached is not None:
        try:
            return [PageOCR.from_json(p) for p in cached]
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # a damaged entry: read again and overwrite it
    pages = ocr_pdf(path)
    ocr_cache.save(key, [p.to_json() for p in pages], source=str(path))
    return pages


def mean_confidence(pages: list[PageOCR]) -> float | None:
    confs = [w.conf for p in pages for w in p.words if w.conf >= 0]
    confs += [w.conf for p in pages for t in p.tables for w in t.words if w.conf >= 0]
    return round(statistics.fmean(confs), 2) if confs else None


def read_scanned_pdf(path: str | Path) -> Document:
    """OCR a scanned PDF into a Document. Raises ConversionError (naming the file) when
    Tesseract is missing, fails or times out."""
    p = Path(path)
    sha = sha256_file(p)
    pages = ocr_pages(p, sha)
    try:
        blocks = build_blocks(pages)
    except InputError:
        raise
    except Exception as e:  # a bug in assembling must still name the file
        raise ConversionError(p, f"cannot assemble the OCR result ({type(e).__name__}: {e})") from e
    for i, b in enumerate(blocks):
        b.provenance.block = i
        for c in getattr(b, "cells", ()):
            c.provenance.block = i
            c.provenance.table = b.provenance.table
            for para in c.paragraphs:
                para.provenance.block, para.provenance.table = i, b.provenance.table
                para.provenance.row, para.provenance.col = c.row, c.col
    return Document(
        source=Source(path=str(p), sha256=sha, format=Format.SCANNED_PDF, size=p.stat().st_size,
                      page_count=len(pages), ocr=True, ocr_confidence=mean_confidence(pages),
                      converted_with=f"{tesseract_version()} ({LANG}, {DPI} dpi)"),
        blocks=blocks,
    )

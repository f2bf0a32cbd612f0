"""Read a scanned PDF (no usable text layer) into a Document by OCR.

`read_scanned_pdf(path)` is called by the PDF reader when a PDF has no usable text layer (none,
or only a signature stamp, or a garbled OCR layer: textlayer). The pages are read by Tesseract
(Vietnamese, 300 dpi, pages in parallel: engine; set upright and cleaned first: prepare), ruled
tables found in the page images (layout), tables without vertical rulings from the words'
columns (borderless), and the words assembled into paragraphs, layout and data tables
(document). The OCR result is cached on disk per file content, Tesseract version and settings
(cache), so the test suite, the CLI and the scorer read each scan once.

Every run and cell carries the lowest Tesseract confidence of its words (0-1; a number read
several ways, the agreement of the readings), bold is told from the strokes' width, alignment
and a font-size estimate are kept. Source.pages grades each page (quality) and notes what was
done to it (turned, despeckled, red seal left out, text layer replaced); Source.grade is the
worst page's; Source.ocr_confidence is the mean word confidence (0-100). Boxes on a page that
was turned to be read are given in the page's own orientation.
"""
from __future__ import annotations

import statistics
from pathlib import Path

from extractors.readers.ocr import cache as ocr_cache
from extractors.readers.common import sha256_file
from extractors.readers.ocr.document import build_blocks
from extractors.readers.ocr.engine import DPI, LANG, PageOCR, check_tools, ocr_pdf, settings, tesseract_version
from extractors.readers.ocr.quality import page_quality, worst
from extractors.readers.ocr.textlayer import layer_notes
from models.document import Document, Format, Source
from models.errors import ConversionError, InputError


def ocr_pages(path: Path, sha256: str | None = None, only: list[int] | None = None) -> list[PageOCR]:
    """The file's OCR pages (or those of `only`), from the cache when this file was read before
    with these settings."""
    sha = sha256 or sha256_file(path)
    check_tools(path)
    key = ocr_cache.cache_key(sha, {**settings(), "pages": only} if only else settings())
    cached = ocr_cache.load(key)
    if cached is not None:
        try:
            return [PageOCR.from_json(p) for p in cached]
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # a damaged entry: read again and overwrite it
    pages = ocr_pdf(path, pages=only)
    ocr_cache.save(key, [p.to_json() for p in pages], source=str(path))
    return pages


def mean_confidence(pages: list[PageOCR]) -> float | None:
    confs = [w.conf for p in pages for w in p.words if w.conf >= 0]
    confs += [w.conf for p in pages for t in p.tables for w in t.words if w.conf >= 0]
    return round(statistics.fmean(confs), 2) if confs else None


def _unturn(bbox: tuple, turn: int, width: float, height: float) -> tuple:
    """A box on a page image turned `turn` degrees clockwise (upright: `width` × `height`
    points) as it lies on the page as stored in the file."""
    x0, y0, x1, y1 = bbox
    if turn == 90:  # the stored page is the upright one turned back counter-clockwise
        pts = [(y, width - x) for x, y in ((x0, y0), (x1, y1))]
    elif turn == 270:
        pts = [(height - y, x) for x, y in ((x0, y0), (x1, y1))]
    elif turn == 180:
        pts = [(width - x, height - y) for x, y in ((x0, y0), (x1, y1))]
    else:
        return bbox
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))


def _unturn_boxes(blocks: list, pages: list[PageOCR]) -> None:
    """Bounding boxes on pages that were turned upright for reading, given back in the page's
    own orientation (where a reviewer sees them)."""
    turned = {p.page: p for p in pages if p.rotation}
    if not turned:
        return
    provs = []
    for b in blocks:
        provs.append(b.provenance)
        for c in getattr(b, "cells", ()):
            provs.append(c.provenance)
            provs.extend(para.provenance for para in c.paragraphs)
    for prov in provs:
        pg = turned.get(prov.pages[0]) if prov.pages and prov.bbox else None
        if pg is not None:
            prov.bbox = _unturn(prov.bbox, pg.rotation, pg.width * 72 / pg.dpi, pg.height * 72 / pg.dpi)


def read_scanned_pdf(path: str | Path, only: list[int] | None = None) -> Document:
    """OCR a scanned PDF (or the pages of `only`, 1-based) into a Document. Raises
    ConversionError (naming the file) when Tesseract is missing, fails or times out."""
    p = Path(path)
    sha = sha256_file(p)
    pages = ocr_pages(p, sha, only)
    try:
        blocks = build_blocks(pages)
    except InputError:
        raise
    except Exception as e:  # a bug in assembling must still name the file
        raise ConversionError(p, f"cannot assemble the OCR result ({type(e).__name__}: {e})") from e
    _unturn_boxes(blocks, pages)
    for i, b in enumerate(blocks):
        b.provenance.block = i
        for c in getattr(b, "cells", ()):
            c.provenance.block = i
            c.provenance.table = b.provenance.table
            for para in c.paragraphs:
                para.provenance.block, para.provenance.table = i, b.provenance.table
                para.provenance.row, para.provenance.col = c.row, c.col
    replaced = layer_notes(p)
    quality = [page_quality(pg, [replaced[pg.page]] if pg.page in replaced else []) for pg in pages]
    return Document(
        source=Source(path=str(p), sha256=sha, format=Format.SCANNED_PDF, size=p.stat().st_size,
                      page_count=len(pages), ocr=True, ocr_confidence=mean_confidence(pages),
                      converted_with=f"{tesseract_version()} ({LANG}, {DPI} dpi)",
                      pages=quality, grade=worst([q.grade for q in quality])),
        blocks=blocks,
    )

"""Everything the flag page shows about one flag, gathered from its row and its version's Report
record: the table with the flag's cells highlighted, the passages of prose, the section path,
and — for PDFs, scanned ones included — the pages with the boxes to draw over the page image
(a text layer's cell boxes, or the OCR's boxes of the cell or sentence on a scan)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outputs.db.models import Document, DocumentVersion, FlagRow
from review import pages as pagemod
from review import prose, tables

PAGE_FORMATS = ("pdf", "scanned_pdf")  # formats whose pages can be shown as images


@dataclass
class Box:
    bbox: list[float]  # x0, top, x1, bottom in PDF points, top-left origin
    kind: str  # stated | related | block
    label: str = ""

    @property
    def x(self) -> float:
        return self.bbox[0]

    @property
    def y(self) -> float:
        return self.bbox[1]

    @property
    def w(self) -> float:
        return max(1.0, self.bbox[2] - self.bbox[0])

    @property
    def h(self) -> float:
        return max(1.0, self.bbox[3] - self.bbox[1])


@dataclass
class PageOverlay:
    page: int
    boxes: list[Box]
    width_pt: float = 0.0
    height_pt: float = 0.0
    crop: tuple[float, float, float, float] | None = None  # viewBox of the region around the boxes
    error: str | None = None

    @property
    def full(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width_pt, self.height_pt)

    @property
    def view(self) -> tuple[float, float, float, float]:
        return self.crop or self.full


@dataclass
class FlagView:
    flag: FlagRow
    version: DocumentVersion
    document: Document
    section_path: list[tuple[str, str]]
    table: tables.TableView | None = None
    table_title: str | None = None
    passages: list[prose.Passage] = field(default_factory=list)
    section_title: str | None = None
    section_paragraphs: list[str] = field(default_factory=list)
    pages: list[PageOverlay] = field(default_factory=list)
    file_exists: bool = False
    file_changed: bool = False
    highlighted: list[tables.Cell] = field(default_factory=list)
    evidence_json: str = ""
    is_pdf: bool = False
    is_scan: bool = False


def _valid_bbox(b: Any) -> bool:
    return isinstance(b, list) and len(b) == 4 and all(isinstance(x, (int, float)) for x in b) and b[2] > b[0]


def _boxes(flag: FlagRow, view: tables.TableView | None) -> dict[int, list[Box]]:
    """Boxes per page: the flag's own location, then the highlighted table cells."""
    out: dict[int, list[Box]] = {}
    loc = flag.location or {}
    pages = loc.get("pages") or []
    stated_in_table = view is not None and any("hl-stated" in c.classes and c.page and _valid_bbox(c.bbox)
                                               for c in view.highlighted())
    if pages and _valid_bbox(loc.get("bbox")) and not stated_in_table:
        kind = "stated" if (flag.row is not None or flag.sentence) else "block"
        out.setdefault(pages[0], []).append(Box(loc["bbox"], kind, flag.stated or ""))
    if view is not None:
        for c in view.highlighted():
            if c.page and _valid_bbox(c.bbox):
                kind = "stated" if "hl-stated" in c.classes else "related"
                out.setdefault(c.page, []).append(Box(c.bbox, kind, c.text.strip()))
    if not out and pages:
        out[pages[0]] = []
    return out


def _crop(boxes: list[Box], width: float, height: float, pad: float = 50.0) -> tuple[float, float, float, float] | None:
    if not boxes or height <= 0:
        return None
    top = max(0.0, min(b.bbox[1] for b in boxes) - pad)
    bottom = min(height, max(b.bbox[3] for b in boxes) + pad)
    if bottom - top > height * 0.8:
        return None
    return (0.0, round(top, 1), round(width, 1), round(bottom - top, 1))


def build(flag: FlagRow, version: DocumentVersion, document: Document, cache_dir: Path | None) -> FlagView:
    rec = version.record or {}
    fv = FlagView(flag, version, document, prose.section_path(rec, flag.section))
    fmt = (version.format or "").lower()
    fv.is_pdf = fmt in PAGE_FORMATS
    fv.is_scan = fmt == "scanned_pdf" or bool(version.ocr)
    if flag.table_key:
        for t in rec.get("tables") or []:
            if t.get("id") == flag.table_key:
                fv.table = tables.highlight(tables.build(t), [str(c) for c in t.get("columns") or []], flag)
                fv.highlighted = fv.table.highlighted()
                sec = prose.section_index(rec).get(t.get("section") or "")
                fv.table_title = f"{t.get('section')}. {sec['title']}" if sec else None
                break
    fv.passages = prose.passages_for(flag, rec)
    if not fv.passages and not fv.table and flag.section:
        fv.section_title, fv.section_paragraphs = prose.section_text(rec, flag.section)
    try:
        st = os.stat(document.path)
        fv.file_exists = True
        fv.file_changed = st.st_size != version.size
    except OSError:
        fv.file_exists = False
    if fv.is_pdf and fv.file_exists and not fv.file_changed:
        boxes = _boxes(flag, fv.table)
        order = sorted(boxes, key=lambda p: (0 if any(b.kind == "stated" for b in boxes[p]) else 1, p))
        for p in order:
            ov = PageOverlay(p, boxes[p])
            try:
                img = pagemod.render_page(document.path, p, version.sha256, cache_dir)
                ov.width_pt, ov.height_pt = img.width_pt, img.height_pt
                ov.crop = _crop(ov.boxes, ov.width_pt, ov.height_pt)
            except pagemod.PageError as e:
                ov.error = str(e)
            fv.pages.append(ov)
    fv.evidence_json = json.dumps(flag.evidence or {}, ensure_ascii=False, indent=2)
    return fv

"""Read a text PDF into a Document: paragraphs, bordered, borderless and layout tables, in reading order.

A PDF pdfminer cannot open or finds no pages in (a broken cross-reference table) is rebuilt
first (repair). A PDF without a usable text layer (most pages carry almost no characters, but
images) is handed to the OCR reader. Otherwise, per page: bordered tables are found from the
ruling lines (tables), tables without vertical rules from the alignment of their words
(borderless), the other characters become lines (lines), page furniture is dropped
(furniture), two-column header/signature blocks become LAYOUT tables (layout) and the
remaining lines are grouped into paragraphs (paragraphs), the page's closing small-type notes
marked style="footnote". Across pages, a table at the top of a page that continues the table at
the bottom of the previous one is joined to it (table_build: repeated header dropped, a row
broken by the page end made whole), and so is a paragraph broken by the page end (looking past
footnotes). Legacy-encoded text is decoded per line (decode). Every block and cell carries
its page(s) and bounding box.

Text set sideways is read only inside table cells (vertical column headers); elsewhere it is
margin decoration. Speed: each page's characters and drawing objects are parsed once by
pdfplumber and reused; nothing calls extract_text/extract_words.
"""
from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from extractors.readers.common import number_blocks, sha256_file
from extractors.readers.limits import check_pages
from extractors.readers.ocr.textlayer import layer_problem, replace_text_layer
from extractors.readers.pdf.decode import PdfDecoder
from extractors.readers.pdf.furniture import furniture
from extractors.readers.pdf.layout import find_regions, region_table, signature_block
from extractors.readers.pdf.lines import Line, merge_lines, page_lines
from extractors.readers.pdf.paragraphs import MARKER, Frame, Metrics, make_paragraph, split, would_fit
from extractors.readers.pdf.repair import repaired
from extractors.readers.pdf.table_build import build_table
from extractors.readers.pdf.borderless import ends_page, find_borderless
from extractors.readers.pdf.tables import Grid, assign_chars, continues, find_grids, has_text, horizontal_rules
from models.document import Document, Format, PageQuality, Provenance, Source
from models.errors import ConversionError, CorruptFileError, EmptyFileError, EncryptedFileError

FOOTNOTE_STYLE = "footnote"  # Paragraph.style of a page's footnotes
MIN_TEXT_CHARS = 30  # a page with fewer visible characters has no usable text layer


# -- opening and routing ------------------------------------------------------------------

def _open(path: Path, name: Path | None = None):
    """pdfplumber's view of the PDF at `path`; errors name `name` (the file as given)."""
    src, path = path, name or path
    try:
        return pdfplumber.open(str(src))
    except Exception as e:  # pdfplumber wraps pdfminer's errors in PdfminerException
        msg = f"{type(e).__name__}: {e}"
        inner = e.args[0] if e.args else None
        names = msg + " " + type(inner).__name__ if inner is not None else msg
        if "password" in names.lower() or "encrypt" in names.lower():
            raise EncryptedFileError(path, "password-protected PDF") from e
        raise CorruptFileError(path, f"cannot open as PDF ({msg.strip()})") from e


def _visible(chars: list[dict]) -> int:
    """Characters that carry text: not spaces, not unmapped glyphs ("(cid:12)")."""
    return sum(1 for c in chars if not c["text"].isspace() and not c["text"].startswith("(cid:"))


def needs_ocr(pdf, chars: list[list[dict]]) -> bool:
    """No usable text layer: most pages have (almost) no characters that map to text, while the
    pages show something (scanned images, glyphs without a Unicode mapping, outlined text)."""
    n = len(chars)
    text_pages = sum(1 for cs in chars if _visible(cs) >= MIN_TEXT_CHARS)
    if text_pages * 2 > n:
        return False
    return any(cs for cs in chars) or any(p.images or p.curves or p.rects for p in pdf.pages)


def _read_scanned(path: Path, only: list[int] | None = None) -> Document:
    """The PDF (or the pages of `only`) read by OCR."""
    try:
        from extractors.readers.ocr.reader import read_scanned_pdf
    except ImportError as e:
        raise ConversionError(path, "scanned PDF: the OCR reader is not available") from e
    return read_scanned_pdf(path) if only is None else read_scanned_pdf(path, only=only)


# -- per-page analysis --------------------------------------------------------------------

@dataclass
class PageData:
    number: int  # 1-based
    width: float
    height: float
    grids: list[Grid]
    lines: list[Line]
    frame: Frame | None = None
    # in reading order: ("para"|"note", lines, frame) | ("grid", Grid) | ("layout", Region)
    blocks: list = field(default_factory=list)


def _frame(lines: list[Line]) -> Frame | None:
    """The text margins: the leftmost/rightmost line edges shared by several lines."""
    solo = [ln for ln in lines if ln.n_in_row == 1]
    if len(solo) < 4:
        return None
    need = max(2, len(solo) // 20)
    lefts = Counter(round(ln.x0) for ln in solo)
    rights = Counter(round(ln.x1) for ln in solo)
    ls = [x for x, n in lefts.items() if n >= need]
    rs = [x for x, n in rights.items() if n >= need]
    if not ls or not rs:
        return None
    left, right = min(ls), max(rs)
    # edges within a point or two of the chosen ones count too
    left = min(ln.x0 for ln in solo if abs(ln.x0 - left) <= 1.5)
    right = max(ln.x1 for ln in solo if abs(ln.x1 - right) <= 1.5)
    return Frame(left, right) if right - left > 50 else None


def _metrics(pages: list[PageData]) -> Metrics:
    """The usual baseline-to-baseline distance as a multiple of the font size, and the body
    text's font size."""
    ratios: Counter = Counter()
    sizes: Counter = Counter()
    for pg in pages:
        prev = None
        for ln in pg.lines:
            sizes[ln.size] += int(ln.x1 - ln.x0)
            if ln.n_in_row != 1:
                prev = None
                continue
            if prev is not None and abs(prev.size - ln.size) < 0.5:
                r = (ln.baseline - prev.baseline) / ln.size
                if 0.95 <= r <= 2.6:
                    ratios[round(r, 2)] += 1
            prev = ln
    m = Metrics()
    if sizes:
        m.body_size = sizes.most_common(1)[0][0]
    if ratios:
        mode = ratios.most_common(1)[0][0]
        # the mode's neighbourhood, averaged, is steadier than one bucket
        near = [(r, n) for r, n in ratios.items() if abs(r - mode) <= 0.03]
        m.pitch_ratio = sum(r * n for r, n in near) / sum(n for _, n in near)
    return m


def _page_blocks(pg: PageData, m: Metrics, frame: Frame) -> None:
    """Lay out one page's blocks in reading order (top to bottom)."""
    regions = find_regions(pg.lines, frame, m)
    in_region = {id(ln) for r in regions for ln in r.lines}
    rest: list[list[Line]] = []  # the other lines, pieces of one baseline together again
    for ln in pg.lines:
        if id(ln) in in_region:
            continue
        if rest and rest[-1][0].row == ln.row:
            rest[-1].append(ln)
        else:
            rest.append([ln])
    events: list[tuple[float, int, object]] = []
    for pieces in rest:
        ln = merge_lines(pieces)
        events.append((ln.top, 1, ln))
    for g in pg.grids:
        events.append((g.bbox[1], 0, ("grid", g)))
    for r in regions:
        events.append((r.top, 0, ("layout", r)))
    # lines keep their reading order (row by row); blocks go before the first line below them
    lines = [e for e in events if e[1] == 1]
    blocks = sorted((e for e in events if e[1] == 0), key=lambda e: e[0])
    out: list = []
    flow: list[Line] = []
    bi = 0
    for top, _, ln in lines:
        while bi < len(blocks) and blocks[bi][0] <= top:
            if flow:
                out.extend(("para", p, frame) for p in split(flow, frame, m))
                flow = []
            out.append(blocks[bi][2])
            bi += 1
        flow.append(ln)
    if flow:
        out.extend(("para", p, frame) for p in split(flow, frame, m))
    out.extend(b[2] for b in blocks[bi:])
    pg.blocks = _mark_footnotes(out, m)


_NOTE_START = re.compile(r"^[\d*†(]")


def _mark_footnotes(blocks: list, m: Metrics) -> list:
    """The page's closing small-type paragraphs, from the first that opens with a note mark
    ("1 Kế hoạch số …", "* Ghi chú"), are footnotes: ("note", lines, frame)."""
    small = 0.85 * m.body_size
    k = len(blocks)
    while k > 0 and blocks[k - 1][0] == "para" and all(ln.size < small for ln in blocks[k - 1][1]):
        k -= 1
    if k == 0 or k == len(blocks):  # no body text above, or no small type below
        return blocks
    start = next((i for i in range(k, len(blocks)) if _NOTE_START.match(blocks[i][1][0].text)), None)
    if start is None:
        return blocks
    return blocks[:start] + [("note", b[1], b[2]) for b in blocks[start:]]


# -- across pages -------------------------------------------------------------------------

def _joins_table(prev: Grid, nxt: Grid) -> bool:
    return continues(prev, nxt)


def _joins_paragraph(a: list[Line], fa: Frame, b: list[Line], fb: Frame) -> bool:
    """A paragraph cut by the page end: the next word would not have fitted on the last line,
    and the next page's first line is flush left (no first-line indent), has the same size and
    opens with no section number."""
    la, lb = a[-1], b[0]
    if abs(la.size - lb.size) >= 1.0 or la.n_in_row != 1 or lb.n_in_row != 1:
        return False
    if would_fit(la, lb, fa) or la.x0 - fa.left > fa.width / 3:
        return False
    if lb.x0 - fb.left > 0.8 * lb.size:
        return False
    return not MARKER.match(lb.text)


def _closing_signature(seq: list) -> None:
    """Turn the document's closing right-hand paragraphs (the signer) into a layout block."""
    tail = []
    for item in reversed(seq):
        if item[0] != "para":
            break
        tail.insert(0, item)
    if len(tail) < 2:
        return
    reg = signature_block([t[1] for t in tail], [t[2] for t in tail])
    if reg is None:
        return
    n = len({id(ln) for ln in reg.lines})
    taken = 0
    while taken < n:
        taken += len(seq.pop()[1])
    seq.append(("layout", reg))


def _carry_target(seq: list, start: int, stop: int) -> int | None:
    """Index of the previous page's last block a new page may continue, looking past footnotes
    at the page foot."""
    k = stop - 1
    while k >= start and seq[k][0] == "note":
        k -= 1
    return k if k >= start else None


def _join_pages(pages: list[PageData]) -> list:
    """The document's blocks in order, with tables and paragraphs cut by a page end joined.
    Items: ("para"|"note", lines, frame) | ("grids", [Grid, ...]) | ("layout", Region)."""
    seq: list = []
    prev: tuple[int, int] | None = None  # the previous page's items in seq
    for pg in pages:
        start = len(seq)
        for i, b in enumerate(pg.blocks):
            j = _carry_target(seq, *prev) if i == 0 and prev is not None else None
            if j is not None:
                last = seq[j]
                if b[0] == "grid" and last[0] == "grids" and _joins_table(last[1][-1], b[1]):
                    last[1].append(b[1])
                    continue
                if b[0] == "para" and last[0] == "para" and _joins_paragraph(last[1], last[2], b[1], b[2]):
                    seq[j] = ("para", last[1] + b[1], last[2])
                    continue
            seq.append(("grids", [b[1]]) if b[0] == "grid" else b)
        if len(seq) > start:
            prev = (start, len(seq))
    return seq


def _assemble(pages: list[PageData], m: Metrics, decoder: PdfDecoder) -> list:
    seq = _join_pages(pages)
    _closing_signature(seq)
    blocks: list = []
    n_tables = 0
    for item in seq:
        bi = len(blocks)
        if item[0] in ("para", "note"):
            p = make_paragraph(item[1], item[2], decoder, Provenance(block=bi))
            if item[0] == "note":
                p.style = FOOTNOTE_STYLE
            if p.text:
                blocks.append(p)
            continue
        if item[0] == "grids":
            t = build_table(item[1], m, decoder)
        else:
            t = region_table(item[1], m, decoder)
        t.provenance.block, t.provenance.table = bi, n_tables
        for c in t.cells:
            c.provenance.block, c.provenance.table = bi, n_tables
            for p in c.paragraphs:
                p.provenance.block, p.provenance.table = bi, n_tables
        n_tables += 1
        blocks.append(t)
    return blocks


# -- entry point --------------------------------------------------------------------------

def _pages(pdf, path: Path) -> list:
    """The page objects; a damaged page tree (e.g. a MediaBox that is not four numbers) is a
    CorruptFileError, not pdfplumber's own exception."""
    try:
        return pdf.pages
    except Exception as e:  # MalformedPDFException, PdfminerException, …
        raise CorruptFileError(path, f"damaged PDF page tree ({type(e).__name__}: {e})") from e


def _close(pdf) -> None:
    """Close the PDF without letting pdfplumber's close() (which builds the pages again) raise
    over the real error; the file handle is closed in any case."""
    try:
        pdf.close()
    except Exception:
        stream = getattr(pdf, "stream", None)
        if stream is not None and not getattr(pdf, "stream_is_external", False):
            stream.close()


def _page_chars(pdf, path: Path) -> list[list[dict]]:
    try:
        chars = [page.chars for page in pdf.pages]
    except Exception as e:  # pdfminer chokes on a damaged content stream
        raise CorruptFileError(path, f"damaged PDF content ({type(e).__name__}: {e})") from e
    if not chars:
        raise CorruptFileError(path, "PDF has no pages")
    return chars


def _analyse_pages(pdf, all_chars: list[list[dict]]) -> list[PageData]:
    """Per page: its bordered tables (with their cells' lines) and the other text lines."""
    pages: list[PageData] = []
    carry = None  # a borderless table that ended the page before
    for i, (page, chars) in enumerate(zip(pdf.pages, all_chars), start=1):
        try:
            grids = find_grids(page, i)
        except Exception:  # a drawing the table finder cannot digest: read the page as text
            grids = []
        rest = assign_chars(grids, chars)
        kept = []
        for g in grids:
            if has_text(g):
                kept.append(g)
                for c in g.cells:
                    c.lines = page_lines(c.chars, i) if c.chars else []
            else:  # ruled background without text: its characters are ordinary text
                for c in g.cells:
                    rest.extend(c.chars)
        try:
            loose, rest = find_borderless(rest, i, horizontal_rules(page, kept),
                                          carry[0] if carry and carry[1] == round(page.width) else None)
        except Exception:  # an arrangement the column finder cannot digest: read it as text
            loose = []
        for g in loose:
            for c in g.cells:
                c.lines = page_lines(c.chars, i) if c.chars else []
        kept = sorted(kept + loose, key=lambda g: g.bbox[1])
        lines = page_lines(rest, i)
        last = kept[-1] if kept else None
        carry = (last, round(page.width)) if last is not None and ends_page(last, lines, float(page.height)) \
            else None
        pages.append(PageData(i, float(page.width), float(page.height), kept, lines))
    return pages


def _lay_out(pages: list[PageData]) -> tuple[list, PdfDecoder]:
    """Drop furniture, learn the document's typography, lay out every page, join pages."""
    drop = furniture([pg.lines for pg in pages], [pg.height for pg in pages])
    if drop:
        for pg in pages:
            pg.lines = [ln for ln in pg.lines if id(ln) not in drop]
    m = _metrics(pages)
    all_lines = [ln for pg in pages for ln in pg.lines]
    doc_frame = _frame(all_lines) or Frame(0, max(pg.width for pg in pages))
    decoder = PdfDecoder(all_lines + [ln for pg in pages for g in pg.grids for c in g.cells
                                      for ln in c.lines])
    common_width = Counter(round(pg.width) for pg in pages).most_common(1)[0][0]
    for pg in pages:
        base = doc_frame
        if abs(pg.width - common_width) > 5:  # a landscape (or odd-sized) page: same margins
            base = Frame(doc_frame.left, pg.width - (common_width - doc_frame.right))
        fr = _frame(pg.lines) if len(pg.lines) >= 8 else None
        pg.frame = fr if fr is not None and fr.width >= 0.6 * base.width else base
        _page_blocks(pg, m, pg.frame)
    return _assemble(pages, m, decoder), decoder


def _read(p: Path, src: Path) -> Document:
    """Read the PDF `src` (p itself, or a repaired copy of it); errors name p."""
    pdf = _open(src, p)
    try:
        check_pages(p, len(_pages(pdf, p)))  # before any parsing or OCR
        all_chars = _page_chars(pdf, p)
        scanned = needs_ocr(pdf, all_chars)
        bad: dict[int, str] = {}
        if not scanned:  # stamp-only or garbled layers: most pages → OCR the document, a few → those
            bad = {i + 1: why for i, (page, cs) in enumerate(zip(pdf.pages, all_chars))
                   if (why := layer_problem(page, cs)) is not None}
            scanned = replace_text_layer(len(all_chars), len(bad))
        if not scanned:
            if not any(_visible(cs) for cs in all_chars):
                raise EmptyFileError(p, "PDF has no text and no images")
            blocks, decoder = _lay_out(_analyse_pages(pdf, all_chars))
            n_pages = len(all_chars)
    finally:
        _close(pdf)
    if scanned:
        return _read_scanned(src)
    doc = Document(
        source=Source(path=str(p), sha256=sha256_file(p), format=Format.PDF, size=p.stat().st_size,
                      page_count=n_pages, encoding=decoder.encoding()),
        blocks=blocks,
    )
    return _splice_ocr(doc, src, bad) if bad else doc


def _splice_ocr(doc: Document, src: Path, bad: dict[int, str]) -> Document:
    """A PDF typeset as text but for a few scanned pages whose text layer does not stand for
    them (a signed cover page with a garbled OCR layer before a typeset annex): those pages are
    read by OCR and their blocks take the place of the layer's, in page order. The document is
    then marked as partly OCR'd (Source.ocr), with a quality entry for each page read so."""
    scanned = _read_scanned(src, sorted(bad))

    def first_page(b) -> int:
        return min(b.provenance.pages) if b.provenance.pages else 0

    kept = [b for b in doc.blocks if not (b.provenance.pages and set(b.provenance.pages) <= set(bad))]
    merged = sorted([(first_page(b), 0, i, b) for i, b in enumerate(kept)]
                    + [(first_page(b), -1, i, b) for i, b in enumerate(scanned.blocks)],
                    key=lambda x: (x[0], x[1], x[2]))
    blocks = [b for _, _, _, b in merged]
    number_blocks(blocks)
    src_rec = doc.source
    src_rec.ocr = True
    src_rec.ocr_confidence = scanned.source.ocr_confidence
    src_rec.converted_with = scanned.source.converted_with
    read = {q.page: q for q in scanned.source.pages}
    src_rec.pages = [read.get(n) or PageQuality(page=n, method="text") for n in range(1, (src_rec.page_count or 0) + 1)]
    src_rec.grade = scanned.source.grade
    return Document(source=src_rec, blocks=blocks)


def read_pdf(path: str | Path) -> Document:
    """Read a PDF; one without a usable text layer goes to the OCR reader. A PDF whose structure
    pdfminer cannot follow (a broken cross-reference table, no trailer: "no pages") is rebuilt
    first (pdf.repair) and read from the copy; it is damaged only when that fails too."""
    p = Path(path)
    try:
        return _read(p, p)
    except CorruptFileError as damaged:
        with tempfile.TemporaryDirectory(prefix="baocao-pdf-") as tmp:
            fixed = repaired(p, Path(tmp))
            if fixed is None:
                raise
            try:
                doc = _read(p, fixed)
            except (CorruptFileError, EmptyFileError):  # what was saved of it is nothing
                raise damaged from None
            doc.source.path, doc.source.sha256 = str(p), sha256_file(p)
            doc.source.size = p.stat().st_size
            return doc

"""The OCR reader for scanned PDFs: each sample scan reads like its Word original (body text,
layout blocks, the data table joined across pages with its merged header cells and "8.28" as
written), the real scanned financial report reads with its table, provenance on every block and
cell, one OCR pass per file (disk cache, a corrupt entry rewritten), typed errors when Tesseract
is missing or times out; plus unit tests of the grid finder and the OCR text repairs on
synthetic input.

Fairness of the text comparison: both readings are compared as `Document.body_text()` (all
blocks, table rows tab-separated). The OCR reader, like the Word reader, makes the borderless
header/signature blocks LAYOUT tables, so the two bodies have the same shape; the similarity
folds white space, so tabs, line breaks and paragraph splits do not count, only characters.
"""
from __future__ import annotations

import re
import time
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from conftest import DOCS, FIXTURES, REAL, REPORTS
from extractors.readers import read_document
from extractors.readers.ocr import cache as ocr_cache
from extractors.readers.ocr import engine as ocr_engine
from extractors.readers.common import clean_text
from extractors.readers.ocr.layout import build_grids
from extractors.readers.ocr.reader import read_scanned_pdf
from extractors.readers.ocr.rulings import erase_rulings, estimate_skew, find_rulings
from extractors.readers.ocr.text import fix_label, fix_words, is_noise
from extractors.readers.similarity import text_similarity
from models.document import Format, Paragraph, Table, TableRole
from models.errors import ConversionError, InputError

MIN_SIMILARITY = 0.90
MIN_CELL_AGREEMENT = 0.70
OWN_SCANS = sorted((FIXTURES / "corpus" / "docs").glob("*.scan.pdf"))

slow = pytest.mark.slow  # runs Tesseract (cached on disk after the first run)


@lru_cache(maxsize=None)
def scan(path: str):
    return read_scanned_pdf(path)


@lru_cache(maxsize=None)
def word(path: str):
    return read_document(path)


def strict_similarity(a: str, b: str) -> float:
    """difflib's character ratio on NFC text with white space folded (autojunk off)."""
    def norm(t: str) -> str:
        return re.sub(r"\s+", " ", unicodedata.normalize("NFC", t)).strip()
    return SequenceMatcher(None, norm(a), norm(b), autojunk=False).ratio()


def data_tables(doc) -> list[Table]:
    return [t for t in doc.tables if t.role == TableRole.DATA]


# -- the sample reports: scan against Word ------------------------------------------------

@slow
@pytest.mark.parametrize("name", REPORTS)
def test_scan_text_agrees_with_docx(corpus, name):
    ocr = scan(str(DOCS / f"{name}.scan.pdf"))
    ref = word(str(DOCS / f"{name}.docx"))
    sim = text_similarity(ocr.body_text(), ref.body_text())
    strict = strict_similarity(ocr.body_text(), ref.body_text())
    print(f"\n{name}.scan.pdf vs .docx: text_similarity={sim:.4f} strict difflib ratio={strict:.4f}")
    assert strict >= MIN_SIMILARITY
    assert sim >= MIN_SIMILARITY
    # paragraphs, not lines: about as many as the Word original, and layout blocks as tables
    n_ocr, n_ref = len(ocr.paragraphs), len(ref.paragraphs)
    print(f"  paragraphs {n_ocr} (Word {n_ref}); tables {[(t.role.value, t.n_rows, t.n_cols) for t in ocr.tables]}")
    assert abs(n_ocr - n_ref) <= max(3, 0.1 * n_ref)
    assert [t for t in ocr.tables if t.role == TableRole.LAYOUT]


@slow
@pytest.mark.parametrize("path", OWN_SCANS, ids=lambda p: p.name)
def test_own_fixture_scans_agree_with_docx(path):
    ocr = scan(str(path))
    ref = word(str(path.with_name(path.name.replace(".scan.pdf", ".docx"))))
    strict = strict_similarity(ocr.body_text(), ref.body_text())
    print(f"\n{path.name} vs .docx: strict ratio={strict:.4f}")
    assert strict >= MIN_SIMILARITY


@slow
def test_scan_source(corpus):
    for name in REPORTS:
        doc = scan(str(DOCS / f"{name}.scan.pdf"))
        src = doc.source
        assert src.format == Format.SCANNED_PDF and src.ocr
        assert src.page_count == 6
        assert 80 <= src.ocr_confidence <= 100
        assert src.converted_with and src.converted_with.startswith("tesseract")
        assert len(src.sha256) == 64


@slow
def test_duc_chinh_table_one_grid_across_pages(corpus):
    ocr = scan(str(DOCS / "duc-chinh-2020-h1.scan.pdf"))
    ref = word(str(DOCS / "duc-chinh-2020-h1.docx"))
    tables = data_tables(ocr)
    assert len(tables) == 1
    t, u = tables[0], data_tables(ref)[0]
    assert (t.n_cols, t.n_rows) == (5, 13)
    assert t.provenance.pages == [4, 5]
    # the merged header cells, as Word has them
    spans = sorted((c.row, c.col, c.row_span, c.col_span) for c in t.cells if c.row_span > 1 or c.col_span > 1)
    assert spans == sorted((c.row, c.col, c.row_span, c.col_span) for c in u.cells if c.row_span > 1 or c.col_span > 1)
    g, h = t.grid(), u.grid()
    pairs = [(clean_text(a), clean_text(b)) for ra, rb in zip(g, h) for a, b in zip(ra, rb)]
    agree = sum(a == b for a, b in pairs) / len(pairs)
    print(f"\nduc-chinh data table: {t.n_rows}x{t.n_cols}, cells equal to the docx grid: {agree:.3f}")
    for a, b in pairs:
        if a != b:
            print(f"  OCR {a!r} vs Word {b!r}")
    assert agree >= MIN_CELL_AGREEMENT
    total = next(r for r in g if "Tổng số" in r[1])
    assert total[2:4] == ["17", "8.28"]  # as written, not "828"


@slow
def test_text_inside_tables_is_not_repeated(corpus):
    ocr = scan(str(DOCS / "duc-chinh-2020-h1.scan.pdf"))
    body = "\n".join(p.text for p in ocr.paragraphs)
    assert "Chuyên đề Giáo dục môi trường" not in body
    assert "Học nghề ngắn hạn" not in body


@slow
def test_provenance_on_every_block_and_cell(corpus):
    for path in [DOCS / f"{n}.scan.pdf" for n in REPORTS] + [REAL / "vbai_hhdn_BCTC_SCANNED.pdf"]:
        doc = scan(str(path))
        for i, b in enumerate(doc.blocks):
            assert b.provenance.block == i
            assert b.provenance.pages and b.provenance.bbox, (path.name, i)
            x0, y0, x1, y1 = b.provenance.bbox
            assert 0 <= x0 < x1 <= 600 and 0 <= y0 < y1 <= 850  # A4 in points
            if isinstance(b, Table):
                for c in b.cells:
                    assert c.provenance.pages and c.provenance.bbox, (path.name, i, c.row, c.col)
                    assert c.provenance.block == i and (c.provenance.row, c.provenance.col) == (c.row, c.col)


@slow
def test_text_is_nfc_and_clean(corpus):
    doc = scan(str(DOCS / "mao-khe-2021-chi-thi-04.scan.pdf"))
    text = doc.body_text()
    assert unicodedata.normalize("NFC", text) == text
    for p in doc.paragraphs:
        assert p.text == clean_text(p.text)
    # bold is told from the strokes' width: as in the Word original, the title is bold and the
    # body text is not
    word_doc = word(str(DOCS / "mao-khe-2021-chi-thi-04.docx"))
    assert any(p.bold and "BÁO CÁO" in p.text for p in doc.paragraphs)
    long_scan = [p for p in doc.paragraphs if len(p.text) > 200]
    long_word = [p for p in word_doc.paragraphs if len(p.text) > 200]
    assert sum(p.bold for p in long_scan) <= sum(p.bold for p in long_word) + 1
    centred = [p for p in doc.paragraphs if p.alignment and p.alignment.value == "center"]
    assert any("BÁO CÁO" in p.text for p in centred)
    sizes = [p.font_size for p in doc.paragraphs if p.font_size]
    assert 11 <= sorted(sizes)[len(sizes) // 2] <= 15  # body text is 13 pt


@slow
def test_section_numerals_repaired(corpus):
    # Tesseract reads the bold "III." of a heading as "HI."
    doc = scan(str(DOCS / "duc-chinh-2020-h1.scan.pdf"))
    heads = [p.text for p in doc.paragraphs if re.match(r"^[IVXH]+\. ", p.text)]
    print("\nheadings:", [h[:30] for h in heads])
    assert [h.split(".")[0] for h in heads] == ["I", "II", "III", "IV", "V"]


# -- the real scanned financial report ----------------------------------------------------

@slow
def test_real_scanned_financial_report(corpus):
    doc = scan(str(REAL / "vbai_hhdn_BCTC_SCANNED.pdf"))
    assert doc.source.ocr and doc.source.page_count == 4
    assert "ƣ" not in doc.body_text() and "Ƣ" not in doc.body_text()
    tables = data_tables(doc)
    print(f"\nBCTC: {[(t.n_rows, t.n_cols, t.provenance.pages) for t in tables]}, conf {doc.source.ocr_confidence}")
    assert tables
    main = tables[0]
    assert main.n_cols == 3 and main.provenance.pages == [1, 2, 3]  # one table over three pages
    amounts = [c.text for c in main.cells if c.col == 2]
    assert "2,096,584,751" in amounts  # the TỔNG THU row, comma thousands as written
    assert "72,341,446" in amounts  # the closing balance on page 3
    money = [a for a in amounts if re.fullmatch(r"\d{1,3}(,\d{3})+", a)]
    assert len(money) >= 0.8 * (main.n_rows - 1)
    assert any(t.n_cols == 3 and 4 in t.provenance.pages for t in tables)  # page 4's own table


@slow
def test_read_document_routes_scans_here(corpus):
    doc = read_document(DOCS / "duc-chinh-2020-h1.scan.pdf")
    assert doc.source.format == Format.SCANNED_PDF and doc.source.ocr
    assert doc.body_text() == scan(str(DOCS / "duc-chinh-2020-h1.scan.pdf")).body_text()


def _cpu() -> float:
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@pytest.mark.parametrize("path", [REAL / "vbai_hhdn_BCTC_SCANNED.pdf", DOCS / "duc-chinh-2020-h1.scan.pdf"],
                         ids=lambda p: p.name)
@slow
def test_seconds_per_page(corpus, tmp_path, monkeypatch, path):
    """A fresh OCR (cache bypassed), pages spread over the CPUs: wall time per page, and CPU
    time per page (Tesseract's processes included), which does not depend on the machine's
    other load."""
    monkeypatch.setenv("BAOCAO_CACHE_DIR", str(tmp_path))
    t0, c0 = time.perf_counter(), _cpu()
    doc = read_scanned_pdf(path)
    n = doc.source.page_count
    wall, cpu = (time.perf_counter() - t0) / n, (_cpu() - c0) / n
    print(f"\n{path.name}: {wall:.2f} s per page wall, {cpu:.2f} s CPU per page "
          f"({n} pages, {ocr_engine.DPI} dpi, {ocr_engine.os.cpu_count()} CPUs)")
    assert cpu < 10  # Tesseract alone takes about 2-3 s of CPU for a full page
    assert wall < 30  # a loose bound: the machine is shared


# -- cache and errors, on a small synthetic scan -------------------------------------------

def _font(size: int):
    from PIL import ImageFont

    for name in ("DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    pytest.skip("no TrueType font to draw a test scan")


def make_scan(path: Path) -> Path:
    """A one-page image-only PDF (200 dpi, A5): a title, a paragraph and a ruled table whose
    header cell spans two columns."""
    import img2pdf
    from PIL import Image, ImageDraw

    img = Image.new("L", (1169, 1654), 255)
    d = ImageDraw.Draw(img)
    big, body = _font(40), _font(30)
    d.text((400, 120), "BÁO CÁO", font=big, fill=0)
    d.text((120, 230), "Kết quả thực hiện nhiệm vụ năm 2023 của xã.", font=body, fill=0)
    xs, ys = [120, 520, 800, 1050], [350, 430, 510, 590, 670]
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for i, x in enumerate(xs):
        d.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
        if i == 2:  # no line between the two number columns in the header row: a merged cell
            d.line([(x, ys[0]), (x, ys[1])], fill=255, width=3)
    cells = [["Nội dung", "Số liệu", ""], ["Học sinh", "120", "45"], ["Giáo viên", "18", "7"],
             ["Tổng số", "138", "52"]]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if text:
                d.text((xs[c] + 20, ys[r] + 20), text, font=body, fill=0)
    png = path.with_suffix(".png")
    img.save(png, dpi=(200, 200))
    path.write_bytes(img2pdf.convert(str(png)))
    return path


@pytest.fixture()
def small_scan(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BAOCAO_CACHE_DIR", str(tmp_path / "cache"))
    return make_scan(tmp_path / "small.pdf")


@slow
def test_small_scan_reads_and_caches(small_scan, monkeypatch):
    doc = read_scanned_pdf(small_scan)
    assert any("BÁO CÁO" in p.text for p in doc.paragraphs)
    assert any("nhiệm vụ năm 2023" in p.text for p in doc.paragraphs)
    t = data_tables(doc)[0]
    assert (t.n_rows, t.n_cols) == (4, 3)
    head = t.cell_at(0, 1)
    assert (head.col_span, head.text) == (2, "Số liệu")
    assert t.grid()[3] == ["Tổng số", "138", "52"]
    entries = list(ocr_cache.cache_dir().glob("*.json"))
    assert len(entries) == 1
    # a second reading does not run Tesseract
    monkeypatch.setattr(ocr_engine, "ocr_pdf", lambda *a, **k: pytest.fail("OCR ran twice"))
    again = read_scanned_pdf(small_scan)
    assert again.body_text() == doc.body_text()


@slow
def test_corrupt_cache_entry_is_rewritten(small_scan):
    doc = read_scanned_pdf(small_scan)
    (entry,) = ocr_cache.cache_dir().glob("*.json")
    entry.write_text('{"format": 1, "key": "', encoding="utf-8")  # truncated
    again = read_scanned_pdf(small_scan)
    assert again.body_text() == doc.body_text()
    import json

    assert json.loads(entry.read_text(encoding="utf-8"))["pages"]


@slow
def test_tesseract_missing_is_a_conversion_error(small_scan, monkeypatch, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    ocr_engine.tesseract_version.cache_clear()
    ocr_engine._languages.cache_clear()
    try:
        with pytest.raises(ConversionError) as e:
            read_scanned_pdf(small_scan)
        assert "small.pdf" in str(e.value) and "Tesseract" in str(e.value)
        assert isinstance(e.value, InputError)
    finally:
        ocr_engine.tesseract_version.cache_clear()
        ocr_engine._languages.cache_clear()


@slow
def test_tesseract_timeout_is_a_conversion_error(small_scan, monkeypatch):
    monkeypatch.setattr(ocr_engine, "PAGE_TIMEOUT", 0.01)
    with pytest.raises(ConversionError) as e:
        read_scanned_pdf(small_scan)
    assert "small.pdf" in str(e.value) and "timed out" in str(e.value)


@slow
def test_unreadable_pdf_is_a_conversion_error(tmp_path, monkeypatch):
    monkeypatch.setenv("BAOCAO_CACHE_DIR", str(tmp_path / "cache"))
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n% truncated\n")
    with pytest.raises(ConversionError) as e:
        read_scanned_pdf(bad)
    assert "bad.pdf" in str(e.value)


# -- units: grids and text repairs --------------------------------------------------------

def _page(lines_h, lines_v, shape=(600, 800), value=0):
    img = np.full(shape, 255, dtype=np.uint8)
    for y, x0, x1 in lines_h:
        img[y - 1:y + 2, x0:x1] = value
    for x, y0, y1 in lines_v:
        img[y0:y1, x - 1:x + 2] = value
    return img


@pytest.mark.parametrize("value", [0, 175])  # black lines, and faded grey ones
def test_grid_with_merged_cells(value):
    xs, ys = [100, 300, 500, 700], [100, 180, 260, 340]
    h = [(y, xs[0], xs[-1] + 1) for y in ys]
    # header: columns 1-2 merged (no line at x=500 in row 0); rows 1-2 merged in column 0
    v = [(xs[0], ys[0], ys[-1] + 1), (xs[1], ys[0], ys[-1] + 1), (xs[3], ys[0], ys[-1] + 1),
         (xs[2], ys[1], ys[-1] + 1)]
    img = _page(h, v, value=value)
    img[ys[2] - 1:ys[2] + 2, xs[0]:xs[1]] = 255  # no line between rows 1 and 2 in column 0
    hs, vs = find_rulings(img, 300)
    (grid,) = build_grids(hs, vs, 300)
    assert (grid.n_rows, grid.n_cols) == (3, 3)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in grid.cells}
    assert spans[(0, 1)] == (1, 2)
    assert spans[(1, 0)] == (2, 1)
    assert len(grid.cells) == 3 * 3 - 2


def test_text_rows_are_not_rulings():
    img = _page([], [])
    rng = np.random.default_rng(1)
    for y in range(100, 500, 40):  # rows of "letters": short dark strokes
        for x in range(100, 700, 14):
            img[y:y + 20, x:x + 3] = 0
            img[y:y + 3, x:x + 9] = 0 if rng.random() < 0.7 else 255
    hs, vs = find_rulings(img, 300)
    assert build_grids(hs, vs, 300) == []


def test_skew_is_measured_and_lines_erased():
    from PIL import Image

    xs, ys = [100, 400, 700], [100, 200, 300, 400]
    img = _page([(y, xs[0], xs[-1] + 1) for y in ys], [(x, ys[0], ys[-1] + 1) for x in xs])
    img[140:160, 150:300] = 0  # some text-like ink
    turned = np.asarray(Image.fromarray(img).rotate(-0.6, fillcolor=255))
    assert abs(estimate_skew(turned, 300) - 0.6) <= 0.15
    assert estimate_skew(img, 300) == 0.0
    hs, vs = find_rulings(img, 300)
    clean = erase_rulings(img, hs, vs, 300)
    assert (clean[ys[1] - 1:ys[1] + 2, 120:380] == 255).all()
    assert (clean[140:160, 150:300] == 0).all()  # the ink that is not a line stays


def test_ocr_text_repairs():
    assert fix_words(["năm", "2O2O"]) == ["năm", "2020"]
    assert fix_words(["3l"]) == ["31"]
    assert fix_words(["8.28"]) == ["8.28"]
    assert fix_words(["II", "I", "Il"]) == ["II", "I", "Il"]
    assert fix_words(["cơ", "sỞ"]) == ["cơ", "sở"]
    assert fix_words(["TỈ", "lệ"]) == ["Tỉ", "lệ"]
    assert fix_words(["dân", "chủ", "Ở", "cơ"]) == ["dân", "chủ", "ở", "cơ"]
    assert fix_words(["UBND", "tỉnh"]) == ["UBND", "tỉnh"]
    assert fix_words(["KẾT", "QUẢ", "đạt"])[:2] == ["KẾT", "QUẢ"]
    assert fix_words(["Ðức"]) == ["Đức"]
    assert fix_label("HI. Đánh giá") == "III. Đánh giá"
    assert fix_label("H") == "II"
    assert fix_label("HH. x") == "HH. x"
    assert is_noise("_—", 60) and is_noise("©", 90) and not is_noise("14", 96)
    assert not is_noise("Trong đó:", 0)  # Tesseract gives 0 to some clean italic lines


@slow
def test_paragraphs_from_ocr_lines_are_whole(corpus):
    doc = scan(str(DOCS / "duc-chinh-2020-h1.scan.pdf"))
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("Thực hiện nội dung chỉ đạo") and t.endswith("6 tháng đầu năm 2020;") for t in texts)
    assert all(isinstance(b, (Paragraph, Table)) for b in doc.blocks)


def _grid_lines(xs, ys):
    from extractors.readers.ocr.rulings import Segment

    return ([Segment(float(y), xs[0], xs[-1], 2) for y in ys], [Segment(float(x), ys[0], ys[-1], 2) for x in xs])


def _words(cells: dict, xs, ys):
    from extractors.readers.ocr.engine import Word

    out = []
    for (r, c), text in cells.items():
        x, y = xs[c] + 20, ys[r] + 20
        for k, t in enumerate(text.split()):
            out.append(Word(t, 95.0, (x + 90 * k, y, x + 90 * k + 80, y + 40), r * 10 + c, 1, 1))
    return out


def test_table_continued_on_next_page_with_repeated_header():
    from extractors.readers.ocr.engine import TableLines
    from extractors.readers.ocr.tables import page_table, same_columns, to_table

    xs, ys1, ys2 = [100, 300, 600, 900], [2000, 2080, 2160, 2240], [200, 280, 360]
    head = {(0, 0): "STT", (0, 1): "Nội dung", (0, 2): "Số tiền"}
    p1 = TableLines(*_grid_lines(xs, ys1), _words({**head, (1, 0): "1", (1, 1): "Thu phí", (1, 2): "55,000",
                                                   (2, 0): "2", (2, 1): "Lãi", (2, 2): "982"}, xs, ys1))
    p2 = TableLines(*_grid_lines(xs, ys2), _words({(0, 0): "STT", (0, 1): "Nội dung", (0, 2): "Sổ tiền",
                                                   (1, 0): "3", (1, 1): "Khen thưởng", (1, 2): "11,050"}, xs, ys2))
    a, b = page_table(p1, 1, 300), page_table(p2, 2, 300)
    assert same_columns(a.grid, b.grid, 2480)
    t = to_table([a, b])
    assert (t.n_rows, t.n_cols) == (4, 3) and t.provenance.pages == [1, 2]
    assert t.grid()[0] == ["STT", "Nội dung", "Số tiền"]
    assert t.grid()[3] == ["3", "Khen thưởng", "11,050"]
    assert t.cell_at(3, 2).provenance.pages == [2]


# -- borderless tables, from the columns of the words (synthetic page words) ---------------

def _line(y: int, chunks: list[tuple[int, str]], h: int = 45, conf: float = 95.0):
    """Words of one printed line: chunks of text starting at x, words 20 px apart."""
    from extractors.readers.ocr.engine import Word

    out = []
    for x, text in chunks:
        for t in text.split():
            w = 28 * len(t)
            out.append(Word(t, conf, (x, y, x + w, y + h), 1, 1, y))
            x += w + 20
    return out


def _borderless_page():
    """A body paragraph, a table with a two-level header (a group title over two columns), a
    wrapped label, a total row, and another paragraph: page pixels at 300 dpi."""
    body = "Tình hình thực hiện các chỉ tiêu trong kỳ báo cáo như sau đây"
    words = _line(300, [(360, body)]) + _line(370, [(360, "của đơn vị như sau:")])
    words += _line(460, [(380, "TT"), (600, "Nội dung"), (1344, "Kết quả"), (1750, "Ghi")])
    words += _line(530, [(1180, "Năm"), (1480, "Năm")])
    words += _line(600, [(1180, "2023"), (1480, "2024")])
    rows = [("1", "Thu ngân sách", "1.250,5", "1.310,0"), ("2", "Chi thường xuyên", "980,0", "1.020,4"),
            ("3", "Chi đầu tư xây dựng", "210,0", "250,0")]
    y = 680
    for tt, label, a, b in rows:
        words += _line(y, [(390, tt), (600, label), (1190, a), (1490, b)])
        y += 70
    words += _line(y, [(600, "cơ bản")])  # the rest of row 3's label
    y += 70
    words += _line(y, [(600, "Tổng cộng"), (1190, "2.440,5"), (1490, "2.580,4")])
    words += _line(y + 140, [(360, body)])
    return words


def test_borderless_table_found_from_word_columns():
    from extractors.readers.ocr.borderless import find_borderless
    from extractors.readers.ocr.tables import place_words, to_table, PageTable

    words = _borderless_page()
    (grid,) = find_borderless(words, 1, 2480, 300)
    t = to_table([PageTable(grid=grid, words=place_words(grid, words), page=1, bordered=False)])
    g = t.grid()
    assert t.bordered is False and t.n_cols == 5
    assert g[0][:3] == ["TT", "Nội dung", "Kết quả"] and t.cell_at(0, 2).col_span == 2
    assert g[1][2:4] == ["Năm 2023", "Năm 2024"]  # the second header level
    assert t.cell_at(0, 0).row_span == 2  # 'TT' over both header levels
    assert g[2] == ["1", "Thu ngân sách", "1.250,5", "1.310,0", ""]
    assert g[4][1] == "Chi đầu tư xây dựng cơ bản"  # a wrapped label is one cell
    assert g[5][1:4] == ["Tổng cộng", "2.440,5", "2.580,4"]
    assert t.n_rows == 6  # neither paragraph is in the table


def test_prose_and_layout_blocks_are_not_borderless_tables():
    from extractors.readers.ocr.borderless import find_borderless

    words = _line(200, [(360, "ỦY BAN NHÂN DÂN"), (1300, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")])
    words += _line(270, [(420, "Số: 218/BC-UBND"), (1250, "Tân Hòa, ngày 12 tháng 12 năm 2024")])
    for k in range(6):
        words += _line(400 + 70 * k, [(360, f"Năm 2024 đạt {k + 1}.245,6 ha, bằng 101,2% kế hoạch đề ra")])
    assert find_borderless(words, 1, 2480, 300) == []



def test_borderless_specks_beside_numbers_neither_make_years_data_nor_merge_cells():
    """A speck read beside a header's year ('2024.') does not make the header line a data row,
    and one in the gutter between two numbers ('5.912,4-.' running into '6.355,8') does not
    merge their cells."""
    from extractors.readers.ocr.borderless import _numeric, find_borderless

    assert not _numeric("2024.") and not _numeric("‘2023") and _numeric("108,0.") and _numeric("-2024")
    words = _line(300, [(360, "Tình hình thực hiện các chỉ tiêu trong kỳ báo cáo như sau đây")])
    words += _line(460, [(380, "TT"), (600, "Chỉ tiêu"), (1180, "Năm"), (1480, "Năm"), (1780, "So")])
    words += _line(530, [(1180, "2023"), (1480, "2024."), (1780, "sánh")])
    rows = [("1", "Tổng doanh thu", "6.338,0", "6.842,0", "108,0"), ("2", "Tổng chi phí", "5.912,4-.", "6.355,8", "107,5"),
            ("3", "Lợi nhuận", "425,6", "486,2", "114,2")]
    y = 620
    for tt, label, a, b, c in rows:
        words += _line(y, [(390, tt), (600, label), (1190, a), (1490, b), (1790, c)])
        y += 70
    (grid,) = find_borderless(words, 1, 2480, 300)
    assert grid.n_rows == 4 and grid.n_cols == 5  # one header row, three data rows
    # two numbers run into one chunk by a speck in the gutter: cut apart again
    from extractors.readers.ocr.borderless import Chunk, Column, Line, _split_numbers
    from extractors.readers.ocr.engine import Word
    a = Word("5.912,4-.", 90, (1544, 900, 1790, 945), 1, 1, 1)
    b = Word("6.355,8", 90, (1793, 900, 1996, 945), 1, 1, 1)
    ln = Line([a, b], [Chunk([a, b])])
    _split_numbers(ln, [Column(519, 1055), Column(1511, 1748), Column(1812, 1996)])
    assert [c.text for c in ln.chunks] == ["5.912,4-.", "6.355,8"]
    label = [Word("Tổng", 90, (1544, 900, 1700, 945), 1, 1, 1), Word("cộng", 90, (1793, 900, 1900, 945), 1, 1, 1)]
    ln = Line(label, [Chunk(label)])
    _split_numbers(ln, [Column(519, 1055), Column(1511, 1748), Column(1812, 1996)])
    assert len(ln.chunks) == 1  # words of a merged cell stay together


# -- page images: orientation, specks, strokes, red seals -------------------------------------

def _text_image(lines: list[str], bold: bool = False, size: int = 42, shape=(1400, 1800), stagger: int = 0):
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (shape[1], shape[0]), 255)
    d = ImageDraw.Draw(img)
    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    try:
        font = ImageFont.truetype(name, size)
    except OSError:
        font = ImageFont.truetype(f"/usr/share/fonts/truetype/dejavu/{name}", size)
    for k, t in enumerate(lines):
        d.text((100 + (k * stagger) % 211, 100 + 70 * k), t, font=font, fill=0)
    return np.asarray(img)


def test_sideways_page_is_told_from_its_ink():
    from extractors.readers.ocr import prepare

    lines = ["Báo cáo kết quả thực hiện nhiệm vụ năm 2024", "của Ủy ban nhân dân xã Tân Hòa,",
             "tổng diện tích gieo trồng cả năm đạt 1.245,6 ha", "bằng 101,2% kế hoạch; sản lượng lương thực"]
    page = _text_image([lines[k % 4] for k in range(18)], size=36, stagger=37)
    assert not prepare.sideways(page)
    for turn in (90, 270):
        sideways = prepare.turn(page, turn)
        assert sideways.shape == page.shape[::-1] and prepare.sideways(sideways)
        assert (prepare.turn(sideways, 360 - turn) == page).all()


def test_specks_removed_text_and_diacritics_kept():
    from extractors.readers.ocr import prepare

    page = _text_image(["Tổng số hộ nghèo giảm còn 54 hộ, đạt 1,62%."] * 6)
    dirty = page.copy()
    spots = [(y, x) for y in range(620, 1340, 60) for x in range(60, 1740, 80)]  # a worn copy's dirt
    for y, x in spots:
        dirty[y:y + 4, x:x + 4] = 60
    clean, n = prepare.despeckle(dirty, 300)
    assert n >= 0.9 * len(spots)
    assert sum(int((clean[y:y + 4, x:x + 4] < 128).any()) for y, x in spots) <= 0.05 * len(spots)
    text = page[:560] < 128
    assert (clean[:560] < 128)[text].mean() > 0.99  # letters, accents and commas stay


def test_specks_near_text_removed_marks_kept():
    """The specks the first pass leaves because letters are near (the worn, faded copy's dots
    before a heading or beside a word, read as '.', ':' or a letter) go too; diacritics, dots
    below, full stops, commas, colons, and the pieces of a faint broken ruling stay."""
    from extractors.readers.ocr import prepare

    lines = ["Ưu điểm: thị trường ổn định, giá dịch vụ thấp;", "Tổng số hộ nghèo giảm còn 54 hộ, đạt 1,62%.",
             "Khâu làm đất và tiêu thụ sản phẩm chưa đạt kế hoạch.", "2. Nhiệm vụ, giải pháp trọng tâm: ruộng, lúa."]
    page = _text_image([lines[k % 4] for k in range(12)]).copy()
    page[1100:1103, 100:1700] = 215  # a faint table ruling, darker in pieces
    for x in range(100, 1700, 12):
        page[1100:1103, x:x + 5] = 90
    text = page < 128
    dirty = page.copy()
    ink = page < 160
    spots = []
    for k in range(12):
        rows = np.flatnonzero(ink[100 + 70 * k:170 + 70 * k].any(axis=1)) + 100 + 70 * k
        cols = np.flatnonzero(ink[rows[0]:rows[-1] + 1].any(axis=0))
        mid = (rows[0] + rows[-1]) // 2
        spots.append((mid - 3, cols[0] - 12))  # before the line (a heading's number read as '.')
        spots.append((mid - 14, cols[-1] + 11))  # after its last letter, well above its foot
    for y, x in spots:
        dirty[y:y + 5, x:x + 5] = 60
    first, _ = prepare.despeckle(dirty, 300)
    assert sum(int((first[y:y + 5, x:x + 5] < 128).any()) for y, x in spots) >= 0.9 * len(spots)  # all near text
    clean, n = prepare.clear_near_specks(first, 300)
    assert n >= 0.9 * len(spots)
    assert sum(int((clean[y:y + 5, x:x + 5] < 128).any()) for y, x in spots) <= 0.05 * len(spots)
    assert (clean < 128)[text].all()  # every letter, mark and ruling piece stays


def test_components_are_8_connected_blobs():
    from extractors.readers.ocr import prepare

    m = np.zeros((8, 10), dtype=bool)
    m[1, 1:3] = m[2, 3] = True  # diagonal neighbours: one blob
    m[5:7, 6:9] = True
    m[0, 9] = m[7, 0] = True
    rs, xs, xe, blob = prepare.components(m)
    sizes = sorted(np.bincount(blob, weights=xe - xs).astype(int).tolist())
    assert sizes == [1, 1, 3, 6]


def test_bold_told_from_stroke_width():
    from extractors.readers.ocr import prepare
    from extractors.readers.ocr.engine import Word, stroke_width
    from extractors.readers.ocr.lines import mark_bold

    regular = _text_image(["Kết quả thực hiện nhiệm vụ"] * 10)
    bold = _text_image(["Kết quả thực hiện nhiệm vụ"], bold=True)
    words = []
    for img, flag in ((regular, False),) * 1 + ((bold, True),):
        ink = prepare.ink_mask(img)
        rows = range(1) if flag else range(10)
        for k in rows:
            box = (100, 95 + 70 * k, 700, 150 + 70 * k)
            words.append((Word("Kết quả", 95.0, box, 1, 1, k, stroke_width(ink, box)), flag))
    ws = [w for w, _ in words]
    ws += [Word("nhiệm", 95.0, (0, 0, 1, 1), 1, 1, 99, ws[0].stroke) for _ in range(12)]
    mark_bold(ws)
    assert [w.bold for w, _ in words] == [flag for _, flag in words]


def test_red_seal_left_out_of_a_colour_page():
    from extractors.readers.ocr import prepare

    gray = _text_image(["Số tiền: 2.322.370"] * 3)
    rgb = np.stack([gray] * 3, axis=-1).copy()
    rgb[100:400, 300:600] = (200, 30, 40)  # a red seal over the text
    out, n = prepare.drop_red(rgb)
    assert n == 300 * 300
    assert (out[100:400, 300:600] > 200).all()
    assert (out[:, 700:] == gray[:, 700:]).all()


# -- confidence in the document model -------------------------------------------------------

def test_runs_carry_each_words_confidence():
    from extractors.readers.ocr.lines import confident_runs
    from models.document import Paragraph

    text = "III. Tổng thu đạt 1.245,6 triệu đồng"
    tokens = [("HI.", 0.55, True), ("Tổng", 0.96, False), ("thu", 0.96, False), ("đạt", 0.9, False),
              ("1.245,6", 0.41, False), ("triệu", 0.97, False), ("đồng", 0.97, False)]
    runs = confident_runs(text, tokens)
    p = Paragraph(text=text, runs=runs)
    assert "".join(r.text for r in runs) == text
    assert runs[0].text == "III. " and runs[0].bold and runs[0].confidence == 0.55
    assert p.confidence_at(text.index("1.245,6"), text.index("1.245,6") + 7) == 0.41
    assert p.confidence_at(0, 3) == 0.55 and p.confidence == 0.41
    assert p.confidence_at(text.index("triệu"), len(text)) == 0.97
    assert [r.text for r in runs if r.confidence == 0.96] == ["Tổng thu "]  # alike neighbours merged


def test_vote_sets_confidence_from_agreement():
    from extractors.readers.ocr.engine import AGREE_2, AGREE_NONE, Word, _vote

    def reading(text, conf):
        return [Word(text, conf, (0, 0, 10, 10), 1, 1, 1)]

    assert _vote([reading("53,31", 91), reading("53,31", 88), reading("53,31", 95)])[0].conf == 95
    two = _vote([reading("33,31", 93), reading("53,31", 90), reading("53,31", 92)])
    assert two[0].text == "53,31" and two[0].conf == min(90, AGREE_2)
    none = _vote([reading("21.8136", 89), reading("25.836", 90), reading("25,836", 80)])
    assert none[0].text == "21.8136" and none[0].conf == AGREE_NONE


def test_page_grades():
    from extractors.readers.ocr.quality import grade
    from models.document import Grade

    assert grade([96.0] * 100) == Grade.GOOD
    assert grade([96.0] * 90 + [40.0] * 10) == Grade.FAIR
    assert grade([90.0] * 60 + [30.0] * 40) == Grade.POOR
    assert grade([]) == Grade.GOOD


def test_split_list_label_joined():
    assert line_text_of(["-D", "ịch", "vụ", "khác"]) == "- Dịch vụ khác"
    assert line_text_of(["+A", "B"]) == "+A B"  # not a split word


def line_text_of(words):
    from extractors.readers.ocr.text import line_text

    return line_text(words)


# -- the text layer check ---------------------------------------------------------------------

class _FakePage:
    def __init__(self, image_cover: float, width=595.0, height=842.0):
        self.width, self.height = width, height
        s = image_cover ** 0.5
        self.images = [{"x0": 0.0, "top": 0.0, "x1": width * s, "bottom": height * s}] if image_cover else []


def _chars(text: str, x0=50.0, top=50.0, per_line=60):
    out = []
    for k, c in enumerate(text):
        x, y = x0 + 6 * (k % per_line), top + 12 * (k // per_line)
        out.append({"text": c, "x0": x, "x1": x + 5, "top": y, "bottom": y + 10})
    return out


def test_text_layer_problems():
    from extractors.readers.ocr.textlayer import layer_problem

    prose = ("Thực hiện Nghị quyết của Hội đồng nhân dân xã về nhiệm vụ phát triển kinh tế - xã hội, "
             "Ủy ban nhân dân xã báo cáo kết quả thực hiện năm 2024 như sau: tổng diện tích gieo trồng ") * 3
    scan = _FakePage(1.0)
    assert layer_problem(scan, []) == "no text layer"
    assert "stamp" in layer_problem(scan, _chars("Ký bởi: Ủy ban Nhân dân quận Giờ ký: 2020-08-03T15:27"))
    assert "stamp" in layer_problem(scan, _chars("Signed: Office of the People's Committee 2020", x0=400, top=750))
    garbled = "BO GIAa Dl)C vA DAa TAO C(>NG HOA XA HOI can NGHiA VI~T NAM DQc I~p - Tl,I'do - H~nh phuc " * 12
    assert "garbled" in layer_problem(scan, _chars(garbled))
    assert layer_problem(scan, _chars(prose)) is None  # an OCR layer that reads well stays
    assert layer_problem(_FakePage(0.0), _chars("Ký bởi: Văn phòng")) is None  # a typeset page keeps its text


@slow
def test_stamp_only_text_layer_is_replaced_by_ocr(tmp_path, monkeypatch):
    """A scan whose only text is a signature stamp in a corner is read by OCR, and the page
    notes it."""
    import pikepdf

    monkeypatch.setenv("BAOCAO_CACHE_DIR", str(tmp_path / "cache"))
    src = make_scan(tmp_path / "scan.pdf")
    pdf = pikepdf.open(src)
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page.Resources.Font = pikepdf.Dictionary(F9=font)
    stamp = b"BT /F9 7 Tf 330 40 Td (Signed by: People's Committee, 2020-08-03T15:27:20+07:00) Tj ET"
    page.contents_add(pikepdf.Stream(pdf, stamp), prepend=False)
    out = tmp_path / "stamped.pdf"
    pdf.save(out)
    doc = read_document(out)
    assert doc.source.format == Format.SCANNED_PDF and doc.source.ocr
    assert any("nhiệm vụ năm 2023" in p.text for p in doc.paragraphs)
    (q,) = doc.source.pages
    assert q.method == "ocr" and any("stamp" in n for n in q.notes)


@slow
def test_a_scanned_page_among_typeset_ones_is_read_by_ocr_in_its_place(tmp_path, monkeypatch):
    """A signed decision scanned with a garbled OCR layer (no diacritics), then a typeset annex
    (Bộ GD&ĐT, QĐ 3588): the scanned page is read by OCR, the typeset pages keep their text, in
    page order, and the record says which page was read how."""
    import pikepdf

    monkeypatch.setenv("BAOCAO_CACHE_DIR", str(tmp_path / "cache"))
    pdf = pikepdf.open(make_scan(tmp_path / "scan.pdf"))
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page.Resources.Font = pikepdf.Dictionary(F9=font)
    garbled = b"BO GIAO DVC VA DAO TAO CONG HOA XA HOI CHU NGHIA VIET NAM Ha N6i, ngay 26 thang 12 nom 2025 "
    lines = b"".join(b"BT 3 Tr /F9 9 Tf 40 %d Td (%s) Tj ET " % (800 - 14 * k, garbled) for k in range(12))
    page.contents_add(pikepdf.Stream(pdf, lines), prepend=False)
    annex = pikepdf.open(FIXTURES / "corpus" / "docs" / "ca-thu-phong-2024.pdf")
    pdf.pages.extend(annex.pages)
    out = tmp_path / "mixed.pdf"
    pdf.save(out)
    doc = read_document(out)
    assert doc.source.format == Format.PDF and doc.source.ocr
    methods = [q.method for q in doc.source.pages]
    assert methods[0] == "ocr" and set(methods[1:]) == {"text"} and len(methods) == 1 + len(annex.pages)
    first = next(i for i, b in enumerate(doc.blocks) if "nhiệm vụ năm 2023" in b.full_text) \
        if any(isinstance(b, Paragraph) and "nhiệm vụ năm 2023" in b.full_text for b in doc.blocks) else None
    assert first is not None and all(min(b.provenance.pages or [1]) == 1 for b in doc.blocks[:first + 1])
    assert not any("N6i" in getattr(b, "full_text", "") for b in doc.blocks)  # the garbled layer is gone
    assert [b.provenance.block for b in doc.blocks] == list(range(len(doc.blocks)))


# -- the held-out layout fixtures (scans) ---------------------------------------------------

LAYOUTS = FIXTURES / "layouts" / "docs"


@slow
def test_rotated_landscape_table_page_read_upright():
    doc = scan(str(LAYOUTS / "htx-dvnn-an-phu-2024.scan.pdf"))
    q = {p.page: p for p in doc.source.pages}
    assert q[2].rotation in (90, 270) and q[1].rotation == 0
    wide = [t for t in data_tables(doc) if 2 in t.provenance.pages]
    assert wide and wide[0].n_cols == 11 and wide[0].bordered is False
    rows = wide[0].grid()
    assert any(r[1] == "Dịch vụ thủy nông" and r[-1] == "107,1" for r in rows)
    assert doc.source.grade is not None and all(p.method == "ocr" for p in doc.source.pages)


@slow
def test_confidence_on_scanned_cells_and_runs():
    doc = scan(str(LAYOUTS / "ca-phuong-quang-trung-q3-2024.scan.pdf"))
    cells = [c for t in data_tables(doc) for c in t.cells if c.text]
    assert cells and all(c.confidence is not None and 0 <= c.confidence <= 1 for c in cells)
    for p in doc.paragraphs:
        assert "".join(r.text for r in p.runs) == p.text
        assert all(r.confidence is not None for r in p.runs)
    assert any(r.bold for p in doc.paragraphs for r in p.runs)  # headings read bold from the strokes


def test_boxes_on_turned_pages_given_back_in_the_pages_orientation():
    from extractors.readers.ocr.reader import _unturn

    # a page stored portrait (W=10 × H=20) whose content was turned 90° clockwise to read it:
    # upright it is 20 wide and 10 high; a box near the upright top-left corner lies near the
    # stored page's top-right corner ... turned back
    w, h = 20.0, 10.0  # upright
    assert _unturn((1, 1, 3, 2), 90, w, h) == (1, 17, 2, 19)
    assert _unturn((1, 1, 3, 2), 270, w, h) == (8, 1, 9, 3)
    assert _unturn((1, 1, 3, 2), 180, w, h) == (17, 8, 19, 9)
    assert _unturn((1, 1, 3, 2), 0, w, h) == (1, 1, 3, 2)


# -- headings in scans: numbering misread, bold lost ----------------------------------------

def _scan_doc(lines: list[tuple[str, bool]]):
    """A scanned Document of one-run paragraphs (text, bold)."""
    from models.document import Document, Paragraph, Run, Source

    blocks = [Paragraph(text=t, runs=[Run(text=t, bold=b, confidence=0.9)]) for t, b in lines]
    return Document(source=Source(path="x.pdf", sha256="0", format=Format.SCANNED_PDF, size=1, ocr=True),
                    blocks=blocks)


BODY = ("Trong kỳ, đơn vị đã triển khai đầy đủ các nhiệm vụ được giao, kết quả cụ thể được tổng hợp "
        "trong các phần dưới đây của báo cáo này.")


def test_scanned_headings_recovered_from_their_numbering():
    from extractors.sections.segment import segment

    doc = _scan_doc([
        ("BÁO CÁO", True), ("Kết quả thực hiện nhiệm vụ năm 2024", True), (BODY, False),
        ("1: ĐẶC ĐIỂM TÌNH HÌNH", True), (BODY, False),          # "I." read as "1:"
        ("1. Quy mô trường lớp", False), (BODY, False),
        ("2. Đội ngũ giáo viên.", False), (BODY, False),         # a speck read as a full stop
        ("II KẾT QUẢ THỰC HIỆN", True), (BODY, False),           # the stop of "II." lost
        ("a) Kết quả rèn luyện", False), (BODY, False),
        ("b) Kết quả học tập", False), (BODY, False),
        ("e) Kết quả thi học sinh giỏi", False), (BODY, False),  # "c)" read as "e)"
        ("TH PHƯƠNG HƯỚNG NĂM 2025", True), (BODY, False),       # "III." read as "TH"
    ])
    numbers = [s.number for s in segment(doc).sections]
    assert numbers == ["I", "I.1", "I.2", "II", "II.a", "II.b", "II.c", "III"]


def test_plain_headings_under_another_parent_than_the_bold_ones():
    from extractors.sections.segment import segment

    doc = _scan_doc([
        ("BÁO CÁO", True), (BODY, False),
        ("I. KẾT QUẢ", True), ("1. Kinh tế", True), (BODY, False), ("1.1. Nông nghiệp", True), (BODY, False),
        ("2. Văn hóa - xã hội", True), ("2.1. Giáo dục", False), (BODY, False), ("2.2. Y tế", False), (BODY, False),
        ("II. ĐÁNH GIÁ", True), ("1. Ưu điểm", False), (BODY, False), ("2. Hạn chế", False), (BODY, False),
    ])
    numbers = [s.number for s in segment(doc).sections]
    assert numbers == ["I", "I.1", "I.1.1", "I.2", "I.2.1", "I.2.2", "II", "II.1", "II.2"]


def test_a_speck_bridging_a_gutter_does_not_merge_two_columns():
    from extractors.readers.ocr.borderless import find_borderless
    from extractors.readers.ocr.tables import place_words, to_table, PageTable

    words = _line(300, [(360, "Tổng chi phí năm 2024 là 6.355,8 triệu đồng, tăng so với năm trước")])
    words += _line(400, [(380, "TT"), (600, "Chỉ tiêu"), (1200, "Năm 2023"), (1600, "Năm 2024"), (2000, "So sánh")])
    values = [("6.338,0", "6.842,0", "108,0"), ("5.912,4", "6.355,8", "107,5"), ("425,6", "486,2", "114,2"),
              ("127,7", "145,9", "114,3"), ("6,2", "6,8", "109,7")]
    for k, (a, b, c) in enumerate(values):
        words += _line(480 + 70 * k, [(390, str(k + 1)), (600, "Khoản mục"), (1210, a), (1610, b), (2010, c)])
    bridged = next(w for w in words if w.text == "5.912,4")
    bridged.box = (bridged.box[0], bridged.box[1], 1620, bridged.box[3])  # a speck glued on, reaching over
    (grid,) = find_borderless(words, 1, 2480, 300)
    t = to_table([PageTable(grid=grid, words=place_words(grid, words), page=1, bordered=False)])
    assert t.n_cols == 5 and t.grid()[1][2:] == ["6.338,0", "6.842,0", "108,0"]

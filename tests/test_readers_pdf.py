"""The text-PDF reader: the PDF reading of each sample report agrees with its Word reading
(text, paragraphs, run-in headings, layout blocks, the data table joined across pages with its
merged header cells), real PDFs read cleanly (wide tables, the "ƣ" text layer, page numbers),
scanned PDFs go to the OCR reader, bad files raise typed errors; plus unit tests of the line,
paragraph and furniture rules on synthetic lines."""
from __future__ import annotations

import re
import sys
import types

import pytest

from conftest import DOCS, FIXTURES, REAL, REPORTS
from extractors.readers import read_document
from extractors.readers.pdf.decode import PdfDecoder
from extractors.readers.pdf.furniture import furniture
from extractors.readers.pdf.lines import Line, Span, font_style
from extractors.readers.pdf.paragraphs import Frame, Metrics, runs_of, split
from extractors.readers.similarity import text_similarity
from models.document import Document, Encoding, Format, Paragraph, Source, Table, TableRole
from models.errors import CorruptFileError, EmptyFileError, EncryptedFileError, InputError

MIN_SIMILARITY = 0.98


def _pair(read, name):
    return read(DOCS / f"{name}.docx"), read(DOCS / f"{name}.pdf")


def _para_text(doc) -> str:
    return "\n".join(p.full_text for p in doc.paragraphs)


# -- the sample reports: PDF against Word -----------------------------------------------------

@pytest.mark.parametrize("name", REPORTS)
def test_pdf_text_agrees_with_docx(corpus, read, name):
    docx, pdf = _pair(read, name)
    whole = text_similarity(docx.body_text(), pdf.body_text())
    paras = text_similarity(_para_text(docx), _para_text(pdf))
    print(f"\n{name}: body_text similarity {whole:.4f}, paragraphs only {paras:.4f}")
    assert whole >= MIN_SIMILARITY
    assert paras >= MIN_SIMILARITY


@pytest.mark.parametrize("name", REPORTS)
def test_paragraphs_and_run_in_headings_match_docx(corpus, read, name):
    docx, pdf = _pair(read, name)
    want = [p.full_text for p in docx.paragraphs]
    got = {p.full_text for p in pdf.paragraphs}
    found = sum(t in got for t in want) / len(want)
    print(f"\n{name}: {found:.1%} of the Word paragraphs found verbatim in the PDF")
    assert found >= 0.95
    # headings stay bold, body text does not, a run-in heading's bold label is its bold_prefix
    by_text = {p.full_text: p for p in pdf.paragraphs}
    for p in docx.paragraphs:
        q = by_text.get(p.full_text)
        if q is not None:
            assert (q.bold, q.bold_prefix) == (p.bold, p.bold_prefix), p.full_text[:60]


def test_run_in_heading_label(corpus, read):
    pdf = read(DOCS / "duc-chinh-2020-h1.pdf")
    p = next(p for p in pdf.paragraphs if p.text.startswith("1. Ban giám đốc"))
    assert p.bold_prefix == "1. Ban giám đốc:"
    mk = read(DOCS / "mao-khe-2021-chi-thi-04.pdf")
    q = next(p for p in mk.paragraphs if p.text.startswith("2.1: Phổ cập"))
    assert q.bold_prefix == "2.1: Phổ cập giáo dục và xóa mù chữ:"
    assert q.text.endswith("05 tiến sỹ.") and not q.bold


def test_duc_chinh_table_joined_across_pages(corpus, read):
    docx, pdf = _pair(read, "duc-chinh-2020-h1")
    data = [t for t in pdf.tables if t.role == TableRole.DATA]
    assert len(data) == 1
    t = data[0]
    print(f"\nduc-chinh data table: {t.n_rows} rows x {t.n_cols} cols, pages {t.provenance.pages}")
    assert (t.n_rows, t.n_cols) == (13, 5)
    assert t.provenance.pages == [4, 5]
    want = next(x for x in docx.tables if x.role == TableRole.DATA)
    assert t.grid() == want.grid()
    # merged header cells, as in the Word table
    spans = lambda tb: sorted((c.row, c.col, c.row_span, c.col_span) for c in tb.cells)  # noqa: E731
    assert spans(t) == spans(want)
    assert t.cell_at(0, 4).text == "Số lượt người tham gia"
    assert t.cell_at(1, 0).text == "TT" and t.cell_at(1, 2).text == "Số lớp (chuyên đề)"
    assert t.grid()[-1][1] == "Tổng số"
    assert t.bordered is True
    # the rows continued on page 5 say so
    pages = {c.row: c.provenance.pages for c in t.cells if c.col == 0}
    assert pages[0] == [4] and pages[t.n_rows - 1] == [5]
    # no table text leaked into paragraphs
    assert not any(p.text.startswith(("Chuyên đề Giáo dục", "Tổng số 17")) for p in pdf.paragraphs)


@pytest.mark.parametrize("name", REPORTS)
def test_header_and_signature_blocks_are_layout_tables(corpus, read, name):
    docx, pdf = _pair(read, name)
    want = [t for t in docx.tables if t.role == TableRole.LAYOUT]
    got = [t for t in pdf.tables if t.role == TableRole.LAYOUT]
    assert len(got) == len(want) == 2
    assert got[0].grid() == want[0].grid()  # the header block, row by row
    nonempty = lambda t: [r for r in t.grid() if any(r)]  # noqa: E731
    # the signature block; an empty row kept for the signature is invisible in a PDF
    assert nonempty(got[1]) == nonempty(want[1])
    assert pdf.blocks[0] is got[0] and pdf.blocks[-1] is got[1]
    assert all(t.bordered is False for t in got)


@pytest.mark.parametrize("name", REPORTS)
def test_source_and_provenance(corpus, read, name):
    pdf = read(DOCS / f"{name}.pdf")
    src = pdf.source
    assert src.format == Format.PDF and src.page_count == 6
    assert src.encoding == Encoding.UNICODE and not src.ocr
    assert len(src.sha256) == 64 and src.size > 0
    tables = 0
    for i, b in enumerate(pdf.blocks):
        assert b.provenance.block == i
        assert b.provenance.pages and b.provenance.bbox
        x0, top, x1, bottom = b.provenance.bbox
        assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842
        if isinstance(b, Table):
            assert b.provenance.table == tables
            tables += 1
            for c in b.cells:
                assert c.provenance.table == b.provenance.table
                if c.text:
                    assert c.provenance.pages and c.provenance.bbox
    # a paragraph broken by the page end is one paragraph on two pages
    assert any(len(p.provenance.pages) == 2 for p in pdf.paragraphs)


def test_alignment_and_font_size(corpus, read):
    pdf = read(DOCS / "duc-chinh-2020-h1.pdf")
    title = next(p for p in pdf.paragraphs if p.text == "BÁO CÁO")
    assert title.alignment.value == "center" and title.font_size == 13.0 and title.bold
    body = next(p for p in pdf.paragraphs if p.text.startswith("Đức Chính là một phường"))
    assert body.alignment.value == "justify" and not body.bold


# -- real PDFs --------------------------------------------------------------------------------

def _mojibake(text: str) -> list[str]:
    try:
        from extractors.readers.legacy import find_mojibake
    except ImportError:
        return [w for w in text.split() if "(cid:" in w or "\ufffd" in w]
    return find_mojibake(text) + [w for w in text.split() if "(cid:" in w or "\ufffd" in w]


def _all_text(doc) -> str:
    parts = [doc.body_text()]
    for b in doc.blocks:
        paras = [b] if isinstance(b, Paragraph) else [p for c in b.cells for p in c.paragraphs]
        parts += [r.text for p in paras for r in p.runs]
    return "\n".join(parts)


def test_real_wide_tables(corpus, read):
    doc = read(REAL / "vbai_bc_cac_chi_so_0611.pdf")
    data = [t for t in doc.tables if t.role == TableRole.DATA]
    print(f"\ncac_chi_so: {len(data)} data tables, shapes {[(t.n_rows, t.n_cols) for t in data]}")
    assert len(data) >= 5
    assert max(t.n_cols for t in data) >= 11 and min(t.n_cols for t in data) >= 5
    text = _all_text(doc)
    assert "ƣ" not in text and not _mojibake(text)
    # the tables continued on the next page are joined; every one ends with its total row
    assert sum(len(t.provenance.pages) == 2 for t in data) >= 3
    for t in data:
        total = t.grid()[-1]
        assert total[0] == "CHỈ SỐ CHUNG"
        assert sum(bool(re.fullmatch(r"[\d,./%]+", v)) for v in total[2:]) >= 3
    # the chart's bars and grid lines are no tables
    assert all(t.n_cols <= 12 for t in doc.tables)


def test_real_text_layer_with_broken_u_horn(corpus, read):
    doc = read(REAL / "vbai_hhdn_bc_nhiemky4.pdf")
    text = _all_text(doc)
    assert "ƣ" not in text and "Ƣ" not in text
    assert "PHƯƠNG HƯỚNG" in text and "hướng" in text
    assert not _mojibake(text)
    # page numbers (1 … 12 at the page foot) are gone
    assert not any(re.fullmatch(r"\d{1,2}", p.text) for p in doc.paragraphs)
    # highlighted text (white boxes behind lines) made no tables; the header block did
    assert not [t for t in doc.tables if t.role == TableRole.DATA]
    assert doc.tables and doc.tables[0].role == TableRole.LAYOUT
    assert doc.tables[0].grid()[0][1].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert doc.source.page_count == 12


def test_scanned_pdfs_go_to_ocr(corpus, monkeypatch):
    calls = []
    fake = types.ModuleType("extractors.readers.ocr.reader")

    def read_scanned_pdf(path):
        calls.append(path.name)
        return Document(source=Source(path=str(path), sha256="0" * 64, format=Format.SCANNED_PDF,
                                      size=1, ocr=True), blocks=[Paragraph(text="đã OCR")])

    fake.read_scanned_pdf = read_scanned_pdf
    monkeypatch.setitem(sys.modules, "extractors.readers.ocr.reader", fake)
    assert read_document(REAL / "vbai_hhdn_BCTC_SCANNED.pdf").source.ocr
    assert read_document(DOCS / "duc-chinh-2020-h1.scan.pdf").source.ocr
    assert calls == ["vbai_hhdn_BCTC_SCANNED.pdf", "duc-chinh-2020-h1.scan.pdf"]
    assert read_document(DOCS / "duc-chinh-2020-h1.pdf").source.format == Format.PDF
    assert len(calls) == 2


@pytest.mark.parametrize("pdf", sorted((FIXTURES / "corpus" / "docs").glob("*.pdf")), ids=lambda p: p.stem)
def test_fixture_reports_agree_with_docx(read, pdf):
    """Other offices' layouts (tests/fixtures/corpus): a header typed with a tab stop, a
    column-numbering row; every text PDF reads like its Word original."""
    if pdf.name.endswith(".scan.pdf"):
        pytest.skip("scanned")
    docx, got = read(pdf.with_suffix(".docx")), read(pdf)
    sim = text_similarity(docx.body_text(), got.body_text())
    print(f"\n{pdf.stem}: body_text similarity {sim:.4f}")
    assert sim >= MIN_SIMILARITY
    want = [t.grid() for t in docx.tables if t.role == TableRole.DATA]
    assert [t.grid() for t in got.tables if t.role == TableRole.DATA] == want
    # the header block is a layout table, also when it was typed as lines with a tab stop; when
    # a typed motto is too long for its tab column and wraps (htx-dong-phong), the first visual
    # line spans both columns and stays a paragraph, and the layout table starts below it
    heads = [b for b in got.blocks[:3] if isinstance(b, Table) and b.role == TableRole.LAYOUT]
    assert heads, f"no layout header block in {pdf.name}"
    head = heads[0]
    if head is got.blocks[0] and isinstance(docx.blocks[0], Paragraph):  # one row per typed line
        typed = [p.text for p in docx.blocks[:head.n_rows]]
        assert [" ".join(c for c in r if c) for r in head.grid()] == typed


# -- synthetic PDFs: furniture, a sideways header, a row broken by the page end --------------

def _make_pdf(path, pages):
    pikepdf = pytest.importorskip("pikepdf")
    from pikepdf import Dictionary, Name

    pdf = pikepdf.new()
    fonts = {k: pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name(v),
                                              Encoding=Name.WinAnsiEncoding))
             for k, v in (("F1", "/Helvetica"), ("F2", "/Helvetica-Bold"))}
    for ops in pages:
        pdf.add_blank_page(page_size=(595, 842))
        page = pdf.pages[-1]
        page.Resources = Dictionary(Font=Dictionary(**fonts))
        page.Contents = pdf.make_stream("\n".join(ops).encode("latin-1"))
    pdf.save(path)
    return path


def _text(x, y, s, size=12, font="F1"):
    return f"BT /{font} {size} Tf {x} {842 - y} Td ({s}) Tj ET"


def _rule(x0, y0, x1, y1):
    return f"0.5 w {x0} {842 - y0} m {x1} {842 - y1} l S"


def _grid(xs, ys):
    return [_rule(x, ys[0], x, ys[-1]) for x in xs] + [_rule(xs[0], y, xs[-1], y) for y in ys]


def test_synthetic_pdf(tmp_path):
    body = "The committee met every month and reviewed the results of the programme in detail"
    xs = [72, 120, 400, 520]
    p1 = [_text(200, 40, "ACME REPORT 2024", 9), _text(290, 815, "- 1 -", 9),
          _text(72, 100, "REPORT ON ACTIVITIES", 14, "F2")]
    p1 += [_text(72, 130 + 16 * i, body) for i in range(3)]
    p1 += _grid(xs, [700, 760, 780, 800])
    p1 += ["BT /F1 10 Tf 0 1 -1 0 100 92 Tm (No.) Tj ET",  # sideways, reading upwards
           _text(130, 735, "Activity", 12, "F2"), _text(410, 735, "Count", 12, "F2"),
           _text(80, 775, "1"), _text(130, 775, "Training"), _text(410, 775, "12"),
           _text(80, 795, "2"), _text(130, 795, "Long text that continues"), _text(410, 795, "7")]
    p2 = [_text(200, 40, "ACME REPORT 2024", 9), _text(290, 815, "- 2 -", 9)]
    p2 += _grid(xs, [60, 80, 100])
    p2 += [_text(130, 75, "on the next page"), _text(80, 95, "3"), _text(130, 95, "Audit"),
           _text(410, 95, "4"), _text(72, 140, body), _text(72, 156, "and closed the year.")]
    doc = read_document(_make_pdf(tmp_path / "synth.pdf", [p1, p2]))
    texts = [p.text for p in doc.paragraphs]
    assert not any("ACME" in t or re.search(r"- \d -", t) for t in texts)  # header, page numbers
    assert texts[0] == "REPORT ON ACTIVITIES" and doc.paragraphs[0].bold
    assert texts[1] == " ".join([body] * 3)
    assert texts[2] == body + " and closed the year."
    (t,) = doc.tables
    assert t.provenance.pages == [1, 2]
    assert t.grid() == [["No.", "Activity", "Count"], ["1", "Training", "12"],
                        ["2", "Long text that continues on the next page", "7"], ["3", "Audit", "4"]]
    assert t.cell_at(2, 1).provenance.pages == [1, 2]
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Paragraph", "Table", "Paragraph"]


# -- bad files ----------------------------------------------------------------------------------

def test_truncated_pdf_is_corrupt(corpus, tmp_path):
    bad = tmp_path / "cut.pdf"
    bad.write_bytes((DOCS / "duc-chinh-2020-h1.pdf").read_bytes()[:1500])
    with pytest.raises(InputError) as e:
        read_document(bad)
    assert isinstance(e.value, CorruptFileError) and "cut.pdf" in str(e.value)


def test_encrypted_and_blank_pdfs(corpus, tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(DOCS / "duc-chinh-2020-h1.pdf") as src:
        src.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(user="secret", owner="x"))
    with pytest.raises(EncryptedFileError):
        read_document(tmp_path / "locked.pdf")
    blank = pikepdf.new()
    blank.add_blank_page()
    blank.save(tmp_path / "blank.pdf")
    with pytest.raises(EmptyFileError):
        read_document(tmp_path / "blank.pdf")


# -- rules on synthetic lines -------------------------------------------------------------------

def _line(text, x0, x1, baseline, page=1, size=13.0, bold=False, row=None, word1=None):
    words = text.split(" ")
    w1 = x0 + (x1 - x0) * len(words[0]) / max(len(text), 1) if word1 is None else word1
    return Line(page=page, row=row if row is not None else int(baseline), x0=x0, x1=x1,
                top=baseline - size, bottom=baseline + 0.2 * size, baseline=baseline, size=size,
                spans=[Span(text, "Times", bold, False, size)], word1_x1=w1)


def test_font_names_give_bold_and_italic():
    assert font_style("BAAAAA+LiberationSerif-Bold")[:2] == (True, False)
    assert font_style("Times New Roman,BoldItalic")[:2] == (True, True)
    assert font_style("TimesNewRomanPS-ItalicMT")[:2] == (False, True)
    assert font_style("Arial-BD")[:2] == (True, False)
    assert font_style("Arial,BI")[:2] == (True, True)
    assert font_style("VNI-Times")[:2] == (False, False)
    assert font_style("Arial-Black")[:2] == (True, False)


def test_paragraph_rules():
    fr, m = Frame(85.0, 538.0), Metrics(pitch_ratio=1.3, body_size=13.0)
    pitch = 1.3 * 13
    lines = [
        _line("Đây là đoạn thứ nhất, dòng đầu thụt vào và chạy tới tận lề", 113, 538, 100),
        _line("phải; dòng cuối ngắn.", 85, 250, 100 + pitch),          # short: the paragraph ends
        _line("Đoạn hai bắt đầu ở lề, không có khoảng cách, chạy tới lề", 85, 538, 100 + 2 * pitch),
        # a dash opening a line inside an unfinished sentence is no list item
        _line("- một gạch nối giữa câu chưa hết, dòng chạy tới lề phải.", 85, 538, 100 + 3 * pitch),
        # after a finished sentence, "a)" opens a new item even on a full line
        _line("a) mục mới sau dòng kết thúc bằng dấu chấm, chạy tới lề", 85, 538, 100 + 4 * pitch),
        # a gap larger than the line pitch
        _line("b) mục tiếp theo, sau một khoảng cách lớn hơn bước dòng", 85, 538, 100 + 5 * pitch + 8),
    ]
    paras = split(lines, fr, m)
    assert [len(p) for p in paras] == [2, 2, 1, 1]


def test_lines_join_without_space_inside_a_broken_word():
    a = _line("theo Kết luận số 49-", 85, 538, 100)
    b = _line("KL/TW của Ban Bí thư", 85, 300, 117)
    c = _line("và các văn bản khác", 85, 300, 134)
    runs = runs_of([a, b, c])
    assert "".join(r.text for r in runs) == "theo Kết luận số 49-KL/TW của Ban Bí thư và các văn bản khác"
    # a number too long for a narrow cell is broken where the line is full; a word that fits
    # on the next line was moved there whole
    cell = Frame(586.7, 635.6)
    num = [_line("120.08", 587.4, 633.9, 300), _line("8", 605.9, 614.8, 316)]
    assert "".join(r.text for r in runs_of(num, None, cell)) == "120.088"
    words = [_line("22/12/2025):", 587.0, 634.0, 300), _line("9.818", 595.0, 627.0, 316)]
    assert "".join(r.text for r in runs_of(words, None, cell)) == "22/12/2025): 9.818"
    shut = [_line("(tính từ 01/7/2025 đến 31/7/2025", 90, 300, 300), _line(")", 90, 95, 316)]
    assert "".join(r.text for r in runs_of(shut, None, Frame(85, 300))).endswith("2025)")


def test_furniture_headers_footers_and_page_numbers():
    pages, heights = [], []
    for n in range(1, 5):
        lines = [
            _line(f"Báo cáo tổng kết năm 2024 - trang {n}", 200, 400, 30, page=n, size=10),
            _line("Nội dung thân bài không lặp lại " + "x" * n, 85, 538, 200, page=n),
            _line("2", 300, 306, 400, page=n),  # a lone number in mid-page is text
            _line(["- 1 -", "Trang 2", "3/4", "4"][n - 1], 290, 320, 815, page=n, size=10),
        ]
        pages.append(lines)
        heights.append(842.0)
    drop = furniture(pages, heights)
    for lines in pages:
        kept = [ln.text for ln in lines if id(ln) not in drop]
        assert len(kept) == 2 and kept[1] == "2"


def test_legacy_lines_are_decoded():
    pytest.importorskip("extractors.readers.legacy").Decoder
    tcvn3 = _line("B¸o c¸o kÕt qu¶ tæ chøc ho¹t ®éng", 85, 400, 100)
    tcvn3.spans[0].font = ".VnTime"
    uni = _line("Sự nghiệp văn hoá tiếp tục phát triển", 85, 400, 120)
    dec = PdfDecoder([tcvn3, uni])
    text = "".join(r.text for r in runs_of([tcvn3], dec))
    assert text == "Báo cáo kết quả tổ chức hoạt động"
    assert "".join(r.text for r in runs_of([uni], dec)) == uni.text
    assert dec.encoding() in (Encoding.TCVN3, Encoding.MIXED)


# -- borderless tables ------------------------------------------------------------------------

def _text_line(x, y, cells, size=11, font="F1"):
    """Text objects at x positions on one baseline: [(x, text), …]."""
    return [_text(cx, y, s, size, font) for cx, s in cells]


def test_borderless_table_from_aligned_words(tmp_path):
    """A table drawn without rules: columns from the words' alignment, the header (bold) apart,
    a label wrapped onto a second line kept in its row; the paragraph before it stays a
    paragraph, and the lines typed with a tab after it stay out of it."""
    body = "Trong nam, cac xa da trien khai nhieu noi dung, ket qua cu the theo bang duoi day"
    ops = [_text(72, 100, body), _text(72, 116, "va duoc tong hop nhu sau:")]
    ops += _text_line(0, 150, [(80, "TT"), (120, "Ten xa"), (330, "Ho dan"), (430, "Ty le (%)")], font="F2")
    rows = [("1", "Xa Dong", "1.250", "95,2"), ("2", "Xa Tay lan can", "980", "88,0"),
            ("3", "Xa Nam", "1.034", "91,7")]
    y = 166
    for i, (a, b, c, d) in enumerate(rows):
        ops += _text_line(0, y, [(82, a), (120, b), (330, c), (430, d)])
        y += 14
        if i == 1:  # a label wrapped onto the next line of its cell
            ops += [_text(120, y, "vung ven song")]
            y += 14
    ops += _text_line(0, y, [(120, "Cong"), (330, "3.264"), (430, "91,9")], font="F2")
    ops += [_text(72, y + 20, "Tong thu ngan sach:"), _text(200, y + 20, "1.250 trieu dong"),
            _text(72, y + 34, "Tong chi ngan sach:"), _text(200, y + 34, "1.180 trieu dong")]
    doc = read_document(_make_pdf(tmp_path / "loose.pdf", [ops]))
    (t,) = [t for t in doc.tables if t.role == TableRole.DATA]  # the tab-typed lines: layout
    assert t.bordered is False
    assert t.grid() == [["TT", "Ten xa", "Ho dan", "Ty le (%)"],
                        ["1", "Xa Dong", "1.250", "95,2"],
                        ["2", "Xa Tay lan can vung ven song", "980", "88,0"],
                        ["3", "Xa Nam", "1.034", "91,7"],
                        ["", "Cong", "3.264", "91,9"]]
    before = doc.blocks[:doc.blocks.index(t)]
    assert " ".join(b.text for b in before) == body + " va duoc tong hop nhu sau:"
    assert "Tong thu" in doc.body_text().split(t.grid()[-1][-1], 1)[1]  # after the table, apart


def test_horizontally_ruled_table_and_its_two_level_header(tmp_path):
    """Rules only at the top, under the header and at the bottom; a heading centred over two
    columns with its sub-headings under it; figures right-aligned."""
    ops = [_rule(70, 140, 520, 140)]
    ops += _text_line(0, 155, [(80, "TT"), (120, "Chi tieu"), (345, "Thuc hien"), (460, "Ghi chu")], font="F2")
    ops += _text_line(0, 170, [(320, "2023"), (400, "2024")], font="F2")
    ops += [_rule(70, 176, 520, 176)]
    for i, (a, b, c, d) in enumerate([("Dien tich lua", "412", "431", ""),
                                      ("San luong", "2.510", "2.704", "uoc tinh")], start=1):
        ops += _text_line(0, 176 + 16 * i, [(82, str(i)), (120, a), (345 - 6 * len(b), b),
                                          (425 - 6 * len(c), c), (460, d)])
    ops += [_rule(70, 214, 520, 214)]
    ops += [_text(72, 240, "Nhin chung san xuat nong nghiep on dinh, dat ke hoach de ra trong nam.")]
    doc = read_document(_make_pdf(tmp_path / "hrules.pdf", [ops]))
    (t,) = doc.tables
    assert t.bordered is False
    grid = t.grid()
    assert grid[2:] == [["1", "Dien tich lua", "412", "431", ""],
                        ["2", "San luong", "2.510", "2.704", "uoc tinh"]]
    head = t.cell_at(0, 2)
    assert head.text == "Thuc hien" and head.col_span == 2
    assert [t.cell_at(1, c).text for c in (2, 3)] == ["2023", "2024"]
    assert t.cell_at(0, 0).row_span == 2


def test_chart_labels_and_tab_stops_are_no_table(tmp_path):
    """Value labels scattered over a chart, and a two-column list of texts, are not tables."""
    ops = []
    for k, (x, vals) in enumerate([(100, "12,5 11,9"), (200, "10,4"), (300, "9,8 9,6"), (400, "8,7")]):
        ops += [_text(x, 300 + 15 * k, vals), _text(x + 60, 310 + 15 * k, "7,1")]
    ops += [_text(90, 400, "Cong tac chi dao"), _text(260, 400, "Cai cach the che"),
            _text(90, 414, "dieu hanh"), _text(260, 414, "va thu tuc")]
    doc = read_document(_make_pdf(tmp_path / "chart.pdf", [ops]))
    assert not [t for t in doc.tables if t.role == TableRole.DATA]


@pytest.mark.parametrize("a, b, broken", [("Triệu đồng/người/t", "háng", True),
                                          ("Rừng phòng", "hộ", False), ("Kế hoạch", "năm", False)])
def test_word_broken_in_a_borderless_cell_told_by_syllables(a, b, broken):
    cell = Frame(400, 460, estimated=True)
    lines = [_line(a, 402, 458, 300, size=11), _line(b, 402, 430, 314, size=11)]
    joined = "".join(r.text for r in runs_of(lines, None, cell))
    assert joined == (a + b if broken else f"{a} {b}")


@pytest.mark.slow
def test_borderless_tables_read_like_the_docx(tmp_path):
    """Borderless, horizontally ruled and two-column tables made by Word's layout (python-docx →
    LibreOffice): the PDF's data tables read cell for cell like the .docx, and the header and
    signature blocks, the tab-typed lines and the numbered list around them stay as they are."""
    import shutil
    import subprocess

    sys.path.insert(0, str(FIXTURES))
    make_tables = pytest.importorskip("make_tables")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    src = make_tables.build(tmp_path)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    from extractors.report import extract_report

    want = extract_report(read_document(src), run_checks=False).tables
    got = extract_report(read_document(tmp_path / "borderless.pdf"), run_checks=False).tables
    assert len(want) == 5
    assert [(t.rows, t.total_row) for t in got] == [(t.rows, t.total_row) for t in want]
    assert [t.columns for t in got][1] == [t.columns for t in want][1]  # the two-level header


def test_words_wrapped_in_a_narrow_cell_keep_their_space_and_the_report_its_last_line(read):
    """A header "Tổng số giải" wrapped after "Tổng" in a narrow ruled cell is two syllables, not
    one broken word; "Không." under the last heading stays in the body, not in the signature
    block that starts with "Nơi nhận:" below it."""
    from extractors.report import extract_report

    rep = extract_report(read(FIXTURES / "flags3" / "docs" / "pgddt-thach-ha-hsg9-2025.pdf"), run_checks=False)
    assert "Số giải / Tổng số giải" in rep.tables[0].columns
    assert ["3", "Tiếng Anh"] == rep.tables[0].rows[2][:2]
    rep = extract_report(read(FIXTURES / "flags3" / "docs" / "ca-phuong-tan-thinh-6t-2025.pdf"), run_checks=False)
    last = [s for s in rep.sections if "Kiến nghị" in s.title][-1]
    assert (last.text or "").strip() == "Không."

"""Table records: headers, total rows, parent rows, values — on Word tables built here with
python-docx, on the sample corpus (scored with the corpus's own score_tables, every form whose
reader exists) and on the real reports."""
from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from conftest import DOCS, GOLD, REAL, load_evaluate
from extractors.sections.outline import Outline
from extractors.tables.labels import total_label
from extractors.tables.build import extract_tables, table_record
from models.document import TableRole

# -- building Word fixtures -----------------------------------------------------------------


def build_docx(path: Path, rows: list[list[str]], merges=(), bold_rows=(), grid=True,
               before: str = "Bảng số liệu") -> Path:
    """A .docx with one paragraph and one table; merges are ((r0, c0), (r1, c1)) rectangles
    whose text is the top-left entry of `rows`."""
    d = docx.Document()
    d.add_paragraph(before)
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    if grid:
        t.style = "Table Grid"
    covered = set()
    for (r0, c0), (r1, c1) in merges:
        t.cell(r0, c0).merge(t.cell(r1, c1))
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) in covered or not text:
                continue
            cell = t.cell(r, c)
            run = cell.paragraphs[0].add_run(text)
            run.bold = r in bold_rows
    d.save(str(path))
    return path


def records(read, path, sections=None):
    doc = read(path)
    outline = Outline(block_section=sections or {})
    return doc, extract_tables(doc, outline)


# -- fixtures ----------------------------------------------------------------------------------

NAM_NU = [
    ["TT", "Đơn vị", "Số người", "", "Tổng số"],
    ["", "", "Nam", "Nữ", ""],
    ["1", "Xã A", "10", "12", "22"],
    ["2", "Xã B", "5", "7", "12"],
    ["3", "Xã C", "", "1", "1"],
    ["", "Tổng số", "15", "20", "35"],
]
NAM_NU_MERGES = [((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 3)), ((0, 4), (1, 4))]


def test_merged_header_flattened_and_total_found(tmp_path, read):
    path = build_docx(tmp_path / "namnu.docx", NAM_NU, NAM_NU_MERGES, bold_rows={0, 1})
    doc, recs = records(read, path, sections={1: "II.2"})
    assert len(recs) == 1
    t = recs[0]
    assert t.id == "t1" and t.section == "II.2"
    assert t.columns == ["TT", "Đơn vị", "Số người / Nam", "Số người / Nữ", "Tổng số"]
    assert t.header_rows == 2
    assert t.rows == NAM_NU[2:5]
    assert t.total_row == NAM_NU[5] and t.total_row_index == 5
    assert t.parent_rows == [] and t.children == {}
    # values: rows then the total row; the TT column holds labels, not quantities
    assert len(t.values) == 4 and all(len(v) == 5 for v in t.values)
    assert [v.value if v else None for v in t.values[-1]] == [None, None, 15, 20, 35]
    assert t.values[0][0] is None and t.values[2][2] is None
    # provenance: the table's block, each cell's grid position
    assert t.location.block == 1
    assert t.cell_locations[0][3].row == 2 and t.cell_locations[0][3].col == 3
    assert t.cell_locations[-1][2].row == 5 and t.cell_locations[-1][2].block == 1


def test_header_without_merges_pdf_style(tmp_path, read):
    """No merged cells (as a PDF reader may give them): the sub-header row under empty label
    columns is still a header row and the parent title still covers both sub-columns."""
    path = build_docx(tmp_path / "flat.docx", NAM_NU)
    _, [t] = records(read, path)
    assert t.header_rows == 2
    assert t.columns == ["TT", "Đơn vị", "Số người / Nam", "Số người / Nữ", "Tổng số"]
    assert t.total_row == NAM_NU[5]


TRONG_DO = [
    ["TT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"],
    ["1", "Tổng số hộ nghèo", "Hộ", "120"],
    ["", "Trong đó:", "", ""],
    ["", "- Hộ dân tộc thiểu số", "Hộ", "50"],
    ["", "- Hộ có người khuyết tật", "Hộ", "30"],
    ["2", "Tổng số hộ cận nghèo", "Hộ", "80"],
    ["", "Trong đó: nữ làm chủ hộ", "Hộ", "20"],
    ["3", "Tỷ lệ hộ nghèo", "%", "3,5"],
    ["3.1", "Số hộ nghèo", "Hộ", "120"],
    ["3.2", "Tổng số hộ", "Hộ", "3.429"],
    ["4", "Số hộ thoát nghèo", "Hộ", "15"],
]


def test_parent_rows_with_trong_do_children_that_do_not_sum(tmp_path, read):
    path = build_docx(tmp_path / "trongdo.docx", TRONG_DO, bold_rows={0})
    _, [t] = records(read, path)
    assert t.header_rows == 1
    assert t.total_row is None  # "Tổng số hộ …" rows are numbered parents, not the total
    assert t.rows == TRONG_DO[1:]
    # 50 + 30 ≠ 120 and 20 ≠ 80: parts, not all summed — still parent rows with children
    assert t.parent_rows == [0, 4]
    assert t.children == {0: [2, 3], 4: [5]}
    # a rate over the counts it is computed from is not a parent
    assert 6 not in t.parent_rows


UNNUMBERED = [
    ["Chỉ tiêu", "Số lượng"],
    ["Tổng số hộ nghèo", "120"],
    ["- Nam làm chủ hộ", "70"],
    ["+ Trong đó dân tộc", "10"],
    ["- Nữ làm chủ hộ", "50"],
    ["Số hộ cận nghèo", "40"],
]


def test_unnumbered_tong_so_with_bullets_is_a_parent_not_the_total(tmp_path, read):
    path = build_docx(tmp_path / "bullets.docx", UNNUMBERED, bold_rows={0})
    _, [t] = records(read, path)
    assert t.total_row is None and t.total_row_index is None
    assert t.parent_rows == [0, 1]  # "- Nam …" has its own "+ …" part
    assert t.children == {0: [1, 3], 1: [2]}


NUMBERING = [
    ["TT", "Nội dung", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"],
    ["(1)", "(2)", "(3)", "(4)", "(5)=(4)/(3)"],
    ["1", "Trồng rừng (ha)", "100", "90", "90"],
    ["2", "Chăm sóc rừng (ha)", "1.200", "1.200", "100"],
]


def test_column_number_row_is_a_header_row(tmp_path, read):
    path = build_docx(tmp_path / "numbering.docx", NUMBERING, bold_rows={0})
    _, [t] = records(read, path)
    assert t.header_rows == 2
    assert t.columns == NUMBERING[0]
    assert t.rows == NUMBERING[2:]
    assert t.values[1][2].value == 1200


def test_letter_and_number_column_row(tmp_path, read):
    rows = [["STT", "Đơn vị", "Năm 2019", "Năm 2020", "Tăng, giảm"],
            ["A", "B", "1", "2", "3"],
            ["1", "Phường Mạo Khê", "2.379", "2.401", "22"],
            ["", "Cộng", "2.379", "2.401", "22"]]
    _, [t] = records(read, build_docx(tmp_path / "ab123.docx", rows))
    assert t.header_rows == 2 and t.columns == rows[0]
    assert t.rows == [rows[2]] and t.total_row == rows[3]


SUBTOTALS = [
    ["TT", "Đơn vị", "Số lớp", "Số học viên"],
    ["I", "Khối xã", "", ""],
    ["1", "Xã A", "3", "90"],
    ["2", "Xã B", "2", "40"],
    ["", "Cộng", "5", "130"],
    ["II", "Khối phường", "", ""],
    ["1", "Phường C", "1", "20"],
    ["2", "Phường D", "4", "75"],
    ["", "Cộng", "5", "95"],
    ["", "Tổng cộng", "10", "225"],
]


def test_subtotals_per_group_and_a_grand_total(tmp_path, read):
    path = build_docx(tmp_path / "subtotals.docx", SUBTOTALS, bold_rows={0, 4, 8, 9})
    _, [t] = records(read, path)
    assert t.total_row == SUBTOTALS[9] and t.total_row_index == 9
    assert t.rows == SUBTOTALS[1:9]  # subtotals stay in rows
    assert t.parent_rows == [3, 7]
    assert t.children == {3: [1, 2], 7: [5, 6]}
    assert [n.value for n in t.values[-1][2:]] == [10, 225]


def test_grand_total_merged_across_the_tt_column(tmp_path, read):
    rows = [r[:] for r in SUBTOTALS]
    rows[9] = ["Tổng cộng", "", "10", "225"]
    path = build_docx(tmp_path / "merged_total.docx", rows, merges=[((9, 0), (9, 1))])
    _, [t] = records(read, path)
    assert t.total_row == rows[9] and t.parent_rows == [3, 7]


def test_several_cong_without_grand_total_are_all_subtotals(tmp_path, read):
    rows = SUBTOTALS[:9]
    _, [t] = records(read, build_docx(tmp_path / "cong.docx", rows))
    assert t.total_row is None
    assert t.parent_rows == [3, 7]


STATEMENT = [
    ["STT", "Diễn giải", "Số tiền (đồng)"],
    ["I", "Số dư đầu kỳ", "15,549,684"],
    ["", "TỔNG THU", "2,096,584,751"],
    ["1", "Thu hội phí hội viên", "1,091,500,000"],
    ["2", "Thu khác", "1,005,084,751"],
    ["", "TỔNG CHI", "2,039,792,989"],
    ["1", "Chi lương văn phòng", "770,000,000"],
    ["2", "Chi khác", "1,269,792,989"],
    ["IV", "Số dư cuối kỳ", "72,341,446"],
]


def test_income_and_expense_open_their_groups_and_are_not_the_total(tmp_path, read):
    """A receipts-and-payments statement: "TỔNG THU" and "TỔNG CHI" head the items below them
    (their sums), the closing balance is no part of them, the table has no total row."""
    _, [t] = records(read, build_docx(tmp_path / "statement.docx", STATEMENT, bold_rows={0}))
    assert t.total_row is None
    assert t.parent_rows == [1, 4]
    assert t.children == {1: [2, 3], 4: [5, 6]}
    assert t.values[1][2].value == 2096584751  # English thousands read as thousands


def test_numbered_income_and_expense_rows(tmp_path, read):
    rows = [r[:] for r in STATEMENT]
    rows[2][0], rows[5][0] = "II", "III"
    _, [t] = records(read, build_docx(tmp_path / "statement2.docx", rows))
    assert t.total_row is None
    assert t.children == {1: [2, 3], 4: [5, 6]}


def test_total_row_first_under_the_header_with_trong_do(tmp_path, read):
    rows = [["Chỉ tiêu", "Số người"],
            ["Tổng cộng", "1.250"],
            ["Trong đó: nữ", "610"],
            ["1. Cán bộ", "250"],
            ["2. Công chức", "1.000"]]
    _, [t] = records(read, build_docx(tmp_path / "topt.docx", rows, bold_rows={0, 1}))
    assert t.total_row == rows[1] and t.total_row_index == 1
    assert t.rows == rows[2:]
    # "Trong đó: nữ" is a part of the total (index len(rows)), not a row the total adds up
    assert t.children == {3: [0]} and t.parent_rows == [3]
    assert [v[1].value for v in t.values] == [610, 250, 1000, 1250]


def test_ocr_spellings_of_total(tmp_path, read):
    for k, label in enumerate(("Tổng sổ", "Tong so", "TỔNG SỐ:", "Tổng cộng:", "TỎÔNG SÓ")):
        rows = [["TT", "Nội dung", "Số lượng", "Ghi chú"], ["1", "Xã A", "3", ""],
                ["2", "Xã B", "4", ""], ["", label, "7", ""]]
        _, [t] = records(read, build_docx(tmp_path / f"ocr{k}.docx", rows))
        assert t.total_row == rows[3], label


@pytest.mark.parametrize("label", ["Tổng thư ký", "Tổng công ty Điện lực", "Công an xã"])
def test_words_starting_like_a_total_are_not(tmp_path, read, label):
    rows = [["TT", "Đơn vị", "Số người"], ["1", "Xã A", "3"], ["", label, "4"]]
    _, [t] = records(read, build_docx(tmp_path / "nottotal.docx", rows))
    assert t.total_row is None and t.rows == rows[1:]


def test_malformed_total_kept_as_malformed_number(tmp_path, read):
    rows = [["TT", "Nội dung", "Số lượt"], ["1", "A", "350"], ["2", "B", "478"],
            ["", "Tổng số", "8.28"]]
    _, [t] = records(read, build_docx(tmp_path / "malformed.docx", rows))
    n = t.values[-1][2]
    assert n.malformed and n.value is None and n.suggestion == 828 and n.raw == "8.28"
    assert t.total_row == rows[3]


def test_unmarked_row_after_numbered_items_is_no_child(tmp_path, read):
    """"6 | Thôn Mỹ Lâm" then an unrecognised footer row: siblings, not parent and part."""
    rows = [["TT", "Thôn", "Số hộ", "Hộ nghèo"], ["1", "Thôn A", "215", "8"],
            ["2", "Thôn B", "198", "6"], ["", "Bình quân", "206,5", "7"]]
    _, [t] = records(read, build_docx(tmp_path / "footer.docx", rows))
    assert t.total_row is None and t.parent_rows == [] and t.children == {}


def test_label_across_the_tt_column_is_top_level(tmp_path, read):
    rows = [["STT", "Nội dung", "Điểm"], ["I", "Công khai", "15,38"], ["1", "Chỉ số a", "4,32"],
            ["2", "Chỉ số b", "11,06"], ["II", "Dịch vụ", ""], ["II.1", "Trực tuyến", "8,23"],
            ["1", "Chỉ số c", "2"], ["2", "Chỉ số d", "6,23"], ["CHỈ SỐ CHUNG", "", "88,72"]]
    _, [t] = records(read, build_docx(tmp_path / "top.docx", rows, merges=[((8, 0), (8, 1))]))
    assert t.rows[-1][0] == "CHỈ SỐ CHUNG"
    assert t.children == {0: [1, 2], 4: [5, 6]}  # "II" has no figure: a heading, not a sum
    assert t.parent_rows == [0, 4]


def test_repeated_header_and_title_row(tmp_path, read):
    """A title across the table is no column name; a header repeated on a new page is no row."""
    rows = [["BẢNG TỔNG HỢP SỐ LIỆU", "", ""], ["TT", "Đơn vị", "Số hộ"], ["1", "Xã A", "3"],
            ["TT", "Đơn vị", "Số hộ"], ["2", "Xã B", "4"], ["", "Tổng cộng", "7"]]
    path = build_docx(tmp_path / "title.docx", rows, merges=[((0, 0), (0, 2))], bold_rows={0, 1})
    _, [t] = records(read, path)
    assert t.header_rows == 2 and t.columns == ["TT", "Đơn vị", "Số hộ"]
    assert t.rows == [rows[2], rows[4]] and t.total_row == rows[5]
    assert t.total_row_index == 5 and [loc[2].row for loc in t.cell_locations] == [2, 4, 5]


def test_total_label_left_in_tcvn3_is_still_a_total(tmp_path, read):
    rows = [["TT", "Thôn", "Số hộ", "Hộ nghèo"], ["1", "Thôn A", "215", "8"],
            ["2", "Thôn B", "198", "6"], ["", "Céng", "413", "14"]]
    _, [t] = records(read, build_docx(tmp_path / "tcvn3.docx", rows))
    assert t.total_row == rows[3] and t.parent_rows == []


def test_dash_children_and_weak_total_at_the_bottom(tmp_path, read):
    rows = [["TT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"],
            ["1", "Số đơn vị tự chủ một phần", "Đơn vị", "141"],
            ["1.1", "Tự bảo đảm từ 70% đến dưới 100%", "Đơn vị", "-"],
            ["1.2", "Tự bảo đảm từ 30% đến dưới 70%", "Đơn vị", "-"],
            ["2", "Số đơn vị do Nhà nước bảo đảm", "Đơn vị", "1.471"],
            ["", "Tổng số đơn vị sự nghiệp", "Đơn vị", "1.612"]]
    _, [t] = records(read, build_docx(tmp_path / "dash.docx", rows))
    assert t.children == {0: [1, 2]}
    assert t.total_row == rows[5]  # "Tổng số …" as the last row is the total
    assert t.values[1][3] is None and t.values[-1][3].value == 1612


MOTTO = [["UBND PHƯỜNG ĐỨC CHÍNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
         ["TRUNG TÂM HỌC TẬP CỘNG ĐỒNG", "Độc lập - Tự do - Hạnh phúc"],
         ["Số: 12/BC-TTHTCĐ", "Đức Chính, ngày 10 tháng 6 năm 2020"]]


def test_header_block_layout_table_gives_no_record_and_no_total(tmp_path, read):
    path = build_docx(tmp_path / "motto.docx", MOTTO, grid=False)
    doc, recs = records(read, path)
    assert recs == []
    table = doc.tables[0]
    assert table.role == TableRole.LAYOUT
    # even were a reader to leave it marked DATA, "CỘNG HÒA…" is no total row
    forced = table.model_copy(update={"role": TableRole.DATA})
    rec = table_record(forced, "t1", 1, Outline())
    assert rec is None or rec.total_row is None
    doc.blocks[1] = forced
    assert extract_tables(doc, Outline()) == []


# -- the sample corpus, every form -----------------------------------------------------------

FORMS = ["docx", "doc", "pdf", "scan.pdf", "tcvn3.docx"]
MIN_CELLS = {"docx": 0.95, "doc": 0.95, "pdf": 0.95, "tcvn3.docx": 0.95, "scan.pdf": 0.7}


def _read_or_skip(read, path: Path):
    if not path.exists():
        pytest.skip(f"{path.name} not in the corpus")
    try:
        return read(path)
    except Exception as e:  # the reader for this form has not landed yet: skip, else fail
        if isinstance(e, ImportError) or isinstance(e.__cause__, ImportError):
            pytest.skip(f"no reader for {path.name} yet: {e}")
        raise


def _form_params():
    return [pytest.param(f, marks=[pytest.mark.slow] if f in ("doc", "scan.pdf") else [], id=f)
            for f in FORMS]


def _gold(name: str) -> dict:
    return json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("form", _form_params())
def test_duc_chinh_table_cells(corpus, read, form):
    ev = load_evaluate()
    doc = _read_or_skip(read, DOCS / f"duc-chinh-2020-h1.{form}")
    from extractors.sections.segment import segment

    outline = segment(doc)
    recs = extract_tables(doc, outline)
    gold = _gold("duc-chinh-2020-h1")["tables"]
    acc, n = ev.score_tables(gold, [r.model_dump() for r in recs])
    print(f"\nduc-chinh-2020-h1.{form}: table cells {acc:.3f} ({n} tables)")
    assert acc >= MIN_CELLS[form], f"{form}: table cells {acc:.3f}"
    assert len(recs) == len(gold)
    t = recs[0]
    assert t.total_row is not None and total_label(t.total_row[1]) is not None
    assert t.total_row_index is not None and len(t.values) == len(t.rows) + 1
    if form != "scan.pdf":  # OCR may misread the figures themselves
        assert t.rows == gold[0]["rows"] and t.total_row == gold[0]["total_row"]
        total = t.values[-1][3]
        assert total is not None and total.malformed and total.suggestion == 828
    if form in ("docx", "tcvn3.docx", "doc"):
        assert t.columns == gold[0]["columns"]
        assert t.header_rows == 2 and t.total_row_index == 12
    if outline.sections:  # once segmentation has landed, the table's section is gold's
        assert t.section == gold[0]["section"]


@pytest.mark.parametrize("form", _form_params())
def test_mao_khe_layout_tables_give_no_records(corpus, read, form):
    doc = _read_or_skip(read, DOCS / f"mao-khe-2021-chi-thi-04.{form}")
    assert _gold("mao-khe-2021-chi-thi-04")["tables"] == []
    recs = extract_tables(doc, Outline())
    assert recs == [], [r.rows[:2] for r in recs]


# -- real reports ----------------------------------------------------------------------------


def _label(t, i):
    return t.rows[i][1]


def test_real_cchc_statistics_tables(corpus, read):
    doc = read(REAL / "vbai_bc_cchc_quyI_2026.docx")
    recs = extract_tables(doc, Outline())
    assert len(recs) == 9
    assert [r.id for r in recs] == [f"t{i}" for i in range(1, 10)]
    for t in recs:
        assert t.header_rows == 2
        assert t.columns[:4] == ["STT", t.columns[1], "Kết quả thống kê / Đơn vị tính",
                                 "Kết quả thống kê / Số liệu"]
        assert t.columns[1].startswith("Chỉ tiêu thống kê")
        assert t.total_row is None  # numbered "Tổng số …" rows are items, not table totals
        for p in t.parent_rows:
            assert t.children[p], p
            assert all(k > p for k in t.children[p])
            assert not _label(t, p).startswith("Tỷ lệ")  # rates are not sums of their rows
    parents = {(t.id, t.rows[p][0]): [t.rows[k][0] for k in t.children[p]]
               for t in recs for p in t.parent_rows}
    # "Tổng số …" parents whose children do not all add up (21 ≠ 15 + 0 + 0; 2.310 ≠ 1.865 +
    # 445 + 420) are parents all the same
    assert parents[("t1", "4.1")] == ["4.1.1", "4.1.2", "4.1.3"]
    assert parents[("t2", "1")] == ["1.1", "1.2"]
    assert parents[("t3", "1.4")] == ["1.4.1", "1.4.2", "1.4.3"]
    assert parents[("t5", "1.5")] == ["1.5.1", "1.5.2", "1.5.3"]
    # headings without numbers and rates over their counts are not parents
    assert ("t1", "3") not in parents and ("t1", "2") not in parents
    assert ("t7", "1") not in parents
    t3 = recs[2]
    assert t3.values[4][3].value == 2310 and t3.values[0][0] is None


def _real_files():
    return sorted(p for p in REAL.glob("*") if p.suffix in (".docx", ".doc", ".pdf"))


@pytest.mark.slow
@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.name)
def test_real_files_give_well_shaped_records(corpus, read, path):
    doc = _read_or_skip(read, path)
    recs = extract_tables(doc, Outline())
    n_data = sum(1 for t in doc.tables if t.role == TableRole.DATA)
    assert len(recs) <= n_data
    for t in recs:
        width = len(t.columns)
        assert all(len(r) == width for r in t.rows)
        n = len(t.rows) + (t.total_row is not None)
        assert len(t.values) == n and len(t.cell_locations) == n
        assert all(len(v) == width for v in t.values)
        assert all(0 <= p <= len(t.rows) for p in t.parent_rows)
        assert set(t.children) == set(t.parent_rows)
        if t.total_row is not None:
            assert t.total_row_index is not None
        for row in t.rows:  # the national motto never becomes a data row
            assert not any("CỘNG HÒA XÃ HỘI" in c.upper() for c in row)


@pytest.mark.slow
def test_real_pdf_comparison_tables(corpus, read):
    """Wide comparison tables (8–12 columns, "xx,x%"): two-level headers flattened, "CHỈ SỐ
    CHUNG" across the STT column is no child and no total, Roman items with their parts."""
    doc = _read_or_skip(read, REAL / "vbai_bc_cac_chi_so_0611.pdf")
    recs = extract_tables(doc, Outline())
    assert len(recs) >= 4
    t1 = recs[0]
    squeeze = lambda s: s.replace(" ", "")  # noqa: E731 - word spacing is the PDF reader's
    assert [squeeze(c) for c in t1.columns[2:5]] == [
        squeeze(c) for c in ("Lâm Đồng / Điểm số", "Lâm Đồng / Chỉ số", "Lâm Đồng / Thứ hạng")]
    assert t1.rows[-1][0] == "CHỈ SỐ CHUNG" and t1.total_row is None
    assert t1.values[0][3].value == pytest.approx(99.9)
    for t in recs:
        last = len(t.rows) - 1
        assert all(last not in ks for ks in t.children.values())
    scored = [t for t in recs if any(r[0] == "IV" for r in t.rows)]
    assert scored, "the PAR table with Roman items"
    t = scored[0]
    iv = next(i for i, r in enumerate(t.rows) if r[0] == "IV")
    assert iv in t.parent_rows and len(t.children[iv]) == 7


@pytest.mark.slow
def test_real_scanned_statement(corpus, read):
    """The scanned receipts-and-payments table (OCR, comma thousands): "TỔNG THU" is a parent
    row of its items, neither it nor "TỔNG CHI" is taken for the table's total."""
    doc = _read_or_skip(read, REAL / "vbai_hhdn_BCTC_SCANNED.pdf")
    recs = extract_tables(doc, Outline())
    assert recs
    heads = [(t, i) for t in recs for i, r in enumerate(t.rows)
             if total_label(r[1]) is not None and total_label(r[1]).kind.value == "income"]
    assert heads, "the TỔNG THU row"
    t, i = heads[0]
    assert i in t.parent_rows and len(t.children[i]) >= 10
    assert all(t.values[k][2] is not None for k in t.children[i][:5])
    for t in recs:
        assert t.total_row is None or total_label(t.total_row[1]).kind.value not in (
            "income", "expense")


AREA_FIRST = [
    ["Ngành kinh tế", "Tháng 8 so với tháng 7 (%)", "8 tháng so với cùng kỳ (%)"],
    ["Toàn ngành công nghiệp", "102,3", "108,4"],
    ["Khai khoáng", "98,6", "96,8"],
    ["Công nghiệp chế biến, chế tạo", "102,5", "109,1"],
]


def test_the_whole_of_a_sector_first_is_the_total_row(tmp_path, read):
    path = build_docx(tmp_path / "area.docx", AREA_FIRST)
    _, [t] = records(read, path)
    assert t.total_row == AREA_FIRST[1] and t.rows == AREA_FIRST[2:]


def test_the_whole_of_an_area_in_the_middle_is_a_row():
    assert total_label("Toàn tỉnh").aggregate and total_label("Cả nước").aggregate
    assert total_label("Toàn xã có 5 thôn đạt chuẩn nông thôn mới") is None
    from extractors.tables.totals import choose_totals

    class R:  # the fields choose_totals reads
        def __init__(self, label):
            self.total, self.numbered, self.trong_do = total_label(label), False, False
            self.has_values, self.marker, self.amounts = True, None, []
    assert choose_totals([R("Khai khoáng"), R("Toàn tỉnh"), R("Chế biến")]).grand is None
    assert choose_totals([R("Khai khoáng"), R("Chế biến"), R("Toàn tỉnh")]).grand == 2

"""Repairs of what a scan does to a report's words and tables, each seen on a held-out scan
(tests/fixtures/flags3): a numeral's "I." read as "L", a bold run-in title cut at the end of its
line, words a narrow column broke ("30/11/2" / "024", "Tống" / "SỐ" / "giải"), "chi" read as
"chỉ", a dash between two words taken for a speck, a "(%)" unit dropped, a lone digit read as a
word ("lộ)" for "8"), a row cut by a page break, a header cell merged over two rows split in two,
and "Không." taken into the signature block."""
from __future__ import annotations

from extractors.readers.ocr.engine import TableLines, Word, _numeric_columns
from extractors.readers.ocr.tables import _cell_reading, _goes_on, page_table, to_table
from extractors.readers.ocr.text import join_lines, line_text
from extractors.sections.headings import heading_view, ocr_roman_readings, parse_label
from models.document import Paragraph, Run
from tests.test_readers_ocr import BODY, _grid_lines, _scan_doc, _words


def test_a_numerals_last_stop_read_as_L():
    lab = parse_label("IL Tình hình trật tự, an toàn xã hội", None, True)
    assert lab is not None and lab.kind == "roman" and lab.ocr_guess
    assert 2 in ocr_roman_readings("IL") and 3 in ocr_roman_readings("IIL")
    assert parse_label("IL Tình hình", None, False) is None  # only in a scan
    assert parse_label("ILO hỗ trợ dự án", None, True) is None


def test_scanned_outline_takes_IL_for_II():
    from extractors.sections.segment import segment

    doc = _scan_doc([("BÁO CÁO", True), ("Kết quả công tác 6 tháng đầu năm", True), (BODY, False),
                     ("I. Tình hình an ninh chính trị", True), (BODY, False),
                     ("IL Tình hình trật tự, an toàn xã hội", True), (BODY, False),
                     ("III. Kết quả các mặt công tác", True), (BODY, False)])
    assert [s.number for s in segment(doc).sections] == ["I", "II", "III"]


def test_a_roman_numeral_typed_with_a_comma_before_capitals():
    lab = parse_label("II, CHIẾN LƯỢC PHÁT TRIỂN KHOA HỌC CÔNG NGHỆ")
    assert lab is not None and (lab.kind, lab.value) == ("roman", 2)
    assert parse_label("I, tôi xin báo cáo") is None


def test_a_bold_run_in_title_cut_at_its_lines_end_goes_on_to_its_colon():
    p = Paragraph(text="2. Công tác thu bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp: Tổng số thu đạt 146.475 triệu đồng.",
                  runs=[Run(text="2. Công tác thu bảo hiểm xã hội, bảo hiểm ", bold=True, confidence=0.95),
                        Run(text="y tế, bảo hiểm thất nghiệp: Tổng số thu đạt 146.475 triệu đồng.", confidence=0.95)])
    v = heading_view(p, parse_label(p.text, None, True))
    assert v.title == "Công tác thu bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp"
    assert v.body.startswith("Tổng số thu")
    typed = Paragraph(text=p.text, runs=[Run(text=r.text, bold=r.bold) for r in p.runs])
    assert heading_view(typed, parse_label(typed.text)).title == "Công tác thu bảo hiểm xã hội, bảo hiểm"
    # a body that opens in capitals after a bold title is the body
    q = Paragraph(text="1. Ưu điểm Đơn vị đã hoàn thành: 5 chỉ tiêu.",
                  runs=[Run(text="1. Ưu điểm ", bold=True), Run(text="Đơn vị đã hoàn thành: 5 chỉ tiêu.")])
    assert heading_view(q, parse_label(q.text)).title == "Ưu điểm"


def test_words_a_narrow_column_broke():
    assert join_lines(["Dư nợ đến 30/11/2", "024"]) == "Dư nợ đến 30/11/2024"
    assert join_lines(["ngày 30/11/2", "02 vụ"]) == "ngày 30/11/2 02 vụ"  # not a year's four digits
    assert join_lines(["Tống", "SỐ", "giải"]) == "Tổng số giải"
    assert line_text(["Chỉ", "phí"]) == "Chi phí"
    assert line_text(["Chênh", "lệch", "thu", "-", "chỉ"]) == "Chênh lệch thu - chi"
    assert line_text(["chỉ", "đạo", "thu", "chỉ", "được"]) == "chỉ đạo thu chỉ được"
    assert line_text(["ông", "Tống", "Văn", "Hải"]) == "ông Tống Văn Hải"


def _w(text, x, y, conf=95.0, h=40):
    return Word(text, conf, (x, y, x + 24 * max(1, len(text)), y + h), 1, 1, y)


def test_a_dash_between_words_and_a_percent_unit_are_text():
    cell = [_w("Chênh", 10, 10), _w("lệch", 160, 10), _w("thu", 280, 10), _w("-", 370, 10), _w("chi", 410, 10)]
    assert _cell_reading(cell)[0] == "Chênh lệch thu - chi"
    cell = [_w("Tỷ", 10, 10), _w("lệ", 80, 10), _w("(%)", 10, 60)]
    assert _cell_reading(cell)[0] == "Tỷ lệ (%)"
    assert _cell_reading([_w("Tốt", 10, 10), _w("~", 120, 10, conf=20)])[0] == "Tốt"  # a speck still goes


def test_a_short_cell_read_as_a_word_in_a_column_of_numbers_is_read_again():
    found = {1: [_w("12", 0, 0)], 2: [_w("lộ)", 0, 0)], 3: [_w("7", 0, 0)], 4: [_w("Khối", 0, 0)]}
    assert _numeric_columns(found, [3, 3, 3, 1]) == {3}
    assert _numeric_columns(found, [3, 1, 2, 2]) == set()


def test_a_row_a_page_break_cut_is_one_row():
    xs = [100, 300, 700, 900]
    ys1, ys2 = [2000, 2080, 2160, 2240], [200, 280, 360]
    head = {(0, 0): "TT", (0, 1): "Loại tội phạm", (0, 2): "Số vụ"}
    p1 = TableLines(*_grid_lines(xs, ys1), _words({**head, (1, 0): "1", (1, 1): "Giết người", (1, 2): "1",
                                                   (2, 0): "2", (2, 1): "Lừa đảo chiếm", (2, 2): "5"}, xs, ys1))
    p2 = TableLines(*_grid_lines(xs, ys2), _words({(0, 1): "đoạt tài sản",
                                                   (1, 0): "3", (1, 1): "Trộm cắp", (1, 2): "10"}, xs, ys2))
    t = to_table([page_table(p1, 1, 300), page_table(p2, 2, 300)])
    assert t.n_rows == 4
    assert t.grid()[2] == ["2", "Lừa đảo chiếm đoạt tài sản", "5"]
    assert t.grid()[3] == ["3", "Trộm cắp", "10"]
    # a new row that opens in capitals stays a row
    p3 = TableLines(*_grid_lines(xs, ys2), _words({(0, 1): "Cướp giật", (1, 0): "3", (1, 1): "Trộm cắp",
                                                   (1, 2): "10"}, xs, ys2))
    assert to_table([page_table(p1, 1, 300), page_table(p3, 2, 300)]).n_rows == 5


def test_text_going_on_in_lower_case_does_not_close_a_missing_line():
    assert _goes_on([_w("sinh", 10, 100), _w("cuối", 120, 100), _w("năm", 10, 150)])
    assert not _goes_on([_w("Tốt", 10, 100)])
    assert not _goes_on([_w("161", 10, 100)])


def test_a_number_a_narrow_cell_broke_is_one_number():
    """A trade department's table laid out by LibreOffice: "14.215," / "6", "139.84" / "6,8",
    "Tháng 10/202" / "5" (text PDF and scan alike); two numbers one under the other stay two."""
    from extractors.text.numbers import broken_number

    assert join_lines(["14.215,", "6"]) == "14.215,6"
    assert join_lines(["139.84", "6,8"]) == "139.846,8"
    assert join_lines(["Tháng 10/202", "5"]) == "Tháng 10/2025"
    assert join_lines(["250", "50"]) == "250 50"
    assert not broken_number("ngày 3/2", "02 vụ") and not broken_number("đạt 1.2", "3 người")


def test_a_flow_header_read_with_a_wrong_accent_keeps_its_role_on_a_scan():
    """A Red Cross fund table (scan): "Chỉ trong năm" for "Chi trong năm"; "Chỉ tiêu" stays a word."""
    from checks.flows import header_role

    assert header_role("Chỉ trong năm", fuzzy=True) == ("out", "chi")
    assert header_role("Chỉ trong năm") is None
    assert header_role("Chỉ tiêu", fuzzy=True) is None


def test_a_header_cell_whose_text_flows_over_a_boundary_is_one_cell():
    """A Red Cross blood-drive table (scan): the group title "Số đơn vị máu tiếp nhận" read as
    "Số đơn vi" | "máu tiếp nhận" where a stroke looked like a ruling; the words of the second
    cell open in lower case on the first one's line."""
    xs, ys = [100, 400, 700, 1000], [200, 280, 360, 440]
    words = _words({(0, 0): "TT", (0, 1): "Số đơn vị", (0, 2): "máu tiếp nhận",
                    (1, 1): "Tổng số", (1, 2): "Loại 250 ml", (2, 0): "1", (2, 1): "468", (2, 2): "196"}, xs, ys)
    pt = page_table(TableLines(*_grid_lines(xs, ys), words), 1, 300)
    assert pt.grid.cell_at(0, 1) is pt.grid.cell_at(0, 2) or pt.grid.cell_at(0, 2).col == 1
    # a row of data keeps its columns, and a header cell opening in capitals stays a cell
    assert pt.grid.cell_at(2, 2).col == 2
    words = _words({(0, 0): "TT", (0, 1): "Số đơn vị", (0, 2): "Máu tiếp nhận", (1, 1): "468", (1, 2): "196"},
                   xs, ys)
    pt = page_table(TableLines(*_grid_lines(xs, ys), words), 1, 300)
    assert pt.grid.cell_at(0, 2).col == 2


def test_a_word_a_narrow_cell_broke_inside_its_syllable_is_one_word():
    """A hospital's bed table (scan): "Chuyể" / "n viện"; two syllables stay two words."""
    assert join_lines(["Chuyể", "n viện"]) == "Chuyển viện"
    assert join_lines(["Đầu", "tháng"]) == "Đầu tháng"
    assert join_lines(["Phòng", "hộ"]) == "Phòng hộ"

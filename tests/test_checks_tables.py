"""Table checks on tables shaped like other offices' statistics: total_mismatch, row_sum_mismatch,
malformed_number in cells, and the linking of flags that one wrong cell causes."""
from __future__ import annotations

from checks import run_checks
from models.document import Format, Source
from models.report import Report, TableRecord

SUMS = ["total_mismatch", "row_sum_mismatch", "malformed_number"]


def run(*tables: TableRecord, rules=SUMS):
    rep = Report(source=Source(path="x.docx", sha256="0" * 64, format=Format.DOCX, size=0),
                 tables=list(tables))
    return run_checks(rep, rules=rules, strict=True)


def table(columns, rows, total, **kw) -> TableRecord:
    return TableRecord(id="t1", section="II.1", columns=columns, rows=rows, total_row=total, **kw)


# --- total_mismatch ---------------------------------------------------------------------------

def test_column_total_wrong_is_flagged_with_sum_and_location():
    t = table(["STT", "Đơn vị", "Số hộ", "Số khẩu"],
              [["1", "Thôn Đồng Bái", "215", "860"], ["2", "Thôn Tân Thành", "198", "790"],
               ["3", "Thôn Đồng Mô", "231", "925"]],
              ["", "Cộng", "644", "2.757"])
    fs = run(t)
    assert [(f.rule, f.column, f.stated, f.computed, f.table_value, f.row) for f in fs] == [
        ("total_mismatch", "Số khẩu", "2.757", 2575, 2757, 3)]
    assert fs[0].severity.value == "error" and fs[0].evidence["values"] == [860, 790, 925]


def test_parent_rows_with_children_sum_top_level_only():
    rows = [["1", "Trường Mầm non", "120", "30"],
            ["", "- Công lập", "100", "25"],
            ["", "- Tư thục", "20", "5"],
            ["2", "Trường Tiểu học", "300", "80"],
            ["3", "Trường THCS", "250", "70"]]
    t = table(["TT", "Cấp học", "Số học sinh", "Số học sinh nữ"], rows, ["", "Tổng cộng", "670", "180"],
              parent_rows=[0], children={0: [1, 2]})
    assert run(t) == []
    # the extractor may not know the hierarchy: the dashes say it
    assert run(table(t.columns, rows, t.total_row)) == []
    bad = table(t.columns, rows, ["", "Tổng cộng", "790", "180"], parent_rows=[0], children={0: [1, 2]})
    fs = run(bad)
    assert [(f.column, f.computed) for f in fs] == [("Số học sinh", 670)]


def test_rates_years_ordinals_and_empty_columns_are_not_summed():
    t = table(["TT", "Xã", "Năm công nhận", "Số hộ", "Hộ nghèo", "Tỷ lệ hộ nghèo (%)", "Ghi chú / Số hộ tái nghèo"],
              [["1", "Xã A", "2015", "400", "12", "3,0", ""], ["2", "Xã B", "2018", "600", "30", "5,0", ""]],
              ["3", "Toàn huyện", "2018", "1.000", "42", "4,2", ""])
    assert run(t) == []


def test_average_total_row_is_not_a_sum():
    t = table(["TT", "Lớp", "Điểm trung bình", "Sĩ số"],
              [["1", "6A", "7,5", "40"], ["2", "6B", "8,1", "38"]],
              ["", "Bình quân", "7,8", "39"])
    assert run(t) == []


def test_decimal_cells_allow_rounding():
    t = table(["TT", "Hạng mục", "Kinh phí (tỷ đồng)"],
              [["1", "Đường giao thông", "1,24"], ["2", "Trường học", "2,35"], ["3", "Nhà văn hóa", "0,42"]],
              ["", "Tổng cộng", "4,0"])
    assert run(t) == []
    t2 = table(t.columns, t.rows, ["", "Tổng cộng", "4,3"])
    assert [f.column for f in run(t2)] == ["Kinh phí (tỷ đồng)"]


def test_malformed_total_stands_even_when_its_suggestion_fits():
    t = table(["TT", "Hoạt động", "Số lớp", "Số lượt người / Tổng số", "Số lượt người / Nữ"],
              [["1", "Giáo dục pháp luật", "2", "350", ""], ["2", "Kỹ năng sống", "3", "478", ""]],
              ["", "Tổng số", "5", "8.28", ""])
    fs = run(t)
    tm = [f for f in fs if f.rule == "total_mismatch"]
    mf = [f for f in fs if f.rule == "malformed_number"]
    assert [(f.stated, f.computed) for f in tm] == [("8.28", 828)]
    assert "828" in tm[0].suggestion and "8.28" in tm[0].suggestion
    assert [(f.stated, f.expected) for f in mf] == [("8.28", 828)]
    assert tm[0].id in mf[0].related and mf[0].id in tm[0].related


def test_english_decimal_column_is_a_style_not_a_typo():
    t = table(["TT", "Chỉ số", "Điểm 2022", "Điểm 2023"],
              [["1", "Công khai minh bạch", "8.00", "7.50"], ["2", "Chi phí thời gian", "6.25", "7.00"]],
              None)
    assert run(t) == []


# --- row_sum_mismatch -------------------------------------------------------------------------

def test_nam_nu_do_not_add_up_to_tong_so():
    t = table(["STT", "Khối", "Số học sinh / Tổng số", "Số học sinh / Nam", "Số học sinh / Nữ"],
              [["1", "Khối 1", "92", "47", "45"], ["2", "Khối 2", "98", "52", "44"]],
              ["", "Cộng", "190", "99", "89"])
    fs = run(t)
    rows = [(f.row, f.column, f.stated, f.computed) for f in fs if f.rule == "row_sum_mismatch"]
    assert rows == [(1, "Số học sinh / Tổng số", "98", 96), (2, "Số học sinh / Tổng số", "190", 188)]
    a, b = [f for f in fs if f.rule == "row_sum_mismatch"]
    assert a.id in b.related and a.culprit and not b.culprit  # the body row carried into the total


def test_subset_column_exceeding_its_whole():
    t = table(["TT", "Đơn vị", "Tổng số cán bộ", "Trong đó nữ"],
              [["1", "Phòng Nội vụ", "12", "5"], ["2", "Phòng Tư pháp", "8", "11"]],
              ["", "Cộng", "20", "16"])
    fs = run(t)
    assert [(f.rule, f.row, f.column, f.stated) for f in fs] == [("row_sum_mismatch", 1, "Trong đó nữ", "11")]


def test_of_which_columns_are_not_summed_unless_a_partition():
    cols = ["TT", "Xã", "Số hội viên", "Trong đó / Nữ", "Trong đó / Đảng viên"]
    t = table(cols, [["1", "Xã A", "210", "90", "40"], ["2", "Xã B", "185", "85", "30"]], ["", "Tổng", "395", "175", "70"])
    assert run(t) == []


def test_subset_columns_named_after_the_whole():
    t = table(["TT", "Thôn", "Tổng số hộ", "Hộ nghèo", "Hộ cận nghèo"],
              [["1", "Thôn A", "215", "8", "12"], ["2", "Thôn B", "198", "6", "10"]],
              ["", "Cộng", "413", "14", "22"])
    assert run(t) == []
    bad = table(t.columns, [["1", "Thôn A", "215", "8", "12"], ["2", "Thôn B", "19", "6", "21"]],
                ["", "Cộng", "234", "14", "33"])
    fs = run(bad)
    assert [(f.row, f.column) for f in fs] == [(1, "Hộ cận nghèo")]


def test_children_rows_of_which_are_not_summed_but_may_not_exceed():
    cols = ["TT", "Chỉ tiêu", "Quý I", "Quý II"]
    rows = [["1", "Tổng số hồ sơ tiếp nhận", "120", "140"],
            ["", "Trong đó:", "", ""],
            ["", "- Hồ sơ trực tuyến", "80", "90"],
            ["", "- Hồ sơ quá hạn", "2", "150"]]
    t = table(cols, rows, None, parent_rows=[0], children={0: [2, 3]})
    fs = run(t)
    assert [(f.rule, f.row, f.column, f.stated) for f in fs] == [("row_sum_mismatch", 3, "Quý II", "150")]


def test_complete_children_rows_must_add_up():
    cols = ["TT", "Chỉ tiêu", "Năm 2022", "Năm 2023", "Năm 2024"]
    rows = [["1", "Tổng số lao động", "500", "520", "560"],
            ["", "- Nam", "260", "270", "300"],
            ["", "- Nữ", "240", "250", "250"]]
    t = table(cols, rows, None, parent_rows=[0], children={0: [1, 2]})
    fs = run(t)
    assert [(f.row, f.column, f.stated, f.computed) for f in fs] == [(0, "Năm 2024", "560", 550)]


# --- linking -----------------------------------------------------------------------------------

def test_wrong_total_cell_breaks_column_and_total_row():
    cols = ["TT", "Chi hội", "Số hội viên", "Trong đó / Nam", "Trong đó / Nữ"]
    rows = [["1", "Chi hội Cao Sơn", "210", "120", "90"], ["2", "Chi hội Đồng Sương", "185", "100", "85"]]
    fs = run(table(cols, rows, ["", "Tổng số", "395", "220", "165"]))
    tm = [f for f in fs if f.rule == "total_mismatch"]
    rs = [f for f in fs if f.rule == "row_sum_mismatch"]
    assert [(f.column, f.computed) for f in tm] == [("Trong đó / Nữ", 175)]
    assert [f.row for f in rs] == [2]
    assert tm[0].culprit and not rs[0].culprit and rs[0].id in tm[0].related


def test_wrong_body_cell_is_the_culprit():
    cols = ["TT", "Xã", "Lao động / Tổng số", "Lao động / Nam", "Lao động / Nữ"]
    rows = [["1", "Xã A", "300", "160", "140"], ["2", "Xã B", "250", "130", "102"]]
    fs = run(table(cols, rows, ["", "Cộng", "550", "290", "260"]))
    culprit = [f for f in fs if f.culprit]
    assert [(f.rule, f.row, f.column, f.stated, f.expected) for f in culprit] == [
        ("row_sum_mismatch", 1, "Lao động / Nữ", "102", 120)]
    tm = next(f for f in fs if f.rule == "total_mismatch")
    assert tm.column == "Lao động / Nữ" and culprit[0].id in tm.related


def test_malformed_body_cell_suggestions_follow_context():
    # the column total implies the thousands reading
    t = table(["TT", "Xã", "Số hộ"], [["1", "Xã A", "1.23"], ["2", "Xã B", "870"]], ["", "Cộng", "2.100"])
    fs = run(t)
    assert [(f.rule, f.stated, f.expected) for f in fs] == [("malformed_number", "1.23", 1230)]
    # a column of decimals: the dot is a decimal point
    t2 = table(["TT", "Hạng mục", "Kinh phí (tỷ đồng)"],
               [["1", "Đường", "1,25"], ["2", "Trường", "2.5"], ["3", "Chợ", "0,75"]], None)
    assert [(f.stated, f.expected) for f in run(t2)] == [("2.5", 2.5)]


def test_row_numbers_are_not_malformed_numbers():
    t = table(["STT", "Chỉ tiêu", "Kết quả"],
              [["3", "Cải cách TTHC", ""], ["3.1", "Số TTHC công bố", "120"], ["3.1.1", "Cấp tỉnh", "100"]], None)
    assert run(t) == []


def test_of_which_children_closed_by_a_remainder_row_must_add_up():
    cols = ["TT", "Chỉ tiêu", "Năm 2021", "Năm 2022", "Năm 2023"]
    rows = [["1", "Tổng thu sự nghiệp", "2.400", "2.650", "2.900"],
            ["", "Trong đó:", "", "", ""],
            ["", "- Thu học phí", "1.500", "1.620", "1.800"],
            ["", "- Thu dịch vụ bán trú", "700", "790", "850"],
            ["", "- Thu khác", "200", "210", "250"]]
    t = table(cols, rows, None, parent_rows=[0], children={0: [2, 3, 4]})
    fs = run(t)
    assert [(f.rule, f.row, f.column, f.stated, f.computed) for f in fs] == [
        ("row_sum_mismatch", 0, "Năm 2022", "2.650", 2620)]


def test_of_which_children_without_a_remainder_row_are_not_summed():
    cols = ["TT", "Chỉ tiêu", "Năm 2021", "Năm 2022"]
    rows = [["1", "Tổng thu sự nghiệp", "2.400", "2.650"],
            ["", "Trong đó:", "", ""],
            ["", "- Thu học phí", "1.500", "1.620"],
            ["", "- Thu dịch vụ bán trú", "700", "790"]]
    t = table(cols, rows, None, parent_rows=[0], children={0: [2, 3]})
    assert run(t) == []


def test_row_numbers_under_a_garbled_header_are_not_quantities():
    """A scan reads the 'STT' header as 'Ì srr': the column of 1, 2, 3 … is still row numbers —
    not summed, and two row numbers merged into one cell ('4 5') are not a malformed number."""
    t = table(["Ì srr", "Diễn giải", "Số tiền (đồng)"],
              [["1", "Chi lương", "770,000,000"], ["2", "Phụ cấp Tết", "23,000,000"],
               ["3", "Xăng xe", "8,000,000"], ["4 5", "Bảo hiểm; phí ngân hàng", "94,334,513"]],
              ["", "Tổng chi", "895,334,513"])
    assert run(t, rules=["total_mismatch", "malformed_number", "row_sum_mismatch"]) == []


def test_a_grade_called_trung_binh_is_counted_and_the_total_row_bears_witness():
    """A school's conduct grades (our wording): "Tốt | Khá | Trung bình | Yếu" are counts of
    pupils; two classes and the total row add up, one class does not."""
    t = table(["TT", "Lớp", "Tổng số học sinh", "Tốt", "Khá", "Trung bình", "Yếu"],
              [["1", "Lớp 6A", "42", "30", "9", "3", "0"], ["2", "Lớp 6B", "40", "25", "10", "4", "0"],
               ["3", "Lớp 6C", "41", "29", "8", "3", "1"]],
              ["", "Cộng", "122", "84", "27", "10", "1"])
    fs = run(t)
    rs = [f for f in fs if f.rule == "row_sum_mismatch"]
    assert [(f.row, f.stated, f.computed) for f in rs] == [(1, "40", 39)]
    assert rs[0].culprit and [f.rule for f in fs if f.id in rs[0].related] == ["total_mismatch"]


def test_structure_shares_confirm_a_breakdown_is_complete():
    """A commune's crop areas (our wording) with a "Tỷ trọng (%)" column: the shares of each
    group add up to its parent's, so the one area that does not is flagged."""
    rows = [["1", "Cây hàng năm", "420,0", "60,0"], ["1.1", "Lúa", "300,0", "42,9"],
            ["1.2", "Ngô", "120,0", "17,1"], ["2", "Cây lâu năm", "280,0", "40,0"],
            ["2.1", "Cây ăn quả", "190,0", "27,1"], ["2.2", "Chè", "81,0", "12,9"]]
    t = table(["TT", "Loại cây", "Diện tích (ha)", "Tỷ trọng (%)"], rows, ["", "Tổng số", "700,0", "100,0"],
              parent_rows=[0, 3], children={0: [1, 2], 3: [4, 5]})
    fs = run(t)
    assert [(f.rule, f.row, f.computed) for f in fs] == [("row_sum_mismatch", 3, 271)]


# --- a difference column -----------------------------------------------------------------------

def _income_table(diff_header, diffs):
    rows = [["1", "Dịch vụ điện", "1.200", "1.050", diffs[0]], ["2", "Dịch vụ nước sạch", "640", "600", diffs[1]],
            ["3", "Dịch vụ vận tải", "980", "870", diffs[2]], ["4", "Dịch vụ khác", "310", "285", diffs[3]]]
    return table(["TT", "Nội dung", "Tổng thu", "Tổng chi", diff_header], rows, None)


def test_difference_column_named_in_its_header_is_checked_row_by_row():
    fs = run(_income_table("Chênh lệch thu - chi", ["150", "40", "110", "52"]), rules=["row_sum_mismatch"])
    assert [(f.row, f.stated, f.computed) for f in fs] == [(3, "52", 25)]


def test_difference_column_that_does_not_hold_on_most_rows_is_not_one():
    # a "Lợi nhuận" column that is not thu − chi (other costs, taxes): nothing to compare
    fs = run(_income_table("Lợi nhuận", ["120", "30", "95", "20"]), rules=["row_sum_mismatch"])
    assert fs == []


def test_a_total_that_names_its_addends_is_not_the_column_sum():
    """A university's staff table: rows 1-4 break down row 5, and the total row says which rows
    it adds, «Cộng (1+2+3)»; summing every row would be a false alarm."""
    rows = [["1", "Cán bộ quản lý", "103"], ["2", "Giảng viên", "476"], ["", "- Tiến sĩ", "84"],
            ["", "- Thạc sĩ", "275"], ["3", "Nhân viên", "61"]]
    assert run(table(["TT", "Khối", "Hiện có"], rows, ["", "Cộng (1+2+3)", "640"]),
               rules=["total_mismatch"]) == []
    fs = run(table(["TT", "Khối", "Hiện có"], [r for r in rows if r[0]], ["", "Cộng", "650"]),
             rules=["total_mismatch"])
    assert [(f.stated, f.computed) for f in fs] == [("650", 640)]


def test_a_cell_with_one_amount_per_line_is_not_one_number():
    """A strategy plan's budget table: a cell lists two measures and holds "250 50" (one amount
    per line); reading it as 25050 made a false total_mismatch, and a wrong sum for a true one."""
    rows = [["1", "Giải pháp 1", "3"], ["2", "Giải pháp 2", "150"], ["3", "Giải pháp 3", "250 50"]]
    assert run(table(["TT", "Giải pháp", "Kinh phí"], rows, ["", "Tổng cộng", "453"])) == []
    fs = run(table(["TT", "Giải pháp", "Kinh phí"], rows, ["", "Tổng cộng", "1.453"]))
    assert [(f.rule, f.stated, f.computed) for f in fs] == [("total_mismatch", "1.453", 453)]


def test_columns_that_partition_the_count_before_them_must_add_up():
    """A kindergarten (fourth held-out round): "Số trẻ được đánh giá | Đạt | Chưa đạt", no total
    row and no "Tổng số" header; the rows whose parts add up stay silent."""
    t = table(["TT", "Độ tuổi", "Số trẻ được đánh giá", "Đạt", "Chưa đạt", "Tỷ lệ đạt (%)"],
              [["1", "Nhà trẻ", "78", "71", "7", "91,0"], ["2", "Mẫu giáo 3 - 4 tuổi", "94", "86", "8", "91,5"],
               ["3", "Mẫu giáo 4 - 5 tuổi", "112", "104", "6", "92,9"]], None)
    fs = run(t)
    assert [(f.rule, f.row, f.stated, f.computed) for f in fs] == [("row_sum_mismatch", 2, "112", 110)]
    # columns that are no partition of it ("Giỏi | Khá" of a count) are not summed
    t = table(["TT", "Lớp", "Số học sinh", "Giỏi", "Khá"], [["1", "6A", "40", "12", "20"]], None)
    assert run(t) == []


def test_a_wrong_total_is_reported_against_the_rows_that_hold_the_figures():
    """A university's investment plan (a real strategy, 2020–2030): "Giải pháp N: …" group rows
    without figures, "- …" items holding them; the total 1.566 against items adding up to 566
    (the other column, 528, adds up)."""
    t = table(["Nội dung", "Kinh phí", "Nội dung 2021-2030", "Kinh phí 2021-2030"],
              [["Hoàn thành cấp giấy chứng nhận", "1", "Hoàn thành thủ tục cấp đất", "3"],
               ["Giải pháp 2: Đầu tư trang thiết bị", "", "", ""],
               ["- Đầu tư TT Thực hành du lịch", "200", "Bổ sung phòng TN", "150"],
               ["- Duy trì hoạt động thường xuyên", "35", "- Duy trì hoạt động", "10"],
               ["Giải pháp 3: Xây dựng mới", "", "", ""],
               ["- Nhà Đa năng", "330", "- Nhà xưởng thực hành", "365"]],
              ["Tổng cộng", "1.566", "", "528"])
    fs = run(t, rules=["total_mismatch"])
    assert [(f.stated, f.computed) for f in fs] == [("1.566", 566)]

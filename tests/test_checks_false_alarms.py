"""The false-alarm suite: sentences, tables and outlines from real published reports (short
excerpts; the office named in each test) and of our own wording from other offices, on which a
check once fired wrongly. Each must stay silent (or, for a scan's unsure reading, be doubtful).
Where a kind has a true positive nearby, the test shows that one still fires."""
from __future__ import annotations

from checks import run_checks
from extractors.sections.outline import Outline
from extractors.tables.build import table_record
from models.document import Cell, Format, Paragraph, Run, Source, Table
from models.report import Metadata, Report, Section, TableRecord


def _src(ocr: bool = False) -> Source:
    return Source(path="x.pdf" if ocr else "x.docx", sha256="0" * 64,
                  format=Format.SCANNED_PDF if ocr else Format.DOCX, size=1, ocr=ocr)


def run(rules, sections=(), tables=(), metadata=None, ocr=False):
    md = metadata or Metadata(document_type="báo cáo", report_number="15/BC-UBND",
                              date="2024-06-20", signer="Nguyễn Văn An")
    rep = Report(source=_src(ocr), sections=list(sections), tables=list(tables), metadata=md)
    return run_checks(rep, rules=rules, strict=True)


def sec(number, label, level, title, text=""):
    return Section(number=number, label=label, level=level, title=title, text=text)


def tab(columns, rows, total=None, **kw) -> TableRecord:
    return TableRecord(id="t1", section="I", columns=columns, rows=rows, total_row=total, **kw)


def extracted(rows: list[list[str]], ocr: bool = False) -> TableRecord:
    """A record made by the table extractor from a plain grid (first row: the header)."""
    cells = [Cell(row=r, col=c, text=t, paragraphs=[Paragraph(text=t, runs=[Run(text=t)])])
             for r, row in enumerate(rows) for c, t in enumerate(row)]
    rec = table_record(Table(n_rows=len(rows), n_cols=len(rows[0]), cells=cells), "t1", 0,
                       Outline(), ocr=ocr)
    assert rec is not None
    return rec


SUMS = ["total_mismatch", "row_sum_mismatch", "malformed_number"]
OUTLINE = ["empty_section", "numbering_error"]


# --- sections that say "none" -------------------------------------------------------------------

def test_a_section_that_answers_none_is_not_empty():
    """Tax team, Phú Thọ / Nghệ An reports: "III. KIẾN NGHỊ, ĐỀ XUẤT: Không."."""
    secs = [sec("I", "I.", 1, "KẾT QUẢ THỰC HIỆN", "Thu ngân sách quý I đạt 3.355 triệu đồng."),
            sec("II", "II.", 1, "KIẾN NGHỊ, ĐỀ XUẤT", "Không."),
            sec("III", "III.", 1, "ĐỀ XUẤT, KIẾN NGHỊ: Không có."),
            sec("IV", "IV.", 1, "PHƯƠNG HƯỚNG QUÝ II", "")]
    assert [f.section for f in run(["empty_section"], secs)] == ["IV"]


def test_the_national_motto_read_as_a_heading_is_not_a_section():
    """Hậu Giang finance department; Bình Dương People's Committee: the header block became
    "I UBND TỈNH HẬU GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"."""
    secs = [sec("I", "I", 1, "UBND TỈNH HẬU GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            sec("II", "II.", 1, "TÌNH HÌNH GIÁ CẢ THỊ TRƯỜNG", "Giá lúa tăng nhẹ so với tháng trước."),
            sec("III", "III.", 1, "DỰ BÁO", "Giá thịt heo ổn định trong tháng tới.")]
    assert run(OUTLINE, secs) == []


def test_the_tasks_of_a_plan_carry_their_content_in_their_titles():
    """Hải Phòng People's Committee, plan 68/KH-UBND (scan): "1.1. Ban hành Chỉ thị về công
    tác thi đua, khen thưởng năm 2020 của thành phố" and the tasks after it have no body."""
    secs = [sec("II", "II.", 1, "NHIỆM VỤ CỤ THỂ"), sec("II.1", "1.", 2, "Quý I năm 2020"),
            sec("II.1.1", "1.1.", 3, "Ban hành Chỉ thị về công tác thi đua, khen thưởng năm 2020 của thành phố"),
            sec("II.1.2", "1.2.", 3, "Chỉ đạo các khối, cụm thi đua tổ chức tổng kết", "giao ước thi đua năm 2019;"),
            sec("II.1.3", "1.3.", 3, "Tập huấn nghiệp vụ công tác thi đua cho các cụm, khối"),
            sec("II.1.4", "1.4.", 3, "Kiểm tra, giám sát công tác thi đua, khen thưởng năm 2020"),
            sec("II.1.5", "1.5.", 3, "Ban hành Kế hoạch tổ chức Đại hội Thi đua yêu nước lần thứ IX")]
    assert run(["empty_section"], secs) == []
    # short bare headings are a template left unfilled (Lào Cai health-insurance report)
    tmpl = [sec("I", "I.", 1, "Kết quả thực hiện"), sec("I.1", "1.", 2, "Tổng quát", "Tổng chi 62.521 triệu đồng."),
            sec("I.2", "2.", 2, "Công tác kiểm soát chi"), sec("I.3", "3.", 2, "Công tác đấu thầu thuốc"),
            sec("I.4", "4.", 2, "Công tác khác")]
    assert [f.section for f in run(["empty_section"], tmpl)] == ["I.2", "I.3", "I.4"]
    # a heading left empty among headings with content is still found
    secs = [sec("I", "I.", 1, "KẾT QUẢ"), sec("I.1", "1.", 2, "Công tác tuyên truyền", "Tổ chức 12 buổi."),
            sec("I.2", "2.", 2, "Công tác kiểm tra"), sec("I.3", "3.", 2, "Công tác thu quỹ", "Thu 45 triệu đồng.")]
    assert [f.section for f in run(["empty_section"], secs)] == ["I.2"]


def test_ocr_reading_a_first_subsection_as_a_sibling_does_not_empty_its_parent():
    """Kiên Giang health department, December 2017 (scan): "1. Phòng, chống dịch bệnh" was read
    "I. Phòng, chống dịch bệnh", so "II. Kết quả thực hiện" looked empty."""
    secs = [sec("I", "I.", 1, "Công tác tham mưu", "Sở Y tế đã chỉ đạo thực hiện các nhiệm vụ."),
            sec("II", "II.", 1, "Kết quả thực hiện"),
            sec("III", "I.", 1, "Phòng, chống dịch bệnh", "Sốt xuất huyết có 90 cas mắc."),
            sec("III.2", "2.", 2, "Phòng, chống HIV/AIDS", "Xét nghiệm 9.706 mẫu máu.")]
    assert [f for f in run(["empty_section"], secs, ocr=True)] == []


# --- numbering on scans and in text -------------------------------------------------------------

def _lettered(labels, ocr):
    secs = [sec("I", "I.", 1, "Công tác khác", "")]
    for k, lab in enumerate(labels):
        secs.append(sec(f"I.{k + 1}", lab, 2, f"Mục {lab}", "Đã thực hiện theo kế hoạch."))
    return run(["numbering_error"], secs, ocr=ocr)


def test_ocr_look_alike_letters_are_no_numbering_error():
    """Kiên Giang health department (two monthly scans): "c) Đầu tư xây dựng cơ bản" read as "e)"."""
    assert _lettered(["a)", "b)", "e)"], ocr=True) == []
    assert [f.stated for f in _lettered(["a)", "b)", "e)"], ocr=False)] == ["e)"]


def test_ocr_misread_middle_label_and_a_label_read_as_text():
    """Hà Nội storm committee, report 109/BC-BCH (scan): "III." read as "II." between "II." and
    "IV."; "3. Mực nước trên các sông" read as "$3. Mực nước …", a paragraph of section 2."""
    secs = [sec("I", "I.", 1, "Tình hình khí tượng", "Bão số 2 suy yếu."),
            sec("I.1", "1.", 2, "Diễn biến cơn bão", "Bão đổ bộ ngày 02/8."),
            sec("I.2", "2.", 2, "Về mưa", "Lượng mưa như sau:\n$3. Mực nước trên các sông\n"
                                         "Mực nước đo tại các trạm như sau:"),
            sec("I.4", "4.", 2, "Mực nước các hồ chứa", "Các hồ ở mức an toàn."),
            sec("II", "II.", 1, "Công tác chỉ đạo", "Ban Chỉ huy ban hành 02 công điện."),
            sec("III", "II.", 1, "Tình hình thiệt hại", "Không có thiệt hại."),
            sec("IV", "IV.", 1, "Kiến nghị, đề xuất", "Các đơn vị tiếp tục theo dõi.")]
    assert run(["numbering_error"], secs, ocr=True) == []
    # typed that way, the repeat and the skip are the writer's
    typed = [s.model_copy(update={"text": s.text.replace("$3.", "Trạm")}) for s in secs]
    assert {f.stated for f in run(["numbering_error"], typed)} == {"4.", "II.", "IV."}


def test_a_heading_written_as_a_paragraph_is_not_missing():
    """Kiên Giang health department, October 2017: "6. Công tác chăm sóc sức khỏe …" sits as a
    line of section 5's text."""
    secs = [sec("II", "II.", 1, "Kết quả thực hiện"),
            sec("II.5", "5.", 2, "Công tác Dân số - KHHGĐ", "Tổng số trẻ sinh ra sống là 2.615 trẻ.\n"
                                                            "6. Công tác chăm sóc sức khỏe bà mẹ - trẻ em\n"
                                                            "Tỷ lệ quản lý thai đạt 99,96%."),
            sec("II.7", "7.", 2, "Công tác truyền thông", "Thực hiện 85 tin, bài.")]
    assert run(["numbering_error"], secs) == []


# --- tables -------------------------------------------------------------------------------------

def test_two_parallel_breakdowns_of_one_whole():
    """Our wording, a district labour office: the total first, then the same workers by sex and
    by area; each breakdown adds up, both together are twice the whole."""
    rows = [["TT", "Chỉ tiêu", "Số lao động", "So với năm trước (%)"],
            ["", "Tổng số", "1.250", "104,2"],
            ["A", "Chia theo giới tính", "", ""],
            ["1", "Nam", "700", "103,0"], ["2", "Nữ", "550", "105,8"],
            ["B", "Chia theo khu vực", "", ""],
            ["1", "Thành thị", "310", "101,6"], ["2", "Nông thôn", "940", "105,0"]]
    assert run(SUMS, tables=[extracted(rows)]) == []
    rows[1][2] = "1.205"  # a wrong total is still found, against one breakdown's sum
    fs = run(SUMS, tables=[extracted(rows)])
    assert [(f.rule, f.computed) for f in fs] == [("total_mismatch", 1250)]


def test_a_form_left_at_zero_is_not_a_sum():
    """Đắk Song district, socio-economic indicators 2019 (software export): the land breakdown
    is left at 0 under "Diện tích đất | 10588"; a heading row at 0 over filled rows."""
    cols = ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2018", "Kế hoạch năm 2019", "Kế hoạch năm 2020"]
    rows = [["A", "Diện tích đất", "Ha", "10588", "25807", "31274"],
            ["I", "Đất nông nghiệp", "Ha", "0", "0", "1000"],
            ["II", "Đất lâm nghiệp", "Ha", "0", "0", "230"],
            ["III", "Đất phi nông nghiệp", "Ha", "0", "0", "0"],
            ["IV", "Loại đất khác", "Ha", "0", "0", "0"],
            ["B", "Sản lượng cây trồng chính", "Tấn", "0", "0", "0"],
            ["I", "Cà phê", "Tấn", "7704", "23112", "15304"],
            ["II", "Tiêu", "Tấn", "3007", "8501", "5382"]]
    assert run(SUMS, tables=[extracted([cols] + rows)]) == []


def test_an_export_writing_decimals_with_a_point_and_no_thousands_separator():
    """Đắk Song district export: "12903.5", "243.738194" beside "10588": decimals, not typos."""
    t = tab(["STT", "Chỉ tiêu", "ĐVT", "Năm 2019 / Ước thực hiện 6 tháng", "So với 2018 (%)"],
            [["I", "Diện tích cây trồng hằng năm", "Ha", "2790.5", "303.150462"],
             ["II", "Diện tích cây trồng lâu năm", "Ha", "8584", "302.253521"],
             ["III", "Diện tích đất", "Ha", "12903.5", "121.184175"]])
    assert run(["malformed_number"], tables=[t]) == []


def test_a_survey_writing_its_shares_with_a_point():
    """Tây Đô University, learner survey 2025: rows of counts and rows of "9.59%" shares."""
    t = tab(["TT", "Nội dung", "Rất hài lòng", "Hài lòng", "Bình thường"],
            [["1", "Dịch vụ tư vấn", "81", "8", "40"], ["", "", "9.59%", "0.95%", "4.73%"],
             ["2", "Dịch vụ hỗ trợ đời sống", "74", "21", "63"], ["", "", "8.76%", "2.49%", "7.46%"]],
            parent_rows=[0], children={0: [1]})
    assert run(SUMS, tables=[t]) == []


def test_a_sibling_read_as_a_child_when_ocr_lost_its_number():
    """Bình Thuận business association, fund statement (scan): "III | Chi ra" lost its "III",
    so it read as a child of "II | Thu vào", which its own items add up to."""
    rows = [["STT", "Diễn giải", "Số tiền"],
            ["I", "Số dư đầu kỳ", "414,341,246"],
            ["II", "Thu vào", "102,099,476"], ["1", "Tiền lãi có kỳ hạn", "102,099,476"],
            ["", "Chi ra", "203,618,352"], ["1", "Phí duy trì tài khoản", "260,700"],
            ["2", "Hoàn trả hội viên góp vốn", "70,000,000"], ["3", "Chi hỗ trợ hoạt động", "133,357,652"],
            ["IV", "Số dư cuối kỳ", "312,822,370"]]
    assert run(["row_sum_mismatch"], tables=[extracted(rows, ocr=True)], ocr=True) == []


def test_an_indicator_table_with_a_stray_number_on_its_heading():
    """Kiên Giang health department, 10-month report 2017 (scan): "I | Dân số | | 12" over
    population, rates and a sex ratio in different units — unrelated indicators, no sum."""
    rows = [["Số TT", "Chỉ tiêu", "ĐVT", "Thực hiện 2016", "Kế hoạch 2017", "Ước cả năm"],
            ["I", "Dân số", "", "", "12", ""],
            ["", "Dân số trung bình", "Người", "1.776.725", "1.782.782", "1.791.827"],
            ["", "Dân số thành thị", "Người", "488.258", "494.898", "527.693"],
            ["", "Tỷ suất sinh", "%o", "14,03", "14,62", "13,83"],
            ["", "Tỷ số giới tính khi sinh", "Bé trai", "110,00", "110,00", "110,00"]]
    rec = extracted(rows, ocr=True)
    assert rec.parent_rows == []
    assert run(SUMS, tables=[rec], ocr=True) == []


def test_an_unreadable_cell_leaves_its_column_unsummed():
    """A rehabilitation centre's table (our wording), scanned: "58" read as "Sö"."""
    t = tab(["TT", "Đối tượng", "Cũ chuyển qua", "Tiếp nhận trong năm"],
            [["1", "Cai nghiện bắt buộc", "412", "286"], ["2", "Cai nghiện tự nguyện", "37", "Sö"],
             ["3", "Người không có nơi cư trú", "18", "23"]], ["", "Cộng", "467", "367"])
    assert run(SUMS, tables=[t], ocr=True) == []
    t2 = t.model_copy(update={"rows": [r[:] for r in t.rows]})
    t2.rows[1][3] = "08.200"  # "58.200" with its first digit misread: no report writes "08.200"
    assert run(["total_mismatch"], tables=[t2], ocr=True) == []


def test_a_cell_grouped_unlike_its_column_is_a_doubtful_reading():
    """Bình Thuận business association (scan): "310,500,000" read "370.500.000"."""
    rows = [["STT", "Diễn giải", "Số tiền"],
            ["IV", "Số dư cuối kỳ", "312,822,370"], ["", "Trong đó:", ""],
            ["1", "Số dư góp vốn của hội viên", "370.500.000"], ["2", "Lãi tiền gửi", "2,322,370"],
            ["3", "Quỹ khác", "1,000,000"]]
    fs = run(["row_sum_mismatch"], tables=[extracted(rows, ocr=True)], ocr=True)
    assert fs and all(f.doubtful and "370.500.000" in f.message for f in fs)


def test_row_numbers_of_a_continued_table_and_a_point_decimal_reading():
    """Statistics office (our wording): the second part of an indicator table numbered "18." …
    "21." under a garbled header; "133.33 %" is 133,33 %, not 13.333."""
    t = tab(["Ì srr", "Chỉ tiêu", "Đơn vị tính", "Ước 9 tháng", "So cùng kỳ"],
            [["18.", "Dân số trung bình", "người", "158.420", "100,6"],
             ["19.", "Số trẻ em sinh ra", "trẻ", "1.268", "97,4"],
             ["20.", "Số bác sĩ", "người", "96", "133.33 %"],
             ["21.", "Số giường bệnh", "giường", "310", "103,3"]])
    fs = run(["malformed_number"], tables=[t])
    assert [(f.stated, f.expected) for f in fs] == [("133.33 %", 133.33)]


# --- metadata ------------------------------------------------------------------------------------

def test_a_copy_taken_before_issuance_has_no_number_or_date_yet():
    """Lâm Đồng People's Committee and its Home Affairs department, Bình Thuận business
    association: "Số: /BC-UBND", "Lâm Đồng, ngày   tháng 3 năm 2026", "Số:……../BC-K4 Dự thảo"."""
    for number in ("/BC-UBND", "/BC-K4", "……../BC-K4"):
        md = Metadata(document_type="báo cáo", report_number=number)
        assert run(["missing_metadata"], metadata=md) == []
    md = Metadata(document_type="báo cáo", report_number="45/BC-UBND", signer="Lê Văn Bình")
    assert [f.evidence["field"] for f in run(["missing_metadata"], metadata=md)] == ["date"]


def test_documents_that_carry_no_number_of_their_own():
    """A conference paper (Hải Dương information department), a list of fund payments (a
    youth union), an appendix whose header the reader could not place."""
    for md in (Metadata(document_type="tham luận"), Metadata(document_type="danh sách"),
               Metadata(title="Danh sách nộp quỹ đoàn quý III"), Metadata()):
        assert run(["missing_metadata"], metadata=md) == []


def test_a_document_issued_with_another_takes_its_number_and_date():
    """Nha Trang University: "HƯỚNG DẪN … (Ban hành kèm theo Quyết định số: 506/QĐ-ĐHNT, ngày
    16 tháng 5 năm 2019 của Hiệu trưởng …)" has no number or date of its own."""
    md = Metadata(document_type="hướng dẫn", issued_with="Quyết định số: 506/QĐ-ĐHNT, ngày 16 tháng 5 năm 2019")
    assert run(["missing_metadata"], metadata=md) == []


def test_issued_with_is_read_from_the_lines_under_the_title():
    from extractors.front.metadata import extract_metadata
    from extractors.sections.segment import segment
    from models.document import Document

    lines = ["HƯỚNG DẪN", "Thực hiện công tác tốt nghiệp trình độ đại học hệ chính quy",
             "(Ban hành kèm theo Quyết định số: 506 /QĐ-ĐHNT, ngày 16 tháng 5 năm 2019",
             "của Hiệu trưởng Trường Đại học Nha Trang)", "I. Các hình thức tốt nghiệp:",
             "Đầu mỗi học kỳ, khoa hướng dẫn sinh viên chọn một trong bốn hình thức tốt nghiệp."]
    doc = Document(source=_src(), blocks=[Paragraph(text=t, runs=[Run(text=t)]) for t in lines])
    md = extract_metadata(doc, segment(doc))
    assert md.issued_with.startswith("Quyết định số: 506 /QĐ-ĐHNT, ngày 16 tháng 5 năm 2019")


def test_a_sealed_scan_has_its_number_date_and_signer():
    """Quảng Ngãi People's Committee directives and a Bộ GD&ĐT decision (signed scans with a red
    seal): a handwritten number or day, a name under the seal, are not missing."""
    from models.document import SEAL_NOTE, PageQuality

    md = Metadata(document_type="chỉ thị", signer_title="Chủ tịch")
    rep = Report(source=_src(ocr=True), metadata=md)
    rep.source.pages = [PageQuality(page=1, method="ocr"), PageQuality(page=2, method="ocr", notes=[SEAL_NOTE])]
    assert rep.source.sealed and run_checks(rep, rules=["missing_metadata"], strict=True) == []
    rep.source.pages[1].notes = []
    assert {f.evidence["field"] for f in run_checks(rep, rules=["missing_metadata"], strict=True)} == {"date",
                                                                                                    "report_number"}


def test_a_field_missing_from_a_scan_is_doubtful():
    """Hà Nội storm committee (scan): the handwritten number "107" is no text to OCR."""
    md = Metadata(document_type="báo cáo", date="2020-08-02", signer="Văn Tuấn")
    fs = run(["missing_metadata"], metadata=md, ocr=True)
    assert [(f.evidence["field"], f.doubtful) for f in fs] == [("report_number", True)]
    assert fs[0].message.startswith("Bản quét có thể bị đọc sai")


def test_list_items_and_one_number_answers_are_not_empty_headings():
    """Hải Dương People's Committee, decision awarding emulation titles (scan): "1. Ông Lê Hồng
    Văn — Phó Chủ tịch …"; Hà Nội finance department notice: "1. Tổng số Phòng, đơn vị đã áp
    dụng ký số" answered by "02"."""
    secs = [sec("1", "1.", 1, "Ông Lê Hồng Văn — Phó Chủ tịch thường trực Ủy ban nhân dân tỉnh"),
            sec("2", "2.", 1, "Bà Đặng Thị Bích Liên — Phó Chủ tịch Ủy ban nhân dân tỉnh")]
    assert run(["empty_section"], secs) == []
    secs = [sec("1", "1.", 1, "Tổng số Phòng, đơn vị đã áp dụng ký số", "02"),
            sec("2", "2.", 1, "Tổng số Phòng, đơn vị chưa áp dụng ký số", "08\n(Chi tiết theo Phụ lục)"),
            sec("3", "3.", 1, "Kết quả triển khai", "")]
    assert [f.section for f in run(["empty_section"], secs)] == ["3"]


def test_a_scan_numbering_gap_across_pages_is_doubtful():
    """Ba Đình district weekly report (stamped scan): "1." on page 1, "5." on page 2 — the
    headings between them were lost by OCR. On one page, the gap stays a finding."""
    def at(s, page):
        return s.model_copy(update={"location": s.location.model_copy(update={"pages": [page]})})
    secs = [at(sec("1", "1.", 1, "Về quá trình tổ chức thực hiện", "Vận chuyển giàn giáo."), 1),
            at(sec("5", "5.", 1, "Kiến nghị, đề xuất", "Đề nghị UBND Thành phố chỉ đạo."), 2)]
    (f,) = run(["numbering_error"], secs, ocr=True)
    assert f.doubtful and f.message.startswith("Bản quét có thể bị đọc sai: một đề mục giữa «1.» và «5.»")
    (g,) = run(["numbering_error"], [at(s, 1) for s in secs], ocr=True)
    assert not g.doubtful


def test_a_scanned_column_numbering_row_is_no_data_row():
    """Bắc Giang industry and trade department, 10-month report 2012 (scan): the row of column
    numbers "A B C 1 2 3 4 3 Ố 7=3⁄2 … 10=3⁄5" became a parent "B | 1 | 2 | 3" of the figures."""
    rows = [["Stt", "Chỉ tiêu", "ĐVT", "KH 2012", "TH T9", "DT T10", "DT 10T", "TH T10/2011",
             "TH 10T/2011", "T10/T9", "10T/KH", "10T/10T", "T10/T10"],
            ["A", "B", "C", "1", "2", "3", "4", "3", "Ố", "7=3⁄2", "", "9=4/6", "10=3⁄5"],
            ["1", "Giá trị SXCN (giá thực tế)", "Tỷ.đ", "24.755,0", "3.117,3", "3.416,5", "20.886,0",
             "2.441,4", "16.935,2", "109,6", "84,4", "123,3", "139,9"],
            ["2", "Giá trị SXCN (giá CĐ 94)", "Tỷ.đ", "6.780,0", "633,0", "646,6", "5.591,3",
             "466,7", "4.529,5", "102,1", "82,5", "123,4", "138,5"]]
    rec = extracted(rows, ocr=True)
    assert rec.rows[0][1] == "Giá trị SXCN (giá thực tế)" and rec.parent_rows == []


def test_ocr_reading_artefacts_are_not_malformed_numbers():
    """Tây Đô University survey (re-OCR'd): "1 34", "178.", "14,", "7.46%%", "84.4" — a gap, a
    trailing mark, a doubled sign, a comma read as a point. "1,689,00" stays, as doubtful."""
    t = tab(["TT", "Nội dung", "Số phiếu", "Tỷ lệ", "Kinh phí"],
            [["1", "Hài lòng", "1 34", "84.4", "1,689,00"], ["2", "Bình thường", "178.", "7.46%%", "250,00"],
             ["3", "Không hài lòng", "14,", "6,2", "300,50"]])
    fs = run(["malformed_number"], tables=[t], ocr=True)
    assert [(f.stated, f.doubtful) for f in fs] == [("1,689,00", True)]


def test_fill_in_lines_of_a_form_are_not_empty_sections():
    """Lệ Thủy district inspectorate, a Party member's self-assessment (TCVN3 .doc): "4-Kết quả
    bỏ phiếu xếp loại của chi bộ" and "5-Ý kiến nhận xét … của cấp uỷ cơ sở", each over a dotted
    line the Party cell fills in later."""
    dots = "." * 60
    secs = [sec("1", "1.", 1, "Tự kiểm điểm", "Bản thân luôn chấp hành tốt chủ trương của Đảng."),
            sec("2", "2-", 1, "Biện pháp khắc phục", "Tăng cường học tập nâng cao trình độ."),
            sec("3", "3.", 1, "Tự nhận loại: Đảng viên đủ tư cách hoàn thành tốt nhiệm vụ"),
            sec("4", "4-", 1, "Kết quả bỏ phiếu xếp loại của chi bộ", dots),
            sec("5", "5-", 1, "Ý kiến nhận xét và xếp loại của cấp uỷ cơ sở", dots)]
    assert run(["empty_section"], secs) == []


def test_large_amounts_rounded_one_by_one():
    """Hoàng Văn Thụ lower-secondary school, July 2020 payroll: insurance shares worked out as
    17,5 % / 3 % / 1 % and rounded each — 66.287.995 + 11.363.656 + 3.787.885 = 81.439.536
    against a rounded total of 81.439.537. A count off by one is still an error."""
    t = tab(["Khoản", "Ghi chú", "Số tiền"],
            [["Thanh toán BHXH (17,5%)", "", "66.287.995"], ["Thanh toán BHYT (3%)", "", "11.363.656"],
             ["Thanh toán BHTN (1%)", "", "3.787.885"]], ["CỘNG", "", "81.439.537"])
    assert run(SUMS, tables=[t]) == []
    t2 = tab(["TT", "Chi hội", "Số hội viên"], [["1", "Chi hội 1", "45"], ["2", "Chi hội 2", "52"]],
             ["", "Cộng", "98"])
    assert [f.computed for f in run(SUMS, tables=[t2])] == [97]


def test_numbers_a_pdf_text_layer_spaced_out_are_not_malformed():
    """Same payroll (PDF): the total row reads "5 .681.828", "2 49,84" — letter spacing."""
    t = tab(["TT", "Khoản", "BHYT", "Hệ số"],
            [["1", "Biên chế", "5.573.654", "245,00"], ["2", "Hợp đồng", "108.174", "4,84"]],
            ["", "Tổng cộng", "5 .681.828", "2 49,84"])
    rep = Report(source=Source(path="x.pdf", sha256="0" * 64, format=Format.PDF, size=1), tables=[t],
                 metadata=Metadata(document_type="báo cáo", report_number="1/BC", date="2020-07-01", signer="A"))
    assert run_checks(rep, rules=["malformed_number"], strict=True) == []


def test_a_column_numbering_row_with_formulas_is_no_data_row():
    """Quảng Bình emulation and commendation summary 2022 (.docx): under the header, "1 | 2 | 3 |
    … | 7 (6:3) | … | 11 (10:3)"; taken for a data row it added 3, 6, 8 … to every total."""
    rows = [["TT", "Hình thức khen thưởng", "Tổng số", "Doanh nghiệp", "Cá nhân", "Tỷ lệ"],
            ["1", "2", "3", "4", "5", "6 \n(5:3)"],
            ["1", "Bằng khen", "779", "37", "379", "0,65%"],
            ["2", "Chiến sĩ thi đua cấp tỉnh", "127", "8", "127", "100%"],
            ["", "Tổng cộng", "906", "45", "506", ""]]
    rec = extracted(rows)
    assert rec.rows[0][1] == "Bằng khen"
    assert run(SUMS, tables=[rec]) == []


def test_negative_point_decimals_in_an_export():
    """Lào Cai social insurance, monthly health-insurance report (software export, .docx):
    "Tỷ lệ % tăng giảm | 9.91 | … | -7.97 | -7.5" beside counts written "72065", "743870" —
    "-7.97" is -7,97 %, and a "-797" reading would be a hundred times off."""
    t = tab(["Chỉ tiêu", "Trong kỳ / Tổng lượt", "Trong kỳ / Lượt ngoại", "Lũy kế / Tổng lượt", "Lũy kế / Lượt ngoại"],
            [["Năm nay", "72065", "57706", "743870", "592978"], ["Năm trước", "79988", "63608", "688945", "551587"],
             ["Tỷ lệ % tăng giảm", "9.91", "9.28", "-7.97", "-7.5"]])
    assert run(["malformed_number"], tables=[t]) == []


def test_english_thousands_and_an_item_that_lost_its_number():
    """Bình Thuận business association, fund statement (scan, second OCR reading): "260,700"
    among "414,341,246" is 260.700, not 260,7; "III | Chi ra" and "1 | Phí duy trì Ipay" lost
    their numbers, so the items 2, 3, 4 … hung under "Phí duy trì Ipay"."""
    rows = [["STT", "Diễn giải", "Số tiền"],
            ["I", "Số dư đầu kỳ", "414,341,246"],
            ["II", "Thu vào", "102,099,476"], ["1", "Tiền lãi có kỳ hạn", "102,099,476"],
            ["", "Chỉ ra", "203,618,352"], ["", "Phí duy trì Ipay", "260,700"],
            ["2", "Phí thông báo biến động số dư", "297,000"], ["3", "Phí chuyển tiền", "38,500"],
            ["4", "Hoàn trả hội viên góp vốn", "70,000,000"], ["5", "Chi hỗ trợ hoạt động", "133,022,152"],
            ["IV", "Số dư cuối kỳ", "312,822,370"]]
    rec = extracted(rows, ocr=True)
    assert 4 not in rec.parent_rows  # "Phí duy trì Ipay" is item 1, no parent
    assert run(["row_sum_mismatch"], tables=[rec], ocr=True) == []


def test_several_breaks_in_one_scanned_list_are_doubtful():
    """Bắc Giang industrial zones board (scan): "1-" … "8-" read as "4-", "3-", "7-", "8-" — a
    list read that unreliably makes each of its breaks doubtful."""
    secs = [sec(lab.rstrip("-"), lab, 1, f"Mục {lab}", "Ban đã chú trọng thực hiện nhiệm vụ.")
            for lab in ["4-", "3-", "7-", "8-"]]
    fs = run(["numbering_error"], secs, ocr=True)
    assert len(fs) == 2 and all(f.doubtful for f in fs)


def test_a_table_continued_over_pages_and_groups_listed_with_their_members():
    """Tây Đô University learner survey 2025: "KHOA/ LỚP | SĨ SỐ | SỐ LƯỢNG PHẢN HỒI" split
    over pages 3–5, each faculty row above its classes, the total on the last page. The
    faculties add up to the total only with the part on page 3; all rows come to about twice it."""
    cols = ["KHOA/ LỚP", "SĨ SỐ", "SỐ LƯỢNG PHẢN HỒI"]
    first = TableRecord(id="t1", section="2.3", columns=cols, rows=[
        ["Bộ môn Du lịch", "66", "50"], ["Đại học Quản trị dịch vụ du lịch 16", "19", "8"],
        ["Đại học Quản trị khách sạn 16", "34", "34"], ["Đại học Việt Nam học 16", "14", "8"],
        ["Khoa Dược - Điều dưỡng", "178", "160"], ["Đại học Điều dưỡng 16A", "51", "47"],
        ["Đại học Điều dưỡng 16B", "50", "49"], ["Đại học Dược học 15", "29", "26"],
        ["Đại học Dược sĩ 17B", "48", "38"]])
    second = TableRecord(id="t2", section="2.3", columns=cols, rows=[
        ["Khoa Luật", "45", "16"], ["Đại học Luật kinh tế 16", "45", "16"],
        ["Khoa Ngoại ngữ", "90", "27"], ["Đại học Ngôn ngữ Anh 16A", "47", "13"],
        ["Đại học Ngôn ngữ Anh 16B", "43", "14"]], total_row=["Tổng cộng", "379", "253"])
    assert run(SUMS, tables=[first, second]) == []
    # a total that is no reading of the rows at all is still flagged
    wrong = second.model_copy(update={"total_row": ["Tổng cộng", "200", "60"]})
    assert [f.table_value for f in run(["total_mismatch"], tables=[wrong])] == [200, 60]


def test_a_heading_that_states_its_content():
    """Tây Đô University survey: "2.2. Có 5 mức đánh giá." above a one-row table of the five
    levels (a table with no body, which the extractor does not keep)."""
    secs = [sec("2", "2.", 1, "Nội dung báo cáo"),
            sec("2.1", "2.1.", 2, "Nội dung khảo sát", "- Dịch vụ chăm sóc, hỗ trợ đời sống người học;"),
            sec("2.2", "2.2.", 2, "Có 5 mức đánh giá"),
            sec("2.3", "2.3.", 2, "Số người học tham gia khảo sát", "Tổng số 1.599 người học.")]
    assert run(["empty_section"], secs) == []


def test_fields_written_in_by_hand_on_a_signed_scan_are_not_missing():
    """Quảng Ngãi People's Committee (signed scans): "Quảng Ngãi, ngày __ tháng 01 năm 2025" with
    the day written in, "Số: __/CT-UBND" with the numeral written in, "PHÓ CHỦ TỊCH" with the
    name under the seal: each line was read, only the handwriting was not."""
    md = Metadata(document_type="chỉ thị", place="Quảng Ngãi", signer_title="Phó Chủ tịch",
                  dated_line=True)
    assert run(["missing_metadata"], metadata=md, ocr=True) == []
    # the same absences in a Word file are omissions
    assert sorted(f.evidence["field"] for f in run(["missing_metadata"], metadata=md)) == [
        "date", "report_number", "signer"]
    # a scan without any place-and-date line still says so, as a doubtful reading, even when a
    # place was inferred from the issuer's name
    fs = run(["missing_metadata"], metadata=Metadata(document_type="báo cáo", signer="Văn Tuấn",
                                                      place="Đức Chính"), ocr=True)
    assert [(f.evidence["field"], f.doubtful) for f in fs] == [("date", True), ("report_number", True)]

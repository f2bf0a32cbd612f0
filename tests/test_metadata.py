"""Report metadata (extractors.front.metadata.extract_metadata and its parts): the sample corpus in every
form scored with the corpus's evaluate.py; our own reports with other header and signature
layouts (a layout table in Word, lines of text as a PDF or a scan gives them); the parsers of
periods, dates, numbers and signatures on their own, OCR slips included."""
from __future__ import annotations

import json

import pytest

from conftest import DOCS, GOLD, REAL, load_evaluate
from extractors.front.header import read_header, read_number, strip_motto
from extractors.front.metadata import extract_metadata
from extractors.front.periods import find_period
from extractors.front.placedate import find_place_date
from extractors.readers import read_document
from extractors.sections.regions import Line
from extractors.front.signature import looks_like_name, read_signature, title_of_role
from extractors.sections.segment import segment
from extractors.text.vntext import CaseModel, restore_case
from test_structure import _corpus_cases, build_docx, plain_document, read_or_skip


def metadata_of(doc):
    return extract_metadata(doc, segment(doc))


# -- the sample corpus, every form ----------------------------------------------------------------
@pytest.mark.parametrize("name,form", _corpus_cases())
def test_corpus_metadata_score(name: str, form: str, corpus, read):
    ev = load_evaluate()
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))["metadata"]
    md = metadata_of(read_or_skip(read, DOCS / f"{name}.{form}"))
    score = ev.score_metadata(gold, md.model_dump())
    print(f"\n{name}.{form}: metadata {score:.2f} {md.model_dump()}")
    assert score >= (0.7 if form == "scan.pdf" else 0.8), md.model_dump()
    # the unscored fields too, as a reviewer reads them
    assert md.document_type == "báo cáo"
    assert md.signer_title == gold["signer_title"]
    if form != "scan.pdf":
        assert md.title == gold["title"] and md.issuer == gold["issuer"]


# -- other layouts -------------------------------------------------------------------------------
SCHOOL = """
[header]
ỦY BAN NHÂN DÂN HUYỆN HẢI HÀ|||CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
PHÒNG GIÁO DỤC VÀ ĐÀO TẠO|||Độc lập - Tự do - Hạnh phúc
Số: 05/BC-PGDĐT|||Hải Hà, ngày 05/01/2022
[/header]
= BÁO CÁO
= SƠ KẾT HỌC KỲ I
= NĂM HỌC 2021 - 2022
Thực hiện chỉ đạo của Sở Giáo dục và Đào tạo, Phòng Giáo dục và Đào tạo huyện Hải Hà báo cáo như sau:
# I. KẾT QUẢ
Toàn huyện có 42 trường với 15.230 học sinh.
# II. PHƯƠNG HƯỚNG HỌC KỲ II
Tiếp tục nâng cao chất lượng dạy học.
[sign]
Nơi nhận:|||KT. TRƯỞNG PHÒNG
- Sở GD&ĐT (b/c);|||PHÓ TRƯỞNG PHÒNG
- Lưu: VT.|||
|||Đỗ Thị Hạnh
[/sign]
"""


def test_header_and_signature_tables(tmp_path):
    md = metadata_of(read_document(build_docx(tmp_path / "school.docx", SCHOOL)))
    assert md.document_type == "báo cáo"
    assert md.report_number == "05/BC-PGDĐT"
    assert (md.place, md.date) == ("Hải Hà", "2022-01-05")  # "ngày 05/01/2022"
    assert md.issuer == "Phòng Giáo dục và Đào tạo huyện Hải Hà"  # the parent's place, body's capitals
    assert md.title == "Sơ kết học kỳ I năm học 2021 - 2022"
    # "học kỳ I năm học 2021 - 2022": the first half of the school year
    assert (md.period.start, md.period.end) == ("2021-09-01", "2022-01-31")
    assert (md.signer, md.signer_title) == ("Đỗ Thị Hạnh", "Phó Trưởng phòng")


def test_lines_of_a_scan_mixing_both_columns():
    """A PDF/OCR reader's paragraphs: each header line holds both columns; 'Số' misread 'Sô';
    the signature block as lines, 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH'."""
    paras = [
        "UBND HUYỆN LƯƠNG SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "UBND XÃ CAO DƯƠNG Độc lập - Tự do - Hạnh phúc",
        "Sô: 17/TTr-UBND Cao Dương, ngày 02 tháng 4 năm 2026",
        "TỜ TRÌNH",
        "VỀ VIỆC PHÊ DUYỆT KẾ HOẠCH THU CHI QUÝ I NĂM 2026",
        "Căn cứ Luật Ngân sách nhà nước năm 2015, UBND xã Cao Dương trình như sau:",
        "I. NỘI DUNG",
        "Tổng thu ngân sách xã Cao Dương quý I là 1,2 tỷ đồng.",
        "Nơi nhận: KT. CHỦ TỊCH",
        "- HĐND xã; PHÓ CHỦ TỊCH",
        "- Lưu: VP.",
        "NGUYỄN VĂN HÒA",
    ]
    md = metadata_of(plain_document(paras, ocr=True))
    assert md.document_type == "tờ trình"
    assert md.report_number == "17/TTr-UBND"
    assert (md.place, md.date) == ("Cao Dương", "2026-04-02")
    assert md.issuer == "UBND xã Cao Dương"  # "UBND" stays as the header writes it
    assert (md.period.label, md.period.start, md.period.end) == ("quý I năm 2026", "2026-01-01", "2026-03-31")
    assert md.title == "Phê duyệt kế hoạch thu chi quý I năm 2026"
    assert (md.signer, md.signer_title) == ("Nguyễn Văn Hòa", "Phó Chủ tịch")


def test_fields_not_written_are_none(tmp_path):
    markup = """
[header]
UBND PHƯỜNG HỒNG PHONG|||CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HỘI KHUYẾN HỌC|||Độc lập - Tự do - Hạnh phúc
[/header]
= BÁO CÁO
= HOẠT ĐỘNG CỦA HỘI KHUYẾN HỌC
# I. KẾT QUẢ
Hội có 320 hội viên.
[sign]
|||TM. BAN CHẤP HÀNH
|||CHỦ TỊCH
[/sign]
"""
    md = metadata_of(read_document(build_docx(tmp_path / "bare.docx", markup)))
    assert md.report_number is None and md.date is None and md.signer is None
    assert md.period.start is None and md.period.end is None and md.period.label is None
    assert md.signer_title == "Chủ tịch"
    # no place-and-date line: the place is the locality the issuer is named after
    assert md.place == "Hồng Phong" and md.issuer == "Hội khuyến học phường Hồng Phong"


def test_duration_period_takes_its_start_from_the_body(tmp_path):
    markup = """
[header]
ỦY BAN NHÂN DÂN XÃ TÂN LẬP|||CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 88/BC-UBND|||Tân Lập, ngày 20 tháng 6 năm 2025
[/header]
= BÁO CÁO
= SƠ KẾT 10 NĂM THỰC HIỆN NGHỊ QUYẾT SỐ 05-NQ/TU
# I. KẾT QUẢ
Trong 10 năm kể từ năm 2015, xã đã xây dựng 12 km đường.
"""
    md = metadata_of(read_document(build_docx(tmp_path / "ten.docx", markup)))
    assert (md.period.start, md.period.end) == ("2015-01-01", "2025-06-20")
    assert md.title == "Sơ kết 10 năm thực hiện Nghị quyết số 05-NQ/TU" or md.title.startswith("Sơ kết 10 năm")


# -- the parts on their own ----------------------------------------------------------------------
@pytest.mark.parametrize("text,label,start,end", [
    ("6 THÁNG ĐẦU NĂM 2020", "6 tháng đầu năm 2020", "2020-01-01", "2020-06-30"),
    ("phương hướng 6 tháng cuối năm 2020", "6 tháng cuối năm 2020", "2020-07-01", "2020-12-31"),
    ("Công tác cải cách hành chính quý I năm 2026 và phương hướng quý II năm 2026",
     "quý I năm 2026", "2026-01-01", "2026-03-31"),
    ("KẾT QUẢ QUÝ IV/2023", "quý IV/2023", "2023-10-01", "2023-12-31"),
    ("năm 2022", "năm 2022", "2022-01-01", "2022-12-31"),
    ("TỔNG KẾT NĂM HỌC 2021 - 2022", "năm học 2021 - 2022", "2021-09-01", "2022-05-31"),
    ("từ ngày 15/12/2024 đến ngày 14/3/2025", "từ ngày 15/12/2024 đến ngày 14/3/2025", "2024-12-15", "2025-03-14"),
    ("NHIỆM KỲ 2019-2024", "nhiệm kỳ 2019-2024", "2019-01-01", "2024-12-31"),
    ("giai đoạn 2016 - 2020", "giai đoạn 2016 - 2020", "2016-01-01", "2020-12-31"),
    ("kết quả triển khai Đề án 06 tháng 10/2025", "tháng 10/2025", "2025-10-01", "2025-10-31"),
    ("9 tháng năm 2023", "9 tháng năm 2023", "2023-01-01", "2023-09-30"),
    ("TINH HINH 6 THANG DAU NAM 2020", "6 thang dau nam 2020", "2020-01-01", "2020-06-30"),  # OCR without accents
])
def test_periods(text, label, start, end):
    p = find_period(text)
    assert p is not None and (p.label, p.first, p.last) == (label, start, end)


def test_period_since_a_year_ends_on_the_report_date():
    p = find_period("Trong 5 năm từ 2016 đến nay", {"date": "2021-03-16"})
    assert (p.first, p.last) == ("2016-01-01", "2021-03-16")
    assert find_period("Trong 5 năm từ 2016 đến nay").last is None  # no report date: no end


@pytest.mark.parametrize("line,place,date", [
    ("Mạo Khê, ngày 16 tháng 3 năm 2021", "Mạo Khê", "2021-03-16"),
    ("Hải Hà, ngày 05/01/2022", "Hải Hà", "2022-01-05"),
    ("Mao Khe, ngay 16 thang 3 nam 2021", "Mao Khe", "2021-03-16"),  # OCR without accents
    ("Số: 45/BC-UBND Mạo Khê, ngày 16 tháng 3 năm 2021", "Mạo Khê", "2021-03-16"),
    ("TP. Hồ Chí Minh, ngày 1 tháng 7 năm 2024", "Hồ Chí Minh", "2024-07-01"),
    ("Bình Thuận, ngày   tháng 6 năm 2025", "Bình Thuận", None),  # a draft: day left blank
    ("Hà Nội, ngày 31 tháng 2 năm 2024", "Hà Nội", None),  # no such day
])
def test_place_and_date(line, place, date):
    pd = find_place_date(line)
    assert (pd.place, pd.date) == (place, date)


@pytest.mark.parametrize("line,number", [
    ("Số: 12/BC-TTHTCĐ", "12/BC-TTHTCĐ"), ("Sô: 45/BC-UBND", "45/BC-UBND"), ("Số: 07-BC/HND", "07-BC/HND"),
    ("Số:……../BC-K4", "/BC-K4"), ("Số 123/UBND-VX", "123/UBND-VX"), ("Số lượng: 12 người", None),
])
def test_report_number(line, number):
    assert read_number(line)[0] == number


def test_motto_is_cut_out_wherever_it_stands():
    assert strip_motto("UBND PHƯỜNG ĐỨC CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == "UBND PHƯỜNG ĐỨC CHÍNH"
    assert strip_motto("TRUNG TÂM HỌC TẬP CỘNG ĐỒNG Độc lập - Tự do - Hạnh phúc") == "TRUNG TÂM HỌC TẬP CỘNG ĐỒNG"
    h = read_header([Line(x, None, 0) for x in (
        "UBND THỊ XÃ ĐÔNG TRIỀU CỘNG HÒA XÃ HỘI CHỦ NGHĨA", "VIỆT NAM",
        "ỦY BAN NHÂN DÂN PHƯỜNG MẠO Độc lập - Tự do - Hạnh phúc", "KHÊ",
        "Số: 45/BC-UBND Mạo Khê, ngày 16 tháng 3 năm 2021")])
    assert h.issuer == "Ủy ban nhân dân phường Mạo Khê" and h.report_number == "45/BC-UBND"
    assert (h.place_date.place, h.place_date.date) == ("Mạo Khê", "2021-03-16")


def test_signatures():
    lines = lambda *xs: [Line(x, None, 0) for x in xs]  # noqa: E731
    s = read_signature(lines("Nơi nhận: TM. BAN GIÁM ĐỐC", "- Phòng GD&ĐT thị xã (b/c); GIÁM ĐỐC", "- Lưu."))
    assert (s.signer, s.title) == (None, "Giám đốc")
    s = read_signature(lines("T.M UBND PHƯỜNG", "P.CHỦ TỊCH", "Vũ Đức Quynh"))
    assert (s.signer, s.title) == ("Vũ Đức Quynh", "P.Chủ tịch")
    s = read_signature(lines("KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "NGUYỄN NGỌC PHÚC"))
    assert (s.signer, s.title) == ("Nguyễn Ngọc Phúc", "Phó Chủ tịch")
    assert [title_of_role(x) for x in ("GIÁM ĐỐC", "P.CHỦ TỊCH", "PHÓ CHỦ TỊCH", "CHỦ TỊCH")] == \
        ["Giám đốc", "P.Chủ tịch", "Phó Chủ tịch", "Chủ tịch"]
    assert not any(looks_like_name(x) for x in ("GIÁM ĐỐC", "Ban Giám đốc", "HIỆP HỘI DOANH NGHIỆP", "(Đã ký)"))


def test_capitals_restored_from_the_body():
    case = CaseModel(["Trung tâm học tập cộng đồng phường Đức Chính tổ chức 20 hội nghị.",
                      "Thực hiện Chỉ thị số 04-CT/TW của Ban Thường vụ Tỉnh ủy Quảng Ninh."])
    assert restore_case("KẾT QUẢ HOẠT ĐỘNG PHƯỜNG ĐỨC CHÍNH 6 THÁNG ĐẦU NĂM 2020", case) == \
        "Kết quả hoạt động phường Đức Chính 6 tháng đầu năm 2020"
    assert restore_case("THỰC HIỆN CHỈ THỊ SỐ 04-CT/TW CỦA BAN THƯỜNG VỤ TỈNH ỦY QUẢNG NINH", case) == \
        "Thực hiện Chỉ thị số 04-CT/TW của Ban Thường vụ Tỉnh ủy Quảng Ninh"


# -- the real files ------------------------------------------------------------------------------
def test_real_quarterly_report_metadata(read):
    md = metadata_of(read_or_skip(read, REAL / "vbai_bc_cchc_quyI_2026.docx"))
    assert md.document_type == "báo cáo" and md.report_number == "/BC-UBND"  # number left blank
    assert (md.place, md.date) == ("Lâm Đồng", None)  # "Lâm Đồng, ngày    tháng 3 năm 2026"
    assert (md.period.start, md.period.end) == ("2026-01-01", "2026-03-31")
    assert (md.signer, md.signer_title) == ("Nguyễn Ngọc Phúc", "Phó Chủ tịch")
    assert md.issuer == "Ủy ban nhân dân tỉnh Lâm Đồng"


@pytest.mark.slow
def test_real_pdf_term_report_metadata(read):
    md = metadata_of(read_or_skip(read, REAL / "vbai_hhdn_bc_nhiemky4.pdf"))
    assert md.report_number == "/BC-K4" and md.place == "Bình Thuận" and md.date is None
    assert (md.period.start, md.period.end) == ("2019-01-01", "2025-12-31")  # nhiệm kỳ IV (2019-2025)
    assert md.signer is None and md.signer_title == "Chủ tịch"
    assert md.issuer.casefold() == "hiệp hội doanh nghiệp tỉnh bình thuận"


def test_a_place_and_date_line_is_noted_even_when_its_date_is_unreadable(extract):
    """Metadata.dated_line: the line was there (Mạo Khê's header) or not (Đức Chính's report has
    none: its place is only inferred from the issuer's name)."""
    assert extract(DOCS / "mao-khe-2021-chi-thi-04.docx").metadata.dated_line
    rep = extract(DOCS / "duc-chinh-2020-h1.docx")
    assert rep.metadata.place == "Đức Chính" and not rep.metadata.dated_line

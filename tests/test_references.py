"""Cited documents and dates: codes of every shape (party "04-CT/TU", state "89/QĐ-TTg", with a
year "09/2008/QĐ-BGDĐT", công văn "123/UBND-VX", laws "43/2019/QH14"), their type, issuer,
date, section and sentence — on the sample reports in every form and on sentences of our own.
"""
from __future__ import annotations

import pytest

from conftest import DOCS
from extractors.text.dates import find_dates
from extractors.sections.outline import Outline
from extractors.references import extract_references, scan_references
from extractors.sections.segment import segment
from test_figures import FORMS, _read_or_skip, make_doc


def refs(text):
    return [r for r in scan_references(text) if r.kind != "date"]


# (text, kind, number, code, type_code, issuer_code, issuer, date)
CITATIONS = [
    ("Thực hiện Chỉ thị số 04-CT/TU ngày 27/4/2016 của Ban Thường vụ Tỉnh ủy Quảng Ninh về xây dựng",
     "Chỉ thị", "04", "04-CT/TU", "CT", "TU", "Ban Thường vụ Tỉnh ủy Quảng Ninh", "2016-04-27"),
    ("theo Quyết định số 09/2008/QĐ-BGDĐT ngày 24/3/2008 của Bộ giáo dục và đào tạo;",
     "Quyết định", "09/2008", "09/2008/QĐ-BGDĐT", "QĐ", "BGDĐT", "Bộ giáo dục và đào tạo", "2008-03-24"),
    ("Thực hiện Công văn số 123/UBND-VX ngày 05/3/2024 của UBND huyện về việc rà soát.",
     "Công văn", "123", "123/UBND-VX", None, "UBND", "UBND huyện", "2024-03-05"),
    ("(Kèm theo Kế hoạch số 38-KH/TU ngày 23/2/2021 của thị ủy) tại phường",
     "Kế hoạch", "38", "38-KH/TU", "KH", "TU", "thị ủy", "2021-02-23"),
    ("15 tiêu chí của thông tư 44/2014/TT-BGDĐT.",
     "Thông tư", "44/2014", "44/2014/TT-BGDĐT", "TT", "BGDĐT", None, None),
    ("theo Nghị định 100/2019/NĐ-CP của Chính phủ quy định xử phạt",
     "Nghị định", "100/2019", "100/2019/NĐ-CP", "NĐ", "CP", "Chính phủ", None),
    ("Luật số 43/2019/QH14 ngày 14 tháng 6 năm 2019", "Luật", "43/2019", "43/2019/QH14", None, "QH14", None, "2019-06-14"),
    ("Quy định số 05-QĐi/TW ngày 28/9/2018 của Bộ Chính trị", "Quy định", "05", "05-QĐi/TW", "QĐi", "TW", "Bộ Chính trị", "2018-09-28"),
    ("Chương trình số 07-CTr/TU của Thị ủy Đông Triều và", "Chương trình", "07", "07-CTr/TU", "CTr", "TU", "Thị ủy Đông Triều", None),
    ("Thông tư liên tịch số 01/2016/TTLT-BGDĐT-BNV của Bộ GD&ĐT và Bộ Nội vụ",
     "Thông tư liên tịch", "01/2016", "01/2016/TTLT-BGDĐT-BNV", "TTLT", "BGDĐT-BNV", "Bộ GD&ĐT và Bộ Nội vụ", None),
    ("căn cứ văn bản số 2200/KH-UBND ngày 12/02/2026", "Văn bản", "2200", "2200/KH-UBND", "KH", "UBND", None, "2026-02-12"),
    ("TỔNG KẾT 5 NĂM THỰC HIỆN CHỈ THỊ SỐ 04-CT/TW", "Chỉ thị", "04", "04-CT/TW", "CT", "TW", None, None),
    ("thông tư 44/2014/tt-bgdđt", "Thông tư", "44/2014", "44/2014/tt-bgdđt", "TT", "BGDĐT", None, None),
    ("Thực hiện Chỉ thị 04 của Tỉnh ủy, năm 2021", "Chỉ thị", "04", None, None, None, "Tỉnh ủy", None),
    ("Nghị quyết số 02/NQ-CP ngày 08/01/2026 của Chính phủ ban hành các nhiệm vụ",
     "Nghị quyết", "02", "02/NQ-CP", "NQ", "CP", "Chính phủ", "2026-01-08"),
]


@pytest.mark.parametrize("row", CITATIONS, ids=[c[0][:40] for c in CITATIONS])
def test_citations(row):
    text, kind, number, code, type_code, issuer_code, issuer, date = row
    (r,) = refs(text)
    assert (r.kind, r.number, r.code, r.type_code, r.issuer_code, r.issuer, r.date) == (
        kind, number, code, type_code, issuer_code, issuer, date)
    assert text[r.start:r.end] == r.raw and r.raw.endswith(code or number)


def test_issuer_is_shared_along_a_chain_of_citations():
    text = ("Quyết định số 89/QĐ-TTg và Quyết định số 281/QĐ-TTg của Thủ tướng Chính phủ về xây dựng; "
            "Hướng dẫn số 12-HD/BTGTU, Quy định số 05-QĐi/TW của Bộ Chính trị")
    got = {r.code: r.issuer for r in refs(text)}
    assert got == {"89/QĐ-TTg": "Thủ tướng Chính phủ", "281/QĐ-TTg": "Thủ tướng Chính phủ",
                   "12-HD/BTGTU": None, "05-QĐi/TW": "Bộ Chính trị"}


@pytest.mark.parametrize("text,raw,iso", [
    ("ngày 24/3/2008", "ngày 24/3/2008", "2008-03-24"),
    ("Mạo Khê, ngày 16 tháng 3 năm 2021", "ngày 16 tháng 3 năm 2021", "2021-03-16"),
    ("trở về trường từ tháng 10/2020 nên", "tháng 10/2020", "2020-10"),
    ("so với năm 2019.", "năm 2019", "2019"),
    ("nhiệm kỳ 2020-2025.", "nhiệm kỳ 2020-2025", "2020/2025"),
    ("báo cáo quý I/2021", "quý I/2021", "2021-Q1"),
    ("Trong 5 năm từ 2016 đến nay", "từ 2016", "2016"),
    ("kỷ niệm ngày 20/11 hằng năm", "ngày 20/11", None),
])
def test_dates(text, raw, iso):
    (d,) = [r for r in scan_references(text) if r.kind == "date"]
    assert (d.raw, d.date) == (raw, iso)


@pytest.mark.parametrize("text", ["có 250/300 hộ đạt", "1/3 số hộ", "5-7 người", "đạt 96,5%",
                                  "Phòng GD&ĐT thị xã", "Kế hoạch 5 năm", "Covid-19", "trạm 4G"])
def test_not_references(text):
    assert scan_references(text) == ()
    assert find_dates(text) == []


def test_extract_references_keeps_section_sentence_location_and_skips_the_number_line():
    doc = make_doc(
        "Số: 45/BC-UBND",
        "Mạo Khê, ngày 16 tháng 3 năm 2021",
        "I. Công tác lãnh đạo",
        "- Sau khi nhận được Chỉ thị số 04-CT/TW của Ban Thường vụ Tỉnh ủy Quảng Ninh về xây dựng. "
        "Đã triển khai từ tháng 10/2020.",
        [["Văn bản", "Ngày"], ["Kế hoạch số 61/KH-UBND", "20/02/2014"]],
    )
    out = extract_references(doc, Outline(block_section={2: "I", 3: "I"}, body_end=len(doc.blocks)))
    assert [(r.kind, r.code or r.raw, r.section) for r in out] == [
        ("Chỉ thị", "04-CT/TW", "I"), ("date", "tháng 10/2020", "I")]
    ct, month = out
    assert ct.sentence.startswith("- Sau khi nhận được Chỉ thị") and ct.sentence.endswith("về xây dựng.")
    assert month.sentence == "Đã triển khai từ tháng 10/2020."
    assert ct.location.block == 3 and doc.blocks[3].text[ct.location.char_start:ct.location.char_end] == ct.raw


def test_a_title_broken_over_lines_keeps_its_issuer():
    doc = make_doc("BÁO CÁO", "TỔNG KẾT 5 NĂM THỰC HIỆN CHỈ THỊ SỐ 04-CT/TW",
                   "CỦA BAN THƯỜNG VỤ TỈNH ỦY QUẢNG NINH VỀ XÂY DỰNG XÃ HỘI HỌC TẬP", "I. Mở đầu")
    out = extract_references(doc, Outline(body_start=3, body_end=4))
    assert [(r.code, r.issuer, r.section) for r in out] == [
        ("04-CT/TW", "BAN THƯỜNG VỤ TỈNH ỦY QUẢNG NINH", None)]


@pytest.mark.parametrize("form", [pytest.param(f, marks=[pytest.mark.slow] if f in ("doc", "scan.pdf") else [])
                                  for f in FORMS])
def test_mao_khe_cites_04_ct_both_ways(read, corpus, form, capsys):
    doc = _read_or_skip(read, DOCS / f"mao-khe-2021-chi-thi-04.{form}")
    out = extract_references(doc, segment(doc))
    directives = [r for r in out if r.kind == "Chỉ thị" and r.number == "04"]
    codes = {r.code for r in directives}
    with capsys.disabled():
        print(f"\n[references] mao-khe.{form}: {len(out)} references, "
              f"{len([r for r in out if r.kind != 'date'])} citations; 04-CT as {sorted(codes)}")
    if form == "scan.pdf":  # OCR may misread a letter of a code; the citations must still be there
        assert len(directives) >= 3
        return
    assert codes == {"04-CT/TW", "04-CT/TU"}
    tu = next(r for r in directives if r.code == "04-CT/TU" and r.date)
    assert (tu.issuer, tu.date) == ("Ban Thường vụ Tỉnh ủy Quảng Ninh", "2016-04-27")
    tw = [r for r in directives if r.code == "04-CT/TW"]  # the title's (in capitals) and section I's
    assert len(tw) == 2 and all(r.issuer and r.issuer.lower() == "ban thường vụ tỉnh ủy quảng ninh" for r in tw)
    kh = next(r for r in out if r.code == "38-KH/TU")
    assert (kh.kind, kh.issuer, kh.date) == ("Kế hoạch", "thị ủy", "2021-02-23")
    assert not any(r.code == "45/BC-UBND" for r in out)  # the report's own number is metadata


@pytest.mark.parametrize("form", [pytest.param(f, marks=[pytest.mark.slow] if f in ("doc", "scan.pdf") else [])
                                  for f in FORMS])
def test_duc_chinh_decisions(read, corpus, form):
    doc = _read_or_skip(read, DOCS / f"duc-chinh-2020-h1.{form}")
    out = extract_references(doc, segment(doc))
    qd = {r.code: r for r in out if r.kind == "Quyết định"}
    if form == "scan.pdf":
        assert len(qd) >= 1
        return
    r = qd["09/2008/QĐ-BGDĐT"]
    assert (r.number, r.type_code, r.issuer_code, r.date) == ("09/2008", "QĐ", "BGDĐT", "2008-03-24")
    assert r.issuer.lower() == "bộ giáo dục và đào tạo"
    assert qd["3607/2010/QĐ-UBND"].issuer == "UBND tỉnh Quảng Ninh"
    assert not any(r.code and r.code.startswith("12/BC") for r in out)


# --- reference_mismatch: one document, two issuer codes, neither TW nor TU (issue 10) ---------

def _mismatch(texts, report_number="15/BC-XYZ"):
    from checks import run_checks
    from models.document import Format, Source
    from models.report import Metadata, Report, Section

    secs = [Section(number=n, title="t", level=1, label=f"{n}.", text=t)
            for n, t in zip(["I", "II", "III", "IV"], texts)]
    rep = Report(source=Source(path="x.docx", sha256="0" * 64, format=Format.DOCX, size=0), sections=secs,
                 metadata=Metadata(report_number=report_number))
    return [(f.stated, f.expected, f.evidence["expected_by"])
            for f in run_checks(rep, rules=["reference_mismatch"], strict=True)]


@pytest.mark.parametrize("texts,found", [
    # the code that spells the issuer's name: Hội Nông dân huyện → HND; the other is a slip
    (["Thực hiện Kế hoạch số 07-KH/HND ngày 02/01/2024 của Ban Thường vụ Hội Nông dân huyện về công tác năm 2024.",
      "Triển khai Kế hoạch số 07-KH/HPN của Ban Thường vụ Hội Nông dân huyện đến các chi hội."],
     [("07-KH/HPN", "07-KH/HND", "issuer_initials")]),
    # a state code: the Trung tâm Y tế's plan is TTYT, not YT
    (["Căn cứ Kế hoạch số 112/KH-TTYT ngày 05/3/2024 của Trung tâm Y tế huyện về phòng chống dịch.",
      "Thực hiện Kế hoạch số 112/KH-YT của Trung tâm Y tế huyện, trạm đã tổ chức tiêm chủng."],
     [("112/KH-YT", "112/KH-TTYT", "issuer_initials")]),
])
def test_issuer_codes_tied_resolved_by_the_issuers_name(texts, found):
    assert _mismatch(texts) == found


def test_issuer_codes_tied_resolved_by_the_reports_own_code():
    texts = ["Thực hiện Kế hoạch số 05-KH/HNDT ngày 02/01/2024 của Ban Thường vụ Hội Nông dân.",
             "Tiếp tục thực hiện Kế hoạch số 05-KH/HND của Ban Thường vụ Hội Nông dân."]
    # "Hội Nông dân" spells HND as well as HNDT; the report is the office's own (HNDT)
    assert _mismatch(texts, report_number="20-BC/HNDT") == [("05-KH/HND", "05-KH/HNDT", "own_code")]
    # nothing else to go by: the citation that gives the date
    assert _mismatch(texts, report_number=None) == [("05-KH/HND", "05-KH/HNDT", "dated_citation")]


@pytest.mark.parametrize("texts", [
    # same code both times
    ["Thực hiện Kế hoạch số 07-KH/HND của Hội Nông dân huyện.", "Kế hoạch số 07-KH/HND của Hội Nông dân huyện."],
    # different issuers named: two documents
    ["Thực hiện Kế hoạch số 07-KH/HND của Hội Nông dân huyện.",
     "Thực hiện Kế hoạch số 07-KH/HPN của Hội Liên hiệp Phụ nữ huyện."],
    # different dates: two documents
    ["Kế hoạch số 07-KH/HND ngày 02/01/2024 của Hội Nông dân huyện.",
     "Kế hoạch số 07-KH/HPN ngày 15/3/2024 của Hội Nông dân huyện."],
])
def test_no_reference_mismatch_when_not_one_document(texts):
    assert _mismatch(texts) == []


# --- reference_mismatch, second held-out round: the issuer shortened, a prefix, a department ----

@pytest.mark.parametrize("texts,found", [
    # the issuer named in full once, shortened once; the same number and date
    (["Thực hiện Kế hoạch số 15/KH-HCCB ngày 05/02/2024 của Ban Thường vụ Hội Cựu chiến binh huyện Yên Dũng "
      "về công tác Hội năm 2024.",
      "Các chi hội bám sát Kế hoạch số 15/KH-UBND ngày 05/02/2024 của Hội Cựu chiến binh huyện."],
     [("15/KH-UBND", "15/KH-HCCB", "issuer_initials")]),
    # a central body's code begins with TW; the drafting department ("-BTG") is part of the code
    (["Căn cứ Hướng dẫn số 12-HD/TWHPN-BTG ngày 03/4/2024 của Đoàn Chủ tịch Trung ương Hội LHPN Việt Nam.",
      "Việc tuyên truyền thực hiện theo Hướng dẫn số 12-HD/THPN-BTG ngày 03/4/2024 của Đoàn Chủ tịch Trung "
      "ương Hội LHPN Việt Nam."],
     [("12-HD/THPN-BTG", "12-HD/TWHPN-BTG", "issuer_prefix")]),
])
def test_reference_mismatch_issuer_shortened_or_by_prefix(texts, found):
    assert _mismatch(texts) == found


@pytest.mark.parametrize("texts", [
    # the shortened name is of another body
    ["Thực hiện Kế hoạch số 15/KH-HCCB ngày 05/02/2024 của Ban Thường vụ Hội Cựu chiến binh huyện.",
     "Thực hiện Kế hoạch số 15/KH-UBND ngày 05/02/2024 của UBND huyện."],
    # a name within the other but another date: two documents
    ["Thực hiện Kế hoạch số 15/KH-HCCB ngày 05/02/2024 của Ban Thường vụ Hội Cựu chiến binh huyện Yên Dũng.",
     "Thực hiện Kế hoạch số 15/KH-UBND ngày 20/3/2024 của Hội Cựu chiến binh huyện."],
    # two words in common and no date to tie them
    ["Thực hiện Kế hoạch số 15/KH-HCCB của Ban Thường vụ Hội Cựu chiến binh huyện.",
     "Thực hiện Kế hoạch số 15/KH-UBND của UBND huyện Yên Dũng."],
])
def test_no_reference_mismatch_for_another_issuer_or_date(texts):
    assert _mismatch(texts) == []


def test_reference_mismatch_code_with_a_space_a_scan_read_after_the_hyphen():
    texts = ["Thực hiện Kế hoạch số 15/KH-HCCB ngày 05/02/2024 của Ban Thường vụ Hội Cựu chiến binh huyện Yên "
             "Dũng về công tác Hội năm 2024.",
             "Các chi hội bám sát Kế hoạch số 15/KH- UBND ngày 05/02/2024 của Hội Cựu chiến binh huyện."]
    assert _mismatch(texts) == [("15/KH-UBND", "15/KH-HCCB", "issuer_initials")]


# --- reference_mismatch, third held-out round: no issuer named, the same day and subject ----------

def test_reference_mismatch_same_day_and_subject_without_an_issuer():
    texts = ["Căn cứ Kế hoạch số 31/KH-UBND ngày 02/3/2025 của UBND phường về tổng điều tra cơ sở kinh tế "
             "năm 2025 trên địa bàn, phường triển khai.",
             "Thực hiện Kế hoạch số 31/KH-BCĐ ngày 02/3/2025 về tổng điều tra cơ sở kinh tế năm 2025 trên địa "
             "bàn, các tổ dân phố đã lập danh sách."]
    assert [m[:2] for m in _mismatch(texts)] == [("31/KH-BCĐ", "31/KH-UBND")]


def test_reference_mismatch_same_day_nothing_to_tell_them_apart():
    """A commune culture office (fourth held-out round): the decision recognising the cultured
    families, cited once as /QĐ-UBND and once as /QĐ-VHTT, the same day, no subject the second time."""
    texts = ["UBND xã đã ban hành Quyết định số 118/QĐ-UBND ngày 12/12/2024 công nhận danh hiệu "
             "\"Gia đình văn hóa\" năm 2024.",
             "Việc bình xét danh hiệu theo Quyết định số 118/QĐ-VHTT ngày 12/12/2024 bảo đảm dân chủ."]
    assert [m[:2] for m in _mismatch(texts, "45/BC-UBND")] == [("118/QĐ-VHTT", "118/QĐ-UBND")]


def test_a_kind_code_with_a_letter_read_twice_is_the_same_kind():
    """The same decision in a scan, its kind read "QĐĐ" the second time."""
    texts = ["UBND xã đã ban hành Quyết định số 118/QĐ-UBND ngày 12/12/2024 công nhận danh hiệu.",
             "Việc bình xét danh hiệu theo Quyết định số 118/QĐĐ-VHTT ngày 12/12/2024 bảo đảm dân chủ."]
    assert [m[:2] for m in _mismatch(texts, "45/BC-UBND")] == [("118/QĐĐ-VHTT", "118/QĐ-UBND")]


@pytest.mark.parametrize("texts", [
    # the same number and day, two issuers named: two registers
    ["Căn cứ Quyết định số 12/QĐ-UBND ngày 02/3/2025 của UBND xã Tân Hòa.",
     "Thực hiện Quyết định số 12/QĐ-HND ngày 02/3/2025 của Hội Nông dân xã."],
    # the same number and day, another subject: two plans issued the same day
    ["Căn cứ Kế hoạch số 31/KH-UBND ngày 02/3/2025 về tổng điều tra cơ sở kinh tế năm 2025.",
     "Thực hiện Kế hoạch số 31/KH-BCĐ ngày 02/3/2025 về phòng, chống dịch bệnh mùa hè."],
    # the same subject, another day
    ["Căn cứ Kế hoạch số 31/KH-UBND ngày 02/3/2025 về tổng điều tra cơ sở kinh tế năm 2025.",
     "Thực hiện Kế hoạch số 31/KH-BCĐ ngày 15/4/2025 về tổng điều tra cơ sở kinh tế năm 2025."],
])
def test_no_reference_mismatch_same_number_other_subject_or_day(texts):
    assert _mismatch(texts) == []

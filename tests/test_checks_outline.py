"""Outline, reference and metadata checks: empty_section, numbering_error, reference_mismatch,
missing_metadata — on outlines and citations as other offices write them."""
from __future__ import annotations

import pytest

from checks import RULE_IDS, RULES, run_checks
from models.document import Format, Provenance, Source
from models.report import Metadata, Reference, Report, Section, Severity, TableRecord


def src() -> Source:
    return Source(path="x.docx", sha256="0" * 64, format=Format.DOCX, size=0)


def outline(*items: tuple) -> list[Section]:
    """(number, label, level, text) tuples."""
    return [Section(number=n, title=f"Tiêu đề {n}", level=lv, label=lab, text=tx,
                    location=Provenance(paragraph=i))
            for i, (n, lab, lv, tx) in enumerate(items)]


def run(rule, sections=(), tables=(), metadata=None, references=(), title=None):
    md = metadata or Metadata(date="2023-03-28", signer="Bùi Văn Thắng", report_number="07-BC/HND", title=title)
    rep = Report(source=src(), sections=list(sections), tables=list(tables), metadata=md,
                 references=list(references))
    return run_checks(rep, rules=[rule], strict=True)


def test_registry_lists_every_rule_with_severity_and_titles():
    expected = {"total_mismatch", "row_sum_mismatch", "prose_table_mismatch", "count_mismatch",
                "implausible_percentage", "ratio_mismatch", "reference_mismatch", "empty_section",
                "numbering_error", "malformed_number", "missing_metadata"}
    assert expected <= set(RULES) and set(RULE_IDS) == set(RULES)
    for r in RULES.values():
        assert isinstance(r.severity, Severity) and r.title and r.title_en and callable(r.func)


# --- empty_section ---------------------------------------------------------------------------

def test_empty_headings_found_and_parents_with_content_below_are_not():
    secs = outline(("I", "I.", 1, "Nội dung phần I."),
                   ("II", "II.", 1, ""),
                   ("II.1", "1.", 2, "Đã tổ chức 14 buổi tuyên truyền."),
                   ("II.2", "2.", 2, ""),
                   ("II.3", "3.", 2, ""),
                   ("III", "III.", 1, "Trên đây là báo cáo kết quả công tác quý I năm 2023 của Hội."))
    tables = [TableRecord(id="t1", section="II.3", columns=["TT", "Chi hội", "Số hội viên"],
                          rows=[["1", "Chi hội A", "20"]])]
    fs = run("empty_section", secs, tables)
    assert [f.section for f in fs] == ["II.2", "III"]
    assert fs[0].location == Provenance(paragraph=3)


def test_a_heading_whose_subsections_are_all_empty_is_empty_too():
    secs = outline(("I", "I.", 1, "Có nội dung."), ("II", "II.", 1, ""),
                   ("II.1", "1.", 2, ""), ("II.2", "2.", 2, "- "))
    assert [f.section for f in run("empty_section", secs)] == ["II", "II.1", "II.2"]


# --- numbering_error ---------------------------------------------------------------------------

@pytest.mark.parametrize("labels,bad,expected", [
    (["I.", "II.", "IV."], ["IV"], ["III"]),
    (["I.", "II.", "III.", "III."], ["III"], ["IV"]),
    (["1.", "2.", "2."], ["2"], ["3"]),
    (["a)", "b)", "d)"], ["d"], ["c"]),
    (["1/", "3/"], ["3"], ["2"]),
    (["A.", "B.", "D."], ["D"], ["C"]),
])
def test_numbering_errors(labels, bad, expected):
    secs, seen = [], {}
    for i, lab in enumerate(labels):
        key = lab.strip(".)/")
        seen[key] = seen.get(key, 0) + 1
        number = key if seen[key] == 1 else f"{key}#{seen[key]}"
        secs.append(Section(number=number, title=f"Mục {i}", level=1, label=lab, text="x y"))
    fs = run("numbering_error", secs)
    assert [f.section for f in fs] == bad
    assert [f.expected for f in fs] == expected


@pytest.mark.parametrize("ocr,flagged", [(True, []), (False, ["II", "IV"])])
def test_ocr_misread_label_restored_by_segmentation_is_not_a_numbering_error(ocr, flagged):
    """A scan's "III." read as "II.": segmentation numbers it III from the sequence; the report
    did not repeat II, the OCR did. A typed report's repeated label is still flagged."""
    secs = [Section(number=n, title="t", level=1, label=lab, text="x y")
            for n, lab in [("I", "I."), ("II", "II."), ("III", "II."), ("IV", "IV.")]]
    rep = Report(source=src().model_copy(update={"ocr": ocr}), sections=secs,
                 metadata=Metadata(date="2023-03-28", signer="A", report_number="1/BC"))
    fs = run_checks(rep, rules=["numbering_error"], strict=True)
    assert [f.section for f in fs] == flagged


@pytest.mark.parametrize("items", [
    # letters, Vietnamese and Latin alphabets
    [("a", "a)", 1), ("b", "b)", 1), ("c", "c)", 1), ("d", "d)", 1), ("đ", "đ)", 1), ("e", "e)", 1), ("g", "g)", 1)],
    [("d", "d)", 1), ("e", "e)", 1), ("f", "f)", 1)],
    # restarts under a new parent
    [("I", "I.", 1), ("I.1", "1.", 2), ("I.2", "2.", 2), ("II", "II.", 1), ("II.1", "1.", 2), ("II.2", "2.", 2)],
    # a new part restarts Roman numbering
    [("A", "PHẦN I-", 1), ("A.I", "I.", 2), ("A.II", "II.", 2), ("B", "PHẦN II-", 1), ("B.I", "I.", 2)],
    [("I", "I.", 1), ("II", "II.", 1), ("I#2", "I.", 1), ("II#2", "II.", 1)],
    # dotted numbers
    [("II", "II.", 1), ("II.2", "2.", 2), ("II.2.1", "2.1:", 3), ("II.2.2", "2.2:", 3), ("II.2.10", "2.10:", 3)][:4],
    # unnumbered headings do not count
    [("I", "I.", 1), ("x1", None, 1), ("II", "II.", 1)],
])
def test_numbering_that_is_fine(items):
    secs = [Section(number=n, title="t", level=lv, label=lab, text="x y") for n, lab, lv in items]
    assert run("numbering_error", secs) == []


# --- reference_mismatch ------------------------------------------------------------------------

def sec(text, number="I"):
    return Section(number=number, title="t", level=1, label=f"{number}.", text=text)


def test_party_code_conflict_resolved_by_issuer():
    secs = [sec("Thực hiện Nghị quyết số 05-NQ/HU ngày 12/3/2021 của Ban Thường vụ Huyện ủy về phát triển kinh tế.", "I"),
            sec("Tiếp tục quán triệt Nghị quyết số 05-NQ/TU của Ban Thường vụ Huyện ủy đến cán bộ.", "II")]
    fs = run("reference_mismatch", secs)
    assert [(f.stated, f.expected, f.section) for f in fs] == [("05-NQ/TU", "05-NQ/HU", "II")]
    assert len(fs[0].evidence["occurrences"]) == 2


def test_state_code_conflict_resolved_by_issuer():
    secs = [sec("Căn cứ Quyết định số 1234/QĐ-UBND ngày 12/3/2020 của UBND tỉnh Hòa Bình về việc phê duyệt."),
            sec("Theo Quyết định số 1234/QĐ-HĐND ngày 12/3/2020 của UBND tỉnh Hòa Bình, xã đã triển khai.", "II")]
    fs = run("reference_mismatch", secs)
    assert [(f.stated, f.expected) for f in fs] == [("1234/QĐ-HĐND", "1234/QĐ-UBND")]


def test_title_and_references_are_read_too():
    refs = [Reference(raw="Chỉ thị số 04-CT/TU", kind="Chỉ thị", number="04", code="04-CT/TU",
                      issuer="Ban Thường vụ Tỉnh ủy Quảng Ninh", section=None,
                      sentence="Báo cáo sơ kết Chỉ thị số 04-CT/TU ngày 27/4/2016 của Ban Thường vụ Tỉnh ủy Quảng Ninh.")]
    fs = run("reference_mismatch", [sec("Không có trích dẫn.")], references=refs,
             title="Tổng kết 5 năm thực hiện Chỉ thị số 04-CT/TW của Ban Thường vụ Tỉnh ủy Quảng Ninh")
    assert [(f.stated, f.expected) for f in fs] == [("04-CT/TW", "04-CT/TU")]


def test_majority_when_the_issuer_has_no_known_code():
    secs = [sec("Thực hiện Kế hoạch số 12-KH/ĐTN của Ban Thường vụ Huyện đoàn Lương Sơn."),
            sec("Theo Kế hoạch số 12-KH/ĐTN của Ban Thường vụ Huyện đoàn Lương Sơn, chi đoàn đã tổ chức.", "II"),
            sec("Kế hoạch số 12-KH/HĐ của Ban Thường vụ Huyện đoàn Lương Sơn được triển khai.", "III")]
    fs = run("reference_mismatch", secs)
    assert [(f.stated, f.expected, f.evidence["expected_by"]) for f in fs] == [("12-KH/HĐ", "12-KH/ĐTN", "majority")]


@pytest.mark.parametrize("texts", [
    # two real documents: a Politburo directive and a provincial one with the same number
    ["Quán triệt Chỉ thị số 05-CT/TW của Bộ Chính trị về học tập và làm theo tư tưởng Hồ Chí Minh.",
     "Thực hiện Chỉ thị số 05-CT/TU của Tỉnh ủy về phát triển du lịch."],
    # same code, different dates: two documents
    ["Quyết định số 15/QĐ-UBND ngày 10/01/2022 của UBND xã.", "Quyết định số 15/QĐ-CT ngày 05/02/2023 của UBND xã."],
    # no issuer named at all
    ["Thực hiện Kế hoạch số 20-KH/TU và Kế hoạch số 20-KH/HU."],
])
def test_no_reference_mismatch_for_different_documents(texts):
    secs = [sec(t, n) for t, n in zip(texts, ["I", "II", "III"])]
    assert run("reference_mismatch", secs) == []


# --- missing_metadata ----------------------------------------------------------------------------

def test_missing_metadata_one_flag_per_field():
    fs = run("missing_metadata", metadata=Metadata(document_type="báo cáo", report_number="12/BC-UBND"))
    assert [(f.evidence["field"], f.severity) for f in fs] == [("date", Severity.WARNING),
                                                                ("signer", Severity.INFO)]
    assert all(f.message and f.message_en for f in fs)
    assert run("missing_metadata") == []


def test_run_in_heading_carrying_its_figures_is_not_empty():
    secs = [Section(number="1", title="Số hội viên toàn xã: 1.150 hội viên", level=1, label="1.", text=""),
            Section(number="2", title="Tỷ lệ hộ nghèo 3,2%", level=1, label="2.", text=""),
            Section(number="3", title="Phương hướng 6 tháng cuối năm 2020", level=1, label="3.", text="")]
    assert [f.section for f in run("empty_section", secs)] == ["3"]


def test_segmentation_marks_are_honoured():
    secs = outline(("I", "I.", 1, "Nội dung."), ("II", "II.", 1, ""), ("III", "III.", 1, ""))
    secs[2].empty = True  # segmentation saw something under II (a picture, a table filed elsewhere)
    assert [f.section for f in run("empty_section", secs)] == ["III"]
    secs[0].empty = True  # …but text under a heading is content whatever the mark says
    assert [f.section for f in run("empty_section", secs)] == ["III"]


def test_numbering_flag_names_the_section_as_written():
    secs = [Section(number="I", title="a", level=1, label="I.", text="x y"),
            Section(number="II", title="b", level=1, label="II.", text="x y"),
            Section(number="III", title="c", level=1, label="II.", text="x y")]  # renumbered by segmentation
    fs = run("numbering_error", secs)
    assert [(f.section, f.stated, f.expected) for f in fs] == [("II", "II.", "III")]


def test_table_of_contents_lines_are_not_empty_sections():
    """A university's strategy plan (text PDF) opens with MỤC LỤC: its lines carry dot leaders
    and page numbers; the sections come later with their content."""
    from checks.rules.sections import toc_entry
    assert toc_entry("I. BỐI CẢNH KINH TẾ XÃ HỘI……6")
    assert toc_entry("Phần thứ nhất: SỨ MẠNG, TẦM NHÌN……………………..5")
    assert toc_entry("III. PHÂN TÍCH SWOT . . . . . . 14")
    assert not toc_entry("2. Kết quả năm 2015") and not toc_entry("Kết quả ...")


def test_long_numbered_statements_are_items_not_empty_headings():
    from checks.rules.sections import statement
    assert statement("1.2 Kinh phí hoạt động KHCN, CGCN, dịch vụ tư vấn hàng năm đạt tối thiểu 10 – 15 tỷ "
                     "đồng giai đoạn 2014-2020 và 20 – 30 tỷ đồng giai đoạn 2021-2030")
    assert not statement("3. Công tác đấu thầu thuốc, vật tư y tế")
    assert statement("2.2. Nâng cao hiệu quả sử dụng tài sản, tiết kiệm chi tiêu, tránh lãng phí để nâng cao thu "
                     "nhập cho cán bộ, viên chức")
    # a long heading naming a topic (Mạo Khê's empty II.2.8) is a heading
    assert not statement("Công tác xã hội hóa giáo dục và việc huy động nguồn lực cho xây dựng XHHT, học tập suốt đời")

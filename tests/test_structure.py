"""Section segmentation (extractors.sections.segment.segment): the sample corpus in every form, scored
with the corpus's own evaluate.py; small reports of our own in other numbering styles (built
with python-docx in tmp_path, or as Documents for what a PDF/OCR reader gives); the real files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from conftest import DOCS, GOLD, REAL, load_evaluate
from extractors.readers import read_document
from extractors.sections.segment import segment
from models.document import Document, Format, Paragraph, Provenance, Run, Source, Table
from models.errors import ConversionError

REPORTS = ["duc-chinh-2020-h1", "mao-khe-2021-chi-thi-04"]
FORMS = ["docx", "doc", "pdf", "tcvn3.docx", "scan.pdf"]
SLOW_FORMS = {"doc", "scan.pdf"}


# -- helpers ------------------------------------------------------------------------------------
def read_or_skip(read, path: Path) -> Document:
    """Read with the session cache; skip while the form's reader is not written yet."""
    if not path.exists():
        pytest.skip(f"{path} not found")
    try:
        return read(path)
    except (ImportError, NotImplementedError) as e:
        pytest.skip(f"{path.name}: reader not available yet ({type(e).__name__}: {e})")
    except ConversionError as e:
        if isinstance(e.__cause__, (ImportError, NotImplementedError)) or "not available" in e.reason:
            pytest.skip(f"{path.name}: reader not available yet ({e.reason})")
        raise


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    table._tbl.tblPr.append(borders)


_NUMBERING = f"""<w:abstractNum {nsdecls("w")} w:abstractNumId="77">
<w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
</w:abstractNum>"""


def build_docx(path: Path, markup: str) -> Path:
    """A report typed as offices type them, from a small markup (one paragraph a line):
    '= t' centred bold, '# t' bold, '## label|rest' run-in (bold label), '#N t' Word automatic
    numbering at level N (I. / 1. / a)), '[header]' / '[sign]' borderless tables with cells
    split by '|||', '[table]' bordered data table with cells split by '|', else plain text."""
    doc = DocxDocument()
    numbered = False
    block: list[str] | None = None
    kind = ""
    for line in markup.strip("\n").splitlines():
        line = line.strip()
        if line in ("[header]", "[sign]", "[table]"):
            block, kind = [], line
            continue
        if line in ("[/header]", "[/sign]", "[/table]"):
            sep = "|" if kind == "[table]" else "|||"
            rows = [r.split(sep) for r in block]
            t = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            if kind == "[table]":
                t.style = "Table Grid"
            else:
                _borderless(t)
            for i, row in enumerate(rows):
                for j, text in enumerate(row):
                    p = t.cell(i, j).paragraphs[0]
                    if text:
                        r = p.add_run(text)
                        r.bold = kind != "[table]" and (text.isupper() or text.startswith("CỘNG HÒA"))
            block = None
            continue
        if block is not None:
            block.append(line)
            continue
        p = doc.add_paragraph()
        if line.startswith("= "):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(line[2:]).bold = True
        elif line.startswith("## "):
            label, _, rest = line[3:].partition("|")
            p.add_run(label).bold = True
            if rest:
                p.add_run(rest)
        elif line.startswith("# "):
            p.add_run(line[2:]).bold = True
        elif line[:1] == "#" and line[1:2].isdigit():
            if not numbered:
                numbering = doc.part.numbering_part.element
                numbering.insert(0, parse_xml(_NUMBERING))
                numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
                numbered = True
            p.add_run(line[3:]).bold = True
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{line[1]}"/><w:numId w:val="77"/></w:numPr>'))
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.add_run(line)
    doc.save(path)
    return path


def plain_document(paragraphs: list[str], ocr: bool = True) -> Document:
    """What a PDF or OCR reader may give: paragraphs without any bold."""
    blocks = [Paragraph(text=t, runs=[Run(text=t)], provenance=Provenance(block=i, pages=[1]))
              for i, t in enumerate(paragraphs)]
    src = Source(path="plain.pdf", sha256="0" * 64, format=Format.SCANNED_PDF if ocr else Format.PDF,
                 size=1, ocr=ocr)
    return Document(source=src, blocks=blocks)


def numbers(outline) -> list[str]:
    return [s.number for s in outline.sections]


def by_number(outline) -> dict:
    return {s.number: s for s in outline.sections}


# -- the sample corpus, every form ----------------------------------------------------------------
def _corpus_cases():
    out = []
    for name in REPORTS:
        for form in FORMS:
            marks = [pytest.mark.slow] if form in SLOW_FORMS else []
            out.append(pytest.param(name, form, id=f"{name}.{form}", marks=marks))
    return out


@pytest.mark.parametrize("name,form", _corpus_cases())
def test_corpus_sections_score(name: str, form: str, corpus, read):
    ev = load_evaluate()
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
    doc = read_or_skip(read, DOCS / f"{name}.{form}")
    outline = segment(doc)
    pred = [s.model_dump() for s in outline.sections]
    recall, precision = ev.score_sections(gold["sections"], pred, gold.get("sections_scope", "all"),
                                          gold.get("parts", False))
    print(f"\n{name}.{form}: sections recall {recall:.2f} precision {precision:.2f} ({len(pred)} found)")
    assert recall >= 0.95 and precision >= 0.95, [(s.number, s.title[:40]) for s in outline.sections]


@pytest.mark.parametrize("form", ["docx", "pdf", "tcvn3.docx"])
def test_corpus_outline_bookkeeping(form: str, corpus, read):
    """Empty sections, body bounds, block → section, headings — on mao-khe (six empty headings)."""
    doc = read_or_skip(read, DOCS / f"mao-khe-2021-chi-thi-04.{form}")
    o = segment(doc)
    secs = by_number(o)
    empty = {s.number for s in o.sections if s.empty}
    assert {"II.2.6", "II.2.8", "II.2.10", "II.2.11", "III.3", "V"} <= empty
    assert not empty & {"I", "II", "II.2", "II.2.1", "IV"}  # II.2 has no text but has subsections
    assert "Tỉ lệ biết chữ" in secs["II.2.1"].text  # the run-in heading's own text
    assert secs["II.2.1"].title == "Phổ cập giáo dục và xóa mù chữ"
    assert secs["II.2.1"].label == "2.1:" and secs["II.2.1"].level == 3
    assert secs["II.2"].label == "2." and secs["II"].level == 1
    # the header table and the title are front matter, the signature block closing matter
    assert isinstance(doc.blocks[0], Table) and o.block_section[0] is None
    assert o.body_start == secs["I"].location.block
    assert o.body_end is not None and o.body_end < len(doc.blocks)
    assert all(o.block_section[i] is None for i in range(o.body_end, len(doc.blocks)))
    assert o.heading_blocks == {s.location.block for s in o.sections}
    for i in range(o.body_start, o.body_end):
        assert o.block_section[i] in secs
    # a paragraph under II.2.2 belongs to II.2.2, the heading to itself
    assert o.section_of(secs["II.2.2"].location.block) == "II.2.2"


# -- our own small reports -------------------------------------------------------------------------
STYLES = """
[header]
UBND HUYỆN LƯƠNG SƠN|||CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
ỦY BAN NHÂN DÂN XÃ AN BÌNH|||Độc lập - Tự do - Hạnh phúc
Số: 03/BC-UBND|||An Bình, ngày 05/01/2022
[/header]
= BÁO CÁO
= KẾT QUẢ CÔNG TÁC NĂM 2021
Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2021 của UBND xã An Bình về nhiệm vụ năm 2021.
# I. ĐẶC ĐIỂM CHUNG
Xã An Bình có 6 thôn với 1.254 hộ.
# II- KẾT QUẢ THỰC HIỆN
## 1/ Công tác tuyên truyền:| Đã tổ chức 12 buổi tuyên truyền.
Các hoạt động đã tổ chức trong năm:
1. Học nghề ngắn hạn
2. Chuyên đề giáo dục pháp luật
3. Chuyên đề văn hóa xã hội
## 2.Kết quả thực hiện các chỉ tiêu:|
## 2.1: Chỉ tiêu kinh tế:| Tốc độ tăng trưởng đạt 7,5%.
## 2.2: Chỉ tiêu xã hội:|
a) Giáo dục
Tỷ lệ trẻ đến trường đạt 100%.
b) Y tế
Tỷ lệ người dân tham gia bảo hiểm y tế đạt 92%.
[table]
TT|Chỉ tiêu|Kết quả
1|Hộ nghèo|12
2|Hộ cận nghèo|20
[/table]
## 3/ Công tác khác:| Đã hoàn thành các nhiệm vụ được giao.
a) Tiếp tục triển khai thực hiện các nhiệm vụ được giao theo kế hoạch của Ủy ban nhân dân huyện và của Đảng ủy xã trong năm.
b) Phối hợp với các ngành, đoàn thể tổ chức các hoạt động chào mừng các ngày lễ lớn của đất nước trong năm.
c) Duy trì công tác thường trực, bảo đảm an ninh trật tự trên địa bàn xã trong các dịp lễ, tết.
# III) TỒN TẠI, HẠN CHẾ
- Một số chỉ tiêu chưa đạt kế hoạch.
# IV: PHƯƠNG HƯỚNG NĂM 2022
- Phấn đấu hoàn thành các chỉ tiêu được giao.
# VI. KIẾN NGHỊ
Đề nghị UBND huyện hỗ trợ kinh phí.
# VI. ĐỀ XUẤT KHÁC
Không.
Trên đây là báo cáo kết quả công tác năm 2021 của UBND xã An Bình./.
[sign]
Nơi nhận:|||KT. CHỦ TỊCH
- UBND huyện;|||PHÓ CHỦ TỊCH
- Lưu.|||
|||Lê Văn Bình
[/sign]
"""


@pytest.fixture
def styles_doc(tmp_path) -> Document:
    return read_document(build_docx(tmp_path / "styles.docx", STYLES))


def test_numbering_styles_nest_into_dotted_numbers(styles_doc):
    o = segment(styles_doc)
    assert numbers(o) == ["I", "II", "II.1", "II.2", "II.2.1", "II.2.2", "II.2.2.a", "II.2.2.b",
                          "II.3", "III", "IV", "VI", "VI"]
    s = by_number(o)
    assert [s[n].label for n in ("II", "III", "IV", "II.1", "II.2", "II.2.1", "II.2.2.a")] == \
        ["II-", "III)", "IV:", "1/", "2.", "2.1:", "a)"]
    assert [s[n].level for n in ("II", "II.1", "II.2.1", "II.2.2.a")] == [1, 2, 3, 4]
    assert s["II.1"].title == "Công tác tuyên truyền"  # the bold label, without number and ':'
    assert s["II.2"].title == "Kết quả thực hiện các chỉ tiêu"  # "2.Kết" without a space
    assert s["II.2.2.b"].title == "Y tế"
    assert s["III"].title == "TỒN TẠI, HẠN CHẾ"  # capitals as written


def test_list_items_are_not_sections(styles_doc):
    o = segment(styles_doc)
    s = by_number(o)
    # "1. Học nghề ngắn hạn …" (a list in the body) and the long a) b) c) sentences stay text
    assert not any("Học nghề" in x.title for x in o.sections)
    assert "Học nghề ngắn hạn" in s["II.1"].text and "Đã tổ chức 12 buổi" in s["II.1"].text
    assert "II.3.a" not in s and "Tiếp tục triển khai" in s["II.3"].text
    # the data table stands in II.2.2.b; nothing of it is a heading
    t = next(i for i, b in enumerate(styles_doc.blocks) if isinstance(b, Table) and o.block_section.get(i))
    assert o.block_section[t] == "II.2.2.b"


def test_skipped_and_repeated_numbers_are_kept(styles_doc):
    o = segment(styles_doc)
    tops = [s.number for s in o.sections if s.level == 1]
    assert tops == ["I", "II", "III", "IV", "VI", "VI"]  # V skipped, VI twice: as written
    assert [s.title for s in o.sections if s.number == "VI"] == ["KIẾN NGHỊ", "ĐỀ XUẤT KHÁC"]


def test_empty_sections_and_bounds(styles_doc):
    o = segment(styles_doc)
    s = by_number(o)
    assert not s["II.2"].empty  # no text of its own, but subsections
    assert not s["II.2.2"].empty
    assert not s["I"].empty and s["I"].text == "Xã An Bình có 6 thôn với 1.254 hộ."
    assert "Trên đây là báo cáo" in o.sections[-1].text  # the closing sentence ends the body
    sign = len(styles_doc.blocks) - 1
    assert isinstance(styles_doc.blocks[sign], Table) and o.body_end == sign
    assert o.block_section[0] is None and o.block_section[sign] is None
    assert o.body_start == s["I"].location.block


def test_word_automatic_numbering_counts(tmp_path):
    markup = """
= BÁO CÁO
= KẾT QUẢ HOẠT ĐỘNG QUÝ I NĂM 2024
#0 KẾT QUẢ ĐẠT ĐƯỢC
Trong quý đã tổ chức 5 hội nghị.
#1 Công tác tuyên truyền
Đã phát 200 tờ rơi.
#1 Công tác kiểm tra
Đã kiểm tra 3 đơn vị.
#2 Kiểm tra định kỳ
Hai đợt.
#0 PHƯƠNG HƯỚNG QUÝ II
Tiếp tục thực hiện kế hoạch.
"""
    doc = read_document(build_docx(tmp_path / "auto.docx", markup))
    if not any(isinstance(b, Paragraph) and b.list_label for b in doc.blocks):
        pytest.skip("the .docx reader does not render automatic numbering")
    o = segment(doc)
    assert numbers(o) == ["I", "I.1", "I.2", "I.2.a", "II"]
    s = by_number(o)
    assert s["I.1"].title == "Công tác tuyên truyền" and s["I.1"].label == "1."
    assert s["I.2.a"].label == "a)" and s["I.2.a"].text == "Hai đợt."


def test_unnumbered_capitals_headings(tmp_path):
    markup = """
= BÁO CÁO
= TÌNH HÌNH AN NINH TRẬT TỰ THÁNG 3 NĂM 2023
Thực hiện chỉ đạo của Công an huyện, Công an xã báo cáo như sau:
# TÌNH HÌNH CHUNG
Trong tháng, tình hình an ninh trật tự trên địa bàn ổn định.
# KẾT QUẢ ĐẠT ĐƯỢC
Đã giải quyết 4 vụ việc.
# PHƯƠNG HƯỚNG THÁNG 4
Tiếp tục tuần tra, kiểm soát.
"""
    o = segment(read_document(build_docx(tmp_path / "caps.docx", markup)))
    assert [s.title for s in o.sections] == ["TÌNH HÌNH CHUNG", "KẾT QUẢ ĐẠT ĐƯỢC", "PHƯƠNG HƯỚNG THÁNG 4"]
    assert len(set(numbers(o))) == 3 and all(s.level == 1 and s.label is None for s in o.sections)
    assert o.sections[1].text == "Đã giải quyết 4 vụ việc."


def test_parts_restart_roman_numbering(tmp_path):
    ev = load_evaluate()
    markup = """
= BÁO CÁO
= TỔNG KẾT NHIỆM KỲ 2019 - 2024
# PHẦN THỨ NHẤT
# KẾT QUẢ THỰC HIỆN NHIỆM KỲ 2019 - 2024
# I. Công tác tổ chức
## 1. Phát triển hội viên:| Kết nạp 40 hội viên.
# II. Đánh giá chung
Hoàn thành các chỉ tiêu.
# PHẦN THỨ HAI
# PHƯƠNG HƯỚNG NHIỆM KỲ 2024 - 2029
# I. Mục tiêu
Phát triển 60 hội viên.
# II. Giải pháp
Đổi mới phương thức hoạt động.
"""
    o = segment(read_document(build_docx(tmp_path / "parts.docx", markup)))
    assert numbers(o) == ["I", "I.I", "I.I.1", "I.II", "II", "II.I", "II.II"]
    s = by_number(o)
    assert s["I"].title == "KẾT QUẢ THỰC HIỆN NHIỆM KỲ 2019 - 2024" and s["I"].level == 0
    assert s["II.I"].level == 1 and s["I.I.1"].level == 2
    gold = [{"number": "I", "title": "Kết quả thực hiện nhiệm kỳ 2019 - 2024"},
            {"number": "I.I", "title": "Công tác tổ chức"}, {"number": "I.1", "title": "Phát triển hội viên"},
            {"number": "I.II", "title": "Đánh giá chung"},
            {"number": "II", "title": "Phương hướng nhiệm kỳ 2024 - 2029"},
            {"number": "II.I", "title": "Mục tiêu"}, {"number": "II.II", "title": "Giải pháp"}]
    assert ev.score_sections(gold, [x.model_dump() for x in o.sections], parts=True) == (1.0, 1.0)


def test_plain_paragraphs_from_a_scan():
    """No bold at all (OCR): run-in titles end at ':'; 'HI.' read as III where III is due;
    a run of short numbered lines with nothing between them is a list."""
    paras = [
        "BÁO CÁO", "KẾT QUẢ HOẠT ĐỘNG 6 THÁNG ĐẦU NĂM 2020",
        "Căn cứ kết quả đạt được, Trung tâm báo cáo như sau:",
        "I. Đặc điểm tình hình",
        "Phường có 2.379 hộ với gần 8.000 dân.",
        "1. Ban giám đốc:",
        "Ban giám đốc có 03 đồng chí.",
        "2. Công tác phối hợp: Đã phối hợp tổ chức 20 hội nghị với 2.215 lượt người.",
        "a) Hội nghị: Đã tổ chức 20 hội nghị.",
        "b) Tập huấn: Đã mở 5 lớp tập huấn cho hội viên.",
        "II. Tổ chức hoạt động",
        "Các lớp đã mở trong 6 tháng:",
        "1. Học nghề ngắn hạn", "2. Chuyên đề giáo dục pháp luật", "3. Chuyên đề giáo dục sức khỏe",
        "HI. Đánh giá công tác huy động xã hội",
        "Sự tham gia của doanh nghiệp còn hạn chế.",
    ]
    o = segment(plain_document(paras, ocr=True))
    assert numbers(o) == ["I", "I.1", "I.2", "I.2.a", "I.2.b", "II", "III"]
    s = by_number(o)
    assert s["I.2"].title == "Công tác phối hợp" and s["I.2"].text.startswith("Đã phối hợp")
    assert s["I.2.b"].title == "Tập huấn" and s["I.2.b"].text == "Đã mở 5 lớp tập huấn cho hội viên."
    assert s["III"].label == "HI." and "Học nghề ngắn hạn" in s["II"].text
    # the same text from a text PDF: a misread numeral is not corrected, nor taken
    assert "III" not in numbers(segment(plain_document(paras, ocr=False)))



def test_scan_labels_spoiled_by_specks_are_repaired_from_the_sequence():
    """In a scan, a label with a speck before it, a look-alike for its digit or letter, a comma
    for its full stop, or lost altogether, is read as the one its siblings' sequence makes
    certain; nowhere else."""
    paras = [
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Công tác tuyên truyền",
        "Đã tổ chức 20 buổi tuyên truyền cho 1.200 lượt hội viên trong năm qua.",
        "số Công tác xây dựng tổ chức Hội",  # "2." lost: a short title between "1." and "3."
        "Kết nạp 312 hội viên mới, nâng tổng số hội viên lên 8.450 người.",
        "3. Các phong trào thi đua",
        "a) Phong trào sản xuất giỏi: có 534 hộ đạt danh hiệu các cấp.",
        "b) Quỹ hỗ trợ nông dân: tổng nguồn vốn 1.250 triệu đồng.",
        "_©) Ủy thác cho vay vốn: dư nợ 18.640 triệu đồng.",  # "c)" with a speck before it
        ".A. Tham gia xây dựng nông thôn mới",  # "4." read as "A." with specks
        "Hội viên đóng góp 1.200 ngày công làm đường giao thông nông thôn.",
        "_ 5, Công tác kiểm tra",  # a comma for the full stop
        "Đã kiểm tra 12 chi hội trong năm.",
        "II. PHƯƠNG HƯỚNG",
        "1. Nhiệm vụ trọng tâm",
        "4) Trồng trọt",  # "a)" read as "4)"
        "Gieo cấy 1.200 ha lúa.",
        "\"b) Chăn nuôi",
        "Tổng đàn lợn 5.000 con.",
    ]
    o = segment(plain_document(paras, ocr=True))
    assert numbers(o) == ["I", "I.1", "I.2", "I.3", "I.3.a", "I.3.b", "I.3.c", "I.4", "I.5",
                          "II", "II.1", "II.1.a", "II.1.b"]
    s = by_number(o)
    assert s["I.2"].title == "Công tác xây dựng tổ chức Hội"
    assert s["I.3.c"].title == "Ủy thác cho vay vốn" and s["I.4"].title == "Tham gia xây dựng nông thôn mới"
    assert s["I.5"].title == "Công tác kiểm tra" and s["II.1.a"].title == "Trồng trọt"
    # not in a text PDF, and not where the sequence does not confirm the guess
    assert "I.4" not in numbers(segment(plain_document(paras, ocr=False)))
    lone = ["I. KẾT QUẢ", "Nội dung báo cáo trong kỳ.", ".A. Tham gia xây dựng nông thôn mới",
            "Nội dung.", "_ 7, Công tác kiểm tra", "Đã kiểm tra."]
    assert numbers(segment(plain_document(lone, ocr=True))) == ["I"]

# -- the real files ----------------------------------------------------------------------------------
def _check_outline(doc, o):
    nums = set(numbers(o))
    assert all(s.title.strip() for s in o.sections)
    assert all(v is None or v in nums for v in o.block_section.values())
    assert {s.location.block for s in o.sections} <= o.heading_blocks
    assert 0 <= o.body_start <= (o.body_end or len(doc.blocks)) <= len(doc.blocks)


def test_real_quarterly_report_docx(read):
    doc = read_or_skip(read, REAL / "vbai_bc_cchc_quyI_2026.docx")
    o = segment(doc)
    _check_outline(doc, o)
    assert [s.number for s in o.sections if s.level == 1] == ["I", "II", "III", "IV"]
    s = by_number(o)
    assert {"I.1", "I.6", "II.1", "II.6", "III.2"} <= set(s)
    # short a) b) c) sub-headings count; the numbered tasks under IV (plain sentences) do not
    assert {"II.1.a", "II.1.d", "II.6.h"} <= set(s)
    assert not any(n.startswith("IV.") for n in s)
    assert s["II.1.a"].title.startswith("Kết quả xây dựng, ban hành văn bản quy phạm pháp luật")
    # the appendix after the signature block is not part of the body
    assert o.body_end < len(doc.blocks) and all(o.block_section[i] is None for i in range(o.body_end, len(doc.blocks)))


def test_real_word97_report(read):
    doc = read_or_skip(read, REAL / "vbai_bc_dean06_den_20-10-2025.doc")
    o = segment(doc)
    _check_outline(doc, o)
    assert [s.number for s in o.sections if s.level == 1] == ["I", "II", "III"]
    s = by_number(o)
    assert {"I.1", "I.4", "II.1", "II.10", "III.1", "III.12"} <= set(s)
    assert s["III.4"].title == "Sở Nội vụ"  # a run-in heading: "4. Sở Nội vụ: Phối hợp …"
    # the a) b) c) items are sentences, tasks of each department: not sections
    assert not any(n.startswith(("I.1.", "III.1.")) for n in s)


def test_real_appendix_with_automatic_numbering(read):
    doc = read_or_skip(read, REAL / "vbai_phuluc_so_lieu_cap_tinh.doc")
    o = segment(doc)
    _check_outline(doc, o)
    assert o.sections, "the appendix has headings"
    tables = [i for i, b in enumerate(doc.blocks) if isinstance(b, Table)]
    assert tables and all(o.block_section[i] is not None for i in tables)


@pytest.mark.slow
def test_real_pdf_with_parts_restarting_roman_numbers(read):
    doc = read_or_skip(read, REAL / "vbai_hhdn_bc_nhiemky4.pdf")
    o = segment(doc)
    _check_outline(doc, o)
    parts = [s for s in o.sections if s.level == 0]
    assert [p.number for p in parts] == ["I", "II"]
    assert parts[1].title.startswith("PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ V")
    s = by_number(o)
    assert {"I.I", "I.I.5", "I.II", "I.II.3", "II.I", "II.II", "II.IV"} <= set(s)
    assert s["II.I"].title == "Phương hướng chung" and s["I.I"].title.startswith("Kết quả hoạt động")

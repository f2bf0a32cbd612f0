"""Where a report's front matter and closing matter stand.

Front matter: the header block (issuer | national motto, number, place and date — a layout
table in Word, lines of text in a PDF or a scan), the document type line ("BÁO CÁO") and the
centred title lines under it. Closing matter: the signature block and "Nơi nhận", and whatever
follows it (an appendix). Both segmentation and metadata read these regions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.sections.headings import parse_label
from extractors.text.vntext import fold, is_upper_text, n_words, squash
from models.document import Alignment, Document, Paragraph, Table, TableRole

# document type as folded → as written in lower case
DOC_TYPES = {
    "bao cao": "báo cáo", "to trinh": "tờ trình", "ke hoach": "kế hoạch", "thong bao": "thông báo",
    "quyet dinh": "quyết định", "nghi quyet": "nghị quyết", "bien ban": "biên bản",
    "chuong trinh": "chương trình", "de an": "đề án", "huong dan": "hướng dẫn",
    "cong van": "công văn", "chi thi": "chỉ thị", "ket luan": "kết luận", "thong cao": "thông cáo",
    "phuong an": "phương án", "du an": "dự án", "giay moi": "giấy mời", "cong dien": "công điện",
    "quy che": "quy chế", "quy dinh": "quy định", "de cuong": "đề cương", "tham luan": "tham luận",
}
_TYPE_RX = re.compile(r"^(" + "|".join(sorted(DOC_TYPES, key=len, reverse=True)) + r")\b[\s:.]*(.*)$")

# signature block: authority prefixes and the titles of those who sign
# the abbreviation ends its word: "Q. CHỦ TỊCH" is an authority, "QUÁCH VĂN LONG" a name
AUTHORITY_RX = re.compile(r"^(?:t\s*/\s*m|t\s*\.\s*m|tm|kt|k\.t|tl|t\.l|tuq|q|thua lenh|thay mat|ky thay)\b"
                          r"\s*[./:]?\s*\S")
ROLE_WORDS = (
    "chu tich", "giam doc", "truong ban", "truong phong", "hieu truong", "bi thu", "tong thu ky",
    "chanh van phong", "tong giam doc", "chu nhiem", "thu truong", "cuc truong", "vu truong",
    "chanh an", "vien truong", "truong doan", "to truong", "truong khoa", "nguoi lap bieu",
    "nguoi bao cao", "nguoi lap", "ke toan truong", "ke toan", "thu ky", "chanh thanh tra",
    "truong tram", "uy vien", "tong bien tap", "chi cuc truong", "truong thon", "truong khu",
    "truong cong an", "tram truong", "doi truong", "chi huy truong", "truong don vi",
)
ROLE_RX = re.compile(r"^(?:p\s*\.\s*|pho\s+)?(?:" + "|".join(ROLE_WORDS) + r")(?:\s+[\w.]+){0,3}$")
RECIPIENTS_RX = re.compile(r"^n[oơ]i\s*nh[aâậ]n\b")


def paragraph_lines(p: Paragraph) -> list[str]:
    """A paragraph's lines (a PDF or OCR reader may keep line breaks inside a paragraph)."""
    return [squash(x) for x in (p.full_text or "").split("\n") if squash(x)]


def doc_type_of(text: str) -> tuple[str, str] | None:
    """('báo cáo', rest) when a line opens with a document type ('BÁO CÁO', 'TỜ TRÌNH …')."""
    t = squash(text)
    f = fold(t)
    m = _TYPE_RX.match(f)
    if not m:
        return None
    rest = t[m.start(2):].strip() if m.group(2) else ""
    return DOC_TYPES[m.group(1)], rest


@dataclass
class Line:
    """A line of the header or the signature block: its text, the column it stands in
    (0 left, 1 right, None when a PDF or OCR line may mix both) and its block."""

    text: str
    col: int | None
    block: int


@dataclass
class Front:
    header: list[int] = field(default_factory=list)  # blocks of the header (before the type line)
    header_lines: list[Line] = field(default_factory=list)
    type_block: int | None = None
    doc_type: str | None = None
    title_lines: list[str] = field(default_factory=list)  # the type line's own rest included
    title_blocks: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "(Kèm theo …)", "(Từ ngày … đến ngày …)"
    end: int = 0  # first block after the title block


def _is_separator(t: str) -> bool:
    return bool(t) and not any(c.isalnum() for c in t)


_NOT_TITLE = ("kinh gui", "can cu", "thuc hien", "- ", "+ ", "trong ", "nham ")


def _title_like(p: Paragraph, t: str) -> bool:
    if not t or n_words(t) > 40:
        return False
    f = fold(t)
    if f.startswith(_NOT_TITLE):
        return False
    return p.bold or p.alignment == Alignment.CENTER or is_upper_text(t)


def table_lines(t: Table, block: int) -> list[Line]:
    """A layout table's lines, column by column (left, then right), top to bottom."""
    out: list[Line] = []
    cols = sorted({c.col for c in t.cells})
    for col in cols:
        for c in sorted((c for c in t.cells if c.col == col), key=lambda c: c.row):
            paras = c.paragraphs or []
            lines = [x for p in paras for x in paragraph_lines(p)] if paras else [squash(c.text)]
            side = 0 if col == cols[0] and len(cols) > 1 else (1 if len(cols) > 1 else None)
            out.extend(Line(x, side, block) for x in lines if x)
    return out


_TYPE_UPPER = re.compile(r"(?<![^\W\d_])(BÁO CÁO|TỜ TRÌNH|KẾ HOẠCH|THÔNG BÁO|QUYẾT ĐỊNH|NGHỊ QUYẾT|BIÊN BẢN|"
                         r"CHƯƠNG TRÌNH|ĐỀ ÁN|HƯỚNG DẪN|CÔNG VĂN|PHƯƠNG ÁN)(?![^\W\d_])")


def split_type_inside(line: str) -> tuple[str, str] | None:
    """A reader that ran the header and the title together ('… Số: 12/BC-TTHTCĐ BÁO CÁO KẾT
    QUẢ …'): (what comes before the type word, the type word and the title)."""
    m = _TYPE_UPPER.search(line)
    if not m or m.start() == 0:
        return None
    after = line[m.end():].strip()
    if after and not is_upper_text(after[:80], min_letters=3):
        return None
    return line[:m.start()].strip(), line[m.start():]


def _type_line(p: Paragraph, line: str) -> tuple[str, str] | None:
    dt = doc_type_of(line)
    if not dt or n_words(line) > 40:
        return None
    if dt[1] == "" or is_upper_text(line) or p.bold or p.alignment == Alignment.CENTER:
        return dt
    return None


def find_front(doc: Document, ocr: bool = False) -> Front:
    """The header block, the document type line and the title lines."""
    blocks = doc.blocks
    n = len(blocks)
    front = Front()
    limit = min(n, 40)
    header_lines: list[Line] = []
    type_at: tuple[int, int] | None = None  # (block, line index)
    for i in range(limit):
        b = blocks[i]
        if isinstance(b, Table):
            header_lines.extend(table_lines(b, i))
            continue
        lines = paragraph_lines(b)
        if lines and parse_label(b.text, b.list_label, ocr) is not None and \
                parse_label(b.text, b.list_label, ocr).kind in ("roman", "part", "upper"):
            break
        found = False
        for k, line in enumerate(lines):
            inside = split_type_inside(line) if i < 12 else None
            if inside and not _type_line(b, line):
                if inside[0]:
                    header_lines.append(Line(inside[0], None, i))
                lines[k] = line = inside[1]
            dt = _type_line(b, line)
            if dt:
                front.doc_type = dt[0]
                if dt[1]:
                    front.title_lines.append(dt[1])
                type_at = (i, k)
                found = True
                break
            header_lines.append(Line(line, None, i))
        if found:
            break
    if type_at is not None:
        i, k = type_at
        front.type_block = i
        front.header = list(range(i))
        front.header_lines = header_lines
        rest = lines[k + 1:]
        for line in rest:  # title lines written in the type line's own paragraph
            if line.startswith("("):
                front.notes.append(line)
            elif not _is_separator(line):
                front.title_lines.append(line)
        start = i + 1
    else:
        # no type line: the title is the first centred bold run after the leading layout tables
        start = 0
        while start < n and isinstance(blocks[start], Table) and blocks[start].role == TableRole.LAYOUT:
            start += 1
        j = start
        while j < min(n, start + 8):
            b = blocks[j]
            if isinstance(b, Paragraph) and b.alignment == Alignment.CENTER and (b.bold or is_upper_text(b.text)):
                break
            j += 1
        if j >= min(n, start + 8):
            j = start
        front.header = list(range(j))
        front.header_lines = [ln for bi in front.header for ln in (
            table_lines(blocks[bi], bi) if isinstance(blocks[bi], Table) else
            [Line(x, None, bi) for x in paragraph_lines(blocks[bi])])]
        start = j
    i = start
    while i < n:
        b = blocks[i]
        if not isinstance(b, Paragraph):
            break
        t = squash(b.full_text)
        if not t or _is_separator(t):
            i += 1
            continue
        if parse_label(b.text, b.list_label, ocr) is not None or is_signature_line(t):
            break
        if front.type_block is None and not front.title_lines and b.alignment != Alignment.CENTER:
            break  # without a type line, only a centred line is taken for the title
        if t.startswith("(") and n_words(t) <= 40:
            front.notes.append(t)
            i += 1
            continue
        first = not front.title_lines
        if not _title_like(b, t):
            # the line right under the type line is the title however a reader set it (OCR gives
            # no bold, a wrapped centred line may come out justified); a line opening in lower
            # case continues the title above it
            f = fold(t)
            if f.startswith(_NOT_TITLE) or n_words(t) > 40 or t.endswith((".", ";")):
                break
            if not (first and front.type_block is not None) and not t[:1].islower():
                break
        if front.title_blocks and b.alignment != Alignment.CENTER and not is_upper_text(t) \
                and blocks[front.title_blocks[-1]].alignment == Alignment.CENTER:
            break
        front.title_blocks.append(i)
        front.title_lines.extend(x for x in paragraph_lines(b) if not _is_separator(x))
        i += 1
        if len(front.title_blocks) >= 6:
            break
    front.end = i
    return front


def is_signature_line(text: str) -> bool:
    """'TM. UBND PHƯỜNG', 'KT. CHỦ TỊCH', 'P.CHỦ TỊCH', 'GIÁM ĐỐC', 'Nơi nhận:'."""
    t = squash(text)
    if not t:
        return False
    f = fold(t)
    if RECIPIENTS_RX.match(f):
        return True
    if n_words(t) > 12 or not is_upper_text(t, min_letters=2):
        return False
    if AUTHORITY_RX.match(f):
        return True
    return bool(ROLE_RX.match(f)) and n_words(t) <= 6


_MOTTO_RX = re.compile(r"cong\s*hoa\s*xa\s*hoi\s*chu\s*nghia|doc\s*lap\s*[-–]\s*tu\s*do")
_PLACE_DATE_RX = re.compile(r",\s*ngay\b.{0,12}thang\b.{0,8}nam\b")


def _table_is_signature(t: Table) -> bool:
    """A layout table holding a signature ('KT. CHỦ TỊCH', 'Kế toán'), 'Nơi nhận', a
    place-and-date line, or a second header block (the national motto: another document)."""
    if t.role != TableRole.LAYOUT:
        return False
    for c in t.cells:
        lines = [x for p in c.paragraphs for x in paragraph_lines(p)] if c.paragraphs else [squash(c.text)]
        for line in lines:
            f = fold(line)
            if is_signature_line(line) or _MOTTO_RX.search(f) or _PLACE_DATE_RX.search(f):
                return True
            if n_words(line) <= 6 and ROLE_RX.match(f.strip(" .:")):
                return True  # "Kế toán", "Người lập biểu" in title case
    return False


def find_closing(doc: Document, start: int) -> int | None:
    """The first block of the signature block (or 'Nơi nhận'), None when there is none."""
    for i in range(start, len(doc.blocks)):
        b = doc.blocks[i]
        if isinstance(b, Table):
            if _table_is_signature(b):
                return i
            continue
        lines = paragraph_lines(b)
        if lines and is_signature_line(lines[0]):
            return i
    return None

"""Which paragraphs of a Document are prose to read for figures and references.

The body lies between `outline.body_start` and `outline.body_end` (the structure stage fills
them; until it does body_start may be 0, so front and closing matter are also recognised here by
their shape: the "Số: 12/BC-…" line, the "Mạo Khê, ngày 16 tháng 3 năm 2021" line, and
everything from "Nơi nhận" on). Tables are never prose. A heading's number ("1.", "2.1:", "II-")
is not part of its prose: `ProseParagraph.start` points past it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from extractors.sections.outline import Outline
from models.document import Document, Paragraph

# A leading section/list label: "1.", "2.1:", "2.Kết", "3)", "II.", "IV-", "a)", "(1)".
_LABEL = re.compile(
    r"^\s*(?:\(?\d{1,2}(?:\.\d{1,2})*\s*[.:)]|\(\d{1,2}\)|[IVXLC]{1,6}\s*[.\-–:)]|[a-zđ]\s*\))"
    r"(?=\s|[^\W\d_])", re.I)
_NUMBER_LINE = re.compile(r"^\s*(?:Số|So)\s*:", re.I)
_PLACE_DATE = re.compile(r"^[^\d,]{2,60},\s*ngày\s+\S+\s+tháng\s+\S+\s+năm\s+\S+\s*$", re.I)
_CLOSING = re.compile(r"^\s*(?:Nơi\s+nhận|Nơi\s+gửi)\s*:?", re.I)
_MOTTO = re.compile(r"CỘNG\s+HÒA\s+XÃ\s+HỘI|CỘNG\s+HOÀ\s+XÃ\s+HỘI|Độc\s+lập\s*-\s*Tự\s+do", re.I)


@dataclass(frozen=True)
class ProseParagraph:
    block: int  # index into Document.blocks
    paragraph: Paragraph
    start: int  # first offset of prose in paragraph.text (after a heading label)
    front: bool = False  # stands before the body (title block)


def label_end(text: str) -> int:
    """Offset just past a leading section or list label, 0 if there is none. "2.215 người"
    and "100% khu phố" have none: a label's number has one or two digits and is followed by
    '.', ':' or ')' and then a space or a letter."""
    m = _LABEL.match(text)
    if not m:
        return 0
    e = m.end()
    while e < len(text) and text[e].isspace():
        e += 1
    return e


def _front_or_closing_line(text: str) -> bool:
    if len(text) > 160:
        return False
    return bool(_NUMBER_LINE.match(text) or _PLACE_DATE.match(text) or _MOTTO.search(text))


def prose_paragraphs(doc: Document, outline: Outline, *, include_front: bool = False
                     ) -> Iterator[ProseParagraph]:
    """The prose paragraphs of the body (and of the title block with include_front)."""
    n = len(doc.blocks)
    end = outline.body_end if outline.body_end is not None else n
    start = outline.body_start or 0
    for i, b in enumerate(doc.blocks[:end]):
        if not isinstance(b, Paragraph) or not b.text.strip():
            continue
        if _CLOSING.match(b.text) and end == n:
            break  # closing matter, when the structure stage did not mark it
        front = i < start
        if front and not include_front:
            continue
        if _front_or_closing_line(b.text):
            continue
        yield ProseParagraph(i, b, label_end(b.text), front)

"""OCR words → lines → paragraphs: the text of a scanned page outside its tables.

Tesseract's lines are cut where a gap is far wider than a word space (the two halves of a
header block); pieces side by side make a visual row. Rows are grouped into paragraphs where a
typist pressed Enter, which a scan shows as: a vertical gap larger than the line pitch, a line
that stopped although the next word would have fitted, a first-line indent, a centred line
followed by text neither centred nor flush left, a list marker after a finished sentence.
Alignment is estimated from the lines' positions within their frame, the font size from the
word boxes' height. Coordinates are page pixels; `to_pt`/`bbox_pt` convert to PDF points.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from extractors.readers.ocr.engine import Word
from extractors.readers.ocr.text import fix_label, fix_words, is_noise, line_text
from models.document import Alignment, Paragraph, Provenance, Run
from extractors.readers.pdf.paragraphs import Frame  # one notion of a text frame for both readers

PIECE_GAP = 2.5  # a gap wider than this many word heights splits a line into pieces
FONT_BOX = 0.885  # a word box's height (with Vietnamese diacritics) / the font size
MARKER = re.compile(
    r"^(?:[IVXLCDM]{1,6}[.):]|\d{1,3}(?:\.\d{1,3}){0,3}[.):]|[a-zđ][.)]|\(\d{1,3}\)|\([a-zđ]\)"
    r"|[-–—+•●○▪■◦*·](?=\s)|[-–—](?=\S))"
)
END = re.compile(r"[.:;!?…)\"”»]$")


# -- lines ---------------------------------------------------------------------------------

class WordsBox:
    """The box of a group of OCR words (`self.words`), in page pixels."""

    @property
    def x0(self) -> float:
        return min(w.box[0] for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.box[2] for w in self.words)

    @property
    def top(self) -> float:
        return min(w.box[1] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.box[3] for w in self.words)


@dataclass
class Piece(WordsBox):
    """Words of one OCR line between wide gaps."""

    page: int
    words: list[Word]
    text: str = ""

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.box[0])
        self.text = line_text([w.text for w in self.words])


    @property
    def height(self) -> float:
        return statistics.median(w.box[3] - w.box[1] for w in self.words)

    @property
    def conf(self) -> float:
        return statistics.fmean(w.conf for w in self.words)


@dataclass
class Row:
    """A visual line of the page: one or more pieces side by side."""

    pieces: list[Piece]
    index: int = -1  # its position among the rows of a layout zone

    @property
    def page(self) -> int:
        return self.pieces[0].page

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.pieces)

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.pieces)

    @property
    def top(self) -> float:
        return min(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return max(p.bottom for p in self.pieces)

    @property
    def height(self) -> float:
        return statistics.median(w.box[3] - w.box[1] for p in self.pieces for w in p.words)

    @property
    def words(self) -> list[Word]:
        return [w for p in self.pieces for w in p.words]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces if p.text)

    @property
    def first_word_width(self) -> float:
        w = self.pieces[0].words[0]
        return w.box[2] - w.box[0]


def line_pieces(words: list[Word], page: int) -> list[Piece]:
    """Tesseract's lines (block, paragraph, line) cut at gaps of several word heights."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    out: list[Piece] = []
    for ws in lines.values():
        ws.sort(key=lambda w: w.box[0])
        h = statistics.median(w.box[3] - w.box[1] for w in ws)
        cur = [ws[0]]
        for a, b in zip(ws, ws[1:]):
            if b.box[0] - a.box[2] > PIECE_GAP * h:
                out.append(Piece(page, cur))
                cur = []
            cur.append(b)
        out.append(Piece(page, cur))
    return [p for p in out if p.text and not is_noise(p.text, p.conf)]


def visual_rows(pieces: list[Piece]) -> list[Row]:
    """Pieces standing side by side on one line of the page, top to bottom."""
    rows: list[Row] = []
    for p in sorted(pieces, key=lambda p: (p.top, p.x0)):
        mid = (p.top + p.bottom) / 2
        for r in rows[-3:]:
            overlap = min(r.bottom, p.bottom) - max(r.top, p.top)
            side_by_side = all(p.x0 >= q.x1 or p.x1 <= q.x0 for q in r.pieces)
            if side_by_side and r.top <= mid <= r.bottom and overlap >= 0.5 * min(p.height, r.height):
                r.pieces.append(p)
                r.pieces.sort(key=lambda q: q.x0)
                break
        else:
            rows.append(Row([p]))
    rows.sort(key=lambda r: r.top)
    return rows


def body_frame(rows: list[Row], page_width: float) -> Frame | None:
    """The margins of the page's body text, from its long lines (None when too few)."""
    long = [r for r in rows if r.x1 - r.x0 >= 0.5 * page_width]
    if len(long) < 3:
        return None
    lefts = sorted(r.x0 for r in long)
    rights = sorted(r.x1 for r in long)
    return Frame(lefts[len(lefts) // 10], rights[-1 - len(rights) // 10])


def centred(r: Row, fr: Frame) -> bool:
    lg, rg = r.x0 - fr.left, fr.right - r.x1
    h = r.height
    return lg > h and rg > h and abs(lg - rg) <= max(h, 0.04 * fr.width)


def full(r: Row, fr: Frame) -> bool:
    h = r.height
    return r.x0 - fr.left <= 0.8 * h and fr.right - r.x1 <= 0.8 * h


def is_break(a: Row, b: Row, fr: Frame, pitch: float) -> bool:
    """Does row b start a new paragraph after row a?"""
    h = max(a.height, b.height)
    if b.top - a.top > 1.45 * pitch or b.top - a.bottom > 1.2 * h:
        return True
    need = b.first_word_width + 0.3 * h
    slack = 0.5 * h
    if centred(a, fr) and centred(b, fr):
        if (a.x1 - a.x0) + need <= fr.width - slack:
            return True
    elif a.x1 + need <= fr.right - slack:
        return True
    if b.x0 - fr.left >= h and b.x0 - a.x0 >= 0.8 * h and not centred(b, fr):
        return True  # a first-line indent
    if centred(a, fr) and not centred(b, fr) and b.x0 - fr.left > 0.5 * h and not full(b, fr):
        return True  # a centred line, then text that is neither centred nor flush left
    if MARKER.match(b.text) and END.search(a.text):
        return True
    return False


def paragraphs(rows: list[Row], fr: Frame, pitch: float) -> list[list[Row]]:
    out: list[list[Row]] = []
    for r in rows:
        if out and out[-1][-1].page == r.page and not is_break(out[-1][-1], r, fr, pitch):
            out[-1].append(r)
        else:
            out.append([r])
    return out


# -- units ---------------------------------------------------------------------------------

def to_pt(v: float, dpi: int) -> float:
    return round(v * 72.0 / dpi, 2)


def bbox_pt(rows_or_words, dpi: int) -> tuple[float, float, float, float]:
    xs0, ys0, xs1, ys1 = [], [], [], []
    for o in rows_or_words:
        if isinstance(o, Word):
            x0, y0, x1, y1 = o.box
        else:
            x0, y0, x1, y1 = o.x0, o.top, o.x1, o.bottom
        xs0.append(x0)
        ys0.append(y0)
        xs1.append(x1)
        ys1.append(y1)
    return (to_pt(min(xs0), dpi), to_pt(min(ys0), dpi), to_pt(max(xs1), dpi), to_pt(max(ys1), dpi))


def font_size(words: list[Word], dpi: int) -> float | None:
    """A cheap estimate from the word boxes' height, to the half point."""
    if not words:
        return None
    h = statistics.median(w.box[3] - w.box[1] for w in words)
    return round(2 * h * 72.0 / dpi / FONT_BOX) / 2


def word_confidence(conf: float) -> float:
    """Tesseract's word confidence (0-100) as a Confidence (0-1)."""
    return round(min(1.0, max(0.0, conf / 100.0)), 2)


Token = tuple[str, float, bool]  # a word as it went into a text (repaired), its confidence (0-1), bold


def confident_runs(text: str, words: list[Token]) -> list[Run]:
    """Runs laid end to end over `text`, one per word read (with the space after it), each
    with that word's confidence and weight; neighbours alike merged. `words` are the words'
    texts as they went into `text` (repaired), in order; text that matches no word (a
    repaired label) takes the look of the word it came from, spaces that of the word before."""
    if not text:
        return []
    look: list[tuple[float, bool] | None] = [None] * len(text)
    pos = 0
    pending: list[tuple[float, bool]] = []  # words changed by a repair: they cover the text up to the next match

    def cover(a: int, b: int) -> None:
        if pending:
            merged = (min(c for c, _ in pending), all(b_ for _, b_ in pending))
            for i in range(a, b):
                if not text[i].isspace():
                    look[i] = merged
            pending.clear()

    for w, c, bold in words:
        if not w:
            continue
        at = text.find(w, pos)
        if at < 0 or at - pos > max(8, len(w)):
            pending.append((c, bold))
            continue
        cover(pos, at)
        for i in range(at, at + len(w)):
            look[i] = (c, bold)
        pos = at + len(w)
    cover(pos, len(text))
    last = next((x for x in look if x is not None), None)
    for i, x in enumerate(look):
        if x is None:
            look[i] = last
        else:
            last = x
    runs: list[Run] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or look[i] != look[i - 1]:
            conf, bold = look[start] if look[start] is not None else (None, False)
            runs.append(Run(text=text[start:i], confidence=conf, bold=bold))
            start = i
    return runs


def word_tokens(words: list[Word]) -> list[Token]:
    """Words of one line (left to right), repaired, with their confidence and weight."""
    ws = sorted(words, key=lambda w: w.box[0])
    return [(t, word_confidence(w.conf), w.bold) for t, w in zip(fix_words([w.text for w in ws]), ws)]


def row_words(rows: list[Row]) -> list[Token]:
    """The repaired words of rows, in reading order, with their confidence and weight."""
    return [t for r in rows for p in r.pieces for t in word_tokens(p.words)]


BOLD = 1.4  # a word whose strokes are this much wider than the body text's is bold


def mark_bold(words: list[Word]) -> None:
    """Set each word's `bold` from its stroke width against the document's usual one (most
    words are body text)."""
    strokes = [w.stroke for w in words if w.stroke > 0 and sum(c.isalpha() for c in w.text) >= 2]
    if len(strokes) < 20:
        return
    body = statistics.median(strokes)
    for w in words:
        w.bold = w.stroke >= BOLD * body and any(c.isalnum() for c in w.text)


def make_paragraph(rows: list[Row], fr: Frame, dpi: int, prov: Provenance) -> Paragraph:
    text = fix_label(" ".join(r.text for r in rows if r.text))
    if all(centred(r, fr) for r in rows):
        align = Alignment.CENTER
    elif len(rows) >= 2 and all(full(r, fr) for r in rows[:-1]):
        align = Alignment.JUSTIFY
    elif rows[0].x0 - fr.left > 0.3 * fr.width and fr.right - rows[-1].x1 <= rows[-1].height:
        align = Alignment.RIGHT
    else:
        align = Alignment.LEFT
    words = [w for r in rows for w in r.words]
    prov = prov.model_copy(update={"pages": [rows[0].page], "bbox": bbox_pt(rows, dpi)})
    return Paragraph(text=text, runs=confident_runs(text, row_words(rows)), alignment=align,
                     font_size=font_size(words, dpi), provenance=prov)

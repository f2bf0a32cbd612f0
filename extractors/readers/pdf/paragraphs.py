"""Group PDF text lines into paragraphs, and make `Paragraph` records of them.

A new paragraph starts where a typist pressed Enter, which a PDF shows as: a larger vertical
gap than the line pitch, a change of font size, a previous line that stopped although the next
word would have fitted (the last line of a paragraph), a first-line indent after continuation
lines, a return to the margin after indented lines, a bold heading line after a finished
sentence, or a line opening with a section number / bullet ("I.", "1.", "2.1:", "a)", "-")
after a finished line. Alignment is estimated from the lines' positions within their frame (the
body's margins, a table cell, a layout column). Lines are joined with a space, except where the
break fell inside a word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.readers.common import clean_text, nfc
from extractors.readers.pdf.decode import PdfDecoder
from extractors.readers.pdf.lines import Line
from extractors.text.numbers import broken_number
from models.document import Alignment, Paragraph, Provenance, Run

MARKER = re.compile(
    r"^(?:(?:[IVXLCDM]{1,6}[.):]|\d{1,3}(?:\.\d{1,3}){0,3}[.):]|[a-zđ][.)]|\(\d{1,3}\)|\([a-zđ]\))(?!\d)"
    r"|[-–—+•●○▪■◦*·](?=\s)|[-–—](?=\S))"
)
_CLOSING = set(")]}.,;:!?%…”»")  # no line starts with these by choice: the break was forced
_HYPHEN_END = re.compile(r"\w[-‐/]$")  # a line broken inside "49-KL/TW", "9,49/9,5"
_END = re.compile(r"[.:;!?…)\"”»]\s*$")
_RUN_FIX = str.maketrans({"\u01a3": "ư", "\u01a2": "Ư"})


@dataclass(slots=True)
class Frame:
    """The horizontal extent text can fill: body margins, a table cell, a layout column.
    `estimated`: its edges are a guess (a borderless table's cell), too rough to tell from
    widths alone whether a word was broken at the line's end."""

    left: float
    right: float
    estimated: bool = False

    @property
    def width(self) -> float:
        return self.right - self.left


@dataclass(slots=True)
class Metrics:
    """Document-wide typography: line pitch as a multiple of font size, body font size."""

    pitch_ratio: float = 1.2
    body_size: float = 12.0

    def pitch(self, size: float) -> float:
        return self.pitch_ratio * size


def _centred(ln: Line, frame: Frame) -> bool:
    lg, rg = ln.x0 - frame.left, frame.right - ln.x1
    tol = max(3.0, 0.04 * frame.width)
    return lg > ln.size and rg > ln.size and abs(lg - rg) <= tol


def _full(ln: Line, frame: Frame) -> bool:
    return ln.x0 - frame.left <= 0.6 * ln.size and frame.right - ln.x1 <= 0.6 * ln.size


def would_fit(a: Line, b: Line, frame: Frame) -> bool:
    """b's first word would have fitted at the end of a: so a ended its paragraph."""
    need = b.first_word_width() + 0.25 * a.size  # the word and a space
    slack = 0.3 * a.size  # widths and margins are estimates: only clear cases count
    if _centred(a, frame) and _centred(b, frame):  # a centred paragraph grows both ways
        return (a.x1 - a.x0) + need <= frame.width - slack
    return a.x1 + need <= frame.right - slack


def is_break(a: Line, b: Line, para: list[Line], frame: Frame, m: Metrics) -> bool:
    """Does line b start a new paragraph after line a (para = the paragraph's lines so far)?"""
    if b.page != a.page:
        return True
    size = max(a.size, b.size)
    pitch = b.baseline - a.baseline
    if pitch <= 0.3 * size or pitch > m.pitch(size) + max(2.0, 0.15 * size):
        return True
    if abs(a.size - b.size) >= 1.0:
        return True
    if would_fit(a, b, frame):
        return True
    btext = b.text
    a_short = frame.right - a.x1 > 0.8 * a.size
    a_done = a_short or bool(_END.search(a.text))
    mk = MARKER.match(btext)
    if mk and (a_short if mk.group().startswith("(") else a_done):
        return True  # "(1) … (2) …" enumerations also run inside a paragraph
    if a_done and b.bold_start and not a.bold_end and (mk or all(s.bold for s in b.spans if s.text.strip())):
        return True  # a bold heading line after a finished sentence
    indent = 0.8 * size
    if len(para) >= 2:
        if b.x0 > a.x0 + indent:  # first-line indent after continuation lines
            return True
        if b.x0 < a.x0 - indent:  # back to the margin after a hanging block
            return True
    return False


def split(lines: list[Line], frame: Frame, m: Metrics) -> list[list[Line]]:
    """Consecutive lines of one flow grouped into paragraphs."""
    out: list[list[Line]] = []
    for ln in lines:
        if out and not is_break(out[-1][-1], ln, out[-1], frame, m):
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def alignment(lines: list[Line], frame: Frame) -> Alignment:
    if all(_centred(ln, frame) or _full(ln, frame) for ln in lines) and any(
        _centred(ln, frame) for ln in lines
    ):
        return Alignment.CENTER
    tol = 0.6 * lines[0].size
    if len(lines) >= 2 and all(frame.right - ln.x1 <= tol for ln in lines[:-1]):
        return Alignment.JUSTIFY
    if all(frame.right - ln.x1 <= tol and ln.x0 - frame.left > 0.3 * frame.width for ln in lines):
        return Alignment.RIGHT
    return Alignment.LEFT


def broken_word(a: Line, b: Line, frame: Frame | None) -> bool:
    """The line break falls inside a word: a ends in a hyphen or slash glued to its word
    ("49-" / "KL/TW"), b opens with closing punctuation ("2025" / ")"), or a word too long for
    the frame was broken where the line was full ("125.71" / "2" in a narrow cell): letters or
    digits meet at the break, a's last word and b's first word do not fit on one line together,
    and the word fills line a or line b alone."""
    at, bt = a.text, b.text
    if _HYPHEN_END.search(at) or bt[:1] in _CLOSING:
        return True
    if broken_number(at, bt):
        return True
    if frame is not None and at[-1:].isalpha() and bt[:1].isalpha():
        # Vietnamese breaks lines between syllables: letters meeting at the break are one word
        # only when they make one syllable ("Tổng" / "số giải" in a narrow header cell are two)
        from extractors.readers.legacy import broken_syllable

        return broken_syllable(at, bt)
    if frame is None or frame.right - a.x1 > 0.6 * a.size:
        return False
    if not (at[-1:].isalnum() and bt[:1].isalnum()):
        return False  # a break next to punctuation or a space is a break opportunity
    last, first = a.x1 - a.wordn_x0, b.word1_x1 - b.x0
    if last + first <= frame.width:
        return False  # the whole word would have fitted on line b: the break was chosen
    n_first = len(bt.split(" ", 1)[0]) or 1
    fills_a = a.wordn_x0 - a.x0 < 0.5 and (a.x1 - a.x0) + first / n_first > frame.width - 0.3 * a.size
    return fills_a or first >= frame.width - 0.25 * b.size


def runs_of(lines: list[Line], decoder: PdfDecoder | None = None,
            frame: Frame | None = None) -> list[Run]:
    """The paragraph's runs: spans decoded (per line), then merged by bold/italic; lines are
    joined with a space unless the break was inside a word."""
    pieces: list[tuple[str, bool, bool, str]] = []
    for li, ln in enumerate(lines):
        texts = decoder.spans(ln) if decoder is not None else [s.text for s in ln.spans]
        for si, (sp, text) in enumerate(zip(ln.spans, texts)):
            if si == len(ln.spans) - 1 and li < len(lines) - 1 and not text.endswith(" "):
                if not broken_word(ln, lines[li + 1], frame):
                    text += " "
            pieces.append((text, sp.bold, sp.italic, sp.font))
    runs: list[Run] = []
    weights: list[dict[str, int]] = []
    for text, bold, italic, font in pieces:
        if runs and runs[-1].bold == bold and runs[-1].italic == italic:
            runs[-1].text += text
            w = weights[-1]
        else:
            runs.append(Run(text=text, bold=bold, italic=italic))
            w = {}
            weights.append(w)
        w[font] = w.get(font, 0) + len(text)
    for r, w in zip(runs, weights):
        r.font = max(w, key=w.get) if w else None
        r.text = nfc(r.text).translate(_RUN_FIX)
    return runs


def make_paragraph(lines: list[Line], frame: Frame, decoder: PdfDecoder | None = None,
                   prov: Provenance | None = None) -> Paragraph:
    runs = runs_of(lines, decoder, frame)
    sizes: dict[float, int] = {}
    for ln in lines:
        for sp in ln.spans:
            sizes[sp.size] = sizes.get(sp.size, 0) + len(sp.text)
    first = lines[0].page
    on_first = [ln for ln in lines if ln.page == first]
    bbox = (min(ln.x0 for ln in on_first), min(ln.top for ln in on_first),
            max(ln.x1 for ln in on_first), max(ln.bottom for ln in on_first))
    pages = sorted({ln.page for ln in lines})
    p = prov.model_copy() if prov is not None else Provenance()
    p.pages, p.bbox = pages, tuple(round(v, 2) for v in bbox)
    return Paragraph(
        text=clean_text("".join(r.text for r in runs)),
        runs=runs,
        alignment=alignment(lines, frame),
        font_size=max(sizes, key=sizes.get) if sizes else None,
        provenance=p,
    )

"""Turn a PDF page's characters (pdfplumber `page.chars`) into text lines with font spans.

A `Line` is one horizontal stretch of text on one baseline. Characters on one baseline that are
far apart (a gap of several em, as between the two halves of a header block) become separate
lines sharing a `row` id, so a later stage can see two-column layout. Spaces come from the
text layer's space characters, or from gaps when the layer has none; duplicated glyphs (fake
bold drawn twice), unmapped glyphs ("(cid:12)") and superscript footnote marks after a word
("tỉnh¹"; "m²" stays) are dropped. Pure functions over plain dicts: this runs on every
character of the document, so it stays cheap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_BOLD = re.compile(r"bold|black|heavy|demi|semibold", re.I)
_ITALIC = re.compile(r"italic|oblique|slant|kursiv", re.I)
_BOLD_TAGS = {"b", "bd", "bi", "bdi", "bdit", "bolditalic"}
_ITALIC_TAGS = {"i", "it", "bi", "bdi", "bdit", "boldit"}

SEGMENT_GAP_EM = 2.5  # a gap wider than this (in font sizes) splits a baseline into two lines
SPACES_GAP_EM = 1.2  # … or this, when typed as a run of 3+ spaces
BARE_GAP_EM = 0.8  # … or this, with no space character in it (in a line that has spaces)
SPACE_GAP_EM = 0.15  # a gap wider than this between glyphs is a word space


def base_font(fontname: str) -> str:
    """'BAAAAA+LiberationSerif-Bold' → 'LiberationSerif-Bold' (the subset prefix dropped)."""
    return fontname.split("+", 1)[1] if len(fontname) > 7 and fontname[6] == "+" else fontname


_STYLE_CACHE: dict[str, tuple[bool, bool, str]] = {}


def font_style(fontname: str) -> tuple[bool, bool, str]:
    """(bold, italic, base name) from a PDF font name such as 'Times New Roman,BoldItalic',
    'TimesNewRomanPS-BoldMT', 'Arial-BD', 'VNI-Times-Bold', 'Arial,BI'."""
    got = _STYLE_CACHE.get(fontname)
    if got is None:
        name = base_font(fontname or "")
        low = name.lower()
        tag = low.rsplit(",", 1)[1] if "," in low else low.rsplit("-", 1)[1] if "-" in low else ""
        tag = re.sub(r"(mt|ps)+$", "", tag.strip())
        bold = bool(_BOLD.search(low)) or tag in _BOLD_TAGS
        italic = bool(_ITALIC.search(low)) or tag in _ITALIC_TAGS
        got = _STYLE_CACHE[fontname] = (bold, italic, name)
    return got


@dataclass(slots=True)
class Span:
    """Consecutive text of one font inside a line."""

    text: str
    font: str  # base font name
    bold: bool
    italic: bool
    size: float


@dataclass(slots=True)
class Line:
    page: int  # 1-based
    row: int  # lines sharing a baseline share a row id (unique per page)
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float  # dominant font size
    spans: list[Span] = field(default_factory=list)
    artifact: bool = False  # every glyph is tagged as a PDF artifact (page furniture)
    n_in_row: int = 1  # how many lines share this baseline
    word1_x1: float = 0.0  # right edge of the line's first word
    wordn_x0: float = 0.0  # left edge of its last word

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def bold_start(self) -> bool:
        for s in self.spans:
            if s.text.strip():
                return s.bold
        return False

    @property
    def bold_end(self) -> bool:
        for s in reversed(self.spans):
            if s.text.strip():
                return s.bold
        return False

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    def first_word_width(self) -> float:
        return self.word1_x1 - self.x0


def _baseline(c: dict) -> float:
    m = c.get("matrix")
    if m:
        return c["top"] + c["y1"] - m[5]
    return c["bottom"]


def group_rows(chars: list[dict]) -> list[list[dict]]:
    """Upright characters grouped by baseline, top to bottom; each group sorted by x."""
    items = []
    for c in chars:
        if not c.get("upright", True):
            continue
        t = c["text"]
        if not t or c["size"] <= 0 or t.startswith("(cid:"):  # unmapped glyph: no text to give
            continue
        items.append((_baseline(c), c["x0"], c))
    items.sort(key=lambda it: (it[0], it[1]))
    rows: list[list[dict]] = []
    cur: list[dict] = []
    ref = -1e9  # baseline of the row's largest glyph so far (superscripts sit above it)
    big = 0.0
    for bl, _, c in items:
        size = c["size"]
        if cur and abs(bl - ref) <= 0.5 * max(big, size):
            cur.append(c)
            if size > big + 0.5:
                ref, big = bl, size
            continue
        if cur:
            rows.append(cur)
        cur = [c]
        ref, big = bl, size
    if cur:
        rows.append(cur)
    for r in rows:
        r.sort(key=lambda c: c["x0"])
    return rows


def _dedupe(row: list[dict]) -> list[dict]:
    out: list[dict] = []
    for c in row:
        if out:
            p = out[-1]
            if p["text"] == c["text"] and abs(p["x0"] - c["x0"]) < 0.6 and abs(p["top"] - c["top"]) < 0.6:
                continue  # drawn twice (fake bold, shadow)
        out.append(c)
    return out


def _split_segments(row: list[dict]) -> list[list[dict]]:
    """Split a baseline where the text jumps: a gap of SEGMENT_GAP_EM, or a wide gap typed as
    a run of 3+ spaces, or a wide gap with no space at all in a line that has spaces (two
    table cells side by side)."""
    has_spaces = any(c["text"] == " " for c in row)
    segs: list[list[dict]] = [[]]
    last = None  # last non-space glyph
    n_sp = 0  # spaces since it
    for c in row:
        if c["text"].isspace():
            segs[-1].append(c)
            n_sp += 1
            continue
        if last is not None:
            size = max(c["size"], last["size"])
            gap = c["x0"] - last["x1"]
            if (gap > SEGMENT_GAP_EM * size or (n_sp >= 3 and gap > SPACES_GAP_EM * size)
                    or (n_sp == 0 and has_spaces and gap > BARE_GAP_EM * size)):
                segs.append([])  # trailing spaces stay with the left segment
        segs[-1].append(c)
        last = c
        n_sp = 0
    return [s for s in segs if any(not c["text"].isspace() for c in s)]


_MARKS = set("0123456789*†‡")


def _make_line(seg: list[dict], page: int, row: int) -> Line:
    spans: list[Span] = []
    sizes: dict[float, int] = {}
    pending = False
    prev = None
    artifact = True
    x0 = x1 = None
    top = bottom = baseline = None
    out_any = False
    word1_x1 = None
    wordn_x0 = None
    big = 0.0
    top_size = max(c["size"] for c in seg)
    base = next(_baseline(c) for c in seg if c["size"] == top_size)
    for c in seg:
        t = c["text"]
        if t.isspace():
            pending = True
            continue
        size = c["size"]
        if (size <= 0.8 * top_size and t in _MARKS and spans
                and base - _baseline(c) > 0.2 * top_size and spans[-1].text.rstrip()[-1:] not in "mM"):
            prev = c  # a superscript footnote mark after a word ("tỉnh¹"): not text ("m²" stays)
            continue
        if prev is not None and c["x0"] - prev["x1"] > SPACE_GAP_EM * size:
            pending = True
        if c.get("tag") != "Artifact":
            artifact = False
        bold, italic, name = font_style(c["fontname"])
        if pending and out_any:
            spans[-1].text += " "
            if word1_x1 is None:
                word1_x1 = prev["x1"]
            wordn_x0 = c["x0"]
        pending = False
        s = spans[-1] if spans else None
        if s is not None and s.font == name and s.bold == bold and s.italic == italic:
            s.text += t
        else:
            spans.append(Span(t, name, bold, italic, round(size * 2) / 2))
        out_any = True
        k = round(size * 2) / 2
        sizes[k] = sizes.get(k, 0) + 1
        if x0 is None:
            x0, top, bottom = c["x0"], c["top"], c["bottom"]
        if size > big:  # the baseline of the largest glyphs, not of a superscript
            big, baseline = size, _baseline(c)
        x1 = c["x1"] if x1 is None else max(x1, c["x1"])
        top = min(top, c["top"])
        bottom = max(bottom, c["bottom"])
        prev = c
    return Line(
        page=page, row=row, x0=x0, x1=x1, top=top, bottom=bottom, baseline=baseline,
        size=max(sizes, key=sizes.get), spans=spans, artifact=artifact,
        word1_x1=word1_x1 if word1_x1 is not None else x1,
        wordn_x0=wordn_x0 if wordn_x0 is not None else x0,
    )


def merge_lines(lines: list[Line]) -> Line:
    """One line from pieces of a baseline (left to right), a space between them."""
    if len(lines) == 1:
        return lines[0]
    spans: list[Span] = []
    for i, ln in enumerate(lines):
        for s in ln.spans:
            spans.append(Span(s.text, s.font, s.bold, s.italic, s.size))
        if i < len(lines) - 1 and spans and not spans[-1].text.endswith(" "):
            spans[-1].text += " "
    first = lines[0]
    return Line(
        page=first.page, row=first.row, x0=first.x0, x1=max(ln.x1 for ln in lines),
        top=min(ln.top for ln in lines), bottom=max(ln.bottom for ln in lines),
        baseline=first.baseline, size=max((ln.size for ln in lines), key=[ln.size for ln in lines].count),
        spans=spans, artifact=all(ln.artifact for ln in lines), n_in_row=1, word1_x1=first.word1_x1,
        wordn_x0=lines[-1].wordn_x0,
    )


def page_lines(chars: list[dict], page: int, row_start: int = 0) -> list[Line]:
    """All text lines of a page (or of a subset of its chars), top to bottom, left to right."""
    lines: list[Line] = []
    for ri, row in enumerate(group_rows(chars), start=row_start):
        segs = _split_segments(_dedupe(row))
        for seg in segs:
            ln = _make_line(seg, page, ri)
            ln.n_in_row = len(segs)
            lines.append(ln)
    return lines


def rotated_text(chars: list[dict]) -> str:
    """Text set sideways (a table's vertical header), column by column: read upwards when the
    glyphs turn left, downwards when they turn right."""
    cs = [c for c in chars if not c.get("upright", True) and c["text"].strip()]
    if not cs:
        return ""
    up = (cs[0].get("matrix") or (0, 1))[1] > 0
    cs.sort(key=lambda c: (round(c["x0"] / 2), -c["bottom"] if up else c["top"]))
    return "".join(c["text"] for c in cs)

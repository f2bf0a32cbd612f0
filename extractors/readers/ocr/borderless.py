"""Tables drawn without ruling lines (or ruled only horizontally) in a scanned page, found from
how their words line up in columns.

`find_borderless(words, page_width, dpi)` works on the words Tesseract read on the page (outside
the ruled tables) and returns one `layout.Grid` per table, with its merged header cells, so
that the cells can be read again one by one and the table built like a ruled one.

What makes a table: rows of words split by wide gaps (much wider than a word space) into
chunks, at least two of them numbers, in a run of lines close to one another. The columns are
the stretches between the gutters, the x ranges that no word of those rows covers. Around the
run: lines below whose chunks fit the columns (the total row, a wrapped label) belong to the
table; lines above it whose chunks fit the columns, or stand centred over a group of them, are
its header, up to its first line that has text in several columns (a caption or an
"Đơn vị tính" line above it is not). Within the body a line starts a new row unless it holds
text in one column only, with no number, and reads as the rest of the cell above (it opens in
lower case or the text above ends with a comma or a dash). A header chunk spanning several
columns (e.g. "Thực hiện năm 2024" over Quý I…Cả năm) makes a two-level header: the spanning
cell on the first level, the columns' own titles on the second, the other columns' titles
merged down over both.
Coordinates are page pixels.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from extractors.readers.ocr.engine import Word
from extractors.readers.ocr.layout import Grid
from extractors.readers.ocr.lines import WordsBox, line_pieces, visual_rows
from extractors.readers.ocr.rulings import Segment

CHUNK_GAP = 0.8  # a gap wider than this many word heights separates two cells' text
GUTTER = 0.8  # the narrowest gutter between two columns, in word heights
ROW_GAP = 1.7  # lines of one table stand at most this many line pitches apart (top to top)
MAX_HEADER_LINES = 7

_ORDINAL = re.compile(r"^(?:[IVXLC]{1,5}|\d{1,3}(?:\.\d{1,3}){0,3}|[a-zđ]|[-+–•*])[.):]?$", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_SPECK_MARKS = ".,:;'`‘’“”\"_~¬"
_UNIT_LINE = re.compile(r"^(?:đơn vị|đvt|dvt)\b", re.I)


def _numeric(text: str) -> bool:
    """A number as printed in a table ('1.245,6', '-3', '+1', '92,5%', '(12)'), one letter
    allowed for an OCR slip ('ö2,6'); not a year ('2024') nor a period ('8/2024')."""
    t = text.strip().strip("()[]")
    alnum = [c for c in t if c.isalnum()]
    # a year with a speck read beside it ('2024.', '‘2023') is still a year
    if not alnum or len(alnum) > 16 or " " in t or "/" in t or _YEAR.match(t.strip(_SPECK_MARKS)):
        return False
    digits = sum(c.isdigit() for c in alnum)
    return digits >= 1 and len(alnum) - digits <= (1 if digits >= 2 else 0)


@dataclass
class Chunk:
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].box[0]

    @property
    def x1(self) -> float:
        return max(w.box[2] for w in self.words)

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Line(WordsBox):
    """A visual line of the page: its words (letters or digits only) cut into chunks."""

    words: list[Word]
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.chunks)

    def numbers(self, skip_first: bool = True) -> int:
        cs = self.chunks[1:] if skip_first else self.chunks
        return sum(1 for c in cs if _numeric(c.text))

    @property
    def strong(self) -> bool:
        """A data row: two numbers, or a number among three chunks or more."""
        n = self.numbers()
        return n >= 2 or (n >= 1 and len(self.chunks) >= 3)


def _real(w: Word) -> bool:
    """A word that is text, not a speck: a letter (not a lone accent: 'ˆ') or a digit or '%',
    and not a lone character read with little confidence."""
    chars = [c for c in w.text if (c.isalnum() and unicodedata.category(c) != "Lm") or c == "%"]
    return bool(chars) and not (len(w.text) == 1 and w.conf < 50)


def _lines(words: list[Word], page: int, height: float) -> list[Line]:
    rows = visual_rows(line_pieces(words, page))
    out = []
    for r in rows:
        ws = sorted((w for w in r.words if _real(w)), key=lambda w: w.box[0])
        if not ws:
            continue
        ln = Line(ws)
        cur = [ws[0]]
        for a, b in zip(ws, ws[1:]):
            if b.box[0] - a.box[2] > CHUNK_GAP * height:
                ln.chunks.append(Chunk(cur))
                cur = []
            cur.append(b)
        ln.chunks.append(Chunk(cur))
        out.append(ln)
    out.sort(key=lambda ln: ln.top)
    return out


@dataclass
class Column:
    lo: float  # the extent of its text (data rows; header text for a header-only column)
    hi: float

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2


def _merge_spans(spans: list[tuple[float, float]], gap: float) -> list[Column]:
    cols: list[Column] = []
    for a, b in sorted(spans):
        if cols and a - cols[-1].hi < gap:
            cols[-1].hi = max(cols[-1].hi, b)
        else:
            cols.append(Column(a, b))
    return cols


def _columns(lines: list[Line], height: float, ink: np.ndarray | None = None) -> list[Column]:
    """The stretches between gutters: x ranges no word of these lines covers, at least
    GUTTER word heights wide (a gutter that one line alone bridges, a speck glued to a word,
    stays). With the page's ink mask, a column the page pass did not read (a column of lone
    digits) is added where ink stands in a gutter on many of the lines (a speck stands on one)."""
    spans = [(w.box[0], w.box[2]) for ln in lines for w in ln.words]
    cols = _merge_spans(spans, GUTTER * height)
    if len(lines) >= 5:  # one line alone bridging a gutter (a speck glued to a word): left out
        for k in range(len(lines)):
            rest = [(w.box[0], w.box[2]) for j, ln in enumerate(lines) if j != k for w in ln.words]
            without = _merge_spans(rest, GUTTER * height)
            if len(without) > len(cols):
                spans, cols = rest + [(w.box[0], w.box[2]) for w in lines[k].words
                                      if not any(w.box[0] < c.lo < w.box[2] or w.box[0] < c.hi < w.box[2]
                                                 for c in without)], without
    if ink is None or not lines or len(cols) < 2:
        return _merge_spans(spans, GUTTER * height)
    x0 = max(0, int(cols[0].lo - 4 * height))
    x1 = min(ink.shape[1], int(cols[-1].hi + 4 * height))
    found: list[tuple[float, float]] = []
    line_of: list[int] = []
    for k, ln in enumerate(lines):
        used = ink[int(ln.top):int(ln.bottom) + 1, x0:x1].sum(axis=0) >= 2
        idx = np.flatnonzero(np.diff(np.concatenate([[0], used.astype(np.int8), [0]])))
        for a, b in zip(idx[::2].tolist(), idx[1::2].tolist()):
            a, b = a + x0, b + x0
            if b - a >= 0.15 * height and not any(min(b, c.hi) - max(a, c.lo) > -0.3 * height for c in cols):
                found.append((a, b))
                line_of.append(k)
    extra = _merge_spans(found, 0.3 * height)
    need = max(2, 0.3 * len(lines))
    for c in extra:
        support = len({k for (a, b), k in zip(found, line_of) if c.lo <= a and b <= c.hi})
        if support >= need:
            spans.append((c.lo, c.hi))
    return _merge_spans(spans, GUTTER * height)


def _covered(c: Chunk, cols: list[Column]) -> list[int]:
    """The columns a chunk stands over: those whose stretch (between the middles of the
    gutters) it overlaps by at least a third of the narrower of the two; at least the
    nearest one."""
    bounds = [float("-inf")] + [(a.hi + b.lo) / 2 for a, b in zip(cols, cols[1:])] + [float("inf")]
    hit = []
    for i in range(len(cols)):
        lo = bounds[i] if i else min(cols[0].lo, c.x0)
        hi = bounds[i + 1] if i + 1 < len(cols) else max(cols[-1].hi, c.x1)
        over = min(c.x1, hi) - max(c.x0, lo)
        if over > 0 and over >= 0.3 * min(c.x1 - c.x0, hi - lo):
            hit.append(i)
    if hit:
        return list(range(min(hit), max(hit) + 1))
    return [min(range(len(cols)), key=lambda i: abs(cols[i].mid - c.mid))]


def _split_numbers(ln: Line, cols: list[Column]) -> None:
    """Numbers of neighbouring columns run into one chunk (a speck in the gutter between them
    read as part of a word: '5.912,4-.' '6.355,8') are cut apart again: a chunk of numbers,
    each standing over a column of its own, is not a merged cell."""
    out: list[Chunk] = []
    for c in ln.chunks:
        if len(c.words) >= 2 and len(_covered(c, cols)) > 1 and all(_numeric(w.text) for w in c.words):
            own = [_covered(Chunk([w]), cols) for w in c.words]
            if all(len(o) == 1 for o in own) and len({o[0] for o in own}) == len(own):
                out.extend(Chunk([w]) for w in c.words)
                continue
        out.append(c)
    ln.chunks = out


def _fits(ln: Line, cols: list[Column], height: float) -> bool:
    """Every chunk of the line stands in one column, or centred over the columns it covers (a
    spanning header or group cell); a line that opens at the table's left edge and runs on
    over several columns is body text."""
    left = cols[0].lo
    for c in ln.chunks:
        cov = _covered(c, cols)
        if len(cov) == 1:
            continue
        lo, hi = cols[cov[0]].lo, cols[cov[-1]].hi
        if c.x0 < left - 0.5 * height or c.x0 < lo - 1.5 * height or c.x1 > hi + 1.5 * height:
            return False
        if abs(c.mid - (lo + hi) / 2) > 0.15 * (hi - lo) + height:
            return False
    return True


def _continues(ln: Line, prev: list[Line], cols: list[Column]) -> bool:
    """The line is the rest of the cells of the row above (wrapped labels): no number, each
    chunk in one column, opening in lower case (or the text above it ends with a comma or a
    dash)."""
    for c in ln.chunks:
        col = _covered(c, cols)
        if len(col) != 1 or _numeric(c.text) or _ORDINAL.match(c.words[0].text):
            return False
        first = c.text[:1]
        if first.islower() or first in "(-–/&":
            continue
        above = [a for p in prev for a in p.chunks if _covered(a, cols) == col]
        if not (above and above[-1].text.rstrip()[-1:] in ",-–&/"):
            return False
    return True


def _pitch(lines: list[Line]) -> float:
    d = [b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top]
    return statistics.median(d) if d else 0.0


@dataclass
class _Table:
    header: list[Line]
    rows: list[list[Line]]
    cols: list[Column]


def _blocks(lines: list[Line], pitch: float, width: float) -> list[tuple[int, int]]:
    """Runs of lines (first, last index) holding at least two data rows, close together, with
    nothing between them that looks like a full body line."""
    out: list[tuple[int, int]] = []
    start = end = None
    n_strong = 0
    for k, ln in enumerate(lines):
        if not ln.strong:
            continue
        if end is not None and k - end <= 4 and all(
                lines[j].top - lines[j - 1].top <= ROW_GAP * pitch for j in range(end + 1, k + 1)) and all(
                len(lines[j].chunks) > 1 or lines[j].x1 - lines[j].x0 < 0.6 * width for j in range(end + 1, k)):
            end = k
            n_strong += 1
            continue
        if end is not None and n_strong >= 2:
            out.append((start, end))
        start = end = k
        n_strong = 1
    if end is not None and n_strong >= 2:
        out.append((start, end))
    return out


def _ruled_between(rules: list[Segment], top: float, bottom: float, cols: list[Column]) -> bool:
    """A horizontal rule between two lines, across most of the table."""
    lo, hi = cols[0].lo, cols[-1].hi
    return any(top < r.pos < bottom and min(r.end, hi) - max(r.start, lo) >= 0.5 * (hi - lo) for r in rules)


def _table(lines: list[Line], a: int, b: int, pitch: float, height: float, ink: np.ndarray | None,
           rules: list[Segment]) -> _Table | None:
    body = lines[a:b + 1]
    cols = _columns([ln for ln in body if ln.strong], height, ink)
    if len(cols) < 3:
        return None
    for ln in lines:
        _split_numbers(ln, cols)
    if not all(_fits(ln, cols, height) or len(ln.chunks) == 1 for ln in body):
        return None
    # below: the total row, the rest of a wrapped label
    while b + 1 < len(lines):
        nxt = lines[b + 1]
        if nxt.top - lines[b].top > ROW_GAP * pitch or not _fits(nxt, cols, height):
            break
        numbers = nxt.numbers() >= 1 and len(nxt.chunks) >= 2
        if not numbers and not _continues(nxt, [lines[b]], cols):
            break
        b += 1
    body = lines[a:b + 1]
    # above: the header, up to its first line with text in several columns
    cand: list[Line] = []
    k = a - 1
    while k >= 0 and len(cand) < MAX_HEADER_LINES:
        ln = lines[k]
        below = cand[-1] if cand else lines[a]
        ruled = _ruled_between(rules, ln.bottom, below.top, cols)  # a rule under the header
        if below.top - ln.top > (3 if ruled else ROW_GAP) * pitch or not _fits(ln, cols, height):
            break
        if _UNIT_LINE.match(ln.text) or (len(ln.chunks) == 1 and ln.text.rstrip()[-1:] in ".:;"):
            break  # a unit line, the end of the paragraph introducing the table
        cand.append(ln)
        k -= 1
    header: list[Line] = []
    for i in range(len(cand) - 1, -1, -1):  # top down: the first line that opens the header
        ln = cand[i]
        spans = [len(_covered(c, cols)) for c in ln.chunks]
        places = {tuple(_covered(c, cols)) for c in ln.chunks}
        if len(places) >= 2 or (spans and 1 < max(spans) < 0.75 * len(cols)):
            header = list(reversed(cand[:i + 1]))
            break
    _add_header_columns(header, cols, height)
    rows: list[list[Line]] = []
    for ln in body:
        if rows and _continues(ln, rows[-1], cols):
            rows[-1].append(ln)
        elif rows and ln.numbers() and len(rows[-1]) == 1 and not rows[-1][0].numbers() \
                and ln.chunks[0].text[:1].islower():
            rows[-1].append(ln)  # a label set above its row's numbers (cells centred vertically)
        else:
            rows.append([ln])
    if sum(1 for r in rows if any(ln.strong for ln in r)) < 2:
        return None
    return _Table(header, rows, cols)


def _add_header_columns(header: list[Line], cols: list[Column], height: float) -> None:
    """A column with a title but no data (an empty 'Ghi chú'): a header chunk standing clear
    of every column's text."""
    for ln in header:
        for c in ln.chunks:
            if any(min(c.x1, col.hi) - max(c.x0, col.lo) > -0.5 * height for col in cols):
                continue
            cols.append(Column(c.x0, c.x1))
            cols.sort(key=lambda col: col.lo)


def _grid(t: _Table, height: float, rules: list[Segment] = ()) -> Grid:
    cols = t.cols
    nc = len(cols)
    pad = 0.3 * height
    all_lines = t.header + [ln for r in t.rows for ln in r]
    x0 = min(min(ln.x0 for ln in all_lines), cols[0].lo) - pad
    x1 = max(max(ln.x1 for ln in all_lines), cols[-1].hi) + pad
    xs = [x0] + [(a.hi + b.lo) / 2 for a, b in zip(cols, cols[1:])] + [x1]
    # header levels: spanning chunks make a first level over their columns
    groups: list[tuple[int, int]] = []
    for ln in t.header:
        for c in ln.chunks:
            cov = _covered(c, cols)
            if len(cov) > 1 and not any(g[0] <= cov[0] <= g[1] for g in groups):
                groups.append((cov[0], cov[-1]))
    level_y: float | None = None
    if groups:
        sub_tops = []
        for ln in t.header:
            for c in ln.chunks:
                cov = _covered(c, cols)
                g = next((g for g in groups if g[0] <= cov[0] and cov[-1] <= g[1]), None)
                if g is None or len(cov) > 1:
                    continue
                gmid = (cols[g[0]].lo + cols[g[1]].hi) / 2
                if abs(c.mid - cols[cov[0]].mid) < abs(c.mid - gmid):
                    sub_tops.append(ln.top)
        if sub_tops:
            top = min(sub_tops)
            above = [ln.bottom for ln in t.header if ln.top < top]
            level_y = (max(above) + top) / 2 if above else None
    if level_y is not None:
        # a column next to a group whose title stands on the second level only (Quý I beside
        # a "Thực hiện năm 2024" narrower than its five columns) belongs to the group
        own_top = {i: min((ln.top for ln in t.header for c in ln.chunks if _covered(c, cols) == [i]),
                          default=float("inf")) for i in range(nc)}
        in_group = {c for lo, hi in groups for c in range(lo, hi + 1)}
        grown = []
        for lo, hi in groups:
            while lo - 1 >= 0 and lo - 1 not in in_group and level_y < own_top[lo - 1] < float("inf"):
                lo -= 1
                in_group.add(lo)
            while hi + 1 < nc and hi + 1 not in in_group and level_y < own_top[hi + 1] < float("inf"):
                hi += 1
                in_group.add(hi)
            grown.append((lo, hi))
        groups = grown
    ys: list[float] = []
    if t.header:
        ys.append(t.header[0].top - pad)
        if level_y is not None:
            ys.append(level_y)
    else:
        ys.append(t.rows[0][0].top - pad)
    prev = t.header[-1] if t.header else None
    for r in t.rows:
        if prev is not None:
            between = [x.pos for x in rules if prev.bottom < x.pos < r[0].top
                       and min(x.end, cols[-1].hi) - max(x.start, cols[0].lo) >= 0.5 * (cols[-1].hi - cols[0].lo)]
            ys.append(between[-1] if between else (prev.bottom + r[0].top) / 2)  # a rule under the header
        prev = r[-1]
    ys.append(prev.bottom + pad)
    g = Grid(xs=xs, ys=ys)
    nr = g.n_rows
    g.v_open = [[False] * (nc - 1) for _ in range(nr)]
    g.h_open = [[False] * nc for _ in range(nr - 1)]
    if level_y is not None:
        for lo, hi in groups:
            for c in range(lo + 1, hi + 1):
                g.v_open[0][c - 1] = True
        in_group = {c for lo, hi in groups for c in range(lo, hi + 1)}
        for c in range(nc):
            if c not in in_group:
                g.h_open[0][c] = True
    n_head = (2 if level_y is not None else 1) if t.header else 0
    for k, r in enumerate(t.rows):  # a data line spanning columns: a merged cell
        row = n_head + k
        for ln in r:
            for c in ln.chunks:
                cov = _covered(c, cols)
                for col in cov[1:]:
                    g.v_open[row][col - 1] = True
    g.merge_cells()
    return g


def find_borderless(words: list[Word], page: int, page_width: float, dpi: int, ink: np.ndarray | None = None,
                    rules: list[Segment] = ()) -> list[Grid]:
    """The grids of the tables drawn without vertical rulings among these words, top to
    bottom. `ink` (the page's ink mask) finds columns whose words the page pass missed;
    `rules` (horizontal rulings outside ruled tables) bound a table ruled only
    horizontally."""
    if len(words) < 6:
        return []
    height = statistics.median(w.box[3] - w.box[1] for w in words if any(c.isalnum() for c in w.text)) \
        if any(any(c.isalnum() for c in w.text) for w in words) else dpi / 6
    lines = _lines(words, page, height)
    pitch = _pitch(lines) or 1.4 * height
    width = max((ln.x1 for ln in lines), default=page_width) - min((ln.x0 for ln in lines), default=0)
    out: list[Grid] = []
    for a, b in _blocks(lines, pitch, width):
        t = _table(lines, a, b, pitch, height, ink, list(rules))
        if t is not None:
            out.append(_grid(t, height, list(rules)))
    return out

"""Borderless tables in a text PDF: found from words standing in columns, with or without
horizontal rules (a table ruled only at its top, under its header and at its bottom).

A table without vertical rules shows on the page as consecutive text rows that break into
pieces ("chunks": words closer than CHUNK_GAP_EM) at the same places row after row. Per page:

1. Runs: neighbouring rows, cut at a lone line as wide as body text and at a line of a header
   or signature block (national motto, "Nơi nhận", "TM.", a signer's title); a run starts at
   its first row of two or more chunks, and its lone lines after its last such row are only
   taken when they carry on the last row's cells.
2. The header rows are found first (rows above the first full-width rule inside the run, else
   the leading bold rows without figures, else the leading rows without figures, at most 6).
3. Gutters between columns are the x-intervals that (almost) no chunk of the body's rows of
   several chunks covers: a couple of crossing rows are tolerated (a merged "Tổng cộng"), a
   column's long entries reaching into the stretch only narrow it, a sparse column ("Ghi chú")
   or a header title standing alone in it splits it, and a gutter more chunks cross than stand
   beside it is dropped (a ragged column reaching past a centred heading).
4. The run is cut again where a row does not line up with the table: a wide line crossing the
   gutters (a numbered paragraph), a body row none of whose chunks starts, ends or is centred
   where chunks of the rows above do (text typed with a tab after the table), a header band
   none of whose chunks lines up with the body or the rest of the header.
5. A chunk covers the columns it overlaps (a column reaching a quarter of the way into its
   gutters); one covering several spans them (first split where a wide gap between two of its
   words lies over a gutter).
6. Rows closer than BAND_EM are one band (a cell centred beside a cell of two lines). A header
   heading spanning columns is a parent: the columns whose titles start below it are its
   sub-columns (a second header row), the others span both rows.
7. Body bands are rows; a band carries on the row above when each of its chunks continues a
   wrapped line of that row's cell (the next word would not have fitted on the line above, in
   the widest line the column holds) or a list item of the same cell, it holds no figure, and
   no rule lies between them.

A candidate is kept only when it reads as data (_tabular): two rows with two cells filled, a
column of figures other than the first, every figure in a cell of its own (not a chart's value
labels) and at least MIN_FILL of its positions filled. A two-column block of text (issuer |
motto, a signature) is left to pdf.layout. The result is a `Grid` (ruled=False, with its
gutters) whose cells own their characters, so a borderless table is read, classified and
continued across pages like a ruled one; the rows at the top of the next page are read in the
columns of a borderless table that ended the page before (`carry`), the rest of a row the page
end broke included.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field

from extractors.readers.pdf.lines import font_style, group_rows
from extractors.readers.pdf.tables import Grid, GridCell
from extractors.readers.word.docx import is_layout_line

WORD_GAP_EM = 0.15  # a gap wider than this between glyphs without a space separates words
CHUNK_GAP_EM = 0.7  # words further apart than this are in different cells
SPLIT_GAP_EM = 0.4  # … and this far apart, when the gap lies over a column gutter
MIN_GUTTER_EM = 0.45  # a column gutter is at least this wide
NEAR_EM = 2.4  # rows of one table: baselines at most this many font sizes apart
BAND_EM = 0.8  # rows closer than this are one band
WIDE_LINE = 0.6  # a lone line this wide (share of the table's width) crossing a gutter is text
MIN_FILL = 0.4  # share of a table body's positions that hold text
MAX_COLUMNS = 60  # more gutters than this: no table
RULE_SHARE = 0.8  # a rule this wide (share of the table's width) separates rows / the header
ALIGN_TOL = 1.0  # points: cells of one column start, end or are centred within this of each other

_FIGURE = re.compile(r"^[+\-−–]?\(?[\d.,]*\d[\d.,]*\)?%?$|^[-–—]$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_BULLET = re.compile(r"^[-–+•●▪*]\s")


@dataclass(slots=True)
class Word:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    text: str
    chars: list[dict]


@dataclass(slots=True)
class Chunk:
    """Words of one cell on one text row."""

    words: list[Word]
    first: int = -1  # the columns it covers, once the columns are known
    last: int = -1

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def figure(self) -> bool:
        t = self.text.replace(" ", "")
        return bool(_FIGURE.match(t)) and not _YEAR.match(t)


@dataclass(slots=True)
class TextRow:
    chunks: list[Chunk]
    baseline: float
    top: float
    bottom: float
    size: float

    @property
    def x0(self) -> float:
        return self.chunks[0].x0

    @property
    def x1(self) -> float:
        return self.chunks[-1].x1


@dataclass
class Band:
    rows: list[TextRow]

    @property
    def chunks(self) -> list[Chunk]:
        return [c for r in self.rows for c in r.chunks]

    @property
    def top(self) -> float:
        return min(r.top for r in self.rows)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.rows)


@dataclass
class _Row:
    """A table row being built: its bands and, per column, the chunks (lines) of its cell."""

    bands: list[Band] = field(default_factory=list)
    cells: dict[tuple[int, int], list[Chunk]] = field(default_factory=dict)  # (first, last) → lines

    def add(self, band: Band) -> None:
        self.bands.append(band)
        for c in band.chunks:
            self.cells.setdefault((c.first, c.last), []).append(c)

    @property
    def top(self) -> float:
        return self.bands[0].top

    @property
    def bottom(self) -> float:
        return self.bands[-1].bottom


# -- words and rows -------------------------------------------------------------------------

def _word(chars: list[dict]) -> Word:
    glyphs = [c for c in chars if not c["text"].isspace()]
    bold = sum(font_style(c["fontname"])[0] for c in glyphs) * 2 > len(glyphs)
    return Word(glyphs[0]["x0"], max(c["x1"] for c in glyphs), min(c["top"] for c in glyphs),
                max(c["bottom"] for c in glyphs), max(c["size"] for c in glyphs), bold,
                "".join(c["text"] for c in glyphs), chars)


def _words(row: list[dict]) -> list[Word]:
    """A row's words: glyphs split at spaces and at gaps; a space glyph stays with the word
    before it (so a cell keeps the spaces of its text)."""
    words: list[Word] = []
    cur: list[dict] = []
    last = None  # last glyph
    for c in row:
        if c["text"].isspace():
            if cur:
                cur.append(c)
            continue
        if last is not None and cur and (cur[-1]["text"].isspace()
                                         or c["x0"] - last["x1"] > WORD_GAP_EM * max(c["size"], last["size"])):
            words.append(_word(cur))
            cur = []
        if last is not None and abs(c["x0"] - last["x0"]) < 0.6 and c["text"] == last["text"]:
            continue  # drawn twice (fake bold)
        cur.append(c)
        last = c
    if cur and any(not c["text"].isspace() for c in cur):
        words.append(_word(cur))
    return words


def _chunks(words: list[Word]) -> list[Chunk]:
    out: list[Chunk] = []
    for w in words:
        if out and w.x0 - out[-1].x1 <= CHUNK_GAP_EM * max(w.size, out[-1].words[-1].size):
            out[-1].words.append(w)
        else:
            out.append(Chunk([w]))
    return out


def text_rows(chars: list[dict]) -> list[TextRow]:
    """The upright text of a page as rows of chunks, top to bottom."""
    rows = []
    for row in group_rows(chars):
        words = _words(row)
        if not words:
            continue
        sizes = sorted(w.size for w in words)
        rows.append(TextRow(_chunks(words), baseline=max(w.bottom for w in words),
                            top=min(w.top for w in words), bottom=max(w.bottom for w in words),
                            size=sizes[len(sizes) // 2]))
    return rows


# -- runs of rows and their gutters -----------------------------------------------------------

def _runs(rows: list[TextRow]) -> list[list[TextRow]]:
    """Neighbouring rows, cut at lone lines as wide as body text and at the lines of a header
    or signature block, each run starting at its first row of several chunks."""
    out: list[list[TextRow]] = []
    cur: list[TextRow] = []
    for r in rows:
        if cur and r.top - cur[-1].bottom > (NEAR_EM - 1.0) * max(r.size, cur[-1].size):
            out.append(cur)
            cur = []
        cur.append(r)
    if cur:
        out.append(cur)
    pieces: list[list[TextRow]] = []
    for run in out:
        width = max(r.x1 for r in run) - min(r.x0 for r in run)
        cur = []
        for r in run:
            if (len(r.chunks) == 1 and r.chunks[0].width >= WIDE_LINE * width) \
                    or any(is_layout_line(c.text) for c in r.chunks):
                pieces.append(cur)
                cur = []
            else:
                cur.append(r)
        pieces.append(cur)
    kept = []
    for run in pieces:
        multi = [i for i, r in enumerate(run) if len(r.chunks) >= 2]
        if len(multi) >= 2:
            kept.append(run[multi[0]:])
    return kept


def _core(rows: list[TextRow]) -> tuple[list[TextRow], list[TextRow]]:
    """(the rows up to the last row of several chunks, the lone lines after it)."""
    last = max(i for i, r in enumerate(rows) if len(r.chunks) >= 2)
    return rows[: last + 1], rows[last + 1:]


def _full_rules(rules: list[tuple[float, float, float]], x0: float, x1: float) -> list[float]:
    """y of the rules that run under most of the table's width."""
    need = RULE_SHARE * (x1 - x0)
    return sorted(y for a, b, y in rules if min(b, x1) - max(a, x0) >= need)


def _header_count(rows: list, rule_ys: list[float]) -> int:
    """How many rows (or bands) at the top are the header: those above the first full-width
    rule inside the table, else the leading bold ones without figures (when bold does not run
    through the whole table), else the leading ones without figures (at most 6)."""
    if len(rows) < 2:
        return 0
    inner = [y for y in rule_ys if rows[0].bottom < y < rows[-1].top]
    if inner:
        n = sum(1 for r in rows if r.bottom <= inner[0] + 1.0)
        if 0 < n < len(rows):
            return n
    plain = [not all(c.bold for c in r.chunks) or any(c.figure for c in r.chunks) for r in rows]
    if not plain[0] and any(plain):
        return plain.index(True)
    n = 0
    while n < len(rows) and not any(c.figure for c in rows[n].chunks):
        n += 1
    return n if 0 < n < len(rows) and n <= 6 else 0


def _free(a: float, b: float, occupied: list[tuple[float, float]], min_w: float,
          lo: float, hi: float) -> list[tuple[float, float]]:
    """The free intervals of [a, b] around `occupied`, at least min_w wide, not at the edges."""
    out = []
    edge = a
    for x0, x1 in sorted(occupied) + [(b, b)]:
        if x0 - edge >= min_w and edge > lo and x0 < hi:
            out.append((edge, x0))
        edge = max(edge, x1)
    return out


def _gutters(rows: list[TextRow], n_head: int) -> list[tuple[float, float]]:
    """x-intervals between columns: covered by (almost) no chunk of the body rows of several
    chunks; a header heading standing alone inside one (an empty column's title) splits it."""
    body = [r for r in rows[n_head:] if len(r.chunks) >= 2]
    if len(body) < 2:
        body, n_head = [r for r in rows if len(r.chunks) >= 2], 0
    if len(body) < 2:
        return []
    lo = min(r.x0 for r in rows)
    hi = max(r.x1 for r in rows)
    size = sorted(r.size for r in body)[len(body) // 2]
    tolerated = min(2, len(body) // 4)
    events: list[tuple[float, int]] = []
    for r in body:
        for c in r.chunks:
            events.append((c.x0, 1))
            events.append((c.x1, -1))
    events.sort()
    cands: list[tuple[float, float]] = []
    depth = 0
    start: float | None = lo
    for x, d in events:
        before = depth
        depth += d
        if before > tolerated >= depth:
            start = x
        elif before <= tolerated < depth and start is not None:
            cands.append((start, x))
            start = None
    if start is not None:
        cands.append((start, hi))
    min_w = MIN_GUTTER_EM * size
    chunks = [c for r in rows[n_head:] for c in r.chunks]
    out: list[tuple[float, float]] = []
    for a, b in cands:
        # what stands in the stretch without crossing it whole (a ragged column's long entries,
        # a sparse column) leaves only the free intervals around it as gutters
        inside = [(max(c.x0, a), min(c.x1, b)) for c in chunks
                  if c.x0 < b and c.x1 > a and not (c.x0 <= a and c.x1 >= b)]
        out.extend(_free(a, b, inside, min_w, lo, hi))
    heads = [c for r in rows[:n_head] for c in r.chunks]
    split: list[tuple[float, float]] = []
    for a, b in out:
        inner = [(c.x0, c.x1) for c in heads if c.x0 > a and c.x1 < b]
        split.extend(_free(a, b, inner, min_w, lo, hi) if inner else [(a, b)])
    if len(split) > MAX_COLUMNS:
        return []  # scattered labels (a chart, a map), not a table's columns
    return _prune(split, [c for r in rows for c in r.chunks])


def _prune(gutters: list[tuple[float, float]], chunks: list[Chunk]) -> list[tuple[float, float]]:
    """Drop gutters that more chunks cross than stand on one of their sides: the long entries
    of a ragged column reaching past a heading, not cells spanning two columns."""
    gutters = list(gutters)
    while gutters:
        worst, worst_k = 0.0, -1
        for k, (a, b) in enumerate(gutters):
            crossing = sum(1 for c in chunks if c.x0 <= a and c.x1 >= b)
            if not crossing:
                continue
            left_edge = gutters[k - 1][1] if k > 0 else -1e9
            right_edge = gutters[k + 1][0] if k + 1 < len(gutters) else 1e9
            left = sum(1 for c in chunks if c.x0 >= left_edge and c.x1 <= a)
            right = sum(1 for c in chunks if c.x0 >= b and c.x1 <= right_edge)
            ratio = crossing / max(min(left, right), 1)
            if ratio >= 1.0 and ratio > worst:
                worst, worst_k = ratio, k
        if worst_k < 0:
            break
        del gutters[worst_k]
    return gutters


def _split_at_gutters(c: Chunk, gutters: list[tuple[float, float]]) -> list[Chunk]:
    """A chunk broken where a wide gap between two of its words lies over a gutter."""
    pieces = [Chunk([c.words[0]])]
    for a, b in zip(c.words, c.words[1:]):
        gap = b.x0 - a.x1
        if gap >= SPLIT_GAP_EM * max(a.size, b.size) and any(a.x1 <= (g0 + g1) / 2 <= b.x0
                                                              for g0, g1 in gutters):
            pieces.append(Chunk([b]))
        else:
            pieces[-1].words.append(b)
    return pieces


def _place(c: Chunk, gutters: list[tuple[float, float]]) -> None:
    """The columns the chunk covers. A column reaches a quarter of the way into the gutters on
    either side: a heading centred over two columns crosses the middle half of the gutter
    between them, a heading wider than its column's figures does not."""
    cols = []
    for j in range(len(gutters) + 1):
        left = gutters[j - 1][0] + 0.75 * (gutters[j - 1][1] - gutters[j - 1][0]) if j else -1e9
        right = gutters[j][0] + 0.25 * (gutters[j][1] - gutters[j][0]) if j < len(gutters) else 1e9
        if c.x0 < right and c.x1 > left:
            cols.append(j)
    if not cols:  # within the middle half of a gutter: the nearer column
        mid = (c.x0 + c.x1) / 2
        k = min(range(len(gutters)), key=lambda k: abs(mid - sum(gutters[k]) / 2))
        cols = [k if mid < sum(gutters[k]) / 2 else k + 1]
    c.first, c.last = cols[0], cols[-1]


def _crossing(c: Chunk, gutters: list[tuple[float, float]]) -> bool:
    return any(c.x0 < g0 and c.x1 > g1 for g0, g1 in gutters)


@dataclass
class _Part:
    """A table candidate: its rows, the lone lines after them, gutters, header rows."""

    rows: list[TextRow]
    tail: list[TextRow]
    gutters: list[tuple[float, float]]
    n_head: int
    rule_ys: list[float]


class _Edges:
    """Left edges, right edges and centres of chunks, kept sorted: does a chunk line up with
    `need` others (within ALIGN_TOL)?"""

    def __init__(self) -> None:
        self.values: tuple[list[float], list[float], list[float]] = ([], [], [])

    @staticmethod
    def _kinds(c: Chunk) -> tuple[float, float, float]:
        return c.x0, c.x1, (c.x0 + c.x1) / 2

    def add(self, c: Chunk) -> None:
        for vals, v in zip(self.values, self._kinds(c)):
            insort(vals, v)

    def lines_up(self, c: Chunk, need: int = 1) -> bool:
        return any(bisect_right(vals, v + ALIGN_TOL) - bisect_left(vals, v - ALIGN_TOL) >= need
                   for vals, v in zip(self.values, self._kinds(c)))


def _foreign(rows: list[TextRow], n_head: int, gutters: list[tuple[float, float]]) -> int | None:
    """The first row that does not line up with the table: a body row none of whose cells starts,
    ends or is centred where cells of two body rows above it do (one, for the second row and
    for a lone line) (a paragraph typed with a tab after the table), or a header band none of whose cells lines up
    with the body or the rest of the header (text before the table; headings spanning a gutter
    do not count)."""
    def own(r: TextRow) -> list[Chunk]:
        return [c for c in r.chunks if not _crossing(c, gutters)]

    seen = _Edges()
    body = rows[n_head:]
    for k, r in enumerate(body):
        cells = r.chunks
        need = 1 if len(cells) == 1 else min(2, k)  # a wrapped line: under the line above
        if k and not any(seen.lines_up(c, need) for c in cells):
            return n_head + k
        for c in cells:
            seen.add(c)
    heads = _bands(rows[:n_head])  # lines of one header cell line up with each other
    for k in range(len(heads) - 1, -1, -1):
        cells = [c for r in heads[k].rows for c in own(r)]
        others = _Edges()
        for j, band in enumerate(heads):
            if j != k:
                for r in band.rows:
                    for c in own(r):
                        others.add(c)
        if cells and not any(seen.lines_up(c) or others.lines_up(c) for c in cells):
            return rows.index(heads[k].rows[-1])
    return None


def _cut(rows: list[TextRow], rules: list[tuple[float, float, float]]) -> list[_Part]:
    """Table candidates in a run, cut at lines that read as body text: a lone line as wide as a
    paragraph crossing the gutters, a row whose wide text crosses them (a numbered paragraph),
    a row that does not line up with the table (_foreign)."""
    core, tail = _core(rows)
    x0, x1 = min(r.x0 for r in core), max(r.x1 for r in core)
    rule_ys = _full_rules(rules, x0, x1)
    n_head = _header_count(core, rule_ys)
    gutters = _gutters(core, n_head)
    if not gutters:
        return []
    width = x1 - x0
    cut = None
    for i, r in enumerate(core):
        if any(_crossing(c, gutters) and c.width >= WIDE_LINE * width for c in r.chunks):
            cut = i
            break
    if cut is None:
        cut = _foreign(core, n_head, gutters)
    if cut is None:
        return [_Part(core, tail, gutters, n_head, rule_ys)]
    out = []
    for part in (core[:cut], core[cut + 1:] + tail):
        multi = [k for k, x in enumerate(part) if len(x.chunks) >= 2]
        if len(multi) >= 2:
            out.extend(_cut(part[multi[0]:], rules))
    return out


# -- bands, header, rows ------------------------------------------------------------------------

def _bands(rows: list[TextRow]) -> list[Band]:
    out: list[Band] = []
    for r in rows:
        if out and r.baseline - out[-1].rows[-1].baseline < BAND_EM * r.size:
            out[-1].rows.append(r)
        else:
            out.append(Band([r]))
    return out


def _widest(bands: list[Band], n_cols: int) -> list[float]:
    w = [0.0] * n_cols
    for b in bands:
        for c in b.chunks:
            if c.first == c.last:
                w[c.first] = max(w[c.first], c.width)
    return w


def _wrapped(line: Chunk, nxt: Chunk, widest: float) -> bool:
    """`nxt` carries on `line` in one cell: its first word would not have fitted after it."""
    space = 0.25 * line.words[-1].size
    return line.width + space + nxt.words[0].x1 - nxt.words[0].x0 > widest + 0.5


def _continues(row: _Row, band: Band, widest: list[float], rule_ys: list[float]) -> bool:
    """The band carries on the row above (wrapped lines of its cells)."""
    if any(row.bottom - 1.0 <= y <= band.top + 1.0 for y in rule_ys):
        return False
    for c in band.chunks:
        lines = row.cells.get((c.first, c.last))
        if not lines or c.figure or lines[-1].figure:
            return False
        if c.first != c.last:
            continue  # a spanning cell's second line
        if _BULLET.match(c.text) and _BULLET.match(lines[0].text):
            continue  # another list item of the same cell
        if not _wrapped(lines[-1], c, widest[c.first]):
            return False
    return True


def _group(bands: list[Band], widest: list[float], rule_ys: list[float]) -> list[_Row]:
    rows: list[_Row] = []
    for b in bands:
        if rows and _continues(rows[-1], b, widest, rule_ys):
            rows[-1].add(b)
        else:
            rows.append(_Row())
            rows[-1].add(b)
    return rows


@dataclass
class _Heading:
    """A header heading spanning several columns, and the columns of its sub-headings."""

    lines: list[Chunk]
    first: int
    last: int
    subs: set[int] = field(default_factory=set)

    @property
    def bottom(self) -> float:
        return max(c.words[0].bottom for c in self.lines)

    @property
    def mid(self) -> float:
        return (min(c.x0 for c in self.lines) + max(c.x1 for c in self.lines)) / 2


def _headings(chunks: list[Chunk]) -> list[_Heading]:
    """Column-spanning header chunks, the lines of one heading together (top to bottom)."""
    out: list[_Heading] = []
    for c in sorted((c for c in chunks if c.last > c.first), key=lambda c: c.words[0].top):
        h = next((h for h in out if c.first <= h.last and c.last >= h.first
                  and c.words[0].top - h.bottom < 0.6 * c.words[0].size), None)
        if h is None:
            out.append(_Heading([c], c.first, c.last))
        else:
            h.lines.append(c)
            h.first, h.last = min(h.first, c.first), max(h.last, c.last)
    return out


def _header_rows(bands: list[Band], n_cols: int) -> list[list[tuple[int, int, int, list[Chunk]]]]:
    """The header as grid rows of (col, col_span, row_span, lines): one row, or two when a
    heading spans columns. A column whose title starts on the header's first line is a top
    column (spanning both rows); one whose title starts lower is a sub-column of the spanning
    heading above it (the nearest), which then spans exactly its sub-columns. A short last line
    of a heading, centred under it, is still the heading."""
    chunks = [c for b in bands for c in b.chunks]
    heads = _headings(chunks)
    first_bottom = bands[0].rows[0].bottom
    singles = {j: sorted((c for c in chunks if c.first == c.last == j), key=lambda c: c.words[0].top)
               for j in range(n_cols)}
    for h in heads:  # a heading's short last line, centred under it
        for j in range(n_cols):
            for c in list(singles[j]):
                if 0 <= c.words[0].top - h.bottom < 0.6 * c.words[0].size \
                        and abs((c.x0 + c.x1) / 2 - h.mid) <= max(2.0, 0.5 * c.words[0].size) \
                        and any(o is not c and o.words[0].top > c.words[0].bottom - 1.0
                                for k in range(h.first, h.last + 1) for o in singles[k]):
                    h.lines.append(c)
                    singles[j].remove(c)
    top_cols = {j for j, ls in singles.items() if ls and ls[0].words[0].top < first_bottom - 1.0}
    for j in range(n_cols):
        if j in top_cols or not singles[j]:
            continue
        above = [h for h in heads if h.bottom <= singles[j][0].words[0].top + 1.0
                 and (h.first <= j <= h.last or min(abs(j - h.first), abs(j - h.last)) == 1)]
        inside = [h for h in above if h.first <= j <= h.last]
        pick = inside or sorted(above, key=lambda h: min(abs(j - h.first), abs(j - h.last)))
        if pick:
            pick[0].subs.add(j)
    heads = [h for h in heads if h.subs or not top_cols & set(range(h.first, h.last + 1))]
    for h in heads:
        if h.subs:
            h.first, h.last = min(h.subs), max(h.subs)
    two = any(h.subs for h in heads)
    top: list[tuple[int, int, int, list[Chunk]]] = []
    below: list[tuple[int, int, int, list[Chunk]]] = []
    j = 0
    while j < n_cols:
        h = next((h for h in heads if h.first == j), None)
        if h is not None:
            top.append((j, h.last - h.first + 1, 1, h.lines))
            for k in range(h.first, h.last + 1):
                below.append((k, 1, 1, singles[k]))
            j = h.last + 1
            continue
        top.append((j, 1, 2 if two else 1, singles[j]))
        j += 1
    return [top, below] if two else [top]


def _figures(lines: list[Chunk]) -> int:
    """How many figures a cell holds (0 when it holds text)."""
    words = [w for c in lines for w in c.words]
    if not all(_FIGURE.match(w.text) for w in words):
        return 0
    return len(words)


def _tabular(body: list[_Row], n_cols: int) -> bool:
    """The rows read as a data table, not as chart labels or a text layout: two rows at least
    with two cells filled, a column of figures (other than the first), every figure in a cell
    of its own, and at least MIN_FILL of the body's positions filled."""
    if sum(1 for r in body if len(r.cells) >= 2) < 2:
        return False
    per_col: dict[int, list[int]] = {}
    covered = 0
    for r in body:
        for (a, b), lines in r.cells.items():
            covered += b - a + 1
            if a == b:
                per_col.setdefault(a, []).append(_figures(lines))
    cells = [n for ns in per_col.values() for n in ns]
    if sum(1 for n in cells if n > 1) > 0.1 * max(1, sum(1 for n in cells if n)):
        return False  # several figures in one cell: a chart's value labels
    if not any(sum(1 for n in ns if n == 1) * 2 >= len(ns) for j, ns in per_col.items() if j > 0):
        return False
    return covered >= MIN_FILL * len(body) * n_cols


# -- the grid -----------------------------------------------------------------------------------

def _grid(page_no: int, part: _Part, continued: bool = False) -> Grid | None:
    rows, gutters, rule_ys = part.rows, part.gutters, part.rule_ys
    mids = [(a + b) / 2 for a, b in gutters]
    x0 = min(r.x0 for r in rows)
    x1 = max(r.x1 for r in rows)
    for r in rows + part.tail:
        r.chunks = [p for c in r.chunks for p in _split_at_gutters(c, gutters)]
        for c in r.chunks:
            _place(c, gutters)
    n_cols = len(mids) + 1
    bands = _bands(rows)
    head_rows = {id(r) for r in rows[: part.n_head]}
    n_head = 0
    while n_head < len(bands) and all(id(r) in head_rows for r in bands[n_head].rows):
        n_head += 1
    widest = _widest(bands, n_cols)
    head = _header_rows(bands[:n_head], n_cols) if n_head else []
    body = _group(bands[n_head:], widest, rule_ys)
    if not body:
        return None
    for band in _bands(part.tail):  # the last row's wrapped lines
        if any(_crossing(c, gutters) for c in band.chunks) or not _continues(body[-1], band, widest, rule_ys):
            break
        body[-1].add(band)
    if not continued and not _tabular(body, n_cols):
        return None
    # grid lines
    pad = 0.4 * rows[0].size
    xs = [x0 - pad] + mids + [x1 + pad]
    tops = []
    if head:
        head_top = bands[0].top - 1.0
        head_mid = None
        if len(head) == 2:
            subs = [c for _, _, _, ls in head[1] for c in ls]
            head_mid = min((c.words[0].top for c in subs), default=None)
        tops.append(head_top)
        if head_mid is not None:
            tops.append(head_mid - 1.0)
        elif len(head) == 2:  # spanning headings without sub-headings: one header row
            head = [[(col, span, 1, ls) for col, span, _, ls in head[0]]]
    tops.extend(r.top - 1.0 for r in body)
    ys = tops + [body[-1].bottom + 1.0]
    for i in range(1, len(ys)):  # strictly increasing
        ys[i] = max(ys[i], ys[i - 1] + 0.5)
    cells: list[GridCell] = []
    cover: dict[tuple[int, int], int] = {}

    def add(r: int, c: int, rs: int, cs: int, lines: list[Chunk]) -> None:
        if (r, c) in cover:
            return
        chars = [ch for ln in lines for w in ln.words for ch in w.chars]
        cells.append(GridCell(r, c, rs, cs, (xs[c], ys[r], xs[c + cs], ys[r + rs]), chars))
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                cover.setdefault((rr, cc), len(cells) - 1)

    for hr, hrow in enumerate(head):
        for col, cspan, rspan, lines in hrow:
            add(hr, col, rspan, cspan, lines)
    base = len(head)
    for i, row in enumerate(body):
        for (a, b), lines in sorted(row.cells.items()):
            add(base + i, a, 1, b - a + 1, lines)
    for r in range(len(ys) - 1):  # empty positions get empty cells
        for c in range(n_cols):
            if (r, c) not in cover:
                add(r, c, 1, 1, [])
    cells_sorted = sorted(range(len(cells)), key=lambda i: (cells[i].row, cells[i].col))
    order = {old: new for new, old in enumerate(cells_sorted)}
    cells = [cells[i] for i in cells_sorted]
    cover = {k: order[v] for k, v in cover.items()}
    return Grid(page_no, (xs[0], ys[0], xs[-1], ys[-1]), xs, ys, cells, cover, ruled=False,
                gutters=gutters)


def _carried(rows: list[TextRow], carry: Grid,
             rules: list[tuple[float, float, float]]) -> tuple[_Part | None, list[TextRow]]:
    """The rows at the top of a page that carry on `carry` (a borderless table that ended the
    page before), in its columns: (that part, the remaining rows). Its lone lines at the top are
    the rest of the row the page end broke; a repeated header is its leading bold rows."""
    gutters = carry.gutters or []
    if not rows or not gutters:
        return None, rows
    taken: list[TextRow] = []
    for r in rows:
        if taken and r.top - taken[-1].bottom > (NEAR_EM - 1.0) * max(r.size, taken[-1].size):
            break
        if r.x0 < carry.bbox[0] - r.size or r.x1 > carry.bbox[2] + r.size:
            break
        pieces = [p for c in r.chunks for p in _split_at_gutters(c, gutters)]
        heading = all(c.bold for c in r.chunks) and all(t_bold for t_bold in
                                                         (all(c.bold for c in x.chunks) for x in taken))
        if any(_crossing(c, gutters) for c in pieces) and not heading \
                or any(is_layout_line(c.text) for c in pieces):
            break
        taken.append(r)
    if not taken:
        return None, rows
    x0, x1 = carry.bbox[0], carry.bbox[2]
    rule_ys = _full_rules(rules, x0, x1)
    bold = [all(c.bold for c in r.chunks) and not any(c.figure for c in r.chunks) for r in taken]
    n_head = bold.index(False) if bold[0] and not all(bold) else 0
    return _Part(taken, [], gutters, n_head, rule_ys), rows[len(taken):]


def find_borderless(chars: list[dict], page_no: int, rules: list[tuple[float, float, float]] = (),
                    carry: Grid | None = None) -> tuple[list[Grid], list[dict]]:
    """Borderless (or horizontally ruled) tables among a page's characters outside ruled
    tables: (grids, the characters left for the text flow). `rules`: the page's horizontal
    rules as (x0, x1, y). `carry`: a borderless table that ended the previous page, which the
    rows at the top of this page may carry on (read in its columns)."""
    rows = text_rows(chars)
    grids: list[Grid] = []
    if carry is not None:
        part, rows = _carried(rows, carry, list(rules))
        g = _grid(page_no, part, continued=True) if part is not None else None
        if g is not None:
            g.xs[0], g.xs[-1] = carry.xs[0], carry.xs[-1]
            grids.append(g)
    for run in _runs(rows):
        for part in _cut(run, list(rules)):
            g = _grid(page_no, part)
            if g is not None:
                grids.append(g)
    if not grids:
        return [], chars
    taken = {id(ch) for g in grids for c in g.cells for ch in c.chars}
    return grids, [ch for ch in chars if id(ch) not in taken]


def ends_page(g: Grid, lines: list, height: float) -> bool:
    """A borderless table with no text below it but the page's foot (page number, footer):
    the next page may carry it on."""
    return not g.ruled and all(ln.top <= g.bbox[3] or ln.top >= 0.9 * height for ln in lines)

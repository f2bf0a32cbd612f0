"""Header rows of a data table and the flattened column names ("Parent / Child").

A table's header is the run of rows at the top that hold text, not numbers: the first row, then
every row that a header cell spans down into (vertical merge), the row under a header cell that
spans several columns (its sub-headers), a row of sub-headers under empty label columns (the
same thing when the reader found no merges, as in PDFs), a bold row of column titles, and last
the column-number row "(1) (2) (3)" / "A B 1 2 3" that many forms print under the titles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.tables.grid import TableGrid
from extractors.tables.labels import MarkerKind, fold, marker_of_token


@dataclass(frozen=True)
class Header:
    rows: int  # header rows, the numbering row included
    numbering_row: int | None = None  # grid row of "(1) (2) (3)", when there is one


_NUMBERING_TOKEN = re.compile(
    r"^\(?([A-Za-z]|\d{1,2})\)?(\s*[=:]\s*[\d()+\-*/x:., A-Za-z]*|\s*\([\d+\-*/x:., ]+\))?$")  # "7 (6:3)"


def _year(raw: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", raw.strip()))


def _texty(g: TableGrid, r: int) -> bool:
    """Row r holds text and no numbers (a year such as "2020" may head a column)."""
    cols = g.nonempty(r)
    if not cols:
        return False
    return all(not g.numeric(r, c) or _year(g.text[r][c]) for c in cols)


def is_numbering_row(g: TableGrid, r: int) -> bool:
    """(1) (2) (3)… or A B 1 2 3…: column numbers printed under the titles."""
    cols = g.nonempty(r)
    if len(cols) < 2 or len(cols) * 2 < g.n_cols:
        return False
    tokens = [g.text[r][c].strip().replace("⁄", "/") for c in cols]
    ints: list[int] = []
    marked = False  # some token is parenthesised or a letter: clearly not a data row
    bad = 0  # tokens OCR garbled ("Ố" for "6")
    for t in tokens:
        m = _NUMBERING_TOKEN.match(t)
        if not m:
            bad += 1
            continue
        head = m.group(1)
        if head.isdigit():
            ints.append(int(head))
        else:
            marked = True
        marked = marked or t.startswith("(") or bool(m.group(2))
    steps = [b == a + 1 for a, b in zip(ints, ints[1:])]
    if bad or not all(steps):
        # a scanned numbering row: "A B C 1 2 3 4 3 Ố 7=3/2 …" — letters or formulas, one
        # token garbled at most, the numbers mostly going up
        rising = [b > a for a, b in zip(ints, ints[1:])]
        return (marked and len(tokens) >= 6 and bad <= 1
                and sum(rising) >= 0.75 * len(rising) > 0 and sum(steps) >= 0.5 * len(steps))
    return marked or len(ints) >= 3


def _label_cols(g: TableGrid) -> range:
    return range(min(2, g.n_cols - 1) if g.n_cols > 2 else 1)


def _subheader_row(g: TableGrid, r: int) -> bool:
    """Sub-headers under empty label columns, below a header row with gaps (a PDF's view of a
    column-spanning title): ['', '', '', 'Tổng số', 'Nữ'] under [TT, Tên, Số lớp, Số lượt…, '']."""
    if any(g.text[r][c].strip() for c in _label_cols(g)):
        return False
    above = g.text[r - 1]
    return any(not above[c].strip() or not g.is_origin(r - 1, c) for c in g.nonempty(r))


def _bold_title_row(g: TableGrid, r: int) -> bool:
    """A second row of bold column titles (not a bold group heading "I. KHỐI XÃ")."""
    cols = g.nonempty(r)
    if len(cols) < 2 or len(cols) * 2 < g.n_cols:
        return False
    if marker_of_token(g.text[r][cols[0]]) is not None:
        return False
    above = g.nonempty(r - 1)
    return all(g.bold(r, c) for c in cols) and bool(above) and all(g.bold(r - 1, c) for c in above)


def find_header(g: TableGrid) -> Header:
    """How many rows at the top of the grid are headers."""
    if g.n_rows == 0 or not _texty(g, 0) or is_numbering_row(g, 0):
        return Header(0)
    h = 1
    while h < g.n_rows:
        new = max([h] + [c.row + c.row_span for c in g.cells_starting_before(h)])
        # a merge reaching into rows of figures (an OCR grid missing a line) ends the header
        new = next((r for r in range(h, new) if not _texty(g, r)), new)
        if new == h and _texty(g, h) and not is_numbering_row(g, h):
            spanning = any(c.col_span > 1 and c.row + c.row_span == h
                           for c in g.cells_starting_before(h))
            if spanning or _subheader_row(g, h) or _bold_title_row(g, h):
                new = h + 1
        if new == h:
            break
        h = min(new, g.n_rows)
    if h < g.n_rows and is_numbering_row(g, h):
        return Header(h + 1, numbering_row=h)
    return Header(h)


def _inferred_parent(g: TableGrid, r: int, j: int, last: int) -> str:
    """A PDF's column-spanning title shows only over its first column: the title to the left
    covers j when both it and j have sub-headers below."""
    def below(c: int) -> bool:
        return any(g.text[k][c].strip() for k in range(r + 1, last + 1))

    if not below(j):
        return ""
    k = j - 1
    while k >= 0 and not g.text[r][k].strip():
        k -= 1
    if k < 0:
        return ""
    left = g.owner[r][k]
    if left is None or left.col_span > 1 or left.row_span > 1:
        return ""
    return g.text[r][k].strip() if below(k) else ""


def column_names(g: TableGrid, header: Header) -> list[str]:
    """One name per grid column, header levels joined with " / " ("Số lượt người / Nữ");
    "Cột N" for a column without a title."""
    rows = [r for r in range(header.rows) if r != header.numbering_row]
    last = rows[-1] if rows else -1
    names = []
    for j in range(g.n_cols):
        parts: list[str] = []
        for r in rows:
            cell = g.owner[r][j]
            if cell is not None and cell.row != r:
                continue  # merged down from a row above: already named
            if cell is not None and g.n_cols > 1 and cell.col_span >= g.n_cols and len(rows) > 1:
                continue  # a title across the whole table ("BẢNG TỔNG HỢP…"), no column's name
            text = (cell.text if cell is not None else "").strip()
            if not text and r < last:
                text = _inferred_parent(g, r, j, last)
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append(" / ".join(parts) or f"Cột {j + 1}")
    return names


# -- column roles -------------------------------------------------------------------------

_STT_NAMES = {"tt", "stt", "so tt", "so thu tu", "thu tu", "s tt", "tt stt"}
_UNIT_NAMES = ("don vi tinh", "dvt", "don vi", "dv tinh")


def stt_column(g: TableGrid, names: list[str], body: list[int]) -> int | None:
    """The sequence-number column (TT / STT), whose "1.1" are labels, not quantities: named so,
    or (no name, a short or OCR-garbled one) holding sequence numbers."""
    if g.n_cols < 3:
        return None
    name = fold(names[0].split(" / ")[-1])
    if name in _STT_NAMES or name.replace(" ", "") in ("stt", "tt"):
        return 0
    if not names[0].startswith("Cột ") and len(name) > 6:
        return None  # a named column ("Đơn vị", "Số hộ dân") is no sequence
    tokens = [g.text[r][0].strip() for r in body if g.text[r][0].strip()]
    kinds = [marker_of_token(t) if len(t) <= 6 else None for t in tokens]
    if len(tokens) < 2 or sum(k is not None for k in kinds) < 0.6 * len(tokens):
        return None
    if any(k not in (None, MarkerKind.DOT1) for k in kinds):
        return 0  # II, 1.1, a): numbering, not figures
    ints = [int(re.sub(r"\D", "", t)) for t, k in zip(tokens, kinds) if k == MarkerKind.DOT1]
    steps = sum(1 for a, b in zip(ints, ints[1:]) if b == a + 1 or b == 1)
    return 0 if steps >= 0.6 * max(len(ints) - 1, 1) else None  # 1, 2, 3 … not counts


def unit_column(names: list[str]) -> int | None:
    """The "Đơn vị tính" column."""
    for j, n in enumerate(names):
        if fold(n.split(" / ")[-1]) in _UNIT_NAMES:
            return j
    return None


def label_column(g: TableGrid, body: list[int], stt: int | None) -> int:
    """The column naming each row: the first, after TT, that mostly holds text."""
    start = 0 if stt is None else stt + 1
    for c in range(start, g.n_cols):
        cells = [r for r in body if g.text[r][c].strip()]
        if cells and sum(1 for r in cells if not g.numeric(r, c)) * 2 > len(cells):
            return c
    return min(start, max(g.n_cols - 1, 0))

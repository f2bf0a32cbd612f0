"""Tables split in two: a table continued after a page or a paragraph, with one total for all.

A report may break a long table ("TT | Đơn vị | Đầu năm | … ", rows 1–6) and go on in a second
table with the same header, numbering its rows on (7–11) and closing with the one total row
("Tổng cộng") that adds up both parts. The first part has no total row of its own. `parts_before`
gives, for such a closing part, the earlier parts in order; `continued_sums` the sums of a column
over every part, which is what the closing total states.
"""
from __future__ import annotations

import re
from weakref import WeakKeyDictionary

from checks.tables_view import TableView
from checks.text import fold

_PARTS: "WeakKeyDictionary" = WeakKeyDictionary()


def _header(t: TableView) -> list[str]:
    return [fold(c.header) for c in t.columns]


def _ordinals(t: TableView) -> list[int]:
    out = []
    for r in t.body:
        o = t.ordinal(r).strip().rstrip(".")
        if re.fullmatch(r"\d{1,3}", o):
            out.append(int(o))
    return out


def _continues(a: TableView, b: TableView) -> bool:
    """b goes on where a stops: same header, same section, a without a total row, and b's row
    numbers follow a's."""
    if a.T is not None or a.ncols != b.ncols or _header(a) != _header(b):
        return False
    if (a.rec.section or "") != (b.rec.section or ""):
        return False
    oa, ob = _ordinals(a), _ordinals(b)
    return len(oa) >= 2 and len(ob) >= 1 and ob[0] == oa[-1] + 1


def parts_before(tables: list[TableView], t: TableView) -> list[TableView]:
    """The earlier parts of the table that `t` closes (empty when t stands alone)."""
    if t.T is None:
        return []
    key = tables[0] if tables else t
    cache = _PARTS.setdefault(key, {})
    if id(t) not in cache:
        i = next((k for k, x in enumerate(tables) if x is t), None)
        out: list[TableView] = []
        cur = t
        while i is not None and i - len(out) - 1 >= 0:
            prev = tables[i - len(out) - 1]
            if not _continues(prev, cur):
                break
            out.insert(0, prev)
            cur = prev
        cache[id(t)] = out
    return cache[id(t)]


def continued_sums(tables: list[TableView], t: TableView, c: int) -> list[float]:
    """Sums of column c over all parts of a split table (one for each reading of the closing
    part's body); [] when t stands alone."""
    before = parts_before(tables, t)
    if not before:
        return []
    head = 0.0
    for p in before:
        head += sum(v for r in p.top_rows if (v := p.effective(r, c)) is not None)
    return [head + s for _, _, s in t.body_sums(c)]

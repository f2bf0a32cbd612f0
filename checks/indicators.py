"""Rows that name a quantity, and the unit a table is written in.

An indicator table lists different quantities, one a row ("Chỉ tiêu | Đơn vị tính | Số lượng":
"Tổng số hội viên | Người | 186", "Hội viên kết nạp mới trong quý | Người | 5"). A prose number
speaks of such a row when its unit stands in the row's name and the rest of the name (what
makes the row specific: "kết nạp mới trong quý") stands in the number's own clause. A table's
unit is its "Đơn vị tính: triệu đồng" line (in the table's section text) or a unit in brackets
in a column header ("Thực hiện (triệu đồng)"): a money amount in that unit may be one of the
table's cells even when no header names it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from checks.tables_view import TableView
from checks.text import Mention, fold, has_phrase, unit_head, words

# Words in a row's name that add nothing to what the row counts.
_FILLER = {"số", "tổng", "cộng", "lượng", "tổng số", "trong", "đó", "các", "của", "và", "chung",
           "toàn", "bộ", "là", "có", "được", "đã", "tại", "thuộc", "theo", "với", "cho"}
_TOTAL_START = ("tổng số", "tổng cộng", "tổng", "cộng", "toàn bộ")
_UNIT_HEADERS = ("đơn vị tính", "đvt", "đơn vị", "đ.v.t", "dvt")
_UNIT_LINE = re.compile(r"^\s*\(?\s*(?:đơn vị tính|đơn vị|đvt)\s*[:.]\s*([^\d()]{2,30}?)\s*\)?\s*\.?\s*$",
                        re.IGNORECASE | re.MULTILINE)
_HEADER_UNIT = re.compile(r"\(\s*(?:đvt\s*[:.]?\s*)?([^\W\d_][^()\d%]{1,20})\)", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;:()]")


@dataclass(frozen=True)
class RowMatch:
    row: int
    col: int
    value: float
    specific: bool  # the row's own words (beyond its unit) stand in the mention's clause


def unit_column(t: TableView) -> int | None:
    for c in t.columns:
        if c.leaf.strip(" .:") in _UNIT_HEADERS:
            return c.index
    return None


def section_unit(text: str | None) -> str | None:
    """The one unit a section's text declares for its tables ("Đơn vị tính: triệu đồng")."""
    found = {fold(m.group(1)).strip(" .") for m in _UNIT_LINE.finditer(text or "")}
    return found.pop() if len(found) == 1 else None


def column_unit(t: TableView, c: int, table_unit: str | None) -> str | None:
    """The unit of column c: one in brackets in its header, else the table's."""
    m = _HEADER_UNIT.search(t.columns[c].header)
    if m:
        u = fold(m.group(1)).strip(" .")
        if unit_head(u.split())[1] is not None:
            return u
    return table_unit


def column_kind(t: TableView, c: int, table_unit: str | None = None) -> str | None:
    """What a column counts when its header or the table says: a unit in brackets ("(người)") or
    the table's "Đơn vị tính", else the counted noun the header starts with ("Số khẩu đầu kỳ",
    "Học sinh đầu năm"); None for a period or when nothing says."""
    u = column_unit(t, c, table_unit)
    if u:
        return unit_head(u.split())[1]
    ws = words(t.columns[c].leaf)
    if ws[:2] == ["tổng", "số"]:
        ws = ws[2:]
    elif ws[:1] == ["số"]:
        ws = ws[1:]
    kind = unit_head(ws)[1]
    return None if kind == "time" else kind


def unit_names(m: Mention, unit: str | None) -> bool:
    """The mention is written in the unit ("38.670 triệu đồng" in a table in "triệu đồng")."""
    if not unit or not m.unit or m.percent:
        return False
    head, kind = unit_head(unit.split())
    return kind is not None and kind == m.kind and head == m.head


def clause_words(text: str, m: Mention, ms: list[Mention]) -> list[str]:
    """The words of the mention's own clause: from the previous punctuation or number to the
    next ("Trong quý kết nạp 6 hội viên mới, có 2 …" → "trong quý kết nạp 6 hội viên mới")."""
    lo = 0
    for p in _CLAUSE_END.finditer(text, 0, m.start):
        lo = p.end()
    hi = len(text)
    nxt = _CLAUSE_END.search(text, m.end_unit or m.end)
    if nxt:
        hi = nxt.start()
    for o in ms:
        if o is m or o.over is m or m.over is o:
            continue
        if o.end_unit <= m.start:
            lo = max(lo, o.end_unit)
        elif o.start >= (m.end_unit or m.end):
            hi = min(hi, o.start)
    return words(text[lo:hi])


def _name_words(t: TableView, r: int) -> list[str]:
    lab = fold(t.cells[r][t.label_col]).strip(" -+*•:.–")
    return words(lab)


def _core(name: list[str], unit: list[str]) -> list[str]:
    """The row's own words: its name without its unit and filler ("hội viên kết nạp mới trong
    quý" → "kết nạp mới quý"); numbers and dates in it ("Số trẻ cuối học kỳ I (31/12/2024)") are
    not said again."""
    return [w for w in name if w not in unit and w not in _FILLER and not any(ch.isdigit() for ch in w)]


def _is_whole(name: list[str], unit: list[str]) -> bool:
    text = " ".join(name)
    return not _core(name, unit) and (text.startswith(_TOTAL_START) or name == unit)


def row_matches(t: TableView, m: Mention, clause: list[str], sentence_words: list[str]) -> list[RowMatch]:
    """The rows of an indicator table the mention may state: rows whose name holds the
    mention's unit, are either its whole ("Tổng số hội viên") or have all their own words in
    the mention's clause, and give one value (in the one quantity column, or the column the
    sentence names)."""
    if t.label_col is None or not m.unit or m.percent or m.kind is None:
        return []
    uc = unit_column(t)
    head = m.head.split()
    out = []
    for r in t.body + ([t.T] if t.T is not None else []):
        name = _name_words(t, r)
        if not has_phrase(name, m.head):
            continue
        if uc is not None and t.cells[r][uc].strip():
            kind = unit_head(fold(t.cells[r][uc]).split())[1]
            if kind is not None and kind != m.kind:
                continue
        core = _core(name, head)
        if core:
            if not all(w in clause for w in core):
                continue
            specific = True
        elif _is_whole(name, head):
            specific = False
        else:
            continue
        cols = [c for c in t.quantity_columns() if c != uc and t.value(r, c) is not None]
        if len(cols) > 1:
            named = [c for c in cols if t.columns[c].nouns and t.columns[c].nouns <= set(sentence_words)]
            cols = named
        if len(cols) != 1:
            continue
        out.append(RowMatch(r, cols[0], t.value(r, cols[0]), specific))
    return out

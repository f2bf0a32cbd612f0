"""A table as the sum checks read it: parsed cells, column roles, row sets and column groups.

Column roles: `ordinal` (TT/STT), `label` (names), `percent` ("Tỷ lệ", "%"), `nonsum` (averages,
prices, scores, years…), `quantity` (everything that adds up). A column group is a whole column
and its part columns ("Số lượt người tham gia / Tổng số" with ".../ Nữ"; "Số hội viên" with
"Trong đó / Nam", "Trong đó / Nữ"): `complete` parts must add up to the whole, `subset` parts
must not exceed it.

Row sets a total may add up (`row_sets`) include each breakdown the body is split into by group
headings without figures ("I | Phân theo loại hình kinh tế", "II | Phân theo ngành"): two
breakdowns of one whole that each add up to the same amount are parallel, and the total is
compared with one of them, never with both together. Decimal style: a column, or a whole table,
that writes its decimals with "." consistently ("9.59%" shares; an export writing "12903.5"
beside "10588" without thousands separators) follows a style and its cells are not malformed.
On an OCR'd table (`ocr`), a cell that cannot be read as a figure ("Sö" for "58", "08.200") is
`unreadable`: sums over it are not compared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from checks.lexicon import (AVERAGE_LABELS, BREAKDOWN_HEADERS, NOT_SUM_HEADER_WORDS,
                            OF_WHICH_HEADERS, ORDINAL_HEADERS, PARTITIONS, PERCENT_HEADER_WORDS,
                            WHOLE_LEAVES)
from checks.text import fold, has_phrase, words
from extractors.text.numbers import parse_number
from models.document import Provenance
from models.report import Number, TableRecord

# Labels of a row that opens a breakdown of the whole ("Phân theo loại hình kinh tế").
BREAKDOWN_LABELS = ("phân theo", "chia theo", "chia ra", "theo loại hình", "theo ngành",
                    "theo địa bàn", "theo đơn vị", "theo lĩnh vực", "theo nguồn", "theo cấp",
                    "theo thành phần", "theo khu vực", "theo giới", "theo độ tuổi")

_GENERIC = {"số", "tổng", "cộng", "lượng", "tổng số", "trong", "đó", "người", "các", "của", "và",
            "chung", "toàn", "bộ"}


_TWO_VALUES = re.compile(r"\d{2,}(?:\s+\d+)+")


def two_values(raw: str) -> bool:
    """A cell of a typed document holding figures separated by white space whose groups are not
    thousands groups ("350 10", "20 10": two lines of one cell, one amount each). A scan's gap
    inside a number ("1 34") and a PDF's spaced-out digit ("5 .681.828") start with one digit."""
    s = raw.strip()
    return bool(_TWO_VALUES.fullmatch(s)) and any(len(p) != 3 for p in s.split()[1:])


def _lines_sum(raw: str) -> float:
    return float(sum(int(p) for p in raw.split()))


@dataclass
class Column:
    index: int
    header: str  # as in TableRecord.columns
    parent: str  # folded header path above the leaf ("số lượt người tham gia")
    leaf: str  # folded last header level
    role: str = "quantity"
    decimal_dot: bool = False  # the column writes decimals with "." ("8.00"): a style, not typos
    comma_groups: bool = False  # the column groups thousands with "," ("414,341,246"): "260,700" is 260700

    @cached_property
    def words(self) -> list[str]:
        return words(self.header)

    @cached_property
    def nouns(self) -> set[str]:
        """Content words of the header (generic words removed)."""
        return {w for w in self.words if w not in _GENERIC and not w.isdigit()}


@dataclass
class ColGroup:
    whole: int
    parts: list[int]
    mode: str  # complete | subset | unknown
    nested: bool  # the parts are declared parts of the whole (same parent, "Trong đó" header)
    why: str = ""


# Grades of a rating, whose columns count people or units ("Trung bình" is a grade there).
_GRADES = frozenset({"xuất sắc", "giỏi", "khá", "tốt", "trung bình", "yếu", "kém", "đạt",
                     "chưa đạt", "hoàn thành tốt", "hoàn thành xuất sắc", "không hoàn thành"})
_COMMA_GROUPS = re.compile(r"\d{1,3}(,\d{3})+")
# Cells that say "nothing" in a figures column.
_FILLERS = frozenset({"-", "–", "—", "x", "0", "k", "không", "ko", "...", "…", "/", "*", "+"})
_IMPOSSIBLE = re.compile(r"0\d{0,2}(\.\d{3})+(,\d+)?%?")


def _decimals(raw: str) -> int:
    m = re.search(r",(\d+)", raw)
    return len(m.group(1)) if m else 0


class TableView:
    def __init__(self, rec: TableRecord, ocr: bool = False):
        self.rec = rec
        self.ocr = ocr  # the table was read by OCR: a garbled cell is unreadable, not text
        self.ncols = max([len(rec.columns)] + [len(r) for r in rec.rows] + [len(rec.total_row or [])])
        pad = lambda r: list(r) + [""] * (self.ncols - len(r))  # noqa: E731
        self.cells: list[list[str]] = [pad(r) for r in rec.rows]
        self.T: int | None = None
        if rec.total_row is not None:
            self.T = len(rec.rows)
            self.cells.append(pad(rec.total_row))
        self.nums: list[list[Number | None]] = [[parse_number(c) for c in row] for row in self.cells]
        self.body = list(range(len(rec.rows)))
        self._fits: dict[int, tuple[str, list[int], float] | None] = {}

    @property
    def id(self) -> str:
        return self.rec.id

    # --- columns ---------------------------------------------------------------------------------
    @cached_property
    def columns(self) -> list[Column]:
        cols = []
        for j in range(self.ncols):
            header = self.rec.columns[j] if j < len(self.rec.columns) else ""
            parts = [p.strip() for p in header.split(" / ")]
            cols.append(Column(j, header, fold(" / ".join(parts[:-1])), fold(parts[-1])))
        for c in cols:
            c.role = self._role(c)
            c.decimal_dot = self._decimal_dot(c.index)
            c.comma_groups = self._comma_groups(c.index)
        return cols

    def _role(self, c: Column) -> str:
        hw = words(c.header)
        leaf = c.leaf.strip(" .:")
        vals = [self.nums[r][c.index] for r in self.body if self.nums[r][c.index] is not None]
        texts = [self.cells[r][c.index] for r in self.body if self.cells[r][c.index].strip()]
        if leaf in ORDINAL_HEADERS or fold(c.header).strip(" .:") in ORDINAL_HEADERS:
            return "ordinal"
        if not vals:
            return "label" if texts else "empty"
        outline = [t for t in texts if re.fullmatch(
            r"\d{1,3}\.|\d{1,2}(\.\d{1,2})+\.?|[IVX]+\.?|[a-zđ]\)?", t.strip())]  # "18." too
        if c.index <= 1 and len(outline) * 3 >= len(texts):
            return "ordinal"  # "1", "1.1", "1.1.2", "a": row numbers, not quantities
        if c.index <= 1 and _counts_rows(vals):
            return "ordinal"  # 1, 2, 3 … under a header the scan garbled ("Ì srr" for STT)
        if len(vals) * 2 < len(texts):
            return "label"
        if any(has_phrase(hw, p) for p in PERCENT_HEADER_WORDS if p != "%") or "%" in c.header:
            return "percent"
        if sum(1 for t in texts if t.strip().endswith("%")) * 2 > len(texts):
            return "percent"
        if leaf in _GRADES and self._graded():
            return "quantity"  # "Trung bình" beside "Xuất sắc", "Khá", "Yếu": a grade, counted
        for p in NOT_SUM_HEADER_WORDS:
            if has_phrase(hw, p):
                if p == "giá" and has_phrase(hw, "đánh giá"):
                    continue
                if p == "điểm" and (has_phrase(hw, "điểm trường") or has_phrase(hw, "số điểm")):
                    continue
                if p == "mức" and has_phrase(hw, "mức độ"):
                    continue
                if p in ("ngày", "tuổi") and hw[:1] != [p]:
                    continue  # "Số ngày công", "Số người trên 60 tuổi" add up
                return "nonsum"
        ints = [n.value for n in vals if n.value is not None]
        if ints and all(v == int(v) and 1900 <= v <= 2100 for v in ints) and (
                "năm" in hw or len(ints) >= 3):
            return "nonsum"  # years
        return "quantity"

    def _graded(self) -> bool:
        """Two or more columns are grades of a rating ("Xuất sắc", "Khá", "Yếu")."""
        leaves = [fold(h.split(" / ")[-1]).strip(" .:") for h in self.rec.columns]
        return sum(1 for x in leaves if x in _GRADES) >= 3

    def _decimal_dot(self, j: int) -> bool:
        raws = [self.cells[r][j].strip().rstrip("%").strip().lstrip("-−") for r in range(len(self.cells))
                if self.nums[r][j] is not None]
        bad = [x for x in raws if re.fullmatch(r"\d+\.\d{1,2}", x)]
        thousands = [x for x in raws if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", x)]
        if len(bad) >= 2 and not thousands and len(bad) * 2 >= len(raws):
            return True
        return (self._ungrouped or self._dot_style) and any(re.fullmatch(r"\d+\.\d+", x) for x in raws)

    @cached_property
    def _dot_style(self) -> bool:
        """The whole table writes its decimals with "." ("9.59%", "8.76%" in rows of shares
        between rows of counts), never with "," nor "." as a thousands separator."""
        raws = [x.strip().rstrip("%").strip().lstrip("-−") for row in self.cells for x in row]
        dots = [x for x in raws if re.fullmatch(r"\d+\.\d{1,2}", x)]
        commas = [x for x in raws if re.fullmatch(r"\d+,\d+", x)]
        thousands = [x for x in raws if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", x)]
        return len(dots) >= 3 and not commas and not thousands

    def _comma_groups(self, j: int) -> bool:
        """The column groups thousands with "," the English way: two or more cells with two
        groups or more ("414,341,246"), none with a "." group or a comma decimal."""
        raws = [self.cells[r][j].strip() for r in range(len(self.cells)) if self.nums[r][j] is not None]
        two = [x for x in raws if re.fullmatch(r"\d{1,3}(,\d{3}){2,}", x)]
        dots = [x for x in raws if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d{1,2}", x)]
        return len(two) >= 2 and len(dots) * 4 <= len(two)

    @cached_property
    def _ungrouped(self) -> bool:
        """The table writes large numbers without thousands separators ("10588", "25807") and no
        comma decimals: an export whose "." is a decimal point ("12903.5", "243.738194")."""
        raws = [x.strip().rstrip("%").strip().lstrip("-−") for row in self.cells for x in row]
        big = [x for x in raws if re.fullmatch(r"\d{4,}(\.\d+)?", x) and not 1900 <= float(x) <= 2100]
        grouped = [x for x in raws if re.fullmatch(r"\d{1,3}([.,]\d{3})+(,\d+)?|\d+,\d+", x)]
        return len(big) >= 2 and not grouped

    def quantity_columns(self) -> list[int]:
        return [c.index for c in self.columns if c.role == "quantity"]

    def share_columns(self) -> list[int]:
        """Percent columns of a structure ("Cơ cấu (%)", "Tỷ trọng"): each row's share of one
        whole, so the shares of a complete breakdown add up to their parent's."""
        return [c.index for c in self.columns if c.role == "percent"
                and any(w in fold(c.header) for w in ("cơ cấu", "tỷ trọng", "tỉ trọng"))]

    # --- cells -----------------------------------------------------------------------------------
    def value(self, r: int, c: int) -> float | None:
        """The cell's value as written (None when empty, text or malformed)."""
        n = self.nums[r][c]
        if n is None:
            return None
        if n.value is None and self.columns[c].decimal_dot:
            try:
                return float(n.raw.rstrip("%"))
            except ValueError:
                return None
        if self.columns[c].comma_groups and _COMMA_GROUPS.fullmatch(n.raw.strip()):
            return float(n.raw.strip().replace(",", ""))  # "260,700" beside "414,341,246"
        return n.value

    def effective(self, r: int, c: int) -> float | None:
        """The value, or for a malformed cell its likeliest reading (for a total: the reading
        its rows add up to, when one does)."""
        v = self.value(r, c)
        if v is None and self.nums[r][c] is not None and self.nums[r][c].malformed:
            if not self.ocr and two_values(self.nums[r][c].raw):
                return _lines_sum(self.nums[r][c].raw)  # "350 10": one amount per line of the cell
            if r == self.T and (fit := self.total_fit(c)) is not None:
                return fit[2]
            if r != self.T and (implied := self._body_fit(r, c)) is not None:
                return implied
            return self.nums[r][c].suggestion
        return v

    def _plain(self, r: int, c: int) -> float | None:
        v = self.value(r, c)
        n = self.nums[r][c]
        if v is None and n is not None and n.malformed and not self.ocr and two_values(n.raw):
            return _lines_sum(n.raw)
        return n.suggestion if v is None and n is not None and n.malformed else v

    def _body_fit(self, r: int, c: int) -> float | None:
        """For a malformed body cell: the reading its column total implies, if one does."""
        if self.T is None or self.value(self.T, c) is None or r not in self.top_rows:
            return None
        others = [self._plain(x, c) for x in self.top_rows if x != r]
        implied = self.value(self.T, c) - sum(v for v in others if v is not None)
        return implied if any(abs(implied - x) < 1e-6 for x in readings(self.cells[r][c])) else None

    def body_sums(self, c: int) -> list[tuple[str, list[int], float]]:
        """(row set name, rows with a value, sum) for each reading of the body."""
        out = []
        for name, rows in self.row_sets():
            vals = [(r, self.effective(r, c)) for r in rows]
            vals = [(r, v) for r, v in vals if v is not None]
            if vals:
                out.append((name, [r for r, _ in vals], sum(v for _, v in vals)))
        return out

    def total_fit(self, c: int) -> tuple[str, list[int], float] | None:
        """For a malformed total: the body sum that one of its readings gives ("8.28" → 828,
        "1.15" → 1.150), if any."""
        if c not in self._fits:
            self._fits[c] = None
            if self.T is not None and self.malformed(self.T, c):
                cands = readings(self.cells[self.T][c])
                for name, rows, s in self.body_sums(c):
                    if any(abs(s - x) < 1e-6 for x in cands):
                        self._fits[c] = (name, rows, s)
                        break
        return self._fits[c]

    def malformed(self, r: int, c: int) -> bool:
        n = self.nums[r][c]
        return bool(n and n.malformed and not self.columns[c].decimal_dot)

    def unreadable(self, r: int, c: int) -> bool:
        """OCR: a cell of a figures column that cannot be read as a figure ("Sö" for "58"), or
        whose writing no report uses ("08.200": a thousands group after a leading zero)."""
        if not self.ocr:
            return False
        s = self.cells[r][c].strip()
        if not s or fold(s).strip(" .") in _FILLERS:
            return False
        n = self.nums[r][c]
        if n is None:
            return len(s) <= 4 or any(ch.isdigit() for ch in s)
        return bool(_IMPOSSIBLE.fullmatch(n.raw.strip()))

    def column_unreadable(self, c: int, rows: list[int] | None = None) -> bool:
        return any(self.unreadable(r, c) for r in (self.body if rows is None else rows))

    def raw(self, r: int, c: int) -> str:
        return self.cells[r][c].strip()

    def decimals(self, c: int, rows: list[int]) -> int:
        return max([_decimals(self.cells[r][c]) for r in rows] + [0])

    def location(self, r: int, c: int) -> Provenance:
        locs = self.rec.cell_locations
        if r < len(locs) and c < len(locs[r]) and locs[r][c] is not None:
            return locs[r][c]
        return self.rec.location

    @cached_property
    def label_col(self) -> int | None:
        for c in self.columns:
            if c.role == "label":
                return c.index
        return None

    def label(self, r: int) -> str:
        """The row's name (its label cell, else its ordinal, else its index)."""
        if self.label_col is not None and self.cells[r][self.label_col].strip():
            return self.cells[r][self.label_col].strip()
        for c in self.columns:
            if c.role == "ordinal" and self.cells[r][c.index].strip():
                return self.cells[r][c.index].strip()
        if r == self.T:
            return "Tổng số"
        return f"#{r + 1}"

    def ordinal(self, r: int) -> str:
        for c in self.columns:
            if c.role == "ordinal":
                return self.cells[r][c.index].strip()
        return ""

    def total_is_average(self) -> bool:
        if self.T is None:
            return False
        text = " ".join(fold(x) for x in self.cells[self.T] if parse_number(x) is None)
        return any(w in text for w in AVERAGE_LABELS)

    # --- rows ------------------------------------------------------------------------------------
    @cached_property
    def child_rows(self) -> set[int]:
        return {c for kids in self.rec.children.values() for c in kids}

    @cached_property
    def top_rows(self) -> list[int]:
        return [r for r in self.body if r not in self.child_rows]

    def looks_child(self, r: int) -> bool:
        lab = fold(self.label(r)) if self.label_col is not None else ""
        o = self.ordinal(r)
        if re.match(r"^[-+*•–]", lab) or lab.startswith(("trong đó", "tr.đó", "gồm", "chia ra")):
            return True
        return bool(re.match(r"^([-+*•–]|[a-zđ]\)?$|\d+[.,]\d+)", fold(o))) if o else False

    def looks_subtotal(self, r: int) -> bool:
        lab = fold(self.label(r))
        return lab.startswith(("cộng", "tổng cộng", "tổng số", "tổng")) or lab.startswith("+ cộng")

    def row_sets(self) -> list[tuple[str, list[int]]]:
        """Ways the total row may add up the body: first the one reported when none fits."""
        if self.child_rows:  # the hierarchy is known: children are inside their parents
            sets = [("top-level", self.top_rows)]
        else:
            main = [r for r in self.body if not self.looks_child(r)]
            sets = [("without sub-items", main), ("all rows", self.body)] if len(main) < len(self.body) \
                else [("all rows", self.body)]
        numbered = [r for r in self.body
                    if re.fullmatch(r"\d+\.?|[IVXLC]+\.?", self.ordinal(r) or "")]
        if len(numbered) >= 2:
            sets.append(("numbered rows", numbered))
        subtotals = [r for r in self.body if self.looks_subtotal(r)]
        if len(subtotals) >= 2:
            sets.append(("subtotals", subtotals))
            sets.append(("without subtotals", [r for r in self.body if r not in subtotals]))
        parents = list(self.rec.parent_rows)
        if len(parents) >= 2:
            sets.append(("parent rows", parents))
        groups = self.breakdowns()
        if groups:
            named = [(f"breakdown «{self.label(h)}»", rows) for h, rows in groups]
            sets = named + sets if self._parallel(groups) else sets + named
        out, seen = [], set()
        for name, rows in sets:
            key = tuple(rows)
            if key not in seen and rows:
                seen.add(key)
                out.append((name, rows))
        return out

    def group_heading(self, r: int) -> bool:
        """A row that opens a group of rows and states no figure: "I | Phân theo loại hình kinh
        tế", "Chia theo ngành", "B | KHỐI TRƯỜNG"."""
        if any(self.nums[r][c] is not None for c in self.quantity_columns()):
            return False
        lab = fold(self.label(r)).strip(" :.-")
        o = self.ordinal(r).strip(" .")
        return lab.startswith(BREAKDOWN_LABELS) or bool(
            re.fullmatch(r"[IVX]+|[A-ZĐ]", o) and lab and not lab.startswith(("trong đó", "tr.đó")))

    def breakdowns(self) -> list[tuple[int, list[int]]]:
        """The body split at its group headings: (heading row, top-level rows of its group) for
        two or more groups of two or more rows each; [] when the body has no such split."""
        heads = [r for r in self.body if self.group_heading(r)]
        if len(heads) < 2:
            return []
        out = []
        for k, h in enumerate(heads):
            end = heads[k + 1] if k + 1 < len(heads) else len(self.body)
            rows = [r for r in range(h + 1, end) if r in self.top_rows or not self.child_rows]
            rows = [r for r in rows if not self.looks_child(r) or self.child_rows]
            if len(rows) < 2:
                return []
            out.append((h, rows))
        return out

    def _parallel(self, groups: list[tuple[int, list[int]]]) -> bool:
        """Two or more breakdowns of one whole (by ownership, by industry): in the first column
        that has figures, every group adds up to the same amount (within rounding)."""
        for c in self.quantity_columns():
            sums = []
            for _, rows in groups:
                vals = [self.effective(r, c) for r in rows]
                if all(v is None for v in vals):
                    break
                sums.append(sum(v or 0 for v in vals))
            else:
                d = self.decimals(c, [r for _, rows in groups for r in rows])
                tol = 1e-6 if d == 0 else max(len(rows) for _, rows in groups) * 0.5 * 10 ** -d + 1e-9
                return max(sums) - min(sums) <= tol
        return False

    # --- column groups ---------------------------------------------------------------------------
    @cached_property
    def groups(self) -> list[ColGroup]:
        cols = self.columns
        out: list[ColGroup] = []
        by_parent: dict[str, list[Column]] = {}
        for c in cols:
            if c.parent:
                by_parent.setdefault(c.parent, []).append(c)
        for parent, kids in by_parent.items():
            qty = [k for k in kids if k.role == "quantity"]
            whole = next((k for k in qty if _is_whole_leaf(k.leaf)), None)
            p = parent.strip(" :.")
            if whole is not None:
                parts = [k.index for k in qty if k is not whole]
                if parts:
                    mode = "subset" if p in OF_WHICH_HEADERS else self._mode(whole, parts)
                    out.append(ColGroup(whole.index, parts, mode, True, "same parent"))
                continue
            of_which = p in OF_WHICH_HEADERS or p.startswith("trong đó")
            breakdown = p in BREAKDOWN_HEADERS or p.startswith(("chia ra", "chia theo", "phân theo"))
            if of_which or breakdown:
                first = min(k.index for k in kids)
                left = [c for c in cols[:first] if c.role == "quantity" and c.parent != parent]
                if left and qty:
                    w = left[-1]
                    parts = [k.index for k in qty]
                    mode = "complete" if breakdown else (
                        "complete" if self._partition(w, parts) else "subset")
                    out.append(ColGroup(w.index, parts, mode, True, parent))
        # top level: "Tổng số …" followed by its parts
        j = 0
        while j < len(cols):
            c = cols[j]
            if not c.parent and c.role == "quantity" and c.leaf.startswith(("tổng", "cộng")) \
                    and not any(g.whole == c.index for g in out):
                parts = []
                k = j + 1
                while k < len(cols) and not cols[k].parent and cols[k].role == "quantity" \
                        and not cols[k].leaf.startswith(("tổng", "cộng")):
                    parts.append(k)
                    k += 1
                if parts:
                    out.append(ColGroup(c.index, parts, self._mode(c, parts), False, "top level"))
                j = k
                continue
            # "Số trẻ được đánh giá | Đạt | Chưa đạt", "Số học sinh | Nam | Nữ": the columns after a
            # count make a known partition of it
            if not c.parent and c.role == "quantity" and not any(g.whole == c.index for g in out):
                for n in (3, 2):
                    parts = list(range(j + 1, j + 1 + n))
                    if parts[-1] < len(cols) and all(not cols[k].parent and cols[k].role == "quantity"
                                                     for k in parts) and self._partition(c, parts):
                        out.append(ColGroup(c.index, parts, "complete", False, "partition"))
                        break
            j += 1
        return out

    def _partition(self, whole: Column, parts: list[int]) -> bool:
        leaves = set()
        wn = set(words(whole.header)) | {"số", "trong", "đó"}
        for p in parts:
            lw = [w for w in words(self.columns[p].leaf) if w not in wn]
            leaves.add(" ".join(lw) or self.columns[p].leaf)
        return frozenset(leaves) in PARTITIONS

    def _mode(self, whole: Column, parts: list[int]) -> str:
        if self._partition(whole, parts):
            return "complete"
        if len(parts) < 2:
            return "subset"
        agree = disagree = 0
        for r in self.body + ([self.T] if self.T is not None else []):  # the total row bears witness too
            w = self.effective(r, whole.index)
            pv = [self.effective(r, p) for p in parts]
            if w is None or all(v is None for v in pv):
                continue
            if abs(sum(v or 0 for v in pv) - w) <= 1e-6 * max(1, abs(w)):
                agree += 1
            else:
                disagree += 1
        return "complete" if agree >= 2 and agree >= 3 * disagree else "unknown"

    def declared_subset(self, part: int) -> bool:
        """The column says it is a part of the one before ("Trong đó nữ")."""
        return self.columns[part].leaf.startswith(("trong đó", "tr.đó", "tr. đó", "t.đó"))

    def shares_noun(self, whole: int, part: int) -> bool:
        """A top-level part column names the whole's noun ("Tổng số hộ" → "Hộ nghèo")."""
        wn = self.columns[whole].nouns
        return bool(wn) and bool(wn & self.columns[part].nouns)


def readings(raw: str) -> list[float]:
    """Plausible readings of a malformed number: the digits as one number ("8.28" → 828), a
    thousands group missing its zeros ("1.15" → 1.150), an English decimal ("8.28" → 8,28)."""
    s = raw.strip().rstrip("%").strip()
    out: list[float] = []
    digits = re.sub(r"\D", "", s)
    if digits:
        out.append(float(digits))
    if m := re.fullmatch(r"(\d{1,3})\.(\d{1,2})", s):
        out.append(float(int(m.group(1)) * 1000 + int(m.group(2).ljust(3, "0"))))
    if m := re.fullmatch(r"(\d+)\.(\d+)", s):
        out.append(float(f"{m.group(1)}.{m.group(2)}"))
    n = parse_number(s)
    if n is not None and n.suggestion is not None:
        out.append(n.suggestion)
    return out


def _is_whole_leaf(leaf: str) -> bool:
    leaf = leaf.strip(" .:")
    return leaf in WHOLE_LEAVES or leaf.startswith(("tổng số", "tổng cộng"))


def _counts_rows(nums: list) -> bool:
    """Small whole numbers that mostly go up by one (restarting at 1 in groups): row numbers."""
    vals = [n.value for n in nums if n.value is not None]
    if len(vals) < 3 or any(v != int(v) or not 0 < v < 1000 for v in vals):
        return False
    steps = sum(1 for a, b in zip(vals, vals[1:]) if b == a + 1 or b == 1)
    return steps >= 0.7 * (len(vals) - 1)

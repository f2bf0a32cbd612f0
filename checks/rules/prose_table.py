"""prose_table_mismatch: a sentence states a table's quantity with a different number.

"thu hút 1.245 lượt người" beside a table whose "Số lượt người tham gia" total is 1.254. The
sentence's unit must name the column (checks.matching), and the two numbers must be typo-close
(two digits swapped, one digit changed, a stray separator): numbers that are simply different
are taken for different quantities. A cell is compared only when the sentence names its row.
The table side must be self-consistent (its total equals its rows); when it is not, the
total_mismatch flag carries the prose that agrees with the rows as evidence instead.

Two more ways a sentence may speak of a cell (checks.indicators): a money amount written in the
unit the table declares ("Đơn vị tính: triệu đồng") may state its total, when the sentence
speaks of a whole ("Tổng thu …", "toàn tỉnh …"); and a number may state a row of an indicator
table ("Tổng số hội viên | Người | 186"). When the row's own words (beyond the unit) stand in the
number's clause ("kết nạp 6 hội viên mới" / "Hội viên kết nạp mới trong quý"), that reading is
specific enough that a short number one digit off is flagged too.

A sentence may also name a column in its own words, the unit only implied: the header's words
beyond generic and period words stand in the number's clause ("Trung tâm tiếp nhận mới 184 đối
tượng" / "Tiếp nhận mới"; "đang nuôi dưỡng 301 đối tượng" / "Đang nuôi dưỡng"). That guess is
made only for a table in the sentence's branch of the outline, against a total its rows confirm
(or leave room for, when a scan could not read one cell), with a typo-close number, and the
flag says the unit match was guessed. A header the clause says as a phrase ("diện tích rừng
trồng" / "Rừng trồng") is preferred to one whose words are only scattered in it ("Tổng diện tích
có rừng", "có" from "hiện có"). A result is never compared with a column of targets ("Kế
hoạch 2018") unless the number's own clause speaks of the plan.

Which table: a number some table states for the same kind of thing ("344 trẻ" and a row "Số trẻ
đầu năm học | 344") is a quotation, not a typo of another table's total one digit away; of the
tables that could be meant, the one nearest the sentence in the outline (its own section, then
its branch) is compared. A table split in two (checks.continuation: the same header, row
numbers going on, one total for both parts) has its total checked against the rows of both.
"""
from __future__ import annotations

import re
from weakref import WeakKeyDictionary

from checks.context import Ctx
from checks.continuation import continued_sums, parts_before
from checks.confidence import cell_reading, prose_reading
from checks.flows import FLOWS, header_role
from checks.indicators import clause_words, column_kind, column_unit, row_matches, unit_names
from checks.lexicon import COUNT_KINDS, ESTIMATE
from checks.matching import best_columns, near_miss, row_named, typo_close
from checks.registry import make_flag, rule
from checks.text import bare, fold, has_phrase, words
from checks.rules.totals import as_number
from models.report import Severity

_CHANGE = ("tăng", "giảm", "thêm", "mới", "kết nạp", "tăng thêm", "giảm đi", "còn")
# Words by which a sentence speaks of a whole ("Tổng thu ngân sách", "toàn tỉnh").
_WHOLE_WORDS = re.compile(r"(?<!\w)(tổng|toàn)(?!\w)")


def _plain(m) -> bool:
    """An exact number: an estimate ("ước đạt") is the figure the table estimates too."""
    return not (m.percent or m.numerator or m.over is not None or m.value is None
                or (m.qualifier and m.qualifier not in ESTIMATE))


def _usable(m) -> bool:
    return _plain(m) and not any(m.before.endswith(w) for w in _CHANGE)


@rule("prose_table_mismatch", Severity.WARNING, "Số liệu trong văn bản khác trong bảng",
      "A sentence and a table state different numbers for the same quantity")
def prose_table_mismatch(ctx: Ctx):
    raised: set[tuple] = set()  # one flag per sentence and cell, however often it repeats the number
    for s in ctx.sentences:
        for m in s.mentions:
            if not _plain(m) or stated_elsewhere(ctx, m):
                continue
            found = []
            for i, t in enumerate(ctx.tables):
                f = _by_column(ctx, t, s, m) if _usable(m) else None
                f = f or _by_row(ctx, t, s, m)
                f = f or _by_header(ctx, t, s, m)
                f = f or _by_sibling_total(ctx, t, s, m)
                if f is not None and _plan_column(f.column) and not _speaks_of_plan(s, m):
                    f = None  # a result is not compared with the plan ("Kế hoạch 2018")
                if f is not None:
                    found.append((_distance(s.section, t.rec.section), i, f))
            if not found:
                continue
            f = min(found, key=lambda x: x[:2])[2]  # the table nearest the sentence in the outline
            key = (s.order, f.table, f.row, f.column, f.stated)
            if key not in raised:
                raised.add(key)
                yield f


def _distance(a: str | None, b: str | None) -> int:
    """How far a table's section is from the sentence's: 0 the same, 1 one inside the other,
    2 elsewhere."""
    if a and b and a == b:
        return 0
    return 1 if _near(a, b) else 2


def stated_elsewhere(ctx: Ctx, m) -> bool:
    """Some table states the number for the same kind of thing: a cell whose row or column
    names the mention's noun ("344 trẻ" and a row "Số trẻ đầu năm học | … | 344"), or a table
    written in the mention's unit. The sentence quotes that cell, not another table's total
    one digit away."""
    if not m.unit or m.value is None or not m.head:
        return False
    for t, r, c in _cells_by_value(ctx).get(round(m.value, 6), ()):
        if has_phrase(t.columns[c].words, m.head) or has_phrase(words(t.label(r)), m.head) \
                or unit_names(m, column_unit(t, c, ctx.table_units.get(t.id))):
            return True
    return False


_BY_VALUE: "WeakKeyDictionary" = WeakKeyDictionary()


def _cells_by_value(ctx: Ctx) -> dict[float, list[tuple]]:
    """Every figure of the report's tables (value columns, body and total), by value."""
    if ctx not in _BY_VALUE:
        index: dict[float, list[tuple]] = {}
        for t in ctx.tables:
            rows = t.body + ([t.T] if t.T is not None else [])
            for c in value_columns(t):
                for r in rows:
                    if (v := t.value(r, c)) is not None:
                        index.setdefault(round(v, 6), []).append((t, r, c))
        _BY_VALUE[ctx] = index
    return _BY_VALUE[ctx]


def _by_column(ctx: Ctx, t, s, m):
    """The mention's unit names a column (or is the unit the table is written in)."""
    for c in best_columns(m, t):
        if (f := _compare(ctx, t, c, s, m)) is not None:
            return f
    if best_columns(m, t):
        return None
    unit = ctx.table_units.get(t.id)
    whole = bool(_WHOLE_WORDS.search(s.folded))
    for c in value_columns(t):
        if unit_names(m, column_unit(t, c, unit)):
            if (f := _compare(ctx, t, c, s, m, total=whole)) is not None:
                return f
    return None


def _by_row(ctx: Ctx, t, s, m):
    """The mention states a row of an indicator table."""
    clause = clause_words(s.text, m, s.mentions)
    matches = row_matches(t, m, clause, words(s.text))
    if not matches or any(abs(x.value - m.value) < 1e-6 for x in matches):
        return None
    specific = [x for x in matches if x.specific]
    if any(_in_column(t, x.col, m.value) for x in specific or matches):
        return None  # the stated number is in the table: another row states it, no typo here
    for x in specific or matches:
        name = " ".join(words(t.label(x.row)))
        if any(m.before.endswith(w) for w in _CHANGE) and not any(
                w in name for w in _CHANGE if m.before.endswith(w)):
            continue  # "kết nạp 6 hội viên" is a change, unless the row counts the change
        how = near_miss(m, x.value) if x.specific else typo_close(m, x.value)
        if how is not None:
            return _flag(ctx, t, x.row, x.col, s, m, x.value, how)
    return None


_PLAN_WORDS = ("kế hoạch", "kh", "chỉ tiêu", "dự toán", "mục tiêu", "dự kiến", "phấn đấu", "định mức")
_RESULT_WORDS = ("thực hiện", "th", "kết quả", "ước thực hiện", "ước th", "thực tế", "lũy kế", "ước đạt")


def _plan_column(header: str | None) -> bool:
    """A column of targets ("Kế hoạch 2018", "Chỉ tiêu giao"), not of results."""
    hw = words(header)
    return any(has_phrase(hw, p) for p in _PLAN_WORDS) and not any(has_phrase(hw, p) for p in _RESULT_WORDS)


def _speaks_of_plan(s, m) -> bool:
    """The number's own clause is about a target ("kế hoạch giao 150 người")."""
    cw = clause_words(s.text, m, s.mentions)
    return any(has_phrase(cw, p) for p in _PLAN_WORDS)


_VALUE_COLUMNS: "WeakKeyDictionary" = WeakKeyDictionary()


def value_columns(t) -> list[int]:
    """Columns that add up: the quantity columns, and a column whose header reads as a price or
    a score ("Giá trị tiền và hàng") but whose total row is the sum of its rows."""
    if t not in _VALUE_COLUMNS:
        _VALUE_COLUMNS[t] = _value_columns(t)
    return _VALUE_COLUMNS[t]


def _value_columns(t) -> list[int]:
    out = []
    for col in t.columns:
        c = col.index
        if col.role == "quantity":
            out.append(c)
        elif col.role == "nonsum" and t.T is not None and (v := t.value(t.T, c)) is not None:
            d = t.decimals(c, t.body)
            tol = 1e-6 if d == 0 else len(t.body) * 0.5 * 10 ** -d + 1e-9
            if any(abs(x[2] - v) <= tol for x in t.body_sums(c)) and len(t.body) >= 2:
                out.append(c)
    return out


# Words of a header that do not say what a column counts: generic words and the period.
_HEADER_FILLER = {"số", "tổng", "cộng", "lượng", "tổng số", "trong", "đó", "các", "của", "và", "chung",
                  "toàn", "bộ", "năm", "kỳ", "kì", "tháng", "quý", "tuần", "ngày", "đến", "từ", "tính",
                  "lũy", "kế", "này", "qua", "được"}


def _header_core(header: str) -> set[str]:
    ws = words(re.sub(r"\([^)]*\)", " ", header))
    return {w for w in ws if w not in _HEADER_FILLER and not any(ch.isdigit() for ch in w)}


def _as_phrase(header: str, seq: list[str], ocr: bool = False) -> bool:
    """The header's own words (generic and period words left out) stand in the clause as a run,
    in the header's order."""
    ws = [w for w in words(re.sub(r"\([^)]*\)", " ", header))
          if w not in _HEADER_FILLER and not any(ch.isdigit() for ch in w)]
    if ocr:
        ws = [bare(w) for w in ws]
    return bool(ws) and has_phrase(seq, " ".join(ws))


def _near(a: str | None, b: str | None) -> bool:
    """Two section numbers in one branch of the outline (the same, or one inside the other)."""
    if not a or not b:
        return False
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _by_header(ctx: Ctx, t, s, m):
    """The sentence names a column in its own words, with a unit the header only implies: the
    header's words (beyond generic and period words) stand in the number's clause ("Trung tâm
    tiếp nhận mới 184 đối tượng" / "Tiếp nhận mới"; "1.245 lượt khách" / "Tổng số lượt"). Only
    for a table in the sentence's branch of the outline, against the column's total when its
    rows confirm it, and for a typo-close number: the unit match is a guess."""
    if t.T is None or not m.unit or not _near(s.section, t.rec.section) or best_columns(m, t):
        return None
    seq = clause_words(s.text, m, s.mentions) + m.unit.split()
    ocr = ctx.report.source.ocr  # a scan may misread an accent in the header or the sentence
    if ocr:
        seq = [bare(w) for w in seq]
    clause = set(seq)
    cands = []
    for c in value_columns(t):
        core = _header_core(t.columns[c].leaf)
        if ocr:
            core = {bare(w) for w in core}
        if core and core <= clause:
            cands.append((_as_phrase(t.columns[c].leaf, seq, ocr), len(core), c))
    if not cands:
        return None
    # a header the clause says as a phrase ("diện tích rừng trồng" / "Rừng trồng") before one
    # whose words are only scattered in it ("Tổng diện tích có rừng": "hiện có")
    top = max(x[:2] for x in cands)
    best = [c for p, n, c in cands if (p, n) == top]
    if len(best) != 1:
        return None
    c = best[0]
    kind = _column_kind(ctx, t, c)
    if kind is not None and kind != m.kind:
        return None
    if m.kind == "money" and not unit_names(m, column_unit(t, c, ctx.table_units.get(t.id))):
        return None
    role = header_role(t.columns[c].header)
    if any(m.before.endswith(w) for w in _CHANGE) and (role is None or role[0] not in FLOWS):
        return None  # "tăng 12 hộ" is a change; the column counts a stock
    return _guessed_total(ctx, t, c, s, m, "header words")


def _by_sibling_total(ctx: Ctx, t, s, m):
    """The sentence quotes the table's total row: one of its other numbers is, exactly, the
    total of another column ("… xử phạt 520 trường hợp, nộp kho bạc 1.134,5 triệu đồng" under a
    table whose Cộng row is "502 | 1.134,5"), and this count is a typo of the total of the one
    other column that counts things — whatever words the sentence uses for them ("trường hợp"
    for the header's "Số vụ"). Only for a table in the sentence's branch of the outline, against
    a total its rows confirm: the unit match is a guess."""
    if t.T is None or m.kind not in COUNT_KINDS or not _near(s.section, t.rec.section):
        return None
    cols = value_columns(t)
    quoted = set()
    for x in s.mentions:
        if x is m or not _plain(x) or x.value is None or (x.value < 10 and float(x.value).is_integer()):
            continue
        quoted |= {c for c in cols if (v := t.effective(t.T, c)) is not None and abs(v - x.value) < 1e-9}
    if not quoted:
        return None
    counts = [c for c in cols if c not in quoted and _column_kind(ctx, t, c) in (None, *COUNT_KINDS)
              and not t.columns[c].role == "percent"]
    if len(counts) != 1:
        return None
    c = counts[0]
    return _guessed_total(ctx, t, c, s, m, "another total quoted in the sentence")


def _guessed_total(ctx: Ctx, t, c: int, s, m, matched_by: str):
    """The flag for a number matched to column c's total by a guess (`matched_by`): only against a
    total its rows confirm, for a typo-close number that the column does not hold anyway."""
    total = t.effective(t.T, c)
    if total is None or not total_stands(t, c, total, ctx.tables):
        return None
    if abs(m.value - total) < 1e-9 or _in_column(t, c, m.value):
        return None
    how = typo_close(m, total)
    if how is None:
        return None
    f = _flag(ctx, t, t.T, c, s, m, total, how)
    f.evidence["unit_match"] = "guessed"
    f.evidence["matched_by"] = matched_by
    return f


def total_stands(t, c: int, total: float, tables: list | None = None) -> bool:
    """The table's total is trustworthy: a reading of its rows adds up to it (with the rows of
    the earlier parts, when the table closes a table split in two: checks.continuation), or one
    row's cell could not be read as a number (a scan's "Sö" for 58) and the others leave room
    for it."""
    sums = [x[2] for x in t.body_sums(c)] + (continued_sums(tables, t, c) if tables else [])
    if any(abs(x - total) < 1e-6 * max(1.0, abs(total)) + _tol(t, c) for x in sums):
        return True
    rows = t.top_rows
    unread = [r for r in rows if t.value(r, c) is None and t.raw(r, c) not in ("", "-", "–", "—")
              and not t.malformed(r, c)]
    if len(unread) != 1 or len(rows) < 3:
        return False
    rest = sum(v for r in rows if (v := t.value(r, c)) is not None)
    return 0 <= total - rest


def _tol(t, c: int) -> float:
    d = t.decimals(c, t.body)
    return 0.0 if d == 0 else len(t.body) * 0.5 * 10 ** -d + 1e-9


def _column_kind(ctx: Ctx, t, c: int) -> str | None:
    return column_kind(t, c, ctx.table_units.get(t.id))


def _in_column(t, c: int, value: float) -> bool:
    return any((v := t.value(r, c)) is not None and abs(v - value) < 1e-6 for r in t.body)


def _compare(ctx: Ctx, t, c: int, s, m, total: bool = True):
    values = []
    sums = t.body_sums(c)
    if t.T is not None and total:
        stated = t.effective(t.T, c)
        if stated is not None and sums and total_stands(t, c, stated, ctx.tables):
            values.append((t.T, stated))
    seen = {v for _, v in values} | {x[2] for x in sums} | set(continued_sums(ctx.tables, t, c))
    if t.T is not None and t.value(t.T, c) is not None:
        seen.add(t.value(t.T, c))
    if any(abs(m.value - v) < 1e-6 for v in seen):
        return None
    for r in t.body:
        v = t.value(r, c)
        if v is not None and row_named(t, r, s.folded):
            if abs(v - m.value) < 1e-6:
                return None
            if _name_taken(t, r, s, m):
                continue
            values.append((r, v))
    for r, v in values:
        how = typo_close(m, v)
        if how is not None:
            return _flag(ctx, t, r, c, s, m, v, how)
    return None


def _name_taken(t, r: int, s, m) -> bool:
    """The row's name stands before the number, but another number with the same unit stands
    between them: the name is that number's ("Khối 9 có 140 học sinh cuối năm; … có 141 học sinh
    được công nhận tốt nghiệp": 141 counts graduates, not Khối 9's pupils)."""
    lab = fold(t.label(r)).strip(" -+*•:.")
    at = s.folded.find(lab) if lab else -1
    if at < 0 or at > m.start:
        return False
    return any(x is not m and x.head == m.head and at < x.start < m.start for x in s.mentions)


def _flag(ctx: Ctx, t, r: int, c: int, s, m, v: float, how: str):
    col = t.columns[c].header
    where = "dòng tổng" if r == t.T else f"dòng «{t.label(r)}»"
    where_en = "total row" if r == t.T else f"row “{t.label(r)}”"
    earlier = [x.id for x in parts_before(ctx.tables, t)] if r == t.T else []
    if earlier:  # the total of a table split in two
        where += f", gồm cả phần đầu ở bảng {', '.join(earlier)}"
        where_en += f", with the first part in table {', '.join(earlier)}"
    return make_flag(
        "prose_table_mismatch", "default",
        {"stated": m.raw, "unit": m.unit_text or m.unit, "table": t.id, "where": f"{where}, cột «{col}»",
         "where_en": f"{where_en}, column “{col}”", "table_value": v},
        section=s.section, table=t.id, row=r, column=col, stated=m.raw,
        table_value=as_number(v), expected=as_number(v), sentence=s.text,
        location=ctx.locate(s, m.raw),
        evidence={"sentence": s.text, "unit": m.unit, "closeness": how,
                  "readings": [prose_reading(s.text, m.raw, "stated", s.section),
                               cell_reading(t, r, c, "compared")],
                  "table_section": t.rec.section, "row_label": t.label(r),
                  **({"table_parts": earlier + [t.id]} if earlier else {}),
                  "cell": t.raw(r, c), "cell_location": t.location(r, c).model_dump(exclude_none=True)})

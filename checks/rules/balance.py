"""balance_mismatch: a stock and its flows that do not add up (opening + in − out ≠ closing).

"Số người bệnh điều trị nội trú đầu tháng là 42 người; trong tháng vào viện 318 người, ra viện
301 người, chuyển viện 9 người, tử vong 1 người; cuối tháng còn 52 người": 42 + 318 − 301 − 9 −
1 = 49, not 52. The same equation stands in tables, one balance a row ("Tồn đầu kỳ | Nhập trong
kỳ | Thanh lý | Tồn cuối kỳ") or one a column ("Số dư đầu kỳ", "Thu trong kỳ", "Chi trong kỳ",
"Số dư cuối kỳ" as rows).

Every term gets its role from a lexicon (checks.lexicon.BALANCE_ROLES: opening, inflow,
outflow, closing, and "stock" words such as "số dư" that open a balance or close it after its
flows) read in a column header (the leaf, else its parent: "Giảm trong kỳ / Chết"), a row
name, or the words around a number in prose (from the previous punctuation to the number, else
the words after it up to the next punctuation). The rule stays silent unless it is sure:
- every number between the opening and the closing must have a role (a column with none, a
  number of the same kind with none, ends the balance); numbers in brackets and the listed
  parts of a "trong đó"/"gồm" list are breakdowns and are skipped;
- the terms count the same thing (same kind of unit; money in any scale); an approximate term
  ("khoảng", "trên") ends the balance;
- a balance needs an opening, a closing, at least one inflow and one outflow (one with flows
  of one direction only may leave the others out); in prose, all in one paragraph, and a
  quantity of its kind that the prose reader set aside (read as a label) ends it;
- in a table with several rows (or value columns), the equation must hold on at least as many
  as it fails on: the rows that balance confirm what the columns mean; a one-line table needs
  an opening and a closing named as such (not only "số dư").
A header read as a parent over a child, neither with a role alone, is read whole ("Chuyển /
đến"; a scan's wrapped "Đầu / tháng", "Chuyể / n viện"). A term column whose rows do not add up
to its total leaves its rows in doubt, unless one cell a scan could not read explains it: the
value its total leaves for that cell balances the cell's own row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from checks.confidence import cell_reading, prose_reading
from checks.context import Ctx, Sentence
from checks.indicators import column_kind
from checks.flows import FLOWS, header_role, mention_role, roles_in
from checks.lexicon import APPROX, ESTIMATE, WHOLE_LEAVES
from checks.registry import make_flag, rule
from checks.rules.counts import listings
from checks.rules.totals import as_number
from checks.tables_view import TableView
from checks.text import Mention, mentions, split_sentences, words
from extractors.text.numbers import format_vn
from models.report import Severity

_EMPTY = {"", "-", "–", "—", "x", "0"}


# --- the equation ----------------------------------------------------------------------------

@dataclass
class Term:
    role: str  # open | in | out | close (stock resolved)
    label: str  # what names it: the column header, row name or role phrase
    raw: str
    value: float
    decimals: int = 0
    reading: dict = field(default_factory=dict)


def _decimals(raw: str) -> int:
    m = re.search(r",(\d+)", raw)
    return len(m.group(1)) if m else 0


def _computed(terms: list[Term]) -> float:
    total = 0.0
    for t in terms:
        if t.role in ("open", "in"):
            total += t.value
        elif t.role == "out":
            total -= t.value
    return total


def _holds(terms: list[Term], close: Term) -> bool:
    dec = max([t.decimals for t in terms + [close]] + [0])
    tol = 1e-6 * max(1.0, abs(close.value)) + (0.5 * 10 ** -dec * (len(terms) + 1) if dec else 0.0)
    return abs(_computed(terms) - close.value) <= tol


def equation(terms: list[Term]) -> str:
    """'245 (đầu năm học) + 18 (nhận thêm) − 7 (chuyển trường)'."""
    out = []
    for i, t in enumerate(terms):
        sign = "" if i == 0 else (" − " if t.role == "out" else " + ")
        out.append(f"{sign}{t.raw} ({t.label})")
    return "".join(out)


def _evidence(terms: list[Term], close: Term, computed: float) -> dict:
    return {"terms": [{"role": t.role, "label": t.label, "raw": t.raw, "value": as_number(t.value)}
                      for t in terms],
            "closing": {"label": close.label, "raw": close.raw, "value": as_number(close.value)},
            "equation": f"{equation(terms)} = {format_vn(computed)}",
            "readings": [close.reading] + [t.reading for t in terms]}


@rule("balance_mismatch", Severity.WARNING, "Số đầu kỳ, tăng, giảm và cuối kỳ không khớp",
      "Opening + inflows − outflows does not equal the closing figure")
def balance_mismatch(ctx: Ctx):
    for t in ctx.tables:
        yield from _by_columns(ctx, t)
        yield from _by_rows(ctx, t)
    yield from _in_prose(ctx)


# --- tables: one balance a row ---------------------------------------------------------------

def _column_roles(t: TableView, fuzzy: bool = False) -> dict[int, tuple[str, str] | None]:
    """Role (and the phrase that gives it) of each value column; ("skip", "") for the parts
    of a group whose whole carries the role, ("subtotal", "") for a group's own total."""
    roles: dict[int, tuple[str, str] | None] = {}
    cols = [c for c in t.columns if c.role in ("quantity", "percent", "nonsum")]
    by_parent: dict[str, list] = {}
    for c in cols:
        if c.parent:
            by_parent.setdefault(c.parent, []).append(c)
    for c in cols:
        if c.role != "quantity":
            roles[c.index] = None
            continue
        own = header_role(c.leaf, fuzzy)
        if not c.parent:
            roles[c.index] = own
            continue
        prole = header_role(c.parent, fuzzy)
        whole = next((k for k in by_parent[c.parent] if _whole_leaf(k.leaf)), None)
        if own is None and prole is None and c is not whole:
            # neither level has a role alone: the two read as one ("Chuyển / đến"; a scan's
            # wrapped cell "Đầu / tháng", or one cut inside a word, "Chuyể / n viện")
            roles[c.index] = _cut_header_role(c.parent, c.leaf, fuzzy)
            continue
        if prole is not None and prole[0] != "stock":
            if whole is not None:
                roles[c.index] = prole if c is whole else ("skip", "")
            else:
                roles[c.index] = prole if own is None or own[0] == prole[0] or prole[0] in FLOWS else None
        elif c is whole:
            roles[c.index] = ("subtotal", "")
        else:
            roles[c.index] = own
    return roles


def _cut_header_role(parent: str, leaf: str, fuzzy: bool = False) -> tuple[str, str] | None:
    """The role of a header read as a parent and a child that only together name it: "Chuyển /
    đến"; a scan's wrapped cell "Đầu / tháng" is "Đầu tháng", "Chuyể / n viện" is "Chuyển viện"
    (cut inside a word)."""
    return header_role(f"{parent} {leaf}", fuzzy) or header_role(parent + leaf, fuzzy)


def _whole_leaf(leaf: str) -> bool:
    leaf = leaf.strip(" .:")
    return leaf in WHOLE_LEAVES or leaf.startswith(("tổng số", "tổng cộng"))


def _segments(t: TableView, roles: dict[int, tuple[str, str] | None]) -> list[list[tuple[int, str]]]:
    """Runs of columns from an opening to a closing, every column between them with a role:
    [(column, role), …]."""
    out, cur = [], None
    for c in sorted(roles):
        r = roles[c]
        role = r[0] if r else None
        if role in ("open", "stock") and (cur is None or not any(x in FLOWS for _, x in cur)):
            # several opening columns only as parts of one header ("Đầu kỳ / Nam", "Đầu kỳ / Nữ")
            same = cur is not None and t.columns[cur[0][0]].parent and \
                t.columns[cur[0][0]].parent == t.columns[c].parent
            cur = (cur if same else []) + [(c, "open")]
        elif cur is None:
            continue
        elif role in FLOWS:
            cur.append((c, role))
        elif role in ("close", "stock"):
            cur.append((c, "close"))
            out.append(cur)
            cur = None
        elif role in ("skip", "subtotal"):
            continue
        else:
            cur = None
    return [s for s in out if {"in", "out"} <= {x for _, x in s}]  # both: a partial one may omit flows


def _same_unit(t: TableView, cols: list[int]) -> bool:
    """At most one kind of thing among the columns' headers."""
    return len({k for c in cols if (k := column_kind(t, c)) is not None}) <= 1


def _cell_value(t: TableView, r: int, c: int, flow: bool, ocr: bool = False) -> float | None | bool:
    """The cell's value; 0 for an empty flow cell ("-", "" — in a scan only "-": an empty cell
    may be a digit the OCR lost); False when unreadable."""
    if t.malformed(r, c):
        return False
    v = t.value(r, c)
    if v is not None:
        return v
    if flow and t.raw(r, c) in _EMPTY and not (ocr and t.raw(r, c) == ""):
        return 0.0
    return False if t.raw(r, c) else None


def _adds_up(t: TableView, c: int) -> bool:
    """The column's rows add up to its total row (True when there is none to check): a term
    from a column that does not may be the misread or mistyped cell, not the closing."""
    if t.T is None or t.value(t.T, c) is None:
        return True
    total = t.value(t.T, c)
    d = t.decimals(c, t.body + [t.T])
    tol = 1e-6 * max(1.0, abs(total)) + (len(t.body) * 0.5 * 10 ** -d if d else 0.0)
    return any(abs(x[2] - total) <= tol for x in t.body_sums(c))


def _implied(t: TableView, c: int) -> tuple[int, float] | None:
    """The one cell of the column a scan could not read ("lộ" for 8) and the value the total
    leaves for it: (row, value), or None."""
    if t.T is None or t.value(t.T, c) is None or t.child_rows:
        return None
    unread = [r for r in t.body if t.value(r, c) is None and t.raw(r, c) not in _EMPTY and not t.malformed(r, c)]
    if len(unread) != 1 or len(t.body) < 3:
        return None
    rest = sum(v for r in t.body if (v := t.value(r, c)) is not None)
    implied = t.value(t.T, c) - rest
    return (unread[0], implied) if implied >= 0 else None


def _room_balances(t: TableView, seg: list[tuple[int, str]], c: int, ocr: bool) -> bool:
    """Column c does not add up only for a cell a scan could not read, and the value its total
    leaves for that cell balances the cell's own row: the column's other cells stand."""
    imp = _implied(t, c)
    if imp is None:
        return False
    r, implied = imp
    terms, close = [], None
    for k, role in seg:
        v = implied if k == c else _cell_value(t, r, k, role in FLOWS, ocr)
        if v is False or v is None:
            return False
        term = Term(role, "", "", float(v), _decimals(t.raw(r, k)))
        if role == "close":
            close = term
        else:
            terms.append(term)
    return close is not None and _holds(terms, close)


def _by_columns(ctx: Ctx, t: TableView):
    if any(c.leaf.strip(" .:") in ("nợ", "có") for c in t.columns):
        return  # debit and credit columns (a trial balance): signs depend on the account
    ocr = ctx.report.source.ocr
    roles = _column_roles(t, ocr)
    rows = t.body + ([t.T] if t.T is not None else [])
    for seg in _segments(t, roles):
        cols = [c for c, _ in seg]
        if not _same_unit(t, cols):
            continue
        suspect = {c for c, role in seg if role != "close" and not _adds_up(t, c)
                   and not _room_balances(t, seg, c, ocr)}
        results = []
        for r in rows:
            terms, close, ok = [], None, True
            for c, role in seg:
                v = _cell_value(t, r, c, role in FLOWS, ocr)
                if v is False or v is None:
                    ok = False
                    break
                term = Term(role, t.columns[c].header, t.raw(r, c) or "0", float(v), _decimals(t.raw(r, c)),
                            cell_reading(t, r, c, "stated" if role == "close" else "part"))
                if role == "close":
                    close = term
                else:
                    terms.append(term)
            if ok and close is not None and any(x.role == "open" for x in terms):
                results.append((r, terms, close, _holds(terms, close)))
        holds = sum(1 for x in results if x[3])
        fails = [x for x in results if not x[3]]
        if suspect:  # a term column that does not add up to its total: its cells are in doubt
            fails = [x for x in fails if x[0] == t.T]
        if not fails:
            continue
        explicit = all((roles[c] or ("", ""))[0] != "stock" for c, _ in seg)
        if not ((holds >= 1 and holds >= len(fails)) or (len(results) == 1 and explicit)):
            continue
        for r, terms, close, _ in fails:
            c = seg[-1][0]
            computed = _computed(terms)
            label = t.label(r)
            yield make_flag(
                "balance_mismatch", "table",
                {"table": t.id, "row_label": label, "column": t.columns[c].header, "stated": close.raw,
                 "equation": equation(terms), "computed": computed},
                section=t.rec.section, table=t.id, row=r, column=t.columns[c].header, stated=close.raw,
                computed=as_number(computed), expected=as_number(computed), location=t.location(r, c),
                evidence={**_evidence(terms, close, computed), "row_label": label, "layout": "columns",
                          "rows_balanced": holds, "rows_unbalanced": len(fails)})


# --- tables: one balance a column ------------------------------------------------------------

def _by_rows(ctx: Ctx, t: TableView):
    """Rows named as the terms ("Số dư đầu kỳ", "Thu trong kỳ", "Chi trong kỳ", "Số dư cuối
    kỳ"), each value column a balance."""
    if t.label_col is None:
        return
    rows = t.body + ([t.T] if t.T is not None else [])
    roles = {}
    for r in rows:
        if t.looks_child(r) or r in t.child_rows:
            roles[r] = ("skip", "")
        else:
            roles[r] = header_role(t.cells[r][t.label_col], ctx.report.source.ocr)
    seq = {r: roles[r] for r in rows}
    segs = _segments_rows(seq)
    if not segs:
        return
    cols = [c for c in t.quantity_columns() if c != t.label_col]
    for seg in segs:
        results = []
        for c in cols:
            terms, close, ok = [], None, True
            for r, role in seg:
                v = _cell_value(t, r, c, role in FLOWS, ctx.report.source.ocr)
                if v is False or v is None:
                    ok = False
                    break
                term = Term(role, t.label(r), t.raw(r, c) or "0", float(v), _decimals(t.raw(r, c)),
                            cell_reading(t, r, c, "stated" if role == "close" else "part"))
                if role == "close":
                    close = term
                else:
                    terms.append(term)
            if ok and close is not None:
                results.append((c, terms, close, _holds(terms, close)))
        holds = sum(1 for x in results if x[3])
        fails = [x for x in results if not x[3]]
        explicit = all((roles[r] or ("", ""))[0] != "stock" for r, _ in seg)
        if not fails or not ((holds >= 1 and holds >= len(fails)) or (len(results) == 1 and explicit)):
            continue
        for c, terms, close, _ in fails:
            r = seg[-1][0]
            computed = _computed(terms)
            yield make_flag(
                "balance_mismatch", "table",
                {"table": t.id, "row_label": t.label(r), "column": t.columns[c].header, "stated": close.raw,
                 "equation": equation(terms), "computed": computed},
                section=t.rec.section, table=t.id, row=r, column=t.columns[c].header, stated=close.raw,
                computed=as_number(computed), expected=as_number(computed), location=t.location(r, c),
                evidence={**_evidence(terms, close, computed), "row_label": t.label(r), "layout": "rows"})


def _segments_rows(seq: dict[int, tuple[str, str] | None]) -> list[list[tuple[int, str]]]:
    out, cur = [], None
    for r, x in seq.items():
        role = x[0] if x else None
        if role in ("open", "stock") and (cur is None or not any(y in FLOWS for _, y in cur)):
            cur = [(r, "open")]
        elif cur is None or role == "skip":
            continue
        elif role in FLOWS:
            cur.append((r, role))
        elif role in ("close", "stock"):
            cur.append((r, "close"))
            out.append(cur)
            cur = None
        else:
            cur = None
    return [s for s in out if {"in", "out"} <= {y for _, y in s}]


# --- prose -----------------------------------------------------------------------------------

@dataclass
class _PTerm:
    m: Mention
    role: str | None
    phrase: str
    sentence: Sentence


def _prose_terms(section, line: str, order: int, fuzzy: bool = False) -> list[_PTerm]:
    """The numbers of a paragraph that may be terms, with their roles, in order; the quantities
    the prose reader set aside come along as "hidden"."""
    out = []
    for _, text in split_sentences(line):
        sent = Sentence(text, section.number, order, section.location)
        ms = mentions(text)
        inside = _parenthesised(text)
        parts = {p.start for ls in listings(sent) for p in ls.parts
                 if ls.trigger != ":" or len(ls.parts) >= 2}  # "tăng: 7" is a label, not a list
        terms = []
        for i, m in enumerate(ms):
            if m.percent or m.numerator or m.over is not None or m.value is None or m.kind == "time" \
                    or m.start in inside or m.start in parts:
                continue
            terms.append(_PTerm(m, *_prose_role(text, m, ms[:i], fuzzy), sent))
        terms += [_PTerm(h, "hidden", "", sent) for h in _hidden(text, ms) if h.start not in inside]
        out += sorted(terms, key=lambda x: x.m.start)
    return out


# Outcomes that close a case and take it off the books, beyond the shared lexicon's outflows
# ("giải quyết", "đình chỉ" …): "hòa giải thành 29 vụ việc, hòa giải không thành 6 vụ việc".
_MORE_OUT = ("hòa giải thành", "hoà giải thành", "hòa giải không thành", "hoà giải không thành",
             "giải quyết xong", "xử lý xong", "rút đơn", "chuyển tòa án")
# Weak closing words that, right after an opening time, say what was left then: "Đầu năm còn
# 4 vụ việc chưa xong", "kỳ trước còn tồn 5 hồ sơ".
_WEAK_CLOSE = ("còn", "còn lại", "tồn", "còn tồn")
_PRIOR = ("kỳ trước", "kì trước", "năm trước", "tháng trước", "quý trước", "đợt trước")


def _window(text: str, m: Mention, before: list[Mention]) -> str:
    """The words that give a number its role (as checks.flows.mention_role reads them): from the
    punctuation after the previous number, past any bracket or semicolon, to the number."""
    start = max([p.end_unit for p in before] + [0])
    window = text[start:m.start]
    if before:
        d = re.search(r"[,;:()]", window)
        window = window[d.end():] if d else window
        hard = list(re.finditer(r"[;()]", window))
        window = window[hard[-1].end():] if hard else window
    return window


def _prose_role(text: str, m: Mention, before: list[Mention], fuzzy: bool = False) -> tuple[str | None, str]:
    """mention_role, and two readings the shared lexicon misses: a weak closing word after an
    opening time opens the balance ("Đầu năm còn 4 vụ việc"), and outcomes that settle a case
    ("hòa giải thành 29 vụ việc", "hòa giải không thành 6 vụ việc") flow out."""
    role, phrase = mention_role(text, m, before, fuzzy)
    ws = words(_window(text, m, before))
    found = roles_in(ws, fuzzy) if role == "close" and phrase in _WEAK_CLOSE else []
    if any(r == "close" for _, r, _ in found):  # the closing word stands before the number
        closes = [p for _, r, p in found if r == "close"]
        opens = [i for i, r, _ in found if r == "open"]
        first_close = min(i for i, r, _ in found if r == "close")
        if opens and all(p in _WEAK_CLOSE for p in closes) and opens[0] < first_close:
            return "open", next(p for _, r, p in found if r == "open")
        head = " ".join(ws[:first_close])
        prior = [p for p in _PRIOR if re.search(rf"(?<!\w){p}$", head)
                 and not re.search(rf"(?<!\w)so(?: với)? {p}$", head)]  # "so với năm trước còn 6": a comparison
        if not opens and prior and all(p in _WEAK_CLOSE for p in closes):
            return "open", f"{prior[0]} {phrase}"
    if role is None:
        joined = f" {' '.join(ws)} "
        hit = [p for p in _MORE_OUT if f" {p} " in joined]
        if hit and not any(x in joined for x in (" tỷ lệ ", " tỉ lệ ")):
            return "out", max(hit, key=len)
    return role, phrase


_NUMBER = re.compile(r"(?<![\w.,/\-–])(\d[\d.,]*\d|\d)")


def _hidden(text: str, ms: list[Mention]) -> list[Mention]:
    """Quantities the prose reader set aside as labels ("thu trong năm 42.300.000 đồng" read as
    "năm 42…"): a balance that passes over one of its own kind cannot be trusted."""
    out = []
    for tok in _NUMBER.finditer(text):
        if any(m.start <= tok.start() < m.end for m in ms):
            continue
        sub = mentions(text[tok.start():tok.start() + 80])
        if sub and sub[0].start == 0 and sub[0].kind not in (None, "time", "percent"):
            h = sub[0]
            out.append(Mention(raw=h.raw, value=h.value, start=tok.start(), end=tok.start() + h.end,
                               unit=h.unit, head=h.head, kind=h.kind, scale=h.scale,
                               end_unit=tok.start() + h.end_unit))
    return out


def _parenthesised(s: str) -> set[int]:
    out: set[int] = set()
    for p in re.finditer(r"\([^()]*\)", s):
        out.update(range(p.start(), p.end()))
    return out


def _same_thing(a: Mention, b: Mention) -> bool:
    if a.kind == "money" or b.kind == "money":
        return a.kind == b.kind
    if not b.unit:
        return True  # "kết nạp 3, chuyển đi 1": the balance's own unit
    if a.kind is None or b.kind is None:
        return bool(a.unit) and a.head == b.head
    if a.kind != b.kind:
        return False
    return a.kind == "person" or a.head == b.head or bool(set(a.unit.split()) & set(b.unit.split()))


def _approx(m: Mention) -> bool:
    return m.qualifier is not None and m.qualifier in APPROX and m.qualifier not in ESTIMATE


def _in_prose(ctx: Ctx):
    order = 0
    for section in ctx.report.sections:
        for line in (section.text or "").split("\n"):
            order += 1
            chain: list[_PTerm] | None = None
            for term in _prose_terms(section, line, order, ctx.report.source.ocr):
                role = term.role
                if role == "hidden":
                    if chain is not None and _same_thing(chain[0].m, term.m):
                        chain = None
                    continue
                if chain is None:
                    # a unitless opening only when named as one ("Đầu kỳ: 152; tăng: 7; …")
                    if role in ("open", "stock") and (term.m.unit or role == "open"):
                        chain = [term]
                    continue
                if not _same_thing(chain[0].m, term.m):
                    if role is not None:
                        chain = None  # a flow of something else: not sure what belongs
                    continue
                if role in FLOWS:
                    chain.append(term)
                elif role == "close" or (role == "stock" and len(chain) > 1):
                    f = _prose_flag(ctx, chain, term)
                    if f is not None:
                        yield f
                    chain = None
                elif role in ("open", "stock"):
                    chain = [term]
                else:
                    chain = None  # a number of the same kind with no role


def _prose_flag(ctx: Ctx, chain: list[_PTerm], close: _PTerm):
    roles = {x.role for x in chain[1:]}
    if not {"in", "out"} <= roles or chain[0].role != "open" and chain[0].role != "stock":
        return None
    if any(_approx(x.m) for x in chain + [close]):
        return None
    scale = chain[0].m.scale

    def term(x: _PTerm, role: str, reading: str) -> Term:
        v = x.m.value * x.m.scale / scale
        return Term(role, x.phrase or role, x.m.raw, v, _decimals(x.m.raw),
                    prose_reading(x.sentence.text, x.m.raw, reading, x.sentence.section))

    terms = [term(chain[0], "open", "part")] + [term(x, x.role, "part") for x in chain[1:]]
    c = term(close, "close", "stated")
    if _holds(terms, c):
        return None
    computed = _computed(terms)
    s = close.sentence
    sentences = []
    for x in chain + [close]:
        if x.sentence.text not in sentences:
            sentences.append(x.sentence.text)
    return make_flag(
        "balance_mismatch", "default",
        {"stated_text": f"{close.m.raw} {close.m.unit_text or close.m.unit or chain[0].m.unit_text}".strip(),
         "equation": equation(terms), "computed": computed},
        section=s.section, stated=close.m.raw, computed=as_number(computed), expected=as_number(computed),
        sentence=" ".join(sentences), location=ctx.locate(s, close.m.raw),
        evidence={**_evidence(terms, c, computed), "layout": "prose", "sentences": sentences})

"""Linking prose numbers to table columns and rows, and telling a typo from a different number.

A sentence's "1.254 hộ" speaks of the column "Tổng số hộ" when the unit phrase stands in the
header; of a row when the row's name stands in the sentence. Two numbers are *typo-close*
when one is the other with two adjacent digits swapped, one digit changed, or a stray
separator — the mistakes a typist makes — which is what makes a prose/table difference worth
flagging rather than two different quantities.
"""
from __future__ import annotations

import re

from checks.tables_view import TableView
from checks.text import Mention, fold, has_phrase, words

_SKIP_WORDS = {"số", "tổng", "lượng", "cộng", "trong", "đó"}


def column_score(m: Mention, t: TableView, c: int) -> int | None:
    """How well the mention's unit names column c (None: not at all)."""
    if not m.unit or m.percent:
        return None
    hw = t.columns[c].words
    head = fold(m.head)
    if not head or not has_phrase(hw, head):
        return None
    uw = m.unit.split()
    n = 0
    for k in range(len(uw), 0, -1):
        if has_phrase(hw, " ".join(uw[:k])):
            n = k
            break
    extra = [w for w in t.columns[c].nouns if w not in uw]
    return n - len(extra)


def best_columns(m: Mention, t: TableView) -> list[int]:
    scored = [(column_score(m, t, c), c) for c in t.quantity_columns()]
    scored = [(s, c) for s, c in scored if s is not None]
    if not scored:
        return []
    top = max(s for s, _ in scored)
    return [c for s, c in scored if s == top]


def row_named(t: TableView, r: int, sentence_folded: str) -> bool:
    """The row's name (or its name without a generic first word) stands in the sentence."""
    if t.label_col is None:
        return False
    lab = fold(t.cells[r][t.label_col]).strip(" -+*•:.")
    bare = re.sub(r"\s*\([^()]*\)", "", lab).strip(" -+*•:.")
    if bare != lab and len(bare) >= 4 and row_named_text(bare, sentence_folded):
        return True  # "Đo đạc chỉnh lý bản đồ (thửa)": the unit in brackets is not said
    if len(lab) < 4:
        return False
    if re.search(r"(?<!\w)" + re.escape(lab) + r"(?!\w)", sentence_folded):
        return True
    lw = lab.split()
    if len(lw) >= 3:
        rest = " ".join(lw[1:])
        return bool(re.search(r"(?<!\w)" + re.escape(rest) + r"(?!\w)", sentence_folded))
    return False


def row_named_text(lab: str, sentence_folded: str) -> bool:
    """A folded row name (or, for three words or more, the name without its first word)
    stands in the folded sentence."""
    if re.search(r"(?<!\w)" + re.escape(lab) + r"(?!\w)", sentence_folded):
        return True
    lw = lab.split()
    return len(lw) >= 3 and bool(re.search(r"(?<!\w)" + re.escape(" ".join(lw[1:])) + r"(?!\w)",
                                           sentence_folded))


def _digits(v: float) -> str | None:
    if v is None or v != int(v) or v < 0:
        return None
    return str(int(v))


def _decimal_digits(raw: str, value: float, other: float) -> tuple[str | None, str | None]:
    """The digits of two decimals written with the mention's decimals ("987,3" and 978,3 →
    "9873", "9783"), when the other number has no more decimals than that."""
    m = re.search(r",(\d+)$", raw.strip())
    d = len(m.group(1)) if m else 0
    if d == 0 or value < 0 or other < 0 or abs(round(other, d) - other) > 1e-9:
        return None, None
    return f"{value:.{d}f}".replace(".", ""), f"{other:.{d}f}".replace(".", "")


def typo_close(m: Mention, other: float) -> str | None:
    """How the written number could be a typo of `other`: 'transposition', 'one digit',
    'separator' — or None when they are simply different numbers."""
    if m.malformed:
        return "separator" if m.suggestion is not None and abs(m.suggestion - other) < 1e-9 else None
    a, b = _digits(m.value), _digits(other)
    if (a is None or b is None) and m.value is not None:
        a, b = _decimal_digits(m.raw, m.value, other)
    if a is None or b is None or a == b or len(a) != len(b) or len(a) < 3:
        return None
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
        return "transposition"
    if len(diff) == 1:
        return "one digit"
    return None


def prose_numbers_for_column(sentences, t: TableView, c: int):
    """(sentence, mention) pairs whose unit names column c best among the table's columns."""
    for s in sentences:
        for m in s.mentions:
            if m.numerator or m.over is not None or m.percent or m.value is None and not m.malformed:
                continue
            if c in best_columns(m, t):
                yield s, m


def near_miss(m: Mention, other: float) -> str | None:
    """typo_close, and for short numbers (under three digits) one digit changed or two swapped
    too: only for a reading specific enough to rule out a different quantity."""
    how = typo_close(m, other)
    if how is not None or m.malformed:
        return how
    a, b = _digits(m.value), _digits(other)
    if a is None or b is None or a == b or len(a) != len(b):
        return None
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return "one digit"
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
        return "transposition"
    return None

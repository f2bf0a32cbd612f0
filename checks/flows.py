"""Stock and flow: the role a word gives a number in a balance (opening, inflow, outflow, closing).

"Đầu năm học nhà trường có 245 cháu" opens a balance, "nhận thêm 18 cháu" flows in, "7 cháu
chuyển trường" flows out, "hiện có 256 cháu" closes it. The phrases are in checks.lexicon
(BALANCE_ROLES, BALANCE_NEUTRAL); this module finds them in a column header, a row name or the
words around a number in prose. balance_mismatch checks the equation; count_mismatch
uses the roles to tell a stock-and-flow sentence from a whole and its parts.
"""
from __future__ import annotations

import re
from functools import lru_cache

from checks.lexicon import BALANCE_NEUTRAL, BALANCE_ROLES
from checks.text import Mention, bare, fold, words

FLOWS = ("in", "out")
# A header that is only one of these words is a role on its own ("Hồ sơ / Cũ", "Hồ sơ / Mới").
_BARE_LEAVES = {"cũ": "open", "số cũ": "open", "mới": "in", "tăng": "in", "giảm": "out"}
_DELIM = re.compile(r"[,;:()]")
_Phrase = tuple[list[str], str | None, str]  # folded words, role (None: neutral), the phrase


@lru_cache(maxsize=1)
def _phrases() -> list[_Phrase]:
    """The lexicon's phrases, longest first; neutral phrases have no role."""
    out: list[_Phrase] = [
        (fold(p).split(), role, fold(p)) for role, ps in BALANCE_ROLES.items() for p in ps]
    out += [(fold(p).split(), None, fold(p)) for p in BALANCE_NEUTRAL]
    out.sort(key=lambda x: -len(x[0]))
    return out


@lru_cache(maxsize=1)
def _bare_phrases() -> list[_Phrase]:
    """The phrases of two words or more without diacritics, for text a scan read."""
    return [([bare(w) for w in pw], role, phrase) for pw, role, phrase in _phrases() if len(pw) >= 2]


def roles_in(ws: list[str], fuzzy: bool = False) -> list[tuple[int, str, str]]:
    """(position, role, phrase) of the role phrases in a list of folded words: longest phrases
    first, none overlapping; a neutral phrase ("học sinh", "chi bộ") takes its words away.
    `fuzzy` (OCR text): when no phrase is found as written, phrases of two words or more are
    looked for without diacritics ("tồn cuồi kỳ", "tổng chỉ" for "tổng chi")."""
    found = _roles_in(ws, _phrases())
    if fuzzy and not found:
        found = _roles_in([bare(w) for w in ws], _bare_phrases())
    return found


def _roles_in(ws: list[str], phrases: list[_Phrase]) -> list[tuple[int, str, str]]:
    taken = [False] * len(ws)
    found = []
    at: dict[str, list[int]] = {}  # word → its positions: only phrases opening with a word of
    for i, w in enumerate(ws):     # the text are tried (the lexicon is long, the text short)
        at.setdefault(w, []).append(i)
    by_first = _by_first_word(id(phrases), phrases)
    tried = sorted(k for w in at for k in by_first.get(w, ()))  # in the lexicon's order
    for k in tried:
        pw, role, phrase = phrases[k]
        starts = at[pw[0]]
        n = len(pw)
        for i in starts:
            if ws[i:i + n] == pw and not any(taken[i:i + n]):
                taken[i:i + n] = [True] * n
                if role is not None:
                    found.append((i, role, phrase))
    found.sort()
    return found


_FIRST_WORD: dict[int, dict[str, list[int]]] = {}


def _by_first_word(key: int, phrases: list[_Phrase]) -> dict[str, list[int]]:
    """First word → the places of the phrases opening with it (phrases lists are built once)."""
    if key not in _FIRST_WORD:
        idx: dict[str, list[int]] = {}
        for k, (pw, _, _) in enumerate(phrases):
            idx.setdefault(pw[0], []).append(k)
        _FIRST_WORD[key] = idx
    return _FIRST_WORD[key]


def phrase_role(ws: list[str], nearest: str = "last", fuzzy: bool = False) -> tuple[str, str] | None:
    """The role the words give a number (the phrase nearest to it when several): stock words
    with an opening or closing phrase take that phrase's role ("số dư … chuyển sang")."""
    found = roles_in(ws, fuzzy)
    if not found:
        return None
    main = [(r, p) for _, r, p in found if r != "stock"]
    if not main:
        return "stock", found[-1][2]
    return main[-1] if nearest == "last" else main[0]


def header_role(header: str, fuzzy: bool = False) -> tuple[str, str] | None:
    """The role of a column header or row name; None when it has none or contradictory ones
    ("Tăng, giảm")."""
    ws = words(header)
    plain = " ".join(w for w in ws if not w.isdigit()).strip(" .:")
    if plain in _BARE_LEAVES:
        return _BARE_LEAVES[plain], plain
    found = roles_in(ws, fuzzy) or _glued(ws) or (_bare_first(ws) if fuzzy else [])
    main = {r for _, r, _ in found if r != "stock"}
    if len(main) > 1:
        return None
    if main:
        r = main.pop()
        return r, next(p for _, x, p in found if x == r)
    return ("stock", found[0][2]) if found else None


@lru_cache(maxsize=1)
def _bare_words() -> dict[str, tuple[str, str]]:
    """One-word role phrases by their form without diacritics, where that form is one phrase's
    only ("chi" → out; not "tồn"/"tôn")."""
    by: dict[str, list[tuple[str, str]]] = {}
    for pw, role, phrase in _phrases():
        if len(pw) == 1 and role is not None:
            by.setdefault(bare(pw[0]), []).append((role, phrase))
    return {k: v[0] for k, v in by.items() if len({r for r, _ in v}) == 1}


def _bare_first(ws: list[str]) -> list[tuple[int, str, str]]:
    """A short header a scan read with a wrong accent on its first word ("Chỉ trong năm" for
    "Chi trong năm"): the first word's form without diacritics, when it is a one-word role."""
    if not ws or len(ws) > 5 or len(ws) > 1 and ws[1] not in ("trong", "năm", "kỳ", "quý", "tháng", "lũy"):
        return []  # "Chỉ tiêu", "Chỉ số" are words of their own: only "X trong năm / kỳ …"
    hit = _bare_words().get(bare(ws[0]))
    return [(0, hit[0], hit[1])] if hit else []


def _glued(ws: list[str]) -> list[tuple[int, str, str]]:
    """Phrases a PDF's narrow header cell glued into one word ("Chuyểnđến", "Tồnđầu kỳ"): a word
    that is, or starts or ends with, a phrase of two words or more written without its spaces."""
    keys = _glued_keys()
    longest = max((len(k) for k in keys), default=0)
    found = []
    for i, w in enumerate(ws):
        hits = [keys[w]] if w in keys else []
        for n in range(1, min(len(w), longest + 1)):  # a phrase opening or closing the word
            for part in (w[:n], w[-n:]):
                if part in keys:
                    hits.append(keys[part])
        if hits:
            _, role, phrase = min(hits)  # the first in the lexicon's order, as before
            found.append((i, role, phrase))
    return found


@lru_cache(maxsize=1)
def _glued_keys() -> dict[str, tuple[int, str, str]]:
    """A role phrase of two words or more written without its spaces → (its place in the
    lexicon's order, role, phrase); the first place wins."""
    keys: dict[str, tuple[int, str, str]] = {}
    for k, (pw, role, phrase) in enumerate(_phrases()):
        if role is not None and len(pw) >= 2:
            keys.setdefault("".join(pw), (k, role, phrase))
    return keys


def mention_role(text: str, m: Mention, before: list[Mention],
                 fuzzy: bool = False) -> tuple[str | None, str]:
    """The role of a number in its sentence and the phrase that gives it: the role phrase nearest
    before it, from the punctuation after the previous number (the sentence start for the
    first: "Đầu năm 2024, Hợp tác xã có 146 …"), else the first one after it up to the next
    punctuation ("3 xã viên qua đời"). `before` are the sentence's mentions before it;
    `fuzzy` for text a scan read (roles_in)."""
    start = max([p.end_unit for p in before] + [0])
    window = text[start:m.start]
    if before:
        d = _DELIM.search(window)
        window = window[d.end():] if d else window
        hard = list(re.finditer(r"[;()]", window))  # a bracket or a semicolon ends what came before
        window = window[hard[-1].end():] if hard else window
    found = phrase_role(words(window), "last", fuzzy)
    if found is None:
        nxt = _DELIM.search(text, m.end)
        end = nxt.start() if nxt else len(text)
        found = phrase_role(words(text[m.end:end]), "first", fuzzy)
    return (found[0], found[1]) if found else (None, "")

"""Reading prose for the checks: folding, sentences, and the numbers a sentence states.

A `Mention` is one number in a sentence with what the checks need around it: its value as read
by Vietnamese rules, the unit phrase after it ("lượt người"), the kind of thing it counts
(person, household, organisation, …), a qualifier before it ("trên", "gần"), and whether it is a
percentage or one side of a fraction ("466/478 học sinh"). Dates, years, document codes and
labels ("lớp 5", "lần thứ 3") are not mentions.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from checks.lexicon import (APPROX, COUNT_KINDS, KINDS, LABEL_BEFORE, LABEL_MAX, MONEY_SCALE,
                            NOT_LABEL_COMPOUNDS, NOT_MONEY_AFTER_DONG, UNIT_STOP)
from extractors.text.numbers import parse_number


@lru_cache(maxsize=8192)
def fold(s: str | None) -> str:
    """NFC, casefold, single spaces; 'ủy' and 'uỷ' alike."""
    s = unicodedata.normalize("NFC", s or "").casefold()
    s = _OLD_TONE.sub(lambda m: _TONE_MAP[m.group(0)], s)
    return re.sub(r"\s+", " ", s).strip()


# Old and new tone placement ("hoá"/"hóa", "uỷ"/"ủy") read alike: at a word's end, the tone
# goes on the first vowel (not after "q", where "u" is part of the consonant: "quý", "quỹ").
_TONE_MAP = {a + b: c + d for a, b, c, d in (
    ("o", "á", "ó", "a"), ("o", "à", "ò", "a"), ("o", "ả", "ỏ", "a"), ("o", "ã", "õ", "a"),
    ("o", "ạ", "ọ", "a"), ("o", "é", "ó", "e"), ("o", "è", "ò", "e"), ("o", "ẻ", "ỏ", "e"),
    ("o", "ẽ", "õ", "e"), ("o", "ẹ", "ọ", "e"), ("u", "ý", "ú", "y"), ("u", "ỳ", "ù", "y"),
    ("u", "ỷ", "ủ", "y"), ("u", "ỹ", "ũ", "y"), ("u", "ỵ", "ụ", "y"))}
_OLD_TONE = re.compile(r"(?<!q)(?:" + "|".join(_TONE_MAP) + r")(?!\w)")  # "quý": qu- is a consonant


@lru_cache(maxsize=8192)
def bare(s: str | None) -> str:
    """fold() without any diacritics, đ as d: what a scan's misread accents ("tồn cuồi kỳ" for
    "tồn cuối kỳ", "Thục hiện" for "Thực hiện") still share with the words meant."""
    s = unicodedata.normalize("NFD", fold(s))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.replace("đ", "d")


def words(s: str | None) -> list[str]:
    return re.findall(r"[\w%/]+", fold(s))


def has_phrase(text_words: list[str], phrase: str) -> bool:
    """The phrase (folded words) occurs as a run of words."""
    pw = phrase.split()
    n = len(pw)
    return any(text_words[i:i + n] == pw for i in range(len(text_words) - n + 1))


# --- sentences -----------------------------------------------------------------------------------

_SENT_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9\-–•+*])")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs: paragraphs split at line breaks, then at . ! ? … followed by a
    space and a capital, digit or list dash. A dot inside a number ("2.379") never splits."""
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        start = 0
        for m in _SENT_END.finditer(line):
            _add_piece(out, line, pos, start, m.start())
            start = m.end()
        _add_piece(out, line, pos, start, len(line))
        pos += len(line) + 1
    return out


MAX_SENTENCE = 2000  # a longer "sentence" (no full stop) is cut at a space: the checks that look
                     # at every number of a sentence stay linear in the paragraph's length


def _add_piece(out: list[tuple[int, str]], line: str, pos: int, a: int, b: int) -> None:
    while b - a > MAX_SENTENCE:
        cut = line.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
        cut = cut if cut > a else a + MAX_SENTENCE
        _add_piece(out, line, pos, a, cut)
        a = cut
    piece = line[a:b]
    if piece.strip():
        out.append((pos + a, piece.strip()))


# --- numbers in prose ---------------------------------------------------------------------------

_NUM = re.compile(r"(?<![\w.,/\-–])(\d[\d.,]*\d|\d)")
_DATE_AFTER = re.compile(r"^[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?(?!\d)")


@dataclass
class Mention:
    raw: str  # the number as written ("2.379", "96,5", "8.28")
    value: float | None  # None when malformed
    start: int  # offsets in the sentence (of the number, % excluded)
    end: int
    percent: bool = False
    malformed: bool = False
    suggestion: float | None = None
    unit: str = ""  # folded unit phrase after the number ("lượt người")
    unit_text: str = ""  # the unit phrase as written ("trường THCS")
    head: str = ""  # the lexicon entry the unit starts with ("lượt người"), or its first word
    kind: str | None = None  # person | household | org | … | money | measure | time | None
    qualifier: str | None = None  # folded word(s) before: "trên", "gần", …
    before: str = ""  # folded text of up to four words before the number
    tail: str = ""  # folded text after the unit up to the next punctuation or number
    over: "Mention | None" = None  # the denominator when written "466/478"
    numerator: bool = False  # this is the A of "A/B"
    scale: float = 1.0  # money: tỷ → 1e9, triệu → 1e6
    end_unit: int = 0  # offset just after the unit phrase
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.raw + ("%" if self.percent else "")

    @property
    def scaled(self) -> float | None:
        return None if self.value is None else self.value * self.scale


@lru_cache(maxsize=1)
def _kind_entries() -> dict[str, list[tuple[list[str], str, str]]]:
    """Lexicon entries by first word, longest first."""
    by_first: dict[str, list[tuple[list[str], str, str]]] = {}
    for k, es in KINDS.items():
        for e in es:
            ew = fold(e).split()
            by_first.setdefault(ew[0], []).append((ew, " ".join(ew), k))
    for v in by_first.values():
        v.sort(key=lambda t: -len(t[0]))
    return by_first


def unit_head(unit_words: list[str]) -> tuple[str, str | None]:
    """The longest lexicon entry the unit phrase starts with, and its kind."""
    for ew, e, k in _kind_entries().get(unit_words[0] if unit_words else "", []):
        if unit_words[:len(ew)] == ew:
            if e == "đồng" and len(unit_words) > 1 and unit_words[1] in NOT_MONEY_AFTER_DONG:
                continue
            return e, k
    return (unit_words[0] if unit_words else ""), None


_WORD = re.compile(r"[^\W\d_]+(?:/[^\W\d_]+)?|%|²|³", re.U)
_FIRST_STOP = frozenset({"và", "với", "của", "trong", "tại", "là", "đạt", "được", "có", "cho", "theo",
                         "so", "bằng", "chiếm", "gồm", "thuộc", "trên", "đã", "đang", "sẽ", "đều",
                         "từ", "đến", "tới", "về", "ở", "mà", "nhưng", "thì", "còn", "như", "do", "để",
                         "hoặc", "hay", "cùng", "vào", "trở", "lên", "xuống", "ra"})


def _unit_after(s: str, pos: int) -> tuple[list[str], int, str]:
    """Unit words after position `pos` (up to five, stopping at punctuation, a digit or a
    connective), the offset after them, and the folded rest of the chunk (the tail)."""
    out: list[str] = []
    i = pos
    end = pos
    while len(out) < 5:
        m = re.compile(r"[ \t]*").match(s, i)
        j = m.end()
        w = _WORD.match(s, j)
        if not w:
            break
        word = fold(w.group(0))
        if (not out and word in _FIRST_STOP) or (out and (word in UNIT_STOP or word in _FIRST_STOP)):
            break
        out.append(word)
        i = end = w.end()
    stop = re.search(r"[,;:.()\"“”!?…]|\d", s[end:])
    tail = fold(s[end:end + (stop.start() if stop else len(s) - end)])
    return out, end, tail


def _before(s: str, pos: int, n: int = 4) -> str:
    ws = re.findall(r"[\w/]+|[,;:()]", s[max(0, pos - 60):pos])
    return fold(" ".join(ws[-n:]))


def _qualifier(before: str) -> str | None:
    b = " " + before
    for q in sorted(APPROX, key=len, reverse=True):
        if b.endswith(" " + q):
            return q
    return None


_BOUND_AFTER = ("trở lên", "trở xuống")


def _bound_after(tail: str) -> str | None:
    """A bound written after the unit ("từ 880 triệu đồng trở lên"): the number is a floor or a
    ceiling, not an amount."""
    return next((b for b in _BOUND_AFTER if tail.startswith(b)), None)


def _is_label(before: str) -> bool:
    b = " " + before
    if any(b.endswith(" " + w) for w in NOT_LABEL_COMPOUNDS):
        return False
    return any(b.endswith(" " + w) for w in LABEL_BEFORE)


_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")


def _counted_not_label(raw: str, value: float | None, before: str, kind: str | None) -> bool:
    """A number after a label word that still counts the noun after it: written with thousands
    groups ("trung cấp 1.850 người", "dưới 3 tháng 5.720 người" — labels never are), or too
    large for a calendar label ("tháng 572 người"). Nor is an amount of money or a measure
    written with thousands groups or decimals ("thu trong năm 42.300.000 đồng", "số dư đầu kỳ
    1,2 tỷ đồng") or too large for the label ("trong kỳ 850 triệu đồng")."""
    if kind in ("money", "measure"):
        if _GROUPED.fullmatch(raw) or "," in raw:
            return True
    elif kind not in COUNT_KINDS:
        return False
    elif _GROUPED.fullmatch(raw):
        return True
    b = " " + before
    return value is not None and any(b.endswith(" " + w) and value > mx for w, mx in LABEL_MAX.items())


def mentions(sentence: str) -> list[Mention]:
    """The quantities a sentence states, in order."""
    out = _mentions(sentence)
    for m in out:
        if m.unit and not m.percent:
            start = m.over.end if m.numerator and m.over else m.end
            m.unit_text = sentence[start:m.end_unit].strip()
    return out


_DOTTED_DATE = re.compile(r"(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?:\d{2}|\d{4})|\d{1,2}\.\d{1,2}\.\d{1,2}")


def _mentions(sentence: str) -> list[Mention]:
    out: list[Mention] = []
    s = sentence
    taken_until = -1
    for m in _NUM.finditer(s):
        if m.start() < taken_until:
            continue
        raw, a, b = m.group(1), m.start(1), m.end(1)
        after = s[b:b + 12]
        # codes and dates: 04-CT/TU, 45/BC-UBND, 24/3/2008, 2016-2020, 27.4.2016
        if re.match(r"^[\-–]\s?[A-Za-zĐđ]", after) or re.match(r"^/[^\W\d_]", after):
            continue
        if re.match(r"^\s?[\-–]\s?\d", after):
            taken_until = b + len(re.match(r"^\s?[\-–]\s?\d+", after).group(0))
            continue  # a range or a pair of years
        before = _before(s, a)
        num = parse_number(raw)
        if num is None:
            continue
        if raw.count(".") >= 2 and "," not in raw and not re.fullmatch(r"\d{1,3}(\.\d{3})+", raw) \
                and (_DOTTED_DATE.fullmatch(raw) or not _unit_after(s, b)[0]):
            continue  # 27.4.2016, a section number "2.1.3" (but "186.50.000 đồng" is a malformed amount)
        if after.startswith("/"):
            frac = re.match(r"^/(\d[\d.,]*\d|\d)(?![\w/])", after)
            is_date = bool(_DATE_AFTER.match(after)) and (
                before.endswith(("ngày", "tháng", "từ", "đến", "hạn", "(")) or _looks_date(raw, after))
            is_date = is_date or _month_year(raw, after, before, s[b:])
            if not frac or is_date:
                # a date "24/3/2008" or a code "12/2020/NĐ-CP": skip the whole token
                tok = re.match(r"^(/[\w\-.]+)+", after)
                taken_until = b + (tok.end() if tok else 0)
                continue
            den_raw = frac.group(1)
            den = parse_number(den_raw)
            den_start = b + 1
            den_end = den_start + len(den_raw)
            units, uend, tail = _unit_after(s, den_end)
            head, kind = unit_head(units)
            qual = _qualifier(before)
            A = Mention(raw=raw, value=num.value, start=a, end=b, malformed=num.malformed,
                        suggestion=num.suggestion, unit=" ".join(units), head=head, kind=kind,
                        qualifier=qual, before=before, tail=tail, numerator=True, end_unit=uend)
            B = Mention(raw=den_raw, value=den.value if den else None, start=den_start, end=den_end,
                        unit=" ".join(units), head=head, kind=kind, before=fold(raw + "/"),
                        tail=tail, end_unit=uend)
            A.over = B
            out.extend([A, B])
            taken_until = den_end
            continue
        pct = re.match(r"^\s?%", after) or re.match(r"^\s?phần trăm", after)
        if pct:
            qual = _qualifier(before)
            units, uend, tail = _unit_after(s, b + pct.end())
            out.append(Mention(raw=raw, value=num.value, start=a, end=b, percent=True,
                               malformed=num.malformed, suggestion=num.suggestion, unit="%",
                               head="%", kind="percent", qualifier=qual, before=before,
                               tail=" ".join(units + ([tail] if tail else [])), end_unit=b + pct.end()))
            continue
        units, uend, tail = _unit_after(s, b)
        head, kind = unit_head(units)
        val = num.value
        if val is not None and val == int(val) and 1900 <= val <= 2100 and (
                not units or kind == "time" or before.endswith(("năm", "năm học", "giai đoạn", "kỳ"))):
            continue  # a year
        if _is_label(before) and not (before.endswith(("số", "tổng số")) and units) \
                and not _counted_not_label(raw, val, before, kind):
            continue
        scale = 1.0
        if kind == "money":
            for w, f in MONEY_SCALE.items():
                if head.startswith(w):
                    scale = f
                    break
        out.append(Mention(raw=raw, value=val, start=a, end=b, malformed=num.malformed,
                           suggestion=num.suggestion, unit=" ".join(units), head=head, kind=kind,
                           qualifier=_qualifier(before) or _bound_after(tail), before=before, tail=tail,
                           scale=scale, end_unit=uend))
    return out


def _month_year(raw: str, after: str, before: str, rest: str) -> bool:
    """A month and its year ("tháng 3/2026", "đến 12/2024"), not a fraction: a month number over
    a year, after a month or time word, or with no counted noun after it."""
    m = re.match(r"^/(\d{4})(?![\d/])", after)
    if not m or not raw.isdigit() or not 1 <= int(raw) <= 12 or not 1900 <= int(m.group(1)) <= 2100:
        return False
    if before.endswith(("tháng", "từ", "đến", "trong", "vào", "cuối", "đầu", "hết", "(", "năm")):
        return True
    units, _, _ = _unit_after(rest, 1 + len(m.group(1)))
    return unit_head(units)[1] not in COUNT_KINDS


def _looks_date(raw: str, after: str) -> bool:
    m = re.match(r"^/(\d{1,4})(?:/(\d{2,4}))?", after)
    if not m or not raw.isdigit():
        return False
    a, b = int(raw), int(m.group(1))
    if m.group(2):
        return 1 <= a <= 31 and 1 <= b <= 12
    return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1900 <= b <= 2100)


def same_kind(a: Mention, b: Mention) -> bool:
    """Two mentions count the same kind of thing."""
    if a.kind and b.kind:
        return a.kind == b.kind
    if not a.unit or not b.unit:
        return False
    return a.head == b.head or a.unit.split()[0] == b.unit.split()[0]

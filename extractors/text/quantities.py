"""Find the quantities in one sentence of Vietnamese prose: value, unit, qualifier, lead, context.

"ước đạt 785,87 tỷ đồng, tăng 114,79% so với năm 2019" gives 785.87 "tỷ đồng" (money, lead
"ước đạt") and 114.79 "%" (percent, lead "tăng", context "so với năm 2019"); "có 03 đồng chí
gồm 01giám đốc" gives 3 "đồng chí" and 1 "giám đốc" (count). Periods and ages ("6 tháng",
"5 năm", "trẻ 5 tuổi"), ordinals and names ("mức độ 3", "khu 6", "Covid-19") and spans the
caller blocks (dates, years, document codes found by extractors.references) are not figures.

Units come from the word lists in extractors.text.units; the counted noun phrase is cut by POS tags
when extractors.text.nlp is available (nouns, classifiers, abbreviations and following nouns or
adjectives), else by the counted-noun lexicon and capitalisation. All offsets index `text`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from extractors.text import nlp
from extractors.text import units as U
from extractors.text.dates import digit_windows
from extractors.text.numbers import parse_number, too_long

NUMBER = re.compile(
    r"(?<![\w.,/])(?<![^\W\d_][-–])"  # not inside a word, a code or "Covid-19"
    r"(?P<n>\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?"  # 2,096,584,751 (English thousands)
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?"  # 2.215 / 1.234,5
    r"|\d+\.\d+"  # 8.28 / 8.5: malformed, or an English decimal
    r"|\d+(?:,\d+)?)"  # 96,5 / 03
    r"(?!\d|[.,]\d)")
_RANGE_TO = re.compile(r"\s*(?:[-–]|đến|tới)\s*(?=\d)", re.I)
_FRACTION = re.compile(r"/([1-9])(?=\s+(?:số|tổng|diện|dân|khối|lượng)(?![^\W_]))", re.I)
_ACRONYM = re.compile(r"[A-ZĐ]{2,}[A-ZĐ0-9]*")
_GLUED_CODE = re.compile(r"[A-Z]{1,3}(?![^\W_])")
_RANGE_GAP = re.compile(r"\s*(?:[-–]|đến|tới)\s*", re.I)
_SYLLABLE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w\s]")
_WORD = re.compile(r"[^\W_]+")
_PUNCT_BOUNDARY = re.compile(r"[,;:()\[\]“”\"'…!?]|\s[-–]\s|\.(?!\d)")
_PHONE = re.compile(r"(?<![\w.,])(?:\+84|0)\d{1,3}[\s.]?\d{3}[\s.]?\d{3,4}(?![\w])"
                    r"|(?:ĐT|Điện\s+thoại|SĐT|Fax|Hotline|DĐ|Di\s+động|Tel)\s*:?\s*[\d\s.()+-]{6,}",
                    re.I)
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I)
_TIME = re.compile(r"(?<![\w])\d{1,2}\s*(?:h|giờ|g)\s*\d{1,2}(?:\s*(?:phút|p))?(?![\w])", re.I)
_LABEL_UNIT = re.compile(r"(?:^|[,;:(]|\btrong\s+đó\b|\bgồm\b|\bgồm\s+có\b)\s*"
                         r"(?P<label>[^\W\d_]+(?:\s+[^\W\d_]+){0,2})\s*:?\s*$", re.I)
_AFTER_LABEL_UNIT = re.compile(r"\s*(?:[,;)]|\.(?!\d)|$|\s+và\s)")
_SO_VOI = re.compile(r"\s*((?:so\s+với|so|bằng|cùng\s+kỳ)(?![^\W_])[^,;.()\n]{0,60})", re.I)

NOUN_TAGS = {"N", "Nc", "Np", "Nu", "Ny", "Nb"}
NP_CONT_TAGS = {"N", "Np", "Ny", "Nb", "A"}
MAX_UNIT_WORDS = 4
WINDOW_BEFORE, WINDOW_AFTER = 2, 9


@dataclass
class Quantity:
    value: float
    raw: str
    start: int  # span of `raw` in the text
    end: int
    unit: str | None = None
    kind: str = "other"
    qualifier: str | None = None
    lead: str | None = None
    context: str | None = None
    unit_end: int = 0  # end of the unit (and of a trailing qualifier)


# --- helpers -----------------------------------------------------------------------------------

def blocked_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans that hold digits but no figures: phone numbers, URLs, clock times."""
    end = len(text) if end is None else end
    out = []
    if "www" in text or "http" in text or "@" in text:
        out += [m.span() for m in _URL.finditer(text, start, end)]
    for a, b in digit_windows(text[:end], 16):
        if b <= start:
            continue
        a = max(a, start)
        out += [m.span() for rx in (_PHONE, _TIME) for m in rx.finditer(text, a, b)]
    return out


_SO = re.compile(r"\s*(?:số|tổng\s+số)\s+", re.I)
_RATIO = re.compile(r"/(\d{1,3}(?:\.\d{3})+|\d+)(?![\d/.,]\d)")


def _running_max(values: list[float]) -> list[float]:
    out, top = [], float("-inf")
    for v in values:
        top = max(top, v)
        out.append(top)
    return out


def _overlaps(spans: list[tuple[int, int]], ends: list[float], s: int, e: int) -> bool:
    """Whether [s, e) overlaps one of `spans` (sorted by start; `ends` their running maximum
    end): a bisection, not a scan of every span for every number."""
    k = bisect_left(spans, (e,)) - 1  # the last span starting before e
    return k >= 0 and ends[k] > s


def _value(raw: str, kind_hint: str) -> float | None:
    n = parse_number(raw)
    if n is None:
        return None
    if n.value is not None:
        if kind_hint == "count" and re.fullmatch(r"\d{1,3},\d{3}", raw):
            return float(raw.replace(",", ""))  # "1,500 người": a count is not fractional
        return n.value
    m = re.fullmatch(r"(\d+)\.(\d{1,2})", raw)
    if m and kind_hint != "count":
        return float(f"{m[1]}.{m[2]}")  # English decimal: "8.5%", "1.5 tỷ đồng"
    return n.suggestion


class _Tokens:
    """Syllables of a sentence with offsets, tagged lazily by windows around the numbers."""

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.spans = [m.span() for m in _SYLLABLE.finditer(text, start, end)]
        self._starts = [a for a, _b in self.spans]
        self.syl = [text[a:b] for a, b in self.spans]
        self.nlp = nlp.enabled() and nlp.available()
        self._word_of: dict[int, tuple[int, int, str]] = {}  # syllable index → its word

    def index_at(self, pos: int) -> int | None:
        """The first syllable starting at or after pos (a bisection: linear scans here made a
        long paragraph cost its length times its numbers)."""
        i = bisect_left(self._starts, pos)
        return i if i < len(self._starts) else None

    def word_at(self, i: int) -> tuple[int, int, str] | None:
        """The word (start, end syllable, POS) holding syllable i; None without NLP."""
        if not self.nlp or i >= len(self.syl):
            return None
        if i not in self._word_of:
            lo = max(0, i - WINDOW_BEFORE)
            hi = min(len(self.syl), i + WINDOW_AFTER)
            words = nlp.tag(self.syl[lo:hi])
            if words is None:
                self.nlp = False
                return None
            # the window's last words lost their right context: keep them only at the end
            keep_to = hi if hi == len(self.syl) else hi - 3
            for a, b, t in words:
                if lo + a < keep_to or lo + a <= i:
                    for k in range(lo + a, lo + b):
                        self._word_of.setdefault(k, (lo + a, lo + b, t))
        return self._word_of.get(i)


def _clause_start(text: str, lo: int, pos: int) -> int:
    """Start of the clause that `pos` stands in (after the last punctuation), not before lo."""
    best = lo
    for m in _PUNCT_BOUNDARY.finditer(text, lo, pos):
        best = m.end()
    return best


def _words_before(text: str, lo: int, pos: int, n: int) -> str | None:
    """Up to n words just before pos, back to lo or to a number."""
    out: list[str] = []
    for w in reversed(_WORD.findall(text[lo:pos])):
        if w[0].isdigit() or len(out) == n:
            break
        out.append(w)
    return " ".join(reversed(out)) or None


# --- unit and context ---------------------------------------------------------------------------

def _noun_phrase(text: str, pos: int, end: int, toks: _Tokens,
                 allow_unknown: bool = True) -> tuple[str, int] | None:
    """The counted noun phrase starting at `pos` (after the number): (unit, end offset).

    Head: a counted noun from the lexicon, else (with NLP) a word tagged as a noun, else (regex
    path) one or two plain syllables. Then following nouns/adjectives (NLP), or modifiers from
    the lexicon and capitalised words (regex path), up to MAX_UNIT_WORDS. NLP is asked only
    when the lexicon cannot settle it: most phrases end at punctuation or a function word."""
    i = toks.index_at(pos)
    if (i is None or toks.spans[i][0] >= end or text[pos:toks.spans[i][0]].strip()
            or _ends_phrase(toks.syl[i])):
        return None
    lex = U.counted_at(text, pos)
    if lex:
        head_end = i
        while head_end < len(toks.spans) and toks.spans[head_end][1] <= lex.end():
            head_end += 1
    elif not allow_unknown:
        return None
    elif toks.nlp and (w := toks.word_at(i)) is not None:
        if w[2] not in NOUN_TAGS:
            return None
        head_end = w[1]
    else:  # regex path, unknown head: one or two plain syllables
        if not toks.syl[i].isalpha() or U.period_at(text, pos):
            return None
        head_end = i + 1
        if (head_end < len(toks.syl) and _adjacent(toks, i, head_end)
                and toks.syl[head_end].islower() and not _ends_phrase(toks.syl[head_end])):
            head_end += 1
    j = head_end
    nwords = 1
    while j < len(toks.syl) and nwords < MAX_UNIT_WORDS and toks.spans[j][1] <= end:
        if not _adjacent(toks, j - 1, j) or _ends_phrase(toks.syl[j]):
            break  # settled without tagging: punctuation, a number or a function word
        if j + 1 < len(toks.syl) and toks.syl[j + 1][0].isdigit() and _adjacent(toks, j, j + 1):
            break  # "06 nhà văn hóa khu 06 tủ sách": "khu" labels the next number
        mod = U.modifier_at(text, toks.spans[j - 1][1])
        if _ACRONYM.fullmatch(toks.syl[j]):
            nxt = j + 1  # "văn bản QPPL", "trường THCS": no need to ask the tagger
        elif mod is not None:
            nxt = j
            while nxt < len(toks.spans) and toks.spans[nxt][1] <= mod.end():
                nxt += 1
        elif toks.nlp and (wj := toks.word_at(j)) is not None:
            if wj[0] < j:  # the tagger reads the head on: "trường" + "học"
                nxt = wj[1]
                j = nxt
                continue
            capital = toks.syl[j][:1].isupper() and wj[2] not in ("E", "C", "Cc", "CH", "R", "P")
            if (wj[2] not in NP_CONT_TAGS and not capital) or U.period_at(text, toks.spans[j][0]):
                break
            if wj[2] == "A" and nwords > 1:
                break  # an adjective only right after the head: "hộ nghèo"
            nxt = wj[1]
        else:  # regex path: a capitalised word or an acronym, and what completes it
            s_ = toks.syl[j]
            if not (s_[:1].isupper() and s_.isalpha()):
                break
            nxt = j + 1
            if (nxt < len(toks.syl) and toks.syl[nxt].isalpha() and toks.syl[nxt].islower()
                    and not _ends_phrase(toks.syl[nxt]) and _adjacent(toks, j, nxt)):
                nxt += 1
        if nxt < len(toks.syl) and toks.syl[nxt][0].isdigit() and _adjacent(toks, nxt - 1, nxt):
            break
        j = nxt
        nwords += 1
    unit_end = toks.spans[j - 1][1]
    return text[toks.spans[i][0]:unit_end], unit_end


def _adjacent(toks: _Tokens, a: int, b: int) -> bool:
    """Only white space between syllables a and b."""
    return not toks.text[toks.spans[a][1]:toks.spans[b][0]].strip()


def _context(text: str, pos: int, end: int, toks: _Tokens, kind: str) -> str | None:
    """The words right after a figure's unit: 'so với năm 2019', 'kế hoạch', 'số trường'.

    A comparison ("so với …", "cùng kỳ") runs to the punctuation; otherwise the noun phrase
    that follows ("số trường", "khu phố", "kế hoạch vốn", "rừng"): for a percentage its base,
    for a measure what is measured. Verbs are not context. Without NLP only nouns of the
    lexicon are recognised."""
    m = _SO_VOI.match(text, pos, end)
    if m:
        ws = m.group(1).split()[:6]
        return " ".join(ws) if ws else None
    i = toks.index_at(pos)
    if (i is None or toks.spans[i][0] >= end or not _adjacent_gap(text, pos, toks.spans[i][0])
            or _ends_phrase(toks.syl[i])):
        return None
    so = _SO.match(text, pos, end)
    np_ = _noun_phrase(text, so.end() if so else pos, end, toks, allow_unknown=toks.nlp)
    return _squash(text[toks.spans[i][0]:np_[1]]) if np_ else None


def _ends_phrase(syllable: str) -> bool:
    return not _WORD.fullmatch(syllable) or syllable[0].isdigit() or U.is_stopword(syllable)


def _adjacent_gap(text: str, a: int, b: int) -> bool:
    return not text[a:b].strip()


# --- the scanner --------------------------------------------------------------------------------

def find_quantities(text: str, start: int = 0, end: int | None = None,
                    blocked: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """The figures in `text[start:end]` (one sentence), left to right. `blocked`: spans with
    no figures (citations, dates, phone numbers); by default the phone/URL/time spans."""
    end = len(text) if end is None else end
    blocked = sorted(blocked) if blocked is not None else sorted(blocked_spans(text, start, end))
    block_ends = _running_max([b for _a, b in blocked])
    toks: _Tokens | None = None
    out: list[Quantity] = []
    prev_end = start
    pending_range: list[Quantity] = []
    for m in NUMBER.finditer(text, start, end):
        s, e = m.span()
        if _overlaps(blocked, block_ends, s, e):
            continue
        if toks is None:
            toks = _Tokens(text, start, end)
        raw = m["n"]
        pos = e
        if too_long(raw):
            continue  # thousands of digits: a code or garbage, not a figure
        if _GLUED_CODE.match(text, e):
            continue  # "4G", "5K", "3D": a name, not a count
        # a ratio "250/300 hộ": the unit follows the second number
        ratio = _RATIO.match(text, pos, end)  # matched in place: a slice per number is quadratic
        if ratio:
            frac = _FRACTION.match(text, e, end)
            if frac:  # "1/3 số hộ", "2/3 diện tích": a fraction, one figure
                num, den = int(raw), int(frac[1])
                np_ = _context(text, frac.end(), end, toks, "percent")
                out.append(Quantity(value=num / den, raw=text[s:frac.end()], start=s,
                                    end=frac.end(), kind="other", context=np_,
                                    lead=_words_before(text, _clause_start(text, max(start, prev_end), s), s, 3),
                                    unit_end=frac.end()))
                prev_end = frac.end()
                continue
            pos = ratio.end()
        q = _analyse(text, s, e, pos, end, toks, prev_end, start)
        if q is None:
            # "từ 3 đến 5 người", "5-7 người": the first number takes the unit of the second
            if _RANGE_TO.match(text, e, end) and not any(
                    e < be and bs < e + 3 for bs, be in blocked):
                value = _value(raw, "count")
                if value is not None:
                    pending_range.append(Quantity(value=value, raw=raw, start=s, end=e))
            continue
        for p in pending_range:
            if _RANGE_GAP.fullmatch(text, p.end, s):
                p.unit, p.kind, p.context, p.unit_end = q.unit, q.kind, q.context, q.unit_end
                lo = _clause_start(text, max(start, prev_end), p.start)
                qual = U.qualifier_before(text[lo:p.start])
                p.qualifier = qual[0] if qual else None
                if p.qualifier == "từ":
                    p.qualifier = "từ ... đến"
                p.lead = _words_before(text, lo, lo + qual[1] if qual else p.start, 3)
                out.append(p)
        pending_range = []
        out.append(q)
        if ratio:
            value2 = _value(ratio.group(1), q.kind)
            if value2 is not None:
                out.append(Quantity(value=value2, raw=ratio.group(1), start=e + 1,
                                    end=e + 1 + len(ratio.group(1)), unit=q.unit, kind=q.kind,
                                    context=q.context, unit_end=q.unit_end))
        prev_end = q.unit_end
    out.sort(key=lambda q: q.start)
    return out


def _analyse(text: str, s: int, e: int, pos: int, end: int, toks: _Tokens,
             prev_end: int, sent_start: int) -> Quantity | None:
    raw = text[s:e]
    unit: str | None = None
    kind = "other"
    unit_end = pos
    raw_end = e
    if (m := U.percent_at(text, pos)) is not None:
        unit, kind, unit_end = "%", "percent", m.end()
        if text[pos:m.end()].strip() == "%":
            raw_end = m.end()
    elif (m := U.scale_at(text, pos)) is not None:
        c = U.currency_at(text, m.end())
        if c is not None:
            unit_end = c.end()
            kind = "money"
        else:
            np_ = _noun_phrase(text, m.end(), end, toks) if text[m.end():m.end() + 1].isspace() else None
            unit_end = np_[1] if np_ else m.end()
            kind = "count" if np_ else "other"
        unit = _squash(text[pos:unit_end])
    elif (m := U.currency_at(text, pos)) is not None:
        unit, kind, unit_end = _squash(text[pos:m.end()]), "money", m.end()
    elif (m := U.measure_at(text, pos)) is not None:
        unit, kind, unit_end = _squash(text[pos:m.end()]), "measure", m.end()
    elif U.period_at(text, pos):
        return None  # "6 tháng", "5 năm", "5 tuổi": a period or an age
    head_lo = _clause_start(text, max(sent_start, prev_end), s)
    head = text[head_lo:s]
    qual = U.qualifier_before(head)
    lead_to = head_lo + qual[1] if qual else s
    if unit is None:
        labelled = U.label_before(text[max(sent_start, s - 30):s])
        # after a label ("khu 06 tủ sách") only a known counted noun makes it a figure
        np_ = _noun_phrase(text, pos, end, toks, allow_unknown=not labelled)
        if np_ and labelled and U.label_start(np_[0]):
            np_ = None  # "khoản 2 Điều 5": a label, then another
        if np_:
            unit, unit_end, kind = _squash(np_[0]), np_[1], "count"
        elif labelled:
            return None  # "mức độ 3", "lần thứ 2", "khu 6"
        else:
            lm = _LABEL_UNIT.search(text[max(sent_start, prev_end):s])
            label = lm["label"] if lm else None
            if (label and _AFTER_LABEL_UNIT.match(text, pos)
                    and not U.is_stopword(label.split()[-1])
                    and not any(label.lower().endswith(v) for v in U.QUANTITY_VERBS)):
                unit, kind = label, "count"  # "Nam 120, Nữ 95"
                lead_to = head_lo  # the label is the unit, not a lead
            elif _RANGE_TO.match(text, pos, end):
                return None  # "5-7 người": the caller gives it the unit of the second number
            else:
                lead_words = (_words_before(text, head_lo, lead_to, 2) or "").lower()
                if not any(lead_words.endswith(v) for v in U.QUANTITY_VERBS):
                    return None  # a bare number with nothing to say what it counts
                if re.fullmatch(r"(?:19|20)\d{2}", raw):
                    return None  # a year
    value = _value(raw, kind)
    if value is None:
        return None
    qualifier = qual[0] if qual else None
    qa = U.qualifier_after(text, unit_end)
    if qa is not None and qa.end() <= end:
        after = re.sub(r"\s+", " ", qa.group(1).lower())
        qualifier = f"{qualifier} ... {after}" if qualifier else f"... {after}"
        unit_end = qa.end()
    elif qualifier == "từ":
        qualifier, lead_to = None, s  # "từ 17 vụ xuống 12 vụ": "từ" is no qualifier here
    context = _context(text, unit_end, end, toks, kind)
    lead = _words_before(text, head_lo, lead_to, 3)
    return Quantity(value=value, raw=text[s:raw_end], start=s, end=raw_end, unit=unit, kind=kind,
                    qualifier=qualifier, lead=lead, context=context, unit_end=unit_end)


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()

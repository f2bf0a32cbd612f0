"""Heading labels: read the number a paragraph starts with, and how the paragraph looks.

`parse_label` recognises the numbering styles of Vietnamese reports — parts ("PHẦN I",
"PHẦN THỨ HAI", "Phần A"), capital letters ("A."), Roman numerals ("I." "II-" "III)" "IV:"),
Arabic numbers ("1." "1/" "2)" "2.Kết"), dotted numbers ("2.1:" "1.2.3.") and letters ("a)"
"b." "đ)") — whether typed or rendered from Word's automatic numbering (`list_label`).
`heading_view` adds what the segmenter weighs: the bold run after the label, a run-in title
ending in ":", the length and the closing punctuation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.text.vntext import fold, is_upper_text, n_words, squash
from models.document import Paragraph

# rank in the outline: smaller is higher
RANK = {"part": 0, "annex": 10, "upper": 5, "roman": 10, "arabic": 20, "dotted": 20, "letter": 30}

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ORDINALS = {"nhat": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6,
             "bay": 7, "tam": 8, "chin": 9, "muoi": 10}

_SEP = r"(?P<sep>\s*(?:[.:)/]|\s[-–]|[-–](?=\s))[.:)\-–]?)"
_RE_PART = re.compile(r"^(?P<word>phan|chuong)\s+(?P<num>thu\s+[a-z]+|[ivx]+|\d{1,2}|[a-z])\b"
                      r"(?P<sep>\s*[.:\-–)]?)\s*", re.I)
_RE_ANNEX = re.compile(r"^phu\s*luc\s+(?:so\s+)?(?P<num>\d{1,2}|[ivx]+|[a-z])\b(?P<sep>\s*[.:\-–)]?)\s*", re.I)
_RE_PART_NAMED = re.compile(r"^phan\s+(mo dau|ket luan|thu nhat|thu hai|thu ba|thu tu|thu nam)\b", re.I)
_RE_ROMAN = re.compile(r"^(?P<num>[IVX]{1,6})" + _SEP + r"\s*")
_RE_UPPER = re.compile(r"^(?P<num>[A-HJ-UYZĐ])" + r"(?P<sep>\s*[.:)/]|\s*[-–](?=\s))\s*")
_RE_DOTTED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})(?P<sep>\.?\s*[:)/\-–]?)\s*")
_RE_ARABIC = re.compile(r"^(?P<num>\d{1,2})(?P<sep>\s*(?:[.:)/]|[-–])[.:)\-–]?)\s*")
_RE_LETTER = re.compile(r"^(?P<num>[a-zđ])(?P<sep>\s*[).:/]|\s*[-–](?=\s))\s*")
# OCR misreadings of Roman numerals: "HI" for "III", "Il" / "lI" / "1I" for "II"
_RE_ROMAN_BARE = re.compile(r"^(?P<num>[IVX]{1,6})\s+(?=\w)")
# "II, CHIẾN LƯỢC PHÁT TRIỂN …": a comma typed for the full stop, before a title in capitals
_RE_ROMAN_COMMA = re.compile(r"^(?P<num>[IVX]{1,6}),\s*(?=\w)")
# "IL Tình hình …": a numeral's last "I." read as one "L" (a Roman L never follows an I)
_RE_ROMAN_OCR_L = re.compile(r"^(?P<num>[IVXH]{0,4}IL)\s+(?=\w)")
_RE_ROMAN_OCR = re.compile(r"^(?P<num>(?=[IVXHl1|!]*[IVXH])(?=[IVXHl1|!]*[Hl1|!])[IVXHl1|!]{1,6})" + _SEP + r"\s*")

_OPENERS = "\"'“‘«("


def roman_value(s: str) -> int | None:
    """Value of a well-formed Roman numeral ('IV' → 4), None otherwise ('IIII', 'VX')."""
    if not s or any(c not in _ROMAN_VALUES for c in s):
        return None
    total, prev = 0, 0
    for c in reversed(s):
        v = _ROMAN_VALUES[c]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total if to_roman(total) == s else None


def to_roman(n: int) -> str:
    out = []
    for v, s in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                 (4, "IV"), (1, "I")):
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def ocr_roman_readings(raw: str) -> set[int]:
    """Values a Roman numeral misread by OCR may have had: 'HI' → {3}, 'II' → {2, 3, 1}."""
    if raw.endswith("IL"):
        raw = raw[:-1] + "I"  # "IL": the last "I." read as one "L"
    base = raw.replace("H", "II").replace("l", "I").replace("1", "I").replace("|", "I").replace("!", "I")
    cands = {base, base + "I", base[:-1], "I" + base}
    out = set()
    for c in cands:
        v = roman_value(c)
        if v:
            out.add(v)
    return out


@dataclass(frozen=True)
class Label:
    kind: str  # part | upper | roman | arabic | dotted | letter
    parts: tuple[str, ...]  # ("II",) ("2", "1") ("a",) — the number as read, per level
    raw: str  # the label as written: "2.1:", "II-", "a)", "PHẦN I:"
    rest: str  # the text after the label
    value: int | None = None  # the last component's value (for sequences)
    ocr_guess: bool = False  # a misread Roman numeral whose value is to be decided in context

    @property
    def rank(self) -> int:
        return RANK[self.kind] + (len(self.parts) - 1 if self.kind == "dotted" else 0)


def _starts_like_title(rest: str) -> bool:
    r = rest.lstrip(_OPENERS + " ")
    return bool(r) and (r[0].isupper() or r[0].isdigit() and rest[:1] in _OPENERS)


def parse_label(text: str, list_label: str | None = None, ocr: bool = False) -> Label | None:
    """The heading label a paragraph starts with, or None. `text` excludes `list_label`."""
    text = squash(text)
    if list_label:
        lab = parse_label(squash(list_label) + " " + (text or "X"), None, ocr)
        if lab is None:
            return None
        return Label(lab.kind, lab.parts, squash(list_label), text, lab.value, lab.ocr_guess)
    if not text:
        return None
    f = fold(text)
    m = _RE_PART.match(f)
    if m:
        num = m.group("num")
        word_end = m.end()
        rest = text[word_end:].strip()
        raw = text[:word_end].strip()
        tok = num.replace("thu", "").strip()
        if tok in _ORDINALS:
            value = _ORDINALS[tok]
        elif roman_value(tok.upper()):
            value = roman_value(tok.upper())
        elif tok.isdigit():
            value = int(tok)
        elif len(tok) == 1 and tok.isalpha():
            value = ord(tok) - ord("a") + 1
        else:
            value = None
        if value is not None and (not rest or _starts_like_title(rest) or is_upper_text(text)):
            # a Roman or a number as the part's number; letters stay letters
            part = (to_roman(value) if not (len(tok) == 1 and tok.isalpha() and not roman_value(tok.upper()))
                    else tok.upper())
            return Label("part", (part,), raw, rest, value)
    m = _RE_ANNEX.match(f)
    if m:
        num = m.group("num").upper()
        rest = text[m.end():].strip()
        if not rest or _starts_like_title(rest):
            return Label("annex", ("PL" + num,), text[:m.end()].strip(), rest,
                         int(num) if num.isdigit() else roman_value(num))
    m = _RE_PART_NAMED.match(f)
    if m:
        return Label("part", ("",), text[:m.end()], text[m.end():].strip(" :.-–"), None)
    for kind, rx in (("dotted", _RE_DOTTED), ("roman", _RE_ROMAN), ("upper", _RE_UPPER),
                     ("arabic", _RE_ARABIC), ("letter", _RE_LETTER)):
        m = rx.match(text)
        if not m:
            continue
        rest = text[m.end():]
        if not _starts_like_title(rest):
            continue
        num = m.group("num")
        raw = text[:m.end()].strip()
        if kind == "dotted":
            parts = tuple(num.split("."))
            return Label(kind, parts, raw, rest, int(parts[-1]))
        if kind == "roman":
            v = roman_value(num)
            if v is None:
                continue
            return Label(kind, (num,), raw, rest, v)
        if kind == "upper":
            if not is_upper_text(rest[:60], min_letters=4):
                continue  # "A. Kết quả" in running text is more likely an initial than a part
            return Label(kind, (num,), raw, rest, ord(fold(num)) - ord("a") + 1)
        if kind == "arabic":
            return Label(kind, (num,), raw, rest, int(num))
        return Label(kind, (num,), raw, rest, "abcdđefghiklmnopqrstuvxy".find(num) + 1 or None)
    m = _RE_ROMAN_COMMA.match(text)
    if m and roman_value(m.group("num")) and is_upper_text(text[m.end():][:60], min_letters=6):
        return Label("roman", (m.group("num"),), text[:m.end()].strip(), text[m.end():], roman_value(m.group("num")))
    if ocr:
        m = _RE_ROMAN_OCR.match(text)
        if m and _starts_like_title(text[m.end():]):
            return Label("roman", (m.group("num"),), text[:m.end()].strip(), text[m.end():], None, True)
        m = _RE_ROMAN_OCR_L.match(text)
        if m and _starts_like_title(text[m.end():]):
            return Label("roman", (m.group("num"),), m.group("num"), text[m.end():], None, True)
        m = _RE_ROMAN_BARE.match(text)  # "II KẾT QUẢ …": the scan lost the numeral's full stop
        if m and roman_value(m.group("num")) and is_upper_text(text[m.end():][:60], min_letters=4):
            return Label("roman", (m.group("num"),), m.group("num"), text[m.end():], roman_value(m.group("num")))
    return None


# ---------------------------------------------------------------------------------------------
@dataclass
class HeadingView:
    """A paragraph seen as a possible heading."""

    label: Label | None
    text: str  # the paragraph's text as the reader sees it (label included), one line
    title: str  # the heading's title: bold label or run-in label or the whole rest
    body: str  # text after a run-in title ('' for a heading paragraph of its own)
    bold_title: bool  # the title is set in bold (a bold run right after the label)
    all_bold: bool
    run_in: bool  # title followed by body text in the same paragraph
    colon_run_in: bool  # run-in told by a ':' only (no bold)
    words: int  # words after the label
    title_words: int
    ends_sentence: bool  # the paragraph ends like a sentence ('.', ';', ',')
    upper: bool  # written in capitals


_WS_RUN = re.compile(r"\s+")


def _bold_mask(p: Paragraph) -> tuple[str, list[bool]]:
    """The paragraph's text with white space squashed, and a bold flag per character."""
    bolds = {r.bold for r in p.runs if r.text.strip()}
    if len(bolds) <= 1:  # uniform formatting (most body paragraphs): no per-character walk
        raw = _WS_RUN.sub(" ", "".join(r.text for r in p.runs)).strip()
        return raw, [bool(bolds) and bolds.pop()] * len(raw)
    chars: list[str] = []
    mask: list[bool] = []
    for r in p.runs:
        for c in r.text:
            if c.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    mask.append(r.bold)
                continue
            chars.append(c)
            mask.append(r.bold)
    while chars and chars[-1] == " ":
        chars.pop()
        mask.pop()
    return "".join(chars), mask


def _clean_title(t: str) -> str:
    t = squash(t)
    t = re.sub(r"[\s:;,.\-–]+$", "", t)
    return t.strip()


def _title_goes_on(title: str, body: str) -> int:
    """A bold run-in title cut at a line's end (a scan sees bold line by line: "Công tác thu bảo
    hiểm xã hội, bảo hiểm" / "y tế, bảo hiểm thất nghiệp: Tổng số thu …"): the body opens in
    lower case and a ':' closes the title within a few words, no sentence ending before it. How
    far into the body the title goes (the colon included), else 0."""
    if title.rstrip().endswith((":", ".")) or not body[:1].islower():
        return 0
    k = body.find(":")
    if k <= 0 or "." in body[:k] or ";" in body[:k] or n_words(body[:k]) > 12:
        return 0
    return k + 1


def heading_view(p: Paragraph, label: Label | None) -> HeadingView:
    """Split a paragraph into title and run-in body, with the features that tell a heading."""
    text = squash(p.full_text)
    raw, mask = _bold_mask(p)
    if not raw:
        raw, mask = squash(p.text), [False] * len(squash(p.text))
    # where the title starts inside `raw` (the runs hold the typed label, not a list label)
    rest = label.rest if label else text
    start = 0
    if label and not p.list_label:
        k = raw.find(rest[:20]) if rest else -1
        start = k if k >= 0 else min(len(raw), len(label.raw))
    after = raw[start:]
    amask = mask[start:]
    # the bold run right after the label, with a ':' that closes it
    last_bold = -1
    for idx, (c, b) in enumerate(zip(after, amask)):
        if b:
            last_bold = idx
        elif not c.isspace():
            break
    bold_end = last_bold + 1
    k = bold_end
    while k < len(after) and after[k] == " ":
        k += 1
    if bold_end and k < len(after) and after[k] == ":":
        bold_end = k + 1
    bold_title = any(c.isalpha() for c in after[:bold_end])
    all_bold = bool(after) and all(b or not c.isalpha() for c, b in zip(after, amask))
    title, body = rest, ""
    run_in = colon_run_in = False
    if bold_title and not all_bold and after[bold_end:].strip():
        title, body = after[:bold_end], after[bold_end:].strip()
        run_in = True
        # (only in a scan, whose runs carry a reading confidence: a typed bold run ends where typed)
        more = _title_goes_on(title, body) if any(r.confidence is not None for r in p.runs) else 0
        if more:
            title, body = title.rstrip() + " " + body[:more], body[more:].strip(" :")
    else:
        # a ':' not far after the label closes a run-in title
        k = rest.find(":")
        if 0 < k and n_words(rest[:k]) <= 30 and rest[k + 1:].strip(" :"):
            title, body = rest[:k], rest[k + 1:].strip(" :")
            run_in = True
            colon_run_in = not bold_title
    title = _clean_title(title)
    words = n_words(rest)
    end = text.rstrip()[-1:] if text.strip() else ""
    return HeadingView(
        label=label, text=text, title=title, body=body, bold_title=bold_title, all_bold=all_bold,
        run_in=run_in, colon_run_in=colon_run_in, words=words, title_words=n_words(title),
        ends_sentence=end in (".", ";", ",") and not text.rstrip().endswith(("...", "…")),
        upper=is_upper_text(rest),
    )

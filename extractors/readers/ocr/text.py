"""Repair the OCR confusions that are safe to repair, word by word, and spot OCR noise.

Only repairs that cannot turn a right reading into a wrong one:
- a list dash read with the next word's capital ('-D' 'ịch vụ' → '- Dịch vụ');
- full stops a speck put inside a sentence ('Cơ.sở', 'toàn. diện');
- look-alike code points: 'Ð'/'ð' (Icelandic eth) → 'Đ'/'đ', 'ƣ' → 'ư' (via clean_text);
- letters inside a number: '2O2O' → '2020', '3l' → '31', '1.O00' → '1.000' (a token with a
  digit, no more look-alikes than digits, otherwise only separators and a '%');
- a capital toned vowel inside a lower-case word ('cơ sỞ', 'kỸ năng' → 'sở', 'kỹ'), a lone
  toned capital in mid-sentence ('dân chủ Ở cơ sở' → 'ở'), and a word typed in capitals whose
  last letters came out lower case ('VƯỢt' → 'vượt' mid-sentence).
Nothing else is guessed: 'II' stays 'II' (a Roman numeral or a misread '11'), '8.28' stays as
written, commas and dots in numbers are never swapped.
"""
from __future__ import annotations

import re
import unicodedata

from extractors.readers.common import clean_text
from extractors.readers.legacy import broken_syllable
from extractors.text.numbers import broken_number

_LOOKALIKE = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})
# digits and their look-alikes, with the separators a number may carry
_NUMERIC = re.compile(r"^[(\[]?[-+]?[0-9OolI|.,]+%?[)\].,;:]?$")
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})


def _toned(c: str) -> bool:
    """A Vietnamese letter written with a diacritic (not plain ASCII)."""
    return c.isalpha() and not c.isascii()


def _toned_vowel(c: str) -> bool:
    """A vowel carrying a Vietnamese tone or hat ('Ỉ', 'Ề'; not 'Đ', which acronyms use)."""
    d = unicodedata.normalize("NFD", c)
    return len(d) > 1 and d[0].lower() in "aeiouy"


_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def fix_roman(tok: str) -> str:
    """A Roman numeral whose 'II' was read as 'H' ('HI.' → 'III.', 'H' → 'II', 'XH' → 'XII'),
    when the repaired token is a valid numeral; for a section label or an STT cell."""
    m = re.match(r"^([IVXH]+)([.):]?)$", tok)
    if not m or "H" not in m.group(1):
        return tok
    fixed = m.group(1).replace("H", "II")
    return fixed + m.group(2) if _ROMAN.match(fixed) else tok


def fix_number(tok: str) -> str:
    """'2O2O' → '2020', '3l' → '31': only in tokens that already hold a real digit (so a Roman
    'I', 'Il' or the word 'lo' is left alone) and no more look-alikes than digits. A '|' at
    either end of a number is the rest of a table's border, not a 1: dropped."""
    if not _NUMERIC.match(tok):
        return tok
    if any(c.isdigit() for c in tok):
        tok = tok.strip("|")
    digits = sum(c.isdigit() for c in tok)
    alikes = sum(c in "OolI|" for c in tok)
    if alikes == 0 or digits == 0 or len(tok) < 2 or alikes > digits:
        return tok
    return tok.translate(_DIGIT_FIX)


def fix_case(tok: str, mid_sentence: bool) -> str:
    """Case slips of toned capitals: 'sỞ' → 'sở', 'kỸ' → 'kỹ'; 'VƯỢt' → 'vượt' (or 'Vượt'
    at a sentence start)."""
    letters = [c for c in tok if c.isalpha()]
    if len(letters) == 1 and len(tok) == 1 and tok.isupper() and _toned(tok) and mid_sentence:
        return tok.lower()  # 'ở', 'ý' read as a capital in the middle of a sentence
    if len(letters) < 2:
        return tok
    # a toned capital after a lower-case letter of the same word
    if any(a.islower() and b.isupper() and _toned(b) for a, b in zip(tok, tok[1:])):
        head = tok[0]
        return head + tok[1:].lower()
    # capitals with a lower-case tail, the capitals toned: a lower-case word read upper-case
    m = re.match(r"^([^\W\d_]{2,})([^\W\d_]+)$", tok)
    if m and m.group(1).isupper() and m.group(2).islower() and any(_toned(c) for c in m.group(1)):
        if len(m.group(2)) <= 2:
            low = tok.lower()
            return low if mid_sentence else low[0].upper() + low[1:]
    return tok


def fix_caps_word(tok: str, prev: str, nxt: str) -> str:
    """'TỈ lệ' → 'Tỉ lệ', '2.2: VỀ nâng cao' → 'Về nâng cao': a word in capitals with a toned
    vowel, between a non-capital word (or nothing) and a lower-case word, is a lower-case
    word read as capitals (a heading in capitals has capitals on both sides)."""
    letters = [c for c in tok if c.isalpha()]
    if len(letters) < 2 or not tok.isalpha() or not tok.isupper() or not any(_toned_vowel(c) for c in tok):
        return tok
    if not (nxt[:1].isalpha() and nxt[:1].islower()):
        return tok
    prev_letters = [c for c in prev if c.isalpha()]
    if prev_letters and all(c.isupper() for c in prev_letters):
        return tok
    low = tok.lower()
    mid = bool(prev) and prev[-1].isalpha() and prev[-1].islower()
    return low if mid else low[0].upper() + low[1:]


_DASH_CAPITAL = re.compile(r"^([-–+•])([A-ZĐ])$")


def fix_split_label(words: list[str]) -> list[str]:
    """'-D' 'ịch vụ' → '-' 'Dịch vụ': a list dash read with the capital of the next word, its
    rest read as a word of its own (one word for each word read: the list keeps its length)."""
    out = list(words)
    for i in range(len(out) - 1):
        m = _DASH_CAPITAL.match(out[i])
        if m and out[i + 1][:1].isalpha() and out[i + 1][:1].islower():
            out[i], out[i + 1] = m.group(1), m.group(2) + out[i + 1]
    return out


_INNER_DOT = re.compile(r"^([^\W\d_]+)\.([^\W\d_]+)$")


def fix_stray_dots(words: list[str]) -> list[str]:
    """Full stops a speck put inside a sentence: 'Cơ.sở' → 'Cơ sở' (between two Vietnamese
    syllables), 'toàn. diện' → 'toàn diện' (a lower-case word ends with it and the next one
    goes on in lower case). Abbreviations ('v.v.', 'TP.'), web addresses and numbers stay."""
    out = list(words)
    for i, w in enumerate(out):
        m = _INNER_DOT.match(w)
        if m and not w.isascii() and min(len(m.group(1)), len(m.group(2))) >= 2 and m.group(2).islower():
            out[i] = f"{m.group(1)} {m.group(2)}"
            continue
        nxt = out[i + 1] if i + 1 < len(out) else ""
        stem = w[:-1]
        if w.endswith(".") and len(stem) >= 2 and stem.isalpha() and stem.islower() \
                and nxt[:1].isalpha() and nxt[:1].islower():
            out[i] = stem
    return out


def fix_chi(words: list[str]) -> list[str]:
    """'chi' (to spend) read with a hook as 'chỉ': 'Chỉ phí' → 'Chi phí', 'thu - chỉ' / 'thu chỉ'
    closing a line → 'thu - chi' (the money pair; 'chỉ' never comes between 'thu' and nothing)."""
    out = list(words)
    for i, w in enumerate(out):
        if w.lower() not in ("chỉ", "chỉ,", "chỉ;", "chỉ)"):
            continue
        nxt = out[i + 1].lower() if i + 1 < len(out) else ""
        before = [x.lower() for x in out[max(0, i - 2):i] if x not in ("-", "–")]
        if nxt.startswith("phí") or before[-1:] == ["thu"] and not nxt[:1].isalpha():
            out[i] = w.replace("ỉ", "i").replace("Ỉ", "I")
    return out


_TONG_NEXT = ("số", "cộng")


def fix_tong(words: list[str]) -> list[str]:
    """'Tổng' read without its hook before 'số' / 'cộng' ('Tống SỐ giải' → 'Tổng số giải'; the
    surname 'Tống' never heads them), and the next word's capitals, read in a title-case line,
    made lower case again."""
    out = list(words)
    for i in range(len(out) - 1):
        w, nxt = out[i], out[i + 1]
        if w.lower() != "tống" or nxt.lower().rstrip(":,.") not in _TONG_NEXT:
            continue
        out[i] = w.replace("ố", "ổ").replace("Ố", "Ổ")
        if w[:1].isupper() and w[1:].islower() and nxt.isupper() and len(nxt) > 1:
            out[i + 1] = nxt.lower()
    return out


def fix_words(words: list[str]) -> list[str]:
    """The words of one line, repaired (one for each word read)."""
    words = fix_split_label([unicodedata.normalize("NFC", w).translate(_LOOKALIKE) for w in words])
    words = fix_stray_dots(words)
    words = fix_chi(words)
    words = fix_tong(words)
    out: list[str] = []
    for i, w in enumerate(words):
        w = fix_number(w)
        prev = out[-1] if out else ""
        mid = bool(prev) and prev[-1].isalpha() and prev[-1].islower()
        w = fix_case(w, mid)
        w = fix_caps_word(w, prev, words[i + 1] if i + 1 < len(words) else "")
        out.append(w)
    return out


def join_lines(lines: list[str]) -> str:
    """A cell's lines joined with spaces, except where a narrow column broke a number or a date
    ("Dư nợ đến 30/11/2" + "024", "14.215," + "6": extractors.text.numbers.broken_number), or a
    word inside its syllable ("Chuyể" + "n viện"). The word pairs that
    `fix_chi` and `fix_tong` repair are repaired across the lines too ("Tống" / "SỐ" / "giải")."""
    out = ""
    for t in lines:
        out = out + t if not out or broken_number(out, t) or broken_syllable(out, t) else out + " " + t
    return " ".join(fix_tong(fix_chi(out.split(" ")))) if len(lines) > 1 else out


def line_text(words: list[str]) -> str:
    return clean_text(" ".join(fix_words(words)))


_LEAD_SPECK = re.compile(r"^(?:[.,:;_`'„]+\s*(?=[\w(])|[-–_~](?=\d{1,2}(?:\.\d{1,2})*[.)]\s))")


def fix_label(text: str) -> str:
    """A paragraph's or a cell's start repaired: a speck read as punctuation before it dropped
    ('.b) Kết quả' → 'b) Kết quả': no paragraph opens with a full stop or a comma; '-1. Công
    tác' → '1. Công tác': a list dash does not stick to a number's label), a leading
    Roman numeral repaired ('HI. Đánh giá' → 'III. …')."""
    text = _LEAD_SPECK.sub("", text)
    head, sep, rest = text.partition(" ")
    fixed = fix_roman(head)
    return fixed + sep + rest if fixed != head else text


def is_noise(text: str, conf: float) -> bool:
    """A piece of text that is scanner dirt read as characters: no letter or digit, mostly
    symbols read with little confidence, or one or two letters read with low confidence.
    (Tesseract's confidence alone says little: it gives 0 to some clean italic lines.)"""
    chars = [c for c in text if not c.isspace() and c not in ".,;:…"]
    alnum = sum(c.isalnum() for c in chars)
    if alnum == 0:
        return True
    if alnum < 0.5 * len(chars) and conf < 70:
        return True
    return conf < 30 and alnum <= 2 and not "".join(c for c in text if c.isalnum()).isdigit()

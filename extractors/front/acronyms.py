"""Acronyms in a line written in capitals, kept in capitals when the line is put in sentence
case: "UBND XÃ MẠO KHÊ" → "UBND xã Mạo Khê", not "Ubnd xã …".

Every Vietnamese word is a syllable, so a capitals token none of whose letter groups is a
Vietnamese syllable ("UBND", "HĐND", "MTTQ", "BCH", "TW", "THCS", "TTHC", "KT-XH", "GD&ĐT",
"TP.") is an acronym, a code or a foreign name: it keeps its capitals. A few acronyms are
also syllables ("TU" Tỉnh ủy, "HU" Huyện ủy, "ĐU" Đảng ủy); those are kept only where a word
cannot be: at the end of the line ("BAN THƯỜNG VỤ TU"), so "TU BỔ ĐÊ ĐIỀU" still reads "Tu bổ".
"""
from __future__ import annotations

import re

from extractors.readers.legacy import is_syllable

_GROUPS = re.compile(r"[^\W\d_]+")
SYLLABLE_ACRONYMS = frozenset({"TU", "HU", "ĐU"})


def is_acronym(core: str, last: bool = False) -> bool:
    """A capitals token that stays in capitals (see the module's rules)."""
    groups = _GROUPS.findall(core)
    if not groups or sum(len(g) for g in groups) < 2 or not all(g.isupper() for g in groups):
        return False
    if not any(is_syllable(g) for g in groups):
        return True
    return last and core in SYLLABLE_ACRONYMS


# -- place names after an administrative unit word ------------------------------------------
_UNITS = ("thị trấn", "thị xã", "thành phố", "tp.", "phường", "xã", "quận", "huyện", "tỉnh",
          "thôn", "xóm")
# words that end a place name, or that make the unit word part of a common noun ("xã hội")
_NOT_NAME = frozenset("""năm về và của trong tại đến từ theo với giai đoạn quý tháng tuần ngày đợt
                         kỳ học lần số các những trên dưới đã đang sẽ được có là như nhằm để thì
                         hội viên đội trưởng ủy uỷ đoàn""".split())
_WORD = re.compile(r"\S+")


def capitalise_places(text: str, max_words: int = 4) -> str:
    """A sentence-case line with the place names after administrative unit words capitalised:
    "… của ubnd huyện đông sơn năm 2024" → "… huyện Đông Sơn năm 2024". A name is the run of
    Vietnamese syllables after the unit word, up to a word that ends it ("năm", "và", …), a
    punctuation mark or a word already capitalised; "xã hội", "tỉnh ủy", "hợp tác xã" are words,
    not places."""
    toks = [(m.start(), m.group()) for m in _WORD.finditer(text)]
    low = [t.lower() for _, t in toks]
    out = list(text)
    i = 0
    while i < len(toks):
        n = next((len(u.split()) for u in _UNITS if low[i:i + len(u.split())] == u.split()), 0)
        if not n or (low[i] == "xã" and i and low[i - 1] == "tác"):  # "hợp tác xã": a co-operative
            i += 1
            continue
        j, taken = i + n, 0
        while j < len(toks) and taken < max_words:
            word = toks[j][1]
            core = word.rstrip(",.;:)")
            if not core or core.lower() in _NOT_NAME or not core.isalpha() or not is_syllable(core):
                break
            if taken and core[0].isupper():
                break  # a capital already there starts the next name ("tỉnh nghệ an Cơ sở …")
            if core[0].islower():
                out[toks[j][0]] = core[0].upper()
            taken += 1
            j += 1
            if core != word:
                break  # punctuation after it ends the name
        i = max(j, i + 1)
    return "".join(out)

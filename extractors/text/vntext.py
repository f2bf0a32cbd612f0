"""Vietnamese text helpers: accent folding, white space, capitals, and case restoration.

`fold` maps every character to its bare lower-case base letter one for one (so that a match
found in folded text has the same offsets in the original) — the way to match OCR text that
lost its diacritics. `restore_case` turns an all-capitals line (a title, an issuer) into
sentence case, copying the capitals of proper nouns from the way the document's own body
writes the same words.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Callable, Iterable

_WS = re.compile(r"\s+")
_CORE_PUNCT = ".,;:!?()[]{}\"'“”‘’«»…-–"  # what _core strips
ROMAN_TOKEN = re.compile(r"^[IVX]+$")


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[:1] or c
    low = base.lower()
    return low if len(low) == 1 else c


class _FoldTable(dict):
    """str.translate table filled on demand: code point → folded character."""

    def __missing__(self, key: int) -> str:
        value = self[key] = _fold_char(chr(key))
        return value


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one: 'Số: 12' → 'so: 12'."""
    return unicodedata.normalize("NFC", text).translate(_FOLD_TABLE)


def squash(text: str) -> str:
    """NFC, every run of white space (line breaks included) as one space, stripped. (str.split
    and the regex \\s agree on what white space is: str.isspace.)"""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


def is_upper_text(text: str, min_letters: int = 3) -> bool:
    """Written in capitals: at least `min_letters` letters, nearly all of them upper case."""
    n_letters = sum(map(str.isalpha, text))  # counted in C: called on every paragraph
    if n_letters < min_letters:
        return False
    upper = "".join(filter(str.isupper, text))
    n_upper = len(upper) if upper.isalpha() else sum(map(str.isalpha, upper))
    return n_upper >= 0.9 * n_letters


def n_words(text: str) -> int:
    return len(text.split())


def cap_first(text: str) -> str:
    """Upper-case the first letter, leave the rest."""
    for i, c in enumerate(text):
        if c.isalpha():
            return text[:i] + c.upper() + text[i + 1:]
    return text


def title_word(w: str) -> str:
    """'ĐỨC' → 'Đức', 'P.CHỦ' → 'P.Chủ'."""
    out, start = [], True
    for c in w:
        if c.isalpha():
            out.append(c.upper() if start else c.lower())
            start = False
        else:
            out.append(c)
            start = c in ".-/("
    return "".join(out)


def title_case(text: str) -> str:
    """Every word capitalised: 'ĐỨC CHÍNH' → 'Đức Chính' (for names of people and places)."""
    return " ".join(title_word(w) for w in text.split())


def _core(tok: str) -> str:
    """A token without surrounding punctuation, for matching."""
    return tok.strip(_CORE_PUNCT)


def _shape(src: str, model: str) -> str:
    """`src` (a title token) with the capitals of `model` (the same word as the body writes it)."""
    if len(src) != len(model):
        return src.lower() if not model.isupper() else src
    return "".join(a.upper() if b.isupper() else a.lower() for a, b in zip(src, model))


def _keep_caps(core: str) -> bool:
    """Tokens that stay in capitals even in running text: codes, Roman numerals, acronyms
    with digits or slashes ('04-CT/TW', 'IV', 'COVID-19')."""
    if not core:
        return False
    if ROMAN_TOKEN.match(core):
        return True
    return any(ch.isdigit() or ch == "/" for ch in core) and any(ch.isalpha() for ch in core)


_SENTENCE_END = (".", ":", ";", "!", "?", "…")


class CaseModel:
    """How a document writes its words: n-gram → observed spellings, from mixed-case text.
    Built when first asked (most documents ask once or twice, some never)."""

    MAX_N = 8

    def __init__(self, texts: Iterable[str]):
        self._texts: Iterable[str] | None = texts
        self._tokens: list[str] = []
        self._keys: list[str] = []
        self._initial: list[bool] = []
        self._index: dict[str, list[int]] = {}

    def _build(self) -> None:
        texts, self._texts = self._texts, None
        if texts is None:
            return
        tokens, keys, initial = self._tokens, self._keys, self._initial
        for text in texts:
            text = squash(text)
            if not text or is_upper_text(text, min_letters=3):
                continue  # lines in capitals carry no case information
            prev_end = True
            for tok in text.split():
                core = tok.strip(_CORE_PUNCT)  # _core, inline: this loop sees every word
                if core:
                    tokens.append(core)
                    keys.append(core.casefold())
                    initial.append(prev_end)
                prev_end = tok.endswith(_SENTENCE_END) or tok in ("-", "+", "–")
            # a paragraph boundary: no n-gram crosses it
            tokens.append("")
            keys.append("\x00")
            initial.append(True)
        index = self._index
        for i, k in enumerate(keys):
            index.setdefault(k, []).append(i)

    @property
    def tokens(self) -> list[str]:  # original spelling (core)
        self._build()
        return self._tokens

    @property
    def keys(self) -> list[str]:  # casefolded core
        self._build()
        return self._keys

    @property
    def initial(self) -> list[bool]:  # starts a sentence (its capital says nothing)
        self._build()
        return self._initial

    @property
    def index(self) -> dict[str, list[int]]:
        self._build()
        return self._index

    def _occurrences(self, keys: list[str]) -> list[int]:
        starts = self._index.get(keys[0], [])
        n = len(keys)
        own = self._keys
        return [s for s in starts if own[s:s + n] == keys]

    def spell(self, cores: list[str]) -> list[str | None]:
        """For each core token, the spelling the document uses (None: never seen in running text)."""
        self._build()
        tokens, initial = self._tokens, self._initial
        out: list[str | None] = [None] * len(cores)
        keys = [c.casefold() for c in cores]
        i = 0
        while i < len(cores):
            if not keys[i]:
                i += 1
                continue
            best_n, best_occ = 0, []
            for n in range(min(self.MAX_N, len(cores) - i), 0, -1):
                if not all(keys[i:i + n]):
                    continue
                occ = self._occurrences(keys[i:i + n])
                if occ:
                    best_n, best_occ = n, occ
                    break
            if not best_n:
                i += 1
                continue
            for j in range(best_n):
                if best_n == 1 and not all(tokens[s].isupper() and len(tokens[s]) > 1 for s in best_occ):
                    continue  # one common word alone says little about its capitals: only acronyms
                votes: Counter[str] = Counter()
                for s in best_occ:
                    form = tokens[s + j]
                    if initial[s + j]:
                        continue  # a capital at a sentence start proves nothing
                    votes[form] += 1
                if votes:
                    # most frequent spelling; on a tie prefer the one with more capitals
                    out[i + j] = max(votes.items(), key=lambda kv: (kv[1], sum(c.isupper() for c in kv[0])))[0]
            i += best_n
        return out


def restore_case(text: str, model: CaseModel | None,
                 keep: Callable[[str, bool], bool] | None = None) -> str:
    """Sentence case for a line written in capitals, keeping the document's proper nouns,
    acronyms and codes: 'KẾT QUẢ ... PHƯỜNG ĐỨC CHÍNH' → 'Kết quả ... phường Đức Chính'.
    `keep(core, last)`: whether a token the document does not spell otherwise stays in
    capitals (an acronym such as UBND; `last`: it ends the line)."""
    text = squash(text)
    if not is_upper_text(text):
        return text
    toks = text.split()
    cores = [_core(t) for t in toks]
    spelled = model.spell(cores) if model else [None] * len(toks)
    out = []
    for k, (tok, core, sp) in enumerate(zip(toks, cores, spelled)):
        if not core:
            out.append(tok)
            continue
        if sp is not None:
            new_core = _shape(core, sp)
        elif _keep_caps(core) or (keep is not None and keep(core, k == len(toks) - 1)):
            new_core = core
        else:
            new_core = core.lower()
        start = tok.find(core)
        out.append(tok[:start] + new_core + tok[start + len(core):])
    return cap_first(" ".join(out))

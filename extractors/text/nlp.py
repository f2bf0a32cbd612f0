"""Optional Vietnamese NLP: word segmentation and POS tags from underthesea, loaded once, lazily.

`tag(syllables)` groups a sequence of syllables into words and tags each word (VLSP tag set:
N noun, Nc classifier, Np proper noun, Nu unit, Ny abbreviation, M number, V verb, A adjective,
E preposition, CH punctuation, …). Numbers are never merged with the next word ("2.379 hộ").

It uses underthesea's CRF models directly (the fast path: ~0.04 ms a syllable, no re-tokenising);
if their layout changed it falls back to the public `underthesea.pos_tag`; if underthesea is
missing or broken — or BAOCAO_NLP=0, or inside `disabled()` — `tag` returns None and callers use
their regex rules. Results are cached per syllable sequence.

Callers tag small windows (a dozen syllables after a number) and only where the word lists of
extractors.text.units cannot settle a noun phrase, so a report costs a few milliseconds of tagging.
spaCy (blank "vi" + pyvi) is not used: its load costs ~2.5 s and its Matcher would only repeat
the unit word lists, which regexes match faster.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Callable, Iterator

log = logging.getLogger(__name__)

Word = tuple[int, int, str]  # (first syllable index, end syllable index, POS tag)

_lock = threading.Lock()
_state: dict[str, object] = {"tagger": None, "tried": False, "off": 0}
_NUM = re.compile(r"^[-+−]?\d")
_WORDLIKE = re.compile(r"^[^\W\d_]+$")


def enabled() -> bool:
    return os.environ.get("BAOCAO_NLP", "1") not in ("0", "false", "no") and not _state["off"]


@contextmanager
def disabled() -> Iterator[None]:
    """Run a block with NLP switched off (the regex fallback), e.g. in tests."""
    _state["off"] = int(_state["off"]) + 1
    try:
        yield
    finally:
        _state["off"] = int(_state["off"]) - 1


def _load_fast() -> Callable[[tuple[str, ...]], list[Word]]:
    from os.path import dirname, join

    import underthesea.pipeline.pos_tag as pos_pkg
    import underthesea.pipeline.word_tokenize as ws_pkg
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

    ws = FastCRFSequenceTagger()
    ws.load(join(dirname(ws_pkg.__file__), "models", "ws_crf_vlsp2013_20230727"))
    pos = FastCRFSequenceTagger()
    pos.load(join(dirname(pos_pkg.__file__), "models", "pos_crf_vlsp2013_20230303"))

    def run(syl: tuple[str, ...]) -> list[Word]:
        seg = ws.predict([[s] for s in syl])
        words: list[list[int]] = []
        for i, (t, s) in enumerate(zip(seg, syl)):
            joinable = (t == "I-W" and words and _WORDLIKE.match(s)
                        and _WORDLIKE.match(syl[words[-1][1] - 1]))
            if joinable:
                words[-1][1] = i + 1
            else:
                words.append([i, i + 1])
        texts = [" ".join(syl[a:b]) for a, b in words]
        tags = [t[2:] if t[:2] in ("B-", "I-") else t for t in pos.predict([[w] for w in texts])]
        return [(a, b, "M" if _NUM.match(syl[a]) else t) for (a, b), t in zip(words, tags)]

    run(("thử", "nghiệm"))  # fail now, not in the middle of a document
    return run


def _load_public() -> Callable[[tuple[str, ...]], list[Word]]:
    from underthesea import pos_tag

    def run(syl: tuple[str, ...]) -> list[Word]:
        out: list[Word] = []
        i = 0
        for word, t in pos_tag(" ".join(syl)):
            n = len(word.split())
            if " ".join(syl[i:i + n]).replace(" ", "") != word.replace(" ", ""):
                raise ValueError("misaligned")
            # never keep a number glued to a word
            k = i
            for j in range(i, i + n):
                if _NUM.match(syl[j]):
                    if j > k:
                        out.append((k, j, t))
                    out.append((j, j + 1, "M"))
                    k = j + 1
            if k < i + n:
                out.append((k, i + n, t if k == i else "N"))
            i += n
        if i != len(syl):
            raise ValueError("misaligned")
        return out

    run(("thử", "nghiệm"))
    return run


def _tagger() -> Callable[[tuple[str, ...]], list[Word]] | None:
    if _state["tried"]:
        return _state["tagger"]  # type: ignore[return-value]
    with _lock:
        if not _state["tried"]:
            for loader in (_load_fast, _load_public):
                try:
                    _state["tagger"] = loader()
                    break
                except Exception as e:  # noqa: BLE001 - any failure means: no NLP
                    log.info("NLP loader %s unavailable: %s", loader.__name__, e)
            _state["tried"] = True
    return _state["tagger"]  # type: ignore[return-value]


def available() -> bool:
    return enabled() and _tagger() is not None


@lru_cache(maxsize=8192)
def _tag_cached(syl: tuple[str, ...]) -> tuple[Word, ...] | None:
    run = _tagger()
    if run is None:
        return None
    try:
        return tuple(run(syl))
    except Exception as e:  # noqa: BLE001
        log.info("NLP tagging failed: %s", e)
        return None


def tag(syllables: list[str] | tuple[str, ...]) -> tuple[Word, ...] | None:
    """Words of `syllables` as (start, end, POS) over syllable indexes; None without NLP."""
    if not enabled() or not syllables:
        return None
    return _tag_cached(tuple(syllables))


def warm_up() -> bool:
    """Load the models now (e.g. when a worker starts); True when NLP is usable."""
    return available()

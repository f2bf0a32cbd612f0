"""Sequence numbers (the TT/STT column) of an OCR'd table, read back from their neighbours.

OCR misreads short numbers in a narrow column: "1" as "l" or "", "11" as "lãi", "5" as "S",
"12" as "2" (a lost leading digit), "4.1" as "41". A row's number is what the running sequence
expects when the written token can be that number (its OCR look-alike, or the expected number's
last digits) or, for an empty or unreadable token, when the next row carries the number after
it. Roman numerals and capitals (I, II, A) restart the sequence. Only the hierarchy uses the
repaired numbers; the rows stay as written.
"""
from __future__ import annotations

import re

from extractors.tables.labels import MarkerKind, marker_of_token

_LOOKALIKE = str.maketrans({"l": "1", "I": "1", "i": "1", "|": "1", "!": "1", "j": "1",
                            "S": "5", "s": "5", "O": "0", "o": "0", "B": "8", "Z": "2", "z": "2",
                            "g": "9", "q": "9"})
_JUNK = " _.,:;'`\"|¡!~-"


def _int(token: str | None) -> int | None:
    t = (token or "").strip(_JUNK)
    return int(t) if t.isdigit() and len(t) <= 3 else None


def _can_be(token: str, n: int) -> bool:
    """The OCR'd token may be the number n."""
    t = token.strip(_JUNK)
    if not t:
        return False
    if t.translate(_LOOKALIKE) == str(n):
        return True
    digits = re.sub(r"\D", "", t)
    return bool(digits) and str(n).endswith(digits) and len(digits) >= len(str(n)) - 1


def repair_ordinals(tokens: list[str], skip: list[bool]) -> list[str]:
    """The sequence numbers the tokens stand for; `skip` marks rows outside the sequence
    ("Trong đó:"). Tokens that are well-formed markers other than plain numbers are kept."""
    out = list(tokens)
    expected = 1
    for i, tok in enumerate(tokens):
        if skip[i]:
            continue
        kind = marker_of_token(tok) if tok.strip() else None
        nxt = next((tokens[k] for k in range(i + 1, len(tokens)) if not skip[k]), None)
        if kind is not None and _int(tok) is None and _can_be(tok, expected) and (
                nxt is None or _can_be(nxt, expected + 1)):
            out[i] = str(expected)  # "S" between "4" and "6", "l" before "2"
            expected += 1
            continue
        if kind in (MarkerKind.ROMAN, MarkerKind.UPPER, MarkerKind.ROMAN_DOT):
            expected = 1
            continue
        if kind is not None and kind != MarkerKind.DOT1 and kind != MarkerKind.LOWER:
            continue  # 1.2, "-", "(1)": not the running sequence
        if (m := re.fullmatch(r"(\d{1,2})(\d)", tok.strip(_JUNK))) and nxt is not None \
                and nxt.strip(_JUNK) == f"{m.group(1)}.{int(m.group(2)) + 1}":
            out[i] = f"{m.group(1)}.{m.group(2)}"  # "41" before "4.2"
            continue
        if _int(tok) == expected or _can_be(tok, expected):
            out[i] = str(expected)
            expected += 1
        elif _int(tok) is None and nxt is not None and _can_be(nxt, expected + 1):
            out[i] = str(expected)  # "" or "lãi" where the next row goes on
            expected += 1
        elif _int(tok) is not None:
            expected = _int(tok) + 1  # a new run
    return out

"""Helpers shared by the readers: file hashing and text normalisation."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

_WS = re.compile(r"[ \t\u00a0\u2002-\u200b\u202f\u3000]+")


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """NFC, 'ƣ/Ƣ' (U+01A3/U+01A2, a broken PDF mapping of 'ư/Ư') repaired, runs of white space
    folded to one space, stripped."""
    text = nfc(text).replace("\u01a3", "ư").replace("\u01a2", "Ư")
    return _WS.sub(" ", text).strip()

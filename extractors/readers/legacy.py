"""Legacy Vietnamese encodings (TCVN3, VNI, VISCII) → Unicode. PLACEHOLDER: identity for now."""
from __future__ import annotations

from models.document import Encoding, Run


def decode_runs(runs: list[Run]) -> list[Run]:
    return runs


def document_encoding(blocks) -> Encoding:
    return Encoding.UNICODE

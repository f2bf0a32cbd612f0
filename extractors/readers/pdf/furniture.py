"""Page furniture of a text PDF: running headers/footers and page numbers, to be dropped.

A line is furniture when it sits in the top or bottom band of its page and either is a lone
page number ("2", "- 2 -", "Trang 2", "2/12"), or is tagged as a pagination artifact by the
producer (Word's tagged PDF), or repeats (digits ignored) in the same band on at least half of
the pages.
"""
from __future__ import annotations

import re

from extractors.readers.pdf.lines import Line

BAND = 0.15  # top/bottom fraction of the page height where furniture lives
EDGE_ROWS = 3  # rows from the top/bottom of a page considered

PAGE_NO = re.compile(
    r"^(?:trang|page|tr\.|p\.)?\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:/|trên|of)\s*\d{1,4})?$", re.I
)
_DIGITS = re.compile(r"\d+")
_WS = re.compile(r"\s+")


def _key(text: str) -> str:
    return _WS.sub(" ", _DIGITS.sub("#", text)).strip().lower()


def _edge_rows(lines: list[Line], height: float) -> list[tuple[str, list[Line]]]:
    """('top'|'bottom', row) for up to EDGE_ROWS rows at each end of the page, inside the band."""
    rows: list[list[Line]] = []
    for ln in lines:
        if rows and rows[-1][0].row == ln.row:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    out = []
    for r in rows[:EDGE_ROWS]:
        if max(ln.bottom for ln in r) <= BAND * height:
            out.append(("top", r))
    for r in rows[-EDGE_ROWS:]:
        if min(ln.top for ln in r) >= (1 - BAND) * height and ("top", r) not in out:
            out.append(("bottom", r))
    return out


def furniture(pages: list[list[Line]], heights: list[float]) -> set[int]:
    """ids of the lines (across all pages) that are page furniture."""
    drop: set[int] = set()
    seen: dict[tuple[str, str], set[int]] = {}
    edges: list[list[tuple[str, list[Line]]]] = []
    for pi, (lines, h) in enumerate(zip(pages, heights)):
        e = _edge_rows(lines, h)
        edges.append(e)
        for band, row in e:
            for ln in row:
                seen.setdefault((band, _key(ln.text)), set()).add(pi)
    n = len(pages)
    need = max(2, (n + 1) // 2)
    for pi, e in enumerate(edges):
        for band, row in e:
            for ln in row:
                text = ln.text.strip()
                if ln.artifact:
                    drop.add(id(ln))
                elif PAGE_NO.match(text) and len(row) == 1:
                    drop.add(id(ln))
                elif n >= 2 and len(text) >= 2 and len(seen[(band, _key(text))]) >= need:
                    drop.add(id(ln))
    return drop

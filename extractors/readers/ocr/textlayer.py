"""Does a PDF page's text layer stand for the page? The per-page check that sends a scan whose
text layer is missing, only a digital-signature stamp or a garbled OCR layer to OCR.

Only a page that is a scan (an image covering most of it) is judged; a page typeset as text
keeps its layer whatever it holds. A scan's layer does not stand for the page when:
- it holds (almost) no text;
- it is a signature stamp: "Ký bởi … Giờ ký …", or a small block of text in one corner of
  a page the image fills;
- it is a garbled OCR layer: Vietnamese read without its diacritics ("BAocAo", "DQc I~p",
  "S6:"), i.e. hardly any letter carries a diacritic, or stray symbols stand inside words.
`layer_problem` judges one page; `replace_text_layer` is the reader's question (most of the
document's pages are such scans: read the whole document by OCR); `layer_notes` gives the
reasons, page by page, for the record.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

SCAN_COVER = 0.5  # an image over at least this share of the page makes it a scan
MIN_CHARS = 30  # fewer visible characters: no text layer
STAMP_CHARS = 400  # a signature stamp is short
STAMP_AREA = 0.12  # … and covers at most this share of the page
MIN_LETTERS = 150  # the diacritics test needs this many letters
MIN_DIACRITICS = 0.08  # Vietnamese prose has a diacritic on a quarter or more of its letters
STRAY = 0.04  # stray symbols inside words ('I~p', 'Dl)C', 'v€'): at most this share of the words

_STAMP = re.compile(r"\b(?:ký bởi|người ký|signed by|giờ ký|thời gian ký|ngày ký)\b|chứng thư số", re.I)
_STRAY_IN_WORD = re.compile(r"\w[~{}|€<>\[\]\\^`¬]|[~{}|€<>\[\]\\^`¬]\w")


def _visible(chars: list[dict]) -> list[dict]:
    return [c for c in chars if not c["text"].isspace() and not c["text"].startswith("(cid:")]


def _scan_cover(page) -> float:
    """The share of the page covered by its largest image."""
    area = float(page.width) * float(page.height) or 1.0
    best = 0.0
    for im in page.images:
        w = max(0.0, min(float(im["x1"]), float(page.width)) - max(float(im["x0"]), 0.0))
        h = max(0.0, min(float(im["bottom"]), float(page.height)) - max(float(im["top"]), 0.0))
        best = max(best, w * h / area)
    return best


def diacritic_share(text: str) -> float:
    """The share of the letters written with a Vietnamese diacritic (or đ)."""
    letters = [c for c in unicodedata.normalize("NFC", text) if c.isalpha()]
    if not letters:
        return 0.0
    marked = sum(1 for c in letters if not c.isascii())
    return marked / len(letters)


def layer_problem(page, chars: list[dict]) -> str | None:
    """Why the text layer of this page does not stand for it, None when it does (or when the
    page is not a scan)."""
    if _scan_cover(page) < SCAN_COVER:
        return None
    vis = _visible(chars)
    if len(vis) < MIN_CHARS:
        return "no text layer" if not vis else "text layer holds only a few characters"
    text = "".join(c["text"] for c in vis)
    if len(vis) <= STAMP_CHARS:
        if _STAMP.search(" ".join("".join(c["text"] for c in chars).split())):
            return "text layer is a digital-signature stamp only"
        x0 = min(float(c["x0"]) for c in vis)
        x1 = max(float(c["x1"]) for c in vis)
        top = min(float(c["top"]) for c in vis)
        bottom = max(float(c["bottom"]) for c in vis)
        if (x1 - x0) * (bottom - top) <= STAMP_AREA * float(page.width) * float(page.height):
            return "text layer is a small block (a stamp) on a scanned page"
    letters = sum(1 for c in text if c.isalpha())
    if letters >= MIN_LETTERS and diacritic_share(text) < MIN_DIACRITICS:
        return "text layer is a garbled OCR layer (no Vietnamese diacritics)"
    words = " ".join("".join(c["text"] for c in chars).split()).split()
    if len(words) >= 30 and sum(1 for w in words if _STRAY_IN_WORD.search(w)) > STRAY * len(words):
        return "text layer is a garbled OCR layer (stray symbols in words)"
    return None


def replace_text_layer(n_pages: int, n_bad: int) -> bool:
    """Read the whole document by OCR: most of its `n_pages` pages are scans whose text layer
    does not stand for them (`n_bad` of them, by `layer_problem`); with fewer, those pages alone
    are read by OCR (the PDF reader splices them in)."""
    return n_bad > 0 and n_bad * 2 >= n_pages


def layer_notes(path: str | Path) -> dict[int, str]:
    """page number → why its text layer was replaced by OCR ({} for a PDF that has no text
    layer at all, or that cannot be opened)."""
    try:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            out = {}
            for i, page in enumerate(pdf.pages, start=1):
                chars = page.chars
                if not _visible(chars):
                    continue
                why = layer_problem(page, chars)
                if why:
                    out[i] = f"{why}: replaced by OCR"
            return out
    except Exception:  # the note is a courtesy; the OCR result stands without it
        return {}

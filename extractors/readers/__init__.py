"""Readers: one per format, chosen by content (magic bytes), each turning a file into a Document.

`read_document(path)` is the entry point. The format → reader binding is the READERS registry.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from extractors.readers.limits import check_size
from extractors.readers.sniff import sniff
from models.document import Document, Format, Table
from models.errors import EmptyFileError, InputError, UnsupportedFormatError

Reader = Callable[[Path], Document]


def _docx(p: Path) -> Document:
    from extractors.readers.word.docx import read_docx

    return read_docx(p)


def _doc(p: Path) -> Document:
    from extractors.readers.word.doc import read_doc

    return read_doc(p)


def _pdf(p: Path) -> Document:
    from extractors.readers.pdf.reader import read_pdf

    return read_pdf(p)


READERS: dict[Format, Reader] = {
    Format.DOCX: _docx,
    Format.DOC: _doc,
    Format.PDF: _pdf,  # decides itself whether the PDF needs OCR (Format.SCANNED_PDF)
}


def read_document(path: str | Path) -> Document:
    """Read any supported file into a Document. Raises an InputError subclass naming the file."""
    p = Path(path)
    if not p.exists():
        raise InputError(p, "no such file")
    if p.is_dir():
        raise UnsupportedFormatError(p, "is a folder, not a file")
    try:
        check_size(p)
        fmt = sniff(p)
        doc = READERS[fmt](p)
    except OSError as e:  # the file itself gone or unreadable after the checks above
        if e.filename is None or os.fsdecode(e.filename) != str(p):
            raise  # about another file (a temp dir, a tool): not the input's fault
        raise InputError(p, f"cannot read the file ({e.strerror or e})") from e
    if not _has_text(doc):
        raise EmptyFileError(p, "no text at all (a blank document)")
    return doc


def _has_text(doc: Document) -> bool:
    """Whether any paragraph or table cell carries visible text."""
    for b in doc.blocks:
        if isinstance(b, Table):
            if any(c.text.strip() for c in b.cells):
                return True
        elif b.full_text.strip():
            return True
    return False

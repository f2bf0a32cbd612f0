"""Rebuild a PDF whose structure is damaged (a broken cross-reference table, a missing
trailer) so that pdfminer can read it: qpdf's reconstruction (through pikepdf) rewrites it from
the objects it finds, else PDFium's (pypdfium2, pdfplumber's own dependency) saves a copy of
what it could load. An encrypted PDF is not repaired (it is refused as encrypted)."""
from __future__ import annotations

from pathlib import Path


def _qpdf(src: Path, dest: Path) -> bool:
    try:
        import pikepdf
    except ImportError:
        return False
    try:
        with pikepdf.open(src) as pdf:  # recovery from a damaged xref is qpdf's default
            if len(pdf.pages) == 0:
                return False
            pdf.save(dest)
        return True
    except Exception:  # pikepdf.PdfError, PasswordError, …: not repairable this way
        return False


def _pdfium(src: Path, dest: Path) -> bool:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return False
    try:
        doc = pdfium.PdfDocument(str(src))
        try:
            if len(doc) == 0:
                return False
            with dest.open("wb") as f:
                doc.save(f)
        finally:
            doc.close()
        return True
    except Exception:  # PdfiumError: not loadable either
        return False


REPAIRERS = (_qpdf, _pdfium)


def repaired(src: Path, tmpdir: Path) -> Path | None:
    """A rebuilt copy of `src` in `tmpdir` holding at least one page, or None."""
    for k, repair in enumerate(REPAIRERS):
        dest = tmpdir / f"repaired-{k}.pdf"
        if repair(src, dest) and dest.is_file() and dest.stat().st_size > 0:
            return dest
    return None

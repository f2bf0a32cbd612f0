"""Tell a file's format from its content (magic bytes), never from its name.

A web page (HTML, an MHTML archive) or a Word 2003 XML document is read as Format.DOC: like a
Word 97 file it goes through LibreOffice (readers.word.doc)."""
from __future__ import annotations

import zipfile
from pathlib import Path

from extractors.readers.word.web import HEAD_BYTES
from extractors.readers.word.web import kind_of as web_kind
from models.document import Format
from models.errors import (
    CorruptFileError, EmptyFileError, EncryptedFileError, UnsupportedFormatError,
)

PDF_MAGIC = b"%PDF"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def _ole2_streams(path: Path) -> set[str]:
    """Names in an OLE2 compound file's directory (enough to tell Word 97 from an encrypted
    OOXML package), read without a third-party library."""
    data = path.read_bytes()
    names: set[str] = set()
    # Directory entries are 128 bytes; names are UTF-16LE. A cheap scan is enough here.
    for marker in ("WordDocument", "EncryptionInfo", "EncryptedPackage", "Workbook", "PowerPoint Document"):
        if marker.encode("utf-16-le") in data:
            names.add(marker)
    return names


def _ole2_damaged(path: Path) -> bool:
    """Whether an OLE2 file's container cannot be read (a truncated .doc loses its directory)."""
    from extractors.readers.word.word97 import CfbError, read_cfb

    try:
        read_cfb(path.read_bytes())
    except (CfbError, ValueError, IndexError):
        return True
    return False


def sniff(path: str | Path) -> Format:
    """The format of `path` by content. Raises InputError subclasses for what is not readable."""
    p = Path(path)
    size = p.stat().st_size
    if size == 0:
        raise EmptyFileError(p, "empty file (0 bytes)")
    with p.open("rb") as f:
        head = f.read(8)
    if head.startswith(PDF_MAGIC):
        return Format.PDF
    if head.startswith(OLE2_MAGIC):
        streams = _ole2_streams(p)
        if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
            raise EncryptedFileError(p, "password-protected Word document")
        if "WordDocument" in streams:
            return Format.DOC
        if _ole2_damaged(p):
            raise CorruptFileError(p, "damaged or truncated OLE2 (Word 97) file: its directory cannot be read")
        raise UnsupportedFormatError(p, "an OLE2 file that is not a Word document (Excel or PowerPoint?)")
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(p) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError) as e:
            raise CorruptFileError(p, f"damaged or truncated zip package ({e})") from e
        if "word/document.xml" in names:
            return Format.DOCX
        raise UnsupportedFormatError(p, "a zip package that is not a Word document")
    if head.startswith(b"{\\rtf"):
        raise UnsupportedFormatError(p, "RTF is not supported; save it as .docx")
    with p.open("rb") as f:
        if web_kind(f.read(HEAD_BYTES)):  # a web page or Word 2003 XML (often named .doc)
            return Format.DOC
    raise UnsupportedFormatError(p, "not a Word (.docx/.doc) or PDF file by its content")

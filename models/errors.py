"""baocao's error types. Bad input is its own family, distinct from bugs.

    BaocaoError
    └── InputError(path, reason)          the file cannot be read as a report; the run goes on
        ├── EmptyFileError                zero bytes, or no text at all
        ├── UnsupportedFormatError        not Word/PDF by its content (magic bytes)
        ├── CorruptFileError              truncated or damaged container
        ├── EncryptedFileError            password-protected
        ├── TooLargeError                 over the configured size/page limit
        ├── ConversionError               LibreOffice/Tesseract failed or timed out
        └── NotAReportError               readable, but nothing in it looks like a report

Every message names the file and the reason: "report.pdf: password-protected PDF".
"""
from __future__ import annotations

from pathlib import Path


class BaocaoError(Exception):
    """Base of every error baocao raises on purpose."""


class InputError(BaocaoError):
    """A file that cannot be read as a report."""

    kind = "input"

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class EmptyFileError(InputError):
    kind = "empty"


class UnsupportedFormatError(InputError):
    kind = "unsupported"


class CorruptFileError(InputError):
    kind = "corrupt"


class EncryptedFileError(InputError):
    kind = "encrypted"


class TooLargeError(InputError):
    kind = "too_large"


class ConversionError(InputError):
    kind = "conversion"


class NotAReportError(InputError):
    kind = "not_a_report"

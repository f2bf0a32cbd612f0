"""Limits on what a reader accepts, so that one huge file cannot stall a bulk import.

A file over `max_bytes`, or a PDF over `max_pages`, raises TooLargeError before any parsing
or OCR. Inside a Word package, a part is unpacked only up to `max_xml_bytes` whatever its zip
header claims (a zip bomb, or an entry lying about its size, is stopped there), and a part
with more than MAX_XML_ELEMENTS elements is not parsed (a tree of millions of empty paragraphs
takes gigabytes). All can be raised for an import that needs it: BAOCAO_MAX_MB,
BAOCAO_MAX_PAGES, BAOCAO_MAX_XML_MB.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from models.errors import TooLargeError

DEFAULT_MAX_MB = 200
DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_XML_MB = 40  # the largest real report's document.xml is ~1 MB
MAX_XML_ELEMENTS = 1_500_000  # tags in one XML part (a 300-page report has ~400 000)
MAX_BLOCKS = 100_000  # paragraphs and table cells with text in one document


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pages: int
    max_xml_bytes: int = DEFAULT_MAX_XML_MB << 20

    @classmethod
    def from_env(cls) -> "Limits":
        def num(name: str, default: int) -> int:
            raw = os.environ.get(name, "")
            try:
                value = int(raw) if raw else default
            except ValueError:
                raise ValueError(f"{name}={raw!r} is not a whole number") from None
            if value <= 0:
                raise ValueError(f"{name}={raw!r} must be positive")
            return value

        return cls(num("BAOCAO_MAX_MB", DEFAULT_MAX_MB) << 20, num("BAOCAO_MAX_PAGES", DEFAULT_MAX_PAGES),
                   num("BAOCAO_MAX_XML_MB", DEFAULT_MAX_XML_MB) << 20)


def check_size(path: Path, limits: Limits | None = None) -> None:
    lim = limits or Limits.from_env()
    size = path.stat().st_size
    if size > lim.max_bytes:
        raise TooLargeError(path, f"{size >> 20} MB is over the {lim.max_bytes >> 20} MB limit "
                                  "(BAOCAO_MAX_MB raises it)")


def check_pages(path: Path, n_pages: int, limits: Limits | None = None) -> None:
    lim = limits or Limits.from_env()
    if n_pages > lim.max_pages:
        raise TooLargeError(path, f"{n_pages} pages is over the {lim.max_pages}-page limit "
                                  "(BAOCAO_MAX_PAGES raises it)")

"""PDF pages as PNG images for the flag page (pdftoppm -r 100), cached on disk by content hash,
with the page size in PDF points so a provenance bbox (points, top-left origin) can be drawn
over the image by an SVG whose viewBox is the page in points.

The cache is $BAOCAO_CACHE/pages (default ~/.cache/baocao/pages); files are named
`<sha256>-p<page>-r<dpi>.png` and written atomically, so concurrent requests are safe.
"""
from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

DPI = 100
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


class PageError(RuntimeError):
    """A page that cannot be rendered (no such page, pdftoppm missing or failing)."""


class FileChanged(PageError):
    """The file on disk is no longer the content that was loaded (its sha256 differs)."""


def copy_verified(src: str | Path, dest: Path, sha256: str) -> None:
    """Copy `src` to `dest`, hashing on the way; FileChanged unless it is the loaded content
    (so a replaced file, or a symlink put in its place, is never rendered under its hash)."""
    h = hashlib.sha256()
    with open(src, "rb") as fin, open(dest, "wb") as fout:
        for chunk in iter(lambda: fin.read(1 << 20), b""):
            h.update(chunk)
            fout.write(chunk)
    if h.hexdigest() != sha256:
        raise FileChanged(f"{src} has changed since it was loaded: ingest it again")


def default_cache_dir() -> Path:
    base = os.environ.get("BAOCAO_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "baocao")
    return Path(base) / "pages"


@dataclass(frozen=True)
class PageImage:
    path: Path
    width_px: int
    height_px: int
    dpi: int = DPI

    @property
    def width_pt(self) -> float:
        return self.width_px * 72 / self.dpi

    @property
    def height_pt(self) -> float:
        return self.height_px * 72 / self.dpi


def png_size(path: Path) -> tuple[int, int]:
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise PageError(f"{path}: not a PNG")
    return struct.unpack(">II", head[16:24])


def _lock(key: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def render_page(pdf: str | Path, page: int, sha256: str, cache_dir: Path | None = None,
                dpi: int = DPI) -> PageImage:
    """The PNG of `page` (1-based) of `pdf`, rendered once and then served from the cache."""
    cache = Path(cache_dir or default_cache_dir())
    out = cache / f"{sha256}-p{page}-r{dpi}.png"
    with _lock(str(out)):
        if not out.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=cache) as tmp:
                prefix = Path(tmp) / "page"
                src = Path(tmp) / "source.pdf"  # render the verified copy, not the live path
                try:
                    copy_verified(pdf, src, sha256)
                except OSError as e:
                    raise PageError(f"{pdf}: cannot read it ({e.strerror or e})") from e
                try:
                    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png",
                                    "-singlefile", str(src), str(prefix)],
                                   check=True, capture_output=True, timeout=60)
                except FileNotFoundError as e:
                    raise PageError("pdftoppm is not installed (poppler-utils)") from e
                except subprocess.CalledProcessError as e:
                    raise PageError(f"{pdf}: page {page}: {e.stderr.decode(errors='replace').strip()}") from e
                except subprocess.TimeoutExpired as e:
                    raise PageError(f"{pdf}: page {page}: pdftoppm timed out") from e
                made = prefix.with_suffix(".png")
                if not made.is_file():
                    raise PageError(f"{pdf}: page {page} was not rendered")
                os.replace(made, out)
    w, h = png_size(out)
    return PageImage(out, w, h, dpi)

"""Find the report files under the paths a user names (files, folders, globs), in a stable order."""
from __future__ import annotations

import glob
from pathlib import Path

from extractors.readers.sniff import OLE2_MAGIC, PDF_MAGIC, ZIP_MAGIC

REPORT_SUFFIXES = {".docx", ".doc", ".pdf"}


def _looks_like_report(p: Path) -> bool:
    """Named like a report, or a Word/PDF file by its first bytes (names can lie either way)."""
    if p.suffix.lower() in REPORT_SUFFIXES:
        return True
    try:
        with p.open("rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return head.startswith((PDF_MAGIC, OLE2_MAGIC, ZIP_MAGIC))


def discover(paths: list[str | Path], pattern: str | None = None, recursive: bool = True) -> list[Path]:
    """Files named directly are always included (so a bad one is reported, not skipped);
    folders are searched (recursively by default) for report files, hidden ones left out.
    `pattern` (a glob such as "*.pdf") filters what folders yield. Duplicates removed."""
    out: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        rp = p.resolve()
        if rp not in seen:
            seen.add(rp)
            out.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            walker = p.rglob(pattern or "*") if recursive else p.glob(pattern or "*")
            for f in sorted(walker):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts) \
                        and _looks_like_report(f):
                    add(f)
        elif not p.exists() and any(ch in str(raw) for ch in "*?["):
            for f in sorted(glob.glob(str(raw), recursive=True)):
                if Path(f).is_file():
                    add(Path(f))
        else:
            add(p)
    return out

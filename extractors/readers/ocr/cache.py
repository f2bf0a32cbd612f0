"""On-disk cache of OCR results, so that a scan is read once by the tests, the CLI and the scorer.

One JSON file per scanned PDF, named by a key made of the file's sha256, the Tesseract version
and the OCR settings, under $BAOCAO_CACHE_DIR (or ~/.cache/baocao/ocr). A corrupt or foreign
entry is ignored (and rewritten by the next reading); writes are atomic (temp file + rename).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

FORMAT = 1


def cache_dir() -> Path:
    env = os.environ.get("BAOCAO_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "baocao" / "ocr"


def cache_key(sha256: str, settings: dict) -> str:
    blob = json.dumps({"sha256": sha256, "settings": settings, "format": FORMAT}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def entry_path(key: str) -> Path:
    return cache_dir() / f"{key}.json"


def load(key: str) -> list[dict] | None:
    """The cached pages for `key`, None when absent, unreadable or not ours."""
    p = entry_path(key)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("key") != key or data.get("format") != FORMAT:
        return None
    pages = data.get("pages")
    if not isinstance(pages, list) or not all(isinstance(pg, dict) for pg in pages):
        return None
    return pages


def save(key: str, pages: list[dict], source: str = "") -> None:
    """Store the pages; a cache that cannot be written is not an error (the OCR result stands)."""
    d = cache_dir()
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=d)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "key": key, "source": source, "pages": pages}, f, ensure_ascii=False)
        os.replace(tmp, entry_path(key))
    except OSError:
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass

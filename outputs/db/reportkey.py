"""What makes two loaded files one report, and the text the review app searches.

A report often reaches the archive more than once: the signed scan and the Word file it was
typed in, a PDF export, a copy in another folder. Two versions are the same report when they
have the same content (sha256), or the same issuer, number and date as read from the header
(the reporting period standing in for a date that was not read).
`report_key` names that; `flag_dup_keys` gives each flag a key shared by the same flag of the same
report in every file (rule, section, column, stated value, and which occurrence of those it is),
so the review app shows it once and a decision covers every file: `refresh_listed` marks, among
the current flags sharing a key, the one the queue lists (`flags.listed`), from the file a
reviewer can best check it in — a PDF's text layer, then Word, then the rest, then a scan.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from typing import Any, Iterable

from models.report import Report

SOURCE_RANK = {"pdf": 0, "docx": 1}  # else 2; anything read by OCR: 3


def source_rank(fmt: str | None, ocr: bool) -> int:
    return 3 if ocr else SOURCE_RANK.get(fmt or "", 2)


def _norm(s: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", s or "").casefold())


def report_key(report: Report) -> str:
    """"r:<hash>" of issuer + number + date (or, when no date was read, the reporting period)
    when those were read, else "c:<sha256>" (the same content only)."""
    m = report.metadata
    return report_key_of(m.issuer, m.report_number, m.date, report.source.sha256, m.period.start, m.period.end)


def report_key_of(issuer: str | None, number: str | None, date: str | None, sha256: str,
                  period_start: str | None = None, period_end: str | None = None) -> str:
    # a number alone repeats every year: it names a report with its date, else its period
    when = date or (f"{period_start or ''}..{period_end or ''}" if (period_start or period_end) else None)
    if issuer and number and when:
        h = hashlib.sha1("\0".join((_norm(issuer), _norm(number), when)).encode()).hexdigest()
        return f"r:{h}"
    return f"c:{sha256}"


def flag_dup_keys(key: str, flags: Iterable[tuple[str, str | None, str | None, str | None]]) -> list[str]:
    """One key per (rule, section, column, stated) flag, in order; the n-th flag with the same
    four values gets the n-th key, as the decision carry-over pairs them."""
    seen: Counter = Counter()
    out = []
    for rule, section, column, stated in flags:
        parts = (rule, section or "", column or "", (stated or "").strip())
        seen[parts] += 1
        raw = "\0".join((key, *parts, str(seen[parts])))
        out.append(hashlib.sha1(raw.encode()).hexdigest())
    return out


def search_text(record: dict[str, Any]) -> str:
    """Of a Report record (as JSON): title, type, number, issuer, every section (number, title,
    text) and every table's headers and cells."""
    m = record.get("metadata") or {}
    parts: list[str] = [m.get(k) or "" for k in ("document_type", "title", "report_number", "issuer")]
    for s in record.get("sections") or []:
        parts.append(f"{s.get('number') or ''} {s.get('title') or ''}\n{s.get('text') or ''}")
    for t in record.get("tables") or []:
        parts.append(" ".join(str(c) for c in t.get("columns") or []))
        rows = list(t.get("rows") or []) + ([t["total_row"]] if t.get("total_row") is not None else [])
        for row in rows:
            parts.append(" ".join(str(c or "") for c in row))
    return "\n".join(p for p in parts if p.strip())


def refresh_listed(session, dup_keys) -> None:
    """Set `listed` on the flags of these keys: True for the first current flag of each key by
    (source_rank, id), False for its twins and for flags of versions no longer current (in the
    caller's transaction)."""
    from sqlalchemy import select, update

    from outputs.db.models import DocumentVersion, FlagRow

    keys = sorted({k for k in dup_keys if k})
    for i in range(0, len(keys), 500):
        rows = session.execute(
            select(FlagRow.id, FlagRow.dup_key, DocumentVersion.format, DocumentVersion.ocr, DocumentVersion.is_current)
            .join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
            .where(FlagRow.dup_key.in_(keys[i:i + 500]))).all()
        best: dict[str, tuple[int, int]] = {}
        for fid, key, fmt, ocr, is_current in rows:
            cand = (source_rank(fmt, bool(ocr)), fid)
            if is_current and (key not in best or cand < best[key]):
                best[key] = cand
        first = {fid for _, fid in best.values()}
        hidden = [fid for fid, *_ in rows if fid not in first]
        if first:
            session.execute(update(FlagRow).where(FlagRow.id.in_(first)).values(listed=True))
        if hidden:
            session.execute(update(FlagRow).where(FlagRow.id.in_(hidden)).values(listed=False))

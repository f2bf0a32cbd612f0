"""Full-text search over the imported reports that ignores diacritics and case, with each
database's own index (made by migration 0003 over `report_texts`):

- SQLite: the FTS5 table `report_fts` (tokenizer unicode61, remove_diacritics 2; "đ" is folded to
  "d" on the way in and in the query, since FTS5 keeps it), ranked by bm25;
- PostgreSQL: the stored tsvector `report_texts.tsv` = to_tsvector('simple', unaccent(text))
  with a GIN index, matched by plainto_tsquery('simple', unaccent(words)), ranked by ts_rank.

So "khuyen hoc", "KHUYẾN HỌC" and "khuyến học" find the same reports, and "dong" finds "đồng".
Every word must occur (AND); punctuation only separates words.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, literal_column, select, text
from sqlalchemy.orm import Session

from outputs.db.models import ReportText

_WORD = re.compile(r"\w+")


def fold_d(s: str) -> str:
    return s.replace("đ", "d").replace("Đ", "D")


def words(q: str | None) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", q or ""))


def fts5_query(q: str | None) -> str | None:
    """Words as an FTS5 query of quoted strings (so no word is taken for FTS syntax)."""
    ws = words(fold_d(q or ""))
    return " ".join('"' + w.replace('"', '""') + '"' for w in ws) or None


def ranked(session: Session, q: str | None):
    """A subquery (vid, score) of the versions whose text has every word; lower score is better.
    None when `q` has no word."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        if not words(q):
            return None
        tsq = func.plainto_tsquery("simple", func.baocao_fold(q))
        tsv = literal_column("report_texts.tsv")
        return (select(ReportText.version_id.label("vid"), (-func.ts_rank(tsv, tsq)).label("score"))
                .where(tsv.op("@@")(tsq)).subquery())
    fts = fts5_query(q)
    if fts is None:
        return None
    return (select(literal_column("rowid").label("vid"), literal_column("bm25(report_fts)").label("score"))
            .select_from(text("report_fts")).where(text("report_fts MATCH :fts").bindparams(fts=fts)).subquery())


def matching_versions(session: Session, q: str | None):
    """A select of the matching version ids (for IN, not ranked), or None when `q` has no word."""
    if session.get_bind().dialect.name == "postgresql":
        if not words(q):
            return None
        tsv = literal_column("report_texts.tsv")
        return select(ReportText.version_id).where(tsv.op("@@")(func.plainto_tsquery("simple", func.baocao_fold(q))))
    fts = fts5_query(q)
    if fts is None:
        return None
    return select(literal_column("rowid")).select_from(text("report_fts")).where(
        text("report_fts MATCH :fts").bindparams(fts=fts))

"""Read-side queries for the CLI, the export and the review app: flags, runs, row counts."""
from __future__ import annotations

from typing import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outputs.db.models import Base, Document, DocumentVersion, FlagRow, Run


def flags_query(rule: str | None = None, status: str | None = None, current_only: bool = True,
                run_id: int | None = None):
    """(FlagRow, Document.path) rows, current versions only by default (`run_id`: only versions
    loaded by that run), in document order."""
    q = select(FlagRow, Document.path).join(DocumentVersion, FlagRow.version_id == DocumentVersion.id) \
        .join(Document, DocumentVersion.document_id == Document.id)
    if current_only:
        q = q.where(DocumentVersion.is_current)
    if run_id is not None:
        q = q.where(DocumentVersion.run_id == run_id)
    if rule:
        q = q.where(FlagRow.rule == rule)
    if status:
        q = q.where(FlagRow.status == status)
    return q.order_by(Document.path, FlagRow.ordinal)


def list_flags(session: Session, rule: str | None = None, status: str | None = None,
               current_only: bool = True, run_id: int | None = None) -> list[tuple[FlagRow, str]]:
    return [(f, p) for f, p in session.execute(flags_query(rule, status, current_only, run_id))]


def count_flags(session: Session, status: str | None = None) -> int:
    """Flags of the current versions (with this status)."""
    q = select(func.count()).select_from(FlagRow).join(DocumentVersion, FlagRow.version_id == DocumentVersion.id) \
        .where(DocumentVersion.is_current)
    if status:
        q = q.where(FlagRow.status == status)
    return session.scalar(q) or 0


def list_runs(session: Session, limit: int | None = None) -> list[Run]:
    q = select(Run).order_by(Run.id.desc())
    if limit:
        q = q.limit(limit)
    return list(session.scalars(q))


def current_versions(session: Session) -> Iterator[tuple[Document, DocumentVersion]]:
    q = select(Document, DocumentVersion).join(DocumentVersion, DocumentVersion.document_id == Document.id) \
        .where(DocumentVersion.is_current).order_by(Document.path).execution_options(yield_per=100)
    for doc, v in session.execute(q):
        yield doc, v


def row_counts(session: Session) -> dict[str, int]:
    """Rows per table of the schema (tests and `baocao runs --counts`)."""
    return {name: session.scalar(select(func.count()).select_from(t)) or 0
            for name, t in sorted(Base.metadata.tables.items())}

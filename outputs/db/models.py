"""The database schema (SQLAlchemy 2 declarative models): documents, their versions and what
extraction found in each version, the review audit trail, users, runs and the quarantine.

A *document* is a file at a path; a *document version* is one reading of one content (sha256)
by one extractor version, with the whole Report record kept as JSON beside the normalised rows.
Flags belong to a version; review decisions are append-only rows on a flag (never updated), and
the flag's `status` is the action of its latest decision.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# "needs-review": a decision carried to a new version of a changed document whose flag no longer
# reads the same (computed value or evidence changed): re-opened, the old decision kept (0002)
FLAG_STATUSES = ("open", "confirmed", "dismissed", "corrected", "needs-review")
ACTION_STATUS = {"confirm": "confirmed", "dismiss": "dismissed", "correct": "corrected"}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, Any: JSON}


Timestamp = DateTime(timezone=True)


class Document(Base):
    """A report file, identified by its absolute path; `sha256` is its current content."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(2048), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.id", cascade="all, delete-orphan")


class DocumentVersion(Base):
    """One (document, content, extractor version): the Report record and its rows."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "sha256", "extractor_version",
                                       name="uq_document_versions_content"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    extractor_version: Mapped[str] = mapped_column(String(32))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    previous_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_versions.id", ondelete="SET NULL"), nullable=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), nullable=True)
    format: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    encoding: Mapped[str] = mapped_column(String(16))
    ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    ocr_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    document_type: Mapped[str | None] = mapped_column(String(200), nullable=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    issuer: Mapped[str | None] = mapped_column(Text, nullable=True)
    report_number: Mapped[str | None] = mapped_column(String(200), nullable=True)
    report_date: Mapped[str | None] = mapped_column(String(32), nullable=True)
    period_start: Mapped[str | None] = mapped_column(String(32), nullable=True)
    period_end: Mapped[str | None] = mapped_column(String(32), nullable=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)  # Report.model_dump(mode="json")
    extract_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    loaded_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    # review (0003): one report in several files shares `report_key`; the period's label as read
    report_key: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    period_label: Mapped[str | None] = mapped_column(Text, nullable=True)

    document: Mapped[Document] = relationship(back_populates="versions")
    sections: Mapped[list[SectionRow]] = relationship(cascade="all, delete-orphan", order_by="SectionRow.ordinal")
    tables: Mapped[list[TableRow]] = relationship(cascade="all, delete-orphan", order_by="TableRow.ordinal")
    figures: Mapped[list[FigureRow]] = relationship(cascade="all, delete-orphan", order_by="FigureRow.ordinal")
    references: Mapped[list[ReferenceRow]] = relationship(cascade="all, delete-orphan",
                                                          order_by="ReferenceRow.ordinal")
    flags: Mapped[list[FlagRow]] = relationship(back_populates="version", cascade="all, delete-orphan",
                                                order_by="FlagRow.ordinal")
    search_text: Mapped[ReportText | None] = relationship(cascade="all, delete-orphan")


class ReportText(Base):
    """The searchable text of a version (title, issuer, number, sections, table cells). The
    full-text index over it is made by migration 0003 and is not a model: SQLite's FTS5 table
    `report_fts` (kept in step by triggers), PostgreSQL's stored tsvector `tsv` (GIN index)."""

    __tablename__ = "report_texts"
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"),
                                            primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")


# Database objects made by migrations beside the models (full-text indexes): autogenerate and the
# schema test leave them alone (`include_name`).
NOT_MODELLED_TABLES = ("report_fts",)  # and FTS5's shadow tables report_fts_*
NOT_MODELLED_COLUMNS = {"report_texts": ("tsv",)}


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Alembic's `include_name` hook: False for the full-text objects above."""
    if type_ == "table" and name and any(name == t or name.startswith(t + "_") for t in NOT_MODELLED_TABLES):
        return False
    if type_ == "column" and name in NOT_MODELLED_COLUMNS.get(parent_names.get("table_name") or "", ()):
        return False
    if type_ == "index" and name and name.startswith("ix_report_texts_tsv"):
        return False
    return True


class SectionRow(Base):
    __tablename__ = "sections"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    empty: Mapped[bool] = mapped_column(Boolean, default=False)
    label: Mapped[str | None] = mapped_column(String(64), nullable=True)
    location: Mapped[dict[str, Any]] = mapped_column(JSON)


class TableRow(Base):
    """A table of the report (`tables`); its cells are in `table_cells`."""

    __tablename__ = "tables"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    table_key: Mapped[str] = mapped_column(String(32))  # "t1"
    section: Mapped[str | None] = mapped_column(String(64), nullable=True)
    columns: Mapped[list[Any]] = mapped_column(JSON)
    n_rows: Mapped[int] = mapped_column(Integer)  # body rows, total row excluded
    header_rows: Mapped[int] = mapped_column(Integer, default=0)
    has_total: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_rows: Mapped[list[Any]] = mapped_column(JSON)
    children: Mapped[dict[str, Any]] = mapped_column(JSON)
    location: Mapped[dict[str, Any]] = mapped_column(JSON)
    cells: Mapped[list[TableCell]] = relationship(cascade="all, delete-orphan",
                                                  order_by="(TableCell.row, TableCell.col)")


class TableCell(Base):
    __tablename__ = "table_cells"
    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("tables.id", ondelete="CASCADE"), index=True)
    row: Mapped[int] = mapped_column(Integer)  # index into rows; len(rows) is the total row
    col: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(Text, nullable=True)  # the column's header
    is_total: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    malformed: Mapped[bool] = mapped_column(Boolean, default=False)
    suggestion: Mapped[float | None] = mapped_column(Float, nullable=True)
    location: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class FigureRow(Base):
    __tablename__ = "figures"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    raw: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(200), nullable=True)
    qualifier: Mapped[str | None] = mapped_column(String(200), nullable=True)
    kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    section: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sentence: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str | None] = mapped_column(Text, nullable=True)
    location: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReferenceRow(Base):
    __tablename__ = "references"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(64))
    number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    code: Mapped[str | None] = mapped_column(String(200), nullable=True)
    type_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    issuer_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    issuer: Mapped[str | None] = mapped_column(Text, nullable=True)
    date: Mapped[str | None] = mapped_column(String(32), nullable=True)
    section: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sentence: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[dict[str, Any]] = mapped_column(JSON)


class FlagRow(Base):
    """A Flag (every field of models.report.Flag) plus its review status."""

    __tablename__ = "flags"
    __table_args__ = (Index("ix_flags_rule_status", "rule", "status"),
                      Index("ix_flags_queue", "listed", "status", "doubtful", "severity"))
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    flag_key: Mapped[str] = mapped_column(String(200))  # Flag.id: "<rule>:<n>"
    rule: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str | None] = mapped_column(String(64), nullable=True)
    table_key: Mapped[str | None] = mapped_column(String(32), nullable=True)
    row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    column: Mapped[str | None] = mapped_column(Text, nullable=True)
    stated: Mapped[str | None] = mapped_column(Text, nullable=True)
    computed: Mapped[Any | None] = mapped_column(JSON, nullable=True)  # float | str
    expected: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    table_value: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    suggestion: Mapped[str | None] = mapped_column(Text, nullable=True)
    sentence: Mapped[str | None] = mapped_column(Text, nullable=True)
    location: Mapped[dict[str, Any]] = mapped_column(JSON)
    related: Mapped[list[Any]] = mapped_column(JSON)
    culprit: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="open")  # FLAG_STATUSES
    carried_from_flag_id: Mapped[int | None] = mapped_column(
        ForeignKey("flags.id", ondelete="SET NULL"), nullable=True)
    # nightly (0002): why a carried decision was re-opened ("computed value changed: 5262 → 5267")
    reopen_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # review (0003): how surely the compared numbers were read; the same flag of the same report
    # in another file shares `dup_key` (decided once)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    doubtful: Mapped[bool] = mapped_column(Boolean, default=False)
    dup_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    listed: Mapped[bool] = mapped_column(Boolean, default=True)  # the one of its twins the queue lists

    version: Mapped[DocumentVersion] = relationship(back_populates="flags")
    decisions: Mapped[list[ReviewDecision]] = relationship(
        back_populates="flag", order_by="ReviewDecision.id", foreign_keys="ReviewDecision.flag_id")


class ReviewDecision(Base):
    """One reviewer action on a flag. Append-only: a later decision supersedes, never overwrites."""

    __tablename__ = "review_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # confirm | dismiss | correct
    original_value: Mapped[str | None] = mapped_column(Text, nullable=True)  # the flag's stated value
    corrected_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    reviewer: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_decisions.id", ondelete="SET NULL"), nullable=True)
    # review (0003): the other reviewer's decision this one overrode (after confirming)
    overrides_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    flag: Mapped[FlagRow] = relationship(back_populates="decisions", foreign_keys=[flag_id])


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    role: Mapped[str] = mapped_column(String(16), default="reviewer")  # USER_ROLES (0003)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


USER_ROLES = ("reviewer", "archivist", "admin")  # each can do what the ones before it can


class UserSession(Base):
    """A signed-in session of the review app (0003): the cookie carries the token, the table its
    hash; signing out, disabling the account or a new password revoke it server-side."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(Timestamp, nullable=True)
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Run(Base):
    """One ingestion run; `summary` holds the counts (found, new, changed, unchanged, failed,
    flags_by_rule, …) once it finishes."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(Timestamp, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running|completed|crashed
    source: Mapped[str] = mapped_column(Text)
    pattern: Mapped[str | None] = mapped_column(String(500), nullable=True)
    extractor_version: Mapped[str] = mapped_column(String(32))
    workers: Mapped[int | None] = mapped_column(Integer, nullable=True)
    host: Mapped[str | None] = mapped_column(String(255), nullable=True)
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    flow_run_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class QuarantineEntry(Base):
    """A file a run could not load, with the reason (InputError kind and message, or a bug)."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), nullable=True,
                                               index=True)
    path: Mapped[str] = mapped_column(String(2048), index=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))  # InputError.kind, "internal" or "transient"
    reason: Mapped[str] = mapped_column(Text)
    copied_to: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)

"""Database helpers of the review app: the filtered flag queue, counts, facets, the overview,
decisions, users, and the search over imported reports (full-text on PostgreSQL, LIKE on SQLite).

Everything reads the current document versions unless told otherwise; nothing here commits
(the caller's transaction does).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from outputs.db.models import (
    FLAG_STATUSES, Document, DocumentVersion, FlagRow, ReviewDecision, SectionRow, User,
)
from outputs.db.review import ReviewError, create_user, decisions_for, get_user, record_decision  # noqa: F401

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = case({"error": 0, "warning": 1, "info": 2}, value=FlagRow.severity, else_=3)
STATUS_RANK = case({s: i for i, s in enumerate(FLAG_STATUSES)}, value=FlagRow.status, else_=9)

SORTS: dict[str, Any] = {
    "severity": SEVERITY_RANK,
    "rule": FlagRow.rule,
    "document": Document.path,
    "office": DocumentVersion.issuer,
    "period": DocumentVersion.period_start,
    "status": STATUS_RANK,
    "id": FlagRow.id,
}
SORT_LABELS = {"severity": "Severity", "rule": "Rule", "document": "Document", "office": "Office",
               "period": "Period", "status": "Status", "id": "Flag id"}
PERIOD_LABEL = DocumentVersion.record[("metadata", "period", "label")].as_string()
_YEAR = re.compile(r"^\d{4}$")


# --- the flag queue ----------------------------------------------------------------------------

@dataclass(frozen=True)
class FlagFilter:
    """What the queue shows, as in its URL: ?rule=&severity=&status=&office=&period=&sort=&dir=."""

    rule: str | None = None
    severity: str | None = None
    status: str | None = None
    office: str | None = None
    period: str | None = None  # "2020" (any period touching that year) or "start..end"
    document: int | None = None  # Document.id
    sort: str = "severity"
    dir: str = "asc"

    @classmethod
    def from_params(cls, params: Any) -> "FlagFilter":
        def get(k: str) -> str | None:
            v = params.get(k)
            return v.strip() or None if isinstance(v, str) else None

        doc = get("document")
        sort = get("sort") or "severity"
        return cls(rule=get("rule"), severity=get("severity"),
                   status=get("status") if get("status") in FLAG_STATUSES else None,
                   office=get("office"), period=get("period"),
                   document=int(doc) if doc and doc.isdigit() else None,
                   sort=sort if sort in SORTS else "severity",
                   dir="desc" if get("dir") == "desc" else "asc")

    def params(self, **override: Any) -> dict[str, str]:
        """The non-default parameters (for links), with `override` applied."""
        f = replace(self, **override)
        out = {k: str(v) for k, v in (("rule", f.rule), ("severity", f.severity), ("status", f.status),
                                      ("office", f.office), ("period", f.period),
                                      ("document", f.document)) if v not in (None, "")}
        if f.sort != "severity":
            out["sort"] = f.sort
        if f.dir != "asc":
            out["dir"] = f.dir
        return out

    def query(self, **override: Any) -> str:
        p = self.params(**override)
        return urlencode(p) if p else ""

    @property
    def active(self) -> bool:
        return any((self.rule, self.severity, self.status, self.office, self.period, self.document))


def _base_query(*cols: Any):
    return (select(*cols).select_from(FlagRow)
            .join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
            .join(Document, DocumentVersion.document_id == Document.id)
            .where(DocumentVersion.is_current))


def _period_clause(period: str):
    if _YEAR.match(period):
        y = period
        return and_(func.coalesce(DocumentVersion.period_start, DocumentVersion.report_date, "") <= f"{y}-12-31",
                    func.coalesce(DocumentVersion.period_end, DocumentVersion.report_date, "9999") >= f"{y}-01-01")
    if ".." in period:
        start, end = period.split("..", 1)
        return and_(func.coalesce(DocumentVersion.period_start, "") == start,
                    func.coalesce(DocumentVersion.period_end, "") == end)
    return literal(False)


def _apply(q, f: FlagFilter, *, status: bool = True):
    if f.rule:
        q = q.where(FlagRow.rule == f.rule)
    if f.severity:
        q = q.where(FlagRow.severity == f.severity)
    if status and f.status:
        q = q.where(FlagRow.status == f.status)
    if f.office:
        q = q.where(DocumentVersion.issuer == f.office)
    if f.period:
        q = q.where(_period_clause(f.period))
    if f.document:
        q = q.where(Document.id == f.document)
    return q


def _ordered(q, f: FlagFilter):
    key = SORTS.get(f.sort, SEVERITY_RANK)
    first = key.desc() if f.dir == "desc" else key.asc()
    return q.order_by(first, Document.path, FlagRow.ordinal, FlagRow.id)


@dataclass
class QueueItem:
    flag: FlagRow
    version: DocumentVersion
    document: Document


def queue(session: Session, f: FlagFilter, *, limit: int | None = None, offset: int = 0) -> list[QueueItem]:
    q = _ordered(_apply(_base_query(FlagRow, DocumentVersion, Document), f), f)
    if limit:
        q = q.limit(limit).offset(offset)
    return [QueueItem(fl, v, d) for fl, v, d in session.execute(q)]


def queue_ids(session: Session, f: FlagFilter) -> list[int]:
    return list(session.scalars(_ordered(_apply(_base_query(FlagRow.id), f), f)))


def queue_count(session: Session, f: FlagFilter) -> int:
    return session.scalar(_apply(_base_query(func.count(FlagRow.id)), f)) or 0


def neighbours(session: Session, f: FlagFilter, flag_id: int) -> tuple[int | None, int | None, int, int]:
    """(previous id, next id, 1-based position, queue length) of a flag in the filtered queue;
    position 0 when the flag is not (or no longer) in it."""
    ids = queue_ids(session, f)
    if flag_id not in ids:
        return (None, ids[0] if ids else None, 0, len(ids))
    i = ids.index(flag_id)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None, i + 1, len(ids))


def status_counts(session: Session, f: FlagFilter) -> dict[str, int]:
    """Flags per status under every filter but the status one (all statuses present, 0 included)."""
    q = _apply(_base_query(FlagRow.status, func.count(FlagRow.id)), f, status=False).group_by(FlagRow.status)
    counts = {s: 0 for s in FLAG_STATUSES}
    counts.update({s: n for s, n in session.execute(q)})
    return counts


@dataclass
class Facets:
    rules: list[str] = field(default_factory=list)
    severities: list[str] = field(default_factory=list)
    offices: list[str] = field(default_factory=list)
    periods: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    years: list[str] = field(default_factory=list)


def period_label(start: str | None, end: str | None, label: str | None = None) -> str:
    if label:
        return label
    if start or end:
        return f"{start or '…'} – {end or '…'}"
    return "(no period)"


def facets(session: Session) -> Facets:
    """The values the queue's filters offer: those present among current flags."""
    out = Facets()
    out.rules = sorted(session.scalars(_base_query(FlagRow.rule).distinct()))
    present = set(session.scalars(_base_query(FlagRow.severity).distinct()))
    out.severities = [s for s in SEVERITIES if s in present] + sorted(present - set(SEVERITIES))
    out.offices = sorted(o for o in session.scalars(_base_query(DocumentVersion.issuer).distinct()) if o)
    seen: dict[str, str] = {}
    years: set[str] = set()
    rows = session.execute(_base_query(DocumentVersion.period_start, DocumentVersion.period_end,
                                       PERIOD_LABEL).distinct())
    for start, end, label in rows:
        if not (start or end):
            continue
        seen.setdefault(f"{start or ''}..{end or ''}", period_label(start, end, label if isinstance(label, str) else None))
        for d in (start, end):
            if d and d[:4].isdigit():
                years.add(d[:4])
    out.periods = sorted(seen.items())
    out.years = sorted(years)
    return out


# --- overview ----------------------------------------------------------------------------------

def open_by(session: Session, column: Any) -> list[tuple[str, int]]:
    """Open flags grouped by `column` (FlagRow.rule, DocumentVersion.issuer …), most first."""
    n = func.count(FlagRow.id)
    q = _base_query(column, n).where(FlagRow.status == "open").group_by(column).order_by(n.desc(), column)
    return [(k or "(unknown)", c) for k, c in session.execute(q)]


def recent_decisions(session: Session, limit: int = 10) -> list[tuple[ReviewDecision, FlagRow, Document]]:
    q = (select(ReviewDecision, FlagRow, Document).join(FlagRow, ReviewDecision.flag_id == FlagRow.id)
         .join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
         .join(Document, DocumentVersion.document_id == Document.id)
         .order_by(ReviewDecision.id.desc()).limit(limit))
    return [tuple(r) for r in session.execute(q)]  # type: ignore[misc]


def document_count(session: Session) -> int:
    return session.scalar(select(func.count(DocumentVersion.id)).where(DocumentVersion.is_current)) or 0


# --- one flag ----------------------------------------------------------------------------------

def flag_with_context(session: Session, flag_id: int) -> QueueItem | None:
    row = session.execute(select(FlagRow, DocumentVersion, Document)
                          .join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
                          .join(Document, DocumentVersion.document_id == Document.id)
                          .where(FlagRow.id == flag_id)).first()
    return QueueItem(*row) if row else None


def decide(session: Session, flag_id: int, action: str, user: User, *, reason: str | None = None,
           corrected_value: str | None = None) -> ReviewDecision:
    """Record a reviewer's decision (append-only). A dismissal needs a reason, a correction a value;
    the corrected value is kept beside the flag's stated value, which is never changed."""
    reason = (reason or "").strip() or None
    corrected_value = (corrected_value or "").strip() or None
    if not action:
        raise ReviewError("choose an action: confirm, dismiss or correct")
    if action == "dismiss" and not reason:
        raise ReviewError("a dismissal needs a reason (why is it a false alarm?)")
    return record_decision(session, flag_id, action, user.username, reason=reason,
                           corrected_value=corrected_value, user_id=user.id)


def all_decisions(session: Session, f: FlagFilter) -> list[tuple[ReviewDecision, FlagRow, DocumentVersion, Document]]:
    """Every decision on the flags of the filtered queue, in queue order, oldest first per flag."""
    q = _ordered(_apply(_base_query(ReviewDecision, FlagRow, DocumentVersion, Document)
                        .join(ReviewDecision, ReviewDecision.flag_id == FlagRow.id), f), f)
    q = q.order_by(None).order_by(Document.path, FlagRow.ordinal, ReviewDecision.id)
    return [tuple(r) for r in session.execute(q)]  # type: ignore[misc]


# --- users -------------------------------------------------------------------------------------

def user_by_id(session: Session, user_id: Any) -> User | None:
    try:
        return session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


# --- documents and search ----------------------------------------------------------------------

def fold(s: str | None) -> str:
    """Text as compared by the SQLite search: NFC, case-folded (Vietnamese capitals included)."""
    return unicodedata.normalize("NFC", s or "").casefold()


def add_sqlite_fold(session: Session) -> None:
    """Give the session's SQLite connection the `baocao_fold` function. SQLite's own lower() and
    LIKE fold ASCII only, so "KẾT QUẢ" would not match "kết quả"."""
    if session.get_bind().dialect.name != "sqlite":
        return
    raw = session.connection().connection.driver_connection
    raw.create_function("baocao_fold", 1, fold, deterministic=True)


@dataclass(frozen=True)
class ReportFilter:
    q: str | None = None  # words of the text
    office: str | None = None
    period: str | None = None
    type: str | None = None

    @classmethod
    def from_params(cls, params: Any) -> "ReportFilter":
        def get(k: str) -> str | None:
            v = params.get(k)
            return v.strip() or None if isinstance(v, str) else None

        return cls(q=get("q"), office=get("office"), period=get("period"), type=get("type"))

    @property
    def active(self) -> bool:
        return any((self.q, self.office, self.period, self.type))


def _doc_text(dialect: str):
    """The searchable text of a version: its title, then every section's title and text."""
    sep = literal(" ")
    body = SectionRow.title + sep + SectionRow.text
    agg = func.string_agg(body, sep) if dialect == "postgresql" else func.group_concat(body, sep)
    sub = select(agg).where(SectionRow.version_id == DocumentVersion.id).scalar_subquery()
    return func.coalesce(DocumentVersion.title, "") + sep + func.coalesce(DocumentVersion.issuer, "") \
        + sep + func.coalesce(sub, "")


def _like_escape(w: str) -> str:
    return w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_clause(dialect: str, words: str):
    """PostgreSQL: to_tsvector('simple', text) @@ plainto_tsquery('simple', words); elsewhere
    every word must occur in the case-folded text (LIKE)."""
    doc = _doc_text(dialect)
    if dialect == "postgresql":
        return func.to_tsvector("simple", doc).op("@@")(func.plainto_tsquery("simple", words))
    terms = [t for t in re.split(r"\s+", fold(words)) if t]
    folded = func.baocao_fold(doc)
    return and_(*(folded.like(f"%{_like_escape(t)}%", escape="\\") for t in terms)) if terms else literal(True)


def search_reports(session: Session, f: ReportFilter, *, limit: int = 200) -> list[tuple[Document, DocumentVersion, int]]:
    """Current versions matching the filter, with their open-flag counts, in path order."""
    add_sqlite_fold(session)
    open_flags = (select(func.count(FlagRow.id)).where(FlagRow.version_id == DocumentVersion.id,
                                                       FlagRow.status == "open").scalar_subquery())
    q = (select(Document, DocumentVersion, open_flags).join(DocumentVersion, DocumentVersion.document_id == Document.id)
         .where(DocumentVersion.is_current))
    if f.office:
        q = q.where(DocumentVersion.issuer == f.office)
    if f.type:
        q = q.where(DocumentVersion.document_type == f.type)
    if f.period:
        q = q.where(_period_clause(f.period))
    if f.q:
        q = q.where(text_clause(session.get_bind().dialect.name, f.q))
    q = q.order_by(DocumentVersion.period_start.desc(), Document.path).limit(limit)
    return [(d, v, n or 0) for d, v, n in session.execute(q)]


def report_facets(session: Session) -> dict[str, list]:
    cur = select(DocumentVersion).where(DocumentVersion.is_current).subquery()
    offices = sorted(o for o in session.scalars(select(cur.c.issuer).distinct()) if o)
    types = sorted(t for t in session.scalars(select(cur.c.document_type).distinct()) if t)
    years: set[str] = set()
    for s, e in session.execute(select(cur.c.period_start, cur.c.period_end).distinct()):
        years.update(d[:4] for d in (s, e) if d and d[:4].isdigit())
    return {"offices": offices, "types": types, "years": sorted(years)}


def document_version(session: Session, document_id: int, version_id: int | None = None
                     ) -> tuple[Document, DocumentVersion] | None:
    doc = session.get(Document, document_id)
    if doc is None:
        return None
    q = select(DocumentVersion).where(DocumentVersion.document_id == doc.id)
    q = q.where(DocumentVersion.id == version_id) if version_id else q.where(DocumentVersion.is_current)
    v = session.scalar(q)
    return (doc, v) if v is not None else None


def version_flags(session: Session, version_id: int) -> list[FlagRow]:
    return list(session.scalars(select(FlagRow).where(FlagRow.version_id == version_id).order_by(FlagRow.ordinal)))


def as_utc(t: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    if t is None:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


"""Database helpers of the review app besides the queue (review/queue.py): one flag and its
twins in other files, decisions (with overrides), the overview, users, and the archivists'
report search (review/search.py) grouped by report.

Nothing here commits (the caller's transaction does).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from outputs.db.models import (
    ACTION_STATUS, Document, DocumentVersion, FlagRow, ReviewDecision, Run, User, utcnow,
)
from outputs.db.review import ReviewError, create_user, decisions_for, get_user, record_decision  # noqa: F401
from review import search
from review.i18n import _
from review.paths import display_path
from review.queue import TODO, parse_id, period_clause


def as_utc(t: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    if t is None:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def run_source(session: Session, version: DocumentVersion) -> str | None:
    return session.scalar(select(Run.source).where(Run.id == version.run_id)) if version.run_id else None


# --- one flag ----------------------------------------------------------------------------------

@dataclass
class FlagContext:
    flag: FlagRow
    version: DocumentVersion
    document: Document
    source: str | None = None  # the ingested folder

    @property
    def path(self) -> str:
        return display_path(self.document.path, self.source)


@dataclass
class Twin:
    """The same flag of the same report in another file."""

    flag_id: int
    document_id: int
    path: str
    format: str
    ocr: bool


def flag_with_context(session: Session, flag_id: Any) -> FlagContext | None:
    fid = parse_id(flag_id)
    if fid is None:
        return None
    row = session.execute(select(FlagRow, DocumentVersion, Document)
                          .join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
                          .join(Document, DocumentVersion.document_id == Document.id)
                          .where(FlagRow.id == fid)).first()
    if row is None:
        return None
    return FlagContext(*row, source=run_source(session, row[1]))


@dataclass(frozen=True)
class Change:
    """One value of a re-opened flag that reads differently than when it was decided."""

    field: str  # "computed" | "expected"
    before: Any
    after: Any


def reopen_changes(session: Session, flag: FlagRow) -> list[Change]:
    """For a `needs-review` flag: its values that changed since the decided flag of the previous
    version (`carried_from_flag_id`), for the reviewer to compare."""
    if flag.status != "needs-review" or flag.carried_from_flag_id is None:
        return []
    old = session.get(FlagRow, flag.carried_from_flag_id)
    if old is None:
        return []
    return [Change(name, getattr(old, name), getattr(flag, name)) for name in ("computed", "expected")
            if getattr(old, name) != getattr(flag, name)]


def twins(session: Session, flag: FlagRow) -> list[Twin]:
    """The current flags sharing `flag`'s dup_key, itself excluded."""
    if not flag.dup_key:
        return []
    q = (select(FlagRow.id, Document.id, Document.path, DocumentVersion.format, DocumentVersion.ocr, Run.source)
         .join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
         .join(Document, DocumentVersion.document_id == Document.id)
         .outerjoin(Run, DocumentVersion.run_id == Run.id)
         .where(FlagRow.dup_key == flag.dup_key, DocumentVersion.is_current, FlagRow.id != flag.id)
         .order_by(FlagRow.id))
    return [Twin(fid, did, display_path(path, src), fmt, bool(ocr)) for fid, did, path, fmt, ocr, src in session.execute(q)]


@dataclass(frozen=True)
class DecisionSnapshot:
    """A decision's fields, usable after its transaction is gone."""

    id: int
    action: str
    reviewer: str
    created_at: dt.datetime | None


class OverrideNeeded(ReviewError):
    """The latest decision is another reviewer's: deciding again must be confirmed."""

    def __init__(self, decision: ReviewDecision):
        super().__init__(_("%(who)s already decided on this flag: confirm that you override it.",
                           who=decision.reviewer))
        self.decision = DecisionSnapshot(decision.id, decision.action, decision.reviewer, decision.created_at)


def _check(action: str, reason: str | None, corrected_value: str | None) -> None:
    if not action:
        raise ReviewError(_("Choose an action: confirm, dismiss or correct."))
    if action not in ACTION_STATUS:
        raise ReviewError(_("Unknown action %(action)s: use confirm, dismiss or correct.", action=repr(action)))
    if action == "dismiss" and not reason:
        raise ReviewError(_("A dismissal needs a reason (why is it a false alarm?)."))
    if action == "correct" and not corrected_value:
        raise ReviewError(_("A correction needs the corrected value."))


def decide(session: Session, flag_id: int, action: str, user: User, *, reason: str | None = None,
           corrected_value: str | None = None, override: bool = False) -> ReviewDecision:
    """Record a reviewer's decision (append-only) on the flag and on its twins in the report's
    other files. A dismissal needs a reason, a correction a value (kept beside the stated value,
    which is never changed). When the latest decision is another reviewer's, `override` must be
    set (else OverrideNeeded) and the new decision names the one it overrides."""
    reason = (reason or "").strip() or None
    corrected_value = (corrected_value or "").strip() or None
    _check(action, reason, corrected_value)
    flag = session.get(FlagRow, flag_id)
    if flag is None:
        raise ReviewError(f"no flag {flag_id}")
    last = session.scalar(select(ReviewDecision).where(ReviewDecision.flag_id == flag.id)
                          .order_by(ReviewDecision.id.desc()).limit(1))
    overridden = last if (last is not None and flag.status != "needs-review"
                          and (last.user_id != user.id or last.reviewer != user.username)) else None
    if overridden is not None and not override:
        raise OverrideNeeded(overridden)
    decision = record_decision(session, flag.id, action, user.username, reason=reason,
                               corrected_value=corrected_value, user_id=user.id)
    decision.overrides_id = overridden.id if overridden is not None else None
    for t in twins(session, flag):
        twin = session.get(FlagRow, t.flag_id)
        session.add(ReviewDecision(flag_id=twin.id, action=action, original_value=twin.stated,
                                   corrected_value=decision.corrected_value, reason=reason,
                                   reviewer=user.username, user_id=user.id, created_at=decision.created_at,
                                   carried_from_id=decision.id, overrides_id=decision.overrides_id))
        twin.status = ACTION_STATUS[action]
    session.flush()
    return decision


@dataclass
class DecisionRow:
    decision: ReviewDecision
    flag_id: int
    rule: str
    section: str | None
    column: str | None
    path: str
    issuer: str | None
    period: str


def decision_rows(session: Session, f) -> list[DecisionRow]:
    """Every decision on the flags of the filtered queue whatever their status now (the audit
    trail), in queue order, oldest first per flag."""
    from dataclasses import replace

    from review.queue import filtered

    g = replace(f, status=None)
    q = (filtered(session, g, ReviewDecision, FlagRow.id, FlagRow.rule, FlagRow.section, FlagRow.column,
                  Document.path, DocumentVersion.issuer, DocumentVersion.period_start,
                  DocumentVersion.period_end, DocumentVersion.period_label, Run.source)
         .join(ReviewDecision, ReviewDecision.flag_id == FlagRow.id)
         .outerjoin(Run, DocumentVersion.run_id == Run.id)
         .order_by(Document.path, FlagRow.ordinal, ReviewDecision.id))
    from review.queue import period_label

    return [DecisionRow(d, fid, rule, sec, col, display_path(path, src), issuer, period_label(ps, pe, pl))
            for d, fid, rule, sec, col, path, issuer, ps, pe, pl, src in session.execute(q)]


# --- overview ----------------------------------------------------------------------------------

def recent_decisions(session: Session, limit: int = 10) -> list[tuple[ReviewDecision, FlagRow, str]]:
    q = (select(ReviewDecision, FlagRow, Document.path, Run.source)
         .join(FlagRow, ReviewDecision.flag_id == FlagRow.id)
         .join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
         .join(Document, DocumentVersion.document_id == Document.id)
         .outerjoin(Run, DocumentVersion.run_id == Run.id)
         .where(ReviewDecision.carried_from_id.is_(None))
         .order_by(ReviewDecision.id.desc()).limit(limit))
    return [(d, f, display_path(p, src)) for d, f, p, src in session.execute(q)]


def document_count(session: Session) -> int:
    return session.scalar(select(func.count(DocumentVersion.id)).where(DocumentVersion.is_current)) or 0


# --- users -------------------------------------------------------------------------------------

def user_by_id(session: Session, user_id: Any) -> User | None:
    uid = parse_id(user_id)
    return session.get(User, uid) if uid else None


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


# --- documents and search ----------------------------------------------------------------------

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


@dataclass
class Source:
    document_id: int
    path: str
    format: str
    ocr: bool
    open_flags: int


@dataclass
class ReportHit:
    """One report: its best file first, then the other files holding the same report."""

    document: Document
    version: DocumentVersion
    path: str
    open_flags: int
    others: list[Source] = field(default_factory=list)


def search_reports(session: Session, f: ReportFilter, *, limit: int = 200) -> list[ReportHit]:
    """Current versions matching the filter, one entry per report (report_key), best match
    first when there are words, else newest period first."""
    from review.queue import source_rank

    todo = (select(func.count(FlagRow.id)).where(FlagRow.version_id == DocumentVersion.id,
                                                 FlagRow.status.in_(TODO)).scalar_subquery())
    q = (select(Document, DocumentVersion, todo, Run.source)
         .join(DocumentVersion, DocumentVersion.document_id == Document.id)
         .outerjoin(Run, DocumentVersion.run_id == Run.id)
         .where(DocumentVersion.is_current).options(defer(DocumentVersion.record)))
    if f.office:
        q = q.where(DocumentVersion.issuer == f.office)
    if f.type:
        q = q.where(DocumentVersion.document_type == f.type)
    if f.period:
        q = q.where(period_clause(f.period))
    ranked = search.ranked(session, f.q) if f.q else None
    if ranked is not None:
        q = q.join(ranked, ranked.c.vid == DocumentVersion.id).order_by(ranked.c.score)
    q = q.order_by(DocumentVersion.period_start.desc(), source_rank(DocumentVersion), Document.path).limit(limit * 3)
    hits: dict[str, ReportHit] = {}
    out: list[ReportHit] = []
    for d, v, n, src in session.execute(q):
        key = v.report_key or f"v:{v.id}"
        if key in hits:
            hits[key].others.append(Source(d.id, display_path(d.path, src), v.format, bool(v.ocr), n or 0))
            continue
        hits[key] = ReportHit(d, v, display_path(d.path, src), n or 0)
        out.append(hits[key])
    return out[:limit]


def report_facets(session: Session) -> dict[str, list]:
    cur = select(DocumentVersion.issuer, DocumentVersion.document_type, DocumentVersion.period_start,
                 DocumentVersion.period_end).where(DocumentVersion.is_current).distinct()
    offices, types, years = set(), set(), set()
    for issuer, dtype, s, e in session.execute(cur):
        if issuer:
            offices.add(issuer)
        if dtype:
            types.add(dtype)
        years.update(d[:4] for d in (s, e) if d and d[:4].isdigit())
    return {"offices": sorted(offices), "types": sorted(types), "years": sorted(years)}


def document_version(session: Session, document_id: Any, version_id: Any = None
                     ) -> tuple[Document, DocumentVersion] | None:
    did = parse_id(document_id)
    doc = session.get(Document, did) if did else None
    if doc is None:
        return None
    q = select(DocumentVersion).where(DocumentVersion.document_id == doc.id)
    if version_id is not None:
        vid = parse_id(version_id)
        if vid is None:
            return None
        q = q.where(DocumentVersion.id == vid)
    else:
        q = q.where(DocumentVersion.is_current)
    v = session.scalar(q)
    return (doc, v) if v is not None else None


def other_sources(session: Session, version: DocumentVersion) -> list[Source]:
    """The report's other current files (same report_key)."""
    if not version.report_key:
        return []
    todo = (select(func.count(FlagRow.id)).where(FlagRow.version_id == DocumentVersion.id,
                                                 FlagRow.status.in_(TODO)).scalar_subquery())
    q = (select(Document.id, Document.path, DocumentVersion.format, DocumentVersion.ocr, todo, Run.source)
         .join(DocumentVersion, DocumentVersion.document_id == Document.id)
         .outerjoin(Run, DocumentVersion.run_id == Run.id)
         .where(DocumentVersion.is_current, DocumentVersion.report_key == version.report_key,
                DocumentVersion.id != version.id).order_by(Document.path))
    return [Source(i, display_path(p, src), fmt, bool(ocr), n or 0) for i, p, fmt, ocr, n, src in session.execute(q)]


def version_flags(session: Session, version_id: int) -> list[FlagRow]:
    return list(session.scalars(select(FlagRow).where(FlagRow.version_id == version_id).order_by(FlagRow.ordinal)))


def now() -> dt.datetime:
    return utcnow()

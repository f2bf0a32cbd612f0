"""Load a Report into the database as a new document version, inside the caller's transaction.

`load_report` is idempotent per (path, sha256, extractor version): loading the same content again
changes nothing. A changed file (same path, new sha256) becomes a new current version, and the
review decisions made on the previous version's flags are carried over to the new flags that
still hold — same rule, section, column and stated value — so reviewers never decide twice.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from models.report import Flag, Report, TableRecord
from outputs.db.models import (
    Document, DocumentVersion, FigureRow, FlagRow, ReferenceRow, ReviewDecision, SectionRow,
    TableCell, TableRow, utcnow,
)

LoadStatus = Literal["new", "changed", "unchanged", "restored"]


@dataclass
class LoadResult:
    status: LoadStatus
    document_id: int
    version_id: int
    flags_by_rule: dict[str, int] = field(default_factory=dict)
    carried_decisions: int = 0


def flag_match_key(rule: str, section: str | None, column: str | None, stated: str | None) -> tuple:
    """What makes a flag on a new version 'the same' as one on the previous version."""
    return (rule, section or "", column or "", (stated or "").strip())


def current_version(session: Session, path: str) -> DocumentVersion | None:
    return session.scalar(
        select(DocumentVersion).join(Document).where(Document.path == path, DocumentVersion.is_current))


def is_loaded(session: Session, path: str, sha256: str, extractor_version: str) -> bool:
    """The file at `path` with this content is already loaded by this extractor version."""
    return session.scalar(
        select(DocumentVersion.id).join(Document).where(
            Document.path == path, DocumentVersion.is_current, DocumentVersion.sha256 == sha256,
            DocumentVersion.extractor_version == extractor_version)) is not None


def _loc(p: Any) -> dict[str, Any]:
    return p.model_dump(mode="json", exclude_defaults=True) if p is not None else {}


def _table_rows(t: TableRecord, ordinal: int) -> TableRow:
    row = TableRow(ordinal=ordinal, table_key=t.id, section=t.section, columns=list(t.columns),
                   n_rows=len(t.rows), header_rows=t.header_rows, has_total=t.total_row is not None,
                   parent_rows=list(t.parent_rows), children={str(k): v for k, v in t.children.items()},
                   location=_loc(t.location))
    grid = list(t.rows) + ([t.total_row] if t.total_row is not None else [])
    for r, cells in enumerate(grid):
        values = t.values[r] if r < len(t.values) else []
        locs = t.cell_locations[r] if r < len(t.cell_locations) else []
        for c, text in enumerate(cells):
            n = values[c] if c < len(values) else None
            loc = locs[c] if c < len(locs) else None
            row.cells.append(TableCell(
                row=r, col=c, column=t.columns[c] if c < len(t.columns) else None,
                is_total=r == len(t.rows), text=text or "",
                value=n.value if n else None, malformed=bool(n and n.malformed),
                suggestion=n.suggestion if n else None, location=_loc(loc) if loc else None))
    return row


def _flag_row(f: Flag, ordinal: int) -> FlagRow:
    return FlagRow(ordinal=ordinal, flag_key=f.id or f"{f.rule}:{ordinal + 1}", rule=f.rule,
                   severity=f.severity.value, message=f.message, message_en=f.message_en,
                   section=f.section, table_key=f.table, row=f.row, column=f.column, stated=f.stated,
                   computed=f.computed, expected=f.expected, table_value=f.table_value,
                   suggestion=f.suggestion, sentence=f.sentence, location=_loc(f.location),
                   related=list(f.related), culprit=f.culprit, evidence=f.evidence, status="open")


def build_version(report: Report, *, extractor_version: str, run_id: int | None = None,
                  extract_seconds: float | None = None) -> DocumentVersion:
    """The rows of one document version (not yet attached to a document)."""
    s, m = report.source, report.metadata
    v = DocumentVersion(
        sha256=s.sha256, extractor_version=extractor_version, is_current=True, run_id=run_id,
        format=s.format.value, size=s.size, page_count=s.page_count, encoding=s.encoding.value,
        ocr=s.ocr, ocr_confidence=s.ocr_confidence, document_type=m.document_type, title=m.title,
        issuer=m.issuer, report_number=m.report_number, report_date=m.date,
        period_start=m.period.start, period_end=m.period.end,
        record=report.model_dump(mode="json"), extract_seconds=extract_seconds, loaded_at=utcnow())
    v.sections = [SectionRow(ordinal=i, number=x.number, title=x.title, level=x.level, text=x.text,
                             empty=x.empty, label=x.label, location=_loc(x.location))
                  for i, x in enumerate(report.sections)]
    v.tables = [_table_rows(t, i) for i, t in enumerate(report.tables)]
    v.figures = [FigureRow(ordinal=i, value=x.value, raw=x.raw, unit=x.unit, qualifier=x.qualifier,
                           kind=x.kind, section=x.section, sentence=x.sentence, context=x.context,
                           location=_loc(x.location)) for i, x in enumerate(report.figures)]
    v.references = [ReferenceRow(ordinal=i, raw=x.raw, kind=x.kind, number=x.number, code=x.code,
                                 type_code=x.type_code, issuer_code=x.issuer_code, issuer=x.issuer,
                                 date=x.date, section=x.section, sentence=x.sentence,
                                 location=_loc(x.location)) for i, x in enumerate(report.references)]
    v.flags = [_flag_row(f, i) for i, f in enumerate(report.flags)]
    return v


def carry_over_decisions(session: Session, old: DocumentVersion, new: DocumentVersion) -> int:
    """Copy the review decisions of `old`'s flags onto the matching flags of `new` (each old
    flag used once, in order); returns how many decisions were copied."""
    pool: dict[tuple, list[FlagRow]] = defaultdict(list)
    for f in old.flags:
        if f.decisions:
            pool[flag_match_key(f.rule, f.section, f.column, f.stated)].append(f)
    copied = 0
    for nf in new.flags:
        candidates = pool.get(flag_match_key(nf.rule, nf.section, nf.column, nf.stated))
        if not candidates:
            continue
        of = candidates.pop(0)
        nf.status = of.status
        nf.carried_from_flag_id = of.id
        for d in of.decisions:
            nf.decisions.append(ReviewDecision(
                action=d.action, original_value=d.original_value, corrected_value=d.corrected_value,
                reason=d.reason, reviewer=d.reviewer, user_id=d.user_id, created_at=d.created_at,
                carried_from_id=d.id))
            copied += 1
    return copied


def load_report(session: Session, report: Report, *, extractor_version: str, path: str | None = None,
                run_id: int | None = None, extract_seconds: float | None = None) -> LoadResult:
    """Add `report` as the current version of the document at `path` (default: its source path).
    Runs inside the caller's transaction; commit it to make the document visible."""
    path = path or report.source.path
    sha = report.source.sha256
    q = select(Document).where(Document.path == path)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()  # concurrent loads of one path queue here
    doc = session.scalar(q)
    if doc is None:
        doc = Document(path=path, sha256=sha, format=report.source.format.value, size=report.source.size)
        session.add(doc)
        session.flush()
    versions = session.scalars(select(DocumentVersion).where(DocumentVersion.document_id == doc.id)
                               .options(defer(DocumentVersion.record))).all()
    previous = next((v for v in versions if v.is_current), None)
    same = next((v for v in versions if v.sha256 == sha and v.extractor_version == extractor_version), None)
    if same is not None:
        if same.is_current:
            return LoadResult("unchanged", doc.id, same.id)
        if previous is not None:
            previous.is_current = False
            session.flush()
        same.is_current = True
        doc.sha256, doc.size, doc.updated_at = sha, report.source.size, utcnow()
        session.flush()
        flags = Counter(session.scalars(select(FlagRow.rule).where(FlagRow.version_id == same.id)))
        return LoadResult("restored", doc.id, same.id, dict(flags))
    if previous is not None:
        previous.is_current = False
        session.flush()
    version = build_version(report, extractor_version=extractor_version, run_id=run_id,
                            extract_seconds=extract_seconds)
    version.document = doc
    version.previous_version_id = previous.id if previous is not None else None
    session.add(version)
    session.flush()
    carried = carry_over_decisions(session, previous, version) if previous is not None else 0
    doc.sha256, doc.format, doc.size, doc.updated_at = sha, report.source.format.value, report.source.size, utcnow()
    session.flush()
    return LoadResult("changed" if previous is not None else "new", doc.id, version.id,
                      dict(Counter(f.rule for f in report.flags)), carried)

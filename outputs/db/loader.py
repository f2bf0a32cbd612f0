"""Load a Report into the database as a new document version, inside the caller's transaction.

`load_report` is idempotent per (path, sha256, extractor version): loading the same content again
changes nothing. A changed file (same path, new sha256) becomes a new current version, and the
review decisions made on the previous version's flags are carried over to the new flags that
still hold — same rule, section, column and stated value — so reviewers never decide twice;
when such a flag's computed value or evidence changed, the decision comes along re-opened
(status "needs-review") for a reviewer to look at again.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from models.report import Flag, Report, TableRecord
from outputs.db.models import (
    Document, DocumentVersion, FigureRow, FlagRow, ReferenceRow, ReportText, ReviewDecision, SectionRow,
    TableCell, TableRow, utcnow,
)
from outputs.db.reportkey import flag_dup_keys, refresh_listed, report_key, search_text

LoadStatus = Literal["new", "changed", "unchanged", "restored"]


@dataclass
class LoadResult:
    status: LoadStatus
    document_id: int
    version_id: int
    flags_by_rule: dict[str, int] = field(default_factory=dict)
    carried_decisions: int = 0
    reopened: int = 0  # carried decisions re-opened: the flag's computed value or evidence changed


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
                   related=list(f.related), culprit=f.culprit, evidence=f.evidence, status="open",
                   confidence=f.confidence, doubtful=f.doubtful)


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
    # the review app's report identity, duplicate flags across files, search text (0003)
    v.report_key, v.period_label = report_key(report), m.period.label
    for row, key in zip(v.flags, flag_dup_keys(v.report_key, ((f.rule, f.section, f.column, f.stated)
                                                             for f in report.flags))):
        row.dup_key = key
    v.search_text = ReportText(text=search_text(v.record))
    return v


# Keys of a flag's evidence that say where something was read, not what: a row inserted above a
# total, a page break moved or another OCR pass changes them without changing what was decided.
POSITION_KEYS = frozenset({"table", "row", "col", "page", "pages", "location", "locations", "bbox", "box",
                           "line", "paragraph", "offset", "start", "end", "index", "confidence"})


def _substance(value: Any) -> Any:
    """`value` (a flag's evidence) without position keys, numbers compared as numbers."""
    if isinstance(value, dict):
        return {k: _substance(v) for k, v in value.items() if k not in POSITION_KEYS}
    if isinstance(value, (list, tuple)):
        return [_substance(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return round(float(value), 6)
    return value


def _shown(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "—" if v is None else str(v)


def flag_changes(old: FlagRow, new: FlagRow) -> list[str]:
    """What differs between a decided flag and the flag of a new version that matches it (same
    rule, section, column and stated value), for a reviewer: its computed value, its expected
    value (when it did not change with the computed one), else its evidence. Empty when the
    decision still applies as it was taken."""
    changes, seen = [], set()
    for name in ("computed", "expected"):
        before, after = getattr(old, name), getattr(new, name)
        if _substance(before) != _substance(after):
            change = f"{_shown(before)} → {_shown(after)}"
            if change not in seen:
                changes.append(f"{name} value changed: {change}")
                seen.add(change)
    if not changes and _substance(old.evidence or {}) != _substance(new.evidence or {}):
        changes.append("evidence changed")
    return changes


def carry_over_decisions(session: Session, old: DocumentVersion, new: DocumentVersion) -> int:
    """Copy the review decisions of `old`'s flags onto the matching flags of `new` (each old
    flag used once, in order); returns how many decisions were copied. A decision whose flag no
    longer reads the same (`flag_changes`) is carried but re-opened: status "needs-review", the
    change in `reopen_reason`, the old decision kept in the flag's trail."""
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
        changes = flag_changes(of, nf)
        nf.status = "needs-review" if changes else of.status
        nf.reopen_reason = "; ".join(changes) if changes else of.reopen_reason
        nf.carried_from_flag_id = of.id
        copied += _copy_decisions(of, nf)
    return copied


def _copy_decisions(src: FlagRow, dst: FlagRow) -> int:
    """src's decisions appended to dst's, each remembering the one it copies; how many."""
    for d in src.decisions:
        dst.decisions.append(ReviewDecision(
            action=d.action, original_value=d.original_value, corrected_value=d.corrected_value,
            reason=d.reason, reviewer=d.reviewer, user_id=d.user_id, created_at=d.created_at,
            carried_from_id=d.id))
    return len(src.decisions)


def adopt_twin_decisions(session: Session, new: DocumentVersion) -> int:
    """The same report in another file (outputs/db/reportkey.py): a new flag not yet decided takes
    the status and decisions of its twin among the current flags, so it is decided once."""
    todo = {f.dup_key: f for f in new.flags if f.dup_key and not f.decisions}
    if not todo:
        return 0
    twins = session.scalars(select(FlagRow).join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
                            .where(FlagRow.dup_key.in_(list(todo)), FlagRow.version_id != new.id,
                                   DocumentVersion.is_current).order_by(FlagRow.id)).all()
    copied = 0
    for twin in twins:
        nf = todo.get(twin.dup_key)
        if nf is None or not twin.decisions or nf.decisions:
            continue
        nf.status = twin.status
        copied += _copy_decisions(twin, nf)
    return copied


def _relist(session: Session, current: int, previous: int | None) -> None:
    """The queue lists the flags of current versions only, each once across the same report's
    files (`flags.listed`, outputs/db/reportkey.py): after `current` replaced `previous`."""
    from sqlalchemy import update

    if previous is not None:
        session.execute(update(FlagRow).where(FlagRow.version_id == previous).values(listed=False))
    session.execute(update(FlagRow).where(FlagRow.version_id == current, FlagRow.dup_key.is_(None))
                    .values(listed=True))
    keys = session.scalars(select(FlagRow.dup_key).where(FlagRow.version_id.in_([v for v in (current, previous) if v]),
                                                         FlagRow.dup_key.is_not(None))).all()
    refresh_listed(session, keys)
    session.flush()


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
        _relist(session, same.id, previous.id if previous is not None else None)
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
    carried += adopt_twin_decisions(session, version)
    doc.sha256, doc.format, doc.size, doc.updated_at = sha, report.source.format.value, report.source.size, utcnow()
    session.flush()
    _relist(session, version.id, previous.id if previous is not None else None)
    reopened = sum(1 for f in version.flags if f.status == "needs-review" and f.carried_from_flag_id)
    return LoadResult("changed" if previous is not None else "new", doc.id, version.id,
                      dict(Counter(f.rule for f in report.flags)), carried, reopened)

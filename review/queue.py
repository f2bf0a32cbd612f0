"""The flag queue: filters as in the URL, one page of rows read column by column (never the JSON
records), keyset paging, counts per status, the filters' choices, and a flag's neighbours.

Only current versions count, and a flag that the same report carries in several files (the
same `dup_key`, outputs/db/reportkey.py) is listed once (`flags.listed`): from the file a
reviewer can best check it (a PDF with a text layer, then Word, then a scan), unless one
document is asked for.
Doubtful flags (read from a scan that may be misread) come after the others whatever the sort.

Pages are found by keyset (`after` / `before` a flag id: the rows strictly after or before
that flag's place in the order), so a page deep in 100 000 flags costs what the first does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import and_, case, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import find_tables

from outputs.db.models import FLAG_STATUSES, Document, DocumentVersion, FlagRow, Run
from review import search
from review.paths import display_path

SEVERITIES = ("error", "warning", "info")
# every status the interface knows, in the order it shows them ("needs-review": a carried-over
# decision re-opened by the nightly import because the flag's value changed)
STATUSES = tuple(dict.fromkeys(("open", "needs-review", *FLAG_STATUSES, "confirmed", "dismissed", "corrected")))
TODO = ("open", "needs-review")  # the pseudo-status "todo": what is left to decide
SEVERITY_RANK = case({"error": 0, "warning": 1, "info": 2}, value=FlagRow.severity, else_=3)
STATUS_RANK = case({s: i for i, s in enumerate(STATUSES)}, value=FlagRow.status, else_=9)
SORTS: dict[str, Any] = {
    "severity": SEVERITY_RANK,
    "rule": FlagRow.rule,
    "document": Document.path,
    "office": func.coalesce(DocumentVersion.issuer, ""),
    "period": func.coalesce(DocumentVersion.period_start, ""),
    "status": STATUS_RANK,
    "confidence": FlagRow.confidence,
    "id": FlagRow.id,
}
_YEAR = re.compile(r"^\d{4}$")
MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """A database id from a URL (None for anything that cannot be one: not digits, 0, > 2⁶³−1)."""
    if isinstance(value, int):
        n = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        n = int(value)
    else:
        return None
    return n if 0 < n <= MAX_ID else None


@dataclass(frozen=True)
class FlagFilter:
    """What the queue shows, as in its URL: ?rule=&severity=&status=&office=&period=&q=&document=&sort=&dir=."""

    rule: str | None = None
    severity: str | None = None
    status: str | None = None  # one of STATUSES, or "todo" (open + needs-review)
    office: str | None = None
    period: str | None = None  # "2020" (any period touching that year) or "start..end"
    q: str | None = None  # words of the report's text (full-text search)
    document: int | None = None  # Document.id: that file's flags, its twins included
    sort: str = "severity"
    dir: str = "asc"

    @classmethod
    def from_params(cls, params: Any) -> "FlagFilter":
        def get(k: str) -> str | None:
            v = params.get(k)
            return v.strip() or None if isinstance(v, str) else None

        status = get("status")
        sort = get("sort") or "severity"
        return cls(rule=get("rule"), severity=get("severity"),
                   status=status if status in STATUSES or status == "todo" else None,
                   office=get("office"), period=get("period"), q=get("q"),
                   document=parse_id(get("document")),
                   sort=sort if sort in SORTS else "severity",
                   dir="desc" if get("dir") == "desc" else "asc")

    def params(self, **override: Any) -> dict[str, str]:
        """The non-default parameters (for links), with `override` applied."""
        f = replace(self, **override)
        out = {k: str(v) for k, v in (("rule", f.rule), ("severity", f.severity), ("status", f.status),
                                      ("office", f.office), ("period", f.period), ("q", f.q),
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
        return any((self.rule, self.severity, self.status, self.office, self.period, self.q, self.document))


# --- the query ---------------------------------------------------------------------------------

def source_rank(v) -> Any:
    """Which file of a report to show first: a PDF's text layer (0), Word (1), other (2), anything
    read by OCR (3) — outputs.db.reportkey.source_rank in SQL."""
    return case((v.ocr, 3), (v.format == "pdf", 0), (v.format == "docx", 1), else_=2)


def base_query(*cols: Any, primary: bool = True):
    """Flags of current versions, with their version and document; `primary`: only the one of
    each set of twins that is listed (flags.listed, kept by the loader)."""
    q = (select(*cols).select_from(FlagRow)
         .join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
         .join(Document, DocumentVersion.document_id == Document.id)
         .where(DocumentVersion.is_current))
    return q.where(FlagRow.listed) if primary else q


def period_clause(period: str):
    if _YEAR.match(period):
        y = period
        return and_(func.coalesce(DocumentVersion.period_start, DocumentVersion.report_date, "") <= f"{y}-12-31",
                    func.coalesce(DocumentVersion.period_end, DocumentVersion.report_date, "9999") >= f"{y}-01-01")
    if ".." in period:
        start, end = period.split("..", 1)
        return and_(func.coalesce(DocumentVersion.period_start, "") == start,
                    func.coalesce(DocumentVersion.period_end, "") == end)
    return literal(False)


def status_clause(status: str):
    return FlagRow.status.in_(TODO) if status == "todo" else FlagRow.status == status


def _tables(*exprs: Any) -> set:
    """The tables columns, expressions or mapped classes read from."""
    out: set = set()
    for e in exprs:
        if isinstance(e, type) and hasattr(e, "__table__"):
            out.add(e.__table__)
        else:
            out.update(find_tables(e.__clause_element__() if hasattr(e, "__clause_element__") else e,
                                   check_columns=True))
    return out


def filtered(session: Session, f: FlagFilter, *cols: Any, status: bool = True):
    """`cols` of the flags under every filter (`status=False`: all but the status one). Joins the
    versions and documents only when a column, a filter or the sort needs them: the queue's
    counts and pages then read the flags table alone (`listed` implies a current version)."""
    tables = _tables(*cols, *(e for e, _ in order_keys(f)))
    need_document = Document.__table__ in tables or f.document is not None
    need_version = need_document or DocumentVersion.__table__ in tables or bool(f.office or f.period)
    q = select(*cols).select_from(FlagRow)
    if need_version:
        q = q.join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
    if need_document:
        q = q.join(Document, DocumentVersion.document_id == Document.id)
    # one file asked for: all its flags (twins too); else the listed ones (current, one per twin set)
    q = q.where(DocumentVersion.is_current) if f.document is not None else q.where(FlagRow.listed)
    if f.rule:
        q = q.where(FlagRow.rule == f.rule)
    if f.severity:
        q = q.where(FlagRow.severity == f.severity)
    if status and f.status:
        q = q.where(status_clause(f.status))
    if f.office:
        q = q.where(DocumentVersion.issuer == f.office)
    if f.period:
        q = q.where(period_clause(f.period))
    if f.document:
        q = q.where(DocumentVersion.document_id == f.document)
    matching = search.matching_versions(session, f.q) if f.q else None
    if matching is not None:  # words of the report's text (a query of no word filters nothing)
        q = q.where(FlagRow.version_id.in_(matching))
    return q


def order_keys(f: FlagFilter) -> list[tuple[Any, bool]]:
    """(expression, descending) from the first sort key to the last; doubtful flags last."""
    return [(FlagRow.doubtful, False), (SORTS.get(f.sort, SEVERITY_RANK), f.dir == "desc"),
            (FlagRow.version_id, False), (FlagRow.ordinal, False), (FlagRow.id, False)]


def _ordered(q, keys: list[tuple[Any, bool]], reverse: bool = False):
    return q.order_by(*((e.asc() if desc == reverse else e.desc()) for e, desc in keys))


def _beyond(keys: list[tuple[Any, bool]], values: tuple, before: bool = False):
    """Rows strictly after (or `before`) the row whose sort values are `values`: one row-value
    comparison when every key runs the same way, else the expanded OR of ANDs."""
    if len({desc for _, desc in keys}) == 1:
        left = tuple_(*(e for e, _ in keys))
        right = tuple_(*(literal(v) for v in values))
        return (left < right) if keys[0][1] != before else (left > right)
    clauses, equal = [], []
    for (expr, desc), value in zip(keys, values):
        v = literal(value)  # a bound value (booleans included)
        later = (expr < v) if desc != before else (expr > v)
        clauses.append(and_(*equal, later))
        equal.append(expr == v)
    return or_(*clauses)


def _cursor(session: Session, keys: list[tuple[Any, bool]], flag_id: int) -> tuple | None:
    row = session.execute(base_query(*(e for e, _ in keys), primary=False).where(FlagRow.id == flag_id)).first()
    return tuple(row) if row is not None else None


def _cursor_inside(session: Session, f: FlagFilter, keys: list[tuple[Any, bool]], flag_id: int
                   ) -> tuple[tuple | None, bool]:
    """The flag's sort values (None if no such current flag) and whether it is in the queue."""
    values = _cursor(session, keys, flag_id)
    if values is None:
        return None, False
    return values, session.scalar(filtered(session, f, FlagRow.id).where(FlagRow.id == flag_id)) is not None


# --- a page of the queue -----------------------------------------------------------------------

@dataclass
class QueueRow:
    """What the queue shows of a flag (and the API lists)."""

    id: int
    rule: str
    severity: str
    status: str
    section: str | None
    stated: str | None
    computed: Any
    message: str
    message_en: str
    confidence: float
    doubtful: bool
    dup_key: str | None
    document_id: int
    path: str
    issuer: str | None
    format: str
    source: str | None  # the folder of the run that loaded it
    sources: int = 1  # files of the same report holding this flag

    @property
    def document(self) -> str:
        """The file, relative to the folder it was ingested from."""
        return display_path(self.path, self.source)


LIST_COLUMNS = (FlagRow.id, FlagRow.rule, FlagRow.severity, FlagRow.status, FlagRow.section, FlagRow.stated,
                FlagRow.computed, func.substr(FlagRow.message, 1, 300), func.substr(FlagRow.message_en, 1, 300),
                FlagRow.confidence, FlagRow.doubtful, FlagRow.dup_key, Document.id, Document.path,
                DocumentVersion.issuer, DocumentVersion.format, Run.source)


def _rows(session: Session, ids_query) -> list[QueueRow]:
    """The rows of the flags `ids_query` selects (ids only, ordered): the page is found on narrow
    columns, then only its rows are read in full."""
    ids = list(session.scalars(ids_query))
    if not ids:
        return []
    q = base_query(*LIST_COLUMNS, primary=False).outerjoin(Run, DocumentVersion.run_id == Run.id) \
        .where(FlagRow.id.in_(ids))
    by_id = {r[0]: QueueRow(*r) for r in session.execute(q)}
    rows = [by_id[i] for i in ids if i in by_id]
    keys = [r.dup_key for r in rows if r.dup_key]
    if keys:
        n = dict(session.execute(base_query(FlagRow.dup_key, func.count(FlagRow.id), primary=False)
                                 .where(FlagRow.dup_key.in_(keys)).group_by(FlagRow.dup_key)).all())
        for r in rows:
            r.sources = n.get(r.dup_key, 1) if r.dup_key else 1
    return rows


@dataclass
class Page:
    rows: list[QueueRow] = field(default_factory=list)
    first: int = 0  # 1-based position of the first row in the filtered queue
    has_prev: bool = False
    has_next: bool = False


def page(session: Session, f: FlagFilter, *, after: int | None = None, before: int | None = None,
         limit: int = 100) -> Page:
    """The `limit` rows after flag `after` (or before flag `before`; else the first ones)."""
    keys = order_keys(f)
    q = filtered(session, f, FlagRow.id)
    cursor_id = before or after
    values = _cursor(session, keys, cursor_id) if cursor_id else None
    if values is not None and before:
        rows = _rows(session, _ordered(q.where(_beyond(keys, values, before=True)), keys, reverse=True)
                     .limit(limit + 1))
        out = Page(list(reversed(rows[:limit])), has_prev=len(rows) > limit, has_next=True)
    else:
        if values is not None:
            q = q.where(_beyond(keys, values))
        rows = _rows(session, _ordered(q, keys).limit(limit + 1))
        out = Page(rows[:limit], has_prev=values is not None, has_next=len(rows) > limit)
    if out.rows:
        out.first = position_of(session, f, out.rows[0].id) if out.has_prev else 1
    return out


def all_rows(session: Session, f: FlagFilter, *, limit: int | None = None) -> list[QueueRow]:
    q = _ordered(filtered(session, f, FlagRow.id), order_keys(f))
    return _rows(session, q.limit(limit) if limit else q)


def position_of(session: Session, f: FlagFilter, flag_id: int) -> int:
    """1-based place of the flag in the filtered queue's order (rows before it + 1)."""
    keys = order_keys(f)
    values = _cursor(session, keys, flag_id)
    if values is None:
        return 0
    return (session.scalar(filtered(session, f, func.count(FlagRow.id))
                           .where(_beyond(keys, values, before=True))) or 0) + 1


def neighbours(session: Session, f: FlagFilter, flag_id: int) -> tuple[int | None, int | None, int, int]:
    """(previous id, next id, 1-based position, queue length) of a flag in the filtered queue;
    position 0 when the flag is not (or no longer) in it — previous and next are then the rows
    around its place in the order."""
    keys = order_keys(f)
    total = session.scalar(filtered(session, f, func.count(FlagRow.id))) or 0
    values, inside = _cursor_inside(session, f, keys, flag_id)
    if values is None:
        return None, None, 0, total
    q = filtered(session, f, FlagRow.id)
    prev_id = session.scalar(_ordered(q.where(_beyond(keys, values, before=True)), keys, reverse=True).limit(1))
    next_id = session.scalar(_ordered(q.where(_beyond(keys, values)), keys).limit(1))
    position = (session.scalar(filtered(session, f, func.count(FlagRow.id)).where(_beyond(keys, values, before=True)))
                or 0) + 1 if inside else 0
    return prev_id, next_id, position, total


def status_counts(session: Session, f: FlagFilter, *, apply_status: bool = False) -> dict[str, int]:
    """Flags per status under every filter but the status one (every status present, 0 included)."""
    q = filtered(session, f, FlagRow.status, func.count(FlagRow.id), status=apply_status).group_by(FlagRow.status)
    counts = {s: 0 for s in STATUSES}
    counts.update({s: n for s, n in session.execute(q)})
    return counts


def total(counts: dict[str, int], status: str | None) -> int:
    if status == "todo":
        return sum(counts.get(s, 0) for s in TODO)
    return counts.get(status, 0) if status else sum(counts.values())


# --- the filters' choices ----------------------------------------------------------------------

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
    return ""


def _known_rules() -> list[str]:
    try:
        import checks  # noqa: F401  (registers the rules)
        from checks.registry import RULES

        return sorted(RULES)
    except Exception:
        return []


def facets(session: Session) -> Facets:
    """The values the queue's filters offer: the rules that flagged something (one index probe
    per known rule), the offices and periods of the current versions (never a scan of the flags)."""
    out = Facets()
    known = _known_rules()
    if known:
        out.rules = [r for r in known if session.scalar(select(FlagRow.id).where(FlagRow.rule == r).limit(1))]
    else:
        out.rules = sorted(session.scalars(select(FlagRow.rule).distinct()))
    out.severities = list(SEVERITIES)
    cur = select(DocumentVersion.issuer, DocumentVersion.period_start, DocumentVersion.period_end,
                 DocumentVersion.period_label).where(DocumentVersion.is_current).distinct()
    offices: set[str] = set()
    seen: dict[str, str] = {}
    years: set[str] = set()
    for issuer, start, end, label in session.execute(cur):
        if issuer:
            offices.add(issuer)
        if not (start or end):
            continue
        seen.setdefault(f"{start or ''}..{end or ''}", period_label(start, end, label))
        years.update(d[:4] for d in (start, end) if d and d[:4].isdigit())
    out.offices = sorted(offices)
    out.periods = sorted(seen.items())
    out.years = sorted(years)
    return out


def open_by(session: Session, column: Any) -> list[tuple[str, int]]:
    """Flags left to decide grouped by `column` (FlagRow.rule, DocumentVersion.issuer …), most first."""
    n = func.count(FlagRow.id)
    q = base_query(column, n).where(FlagRow.status.in_(TODO)).group_by(column).order_by(n.desc(), column)
    return [(k or "", c) for k, c in session.execute(q)]


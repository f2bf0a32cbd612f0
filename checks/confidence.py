"""How surely a flag's numbers were read: Flag.confidence, Flag.doubtful and the scan caveat.

The evidence shape every numeric rule writes (rules/* use `cell_reading` / `prose_reading`):

    evidence["readings"] = [
        {"role": "stated", "raw": "1.450,0", "table": "t1", "row": 9, "col": 2},
        {"role": "part", "raw": "62,4", "table": "t1", "row": 1, "col": 2},
        {"role": "compared", "raw": "3.355", "sentence": "Thu ngân sách … 3.355 triệu đồng",
         "section": "I.2"},
    ]

- role: "stated" (the number the flag says is wrong), "part" (a number that is added,
  subtracted or divided to give the flag's computed value: a summed cell, a listed part, a
  balance term, a ratio's numerator or denominator), "compared" (the other side of a
  comparison: the table value a sentence is compared with, the whole a part exceeds), "absent"
  (a field the flag says is missing; `raw` names it: the OCR may not have seen it).
- where it was read: a table cell (`table` id, `row` as in Flag.row — len(rows) is the total
  row —, `col` the grid column index) or a sentence (`sentence`, `section`).
- confidence: a rule may set it; otherwise `assess` fills it from the record: a cell from
  TableRecord.values (Number.confidence, the cell's lowest OCR word), a prose number from the
  Figure with that raw in that sentence (Figure.confidence). None = read from a text layer.
- caveat (optional): the messages.py variant of the doubtful caveat when the reading is not a
  number ("heading": a heading OCR may have lost between `previous` and `raw`).
- evidence["unit_match"] = "guessed" when a rule matched two quantities' units by a guess
  (a unit the header only implies); "exact"/"lexicon" otherwise (or absent).

Flag.confidence = the lowest reading (1.0 when nothing was measured) × LEGACY_FACTOR of the
source's decoded legacy encoding × GUESSED_UNIT_FACTOR for a guessed unit match. An OCR reading
without a word confidence takes its page's (PageQuality.confidence, else its grade), else the
document's mean OCR confidence. Two OCR readings are capped at OCR_MALFORMED, a misread being
likelier than the writer's slip: a malformed number ("1,689,00"), and a cell grouping its
thousands unlike the rest of its column ("370.500.000" among "380,500,000"). A flag without
readings is located by its own cell or sentence. Below THRESHOLD (on an OCR'd source) the flag
is doubtful: its severity is at most a warning, its Vietnamese message opens with "Bản quét có
thể bị đọc sai: …", and run_checks lists it after the others. Below SILENT a flag on a scan is
dropped (`audible`): a number read with a third of Tesseract's confidence ("68" for "8") is a
guess, and a claim resting on a guess, even marked, only teaches reviewers to skip the queue.

On an OCR'd source a numeric flag that one OCR slip in one of its readings would explain (a digit
read as a look-alike, dropped or doubled, in a reading below misread.SURE; or, for a column total,
a cell of a summed row read blank) is capped at MISREAD, so doubtful, its caveat naming the slip
(evidence["misread"]); a swap of two adjacent digits or a round difference is the writer's and keeps
it confident (checks.misread).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from checks import misread
from checks.messages import render
from checks.text import fold
from extractors.text.numbers import parse_number
from models.document import Encoding, Grade, Source
from models.report import Flag, Severity

if TYPE_CHECKING:
    from checks.context import Ctx
    from checks.tables_view import TableView

THRESHOLD = 0.6  # below it a flag is doubtful
SILENT = 0.4  # below it (on a scan) a flag is not raised at all: the reading is a guess
LEGACY_FACTOR = {Encoding.TCVN3: 0.95, Encoding.VNI: 0.95, Encoding.VISCII: 0.95, Encoding.MIXED: 0.9}
GUESSED_UNIT_FACTOR = 0.85
OCR_MALFORMED = 0.5  # an ill-formed number in OCR text: more likely misread than miswritten
GRADE_CONFIDENCE = {Grade.GOOD: 0.9, Grade.FAIR: 0.7, Grade.POOR: 0.45}
OCR_UNMEASURED = 0.8  # OCR without any measure of its words
MISREAD = 0.5  # a flag one OCR slip in one of its readings would explain (checks.misread)

ROLES = ("stated", "part", "compared", "absent")


def cell_reading(t: "TableView", r: int, c: int, role: str) -> dict[str, Any]:
    """A table cell the flag compares."""
    return {"role": role, "raw": t.raw(r, c), "table": t.id, "row": r, "col": c}


def prose_reading(sentence: str, raw: str, role: str, section: str | None = None) -> dict[str, Any]:
    """A number in a sentence the flag compares."""
    return {"role": role, "raw": raw, "sentence": sentence, "section": section}


def assess(flags: list[Flag], ctx: "Ctx") -> None:
    """Set every flag's confidence and doubtful mark from its readings (see module docstring)."""
    src = ctx.report.source
    for f in flags:
        readings = f.evidence.get("readings")
        if not readings:
            readings = _own_reading(f, ctx)
            if readings:
                f.evidence["readings"] = readings
        for rd in readings or []:
            if rd.get("confidence") is None:
                rd["confidence"] = _read_confidence(rd, ctx)
        measured = [rd for rd in readings or [] if rd.get("confidence") is not None]
        weakest = min(measured, key=lambda rd: rd["confidence"], default=None)
        conf = weakest["confidence"] if weakest else 1.0
        conf *= LEGACY_FACTOR.get(src.encoding, 1.0)
        if f.evidence.get("unit_match") == "guessed":
            conf *= GUESSED_UNIT_FACTOR
        slip = misread.explain(f, ctx.report.tables) if src.ocr else None
        if slip is not None:
            f.evidence["misread"] = slip
            conf = min(conf, MISREAD)
        f.confidence = round(max(0.0, min(1.0, conf)), 2)
        if f.confidence < THRESHOLD and weakest is not None and src.ocr:
            _mark_doubtful(f, weakest)
        elif slip is not None and f.confidence < THRESHOLD:
            _mark_doubtful(f, slip)


def audible(flags: list[Flag], src: Source) -> list[Flag]:
    """The flags worth a reviewer's look: on a scan, not those resting on a reading below SILENT."""
    if not src.ocr:
        return flags
    return [f for f in flags if f.confidence is None or f.confidence >= SILENT]


def _mark_doubtful(f: Flag, weakest: dict[str, Any]) -> None:
    if f.doubtful:
        return
    f.doubtful = True
    if f.severity == Severity.ERROR:
        f.severity = Severity.WARNING
    slip = f.evidence.get("misread")
    if slip is not None and (weakest is slip or weakest.get("confidence", 1.0) >= MISREAD):
        vi, en = misread.CAVEAT_LOST if slip["kind"] == "lost" else misread.CAVEAT
        args = {"raw": slip.get("raw") or "?", "as_": slip.get("as") or "?", "label": slip.get("label") or "?"}
        f.message = f"{vi.format(**args)} {f.message}"
        f.message_en = f"{en.format(**args)} {f.message_en}".strip()
        return
    variant = weakest.get("caveat") or ("absent" if weakest.get("role") == "absent" else "default")
    vi, en = render("doubtful", variant, {"raw": weakest.get("raw") or "?",
                                          "previous": weakest.get("previous") or "?",
                                          "confidence": round(100 * weakest["confidence"])})
    f.message = f"{vi} {f.message}"
    f.message_en = f"{en} {f.message_en}".strip()


def _own_reading(f: Flag, ctx: "Ctx") -> list[dict[str, Any]]:
    """A flag written without readings: the cell or the sentence it points at."""
    if f.table is not None and f.row is not None and f.column is not None:
        t = next((t for t in ctx.tables if t.id == f.table), None)
        if t is not None:
            c = next((col.index for col in t.columns if col.header == f.column), None)
            if c is not None and f.row < len(t.cells):
                return [cell_reading(t, f.row, c, "stated")]
    if f.sentence and f.stated:
        return [prose_reading(f.sentence, f.stated, "stated", f.section)]
    return []


def _read_confidence(rd: dict[str, Any], ctx: "Ctx") -> float | None:
    src = ctx.report.source
    conf: float | None = None
    pages: list[int] = []
    if rd.get("table") is not None:
        conf, pages = _cell_confidence(rd, ctx)
    elif rd.get("sentence"):
        conf, pages = _prose_confidence(rd, ctx)
    if not src.ocr:
        return conf
    if conf is None:
        conf = _page_confidence(src, pages)
    if rd.get("table") is None and not rd.get("sentence"):
        return conf  # not a number read from the text (a heading, a missing field)
    n = parse_number(str(rd.get("raw") or "").rstrip("%").strip())
    if conf is not None and ((n is not None and n.malformed) or _odd_separator(rd, ctx)):
        conf = min(conf, OCR_MALFORMED)
    return conf


_GROUPS = {"dot": re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?"), "comma": re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")}


def _odd_separator(rd: dict[str, Any], ctx: "Ctx") -> bool:
    """A cell grouping its thousands unlike the rest of its column ("370.500.000" among
    "380,500,000", "33,841,246"): a writer keeps one style, so OCR misread that cell."""
    if rd.get("table") is None or rd.get("col") is None:
        return False
    rec = next((t for t in ctx.report.tables if t.id == rd["table"]), None)
    if rec is None:
        return False
    raw = str(rd.get("raw") or "").strip()
    mine = next((k for k, rx in _GROUPS.items() if rx.fullmatch(raw)), None)
    if mine is None:
        return False
    c = rd["col"]
    column = [row[c].strip() for row in rec.rows + ([rec.total_row] if rec.total_row else [])
              if c < len(row)]
    same = sum(1 for x in column if _GROUPS[mine].fullmatch(x))
    other = sum(1 for k, rx in _GROUPS.items() if k != mine for x in column if rx.fullmatch(x))
    return other >= 3 and (same == 1 or same * 4 <= other)


def _cell_confidence(rd: dict[str, Any], ctx: "Ctx") -> tuple[float | None, list[int]]:
    rec = next((t for t in ctx.report.tables if t.id == rd["table"]), None)
    r, c = rd.get("row"), rd.get("col")
    if rec is None or r is None or c is None:
        return None, []
    conf = None
    if r < len(rec.values) and c < len(rec.values[r]) and rec.values[r][c] is not None:
        conf = rec.values[r][c].confidence
    pages = list(rec.location.pages)
    if r < len(rec.cell_locations) and c < len(rec.cell_locations[r]) and rec.cell_locations[r][c]:
        pages = list(rec.cell_locations[r][c].pages) or pages
    return conf, pages


def _prose_confidence(rd: dict[str, Any], ctx: "Ctx") -> tuple[float | None, list[int]]:
    raw = str(rd.get("raw") or "").rstrip("%").strip()
    key = fold(rd["sentence"])
    pages: list[int] = []
    for fig in ctx.report.figures:
        if not fig.sentence or fig.raw.rstrip("%").strip() != raw:
            continue
        fk = fold(fig.sentence)
        if fk in key or key in fk:
            return fig.confidence, list(fig.location.pages)
    for s in ctx.sentences:
        if s.folded == key:
            pages = list(s.location.pages)
            break
    return None, pages


def _page_confidence(src: Source, pages: list[int]) -> float | None:
    """An OCR reading without a word confidence: its page's, else the document's."""
    for pq in src.pages:
        if pages and pq.page == pages[0]:
            if pq.method == "text":
                return None
            return pq.confidence if pq.confidence is not None else GRADE_CONFIDENCE[pq.grade]
    if src.ocr_confidence is not None:
        return max(0.0, min(1.0, src.ocr_confidence / 100))
    if src.grade is not None:
        return GRADE_CONFIDENCE[src.grade]
    return OCR_UNMEASURED


def order(flags: list[Flag]) -> list[Flag]:
    """Doubtful flags after the others, each part in its original order."""
    return [f for f in flags if not f.doubtful] + [f for f in flags if f.doubtful]

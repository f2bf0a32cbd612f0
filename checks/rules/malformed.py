"""malformed_number: a number not well formed by Vietnamese rules ("8.28"), in a cell or in prose.

The suggestion comes from context when it can: a total whose rows add up to the digits read as
one number, a body cell that its column total or its row implies; otherwise the reader's
likeliest reading. A column that writes all its decimals with "." ("8.00", "7.50") follows a
style, not a typo, and is not flagged cell by cell. In prose only counts are flagged ("8.28
lượt người" cannot be a decimal); "8.5%" or "1.5 tỷ" is an English-style decimal, not an error.
An amount with a group of four digits or more after a point ("4.2150 triệu đồng"), or written
with two points or more and a group not of three digits ("186.50.000 đồng"), is flagged
without a suggestion: no reading of it is likelier than another (in a scan as a doubtful reading:
a lost decimal comma reads alike). In OCR text, malformations that are how OCR misreads (a gap inside a number, a trailing mark, a
comma read as a point) are not flagged; the others are, as doubtful readings (checks.confidence).
Nor is a number a PDF text layer spaced out ("5 .681.828").
"""
from __future__ import annotations

import re

from checks.confidence import cell_reading, prose_reading
from checks.context import Ctx
from checks.lexicon import COUNT_KINDS
from checks.messages import num, suggestion_text
from checks.registry import make_flag, rule
from checks.rules.row_sums import group_rows
from checks.tables_view import TableView, readings, two_values
from checks.rules.totals import as_number, column_sums
from models.document import Format
from models.report import Severity


@rule("malformed_number", Severity.WARNING, "Số viết sai quy cách",
      "A number not well formed by Vietnamese rules")
def malformed_number(ctx: Ctx):
    ocr = ctx.report.source.ocr
    pdf = ctx.report.source.format in (Format.PDF, Format.SCANNED_PDF)
    for t in ctx.tables:
        for r in range(len(t.cells)):
            for c in range(t.ncols):
                raw = t.raw(r, c)
                if t.malformed(r, c) and t.columns[c].role not in ("label", "ordinal", "empty") \
                        and not (ocr and ocr_artefact(raw)) and not (pdf and _GAP.fullmatch(raw)) \
                        and not (not ocr and two_values(raw)):
                    yield _cell_flag(t, r, c)
    for s in ctx.sentences:
        for m in s.mentions:
            if m.malformed and not m.percent and m.kind == "money" and (g := _bad_group(m.raw.strip())) \
                    and not (ocr and ocr_artefact(m.raw) and not _LONG_GROUP.fullmatch(m.raw.strip())):
                # in a scan, a comma OCR lost ("4.215,0") reads alike: the flag is then doubtful
                # (checks.confidence caps a malformed OCR reading at OCR_MALFORMED)
                yield _long_group_flag(ctx, s, m, g)
                continue
            if not m.malformed or m.percent or m.kind not in COUNT_KINDS or m.suggestion is None:
                continue
            if ocr and ocr_artefact(m.raw):
                continue
            if m.suggestion != int(m.suggestion):
                continue
            text = suggestion_text(m.raw, m.suggestion, "số đếm không có phần thập phân",
                                   "a count has no decimals")
            yield make_flag(
                "malformed_number", "default", {"stated": m.raw, "suggestion": m.suggestion},
                section=s.section, stated=m.raw, expected=as_number(m.suggestion), suggestion=text,
                sentence=s.text, location=ctx.locate(s, m.raw),
                evidence={"sentence": s.text, "unit": m.unit,
                          "readings": [prose_reading(s.text, m.raw, "stated", s.section)]})


# An amount whose last group after a point has four digits or more ("4.2150 triệu đồng"): neither
# a thousands group nor a decimal anyone writes; a digit typed twice or a point misplaced.
_LONG_GROUP = re.compile(r"\d{1,3}(?:\.\d{3})*\.(\d{4,6})")
# Two points or more, a group after one of them not of three digits ("186.50.000 đồng",
# "35.000.00 đồng"): thousands grouped wrong, or a decimal point among thousands points.
_DOTTED = re.compile(r"\d{1,3}(?:\.\d{1,6}){2,}")


def _bad_group(raw: str) -> str | None:
    """The first ill-sized group of an amount written with thousands points, or None."""
    g = _LONG_GROUP.fullmatch(raw)
    if g:
        return g.group(1)
    if _DOTTED.fullmatch(raw):
        return next((x for x in raw.split(".")[1:] if len(x) != 3), None)
    return None


def _long_group_flag(ctx: Ctx, s, m, group: str):
    return make_flag(
        "malformed_number", "long_group", {"stated": m.raw, "group": group, "digits": len(group)},
        section=s.section, stated=m.raw, sentence=s.text, location=ctx.locate(s, m.raw),
        evidence={"sentence": s.text, "unit": m.unit,
                  "readings": [prose_reading(s.text, m.raw, "stated", s.section)]})


# How OCR misreads a well-formed number: a gap inside it ("1 34", "206 33"), a trailing mark
# ("178.", "14,"), a doubled sign ("7.46%%"), a comma taken for a point ("84.4", "9.59%").
_OCR_ARTEFACT = re.compile(r".*\d\s+\d.*|.*\d[.,]\s*%?|.*%%|.*\.\s+\d.*|\d+\.\d{1,2}\s*%?|\d+\.\d{4,}\s*%?"
                           r"|\d{1,3}(\.\d{3})+\.\d{1,2}")  # "3.650.0" for "3.650,0"


# A PDF text layer spacing out a justified number ("5 .681.828", "2 49,84").
_GAP = re.compile(r"[-−]?\d{1,3}\s+[.,]?\d[\d.,]*%?")


def ocr_artefact(raw: str) -> bool:
    """A malformed number in OCR text whose malformation is how OCR misreads, not how people
    miswrite: flagging it would report the scan, not the report."""
    return bool(_OCR_ARTEFACT.fullmatch(raw.strip()))


def _cell_flag(t: TableView, r: int, c: int):
    n = t.nums[r][c]
    value, why_vi, why_en = _suggest(t, r, c)
    col = t.columns[c].header
    return make_flag(
        "malformed_number", "default", {"stated": n.raw, "suggestion": value},
        section=t.rec.section, table=t.id, row=r, column=col, stated=n.raw,
        expected=None if value is None else as_number(value),
        suggestion=None if value is None else suggestion_text(n.raw, value, why_vi, why_en),
        location=t.location(r, c), evidence={"row_label": t.label(r), "reason": why_en,
                                             "readings": [cell_reading(t, r, c, "stated")]})


def _suggest(t: TableView, r: int, c: int) -> tuple[float | None, str, str]:
    n = t.nums[r][c]
    if r == t.T:
        fit = t.total_fit(c)
        if fit is not None:
            return fit[2], f"các dòng cộng lại bằng {num(fit[2])}", f"the rows add up to {num(fit[2])}"
        sums = column_sums(t, c)
        if sums:
            s = sums[0][2]
            return s, f"các dòng cộng lại bằng {num(s)}", f"the rows add up to {num(s)}"
    elif t.T is not None and t.value(t.T, c) is not None:
        others = [t.effective(x, c) for x in t.top_rows if x != r]
        implied = t.value(t.T, c) - sum(v for v in others if v is not None)
        if any(abs(implied - x) < 1e-6 for x in readings(n.raw)):
            return implied, f"dòng tổng cho {num(implied)}", f"the column total implies {num(implied)}"
    for g in t.groups:
        if g.mode == "complete" and r in group_rows(t) and c in [g.whole] + g.parts:
            others = [t.effective(r, p) for p in g.parts if p != c]
            if c == g.whole:
                implied = sum(v or 0 for v in others)
            elif t.effective(r, g.whole) is not None:
                implied = t.effective(r, g.whole) - sum(v or 0 for v in others)
            else:
                continue
            if any(abs(implied - x) < 1e-6 for x in readings(n.raw)):
                return implied, f"các ô trong dòng cho {num(implied)}", f"the row implies {num(implied)}"
    others = [t.raw(x, c) for x in range(len(t.cells)) if x != r and t.value(x, c) is not None]
    m = re.fullmatch(r"(\d+)\.(\d+)", n.raw.rstrip("%").strip())
    dec = float(f"{m.group(1)}.{m.group(2)}") if m else None
    if dec is not None and others and sum("," in o for o in others) * 2 >= len(others):
        return dec, "cột này ghi số thập phân", "the column holds decimals"
    if dec is not None and ("%" in n.raw or t.columns[c].role in ("percent", "nonsum")
                            or any(re.search(r"\d[.,]\d{1,2}%?$", o) for o in others)):
        # "133.33 %", a growth index or a column of decimals: an English decimal point, not
        # a thousands group (13.333 would be a hundred times off)
        return dec, "số thập phân viết bằng dấu chấm", "a decimal written with a point"
    if n.suggestion is None:
        return None, "", ""
    return n.suggestion, "đọc các chữ số thành một số", "the digits read as one number"

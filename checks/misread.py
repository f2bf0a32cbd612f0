"""Would one misread reading explain a flag? (checks.confidence caps such a flag on a scan.)

Tesseract confuses a few digit shapes (0/8, 0/6, 0/9, 1/7, 1/4, 3/8, 5/6, 5/3, 2/7, 6/8, 4/9), and
now and then drops a digit or reads one twice. A numeric flag on a scan whose discrepancy one such
slip in one of its readings would cancel exactly (the stated number becomes the computed one, the
compared table value becomes the stated one, a summed part moves by the difference, a ratio's
numerator or denominator gives the stated rate) rests on that reading as much as on the writer.

Two slips are the writer's, not the scanner's, and keep the flag confident however they could also
be explained: the stated and the computed (or compared) numbers differing by two adjacent digits
swapped ("146.475" for "164.475"), or by a round amount (one unit of one digit: "1.245" for
"1.345", "60,7" for "50,7"). A reading read with very high confidence (SURE: in a table, the three
readings of a number agreeing give 0.96-0.97; two of three agreeing give at most 0.70) is trusted.

`explain(flag)` returns how, or None: {"raw", "as", "role", "kind"} for a digit, or
{"kind": "lost", "row", …} for a summed column whose cell the scan read blank on a row that has
numbers in its other columns (a total short by that cell).
"""
from __future__ import annotations

import re
from typing import Any

from extractors.text.numbers import parse_number
from models.report import Flag, TableRecord

SURE = 0.95  # a reading at least this confident is taken as read
CONFUSABLE: dict[str, str] = {}
for _a, _b in ("08", "06", "09", "17", "14", "38", "56", "35", "27", "68", "49"):
    CONFUSABLE[_a] = CONFUSABLE.get(_a, "") + _b
    CONFUSABLE[_b] = CONFUSABLE.get(_b, "") + _a

ADDITIVE = {"total_mismatch", "row_sum_mismatch", "balance_mismatch", "count_mismatch",
            "prose_table_mismatch"}
RATIO = {"ratio_mismatch"}

CAVEAT = (
    "Bản quét có thể bị đọc sai: chỉ cần một chữ số của «{raw}» bị đọc nhầm (có thể là «{as_}») "
    "là số liệu khớp, cần đối chiếu bản gốc.",
    "The scan may be misread: one misread digit in “{raw}” (“{as_}”) would make the numbers agree; "
    "check the original.",
)
CAVEAT_LOST = (
    "Bản quét có thể bị đọc sai: ô của dòng «{label}» trong cột này đọc được để trống, có thể số "
    "trong ô đã không được nhận ra, cần đối chiếu bản gốc.",
    "The scan may be misread: the cell of row “{label}” in this column was read blank; its number "
    "may have been lost; check the original.",
)


def variants(raw: str) -> list[tuple[str, str]]:
    """The numbers `raw` may have been before one OCR slip: (text, kind), kind "confused" (a
    digit read as a look-alike), "doubled" (a digit read twice) or "dropped" (a digit lost)."""
    out: list[tuple[str, str]] = []
    idx = [i for i, ch in enumerate(raw) if ch.isdigit()]
    for i in idx:
        for d in CONFUSABLE.get(raw[i], ""):
            out.append((raw[:i] + d + raw[i + 1:], "confused"))
        if i + 1 < len(raw) and raw[i + 1] == raw[i]:
            out.append((raw[:i] + raw[i + 1:], "doubled"))
    if idx:
        for i in range(idx[0], idx[-1] + 2):
            if i <= len(raw) and (i - 1 in idx or i in idx):
                for d in "0123456789":
                    if i == idx[0] and d == "0":
                        continue  # not a leading zero
                    out.append((raw[:i] + d + raw[i:], "dropped"))
    return out


def _value(raw: Any) -> float | None:
    n = parse_number(str(raw or "").strip().rstrip("%").strip())
    return n.value if n is not None and not n.malformed else None


def _decimals(raw: str) -> int:
    m = re.search(r",(\d+)$", raw.rstrip("%").strip())  # Vietnamese decimal comma
    return len(m.group(1)) if m else 0


def _digits(x: float, d: int) -> str:
    return f"{abs(x):.{d}f}".replace(".", "").lstrip("0") or "0"


def writers_slip(a_raw: str, b: float) -> bool:
    """`a_raw` against `b`: two adjacent digits swapped, or one unit of one digit apart."""
    a = _value(a_raw)
    if a is None:
        return False
    d = _decimals(a_raw)
    diff = abs(a - b)
    for k in range(-d, 16):
        if abs(diff - 10.0 ** k) <= 1e-6 * max(1.0, diff):
            return True
    x, y = _digits(a, d), _digits(b, d)
    if len(x) != len(y) or x == y:
        return False
    bad = [i for i in range(len(x)) if x[i] != y[i]]
    return len(bad) == 2 and bad[1] == bad[0] + 1 and x[bad[0]] == y[bad[1]] and x[bad[1]] == y[bad[0]]


def _target(f: Flag) -> float | None:
    for v in (f.computed, f.table_value, f.expected):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
        if isinstance(v, str) and _value(v) is not None:
            return _value(v)
    return None


def explain(f: Flag, tables: list[TableRecord] | None = None) -> dict[str, Any] | None:
    """How one OCR slip in one reading would explain the flag, or None (see the module doc)."""
    if f.rule not in ADDITIVE | RATIO:
        return None
    readings = [rd for rd in f.evidence.get("readings") or [] if rd.get("role") in ("stated", "part", "compared")]
    stated, target = _value(f.stated), _target(f)
    if stated is None or target is None or not readings:
        return None
    if writers_slip(str(f.stated), target):
        return None
    compared = next((rd for rd in readings if rd["role"] == "compared"), None)
    if compared is not None and _value(compared.get("raw")) is not None and writers_slip(
            str(f.stated), _value(compared["raw"])):
        return None
    if f.rule in RATIO:
        hit = _ratio(f, readings, stated)
    else:
        hit = _additive(readings, stated, target)
    if hit is None and f.rule == "total_mismatch" and tables is not None:
        hit = _lost_cell(f, readings, stated - target, tables)
    return hit


def _doubt(rd: dict[str, Any]) -> bool:
    """A reading OCR made that is not read with very high confidence."""
    c = rd.get("confidence")
    return c is not None and c < SURE


def _additive(readings: list[dict[str, Any]], stated: float, target: float) -> dict[str, Any] | None:
    delta = stated - target
    dec = max((_decimals(str(rd.get("raw") or "")) for rd in readings), default=0)
    tol = 1e-6 * max(1.0, abs(stated)) + (0.5 * 10 ** -dec * len(readings) if dec else 0.0)
    for rd in readings:
        raw = str(rd.get("raw") or "").strip()
        v = _value(raw)
        if v is None or not _doubt(rd):
            continue
        for alt, kind in variants(raw.rstrip("%").strip()):
            w = _value(alt)
            if w is None or w == v:
                continue
            if rd["role"] == "stated":
                ok = abs(w - target) <= tol
            elif rd["role"] == "compared":
                ok = abs(stated - w) <= tol
            else:  # a part, added or subtracted
                ok = abs(abs(w - v) - abs(delta)) <= tol
            if ok:
                return {"kind": kind, "role": rd["role"], "raw": raw, "as": alt}
    return None


def _ratio(f: Flag, readings: list[dict[str, Any]], stated: float) -> dict[str, Any] | None:
    ratio = f.evidence.get("ratio")
    unit = f.evidence.get("rounding_unit") or 1.0
    parts = [rd for rd in readings if rd["role"] == "part"]
    st = next((rd for rd in readings if rd["role"] == "stated"), None)
    if not isinstance(ratio, (int, float)) or len(parts) != 2 or st is None:
        return None
    fits = lambda r, s: -0.6 * unit <= r - s <= unit + 1e-9  # noqa: E731 (percentages._fits)
    a, b = _value(parts[0].get("raw")), _value(parts[1].get("raw"))
    for rd in [st] + parts:
        raw = str(rd.get("raw") or "").strip()
        v = _value(raw)
        if v is None or not _doubt(rd):
            continue
        for alt, kind in variants(raw.rstrip("%").strip()):
            w = _value(alt)
            if w is None or w == v:
                continue
            if rd is st:
                ok = fits(ratio, w)
            elif rd is parts[0]:
                ok = b is not None and b > 0 and fits(100.0 * w / b, stated)
            else:
                ok = a is not None and w > 0 and fits(100.0 * a / w, stated)
            if ok:
                return {"kind": kind, "role": rd["role"], "raw": raw, "as": alt}
    return None


def _lost_cell(f: Flag, readings: list[dict[str, Any]], delta: float,
               tables: list[TableRecord]) -> dict[str, Any] | None:
    """A column total larger than its rows, and a row between them whose cell in the column the
    scan read blank while the row has numbers in other columns: that cell was likely lost."""
    st = next((rd for rd in readings if rd["role"] == "stated"), None)
    rows = [rd.get("row") for rd in readings if rd["role"] == "part" and rd.get("row") is not None]
    if st is None or st.get("table") is None or st.get("col") is None or not rows or delta <= 0:
        return None
    rec = next((t for t in tables if t.id == st["table"]), None)
    if rec is None:
        return None
    c = st["col"]
    kids = {k for ks in rec.children.values() for k in ks}
    for r in range(max(0, min(rows) - 1), min(max(rows) + 2, len(rec.rows))):
        if r in rows or c >= len(rec.rows[r]) or rec.rows[r][c].strip():
            continue
        if (r in kids) != any(x in kids for x in rows):
            continue  # a child row under summed parents, or a parent among summed children
        vals = rec.values[r] if r < len(rec.values) else []
        if any(v is not None and v.value is not None for k, v in enumerate(vals) if k != c):
            label = next((x for x in rec.rows[r][:c] if x.strip() and not x.strip().isdigit()), "")
            return {"kind": "lost", "role": "part", "row": r, "raw": "", "label": label.strip()}
    return None

"""The held-out fixture sets, scored as acceptance scores them (the corpus's evaluate.py functions
on the record `baocao extract --json` prints), one test per set and form, over all its reports.

- `flags`, `flags2`, `flags3`, `flags4`: reports from other offices with seeded errors and traps,
  written blind and scored before the checks were tuned on them (each set's README gives that
  first score). Issue 10: seeded errors found
  ≥ 95% in every text form and ≥ 80% in scans; no trap flagged.
- `layouts`: borderless, horizontally ruled and landscape tables, plain headings; scans at
  200 dpi, 150 dpi and faded-and-skewed. Issue 11: sections and table cells ≥ 0.99 on text forms,
  ≥ 0.95 on scans.

Where a set is below its target today, the floor here is what it reaches (a regression guard),
and the gap is printed and recorded in the closing note, not hidden.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, load_evaluate
from test_scoring import score

TEXT_FORMS = ["docx", "doc", "pdf", "tcvn3.docx", "vni.docx"]
SCAN_FORMS = ["scan.pdf"]
LAYOUT_SCANS = ["scan.pdf", "scan150.pdf", "faded.pdf"]

# (set, form) -> {metric: floor}; "found" is the share of seeded errors found over the set.
FLAGS_TEXT = {"found": 0.95, "false_alarms": 0}
FLAGS_SCAN = {"found": 0.80, "false_alarms": 0}
LAYOUT_TEXT = {"sections": 0.99, "section_precision": 0.99, "tables": 0.99}
LAYOUT_SCAN = {"sections": 0.95, "section_precision": 0.95, "tables": 0.95}
# Below target today, held at what they reach so that they cannot slip back (none at present:
# the scans of flags2 and flags3, short until 2026-12-06, now meet theirs).
SHORT_OF_TARGET: dict[tuple[str, str], dict[str, float]] = {}


def _cases():
    out = []
    for name in ("flags", "flags2", "flags3", "flags4"):
        for form in TEXT_FORMS + SCAN_FORMS:
            floor = FLAGS_SCAN if form in SCAN_FORMS else FLAGS_TEXT
            out.append((name, form, floor))
    for form in ["docx", "doc", "pdf"] + LAYOUT_SCANS:
        out.append(("layouts", form, LAYOUT_SCAN if form in LAYOUT_SCANS else LAYOUT_TEXT))
    params = []
    for name, form, floor in out:
        floor = SHORT_OF_TARGET.get((name, form), floor)
        if not (FIXTURES / name / "gold").is_dir():
            continue
        slow = form in ("doc",) or form in LAYOUT_SCANS
        params.append(pytest.param(name, form, floor, id=f"{name}.{form}",
                                   marks=[pytest.mark.slow] if slow else []))
    return params


def _documents(root: Path, form: str):
    for gold_path in sorted((root / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = root / "docs" / f"{gold['document']}.{form}"
        if doc.exists():
            yield gold, doc


@pytest.mark.parametrize("name,form,floor", _cases())
def test_held_out_set_meets_its_floor(name, form, floor, extract):
    ev = load_evaluate()
    seeded = found = false_alarms = 0
    per_metric: dict[str, list[float]] = {}
    lines = []
    for gold, doc in _documents(FIXTURES / name, form):
        m = score(ev, gold, json.loads(extract(doc).to_json()))
        n = len(gold.get("flags", []))
        seeded += n
        found += round(m["flags"] * n)
        false_alarms += m["false_alarms"]
        for k, v in m.items():
            if isinstance(v, float):
                per_metric.setdefault(k, []).append(v)
        if m["flags"] < 1 or m["false_alarms"] or m.get("tables", 1) < 1 or m["sections"] < 1:
            lines.append(f"  {doc.name}: " + " ".join(
                f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in m.items()))
    if not per_metric:
        pytest.skip(f"no {form} documents in {name}")
    got = {k: sum(v) / len(v) for k, v in per_metric.items()}
    got["found"] = found / seeded if seeded else 1.0
    got["false_alarms"] = false_alarms
    print(f"\n{name}.{form}: found {found}/{seeded}, false alarms {false_alarms}, "
          + " ".join(f"{k} {v:.3f}" for k, v in sorted(got.items()) if isinstance(v, float)))
    print("\n".join(lines))
    short = {}
    for k, lo in floor.items():
        if k == "false_alarms":
            if got[k] > lo:
                short[k] = got[k]
        elif got.get(k, 1.0) < lo:
            short[k] = round(got[k], 3)
    assert not short, f"{name}.{form} below its floor {floor}: {short}\n" + "\n".join(lines)

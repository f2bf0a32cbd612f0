"""Checks against gold: every gold flag found, no must_not_flag raised, scored with the corpus's
own evaluate.py (score_flags).

Two ways in. (1) Reports built from the annotated sources (src/*.txt markup + gold tables and
metadata), so the checks are measured whatever state extraction is in. (2) End to end, through
`extract_report(read_document(path))` on every form; a gold flag whose extraction stage is still a
placeholder (returns nothing) is skipped with the reason, the rest must be found.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from checks import run_checks
from checks.rules.references import parse_citations
from checks.text import fold
from conftest import CORPUS, FIXTURES, load_evaluate
from extractors.tables.build import table_record
from models.document import Cell, Format, Provenance, Source, Table
from models.report import Metadata, Period, Reference, Report, Section, TableRecord

OWN = FIXTURES / "corpus"
ROOTS = [CORPUS, OWN]
FORMS = ["docx", "doc", "pdf", "tcvn3.docx"]


def gold_files() -> list[Path]:
    return [g for root in ROOTS for g in sorted((root / "gold").glob("*.json"))]


# --- a Report from the markup source and the gold annotation -------------------------------------

_HEAD = re.compile(r"^((?:PHẦN|Phần)\s+[IVXLC]+\s*[-.:]?|[IVXLC]+\s*[.\-:]|\d+(?:\.\d+)*\s*[.:/)]?|[a-zđ]\))\s*(.*)$")


def _split_heading(text: str) -> tuple[str | None, str]:
    m = _HEAD.match(text.strip())
    if not m:
        return None, text.strip()
    return m.group(1).strip(), m.group(2).strip().rstrip(":;").strip()


def report_from_gold(gold_path: Path) -> Report:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    src = gold_path.parent.parent / "src" / f"{gold['document']}.txt"
    lines = src.read_text(encoding="utf-8").splitlines()
    gsecs = list(gold["sections"])
    gtables = list(gold.get("tables") or [])
    sections: list[Section] = []
    texts: list[list[str]] = []
    tables: list[TableRecord] = []
    preamble: list[str] = []
    block = None
    for line in lines:
        if line.startswith("[") and line.endswith("]") and not line.startswith("[/"):
            block = line.strip("[]")
            if block == "table" and gtables:
                g = gtables.pop(0)
                tables.append(TableRecord(id=f"t{len(tables) + 1}", section=g.get("section"),
                                          columns=g["columns"], rows=g["rows"],
                                          total_row=g.get("total_row"), **_hierarchy(g)))
            continue
        if line.startswith("[/"):
            block = None
            continue
        if block is not None or line.startswith("="):
            continue
        if line.startswith("#"):
            level = 1 if not line.startswith("##") else 2
            body = line.lstrip("#").strip()
            head, _, rest = body.partition("|")
            label, title = _split_heading(head)
            if level == 2 and label:
                if re.fullmatch(r"\d+(\.\d+)+\s*[.:]?", label):  # "2.1:" under "2."
                    level = len(label.strip(" .:").split(".")) + 1
                elif re.fullmatch(r"[a-zđ]\)", label):
                    level = 3
            if not gsecs or not _same_title(title or head, gsecs[0]["title"]):
                # not an annotated section: a part label whose title follows ("PHẦN THỨ NHẤT"),
                # or an unnumbered bold lead-in ("Về an ninh chính trị:"), which is body text
                if sections:
                    texts[-1].append(" ".join(x for x in (head.strip(), rest.strip()) if x))
                continue
            g = gsecs.pop(0)
            # the gold number's depth says the level: PHẦN / A., B. hold the Roman sections, and a
            # report may set "1." under "II." as a heading line of its own, bold like "II."
            level = len(g["number"].split("."))
            sections.append(Section(number=g["number"], title=g["title"], level=level, label=label))
            texts.append([rest.strip()] if rest.strip() else [])
            continue
        if line.strip() and not sections:
            preamble.append(line.strip())
        elif sections and line.strip():
            texts[-1].append(line.strip())
    for s, t in zip(sections, texts):
        s.text = "\n".join(t)
    md = gold.get("metadata") or {}
    meta = Metadata(**{k: v for k, v in md.items() if k != "period"},
                    period=Period(**(md.get("period") or {})))
    src_model = Source(path=str(src), sha256="0" * 64, format=Format.DOCX, size=0)
    refs = [Reference(raw=c.code, code=c.code, kind=c.type_code, sentence=c.sentence)
            for text in preamble for c in parse_citations(text, None, Provenance())]
    return Report(source=src_model, metadata=meta, sections=sections, tables=tables, references=refs)


class _NoOutline:
    def section_of(self, block_index: int) -> None:
        return None


def _hierarchy(g: dict) -> dict:
    """Parent rows and their children, as the table extractor reads them from the gold rows
    (gold does not annotate them); nothing when the extractor's rows do not line up."""
    grid = [g["columns"]] + g["rows"] + ([g["total_row"]] if g.get("total_row") else [])
    n = max(len(r) for r in grid)
    t = Table(n_rows=len(grid), n_cols=n,
              cells=[Cell(row=i, col=j, text=x) for i, r in enumerate(grid) for j, x in enumerate(r)])
    rec = table_record(t, "t0", 0, _NoOutline())
    if rec is None or rec.rows != g["rows"]:
        return {}
    return {"parent_rows": rec.parent_rows, "children": rec.children}


def _same_title(heading: str, gold_title: str) -> bool:
    """A markup heading is the gold section when the gold title's words stand in it."""
    hw, gw = set(re.findall(r"\w+", fold(heading))), re.findall(r"\w+", fold(gold_title))
    return bool(gw) and sum(w in hw for w in gw) * 5 >= 4 * len(gw)


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.stem)
def test_gold_built_reports_meet_acceptance(gold_path: Path):
    ev = load_evaluate()
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    rep = report_from_gold(gold_path)
    flags = [json.loads(f.model_dump_json()) for f in run_checks(rep, strict=True)]
    recall, false_alarms, other = ev.score_flags(gold, flags)
    missed = [g for g in gold["flags"] if not any(ev.flag_matches(g, p, gold.get("parts", False)) for p in flags)]
    raised = [p for p in flags if any(ev.flag_matches(m, p, gold.get("parts", False)) for m in gold.get("must_not_flag", []))]
    print(f"\n{gold['document']} (built from gold): recall {recall:.2f} false_alarms {false_alarms} other {other}")
    assert recall == 1.0, f"missed: {missed}"
    assert false_alarms == 0, f"false alarms: {[(p['rule'], p['message']) for p in raised]}"


def test_flags_are_numbered_bilingual_and_located():
    rep = report_from_gold(CORPUS / "gold" / "duc-chinh-2020-h1.json")
    flags = run_checks(rep, strict=True)
    ids = [f.id for f in flags]
    assert len(ids) == len(set(ids))
    for f in flags:
        assert re.fullmatch(rf"{f.rule}:\d+", f.id)
        assert f.message and f.message_en and f.message != f.message_en
    total = next(f for f in flags if f.rule == "total_mismatch")
    assert total.stated == "8.28" and total.computed == 828
    assert "828" in total.suggestion
    mal = next(f for f in flags if f.rule == "malformed_number" and f.table)
    assert total.id in mal.related and mal.id in total.related
    assert total.culprit and mal.culprit
    # the prose of section IV agrees with the rows, and says so as evidence, not as a flag
    assert any(p["section"] == "IV" for p in total.evidence.get("prose_agrees", []))
    assert not [f for f in flags if f.rule == "prose_table_mismatch"]


# --- end to end ------------------------------------------------------------------------------

def _e2e_cases():
    out = []
    for root in ROOTS:
        for g in sorted((root / "gold").glob("*.json")):
            name = json.loads(g.read_text(encoding="utf-8"))["document"]
            for form in FORMS:
                f = root / "docs" / f"{name}.{form}"
                if f.exists():
                    marks = [pytest.mark.slow] if form == "doc" else []
                    out.append(pytest.param(g, f, id=f"{name}.{form}", marks=marks))
    return out


@pytest.mark.parametrize("gold_path,doc_path", _e2e_cases())
def test_end_to_end_flags(gold_path: Path, doc_path: Path, extract):
    ev = load_evaluate()
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    rep = extract(doc_path)
    flags = [json.loads(f.model_dump_json()) for f in run_checks(rep, strict=True)]
    parts = gold.get("parts", False)
    found = [g for g in gold["flags"] if any(ev.flag_matches(g, p, parts) for p in flags)]
    recall, false_alarms, other = ev.score_flags(gold, flags)
    print(f"\n{doc_path.name}: recall {recall:.2f} ({len(found)}/{len(gold['flags'])}) "
          f"false_alarms {false_alarms} other {other}")
    raised = [(p["rule"], p["message"]) for p in flags
              if any(ev.flag_matches(m, p, parts) for m in gold.get("must_not_flag", []))]
    assert not raised, f"false alarms: {raised}"
    missed = [g for g in gold["flags"] if g not in found]
    assert not missed, f"missed: {missed}"


@pytest.mark.slow
def test_recall_and_false_alarms_per_form(extract):
    """One line per form (all gold reports): flag recall and false alarms, as evaluate.py scores."""
    ev = load_evaluate()
    lines, short = [], []
    for form in FORMS:
        recalls, alarms, n = [], 0, 0
        for gp in gold_files():
            gold = json.loads(gp.read_text(encoding="utf-8"))
            doc = gp.parent.parent / "docs" / f"{gold['document']}.{form}"
            if not doc.exists():
                continue
            flags = [json.loads(f.model_dump_json()) for f in run_checks(extract(doc), strict=True)]
            recall, false_alarms, _ = ev.score_flags(gold, flags)
            recalls.append(recall)
            alarms += false_alarms
            n += 1
        if n:
            r = sum(recalls) / n
            lines.append(f"[{form}] reports {n} flag recall {r:.2f} false_alarms {alarms}")
            if r < 1.0 or alarms:
                short.append(form)
    print("\n" + "\n".join(lines))
    assert not short, lines


def test_whole_numbers_serialise_as_integers_for_the_scorer():
    ev = load_evaluate()
    rep = report_from_gold(OWN / "gold" / "hoi-nd-quy1-2023.json")
    flags = [json.loads(f.model_dump_json()) for f in run_checks(rep, strict=True)]
    nu = next(p for p in flags if p["rule"] == "total_mismatch" and p["column"].endswith("Nữ"))
    assert nu["computed"] == 520 and isinstance(nu["computed"], int)
    # a gold flag that gives only the computed value still matches
    assert ev.flag_matches({"rule": "total_mismatch", "computed": 520}, nu)

"""The `baocao_figures` spaCy component (extra `baocao[spacy]`): registered by entry point, marks
the same figures as the records, and the core never imports spaCy."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import CORPUS

spacy = pytest.importorskip("spacy", reason="the spacy extra is not installed")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("vi")
    nlp.add_pipe("baocao_figures")
    return nlp


def test_factory_comes_from_the_entry_point_without_importing_baocao():
    code = ("import sys, spacy; nlp = spacy.blank('vi'); nlp.add_pipe('baocao_figures'); "
            "d = nlp('Thu hút 2.215 người dân, đạt 96,5%.'); "
            "print([(s.text, s._.value, s._.unit) for s in d.spans['figures']])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[('2.215 người dân', 2215.0, 'người dân'), ('96,5%', 96.5, '%')]"


def test_spans_carry_value_unit_and_qualifier(nlp):
    doc = nlp("Năm 2020 tổ chức 17 lớp, thu hút trên 2.215 lượt người tham gia, đạt 96,5% kế hoạch; "
              "thực hiện Chỉ thị số 04-CT/TU ngày 12/3/2020, tổng kinh phí 785,87 triệu đồng.")
    got = [(s.text, s._.value, s._.unit, s._.qualifier, s._.kind) for s in doc.spans["figures"]]
    assert ("96,5%", 96.5, "%", None, "percent") in got
    assert any(v == 2215 and q == "trên" for _, v, _, q, _ in got)
    assert any(v == 785.87 and k == "money" for _, v, _, _, k in got)
    # the directive's number, its date and the year are not figures
    assert not any(v in (4, 12, 2020) for _, v, _, _, _ in got)


def test_same_figures_as_the_record(nlp, extract, read):
    """Every prose paragraph of a real report: the component's spans are the record's figures."""
    path = CORPUS / "docs" / "mao-khe-2021-chi-thi-04.docx"
    report, doc = extract(path), read(path)
    by_block: dict[int, list[tuple[float, str | None]]] = {}
    for f in report.figures:
        by_block.setdefault(f.location.block, []).append((f.value, f.unit))
    assert len(by_block) >= 5
    for block, want in by_block.items():
        text = doc.blocks[block].text
        marked = nlp(text)
        got = [(s._.value, s._.unit) for s in marked.spans["figures"]]
        # the record skips a heading's own number; the component sees the bare text
        assert all(w in got for w in want), (text, want, got)


def test_set_ents_keeps_existing_entities():
    nlp = spacy.blank("vi")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": "Hội Nông dân"}])
    nlp.add_pipe("baocao_figures", config={"set_ents": True})
    doc = nlp("Hội Nông dân có 1.150 hội viên.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Hội Nông dân", "ORG"), ("1.150 hội viên", "FIGURE")]


def test_the_core_never_imports_spacy(tmp_path):
    code = ("import sys, json; from pathlib import Path; "
            "from extractors.readers import read_document; from extractors.report import extract_report; "
            "import pipeline.cli, checks; "
            f"r = extract_report(read_document(Path({str(CORPUS / 'docs' / 'duc-chinh-2020-h1.docx')!r}))); "
            "print(json.dumps([m for m in ('spacy', 'pyvi', 'thinc', 'docx') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == []

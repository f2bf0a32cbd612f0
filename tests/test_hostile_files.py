"""Hostile files, tried as an attacker would: each one, built from scratch by
tests/fixtures/make_hostile.py, is read (read_document + extract_report) in a child process
held to 60 s and 1 GB of address space, and must end in time with either a clear InputError
naming the file and the reason, or a correct record.

Long runs without spaces (no scan may be quadratic in a run's length), zip and XML bombs
(unpacking is streamed and stopped at the limit, whatever the zip header says; a tree of
millions of elements is never built), billion-laughs entities (never expanded), 5000-digit
numbers (text, not figures), entity references inside runs (the text after them kept), tables
nested 300 deep, 10 000 paragraphs, 1-point hidden text, web pages and Word 2003 XML saved as
.doc (converted through LibreOffice), PDFs with a broken cross-reference table (repaired), cut
short, encrypted or empty.
"""
from __future__ import annotations

import importlib.util
import json
import os
import resource
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT

_spec = importlib.util.spec_from_file_location("make_hostile", FIXTURES / "make_hostile.py")
make_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_hostile)

TIME_LIMIT_S = 60
MEMORY_LIMIT = 1 << 30  # address space, bytes
NEEDS_LIBREOFFICE = {"web-page.doc", "web-archive.doc", "word-2003-xml.doc"}
SLOW = NEEDS_LIBREOFFICE | {"long-run.docx", "long-run-spaced.docx", "tiny-paragraphs.docx"}

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from extractors.readers import read_document
from extractors.report import extract_report
from models.document import Table
from models.errors import InputError
out = {}
try:
    doc = read_document(sys.argv[1])
    rec = extract_report(doc)
    text = doc.body_text()
    out = {"ok": True, "text": text if len(text) < 300000 else text[:150000] + text[-150000:], "format": doc.source.format.value,
           "pages": doc.source.page_count, "path": doc.source.path,
           "grids": [b.grid() for b in doc.blocks if isinstance(b, Table)][:3],
           "tables": [{"rows": t.rows, "values": [[None if v is None else v.value for v in r]
                                                  for r in t.values]} for t in rec.tables][:3],
           "figures": [f.value for f in rec.figures][:50], "n_figures": len(rec.figures)}
except InputError as e:
    out = {"ok": False, "kind": type(e).__name__, "path": e.path, "reason": e.reason,
           "message": str(e)}
out["seconds"] = round(time.perf_counter() - t0, 2)
out["rss_mb"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) >> 10
print("RESULT " + json.dumps(out, ensure_ascii=False))
"""


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def read_in_child(path) -> dict:
    """Read `path` in a child process held to TIME_LIMIT_S and MEMORY_LIMIT."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_THREAD_LIMIT="1",
               BAOCAO_SOFFICE_TIMEOUT=str(TIME_LIMIT_S - 20))
    try:
        cp = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                            timeout=TIME_LIMIT_S, preexec_fn=_limit, env=env, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name}: did not finish within {TIME_LIMIT_S} s")
    lines = [ln for ln in cp.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, f"{path.name}: the child died (exit {cp.returncode}): {cp.stderr[-2000:]}"
    return json.loads(lines[-1][len("RESULT "):])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    pytest.importorskip("pikepdf")
    return make_hostile.make_all(tmp_path_factory.mktemp("hostile"))


def _check_record(name: str, got: dict) -> None:
    """What the record of each readable hostile file must hold."""
    text = got["text"]
    if name in ("long-run.docx", "long-run-spaced.docx", "tiny-paragraphs.docx"):
        assert "Kết quả thực hiện nhiệm vụ năm 2024" in text
    if name == "tiny-paragraphs.docx":
        assert "Hộ số 9999 được hỗ trợ" in text and got["n_figures"] >= 10_000
    if name == "entity-bomb.docx":
        assert "và tiếp theo" in text and len(text) < 10_000  # never expanded
    if name == "big-number-paragraph.docx":
        assert "9" * 5000 in text and 1250 in got["figures"]
        assert all(v is None or v < 1e20 for v in got["figures"])  # the huge one is no figure
    if name == "big-number-cell.docx":
        (table,) = got["tables"]
        assert table["rows"][0][2] == "9" * 5000 and table["values"][0][2] is None
        assert table["values"][1][2] == 1250
    if name == "entities-in-runs.docx":
        assert "Thu & chi ngân sách <đạt> 100% kế hoạch, do Ủy ban nhân dân xã chỉ đạo, hoàn thành." in text
    if name in ("nested-tables.docx", "nested-runs.docx"):
        assert "Số hộ nghèo giảm 12 hộ" in text
    if name == "hidden-1pt.docx":
        assert "Số hộ nghèo giảm 12 hộ" in text and "999.999" not in text
    if name in NEEDS_LIBREOFFICE:
        assert got["format"] == "doc" and "Kết quả thực hiện nhiệm vụ năm 2024" in text
        assert got["grids"] and ["1", "Thu ngân sách", "1.250"] in got["grids"][0]
    if name.endswith(".pdf"):
        assert got["pages"] == 2 and "Tong thu ngan sach dat 1.250 trieu dong" in text


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n
                                  for n in make_hostile.HOSTILE])
def test_hostile_file_ends_in_time_and_memory(hostile, name):
    path, expect = hostile[name]
    if name in NEEDS_LIBREOFFICE and not (os.environ.get("BAOCAO_SOFFICE") or _which("soffice")):
        pytest.skip("LibreOffice is not installed")
    got = read_in_child(path)
    print(f"\n{name}: {got['seconds']} s, {got['rss_mb']} MB, "
          + ("record" if got["ok"] else f"{got['kind']}: {got['reason']}"))
    assert got["seconds"] < TIME_LIMIT_S and got["rss_mb"] < MEMORY_LIMIT >> 20
    allowed = set(expect.split("|"))
    if got["ok"]:
        assert make_hostile.RECORD in allowed, f"{name}: read, but it should raise {expect}"
        assert got["path"] == str(path)
        _check_record(name, got)
    else:
        assert got["kind"] in allowed, f"{name}: {got['kind']} ({got['reason']}), wanted {expect}"
        assert got["path"] == str(path) and got["message"].startswith(str(path)) and got["reason"]


def _which(name: str) -> str | None:
    import shutil

    return shutil.which(name)

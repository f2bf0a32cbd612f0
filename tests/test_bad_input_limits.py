"""Huge files and files that are not reports: typed errors naming the file and the reason,
and the rest of a batch goes on (CLI)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from conftest import DOCS
from extractors.readers import read_document
from extractors.report import extract_report
from models.errors import NotAReportError, TooLargeError

BAOCAO = str(Path(sys.executable).with_name("baocao"))


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (2 << 20))  # 2 MB of junk behind a PDF header
    monkeypatch.setenv("BAOCAO_MAX_MB", "1")
    with pytest.raises(TooLargeError) as e:
        read_document(big)
    assert "big.pdf" in str(e.value) and "MB limit" in e.value.reason


def test_pdf_over_the_page_limit_is_refused_before_ocr(monkeypatch):
    monkeypatch.setenv("BAOCAO_MAX_PAGES", "3")
    with pytest.raises(TooLargeError) as e:
        read_document(DOCS / "duc-chinh-2020-h1.scan.pdf")  # 5 pages, no text layer
    assert "page limit" in e.value.reason and e.value.path.endswith("duc-chinh-2020-h1.scan.pdf")


def test_a_bad_limit_setting_says_which(monkeypatch, tmp_path):
    monkeypatch.setenv("BAOCAO_MAX_MB", "lots")
    with pytest.raises(ValueError, match="BAOCAO_MAX_MB"):
        read_document(DOCS / "duc-chinh-2020-h1.docx")


def _note(path: Path, *lines: str) -> Path:
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(str(path))
    return path


def test_a_short_note_is_not_a_report(tmp_path):
    note = _note(tmp_path / "ghi-chu.docx", "Nhớ gọi điện cho chị Hoa chiều mai.", "Mua giấy in.")
    with pytest.raises(NotAReportError) as e:
        extract_report(read_document(note))
    assert "ghi-chu.docx" in str(e.value)


def test_a_short_report_is_still_a_report(tmp_path):
    short = _note(tmp_path / "bc.docx", "BÁO CÁO", "Kết quả tháng 10 năm 2025",
                  "Tổ chức 3 buổi tuyên truyền, thu hút 120 lượt người tham gia.")
    rep = extract_report(read_document(short))
    assert rep.metadata.document_type == "báo cáo" and any(f.value == 120 for f in rep.figures)


def test_cli_goes_on_past_a_non_report_and_names_it(tmp_path):
    note = _note(tmp_path / "ghi-chu.docx", "Nhớ gọi điện cho chị Hoa chiều mai.")
    good = DOCS / "mao-khe-2021-chi-thi-04.docx"
    cp = subprocess.run([BAOCAO, "extract", str(note), str(good), "--json"],
                        capture_output=True, text=True, timeout=120)
    assert cp.returncode == 1
    records = [json.loads(line) for line in cp.stdout.splitlines()]
    assert [Path(r["source"]["path"]).name for r in records] == [good.name]
    assert "ghi-chu.docx" in cp.stderr and "no report in it" in cp.stderr


def test_a_garbage_text_layer_is_not_a_report(tmp_path):
    """Random characters (a broken text layer) produce 'figures' from stray digits; the text is
    not Vietnamese, so it is refused with the reason, not loaded as a report."""
    import random

    rng = random.Random(7)
    lines = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 .,") for _ in range(120))
             for _ in range(30)]
    junk = _note(tmp_path / "rac.docx", *lines)
    with pytest.raises(NotAReportError) as e:
        extract_report(read_document(junk))
    assert "not Vietnamese" in e.value.reason and "rac.docx" in str(e.value)


def test_every_real_report_passes_the_report_test():
    from conftest import REAL

    for f in sorted(REAL.glob("*")):
        rep = extract_report(read_document(f))  # raises NotAReportError if refused
        assert rep.source.path.endswith(f.name)

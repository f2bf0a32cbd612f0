"""Confidence on every flag: from the OCR word confidence of the numbers it compares, a decoded
legacy encoding and a guessed unit match; below the threshold a flag is doubtful, says that the
scan may be misread, is at most a warning and comes after the confident flags."""
from __future__ import annotations

import pytest

from checks import run_checks
from checks.confidence import GUESSED_UNIT_FACTOR, LEGACY_FACTOR, THRESHOLD, assess
from checks.context import Ctx
from extractors.report import extract_report
from models.document import (Cell, Document, Encoding, Format, Grade, PageQuality, Paragraph,
                             Provenance, Run, Source, Table)
from models.report import Figure, Flag, Report, Severity, TableRecord


def _cells(rows, conf):
    return [Cell(row=r, col=c, text=t, paragraphs=[Paragraph(text=t, runs=[Run(text=t)])],
                 confidence=conf(r, c), provenance=Provenance(pages=[1]))
            for r, row in enumerate(rows) for c, t in enumerate(row)]


HOUSEHOLDS = [["TT", "Thôn", "Số hộ"], ["1", "Thôn Đông", "120"], ["2", "Thôn Tây", "135"],
              ["3", "Thôn Nam", "98"], ["", "Tổng số", "371"]]  # 353 by the rows
MEMBERS = [["TT", "Chi hội", "Số hội viên"], ["1", "Chi hội 1", "45"], ["2", "Chi hội 2", "52"],
           ["", "Cộng", "99"]]  # 97 by the rows


def _doc(low_cell=None, ocr=True, encoding=Encoding.UNICODE, low=0.31, pages=()):
    def conf(table):
        def f(r, c):
            if not ocr:
                return None
            return low if (table, r, c) == low_cell else 0.95
        return f
    head = Paragraph(text="I. TÌNH HÌNH CHUNG", runs=[Run(text="I. TÌNH HÌNH CHUNG", bold=True)])
    prose = Paragraph(text="Kết quả rà soát hộ dân và hội viên các chi hội như sau:",
                      runs=[Run(text="Kết quả rà soát hộ dân và hội viên các chi hội như sau:",
                                confidence=0.95 if ocr else None)])
    head2 = Paragraph(text="II. CÔNG TÁC HỘI", runs=[Run(text="II. CÔNG TÁC HỘI", bold=True)])
    prose2 = Paragraph(text="Số hội viên của các chi hội như bảng dưới đây.",
                       runs=[Run(text="Số hội viên của các chi hội như bảng dưới đây.")])
    src = Source(path="x.pdf", sha256="0" * 64, format=Format.SCANNED_PDF if ocr else Format.PDF,
                 size=1, ocr=ocr, encoding=encoding, pages=list(pages))
    return Document(source=src, blocks=[
        head, prose, Table(n_rows=5, n_cols=3, cells=_cells(HOUSEHOLDS, conf(1))),
        head2, prose2, Table(n_rows=4, n_cols=3, cells=_cells(MEMBERS, conf(2)))])


def _totals(rep):
    return {f.table: f for f in rep.flags if f.rule == "total_mismatch"}


def test_total_resting_on_an_unreadable_cell_is_doubtful_warned_and_sorted_last():
    rep = extract_report(_doc(low_cell=(1, 2, 2), low=0.5))  # "135" read at 50%: doubtful, not silent
    tm = _totals(rep)
    assert set(tm) == {"t1", "t2"}
    weak, sure = tm["t1"], tm["t2"]
    assert weak.doubtful and weak.confidence == pytest.approx(0.5)
    assert weak.severity == Severity.WARNING
    assert weak.message.startswith("Bản quét có thể bị đọc sai: số «135»")
    assert "dòng tổng ghi 371" in weak.message  # what was compared is still said
    assert not sure.doubtful and sure.severity == Severity.ERROR and sure.confidence == pytest.approx(0.95)
    order = [f.id for f in rep.flags]
    assert order.index(sure.id) < order.index(weak.id)
    assert all(not f.doubtful for f in rep.flags[:order.index(weak.id)])
    assert all(f.doubtful for f in rep.flags[order.index(weak.id):])


def test_a_low_stated_total_is_doubtful_too():
    rep = extract_report(_doc(low_cell=(1, 4, 2), low=0.4))
    f = _totals(rep)["t1"]
    assert f.doubtful and "«371»" in f.message


def test_confident_scan_flags_stay_confident():
    rep = extract_report(_doc(low_cell=None))
    assert {f.table: (f.doubtful, f.confidence) for f in _totals(rep).values()} == {
        "t1": (False, 0.95), "t2": (False, 0.95)}


def test_every_numeric_flag_names_what_it_read():
    rep = extract_report(_doc(low_cell=None))
    f = _totals(rep)["t1"]
    roles = [(r["role"], r["raw"]) for r in f.evidence["readings"]]
    assert roles == [("stated", "371"), ("part", "120"), ("part", "135"), ("part", "98")]
    assert all(r["confidence"] == 0.95 for r in f.evidence["readings"])


def test_text_layer_is_certain_and_legacy_decoding_a_little_less():
    rep = extract_report(_doc(ocr=False))
    assert {f.confidence for f in _totals(rep).values()} == {1.0}
    rep = extract_report(_doc(ocr=False, encoding=Encoding.TCVN3))
    assert {f.confidence for f in _totals(rep).values()} == {LEGACY_FACTOR[Encoding.TCVN3]}
    assert not any(f.doubtful for f in rep.flags)


def test_ocr_without_word_confidences_falls_back_to_the_page_grade():
    doc = _doc(pages=[PageQuality(page=1, method="ocr", grade=Grade.POOR)])
    for b in doc.blocks:  # an OCR reader that measured pages, not words
        if isinstance(b, Table):
            for c in b.cells:
                c.confidence = None
    rep = extract_report(doc)
    assert all(f.doubtful for f in _totals(rep).values())


def test_a_malformed_number_read_by_ocr_is_doubtful():
    """"1,689,00" in a scan is a misread "1.689,00" more likely than the writer's slip."""
    t = TableRecord(id="t1", section="I", columns=["TT", "Khoản thu", "Số tiền"],
                    rows=[["1", "Hội phí", "1,689,00"], ["2", "Ủng hộ", "250,00"]],
                    total_row=["", "Cộng", "1.939,00"])
    rep = Report(source=Source(path="x.pdf", sha256="0" * 64, format=Format.SCANNED_PDF, size=1,
                               ocr=True, ocr_confidence=92.0), tables=[t])
    flags = run_checks(rep, rules=["malformed_number"], strict=True)
    assert flags and all(f.doubtful and f.confidence <= 0.5 for f in flags)
    rep.source = Source(path="x.docx", sha256="0" * 64, format=Format.DOCX, size=1)
    assert not any(f.doubtful for f in run_checks(rep, rules=["malformed_number"], strict=True))


def test_prose_readings_take_the_figure_confidence_and_a_guessed_unit_lowers_it():
    sent = "Toàn xã có 255 hộ, trong đó 12 hộ nghèo."
    rep = Report(source=Source(path="x.pdf", sha256="0" * 64, format=Format.SCANNED_PDF, size=1,
                               ocr=True),
                 figures=[Figure(value=255, raw="255", unit="hộ", sentence=sent, confidence=0.42),
                          Figure(value=12, raw="12", unit="hộ nghèo", sentence=sent, confidence=0.93)])
    f = Flag(rule="count_mismatch", severity=Severity.ERROR, message="m", evidence={"readings": [
        {"role": "stated", "raw": "12", "sentence": sent}], "unit_match": "guessed"})
    g = Flag(rule="prose_table_mismatch", severity=Severity.WARNING, message="m", sentence=sent,
             stated="255")  # no readings: located by its own sentence and number
    assess([f, g], Ctx(rep))
    assert f.confidence == pytest.approx(round(0.93 * GUESSED_UNIT_FACTOR, 2)) and not f.doubtful
    assert g.confidence == pytest.approx(0.42) and g.doubtful and g.confidence < THRESHOLD
    assert g.evidence["readings"][0]["role"] == "stated"


def test_a_flag_resting_on_a_guess_is_not_raised_on_a_scan():
    """A total read "68" with Tesseract's confidence 30% (the rows add up to 8): on a scan the
    flag is not raised at all; the same cells typed are an error."""
    t = TableRecord(id="t1", section="I", columns=["TT", "Nội dung", "Số vụ"],
                    rows=[["1", "Khiếu nại", "5"], ["2", "Tố cáo", "3"]], total_row=["", "Tổng số", "68"])
    rep = Report(source=Source(path="x.pdf", sha256="0" * 64, format=Format.SCANNED_PDF, size=1,
                               ocr=True, ocr_confidence=90.0), tables=[t])
    f = Flag(rule="total_mismatch", severity=Severity.ERROR, message="m", confidence=0.3)
    g = Flag(rule="total_mismatch", severity=Severity.ERROR, message="m", confidence=0.45)
    from checks.confidence import SILENT, audible
    assert audible([f, g], rep.source) == [g] and 0.3 < SILENT <= 0.45
    assert audible([f, g], Source(path="x.docx", sha256="0" * 64, format=Format.DOCX, size=1)) == [f, g]


def test_a_total_resting_on_a_cell_read_at_a_third_is_not_raised():
    rep = extract_report(_doc(low_cell=(1, 2, 2)))  # "135" read at 31%: a guess
    assert set(_totals(rep)) == {"t2"}

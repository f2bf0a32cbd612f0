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


# --- one OCR slip in one reading would explain the flag (checks.misread) ----------------------

def _scan_table(rows, total, conf=None, ocr=True):
    """A scanned (or typed) table of households whose cells carry an OCR confidence: 0.97 unless
    conf[(row, col)] says otherwise (row len(rows) = the total row)."""
    from models.report import Number
    from extractors.text.numbers import parse_number
    conf = conf or {}
    allrows = rows + [total]
    values = []
    for r, row in enumerate(allrows):
        vals = []
        for c, raw in enumerate(row):
            n = parse_number(raw) if c >= 2 else None
            vals.append(None if n is None else Number(
                raw=n.raw, value=n.value, confidence=conf.get((r, c), 0.97) if ocr else None))
        values.append(vals)
    t = TableRecord(id="t1", section="I", columns=["TT", "Thôn", "Số hộ", "Số khẩu"], rows=rows,
                    total_row=total, values=values)
    src = Source(path="x.pdf", sha256="0" * 64, format=Format.SCANNED_PDF if ocr else Format.PDF,
                 size=1, ocr=ocr, ocr_confidence=95.0 if ocr else None)
    return Report(source=src, tables=[t])


ROWS = [["1", "Thôn Đông", "120", "480"], ["2", "Thôn Tây", "135", "520"], ["3", "Thôn Nam", "98", "390"]]


def _total_flag(rep):
    flags = [f for f in run_checks(rep, rules=["total_mismatch"], strict=True) if f.rule == "total_mismatch"]
    assert len(flags) == 1, flags
    return flags[0]


def test_a_total_one_confusable_digit_would_explain_is_doubtful_on_a_scan():
    """Rows 120 + 135 + 98 = 353, the total read "358" at 80%: a 3 read as an 8 explains it."""
    from checks.confidence import MISREAD
    f = _total_flag(_scan_table(ROWS, ["", "Cộng", "358", "1.390"], conf={(3, 2): 0.8}))
    assert f.doubtful and f.confidence == pytest.approx(MISREAD) and f.severity != Severity.ERROR
    assert f.evidence["misread"] == {"kind": "confused", "role": "stated", "raw": "358", "as": "353"}
    assert f.message.startswith("Bản quét có thể bị đọc sai: chỉ cần một chữ số của «358»")
    assert "«353»" in f.message and "one misread digit" in f.message_en


def test_a_reading_read_with_very_high_confidence_keeps_the_flag():
    f = _total_flag(_scan_table(ROWS, ["", "Cộng", "358", "1.390"], conf={(3, 2): 0.97}))
    assert not f.doubtful and f.confidence == pytest.approx(0.97) and "misread" not in f.evidence


def test_a_part_one_confusable_digit_would_explain_makes_the_total_doubtful():
    """"98" read at 70% (two of three readings agreeing): were it "93", the rows would give 348."""
    f = _total_flag(_scan_table(ROWS, ["", "Cộng", "348", "1.390"], conf={(2, 2): 0.7}))
    assert f.doubtful and f.evidence["misread"]["raw"] == "98" and f.evidence["misread"]["as"] == "93"


def test_digits_swapped_or_a_round_difference_is_the_writers_slip_and_stays_confident():
    swapped = _total_flag(_scan_table(ROWS, ["", "Cộng", "335", "1.390"], conf={(3, 2): 0.8}))
    assert not swapped.doubtful and swapped.confidence == pytest.approx(0.8)
    off_by_100 = _total_flag(_scan_table(ROWS, ["", "Cộng", "453", "1.390"], conf={(3, 2): 0.8}))
    assert not off_by_100.doubtful
    from checks.misread import explain, writers_slip
    assert writers_slip("146.475", 164475) and writers_slip("1.245", 1345) and writers_slip("60,7", 50.7)
    assert not writers_slip("358", 353) and not writers_slip("18", 16)
    # "60,7" could be a 5 read as a 6, and "10" a 19 (0/9): a round difference and a swap win
    f = Flag(rule="balance_mismatch", severity=Severity.ERROR, message="m", stated="60,7", computed=50.7,
             evidence={"readings": [{"role": "stated", "raw": "60,7", "confidence": 0.8}]})
    assert explain(f) is None
    g = Flag(rule="total_mismatch", severity=Severity.ERROR, message="m", stated="89", computed=98,
             evidence={"readings": [{"role": "stated", "raw": "89", "confidence": 0.97},
                                    {"role": "part", "raw": "88", "confidence": 0.97},
                                    {"role": "part", "raw": "10", "confidence": 0.8}]})
    assert explain(g) is None
    g.stated = "107"  # not a swap any more: "10" may be a misread "19"
    assert explain(g) == {"kind": "confused", "role": "part", "raw": "10", "as": "19"}


def test_a_dropped_or_doubled_digit_explains_too_and_ratios_are_recomputed():
    from checks.misread import explain
    f = Flag(rule="prose_table_mismatch", severity=Severity.WARNING, message="m", stated="1.245",
             table_value=12245, evidence={"readings": [{"role": "stated", "raw": "1.245", "confidence": 0.9},
                                                       {"role": "compared", "raw": "12.245", "confidence": 0.97}]})
    assert explain(f)["kind"] == "dropped"
    f.stated, f.table_value = "12.2245", 12245  # not a number: nothing to test
    assert explain(f) is None
    # "đạt 96,5%" of 193 against 200, the 200 read "260" (a 0 read as a 6): 74,2% by the readings
    r = Flag(rule="ratio_mismatch", severity=Severity.WARNING, message="m", stated="96,5%", computed=74.2,
             evidence={"ratio": 100 * 193 / 260, "rounding_unit": 0.1, "readings": [
                 {"role": "stated", "raw": "96,5", "confidence": 0.97},
                 {"role": "part", "raw": "193", "confidence": 0.97},
                 {"role": "part", "raw": "260", "confidence": 0.9}]})
    assert explain(r) == {"kind": "confused", "role": "part", "raw": "260", "as": "200"}
    r.evidence["readings"][2]["confidence"] = 0.97
    assert explain(r) is None


def test_a_total_short_by_a_cell_the_scan_read_blank_is_doubtful():
    rows = [["1", "Thôn Đông", "120", "480"], ["2", "Thôn Tây", "", "520"], ["3", "Thôn Nam", "98", "390"]]
    f = _total_flag(_scan_table(rows, ["", "Cộng", "353", "1.390"]))
    assert f.doubtful and f.evidence["misread"]["kind"] == "lost" and f.evidence["misread"]["label"] == "Thôn Tây"
    assert f.message.startswith("Bản quét có thể bị đọc sai: ô của dòng «Thôn Tây»")


def test_text_sources_are_not_second_guessed():
    f = _total_flag(_scan_table(ROWS, ["", "Cộng", "358", "1.390"], ocr=False))
    assert not f.doubtful and f.confidence == 1.0 and "misread" not in f.evidence
    rows = [["1", "Thôn Đông", "120", "480"], ["2", "Thôn Tây", "", "520"], ["3", "Thôn Nam", "98", "390"]]
    assert not _total_flag(_scan_table(rows, ["", "Cộng", "353", "1.390"], ocr=False)).doubtful

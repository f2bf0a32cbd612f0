"""Reading confidence flows from the document model into the record: a cell's OCR confidence onto
its Number, the runs under a figure onto the Figure; a text layer stays None (certain)."""
from __future__ import annotations

from extractors.report import extract_report
from models.document import Cell, Document, Format, Paragraph, Run, Source, Table


def _doc(ocr: bool) -> Document:
    conf = (lambda c: c) if ocr else (lambda c: None)
    rows = [["TT", "Đơn vị", "Số hộ"], ["1", "Thôn A", "120"], ["2", "Thôn B", "135"], ["", "Tổng số", "255"]]
    cells = [Cell(row=r, col=c, text=t, paragraphs=[Paragraph(text=t, runs=[Run(text=t)])],
                  confidence=conf(0.31 if (r, c) == (2, 2) else 0.96))
             for r, row in enumerate(rows) for c, t in enumerate(row)]
    heading = Paragraph(text="I. TÌNH HÌNH CHUNG", runs=[Run(text="I. TÌNH HÌNH CHUNG", bold=True)])
    prose = Paragraph(text="Toàn xã có 255 hộ, trong đó 12 hộ nghèo.",
                      runs=[Run(text="Toàn xã có ", confidence=conf(0.95)),
                            Run(text="255", confidence=conf(0.42)),
                            Run(text=" hộ, trong đó 12 hộ nghèo.", confidence=conf(0.93))])
    src = Source(path="x.pdf", sha256="0" * 64, format=Format.SCANNED_PDF if ocr else Format.PDF,
                 size=1, ocr=ocr)
    return Document(source=src, blocks=[heading, prose, Table(n_rows=4, n_cols=3, cells=cells)])


def test_ocr_confidence_reaches_numbers_and_figures():
    rep = extract_report(_doc(ocr=True), run_checks=False)
    (t,) = rep.tables
    col = t.columns.index("Số hộ")
    confs = [row[col].confidence for row in t.values]
    assert confs == [0.96, 0.31, 0.96]
    by_value = {f.value: f.confidence for f in rep.figures}
    assert by_value[255] == 0.42 and by_value[12] == 0.93


def test_text_layer_readings_carry_no_confidence():
    rep = extract_report(_doc(ocr=False), run_checks=False)
    assert all(n is None or n.confidence is None for row in rep.tables[0].values for n in row)
    assert rep.figures and all(f.confidence is None for f in rep.figures)

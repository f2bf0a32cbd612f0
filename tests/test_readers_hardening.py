"""Readers on damaged input found in review: a PDF whose page tree is broken (a MediaBox that is
not four numbers) and a file that disappears after the existence check both give one typed
InputError naming the file, never pdfplumber's or the OS's own exception."""
from __future__ import annotations

from unittest import mock

import pytest

from conftest import CORPUS
from extractors import readers
from extractors.readers import read_document
from models.document import Format
from models.errors import CorruptFileError, InputError

PDF = CORPUS / "docs" / "duc-chinh-2020-h1.pdf"
DOCX = CORPUS / "docs" / "duc-chinh-2020-h1.docx"


def _need(*paths):
    for p in paths:
        if not p.is_file():
            pytest.skip(f"sample corpus file missing: {p}")


def test_pdf_with_a_non_numeric_mediabox_is_a_corrupt_file(tmp_path):
    _need(PDF)
    data = PDF.read_bytes()
    i = data.index(b"/MediaBox")
    j = data.index(b"]", i)
    box = data[i:j + 1]
    bad = b"/MediaBox [0 0 595 /Oops]"
    assert len(bad) <= len(box)
    damaged = data[:i] + bad.ljust(len(box)) + data[j + 1:]  # same length: the xref stays right
    p = tmp_path / "hong-mediabox.pdf"
    p.write_bytes(damaged)
    with pytest.raises(CorruptFileError) as e:
        read_document(p)
    assert str(p) in str(e.value) and "page tree" in e.value.reason


def test_a_file_that_vanishes_before_it_is_read_is_an_input_error(tmp_path):
    _need(DOCX)
    p = tmp_path / "bien-mat.docx"
    p.write_bytes(DOCX.read_bytes())
    real = readers.READERS[Format.DOCX]

    def vanish_then_read(path):
        path.unlink()  # gone between read_document's checks and the reader opening it
        return real(path)

    with mock.patch.dict(readers.READERS, {Format.DOCX: vanish_then_read}):
        with pytest.raises(InputError) as e:
            read_document(p)
    assert type(e.value) is InputError and str(p) in str(e.value) and "cannot read" in e.value.reason


def test_an_oserror_about_another_file_is_not_blamed_on_the_input(tmp_path):
    _need(DOCX)
    p = tmp_path / "ok.docx"
    p.write_bytes(DOCX.read_bytes())

    def tool_fails(path):
        raise OSError(28, "No space left on device", str(tmp_path / "scratch"))

    with mock.patch.dict(readers.READERS, {Format.DOCX: tool_fails}):
        with pytest.raises(OSError) as e:
            read_document(p)
    assert not isinstance(e.value, InputError)

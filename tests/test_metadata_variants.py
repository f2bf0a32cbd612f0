"""Metadata rules for layouts of other offices: elided years in periods, ranks before the
signer's name, two signers' names run together, spaced dashes in numbers."""
from __future__ import annotations

import pytest

from extractors.front.header import read_number
from extractors.front.periods import find_period
from extractors.sections.regions import Line
from extractors.front.signature import read_signature


@pytest.mark.parametrize("title, start, end", [
    ("KẾT QUẢ CÔNG TÁC HỘI QUÝ II, PHƯƠNG HƯỚNG NHIỆM VỤ QUÝ III NĂM 2024", "2024-04-01", "2024-06-30"),
    ("Kết quả 6 tháng đầu năm, phương hướng 6 tháng cuối năm 2024", "2024-01-01", "2024-06-30"),
    ("Kết quả tháng 9 và phương hướng tháng 10 năm 2025", "2025-09-01", "2025-09-30"),
    ("Kết quả quý I năm 2026 và phương hướng quý II", "2026-01-01", "2026-03-31"),
])
def test_period_takes_the_year_of_the_next_period(title, start, end):
    p = find_period(title)
    assert (p.first, p.last) == (start, end)


def test_period_without_any_year_is_none():
    assert find_period("Báo cáo công tác quý II") is None


@pytest.mark.parametrize("lines, signer", [
    (["TRƯỞNG CÔNG AN XÃ", "Đại úy Hà Văn Sơn"], "Hà Văn Sơn"),
    (["GIÁM ĐỐC", "BS. Lê Thị Hoa"], "Lê Thị Hoa"),
    (["GIÁM ĐỐC", "Quách Văn Long"], "Quách Văn Long"),  # "Q" opens a name, not "Q. (quyền)"
    (["NGƯỜI LẬP BIỂU THỦ TRƯỞNG ĐƠN VỊ", "Lò Thị Mai Hoàng Văn Tuấn"], "Hoàng Văn Tuấn"),
    (["GIÁM ĐỐC TM. HỘI ĐỒNG QUẢN TRỊ", "CHỦ TỊCH", "Bùi Văn Hải Quách Văn Long"], "Quách Văn Long"),
    (["TM. UBND", "CHỦ TỊCH", "Nguyễn Văn Bình"], "Nguyễn Văn Bình"),
])
def test_signer(lines, signer):
    assert read_signature([Line(t, None, 0) for t in lines]).signer == signer


def test_quyen_is_still_an_authority():
    sig = read_signature([Line(t, None, 0) for t in ["Q. GIÁM ĐỐC", "Trần Văn An"]])
    assert sig.authority == "Q. GIÁM ĐỐC" and sig.signer == "Trần Văn An"


@pytest.mark.parametrize("text, number", [
    ("Số 25 - BC/ĐU", "25-BC/ĐU"), ("Số: 15/BC - UBND", "15/BC-UBND"), ("Số 25-BC/ĐU", "25-BC/ĐU"),
    ("Số: 12/BC-UBND - Lưu", "12/BC-UBND"),
])
def test_number_with_spaced_dashes(text, number):
    assert read_number(text)[0] == number

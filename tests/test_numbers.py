"""The Vietnamese number parser: examples from the corpus and property tests."""
from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from extractors.text.numbers import format_vn, is_numeric_text, parse_number


@pytest.mark.parametrize("raw, value", [
    ("1.234.567", 1234567), ("96,5", 96.5), ("02", 2), ("0", 0), ("1.234,5", 1234.5),
    ("2,096,584,751", 2096584751), ("30,2%", 30.2), ("96,5 %", 96.5), ("1 234 567", 1234567),
    ("-5", -5), ("−1.200", -1200), ("13.203.300", 13203300), ("22,45", 22.45),
])
def test_well_formed(raw, value):
    n = parse_number(raw)
    assert n is not None and not n.malformed
    assert n.value == pytest.approx(value)
    assert n.raw == raw.strip()


@pytest.mark.parametrize("raw, suggestion", [
    ("8.28", 828), ("1.23.456", 123456), ("12.5", 125), ("1.2345", 12345),
    ("8.00", 8), ("0.5", 0.5), ("1,234,56", 123456),
])
def test_malformed_keeps_no_value_and_suggests(raw, suggestion):
    n = parse_number(raw)
    assert n is not None and n.malformed and n.value is None
    assert n.suggestion == pytest.approx(suggestion)


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "–", "x", "…", "Tổng số", "9,49/ 9,5",
                                 "Có = 1; Không = 0", "(1)"])
def test_not_a_number(raw):
    assert parse_number(raw) is None
    assert not is_numeric_text(raw)


def test_format_vn_examples():
    assert format_vn(1234567) == "1.234.567"
    assert format_vn(96.5) == "96,5"
    assert format_vn(-0.5) == "-0,5"
    assert format_vn(1e-9) == "0"
    assert format_vn(-1234.25) == "-1.234,25"


_decimals = st.integers(min_value=-10**12, max_value=10**12).flatmap(
    lambda whole: st.integers(min_value=0, max_value=999).map(lambda frac: whole + frac / 1000))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(min_value=-10**15, max_value=10**15), _decimals))
def test_format_vn_round_trips(x):
    text = format_vn(x)
    n = parse_number(text)
    assert n is not None and not n.malformed, text
    assert n.value == pytest.approx(float(x), rel=1e-12, abs=1e-9), text


_digits = st.text(alphabet="0123456789", min_size=1, max_size=6)


@st.composite
def malformed_dot_groups(draw):
    """Digit groups joined by dots where the first is longer than three digits or a later one
    is not exactly three: never a Vietnamese thousands number."""
    first = draw(_digits)
    rest = draw(st.lists(_digits, min_size=1, max_size=4))
    assume(len(first) > 3 or any(len(g) != 3 for g in rest))
    return ".".join([first, *rest])


@settings(max_examples=300, deadline=None)
@given(malformed_dot_groups())
def test_malformed_dot_groups_are_flagged_never_read(raw):
    n = parse_number(raw)
    assert n is not None, raw
    assert n.malformed and n.value is None, raw
    assert n.suggestion is not None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=3))
def test_leading_zeros_read_as_the_number(x, zeros):
    n = parse_number("0" * zeros + str(x))
    assert n is not None and n.value == x and not n.malformed


def test_two_values_in_one_cell_are_not_a_malformed_number():
    """A scan (or a typist) merging two rows puts "17,000,000 89,925,720" in one cell: two
    well-formed amounts, not one malformed number to 'correct' into 1.700.000.089.925.720."""
    from extractors.text.numbers import parse_number

    assert parse_number("17,000,000 89,925,720") is None
    assert parse_number("1.250 3.400") is None
    assert parse_number("1 234 567").value == 1234567  # space thousands stay one number
    assert parse_number("12 5").malformed  # short digit groups: a typo, kept as malformed


@pytest.mark.parametrize("raw", ["9" * 5000, "1." + ".".join(["999"] * 1700), "9" * 45 + ",5",
                                 "-" + "1" * 400 + "%"])
def test_numbers_too_long_to_be_figures_are_text(raw):
    """Thousands of digits (a hostile file, a garbage text layer) are no figure: parse_number
    gives None, never an int() of 5000 digits (ValueError) or a float overflow."""
    assert parse_number(raw) is None and not is_numeric_text(raw)


def test_long_but_real_figures_still_read():
    assert parse_number("2.096.584.751.000.000").value == 2096584751000000

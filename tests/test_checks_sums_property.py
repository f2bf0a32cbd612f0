"""Property tests for the sum checks (total_mismatch, row_sum_mismatch, their linking).

Random statistics tables whose totals are right raise nothing. One corrupted cell raises the
right flags on the right cells: total_mismatch on its column, row_sum_mismatch on its row when
the column belongs to a whole/parts group, the two linked, and `culprit` on the flag that points
at the corrupted cell.
"""
from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checks import run_checks
from extractors.text.numbers import format_vn
from models.document import Format, Provenance, Source
from models.report import Report, TableRecord

SUM_RULES = ["total_mismatch", "row_sum_mismatch", "malformed_number"]
SETTINGS = settings(max_examples=int(__import__("os").environ.get("HYP_N", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

PARENTS = ["Số học sinh", "Số hội viên", "Số lượt người tham gia", "Lao động", "Số hồ sơ"]
WHOLES = ["Tổng số", "Tổng", "Cộng"]
PARTITIONS = [("Nam", "Nữ"), ("Thành thị", "Nông thôn"), ("Trực tuyến", "Trực tiếp"),
              ("Loại A", "Loại B", "Loại C")]  # the last is complete only by the data
LABELS = ["Thôn Đồng Bái", "Chi hội Cao Sơn", "Khối 1", "Trường MN Hoa Sen", "Xã Tân Lập", "Tổ 5",
          "Phòng Tư pháp", "Khu phố 3", "Bản Nà Lừa", "Ấp Tân Hòa"]


def source() -> Source:
    return Source(path="synthetic.docx", sha256="0" * 64, format=Format.DOCX, size=0)


@st.composite
def tables(draw):
    """(columns, body rows as ints or None, group layout) with correct totals."""
    parts = draw(st.sampled_from(PARTITIONS))
    n = draw(st.integers(min_value=4 if len(parts) == 3 else 1, max_value=8))
    parent = draw(st.sampled_from(PARENTS))
    layout = draw(st.sampled_from(["nested", "of_which"]))
    if layout == "nested":
        whole = draw(st.sampled_from(WHOLES))
        cols = ["TT", "Đơn vị", "Số lớp", f"{parent} / {whole}"] + [f"{parent} / {p}" for p in parts]
    else:
        cols = ["TT", "Đơn vị", "Số lớp", parent] + [f"Trong đó / {p}" for p in parts]
        if len(parts) == 3:  # "Trong đó" parts are complete only by a known partition
            cols = ["TT", "Đơn vị", "Số lớp", f"{parent} / Tổng số"] + [f"{parent} / {p}" for p in parts]
    body = []
    for _ in range(n):
        lop = draw(st.one_of(st.none(), st.integers(0, 60)))
        pv = [draw(st.integers(0, 4000)) for _ in parts]
        body.append([lop, sum(pv)] + pv)
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=n, max_size=n))
    return cols, body, labels


def record(cols, body, labels, total=None, raw_overrides=None) -> TableRecord:
    nq = len(body[0])
    if total is None:
        total = [sum(r[j] or 0 for r in body) for j in range(nq)]
    fmt = lambda v: "" if v is None else format_vn(v)  # noqa: E731
    rows = [[str(i + 1), labels[i]] + [fmt(v) for v in r] for i, r in enumerate(body)]
    total_row = ["", "Tổng số"] + [fmt(v) for v in total]
    for (r, c), raw in (raw_overrides or {}).items():
        (total_row if r == len(rows) else rows[r])[c] = raw
    locs = [[Provenance(table=0, row=r + 1, col=c) for c in range(len(cols))] for r in range(len(rows) + 1)]
    return TableRecord(id="t1", section="II.1", columns=cols, rows=rows, total_row=total_row,
                       cell_locations=locs)


def check(rec: TableRecord):
    return run_checks(Report(source=source(), tables=[rec]), rules=SUM_RULES, strict=True)


@SETTINGS
@given(tables())
def test_correct_tables_raise_nothing(t):
    cols, body, labels = t
    assert check(record(cols, body, labels)) == []


@SETTINGS
@given(tables(), st.data())
def test_one_corrupted_body_cell_is_found_and_blamed(t, data):
    cols, body, labels = t
    total = [sum(r[j] or 0 for r in body) for j in range(len(body[0]))]  # totals of the true table
    r = data.draw(st.integers(0, len(body) - 1), label="row")
    j = data.draw(st.integers(0, len(body[0]) - 1), label="quantity column")
    delta = data.draw(st.integers(-500, 500).filter(lambda d: d != 0), label="delta")
    true_value = body[r][j] or 0
    assume(true_value + delta >= 0)
    bad = [list(x) for x in body]
    bad[r][j] = true_value + delta
    c = j + 2  # grid column
    flags = check(record(cols, bad, labels, total=total))
    col_flags = [f for f in flags if f.rule == "total_mismatch"]
    row_flags = [f for f in flags if f.rule == "row_sum_mismatch"]
    assert [f.column for f in col_flags] == [cols[c]]
    tf = col_flags[0]
    assert tf.row == len(body) and tf.computed == sum(x[j] or 0 for x in bad)
    if j == 0:  # "Số lớp" stands alone: no row relation, no culprit to name
        assert row_flags == []
        return
    assert len(row_flags) == 1 and row_flags[0].row == r
    rf = row_flags[0]
    assert rf.id in tf.related and tf.id in rf.related
    culprits = [f for f in flags if f.culprit]
    assert culprits == [rf]
    assert (rf.table, rf.row, rf.column) == ("t1", r, cols[c])
    assert rf.location == Provenance(table=0, row=r + 1, col=c)
    assert rf.expected == true_value
    assert not tf.culprit


@SETTINGS
@given(tables(), st.data())
def test_one_corrupted_total_cell_is_found_and_blamed(t, data):
    cols, body, labels = t
    total = [sum(r[j] or 0 for r in body) for j in range(len(body[0]))]
    j = data.draw(st.integers(0, len(body[0]) - 1), label="quantity column")
    delta = data.draw(st.integers(-500, 500).filter(lambda d: d != 0), label="delta")
    assume(total[j] + delta >= 0)
    assume(any(x[j] is not None for x in body))
    bad_total = list(total)
    bad_total[j] += delta
    c = j + 2
    flags = check(record(cols, body, labels, total=bad_total))
    col_flags = [f for f in flags if f.rule == "total_mismatch"]
    assert [(f.column, f.row) for f in col_flags] == [(cols[c], len(body))]
    tf = col_flags[0]
    assert tf.computed == total[j] and tf.table_value == bad_total[j]
    row_flags = [f for f in flags if f.rule == "row_sum_mismatch"]
    if j == 0:
        assert row_flags == []
        return
    assert [f.row for f in row_flags] == [len(body)]
    assert row_flags[0].id in tf.related
    assert [f for f in flags if f.culprit] == [tf]
    assert tf.location == Provenance(table=0, row=len(body) + 1, col=c)


@SETTINGS
@given(tables(), st.data())
def test_a_stray_dot_in_a_total_is_read_back(t, data):
    cols, body, labels = t
    total = [sum(r[j] or 0 for r in body) for j in range(len(body[0]))]
    j = data.draw(st.integers(1, len(body[0]) - 1), label="quantity column")
    assume(100 <= total[j] <= 99999 and total[j] % 10 != 0)
    digits = str(total[j])
    k = data.draw(st.integers(1, len(digits) - 1), label="dot position")
    raw = digits[:k] + "." + digits[k:]
    assume(len(digits) - k != 3)  # "1.234" would be well formed
    c = j + 2
    flags = check(record(cols, body, labels, raw_overrides={(len(body), c): raw}))
    tf = [f for f in flags if f.rule == "total_mismatch"]
    mf = [f for f in flags if f.rule == "malformed_number"]
    assert [f.column for f in tf] == [cols[c]] and [f.column for f in mf] == [cols[c]]
    assert tf[0].stated == raw and tf[0].computed == total[j]
    assert format_vn(total[j]) in tf[0].suggestion
    assert mf[0].expected == total[j]
    assert tf[0].id in mf[0].related and tf[0].culprit and mf[0].culprit
    # the row relation is read with the suggested value: nothing else is raised
    assert not [f for f in flags if f.rule == "row_sum_mismatch"]


# --- robustness: whatever extraction hands over, the checks do not crash --------------------------

_CHARS = st.sampled_from(list("0123456789.,;:%/()-– ") + list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềộ") +
                         ["hộ ", "người ", "gồm ", "trong đó ", "đạt ", "chiếm ", "Chỉ thị số ", "-CT/TU ",
                          "của Tỉnh ủy ", "trên ", "số ", "Tổng số ", "và ", "còn lại ", "\n"])
_TEXT = st.lists(_CHARS, max_size=80).map("".join)
_CELL = st.one_of(st.just(""), st.integers(0, 10 ** 7).map(format_vn), _TEXT.map(lambda s: s[:12]),
                  st.sampled_from(["8.28", "1.15", "x", "-", "12/63", "45,5%", "3.1.1"]))


@st.composite
def messy_reports(draw):
    from models.report import Section

    n = draw(st.integers(0, 6))
    secs = [Section(number=draw(st.sampled_from(["I", "II", "II.1", "III", "a", "1", "x1"])),
                    title=draw(_TEXT)[:40] or "t", level=draw(st.integers(1, 3)),
                    label=draw(st.one_of(st.none(), st.sampled_from(["I.", "2.", "a)", "PHẦN II-", "2.1:", "?"]))),
                    text=draw(_TEXT), empty=draw(st.booleans())) for _ in range(n)]
    tables = []
    for k in range(draw(st.integers(0, 2))):
        ncol = draw(st.integers(1, 6))
        cols = draw(st.lists(st.sampled_from(["TT", "Đơn vị", "Tổng số", "Nam", "Nữ", "Trong đó / Nữ",
                                              "Số hộ", "Tỷ lệ (%)", "Năm", "X / Tổng số", "X / Nam"]),
                             min_size=ncol, max_size=ncol))
        rows = draw(st.lists(st.lists(_CELL, min_size=0, max_size=ncol + 1), max_size=5))
        total = draw(st.one_of(st.none(), st.lists(_CELL, min_size=0, max_size=ncol)))
        children = {0: [1, 2]} if len(rows) >= 3 and draw(st.booleans()) else {}
        tables.append(TableRecord(id=f"t{k + 1}", columns=cols, rows=rows, total_row=total,
                                  children=children, parent_rows=list(children)))
    return Report(source=source(), sections=secs, tables=tables)


@SETTINGS
@given(messy_reports())
def test_checks_never_crash_on_messy_reports(rep):
    flags = run_checks(rep, strict=True)
    assert len({f.id for f in flags}) == len(flags)
    assert all(f.message and f.message_en for f in flags)

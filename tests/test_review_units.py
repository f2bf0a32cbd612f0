"""Pieces of the review app without a server: header rows rebuilt from "Parent / Child" names,
a flag's cells found from its evidence, passwords, the session secret, the `baocao users` and
`baocao review` commands."""
from __future__ import annotations

import os
import stat
from types import SimpleNamespace

import pytest

from review import tables
from review.tables import header_grid


def _shape(grid):
    return [[(h.text, h.colspan, h.rowspan) for h in row] for row in grid]


def test_two_header_rows_from_parent_child_names():
    cols = ["TT", "Tên hoạt động", "Số lớp", "Số lượt người tham gia / Tổng số", "Số lượt người tham gia / Nữ"]
    assert _shape(header_grid(cols, 2)) == [
        [("TT", 1, 2), ("Tên hoạt động", 1, 2), ("Số lớp", 1, 2), ("Số lượt người tham gia", 2, 1)],
        [("Tổng số", 1, 1), ("Nữ", 1, 1)],
    ]


def test_three_levels_and_neighbouring_parents_of_the_same_name_apart():
    cols = ["Đơn vị", "2020 / Kế hoạch / Số", "2020 / Kế hoạch / %", "2020 / Thực hiện", "2021 / Thực hiện", "Ghi chú"]
    assert _shape(header_grid(cols, 3)) == [
        [("Đơn vị", 1, 3), ("2020", 3, 1), ("2021", 1, 1), ("Ghi chú", 1, 3)],
        [("Kế hoạch", 2, 1), ("Thực hiện", 1, 2), ("Thực hiện", 1, 2)],
        [("Số", 1, 1), ("%", 1, 1)],
    ]


def test_one_header_row_keeps_a_slash_in_a_name():
    assert _shape(header_grid(["TT", "Nam / Nữ"], 1)) == [[("TT", 1, 1), ("Nam / Nữ", 1, 1)]]
    # deeper names than header rows: the tail stays together
    assert _shape(header_grid(["A / B / C"], 2)) == [[("A", 1, 1)], [("B / C", 1, 1)]]


TABLE = {
    "id": "t2", "section": "II", "header_rows": 1,
    "columns": ["STT", "Chỉ tiêu", "Tổng", "Nam", "Nữ"],
    "rows": [["1", "Tổng số hội viên", "120", "70", "60"],
             ["", "- Phường A", "50", "30", "20"],
             ["", "- Phường B", "60", "35", "25"],
             ["2", "Cán bộ", "9", "4", "5"]],
    "total_row": ["", "Cộng", "129", "74", "65"],
    "parent_rows": [0], "children": {"0": [1, 2]},
}


def _flag(**kw):
    base = dict(column=None, row=None, evidence={}, computed=None, expected=None, sentence=None)
    return SimpleNamespace(**{**base, **kw})


def _marks(view):
    return {(c.row, c.col): [k for k in c.classes if k.startswith("hl-")] for c in view.highlighted()}


def test_row_sum_flag_marks_the_whole_and_its_parts():
    view = tables.build(TABLE)
    f = _flag(column="Tổng", row=0, computed=130,
              evidence={"relation": "sum", "whole_col": 2, "part_cols": [3, 4]})
    tables.highlight(view, TABLE["columns"], f)
    assert _marks(view) == {(0, 2): ["hl-stated"], (0, 3): ["hl-related"], (0, 4): ["hl-related"]}
    assert view.cell(0, 2).note == "130"
    assert [r.classes for r in view.rows] == [["parent-row"], ["child-row"], ["child-row"], [], ["total-row"]]


def test_parent_row_flag_marks_its_children_and_a_prose_flag_its_table_cell():
    view = tables.build(TABLE)
    tables.highlight(view, TABLE["columns"], _flag(column="Nữ", row=0, computed=45, evidence={"child_rows": [1, 2]}))
    assert _marks(view) == {(0, 4): ["hl-stated"], (1, 4): ["hl-related"], (2, 4): ["hl-related"]}
    view = tables.build(TABLE)
    tables.highlight(view, TABLE["columns"], _flag(column="Tổng", row=4, expected=129,
                                                   sentence="Tổng cộng 192 hội viên.", evidence={"cell": "129"}))
    assert _marks(view) == {(4, 2): ["hl-related"]}
    assert view.cell(4, 2).note is None


def test_column_total_flag_marks_the_summed_rows_by_label():
    view = tables.build(TABLE)
    f = _flag(column="Tổng", row=4, computed=120, evidence={"rows": ["Tổng số hội viên", "Cán bộ"], "values": [120, 9]})
    tables.highlight(view, TABLE["columns"], f)
    assert _marks(view) == {(4, 2): ["hl-stated"], (0, 2): ["hl-related"], (3, 2): ["hl-related"]}
    assert [h.classes for h in view.header[0]] == [[], [], ["hl-col"], [], []]


def test_passwords_are_argon2_hashes():
    from review.auth import hash_password, verify_password

    h = hash_password("mật khẩu dài")
    assert h.startswith("$argon2id$") and "mật" not in h
    assert verify_password(h, "mật khẩu dài") and not verify_password(h, "mat khau dai")
    assert not verify_password("not a hash", "x")


def test_session_secret_is_generated_once(tmp_path, monkeypatch):
    from review.auth import session_secret

    monkeypatch.delenv("BAOCAO_SECRET", raising=False)
    path = tmp_path / "cfg" / "secret"
    first = session_secret(path)
    assert len(first) >= 40 and session_secret(path) == first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    monkeypatch.setenv("BAOCAO_SECRET", "from-the-environment")
    assert session_secret(path) == "from-the-environment"


def test_users_add_command(tmp_path):
    from typer.testing import CliRunner

    from outputs.db import engine as dbengine
    from outputs.db import session_scope
    from pipeline.cli import app
    from review.auth import authenticate

    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    runner = CliRunner()
    try:
        r = runner.invoke(app, ["users", "add", "bình", "--password-stdin", "--db", url], input="mật khẩu 123\n")
        assert r.exit_code == 0, r.output
        with session_scope(url) as s:
            assert authenticate(s, "bình", "mật khẩu 123") is not None
            assert authenticate(s, "bình", "mật khẩu") is None
        again = runner.invoke(app, ["users", "add", "bình", "--password-stdin", "--db", url], input="other pass\n")
        assert again.exit_code == 1 and "already exists" in again.output
        short = runner.invoke(app, ["users", "add", "an", "--password-stdin", "--db", url], input="short\n")
        assert short.exit_code == 1
        prompted = runner.invoke(app, ["users", "add", "chi", "--db", url], input="long enough\nlong enough\n")
        assert prompted.exit_code == 0, prompted.output
        differ = runner.invoke(app, ["users", "add", "dung", "--db", url], input="long enough\nother one\n")
        assert differ.exit_code == 2
        listed = runner.invoke(app, ["users", "list", "--db", url])
        assert [line.split("\t")[0] for line in listed.output.splitlines()] == ["bình", "chi"]
    finally:
        e = dbengine._engines.pop(dbengine.normalize_url(url), None)
        if e is not None:
            e.dispose()


def test_review_command_is_registered():
    from typer.testing import CliRunner

    from pipeline.cli import app

    r = CliRunner().invoke(app, ["review", "--help"])
    assert r.exit_code == 0
    for opt in ("--db", "--host", "--port"):
        assert opt in r.output


@pytest.mark.parametrize("target,expected", [("/flags/3?rule=x", "/flags/3?rule=x"), ("//evil", "/"),
                                             ("http://evil", "/"), ("", "/"), (None, "/")])
def test_safe_next(target, expected):
    from review.web import safe_next

    assert safe_next(target) == expected

"""Loading reports: rows match the record, one transaction per document, versions of changed
files with review decisions carried over, and the append-only review audit trail."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models.report import Flag, Severity
from outputs.db import (
    Document, DocumentVersion, FlagRow, ReviewDecision, ReviewError, create_user, decisions_for,
    load_report, record_decision, session_scope,
)
from outputs.db import loader as loader_mod
from pipeline_helpers import DOCS, assert_complete, counts, db_url  # noqa: F401

VERSION = "test-1"


@pytest.fixture(scope="module")
def report(extract):
    path = DOCS / "duc-chinh-2020-h1.docx"
    if not path.exists():
        pytest.skip("sample corpus not found")
    r = extract(path)
    assert r.flags and r.sections, "the sample report should have sections and flags"
    return r


def _variant(report, sha: str, flags: list[Flag]):
    return report.model_copy(update={"source": report.source.model_copy(update={"sha256": sha}),
                                     "flags": flags})


def _load(url, rep, path="/reports/a.docx"):
    with session_scope(url) as s:
        return load_report(s, rep, extractor_version=VERSION, path=path)


def test_rows_match_the_record_and_reload_is_unchanged(db_url, report):  # noqa: F811
    res = _load(db_url, report)
    assert res.status == "new"
    assert res.flags_by_rule == {r: sum(f.rule == r for f in report.flags) for r in {f.rule for f in report.flags}}
    assert assert_complete(db_url) == {"/reports/a.docx": 1}
    before = counts(db_url)
    assert before["sections"] == len(report.sections) and before["flags"] == len(report.flags)
    assert _load(db_url, report).status == "unchanged"
    assert counts(db_url) == before
    with session_scope(db_url) as s:
        rows = s.scalars(select(FlagRow).order_by(FlagRow.ordinal)).all()
        for row, f in zip(rows, report.flags):
            assert (row.flag_key, row.rule, row.severity, row.section, row.column, row.stated, row.status) == \
                   (f.id, f.rule, f.severity.value, f.section, f.column, f.stated, "open")
            assert row.computed == f.computed and row.related == f.related and row.evidence == f.evidence
        v = s.scalar(select(DocumentVersion))
        assert v.record["source"]["sha256"] == report.source.sha256 and v.extractor_version == VERSION


def test_a_failure_mid_load_leaves_nothing(db_url, report, monkeypatch):  # noqa: F811
    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader_mod, "_flag_row", boom)
    with pytest.raises(RuntimeError):
        _load(db_url, report)
    assert all(n == 0 for n in counts(db_url).values())


def test_changed_file_new_version_carries_review_decisions(db_url, report):  # noqa: F811
    first = _load(db_url, report)
    f0, f1 = report.flags[0], report.flags[1]
    with session_scope(db_url) as s:
        rows = {r.flag_key: r for r in s.scalars(select(FlagRow).where(FlagRow.version_id == first.version_id))}
        d0 = record_decision(s, rows[f0.id].id, "correct", "lan", reason="typo in the total",
                             corrected_value="828")
        record_decision(s, rows[f1.id].id, "dismiss", "lan", reason="not an error")
        old_ids = (rows[f0.id].id, rows[f1.id].id)
        d0_id = d0.id
    # The new content: the first flag still holds, the second is gone, a new one appears.
    new_flag = Flag(id="new_rule:1", rule="new_rule", severity=Severity.WARNING, message="mới", section="IV")
    changed = _variant(report, "f" * 64, [f0] + report.flags[2:] + [new_flag])
    res = _load(db_url, changed)
    assert res.status == "changed" and res.carried_decisions == 1
    with session_scope(db_url) as s:
        versions = s.scalars(select(DocumentVersion).order_by(DocumentVersion.id)).all()
        assert [v.is_current for v in versions] == [False, True]
        assert versions[1].previous_version_id == versions[0].id
        assert s.scalar(select(Document.sha256)) == "f" * 64
        new_rows = {r.flag_key: r for r in s.scalars(select(FlagRow).where(FlagRow.version_id == res.version_id))}
        kept = new_rows[f0.id]
        assert kept.status == "corrected" and kept.carried_from_flag_id == old_ids[0]
        (carried,) = decisions_for(s, kept.id)
        assert (carried.action, carried.corrected_value, carried.original_value, carried.reviewer,
                carried.reason, carried.carried_from_id) == ("correct", "828", f0.stated, "lan",
                                                             "typo in the total", d0_id)
        assert new_rows["new_rule:1"].status == "open" and not new_rows["new_rule:1"].decisions
        assert all(r.status == "open" for k, r in new_rows.items() if k != f0.id)
        # the old version's trail is untouched
        assert [d.action for d in decisions_for(s, old_ids[0])] == ["correct"]
        assert [d.action for d in decisions_for(s, old_ids[1])] == ["dismiss"]
    assert assert_complete(db_url) == {"/reports/a.docx": 2}
    # back to the first content: that version becomes current again, nothing re-inserted
    assert _load(db_url, report).status == "restored"
    with session_scope(db_url) as s:
        cur = s.scalar(select(DocumentVersion).where(DocumentVersion.is_current))
        assert cur.id == first.version_id and s.scalar(select(Document.sha256)) == report.source.sha256
    assert assert_complete(db_url) == {"/reports/a.docx": 2}


def test_review_decisions_are_an_append_only_trail(db_url, report):  # noqa: F811
    res = _load(db_url, report)
    with session_scope(db_url) as s:
        user = create_user(s, "lan", "argon2$fake")
        flag = s.scalars(select(FlagRow).where(FlagRow.version_id == res.version_id)).first()
        first = record_decision(s, flag.id, "confirm", "lan", reason="đúng là sai", user_id=user.id)
        record_decision(s, flag.id, "correct", "minh", corrected_value="17", reason="số đúng là 17")
        with pytest.raises(ReviewError):
            record_decision(s, flag.id, "correct", "minh")
        with pytest.raises(ReviewError):
            record_decision(s, flag.id, "approve", "minh")
        first_id, flag_id = first.id, flag.id
    with session_scope(db_url) as s:
        trail = decisions_for(s, flag_id)
        assert [(d.action, d.reviewer, d.corrected_value) for d in trail] == \
               [("confirm", "lan", None), ("correct", "minh", "17")]
        assert trail[0].id == first_id and trail[0].reason == "đúng là sai" and trail[0].user_id is not None
        assert all(d.original_value == trail[0].flag.stated for d in trail)
        assert trail[0].created_at <= trail[1].created_at
        assert s.get(FlagRow, flag_id).status == "corrected"
        assert s.scalar(select(ReviewDecision.id).where(ReviewDecision.action == "approve")) is None


def test_a_carried_decision_is_reopened_when_its_flag_no_longer_reads_the_same(db_url, report):  # noqa: F811
    """Issue 14: a correction decided on "stated 8.28, computed 828" must not silently carry to a
    version where the rows add up to something else; a flag whose evidence only moved (a row
    inserted above it) keeps its decision."""
    from outputs.db.models import FLAG_STATUSES
    from outputs.db.queries import list_flags

    assert "needs-review" in FLAG_STATUSES
    total = next(f for f in report.flags if f.rule == "total_mismatch" and isinstance(f.computed, (int, float)))
    moved = next(f for f in report.flags if f is not total and any(
        "row" in r for r in (f.evidence or {}).get("readings", [])))
    first = _load(db_url, report)
    with session_scope(db_url) as s:
        rows = {r.flag_key: r for r in s.scalars(select(FlagRow).where(FlagRow.version_id == first.version_id))}
        record_decision(s, rows[total.id].id, "correct", "lan", reason="the rows add up", corrected_value="828")
        record_decision(s, rows[moved.id].id, "dismiss", "lan", reason="read correctly")
    changed_total = total.model_copy(update={"computed": total.computed + 5})
    evidence = dict(moved.evidence)
    evidence["readings"] = [dict(r, row=r["row"] + 1) for r in moved.evidence["readings"]]
    shifted = moved.model_copy(update={"evidence": evidence})
    others = [f for f in report.flags if f is not total and f is not moved]
    second = _load(db_url, _variant(report, "e" * 64, [changed_total, shifted] + others))
    assert (second.status, second.carried_decisions, second.reopened) == ("changed", 2, 1)
    with session_scope(db_url) as s:
        rows = {r.flag_key: r for r in s.scalars(select(FlagRow).where(FlagRow.version_id == second.version_id))}
        reopened, kept = rows[total.id], rows[moved.id]
        assert reopened.status == "needs-review"
        assert reopened.reopen_reason == f"computed value changed: 828 → {int(total.computed) + 5}"
        (old,) = decisions_for(s, reopened.id)  # the old decision comes along, for the reviewer to see
        assert (old.action, old.corrected_value, old.reviewer) == ("correct", "828", "lan") and old.carried_from_id
        assert (kept.status, kept.reopen_reason) == ("dismissed", None)
        assert [f.id for f, _ in list_flags(s, status="needs-review")] == [reopened.id]
        record_decision(s, reopened.id, "confirm", "minh", reason="still wrong, total is 833 now")
    third = _load(db_url, _variant(report, "d" * 64, [changed_total, shifted] + others))  # nothing moved
    assert (third.carried_decisions, third.reopened) == (3, 0)
    with session_scope(db_url) as s:
        again = s.scalars(select(FlagRow).where(FlagRow.version_id == third.version_id,
                                                FlagRow.flag_key == total.id)).one()
        assert again.status == "confirmed" and [d.action for d in decisions_for(s, again.id)] == ["correct", "confirm"]


def test_flag_changes_tell_what_a_reviewer_must_look_at_again():
    from outputs.db.loader import flag_changes

    def flag(computed, values, row=3, confidence=None):
        return FlagRow(computed=computed, expected=computed, evidence={
            "values": values, "readings": [{"role": "stated", "raw": "5.252", "row": row, "col": 2,
                                            "confidence": confidence}]})

    before = flag(5262, [5000, 262])
    assert flag_changes(before, flag(5267, [5005, 262])) == ["computed value changed: 5262 → 5267"]
    assert flag_changes(before, flag(5262, [5100, 162])) == ["evidence changed"]  # same sum, other rows
    assert flag_changes(before, flag(5262.0, [5000, 262], row=4, confidence=0.71)) == []  # only moved / re-read

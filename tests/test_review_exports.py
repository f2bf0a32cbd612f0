"""Exports of the review (CSV and XLSX) and the archivists' report search, through TestClient."""
from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from review_helpers import (
    SECRET, USER, csrf_of, document_id, flag_id, sign_in,
)


@pytest.fixture
def client(db, tmp_path):
    from review.app import create_app

    with TestClient(create_app(db, secret=SECRET, cache_dir=tmp_path / "cache")) as c:
        assert sign_in(c).status_code == 303
        yield c


def _decide(client, fid: int, **form) -> None:
    r = client.post(f"/flags/{fid}/decision", data={**form, "csrf_token": csrf_of(client.get("/").text)},
                    follow_redirects=False)
    assert r.status_code == 303


def _csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs read the Vietnamese right
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_flags_csv_follows_the_queue_and_carries_the_latest_decision(client, db):
    pdf = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    _decide(client, pdf, action="dismiss", reason="đọc nhầm")
    _decide(client, pdf, action="correct", corrected_value="828", reason="cộng các dòng")
    r = client.get("/export/flags.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="baocao-flags.csv"' in r.headers["content-disposition"]
    rows = _csv(r.content)
    api = client.get("/api/flags").json()["flags"]
    assert [int(x["flag_id"]) for x in rows] == [f["id"] for f in api]
    row = next(x for x in rows if int(x["flag_id"]) == pdf)
    assert row["document"] == "duc-chinh-2020-h1.pdf"
    assert row["office"] == "Trung tâm học tập cộng đồng phường Đức Chính"
    assert row["period"] == "6 tháng đầu năm 2020" and row["report_number"] == "12/BC-TTHTCĐ"
    assert (row["rule"], row["stated"], row["computed"], row["status"]) == ("total_mismatch", "8.28", "828", "corrected")
    assert (row["decision"], row["corrected_value"], row["reason"], row["reviewer"]) == \
        ("correct", "828", "cộng các dòng", USER)
    assert row["decided_at"].endswith("+00:00")
    assert row["message"].startswith("Bảng t1") and row["message_en"].startswith("Table t1")
    only = _csv(client.get("/export/flags.csv?rule=total_mismatch&status=open").content)
    assert [x["document"] for x in only] == ["duc-chinh-2020-h1.docx"]


def test_decisions_csv_is_the_whole_audit_trail(client, db):
    pdf = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    ref = flag_id(db, "reference_mismatch", "mao-khe-2021-chi-thi-04.docx")
    _decide(client, pdf, action="dismiss", reason="first look")
    _decide(client, pdf, action="correct", corrected_value="828")
    _decide(client, ref, action="confirm")
    rows = _csv(client.get("/export/decisions.csv").content)
    assert [(int(x["flag_id"]), x["action"]) for x in rows] == [(pdf, "dismiss"), (pdf, "correct"), (ref, "confirm")]
    assert rows[1]["original_value"] == "8.28" and rows[1]["corrected_value"] == "828"
    assert rows[0]["reason"] == "first look" and all(x["reviewer"] == USER for x in rows)
    mk = _csv(client.get("/export/decisions.csv", params={"office": "Ủy ban nhân dân phường Mạo Khê"}).content)
    assert [int(x["flag_id"]) for x in mk] == [ref]


def test_xlsx_has_a_flags_and_a_decisions_sheet(client, db):
    from openpyxl import load_workbook

    pdf = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    _decide(client, pdf, action="correct", corrected_value="828", reason="rows add up")
    r = client.get("/export/review.xlsx?rule=total_mismatch")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Flags", "Decisions"]
    flags = list(wb["Flags"].values)
    head = flags[0]
    got = {(r[head.index("document")], r[head.index("stated")], r[head.index("status")]) for r in flags[1:]}
    assert got == {("duc-chinh-2020-h1.pdf", "8.28", "corrected"), ("duc-chinh-2020-h1.docx", "8.28", "open")}
    assert all(r[head.index("computed")] == 828 for r in flags[1:])  # a number, not text
    dec = list(wb["Decisions"].values)
    dh = dec[0]
    assert len(dec) == 2
    assert (dec[1][dh.index("action")], dec[1][dh.index("original_value")], dec[1][dh.index("corrected_value")],
            dec[1][dh.index("reviewer")], dec[1][dh.index("reason")]) == ("correct", "8.28", "828", USER, "rows add up")
    assert wb["Flags"].freeze_panes == "A2"


def test_unknown_export(client):
    assert client.get("/export/flags.pdf").status_code == 404


# --- report search -----------------------------------------------------------------------------

def _names(client, **params) -> list[str]:
    html = client.get("/reports", params=params).text
    import re

    return sorted(re.findall(r'<div class="muted small">([^<]+)</div></td>', html))


def test_search_by_words_office_period_and_type(client):
    every = ["duc-chinh-2020-h1.docx", "duc-chinh-2020-h1.pdf", "mao-khe-2021-chi-thi-04.docx"]
    assert _names(client) == every
    assert _names(client, q="sông Cầm") == every[:2]
    assert _names(client, q="QUỸ KHUYẾN HỌC") == every[2:]  # Vietnamese capitals fold too
    assert _names(client, q="quỹ khuyến học") == every[2:]
    assert _names(client, q="khuyến học sông Cầm") == every[:2]  # every word, anywhere in the text
    assert _names(client, q="xyzzy") == []
    assert _names(client, q="50%_") == []  # LIKE wildcards are literal
    assert _names(client, office="Ủy ban nhân dân phường Mạo Khê") == every[2:]
    assert _names(client, period="2021") == every[2:]
    assert _names(client, period="2018") == every[2:]  # 2016 – 2021 covers 2018
    assert _names(client, period="2020") == every  # both periods touch 2020
    assert _names(client, type="báo cáo") == every
    assert _names(client, type="kế hoạch") == []


def test_report_page_shows_metadata_sections_tables_and_the_original(client, db):
    doc = document_id(db, "duc-chinh-2020-h1.pdf")
    html = client.get(f"/reports/{doc}").text
    assert "12/BC-TTHTCĐ" in html and "Trung tâm học tập cộng đồng phường Đức Chính" in html
    assert "6 tháng đầu năm 2020" in html and "6 pages" in html
    for number, title in (("I", "Đặc điểm tình hình địa phương"), ("II.2", "Kết quả thực hiện"),
                          ("V", "Phương hướng nhiệm vụ 6 tháng cuối năm 2020")):
        assert f"<b>{number}</b> {title}" in html
    assert 'id="table-t1"' in html and ">8.28<" in html and ">Tổng số<" in html
    assert f'href="/documents/{doc}/file"' in html
    assert "785,87" in html  # a figure
    fid = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    assert f'href="/flags/{fid}?document={doc}"' in html
    assert client.get("/reports/999").status_code == 404


@pytest.mark.postgres
def test_postgres_full_text_search(tmp_path):
    """to_tsvector('simple', …) @@ plainto_tsquery on PostgreSQL (skipped when it is not running)."""
    pytest.importorskip("psycopg")
    from pipeline_helpers import pg_available, pg_schema

    if not pg_available():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not running")
    from conftest import report_cached

    from extractors import __version__ as version
    from outputs.db import session_scope
    from outputs.db.loader import load_report
    from review.store import ReportFilter, search_reports
    from review_helpers import DOCS, SAMPLE

    with pg_schema("baocao_review") as url:
        with session_scope(url) as s:
            for name in SAMPLE:
                load_report(s, report_cached(str(DOCS / name)), extractor_version=version)
        with session_scope(url) as s:
            def names(**kw):
                return sorted(d.path.rsplit("/", 1)[1] for d, _, _ in search_reports(s, ReportFilter(**kw)))

            assert names(q="sông Cầm") == ["duc-chinh-2020-h1.docx", "duc-chinh-2020-h1.pdf"]
            assert names(q="quỹ khuyến học") == ["mao-khe-2021-chi-thi-04.docx"]
            assert names(q="xyzzy") == []
            assert names(q="khuyến", period="2021") == ["mao-khe-2021-chi-thi-04.docx"]


@pytest.mark.postgres
def test_the_app_on_postgres(tmp_path):
    """The same app over PostgreSQL: queue, facets, flag page, a decision, exports, search."""
    pytest.importorskip("psycopg")
    from pipeline_helpers import pg_available, pg_schema

    if not pg_available():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not running")
    from conftest import report_cached

    from extractors import __version__ as version
    from outputs.db import session_scope
    from outputs.db.loader import load_report
    from review.app import create_app
    from review.auth import add_user
    from review_helpers import DOCS, PASSWORD, SAMPLE

    with pg_schema("baocao_review") as url:
        with session_scope(url) as s:
            for name in SAMPLE:
                load_report(s, report_cached(str(DOCS / name)), extractor_version=version)
            add_user(s, USER, PASSWORD)
        with TestClient(create_app(url, secret=SECRET, cache_dir=tmp_path / "cache")) as c:
            assert sign_in(c).status_code == 303
            page = c.get("/flags?rule=total_mismatch&period=2020")
            assert page.status_code == 200 and page.text.count('data-href="/flags/') == 2
            assert "6 tháng đầu năm 2020" in page.text  # the period facet, read from the JSON record
            fid = flag_id(url, "total_mismatch", "duc-chinh-2020-h1.pdf")
            html = c.get(f"/flags/{fid}?rule=total_mismatch").text
            assert '<span class="stated" title="as written in the report">8.28</span>' in html
            _decide(c, fid, action="correct", corrected_value="828")
            rows = _csv(c.get("/export/decisions.csv").content)
            assert [(x["action"], x["original_value"], x["corrected_value"]) for x in rows] == [("correct", "8.28", "828")]
            assert c.get("/").status_code == 200
            assert _names(c, q="sông Cầm") == ["duc-chinh-2020-h1.docx", "duc-chinh-2020-h1.pdf"]

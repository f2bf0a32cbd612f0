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
    # one line per report: the other files holding the same flag are named, and decided with it
    assert "duc-chinh-2020-h1.docx" in row["other_files"].split("; ")
    assert "duc-chinh-2020-h1.docx" not in [x["document"] for x in rows]
    corrected = _csv(client.get("/export/flags.csv?rule=total_mismatch&status=corrected").content)
    assert [x["flag_id"] for x in corrected] == [str(pdf)]


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
    assert ("duc-chinh-2020-h1.pdf", "8.28", "corrected") in got
    assert not any(d == "duc-chinh-2020-h1.docx" for d, _, _ in got)
    assert all(r[head.index("computed")] == 828 for r in flags[1:] if r[head.index("stated")] == "8.28")  # a number
    dec = list(wb["Decisions"].values)
    dh = dec[0]
    assert len(dec) == 2
    assert (dec[1][dh.index("action")], dec[1][dh.index("original_value")], dec[1][dh.index("corrected_value")],
            dec[1][dh.index("reviewer")], dec[1][dh.index("reason")]) == ("correct", "8.28", "828", USER, "rows add up")
    assert wb["Flags"].freeze_panes == "A2"


def test_unknown_export(client):
    assert client.get("/export/flags.pdf").status_code == 404


# --- report search -----------------------------------------------------------------------------

def _entries(client, **params) -> list[list[str]]:
    """The reports found, each as its files (the first one, then the others of the same report)."""
    html = client.get("/reports", params=params).text
    import re

    return [re.findall(r'class="muted small file[^"]*">(?:<a[^>]*>)?([^<]+)', row)
            for row in re.findall(r'<tr class="report-row">(.*?)</tr>', html, re.S)]


def _names(client, **params) -> list[str]:
    """"duc-chinh" / "mao-khe": the reports found (a scan the OCR read apart counts alike)."""
    return sorted({f.split("-20")[0] for files in _entries(client, **params) for f in files})


DUC_CHINH = "duc-chinh"


def test_search_by_words_office_period_and_type(client):
    every = [DUC_CHINH, "mao-khe"]
    pdf_entry = next(e for e in _entries(client) if "duc-chinh-2020-h1.pdf" in e)
    assert pdf_entry[:2] == ["duc-chinh-2020-h1.pdf", "duc-chinh-2020-h1.docx"]  # one report in two files: one entry
    assert _names(client) == every
    assert _names(client, q="sông Cầm") == every[:1]
    assert _names(client, q="chỉ thị 04") == every[1:]
    assert _names(client, q="CHỈ THỊ 04") == every[1:]  # Vietnamese capitals fold too
    assert _names(client, q="chi thi 04") == every[1:]  # without diacritics, as most people type
    assert _names(client, q="Mao Khe") == _names(client, q="mạo khê") == every[1:]
    assert _names(client, q="khuyen hoc") == _names(client, q="khuyến học") == every
    assert _names(client, q="song cam") == every[:1]
    assert _names(client, q="khuyến học sông Cầm") == every[:1]  # every word, anywhere in the text
    assert _names(client, q="xyzzy") == []
    from review.store import ReportFilter, search_reports  # ranked: the report about it first

    with client.app.state.sessions() as s:
        assert [h.path for h in search_reports(s, ReportFilter(q="quỹ khuyến học"))][0] == "mao-khe-2021-chi-thi-04.docx"
    assert _names(client, q="khuyen hoc") == _names(client, q="khuyến học")
    assert _names(client, q='"khuyến*" (học') == every  # FTS syntax is only punctuation between words
    assert client.get("/reports", params={"q": 'NEAR("a" b) OR -c:*'}).status_code == 200
    assert _names(client, office="Ủy ban nhân dân phường Mạo Khê") == every[1:]
    assert _names(client, period="2021") == every[1:]
    assert _names(client, period="2018") == every[1:]  # 2016 – 2021 covers 2018
    assert _names(client, period="2020") == every  # both periods touch 2020
    assert _names(client, type="báo cáo") == every
    assert _names(client, type="kế hoạch") == []


def test_report_page_shows_metadata_sections_tables_and_the_original(client, db):
    doc = document_id(db, "duc-chinh-2020-h1.pdf")
    html = client.get(f"/reports/{doc}").text
    assert "12/BC-TTHTCĐ" in html and "Trung tâm học tập cộng đồng phường Đức Chính" in html
    assert "6 tháng đầu năm 2020" in html and "6 trang" in html
    assert '<dd class="small" id="file-path">duc-chinh-2020-h1.pdf</dd>' in html  # relative to the ingested folder
    assert "duc-chinh-2020-h1.docx</a>" in html and "duc-chinh-2020-h1.scan.pdf</a>" in html  # other files
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
                return sorted({p.split("-20")[0] for h in search_reports(s, ReportFilter(**kw))
                               for p in [h.path] + [o.path for o in h.others]})

            assert names(q="sông Cầm") == [DUC_CHINH]
            assert names(q="chỉ thị 04") == ["mao-khe"]
            assert names(q="CHI THI 04") == ["mao-khe"]  # unaccent, case
            assert names(q="khuyen hoc") == names(q="khuyến học") == [DUC_CHINH, "mao-khe"]
            assert names(q="xyzzy") == []
            assert names(q="khuyến", period="2021") == ["mao-khe"]


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
            add_user(s, USER, PASSWORD, "archivist")
        with TestClient(create_app(url, secret=SECRET, cache_dir=tmp_path / "cache")) as c:
            assert sign_in(c).status_code == 303
            page = c.get("/flags?rule=total_mismatch&period=2020")
            assert page.status_code == 200 and 'data-href="/flags/' in page.text
            assert "duc-chinh-2020-h1.docx" not in page.text.split('<table class="list queue"')[1]  # listed once
            assert "6 tháng đầu năm 2020" in page.text  # the period facet, read from the JSON record
            fid = flag_id(url, "total_mismatch", "duc-chinh-2020-h1.pdf")
            html = c.get(f"/flags/{fid}?rule=total_mismatch").text
            assert '<span class="stated" title="như ghi trong báo cáo">8.28</span>' in html
            _decide(c, fid, action="correct", corrected_value="828")
            rows = _csv(c.get("/export/decisions.csv").content)
            assert [(x["action"], x["original_value"], x["corrected_value"]) for x in rows] == [("correct", "8.28", "828")]
            assert c.get("/").status_code == 200
            assert _names(c, q="song cam") == [DUC_CHINH]
            assert _names(c, q="dong") == [DUC_CHINH, "mao-khe"]  # unaccent folds đ
            mk = c.get("/api/flags", params={"office": "Ủy ban nhân dân phường Mạo Khê"}).json()["flags"]
            assert c.get("/flags", params={"q": "chi thi 04"}).text.count('data-href="/flags/') == len(mk)

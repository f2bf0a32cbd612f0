"""The review app through FastAPI's TestClient, over the ingested sample corpus: sign-in, CSRF,
the queue and its filters, the flag page, decisions and the audit trail, files and pages."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from review_helpers import (
    PASSWORD, SECRET, USER, csrf_of, document_id, flag_id, sign_in,
)


@pytest.fixture
def app(db, tmp_path):
    from review.app import create_app

    return create_app(db, secret=SECRET, cache_dir=tmp_path / "cache")


@pytest.fixture
def client(app):
    with TestClient(app, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def signed_in(client):
    r = sign_in(client)
    assert r.status_code == 303
    return client


def _token(client, path: str = "/") -> str:
    return csrf_of(client.get(path).text)


def _cells(html: str, cls: str) -> list[str]:
    """Texts of the table cells carrying class `cls`."""
    out = []
    for m in re.finditer(r'<td class="([^"]*)"[^>]*>(.*?)</td>', html, re.S):
        if cls in m.group(1).split():
            out.append(re.sub(r"<[^>]+>", " ", m.group(2)).split())
    return [" ".join(x) for x in out]


# --- signing in --------------------------------------------------------------------------------

def test_signed_out_visitors_see_nothing(client, db):
    fid = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    doc = document_id(db, "duc-chinh-2020-h1.pdf")
    for page in ("/", "/flags", f"/flags/{fid}", "/reports", f"/reports/{doc}"):
        r = client.get(page, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), page
    assert client.get(f"/flags/{fid}", follow_redirects=False).headers["location"] == f"/login?next=%2Fflags%2F{fid}"
    for route in ("/api/flags", f"/api/flags/{fid}", f"/documents/{doc}/file", f"/documents/{doc}/pages/5.png",
                  "/export/flags.csv", "/export/review.xlsx"):
        r = client.get(route, follow_redirects=False)
        assert r.status_code == 401, route
        assert "8.28" not in r.text
    token = csrf_of(client.get("/login").text)  # a signed-out session with a valid token still may not decide
    r = client.post(f"/flags/{fid}/decision", data={"action": "confirm", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    sign_in(client)
    assert client.get(f"/api/flags/{fid}").json()["decisions"] == []


def test_sign_in_checks_the_argon2_password(client):
    assert sign_in(client, USER, "wrong password").status_code == 401
    assert sign_in(client, "nobody", PASSWORD).status_code == 401
    assert client.get("/", follow_redirects=False).status_code == 303
    r = sign_in(client, next_="/reports")
    assert r.status_code == 303 and r.headers["location"] == "/reports"
    page = client.get("/")
    assert page.status_code == 200 and USER in page.text and "Cảnh báo cần xử lý theo loại lỗi" in page.text


def test_sign_in_never_redirects_to_another_site(client):
    for target in ("//evil.example/x", "https://evil.example/", "\\\\evil"):
        r = sign_in(client, next_=target)
        assert r.headers["location"] == "/", target


def test_sign_out_needs_the_token_and_ends_the_session(signed_in):
    assert signed_in.post("/logout", data={}).status_code == 403
    assert signed_in.get("/").status_code == 200  # still signed in
    r = signed_in.post("/logout", data={"csrf_token": _token(signed_in)}, follow_redirects=False)
    assert r.status_code == 303
    assert signed_in.get("/", follow_redirects=False).status_code == 303


def test_a_deleted_account_loses_its_session(signed_in, db):
    from sqlalchemy import delete

    from outputs.db import User, session_scope

    with session_scope(db) as s:
        s.execute(delete(User).where(User.username == USER))
    assert signed_in.get("/", follow_redirects=False).status_code == 303
    assert signed_in.get("/api/flags").status_code == 401


def test_session_cookie_is_signed(signed_in, app):
    cookie = signed_in.cookies.get("baocao_session")
    assert cookie
    with TestClient(app) as other:  # a forged cookie (payload changed, signature kept) is ignored
        payload, _, sig = cookie.partition(".")
        other.cookies.set("baocao_session", payload[:-2] + "AA." + sig)
        assert other.get("/", follow_redirects=False).status_code == 303


# --- CSRF --------------------------------------------------------------------------------------

def test_every_post_needs_the_session_csrf_token(signed_in, db):
    fid = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    form = {"action": "confirm", "reason": "checked"}
    assert signed_in.post(f"/flags/{fid}/decision", data=form).status_code == 403
    assert signed_in.post(f"/flags/{fid}/decision", data={**form, "csrf_token": "forged"}).status_code == 403
    with TestClient(signed_in.app) as stranger:  # another session's token is not this one's
        other = csrf_of(stranger.get("/login").text)
    assert signed_in.post(f"/flags/{fid}/decision", data={**form, "csrf_token": other}).status_code == 403
    assert signed_in.get(f"/api/flags/{fid}").json()["decisions"] == []
    ok = signed_in.post(f"/flags/{fid}/decision", data={**form, "csrf_token": _token(signed_in)},
                        follow_redirects=False)
    assert ok.status_code == 303
    r = signed_in.post(f"/flags/{fid}/decision", data=form, headers={"X-CSRF-Token": _token(signed_in)},
                       follow_redirects=False)
    assert r.status_code == 303
    assert [d["action"] for d in signed_in.get(f"/api/flags/{fid}").json()["decisions"]] == ["confirm", "confirm"]


def test_login_form_needs_its_token_too(client):
    r = client.post("/login", data={"username": USER, "password": PASSWORD})
    assert r.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


# --- the queue ---------------------------------------------------------------------------------

def test_queue_filters_and_counts(signed_in, db):
    all_flags = signed_in.get("/api/flags").json()
    assert all_flags["counts"] == {"open": len(all_flags["flags"]), "needs-review": 0, "confirmed": 0,
                                   "dismissed": 0, "corrected": 0}
    tm = signed_in.get("/api/flags?rule=total_mismatch").json()["flags"]
    # one report in several files (pdf, docx, and a scan read by OCR): its flag is listed once, from
    # the PDF's text layer (the scan's too when the OCR read it alike)
    docs = [f["document"] for f in tm]
    assert "duc-chinh-2020-h1.pdf" in docs and "duc-chinh-2020-h1.docx" not in docs
    pdf = next(f for f in tm if f["document"] == "duc-chinh-2020-h1.pdf")
    assert pdf["sources"] >= 2 and pdf["stated"] == "8.28" and pdf["computed"] == 828
    docx = document_id(db, "duc-chinh-2020-h1.docx")  # one file asked for: its own flags
    assert [f["document"] for f in signed_in.get(f"/api/flags?rule=total_mismatch&document={docx}").json()["flags"]] \
        == ["duc-chinh-2020-h1.docx"]
    mk = signed_in.get("/api/flags", params={"office": "Ủy ban nhân dân phường Mạo Khê"}).json()["flags"]
    assert mk and all("mao-khe" in f["document"] for f in mk)
    by_year = signed_in.get("/api/flags?period=2021").json()["flags"]
    assert {f["id"] for f in by_year} == {f["id"] for f in mk}
    assert signed_in.get("/api/flags?period=2020-01-01..2020-06-30").json()["flags"] == \
        [f for f in all_flags["flags"] if "duc-chinh" in f["document"]]
    errors = signed_in.get("/api/flags?severity=error").json()["flags"]
    assert {f["severity"] for f in errors} == {"error"} and pdf["id"] in {f["id"] for f in errors}
    by_rule = [f["rule"] for f in signed_in.get("/api/flags?sort=rule&dir=desc").json()["flags"]]
    assert by_rule == sorted(by_rule, reverse=True)
    page = signed_in.get("/flags?rule=total_mismatch")
    assert page.status_code == 200 and page.text.count('data-href="/flags/') == len(tm)
    assert 'data-status="open"' in page.text and f"chưa xử lý <b>{len(tm)}</b>" in page.text
    assert "Dòng tổng khác tổng các dòng" in page.text  # the rule's Vietnamese title, in the filter too
    assert '<option value="total_mismatch" selected>Dòng tổng khác tổng các dòng</option>' in page.text


def test_counts_follow_decisions(signed_in, db):
    fid = flag_id(db, "implausible_percentage", "mao-khe-2021-chi-thi-04.docx")
    office = {"office": "Ủy ban nhân dân phường Mạo Khê"}
    n = len(signed_in.get("/api/flags", params=office).json()["flags"])
    signed_in.post(f"/flags/{fid}/decision", data={"action": "confirm", "csrf_token": _token(signed_in)})
    counts = signed_in.get("/api/flags", params=office).json()["counts"]
    assert counts["confirmed"] == 1 and counts["open"] == n - 1
    assert [f["id"] for f in signed_in.get("/api/flags?status=confirmed").json()["flags"]] == [fid]
    overview = signed_in.get("/").text
    assert re.search(r"<b>1</b><span>đã xác nhận</span>", overview)


# --- the flag page -----------------------------------------------------------------------------

def test_flag_page_shows_the_table_as_in_the_report(signed_in, db):
    fid = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    html = signed_in.get(f"/flags/{fid}?rule=total_mismatch").text
    assert "Bảng t1" in html and "Table t1, column" in html  # both messages
    assert "<h1>Dòng tổng khác tổng các dòng</h1>" in html and ">chưa xử lý</span>" in html
    assert "8.28 có lẽ là 828" in html  # the suggestion
    assert _cells(html, "hl-stated") == ["8.28 828"]
    assert re.search(r'<span class="stated"[^>]*>8.28</span><span class="computed"[^>]*>828</span>', html)
    assert _cells(html, "hl-related") == ["350", "150", "142", "186"]
    # the merged header "Số lượt người tham gia" over "Tổng số" and "Nữ", as two header rows
    assert re.search(r'<th colspan="2" class="parent[^"]*"[^>]*>Số lượt người tham gia</th>', html)
    assert re.search(r'<th rowspan="2"[^>]*>Tên hoạt động giáo dục</th>', html)
    assert re.search(r'<th class="hl-col"[^>]*>Tổng số</th>', html)
    assert "/work/" not in html and "shared/corpus" not in html  # no server path
    assert re.search(r'<tr class="total-row"', html)
    assert "<b>II</b> Tổ chức hoạt động" in html and "<b>II.2</b> Kết quả thực hiện" in html
    doc = document_id(db, "duc-chinh-2020-h1.pdf")
    assert f'href="/documents/{doc}/file"' in html
    assert f'href="/documents/{doc}/pages/5.png"' in html and 'class="box box-stated" x="357.2" y="308.35"' in html
    assert re.search(r'<span class="pos">1 / \d+</span>', html)
    # the same flag of the report's other files: named, and decided with it
    assert re.search(r'<div class="twins small" id="twins">.*duc-chinh-2020-h1.docx</a>', html, re.S)


def test_prose_flag_shows_the_sentence_in_its_paragraph(signed_in, db):
    fid = flag_id(db, "implausible_percentage", "mao-khe-2021-chi-thi-04.docx")
    html = signed_in.get(f"/flags/{fid}").text
    assert '<mark class="hl-stated">trên 100%</mark>' in html
    m = re.search(r'<p class="para" lang="vi">(.*?)</p>', html, re.S)
    assert m and m.group(1).startswith("Mạo Khê là địa phương")  # the whole paragraph, not the sentence alone
    assert '<mark class="hl-sentence">Trong đó có </mark>' in m.group(1)
    assert "<b>III</b> ĐÁNH GIÁ CHUNG" in html and "<b>III.1</b> Ưu điểm" in html
    assert "pages/" not in html  # a Word file: no page image


def test_page_image_is_rendered_once_and_cached(signed_in, db, tmp_path):
    doc = document_id(db, "duc-chinh-2020-h1.pdf")
    r = signed_in.get(f"/documents/{doc}/pages/5.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    w, h = int.from_bytes(r.content[16:20], "big"), int.from_bytes(r.content[20:24], "big")
    assert abs(w - 827) <= 1 and abs(h - 1170) <= 1  # A4 (595 × 842 pt) at 100 dpi
    cached = list((tmp_path / "cache").glob("*-p5-r100.png"))
    assert len(cached) == 1
    mtime = cached[0].stat().st_mtime_ns
    assert signed_in.get(f"/documents/{doc}/pages/5.png").content == r.content
    assert cached[0].stat().st_mtime_ns == mtime
    assert signed_in.get(f"/documents/{doc}/pages/7.png").status_code == 404
    docx = document_id(db, "duc-chinh-2020-h1.docx")
    assert signed_in.get(f"/documents/{docx}/pages/1.png").status_code == 404


def test_original_files_are_served_only_for_documents_in_the_database(signed_in, db):
    from review_helpers import DOCS

    doc = document_id(db, "duc-chinh-2020-h1.pdf")
    r = signed_in.get(f"/documents/{doc}/file")
    assert r.status_code == 200 and r.content == (DOCS / "duc-chinh-2020-h1.pdf").read_bytes()
    assert r.headers["content-type"] == "application/pdf"
    docx = signed_in.get(f"/documents/{document_id(db, 'mao-khe-2021-chi-thi-04.docx')}/file")
    assert docx.status_code == 200 and docx.content[:2] == b"PK" and "attachment" in docx.headers["content-disposition"]
    assert signed_in.get("/documents/999/file").status_code == 404
    assert signed_in.get("/documents/..%2F..%2Fetc%2Fpasswd/file").status_code == 404


# --- decisions ---------------------------------------------------------------------------------

def test_decisions_are_appended_with_who_when_what_why(signed_in, db):
    from outputs.db import FlagRow, ReviewDecision, session_scope

    fid = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    url = f"/flags/{fid}/decision"
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=2)

    r = signed_in.post(url, data={"action": "dismiss", "csrf_token": _token(signed_in)}, follow_redirects=True)
    assert "Cần ghi lý do khi bác bỏ" in r.text
    r = signed_in.post(url, data={"action": "correct", "corrected_value": "  ", "csrf_token": _token(signed_in)})
    assert "Cần nhập giá trị đúng khi sửa" in r.text
    assert signed_in.get(f"/api/flags/{fid}").json()["decisions"] == []

    signed_in.post(url, data={"action": "dismiss", "reason": "typo in the scan", "csrf_token": _token(signed_in)})
    r = signed_in.post(url, data={"action": "correct", "corrected_value": "828", "reason": "rows add up to 828",
                                  "queue": "rule=total_mismatch", "csrf_token": _token(signed_in)},
                       follow_redirects=False)
    assert r.headers["location"] == f"/flags/{fid}?rule=total_mismatch"
    page = signed_in.get(r.headers["location"]).text
    assert "Đã ghi nhận sửa: 8.28 → 828." in page

    api = signed_in.get(f"/api/flags/{fid}").json()
    assert api["status"] == "corrected" and api["stated"] == "8.28"  # the original is never overwritten
    d1, d2 = api["decisions"]
    assert (d1["action"], d1["reason"], d1["reviewer"]) == ("dismiss", "typo in the scan", USER)
    assert (d2["action"], d2["original_value"], d2["corrected_value"], d2["reason"]) == \
        ("correct", "8.28", "828", "rows add up to 828")
    assert before <= dt.datetime.fromisoformat(d2["created_at"]) <= dt.datetime.now(dt.timezone.utc)
    with session_scope(db) as s:
        assert s.get(FlagRow, fid).stated == "8.28"
        assert [x.action for x in s.query(ReviewDecision).filter_by(flag_id=fid).order_by(ReviewDecision.id)] == \
            ["dismiss", "correct"]
    trail = re.findall(r'<li class="audit-entry[^"]*" data-action="(\w+)">.*?<span class="audit-who">(.*?)</span>'
                       r'.*?<time class="audit-when" datetime="([^"]+)">', page, re.S)
    assert [(a, w) for a, w, _ in trail] == [("dismiss", USER), ("correct", USER)]
    assert '<span class="orig-value">8.28</span>' in page and '<b class="new-value">828</b>' in page
    assert "“rows add up to 828”" in page
    # the same decisions on the report's other files (decided once)
    assert flag_id(db, "total_mismatch", "duc-chinh-2020-h1.docx") in api["twins"]
    for twin_id in api["twins"]:
        twin = signed_in.get(f"/api/flags/{twin_id}").json()
        assert twin["status"] == "corrected"
        assert [(d["action"], d["carried_from_id"]) for d in twin["decisions"]] == \
            [("dismiss", d1["id"]), ("correct", d2["id"])]


def test_advance_goes_to_the_next_flag_of_the_queue(signed_in, db):
    ids = [f["id"] for f in signed_in.get("/api/flags?status=open").json()["flags"]]
    assert len(ids) > 3
    r = signed_in.post(f"/flags/{ids[0]}/decision", data={"action": "confirm", "advance": "1", "queue": "status=open",
                                                          "csrf_token": _token(signed_in)}, follow_redirects=False)
    assert r.headers["location"] == f"/flags/{ids[1]}?status=open"
    html = signed_in.get(r.headers["location"]).text
    assert f"1 / {len(ids) - 1}" in html
    assert f'id="next-flag" href="/flags/{ids[2]}?status=open"' in html


def test_unknown_flag_or_action(signed_in):
    for fid in ("9999", "99999999999999999999", "18446744073709551616", "0", "-1", "1e3", "%C2%B2"):
        assert signed_in.get(f"/flags/{fid}").status_code == 404, fid  # never a 500 or a 422
        assert signed_in.get(f"/api/flags/{fid}").status_code == 404, fid
        assert signed_in.post(f"/flags/{fid}/decision", data={"action": "confirm",
                                                              "csrf_token": _token(signed_in)}).status_code == 404
        assert signed_in.get(f"/reports/{fid}").status_code == 404
        assert signed_in.get(f"/documents/{fid}/file").status_code == 404
    assert signed_in.get("/documents/1/pages/99999999999999999999999.png").status_code == 404
    assert signed_in.get("/reports/1?version=99999999999999999999").status_code == 404
    assert signed_in.get("/flags?after=99999999999999999999999&document=99999999999999999999").status_code == 200
    r = signed_in.post("/flags/1/decision", data={"action": "delete", "csrf_token": _token(signed_in)})
    assert "không hợp lệ" in r.text
    r = signed_in.post("/flags/1/decision", data={"csrf_token": _token(signed_in)})
    assert r.status_code == 200 and "Hãy chọn hành động" in r.text
    assert signed_in.get("/api/flags/1").json()["decisions"] == []

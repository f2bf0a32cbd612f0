"""The review app for a team, through TestClient: roles (reviewer, archivist, admin), overrides
of another reviewer's decision, server-side sessions (sign-out, disabling, a new password end
them), the `baocao users` commands, login throttling, security headers and Secure cookies, the
needs-review status and doubtful flags, keyset pages of the queue, and the message catalogs."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from review_helpers import ADMIN, PASSWORD, REVIEWER, SECRET, USER, csrf_of, document_id, flag_id, sign_in


def _app(db, tmp_path, **kw):
    from review.app import create_app

    return create_app(db, secret=SECRET, cache_dir=tmp_path / "cache", **kw)


@pytest.fixture
def app(db, tmp_path):
    return _app(db, tmp_path)


def _client(app, user: str) -> TestClient:
    c = TestClient(app, base_url="http://testserver")
    assert sign_in(c, user).status_code == 303
    return c


def _decide(c: TestClient, fid: int, **form):
    return c.post(f"/flags/{fid}/decision", data={**form, "csrf_token": csrf_of(c.get("/").text)},
                  follow_redirects=False)


# --- roles -------------------------------------------------------------------------------------

def test_roles_decide_export_and_manage_accounts(app, db):
    fid = flag_id(db, "implausible_percentage", "mao-khe-2021-chi-thi-04.docx")
    bob, alice, root = _client(app, REVIEWER), _client(app, USER), _client(app, ADMIN)
    assert _decide(bob, fid, action="confirm").status_code == 303  # a reviewer decides
    for route in ("/export/flags.csv", "/export/decisions.csv", "/export/review.xlsx"):
        assert bob.get(route).status_code == 403, route  # … but does not export
        assert alice.get(route).status_code == 200, route  # an archivist does
    assert "/export/flags.csv" not in bob.get("/flags").text and "/export/flags.csv" in alice.get("/flags").text
    assert bob.get("/admin/users").status_code == 403 and alice.get("/admin/users").status_code == 403
    page = root.get("/admin/users")
    assert page.status_code == 200 and all(f'data-user="{u}"' in page.text for u in (USER, REVIEWER, ADMIN))
    # an admin adds an account and makes bob an archivist: it takes effect on bob's next request
    token = csrf_of(page.text)
    r = root.post("/admin/users", data={"username": "chi", "password": "mật khẩu dài", "role": "reviewer",
                                        "csrf_token": token}, follow_redirects=True)
    assert "Đã thêm tài khoản chi" in r.text
    root.post(f"/admin/users/{REVIEWER}/role", data={"role": "archivist", "csrf_token": token})
    assert bob.get("/export/flags.csv").status_code == 200
    # an admin cannot lock themselves out
    r = root.post(f"/admin/users/{ADMIN}/disable", data={"csrf_token": token}, follow_redirects=True)
    assert "không thể tự khóa" in r.text and root.get("/").status_code == 200


def test_overriding_another_reviewers_decision_asks_and_is_recorded(app, db):
    fid = flag_id(db, "reference_mismatch", "mao-khe-2021-chi-thi-04.docx")
    bob, alice = _client(app, REVIEWER), _client(app, USER)
    assert _decide(bob, fid, action="confirm").status_code == 303
    assert _decide(bob, fid, action="dismiss", reason="đọc lại: đúng").status_code == 303  # one's own: no question
    r = _decide(alice, fid, action="correct", corrected_value="04-CT/TW", reason="theo bản gốc")
    assert r.status_code == 409  # asked, not recorded
    assert 'id="override-warning"' in r.text and "bob đã quyết định “bác bỏ”" in r.text
    assert 'name="override"' in r.text and 'value="04-CT/TW"' in r.text  # the form keeps what was typed
    api = alice.get(f"/api/flags/{fid}").json()
    assert [d["action"] for d in api["decisions"]] == ["confirm", "dismiss"] and api["status"] == "dismissed"
    last = api["decisions"][-1]["id"]
    r = _decide(alice, fid, action="correct", corrected_value="04-CT/TW", reason="theo bản gốc", override=str(last))
    assert r.status_code == 303
    d = alice.get(f"/api/flags/{fid}").json()["decisions"][-1]
    assert (d["action"], d["reviewer"], d["overrides_id"]) == ("correct", USER, last)
    page = alice.get(f"/flags/{fid}").text
    assert "đã ghi đè quyết định của người rà soát khác" in page


# --- sessions ----------------------------------------------------------------------------------

def test_a_signed_out_cookie_no_longer_works(app):
    c = _client(app, USER)
    cookie = c.cookies.get("baocao_session")
    assert c.post("/logout", data={"csrf_token": csrf_of(c.get("/").text)}).status_code == 200
    with TestClient(app, base_url="http://testserver") as replay:  # someone kept the cookie
        replay.cookies.set("baocao_session", cookie)
        assert replay.get("/", follow_redirects=False).status_code == 303
        assert replay.get("/api/flags").status_code == 401


def test_disabling_or_a_new_password_ends_sessions_at_once(app, db):
    from outputs.db import session_scope
    from review.auth import set_disabled, set_password

    bob, alice = _client(app, REVIEWER), _client(app, USER)
    with session_scope(db) as s:
        set_disabled(s, REVIEWER)
        set_password(s, USER, "một mật khẩu mới")
    assert bob.get("/api/flags").status_code == 401 and alice.get("/api/flags").status_code == 401
    assert sign_in(bob, REVIEWER).status_code == 401  # disabled: cannot sign in
    assert sign_in(alice, USER).status_code == 401  # the old password is gone
    assert sign_in(alice, USER, "một mật khẩu mới").status_code == 303
    with session_scope(db) as s:
        set_disabled(s, REVIEWER, False)
    assert sign_in(bob, REVIEWER).status_code == 303


def test_users_commands(db):
    from typer.testing import CliRunner

    from pipeline.cli import app

    run = CliRunner().invoke
    assert run(app, ["users", "add", "dung", "--role", "archivist", "--password-stdin", "--db", db],
               input="mật khẩu 123\n").exit_code == 0
    assert run(app, ["users", "add", "x", "--role", "boss", "--password-stdin", "--db", db], input="long enough\n").exit_code == 1
    assert run(app, ["users", "set-role", "dung", "admin", "--db", db]).exit_code == 0
    assert run(app, ["users", "disable", "dung", "--db", db]).exit_code == 0
    listed = run(app, ["users", "list", "--db", db]).output
    assert re.search(r"^dung\tadmin\tdisabled\t", listed, re.M) and re.search(r"^bob\treviewer\tenabled\t", listed, re.M)
    assert run(app, ["users", "enable", "dung", "--db", db]).exit_code == 0
    assert run(app, ["users", "set-password", "dung", "--password-stdin", "--db", db], input="short\n").exit_code == 1
    assert run(app, ["users", "set-password", "dung", "--password-stdin", "--db", db],
               input="mật khẩu mới 456\n").exit_code == 0
    assert run(app, ["users", "remove", "dung", "--db", db]).exit_code == 0
    assert run(app, ["users", "remove", "dung", "--db", db]).exit_code == 1
    assert "dung" not in run(app, ["users", "list", "--db", db]).output


# --- sign-in throttling, headers, cookies ------------------------------------------------------

def test_login_is_throttled_per_account_and_per_address(db, tmp_path):
    app = _app(db, tmp_path, login_limits=("6/minute", "3/minute"))
    with TestClient(app, base_url="http://testserver") as c:
        for _ in range(3):
            assert sign_in(c, USER, "sai mật khẩu").status_code == 401
        r = sign_in(c, USER, PASSWORD)  # the right password, but the account is locked for now
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0 and "thử lại sau" in r.text
        assert sign_in(c, REVIEWER, PASSWORD).status_code == 303  # another account: fine
        assert sign_in(c, ADMIN, "sai").status_code == 401
        assert sign_in(c, ADMIN, "sai nữa").status_code == 401  # the 6th attempt from this address
        r = sign_in(c, ADMIN, PASSWORD)
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_security_headers_and_secure_cookies(db, tmp_path):
    with TestClient(_app(db, tmp_path), base_url="http://testserver") as c:
        r = c.get("/login")
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert r.headers["x-frame-options"] == "DENY" and r.headers["referrer-policy"] == "same-origin"
        assert r.headers["x-content-type-options"] == "nosniff" and "strict-transport-security" not in r.headers
    with TestClient(_app(db, tmp_path, https_only=True), base_url="https://testserver") as c:
        r = sign_in(c)
        cookie = r.headers["set-cookie"]
        assert cookie.startswith("__Host-baocao_session=") and "secure" in cookie.lower() and "path=/" in cookie.lower()
        assert c.get("/").headers["strict-transport-security"].startswith("max-age=")


# --- statuses, doubtful flags, paging ----------------------------------------------------------

def test_needs_review_shows_the_earlier_decision(app, db):
    from sqlalchemy import update

    from outputs.db import FlagRow, session_scope

    fid = flag_id(db, "implausible_percentage", "mao-khe-2021-chi-thi-04.docx")
    bob = _client(app, REVIEWER)
    _decide(bob, fid, action="dismiss", reason="tỷ lệ trên tổng số khác")
    with session_scope(db) as s:  # what the nightly import does when the computed value changed:
        row = s.get(FlagRow, fid)      # the decided flag stays with the old version, the new one re-opens
        before = {c.key: getattr(row, c.key) for c in FlagRow.__table__.columns if c.key != "id"}
        old = FlagRow(**{**before, "listed": False, "dup_key": None})
        s.add(old)
        s.flush()
        s.execute(update(FlagRow).where(FlagRow.id == fid).values(
            status="needs-review", computed=117, carried_from_flag_id=old.id, reopen_reason="computed value changed"))
    queue = bob.get("/flags?status=todo").text
    assert f'data-href="/flags/{fid}?status=todo"' in queue and ">cần xem lại</span>" in queue
    assert re.search(r'data-status="needs-review">cần xem lại <b>1</b>', queue)
    page = bob.get(f"/flags/{fid}").text
    m = re.search(r'<div class="flash flash-warn" id="needs-review">(.*?)</div>', page, re.S)
    assert m and "bác bỏ" in m.group(1) and "tỷ lệ trên tổng số khác" in m.group(1) and "bob" in m.group(1)
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(1)))
    assert f"giá trị tính được: {before['computed']} → 117" in shown  # what changed, in Vietnamese
    alice = _client(app, USER)  # a needs-review flag is open again: no override question
    assert _decide(alice, fid, action="confirm").status_code == 303


def test_doubtful_flags_come_last_and_are_marked(app, db):
    from sqlalchemy import select, update

    from outputs.db import FlagRow, session_scope
    from review_helpers import SCAN

    c = _client(app, USER)
    scan = document_id(db, SCAN)
    with session_scope(db) as s:  # whatever the OCR made of it today: the first flag read with 40%
        first = s.scalar(select(FlagRow.id).join(FlagRow.version).where(FlagRow.version.has(document_id=scan))
                         .order_by(FlagRow.id).limit(1))
        s.execute(update(FlagRow).where(FlagRow.id == first).values(doubtful=True, confidence=0.4))
    flags = c.get(f"/api/flags?document={scan}").json()["flags"]
    doubtful = [f["doubtful"] for f in flags]
    assert True in doubtful and doubtful == sorted(doubtful)  # the sure ones first
    html = c.get(f"/flags?document={scan}").text
    assert html.count("bản quét có thể bị đọc sai") == doubtful.count(True)
    for sort in ("rule", "id", "confidence"):
        got = [f["doubtful"] for f in c.get(f"/api/flags?document={scan}&sort={sort}&dir=desc").json()["flags"]]
        assert got == sorted(got), sort


def test_keyset_pages_walk_the_whole_queue(app, db):
    from review import queue as fq

    c = _client(app, USER)
    every = [f["id"] for f in c.get("/api/flags").json()["flags"]]
    got, after = [], None
    while True:  # the API, 5 at a time
        page = c.get("/api/flags", params={"limit": 5, **({"after": after} if after else {})}).json()
        got += [f["id"] for f in page["flags"]]
        if page["next"] is None:
            break
        after = page["next"]
    assert got == every
    with app.state.sessions() as s:  # backwards from the end
        f = fq.FlagFilter()
        last = fq.page(s, f, after=every[-6], limit=5)
        assert [r.id for r in last.rows] == every[-5:] and last.first == len(every) - 4 and not last.has_next
        back = fq.page(s, f, before=every[-5], limit=5)
        assert [r.id for r in back.rows] == every[-10:-5] and back.has_next
    html = c.get(f"/flags?after={every[0]}").text
    assert f"2–{len(every)} trong {len(every)}" in html and 'id="prev-page"' in html


# --- the interface language --------------------------------------------------------------------

def test_every_interface_string_has_a_vietnamese_translation():
    """The catalog is compiled from the .po at start-up: every message of the templates and the
    code is in it, translated, not fuzzy, with the same %(placeholders)s."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    from review import i18n

    root = i18n.LOCALE_DIR.parent
    found = {m[2] if isinstance(m[2], str) else m[2][0] for m in extract_from_dir(
        str(root), method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}})}
    with open(i18n.LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po", "rb") as f:
        vi = {m.id: m for m in read_po(f) if m.id}
    assert found - set(vi) == set(), "run pybabel extract/update (review/babel.cfg)"
    for msgid in found:
        m = vi[msgid]
        assert m.string and not m.fuzzy, msgid
        assert sorted(re.findall(r"%\((\w+)\)s", msgid)) == sorted(re.findall(r"%\((\w+)\)s", m.string)), msgid
    assert i18n.translations("vi").gettext("Sign in") == "Đăng nhập"


def test_english_is_the_second_locale(app):
    c = _client(app, USER)
    assert '<html lang="vi">' in c.get("/").text and "Tổng quan" in c.get("/").text
    r = c.get("/lang/en?next=/flags", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/flags"
    page = c.get("/flags").text
    assert '<html lang="en">' in page and ">Overview<" in page and "A total row cell differs" in page
    assert c.get("/lang/vi?next=//evil.example", follow_redirects=False).headers["location"] == "/"

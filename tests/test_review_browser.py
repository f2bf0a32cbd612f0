"""End to end in a real browser: Debian's Chromium (headless, driven by Playwright) against the
review app served by uvicorn on a free localhost port (one server for the module), over the
ingested sample corpus (review_helpers: a report in PDF, Word and a scan, and another report).

- a reviewer signs in, filters the queue, opens the total_mismatch of duc-chinh-2020-h1.pdf,
  sees 8.28 stated and 828 computed, corrects it with the keyboard, sees the audit entry;
  signed-out requests and forms without their CSRF token are refused;
- the interface is Vietnamese throughout (English on request);
- search ignores diacritics: "khuyen hoc" finds what "khuyến học" finds;
- roles: a reviewer cannot export; overriding another reviewer's decision asks first; an admin
  disabling an account ends its session at once;
- sign-in is throttled per account;
- a flag read from a scan shows the scanned page with the OCR's box around the cell;
- at a phone's width (390 px) nothing overflows, the menu folds, the decision form comes right
  after the evidence;
- screenshots of the main pages at 1280 and 390 px go to tests/artifacts/screenshots (and to
  $BAOCAO_SCREENSHOTS_DIR, e.g. docs/screenshots, when set).
"""
from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from review_helpers import ADMIN, PASSWORD, REVIEWER, SCAN, SECRET, USER, dispose, document_id, flag_id, fresh_db

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, database URL) of the app running in a background thread."""
    import uvicorn

    from review.app import create_app

    folder = tmp_path_factory.mktemp("review-browser")
    url = fresh_db(folder)
    app = create_app(url, secret=SECRET, cache_dir=folder / "cache", login_limits=("200/10minutes", "5/10minutes"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", url
    server.should_exit = True
    thread.join(10)
    dispose(url)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _page(browser, viewport=DESKTOP):
    ctx = browser.new_context(viewport=viewport, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(15000)
    return ctx, page


def _sign_in(page, base: str, user: str = USER, password: str = PASSWORD, expect: str | None = "/"):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    if expect is not None:
        page.wait_for_url(f"{base}{expect}")


def test_review_a_total_mismatch_in_the_browser(served, browser):
    base, db = served
    fid = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    ctx, page = _page(browser)
    try:
        # signed out: nothing but the login page
        page.goto(f"{base}/flags/{fid}")
        assert page.url.startswith(f"{base}/login?next=")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/flags/{fid}")  # back where we wanted to go

        # the queue, filtered to total_mismatch (the select submits itself; it shows the rule's title)
        page.goto(f"{base}/flags")
        with page.expect_navigation():
            page.select_option("select[name=rule]", label="Dòng tổng khác tổng các dòng")
        assert "rule=total_mismatch" in page.url
        rows = page.locator("table.queue tbody tr")
        names = rows.locator("td.doc").all_inner_texts()
        assert any("duc-chinh-2020-h1.pdf" in n for n in names)
        assert not any("duc-chinh-2020-h1.docx" in n for n in names)  # the same report's Word file: not again
        rows.filter(has_text="duc-chinh-2020-h1.pdf").first.click()
        page.wait_for_url(f"{base}/flags/{fid}?rule=total_mismatch")

        # 8.28 as stated, 828 as computed, the summed cells beside them
        assert page.locator("td.hl-stated .stated").inner_text() == "8.28"
        assert page.locator("td.hl-stated .computed").inner_text() == "828"
        assert page.locator("td.hl-related").all_inner_texts() == ["350", "150", "142", "186"]
        assert page.locator("th.parent", has_text="Số lượt người tham gia").get_attribute("colspan") == "2"
        assert page.locator("th.hl-col").all_inner_texts() == ["Số lượt người tham gia", "Tổng số"]
        assert "Tổng số" in page.locator("tr.total-row").inner_text()
        assert page.locator(".section-path").inner_text().replace("\n", " ").count("II.2") == 1
        # the PDF page, rendered, with the stated cell's box drawn over it
        img = page.locator(".page-view svg image").first
        png = ctx.request.get(base + img.get_attribute("href"))
        assert png.status == 200 and png.headers["content-type"] == "image/png"
        assert page.locator(".page-view rect.box-stated").count() == 1
        assert ctx.request.get(base + page.locator("#original-link").get_attribute("href")).body()[:4] == b"%PDF"

        # correct it to 828 with the keyboard: x, type, Enter
        before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        page.keyboard.press("x")
        value = page.locator("#corrected-value")
        assert value.evaluate("el => el === document.activeElement")
        value.type("828")
        page.locator("#reason").fill("các dòng cộng lại bằng 828")
        with page.expect_navigation():
            value.press("Enter")
        assert "Đã ghi nhận sửa: 8.28 → 828." in page.locator(".flash-ok").inner_text()
        assert page.locator("#flag-status").inner_text() == "đã sửa"
        entry = page.locator("#audit li.audit-entry").last
        assert entry.locator(".audit-action").inner_text() == "sửa"
        assert entry.locator(".audit-who").inner_text() == USER
        assert entry.locator(".orig-value").inner_text() == "8.28"
        assert entry.locator(".new-value").inner_text() == "828"
        assert "các dòng cộng lại bằng 828" in entry.locator(".audit-why").inner_text()
        when = dt.datetime.fromisoformat(entry.locator(".audit-when").get_attribute("datetime"))
        assert before <= when <= dt.datetime.now(dt.timezone.utc)
        assert page.locator("td.hl-stated .stated").inner_text() == "8.28"  # as written, still

        # the Word file's flag was decided with it
        docx = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.docx")
        page.goto(f"{base}/flags/{docx}")
        assert page.locator("#flag-status").inner_text() == "đã sửa"

        # a form posted without its CSRF token is refused, by a signed-in session
        r = ctx.request.post(f"{base}/flags/{fid}/decision", form={"action": "confirm"})
        assert r.status == 403
        forged = page.evaluate("""async (url) => {
            const body = new URLSearchParams({action: 'dismiss', reason: 'x', csrf_token: 'forged'});
            const r = await fetch(url, {method: 'POST', body, redirect: 'manual'});
            return r.status; }""", f"{base}/flags/{fid}/decision")
        assert forged == 403
    finally:
        ctx.close()

    anon = browser.new_context()  # a new browser without the session cookie is refused everywhere
    try:
        assert anon.request.get(f"{base}/api/flags/{fid}").status == 401
        assert anon.request.get(f"{base}/export/flags.csv").status == 401
        p = anon.new_page()
        p.goto(f"{base}/flags/{fid}")
        assert "/login" in p.url and "8.28" not in p.content()
    finally:
        anon.close()


def test_the_interface_is_vietnamese(served, browser):
    base, db = served
    ctx, page = _page(browser)
    try:
        page.goto(f"{base}/login")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.locator("h1").inner_text() == "Đăng nhập"
        assert page.locator("button[type=submit]").inner_text() == "Đăng nhập"
        _sign_in(page, base)
        assert page.locator(".topbar nav").inner_text().split() == ["Tổng", "quan", "Cảnh", "báo", "Báo", "cáo"]
        page.goto(f"{base}/flags")
        rules = page.locator("select[name=rule] option").all_inner_texts()
        assert "Dòng tổng khác tổng các dòng" in rules and not any("_" in r for r in rules)  # no raw rule ids
        assert page.locator("select[name=severity] option").all_inner_texts() == ["tất cả", "lỗi", "cảnh báo", "lưu ý"]
        pills = page.locator("nav.pills a").all_inner_texts()
        assert any(p.startswith("chưa xử lý") for p in pills) and any(p.startswith("cần xem lại") for p in pills)
        body = page.locator("main").inner_text()
        for english in ("Severity", "Rule", "Status", "Filter", "Sign out", "open", "Message"):
            assert f" {english} " not in f" {body} ", english
        page.locator("a.lang").click()  # English on request
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Severity" in page.locator("main").inner_text()
        page.locator("a.lang").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "vi"
    finally:
        ctx.close()


def test_search_without_diacritics(served, browser):
    base, _db = served
    ctx, page = _page(browser)
    try:
        _sign_in(page, base)

        def found(words: str) -> list[str]:
            page.goto(f"{base}/reports")
            page.fill("#report-q", words)
            with page.expect_navigation():
                page.click("#report-search")
            return sorted(page.locator("tr.report-row td.title .file").all_inner_texts())

        with_marks = found("khuyến học")
        assert with_marks and found("khuyen hoc") == with_marks == found("KHUYEN HOC")
        assert found("chi thi 04") == ["mao-khe-2021-chi-thi-04.docx"] == found("Chỉ thị 04")
        assert found("xyzzy") == []
        page.goto(f"{base}/flags?status=todo")  # the queue searches the reports' words too
        page.fill("input[name=q]", "chi thi 04")
        with page.expect_navigation():
            page.press("input[name=q]", "Enter")
        docs = page.locator("table.queue td.doc").all_inner_texts()
        assert docs and all("mao-khe" in d for d in docs)
    finally:
        ctx.close()


def test_roles_and_overrides(served, browser):
    base, db = served
    fid = flag_id(db, "reference_mismatch", "mao-khe-2021-chi-thi-04.docx")
    bob_ctx, bob = _page(browser)
    alice_ctx, alice = _page(browser)
    root_ctx, root = _page(browser)
    try:
        _sign_in(bob, base, REVIEWER)
        bob.goto(f"{base}/flags")
        assert bob.locator(".exports").count() == 0  # a reviewer does not export
        assert bob_ctx.request.get(f"{base}/export/flags.csv").status == 403
        bob.goto(f"{base}/flags/{fid}")
        bob.keyboard.press("c")
        with bob.expect_navigation():
            bob.click("#save-decision")
        assert bob.locator("#flag-status").inner_text() == "đã xác nhận"

        _sign_in(alice, base, USER)  # another reviewer: asked before overriding
        alice.goto(f"{base}/flags/{fid}")
        assert "bob" in alice.locator("#decided-by-other").inner_text()
        alice.keyboard.press("d")
        alice.fill("#reason", "mã văn bản đúng theo bản gốc")
        with alice.expect_navigation():
            alice.click("#save-decision")
        assert "bob đã quyết định “xác nhận”" in alice.locator("#override-warning").inner_text()
        assert alice.locator("#flag-status").inner_text() == "đã xác nhận"  # nothing recorded yet
        assert alice.locator("#reason").input_value() == "mã văn bản đúng theo bản gốc"
        alice.check("#override")
        with alice.expect_navigation():
            alice.click("#save-decision")
        assert alice.locator("#flag-status").inner_text() == "đã bác bỏ"
        last = alice.locator("#audit li.audit-entry").last
        assert last.locator(".audit-who").inner_text() == USER and last.locator(".audit-override").count() == 1

        _sign_in(root, base, ADMIN)  # an admin disables bob: his open page stops working at once
        root.goto(f"{base}/admin/users")
        with root.expect_navigation():
            root.locator(f'tr[data-user="{REVIEWER}"] form[action$="/disable"] button').click()
        assert "Đã khóa tài khoản bob" in root.locator(".flash-ok").inner_text()
        bob.goto(f"{base}/flags/{fid}")
        assert "/login" in bob.url
        _sign_in(bob, base, REVIEWER, expect=None)
        assert "Sai tên đăng nhập hoặc mật khẩu" in bob.locator(".flash-error").inner_text()
        with root.expect_navigation():
            root.locator(f'tr[data-user="{REVIEWER}"] form[action$="/enable"] button').click()
    finally:
        for c in (bob_ctx, alice_ctx, root_ctx):
            c.close()


def test_sign_in_is_throttled(served, browser):
    base, _db = served
    ctx, page = _page(browser)
    try:
        for i in range(5):
            _sign_in(page, base, "mallory", f"đoán lần {i}", expect=None)
            assert "Sai tên đăng nhập" in page.locator(".flash-error").inner_text()
        _sign_in(page, base, "mallory", "đoán thêm", expect=None)
        assert "Đăng nhập sai quá nhiều lần" in page.locator(".flash-error").inner_text()
        r = ctx.request.get(f"{base}/login")
        token = r.text().split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        r = ctx.request.post(f"{base}/login", form={"username": "mallory", "password": "x", "csrf_token": token})
        assert r.status == 429 and int(r.headers["retry-after"]) > 0
    finally:
        ctx.close()


def test_a_scanned_page_with_the_ocr_box(served, browser):
    base, db = served
    fid = flag_id(db, "total_mismatch", SCAN)
    ctx, page = _page(browser)
    try:
        _sign_in(page, base)
        page.goto(f"{base}/flags/{fid}")
        view = page.locator(".page-view.scan").first
        assert "bản quét" in view.locator("h2").inner_text()
        img = view.locator("svg image")
        png = ctx.request.get(base + img.get_attribute("href"))
        assert png.status == 200 and png.body()[:8] == b"\x89PNG\r\n\x1a\n"
        box = view.locator("rect.box-stated")
        assert box.count() == 1
        # the box lies on the page image, where the OCR read the total row's cell
        x, y, w, h = (float(box.get_attribute(k)) for k in ("x", "y", "width", "height"))
        pw, ph = float(img.get_attribute("width")), float(img.get_attribute("height"))
        assert 0 <= x < x + w <= pw and 0 <= y < y + h <= ph and w > 5 and h > 5
        assert box.bounding_box()["width"] > 20  # drawn, visible
        assert page.locator("td.hl-stated .stated").inner_text() == "8.28"  # the OCR's reading beside it
    finally:
        ctx.close()


def test_phone_width(served, browser):
    base, db = served
    fid = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    ctx, page = _page(browser, PHONE)
    try:
        page.goto(f"{base}/login")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        _sign_in(page, base)
        assert not page.locator("#nav-flags").is_visible()  # the menu is folded
        page.click("label.nav-button")
        assert page.locator("#nav-flags").is_visible()
        for path in ("/", "/flags?status=todo", f"/flags/{fid}", "/reports?q=khuyen+hoc",
                     f"/reports/{document_id(db, 'duc-chinh-2020-h1.pdf')}"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.goto(f"{base}/flags/{fid}")
        top = {k: page.locator(sel).first.bounding_box()["y"] for k, sel in
               (("message", ".message"), ("table", ".evidence"), ("decide", "#decide"), ("page", ".page-view"),
                ("audit", "#audit"))}
        assert top["message"] < top["table"] < top["decide"] < top["page"] < top["audit"], top
    finally:
        ctx.close()


def test_screenshots(served, browser):
    """The main pages at desktop and phone width, for people (and the README)."""
    base, db = served
    pdf = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    scan = flag_id(db, "total_mismatch", SCAN)
    shots = {"login": "/login", "queue": "/flags?status=todo", "flag-table": f"/flags/{pdf}",
             "flag-scan": f"/flags/{scan}", "search": "/reports?q=khuyen+hoc"}
    outs = [ARTIFACTS / "screenshots"] + ([Path(os.environ["BAOCAO_SCREENSHOTS_DIR"])]
                                          if os.environ.get("BAOCAO_SCREENSHOTS_DIR") else [])
    for out in outs:
        out.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        ctx, page = _page(browser, viewport)
        try:
            for name, path in shots.items():
                if name == "queue":
                    _sign_in(page, base, ADMIN)
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                for out in outs:
                    page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=name != "flag-table"
                                    or label == "desktop")
        finally:
            ctx.close()
    assert all((outs[0] / f"{n}-{lab}.png").stat().st_size > 10_000 for n in shots for lab in ("desktop", "phone"))

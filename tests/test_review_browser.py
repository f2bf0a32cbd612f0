"""End to end in a real browser: Debian's Chromium (headless, driven by Playwright) against the
review app served by uvicorn on a free localhost port, over the ingested sample corpus.

A reviewer signs in, filters the queue to total_mismatch, opens the flag of duc-chinh-2020-h1.pdf,
sees the stated 8.28 and the computed 828 highlighted, corrects it to 828 with the keyboard and
sees the audit entry. Signed-out requests and a form posted without its CSRF token are refused.
The flag page is saved to tests/artifacts/flag_page.png for a person to look at.
"""
from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from review_helpers import SECRET, USER, PASSWORD, dispose, flag_id, fresh_db

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"]

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
    app = create_app(url, secret=SECRET, cache_dir=folder / "cache")
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


def test_review_a_total_mismatch_in_the_browser(served, browser):
    base, db = served
    fid = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    ctx = browser.new_context(viewport={"width": 1360, "height": 900}, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(15000)
    try:
        # signed out: nothing but the login page
        page.goto(f"{base}/flags/{fid}")
        assert page.url.startswith(f"{base}/login?next=")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/flags/{fid}")  # back where we wanted to go

        # the queue, filtered to total_mismatch (the select submits itself)
        page.goto(f"{base}/flags")
        with page.expect_navigation():
            page.select_option("select[name=rule]", "total_mismatch")
        assert "rule=total_mismatch" in page.url
        rows = page.locator("table.queue tbody tr")
        assert rows.count() == 2
        assert set(page.locator("table.queue td code").all_inner_texts()) == {"total_mismatch"}
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

        # j/k walk the filtered queue
        pos = page.locator(".flag-nav .pos").inner_text()
        key, back = ("k", "j") if pos.startswith("2 of 2") else ("j", "k")
        page.keyboard.press(key)
        page.wait_for_url(lambda u: f"/flags/{fid}?" not in u)
        assert page.locator(".flag-nav .pos").inner_text() != pos
        page.keyboard.press(back)
        page.wait_for_url(f"{base}/flags/{fid}?rule=total_mismatch")

        # correct it to 828 with the keyboard: x, type, Enter
        before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        page.keyboard.press("x")
        value = page.locator("#corrected-value")
        assert value.evaluate("el => el === document.activeElement")
        value.type("828")
        page.locator("#reason").fill("các dòng cộng lại bằng 828")
        with page.expect_navigation():
            value.press("Enter")
        assert "Correction recorded: 8.28 → 828." in page.locator(".flash-ok").inner_text()
        assert page.locator("#flag-status").inner_text() == "corrected"
        entry = page.locator("#audit li.audit-entry").last
        assert entry.locator(".audit-action").inner_text() == "correct"
        assert entry.locator(".audit-who").inner_text() == USER
        assert entry.locator(".orig-value").inner_text() == "8.28"
        assert entry.locator(".new-value").inner_text() == "828"
        assert "các dòng cộng lại bằng 828" in entry.locator(".audit-why").inner_text()
        when = dt.datetime.fromisoformat(entry.locator(".audit-when").get_attribute("datetime"))
        assert before <= when <= dt.datetime.now(dt.timezone.utc)
        assert entry.locator(".audit-when").inner_text().strip()
        # the stated value is still in the table as written
        assert page.locator("td.hl-stated .stated").inner_text() == "8.28"

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "flag_page.png"), full_page=True)

        # a form posted without its CSRF token is refused, by a signed-in session
        r = ctx.request.post(f"{base}/flags/{fid}/decision", form={"action": "confirm"})
        assert r.status == 403
        forged = page.evaluate("""async (url) => {
            const body = new URLSearchParams({action: 'dismiss', reason: 'x', csrf_token: 'forged'});
            const r = await fetch(url, {method: 'POST', body, redirect: 'manual'});
            return r.status; }""", f"{base}/flags/{fid}/decision")
        assert forged == 403
        assert page.locator("#audit li.audit-entry").count() == 1
    finally:
        ctx.close()

    # a new browser without the session cookie is refused everywhere
    anon = browser.new_context()
    try:
        assert anon.request.get(f"{base}/api/flags/{fid}").status == 401
        assert anon.request.get(f"{base}/export/flags.csv").status == 401
        p = anon.new_page()
        p.goto(f"{base}/flags/{fid}")
        assert "/login" in p.url and "8.28" not in p.content()
    finally:
        anon.close()

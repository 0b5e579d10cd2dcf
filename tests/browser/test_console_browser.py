"""The console in a real headless Chromium: from a user report to a reviewer's ban, the
account's status, an appeal and its reversal — with screenshots of every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import LANDING_TEXT, LiveServer, screenshot_png

pytestmark = pytest.mark.browser

ACCOUNT = {
    "kind": "personal",
    "subject": "s-zhang",
    "identity_doc": "110101199001011234",
    "device": "d1",
    "ip": "10.0.0.1",
    "registered_at": "2026-01-01T00:00:00Z",
}


def seed(server: LiveServer) -> None:
    for account, phone in (("zhang-1", "+8613800000001"), ("zhang-2", "+8613800000002")):
        body = {"id": account, "phone": phone, **ACCOUNT}
        assert server.api("POST", "/v1/accounts", "root", json=body).status_code == 201
    event = {
        "event_id": "m-77",
        "account": "zhang-1",
        "group": "g-jobs",
        "text": "欢迎咨询",
        "at": "2026-02-01T08:00:00Z",
    }
    assert server.api("POST", "/v1/events", "app", json=event).status_code in (200, 201)
    for n, reporter in enumerate(("u-1", "u-2", "u-3")):
        report = {
            "report_id": f"rep-{n}",
            "reporter": reporter,
            "target": {"type": "content", "id": "m-77"},
            "reason": "fraud",
            "evidence": {
                "text": "在家兼职，轻松日结，点链接领取返利",
                "images": [screenshot_png()],
                "message_ids": ["m-77"],
            },
        }
        response = server.api("POST", "/v1/reports", "app", json=report)
        assert response.status_code == 201, response.text
    # A second, lower-priority case so that the queue shows an order.
    spam = {
        "report_id": "rep-9",
        "reporter": "u-9",
        "target": {"type": "account", "id": "zhang-2"},
        "reason": "spam",
        "evidence": {"text": "天天发广告"},
    }
    assert server.api("POST", "/v1/reports", "app", json=spam).status_code == 201


def sign_in(page: Any, server: LiveServer, name: str) -> None:
    page.goto(server.url + "/console/login")
    page.fill("#key", server.keys[name])
    page.click("button[type=submit].primary")
    page.wait_for_url(server.url + "/console/")


def sign_out(page: Any) -> None:
    page.click("header form.inline button")
    page.wait_for_url("**/console/login")


def test_report_to_ban_to_appeal_in_the_console(
    live_server: LiveServer, browser: Any, screenshots: Path
) -> None:
    seed(live_server)
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(5000)

    page.goto(live_server.url + "/console/login")
    page.screenshot(path=screenshots / "01-login.png")
    sign_in(page, live_server, "amy")
    assert page.locator("table.cases tbody tr").count() == 2
    first_row = page.locator("table.cases tbody tr").first
    assert "诈骗" in first_row.inner_text() and "m-77" in first_row.inner_text()
    page.screenshot(path=screenshots / "02-queue.png", full_page=True)

    # Claim with the keyboard shortcut, then look at the evidence.
    page.keyboard.press("c")
    page.wait_for_url("**/console/cases/1")
    marks = page.locator(".evidence mark").all_inner_texts()
    assert "兼职" in marks and "返利" in marks
    assert "高薪兼职" in page.locator("figure.shot figcaption").inner_text()
    assert page.locator("ol.chain li").count() == 3
    assert LANDING_TEXT[:4] in page.locator(".landing").inner_text()
    assert "zhang-2" in page.locator(".col-side").inner_text()  # related account
    page.screenshot(path=screenshots / "03-item-view.png", full_page=True)

    # Decide with the keyboard: v = violation, b = ban, r = reason, Ctrl+Enter.
    page.keyboard.press("v")
    page.keyboard.press("b")
    page.keyboard.press("r")
    page.keyboard.type("冒充招聘的兼职刷单诈骗，三人举报，证据一致")
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/console/cases/1?notice=decided")
    assert "已结案" in page.locator(".case-head").inner_text()
    page.screenshot(path=screenshots / "04-decided.png", full_page=True)

    page.click(".col-side h2 a")
    page.wait_for_url("**/console/accounts/zhang-1")
    assert "已封禁" in page.locator("dl.facts").inner_text()
    page.screenshot(path=screenshots / "05-account-banned.png", full_page=True)
    sign_out(page)

    # Support files the holder's appeal; the reviewer who banned may not take it.
    sign_in(page, live_server, "mod")
    page.goto(live_server.url + "/console/accounts/zhang-1")
    page.fill("#statement", "我是正规家政公司，招聘信息已在人社局备案，请复核。")
    page.click("form[action$='/appeal'] button")
    page.wait_for_url("**/console/cases/*?notice=appeal_filed")
    appeal_path = page.url.removeprefix(live_server.url).split("?")[0]
    sign_out(page)

    sign_in(page, live_server, "amy")
    page.goto(live_server.url + appeal_path)
    page.click("form[action$='/claim'] button")
    assert "参与过此前的决定" in page.locator(".notice").inner_text()
    sign_out(page)

    sign_in(page, live_server, "bo")
    page.click("nav a[href='/console/?queue=appeal']")
    page.click(f"table.cases a[href='{appeal_path}']")
    page.click("form[action$='/claim'] button")
    assert "我是正规家政公司" in page.locator("blockquote").inner_text()
    page.screenshot(path=screenshots / "06-appeal.png", full_page=True)
    page.check("input[value=overturned]")
    page.fill("#reason", "备案信息核实无误，撤销封禁")
    page.click("#decision-form button[type=submit]")
    page.wait_for_url(f"**{appeal_path}?notice=decided")
    page.goto(live_server.url + "/console/accounts/zhang-1")
    assert "正常" in page.locator("dl.facts").inner_text()
    assert "解封" in page.locator("ul.timeline").first.inner_text()
    page.screenshot(path=screenshots / "07-account-after-appeal.png", full_page=True)
    context.close()


def test_audit_and_search_in_english(
    live_server: LiveServer, browser: Any, screenshots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(5000)
    sign_in(page, live_server, "root")
    assert "Queues" in page.locator("header nav").inner_text()
    page.goto(live_server.url + "/console/audit")
    assert "chain intact" in page.locator("h1").inner_text()
    whats = page.locator("table.audit tbody").inner_text()
    assert "review_decision" in whats and "file_appeal" in whats
    page.screenshot(path=screenshots / "08-audit-en.png", full_page=True)
    page.fill("form.search input", "zhang-1")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/search?q=zhang-1")
    assert page.locator("table.cases tbody tr").count() >= 2
    page.screenshot(path=screenshots / "09-search-en.png", full_page=True)
    page.click("header .right a")  # 中文
    assert "搜索" in page.locator("h1").inner_text()
    context.close()

"""The staff chat and the widget in a real browser: Debian's chromium driven by Playwright,
axe-core (from npm, injected from a local file) for accessibility. Screenshots land in
test-artifacts/. Skips with a message where chromium or axe-core is not installed
(`make test` installs both)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

from conftest import ROOT
from test_api import Server

CHROMIUM = os.environ.get("INSPECTBOT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(os.environ.get("INSPECTBOT_AXE", ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = [pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}: install Debian's chromium package (make test does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    pw = sync_api.sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    ARTIFACTS.mkdir(exist_ok=True)
    yield b
    b.close()
    pw.stop()


class HostPage:
    """A council's page on another local origin, embedding the widget with one script tag."""

    def __init__(self, app_url: str, folder: Path,
                 attrs: str = 'data-title="Ask about our inspection reports"'):
        self.port = free_port()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(
            f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Council</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>button{{background:hotpink;font-size:40px}}</style></head>
<body><main><h1>Testshire Council</h1><p>Our inspection reports.</p></main>
<script src="{app_url}/widget.js" {attrs} defer></script>
</body></html>""", encoding="utf-8")
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}/index.html"
        self.origin = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()


@pytest.fixture(scope="module")
def site(sample_answerer, tmp_path_factory):
    from ui.app import create_app
    from ui.settings import Settings

    tmp = tmp_path_factory.mktemp("browser")
    port = free_port()
    app_url = f"http://127.0.0.1:{port}"
    allowed = HostPage(app_url, tmp / "allowed")
    refused = HostPage(app_url, tmp / "refused")
    settings = Settings(index_dir=str(tmp), allowed_origins=(allowed.origin,), rate_limit=0)
    with Server(create_app(settings, answerer=sample_answerer), port) as url, allowed, refused:
        yield {"app": url, "allowed": allowed, "refused": refused}


def axe_serious(page) -> list:
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE} (make test installs it with npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_widget_on_a_council_page_keyboard_ask_and_cite(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site["allowed"].url)
    launcher = page.locator("#inspectbot-widget").locator("button.launcher")
    launcher.wait_for()
    assert launcher.inner_text() == "Ask about our inspection reports"
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") != "rgb(255, 105, 180)"  # no leak
    launcher.focus()
    page.keyboard.press("Enter")
    question = page.locator("#inspectbot-widget").locator("#ib-q")
    assert question.evaluate("q => q.getRootNode().activeElement === q")  # focus moved into the panel
    page.keyboard.type("What does Brackenford need to improve?")
    page.keyboard.press("Enter")
    sources = page.locator("#inspectbot-widget").locator("ol.sources li")
    sources.first.wait_for(timeout=30000)
    assert sources.count() == 3
    assert "short-break" in page.locator("#inspectbot-widget").locator(".log").inner_text()
    link = sources.first.locator("a").get_attribute("href")
    assert link.startswith(site["app"] + "/view/") and "page=1" in link  # the quote on its page
    assert page.locator("#inspectbot-widget").locator("[aria-live]").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "widget-desktop.png"))
    assert axe_serious(page) == []
    page.keyboard.press("Escape")
    assert page.locator("#inspectbot-widget").locator("#ib-panel").is_hidden()
    assert launcher.evaluate("b => b.getRootNode().activeElement === b")  # focus returned
    page.reload()  # the conversation is kept for the tab
    page.locator("#inspectbot-widget").locator("button.launcher").click()
    assert page.locator("#inspectbot-widget").locator("ol.sources li").count() == 3
    page.close()


def test_widget_at_320_pixels(browser, site):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(site["allowed"].url)
    page.locator("#inspectbot-widget").locator("button.launcher").click()
    panel = page.locator("#inspectbot-widget").locator("#ib-panel")
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    page.locator("#inspectbot-widget").locator("#ib-q").fill("Who was the lead inspector for Brackenford?")
    page.locator("#inspectbot-widget").locator("button.send").click()
    page.locator("#inspectbot-widget").locator("ol.sources li").first.wait_for(timeout=30000)
    page.screenshot(path=str(ARTIFACTS / "widget-320.png"))
    assert axe_serious(page) == []
    page.close()


def test_widget_from_a_disallowed_origin_is_refused(browser, site):
    page = browser.new_page()
    page.goto(site["refused"].url)
    page.locator("#inspectbot-widget").locator("button.launcher").click()
    page.locator("#inspectbot-widget").locator("#ib-q").fill("Who was the lead inspector for Brackenford?")
    page.keyboard.press("Enter")
    log = page.locator("#inspectbot-widget").locator(".log")
    page.wait_for_function("() => document.querySelector('#inspectbot-widget').shadowRoot"
                           ".querySelector('.log').innerText.includes('not allowed')", timeout=30000)
    assert "Miriam Oduya" not in log.inner_text()
    page.close()


def test_staff_chat_answers_with_source_cards(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site["app"] + "/")
    page.locator("#question textarea").fill("How did Ofsted rate Brackenford's children's services?")
    page.locator("#ask").click()
    page.get_by_text("Open the report at page 1").first.wait_for(timeout=60000)
    chat = page.locator("#chat").inner_text()
    assert "Good" in chat and "Overall effectiveness Good" in chat and "Sources" in chat
    assert "About: Brackenford · inspection of 3-14 March 2025" in chat  # what was understood
    # a follow-up in the chat reads the conversation so far
    page.locator("#question textarea").fill("What about care leavers?")
    page.locator("#ask").click()
    page.get_by_text("for care leavers").first.wait_for(timeout=60000)
    assert "Brackenford" in page.locator("#chat").inner_text().split("What about care leavers?")[1]
    link = page.get_by_text("Open the report at page 1").first.get_attribute("href")
    assert link.startswith("/view/brackenford-childrens-services-2025.pdf?page=1&q=")  # the quote on its page
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    problems = axe_serious(page)
    assert problems == [], problems
    page.close()


def test_staff_chat_starter_questions_are_asked_with_one_click(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site["app"] + "/")
    page.get_by_role("button", name="Which councils were judged good?").click()
    page.get_by_text("judged good for overall effectiveness").first.wait_for(timeout=60000)
    chat = page.locator("#chat").inner_text()
    assert "Brackenford" in chat and "Millbrook Primary School" not in chat  # councils, not schools
    page.close()

"""A council's own assistant in real Chromium, on the real corpus subset: council pages on other
local origins embed a scoped widget (one bound to a provider on the server), its starter
questions, an unknown provider, and the view page a citation opens, whose highlight is
compared with pypdfium2's own character boxes. Screenshots in test-artifacts/."""

from __future__ import annotations

import re

import pytest

from conftest import corpus_path
from test_api import Server
from test_browser import ARTIFACTS, HostPage, axe_serious, browser, free_port  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

WIGAN_2025 = "ofsted-ilacs/80579_wigan/children's services inspection - 26 november 2025.pdf"
BIRMINGHAM_2023 = "ofsted-ilacs/80429_birmingham/children's services inspection - 18 april 2023.pdf"


@pytest.fixture(scope="module")
def sites(corpus_answerer, tmp_path_factory):
    from ui.app import create_app
    from ui.settings import Settings

    tmp = tmp_path_factory.mktemp("browser-scope")
    port = free_port()
    app = f"http://127.0.0.1:{port}"
    pages = {
        "scoped": HostPage(app, tmp / "scoped", 'data-provider="Wigan Council"'),
        # the page asks for Wigan and every council; the server binds its origin to Birmingham
        "bound": HostPage(app, tmp / "bound", 'data-provider="Wigan" data-scope="all"'),
        "unknown": HostPage(app, tmp / "unknown", 'data-provider="Nowhereshire"'),
    }
    settings = Settings(index_dir=str(tmp), rate_limit=0,
                        allowed_origins=(pages["scoped"].origin, pages["unknown"].origin),
                        origin_providers=((pages["bound"].origin, "Birmingham"),))
    with Server(create_app(settings, answerer=corpus_answerer, mount_chat=False), port) as url:
        for p in pages.values():
            p.__enter__()
        yield {"app": url, **pages}
        for p in pages.values():
            p.__exit__()


def widget(page):
    return page.locator("#inspectbot-widget")


def answers(page) -> list[str]:
    """The answers' text, without their sources."""
    return widget(page).locator(".msg.bot > span:not(.sr):not(.about)").all_inner_texts()


def abouts(page) -> list[str]:
    """The line above each answer that says what was understood."""
    return widget(page).locator(".msg.bot > span.about").all_inner_texts()


def wait_answers(page, n: int) -> None:
    """Until ``n`` answers are finished: the widget streams an answer's words first and adds its
    sources and its action buttons (.acts) when the whole answer has come; a failed one is
    marked .failed. (Waiting for text alone raced the sources on a slower browser.)"""
    page.wait_for_function(
        f"() => [...document.querySelector('#inspectbot-widget').shadowRoot.querySelectorAll('.msg.bot')]"
        f".filter(m => m.querySelector('.acts') || m.classList.contains('failed')).length >= {n}", timeout=60000)


def test_scoped_widget_my_council_and_another_council_keyboard_only(browser, sites):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(sites["scoped"].url)
    widget(page).locator("button.launcher").wait_for()
    page.keyboard.press("Tab")  # the launcher is the page's only control
    assert widget(page).locator("button.launcher").evaluate("b => b.getRootNode().activeElement === b")
    page.keyboard.press("Enter")
    intro = widget(page).locator(".intro p").first
    intro.wait_for()
    assert "Wigan's inspection reports: 3 are held here, the latest from 17 October 2025" in intro.inner_text()
    assert widget(page).locator("#ib-title").inner_text() == "Ask about Wigan's inspection reports"
    starters = widget(page).locator("button.starter")
    assert starters.all_inner_texts() == ["How did Wigan do at its latest inspection?",
                                          "What does Wigan need to improve?", "When was Wigan last inspected?"]
    page.screenshot(path=str(ARTIFACTS / "widget-scoped-starters.png"))
    assert axe_serious(page) == []
    page.keyboard.type("is my council any good?")
    page.keyboard.press("Enter")
    wait_answers(page, 1)
    first = answers(page)[0]
    assert first.startswith("Wigan was judged Good overall") and "17 October 2025" in first
    assert abouts(page)[0] == "About: Wigan · inspection of 6-17 October 2025 · overall grade"
    link = widget(page).locator("ol.sources a").first.get_attribute("href")
    assert link.startswith(sites["app"] + "/view/ofsted-ilacs/80579_wigan/children%27s%20services%20inspection"
                                          "%20-%2026%20november%202025.pdf?page=1&q=")
    assert not widget(page).locator("button.starter").count()  # asked: the suggestions go
    page.keyboard.type("How did Salford do?")
    page.keyboard.press("Enter")
    wait_answers(page, 2)
    assert "covers Wigan" in answers(page)[-1]
    assert answers(page)[-1] == "This assistant covers Wigan's inspection reports only."
    page.screenshot(path=str(ARTIFACTS / "widget-scoped.png"))
    assert axe_serious(page) == []
    page.close()


def test_starter_questions_at_320_pixels_by_keyboard(browser, sites):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(sites["scoped"].url)
    widget(page).locator("button.launcher").click()
    starters = widget(page).locator("button.starter")
    starters.first.wait_for()
    box = widget(page).locator("#ib-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    for b in starters.all():
        sb = b.bounding_box()
        assert sb["x"] >= 0 and sb["x"] + sb["width"] <= 320 and sb["height"] >= 44
    page.screenshot(path=str(ARTIFACTS / "widget-starters-320.png"))
    assert axe_serious(page) == []
    page.keyboard.press("Shift+Tab")  # from the question box back to the last suggestion
    assert starters.last.evaluate("b => b.getRootNode().activeElement === b")
    page.keyboard.press("Enter")  # one press asks it
    wait_answers(page, 1)
    assert widget(page).locator(".msg.user > span:not(.sr)").first.inner_text() == "When was Wigan last inspected?"
    assert "Inspectors visited Wigan from 6 October 2025 to 17 October 2025" in answers(page)[0]
    assert axe_serious(page) == []  # with an answer and its sources, too
    page.close()


def test_a_bound_origin_is_scoped_by_the_server_whatever_the_page_asks(browser, sites):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sent = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/ask/stream") else None)
    page.goto(sites["bound"].url)
    widget(page).locator("button.launcher").click()
    intro = widget(page).locator(".intro p").first
    intro.wait_for()
    assert "Birmingham's inspection reports" in intro.inner_text()
    widget(page).locator("#ib-q").fill("is my council any good?")
    page.keyboard.press("Enter")
    wait_answers(page, 1)
    assert sent[0]["scope"] == {"provider": "Wigan", "all": True}  # the page asked for another council
    assert re.match(r"Birmingham( City Council)? was judged Good overall .*3 March 2023", answers(page)[0])
    href = widget(page).locator("ol.sources a").first.get_attribute("href")
    assert "80429_birmingham/children%27s%20services%20inspection%20-%2018%20april%202023.pdf" in href
    widget(page).locator("#ib-q").fill("How did Wigan do?")  # data-scope="all" is not honoured here
    page.keyboard.press("Enter")
    wait_answers(page, 2)
    assert "covers Birmingham" in answers(page)[-1]
    page.close()


def test_an_unknown_provider_says_so_in_the_panel_and_the_console(browser, sites):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console = []
    page.on("console", lambda m: console.append((m.type, m.text)))
    page.goto(sites["unknown"].url)
    widget(page).locator("button.launcher").click()
    problem = widget(page).locator(".problem")
    problem.wait_for()
    # the visitor gets plain words; the page's developer the detail, in the console
    assert problem.inner_text().startswith("This assistant isn't set up yet") and problem.get_attribute("role") == "alert"
    assert "Nowhereshire" not in problem.inner_text()
    assert widget(page).locator("#ib-q").is_disabled()
    page.keyboard.press("Escape")  # closed and opened again by keyboard: focus on a control that works
    page.keyboard.press("Enter")
    assert widget(page).locator("button.close").evaluate("b => b.getRootNode().activeElement === b")
    assert any(t == "error" and "inspectbot widget" in x and "Nowhereshire" in x for t, x in console), console
    page.screenshot(path=str(ARTIFACTS / "widget-unknown-provider.png"))
    assert axe_serious(page) == []
    page.close()


def test_a_citation_opens_its_page_with_the_quote_highlighted_where_it_stands(browser, sites):
    """From the scoped widget, a citation of a real report opens the view in a new tab: the
    highlight's boxes on screen lie over pypdfium2's own boxes of the quote's characters, and the
    quote is inside <mark> in the page's text."""
    import pypdfium2 as pdfium

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(sites["scoped"].url)
    widget(page).locator("button.launcher").click()
    widget(page).locator("#ib-q").fill("What does Wigan need to improve?")
    page.keyboard.press("Enter")
    wait_answers(page, 1)
    links = widget(page).locator("ol.sources li")
    quotes = [q.strip("\u201c\u201d") for q in links.locator(".quote").all_inner_texts()]
    i = max(range(len(quotes)), key=lambda k: len(quotes[k]))  # the longest: over several lines
    with context.expect_page() as opened:
        links.nth(i).locator("a").click()
    view = opened.value
    view.wait_for_load_state("load")
    assert view.url.startswith(sites["app"] + "/view/")
    img = view.locator(".sheet img")
    assert img.evaluate("i => i.complete && i.naturalWidth > 0")  # the page image, under the page's own CSP
    mark = view.locator("mark#quote")
    assert re.sub(r"\s+", " ", mark.inner_text()).strip() == quotes[i]
    page_no = int(re.search(r"[?&]page=(\d+)", view.url).group(1))

    pdf = pdfium.PdfDocument(str(corpus_path(WIGAN_2025)))
    pg = pdf[page_no - 1]
    assert pg.get_bbox()[:2] == (0, 0) and pg.get_rotation() == 0  # page space is image space
    w, h = pg.get_size()
    tp = pg.get_textpage()
    shown = img.bounding_box()
    hl = [b for b in (x.bounding_box() for x in view.locator(".hl").all())]
    assert hl and sum(b["width"] * b["height"] for b in hl) < 0.05 * shown["width"] * shown["height"]

    def on_screen(i: int) -> tuple[float, float]:
        left, bottom, right, top = tp.get_charbox(i)
        return (shown["x"] + (left + right) / 2 / w * shown["width"],
                shown["y"] + (h - (top + bottom) / 2) / h * shown["height"])

    def covered(start: int, count: int) -> bool:
        """Every visible character of a match (not the line break pdfium puts between lines)."""
        chars = [i for i in range(start, start + count) if tp.get_text_range(i, 1).strip()]
        return all(any(b["x"] <= x <= b["x"] + b["width"] and b["y"] <= y <= b["y"] + b["height"] for b in hl)
                   for x, y in map(on_screen, chars))

    words = quotes[i].split()
    for part in (" ".join(words[:3]), " ".join(words[-3:])):
        hits = list(iter(tp.search(part).get_next, None))
        assert hits and any(covered(*hit) for hit in hits), part
    pdf.close()
    view.screenshot(path=str(ARTIFACTS / "view-desktop.png"), full_page=True)
    context.close()


def test_the_view_page_is_accessible_at_320_pixels_and_desktop_by_keyboard(browser, sites, corpus_answerer):
    import httpx

    cited = httpx.post(f"{sites['app']}/api/ask", json={"question": "What does Wigan need to improve?"},
                       timeout=60).json()["citations"][0]
    for width in (320, 1280):
        # axe is injected as a script, which the page's own CSP (no scripts) would refuse
        context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
        view = context.new_page()
        # without its #hl, so that the keyboard starts from the top of the page
        view.goto(sites["app"] + cited["view"].split("#")[0])
        view.locator(".sheet img").evaluate("i => i.decode()")
        assert view.evaluate("document.documentElement.scrollWidth") <= width
        view.screenshot(path=str(ARTIFACTS / f"view-{width}.png"), full_page=width == 320)
        assert axe_serious(view) == [], width
        seen = []
        while len(seen) < 8 and "Go to them in the text" not in seen:
            view.keyboard.press("Tab")
            seen.append(view.evaluate("document.activeElement.textContent"))
        assert seen[-1] == "Go to them in the text" and "Next page" in seen and "Whole report (PDF)" in seen, seen
        assert view.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
        view.keyboard.press("Enter")  # to the quote in the page's text
        assert view.evaluate("location.hash") == "#quote"
        context.close()

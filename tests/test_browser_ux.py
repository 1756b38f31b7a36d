"""What a parent and a council officer see (issue 20), in real Chromium at phone (390x844) and
desktop sizes, with axe: the demo page on an index without the sample council, the widget
while waiting and after a failure, bad input in both UIs, the staff chat's reading order,
starters that follow the council filter, and feedback with a comment. Screenshots in
test-artifacts/ (named per point)."""

from __future__ import annotations

import json

import pytest

from test_api import Server
from test_browser import ARTIFACTS, axe_serious, browser, free_port, site  # noqa: F401

pytestmark = [pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
HOSTS = {}  # council pages the corpus site serves a widget to


def widget(page):
    return page.locator("#inspectbot-widget")


def shadow_text(page, selector: str) -> str:
    return page.evaluate(f"() => document.querySelector('#inspectbot-widget').shadowRoot"
                         f".querySelector({json.dumps(selector)})?.innerText || ''")


def stored_history(page) -> list:
    return page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('inspectbot:'))"
                         ".flatMap(k => JSON.parse(sessionStorage.getItem(k)))")


@pytest.fixture(scope="module")
def corpus_site(corpus_answerer, tmp_path_factory):
    """The app over the real corpus subset, which holds no 'Brackenford'."""
    from ui.app import create_app
    from ui.settings import Settings

    from test_browser import HostPage

    tmp = tmp_path_factory.mktemp("browser-ux")
    port = free_port()
    # a council page whose widget names a council this index does not hold
    host = HostPage(f"http://127.0.0.1:{port}", tmp / "host", 'data-provider="Brackenford"')
    settings = Settings(index_dir=str(tmp), rate_limit=0, allowed_origins=(host.origin,))
    with Server(create_app(settings, answerer=corpus_answerer, mount_chat=False), port) as url, host:
        HOSTS["unknown"] = host
        yield url


# --- 1. the demo page works on whatever index is served -------------------------------------

@pytest.mark.corpus
def test_demo_page_is_scoped_to_a_council_the_index_holds(browser, corpus_site):
    page = browser.new_page(viewport=PHONE)
    console = []
    page.on("console", lambda m: console.append((m.type, m.text)))
    page.goto(corpus_site + "/widget-demo")
    council = page.locator("h1").inner_text()
    assert council and council != "Brackenford"
    widget(page).locator("button.launcher").click()
    widget(page).locator(".starter").first.wait_for(timeout=30000)
    assert widget(page).locator(".problem").count() == 0 and not widget(page).locator("#ib-q").is_disabled()
    assert council in shadow_text(page, ".intro")
    page.screenshot(path=str(ARTIFACTS / "issue20-1-demo-phone.png"))
    assert axe_serious(page) == []
    # the visitor can pick another council the index holds
    page.goto(corpus_site + "/widget-demo?provider=Wigan")
    assert "Wigan" in page.locator("h1").inner_text()
    assert not [x for t, x in console if t == "error" and "inspectbot" in x], console
    page.close()


@pytest.mark.corpus
def test_a_misconfigured_scope_says_plain_words_with_the_detail_in_the_console(browser, corpus_site):
    page = browser.new_page(viewport=PHONE)
    console = []
    page.on("console", lambda m: console.append((m.type, m.text)))
    page.goto(HOSTS["unknown"].url)
    widget(page).locator("button.launcher").click()
    problem = widget(page).locator(".problem")
    problem.wait_for()
    assert problem.inner_text().startswith("This assistant isn't set up yet")
    assert "Brackenford" not in problem.inner_text() and "data-provider" not in problem.inner_text()
    assert any(t == "error" and "inspectbot widget" in x and "Brackenford" in x for t, x in console), console
    page.screenshot(path=str(ARTIFACTS / "issue20-1-not-set-up-phone.png"))
    assert axe_serious(page) == []
    page.close()


# --- 4. waiting and failing in the widget ----------------------------------------------------

def test_widget_shows_that_it_is_looking_and_keeps_the_question_when_offline(browser, site):
    page = browser.new_page(viewport=PHONE)
    page.goto(site["app"] + "/widget-demo")
    held = []
    page.route("**/api/ask/stream", lambda route: held.append(route))  # the answer is slow to come
    widget(page).locator("button.launcher").click()
    widget(page).locator("#ib-q").fill("What does Brackenford need to improve?")
    page.keyboard.press("Enter")
    pending = widget(page).locator(".pending")
    pending.wait_for()
    assert pending.inner_text().startswith("Looking in the reports") and pending.is_visible()
    page.screenshot(path=str(ARTIFACTS / "issue20-4-waiting-phone.png"))
    held[0].abort("internetdisconnected")  # offline
    retry = widget(page).get_by_role("button", name="Try again")
    retry.wait_for()
    assert widget(page).locator("#ib-q").input_value() == "What does Brackenford need to improve?"
    assert "could not be reached" in shadow_text(page, ".failed")
    assert all("could not be reached" not in m["content"] for m in stored_history(page))
    assert not [m for m in stored_history(page) if m["role"] == "user"]  # not a turn of the conversation
    page.screenshot(path=str(ARTIFACTS / "issue20-4-offline-phone.png"))
    assert axe_serious(page) == []
    page.unroute("**/api/ask/stream")
    retry.click()
    widget(page).locator("ol.sources li").first.wait_for(timeout=60000)
    assert widget(page).locator(".failed").count() == 0
    roles = [m["role"] for m in stored_history(page)]
    assert roles == ["user", "assistant"], roles
    page.close()


def test_widget_server_error_is_not_sent_as_history(browser, site):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site["app"] + "/widget-demo")
    page.route("**/api/ask/stream", lambda route: route.fulfill(status=500, body="Internal Server Error"))
    widget(page).locator("button.launcher").click()
    widget(page).locator("#ib-q").fill("Who led the inspection of Brackenford?")
    page.keyboard.press("Enter")
    widget(page).get_by_role("button", name="Try again").wait_for()
    assert "went wrong" in shadow_text(page, ".failed")
    page.unroute("**/api/ask/stream")
    sent = []
    page.on("request", lambda r: sent.append(r.post_data) if r.url.endswith("/api/ask/stream") else None)
    widget(page).locator("#ib-q").fill("What does Brackenford need to improve?")
    page.keyboard.press("Enter")
    widget(page).locator("ol.sources li").first.wait_for(timeout=60000)
    assert json.loads(sent[0])["history"] == []  # the failed turn and its error are not history
    page.close()


# --- 5. bad input ----------------------------------------------------------------------------

def test_widget_empty_and_over_long_questions_are_not_sent(browser, site):
    page = browser.new_page(viewport=PHONE)
    page.goto(site["app"] + "/widget-demo")
    sent = []
    page.on("request", lambda r: sent.append(r.url) if "/api/ask" in r.url else None)
    widget(page).locator("button.launcher").click()
    widget(page).locator("#ib-q").focus()
    page.keyboard.press("Enter")
    assert widget(page).locator(".hint").inner_text() == "Type a question first."
    long = "Is Brackenford good? " * 240  # about 5,000 characters
    widget(page).locator("#ib-q").fill(long)
    assert widget(page).locator("#ib-q").input_value() == long  # nothing cut
    count = widget(page).locator(".count")
    assert count.is_visible() and "of 2,000 characters" in count.inner_text()
    page.keyboard.press("Enter")
    hint = widget(page).locator(".hint").inner_text()
    assert "the limit is 2,000" in hint and f"{len(long.strip()):,}" in hint
    assert not sent and widget(page).locator(".msg").count() == 0
    page.screenshot(path=str(ARTIFACTS / "issue20-5-widget-too-long-phone.png"))
    assert axe_serious(page) == []
    page.close()


def test_staff_chat_empty_and_over_long_questions_are_not_turns(browser, site):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site["app"] + "/")
    page.locator("#ask").click()
    page.locator("#hint").get_by_text("Type a question first.").wait_for(timeout=30000)
    assert page.locator("#chat .message-row").count() == 0
    long = "How did Brackenford do? " * 210
    page.locator("#question textarea").fill(long)
    page.locator("#hint").get_by_text("of 2,000 characters").or_(
        page.locator("#hint").get_by_text("the limit is 2,000")).first.wait_for(timeout=30000)
    page.locator("#ask").click()
    page.locator("#hint").get_by_text("Please shorten it").wait_for(timeout=30000)
    assert page.locator("#question textarea").input_value() == long  # kept, not cut
    assert page.locator("#chat .message-row").count() == 0
    page.screenshot(path=str(ARTIFACTS / "issue20-5-chat-too-long.png"))
    assert axe_serious(page) == []
    page.close()


# --- 2. the staff chat's reading order -------------------------------------------------------

def test_staff_chat_intro_starters_above_the_box_following_the_filter_and_answer_from_its_top(browser, site):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site["app"] + "/")
    page.get_by_text("Ask a question about the inspection reports held here").wait_for(timeout=30000)
    starters = page.locator("#starters button:visible")
    assert starters.first.bounding_box()["y"] < page.locator("#question textarea").bounding_box()["y"]
    page.screenshot(path=str(ARTIFACTS / "issue20-2-chat-empty.png"))
    assert axe_serious(page) == []
    before = starters.all_inner_texts()
    page.locator("#chat").scroll_into_view_if_needed()
    page.get_by_label("Council or provider").click()
    page.get_by_role("option", name="Ashdown House").click()
    page.wait_for_function("() => [...document.querySelectorAll('#starters button')].filter(b => b.offsetParent)"
                           ".every(b => b.innerText.includes('Ashdown House'))", timeout=30000)
    assert starters.all_inner_texts() != before
    page.get_by_label("Council or provider").click()
    page.get_by_role("option", name="Brackenford").click()
    page.wait_for_function("() => [...document.querySelectorAll('#starters button')].filter(b => b.offsetParent)"
                           ".some(b => b.innerText.includes('Brackenford'))", timeout=30000)
    for q in ("How did Ofsted rate Brackenford's children's services?", "What does Brackenford need to improve?"):
        page.locator("#question textarea").fill(q)
        page.locator("#ask").click()
        page.wait_for_function("n => document.querySelectorAll('#chat .bot-row').length >= n && "
                               "[...document.querySelectorAll('#chat .bot-row')].at(-1).innerText.includes('Open the report')",
                               arg=2 if "improve" in q else 1, timeout=60000)
        page.wait_for_timeout(800)
    # the last answer is shown from its top ('About: ...'), not from its last source card
    top = page.evaluate("""() => { const rows = document.querySelectorAll('#chat .bot-row');
        const last = rows[rows.length - 1]; let box = last.parentElement;
        while (box && !(box.scrollHeight > box.clientHeight + 2)) box = box.parentElement;
        const r = last.getBoundingClientRect(), b = box.getBoundingClientRect();
        return {offset: r.top - b.top, height: b.height, scrolled: box.scrollTop}; }""")
    assert 0 <= top["offset"] < 80 and top["scrolled"] > 0, top
    assert "Filters used: Brackenford" in page.locator("#chat .bot-row").last.inner_text()
    page.screenshot(path=str(ARTIFACTS / "issue20-2-chat-answer-top.png"))
    assert axe_serious(page) == []
    page.close()


# --- 6. feedback with a comment in the chat, thumbs and copy in the widget --------------------

def test_staff_chat_thumbs_down_asks_what_was_wrong(browser, site):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site["app"] + "/")
    assert page.locator("#export").is_disabled()  # nothing to export yet
    page.locator("#question textarea").fill("Who was the lead inspector for Brackenford?")
    page.locator("#ask").click()
    page.get_by_text("Open the report").first.wait_for(timeout=60000)
    page.wait_for_function("() => !document.querySelector('#export').disabled", timeout=30000)
    page.locator("#chat").get_by_label("Dislike").last.click()
    page.locator("#why-text textarea").wait_for()
    page.locator("#why-text textarea").fill("It should say when the inspection was.")
    page.locator("#why-send").click()
    page.locator("#why").wait_for(state="hidden", timeout=30000)
    assert page.locator("#thanks").inner_text().strip() == "Thanks for the feedback."
    page.screenshot(path=str(ARTIFACTS / "issue20-6-chat-feedback.png"))
    assert axe_serious(page) == []
    page.close()


def test_widget_thumbs_down_with_a_comment_and_copy(browser, site):
    page = browser.new_page(viewport=PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site["app"])
    page.goto(site["app"] + "/widget-demo")
    feedback = []
    page.on("request", lambda r: feedback.append(r.post_data) if r.url.endswith("/api/feedback") else None)
    widget(page).locator("button.launcher").click()
    widget(page).locator("#ib-q").fill("Who was the lead inspector for Brackenford?")
    page.keyboard.press("Enter")
    widget(page).locator("ol.sources li").first.wait_for(timeout=60000)
    widget(page).get_by_role("button", name="Copy").click()
    widget(page).get_by_role("button", name="Copied").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "[1]" in copied and site["app"] + "/view/" in copied
    widget(page).get_by_role("button", name="Not helpful").click()
    widget(page).get_by_label("What was wrong? (optional)").fill("Too short.")
    widget(page).get_by_role("button", name="Send feedback").click()
    widget(page).get_by_text("Thanks for the feedback.").wait_for(timeout=30000)
    sent = json.loads(feedback[0])
    assert sent["rating"] == "down" and sent["comment"] == "Too short." and sent["answer_id"]
    page.screenshot(path=str(ARTIFACTS / "issue20-6-widget-feedback-phone.png"))
    assert axe_serious(page) == []
    page.close()


# --- 10. the view page ----------------------------------------------------------------------

@pytest.mark.corpus
def test_view_page_on_a_phone_opens_at_the_highlighted_quote(browser, corpus_site):
    import httpx

    cited = httpx.post(f"{corpus_site}/api/ask", json={"question": "What does Wigan need to improve?"},
                       timeout=60).json()["citations"]
    view_link = max(cited, key=lambda c: c["page"] or 0)["view"]  # a page past the first
    assert view_link.endswith("#hl")
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # axe is injected as a script
    view = context.new_page()
    view.goto(corpus_site + view_link)
    view.locator(".sheet img").evaluate("i => i.decode()")
    view.wait_for_timeout(300)
    box = view.locator("#hl").bounding_box()
    assert view.evaluate("window.scrollY") > 0
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], box  # on screen, not below the fold
    view.screenshot(path=str(ARTIFACTS / "issue20-10-view-phone.png"))
    assert axe_serious(view) == []
    context.close()


@pytest.mark.corpus
def test_a_press_release_view_says_whose_it_is_and_when(browser, corpus_site, corpus_answerer):
    from ui.view import view_url

    press = next(d for d in corpus_answerer.documents() if d.source.startswith("press/000_"))
    full = corpus_answerer.catalog.document(press.doc_id)
    quote = next(line for line in full.pages[0].splitlines() if len(line) > 60)[:80]
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    view = context.new_page()
    view.goto(corpus_site + view_url(press.source, 1 if len(full.pages) == 1 else None, quote))
    header = view.locator("header").inner_text()
    assert "Salford's press release" in header and "2 March 2020" in header, header
    assert view.get_by_role("heading", name="The passage in the press release").count() == 1
    assert "The passage in the report" not in view.locator("main").inner_text()
    view.screenshot(path=str(ARTIFACTS / "issue20-10-press-release-phone.png"))
    assert axe_serious(view) == []
    context.close()


# --- 7 and 9. which filters applied; the Reports tab ------------------------------------------

def test_the_about_line_says_a_council_filter_gave_way_to_the_council_asked_about(browser, site):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site["app"] + "/")
    page.get_by_label("Council or provider").click()
    page.get_by_role("option", name="Brackenford").click()
    page.get_by_label("Year").click()
    page.get_by_role("option", name="2025").click()
    page.locator("#question textarea").fill("How are medicines managed at Ashdown House?")
    page.locator("#ask").click()
    page.get_by_text("Open the report").first.wait_for(timeout=60000)
    about = page.locator("#chat .bot-row").last.locator("em").first.inner_text()
    assert "About: Ashdown House" in about and "Filters used: year 2025" in about, about
    assert "The council filter (Brackenford) was not used: the question names Ashdown House" in about, about
    page.screenshot(path=str(ARTIFACTS / "issue20-7-filters-about.png"))
    page.close()


def test_reports_tab_in_words_sorted(browser, site):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site["app"] + "/")
    page.get_by_role("tab", name="Reports").click()
    page.wait_for_function("() => document.body.innerText.includes('Care home')", timeout=30000)
    text = page.locator("body").inner_text().split("Overall / judgements", 1)[1]
    assert "ilacs" not in text and "Children's services" in text and "6-8 May 2025" in text, text
    order = [text.index(p) for p in ("Ashdown House", "Brackenford", "Millbrook Primary School")]
    assert order == sorted(order)  # by provider
    page.screenshot(path=str(ARTIFACTS / "issue20-9-reports-tab.png"))
    assert axe_serious(page) == []
    page.close()

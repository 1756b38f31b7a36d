"""The question log and insights over real HTTP: two instances (this process and an
`inspectbot serve` subprocess) sharing one state file, feedback attached to answers by id, the
admin token, the log switched off, a locked state file, the CLI, and the Insights tab in
chromium with axe-core."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta

import httpx
import pytest

from conftest import ROOT, SAMPLES
from test_api import Server, free_port
from test_scaleout import _wait

TOKEN = "insights-s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def poll_insights(url: str, want: int, **params) -> dict:
    """The figures once ``want`` questions are in (the log is written just after the answer)."""
    deadline = time.time() + 20
    while True:
        fig = httpx.get(f"{url}/api/admin/insights", params=params, headers=AUTH, timeout=120).json()
        if fig["questions"] >= want or time.time() > deadline:
            return fig
        time.sleep(0.2)


def stream_answer(url: str, body: dict) -> dict:
    with httpx.stream("POST", f"{url}/api/ask/stream", json=body, timeout=60) as r:
        assert r.status_code == 200
        lines = list(r.iter_lines())
    i = lines.index("event: answer")
    return json.loads(lines[i + 1][6:])


@pytest.fixture(scope="module")
def two_instances(sample_answerer, tmp_path_factory):
    """Instance A in this process, instance B a separate `serve` process with its own index of
    the samples; both on one state file."""
    from ui.app import create_app
    from ui.settings import Settings

    tmp = tmp_path_factory.mktemp("insights-two")
    state = tmp / "state.sqlite3"
    env = {**os.environ, "INSPECTBOT_INDEX": str(tmp / "index-b"), "INSPECTBOT_STATE_DB": str(state),
           "INSPECTBOT_ADMIN_TOKEN": TOKEN, "INSPECTBOT_RATE_LIMIT": "0"}
    out = subprocess.run([sys.executable, "-m", "ui.cli", "ingest", str(SAMPLES)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    settings = Settings(index_dir=str(tmp / "index-a"), state_db=str(state), admin_token=TOKEN, rate_limit=0)
    try:
        with Server(create_app(settings, answerer=sample_answerer, mount_chat=False)) as a:
            b = f"http://127.0.0.1:{port}"
            _wait(f"{b}/healthz", proc, 240)
            yield {"a": a, "b": b, "state": state}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_questions_from_two_instances_appear_once_each_grouped_by_meaning(two_instances):
    a, b = two_instances["a"], two_instances["b"]
    asked = [
        (a, "ask", {"question": "is salford any good"}),
        (b, "ask", {"question": "how good is salford's children's social care"}),
        (a, "stream", {"question": "when was wigan inspected", "channel": "widget",
                       "filters": {"provider": "Wigan"}}),
        (b, "stream", {"question": "What does Brackenford need to improve?"}),
        (b, "ask", {"question": "What is the capital of France?"}),
    ]
    ids = []
    for url, how, body in asked:
        data = (httpx.post(f"{url}/api/ask", json=body, timeout=60).json() if how == "ask"
                else stream_answer(url, body))
        assert {"answer", "abstained", "citations", "understood"} <= set(data)
        assert isinstance(data["id"], str) and data["id"]
        ids.append(data["id"])
    assert len(set(ids)) == len(asked)

    fig = poll_insights(b, len(asked))
    assert fig["questions"] == len(asked)
    time.sleep(0.5)  # nothing written twice, even a moment later, and A sees the same figures
    fig_a = poll_insights(a, len(asked))
    assert fig_a["questions"] == len(asked)
    assert {k: fig_a[k] for k in ("questions", "refused", "per_day", "top_questions", "channels")} == \
        {k: fig[k] for k in ("questions", "refused", "per_day", "top_questions", "channels")}
    stored = sqlite3.connect(two_instances["state"]).execute(
        "SELECT id, question, channel, scope FROM questions").fetchall()
    assert sorted(r[0] for r in stored) == sorted(ids)
    assert ("when was wigan inspected", "widget", "Wigan") in [r[1:] for r in stored]

    groups = {g["example"]: g for g in fig["top_questions"]}
    salford = [g for g in fig["top_questions"] if "salford" in g["example"]]
    assert len(salford) == 1 and salford[0]["count"] == 2 and salford[0]["variants"] == 2
    assert groups["when was wigan inspected"]["count"] == 1
    assert sum(g["count"] for g in fig["top_questions"]) == len(asked)
    assert fig["refused"] >= 1 and fig["refusal_rate"] == round(fig["refused"] / fig["questions"], 4)
    assert any(g["example"] == "What is the capital of France?" for g in fig["refused_questions"])
    assert any(c["source"] == "brackenford-childrens-services-2025.pdf" for c in fig["most_cited"])
    assert {"channel": "widget", "scope": "Wigan", "questions": 1} in fig["channels"]


def test_feedback_attaches_to_the_answer_it_names_across_instances(two_instances):
    a, b = two_instances["a"], two_instances["b"]
    data = httpx.post(f"{a}/api/ask", json={"question": "Who led the inspection of Ashdown House?"}, timeout=60).json()
    before = poll_insights(b, 1)["thumbs_down"]
    r = httpx.post(f"{b}/api/feedback", json={"answer_id": data["id"], "rating": "down", "comment": "wrong home"})
    assert r.status_code == 201
    fig = poll_insights(b, 1)
    assert fig["thumbs_down"] == before + 1
    down = next(x for x in fig["thumbs_down_answers"] if x["comment"] == "wrong home")
    assert down["question"] == "Who led the inspection of Ashdown House?" and down["answer"] == data["answer"]
    # free-form feedback (no logged answer) is refused, and so is an empty request
    assert httpx.post(f"{a}/api/feedback", json={"question": "q", "answer": "a", "rating": "up"}).status_code == 422
    assert httpx.post(f"{a}/api/feedback", json={"rating": "up"}).status_code == 422
    assert httpx.post(f"{a}/api/feedback", json={"answer_id": "../x", "rating": "up"}).status_code == 422


def test_the_insights_api_needs_the_token(two_instances, sample_answerer, tmp_path):
    from ui.app import create_app
    from ui.settings import Settings

    a = two_instances["a"]
    assert httpx.get(f"{a}/api/admin/insights").status_code == 401
    r = httpx.get(f"{a}/api/admin/insights", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.json()["error"] == "The admin token is not right."
    assert "questions" not in r.json()
    r = httpx.get(f"{a}/api/admin/insights", params={"since": "yesterday"}, headers=AUTH)
    assert r.status_code == 422 and "YYYY-MM-DD" in r.json()["error"]
    r = httpx.get(f"{a}/api/admin/insights", params={"since": date.today().isoformat(), "provider": "Wigan"},
                  headers=AUTH)
    assert r.status_code == 200 and isinstance(r.json()["questions"], int)
    # admin off: refused whatever the token
    with Server(create_app(Settings(index_dir=str(tmp_path)), answerer=sample_answerer, mount_chat=False)) as url:
        assert httpx.get(f"{url}/api/admin/insights", headers=AUTH).status_code == 403


def test_with_the_log_off_nothing_is_stored_over_http(sample_answerer, tmp_path):
    from ui.app import create_app
    from ui.settings import Settings

    settings = Settings(index_dir=str(tmp_path), admin_token=TOKEN, rate_limit=0, log_days=0)
    with Server(create_app(settings, answerer=sample_answerer, mount_chat=False)) as url:
        data = httpx.post(f"{url}/api/ask", json={"question": "is salford any good"}, timeout=60).json()
        assert data["id"] is None and data["answer"]
        assert stream_answer(url, {"question": "Who led Brackenford's inspection?"})["id"] is None
        time.sleep(0.5)
        assert httpx.get(f"{url}/api/admin/insights", headers=AUTH).json()["questions"] == 0
    assert sqlite3.connect(tmp_path / "state.sqlite3").execute("SELECT count(*) FROM questions").fetchone() == (0,)


def test_client_addresses_are_stored_only_when_configured(sample_answerer, tmp_path):
    from ui.app import create_app
    from ui.settings import Settings

    for on in (False, True):
        folder = tmp_path / str(on)
        folder.mkdir()
        app = create_app(Settings(index_dir=str(folder), rate_limit=0, log_client_ip=on),
                         answerer=sample_answerer, mount_chat=False)
        with Server(app) as url:
            httpx.post(f"{url}/api/ask", json={"question": "Who led Brackenford's inspection?"}, timeout=60)
            assert app.state.questions.flush()
        assert app.state.shared.query("SELECT client FROM questions") == [("127.0.0.1" if on else None,)]


def test_a_locked_state_file_does_not_hold_up_answers(sample_answerer, tmp_path):
    from ui.app import create_app
    from ui.settings import Settings

    settings = Settings(index_dir=str(tmp_path), rate_limit=0)
    app = create_app(settings, answerer=sample_answerer, mount_chat=False)
    with Server(app) as url:
        question = {"question": "How are medicines managed at Ashdown House?"}
        httpx.post(f"{url}/api/ask", json=question, timeout=60)  # warm
        assert app.state.questions.flush()
        blocker = sqlite3.connect(tmp_path / "state.sqlite3", isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            t = time.perf_counter()
            r = httpx.post(f"{url}/api/ask", json=question, timeout=60)
            took = time.perf_counter() - t
            assert r.status_code == 200 and r.json()["citations"] and took < 2.0
            time.sleep(1.0)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert app.state.questions.flush()  # written once the file was free (within its busy timeout)
        assert sqlite3.connect(tmp_path / "state.sqlite3").execute(
            "SELECT count(*) FROM questions").fetchone() == (2,)


def test_the_cli_prints_writes_csv_and_purges(two_instances, tmp_path):
    env = {**os.environ, "INSPECTBOT_STATE_DB": str(two_instances["state"]), "INSPECTBOT_INDEX": str(tmp_path)}

    def cli(*args):
        p = subprocess.run([sys.executable, "-m", "ui.cli", "insights", *args], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        return p.stdout

    fig = poll_insights(two_instances["a"], 1)
    out = cli("--since", (date.today() - timedelta(days=1)).isoformat(), "--csv", str(tmp_path / "f.csv"))
    assert f"{fig['questions']} questions" in out and "most asked" in out and "salford" in out
    assert (tmp_path / "f.csv").read_text().startswith("section,item,count")
    data = json.loads(cli("--json", "--provider", "Wigan"))
    assert data["questions"] == 1 and data["top_questions"][0]["example"] == "when was wigan inspected"
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert f"removed {fig['questions']} logged question(s)" in cli("--purge-before", tomorrow)
    assert json.loads(cli("--json"))["questions"] == 0


# --- the Insights tab in chromium -----------------------------------------------------------------

def test_insights_tab_in_chromium_refuses_without_the_token_and_renders_with_it(sample_answerer, tmp_path):
    from test_browser import ARGS, ARTIFACTS, CHROMIUM, HostPage, axe_serious

    from ui.app import create_app
    from ui.settings import Settings

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"chromium not found at {CHROMIUM}: install Debian's chromium package (make test does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    port = free_port()
    council = HostPage(f"http://127.0.0.1:{port}", tmp_path / "council")
    settings = Settings(index_dir=str(tmp_path), admin_token=TOKEN, rate_limit=0, allowed_origins=(council.origin,))
    app = create_app(settings, answerer=sample_answerer)
    log = app.state.questions
    now = time.time()
    for i, q in enumerate(["is salford any good", "how good is salford's children's social care",
                           "when was wigan inspected", "<img src=x onerror=\"window.__pwned=1\"> is it safe?",
                           "What does Brackenford need to improve?", "What is the capital of France?"]):
        log.record(q, sample_answerer.ask(q), latency_ms=10 + i, channel=("api", "widget", "chat")[i % 3],
                   at=now - (i % 3) * 86400)
    ARTIFACTS.mkdir(exist_ok=True)
    pw = sync_api.sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    try:
        with Server(app, port) as url, council:
            # a question asked in the widget on a council's page is logged as the widget's
            page = browser.new_page()
            page.goto(council.url)
            widget = page.locator("#inspectbot-widget")
            widget.locator("button.launcher").click()
            widget.locator("#ib-q").fill("How are medicines managed at Ashdown House?")
            page.keyboard.press("Enter")
            widget.locator("ol.sources li").first.wait_for(timeout=30000)
            page.close()

            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "/")
            # a question in the chat is logged with its channel, and its thumbs down attaches to it
            page.locator("#question textarea").fill("Who led the inspection of Brackenford?")
            page.locator("#ask").click()
            page.get_by_text("Open the report at page 1").first.wait_for(timeout=60000)
            page.locator("#chat").get_by_role("button", name="Dislike").last.click()
            page.get_by_text("Thanks for the feedback.").wait_for(timeout=10000)
            page.locator("#why-text textarea").fill("It should say the dates.")  # the optional comment
            page.locator("#why-send").click()
            page.locator("#why").wait_for(state="hidden", timeout=30000)

            page.get_by_role("tab", name="Insights").click()
            page.locator("#insights-token input").fill("wrong")
            page.locator("#insights-show").click()
            page.get_by_text("The admin token is not right.").wait_for(timeout=30000)
            assert page.locator("#insights-report").count() == 0

            page.locator("#insights-token input").fill(TOKEN)
            page.locator("#insights-since textarea").fill((date.today() - timedelta(days=6)).isoformat())
            page.locator("#insights-show").click()
            page.locator("#insights-report").wait_for(timeout=60000)
            report = page.locator("#insights-report").inner_text()
            assert "Most asked" in report and "when was wigan inspected" in report
            assert "Who led the inspection of Brackenford?" in report  # from the chat, thumbs down
            assert "Miriam Oduya" in report and "'type'" not in report  # the answer, as plain text
            assert "It should say the dates." in report  # the thumbs-down's comment
            assert "brackenford-childrens-services-2025.pdf" not in report  # reports by title
            assert "Brackenford: children's services inspection" in report
            assert "Council" in page.locator("#insights-report th").all_inner_texts()
            plot = page.locator("#insights-per-day")
            plot.wait_for(timeout=30000)
            plot.locator("canvas, svg").first.wait_for(timeout=30000)  # a real plot, with axes
            assert page.locator("#insights-report img").count() == 0
            assert page.evaluate("() => window.__pwned") is None  # residents' text is never HTML
            assert "<img src=x" in report
            assert page.locator("#insights-csv").is_visible()
            # the token is not typed again while the page is open, and is not in the page
            page.locator("#insights-show").click()
            page.locator("#insights-report").wait_for(timeout=60000)
            assert page.locator("#insights-report [role=alert]").count() == 0
            assert TOKEN not in page.content()
            assert not page.evaluate("() => JSON.stringify(Object.assign({}, sessionStorage, localStorage))"
                                     ".includes('" + TOKEN + "')")
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / "insights.png"), full_page=True)
            problems = axe_serious(page)
            assert problems == [], problems
            page.close()
            assert log.flush()
            row = app.state.shared.query("SELECT channel, rating FROM questions WHERE question LIKE 'Who led%'")
            assert row == [("chat", "down")]
            row = app.state.shared.query("SELECT channel FROM questions WHERE question LIKE 'How are medicines%'")
            assert row == [("widget",)]
    finally:
        browser.close()
        pw.stop()

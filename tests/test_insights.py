"""The question log and the insights over it, on real SQLite files: what a row holds, the log
switched off, retention and purge, a locked file never holding up an answer, and grouping by
meaning with the real embedder."""

from __future__ import annotations

import csv
import io
import logging
import sqlite3
import time

import pytest

from bot.types import Answer, Citation, ReportRef, Understood
from ui.insights import Insights, to_csv
from ui.state import QuestionLog, SharedState, normalise

DAY = 86400.0


def answer(text="An answer.", abstained=False, sources=(), understood=None) -> Answer:
    cites = tuple(Citation(n=i + 1, source=s, title=s, page=1, quote="q") for i, s in enumerate(sources))
    return Answer(text=text, abstained=abstained, citations=cites, understood=understood)


@pytest.fixture
def state(tmp_path):
    return SharedState(tmp_path / "state.sqlite3")


def rows(state, sql="SELECT * FROM questions"):
    return state.query(sql)


def test_a_logged_question_holds_what_was_understood_and_cited(state):
    qlog = QuestionLog(state.path, days=90)
    understood = Understood(kind="grade", provider="Salford City Council",
                            report=ReportRef(source="salford-2018.pdf", title="Salford 2018"))
    got = answer(sources=("salford-2018.pdf", "salford-2018.pdf", "salford-2015.pdf"), understood=understood)
    answer_id = qlog.record("  How good is Salford?  ", got, latency_ms=12.345, channel="widget",
                            scope="Salford City Council", mode="parent")
    refused_id = qlog.record("What is the capital of France?", answer("I can't.", abstained=True),
                             latency_ms=1.0, channel="api")
    assert answer_id and refused_id and answer_id != refused_id
    assert qlog.flush()
    row = dict(zip(["id", "question", "norm", "provider", "report", "kind", "abstained", "latency_ms",
                    "channel", "scope", "mode", "client", "cited", "answer"],
                   state.query("SELECT id, question, norm, provider, report, kind, abstained, latency_ms, channel, "
                               "scope, mode, client, cited, answer FROM questions WHERE id = ?", (answer_id,))[0]))
    assert row == {"id": answer_id, "question": "How good is Salford?", "norm": "how good is salford",
                   "provider": "Salford City Council", "report": "salford-2018.pdf", "kind": "grade",
                   "abstained": 0, "latency_ms": 12.3, "channel": "widget", "scope": "Salford City Council",
                   "mode": "parent", "client": None, "cited": '["salford-2018.pdf", "salford-2015.pdf"]',
                   "answer": "An answer."}
    # no understanding (an answerer that does not say): the row is still logged
    assert state.query("SELECT provider, kind, abstained FROM questions WHERE id = ?", (refused_id,)) == [("", "", 1)]
    qlog.close()


def test_normalise_folds_case_spacing_quotes_and_end_punctuation():
    assert normalise("  Is   Salford’s care GOOD?! ") == normalise("is salford's care good") == "is salford's care good"


def test_with_the_log_off_nothing_is_stored(state):
    qlog = QuestionLog(state.path, days=0)
    assert qlog.record("is salford any good", answer(), latency_ms=1, channel="api") is None
    assert qlog.flush() and qlog._thread is None
    assert rows(state) == []


def test_retention_removes_questions_and_feedback_older_than_the_setting(state):
    now = time.time()
    writer = QuestionLog(state.path, days=3650)
    for age in (100, 40, 20, 1):
        writer.record(f"question {age} days old", answer(), latency_ms=1, channel="api", at=now - age * DAY)
    assert writer.flush()
    writer.close()
    state.add_feedback("old", "a", "down")
    state.query("UPDATE feedback SET at = ?", (now - 45 * DAY,))
    state.add_feedback("new", "a", "up")
    assert len(rows(state)) == 4 and state.feedback_count() == 2

    QuestionLog(state.path, days=30).flush()  # a new instance removes old rows when it starts
    assert sorted(q for (q,) in rows(state, "SELECT question FROM questions")) == [
        "question 1 days old", "question 20 days old"]
    assert [q for (q,) in state.query("SELECT question FROM feedback")] == ["new"]


def test_purge_before_a_day_removes_rows_and_their_text_from_the_file(tmp_path):
    path = tmp_path / "state.sqlite3"
    state = SharedState(path)
    qlog = QuestionLog(path, days=90)
    qlog.record("my address is 12 Secretive Lane", answer(), latency_ms=1, channel="api", at=time.time() - 10 * DAY)
    qlog.record("is wigan any good", answer(), latency_ms=1, channel="api")
    assert qlog.flush()
    qlog.close()
    assert state.remove_before(time.time() - 5 * DAY) == (1, 0)
    assert [q for (q,) in rows(state, "SELECT question FROM questions")] == ["is wigan any good"]
    for f in tmp_path.iterdir():  # neither the database nor its write-ahead log keeps the text
        assert b"secretive lane" not in f.read_bytes().lower(), f.name


def test_a_locked_file_never_delays_an_answer_and_logs_a_warning(state, caplog):
    qlog = QuestionLog(state.path, days=90, busy_ms=200)
    assert qlog.flush()
    blocker = sqlite3.connect(state.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, logger="ui.state"):
            t = time.perf_counter()
            answer_id = qlog.record("is salford any good", answer(), latency_ms=1, channel="api")
            assert (time.perf_counter() - t) < 0.005 and answer_id
            assert qlog.flush()
        assert any("not logged" in r.getMessage() for r in caplog.records)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    # the writer carries on once the file is free again
    qlog.record("when was wigan inspected", answer(), latency_ms=1, channel="api")
    assert qlog.flush()
    assert [q for (q,) in rows(state, "SELECT question FROM questions")] == ["when was wigan inspected"]
    qlog.close()


def test_a_full_queue_drops_questions_with_a_warning_not_an_error(state, caplog):
    qlog = QuestionLog(state.path, days=90, busy_ms=2000, max_pending=2)
    assert qlog.flush()
    blocker = sqlite3.connect(state.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, logger="ui.state"):
            ids = [qlog.record(f"question {i}", answer(), latency_ms=1, channel="api") for i in range(6)]
        assert None in ids and ids[0] is not None
        assert any("behind" in r.getMessage() for r in caplog.records)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qlog.close()


def test_feedback_with_an_answer_id_attaches_to_the_logged_question(state):
    qlog = QuestionLog(state.path, days=90)
    answer_id = qlog.record("is salford any good", answer("Salford was judged Good."), latency_ms=1, channel="api")
    assert qlog.flush()
    # the question and answer are stored as logged, whatever the client sends with the id
    assert state.add_feedback("(edited)", "", "down", "it is out of date", answer_id=answer_id) is True
    assert state.query("SELECT rating, comment FROM questions WHERE id = ?", (answer_id,)) == [("down", "it is out of date")]
    assert state.query("SELECT question, answer, answer_id FROM feedback") == [
        ("is salford any good", "Salford was judged Good.", answer_id)]
    assert state.add_feedback("q", "a", "up", answer_id="0123abcd") is False  # unknown id: kept, unattached
    qlog.close()


def test_feedback_table_from_before_the_log_gains_answer_ids(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE feedback (at REAL, rating TEXT, question TEXT, answer TEXT, comment TEXT)")
    conn.execute("INSERT INTO feedback VALUES (1, 'up', 'q', 'a', '')")
    conn.commit()
    conn.close()
    state = SharedState(path)
    state.add_feedback("q2", "a2", "down", answer_id="abc")
    assert state.query("SELECT question, answer_id FROM feedback ORDER BY at") == [("q", None), ("q2", "abc")]


# --- figures and grouping -----------------------------------------------------------------------

def log_many(state, items) -> QuestionLog:
    qlog = QuestionLog(state.path, days=90)
    for q, kw in items:
        qlog.record(q, kw.pop("answer", answer()), latency_ms=kw.pop("latency", 5.0),
                    channel=kw.pop("channel", "api"), **kw)
    assert qlog.flush()
    return qlog


def test_grouping_puts_near_duplicates_together_and_other_questions_apart(state, embedder):
    log_many(state, [("is salford any good", {}), ("Is Salford any good?", {}),
                     ("how good is salford's children's social care", {}),
                     ("when was wigan inspected", {}), ("What is the capital of France?", {})]).close()
    fig = Insights(state, embedder).figures()
    groups = {g["example"].lower().rstrip("?"): g for g in fig["top_questions"]}
    assert fig["questions"] == 5
    salford = next(g for g in fig["top_questions"] if "salford" in g["example"].lower())
    assert salford["count"] == 3 and salford["variants"] == 2
    assert groups["when was wigan inspected"]["count"] == 1
    assert groups["what is the capital of france"]["count"] == 1
    assert len(fig["top_questions"]) == 3


def test_questions_about_different_councils_are_never_grouped(state, embedder):
    """'how good is salford's...' and 'how good is wigan's...' are close in meaning (0.80):
    where the log knows each question's council, they stay apart."""
    s = Understood(kind="grade", provider="Salford")
    w = Understood(kind="grade", provider="Wigan")
    log_many(state, [("how good is salford's children's social care", {"answer": answer(understood=s)}),
                     ("is salford any good", {"answer": answer(understood=s)}),
                     ("how good is wigan's children's social care", {"answer": answer(understood=w)})]).close()
    fig = Insights(state, embedder).figures()
    assert sorted(g["count"] for g in fig["top_questions"]) == [1, 2]
    fig = Insights(state, embedder).figures(provider="wigan")  # the provider filter, any case
    assert fig["questions"] == 1 and fig["provider"] == "wigan"


def test_figures_count_refusals_feedback_citations_and_days(state, embedder):
    now = time.time()
    qlog = log_many(state, [
        ("is salford any good", {"answer": answer(sources=("s.pdf",)), "at": now - 2 * DAY}),
        ("is salford any good", {"answer": answer(sources=("s.pdf", "t.pdf"))}),
        ("what is the capital of france", {"answer": answer("No.", abstained=True), "channel": "widget",
                                           "scope": "Salford"}),
        ("what is the capital of france?", {"answer": answer("No.", abstained=True), "latency": 100.0}),
        ("asked long ago", {"at": now - 60 * DAY}),
    ])
    down_id = qlog.record("=HYPERLINK(\"http://x\")", answer("A bad answer."), latency_ms=1, channel="chat")
    assert qlog.flush()
    state.add_feedback("", "", "down", "wrong year", answer_id=down_id)
    state.add_feedback("old style question", "old style answer", "up")
    fig = Insights(state, embedder).figures()
    assert (fig["questions"], fig["refused"], fig["thumbs_down"], fig["thumbs_up"]) == (5, 2, 1, 1)
    assert fig["refusal_rate"] == 0.4
    assert sum(d["questions"] for d in fig["per_day"]) == 5 and len(fig["per_day"]) == 2
    assert fig["most_cited"] == [{"source": "s.pdf", "count": 2}, {"source": "t.pdf", "count": 1}]
    assert fig["refused_questions"][0]["count"] == 2 and "france" in fig["refused_questions"][0]["example"]
    assert fig["thumbs_down_answers"][0]["answer"] == "A bad answer."
    assert fig["thumbs_down_answers"][0]["comment"] == "wrong year"
    assert {"channel": "widget", "scope": "Salford", "questions": 1} in fig["channels"]
    assert fig["latency_ms"]["p95"] == 100.0
    older = Insights(state, embedder).figures(since=time.strftime("%Y-%m-%d", time.localtime(now - 61 * DAY)))
    assert older["questions"] == 6

    table = list(csv.reader(io.StringIO(to_csv(fig))))
    assert table[0] == ["section", "item", "count", "refused", "answer", "comment", "date"]
    assert ["summary", "questions", "5", "", "", "", f"{fig['since']} to {fig['until']}"] in table
    down = next(r for r in table if r[0] == "thumbs down")
    assert down[1].startswith("'=HYPERLINK")  # a spreadsheet does not run residents' text as a formula
    qlog.close()


def test_bad_dates_are_refused_with_a_message(state):
    from index.errors import BadInputError

    with pytest.raises(BadInputError, match="YYYY-MM-DD"):
        Insights(state).figures(since="last tuesday")
    with pytest.raises(BadInputError, match="after"):
        Insights(state).figures(since="2025-02-01", until="2025-01-01")
    with pytest.raises(BadInputError, match="between"):
        Insights(state).figures(since="0001-01-01", until="9999-12-31")

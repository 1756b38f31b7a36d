"""A council's own assistant over real HTTP: scoped questions, the scope sentence, origins bound
to a provider on the server, and starter questions built from the reports (on the samples)."""

from __future__ import annotations

import json

import httpx
import pytest

from test_api import Server

BOUND = "http://council.example"
OTHER = "http://general.example"
BRACKENFORD = "brackenford-childrens-services-2025.pdf"
SENTENCE = "This assistant covers Brackenford's inspection reports only."


@pytest.fixture(scope="module")
def server(sample_answerer, tmp_path_factory):
    from ui.app import create_app
    from ui.settings import Settings

    settings = Settings.from_env({
        "INSPECTBOT_INDEX": str(tmp_path_factory.mktemp("scope-index")),
        "INSPECTBOT_ALLOWED_ORIGINS": f"{BOUND}=brackenford city council, {OTHER}",
        "INSPECTBOT_RATE_LIMIT": "0"})
    with Server(create_app(settings, answerer=sample_answerer, mount_chat=False)) as url:
        yield url


def ask(url: str, question: str, headers: dict | None = None, **body) -> dict:
    r = httpx.post(f"{url}/api/ask", json={"question": question, **body}, headers=headers or {}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def test_settings_read_bound_origins():
    from ui.settings import Settings

    s = Settings.from_env({"INSPECTBOT_ALLOWED_ORIGINS": "https://www.salford.gov.uk/=Salford, https://staff.example"})
    assert s.allowed_origins == ("https://www.salford.gov.uk", "https://staff.example")
    assert s.origin_providers == (("https://www.salford.gov.uk", "Salford"),)
    assert Settings(origin_providers=(("https://a.example", "X"),)).origins() == ("https://a.example",)


def test_my_council_in_a_scoped_conversation(server):
    data = ask(server, "is my council any good?", scope={"provider": "Brackenford City Council"})
    assert data["abstained"] is False and data["answer"].startswith("Brackenford was judged Good")
    c = data["citations"][0]
    assert c["source"] == BRACKENFORD and c["quote"] == "Overall effectiveness Good"
    assert c["view"].startswith("/view/") and "page=1" in c["view"] and "q=Overall+effectiveness+Good" in c["view"]


def test_another_council_gets_the_scope_sentence_unless_scope_is_all(server):
    data = ask(server, "How did Millbrook Primary School do?", scope={"provider": "Brackenford"})
    assert data["abstained"] is True and data["answer"] == SENTENCE and data["citations"] == []
    data = ask(server, "How did Millbrook Primary School do?", scope={"provider": "Brackenford", "all": True})
    assert data["abstained"] is False and data["citations"][0]["source"] == "millbrook-primary-school-2024.md"
    # naming its own council is fine
    data = ask(server, "What does Brackenford need to improve?", scope={"provider": "Brackenford"})
    assert data["abstained"] is False and {c["source"] for c in data["citations"]} == {BRACKENFORD}


def test_a_follow_up_is_about_the_scoped_council_not_an_earlier_other_one(server):
    history = [{"role": "user", "content": "How are medicines managed at Ashdown House?"},
               {"role": "assistant", "content": SENTENCE}]
    data = ask(server, "What needs to improve?", history=history, scope={"provider": "Brackenford"})
    assert data["abstained"] is False and {c["source"] for c in data["citations"]} == {BRACKENFORD}


def test_the_stream_sends_the_scope_sentence(server):
    with httpx.stream("POST", f"{server}/api/ask/stream", timeout=30,
                      json={"question": "When was Ashdown House inspected?", "scope": {"provider": "Brackenford"}}) as r:
        lines = [line for line in r.iter_lines() if line.startswith("data: ")]
    answer = next(json.loads(x[6:]) for x in lines if '"abstained"' in x)
    assert answer["answer"] == SENTENCE and answer["abstained"] is True


def test_an_unknown_provider_is_a_clear_404(server):
    r = httpx.get(f"{server}/api/starters", params={"provider": "Nowhereshire"})
    assert r.status_code == 404 and "Nowhereshire" in r.json()["error"]
    r = httpx.post(f"{server}/api/ask", json={"question": "Is it good?", "scope": {"provider": "Nowhereshire"}})
    assert r.status_code == 404 and "data-provider" in r.json()["error"]


def test_a_bound_origin_is_scoped_by_the_server_whatever_the_page_sends(server):
    bound = {"Origin": BOUND}
    # the body asks for another provider, every way it can: the server keeps to Brackenford
    data = ask(server, "is my council any good?", headers=bound,
               scope={"provider": "Millbrook Primary School", "all": True},
               filters={"provider": "Millbrook Primary School"})
    assert data["answer"].startswith("Brackenford was judged Good") and data["citations"][0]["source"] == BRACKENFORD
    data = ask(server, "How did Millbrook Primary School do?", headers=bound,
               scope={"provider": "Millbrook Primary School", "all": True})
    assert data["abstained"] is True and data["answer"] == SENTENCE
    data = ask(server, "How did Millbrook Primary School do?", headers=bound)  # no scope sent at all
    assert data["answer"] == SENTENCE
    r = httpx.get(f"{server}/api/starters", params={"provider": "Ashdown House", "scope": "all"}, headers=bound)
    assert r.json()["provider"] == "Brackenford" and r.json()["bound"] is True
    # an unbound allowed origin asks as it likes
    data = ask(server, "How did Millbrook Primary School do?", headers={"Origin": OTHER})
    assert data["abstained"] is False and data["citations"][0]["source"] == "millbrook-primary-school-2024.md"


def test_starters_are_built_from_the_providers_reports_and_each_is_answered(server):
    r = httpx.get(f"{server}/api/starters", params={"provider": "brackenford"})
    opening = r.json()
    assert opening["provider"] == "Brackenford" and opening["reports"] == 1 and opening["scope"] == "provider"
    assert "Brackenford" in opening["intro"] and "1 is held here" in opening["intro"]
    assert opening["starters"] == ["How did Brackenford do at its latest inspection?",
                                   "What does Brackenford need to improve?",
                                   "When was Brackenford last inspected?"]
    for q in opening["starters"]:
        data = ask(server, q, scope={"provider": "Brackenford"})
        assert data["abstained"] is False and {c["source"] for c in data["citations"]} == {BRACKENFORD}, q


def test_general_starters_when_unscoped_and_each_is_answered(server):
    opening = httpx.get(f"{server}/api/starters").json()
    assert opening["provider"] is None and opening["reports"] == 3
    assert 3 <= len(opening["starters"]) <= 4
    assert "Which councils were judged good?" in opening["starters"]
    for q in opening["starters"]:
        data = ask(server, q)
        assert data["abstained"] is False and data["citations"], q


@pytest.mark.corpus
def test_an_area_send_starter_where_the_provider_has_one(corpus_answerer):
    from ui.scope import Scope, Scopes

    scopes = Scopes(corpus_answerer)
    opening = scopes.opening(Scope("North Northamptonshire"))
    assert "What was the outcome of North Northamptonshire's area SEND inspection?" in opening["starters"]
    for q in opening["starters"]:  # each answered; the SEND one from the SEND report (the subset also
        # holds North Northamptonshire's children's services reports, which the others may use)
        answer = corpus_answerer.ask(q, filters={"provider": "North Northamptonshire"})
        assert not answer.abstained and answer.citations, q
        if "SEND" in q:
            assert answer.citations[0].source.startswith("ofsted-send/"), q
    salford = scopes.opening(Scope("Salford"))
    assert salford["reports"] == 3 and "the latest from 10 November 2023" in salford["intro"]


def test_scopes_work_through_the_llm_answerer(sample_answerer):
    """With an LLM configured the app holds an LLMAnswerer: it names providers as the base does."""
    from bot.llm import LLMAnswerer
    from ui.scope import Scopes

    scopes = Scopes(LLMAnswerer(sample_answerer, chat_model=None))
    scope = scopes.for_request(None, "brackenford city council")
    assert scope.provider == "Brackenford" and scopes.opening(scope)["reports"] == 1
    refusal, _, filters = scopes.apply(scope, "How did Millbrook Primary School do?", [], None)
    assert refusal.text == SENTENCE and refusal.abstained
    refusal, _, filters = scopes.apply(scope, "Is my council any good?", [], {"year": 2025})
    assert refusal is None and filters == {"year": 2025, "provider": "Brackenford"}

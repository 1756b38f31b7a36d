"""The OpenAI-compatible endpoint through the official ``openai`` client, against the real app
served by uvicorn on loopback (on the samples): the model list, answers with and without
streaming, a follow-up, the key, the limits and a bound origin's scope."""

from __future__ import annotations

import httpx
import openai
import pytest

from test_api import Server

KEY = "test-openai-key"
BOUND = "http://council.example"
BRACKENFORD = "brackenford-childrens-services-2025.pdf"
SENTENCE = "This assistant covers Brackenford's inspection reports only."
RATE = "How did Ofsted rate Brackenford?"


@pytest.fixture(scope="module")
def server(sample_answerer, tmp_path_factory):
    from ui.app import create_app
    from ui.settings import Settings

    settings = Settings.from_env({"INSPECTBOT_INDEX": str(tmp_path_factory.mktemp("openai-index")),
                                  "INSPECTBOT_RATE_LIMIT": "0", "INSPECTBOT_ASSISTANT_KEY": KEY,
                                  "INSPECTBOT_ALLOWED_ORIGINS": f"{BOUND}=Brackenford"})
    with Server(create_app(settings, answerer=sample_answerer, mount_chat=False)) as url:
        yield url


def client(url: str, key: str = KEY, **kw) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=60, **kw)


def ask(c: openai.OpenAI, *messages: dict):
    return c.chat.completions.create(model="inspectbot", messages=list(messages))


def test_models_list(server):
    models = client(server).models.list()
    assert [m.id for m in models.data] == ["inspectbot"]
    assert client(server).models.retrieve("inspectbot").id == "inspectbot"


def test_a_completion_has_the_answer_and_its_sources(server):
    r = ask(client(server), {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": RATE})
    assert r.object == "chat.completion" and r.model == "inspectbot"
    choice = r.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    text = choice.message.content
    assert text.startswith("Brackenford was judged Good") and "[1]" in text
    assert "\n\nSources:\n[1] Brackenford" in text and "page 1" in text
    assert "\u201cOverall effectiveness Good\u201d" in text and f"({server}/view/{BRACKENFORD}?page=1" in text
    extra = r.model_extra["inspectbot"]
    assert extra["abstained"] is False and extra["understood"]["provider"] == "Brackenford"
    c = extra["citations"][0]
    assert c["source"] == BRACKENFORD and c["page"] == 1 and c["quote"] == "Overall effectiveness Good"
    assert httpx.get(c["url"].split("#")[0]).status_code == 200


def test_a_streamed_completion_is_the_same_answer_in_chunks(server):
    c = client(server)
    whole = ask(c, {"role": "user", "content": RATE}).choices[0].message.content
    chunks = list(c.chat.completions.create(model="inspectbot", stream=True,
                                            messages=[{"role": "user", "content": RATE}]))
    assert all(ch.object == "chat.completion.chunk" and ch.id == chunks[0].id for ch in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len([ch for ch in chunks if ch.choices[0].delta.content]) >= 2
    assert "".join(ch.choices[0].delta.content or "" for ch in chunks) == whole
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["inspectbot"]["citations"][0]["source"] == BRACKENFORD
    with httpx.stream("POST", f"{server}/v1/chat/completions", headers={"Authorization": f"Bearer {KEY}"},
                      json={"model": "inspectbot", "stream": True,
                            "messages": [{"role": "user", "content": RATE}]}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = [x for x in r.iter_lines() if x]
    assert lines[-1] == "data: [DONE]" and all(x.startswith("data: ") for x in lines)


def test_a_two_turn_conversation_is_read_as_a_follow_up(server):
    c = client(server)
    first = ask(c, {"role": "user", "content": RATE}).choices[0].message.content
    r = ask(c, {"role": "user", "content": RATE}, {"role": "assistant", "content": first},
            {"role": "user", "content": [{"type": "text", "text": "What about care leavers?"}]})
    text = r.choices[0].message.content
    assert "outstanding" in text.lower()
    assert r.model_extra["inspectbot"]["citations"][0]["source"] == BRACKENFORD
    # without the earlier turns the same words are not about Brackenford
    alone = ask(c, {"role": "user", "content": "What about care leavers?"})
    assert alone.model_extra["inspectbot"]["understood"] is None or \
        alone.model_extra["inspectbot"]["understood"]["provider"] != "Brackenford"


def test_unanswerable_abstains(server):
    r = ask(client(server), {"role": "user", "content": "What is the capital of Peru?"})
    assert r.model_extra["inspectbot"]["abstained"] is True
    assert r.model_extra["inspectbot"]["citations"] == []
    assert "Sources:" not in r.choices[0].message.content


def test_a_bound_origin_is_scoped(server):
    c = client(server, default_headers={"Origin": BOUND})
    mine = ask(c, {"role": "user", "content": "is my council any good?"})
    assert mine.choices[0].message.content.startswith("Brackenford was judged Good")
    other = ask(c, {"role": "user", "content": "How did Millbrook Primary School do?"})
    assert other.choices[0].message.content == SENTENCE
    assert other.model_extra["inspectbot"]["abstained"] is True
    streamed = c.chat.completions.create(model="inspectbot", stream=True, messages=[
        {"role": "user", "content": "How did Millbrook Primary School do?"}])
    assert "".join(ch.choices[0].delta.content or "" for ch in streamed) == SENTENCE
    # unbound, the same question is answered
    free = ask(client(server), {"role": "user", "content": "How did Millbrook Primary School do?"})
    assert free.model_extra["inspectbot"]["citations"][0]["source"] == "millbrook-primary-school-2024.md"
    with pytest.raises(openai.PermissionDeniedError, match="INSPECTBOT_ALLOWED_ORIGINS"):
        ask(client(server, default_headers={"Origin": "http://evil.example"}), {"role": "user", "content": RATE})


def test_errors_say_what_to_fix(server):
    c = client(server)
    with pytest.raises(openai.AuthenticationError, match="Bearer"):
        client(server, key="wrong").models.list()
    with pytest.raises(openai.NotFoundError, match="inspectbot"):
        c.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": RATE}])
    with pytest.raises(openai.UnprocessableEntityError, match="last message"):
        ask(c, {"role": "user", "content": RATE}, {"role": "assistant", "content": "Good."})
    with pytest.raises(openai.UnprocessableEntityError, match="2000"):
        ask(c, {"role": "user", "content": "why " * 600})
    with pytest.raises(openai.BadRequestError, match="messages"):
        c.chat.completions.create(model="inspectbot", messages=[])
    r = httpx.post(f"{server}/v1/chat/completions", headers={"Authorization": f"Bearer {KEY}",
                                                              "Content-Type": "application/json"},
                   content=b'{"model": "inspectbot", "messages": [' + b" " * (3 * 2**20) + b"]}")
    assert r.status_code == 413 and "limit" in r.json()["error"]["message"]


def test_the_rate_limit_is_shared_with_api_ask(sample_answerer, tmp_path):
    from ui.app import create_app
    from ui.settings import Settings

    settings = Settings.from_env({"INSPECTBOT_INDEX": str(tmp_path), "INSPECTBOT_RATE_LIMIT": "2"})
    with Server(create_app(settings, answerer=sample_answerer, mount_chat=False)) as url:
        assert httpx.post(f"{url}/api/ask", json={"question": RATE}).status_code == 200
        c = client(url, key="unused")  # no key configured: any is accepted
        assert c.models.list().data[0].id == "inspectbot"  # a listing is not a question
        ask(c, {"role": "user", "content": RATE})
        with pytest.raises(openai.RateLimitError, match="Too many questions"):
            ask(c, {"role": "user", "content": RATE})

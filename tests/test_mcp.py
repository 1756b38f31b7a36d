"""The MCP server through the official MCP client: over stdio against a real ``inspectbot mcp``
process (on the samples, ingested by the CLI), and over streamable HTTP against the real app
served by uvicorn on loopback (on the corpus subset, and on the samples for the limits)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys

import anyio
import httpx
import httpx2
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from conftest import CORPUS, ROOT, SALFORD_2018, SAMPLES
from test_api import Server

BRACKENFORD = "brackenford-childrens-services-2025.pdf"
TOOLS = {"ask", "search_passages", "report_facts", "list_reports"}
KEY = "test-assistant-key"


def env(**extra) -> dict:
    return {"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False", **extra}


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def pdf_page(path, page: int) -> str:
    """The text of a page of the real PDF, read here with pypdfium2 (not from the index)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[page - 1].get_textpage().get_text_bounded()
    finally:
        pdf.close()


def run(coro_fn, *args):
    return anyio.run(coro_fn, *args)


@contextlib.asynccontextmanager
async def http_session(url: str, headers: dict | None = None):
    async with httpx2.AsyncClient(headers=headers or {}, timeout=120) as client:
        async with streamable_http_client(f"{url}/mcp", http_client=client) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


# --- stdio: a real `inspectbot mcp` process ----------------------------------------------------

@pytest.fixture(scope="module")
def stdio_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mcp-stdio") / "index"
    p = subprocess.run([sys.executable, "-m", "ui.cli", "--index", str(folder), "ingest", str(SAMPLES)],
                       capture_output=True, text=True, env={**os.environ, **env()}, cwd=ROOT, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    return folder


@pytest.mark.slow
def test_stdio_tools_ask_errors_and_facts(stdio_index, tmp_path):
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "ui.cli", "--index", str(stdio_index), "mcp"], cwd=str(ROOT),
        env=env(INSPECTBOT_STATE_DB=str(tmp_path / "state.sqlite3"), INSPECTBOT_PUBLIC_URL="https://bot.example"))

    async def main():
        with open(tmp_path / "stderr.txt", "w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as s:
                    await s.initialize()
                    tools = {t.name: t for t in (await s.list_tools()).tools}
                    assert set(tools) == TOOLS
                    for t in tools.values():
                        assert t.description and t.output_schema and t.input_schema["type"] == "object"
                    assert "abstained" in tools["ask"].description and "quote" in tools["ask"].description.lower()
                    props = tools["ask"].input_schema["properties"]
                    assert set(props) == {"question", "history", "provider"}
                    assert tools["ask"].input_schema["required"] == ["question"]
                    assert props["question"]["maxLength"] == 2000
                    assert set(tools["search_passages"].input_schema["properties"]) == {
                        "query", "provider", "year", "report_type", "k"}

                    res = await s.call_tool("ask", {"question": "How did Ofsted rate Brackenford?"})
                    assert not res.is_error
                    data = res.structured_content
                    assert data["abstained"] is False and "Good" in data["answer"]
                    assert data["understood"]["provider"] == "Brackenford"
                    c = data["citations"][0]
                    assert c["source"] == BRACKENFORD and c["page"] == 1
                    assert c["quote"] == "Overall effectiveness Good"
                    assert norm(c["quote"]) in norm(pdf_page(SAMPLES / BRACKENFORD, 1))
                    assert c["view"].startswith("https://bot.example/view/") and "page=1" in c["view"]

                    # a follow-up, read with its history
                    res = await s.call_tool("ask", {"question": "What about care leavers?", "history": [
                        {"role": "user", "content": "How did Ofsted rate Brackenford?"},
                        {"role": "assistant", "content": data["answer"]}]})
                    assert "outstanding" in res.structured_content["answer"].lower()

                    res = await s.call_tool("ask", {"question": "What is the capital of Peru?"})
                    assert not res.is_error and res.structured_content["abstained"] is True
                    assert res.structured_content["citations"] == []

                    # bad arguments: a tool error naming the field, not a crash
                    res = await s.call_tool("ask", {"question": ""})
                    assert res.is_error and "question" in res.content[0].text
                    res = await s.call_tool("ask", {"question": "why " * 600})
                    assert res.is_error and "question" in res.content[0].text and "2000" in res.content[0].text
                    res = await s.call_tool("report_facts", {"provider": "Nowhereshire"})
                    assert res.is_error and "Nowhereshire" in res.content[0].text and "list_reports" in res.content[0].text
                    res = await s.call_tool("search_passages", {"query": "caseloads", "k": 500})
                    assert res.is_error and "k" in res.content[0].text

                    # the server is still there after the errors
                    res = await s.call_tool("report_facts", {"provider": "brackenford"})
                    report = res.structured_content["reports"][0]
                    facts = {f["name"]: f for f in report["facts"]}
                    assert facts["lead_inspector"]["value"] == "Miriam Oduya" and facts["lead_inspector"]["page"] == 1
                    assert facts["lead_inspector"]["quote"] in pdf_page(SAMPLES / BRACKENFORD, 1)
                    res = await s.call_tool("list_reports", {"grade": "good"})
                    good = res.structured_content["reports"]
                    assert {r["source"] for r in good} == {BRACKENFORD, "millbrook-primary-school-2024.md"}
                    assert all(r["overall"].lower() == "good" for r in good)

    run(main)


# --- streamable HTTP: the real app on loopback -------------------------------------------------

@pytest.fixture(scope="module")
def corpus_server(corpus_answerer, tmp_path_factory):
    from ui.app import create_app
    from ui.settings import Settings

    folder = tmp_path_factory.mktemp("mcp-http")
    settings = Settings.from_env({"INSPECTBOT_INDEX": str(folder), "INSPECTBOT_RATE_LIMIT": "0"})
    with Server(create_app(settings, answerer=corpus_answerer, mount_chat=False)) as url:
        yield url


@pytest.mark.corpus
@pytest.mark.slow
def test_http_ask_a_real_report_and_search(corpus_server):
    async def main():
        async with http_session(corpus_server) as s:
            assert {t.name for t in (await s.list_tools()).tools} == TOOLS
            res = await s.call_tool("ask", {"question": "What was the overall effectiveness grade for "
                                                        "Salford's children's services in 2018?"})
            data = res.structured_content
            assert data["abstained"] is False and "good" in data["answer"].lower()
            c = data["citations"][0]
            assert c["source"] == SALFORD_2018 and c["page"]
            assert norm(c["quote"]) in norm(pdf_page(CORPUS / SALFORD_2018, c["page"]))
            assert c["view"].startswith(corpus_server + "/view/")
            assert httpx.get(c["url"].split("#")[0]).headers["content-type"] == "application/pdf"

            res = await s.call_tool("ask", {"question": "What does the report say about Salford's "
                                                        "space programme on Mars?"})
            assert res.structured_content["abstained"] is True

            res = await s.call_tool("search_passages", {"query": "social worker caseloads",
                                                        "provider": "Salford", "year": 2018, "k": 3})
            passages = res.structured_content["passages"]
            assert 1 <= len(passages) <= 3 and {p["source"] for p in passages} == {SALFORD_2018}
            for p in passages:
                assert norm(p["quote"]) in norm(pdf_page(CORPUS / SALFORD_2018, p["page"]))

            res = await s.call_tool("list_reports", {"provider": "salford city council"})
            sources = [r["source"] for r in res.structured_content["reports"]]
            assert SALFORD_2018 in sources and all("salford" in x for x in sources)

    run(main)


@pytest.fixture(scope="module")
def guarded_server(sample_answerer, tmp_path_factory):
    from ui.app import create_app
    from ui.settings import Settings

    folder = tmp_path_factory.mktemp("mcp-guarded")
    settings = Settings.from_env({"INSPECTBOT_INDEX": str(folder), "INSPECTBOT_RATE_LIMIT": "4",
                                  "INSPECTBOT_ASSISTANT_KEY": KEY,
                                  "INSPECTBOT_ALLOWED_ORIGINS": "http://council.example=Brackenford"})
    with Server(create_app(settings, answerer=sample_answerer, mount_chat=False)) as url:
        yield url


def test_http_limits_key_rate_body_origin(guarded_server):
    url = guarded_server
    auth = {"Authorization": f"Bearer {KEY}"}

    async def without_key():
        async with http_session(url, {"Authorization": "Bearer wrong"}):
            pass

    with pytest.raises(BaseException) as info:
        run(without_key)
    assert "MCPError" in repr(info.value)  # the client does not connect (it hides the status)
    r = httpx.post(f"{url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert r.status_code == 401 and "INSPECTBOT_ASSISTANT_KEY" in r.json()["error"]

    async def over_the_limit():
        async with http_session(url, auth) as s:
            await s.list_tools()  # the handshake and the list are not questions
            answers = []
            while len(answers) < 8 and not (answers and answers[-1].is_error):
                answers.append(await s.call_tool("ask", {"question": "Who was the lead inspector at Brackenford?"}))
            return answers

    answers = run(over_the_limit)
    assert "Miriam Oduya" in answers[0].structured_content["answer"]
    assert 2 <= len(answers) <= 6  # 4 a minute, one bucket per client
    assert answers[-1].is_error and "Too many questions" in answers[-1].content[0].text

    r = httpx.post(f"{url}/mcp", content=b"[" + b" " * (3 * 2**20) + b"]",
                   headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 413 and "limit" in r.json()["error"]
    r = httpx.post(f"{url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                   headers={**auth, "Origin": "http://evil.example"})
    assert r.status_code == 403 and "INSPECTBOT_ALLOWED_ORIGINS" in r.json()["error"]




def test_http_bad_json_is_refused_and_the_server_lives_on(guarded_server):
    r = httpx.post(f"{guarded_server}/mcp", content=b"{not json",
                   headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json",
                            "Accept": "application/json, text/event-stream"})
    assert r.status_code == 400 and "error" in r.text.lower()
    assert httpx.get(f"{guarded_server}/healthz").status_code == 200


@pytest.fixture(scope="module")
def scoped_server(sample_answerer, tmp_path_factory):
    from ui.app import create_app
    from ui.settings import Settings

    settings = Settings.from_env({"INSPECTBOT_INDEX": str(tmp_path_factory.mktemp("mcp-scoped")),
                                  "INSPECTBOT_RATE_LIMIT": "0",
                                  "INSPECTBOT_ALLOWED_ORIGINS": "http://council.example=Brackenford"})
    with Server(create_app(settings, answerer=sample_answerer, mount_chat=False)) as url:
        yield url


def test_http_a_bound_origin_is_scoped(scoped_server):
    headers = {"Origin": "http://council.example"}

    async def main():
        async with http_session(scoped_server, headers) as s:
            reports = (await s.call_tool("list_reports", {})).structured_content["reports"]
            assert [r["source"] for r in reports] == [BRACKENFORD]
            res = await s.call_tool("report_facts", {"provider": "Millbrook Primary School"})
            assert res.is_error and "covers Brackenford" in res.content[0].text
            return await s.call_tool("ask", {"question": "How did Millbrook Primary School do?"})

    res = run(main)
    assert res.structured_content["abstained"] is True
    assert res.structured_content["answer"] == "This assistant covers Brackenford's inspection reports only."


def test_http_report_resources(scoped_server):
    async def main():
        async with http_session(scoped_server) as s:
            templates = (await s.list_resource_templates()).resource_templates
            assert [t.uri_template for t in templates] == ["inspectbot://reports/{doc_id}"]
            reports = (await s.call_tool("list_reports", {})).structured_content["reports"]
            uris = {r["source"]: r["resource"] for r in reports}
            data = json.loads((await s.read_resource(uris[BRACKENFORD])).contents[0].text)
            assert data["source"] == BRACKENFORD and data["url"].startswith(scoped_server + "/files/")
            lead = next(f for f in data["facts"] if f["name"] == "lead_inspector")
            assert lead["value"] == "Miriam Oduya" and lead["page"] == 1
            with pytest.raises(MCPError, match="list_reports"):
                await s.read_resource("inspectbot://reports/0000")
            return uris

    uris = run(main)

    async def bound():
        async with http_session(scoped_server, {"Origin": "http://council.example"}) as s:
            await s.read_resource(uris[BRACKENFORD])
            with pytest.raises(MCPError, match="No report"):  # another provider's
                await s.read_resource(uris["millbrook-primary-school-2024.md"])

    run(bound)

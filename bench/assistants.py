"""The same questions through /api/ask, the OpenAI-compatible /v1/chat/completions and the MCP
``ask`` tool (official client, streamable HTTP), over real HTTP on loopback: what each route
adds to an answer.

    .venv/bin/python bench/assistants.py INDEX_DIR [N]

The questions are made from the index's own reports ("How did P do at its latest inspection?",
"Who was the lead inspector for P?"), asked N times each way, in turn.
"""

from __future__ import annotations

import statistics
import sys
import time

from common import ROOT, pct

sys.path.insert(0, str(ROOT / "tests"))  # the loopback server helper of the API tests


def main() -> None:
    import anyio
    import httpx
    import openai
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    from test_api import Server
    from ui.app import create_app
    from ui.settings import Settings, build

    index = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    settings = Settings(index_dir=index, rate_limit=0, state_db="/tmp/bench-assistants-state.sqlite3")
    _, answerer = build(settings)
    names = sorted({str(d.facts["provider"]) for d in answerer.documents() if d.facts.get("provider")})
    questions = [q.format(p=p) for p in names[:10] for q in (
        "How did {p} do at its latest inspection?", "Who was the lead inspector for {p}?")]
    asked = [questions[i % len(questions)] for i in range(n)]
    times: dict[str, list[float]] = {"/api/ask": [], "/v1/chat/completions": [], "MCP ask": []}
    with Server(create_app(settings, answerer=answerer, mount_chat=False)) as url:
        api = httpx.Client(timeout=60)
        oai = openai.OpenAI(base_url=f"{url}/v1", api_key="none", max_retries=0)

        async def mcp_all():
            async with streamable_http_client(f"{url}/mcp") as (read, write):
                async with ClientSession(read, write) as s:
                    await s.initialize()
                    for q in asked:
                        t = time.perf_counter()
                        await s.call_tool("ask", {"question": q})
                        times["MCP ask"].append((time.perf_counter() - t) * 1e3)

        for q in asked[:3]:  # warm
            api.post(f"{url}/api/ask", json={"question": q})
        for q in asked:
            t = time.perf_counter()
            api.post(f"{url}/api/ask", json={"question": q}).raise_for_status()
            times["/api/ask"].append((time.perf_counter() - t) * 1e3)
            t = time.perf_counter()
            oai.chat.completions.create(model="inspectbot", messages=[{"role": "user", "content": q}])
            times["/v1/chat/completions"].append((time.perf_counter() - t) * 1e3)
        anyio.run(mcp_all)
    print(f"{n} questions each, index {index} ({len(answerer.documents())} reports)")
    for route, ms in times.items():
        print(f"{route:24s} p50 {statistics.median(ms):7.1f} ms   p95 {pct(ms, 0.95):7.1f} ms")


if __name__ == "__main__":
    main()

"""An MCP server (the official ``mcp`` SDK) so that AI assistants can ask inspectbot.

Over stdio (``inspectbot mcp``, for desktop assistants) and over streamable HTTP at ``/mcp``
in the web app, behind ui.gate (origins, rate limit, body limit, optional bearer key). Every
tool returns structured results whose citations carry the source, title, page, verbatim quote
and a link to the highlighted page.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from pydantic import BaseModel, Field

from bot.types import MAX_QUESTION
from index.errors import InspectbotError
from ui.reach import Asker

log = logging.getLogger(__name__)

RESOURCE = "inspectbot://reports/"

INSTRUCTIONS = (
    "inspectbot answers questions about inspection reports (Ofsted, CQC) from the reports "
    "themselves. Every answer comes with numbered citations: quote them (the quote, the report "
    "and its page) when you pass the answer on, and do not add facts of your own. When a result "
    "says abstained=true, inspectbot found no answer in the reports: say so plainly instead of "
    "answering from elsewhere.")

ABOUT_CITATIONS = (" Quote the citations (report, page and the verbatim quote) with the answer "
                   "and link to their 'view' URL. If abstained is true the reports do not answer "
                   "this: tell the user so, do not guess.")


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20000)


class Cited(BaseModel):
    n: int = Field(description="The number the answer's text uses for it: [n].")
    source: str = Field(description="The report's file, as the index knows it.")
    title: str
    page: int | None = Field(description="The page of the report the quote stands on.")
    quote: str = Field(description="The report's own words, verbatim.")
    url: str = Field(description="The original report, opened at that page.")
    view: str = Field(description="The page with the quote highlighted.")


class Understood(BaseModel):
    kind: str = Field(description="What was asked: grade, inspector, dates, content, compare, "
                                  "list, clarify, refuse, not_held, ...")
    provider: str | None = None
    providers: list[str] = []
    year: int | None = None
    topic: str | None = None
    line: str = Field("", description="One line saying what the question was taken to be about.")
    report: dict[str, Any] | None = None


class AskResult(BaseModel):
    answer: str = Field(description="The answer, with [n] marks pointing at the citations.")
    abstained: bool = Field(description="True when the reports hold no answer: say so, do not guess.")
    citations: list[Cited]
    understood: Understood | None = Field(description="What inspectbot took the question to mean.")


class Passage(Cited):
    score: float = Field(description="How well it matches the query (higher is better).")


class Passages(BaseModel):
    passages: list[Passage]


class Fact(BaseModel):
    name: str = Field(description="e.g. inspection_start, judgement_overall, lead_inspector, send_outcome")
    value: str | int | float | bool
    page: int | None = Field(description="The page it was read from, where known.")
    quote: str = Field("", description="The words it was read from, verbatim, where known.")


class ReportFacts(BaseModel):
    source: str
    title: str
    provider: str | None
    report_type: str | None
    url: str
    facts: list[Fact]


class Facts(BaseModel):
    reports: list[ReportFacts]


class ReportItem(BaseModel):
    source: str
    title: str
    provider: str | None
    report_type: str | None
    inspectorate: str | None
    inspection_start: str | None
    inspection_end: str | None
    published: str | None
    year: int | None
    overall: str | None = Field(description="The overall judgement, where the report gives one.")
    send_outcome: str | None
    url: str
    resource: str = Field(description="The MCP resource with this report's facts.")


class Reports(BaseModel):
    reports: list[ReportItem]


Provider = Annotated[str | None, Field(None, max_length=200, description=(
    "A council or provider, in any spelling ('Salford', 'salford city council'); see list_reports."))]
Year = Annotated[int | None, Field(None, ge=1990, le=2100, description="The year of the inspection.")]
ReportType = Annotated[str | None, Field(None, max_length=40, description=(
    "The kind of report, as list_reports gives it (e.g. ilacs, area_send, school)."))]


def build_server(asker: Asker) -> MCPServer:
    root = logging.getLogger()
    kept = (root.handlers[:], root.level)
    server = MCPServer("inspectbot", title="inspectbot", version="0.1.0", instructions=INSTRUCTIONS,
                       description="Answers about inspection reports, citing the exact passages.")
    # the MCP library configures the root logger (a Rich console handler at INFO, ~10% of the
    # server's CPU under load when nothing else had): logging is the entry point's to set
    root.handlers[:], root.level = kept

    def origin(ctx: Context) -> str | None:
        headers = ctx.headers if ctx is not None else None
        return headers.get("origin") if headers else None

    def base(ctx: Context) -> str:
        request = getattr(ctx.request_context, "request", None) if ctx is not None else None
        return asker.base(str(request.base_url) if request is not None and hasattr(request, "base_url") else "")

    @contextlib.contextmanager
    def told():
        """Errors of ours become tool errors with their message, which says what to fix."""
        try:
            yield
        except InspectbotError as exc:
            raise ToolError(exc.message) from exc

    @server.tool(description=(
        "Ask inspectbot a question about inspection reports in plain language (a council's or "
        "provider's grade, dates, lead inspector, what it must improve, what a report says about "
        "a topic, comparisons, lists). Returns the answer, what the question was taken to mean "
        "(understood) and the citations it rests on." + ABOUT_CITATIONS))
    def ask(question: Annotated[str, Field(min_length=1, max_length=MAX_QUESTION,
                                           description="The question, in plain language.")],
            ctx: Context,
            history: Annotated[list[Turn], Field(max_length=50, description=(
                "Earlier turns of this conversation, oldest first, so that a follow-up "
                "('and in 2015?') is read in context."))] = [],  # noqa: B006
            provider: Provider = None) -> AskResult:
        with told():
            filters = {"provider": asker.provider(provider, origin(ctx))} if provider else None
            answer = asker.ask(question, [t.model_dump() for t in history], filters, origin(ctx), "mcp")
        b = base(ctx)
        return AskResult(answer=answer.text, abstained=answer.abstained,
                         citations=[Cited(**asker.citation(c, b)) for c in answer.citations],
                         understood=Understood(**answer.understood.to_json()) if answer.understood else None)

    @server.tool(description=(
        "Search the reports for passages about a topic and get them verbatim, best first, each "
        "with its report, page and links. Use it to read what reports say in their own words; "
        "quote the passages you use, with their report and page."))
    def search_passages(query: Annotated[str, Field(min_length=1, max_length=MAX_QUESTION,
                                                    description="What to look for.")],
                        ctx: Context, provider: Provider = None, year: Year = None,
                        report_type: ReportType = None,
                        k: Annotated[int, Field(ge=1, le=20, description="How many passages.")] = 5) -> Passages:
        with told():
            name = asker.provider(provider, origin(ctx))
            filters = None
            if name or year or report_type:
                ids = [d.doc_id for d in asker.reports(name, year, report_type)]
                if not ids:
                    return Passages(passages=[])
                filters = {"doc_id": ids}
            hits = asker.answerer.retriever.search(query, k=k, filters=filters)
        b = base(ctx)
        titles = {d.doc_id: d.title for d in asker.answerer.documents()}
        out = []
        for n, hit in enumerate(hits, 1):
            ch = hit.chunk
            cite = asker.citation(_citation(n, ch, titles.get(ch.doc_id, ch.source)), b)
            out.append(Passage(**cite, score=round(hit.score, 4)))
        return Passages(passages=out)

    @server.tool(description=(
        "The inspection facts of a council's or provider's report(s), as read from them: dates of "
        "the visits, publication, the judgements, the lead inspector, an area SEND outcome, each "
        "with the page and the words it was read from. Newest report first." + (
            " Quote the page with each fact you pass on.")))
    def report_facts(provider: Annotated[str, Field(min_length=1, max_length=200, description=(
                         "The council or provider, in any spelling; see list_reports."))],
                     ctx: Context, year: Year = None, report_type: ReportType = None) -> Facts:
        with told():
            name = asker.provider(provider, origin(ctx))
            docs = asker.reports(name, year, report_type)
        b = base(ctx)
        return Facts(reports=[_facts(asker, doc, b) for doc in docs])

    @server.resource(RESOURCE + "{doc_id}", name="report", mime_type="application/json",
                     description="One report's inspection facts (each with its page and words) "
                                 "and its URL; list_reports gives each report's resource URI.")
    def report(doc_id: str, ctx: Context) -> str:
        scope = asker.scope(origin(ctx))
        docs = asker.reports(scope.provider) if scope else asker.answerer.documents()
        doc = next((d for d in docs if d.doc_id == doc_id), None)
        if doc is None:
            raise ResourceError(f"No report {doc_id!r} is held here: list_reports gives the "
                                "resource URI of each report.")
        return _facts(asker, doc, base(ctx)).model_dump_json()

    @server.tool(description=(
        "List the inspection reports held, newest first, optionally only a provider's, a kind "
        "of report, an overall grade (e.g. good, outstanding, inadequate) or a year. Use it to "
        "find which providers and reports inspectbot can answer about."))
    def list_reports(ctx: Context, provider: Provider = None, report_type: ReportType = None,
                     grade: Annotated[str | None, Field(None, max_length=60, description=(
                         "The overall judgement or area SEND outcome to keep."))] = None,
                     year: Year = None) -> Reports:
        with told():
            name = asker.provider(provider, origin(ctx))
            docs = asker.reports(name, year, report_type, grade)
        b = base(ctx)
        return Reports(reports=[_item(d, b) for d in docs])

    return server


def _facts(asker: Asker, doc, base: str) -> ReportFacts:
    facts = []
    for key, value in doc.facts.items():
        if key in ("provider_key", "provider_alias"):
            continue
        page, quote = _evidence(asker, doc, key)
        facts.append(Fact(name=key, value=value, page=page, quote=quote))
    return ReportFacts(source=doc.source, title=doc.title, provider=_s(doc.facts.get("provider")),
                       report_type=_s(doc.facts.get("report_type")), url=base + _file_url(doc.source),
                       facts=facts)


def _citation(n, chunk, title):
    from bot.types import Citation

    return Citation(n=n, source=chunk.source, title=title, page=chunk.page, quote=chunk.text.strip())


def _evidence(asker: Asker, doc, key: str) -> tuple[int | None, str]:
    span = doc.fact_spans.get(key)
    if not span:
        return None, ""
    page, start, end = span
    text = asker.answerer.catalog.page_text(doc.doc_id, page)
    return page, text[start:end] if text else ""


def _file_url(source: str) -> str:
    from ui.view import file_url

    return file_url(source, None)


def _s(v) -> str | None:
    return None if v in (None, "") else str(v)


def _item(doc, base: str) -> ReportItem:
    f = doc.facts
    year = f.get("year")
    return ReportItem(source=doc.source, title=doc.title, provider=_s(f.get("provider")),
                      report_type=_s(f.get("report_type")), inspectorate=_s(f.get("inspectorate")),
                      inspection_start=_s(f.get("inspection_start")), inspection_end=_s(f.get("inspection_end")),
                      published=_s(f.get("published")), year=year if isinstance(year, int) else None,
                      overall=_s(f.get("judgement_overall")), send_outcome=_s(f.get("send_outcome")),
                      url=base + _file_url(doc.source), resource=RESOURCE + doc.doc_id)


def mount(app, asker: Asker, settings, limiter) -> None:
    """``/mcp`` on the FastAPI app: the SDK's streamable-HTTP endpoint (stateless, JSON
    replies) behind ui.gate; its session manager runs in the app's lifespan."""
    from mcp.server.transport_security import TransportSecuritySettings

    from ui.gate import MAX_BODY, AssistantGate, mcp_asks, mcp_refuse

    server = build_server(asker)
    # origins are checked by the gate, like /api/'s; the SDK's own Host check is kept for a
    # loopback server (DNS rebinding), as it would set it up itself
    loopback = settings.host in ("127.0.0.1", "localhost", "::1")
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=loopback,
        allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*",
                         *settings.origins()])
    sub = server.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, json_response=True,
                                     max_request_body_size=MAX_BODY, transport_security=security)
    endpoint = sub.routes[0]
    assert getattr(endpoint, "path", "") == "/mcp", sub.routes  # the SDK's one route, without auth
    for chatty in ("mcp.server.streamable_http", "mcp.server.streamable_http_manager"):
        logging.getLogger(chatty).setLevel(logging.WARNING)  # a line per stateless request
    endpoint.app = AssistantGate(endpoint.app, key=settings.assistant_key, allowed_origins=settings.origins(),
                                 limiter=limiter, proxies=settings.trusted_proxies, asks=mcp_asks,
                                 refuse=mcp_refuse)
    app.router.routes.append(endpoint)
    outer = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(a):
        async with server.session_manager.run():
            async with outer(a) as state:
                yield state

    app.router.lifespan_context = lifespan


def serve_stdio(settings) -> None:
    """``inspectbot mcp``: the server over stdin/stdout for a desktop assistant."""
    from ui.scope import Scopes
    from ui.settings import build

    _, answerer = build(settings)
    asker = Asker(answerer, Scopes(answerer), public_url=settings.public_url)
    build_server(asker).run("stdio")

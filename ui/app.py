"""The FastAPI app: JSON API, original files, and the Gradio chat mounted at ``/``."""

from __future__ import annotations

import ctypes
import gc
import html
import json
import logging
import os
import threading
import time
from urllib.parse import urlsplit
from pathlib import Path
from typing import Annotated, Literal

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from fastapi import FastAPI, HTTPException, Request  # noqa: E402
from fastapi.exceptions import RequestValidationError  # noqa: E402
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse  # noqa: E402
from pydantic import BaseModel, ConfigDict, Field  # noqa: E402

from bot.answer import Answerer  # noqa: E402
from bot.types import MAX_QUESTION, pieces  # noqa: E402
from bot.types import Answer  # noqa: E402
from index.errors import InspectbotError  # noqa: E402
from ui.guard import BodyLimit, Guard, RateLimiter, SharedRateLimiter, WidgetCORS, client_key, gradio_limit  # noqa: E402
from ui.pages import ImageCache  # noqa: E402
from ui.scope import Scopes  # noqa: E402
from ui.settings import Settings, build  # noqa: E402
from ui.insights import Insights, add_insights_routes, embedder_from  # noqa: E402
from ui.state import QuestionLog, SharedState, state_path  # noqa: E402
from ingest.load import sniff  # noqa: E402
from ui.view import file_url, ingested, view_router, view_url  # noqa: E402

WIDGET_DIR = Path(__file__).parent / "widget"

log = logging.getLogger(__name__)


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20000)


class ScopeRequest(BaseModel):
    provider: str = Field(min_length=1, max_length=200,
                          description="The provider the conversation is about, in any spelling the "
                                      "index knows: 'my council', 'we', 'our' mean it.")
    all: bool = Field(False, description="Answer questions about other providers too; otherwise "
                                         "they get one sentence saying what this assistant covers.")


Words = Annotated[str, Field(max_length=200)]


class Filters(BaseModel):
    """The filters a question can be asked under: these keys only, each one value or a few."""
    model_config = ConfigDict(extra="forbid")
    provider: Words | Annotated[list[Words], Field(max_length=20)] | None = None
    year: int | Annotated[list[int], Field(max_length=20)] | None = None
    report_type: Words | Annotated[list[Words], Field(max_length=20)] | None = None
    inspectorate: Words | Annotated[list[Words], Field(max_length=20)] | None = None


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION,
                          description="The question, in plain language.")
    history: list[Turn] = Field(default_factory=list, max_length=50,
                                description="Earlier turns, oldest first, for follow-up questions.")
    mode: Literal["staff", "parent"] = "staff"
    filters: Filters | None = Field(default=None, description="Optional: provider, year, report_type, inspectorate.")
    channel: Literal["api", "widget"] = Field(
        default="api", description="Where the question was asked, for the staff insights.")
    scope: ScopeRequest | None = Field(
        default=None, description="A council's own assistant (the widget's data-provider). A site "
                                  "bound to a provider on the server is scoped to it whatever this says.")


class Feedback(BaseModel):
    answer_id: str = Field(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$",
                           description="The answer's `id` from /api/ask: the feedback is attached "
                                       "to that logged question (feedback on no logged answer is refused).")
    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=2000)
    question: str = Field(default="", max_length=MAX_QUESTION,
                          description="Ignored: the logged question is stored.")
    answer: str = Field(default="", max_length=20000, description="Ignored: the logged answer is stored.")


def answer_json(answer: Answer) -> dict:
    data = answer.to_json()
    for c in data["citations"]:
        c["url"] = file_url(c["source"], c["page"])
        c["view"] = view_url(c["source"], c["page"], c["quote"])
    return data


def _preload(answerer) -> None:
    """At start, in the background: every passage vector read into memory, then what start-up
    built (models, catalog, vectors) frozen out of the garbage collector, which would otherwise
    walk it on every full collection (7-10% of throughput under load). Last, the memory the
    reading freed is handed back to the system (glibc keeps it otherwise: 30-60 MB a process)."""
    if hasattr(answerer, "preload"):
        answerer.preload()
    gc.collect()
    gc.freeze()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to hand back this way
        pass


def create_app(settings: Settings | None = None, answerer: Answerer | None = None,
               index=None, mount_chat: bool = True) -> FastAPI:
    settings = settings or Settings.from_env()
    if answerer is None:
        index, answerer = build(settings)
        threading.Thread(target=_preload, args=(answerer,), name="preload", daemon=True).start()
    app = FastAPI(title="inspectbot", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Answers about inspection reports, citing the exact passages.")
    add_docs(app)
    app.state.answerer = answerer
    app.state.settings = settings

    if settings.origins():  # CORS on the widget's routes only (ui.guard.CORS_PATHS)
        app.add_middleware(WidgetCORS, allow_origins=list(settings.origins()),
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type"])
    state = open_state(settings)
    app.state.shared = state
    questions = QuestionLog(state.path, settings.log_days, MAX_QUESTION) if state else None
    app.state.questions = questions
    limiter = None
    if settings.rate_limit:
        limiter = SharedRateLimiter(state, settings.rate_limit) if state else RateLimiter(settings.rate_limit)
    # added last, so it runs first: refusals happen before CORS handling
    app.add_middleware(Guard, allowed_origins=settings.origins(), limiter=limiter,
                       proxies=settings.trusted_proxies, public_url=settings.public_url)
    # outermost: bodies are counted while they are read, before anything else sees them
    app.add_middleware(BodyLimit, upload_bytes=int(settings.max_upload_mb * 2**20) + 65536,
                       idle_s=max(1.0, settings.keep_alive_s * 2))
    if settings.public_url:  # DNS rebinding: only the public host (and loopback, for health checks)
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=[
            urlsplit(settings.public_url).hostname or "", "localhost", "127.0.0.1"])

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}"
                             for e in exc.errors())
        # the field and the rule it broke, never the input itself (it may be long or hostile)
        detail = [{k: v for k, v in e.items() if k not in ("input", "url")} for e in exc.errors()]
        return JSONResponse({"error": f"Invalid request: {problems}.",
                             "detail": jsonable(detail)}, status_code=422)

    @app.get("/widget.js", include_in_schema=False)
    def widget_js():
        return Response((WIDGET_DIR / "widget.js").read_text(encoding="utf-8"),
                        media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=300",
                                 "Cross-Origin-Resource-Policy": "cross-origin"})


    @app.exception_handler(InspectbotError)
    async def _inspectbot_error(request: Request, exc: InspectbotError):
        status = exc.status if 400 <= exc.status < 600 else 500
        return JSONResponse({"error": exc.message}, status_code=status)

    @app.get("/healthz")
    def healthz() -> dict:
        docs, chunks = answerer.catalog.counts()
        return {"status": "ok", "reports": docs, "chunks": chunks}

    def log_question(request: Request, question: str, answer: Answer | None) -> None:
        """Questions are logged for staff analytics; the client's address only if configured."""
        who = f" client={client_key(request, settings.trusted_proxies)}" if settings.log_client_ip else ""
        if answer is None:
            log.info("question (streamed)%s: %r", who, question[:500])
        else:
            log.info("question%s (abstained=%s, %.0f ms): %r", who, answer.abstained,
                     answer.timings.get("total_ms", 0), question[:500])

    def record(req: AskRequest, request: Request, answer: Answer, started: float, filters) -> str | None:
        """The question into the shared log for the staff insights; the answer's id (or None)."""
        if questions is None:
            return None
        scope = (filters or {}).get("provider")
        return questions.record(req.question, answer, latency_ms=(time.perf_counter() - started) * 1e3,
                                channel=req.channel, scope=scope if isinstance(scope, str) else "",
                                mode=req.mode, client=client_key(request, settings.trusted_proxies)
                                if settings.log_client_ip else None)

    scopes = Scopes(answerer, settings.origin_providers)

    @app.get("/widget-demo", include_in_schema=False)
    def widget_demo(provider: str = ""):
        """A council's page with the widget, scoped to a council the index holds (the one
        asked for, else the one with the most council reports); a list to pick another."""
        return HTMLResponse(demo_page(scopes, provider))

    def scoped(req: AskRequest, request: Request):
        """(refusal or None, history, filters) for the request's scope: see ui.scope."""
        scope = scopes.for_request(request.headers.get("origin"), req.scope and req.scope.provider,
                                   bool(req.scope and req.scope.all))
        return scopes.apply(scope, req.question, [t.model_dump() for t in req.history],
                            req.filters.model_dump(exclude_none=True) if req.filters else None)

    @app.post("/api/ask")
    def ask(req: AskRequest, request: Request) -> dict:
        started = time.perf_counter()
        refusal, history, filters = scoped(req, request)
        answer = refusal or answerer.ask(req.question, history=history, mode=req.mode, filters=filters)
        log_question(request, req.question, answer)
        return {**answer_json(answer), "id": record(req, request, answer, started, filters)}

    @app.post("/api/ask/stream")
    def ask_stream(req: AskRequest, request: Request):
        """Server-sent events: ``token`` events with pieces of the answer, then one ``answer``
        event with the whole answer and its citations, then ``done``."""
        started = time.perf_counter()
        # validate before the stream starts, so a bad question is a plain 4xx
        from bot.types import validate_question

        validate_question(req.question)
        refusal, history, filters = scoped(req, request)
        log_question(request, req.question, None)

        def events():
            try:
                for piece in pieces(refusal) if refusal else answerer.stream(
                        req.question, history=history, mode=req.mode, filters=filters):
                    if isinstance(piece, str):
                        yield _sse("token", {"text": piece})
                    else:
                        yield _sse("answer", {**answer_json(piece), "id": record(req, request, piece, started, filters)})
            except InspectbotError as exc:
                yield _sse("error", {"error": exc.message})
            yield _sse("done", {})

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @app.get("/api/starters")
    def starters(request: Request, provider: str = "", scope: Literal["provider", "all"] = "provider") -> dict:
        """What a chat panel opens with: the provider (for a scoped widget, or the one the
        request's origin is bound to), how many of its reports are held, an opening line and
        three or four questions built from its reports; general ones with no provider."""
        return scopes.opening(scopes.for_request(request.headers.get("origin"), provider.strip(),
                                                 scope == "all"))

    @app.get("/api/reports")
    def reports() -> dict:
        out = []
        for doc in answerer.documents():
            f = doc.facts
            out.append({
                "source": doc.source, "title": doc.title, "provider": f.get("provider"),
                "report_type": f.get("report_type"), "inspectorate": f.get("inspectorate"),
                "inspection_start": f.get("inspection_start"), "inspection_end": f.get("inspection_end"),
                "published": f.get("published"), "year": f.get("year"),
                "judgements": {k[len("judgement_"):]: v for k, v in f.items() if k.startswith("judgement_")},
                "send_outcome": f.get("send_outcome"), "url": file_url(doc.source, None),
            })
        return {"reports": out}

    @app.post("/api/feedback", status_code=201)
    def feedback(fb: Feedback) -> dict:
        if state is None:
            raise HTTPException(status_code=503, detail="Feedback storage is not configured.")
        if questions is not None:
            questions.flush(2.0)  # an answer given a moment ago is in the log
        for wait in (0.0, 0.25, 1.0):  # another instance's log may be a moment behind
            time.sleep(wait)
            if state.add_feedback("", "", fb.rating, fb.comment, answer_id=fb.answer_id, require_logged=True):
                return {"status": "thanks"}
        return JSONResponse({"error": "No logged answer has that answer_id: feedback is taken on "
                                      "answers given by this server, with the id /api/ask returned."},
                            status_code=404)

    @app.get("/files/{source:path}")
    def files(source: str):
        """The original report, read-only, only if it is an ingested file: a PDF (by its
        content, not its name) as itself; any other report as its text, never as active
        content on this origin."""
        doc, path = ingested(answerer, source)
        with path.open("rb") as fh:
            kind = sniff(fh.read(8192))
        if kind == "pdf":  # no CSP sandbox here: it turns Chromium's PDF viewer off
            return FileResponse(path, media_type="application/pdf",
                                headers={"Content-Disposition": "inline", "X-Content-Type-Options": "nosniff"})
        full = answerer.catalog.document(doc.doc_id)
        return Response("\n\n".join(full.pages) if full else "", media_type="text/plain; charset=utf-8",
                        headers={"Content-Disposition": "inline", "X-Content-Type-Options": "nosniff",
                                 "Content-Security-Policy": "sandbox; default-src 'none'"})

    cache_dir = settings.view_cache_dir or (str(Path(settings.index_dir) / "view-cache")
                                            if settings.index_dir and Path(settings.index_dir).is_dir() else "")
    app.include_router(view_router(answerer, ImageCache(cache_dir, int(settings.view_cache_mb * 2**20))))

    embedder, make_embedder = embedder_from(settings, index, answerer)
    insights = Insights(state, embedder, make_embedder) if state else None
    add_insights_routes(app, settings, insights)
    if index is not None:
        from ui.admin import add_admin_routes

        add_admin_routes(app, settings, index)
    # AI assistants: MCP at /mcp, OpenAI-compatible at /v1 (ui.mcp_server, ui.openai_api)
    from ui.reach import mount_assistants

    mount_assistants(app, settings, answerer, scopes, questions, limiter)
    if mount_chat and settings.workers > 1:
        # Gradio keeps each chat session in the process that opened it, and worker processes share one
        # socket with no affinity: the staff chat is served by a one-process instance beside this one
        @app.get("/", include_in_schema=False)
        def no_chat_here():
            return HTMLResponse(SEVERAL_WORKERS)
    elif mount_chat:
        import gradio as gr

        from ui.chat import THEME, build_chat

        from ui.admin import make_admin

        limit = gradio_limit(limiter, settings.trusted_proxies)  # the chat's calls: the same budget
        admin = make_admin(settings, index, limit) if index is not None else None
        chat = build_chat(answerer, view_url, state, admin, settings.admin_token,
                          starters=tuple(scopes.opening(None)["starters"]), questions=questions,
                          insights=insights, limit=limit, providers=list(scopes.providers()),
                          starters_for=lambda p: starters_for(scopes, p))
        app = gr.mount_gradio_app(app, chat, path="/", theme=THEME, footer_links=[])
    return app


SEVERAL_WORKERS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>inspectbot</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>
<h1>inspectbot</h1><p>This server answers the API and the council widget with several worker processes.
The staff chat is served by a one-process instance beside it: run <code>inspectbot serve --port 7861</code>
with the same index and state file, and open that address.</p>
<ul><li><a href="/widget-demo">The widget on an example council page</a></li><li><a href="/docs">The API</a></li></ul>
</main></body></html>"""


def add_docs(app: FastAPI) -> None:
    """/docs: Swagger UI from the swagger-ui-bundle package's files, served here (nothing is
    fetched from a CDN)."""
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="inspectbot API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon-32x32.png")


def starters_for(scopes: Scopes, provider: str) -> list[str]:
    """The staff chat's starter questions for the council chosen in its filter."""
    try:
        return scopes.opening(scopes.for_request(None, provider))["starters"]
    except InspectbotError:
        return []


def demo_page(scopes: Scopes, asked: str = "") -> str:
    names = scopes.providers()
    council = (scopes.resolve(asked[:200]) if asked.strip() else None) or scopes.demo_provider() or ""
    options = "".join(f'<option{" selected" if n == council else ""}>{html.escape(n)}</option>'
                      for n in names)
    return ((WIDGET_DIR / "demo.html").read_text(encoding="utf-8")
            .replace("{options}", options).replace("{council}", html.escape(council or "A council")))


def open_state(settings: Settings) -> SharedState | None:
    """The shared state file: INSPECTBOT_STATE_DB, else state.sqlite3 in the index folder."""
    path = state_path(settings)
    if not path:
        return None
    try:
        return SharedState(path, MAX_QUESTION)
    except Exception as exc:
        raise InspectbotError(f"Cannot open the shared state file {path}: {exc}. Set "
                              "INSPECTBOT_STATE_DB to a writable path.") from exc


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def jsonable(errors) -> list:
    return json.loads(json.dumps(errors, default=str))

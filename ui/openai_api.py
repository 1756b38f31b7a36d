"""An OpenAI-compatible endpoint, so that Open WebUI, LibreChat or any OpenAI client can add
inspectbot as a model by its base URL (``http://host:port/v1``).

``GET /v1/models`` lists one model, ``inspectbot``; ``POST /v1/chat/completions`` takes the
conversation (its last message is the question, the earlier ones are the history) and answers
with the text and its numbered sources as the assistant's message, or, with ``stream: true``,
as server-sent ``chat.completion.chunk`` events ending with ``data: [DONE]``. The structured
answer (``abstained``, ``citations``, ``understood``) rides along in an ``inspectbot`` field.
Behind ui.gate: the same origin rules, rate limit and scope as ``/api/ask``, bounded bodies,
and a bearer key when INSPECTBOT_ASSISTANT_KEY is set.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from bot.types import MAX_QUESTION
from bot.types import Answer
from index.errors import BadInputError, InspectbotError
from ui.gate import AssistantGate, openai_error
from ui.guard import client_key
from ui.reach import Asker, sources_text

log = logging.getLogger(__name__)

MODEL = "inspectbot"
CREATED = 1767225600  # 2026-01-01, when the model "was made": OpenAI's listing wants a time


class Part(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str = Field("", max_length=20000)


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[Part] | None = Field(None, max_length=20000)

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens, user, ...: not used
    model: str = Field(MODEL, max_length=100)
    messages: list[Message] = Field(min_length=1, max_length=1000)  # the last 50 turns are read
    stream: bool = False


def create(asker: Asker, settings, limiter) -> AssistantGate:
    """The ``/v1`` app, wrapped in its gate; mount it at ``/v1``."""
    api = FastAPI(title="inspectbot (OpenAI-compatible)", openapi_url=None, docs_url=None, redoc_url=None)

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}"
                             for e in exc.errors())
        return openai_error(f"Invalid request: {problems}.", 400)

    @api.exception_handler(InspectbotError)
    async def _ours(request: Request, exc: InspectbotError):
        status = exc.status if 400 <= exc.status < 600 else 500
        return openai_error(exc.message, status)

    @api.get("/models")
    def models() -> dict:
        return {"object": "list", "data": [_model()]}

    @api.get("/models/{name}")
    def model(name: str):
        if name != MODEL:
            return openai_error(f"The model {name!r} does not exist: the one model here is {MODEL!r}.",
                                404, code="model_not_found")
        return _model()

    @api.post("/chat/completions")
    def chat(req: ChatRequest, request: Request):
        if req.model != MODEL:
            return openai_error(f"The model {req.model!r} does not exist: the one model here is "
                                f"{MODEL!r}.", 404, code="model_not_found")
        question, history = _conversation(req.messages)
        origin = request.headers.get("origin")
        who = client_key(request, settings.trusted_proxies) if settings.log_client_ip else None
        base = _root(request) if not asker.public_url else asker.base()
        cid = "chatcmpl-" + secrets.token_hex(12)
        if not req.stream:
            answer = asker.ask(question, history, None, origin, "openai", who)
            return {"id": cid, "object": "chat.completion", "created": int(time.time()), "model": MODEL,
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant",
                                             "content": answer.text + sources_text(answer, base, asker)}}],
                    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                    "inspectbot": _extra(answer, base, asker)}
        pieces = asker.stream(question, history, None, origin, "openai", who)
        return StreamingResponse(_chunks(pieces, cid, base, asker), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    return AssistantGate(api, key=settings.assistant_key, allowed_origins=settings.origins(),
                         limiter=limiter, proxies=settings.trusted_proxies,
                         asks=lambda method, path, body: method == "POST" and path.endswith("/chat/completions"),
                         refuse=lambda message, status, headers=None, body=b"": openai_error(
                             message, status, _kind(status), headers))


def _conversation(messages: list[Message]) -> tuple[str, list[dict]]:
    """The question (the last user message) and the turns before it; system prompts, tool
    messages and empty turns are left out."""
    if messages[-1].role != "user":
        raise BadInputError("The last message must be the user's question (role 'user').")
    question = messages[-1].text().strip()
    if not question:
        raise BadInputError("The last message has no text: put the question in its content.")
    if len(question) > MAX_QUESTION:
        raise BadInputError(f"The question is longer than {MAX_QUESTION} characters: ask a shorter one.")
    history = [{"role": m.role, "content": _without_sources(m.text())} for m in messages[:-1]
               if m.role in ("user", "assistant") and m.text().strip()]
    return question, history[-50:]


def _without_sources(text: str) -> str:
    """An earlier answer of ours without its sources list, as /api/ask's history has it."""
    return text.split("\n\nSources:\n", 1)[0]


def _chunks(pieces, cid: str, base: str, asker: Asker):
    created = int(time.time())

    def chunk(delta: dict, finish: str | None = None, **extra) -> str:
        data = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    held = ""  # a piece's trailing space goes out with the next piece, so the text ends as the answer's
    try:
        for piece in pieces:
            if isinstance(piece, str):
                text = held + piece.rstrip()
                held = piece[len(piece.rstrip()):]
                if text:
                    yield chunk({"content": text})
            else:
                sources = sources_text(piece, base, asker)
                if sources:
                    yield chunk({"content": sources})
                yield chunk({}, "stop", inspectbot=_extra(piece, base, asker))
    except InspectbotError as exc:
        yield f"data: {json.dumps({'error': {'message': exc.message, 'type': 'server_error'}})}\n\n"
    yield "data: [DONE]\n\n"


def _extra(answer: Answer, base: str, asker: Asker) -> dict[str, Any]:
    return {"abstained": answer.abstained,
            "citations": [asker.citation(c, base) for c in answer.citations],
            "understood": answer.understood.to_json() if answer.understood else None}


def _model() -> dict:
    return {"id": MODEL, "object": "model", "created": CREATED, "owned_by": "inspectbot"}


def _root(request: Request) -> str:
    root = str(request.base_url).rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


def _kind(status: int) -> str:
    return {401: "authentication_error", 403: "permission_error", 429: "rate_limit_error"}.get(
        status, "invalid_request_error")

"""The guard in front of the routes for AI assistants (``/mcp``, ``/v1``).

The same rules as ``/api/`` (ui.guard): an ``Origin`` must be the app's own or an allowed one,
questions are rate-limited per client in the same bucket as ``/api/ask``, and bodies are
bounded; the body is read here, up to the limit, before the route sees it, so a chunked body
cannot go past it. When ``INSPECTBOT_ASSISTANT_KEY`` is set, every request must carry it as
``Authorization: Bearer KEY``.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
from typing import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.guard import client_key

log = logging.getLogger(__name__)

MAX_BODY = 2 * 2**20  # a question with a long conversation before it fits many times over


def openai_error(message: str, status: int, kind: str = "invalid_request_error",
                 headers: dict | None = None, code: str | None = None) -> JSONResponse:
    """An error in the shape OpenAI's clients read (``error.message``)."""
    return JSONResponse({"error": {"message": message, "type": kind, "param": None, "code": code}},
                        status_code=status, headers=headers)


class AssistantGate:
    """Pure ASGI middleware. ``asks(method, path, body)`` says whether a request is a question
    (it takes a token from the rate limiter); ``refuse(message, status, headers)`` builds the
    refusal in the route's own error format."""

    def __init__(self, app: ASGIApp, *, key: str = "", allowed_origins: tuple[str, ...] = (),
                 limiter=None, proxies: int = 0, max_body: int = MAX_BODY,
                 asks: Callable[[str, str, bytes], bool] = lambda m, p, b: m == "POST",
                 refuse: Callable[..., JSONResponse] | None = None):
        self.app = app
        self.key = key.encode() if key else b""
        self.allowed = {o.rstrip("/") for o in allowed_origins}
        self.limiter = limiter
        self.proxies = proxies
        self.max_body = max_body
        self.asks = asks
        self.refuse = refuse or (lambda message, status, headers=None, body=b"":
                                 JSONResponse({"error": message}, status_code=status, headers=headers))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        refusal = self._check_headers(request)
        if refusal is None:
            body, refusal = await self._read(receive)
        if refusal is None and self.limiter and self.asks(request.method, scope["path"], body):
            wait = self.limiter.take(client_key(request, self.proxies))
            if wait:
                refusal = self.refuse("Too many questions in a short time: please wait a moment and "
                                      "try again.", 429, {"Retry-After": str(max(1, math.ceil(wait)))},
                                      body=body)
        if refusal is not None:
            return await refusal(scope, receive, send)
        await self.app(scope, _replay(body, receive), send)

    def _check_headers(self, request: Request) -> JSONResponse | None:
        origin = request.headers.get("origin")
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin and origin != own and origin.rstrip("/") not in self.allowed and "*" not in self.allowed:
            return self.refuse(f"Requests from {origin} are not allowed. The site's administrator "
                               "can allow it with INSPECTBOT_ALLOWED_ORIGINS.", 403)
        if self.key:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.key):
                return self.refuse("A valid key is needed: send it as 'Authorization: Bearer KEY' "
                                   "(the key is INSPECTBOT_ASSISTANT_KEY on the server).", 401,
                                   {"WWW-Authenticate": "Bearer"})
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return self._too_large()
        return None

    async def _read(self, receive: Receive) -> tuple[bytes, JSONResponse | None]:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", self.refuse("The client went away.", 400)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return b"", self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None

    def _too_large(self) -> JSONResponse:
        return self.refuse(f"The request is larger than the limit of {self.max_body // 2**20} MB: "
                           "send a shorter conversation.", 413)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # waits for the disconnect, as a streaming response expects

    return replay


def mcp_asks(method: str, path: str, body: bytes) -> bool:
    """An MCP request is a question when it calls a tool or reads a resource (the handshake
    and the tool list are not counted)."""
    if method != "POST":
        return False
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return False  # not a question: the SDK refuses it at once
    messages = data if isinstance(data, list) else [data]
    return any(isinstance(m, dict) and m.get("method") in ("tools/call", "resources/read") for m in messages)


def mcp_refuse(message: str, status: int, headers: dict | None = None, body: bytes = b"") -> JSONResponse:
    """A refusal an MCP client passes on: a tool call that is over the rate limit gets a tool
    result with ``isError`` and the message (which the assistant reads, and can tell the
    user), other requests a JSON-RPC error with it; refusals before the body is read (origin,
    key, size) stay plain HTTP errors."""
    try:
        data = json.loads(body) if body else None
    except ValueError:
        data = None
    if status != 429 or not isinstance(data, dict) or "id" not in data:
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    if data.get("method") == "tools/call":
        reply = {"result": {"content": [{"type": "text", "text": message}], "isError": True}}
    else:
        reply = {"error": {"code": -32000, "message": message}}
    return JSONResponse({"jsonrpc": "2.0", "id": data["id"], **reply}, headers=headers)

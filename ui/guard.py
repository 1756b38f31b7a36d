"""Guards for a public server: allowed origins, a per-client rate limit, bounded bodies and
the headers every response carries.

A request that carries an ``Origin`` header must come from the app's own origin (the public
URL when one is configured, else the request's ``Host``) or, for the widget's routes
(``/api/*``, ``/widget.js``) only, from one of the configured allowed origins; every other
route (the chat's Gradio routes among them) serves its own pages only. CORS alone only stops
browsers reading the answer; this refuses the request. Requests with no Origin (curl, the
CLI, server-to-server) are served.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import secrets
import threading
import time
from urllib.parse import urlsplit

from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

log = logging.getLogger(__name__)

GUARDED = ("/api/",)
CORS_PATHS = ("/api/", "/widget.js")  # the only routes another site's page may call
# the assistants' routes (/v1, /mcp) check origins, keys, scope and limits in their own gate (ui.gate)
ASSISTANT_PATHS = ("/v1/", "/mcp")
ASSISTANT_BODY = 2 * 2**20  # ui.gate.MAX_BODY
ASK_BODY = 2**20  # questions, feedback and the chat's calls: 1 MB is far beyond any real one
UPLOADS = ("/api/admin/reports", "/gradio_api/upload")  # these take the upload limit
HISTORY_TURNS = 50  # earlier turns read back, as /api/ask takes
TURN_CHARS = 20000


def client_key(request, proxies: int = 0) -> str:
    """The client's address. Behind ``proxies`` trusted proxies that each append to
    X-Forwarded-For, the address the outermost of them saw: the ``proxies``-th hop from the
    right (the hops left of it are whatever the client sent, and can be forged)."""
    peer = request.client.host if request.client else "unknown"
    if proxies:
        headers = request.headers
        values = headers.getlist("x-forwarded-for") if hasattr(headers, "getlist") else \
            [headers.get("x-forwarded-for", "")]
        hops = [h.strip() for h in ",".join(values).split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return peer


class _Keyed:
    """Rate-limit buckets are kept under a keyed hash of the client's address, never the
    address itself."""

    secret: bytes

    def key(self, client: str) -> str:
        return hmac.new(self.secret, client.encode(), hashlib.sha256).hexdigest()[:32]


class SharedRateLimiter(_Keyed):
    """The same token bucket, kept in the shared state file so all instances count together
    (the hashing key lives in the same file, so that every instance hashes alike)."""

    def __init__(self, state, per_minute: int):
        self.state = state
        self.per_minute = per_minute
        self.secret = state.secret()

    def take(self, client: str) -> float:
        return self.state.take(self.key(client), self.per_minute)


class RateLimiter(_Keyed):
    """A token bucket per client: ``per_minute`` requests, refilled continuously."""

    def __init__(self, per_minute: int):
        self.rate = per_minute / 60.0
        self.capacity = float(max(1, per_minute))
        self.secret = secrets.token_bytes(32)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 if allowed, else the seconds to wait."""
        key = self.key(client)
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                if len(self._buckets) > 10000:  # forget idle clients
                    self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 120}
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate


TOO_MANY = "Too many requests in a short time: please wait a moment and try again."


def gradio_limit(limiter, proxies: int = 0):
    """For the chat's Gradio functions (questions, token checks): ``check(gr.Request)`` is ''
    when the client may go on, else the message to show. The same bucket as /api/ask."""

    def check(request) -> str:
        if limiter is None or request is None:
            return ""
        return TOO_MANY if limiter.take(client_key(request, proxies)) else ""

    return check


def capped_history(turns) -> list:
    """The last ``HISTORY_TURNS`` turns, each at most ``TURN_CHARS`` characters, however much
    the client sent."""
    out = []
    for t in list(turns or [])[-HISTORY_TURNS:]:
        if isinstance(t, dict):
            out.append({**t, "content": t.get("content", "")[:TURN_CHARS]
                        if isinstance(t.get("content"), str) else t.get("content")})
    return out


def own_origin(public_url: str, request: Request) -> tuple[str, bool]:
    """(origin, exact): the configured public URL's origin, or the request's Host (a host
    compared whatever the scheme: a proxy in front may end TLS)."""
    if public_url:
        u = urlsplit(public_url)
        return f"{u.scheme}://{u.netloc}".lower(), True
    return request.headers.get("host", "").lower(), False


class Guard:
    """Pure ASGI middleware (no task group or body streaming per request, as Starlette's
    BaseHTTPMiddleware adds): a request is refused here or passed on untouched."""

    def __init__(self, app, allowed_origins: tuple[str, ...], limiter,
                 limited_paths: tuple[str, ...] = ("/api/ask", "/api/ask/stream", "/api/feedback"),
                 proxies: int = 0, public_url: str = ""):
        self.app = app
        self.proxies = int(proxies)
        self.public_url = public_url
        self.allowed = {o.rstrip("/") for o in allowed_origins}
        self.limiter = limiter
        self.limited_paths = limited_paths

    def _own(self, origin: str, request: Request) -> bool:
        own, exact = own_origin(self.public_url, request)
        if exact:
            return origin.lower() == own
        return bool(own) and urlsplit(origin).netloc.lower() == own

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        refused = self.refusal(Request(scope))
        if refused is not None:
            return await refused(scope, receive, send)
        return await self.app(scope, receive, send)

    def refusal(self, request: Request) -> Response | None:
        """The response that refuses ``request`` (another site, a route it may not call, too many
        questions), or None to serve it."""
        path = request.url.path
        origin = request.headers.get("origin")
        if origin and not self._own(origin, request):
            if not path.startswith(CORS_PATHS + ASSISTANT_PATHS):
                # the chat and every other page serve this site only (the chat's routes answer
                # questions unscoped: another site's page must not reach them)
                return JSONResponse({"error": f"Requests from {origin} are allowed only to the "
                                              "API and the widget."}, status_code=403)
            if path.startswith(GUARDED) and origin not in self.allowed and "*" not in self.allowed:
                # the refusal is readable by the page (CORS headers on it, preflight answered),
                # so the widget can say why; the request itself is never served
                cors = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
                if request.method == "OPTIONS":
                    return Response(status_code=204, headers={
                        **cors, "Access-Control-Allow-Methods": "GET, POST",
                        "Access-Control-Allow-Headers": "Content-Type"})
                return JSONResponse(
                    {"error": f"Requests from {origin} are not allowed. The site's administrator "
                              "can allow it with INSPECTBOT_ALLOWED_ORIGINS."}, status_code=403,
                    headers=cors)
        if path.startswith(GUARDED):
            limited = (request.method == "POST" and path in self.limited_paths) or \
                path.startswith("/api/admin/")  # token guessing is rate limited too
            if self.limiter and limited:
                wait = self.limiter.take(client_key(request, self.proxies))
                if wait:
                    return JSONResponse(
                        {"error": "Too many questions in a short time: please wait a moment and try again."},
                        status_code=429, headers={"Retry-After": str(max(1, math.ceil(wait)))})
        return None


class WidgetCORS(CORSMiddleware):
    """CORS for the widget's routes only (``CORS_PATHS``): no other route answers another site."""

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and not scope["path"].startswith(CORS_PATHS):
            return await self.app(scope, receive, send)
        return await super().__call__(scope, receive, send)


class BodyLimit:
    """Refuses a body past its limit (413) while it is read, chunked or not: ``ASK_BODY`` for
    everything but uploads, which take ``upload_bytes``; a body that stalls is refused too. Every response also gets headers
    that stop other sites framing the app's pages (clickjacking)."""

    def __init__(self, app, upload_bytes: int, idle_s: float = 10.0):
        self.app = app
        self.upload_bytes = upload_bytes
        self.idle_s = idle_s  # a body that stops arriving for this long is refused (408)

    def limit(self, path: str) -> int:
        if path.startswith(ASSISTANT_PATHS):  # their gate refuses past its own limit, in their format
            return 2 * ASSISTANT_BODY
        return self.upload_bytes if path.startswith(UPLOADS) else ASK_BODY

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit(scope["path"])
        state = {"seen": 0, "refused": False, "started": False, "done": False}

        async def refuse(status: int = 413):
            state["refused"] = True
            if not state["started"]:
                state["started"] = True
                error = (f"The request is larger than the limit of {limit / 2**20:g} MB for {scope['path']}."
                         if status == 413 else f"The request's body stopped arriving for {self.idle_s:g} s.")
                await JSONResponse({"error": error}, status_code=status,
                                   headers={"Connection": "close"})(scope, _nothing, send)

        async def bounded_receive():
            if state["refused"]:
                return {"type": "http.disconnect"}
            if state["done"]:  # after the body: a streaming response waits here for a disconnect
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.idle_s)
            except asyncio.TimeoutError:
                await refuse(408)
                return {"type": "http.disconnect"}
            if message["type"] == "http.request":
                state["seen"] += len(message.get("body", b""))
                state["done"] = not message.get("more_body", False)
                if state["seen"] > limit:
                    await refuse()
                    return {"type": "http.disconnect"}
            return message

        async def framed_send(message):
            if state["refused"]:
                return  # the 413 went out; whatever the app makes of the disconnect is dropped
            if message["type"] == "http.response.start":
                state["started"] = True
                message = {**message, "headers": _no_framing(message.get("headers", []))}
            await send(message)

        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await refuse()
            return
        try:
            await self.app(scope, bounded_receive, framed_send)
        except Exception:
            if state["refused"]:
                log.info("refused a body over %d bytes for %s", limit, scope["path"])
                return
            raise


async def _nothing():
    return {"type": "http.disconnect"}


def _no_framing(headers: list) -> list:
    """X-Frame-Options: DENY, and frame-ancestors 'none' in the CSP (added to one the
    response has, or as its own)."""
    out, csp = [], False
    for name, value in headers:
        lname = name.lower()
        if lname == b"x-frame-options":
            continue
        if lname == b"content-security-policy":
            csp = True
            if b"frame-ancestors" not in value:
                value = value.rstrip(b"; ") + b"; frame-ancestors 'none'"
        out.append((name, value))
    out.append((b"x-frame-options", b"DENY"))
    if not csp:
        out.append((b"content-security-policy", b"frame-ancestors 'none'"))
    return out

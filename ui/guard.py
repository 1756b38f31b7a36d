"""Guards for a public API: allowed origins and a per-client rate limit.

A request that carries an ``Origin`` header must come from the app's own origin or from one
of the configured allowed origins (CORS alone only stops browsers reading the answer; this
refuses the request). Requests with no Origin (curl, the CLI, server-to-server) are served.
"""

from __future__ import annotations

import math
import threading
import time

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

GUARDED = ("/api/",)


def client_key(request: Request, trust_proxy: bool = False) -> str:
    """The client's address; behind a trusted load balancer, the first X-Forwarded-For hop."""
    if trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return request.client.host if request.client else "unknown"


class SharedRateLimiter:
    """The same token bucket, kept in the shared state file so all instances count together."""

    def __init__(self, state, per_minute: int):
        self.state = state
        self.per_minute = per_minute

    def take(self, key: str) -> float:
        return self.state.take(key, self.per_minute)


class RateLimiter:
    """A token bucket per client: ``per_minute`` requests, refilled continuously."""

    def __init__(self, per_minute: int):
        self.rate = per_minute / 60.0
        self.capacity = float(max(1, per_minute))
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 if allowed, else the seconds to wait."""
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


class Guard(BaseHTTPMiddleware):
    def __init__(self, app, allowed_origins: tuple[str, ...], limiter,
                 limited_paths: tuple[str, ...] = ("/api/ask", "/api/ask/stream", "/api/feedback"),
                 trust_proxy: bool = False, max_body: int | None = None):
        super().__init__(app)
        self.trust_proxy = trust_proxy
        self.max_body = max_body
        self.allowed = {o.rstrip("/") for o in allowed_origins}
        self.limiter = limiter
        self.limited_paths = limited_paths

    async def dispatch(self, request: Request, call_next):
        path = request.url.path
        if path.startswith(GUARDED):
            origin = request.headers.get("origin")
            own = f"{request.url.scheme}://{request.headers.get('host', '')}"
            if origin and origin != own and origin not in self.allowed and "*" not in self.allowed:
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
            length = request.headers.get("content-length", "")
            if self.max_body and length.isdigit() and int(length) > self.max_body:
                return JSONResponse({"error": f"The request is larger than the limit of "
                                              f"{self.max_body // 2**20} MB."}, status_code=413)
            limited = (request.method == "POST" and path in self.limited_paths) or \
                path.startswith("/api/admin/")  # token guessing is rate limited too
            if self.limiter and limited:
                wait = self.limiter.take(client_key(request, self.trust_proxy))
                if wait:
                    return JSONResponse(
                        {"error": "Too many questions in a short time: please wait a moment and try again."},
                        status_code=429, headers={"Retry-After": str(max(1, math.ceil(wait)))})
        return await call_next(request)

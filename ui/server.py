"""The uvicorn server the app runs under, set against slow clients: idle keep-alive
connections closed (``keep_alive_s``), a deadline for a request's headers, and at most
``max_connections`` at once (more are answered 503). In production put a reverse proxy in
front as well (see "Security" in the README)."""

from __future__ import annotations

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol


def protocol(header_timeout: float) -> type:
    """h11 with a deadline for each request's headers: uvicorn closes idle keep-alive
    connections, but not one that stops half-way through its headers (slowloris)."""

    class SlowClientH11(H11Protocol):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def _arm(self) -> None:
            waiting = self.cycle  # headers of a new request make a new cycle
            self.loop.call_later(header_timeout, self._check, waiting)

        def _check(self, waiting) -> None:
            if self.cycle is waiting and not self.transport.is_closing():
                self.transport.close()

    return SlowClientH11


def config(app, settings, **kwargs) -> uvicorn.Config:
    return uvicorn.Config(app, host=settings.host, port=settings.port,
                          http=protocol(max(1.0, settings.keep_alive_s * 2)),
                          timeout_keep_alive=max(1, int(settings.keep_alive_s)),
                          limit_concurrency=settings.max_connections or None, **kwargs)

"""The uvicorn server the app runs under, set against slow clients: idle keep-alive
connections closed (``keep_alive_s``), a deadline for a request's headers, and at most
``max_connections`` at once (more are answered 503). In production put a reverse proxy in
front as well (see "Security" in the README).

``serve(settings)`` runs one process, or ``settings.workers`` processes sharing one socket:
Python answers one question at a time per process, so a second core is used only by a second
process. Each worker builds its own app from the environment (``worker_app``); feedback, rate
limits and the question log are shared through the state file as two instances share them. The
staff chat (Gradio) keeps each session in the process that opened it, and the workers share one
socket with no affinity, so with several workers it is not served: a one-process instance beside
them serves it."""

from __future__ import annotations

import logging
import os

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ui.settings import Settings

# settings a command line may override, carried to worker processes in their environment
_CARRIED = (("index_dir", "INSPECTBOT_INDEX"), ("embed_model", "INSPECTBOT_EMBED_MODEL"),
            ("chroma_url", "INSPECTBOT_CHROMA_URL"), ("workers", "INSPECTBOT_WORKERS"))


class SlowClientH11(H11Protocol):
    """h11 with a deadline for each request's headers: uvicorn closes idle keep-alive
    connections, but not one that stops half-way through its headers (slowloris)."""

    header_timeout = 10.0  # set from the settings by config(), in each process

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def _arm(self) -> None:
        waiting = self.cycle  # headers of a new request make a new cycle
        self.loop.call_later(self.header_timeout, self._check, waiting)

    def _check(self, waiting) -> None:
        if self.cycle is waiting and not self.transport.is_closing():
            self.transport.close()


def _deadline(settings: Settings) -> None:
    SlowClientH11.header_timeout = max(1.0, settings.keep_alive_s * 2)


def config(app, settings: Settings, **kwargs) -> uvicorn.Config:
    _deadline(settings)
    return uvicorn.Config(app, host=settings.host, port=settings.port, http=SlowClientH11,
                          timeout_keep_alive=max(1, int(settings.keep_alive_s)),
                          limit_concurrency=settings.max_connections or None, **kwargs)


def worker_app():
    """uvicorn's factory in each worker process: the settings from the environment ``serve`` set."""
    from ui.app import create_app

    settings = Settings.from_env()
    logging.basicConfig(level=getattr(logging, settings.log_level, logging.INFO),
                        format="%(levelname)s %(name)s: %(message)s")
    _deadline(settings)  # this process's (a Config made here would set uvicorn's logging afresh)
    return create_app(settings)


def serve(settings: Settings) -> None:
    # uvicorn's access log carries client addresses: on only when they may be logged
    quiet = {"log_level": "warning", "access_log": settings.log_client_ip}
    if settings.workers <= 1:
        from ui.app import create_app

        uvicorn.Server(config(create_app(settings), settings, **quiet)).run()
        return
    from uvicorn.supervisors import Multiprocess

    for field, name in _CARRIED:
        if getattr(settings, field):
            os.environ[name] = str(getattr(settings, field))
    cfg = config("ui.server:worker_app", settings, factory=True, workers=settings.workers, **quiet)
    Multiprocess(cfg, sockets=[cfg.bind_socket()]).run()

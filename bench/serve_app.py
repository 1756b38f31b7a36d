"""The app as a uvicorn factory, for ``bench/load.py`` (``uvicorn serve_app:app --factory
--workers N``): each worker process builds its own answerer from the environment's settings."""

from __future__ import annotations

import common  # noqa: F401  (offline settings, import path)


def app():
    import logging

    from ui.app import create_app
    from ui.settings import Settings

    settings = Settings.from_env()
    logging.basicConfig(level=getattr(logging, settings.log_level, logging.INFO))  # as the CLI's entry point does
    return create_app(settings, mount_chat=False)

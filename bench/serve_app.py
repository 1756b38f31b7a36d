"""The app as a uvicorn factory, for ``bench/load.py`` (``uvicorn serve_app:app --factory
--workers N``): each worker process builds its own answerer from the environment's settings."""

from __future__ import annotations

import common  # noqa: F401  (offline settings, import path)


def app():
    from ui.app import create_app
    from ui.settings import Settings

    return create_app(Settings.from_env(), mount_chat=False)

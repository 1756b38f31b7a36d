"""State the web app shares between its instances: feedback and rate-limit buckets.

Both live in one SQLite file (``INSPECTBOT_STATE_DB``, by default ``state.sqlite3`` in the
index folder). Every instance that opens the same file sees the same feedback and the same
per-client budget, so several instances behind a load balancer limit a client once, not once
each. SQLite needs the instances on one host or on storage with working file locks; see
"Running several instances" in the README.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (at REAL, rating TEXT, question TEXT, answer TEXT, comment TEXT);
CREATE TABLE IF NOT EXISTS buckets (client TEXT PRIMARY KEY, tokens REAL, last REAL);
"""


class SharedState:
    def __init__(self, path: str | Path, max_question: int = 2000):
        self.path = str(path)
        self.max_question = max_question
        self._local = threading.local()
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    # feedback -------------------------------------------------------------------------------
    def add_feedback(self, question: str, answer: str, rating: str, comment: str = "") -> None:
        self._conn().execute("INSERT INTO feedback VALUES (?,?,?,?,?)",
                             (time.time(), rating, question[: self.max_question], answer[:20000], comment[:2000]))

    def feedback_count(self) -> int:
        return self._conn().execute("SELECT count(*) FROM feedback").fetchone()[0]

    # rate limit -----------------------------------------------------------------------------
    def take(self, client: str, per_minute: int) -> float:
        """A token bucket per client, ``per_minute`` requests refilled continuously: 0 if this
        request is allowed, else the seconds to wait. Atomic across processes (one write
        transaction per request)."""
        rate, capacity = per_minute / 60.0, float(max(1, per_minute))
        now = time.time()
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT tokens, last FROM buckets WHERE client = ?", (client,)).fetchone()
            tokens, last = row if row else (capacity, now)
            tokens = min(capacity, tokens + max(0.0, now - last) * rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / rate
            if not wait:
                tokens -= 1
            conn.execute("INSERT OR REPLACE INTO buckets VALUES (?,?,?)", (client, tokens, now))
            if int(now) % 60 == 0:  # now and then, forget clients idle for ten minutes
                conn.execute("DELETE FROM buckets WHERE last < ?", (now - 600,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return wait

"""State the web app shares between its instances: feedback, rate-limit buckets and the
question log.

All live in one SQLite file (``INSPECTBOT_STATE_DB``, by default ``state.sqlite3`` in the
index folder). Every instance that opens the same file sees the same feedback and the same
per-client budget, so several instances behind a load balancer limit a client once, not once
each. SQLite needs the instances on one host or on storage with working file locks; see
"Running several instances" in the README.
"""

from __future__ import annotations

import atexit
import json
import logging
import re
import secrets
import sqlite3
import threading
import time
from collections import deque
from pathlib import Path

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (at REAL, rating TEXT, question TEXT, answer TEXT, comment TEXT);
CREATE TABLE IF NOT EXISTS buckets (client TEXT PRIMARY KEY, tokens REAL, last REAL);
CREATE TABLE IF NOT EXISTS questions (
    id TEXT PRIMARY KEY, at REAL NOT NULL, question TEXT NOT NULL, norm TEXT NOT NULL,
    provider TEXT NOT NULL DEFAULT '', report TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '',
    abstained INTEGER NOT NULL, latency_ms REAL, channel TEXT NOT NULL, scope TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT '', client TEXT, cited TEXT NOT NULL DEFAULT '[]', answer TEXT NOT NULL DEFAULT '',
    rating TEXT, comment TEXT);
CREATE INDEX IF NOT EXISTS questions_at ON questions (at);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB);
"""


class SharedState:
    def __init__(self, path: str | Path, max_question: int = 2000):
        self.path = str(path)
        self.max_question = max_question
        self._local = threading.local()
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(_SCHEMA)
        if "answer_id" not in {row[1] for row in conn.execute("PRAGMA table_info(feedback)")}:
            try:  # files from before the question log: feedback gains the answer it is about
                conn.execute("ALTER TABLE feedback ADD COLUMN answer_id TEXT")
            except sqlite3.OperationalError:  # another instance added it first
                pass

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def secret(self) -> bytes:
        """The key rate-limit buckets are hashed with, made once and shared by every instance
        that opens this file."""
        conn = self._conn()
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('bucket_key', ?)", (secrets.token_bytes(32),))
        return bytes(conn.execute("SELECT value FROM meta WHERE name = 'bucket_key'").fetchone()[0])

    def query(self, sql: str, params=()) -> list[tuple]:
        """Rows of a read-only query (the insights read the tables with this)."""
        return self._conn().execute(sql, params).fetchall()

    # feedback -------------------------------------------------------------------------------
    def add_feedback(self, question: str, answer: str, rating: str, comment: str = "",
                     answer_id: str | None = None, require_logged: bool = False) -> bool:
        """Store feedback; with ``answer_id`` (the id a logged answer was given) it is also
        attached to that question in the log, and the question and answer are stored as logged
        (what was asked and answered, whatever the client sends). Returns whether a logged
        question was found for ``answer_id``."""
        conn = self._conn()
        found = False
        if answer_id:
            row = conn.execute("SELECT question, answer FROM questions WHERE id = ?", (answer_id,)).fetchone()
            if row:
                found = True
                question, answer = row[0] or question, row[1] or answer
                conn.execute("UPDATE questions SET rating = ?, comment = ? WHERE id = ?",
                             (rating, comment[:2000] or None, answer_id))
        if not found and require_logged:
            return False  # free-form feedback would be shown to staff as an answer marked unhelpful
        conn.execute("INSERT INTO feedback (at, rating, question, answer, comment, answer_id) VALUES (?,?,?,?,?,?)",
                     (time.time(), rating, question[: self.max_question], answer[:20000], comment[:2000],
                      answer_id or None))
        return found

    def add_comment(self, question: str, answer: str, comment: str, answer_id: str | None = None) -> bool:
        """The optional comment a thumbs-down asks for, added to that thumbs-down (the latest
        one without a comment for this answer). Returns whether one was found."""
        conn = self._conn()
        comment = comment[:2000]
        row = conn.execute(
            "SELECT max(rowid) FROM feedback WHERE rating = 'down' AND coalesce(comment, '') = '' AND "
            "(answer_id = ? OR (answer_id IS NULL AND question = ? AND answer = ?))",
            (answer_id, question[: self.max_question], answer[:20000])).fetchone()
        if not row or row[0] is None:
            return False
        conn.execute("UPDATE feedback SET comment = ? WHERE rowid = ?", (comment, row[0]))
        if answer_id:
            conn.execute("UPDATE questions SET comment = ? WHERE id = ?", (comment or None, answer_id))
        return True

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

    # the question log: purge ----------------------------------------------------------------
    def remove_before(self, before: float) -> tuple[int, int]:
        """Delete logged questions and feedback from before ``before`` (epoch seconds), their
        text overwritten on disk; returns how many of each were removed."""
        conn = self._conn()
        removed = delete_before(conn, before)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no copy left in the write-ahead log
        return removed


def state_path(settings) -> str:
    """The shared state file: INSPECTBOT_STATE_DB, else state.sqlite3 in the index folder
    (where that folder exists); "" when there is none."""
    if settings.state_db:
        return settings.state_db
    if settings.index_dir and Path(settings.index_dir).is_dir():
        return str(Path(settings.index_dir) / "state.sqlite3")
    return ""


def delete_before(conn: sqlite3.Connection, before: float) -> tuple[int, int]:
    conn.execute("PRAGMA secure_delete=ON")  # deleted text is zeroed, not left in free pages
    conn.execute("BEGIN IMMEDIATE")
    try:
        questions = conn.execute("DELETE FROM questions WHERE at < ?", (before,)).rowcount
        feedback = conn.execute("DELETE FROM feedback WHERE at < ?", (before,)).rowcount
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return questions, feedback


def normalise(question: str) -> str:
    """The question folded for counting: case, spacing, quotes and end punctuation aside."""
    text = " ".join(question.lower().replace("\u2019", "'").replace("\u2018", "'").split())
    return re.sub(r"^[\s?!.,;:]+|[\s?!.,;:]+$", "", text)


class QuestionLog:
    """The questions asked (for the staff insights), written to the shared state file by one
    background thread per instance.

    ``record`` only queues the question and returns its id: logging costs an answer a few
    microseconds and cannot fail it. The writer commits what is queued in one transaction; if
    the file is locked past ``busy_ms`` or full, it logs a warning and drops that batch. Rows
    (and feedback) older than ``days`` are deleted when the writer starts and every hour;
    ``days=0`` turns the log off: nothing is queued or stored.
    """

    BATCH = 500

    def __init__(self, path: str | Path, days: int = 90, max_question: int = 2000,
                 busy_ms: int = 5000, max_pending: int = 10000):
        self.path = str(path)
        self.days = max(0, int(days))
        self.enabled = self.days > 0
        self.max_question = max_question
        self.busy_ms = busy_ms
        self.max_pending = max_pending
        self.expire_every = 3600.0
        self.dropped = 0
        self._pending: deque = deque()
        self._cond = threading.Condition()
        self._busy = False
        self._closed = False
        self._thread: threading.Thread | None = None
        if self.enabled:
            self._busy = True  # until the writer's first round (removing old rows) is done
            self._thread = threading.Thread(target=self._run, name="question-log", daemon=True)
            self._thread.start()
            atexit.register(self.close)

    def record(self, question: str, answer, *, latency_ms: float, channel: str, scope: str = "",
               mode: str = "", client: str | None = None, at: float | None = None) -> str | None:
        """Queue one answered question; returns the id the answer is known by (for feedback),
        or None when the log is off or its queue is full."""
        if not self.enabled or self._closed:
            return None
        answer_id = secrets.token_hex(8)
        item = (answer_id, time.time() if at is None else at, question, answer, latency_ms,
                channel, scope or "", mode or "", client)
        with self._cond:
            if len(self._pending) >= self.max_pending:
                self.dropped += 1
                if self.dropped == 1 or self.dropped % 1000 == 0:
                    log.warning("question log: the writer is behind (%d queued); %d question(s) "
                                "not logged so far", len(self._pending), self.dropped)
                return None
            self._pending.append(item)
            self._cond.notify()
        return answer_id

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far has been written (or dropped)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while (self._pending or self._busy) and self._thread and self._thread.is_alive():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self, timeout: float = 10.0) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    # the writer ------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.busy_ms / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_ms)}")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_SCHEMA)
        return conn

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        next_expiry = 0.0
        while True:
            with self._cond:
                while not self._pending and not self._closed and time.time() < next_expiry:
                    self._cond.wait(min(60.0, max(0.05, next_expiry - time.time())))
                if self._closed and not self._pending:
                    break
                batch = [self._pending.popleft() for _ in range(min(self.BATCH, len(self._pending)))]
                self._busy = True
            try:
                conn = conn or self._connect()
                if batch:
                    self._write(conn, batch)
                if time.time() >= next_expiry:
                    next_expiry = time.time() + self.expire_every
                    self.expire(conn)
            except (sqlite3.Error, OSError) as exc:
                if batch:
                    log.warning("question log: %d question(s) not logged (%s); answers are not "
                                "affected", len(batch), exc)
                else:
                    log.warning("question log: could not remove old rows (%s)", exc)
                    next_expiry = time.time() + 60
                if conn is not None:
                    conn.close()
                    conn = None
            except Exception:  # noqa: BLE001 - the writer must outlive one bad row
                log.exception("question log: %d question(s) not logged", len(batch))
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
        if conn is not None:
            conn.close()

    def _write(self, conn: sqlite3.Connection, batch: list) -> None:
        rows = [self._row(item) for item in batch]
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR IGNORE INTO questions (id, at, question, norm, provider, report, "
                             "kind, abstained, latency_ms, channel, scope, mode, client, cited, answer) "
                             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _row(self, item) -> tuple:
        answer_id, at, question, answer, latency_ms, channel, scope, mode, client = item
        understood = getattr(answer, "understood", None)
        provider = report = kind = ""
        if understood is not None:
            provider = understood.provider or " & ".join(understood.providers)
            report = understood.report.source if understood.report else ""
            kind = understood.kind or ""
        cited = list(dict.fromkeys(c.source for c in answer.citations))
        question = question.strip()[: self.max_question]
        return (answer_id, at, question, normalise(question), provider or scope,
                report or getattr(answer, "report", "") or "", kind, int(bool(answer.abstained)),
                None if latency_ms is None else round(latency_ms, 1), channel, scope, mode, client,
                json.dumps(cited, ensure_ascii=False), answer.text[:4000])

    def expire(self, conn: sqlite3.Connection | None = None) -> tuple[int, int]:
        """Delete questions and feedback older than the retention period."""
        if not self.enabled:
            return 0, 0
        own = conn is None
        conn = conn or self._connect()
        try:
            removed = delete_before(conn, time.time() - self.days * 86400)
        finally:
            if own:
                conn.close()
        if any(removed):
            log.info("question log: removed %d question(s) and %d feedback row(s) older than %d days",
                     *removed, self.days)
        return removed

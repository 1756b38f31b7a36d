"""Vectors of the sentences the answerer ranks, embedded once and kept.

The sentence chooser compares a question with a few candidate sentences of the passages
retrieval found. Embedding them on every question cost about 30 ms; the same passages come back
for the same and similar questions, so each sentence's vector is kept: in memory (float16, the
most recent ``memory`` of them) and, where a file is given, in a small SQLite file beside the
index that every worker process and every restart shares. A sentence is then embedded once, ever,
by whichever process first needs it.

``fill(texts)`` embeds, in batches, every text the file does not hold yet: the ingest and the
``inspectbot sentences`` command use it to store the vector of every sentence the chooser can
rank, so that answers never embed one.

Vectors are keyed by a hash of the embedder's name and the exact text, so a change of model
never reads another model's vectors. float16 keeps a cosine similarity within about 1e-3 of
the float32 one.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import numpy as np

log = logging.getLogger(__name__)

_DDL = "CREATE TABLE IF NOT EXISTS sentence_vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID"
# where a passage's answerable sentences lie, worked out once by the reader's rules (its key
# holds their version) and kept beside the vectors: (start, end) pairs as little-endian int32
_SPANS_DDL = "CREATE TABLE IF NOT EXISTS sentence_spans (key BLOB PRIMARY KEY, spans BLOB NOT NULL) WITHOUT ROWID"


class SentenceVectors:
    """``vectors(texts)``: an (n, dimension) float32 array of normalised vectors, computed only
    for texts never seen before. ``path``: the shared SQLite file ('' keeps them in memory only);
    a file that cannot be written is read if it can be, else left alone, and said once."""

    def __init__(self, embedder, path: str | Path | None = "", memory: int = 20000):
        self.embedder = embedder
        self.path = str(path) if path else ""
        self.memory = memory
        self._mem: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._local = threading.local()
        self._writable = bool(self.path)
        self.embedded = 0  # texts this process embedded (for benchmarks)
        self.read = 0  # texts read from the file
        if self.path and not self._create(_DDL, "sentence vectors kept in memory only: cannot write"):
            self.path, self._writable = "", False
        # a file written before spans were kept, now read-only: its vectors only
        self._spans = bool(self.path) and self._create(_SPANS_DDL, "sentence spans not kept: cannot write")

    def _create(self, ddl: str, failed: str) -> bool:
        try:
            conn = self._conn()
            with conn:
                conn.execute(ddl)
            return True
        except sqlite3.Error as exc:
            log.warning("%s %s (%s)", failed, self.path, exc)
            return False

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def key(self, text: str) -> bytes:
        return hashlib.blake2b(f"{self.embedder.name}\n{text}".encode("utf-8"), digest_size=16).digest()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self.key(t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for k in keys:
                v = self._mem.get(k)
                if v is not None:
                    self._mem.move_to_end(k)
                    found[k] = v
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing and self.path:
            found.update(self._read(missing))
            missing = [k for k in missing if k not in found]
        if missing:
            wanted = set(missing)
            todo = {k: t for k, t in zip(keys, texts) if k in wanted}
            fresh = np.asarray(self.embedder.embed_documents(list(todo.values())), dtype=np.float32)
            self.embedded += len(todo)
            new = {k: v.astype(np.float16) for k, v in zip(todo, fresh)}
            found.update(new)
            if self._writable:
                self._write(new)
        with self._lock:
            for k in keys:
                self._mem[k] = found[k]
                self._mem.move_to_end(k)
            while len(self._mem) > self.memory:
                self._mem.popitem(last=False)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def fill(self, texts: Sequence[str], batch: int = 512, progress=None) -> int:
        """Embed and store every text not stored yet (the memory cache is left alone: a whole
        index's sentences would only push out the ones answers use). ``progress(n)`` is called
        with the number of texts embedded after each batch. Returns how many were embedded."""
        todo = {self.key(t): t for t in texts}
        if self.path:
            keys = list(todo)
            for i in range(0, len(keys), 500):
                for k in self._stored(keys[i:i + 500]):
                    todo.pop(k, None)
        items = sorted(todo.items(), key=lambda kv: len(kv[1]))  # similar lengths pad least
        for i in range(0, len(items), batch):
            part = items[i:i + batch]
            fresh = np.asarray(self.embedder.embed_documents([t for _, t in part]), dtype=np.float32)
            new = {k: v.astype(np.float16) for (k, _), v in zip(part, fresh)}
            self.embedded += len(part)
            if self._writable:
                self._write(new)
            else:
                with self._lock:
                    self._mem.update(new)
            if progress is not None:
                progress(len(part))
        return len(items)

    def _stored(self, keys: list[bytes]) -> set[bytes]:
        marks = ",".join("?" * len(keys))
        try:
            return {bytes(r[0]) for r in self._conn().execute(
                f"SELECT key FROM sentence_vectors WHERE key IN ({marks})", keys)}
        except sqlite3.Error:
            return set()

    def _read(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        try:
            marks = ",".join("?" * len(keys))
            rows = self._conn().execute(f"SELECT key, vector FROM sentence_vectors WHERE key IN ({marks})", keys).fetchall()
        except sqlite3.Error as exc:
            log.warning("cannot read sentence vectors from %s: %s", self.path, exc)
            return {}
        self.read += len(rows)
        return {bytes(k): np.frombuffer(v, dtype=np.float16) for k, v in rows}

    def _write(self, new: dict[bytes, np.ndarray]) -> None:
        try:
            conn = self._conn()
            with conn:
                conn.executemany("INSERT OR IGNORE INTO sentence_vectors VALUES (?, ?)",
                                 [(k, v.tobytes()) for k, v in new.items()])
        except sqlite3.Error as exc:  # busy or read-only: the vectors stay in memory
            log.warning("sentence vectors not saved to %s: %s", self.path, exc)
            if "readonly" in str(exc).lower():
                self._writable = False

    # --- where each passage's sentences lie (the caller's key: its rules' version and the text) ---

    def read_spans(self, keys: Sequence[bytes]) -> dict[bytes, tuple[tuple[int, int], ...]]:
        """The kept spans of these keys (those found; none without a file)."""
        if not self._spans or not keys:
            return {}
        out = {}
        try:
            for i in range(0, len(keys), 500):
                part = list(keys[i:i + 500])
                marks = ",".join("?" * len(part))
                for k, v in self._conn().execute(f"SELECT key, spans FROM sentence_spans WHERE key IN ({marks})", part):
                    pairs = np.frombuffer(v, dtype="<i4").reshape(-1, 2)
                    out[bytes(k)] = tuple((int(a), int(b)) for a, b in pairs)
        except sqlite3.Error as exc:
            log.warning("cannot read sentence spans from %s: %s", self.path, exc)
        return out

    def write_spans(self, items: dict[bytes, Sequence[tuple[int, int]]]) -> None:
        if not self._writable or not self._spans or not items:
            return
        rows = [(k, np.asarray(v, dtype="<i4").reshape(-1, 2).tobytes()) for k, v in items.items()]
        try:
            conn = self._conn()
            with conn:
                conn.executemany("INSERT OR IGNORE INTO sentence_spans VALUES (?, ?)", rows)
        except sqlite3.Error as exc:  # busy or read-only: worked out again next time
            log.warning("sentence spans not saved to %s: %s", self.path, exc)
            if "readonly" in str(exc).lower():
                self._writable = False

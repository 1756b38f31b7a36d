"""The catalog: documents, their chunks and a keyword index, in one SQLite file.

SQLite's FTS5 (with its built-in BM25 ranking) is the keyword index. The catalog is the source
of truth for what is stored: a document counts as ingested only once its row is committed here,
in the same transaction as its chunks, so a killed ingest never leaves half a document visible.
Chroma ids that the catalog does not know are ignored by the retriever and cleaned up by the
next sync (``pending_deletes``).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from index.errors import IndexMismatchError
from index.fts import few_documents, fts_query, phrase_match, query_words, sql_filters
from index.types import Chunk, Document

CATALOG_SCHEMA = 1

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    root TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    pages TEXT NOT NULL,
    facts TEXT NOT NULL,
    fact_spans TEXT NOT NULL,
    n_chunks INTEGER NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    page INTEGER,
    page_end INTEGER,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    section TEXT NOT NULL,
    metadata TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, section, content='chunks', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text, section) VALUES (new.rowid, new.text, new.section);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text, section)
    VALUES ('delete', old.rowid, old.text, old.section);
END;
CREATE TABLE IF NOT EXISTS pending_deletes (doc_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS inflight (doc_id TEXT PRIMARY KEY);
"""

class Catalog:
    def __init__(self, path: str | Path):
        self.path = str(path)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        conn = self._conn()
        with conn:
            conn.executescript(_DDL)
            row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(CATALOG_SCHEMA),))
            elif int(row[0]) > CATALOG_SCHEMA:
                raise IndexMismatchError(
                    f"The catalog {self.path} was written by a newer inspectbot (schema {row[0]}). "
                    "Upgrade inspectbot, or use a new --index folder and ingest again."
                )

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        self._local.counts = self._local.df = None  # versions of a closed connection mean nothing

    # --- documents -------------------------------------------------------------------------

    def hashes(self) -> dict[str, tuple[str, str]]:
        """``{source: (doc_id, content_hash)}`` of every stored document."""
        rows = self._conn().execute("SELECT source, doc_id, content_hash FROM documents")
        return {r["source"]: (r["doc_id"], r["content_hash"]) for r in rows}

    def replace_document(self, doc: Document, chunks: Sequence[Chunk]) -> str | None:
        """Store ``doc`` and its chunks in one transaction, replacing any older version of the
        same source. Returns the replaced doc_id (its vectors must be deleted), if any."""
        with self._write_lock:
            conn = self._conn()
            with conn:
                row = conn.execute(
                    "SELECT doc_id FROM documents WHERE source=?", (doc.source,)
                ).fetchone()
                old = row["doc_id"] if row and row["doc_id"] != doc.doc_id else None
                conn.execute("DELETE FROM chunks WHERE doc_id IN "
                             "(SELECT doc_id FROM documents WHERE source=? OR doc_id=?)",
                             (doc.source, doc.doc_id))
                conn.execute("DELETE FROM documents WHERE source=? OR doc_id=?",
                             (doc.source, doc.doc_id))
                if old:
                    conn.execute("INSERT OR IGNORE INTO pending_deletes VALUES (?)", (old,))
                conn.execute("DELETE FROM inflight WHERE doc_id=?", (doc.doc_id,))
                conn.execute(
                    "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (doc.doc_id, doc.source, doc.root, doc.content_hash, doc.title,
                     json.dumps(list(doc.pages)), json.dumps(dict(doc.facts)),
                     json.dumps({k: list(v) for k, v in doc.fact_spans.items()}),
                     len(chunks), time.time()),
                )
                conn.executemany(
                    "INSERT INTO chunks(id, doc_id, source, text, page, page_end, start, end,"
                    " section, metadata) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [(c.id, c.doc_id, c.source, c.text, c.page, c.page_end, c.start, c.end,
                      c.section, json.dumps(dict(c.metadata))) for c in chunks],
                )
            return old

    def update_facts(self, doc_id: str, title: str, facts: Mapping, spans: Mapping) -> None:
        """Replace a document's facts (and its chunks' metadata) in place."""
        with self._write_lock:
            conn = self._conn()
            with conn:
                conn.execute("UPDATE documents SET title=?, facts=?, fact_spans=? WHERE doc_id=?",
                             (title, json.dumps(dict(facts)),
                              json.dumps({k: list(v) for k, v in spans.items()}), doc_id))
                conn.execute("UPDATE chunks SET metadata=? WHERE doc_id=?", (json.dumps(dict(facts)), doc_id))

    def remove_sources(self, sources: Iterable[str]) -> list[str]:
        """Forget documents by source; their doc_ids go to ``pending_deletes``."""
        removed = []
        with self._write_lock:
            conn = self._conn()
            with conn:
                for source in sources:
                    row = conn.execute("SELECT doc_id FROM documents WHERE source=?",
                                       (source,)).fetchone()
                    if row:
                        conn.execute("DELETE FROM chunks WHERE doc_id=?", (row["doc_id"],))
                        conn.execute("DELETE FROM documents WHERE doc_id=?", (row["doc_id"],))
                        conn.execute("INSERT OR IGNORE INTO pending_deletes VALUES (?)",
                                     (row["doc_id"],))
                        removed.append(source)
        return removed

    def mark_inflight(self, doc_id: str) -> None:
        """Record that vectors of ``doc_id`` are being written ahead of its catalog commit."""
        with self._write_lock, self._conn() as conn:
            conn.execute("INSERT OR IGNORE INTO inflight VALUES (?)", (doc_id,))

    def pending_deletes(self) -> list[str]:
        """Doc ids whose vectors must go: replaced or removed documents, and documents whose
        vectors were written by an ingest that was killed before the catalog commit."""
        rows = self._conn().execute(
            "SELECT doc_id FROM pending_deletes UNION SELECT doc_id FROM inflight "
            "WHERE doc_id NOT IN (SELECT doc_id FROM documents)")
        return [r[0] for r in rows]

    def clear_pending(self, doc_ids: Iterable[str]) -> None:
        with self._write_lock, self._conn() as conn:
            ids = [(d,) for d in doc_ids]
            conn.executemany("DELETE FROM pending_deletes WHERE doc_id=?", ids)
            conn.executemany("DELETE FROM inflight WHERE doc_id=?", ids)

    def documents(self) -> list[Document]:
        rows = self._conn().execute(
            "SELECT doc_id, source, root, content_hash, title, '[]' AS pages, facts, fact_spans"
            " FROM documents ORDER BY source").fetchall()
        return [_document(r, with_pages=False) for r in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self._conn().execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return _document(row, with_pages=True) if row else None

    def page_text(self, doc_id: str, page: int) -> str:
        """One page's text ('' past the last page or for an unknown report), read from the stored
        page list in SQLite, not by decoding all of the report's pages."""
        if page < 1:
            return ""
        row = self._conn().execute("SELECT json_extract(pages, ?) FROM documents WHERE doc_id=?",
                                   (f"$[{int(page) - 1}]", doc_id)).fetchone()
        return row[0] if row and isinstance(row[0], str) else ""

    def counts(self) -> tuple[int, int]:
        """(documents, passages), counted again only when the catalog has changed since this
        thread last counted (every question checks)."""
        conn = self._conn()
        version = _version(conn)
        cache = getattr(self._local, "counts", None)
        if cache is None or cache[0] != version:
            cache = (version, (conn.execute("SELECT count(*) FROM documents").fetchone()[0],
                               conn.execute("SELECT count(*) FROM chunks").fetchone()[0]))
            self._local.counts = cache
        return cache[1]

    # --- chunks ----------------------------------------------------------------------------

    def chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        conn = self._conn()
        for i in range(0, len(ids), 500):
            part = list(ids[i : i + 500])
            marks = ",".join("?" * len(part))
            for r in conn.execute(f"SELECT * FROM chunks WHERE id IN ({marks})", part):
                out[r["id"]] = _chunk(r)
        return out

    def chunk_ids(self, doc_ids: Sequence[str]) -> list[str]:
        """The ids of every committed passage of these documents."""
        marks = ",".join("?" * len(doc_ids))
        return [r[0] for r in self._conn().execute(f"SELECT id FROM chunks WHERE doc_id IN ({marks})", list(doc_ids))]

    def doc_chunks(self, doc_id: str) -> list[Chunk]:
        rows = self._conn().execute("SELECT * FROM chunks WHERE doc_id=? ORDER BY rowid", (doc_id,))
        return [_chunk(r) for r in rows]

    def term_counts(self, words: Sequence[str]) -> dict[str, int]:
        """How many chunks contain each word (after the index's own stemming)."""
        return self.frequencies(words)[0]

    def frequencies(self, words: Sequence[str]) -> tuple[dict[str, int], int]:
        """Passages holding each word (any part of it, for a word such as 'decision-making'),
        and all passages; cached until the catalog changes."""
        conn = self._conn()
        version = _version(conn)
        cache = getattr(self._local, "df", None)
        if cache is None or cache[0] != version:
            total = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
            cache = (version, total, {})
            self._local.df = cache
        _, total, df = cache
        for w in words:
            if w not in df:
                q = fts_query(w)
                df[w] = conn.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?",
                                     (q,)).fetchone()[0] if q else 0
        return {w: df[w] for w in words}, total

    def phrase_passages(self, phrase: str, exact: bool = False) -> int:
        """How many passages hold ``phrase`` (``phrase_match``; ``exact``: its words in order, next
        to each other); cached until the catalog changes."""
        match = phrase_match(phrase, exact)
        if not match:
            return 0
        conn = self._conn()
        version = _version(conn)
        cache = getattr(self._local, "phrases", None)
        if cache is None or cache[0] != version:
            cache = (version, {})
            self._local.phrases = cache
        if match not in cache[1]:
            cache[1][match] = conn.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (match,)).fetchone()[0]
        return cache[1][match]

    def documents_with_phrase(self, phrase: str, doc_ids: Sequence[str]) -> set[str]:
        """Those of ``doc_ids`` with a passage holding ``phrase`` ('partners in practice')."""
        match = phrase_match(phrase)
        if not match or not doc_ids:
            return set()
        rows = self._conn().execute("SELECT DISTINCT c.doc_id FROM chunks_fts JOIN chunks c ON c.rowid = "
                                    "chunks_fts.rowid WHERE chunks_fts MATCH ?", (match,))
        return {r[0] for r in rows} & set(doc_ids)

    def chunks_with_phrase(self, phrase: str, doc_ids: Sequence[str], k: int = 4) -> list[str]:
        """The ids of up to ``k`` passages of ``doc_ids`` holding ``phrase``, best first."""
        match = phrase_match(phrase)
        return [cid for cid, _ in self._keyword_within(match, list(doc_ids), k)] if match and doc_ids else []

    def documents_matching(self, words: Sequence[str], doc_ids: Sequence[str]) -> set[str]:
        """Those of ``doc_ids`` with one passage holding every one of ``words`` (each stemmed as
        the keyword index stems it): how many reports mention 'return home interviews'."""
        words = query_words(" ".join(words))
        if not words or not doc_ids:
            return set()
        match = " AND ".join(f'"{w}"' for w in words)
        rows = self._conn().execute("SELECT DISTINCT c.doc_id FROM chunks_fts JOIN chunks c ON c.rowid = "
                                    "chunks_fts.rowid WHERE chunks_fts MATCH ?", (match,))
        return {r[0] for r in rows} & set(doc_ids)

    def _keyword_within(self, match: str, doc_ids: list[str], k: int) -> list[tuple[str, float]]:
        """The keyword search within a few documents. A document's passages are stored together,
        so the range of its rowids bounds the full-text index's scan; the doc_id test keeps the
        answer right whatever lies in the range. bm25 uses the whole index's statistics, so the
        scores of separate documents compare."""
        conn = self._conn()
        marks = ",".join("?" * len(doc_ids))
        ranges = conn.execute(f"SELECT doc_id, min(rowid), max(rowid) FROM chunks WHERE doc_id IN ({marks}) "
                              "GROUP BY doc_id", doc_ids).fetchall()
        rows = []
        for doc_id, lo, hi in ranges:
            rows += conn.execute("SELECT c.id, -bm25(chunks_fts) AS score FROM chunks_fts JOIN chunks c ON c.rowid = "
                                 "chunks_fts.rowid WHERE chunks_fts MATCH ? AND chunks_fts.rowid BETWEEN ? AND ? "
                                 "AND c.doc_id = ? ORDER BY bm25(chunks_fts) LIMIT ?", (match, lo, hi, doc_id, k)).fetchall()
        rows.sort(key=lambda r: -r[1])
        return [(r[0], float(r[1])) for r in rows[:k]]

    def keyword_search(self, text: str, k: int, filters: Mapping[str, Any] | None = None):
        """``[(chunk_id, bm25_score)]`` best first (higher is better). Words found in more
        than a quarter of all passages are left out (they hardly change the ranking and make
        SQLite score most of the index); the rarest word is always kept."""
        words = query_words(text)
        if not words:
            return []
        df, total = self.frequencies(words)
        keep = [w for w in words if df[w] <= 0.25 * total] or [min(words, key=df.get)]
        match = fts_query(" ".join(keep))
        if not match:
            return []
        docs = few_documents(filters)
        if docs:  # within a few reports: each report's rows only (18 ms -> 0.6 ms on the whole corpus)
            return self._keyword_within(match, docs, k)
        where, params = sql_filters(filters)
        if where:
            sql = ("SELECT c.id, -bm25(chunks_fts) AS score FROM chunks_fts "
                   "JOIN chunks c ON c.rowid = chunks_fts.rowid "
                   f"WHERE chunks_fts MATCH ? {where} ORDER BY bm25(chunks_fts) LIMIT ?")
        else:  # rank the matches first, join only the best k
            sql = ("SELECT c.id, t.score FROM (SELECT rowid, -bm25(chunks_fts) AS score FROM chunks_fts "
                   "WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?) t "
                   "JOIN chunks c ON c.rowid = t.rowid ORDER BY t.score DESC")
        rows = self._conn().execute(sql, [match, *params, k]).fetchall()
        return [(r["id"], float(r["score"])) for r in rows]


def _chunk(r: sqlite3.Row) -> Chunk:
    return Chunk(id=r["id"], doc_id=r["doc_id"], source=r["source"], text=r["text"],
                 page=r["page"], page_end=r["page_end"], start=r["start"], end=r["end"],
                 section=r["section"], metadata=json.loads(r["metadata"]))


def _version(conn: sqlite3.Connection) -> tuple[int, int]:
    """What changes whenever the catalog does: another connection's commit changes
    data_version, this connection's own writes change total_changes."""
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


def _document(r: sqlite3.Row, with_pages: bool) -> Document:
    return Document(
        doc_id=r["doc_id"], source=r["source"], content_hash=r["content_hash"], title=r["title"],
        pages=tuple(json.loads(r["pages"])) if with_pages else (),
        facts=json.loads(r["facts"]),
        fact_spans={k: tuple(v) for k, v in json.loads(r["fact_spans"]).items()},
        root=r["root"],
    )

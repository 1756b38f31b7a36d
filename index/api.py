"""The index as one object: catalog (SQLite: documents, chunks, FTS5) + vectors (Chroma)."""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from index.catalog import Catalog
from index.embed import Embeddings
from index.errors import StoreUnavailableError
from index.retrieve import Retriever
from index.sentences import SentenceVectors
from index.store import VectorStore, make_client
from index.types import Chunk, Document

log = logging.getLogger(__name__)


@dataclass
class Index:
    catalog: Catalog
    vectors: VectorStore
    embedder: Embeddings

    def retriever(self, sentence_cache: str | None = None, **kwargs) -> Retriever:
        """``sentence_cache``: the file that keeps the vectors of sentences ranked at answer
        time, shared by processes (None: ``sentences.sqlite3`` in the index folder; '': memory
        only)."""
        return Retriever(self.catalog, self.vectors, self.embedder, sentences=self.sentences(sentence_cache), **kwargs)

    def sentences(self, path: str | None = None) -> SentenceVectors:
        """The vectors of the sentences answers rank, in ``path`` (None: ``sentences.sqlite3``
        in the index folder, which the ingest fills; '': memory only)."""
        if path is None:
            path = str(Path(self.catalog.path).with_name("sentences.sqlite3"))
        return SentenceVectors(self.embedder, path)

    def embed_passages(self, texts: Sequence[str]) -> tuple[list[list[float]], list[str], int]:
        """Vectors for ``texts``, computing only those never embedded before: a text already
        in the store (an unchanged passage of a replaced report, a repeated boilerplate
        paragraph) reuses its stored vector. Returns vectors, text hashes, and how many were
        reused."""
        hashes = [hashlib.sha1(t.encode("utf-8")).hexdigest()[:20] for t in texts]
        known = self.vectors.vectors_for_hashes(hashes) if texts else {}
        todo: dict[str, str] = {}
        for text, h in zip(texts, hashes):
            if h not in known:
                todo.setdefault(h, text)
        fresh = self.embedder.embed_documents(list(todo.values())) if todo else []
        known.update(zip(todo.keys(), fresh))
        return [known[h] for h in hashes], hashes, len(texts) - len(todo)

    def write_documents(self, items: Sequence[tuple[Document, Sequence[Chunk], Sequence[Sequence[float]],
                                                    Sequence[str] | None]]) -> None:
        """Store documents with their chunks and vectors: each marked in flight, all vectors
        written (one Chroma call), then each document committed to the catalog on its own,
        which makes it visible, then the vectors of versions they replaced deleted. A kill at
        any point leaves each document's old or new version visible, never half of one; the
        next sync finishes the clean-up."""
        if not items:
            return
        for doc, *_ in items:
            self.catalog.mark_inflight(doc.doc_id)
        chunks = [c for _, cs, _, _ in items for c in cs]
        vectors = [v for _, _, vs, _ in items for v in vs]
        hashes = None if any(h is None for *_, h in items) else [x for *_, hs in items for x in hs]
        self.vectors.upsert(chunks, vectors, hashes)
        replaced = False
        for doc, cs, _, _ in items:
            replaced |= bool(self.catalog.replace_document(doc, cs))
        if replaced:
            self.flush_pending()

    def remove_sources(self, sources: Iterable[str]) -> list[str]:
        removed = self.catalog.remove_sources(sources)
        self.flush_pending()
        return removed

    def flush_pending(self) -> None:
        """Delete the vectors of replaced or removed documents (idempotent)."""
        pending = self.catalog.pending_deletes()
        if pending:
            self.vectors.delete_docs(pending)
            self.catalog.clear_pending(pending)

    @contextmanager
    def writer(self):
        """One writer at a time per index folder (readers are never blocked)."""
        import fcntl

        path = Path(self.catalog.path).with_name("ingest.lock")
        with open(path, "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                raise StoreUnavailableError(
                    f"Another ingest is writing to {path.parent} right now. Wait for it to "
                    "finish (questions can still be asked meanwhile), then run this again."
                ) from exc
            try:
                yield self
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def open_index(path: str | Path | None, embedder, chroma_url: str | None = None,
               collection: str = "inspectbot") -> Index:
    """Open (creating if needed) the index in folder ``path``.

    With ``chroma_url`` the vectors live on a Chroma server and ``path`` holds only the catalog.
    """
    if path is None:
        raise StoreUnavailableError("No index folder given: pass --index DIR or set INSPECTBOT_INDEX.")
    folder = Path(path).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailableError(
            f"Cannot create the index folder {folder}: {exc.strerror}. Choose another with --index."
        ) from exc
    catalog = Catalog(folder / "catalog.sqlite3")
    client = make_client(path=str(folder / "chroma"), url=chroma_url)
    vectors = VectorStore(client, embedder.name, _dimension(embedder), name=collection)
    return Index(catalog, vectors, embedder)


def _dimension(embedder) -> int:
    dim = getattr(embedder, "dimension", None)
    return int(dim) if dim else len(embedder.embed_query("dimension probe"))

"""Folder sync: content hashes, add / replace / prune, in parallel, with progress.

Unchanged files (same content hash at the same source path) are skipped without being parsed.
Parsing runs in a worker process while the main process embeds and writes, so the embedder,
the slowest stage, is kept busy.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from index.api import Index
from index.types import Chunk, Document
from index.vocab import human_date
from ingest.chunk import chunk_document, embedding_text
from ingest.facts import extract_facts
from ingest.load import LoadError, load

log = logging.getLogger(__name__)

EMBED_POOL = 256  # passages embedded per call, across files

REPORT_LABELS = {
    "ilacs": "children's services inspection",
    "children_services_older": "children's services inspection",
    "area_send": "area SEND inspection",
    "school": "school inspection",
    "care_home": "care home inspection",
    "other": "report",
}


@dataclass(frozen=True)
class FileResult:
    source: str
    status: str  # added, updated, unchanged, failed, removed
    reason: str = ""
    pages: int = 0
    chunks: int = 0


@dataclass
class SyncSummary:
    results: list[FileResult] = field(default_factory=list)
    reused: int = 0  # passages whose vector was already stored, so not embedded again

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def chunks(self) -> int:
        return sum(r.chunks for r in self.results if r.status in ("added", "updated"))

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.results if r.status in ("added", "updated"))

    def lines(self) -> list[str]:
        out = [f"added {self.count('added')}, updated {self.count('updated')}, unchanged "
               f"{self.count('unchanged')}, removed {self.count('removed')}, failed "
               f"{self.count('failed')}; {self.pages} pages, {self.chunks} chunks stored"
               + (f" ({self.reused} reused a stored vector)" if self.reused else "")]
        out += [f"failed: {r.reason}" for r in self.failed]
        return out


@dataclass(frozen=True)
class SourceFile:
    path: Path
    root: Path
    source: str  # path relative to root, POSIX separators, spelled as on disk


def discover(paths: Iterable[str | Path]) -> tuple[list[SourceFile], list[FileResult]]:
    """Files to ingest under ``paths`` (folders recursively, hidden files skipped)."""
    found: list[SourceFile] = []
    problems: list[FileResult] = []
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            found.append(SourceFile(p, p.parent, p.name))
        elif p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                for d in sorted(dirnames):
                    if not d.startswith(".") and os.path.islink(os.path.join(dirpath, d)):
                        rel = Path(dirpath, d).relative_to(p).as_posix()
                        problems.append(FileResult(rel, "failed", f"{Path(dirpath, d)}: is a link to a "
                                                   "folder, which is not followed (links can loop). "
                                                   "Copy the folder in, or ingest its target directly."))
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and not os.path.islink(os.path.join(dirpath, d)))
                for name in sorted(filenames):
                    if name.startswith(".") or name.lower() == "readme.md":
                        continue
                    f = Path(dirpath) / name
                    if not f.is_file():
                        problems.append(FileResult(str(f.relative_to(p)), "failed",
                                                   f"{f}: is a broken link or not a regular file."))
                        continue
                    if f.is_symlink() and p.resolve() not in f.resolve().parents:
                        problems.append(FileResult(str(f.relative_to(p)), "failed",
                                                   f"{f}: is a link to a file outside the folder "
                                                   f"({f.resolve()}), which is not followed. Copy "
                                                   "the file in, or ingest its folder directly."))
                        continue
                    found.append(SourceFile(f, p, f.relative_to(p).as_posix()))
        else:
            problems.append(FileResult(str(p), "failed", f"{p}: no such file or folder."))
    return found, problems


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def doc_id_for(source: str, content_hash: str) -> str:
    return hashlib.sha1(f"{source}\0{content_hash}".encode()).hexdigest()[:20]


def read_facts(pages, source: str, kind: str, file_title: str) -> tuple[dict, dict, str]:
    facts, spans = extract_facts(pages, source)
    facts["report_label"] = REPORT_LABELS.get(str(facts.get("report_type")), "report")
    facts["kind"] = kind
    return facts, spans, _title(facts, file_title, source)


def parse_file(sf: SourceFile, content_hash: str) -> tuple[Document, list[Chunk]]:
    """Load, extract facts and chunk one file (runs in a worker process)."""
    loaded = load(sf.path)
    facts, spans, title = read_facts(loaded.pages, sf.source, loaded.kind, loaded.title)
    doc_id = doc_id_for(sf.source, content_hash)
    doc = Document(doc_id=doc_id, source=sf.source, content_hash=content_hash, title=title,
                   pages=loaded.pages, facts=facts, fact_spans=spans, root=str(sf.root))
    chunks = chunk_document(doc_id, sf.source, loaded.pages, loaded.paged, facts)
    return doc, chunks


def refresh_facts(index: Index, progress: bool | None = None) -> int:
    """Re-read every stored document's facts from its stored page text, after the extractor
    improved: no file is re-read and nothing is re-embedded. Returns the number of documents."""
    from tqdm import tqdm

    with index.writer():
        docs = index.catalog.documents()
        for d in tqdm(docs, unit="report", desc="facts", disable=not progress if progress is not None else None):
            full = index.catalog.document(d.doc_id)
            facts, spans, title = read_facts(full.pages, d.source, str(d.facts.get("kind", "")), d.title)
            index.catalog.update_facts(d.doc_id, title, facts, spans)
            index.vectors.update_metadata(index.catalog.doc_chunks(d.doc_id))
        return len(docs)


def _title(facts: dict, pdf_title: str, source: str) -> str:
    if facts.get("provider"):
        label = REPORT_LABELS.get(str(facts.get("report_type")), "report")
        when = human_date(facts.get("inspection_end") or facts.get("published"))
        return f"{facts['provider']}: {label}{', ' + when if when else ''}"
    return pdf_title or Path(source).stem


def _parse_safe(sf: SourceFile, content_hash: str):
    try:
        return parse_file(sf, content_hash)
    except LoadError as exc:
        return exc
    except Exception as exc:  # a parser bug must not stop the run
        return LoadError(sf.path, f"could not be read ({type(exc).__name__}: {exc}).",
                         "Please report this file.")


def sync(index: Index, paths: Iterable[str | Path], prune: bool = False, workers: int = 1,
         progress: bool | None = None, on_result: Callable[[FileResult], None] | None = None
         ) -> SyncSummary:
    """Bring the index in line with the files under ``paths``."""
    with index.writer():
        return _sync(index, list(paths), prune, workers, progress, on_result)


def _sync(index, paths, prune, workers, progress, on_result) -> SyncSummary:
    from tqdm import tqdm

    summary = SyncSummary()
    index.flush_pending()  # finishes what a killed ingest left
    files, problems = discover(paths)
    summary.results.extend(problems)
    stored = index.catalog.hashes()
    todo: list[tuple[SourceFile, str]] = []
    for sf in files:
        try:
            h = file_hash(sf.path)
        except OSError as exc:
            summary.results.append(FileResult(sf.source, "failed", f"{sf.path}: cannot be read ({exc.strerror})."))
            continue
        if sf.source in stored and stored[sf.source][1] == h:
            summary.results.append(FileResult(sf.source, "unchanged"))
        else:
            todo.append((sf, h))
    bar = tqdm(total=len(todo), unit="file", desc="ingest", disable=not progress if progress is not None else None)
    state = {"pages": 0}

    def record(result: FileResult) -> None:
        summary.results.append(result)
        if on_result:
            on_result(result)
        state["pages"] += result.pages
        bar.set_postfix(pages=state["pages"], failed=summary.count("failed"))
        bar.update(1)

    pool: list[tuple[SourceFile, Document, list[Chunk]]] = []
    for (sf, h), parsed in zip(todo, _parsed(todo, workers)):
        if isinstance(parsed, LoadError):
            log.warning("skipped %s", parsed.message)
            record(FileResult(sf.source, "failed", parsed.message))
            continue
        log.debug("parsed %s", sf.source)
        pool.append((sf, *parsed))
        if sum(len(chunks) for _, _, chunks in pool) >= EMBED_POOL:
            _write_pool(index, pool, stored, summary, record)
            pool = []
    _write_pool(index, pool, stored, summary, record)
    bar.close()
    if prune:
        roots = {str(Path(p)) for p in paths if Path(p).is_dir()}
        seen = {sf.source for sf in files}
        root_of = {d.source: str(Path(d.root)) for d in index.catalog.documents()}
        gone = [s for s in stored if s not in seen and root_of.get(s) in roots]
        for source in index.remove_sources(gone):
            summary.results.append(FileResult(source, "removed"))
    return summary


def _write_pool(index: Index, pool, stored, summary: SyncSummary, record) -> None:
    """Embed the passages of several parsed files in one call (sorted by length across files,
    so batches carry little padding), then store each file in its own commit."""
    if not pool:
        return
    texts = [embedding_text(c) for _, _, chunks in pool for c in chunks]
    log.debug("embedding %d passages of %d files", len(texts), len(pool))
    vectors, hashes, reused = index.embed_passages(texts)
    summary.reused += reused
    at, items = 0, []
    for _, doc, chunks in pool:
        n = len(chunks)
        items.append((doc, chunks, vectors[at : at + n], hashes[at : at + n]))
        at += n
    log.debug("writing %s", ", ".join(sf.source for sf, _, _ in pool))
    index.write_documents(items)
    for sf, doc, chunks in pool:
        status = "updated" if sf.source in stored else "added"
        record(FileResult(sf.source, status, pages=len(doc.pages), chunks=len(chunks)))


def _exit_with_parent(parent: int) -> None:
    """In a parser worker: leave as soon as the ingest that started it is gone (killed), rather
    than linger."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _parsed(todo: list[tuple[SourceFile, str]], workers: int) -> Iterator:
    if workers <= 0 or len(todo) <= 1:
        for sf, h in todo:
            yield _parse_safe(sf, h)
        return
    # spawn, not fork: the parent holds torch's thread pools, which do not survive a fork
    ctx = multiprocessing.get_context("spawn")
    pending = list(todo)
    while pending:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                 initializer=_exit_with_parent, initargs=(os.getpid(),)) as pool:
            window = max(4, workers * 4)
            futures: list[Future] = [pool.submit(_parse_safe, *item) for item in pending[:window]]
            queued = len(futures)
            try:
                while futures:
                    result = futures[0].result()
                    futures.pop(0)
                    pending.pop(0)
                    queued -= 1
                    if queued < len(pending):
                        futures.append(pool.submit(_parse_safe, *pending[queued]))
                        queued += 1
                    yield result
            except BrokenProcessPool:
                # the parser crashed on this file (a native library fault): report it, go on
                sf, _ = pending.pop(0)
                yield LoadError(sf.path, "crashed the PDF parser.", "Check the file; it may be damaged.")
                break

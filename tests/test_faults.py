"""Faults: ingest killed with SIGKILL while parsing, embedding and writing; questions answered
while an ingest runs; an LLM backend that is missing, refuses or hangs; an index from a newer
schema."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, SAMPLES, corpus_path
from index.api import open_index
from ingest.sync import sync
from test_api import Server, free_port

CORPUS_FILES = [
    "ofsted-ilacs/80548_salford/children's services inspection - 12 november 2018.pdf",
    "ofsted-ilacs/80548_salford/children's services inspection - 22 june 2015.pdf",
    "ofsted-ilacs/80579_wigan/children's services inspection - 05 july 2022.pdf",
    "ofsted-send/2637539_north northamptonshire/area send full inspection - 25 march 2024.pdf",
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("fault-reports")
    shutil.copytree(SAMPLES, root / "samples")
    for rel in CORPUS_FILES:
        src = corpus_path(rel)
        dst = root / "corpus" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
    return root


@pytest.fixture(scope="module")
def reference(folder, tmp_path_factory, embedder):
    """The index a clean, uninterrupted ingest gives: chunk ids per source."""
    index = open_index(tmp_path_factory.mktemp("reference"), embedder)
    assert not sync(index, [folder], workers=1, progress=False).failed
    return _state(index)


def _state(index) -> dict[str, set[str]]:
    return {d.source: {c.id for c in index.catalog.doc_chunks(d.doc_id)} for d in index.catalog.documents()}


def _check_consistent(index, reference) -> None:
    """What any reader may see at any moment: every committed document whole (exactly its
    chunks) and every committed chunk with its vector."""
    state = _state(index)
    for source, ids in state.items():
        assert ids == reference[source], f"{source} is half-stored"
    stored = set(index.vectors.collection.get(include=[])["ids"])
    assert set().union(*state.values()) <= stored, "a committed chunk has no vector"


def _ingest(index_dir: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "--index", str(index_dir), "-v", "ingest", str(folder)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _kill_after(proc: subprocess.Popen, marker: str, nth: int, delay: float) -> bool:
    """SIGKILL the ingest ``delay`` seconds after its ``nth`` log line holding ``marker``."""
    seen = 0
    for line in proc.stdout:
        if marker in line:
            seen += 1
            if seen == nth:
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=30)
                return True
    proc.wait(timeout=30)
    return False  # finished before the marker: nothing to kill


@pytest.mark.slow
def test_ingest_killed_at_random_points_finishes_exactly(folder, reference, tmp_path, embedder):
    rng = random.Random(int(os.environ.get("INSPECTBOT_FAULT_SEED", "6")))
    index_dir = tmp_path / "index"
    # parse, embed, write; then random points. Each run resumes what the last one left, so
    # the later markers may not come (the run finishes): most runs must really be killed.
    kills = [("parsed ", 1, 0.0), ("embedding ", 1, 0.05), ("writing ", 1, 0.0),
             ("writing ", 1, 0.02), ("embedding ", 1, rng.uniform(0, 0.5)),
             ("parsed ", rng.randint(1, 3), rng.uniform(0, 1.0)), ("writing ", 1, rng.uniform(0, 0.05))]
    killed = 0
    for marker, nth, delay in kills:
        proc = _ingest(index_dir, folder)
        killed += _kill_after(proc, marker, nth, delay)
        _check_consistent(open_index(index_dir, embedder), reference)
    assert killed >= 5, killed  # most runs really were killed part-way

    final = _ingest(index_dir, folder)
    out, _ = final.communicate(timeout=600)
    assert final.returncode == 0, out
    index = open_index(index_dir, embedder)
    assert _state(index) == reference  # exactly the right chunks
    all_ids = index.vectors.collection.get(include=[])["ids"]
    assert len(all_ids) == len(set(all_ids)) == sum(len(v) for v in reference.values())  # no strays
    assert index.catalog.pending_deletes() == []


@pytest.mark.slow
def test_questions_are_answered_while_an_ingest_runs(folder, tmp_path, embedder):
    from ui.app import create_app
    from ui.settings import Settings, build

    index_dir = tmp_path / "index"
    seed = open_index(index_dir, embedder)
    sync(seed, [SAMPLES], workers=0, progress=False)
    settings = Settings(index_dir=str(index_dir), rate_limit=0)
    _, answerer = build(settings)
    errors, answers = [], []
    stop = threading.Event()
    with Server(create_app(settings, answerer=answerer, mount_chat=False)) as url:
        def ask_loop():
            questions = ["How did Ofsted rate Brackenford's children's services?",
                         "How are medicines managed at Ashdown House?",
                         "What does Millbrook Primary School need to improve?"]
            with httpx.Client(base_url=url, timeout=60) as client:
                while not stop.is_set():
                    for q in questions:
                        r = client.post("/api/ask", json={"question": q})
                        if r.status_code != 200 or r.json()["abstained"] or not r.json()["citations"]:
                            errors.append((q, r.status_code, r.text[:200]))
                        answers.append(r.status_code)

        askers = [threading.Thread(target=ask_loop) for _ in range(3)]
        for t in askers:
            t.start()
        proc = _ingest(index_dir, folder / "corpus")
        out, _ = proc.communicate(timeout=600)
        stop.set()
        for t in askers:
            t.join(timeout=60)
    assert proc.returncode == 0, out
    assert len(answers) >= 10 and not errors, errors[:3]
    assert open_index(index_dir, embedder).catalog.counts()[0] == 3 + len(CORPUS_FILES)


# --- LLM backends that fail -------------------------------------------------------------------

def _silent_server():
    """A TCP server that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    conns = []
    threading.Thread(target=lambda: [conns.append(sock.accept()) for _ in iter(int, 1)], daemon=True).start()
    return sock, sock.getsockname()[1]


@pytest.mark.parametrize("kind", ["refused", "hangs", "missing"])
def test_unreachable_llm_falls_back_to_the_extractive_answer(kind, sample_answerer, tmp_path, caplog):
    from bot.llm import LLMAnswerer, LLMConfig, LLMUnavailable, make_chat_model
    from ui.app import create_app
    from ui.settings import Settings

    if kind == "missing":  # no model file: the app starts without the LLM and says why
        with pytest.raises(LLMUnavailable, match="could not start"):
            make_chat_model(LLMConfig("llamacpp", str(tmp_path / "nope.gguf")))
        return
    sock = None
    if kind == "refused":
        port = free_port()  # nothing listens there
    else:
        sock, port = _silent_server()
    model = make_chat_model(LLMConfig("openai", "m", f"http://127.0.0.1:{port}/v1", "k", timeout=2))
    settings = Settings(index_dir=str(tmp_path))
    app = create_app(settings, answerer=LLMAnswerer(sample_answerer, model), mount_chat=False)
    with Server(app) as url:
        t0 = time.perf_counter()
        with httpx.stream("POST", f"{url}/api/ask/stream", timeout=30,
                          json={"question": "How are medicines managed at Ashdown House?"}) as r:
            body = "".join(r.iter_text())
        took = time.perf_counter() - t0
    if sock:
        sock.close()
    assert r.status_code == 200 and "event: answer" in body and "event: done" in body
    assert '"citations": [{' in body  # the extractive answer, cited
    assert took < 10  # the timeout held: the chat does not hang
    assert any("LLM backend failed" in rec.getMessage() for rec in caplog.records)


def test_index_from_a_newer_schema_is_a_clear_error(tmp_path, embedder):
    from index.errors import IndexMismatchError
    from index.store import SCHEMA_VERSION

    index = open_index(tmp_path / "ix", embedder)
    index.vectors.collection.modify(metadata={**index.vectors.collection.metadata, "schema": SCHEMA_VERSION + 1})
    with pytest.raises(IndexMismatchError, match="newer inspectbot"):
        open_index(tmp_path / "ix", embedder)

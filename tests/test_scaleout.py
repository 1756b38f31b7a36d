"""Past one machine: vectors on a real `chroma run` server, two app instances sharing it, their
feedback and rate limits shared; the API fuzzed from its OpenAPI schema; a short load test."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, SAMPLES
from test_api import Server, free_port

BIN = Path(sys.executable).parent


def _wait(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:  # what it said, where it was kept, so a failure says why
            said = proc.stderr.read()[-2000:] if proc.stderr is not None else b""
            said = said.decode(errors="replace") if isinstance(said, bytes) else said
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}: {said}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    chroma = BIN / "chroma"
    if not chroma.exists():
        pytest.skip("the chroma CLI is not installed in this environment")
    port = free_port()
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path_factory.mktemp("chroma-server")),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _serve(env: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port)], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_two_instances_share_one_chroma_server(chroma_url, tmp_path, embedder):
    from index.api import open_index
    from ui.state import SharedState

    index_dir = tmp_path / "index"
    env = {"INSPECTBOT_INDEX": str(index_dir), "INSPECTBOT_CHROMA_URL": chroma_url,
           "INSPECTBOT_RATE_LIMIT": "5"}
    out = subprocess.run([sys.executable, "-m", "ui.cli", "ingest", str(SAMPLES)], cwd=ROOT,
                         env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert not (index_dir / "chroma").exists()  # the vectors are on the server, not here
    index = open_index(index_dir, embedder, chroma_url=chroma_url)
    assert index.vectors.count() == index.catalog.counts()[1] > 0
    hits = index.retriever().search("medicines were not stored safely", k=3)
    assert hits and any(h.rank_dense is not None for h in hits)  # dense search answered by the server

    ports = [free_port(), free_port()]
    procs = [_serve({**env, "INSPECTBOT_PORT": str(p)}, p) for p in ports]
    try:
        for p, proc in zip(ports, procs):
            _wait(f"http://127.0.0.1:{p}/healthz", proc, 180)
        a, b = (f"http://127.0.0.1:{p}" for p in ports)
        # both answer, from the same index, citing the same passages
        q = {"question": "How are medicines managed at Ashdown House?"}
        ra, rb = (httpx.post(f"{u}/api/ask", json=q, timeout=60).json() for u in (a, b))
        assert ra["citations"] and ra["citations"] == rb["citations"]
        # feedback on either instance's answer, given to the other, lands in the one shared store
        for url, answer in ((a, rb), (b, ra)):
            r = httpx.post(f"{url}/api/feedback", json={"answer_id": answer["id"], "rating": "up"})
            assert r.status_code == 201, r.text
        assert SharedState(index_dir / "state.sqlite3").feedback_count() == 2
        # one budget of 5 per client across both: 2 questions + 2 feedback + 1 more, then 429
        assert httpx.post(f"{a}/api/ask", json=q, timeout=60).status_code == 200
        over = httpx.post(f"{b}/api/ask", json=q, timeout=60)
        assert over.status_code == 429 and int(over.headers["retry-after"]) >= 1
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)


# --- fuzzing ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_fuzz_the_api_from_its_openapi_schema(sample_answerer, sample_index, tmp_path):
    """schemathesis, bounded: every operation, up to 40 generated requests each; no 500s, and
    responses that do not break their schema."""
    from ui.app import create_app
    from ui.settings import Settings

    st = BIN / "schemathesis"
    if not st.exists():
        pytest.skip("schemathesis is not installed (make test installs it)")
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLES, reports)
    settings = Settings(index_dir=str(tmp_path), admin_token="fuzz-token", reports_dir=str(reports),
                        rate_limit=0)
    app = create_app(settings, answerer=sample_answerer, index=sample_index, mount_chat=False)
    report = tmp_path / "fuzz.json"
    with Server(app) as url:
        out = subprocess.run(
            [str(st), "run", f"{url}/openapi.json", "--checks", "not_a_server_error",
             "--max-examples", "40", "--seed", "7", "--request-timeout", "30",
             "--generation-deterministic", "--report", "ndjson", "--report-ndjson-path", str(report),
             "--exclude-path-regex", "^/api/admin/(reports|sync)$"],
            capture_output=True, text=True, timeout=900, cwd=tmp_path)
    print(out.stdout[-1500:])
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "passed" in out.stdout.lower()


# --- load -------------------------------------------------------------------------------------

QUESTIONS = [
    "How did Ofsted rate Brackenford's children's services?",
    "How are medicines managed at Ashdown House?",
    "What does Millbrook Primary School need to improve?",
    "Who led the Brackenford inspection?",
    "What is the capital of France?",
    "How do leaders check the quality of social work?",
]


@pytest.mark.slow
def test_twenty_clients_for_ten_seconds(sample_answerer, tmp_path):
    """The load test, short (bench/load.py runs it for 60 s on the whole corpus): 20 clients,
    mixed questions, bounded, no errors."""
    from ui.app import create_app
    from ui.settings import Settings

    lat, errors = [], []
    with Server(create_app(Settings(index_dir=str(tmp_path), rate_limit=0), answerer=sample_answerer,
                           mount_chat=False)) as url:
        stop = time.time() + 10

        def client(i: int) -> None:
            with httpx.Client(base_url=url, timeout=30) as c:
                n = i
                while time.time() < stop:
                    t = time.perf_counter()
                    r = c.post("/api/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]})
                    lat.append(time.perf_counter() - t)
                    if r.status_code != 200:
                        errors.append(r.status_code)
                    n += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert not errors and len(lat) > 100
    p95 = sorted(lat)[int(0.95 * len(lat))]
    print(json.dumps({"requests": len(lat), "p50_ms": statistics.median(lat) * 1e3, "p95_ms": p95 * 1e3}))


# --- worker processes -------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.slow
def test_serve_with_two_worker_processes(sample_index, tmp_path):
    """`inspectbot serve --workers 2`: two processes share the port and one rate-limit budget,
    neither loads torch (each holds only ONNX Runtime's model), and no client address is logged."""
    port = free_port()
    env = {"INSPECTBOT_INDEX": str(Path(sample_index.catalog.path).parent), "INSPECTBOT_RATE_LIMIT": "4",
           "INSPECTBOT_STATE_DB": str(tmp_path / "state.sqlite3"), "INSPECTBOT_LOG_LEVEL": "INFO"}
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port), "--workers", "2"],
                            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        _wait(f"http://127.0.0.1:{port}/healthz", proc, 180)
        url = f"http://127.0.0.1:{port}"
        for q in QUESTIONS[:4]:
            r = httpx.post(f"{url}/api/ask", json={"question": q}, timeout=60)
            assert r.status_code == 200 and "answer" in r.json(), r.text
        assert httpx.post(f"{url}/api/ask", json={"question": QUESTIONS[0]}, timeout=60).status_code == 429
        home = httpx.get(f"{url}/", timeout=30)  # the staff chat's sessions live in one process: not here
        assert home.status_code == 200 and "inspectbot serve --port 7861" in home.text and "gradio" not in home.text
        workers = [c for c in _children(proc.pid) if b"multiprocessing.spawn" in Path(f"/proc/{c}/cmdline").read_bytes()]
        assert len(workers) == 2
        for w in workers:
            maps = Path(f"/proc/{w}/maps").read_text()
            assert "onnxruntime" in maps and "libtorch" not in maps
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=60)
    assert "Brackenford" in err or "question" in err  # the app's own log is there
    assert "127.0.0.1:" not in err  # uvicorn's access log (client addresses) stays off

"""Load test on loopback: N concurrent clients asking real questions for a fixed time.

    .venv/bin/python bench/load.py --index DIR [--clients 20] [--seconds 60] [--slots N]
        [--questions FILE.jsonl] [--single] [--workers N] [--warmup SECONDS] [--cold-sentences]

Starts the real server (``inspectbot serve``, rate limit off, in its own process: ``--workers N``
runs N worker processes) on a free loopback port over the index in DIR, runs the clients until the time
is up (each request has a 30 s timeout, the run stops itself), and prints answers/s, errors,
latency p50/p95/p99, the server's resident memory (all its processes) and the CPU the server
and the clients used an answer (both run on the same cores).

``--questions`` is a JSONL file of ``{"question": ...}`` or ``{"turns": [...]}`` lines (the
dev sets' format). A conversation is asked turn by turn, the earlier turns sent as history with
the answers the server gave, as a chat client does; every turn counts as one answer. With
``--single`` only the one-question lines are asked. Without ``--questions`` the templated dev
questions are asked, mixed with a few broad ones.

The server writes its state file (feedback, question log) to a temporary file. It reads the
sentence vectors the ingest stored beside the index, as a deployed server does (and adds any
vector or sentence span that file lacks, as a deployed server would); with
``--cold-sentences`` (or INSPECTBOT_SENTENCE_CACHE set) it keeps them in a temporary file
instead, so every sentence a question ranks is embedded at answer time the first time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, SHARED, pct

BROAD = [
    "How do councils make sure care leavers have somewhere safe to live?",
    "What do inspectors say about social workers' caseloads?",
    "How well are children missing from home or care protected?",
    "Is my council's children's social care any good?",
    "What is the capital of France?",
]


def read_questions(path: Path, single: bool = False) -> list[list[str]]:
    """Each line's turns (a one-question line is a conversation of one turn)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{n}: not JSON ({exc.msg}); each line must be one JSON object")
        turns = row.get("turns") if isinstance(row, dict) else None
        question = row.get("question") if isinstance(row, dict) else None
        if turns:
            if not isinstance(turns, list) or not all(isinstance(t, str) and t.strip() for t in turns):
                raise SystemExit(f"{path}:{n}: 'turns' must be a list of questions (strings)")
            if not single:
                out.append(list(turns))
        elif isinstance(question, str) and question.strip():
            out.append([question])
        else:
            raise SystemExit(f"{path}:{n}: needs a 'question' (string) or 'turns' (list of strings)")
    if not out:
        raise SystemExit(f"{path}: no questions to ask")
    return out


def process_tree(pid: int) -> dict[int, list[str]]:
    """``{pid: fields of /proc/PID/stat after the name}`` for ``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(stat.parent.name)] = fields
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = {}, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        if p in stats:
            tree[p] = stats[p]
    return tree


def server_rss_mb(pid: int, field: str = "VmRSS:") -> float:
    """Resident memory of process ``pid`` and all its descendants (uvicorn's workers), in MB.
    ``field="Pss:"`` counts each shared page once over the processes that share it (libraries,
    pages a forked worker has not written), so the sum is what they hold together."""
    total = 0.0
    for p in process_tree(pid):
        try:
            where = "status" if field == "VmRSS:" else "smaps_rollup"
            for line in Path(f"/proc/{p}/{where}").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def server_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and all its descendants."""
    tick = os.sysconf("SC_CLK_TCK")  # utime and stime: fields 14 and 15 of /proc/PID/stat
    return sum(int(f[11]) + int(f[12]) for f in process_tree(pid).values()) / tick


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index: str, workers: int, slots: int, state_db: str,
                 cold_sentences: bool = False) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "INSPECTBOT_INDEX": index, "INSPECTBOT_RATE_LIMIT": "0",
           "INSPECTBOT_STATE_DB": state_db, "INSPECTBOT_LOG_LEVEL": "WARNING",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    if cold_sentences and not env.get("INSPECTBOT_SENTENCE_CACHE"):
        # sentence vectors start empty, in a file the workers share
        env["INSPECTBOT_SENTENCE_CACHE"] = state_db.replace("state", "sentences")
    if slots:
        env["INSPECTBOT_ANSWER_SLOTS"] = str(slots)
    cmd = [sys.executable, "-m", "ui.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers)]  # the real command (one worker: with the chat page)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    return proc, f"http://127.0.0.1:{port}"


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 300) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode} before it answered")
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server did not answer /healthz within {timeout:.0f} s")


def ask_all(url: str, conversations: list[list[str]], clients: int, seconds: float):
    """``clients`` threads asking conversations in turn until ``seconds`` are up: latencies in
    ms, errors, and the wall time."""
    import httpx

    lat: list[float] = []
    errors: list[str] = []
    stop = time.time() + seconds

    def client(i: int) -> None:
        n = i * 37
        with httpx.Client(base_url=url, timeout=30) as c:
            while time.time() < stop:
                turns = conversations[n % len(conversations)]
                n += 1
                history: list[dict] = []
                for q in turns:
                    if time.time() >= stop:
                        break
                    t = time.perf_counter()
                    try:
                        r = c.post("/api/ask", json={"question": q, "history": history})
                        if r.status_code != 200:
                            errors.append(f"{r.status_code} {q[:60]}")
                            break
                        answer = r.json().get("answer", "")
                    except (httpx.HTTPError, ValueError) as exc:
                        errors.append(f"{type(exc).__name__} {q[:60]}")
                        break
                    finally:
                        lat.append((time.perf_counter() - t) * 1e3)
                    history += [{"role": "user", "content": q}, {"role": "assistant", "content": answer}]

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    return lat, errors, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--questions", help="JSONL of 'question' or 'turns' lines (default: the templated dev set)")
    ap.add_argument("--single", action="store_true", help="only the one-question lines of --questions")
    ap.add_argument("--slots", type=int, default=0,
                    help="questions worked on at once per process (INSPECTBOT_ANSWER_SLOTS; 0: one per core)")
    ap.add_argument("--workers", type=int, default=1, help="server processes (inspectbot serve --workers)")
    ap.add_argument("--warmup", type=float, default=0,
                    help="seconds of the same load before the timed run, not counted (a server that has "
                         "been up a while: the questions' and sentences' vectors already kept)")
    ap.add_argument("--cold-sentences", action="store_true",
                    help="keep sentence vectors in a new temporary file, not the index's own (every "
                         "sentence ranked is embedded at answer time the first time)")
    args = ap.parse_args(argv)
    import httpx

    if args.questions:
        conversations = read_questions(Path(args.questions), args.single)
    else:
        conversations = read_questions(SHARED / "eval" / "dev_questions.jsonl", single=True)
        conversations += [[q] for q in BROAD * 20]
    random.Random(1).shuffle(conversations)
    turns = sum(len(c) for c in conversations)
    with tempfile.TemporaryDirectory(prefix="inspectbot-load-") as tmp:
        proc, url = start_server(args.index, args.workers, args.slots, str(Path(tmp) / "state.sqlite3"),
                                  args.cold_sentences)
        try:
            wait_ready(url, proc)
            for _ in range(2 * args.workers):  # each worker's first question (catalog, classifier) untimed
                httpx.post(f"{url}/api/ask", json={"question": conversations[0][0]}, timeout=120)
            if args.warmup:
                ask_all(url, conversations, args.clients, args.warmup)
            cpu0, own0 = server_cpu_s(proc.pid), time.process_time()
            lat, errors, wall = ask_all(url, conversations, args.clients, args.seconds)
            cpu, own = server_cpu_s(proc.pid) - cpu0, time.process_time() - own0
            rss, pss = server_rss_mb(proc.pid), server_rss_mb(proc.pid, "Pss:")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    v = sorted(lat) or [0.0]
    print(f"questions         {args.questions or 'templated dev set + broad'}: {len(conversations)} "
          f"conversations, {turns} turns{' (single turns only)' if args.single else ''}")
    print(f"server            {args.workers} worker process(es), answer slots: {args.slots or 'one per core'}")
    print(f"clients           {args.clients}" + (f" (after {args.warmup:.0f} s of warm-up, not counted)" if args.warmup else ""))
    print(f"duration          {wall:.1f} s")
    print(f"answers           {len(lat) - len(errors)} ({(len(lat) - len(errors)) / wall:.1f}/s)")
    print(f"errors            {len(errors)}")
    print(f"latency ms        p50 {statistics.median(v):.1f}  p95 {pct(v, 0.95):.1f}  p99 {pct(v, 0.99):.1f}  max {v[-1]:.1f}")
    print(f"server memory     {rss:.0f} MB resident (all server processes), {pss:.0f} MB proportional "
          f"(shared pages counted once)")
    answered = max(1, len(lat) - len(errors))
    print(f"CPU               server {1e3 * cpu / answered:.1f} ms an answer ({cpu / wall:.2f} cores); "
          f"these clients {1e3 * own / answered:.1f} ms an answer ({own / wall:.2f} cores)")
    print(f"machine load      {os.getloadavg()[0]:.2f} (1-minute average at the end, {os.cpu_count()} cores)")
    for e in errors[:10]:
        print(f"error             {e}")


if __name__ == "__main__":
    main()

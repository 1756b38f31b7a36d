"""bench/load.py: conversations asked turn by turn against a real server process."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT



def _bench_load():
    """bench/load.py as a module, with bench/ on the path only while it is imported: left there,
    bench/ingest.py would shadow the ingest package in every process started after."""
    import importlib.util

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_questions_file_reads_conversations_and_single_turns(tmp_path):
    read_questions = _bench_load().read_questions

    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "a", "question": "how is brackenford?"}\n\n'
                    '{"id": "b", "turns": ["how is brackenford?", "and its care leavers?"]}\n')
    assert read_questions(path) == [["how is brackenford?"], ["how is brackenford?", "and its care leavers?"]]
    assert read_questions(path, single=True) == [["how is brackenford?"]]
    path.write_text('{"id": "c", "turns": "not a list"}\n')
    with pytest.raises(SystemExit, match=r"q.jsonl:1: 'turns' must be a list"):
        read_questions(path)
    path.write_text('{"id": "d"}\n')
    with pytest.raises(SystemExit, match=r"q.jsonl:1: needs a 'question'"):
        read_questions(path)


def test_load_run_asks_conversations_and_reports_server_memory(sample_index, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(r) for r in [
        {"question": "How did Ofsted rate Brackenford's children's services?"},
        {"turns": ["How did Ofsted rate Brackenford's children's services?", "What about care leavers there?"]},
    ]) + "\n")
    folder = sample_index.catalog.path.rsplit("/", 1)[0]
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--index", folder, "--clients", "2",
                          "--seconds", "4", "--questions", str(questions)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    text = out.stdout
    assert "2 conversations, 3 turns" in text
    assert re.search(r"errors\s+0\n", text), text
    answers = int(re.search(r"answers\s+(\d+)", text).group(1))
    assert answers >= 3
    assert re.search(r"latency ms\s+p50 [\d.]+\s+p95 [\d.]+\s+p99 [\d.]+", text)
    rss = float(re.search(r"server memory\s+(\d+) MB", text).group(1))
    assert rss > 100  # the server process with its model, not this one
    server_ms, client_ms = (float(x) for x in re.search(
        r"CPU\s+server ([\d.]+) ms an answer .*; these clients ([\d.]+) ms an answer", text).groups())
    assert server_ms > 0.5 and client_ms > 0  # the server's own processes answered, the clients asked

"""The installed ``inspectbot`` command, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES

BIN = Path(sys.executable).parent / "inspectbot"


def run(*args, env=None, check=True):
    e = dict(os.environ, **(env or {}))
    p = subprocess.run([str(BIN), *args], capture_output=True, text=True, env=e, timeout=300)
    if check and p.returncode not in (0, 1):
        raise AssertionError(p.stderr)
    return p


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory):
    if not BIN.exists():
        pytest.skip("inspectbot is not installed in this environment (run make test)")
    return tmp_path_factory.mktemp("cli") / "index"


def test_ingest_ask_and_json(cli_index, tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(SAMPLES, folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    p = run("--index", str(cli_index), "ingest", str(folder))
    assert p.returncode == 1  # something failed, and the exit status says so
    assert "added 3" in p.stdout and "failed 1" in p.stdout
    assert "broken.pdf" in p.stdout and "damaged" in p.stdout

    again = run("ingest", str(folder), env={"INSPECTBOT_INDEX": str(cli_index)})
    assert "unchanged 3" in again.stdout

    p = run("--index", str(cli_index), "ask", "Who was the lead inspector for Brackenford?")
    assert p.returncode == 0 and "Miriam Oduya" in p.stdout
    assert "[1] brackenford-childrens-services-2025.pdf, page 1" in p.stdout

    p = run("--index", str(cli_index), "ask", "--json", "How did Ofsted rate Brackenford?")
    data = json.loads(p.stdout)
    assert data["abstained"] is False and data["citations"][0]["page"] == 1


def test_errors_are_messages_not_tracebacks(tmp_path):
    if not BIN.exists():
        pytest.skip("inspectbot is not installed")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    p = run("--index", str(blocker / "index"), "ask", "anything", check=False)
    assert p.returncode == 2 and p.stderr.startswith("error: ") and "Traceback" not in p.stderr


def test_ingest_fills_the_sentence_vectors_and_sentences_backfills(tmp_path):
    if not BIN.exists():
        pytest.skip("inspectbot is not installed in this environment (run make test)")
    import sqlite3

    index = tmp_path / "index"
    p = run("--index", str(index), "ingest", "--no-sentences", str(SAMPLES))
    assert p.returncode == 0 and "sentence vectors" not in p.stdout
    p = run("--index", str(index), "sentences")  # an index ingested without them
    assert p.returncode == 0 and " 0 already stored" in p.stdout, p.stdout
    stored = sqlite3.connect(index / "sentences.sqlite3").execute("SELECT count(*) FROM sentence_vectors").fetchone()[0]
    assert stored > 20 and f"sentence vectors: {stored} sentences, {stored} embedded now" in p.stdout
    again = tmp_path / "again"
    p = run("--index", str(again), "ingest", str(SAMPLES))  # the ingest fills them itself
    assert p.returncode == 0 and f"sentence vectors: {stored} embedded ({stored} sentences" in p.stdout, p.stdout
    p = run("--index", str(again), "sentences")
    assert f"0 embedded now, {stored} already stored" in p.stdout

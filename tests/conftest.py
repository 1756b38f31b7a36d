"""Shared fixtures. Every test runs with the network blocked except loopback, so nothing can
silently download (models, telemetry, fonts)."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = Path(os.environ.get("INSPECTBOT_CORPUS", ROOT.parent / "shared" / "corpus"))

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _allowed(sock: socket.socket, address) -> bool:
    if sock.family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _allowed(self, address):
        raise ConnectionRefusedError(f"tests may only connect to loopback, not {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if not _allowed(self, address):
        raise ConnectionRefusedError(f"tests may only connect to loopback, not {address!r}")
    return _real_connect_ex(self, address)


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex


def corpus_path(*parts: str) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real corpus not found at {path} (set INSPECTBOT_CORPUS to its folder)")
    return path


SALFORD_2018 = "ofsted-ilacs/80548_salford/children's services inspection - 12 november 2018.pdf"
SALFORD_2015 = "ofsted-ilacs/80548_salford/children's services inspection - 22 june 2015.pdf"
BAD_HTML_PDF = "ofsted-ilacs/80429_birmingham/children's services inspection - 19 october 2012.pdf"
SCHOOL = "ofsted-schools/139305 rough hay primary school - november 2016.pdf"
SEND_NN = "ofsted-send/2637539_north northamptonshire/area send full inspection - 25 march 2024.pdf"

# A representative subset of the real corpus: ILACS and older-framework reports of several
# councils (similar wording), an area SEND report and the same council's children's services
# reports (one of 2026, with no overall grade), a two-column school report, a press release,
# and a real HTML error page saved as .pdf.
SUBSET = [
    "ofsted-ilacs/80548_salford",
    "ofsted-ilacs/80579_wigan",
    "ofsted-ilacs/80429_birmingham",
    "ofsted-send/2637539_north northamptonshire",
    "ofsted-ilacs/2637539_north northamptonshire",
    "ofsted-schools",
    "press",
]


@pytest.fixture(scope="session")
def embedder():
    from index.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, embedder):
    from index.api import open_index
    from ingest.sync import sync

    folder = tmp_path_factory.mktemp("sample-index")
    index = open_index(folder, embedder)
    summary = sync(index, [SAMPLES], workers=0, progress=False)
    assert not summary.failed, summary.lines()
    return index


@pytest.fixture(scope="session")
def corpus_subset(tmp_path_factory):
    """A copy of the subset's folder structure (symlinked files), so that sources are spelled
    relative to one ingested folder, as in the real corpus."""
    if not CORPUS.exists():
        pytest.skip(f"real corpus not found at {CORPUS} (set INSPECTBOT_CORPUS to its folder)")
    root = tmp_path_factory.mktemp("corpus-subset")
    for rel in SUBSET:
        src = CORPUS / rel
        dst = root / rel
        dst.mkdir(parents=True, exist_ok=True)
        for f in sorted(src.iterdir()):
            if f.is_file():
                shutil.copyfile(f, dst / f.name)
    return root


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, embedder, corpus_subset):
    from index.api import open_index
    from ingest.sync import sync

    folder = tmp_path_factory.mktemp("corpus-index")
    index = open_index(folder, embedder)
    summary = sync(index, [corpus_subset], workers=1, progress=False)
    index.summary = summary
    return index


@pytest.fixture(scope="session")
def corpus_answerer(corpus_index):
    from bot.answer import Answerer

    return Answerer(corpus_index.catalog, corpus_index.retriever())


@pytest.fixture(scope="session")
def sample_answerer(sample_index):
    from bot.answer import Answerer

    return Answerer(sample_index.catalog, sample_index.retriever())

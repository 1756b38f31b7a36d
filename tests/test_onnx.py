"""The ONNX Runtime backend: the same model exported offline, the same vectors (fp32) or close
ones (int8), and a clear error for an unknown backend."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embed import SentenceTransformerEmbedder
from index.errors import InspectbotError

TEXTS = ["Care leavers have suitable places to live.", "How well are children missing from care protected?",
         "Leaders have not acted quickly enough on the findings of audits, and caseloads remain high."]


@pytest.fixture()
def onnx_folder(tmp_path, monkeypatch):
    monkeypatch.setattr("index.onnx.default_folder", lambda: tmp_path / "onnx")
    return tmp_path / "onnx"


def test_onnx_vectors_match_torch(embedder, onnx_folder):
    want = np.asarray(embedder.embed_documents(TEXTS))
    fp32 = np.asarray(SentenceTransformerEmbedder(backend="onnx").embed_documents(TEXTS))
    int8 = np.asarray(SentenceTransformerEmbedder(backend="onnx-int8").embed_documents(TEXTS))
    assert fp32.shape == want.shape == int8.shape
    assert (fp32 * want).sum(1).min() > 0.999  # (bf16 torch against fp32 ONNX)
    assert (int8 * want).sum(1).min() > 0.97
    assert np.allclose(np.linalg.norm(int8, axis=1), 1, atol=1e-4)
    assert sorted(p.name for p in onnx_folder.iterdir() if p.suffix == ".onnx")[0].startswith("all-MiniLM-L6-v2")


def test_unknown_backend_is_named():
    with pytest.raises(InspectbotError, match="INSPECTBOT_EMBED_BACKEND"):
        SentenceTransformerEmbedder(backend="tensorrt")


def test_auto_embeds_questions_and_small_batches_by_onnx_and_large_batches_by_torch(embedder, onnx_folder):
    auto = SentenceTransformerEmbedder(backend="auto")
    torch_only = SentenceTransformerEmbedder(backend="torch")
    q = np.asarray(auto.embed_query(TEXTS[1]))
    assert auto._onnx is not None and auto._onnx is not False  # the question went through ONNX Runtime
    assert float(q @ np.asarray(torch_only.embed_query(TEXTS[1]))) > 0.9999
    small = np.asarray(auto.embed_documents(TEXTS))  # an answer's few sentences: ONNX Runtime, torch not loaded
    assert auto._model is None and auto.dimension == 384  # (torch's model is loaded on first use: not used here)
    want = np.asarray(torch_only.embed_documents(TEXTS))
    # the same vectors to cosine 0.9999; how close past that depends on the CPU (on some, within 1e-6 each)
    assert (small * want).sum(1).min() > 0.9999
    many = TEXTS * 20  # past SMALL_BATCH: torch, as ingest embeds
    assert np.allclose(auto.embed_documents(many), torch_only.embed_documents(many), atol=1e-6)
    assert auto._model is not None


def test_a_process_that_only_answers_never_loads_torch(sample_index):
    """The serving path (questions, the sentences an answer ranks, the store's dimension) by ONNX
    Runtime and the tokenizers library: no torch, transformers or sentence-transformers in memory."""
    import subprocess
    import sys

    from conftest import ROOT

    folder = Path(sample_index.catalog.path).parent
    script = (
        "import sys; from index.api import open_index; from index.embed import SentenceTransformerEmbedder\n"
        "from bot.answer import Answerer\n"
        f"index = open_index({str(folder)!r}, SentenceTransformerEmbedder())\n"
        "a = Answerer(index.catalog, index.retriever())\n"
        "for q in ('How good is children\\'s social care in Brackenford?', 'what does Millbrook Primary need to improve?',"
        " 'what do inspectors say about care leavers in Brackenford?'):\n"
        "    assert a.ask(q).citations, q\n"
        "assert index.sentences('').vectors(['A sentence no report holds, embedded now.']).shape == (1, 384)\n"
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers', 'sklearn') if m in sys.modules))\n")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_auto_falls_back_to_torch_when_onnx_cannot_be_had(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise InspectbotError("The ONNX embedder needs the packages onnx and onnxruntime")

    monkeypatch.setattr("index.onnx.OnnxEncoder", refuse)
    auto = SentenceTransformerEmbedder(backend="auto")
    v = np.asarray(auto.embed_query(TEXTS[0]))
    assert auto._onnx is False and "question vectors by torch" in caplog.text
    assert np.allclose(v, SentenceTransformerEmbedder(backend="torch").embed_documents(TEXTS[:1])[0], atol=1e-6)
    auto.embed_query(TEXTS[2])  # said once, not tried again
    assert caplog.text.count("question vectors by torch") == 1


def test_auto_int8_embeds_questions_by_the_int8_graph_and_batches_by_torch(embedder, onnx_folder):
    fast = SentenceTransformerEmbedder(backend="auto-int8")
    torch_only = SentenceTransformerEmbedder(backend="torch")
    q = np.asarray(fast.embed_query(TEXTS[1]))
    assert fast._onnx and any(p.name.endswith("-int8.onnx") for p in onnx_folder.iterdir())
    close = float(q @ np.asarray(torch_only.embed_query(TEXTS[1])))
    assert 0.97 < close < 0.99999  # near torch's vector, but not the float32 graph's
    assert np.allclose(fast.embed_documents(TEXTS), torch_only.embed_documents(TEXTS), atol=1e-6)  # batches: torch


def test_a_static_model_folder_embeds_with_bf16_asked(tmp_path):
    """Any sentence-transformers folder is a model setting: a static (model2vec-style) model,
    whose float16 tables fail under bfloat16 autocast, embeds in fp32 instead of crashing."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import StaticEmbedding
    from tokenizers import Tokenizer

    from index.embed import resolve_model_path

    tok = Tokenizer.from_file(f"{resolve_model_path('all-MiniLM-L6-v2')}/tokenizer.json")
    table = torch.randn(tok.get_vocab_size(), 32).to(torch.float16)
    SentenceTransformer(modules=[StaticEmbedding(tok, embedding_weights=table)]).save(str(tmp_path / "static"))
    e = SentenceTransformerEmbedder(str(tmp_path / "static"), precision="bf16", backend="torch")
    a, b = np.asarray(e.embed_documents(["care leavers in Leeds", "the front door"]))
    assert a.shape == (32,) and abs(float(np.linalg.norm(a)) - 1) < 1e-3 and not np.allclose(a, b)
    assert not e.bf16

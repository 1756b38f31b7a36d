"""The same embedding model run by ONNX Runtime instead of torch (``INSPECTBOT_EMBED_BACKEND``).

``auto`` (the default): each question's own vector (one short text) by ONNX Runtime float32 on
one thread, 2-3x faster than torch for one text (the same vectors to cosine 0.99999), batches
(passages, sentences) by torch, which is as fast or faster there; torch alone where ONNX Runtime
is not installed or the export fails.
``auto-int8``: the same, with each question's vector by the int8 graph below: 2.3x faster a
question (2.9 against 6.8 ms) but ~0.994 cosine to torch's, which moves a few borderline
questions (README, "Ninth round").
``onnx``: the model's transformer exported to ONNX from the packaged weights (float32: the
vectors match torch's to cosine 0.99999). ``onnx-int8``: the same graph with its matrix products
quantised to int8 (dynamic, per channel), about 2x faster on sentences but vectors only ~0.99
cosine to torch's, so searching an index embedded by torch with it changes retrieval.

The export runs once, offline, on first use (about 15 s), into ``folder`` (default: the user
cache folder); sentence-transformers' own ``backend="onnx"`` needs optimum-onnx, which pins an
older transformers than the one installed, so the export is done with torch.onnx here. Pooling
(mean over tokens) and normalisation are as the packaged model's.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from index.errors import InspectbotError

log = logging.getLogger(__name__)

BACKENDS = ("auto", "auto-int8", "torch", "onnx", "onnx-int8")
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def default_folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("inspectbot", appauthor=False)) / "onnx"


def export(model, name: str, int8: bool, folder: Path | None = None) -> Path:
    """The ONNX file of the loaded sentence-transformers ``model`` (exported if missing)."""
    folder = Path(folder or default_folder())
    target = folder / f"{name}{'-int8' if int8 else ''}.onnx"
    if target.exists():
        return target
    try:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise InspectbotError("The ONNX embedder needs the packages onnx and onnxruntime: "
                              "pip install onnx onnxruntime (or set INSPECTBOT_EMBED_BACKEND=torch).") from exc
    folder.mkdir(parents=True, exist_ok=True)
    plain = folder / f"{name}.onnx"
    if not plain.exists():
        log.info("exporting the embedding model %s to %s (once)", name, plain)
        bert = model[0].auto_model.eval()

        class Hidden(torch.nn.Module):
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state

        enc = model.tokenizer(["an example", "a second, longer example"], padding=True, return_tensors="pt")
        tmp = plain.with_suffix(f".{os.getpid()}.tmp")  # processes starting together export apart
        torch.onnx.export(Hidden(bert), tuple(enc[k] for k in _INPUTS), str(tmp), input_names=list(_INPUTS),
                          output_names=["hidden"], opset_version=17, dynamo=False,
                          dynamic_axes={k: {0: "batch", 1: "tokens"} for k in (*_INPUTS, "hidden")})
        tmp.replace(plain)
    if int8:
        log.info("quantising %s to int8 (once)", plain)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        quantize_dynamic(str(plain), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"])
        tmp.replace(target)
    return target


class OnnxEncoder:
    """``encode(texts)``: normalised float32 vectors, mean-pooled as the packaged model does."""

    def __init__(self, model, name: str, int8: bool, folder: Path | None = None, threads: int = 0):
        import onnxruntime as ort

        path = export(model, name, int8, folder)
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        # its own tokenizer: a fast tokenizer called from two threads at once can fail
        # ('Already borrowed') when one of them is torch's encode
        self.tokenizer = copy.deepcopy(model.tokenizer)
        self.max_length = int(model.max_seq_length)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        out = []
        for i in range(0, len(texts), batch_size):
            with self._lock:
                enc = self.tokenizer(list(texts[i:i + batch_size]), padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="np")
            feed = {k: enc[k].astype(np.int64) for k in _INPUTS}
            hidden = self.session.run(None, feed)[0]
            mask = feed["attention_mask"][..., None].astype(np.float32)
            v = (hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
            out.append(v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12))
        return np.concatenate(out).astype(np.float32)

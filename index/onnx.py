"""The same embedding model run by ONNX Runtime instead of torch (``INSPECTBOT_EMBED_BACKEND``).

``auto`` (the default): questions and the few sentences an answer embeds (small batches) by ONNX
Runtime float32 on one thread, 2-3x faster than torch for one text (the same vectors to cosine
0.99999), with the tokenizer read by the ``tokenizers`` library from the model's
``tokenizer.json``: a server that only answers never imports torch or transformers (about 500
MB less a process). Large batches (ingest) go by torch, which is as fast or faster there.
``auto-int8``: each question's vector by the int8 graph below instead: 2.3x faster a question
(2.9 against 6.8 ms) but ~0.994 cosine to torch's, which moves a few borderline questions
(README, "Ninth round").
``onnx``: everything by the float32 graph. ``onnx-int8``: the same graph with its matrix products
quantised to int8 (dynamic, per channel), about 2x faster on sentences but vectors only ~0.99
cosine to torch's, so searching an index embedded by torch with it changes retrieval.

The graph is exported once, offline, from the packaged weights (about 15 s) into ``folder``
(default: the user cache folder), by a child process (``python -m index.onnx``) so that the
process asking never loads torch. Only a plain transformer, mean-pooled and normalised as
all-MiniLM-L6-v2 is, with a ``tokenizer.json``, can be run this way (``plain_model``); any other
model folder is embedded by torch. sentence-transformers' own ``backend="onnx"`` needs
optimum-onnx, which pins an older transformers than the one installed, hence torch.onnx here.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence

import numpy as np

from index.errors import InspectbotError

log = logging.getLogger(__name__)

BACKENDS = ("auto", "auto-int8", "torch", "onnx", "onnx-int8")
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_PLAIN = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
          "sentence_transformers.models.Normalize"]


def default_folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("inspectbot", appauthor=False)) / "onnx"


def plain_model(model_dir: str | Path) -> tuple[int, int] | None:
    """``(dimension, max_length)`` where the folder holds a transformer, mean-pooled and
    normalised, with a ``tokenizer.json``: what ``OnnxEncoder`` runs exactly. None otherwise."""
    d = Path(model_dir)
    try:
        modules = json.loads((d / "modules.json").read_text())
        pooling = json.loads((d / "1_Pooling" / "config.json").read_text())
        config = json.loads((d / "sentence_bert_config.json").read_text())
    except (OSError, ValueError):
        return None
    means = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
    if [m.get("type") for m in modules] != _PLAIN or means != ["pooling_mode_mean_tokens"] \
            or not (d / "tokenizer.json").is_file():
        return None
    return int(pooling["word_embedding_dimension"]), int(config.get("max_seq_length") or 512)


def lowercases(normalizer) -> bool:
    """Whether a ``tokenizers`` normalizer lowercases the text (all-MiniLM-L6-v2's does)."""
    return normalizer is not None and '"lowercase":true' in str(normalizer.__getstate__()).replace(" ", "")


def graph(model_dir: str | Path, name: str, int8: bool, folder: Path | None = None) -> Path:
    """The ONNX file of the model in ``model_dir``, exported by a child process if missing."""
    folder = Path(folder or default_folder())
    target = folder / f"{name}{'-int8' if int8 else ''}.onnx"
    if target.exists():
        return target
    try:
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        raise InspectbotError("The ONNX embedder needs the packages onnx and onnxruntime: "
                              "pip install onnx onnxruntime (or set INSPECTBOT_EMBED_BACKEND=torch).") from exc
    log.info("exporting the embedding model %s to %s (once, about 15 s)", name, target)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    run = subprocess.run([sys.executable, "-m", "index.onnx", str(model_dir), str(folder), name]
                         + (["--int8"] if int8 else []), env=env, capture_output=True, text=True)
    if run.returncode != 0 or not target.exists():
        tail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
        raise InspectbotError(f"Exporting the embedding model {name} to {target} failed ({tail[0]}). "
                              "Check that the folder is writable, or set INSPECTBOT_EMBED_BACKEND=torch.")
    return target


def export(model_dir: str, folder: Path, name: str, int8: bool) -> Path:
    """Write the graph (and its int8 copy where asked) with torch: run in the child process."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer

    folder.mkdir(parents=True, exist_ok=True)
    plain = folder / f"{name}.onnx"
    if not plain.exists():
        model = SentenceTransformer(model_dir, device="cpu")
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
    target = folder / f"{name}-int8.onnx"
    if int8 and not target.exists():
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        quantize_dynamic(str(plain), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"])
        tmp.replace(target)
    return target if int8 else plain


class OnnxEncoder:
    """``encode(texts)``: normalised float32 vectors, mean-pooled as the packaged model does,
    with neither torch nor transformers loaded."""

    def __init__(self, model_dir: str | Path, name: str, int8: bool, folder: Path | None = None, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        plain = plain_model(model_dir)
        if plain is None:
            raise InspectbotError(f"The embedding model in {model_dir} is not a mean-pooled transformer with a "
                                  "tokenizer.json, so ONNX Runtime cannot run it: set INSPECTBOT_EMBED_BACKEND=torch.")
        self.dimension, self.max_length = plain
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(graph(model_dir, name, int8, folder)), options,
                                            providers=["CPUExecutionProvider"])
        # as transformers' fast tokenizer is called (padding=True, truncation to the model's
        # length), set once: encoding with fixed settings is safe from any thread
        self.tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        pad = self.tokenizer.padding or {}
        self.tokenizer.enable_padding(pad_id=pad.get("pad_id", 0), pad_token=pad.get("pad_token", "[PAD]"),
                                      pad_type_id=pad.get("pad_type_id", 0))
        self.lowercases = lowercases(self.tokenizer.normalizer)

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        out = []
        for i in range(0, len(texts), batch_size):
            enc = self.tokenizer.encode_batch(list(texts[i:i + batch_size]))
            feed = {"input_ids": np.asarray([e.ids for e in enc], dtype=np.int64),
                    "attention_mask": np.asarray([e.attention_mask for e in enc], dtype=np.int64),
                    "token_type_ids": np.asarray([e.type_ids for e in enc], dtype=np.int64)}
            hidden = self.session.run(None, feed)[0]
            mask = feed["attention_mask"][..., None].astype(np.float32)
            v = (hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
            out.append(v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12))
        if not out:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.concatenate(out).astype(np.float32)


if __name__ == "__main__":  # python -m index.onnx MODEL_DIR FOLDER NAME [--int8]
    logging.basicConfig(level=logging.WARNING)
    args = [a for a in sys.argv[1:] if a != "--int8"]
    if len(args) != 3:
        sys.exit("usage: python -m index.onnx MODEL_DIR FOLDER NAME [--int8]")
    print(export(args[0], Path(args[1]), args[2], "--int8" in sys.argv))

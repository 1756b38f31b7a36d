"""What a question asks the reports to do, and what kind of answer it expects: a model trained
on labelled questions, not a list of phrases.

``bot/data/plan_examples.jsonl`` holds questions written by the team, each labelled with its
operation, expected answer type and, for a question about one report, what it asks of it
(``{p}`` stands where a provider's name would be). A logistic regression (scikit-learn) over
the embedder's vectors of those questions, with names and years taken out as they are from a
real question, predicts all three. The trained weights are
kept in ``bot/data/plan_model.npz`` with the embedder's name and the training file's hash;
``scripts/train_plan_model.py`` rebuilds them, and a different embedder or an edited training
file retrains in process at start (a few seconds). Prediction is one matrix product over the
question's vector, which the retriever then reuses from the embedder's cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.vocabulary import send_spelled

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = DATA / "plan_examples.jsonl"
WEIGHTS = DATA / "plan_model.npz"

OPERATIONS = ("fact", "passages", "history", "compare", "list", "transition", "theme", "define",
              "offtopic", "generate")
ANSWER_TYPES = ("grade", "date", "person", "number", "money", "place", "yesno", "description", "providers")
# what a question about one report asks of it: its grade, the grade with the report's summary,
# what must improve, passages on a topic, the lead inspector, the dates, the next inspection, the
# publication date
KINDS = ("grade", "assess", "improve", "content", "inspector", "dates", "next", "published")
HEADS = (("op", OPERATIONS), ("type", ANSWER_TYPES), ("kind", KINDS))


@dataclass(frozen=True)
class Prediction:
    operation: str
    operation_p: float
    answer_type: str
    answer_type_p: float
    scores: dict  # operation -> probability
    kinds: dict = None  # kind -> probability

    def p(self, operation: str) -> float:
        return float(self.scores.get(operation, 0.0))

    def kind(self, among=KINDS) -> tuple[str, float]:
        """The likeliest kind among ``among`` and its lead in probability over the next."""
        ranked = sorted((k for k in among if k in (self.kinds or {})), key=self.kinds.get, reverse=True)
        if not ranked:
            return "", 0.0
        return ranked[0], self.kinds[ranked[0]] - (self.kinds[ranked[1]] if len(ranked) > 1 else 0.0)


def example_text(question: str) -> str:
    """A training question as the model sees it: placeholders and years out, 'send' spelled out
    where it is the noun, lower case, the way ``bot.understand.without_names`` leaves a real
    question (and ``PlanModel.predict`` reads it)."""
    text = re.sub(r"\{p2?\}(['’]s)?", " ", send_spelled(question))
    text = re.sub(r"\b(19|20)\d\d\b", " ", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def read_examples(path: Path = EXAMPLES) -> list[dict]:
    """Each line a question ``q`` with one or more labels: ``op``, ``type``, ``kind``; each head
    learns from the lines that carry its label."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        bad = [c for c, labels in HEADS if c in row and row[c] not in labels]
        if bad or not row.get("q") or not any(c in row for c, _ in HEADS):
            raise ValueError(f"{path}:{n}: each line needs q and at least one of op (one of {', '.join(OPERATIONS)}), "
                             f"type (one of {', '.join(ANSWER_TYPES)}) and kind (one of {', '.join(KINDS)}); "
                             f"got {line[:120]!r}")
        rows.append(row)
    return rows


def fingerprint(path: Path, embedder_name: str) -> str:
    return hashlib.sha256(path.read_bytes() + b"\0" + embedder_name.encode() + FEATURES).hexdigest()[:16]


# what the model reads beside the question's vector: whether it names a provider, and two
# ('what do the reports say about X' is a theme, 'what does {p}'s report say about X' is not,
# though both read the same once the name is out); changing this retrains the model
FEATURES = b"\0named:2:pronoun"

# a pronoun that points back at a provider named before ('has it improved?', 'who led their
# last one?'), unless the question is about many ('which councils improved since their last?')
_POINTS_BACK = re.compile(r"\b(it|its|it's|they|their|them|that one|this one|the council|"
                          # 'how are things there?', not 'is there a council that ...' nor 'there are councils'
                          r"(?<!is )(?<!are )(?<!was )(?<!were )(?<!has )(?<!have )there(?!['’]s| (is|are|was|were|has|have)\b)|"
                          r"that council|"
                          r"the local authority)\b|^\s*(and|what about|how about)\b", re.I)
_MANY = re.compile(r"\b(councils|reports|authorities|areas|inspections|boroughs|las|counties|partnerships|"
                   r"anywhere|any council|every council)\b", re.I)


def named_count(question: str) -> int:
    """Providers a training question names: its ``{p}`` and ``{p2}`` placeholders."""
    return len(re.findall(r"\{p2?\}", question))


def named_feature(named: int, text: str) -> float:
    """How many providers a question is about, as the model reads it: the number named, or a
    half for one pointed back at."""
    if named:
        return float(named)
    return 0.5 if _POINTS_BACK.search(text) and not _MANY.search(text) else 0.0


def features(vectors: np.ndarray, named: list[float]) -> np.ndarray:
    """The question vectors with the provider features after them."""
    n = np.asarray(named, dtype=np.float32)[:, None]
    return np.hstack([vectors, np.minimum(n, 1.0), (n >= 2).astype(np.float32)])


def labelled(rows: list[dict], head: str, labels: tuple) -> tuple[list[int], np.ndarray]:
    """The rows that carry ``head``'s label, and those labels as indices into ``labels``."""
    have = [i for i, r in enumerate(rows) if head in r]
    return have, np.asarray([labels.index(rows[i][head]) for i in have])


def train(embedder, path: Path = EXAMPLES) -> dict[str, np.ndarray]:
    """Fit the three heads; returns the arrays that ``PlanModel`` keeps (and the script saves)."""
    from sklearn.linear_model import LogisticRegression

    rows = read_examples(path)
    x = np.asarray(embedder.embed_documents([example_text(r["q"]) for r in rows]), dtype=np.float32)
    x = features(x, [named_feature(named_count(r["q"]), r["q"]) for r in rows])
    out = {"fingerprint": np.asarray(fingerprint(path, getattr(embedder, "name", "")))}
    for head, labels in HEADS:
        have, y = labelled(rows, head, labels)
        model = LogisticRegression(C=8.0, max_iter=2000, class_weight="balanced").fit(x[have], y)
        coef = np.zeros((len(labels), x.shape[1]), dtype=np.float32)
        bias = np.full(len(labels), -30.0, dtype=np.float32)  # a label with no example never wins
        coef[model.classes_] = model.coef_
        bias[model.classes_] = model.intercept_
        out[f"{head}_coef"], out[f"{head}_bias"] = coef, bias
    return out


class PlanModel:
    """The trained heads. ``predict(text, named)`` takes the question with its names and years
    out, and how many providers it named."""

    def __init__(self, embedder, examples: Path = EXAMPLES, weights: Path = WEIGHTS):
        self.embedder = embedder
        self.examples = examples
        self.weights = weights
        self._arrays: dict[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    def _ready(self) -> dict[str, np.ndarray]:
        if self._arrays is None:
            with self._lock:
                if self._arrays is None:
                    self._arrays = self._load()
        return self._arrays

    def _load(self) -> dict[str, np.ndarray]:
        want = fingerprint(self.examples, getattr(self.embedder, "name", ""))
        if self.weights.exists():
            with np.load(self.weights, allow_pickle=False) as saved:
                arrays = {k: saved[k] for k in saved.files}
            if str(arrays.get("fingerprint")) == want:
                return arrays
            log.info("%s was trained on other examples or another embedder: retraining in process "
                     "(run scripts/train_plan_model.py to keep the result)", self.weights.name)
        return train(self.embedder, self.examples)

    def predict(self, text: str, named: int = 0) -> Prediction:
        """``named``: how many providers the question names (or points at: 'my council')."""
        a = self._ready()
        v = np.asarray(self.embedder.embed_query(send_spelled(text).strip().lower()), dtype=np.float32)
        v = features(v[None, :], [named_feature(named, text)])[0]
        op = _softmax(a["op_coef"] @ v + a["op_bias"])
        ty = _softmax(a["type_coef"] @ v + a["type_bias"])
        kind = _softmax(a["kind_coef"] @ v + a["kind_bias"])
        i, j = int(op.argmax()), int(ty.argmax())
        return Prediction(OPERATIONS[i], float(op[i]), ANSWER_TYPES[j], float(ty[j]),
                          {name: float(p) for name, p in zip(OPERATIONS, op)},
                          {name: float(p) for name, p in zip(KINDS, kind)})


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()

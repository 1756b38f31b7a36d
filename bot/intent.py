"""What a question asks for, decided by meaning rather than by key words.

The question (with council names and years taken out) is compared with labelled example
questions of each kind by the embedder's cosine similarity; the kind whose closest examples are
closest wins. The examples are written here, in the project's own words, to cover the ways
people ask; patterns are used only for closed vocabularies (see ``bot.understand``).
"""

from __future__ import annotations

import threading
from typing import Sequence

import numpy as np

EXAMPLES: dict[str, list[str]] = {
    "grade": [
        "is the council any good", "how good are their children's services", "what rating did they get",
        "ofsted grade for children's services", "how did they do at the inspection", "what was the result",
        "overall effectiveness judgement", "were they rated outstanding", "is it inadequate",
        "how did ofsted rate them last time", "children's social care rating", "ofsted result",
        "what did they get from ofsted", "how are they doing these days", "is social care there ok",
        "what score did the council get", "are their services rated good", "how did they fare",
        "what's their grade now", "kids services rating", "what verdict did inspectors give",
        "how well are children in care looked after there, what was the judgement",
        "what did ofsted think of the leadership", "care leavers grade", "help and protection judgement",
        "what did ofsted conclude", "was it good or bad", "did they pass their inspection",
    ],
    "content": [
        "what did inspectors say about caseloads", "how many social workers were agency staff",
        "do social workers listen to what children want", "how quickly are referrals dealt with",
        "is there enough support for young people leaving care", "what happens when teenagers go missing",
        "are foster carers being recruited", "how do they handle child sexual exploitation",
        "what help do families get early on", "do children keep changing social worker",
        "are disabled children well supported", "what is the front door for referrals called",
        "where do care leavers live, are any in bed and breakfast", "how stable are children's homes placements",
        "what about homeless 16 and 17 year olds", "how long do care proceedings take",
        "are health assessments done on time", "what does the report say about adoption support",
        "what did they find about neglect", "how is domestic abuse tackled",
        "what support is there for unaccompanied asylum seeking children", "is the workforce stable",
        "will my child get decent support", "how do they help kids who are being exploited",
        "what do children say about their social workers", "is the virtual school effective",
        "what about private fostering arrangements", "how are independent reviewing officers doing",
        "were there children in unregistered homes", "what is the local offer like",
        "how long is the wait for an autism assessment", "what did parents tell inspectors",
        "who is responsible for special educational needs services", "how many children have an EHC plan",
    ],
    "inspector": [
        "who was the lead inspector", "who led the inspection", "who inspected them",
        "name of the inspector", "which hmi led it", "who carried out the inspection",
    ],
    "dates": [
        "when were they inspected", "when did ofsted visit", "what were the inspection dates",
        "when did inspectors come", "when was the last inspection", "how long did the inspection take",
        "when did ofsted go in", "what dates were the inspectors there", "when was that",
    ],
    "improve": [
        "what needs to improve", "what do they need to do better", "what weaknesses were found",
        "areas for improvement", "what should they work on", "what did ofsted tell them to fix",
        "what recommendations did inspectors make", "what are the priority actions",
    ],
    "next": [
        "when is the next inspection", "when will ofsted be back", "when is the next visit due",
        "when will inspectors return to check", "when's the next full inspection",
    ],
    "timeline": [
        "how has the rating changed over time", "have they improved since the last inspection",
        "grades over the last three inspections", "has it got better or worse", "history of their ofsted results",
        "what has ofsted rated it at each inspection", "ratings since 2018", "has it gone up or down",
        "their journey from inadequate", "what were the last two results",
    ],
    "compare": [
        "which is better", "compare the two councils", "how do they compare", "which got the better rating",
        "who did better at their latest inspection", "versus", "which is rated higher",
    ],
    "list": [
        "which councils were rated outstanding", "list the councils judged inadequate",
        "which local authorities got requires improvement", "how many councils were good",
        "who was rated outstanding that year", "name the councils with inadequate services",
    ],
    "offtopic": [
        "what's the weather tomorrow", "train times to the city centre", "tell me a joke",
        "who won the football", "recommend a restaurant", "what time does the shop open",
        "how do i renew my passport", "what's the capital of france", "bus times into town",
        "how much is council tax", "when are the bins collected", "write me a poem",
        "what's the best pizza", "book a doctor's appointment", "what is the price of petrol",
    ],
}


class IntentClassifier:
    """Nearest labelled examples by cosine similarity (the embedder's vectors are normalised)."""

    def __init__(self, embedder, examples: dict[str, list[str]] | None = None, k: int = 3):
        self.embedder = embedder
        self.examples = examples or EXAMPLES
        self.k = k
        self._matrix: np.ndarray | None = None
        self._labels: list[str] = []
        self._lock = threading.Lock()

    def _ready(self) -> np.ndarray:
        if self._matrix is None:
            with self._lock:
                if self._matrix is None:
                    labels, texts = [], []
                    for kind, qs in self.examples.items():
                        labels += [kind] * len(qs)
                        texts += qs
                    self._labels = labels
                    self._matrix = np.asarray(self.embedder.embed_documents(texts), dtype=np.float32)
        return self._matrix

    def scores(self, text: str) -> dict[str, float]:
        """Each kind's mean similarity over its ``k`` closest examples."""
        matrix = self._ready()
        sims = matrix @ np.asarray(self.embedder.embed_query(text.strip().lower()), dtype=np.float32)
        out: dict[str, float] = {}
        labels = np.asarray(self._labels)
        for kind in self.examples:
            s = np.sort(sims[labels == kind])[::-1][: self.k]
            out[kind] = float(s.mean()) if len(s) else 0.0
        return out

    def classify(self, text: str, kinds: Sequence[str] | None = None) -> tuple[str, float]:
        """The best kind (among ``kinds`` if given) and its lead over the runner-up."""
        s = self.scores(text)
        ranked = sorted((k for k in s if kinds is None or k in kinds), key=s.get, reverse=True)
        if not ranked:
            return "", 0.0
        lead = s[ranked[0]] - (s[ranked[1]] if len(ranked) > 1 else 0.0)
        return ranked[0], lead

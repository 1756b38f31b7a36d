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
        "what judgement did they receive", "overall grade", "were services judged well", "their ofsted score",
        "is the service rated well by inspectors", "did they get a good mark", "rating for social care",
        "how highly were they rated", "what level were they put at", "the verdict on the council",
        "did inspectors rate them poorly", "what category did they fall into", "graded by ofsted as",
        "quality rating of the department", "were they judged to be failing", "overall effectiveness outcome",
        "grade for help and protection", "judgement on leadership", "score for looked after children",
        "how did the department come out of it", "did they pass or fail", "what mark did the service get",
    ],
    "content": [
        "what is said about the workload of practitioners", "how are referrals from schools handled",
        "support offered to young people who have left care", "how quickly are children seen after a concern",
        "recruitment and retention of staff", "what happens with children placed far from home",
        "how is neglect identified and tackled", "quality of assessments and plans",
        "arrangements for children who are privately fostered", "help for families struggling with parenting",
        "services for children at risk of criminal exploitation", "how stable are foster placements",
        "are children's wishes taken into account", "use of unregistered placements",
        "accommodation for sixteen and seventeen year olds", "health checks for children in care",
        "what does the virtual head do", "support for children with disabilities and their families",
        "how are independent reviewing officers used", "what the multi-agency hub does",
        "partnership working with police and health", "how long court proceedings take",
        "what is the local offer like for families", "waiting times for therapy and diagnosis",
        "how many plans were issued on time", "what carers and parents reported to the inspectors",
        "the role of the integrated care board", "education of children in care",
        "are there enough places for children needing care", "how do they involve young people in decisions",
    ],
    "inspector": [
        "name of the person who led the visit", "which inspector was in charge", "who headed up the team",
        "the hmi responsible", "which of his majesty's inspectors led",
    ],
    "dates": [
        "dates of the visit", "which week were inspectors on site", "when did the visit take place",
        "what month was the fieldwork", "on what dates did the inspection happen", "how long were inspectors there",
    ],
    "improve": [
        "areas needing improvement", "what must get better", "recommendations made", "priority actions set out",
        "what was found lacking", "where are the gaps in practice", "what should leaders focus on improving",
    ],
    "next": [
        "date of the following inspection", "when are inspectors returning", "timescale for the next visit",
        "when is a monitoring visit expected",
    ],
    "offtopic": [
        "what's the weather tomorrow", "train times to the city centre", "tell me a joke",
        "who won the football", "recommend a restaurant", "what time does the shop open",
        "how do i renew my passport", "what's the capital of france", "bus times into town",
        "how much is council tax", "when are the bins collected", "write me a poem",
        "what's the best pizza", "book a doctor's appointment", "what is the price of petrol",
        "how do i fix a leaking tap", "what films are on tonight", "convert miles to kilometres",
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

"""Choosing the sentences that answer a topic question, from the body of a report.

Candidates are the sentences of the best passages retrieval found. Page furniture never
qualifies: cover lines, the judgement table, contents lines, running headers, the publisher's
address and licence blocks. The rest are ranked by meaning (the embedder's cosine similarity to
the question, so 'do social workers listen to kids' finds 'children's views and wishes') and by
the question's own words (so 'caseloads' finds the sentence with the numbers).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot import extractive, refusals
from bot.extractive import Sentence, split_sentences, terms
from bot.refusals import looks_like_instructions
from index.types import Chunk, Hit

_FURNITURE = re.compile(
    r"ofsted\.gov|gov\.uk|enquiries@|piccadilly gate|store street|manchester m1|crown copyright|"
    r"open government licence|nationalarchives|www\.|https?:|telephone:?\s*0|textphone|0300 \d|"
    r"agora|aviation house|kingsway|wc2b|raising standards|improving lives|this publication is available|"
    r"you may reuse|reference no|inspection dates?:|lead inspector:|her majesty.s inspector|"
    r"judgement\s+grade|no\. \d{6}|\burn:|\.{4,}|…{2,}|this report is|report published|"
    r"piccadilly|the office for standards in education|@ofsted|complain to ofsted|not happy with the inspection|"
    r"if you would like a copy|this document may be reproduced|alternative format|\btel\b|\btel:|"
    r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|it\s+assesses\s+council|providers\s+are\s+encouraged\s+to\s+register|"
    r"regulates\s+and\s+inspects|inspects\s+services\s+for\s+(looked|children)|"
    r"^(the\s+)?(experiences\s+and\s+progress\s+of|impact\s+of\s+leaders\s+on)[^.]{0,110}$", re.I)
# the judgement table read as text: 'Outstanding The experiences and progress of ... Good ...'
_TABLE_GRADE = re.compile(r"(?:^|\s)(?:Outstanding|Good|Inadequate|Requires improvement(?: to be good)?)(?=\s+(?:The|[A-Z]|$))")
_TABLE_END = re.compile(r"(?:Good|Outstanding|Inadequate|to be good|Requires improvement)\s*\n", re.I)


# a short sentence kept for the figure it gives ('The average wait time is 18 months.')
_SHORT_FIGURE = re.compile(r"(?=.{20,}$)[A-Z][^.!?]*\b(is|are|was|were|has|have|had)\b[^.!?]*\d[^.!?]*[.!?]$")


@dataclass(frozen=True)
class Chosen:
    sentence: Sentence
    score: float
    words: int  # question words the sentence shares
    topical: float = 0.0  # the score without the preference for a figure: how far it is on the topic


# quotes must stand on their own: no lead-in that ends in a colon, no sentence whose subject is
# a bare pronoun pointing at the sentence before, no inspection boilerplate as a topic's answer
_LEAD_IN = re.compile(r"[:;,]\s*$|\b(including|include|such as|as follows|highlighted)\s*$", re.I)
_BARE_SUBJECT = re.compile(r"^(this|these|they|it|those|that|he|she|such)\s+(is|are|was|were|has|have|had|means|"
                           r"includes|included|can|could|will|would|should|must|also|do|does|did|led|leads|ensures|"
                           r"helps|shows|gives|makes|made)\b|^(they|it|he|she)\s+\w|"
                           r"^(this|that)\s+\w+([^siu]s|ed)\b|^(these|those|this|that|they)\s*,", re.I)  # 'They support ...', 'This demonstrates ...'
_BOILERPLATE = re.compile(r"next (full )?(area send )?(re-?)?inspection will be|next (full )?area send inspection|monitoring inspection (will be carried out )?within|"
                          r"ofsted and (the care quality commission )?(\(?cqc\)? )?ask|this report (sets out|details|describes)|should update and publish|"
                          r"inspectors (spoke|met) (with|to)\b[^.]{0,60}\b(and|,)[^.]{0,80}$|"
                          r"the inspection (team|was carried out|was led by)|evaluation of the local area|"
                          r"with a team of inspectors|parent\s+view|ofsted\s+will\s+use\s+the\s+information|"
                          r"share this|date published|press and media enquiries|rate this page", re.I)  # a web page's furniture
# a bullet mark, or a paragraph's number run into its first word ('58.This approach ...')
_BULLET = re.compile(r"^(?:[\s•●▪◦·*o–◼■-]+\s+|\d{1,3}\.\s*(?=[A-Z“‘\"']))")
# the tail of a sentence cut by the page ('in-house adviser, who is helping ...'), and a list
# read as one sentence ('What needs to improve? ◼ The quality ... ◼ The ...')
_FRAGMENT = re.compile(r"\s*[a-z]")
_LISTED = re.compile(r"\S\s*[◼•●▪■]\s")


# a short line with no stop of its own and capitals after it: a heading, not the sentence's start
_HEADING = re.compile(r"[A-Z][\w’'-]*(?:[ \t]+[\w’'-]+){0,5}[ \t]*\n\s*(?=[A-Z])")


def _standalone(s: Sentence) -> Sentence | None:
    """The sentence with any bullet mark dropped, or None where it cannot stand on its own."""
    text = s.text
    m = _BULLET.match(text)
    if m:
        s = Sentence(s.chunk, s.start + m.end(), s.end, s.rank)
        text = s.text
    for _ in range(3):  # a heading on its own line over the sentence ('Areas for improvement\nLeaders ...')
        h = _HEADING.match(text)
        if not h:
            break
        s = Sentence(s.chunk, s.start + h.end(), s.end, s.rank)
        text = s.text
    if _LEAD_IN.search(text) or _BOILERPLATE.search(" ".join(text.split())) or _FRAGMENT.match(text) or _LISTED.search(text):
        return None
    return s


def body_sentences(hits: list[Hit], limit_hits: int = 6, kept=None) -> list[Sentence]:
    """The report-body sentences of the first ``limit_hits`` passages. ``kept``: where their
    spans are kept once worked out (``index.sentences.SentenceVectors``)."""
    hits = hits[:limit_hits]
    spans = spans_of([hit.chunk.text for hit in hits], kept)
    return [Sentence(hit.chunk, start, end, rank) for rank, (hit, where) in enumerate(zip(hits, spans))
            for start, end in where]


# the version of the rules below (and of the sentence splitter and the instruction check they
# use): spans kept under another version are never read
_RULES = hashlib.blake2b(b"".join(Path(f).read_bytes() for f in (__file__, extractive.__file__, refusals.__file__)),
                         digest_size=8).digest()
_SPANS: OrderedDict[bytes, tuple[tuple[int, int], ...]] = OrderedDict()  # the most recent, in memory
_SPANS_LOCK = threading.Lock()
_SPANS_KEPT = 20000


def span_key(text: str) -> bytes:
    return hashlib.blake2b(_RULES + text.encode("utf-8"), digest_size=16).digest()


def spans_of(texts: list[str], kept=None, fill: bool = False) -> list[tuple[tuple[int, int], ...]]:
    """Where each passage's body sentences lie: from memory, else from ``kept`` (the file the
    ingest filled: ``bot.prefill``), else worked out here (about half a millisecond a passage)
    and kept. The same passages come back for question after question. ``fill``: the file is
    being filled, so memory is not read (what it holds may not be in the file yet)."""
    keys = [span_key(t) for t in texts]
    found: dict[bytes, tuple] = {}
    with _SPANS_LOCK:
        for k in keys if not fill else ():
            v = _SPANS.get(k)
            if v is not None:
                _SPANS.move_to_end(k)
                found[k] = v
    missing = [k for k in dict.fromkeys(keys) if k not in found]
    if missing and kept is not None:
        found.update(kept.read_spans(missing))
    fresh = {k: _body_spans(t) for k, t in zip(keys, texts) if k not in found}
    if fresh:
        found.update(fresh)
        if kept is not None:
            kept.write_spans(fresh)
    with _SPANS_LOCK:
        for k in keys if not fill else ():  # a whole index's passages would only push out the ones answers use
            _SPANS[k] = found[k]
        while len(_SPANS) > _SPANS_KEPT:
            _SPANS.popitem(last=False)
    return [found[k] for k in keys]


def _body_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where a passage's body sentences lie, by the rules below."""
    out: list[tuple[int, int]] = []
    last = None  # the sentence before, where it was kept on its own
    for s in split_sentences(Chunk("", "", "", text, None, None, 0, len(text)), 0):
        s, before, last = _standalone(_after_table(s)), last, None
        if s is None:
            continue
        text = s.text
        if _BARE_SUBJECT.match(text.strip()):  # 'They singled out ...': only with the sentence it points back to
            if before is None or s.end - before[0] > 700 or not _kept(text):
                continue
            out[-1] = (before[0], s.end)
            continue
        if _kept(text):
            out.append((s.start, s.end))
            last = out[-1]
    return tuple(out)


def _kept(text: str) -> bool:
    """A sentence worth quoting: not page furniture, the judgement table, a title, or planted text."""
    grades = len(_TABLE_GRADE.findall(text))
    if (len(text) < 40 and not _SHORT_FIGURE.match(text.strip())) or _FURNITURE.search(text) \
            or grades >= 2 or (grades and len(text) < 120):
        return False  # page furniture, or the judgement table (or one row of it) read as text
    if not re.search(r"[a-z]{3,}\s+[a-z]{3,}\s+[a-z]{2,}", text):  # a title or a list of names
        return False
    return not looks_like_instructions(text)  # planted text addressed to a chatbot is never evidence


def ranked_texts(texts: list[str], kept=None) -> list[str]:
    """The texts of these passages' body sentences exactly as the chooser embeds them
    (``choose``): what ``bot.prefill`` stores a vector for, so that no answer embeds a sentence
    (and, with ``kept``, where they lie, so that no answer works that out either)."""
    return [_embedded(text[start:end]) for text, where in zip(texts, spans_of(texts, kept, fill=kept is not None))
            for start, end in where]


def _embedded(sentence: str) -> str:
    return re.sub(r"\s+", " ", sentence)[:400]


def _after_table(s: Sentence) -> Sentence:
    """A sentence glued to the judgement table by the PDF's layout starts after the table."""
    text = s.text
    last = None
    for m in _TABLE_END.finditer(text):
        last = m
    if last is None or not re.search(r"overall effectiveness|judgement", text[:last.end()], re.I):
        return s
    return Sentence(s.chunk, s.start + last.end(), s.end, s.rank)


def _prefix(term: str) -> str:
    """Words that share their first five letters count as one ('recruits', 'recruitment')."""
    return term[:5] if len(term) >= 5 else term


_NUMERIC = re.compile(r"\b(how many|how much|how long|what (?:proportion|percentage|number|%)|"
                      r"average|number of|per ?cent|%|ratio|rate of)\b", re.I)
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|half|third|quarter|most|few|"
                     r"majority|minority)\b", re.I)


WHO_SAID = re.compile(r"\b(who|which \w+)\b[^?]{0,60}\b(quot\w*|said|say|says|spoke|speak\w*|comment\w*)\b", re.I)
_SPEAKER = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b[^.]{0,80}\b(said|says|added|commented)\b|"
                      r"\b(said|says|added|commented),? [A-Z][a-z]+ [A-Z][a-z]+")
_FIGURE = re.compile(r"\b(?!(?:19|20)\d\d\b)\d")  # a figure, not a year


# private fostering (a child living with someone who is not a relative, arranged privately) is not
# foster care: its sentences answer only a question that says 'private'
_PRIVATE = re.compile(r"\bprivate(ly)?\s+fost", re.I)
_POINTED_BACK = re.compile(r"(?<=[.!?])\s+(?=(?:this|these|they|it|those|that|he|she|such)\b)", re.I)


def choose(question: str, hits: list[Hit], embedder, limit: int = 3, exclude: set[str] = frozenset(),
           focus: str = "", weights=None, rerank: int = 8, sentences=None, prefer=None) -> list[Chosen]:
    """The ``limit`` sentences that best answer ``question``, best first. ``focus`` (the topic
    a follow-up carries) weighs in beside the question; ``weights(words) -> {word: 0..1}`` says
    how telling each word is (a rare word such as 'turnover' counts more than 'support').
    A question asking 'how many', 'how long' or 'what proportion' prefers sentences with numbers.
    ``sentences.vectors(texts)`` (``index.sentences.SentenceVectors``) gives the candidates'
    vectors embedded once and kept; without it they are embedded here. ``prefer(text)``: only
    the sentences it accepts, where any is among the candidates."""
    # a report asks no questions: a sentence ending '?' is a heading ('What is it like to be a child ...?')
    candidates = [s for s in body_sentences(hits, kept=sentences) if not s.text.rstrip().endswith("?")]
    if not _PRIVATE.search(question + " " + focus):  # foster care asked: private fostering is another thing
        candidates = [s for s in candidates if not _PRIVATE.search(s.text)] or candidates
    if prefer is not None:
        candidates = [s for s in candidates if prefer(s.text)] or candidates
    if not candidates:
        return []
    raw = [w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", (question + " " + focus).lower().replace("’", "'"))]
    stems = {}
    for w in raw:
        for t in terms(w):
            if t not in exclude:
                stems.setdefault(t, w)
    idf = weights(sorted(set(stems.values()))) if weights and stems else {}
    weight = {t: idf.get(w, 0.5) for t, w in stems.items()}
    numeric = bool(_NUMERIC.search(question))
    who_said = bool(WHO_SAID.search(question))
    lexical = []
    prefixes = {_prefix(t): t for t in weight}
    for s in candidates:
        text = re.sub(r"\s+", " ", s.text)
        # a sentence quoted with the one its 'They' points back to scores as the better of the two,
        # not as their words together
        shared = max(({prefixes[p] for p in map(_prefix, terms(part)) if p in prefixes}
                      for part in _POINTED_BACK.split(text)), key=lambda found: sum(weight[t] for t in found))
        score = 0.12 * min(1.5, sum(weight[t] for t in shared)) + 0.03 / (1 + s.rank)
        figure = (0.25 if _FIGURE.search(text) else 0.05 if _NUMBER.search(text) else 0.0) if numeric else \
            0.15 if who_said and _SPEAKER.search(text) else 0.0  # 'who did they quote?': a named speaker
        score += figure
        sim = hits[s.rank].similarity
        lexical.append((score + 0.5 * (sim if sim is not None else 0.3), score, s, _embedded(s.text), len(shared), figure,
                        frozenset(shared)))
    # the embedder reads only the most promising sentences (a few ms each, once: they are kept)
    lexical.sort(key=lambda t: -t[0])
    short = lexical[:rerank]
    # and the sentences sharing most of the question's telling words, wherever their passage ranked
    # (quoted where they answer best, but never what makes a report count as discussing the topic)
    covered = frozenset().union(*(t[6] for t in short))
    extra = sorted((t for t in lexical[rerank:] if t[6] - covered), key=lambda t: -t[1])[:rerank // 2]  # words none holds
    short += extra
    texts = [t[3] for t in short]
    vectors = (sentences.vectors(texts) if sentences is not None
               else np.asarray(embedder.embed_documents(texts), dtype=np.float32))
    sims = vectors @ np.asarray(embedder.embed_query(question), dtype=np.float32)
    if focus and focus != question:  # the clause that asks, or the topic a follow-up carries
        sims = np.maximum(sims, 0.5 * sims + 0.5 * (vectors @ np.asarray(embedder.embed_query(focus), dtype=np.float32)))
    scored = [Chosen(s, float(sim) + score, n, float(sim) + score - figure if i < rerank else 0.0)
              for i, ((_, score, s, _, n, figure, _), sim) in enumerate(zip(short, sims))]
    scored.sort(key=lambda c: -c.score)
    out: list[Chosen] = []
    for c in scored:
        if len(out) == limit:
            break
        if any(c.sentence.chunk.id == o.sentence.chunk.id and c.sentence.start == o.sentence.start for o in out):
            continue
        out.append(c)
    return out

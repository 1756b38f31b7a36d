"""A subject of a few words, as the reports write it ('partners in practice', 'county lines',
'young carers'): the longest run of the question's own subject words that passages hold as a
phrase. Found by looking in the index, not by a list; a run of words no report holds together
('staff use', 'times for assessments') names no phrase and is left to the words alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from bot.extractive import terms
from bot.vocabulary import FILLER
from bot.wording import quoted_subject
from index.fts import STOPWORDS

MIN_PASSAGES = 3  # passages that must hold a phrase: the reports' own term, not a chance pairing
RARE_SHARE = 0.002  # a word held by at most this share of passages can name a subject alone ('christmas')
_WORDS = re.compile(r"[a-z0-9]+")
_PREFIXED = re.compile(r"\b(co|re|pre|non|multi|inter|sub|anti|cross)-(?=[a-z])")
_JOINING = ("in", "of", "for")  # small words inside a name ('partners in practice'); 'and' joins two things
# verbs people ask with, never the edge of a subject's name ('using unregistered', 'support disabled')
_VERBS = set("""use uses used using make makes made making help helps helped helping support supports supported
supporting deal deals dealt dealing handle handles handled handling keep keeps kept keeping put puts putting
take takes took taking look looks looked looking treat treats treated treating manage manages managed managing
start starts started starting stop stops stopped stopping involved placed coming asking thinking moving living
raised raise become became""".split())


@dataclass(frozen=True)
class Phrase:
    text: str  # as the question says it: 'partners in practice'
    passages: int  # passages holding it


def subject_phrase(text: str, catalog) -> Phrase | None:
    """The first of ``subject_phrases``: the rarest, or None."""
    return next(subject_phrases(text, catalog), None)


def subject_phrases(text: str, catalog) -> Iterator[Phrase]:
    """The fixed phrase of ``text``'s subject words, two of them or two with a joining word between
    ('partners in practice'), that at least ``MIN_PASSAGES`` passages hold, each such, the rarest
    first; none where a word said with it is nearly as rare (the subject is that word:
    'mockingbird' in 'the mockingbird fostering model')."""
    named = quoted_subject(text)  # in quotes: the user's own name for it ('total respect')
    if 2 <= len(named.split()) <= 4:
        n = catalog.phrase_passages(named)
        if n >= MIN_PASSAGES:
            yield Phrase(named.lower(), n)
            return
    said = text.lower().replace("’", "'")
    joined = _PREFIXED.sub(r"\1", said)  # 'co-operatives' as the reports write it: 'cooperatives'
    runs = _runs(_WORDS.findall(said)) + (_runs(_WORDS.findall(joined)) if joined != said else [])
    spans = [(run, run[i:i + n]) for run in runs for n in (3, 2) for i in range(len(run) - n + 1)]
    edge = STOPWORDS | _VERBS | FILLER  # a word people ask with names only inside ('regional care cooperatives')
    spans = [(r, s) for r, s in spans if s[0] not in edge and s[-1] not in edge
             and (s[1] in _JOINING or s[1] not in STOPWORDS | _VERBS)]
    held = [(catalog.phrase_passages(" ".join(s)), r, s) for r, s in spans]
    # two words the reports write as a fixed phrase: in that order, next to each other, nearly wherever
    # they meet ('young carers'; not 'homeless 16', nor 'unregistered (children's) homes'); three with a
    # joining word between, or as most passages holding its last two write them ('regional care cooperatives')
    held = [(n, r, s) for n, r, s in held if n >= MIN_PASSAGES and (
        len(s) == 3 and (s[1] in _JOINING or n >= 0.5 * catalog.phrase_passages(" ".join(s[1:])) and not _within(catalog, s, n))
        or len(s) == 2 and _fixed(catalog, " ".join(s), n))]
    for n, run, span in sorted(held, key=lambda t: (t[0], -len(t[2]))):  # the rarest first
        at = next(i for i in range(len(run)) if run[i:i + len(span)] == span)
        cut = " ".join(run[at + len(span) - 1:at + len(span) + 1]) if span[1] in _JOINING else ""
        near = catalog.phrase_passages(cut) if len(cut.split()) == 2 else 0
        if near >= MIN_PASSAGES and _fixed(catalog, cut, near):
            continue  # 'overnight in police' cuts through 'police cells': the user's own phrase is the subject
        # of the words said next to it ('the mockingbird fostering model'), one rarer is the subject
        others = [w for w in run[max(0, at - 2):at] + run[at + len(span):at + len(span) + 2] if w not in STOPWORDS]
        counts, _ = catalog.frequencies(others) if others else ({}, 0)
        if not any(c < n for c in counts.values()):
            yield Phrase(" ".join(span), n)


def rare_word(text: str, catalog) -> Phrase | None:
    """The one subject word of ``text`` far rarer in the reports than every other it says
    ('care leavers over christmas': 'christmas'), where a few passages hold it: what a theme is
    about. None where the words are alike (no one of them names the subject alone)."""
    words = [w for w in dict.fromkeys(_WORDS.findall(text.lower().replace("’", "'")))
             if w not in STOPWORDS and w not in FILLER and w not in _VERBS and len(w) > 3 and not w.isdigit()]
    counts, total = catalog.frequencies(words) if words else ({}, 0)
    held = sorted((c, w) for w, c in counts.items() if c >= MIN_PASSAGES)
    if len(held) < 2 or held[0][0] > total * RARE_SHARE or held[1][0] < 10 * held[0][0]:
        return None
    return Phrase(held[0][1], held[0][0])


def _within(catalog, span: list[str], n: int) -> bool:
    """Whether three words are a rare use of a far commoner fixed phrase of two of them ('section 20
    voluntary': 'section 20' is the subject), not a name of their own ('regional care cooperatives')."""
    pairs = (" ".join(span[:2]), " ".join(span[1:]))
    return any(c >= 10 * n and _fixed(catalog, p, c) for p, c in ((p, catalog.phrase_passages(p)) for p in pairs))


def _fixed(catalog, text: str, near: int) -> bool:
    """Whether two words are written as a fixed phrase: next to each other nearly wherever they
    meet, or often enough that it is one ('young carers': 159 passages, though 'young people and
    their carers' meet too)."""
    exact = catalog.phrase_passages(text, exact=True)
    return exact >= 0.8 * near or (exact >= 0.5 * near and exact >= 50)


def _runs(words: list[str]) -> list[list[str]]:
    """Runs of subject words: no asking or filler word, joining words only between two others."""
    runs, run = [], []
    for i, w in enumerate(words):
        subject = w not in STOPWORDS and w not in FILLER and len(w) > 1
        ahead = i + 1 < len(words) and words[i + 1] not in FILLER and words[i + 1] not in STOPWORDS
        # a joining word, or a word people ask with that names too ('regional care cooperatives'), between two
        joining = run and ahead and (w in _JOINING or w in FILLER and w not in STOPWORDS)
        if subject or joining:
            run.append(w)
            continue
        runs.append(run)
        run = []
    runs.append(run)
    return [r for r in runs if sum(w not in STOPWORDS for w in r) >= 2]


def holds(text: str, phrase: Phrase) -> bool:
    """Whether ``text`` holds the phrase as ``phrase_match`` finds it: two words at most two
    words apart, either way round ('unregistered children's homes' holds 'unregistered homes');
    more, in the order said."""
    words = [_key(w) for w in phrase.text.split()]
    keys = [_key(w) for w in _WORDS.findall(text.lower().replace("’", "'"))]
    if len(words) == 1:
        return words[0] in keys
    if len(words) > 2:
        return any(keys[i:i + len(words)] == words for i in range(len(keys) - len(words) + 1))
    at_a = [i for i, k in enumerate(keys) if k == words[0]]
    return any(k == words[1] and abs(i - j) <= 3 for j, k in enumerate(keys) for i in at_a)


def _key(word: str) -> str:
    stems = terms(word)
    return (next(iter(stems)) if stems else word)[:5]

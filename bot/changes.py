"""Changes of grade between a provider's consecutive inspections: which councils went from
inadequate to good, which dropped from outstanding, whether one council got worse last time.
Only graded reports of the same kind are consecutive (an area SEND report or a school report
never sits between two children's services inspections)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from bot import factual
from bot.factual import when_key
from bot.types import Citation
from index.types import Document
from index.vocab import JUDGEMENT_LABELS

# the closed vocabulary of a change of grade, read from a question
_RATING_WORDS = r"(outstanding|good|inadequate|requires? improvement(?: to be good)?|ri)"
_FROM_GRADE = re.compile(rf"\b(?:from|out of|lost|lose|loses|losing|turn(?:ed|s|ing)? (?:a)?round) "
                         rf"(?:an? |its |their |the |being |a rating of |a grade of )?{_RATING_WORDS}\b", re.I)
_UP = re.compile(r"\b(improv\w*|better|up|rose|risen|rise|rising|climb\w*|turn(ed|s|ing)? (it |things |them )?a?round|"
                 r"upgraded|raised|jump\w*|higher( overall)? (grade|rating|judgement|mark|score)s?|higher than (at |in )?(the|their|its) "
                 r"(previous|last|prior|earlier))\b", re.I)
_DOWN = re.compile(r"\b(declin\w*|drop\w*|fell|fall|fallen|falling|worse|worsen\w*|down|downhill|backwards?|slip\w*|"
                   r"slid|slide|sliding|downgraded|deteriorat\w*|lost|los(e|ing)|lower( overall)? (grade|rating|judgement|mark|score)s?|"
                   r"lower than (at |in )?(the|their|its) (previous|last|prior|earlier))\b", re.I)
_SAME = re.compile(r"\b(stayed|stay|remained|remain|stuck|twice in a row|in a row|both times|back[- ]to[- ]back|on the bounce|"
                   r"one (straight |right |directly )?after (the )?other|"
                   r"(keep|kept|keeping|hold on to|held on to|hang on to|hung on to|retain(ed)?|maintain(ed)?) (that|it|this|"
                   r"(the|their|its) (grade|rating)|(an? |the |their |its )?(outstanding|good)( grade| rating)?)|"
                   r"twice running)\b", re.I)
# the same grade at several inspections in turn: 'three times in a row', 'four inspections running', 'a hat-trick'
_COUNTS = {"twice": 2, "two": 2, "three": 3, "four": 4, "five": 5, "hat": 3}
_RUN = re.compile(r"\b(?P<n>twice|two|three|four|five|[2-5])(?: (?:times|inspections|reports|visits|ilacs(?: inspections)?))?"
                  r" (?:in a row|running|on the (?:trot|bounce|spin)|consecutively|in succession|straight)\b|"
                  r"\b(?P<m>two|three|four|five|[2-5]) (?:consecutive|successive|straight|back[- ]to[- ]back) "
                  r"(?:inspections|times|reports|ilacs|visits|ratings|grades)\b|\b(?P<h>hat)[- ]?trick\b", re.I)


def run_length(q: str) -> int:
    """How many inspections in turn a question asks to share one grade (0: not asked)."""
    m = _RUN.search(q)
    word = (m.group("n") or m.group("m") or m.group("h")).lower() if m else ""
    return _COUNTS.get(word) or (int(word) if word.isdigit() else 0)


# 'never better, never worse': the same grade each time, said for emphasis, not a 'never' list
STEADY = re.compile(r"\bnever (any )?(better|worse|higher|lower|up|down)\b(?! than)(,? (and |or |nor )?(never )?(any )?"
                    r"(better|worse|higher|lower|up|down)\b)?", re.I)
_RI = "requires improvement to be good"
# 'never (once) been rated better than requires improvement': that grade or worse every time
BEYOND = re.compile(rf"\bnever (once |ever )?(been |got |had |managed )?(rated |judged |graded )?(anything )?"
                    rf"(?P<way>better|higher|above|worse|lower|below) than (an? )?(?P<grade>{_RATING_WORDS})\b", re.I)
# 'never been rated anything other than outstanding', 'nothing but good', 'only ever outstanding': that grade every time
ONLY = re.compile(rf"\bnever (once |ever )?(been |got |had )?(rated |judged |graded )?(anything |any grade )?(other than|but|except) "
                  rf"(an? )?{_RATING_WORDS}\b|\bnothing (other than|but|except) (an? )?{_RATING_WORDS}\b|"
                  rf"\bonly (ever )?(been )?(rated |judged |graded )?(as )?(an? )?{_RATING_WORDS}\b", re.I)
_ABOVE = re.compile(r"\b(good|outstanding) or (better|above)\b|\bat least good\b|\bgood (and|or) (above|over)\b", re.I)
_BELOW = re.compile(r"\b(requires? improvement|ri) or (worse|below|lower)\b|\b(below|less than|worse than|short of|"
                    r"not( yet)?|(is|are|was|were)n['’]?t) good\b", re.I)


def grade_set(q: str) -> tuple[str, ...]:
    """The grades a question over many reports asks for where it asks for more than one:
    'good or outstanding', 'good or better', 'requires improvement or worse', 'below good',
    'never better than requires improvement' (that grade or below, at every inspection)."""
    m = BEYOND.search(q)
    if m:
        bound = _grade_name(m.group("grade"))
        order = ("inadequate", _RI, "good", "outstanding")
        i = order.index(bound) if bound in order else 0
        return order[:i + 1] if m.group("way").lower() in ("better", "higher", "above") else order[i:]
    if _ABOVE.search(q):
        return "good", "outstanding"
    if _BELOW.search(q):
        return _RI, "inadequate"
    named = list(re.finditer(rf"\b{_RATING_WORDS}\b", q, re.I))
    if len(named) > 1 and all(re.fullmatch(r"\W*(or|and|,)\W*", q[a.end():b.start()]) for a, b in zip(named, named[1:])):
        return tuple(dict.fromkeys(_grade_name(m.group(1)) for m in named))
    return ()


_GRADE_NAMES = {"outstanding": "outstanding", "good": "good", "inadequate": "inadequate"}


def _grade_name(word: str) -> str:
    word = word.lower()
    return "requires improvement to be good" if word.startswith("require") or word == "ri" else _GRADE_NAMES.get(word, word)


def _moves(q: str) -> tuple[str, re.Match | None, re.Match | None, bool]:
    """The question without grade names that hold 'improvement', its first word for a grade
    going up and for one going down, and whether it asks either way ('better or worse?')."""
    text = re.sub(r"requires? improvement( to be good)?|areas? (for|of) improvement|improvement (plan|board|notice)s?|"
                  r"\b(end(s|ed|ing)?|wound|wind(s|ing)?) up\b|"  # 'ended up with': where it landed, not a rise
                  r"\b(measur|stack)(e|es|ed|ing|s)? up\b|"  # 'how does X measure up against ...': a comparison
                  r"\b(up|down) (there|here|north|south)\b|"  # 'councils down there': a place
                  r"\b(needs?|needed|needing|ha(ve|s|d) to|must|should|to) (do |get |be )?(better|improv\w*)\b|"
                  r"\broom (for|to) improv\w*",  # 'what did they need to improve?' asks for the points, not a rise
                  " ", STEADY.sub(" ", _asked(q)), flags=re.I)
    up, down = _UP.search(text), _DOWN.search(text)
    either = False
    if up and down:
        first, second = sorted((up, down), key=lambda m: m.start())
        either = bool(re.search(r"\bor\b", text[first.end():second.start()]) or  # 'up, down or the same?'
                      re.fullmatch(r"\W*", text[first.end():second.start()]) and
                      re.match(r"\W*or (?:did (?:it|they) )?(?:stay(?:ed)?|remain(?:ed)?|(?:about |roughly )?the same)\b",
                               text[second.end():], re.I))
    return text, up, down, either


def direction_of(q: str) -> str:
    """'up', 'down' or 'same' where the question asks about a change of grade ('' otherwise)."""
    text, up, down, either = _moves(q)
    named = {_grade_name(m.group(1)) for m in re.finditer(rf"\b{_RATING_WORDS}\b", q, re.I)}
    run = _RUN.search(text) and not named and (up or down)  # 'got worse twice in a row': each change that way
    if (_SAME.search(text) or _RUN.search(text)) and not (_FROM_GRADE.search(q) and len(named) > 1) and not either \
            and not run:
        return "same"  # not 'from RI to outstanding between two inspections in a row': consecutive, not the same
    if either:
        return ""  # 'better or worse?', 'up or down': either way
    if up and down:
        return "up" if up.start() < down.start() else "down"
    return "up" if up else "down" if down else ""


def either_way(q: str) -> bool:
    """'better or worse?', 'up or down': a change asked after in either direction."""
    return _moves(q)[3]


def verdict_word(before: str, after: str) -> str:
    """'Better', 'Worse' or 'The same grade' from one grade to another."""
    a, b = RANK[before], RANK[after]
    return "Better" if b > a else "Worse" if b < a else "The same grade"


def compared(before: Document, after: Document, area: str = "judgement_overall") -> str:
    """'Better: good (2019) → outstanding (2024).'; for another judgement, its name first."""
    word = verdict_word(grade(before, area), grade(after, area))
    what = "" if area == "judgement_overall" else f" for {JUDGEMENT_LABELS.get(area, area)}"
    return (f"{word}{what}: {grade(before, area)} ({before.facts.get('year')}) → {grade(after, area)} "
            f"({after.facts.get('year')}).")


# a grade's example in brackets ('(e.g. inadequate straight to good)'): no condition of the question's own
GRADED_EXAMPLE = re.compile(rf"\s*\((?:e\.?g\.?|eg|i\.?e\.?|like|such as|for example|for instance|say)\b[^)]*?\b{_RATING_WORDS}\b[^)]*\)",
                            re.I)
# a change of more than one grade at once ('leapt up two grades', 'by two grades or more')
_JUMP = re.compile(r"\b(two|2|three|3)(?: whole| full)? grades?\b|\bmore than (?:one|a single) grade\b", re.I)


def jump(q: str) -> int:
    """How many grades at least a change asked for moves (0: any)."""
    m = _JUMP.search(q)
    return ({"two": 2, "three": 3}.get((m.group(1) or "2").lower()) or int(m.group(1) or 2)) if m else 0


def repeats(q: str) -> int:
    """How many changes in turn, each the same way, a question asks for ('declined twice in a row': 2);
    0 where it names grades, or asks of one change 'between two inspections in a row'."""
    m = _RUN.search(q)
    if not m or re.search(rf"\b{_RATING_WORDS}\b", q, re.I) or re.search(r"\bbetween\W+(\w+\W+)?$", q[:m.start()], re.I):
        return 0
    return run_length(q) if direction_of(q) in ("up", "down") else 0


def is_change_word(word: str) -> bool:
    """A word that says a grade went up, down or stayed ('downhill', 'improved'): no subject."""
    return bool(_UP.fullmatch(word) or _DOWN.fullmatch(word) or _SAME.fullmatch(word))


# the grade a change starts at without 'from': 'inadequate in 2018 but good now'
_THEN = re.compile(rf"\b{_RATING_WORDS}\b(?=[^?.]{{0,40}}?\b(?:but|then|now|later|became|become|becoming|and is|and are|"
                   rf"came back as|come back as|returned as|went on to (?:be|get)|ended up)"
                   rf"\b[^?.]{{0,30}}?\b{_RATING_WORDS}\b)", re.I)
# 'rated outstanding and then lost that at its next inspection': from that grade, to any other
_LOST_IT = re.compile(rf"\b{_RATING_WORDS}\b(?=[^?.]{{0,30}}?\b(?:lost|dropped|lose|losing|gave up|slipped from|fell from) "
                      rf"(?:that|it|this|the (?:rating|grade))\b)", re.I)


# the grade of the earlier inspection named as such: 'good at their previous inspection', and
# 'inadequate in 2022, which were good at their next inspection?'
_ANCHOR = r"(?:at|in|for|on) (?:their|its|the|his|her) "
_PREVIOUS = re.compile(rf"\b{_RATING_WORDS}\b(?= {_ANCHOR}(?:previous|prior|earlier|last but one) (?:inspection|one|visit|report))", re.I)
_BEFORE_NEXT = re.compile(rf"\b{_RATING_WORDS}\b(?=[^?]{{0,60}}?\b(?:{_RATING_WORDS}(?: or (?:better|worse|above|below))?|"
                          rf"better|worse|higher|lower|improved|declined)(?: (?:overall )?(?:grade|rating|judgement|mark)s?)?"
                          rf" {_ANCHOR}(?:next|following|subsequent) (?:inspection|one|visit|report|ofsted|time))", re.I)
_FROM_YEAR = re.compile(rf"\b{_RATING_WORDS} (?:in|at (?:an? |the |their |its )?inspections? in) ((?:19|20)\d\d)\b", re.I)


# a grade of the earlier inspection set aside: 'don't include the ones climbing out of inadequate'
_NOT_FROM = re.compile(rf"\b(?:not counting|excluding|except(?: for)?|apart from|leaving out|ignoring|(?:do not|don['’]?t|dont) "
                       rf"(?:include|count)|not including|other than|aside from|but not)\b[^?.,;:]{{0,50}}?"
                       rf"\b(?:from|out of|leaving|escaping)\s+(?:an?\s+|being\s+)?{_RATING_WORDS}\b", re.I)


def _asked(q: str) -> str:
    """The question with a grade set aside blanked out, each character kept in place."""
    return _NOT_FROM.sub(lambda m: " " * len(m.group(0)), q)


def _from_match(q: str) -> re.Match | None:
    q = _asked(q)
    m = _FROM_GRADE.search(q) or _THEN.search(q) or _BEFORE_NEXT.search(q) or _LOST_IT.search(q)
    if m:
        return m
    m = _PREVIOUS.search(q)  # a change only where another grade or a direction is asked beside it
    rest = q[:m.start()] + " " + q[m.end():] if m else ""
    return m if m and (re.search(rf"\b{_RATING_WORDS}\b", rest, re.I) or _moves(rest)[1] or _moves(rest)[2]) else None


# a change over three or more consecutive inspections: 'from good to RI and then back to good',
# 'inadequate, then RI, then good'; each cue starts the next step ('back': to the grade it started at)
_STEP = re.compile(r"\b(?:and then|then|and back|back(?= (?:to|again|up)\b)|afterwards|after that|later on|"
                   r"(?:managed to |went on to |did (?:they|it) )?(?:keep|kept|stay(?:ed)?|remain(?:ed)?|hold on to|held on to))\b",
                   re.I)


def path(q: str) -> tuple[str, ...]:
    """The grades of three or more consecutive inspections a question asks for, in order
    ('slipped from good to RI and then climbed back to good or better': good, RI, good or
    outstanding); () for a change between two inspections."""
    m = _FROM_GRADE.search(q) or _THEN.search(q)
    if not m:  # 'inadequate three times in a row', 'good or better at three inspections running'
        n, several = run_length(q), grade_set(q)
        named = {_grade_name(x.group(1)) for x in re.finditer(rf"\b{_RATING_WORDS}\b", q, re.I)}
        one = " or ".join(several) if len(several) > 1 else next(iter(named)) if len(named) == 1 else ""
        return (one,) * n if n > 2 and one else ()
    start, rest = _grade_name(m.group(1)), q[m.end():]
    cues = list(_STEP.finditer(rest))
    steps: list[str] = []
    for i, seg in enumerate(re.split(_STEP.pattern, rest, flags=re.I)):
        several = grade_set(seg)
        named = [_grade_name(x.group(1)) for x in re.finditer(rf"\b{_RATING_WORDS}\b", seg, re.I)]
        if several or named:
            steps.append(" or ".join(several) if len(several) > 1 else named[0])
        elif i and "back" in cues[i - 1].group(0).lower() and steps:
            steps.append(start)  # 'from good to RI and back': good again
    return (start, *steps) if len(steps) > 1 else ()


def grade_from(q: str) -> str:
    """The grade a change starts at; 'not X' where the question sets that one aside."""
    m, n = _from_match(q), _NOT_FROM.search(q)
    return _grade_name(m.group(1)) if m else f"not {_grade_name(n.group(1))}" if n else ""


def from_year(q: str) -> int | None:
    """The year of the earlier inspection where the question gives it beside the grade it
    starts from ('of the councils rated inadequate in 2022, which were good next time?')."""
    m = _from_match(q)
    if not m:
        return None
    y = _FROM_YEAR.match(q, m.start(1))
    if y and m.re is _FROM_GRADE and not (m.group(0).lower().startswith("from") and " at " not in y.group(0).lower()):
        return None  # 'got out of inadequate at inspections in 2025', 'lost outstanding in 2024': when it changed
    return int(y.group(2)) if y else None


def to_grade(q: str) -> str:
    """The grade a change ends at: the grade word after 'from X' ('from inadequate to good'),
    or the one grade word of a question without 'from'; several, joined by 'or', where the
    question asks for more than one ('from inadequate to good or better'); over three
    inspections or more, the last ('from good to RI and back to good')."""
    if steps := path(q):
        return steps[-1]
    q = _asked(q)
    m = _from_match(q)
    rest = q[:m.start()] + " " + q[m.end():] if m and m.re is _PREVIOUS else q[m.end():] if m else q
    several = grade_set(rest)
    if len(several) > 1:
        return " or ".join(several)
    start = _grade_name(m.group(1)) if m else ""
    moved = direction_of(q) in ("up", "down")  # 'lost outstanding ... was outstanding and then marked down'
    later = [g for g in (_grade_name(x.group(1)) for x in re.finditer(rf"\b{_RATING_WORDS}\b", rest, re.I))
             if not (moved and g == start)]
    return later[0] if later else ""


RANK = {"inadequate": 0, "requires improvement to be good": 1, "requires improvement": 1, "good": 2,
        "outstanding": 3}


@dataclass(frozen=True)
class Change:
    key: str  # the provider
    before: Document
    after: Document
    area: str = "judgement_overall"  # the judgement that changed
    between: tuple[Document, ...] = ()  # the inspections between, where a change over several is asked

    @property
    def start(self) -> str:
        return grade(self.before, self.area)

    @property
    def end(self) -> str:
        return grade(self.after, self.area)


def grade(doc: Document, area: str = "judgement_overall") -> str:
    return str(doc.facts.get(area) or "").lower()


def beyond(doc: Document, area: str, bound: str) -> bool:
    """Whether ``doc`` was graded for ``area`` within ``bound``: 'not good' (any other grade),
    'above inadequate', 'below good', 'above judgement_overall' (than its own grade for that)."""
    word, _, g = bound.partition(" ")
    got, other = RANK.get(grade(doc, area)), RANK.get(grade(doc, g) if g.startswith("judgement_") else g)
    if got is None or other is None:
        return False
    return got != other if word == "not" else got > other if word == "above" else got < other


def sequences(docs: Iterable[Document], provider_of: Callable[[Document], str],
              area: str = "judgement_overall") -> dict[str, list[Document]]:
    """Each provider's children's services reports graded for ``area``, oldest first."""
    out: dict[str, list[Document]] = {}
    for d in sorted(docs, key=when_key):
        if d.facts.get("report_type") in ("area_send", "school", "care_home") or grade(d, area) not in RANK:
            continue
        key = provider_of(d)
        if key:
            out.setdefault(key, []).append(d)
    return out


def _walks(docs: Iterable[Document], steps: tuple[str, ...], area: str) -> bool:
    """Whether consecutive ``docs`` were graded each step of ``steps`` in turn ('good or outstanding': either)."""
    return all(RANK[grade(d, area)] in {RANK.get(g) for g in step.split(" or ")} for d, step in zip(docs, steps))


def matches(start: str, end: str, grade_from: str, grade_to: str, direction: str, least: int = 0) -> bool:
    a, b = RANK[start], RANK[end]
    if least and abs(b - a) < least:  # 'up two grades or more'
        return False
    if grade_from and (RANK.get(grade_from.removeprefix("not ")) == a if grade_from.startswith("not ")
                       else RANK.get(grade_from) != a):  # 'not counting those from inadequate'
        return False
    if grade_to and b not in {RANK.get(g) for g in grade_to.split(" or ")}:  # 'good or outstanding'
        return False
    if direction == "up" and b <= a or direction == "down" and b >= a or direction == "same" and a != b:
        return False
    return bool(grade_from or grade_to or direction) and (a != b or direction == "same")


def changes(seqs: dict[str, list[Document]], grade_from: str = "", grade_to: str = "", direction: str = "",
            year: int | None = None, latest_only: bool = False, area: str = "judgement_overall",
            since: int | None = None, until: int | None = None, from_year: int | None = None,
            steps: tuple[str, ...] = (), least: int = 0, moves: int = 0) -> list[Change]:
    """Every pair of consecutive inspections that fits; ``year``: the later one ended that year;
    ``from_year``: the earlier one did ('inadequate in 2022, good at the next one'); ``since`` and
    ``until``: the change came at an inspection ending within those years ('got worse at
    inspections in 2020 or 2021', '2018 or later'); ``latest_only``: only each provider's last two
    inspections; ``steps``: the grades of three or more consecutive inspections, in turn."""
    out = []
    n = max(len(steps), 2, moves + 1)
    for key, seq in seqs.items():
        runs = [seq[i:i + n] for i in range(len(seq) - n + 1)]
        if latest_only:
            runs = runs[-1:]
        for run in runs:
            a, b = run[0], run[-1]
            if steps:  # the year said of any of the later inspections ('good to outstanding in 2022, and kept it')
                if _walks(run, steps, area) and not (year and all(int(d.facts.get("year") or 0) != year for d in run[1:])):
                    out.append(Change(key, a, b, area, tuple(run[1:-1])))
                continue
            if year and int(b.facts.get("year") or 0) != year:
                continue
            if from_year and int(a.facts.get("year") or 0) != from_year:
                continue
            if since and int(b.facts.get("year") or 0) < since or until and int(b.facts.get("year") or 0) > until:
                continue
            if moves > 1:  # 'worse twice in a row': every change of the run that way
                if all(matches(grade(x, area), grade(y, area), "", "", direction) for x, y in zip(run, run[1:])):
                    out.append(Change(key, a, b, area, tuple(run[1:-1])))
            elif matches(grade(a, area), grade(b, area), grade_from, grade_to, direction, least):
                out.append(Change(key, a, b, area))
    return out


def change_line(c: Change, name: str, cites: list[Citation], page_text) -> str:
    """'- Salford: inadequate (2015) → good (2018) [1][2]', each grade cited to its report."""
    refs, steps = [], []
    for doc in (c.before, *c.between, c.after):
        cite = factual.fact_citation(len(cites) + 1, doc, c.area, page_text)
        if cite is not None:
            cites.append(cite)
            refs.append(f"[{cite.n}]")
        steps.append(f"{grade(doc, c.area)} ({factual.when(doc) or doc.facts.get('year')})")
    return f"- {name}: {' → '.join(steps)} {''.join(refs)}"


def verdict(seq: list[Document], grade_from: str, grade_to: str, direction: str,
            area: str = "judgement_overall") -> str:
    """'Yes' or 'No' for one provider's last change ('did X get worse at its last inspection?'),
    or for any change from one grade to another ('did X go from inadequate to good?'), of ``area``."""
    if len(seq) < 2:
        return ""
    if grade_from or grade_to:
        pairs = list(zip(seq, seq[1:]))
        return "Yes" if any(matches(grade(a, area), grade(b, area), grade_from, grade_to, direction)
                            for a, b in pairs) else "No"
    if direction:
        return "Yes" if matches(grade(seq[-2], area), grade(seq[-1], area), "", "", direction) else "No"
    return ""

"""The words of a question once its names are out: what the model reads and a search looks
for ('social worker turnover', not 'Waltham Forest', which every passage of its reports holds)."""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from bot.names import ProviderIndex, expand, normalise
from bot.vocabulary import AREAS, DEICTIC, FILLER, GRADE, GRADE_WORDS, asking_sentences, sentences


# someone's verdict on a council put to the reports ('my sister reckons X is rubbish - is that what
# ofsted thinks?', 'people say they're failing, is that fair?'): the inspectors' verdict first
HEARSAY = re.compile(r"(?:^|(?<=[.!?,;:-]))\s*(true|right|fair|correct|accurate|really)\s*\?+\s*$|"
                     r"\b(is|was) (that|it|this|she|he|they) (actually |really |even |honestly |genuinely |definitely |still )?"
                     r"(true|right|fair|correct|accurate|the case|"
                     r"what (ofsted|the inspectors?|inspectors|the reports?) (actually |really )?(think|thinks|thought|says?|said|found|reckons?))"
                     r"(\s*[?.!]*\s*$|\s+or\b[^?]{0,40}[?.!]*\s*$)|\bdo(es)? (ofsted|the inspectors?|inspectors|the reports?) agree\b", re.I)
# the words that report a claim ('a neighbour said ...', 'keeps telling me ...'): what follows is the claim put
REPORTED = re.compile(r"\b(say|said|says|saying|told (me|us)|tells? (me|us)|telling (me|us)|reckons?|heard|claims?|claimed|"
                      r"posted|reckoned)\b", re.I)
CLAIMED = re.compile(r"\b(rubbish|bad|terrible|awful|useless|failing|shocking|poor|dreadful|a (mess|shambles|disgrace)|"
                     r"slated|slammed|panned|hammered|torn apart|"
                     r"struggling|great|brilliant|excellent|fantastic|amazing|the best|the worst)\b", re.I)


def topic_words(question: str, providers: ProviderIndex) -> list[str]:
    """The question's words that are neither names, years nor filler: what it is about."""
    words = expand(normalise(question)).split()
    spans = providers.locate(question)
    named = {i for s, e, _ in spans for i in range(s, e)}
    name_words = set().union(*(providers.name_words(k) for _, _, k in spans)) if spans else set()
    kin = {i for i, w in enumerate(words) if w in _KIN and i and words[i - 1] in _OWNERS}  # 'my family lives in X'
    costs = {i for i, w in enumerate(words) if w == "living" and words[i - 2:i] == ["cost", "of"]}  # 'cost of living'
    also = {i for i, w in enumerate(words) if w == "well" and words[i - 1:i] == ["as"]}  # 'as well': 'too'
    also |= {i for i, w in enumerate(words) if w in ("measure", "measures", "stack", "stacks")
             and words[i + 1:i + 2] == ["up"]}  # 'how does X measure up': a comparison, not 'special measures'
    also |= {i for i, w in enumerate(words) if w in _SEND_SERVICE and words[i - 1:i] == ["send"]}  # 'send provision': SEND
    return [w for i, w in enumerate(words) if i not in named and i not in kin and i not in also
            and (w not in FILLER or i in costs) and not w.isdigit() and len(w) > 1 and w not in name_words]


# the asker's own people ('my family', 'our son'): who asks, not what the question is about
_KIN = set("""family son sons daughter daughters child children kid kids grandchild grandchildren grandson
granddaughter nephew niece cousin cousins partner husband wife mum mom dad brother sister
stepson stepdaughter""".split())
_OWNERS = {"my", "our", "his", "her", "their"}
# what SEND's services are called after the word ('send provision', 'send services'): SEND, no subject
_SEND_SERVICE = set("provision services service support system arrangements partnership offer".split())


_JOINERS = {"and", "&", "of", "the", "on", "upon", "in"}  # words a name shares with the question


def without_names(question: str, providers: ProviderIndex) -> str:
    """The question with the councils it names and its years taken out: what to search a
    report for ('social worker turnover', not 'Waltham Forest', which every passage mentions)."""
    words = expand(normalise(question)).split()
    drop = {w for s, e, _ in providers.locate(question) for w in words[s:e]}
    tokens = re.findall(r"[\w'’&-]+|[?,.]", question)

    def named(w: str) -> bool:  # 'southend-on-sea' and the '&' of 'brighton & hove' are the name's
        parts = [p for p in re.split(r"-", re.sub(r"['’]s$", "", w.lower()).replace("&", "and")) if p]
        return bool(parts) and all(p in drop for p in parts)
    out = [named(w) and w.lower() not in _JOINERS for w in tokens]
    for i, w in enumerate(tokens):  # 'and', 'of' and ',' only inside a name: 'hammersmith and fulham'
        if 0 < i < len(tokens) - 1 and out[i - 1] and named(tokens[i + 1]) and (
                w == "," or w.lower() in _JOINERS and named(w)):
            out[i] = True
    kept = [w for w, gone in zip(tokens, out) if not gone and not re.fullmatch(r"(19|20)\d\d", w)]
    return " ".join(kept)


# the grade words, a closed vocabulary: a misspelling of one is read as it ('inadequte', 'outstandng')
_GRADE_SPELLINGS = ("inadequate", "outstanding", "improvement", "requires")
# real words within an edit or two of a grade word, never corrected
_REAL_WORDS = {"adequate", "required"}


def spelled(question: str) -> str:
    """The question with misspelt grade words spelled right: one edit in a word of up to eight
    letters, two in a longer one; a word that only extends a grade word ('inadequately') or is a
    real word ('adequate', 'required') is left alone. A grade in quotes loses its quotes."""
    def fix(m: re.Match) -> str:
        word = m.group(0)
        low = word.lower()
        if len(low) < 7 or low in _REAL_WORDS or low in _GRADE_SPELLINGS:
            return word
        for target in _GRADE_SPELLINGS:
            if low.startswith(target):
                return word
            if OSA.distance(low, target) <= (1 if len(target) <= 8 else 2):
                return target
        return word
    return _QUOTED_GRADE.sub(r"\1", re.sub(r"[A-Za-z]+", fix, question))


# a grade in quotes ("from 'requires improvement' to 'outstanding'") is the grade itself
_QUOTED_GRADE = re.compile(r"(?<!\w)['‘\"“](requires? improvement(?: to be good)?|inadequate|outstanding|good|RI)"
                           r"['’\"”](?!\w)", re.I)


# who asks, said before the question ('journalist here - what do ...', 'hi, foster carer here: is ...'):
# the asker, not a place ('here') nor a subject
_INTRODUCED = re.compile(r"^\W*(?:(?:hi|hello|hey)\b[\s,!.]*)?(?:(?:an?|the)\s+)?[a-z]+(?:\s+[a-z]+){0,4}\s+here\s*[-–:,.!]+\s*(?=\S)",
                         re.I)


def unintroduced(question: str, names=lambda text: False) -> str:
    """The question without the asker's introduction of themselves ('journalist here - '); where
    the introduction names a council (``names(text)``: 'Halton parent here, ...'), only its 'here'."""
    m = _INTRODUCED.match(question)
    if not m or re.search(r"\b(round|around|near|live|living|from|in|over|up|down|out)\s+here\b", m.group(0), re.I):
        return question  # 'round here', 'we live here': a place, not who asks
    if names(m.group(0)):
        return re.sub(r"\s+here\b", "", m.group(0), count=1, flags=re.I) + question[m.end():]
    return question[m.end():]


def claim_put(text: str) -> tuple[str, str]:
    """A claim put to the reports by a question that asks whether it is so, and the claim with
    that question ('a neighbour said X went downhill. is that right?' -> 'X went downhill.', 'X
    went downhill. is that right?'; 'everyone says X is a shambles, is that still what ofsted
    thinks?'); ('', '') where none is."""
    asks = HEARSAY.search(text)
    claim = list(REPORTED.finditer(text[:asks.start()])) if asks else []
    if not claim:
        return "", ""
    said = text[claim[-1].end():asks.start()].strip(" ,;:–-")
    return said, f"{said} {text[asks.start():].strip()}".strip()


# words that set a council aside ('nottingham (the city, not notts county)', 'bury, not wigan')
_NOT_THIS = re.compile(r"\b(not|except|excluding|rather than|instead of|apart from|never mind)( the)?$")


def named_not_set_aside(text: str, spans: list) -> list:
    """The councils ``text`` names (``ProviderIndex.locate`` spans), less those it sets aside, where
    another is left, and less one said only of the other (``_in_passing``)."""
    words = expand(normalise(text)).split()
    kept = [(s, e, k) for s, e, k in spans if not _NOT_THIS.search(" ".join(words[max(0, s - 3):s]))]
    return _in_passing(text, words, kept) if kept else spans


# two councils set together: compared, ranked, or both asked about
_SET_TOGETHER = re.compile(r"\b(compar\w*|vs|versus|v|than|better|worse|both|between|differ\w*|same as|similar\w*|either|"
                           r"neither|each|rank\w*|league|against|alongside|all|like|as \w+ as|"
                           r"which (?:one|of|is|was|council|did|has|had))\b", re.I)
_JOINING = {"and", "or", "&", "plus", "nor", "vs", "versus", "v"}


def _in_passing(text: str, words: list[str], spans: list) -> list:
    """Of two councils not set together, the one asked about: the council of the sentence that
    asks, else the one named first ('the isle of wight had a long tie-up with hampshire running
    its services. what does ofsted say about that arrangement?' asks of the Isle of Wight)."""
    if len(spans) != 2 or spans[0][2] == spans[1][2] or _SET_TOGETHER.search(text):
        return spans
    asked = [expand(normalise(a)).split() for a in asking_sentences(text)[-1:]]
    def said_in(s: int, e: int) -> bool:
        return any(a[i:i + e - s] == words[s:e] for a in asked for i in range(len(a)))
    named = [sp for sp in spans if said_in(sp[0], sp[1])]
    if len(named) == 1:  # 'moved from bolton to bury - how is bury doing?'
        return named
    (s1, e1, _), (s2, e2, _) = sorted(spans)
    between = words[e1:s2]
    if len(between) < 3 or _JOINING & set(between):  # 'wigan, salford', 'wigan and then salford'
        return spans
    return [min(spans)]


# what a claim says of its subject, after 'is'/'are' ('... social services are hopeless', '... is a total
# mess'): the claim's verdict, not a subject asked about
_VERDICT = re.compile(r"\b(?:is|are|was|were|been|being|'s|'re)\s+(?:(?:a|an|so|really|totally|completely|utterly|"
                      r"just|still|absolutely|pretty|quite|very|now|getting|always|seriously)\s+)*"
                      r"((?:total|complete|absolute|right|real|proper|utter)\s+)?([a-z]+)\b", re.I)


def claim_verdict(claim: str) -> set[str]:
    """The words of what a claim says of its subject ('hopeless', 'total', 'disaster')."""
    return {w.lower() for m in _VERDICT.finditer(claim) for w in (m.group(1) or "").split() + [m.group(2)]}


# the asker's own people and where they stand ('my niece was put on a child protection plan', 'my
# son is in care'): a situation, said before what is asked
_SITUATION = re.compile(r"\b(?:my|our)\s+(?:\w+\s+)?(?:son|daughter|child|kid|kids|children|niece|nephew|grandson|"
                        r"granddaughter|grandchild|grandchildren|grandkids|lad|girl|boy|sister|brother|cousin)s?(?:'s|’s)?\b|"
                        r"\b(?:i|we)(?:'m| am|'re| are| was| were)\s+(?:a |an )?(?:care leaver|in care|fostered|adopted)\b", re.I)


def situation_area(text: str) -> str:
    """The judgement the asker's own situation, said before the question, falls under ('my niece
    was put on a child protection plan by X. is X any good?': help and protection); '' else."""
    parts = [p for s in sentences(text) for p in re.split(r",\s+|\s[-–]\s", s)]
    said = [p for p in parts[:-1] if _SITUATION.search(p) and not p.rstrip().endswith("?")]
    return next((n for n, p in AREAS if any(p.search(x) for x in said) and n not in (
        "judgement_overall", "judgement_previous_overall")), "")


# a subject named in quotes ("the 'house project'", '"staying close"'), not a grade or a judgement
QUOTED = re.compile(r"(?:^|(?<=[\s(]))['‘\"“]([a-z][\w&/ -]{2,40}?)['’\"”](?=[\s,.?!;:)]|$)", re.I)


def quoted_subject(q: str) -> str:
    """The subject a question names in quotes, where it names one that is no grade ('' else)."""
    for m in QUOTED.finditer(q):
        if not GRADE.search(m.group(1)) and not GRADE_WORDS.search(m.group(1)):
            return m.group(1)
    return ""


# what reports in general say, asked with no council ('what are recent ofsted reports saying about X?')
_ACROSS_REPORTS = re.compile(r"\b(?:do|are|have|did) (?:any |all |some |most )?(?:of )?(?:the |recent |latest |other |ofsted(?:'s)? |"
                            r"inspection |these )*reports\b|"
                            r"\bacross (?:the )?reports\b", re.I)


def own_place(q: str) -> bool:
    """Whether the asker means their own council ('our council', 'round here'): not where what is
    asked is what reports in general say, and only the context before it says 'our lad'."""
    asked = asking_sentences(q)
    return bool(DEICTIC.search(q)) and not (asked and _ACROSS_REPORTS.search(" ".join(asked))
                                            and not any(DEICTIC.search(s) for s in asked))

"""Reading a question: which provider, which report, what is asked.

``parse`` reads one question on its own into a frozen ``Query`` (``bot.conversation`` reads it
within its conversation). Closed vocabularies are read by patterns: years, grade and
judgement words, report types, names, refusals. What is asked beyond those comes from a model
trained on labelled questions (``bot.operations``): the kind of fact or passage asked of a
report, and the operation and expected answer type, put together with the closed vocabularies
by ``reconcile``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.changes import direction_of, grade_from, grade_set, is_change_word, to_grade
from bot.names import ProviderIndex, expand, named_facility, normalise
from bot.operations import PlanModel, Prediction, named_feature
from bot.refusals import refusal, split_declined
from index.vocab import JUDGEMENT_LABELS

MAX_TURN = 2000  # characters of an earlier question read back from the history

# kinds that are about one council's report(s): without a council they need one named
NEEDS_PROVIDER = {"grade", "assess", "inspector", "dates", "improve", "next", "published", "where",
                  "timeline", "compare"}

_LATEST = re.compile(r"\b(latest|most recent(ly)?|last (time|inspection|inspected|ofsted|report|full)|"
                     r"current(ly)?|now|newest|these days|today|right now|at the moment)\b", re.I)
# the report after the one under discussion ('and the next one after that?'); a question of
# when the next inspection is due is not a step ('when's the next one due?')
_AFTER = re.compile(r"\b(next one after|one after (that|this|it)|inspection after (that|this|it)|"
                    r"report after (that|this|it)|the following (one|inspection|report)|"
                    r"(what about|and|how about) the next (one|inspection|report)\s*(after that)?\s*\??\s*$)", re.I)
_BEFORE = re.compile(r"\b(time before|one before|inspection before|before that|before this|before the \w+ one|"
                     r"previous (one|inspection|report|time)|prior (one|inspection)|the one before|"
                     r"before (its|their|the) (last|latest|most recent)( one| inspection| report)?)\b", re.I)
_DEICTIC = re.compile(r"\b((my|our) (local )?(council|local authority|authority|area|la|borough|county|town|city|"
                      r"children'?s services|social services|send)|my area'?s|our area'?s|this council|"
                      r"we|us|our|ours|here|round here|near me)\b", re.I)

# closed vocabularies that decide the kind outright
_INSPECTOR = re.compile(r"\b((lead|reporting) inspector|inspectors? (name|called)|who (led|inspected|headed)|hmi|"
                        r"who (was|were) (the )?(lead )?inspectors?|inspector'?s name)\b", re.I)
_SAY_ABOUT = re.compile(r"\b(say|said|says|write|wrote|find|found|think|thought)\b[^?]{0,120}\babout\b", re.I)
_HOW_MANY = re.compile(r"\b(how many|how much|what (proportion|percentage|number|%)|number of|per ?cent)\b", re.I)
_DATES = re.compile(r"\b(when (was|were|did|is)\b[^?]{0,80}\b(inspect\w*|(ofsted|inspectors|cqc) (last )?(come|came|go|went|"
                    r"visit\w*))|"
                    r"inspection dates?|dates? of (the )?inspection|when did (ofsted|inspectors|cqc)|"
                    r"how long did the inspection|when was (that|this|it)\b|when did they (come|visit))", re.I)
_NEXT = re.compile(r"\b(next|future|another|re-?inspect\w*|monitoring) (full )?(area SEND |SEND |ofsted )?"
                   r"(inspection|visit)|when will\b[^?]{0,120}\b(inspect\w*|visit\w*|back|return)|(be )?back to check|"
                   r"next (one )?(due|time)|when\W?s the next", re.I)
_PUBLISHED = re.compile(r"\b(when|what (date|day|month)|which (date|day|month)) (was|were|did)\b[^?]{0,120}\b"
                        r"(published|released|announced|come out)\b|\bpublication date\b|\bdate (it was )?published\b", re.I)
_IMPROVE = re.compile(r"\b(needs? to improve|improve\b|improvements?\b(?! to be good)|weakness(es)?|work on|"
                      r"areas? for|recommendations?|do better|needs? to change|priority actions?|shortcomings|fix|"
                      r"criticis\w*|concerns?|worr(y|ied|ies|ying)|problems?|failings|went wrong|going wrong|not good at)\b", re.I)
_OVERVIEW = re.compile(r"\b(headlines?|summary|summarise|sum up|in a nutshell|main findings|key findings|overview|"
                       r"tell me about|what (was|is) it like|what did (ofsted|inspectors|they|it) find\??$|"
                       r"like about|liked|strengths|strong points|doing well|good things|praised?)", re.I)
# 'what did ofsted find in bolton in 2018?' once its names and years are out: an overview
_FIND_PLAIN = re.compile(r"\bwhat did (ofsted|inspectors|they|it|the inspectors?|the (latest |last |recent )?(\w+ )?"
                         r"(inspection|report|visit)( of| in| at| for)?) (find|say|conclude|think)"
                         r"(\s+(in|about|of|at|for|with|on|the))*\s*\W*$", re.I)
_TIMES = re.compile(r"\bhow (many times|often)\b|\bhow many (ofsted |cqc )?(inspections|reports)\b", re.I)
_TIMELINE = re.compile(r"\b(changed?|change over|over time|history|track record|trend|over the years|each inspection|"
                       r"all (the |their |its )?inspections|since (\d{4}|it was|then|the last)|progress(ed)? since|"
                       r"previous inspections|journey|(got|getting|is|are|any) (any )?(better|worse)|gone up or down|up or down|"
                       r"improved|improving|declined|(better|worse) than (before|last time)|"
                       r"(last|past|previous) (two|three|four|five|\d) ([\w'’]+ ){0,3}(inspections|results|grades|"
                       r"ratings|reports)|from \d{4} (to \d{4}|on(wards)?)|(grades|ratings|results) in order|used to be|"
                       r"what happened (after|since|next|then)|always been|ever (been )?(rated|judged|graded)|"
                       r"\d{4} (vs|versus|v|or|against|compared (to|with)) \d{4}|better or worse|worse or better)\b", re.I)
_SEND_OUTCOME_WORDS = re.compile(r"\b(positive|inconsistent|systemic|widespread)\b", re.I)
_SEND_OUTCOME = re.compile(r"\b(positive|inconsistent|systemic|widespread)\b(\W+\w+){0,3}?\W+(experiences?|outcomes?|"
                           r"failings?)\b", re.I)
# England's regions, as a question over many councils names them ('london boroughs', 'councils
# in the north west'): not the City of London, not North East Lincolnshire
_REGION_NAMES = (("London", r"london(?!\s+borough of|\s+corporation)"), ("North East", r"north[- ]?east(?!\s+(?:lincoln|lincs|somerset))"),
                 ("North West", r"north[- ]?west"), ("Yorkshire and the Humber", r"yorkshire(?: and (?:the )?humber)?"),
                 ("East Midlands", r"east midlands"), ("West Midlands", r"west midlands"),
                 ("East of England", r"east of england"), ("South East", r"south[- ]?east"), ("South West", r"south[- ]?west"))
_REGION = re.compile(r"\b(?<!north )(?<!south )(?<!west )(?<!riding of )(?:(?:in|across|around) (?:the )?(?P<r>" + "|".join(f"(?P<r{i}>{p})" for i, (_, p)
                     in enumerate(_REGION_NAMES)) + r")\b|(?P<s>" + "|".join(f"(?P<s{i}>{p})" for i, (_, p) in
                     enumerate(_REGION_NAMES)) + r")(?=\s+(?:boroughs?|councils?|authorities|las|areas)\b))", re.I)


def _region(m: re.Match) -> tuple[str, int, int]:
    """(the region's name, where its words start and end in the question)."""
    g = "r" if m.group("r") else "s"
    i = next(i for i in range(len(_REGION_NAMES)) if m.group(f"{g}{i}"))
    return _REGION_NAMES[i][0], m.start(g), m.end(g)


# a question over many providers ("which councils ...", "how many local authorities ...")
MANY_PROVIDERS = re.compile(r"\b(which|what|list( the)?|name the|how many|who)\b[^?]{0,120}\b(councils|local authorities|"
                            r"authorities|areas|places|providers|las|boroughs)\b|\bwho (was|were|got)\b[^?]{0,120}\b(rated|judged|outstanding|"
                            r"inadequate|good)\b|\blist\b", re.I)
_GRADE_WORDS = re.compile(r"\b(grades?|graded|rate|rated|rating|ratings|judged|judge?ments?|score|verdict|result|"
                          r"results|outcome|marks?|conclu\w+)\b|\bhow (did|do|does|has|have)\b[^?]{0,120}\b(do|doing|done|fare|fared|"
                          r"perform\w*|get on|got on)\b", re.I)
_GRADE = re.compile(r"\b(outstanding|good|inadequate|requires? improvement(?: to be good)?)\b", re.I)
_EVALUATIVE = re.compile(r"^\s*(is|are|was|were|does|do|has|have|how (good|well|are|is|do|does))\b|"
                         r"\b(any good|good at|good with|doing ok|doing okay|ok for|okay for|decent|safe)\b", re.I)
_SEND_UPPER = re.compile(r"\bSEND\b")  # the noun; 'send' as a verb is left alone
_SEND = re.compile(r"\barea send\b|\bsend (inspections?|support|services?|system|reports?|provision|partnerships?|areas?|"
                   r"outcomes?|results?|local offer|children|needs|team|reforms?)\b|\b(with|for|and|our|their|its|the) send\b|"
                   r"\bsend\b(?=\s*[-–:,?]|\s*$)|"
                   r"special educational needs|\bEHC ?Ps?\b|\bEHC plans?\b|education,? health and care plans?|"
                   r"\bautism|\bautistic|\badhd\b|local offer|speech and language|speech therap\w*|special needs|"
                   r"neurodevelopment|\bSENCO|special schools?\b|\bdyslexi\w*", re.I)


def is_send(question: str) -> bool:
    return bool(_SEND_UPPER.search(question) or _SEND.search(question))


_NEWS = re.compile(r"\b(news|press release|press|announce\w*|statement)\b", re.I)
# the council itself speaking ('what did salford say after ...', names out: 'what did say after ...')
_COUNCIL_SAID = re.compile(r"\b(what|how) (did|has|have|does) (the )?(council |local authority |authority )?"
                           r"(say|said|respond\w*|react\w*|reply|replied)\b", re.I)
_WHERE = re.compile(r"^\s*(where is|where's|what is the address of)\b", re.I)
AREAS = [
    ("judgement_safe", re.compile(r"\b(is|are)\b[^?]{0,120}\bsafe\b(?! (for|from))", re.I)),
    ("judgement_well_led", re.compile(r"\bwell[- ]led\b", re.I)),
    ("judgement_caring", re.compile(r"\b(is|are)\b[^?]{0,120}\bcaring\b", re.I)),
    ("judgement_responsive", re.compile(r"\b(is|are)\b[^?]{0,120}\bresponsive\b", re.I)),
    ("judgement_previous_overall", re.compile(r"\b(previous inspection|inspection before|before that)\b", re.I)),
    ("judgement_care_leavers", re.compile(r"\b(care[- ]leavers?|leaving care|left care)\b", re.I)),
    ("judgement_adoption", re.compile(r"\badopt\w*", re.I)),
    ("judgement_children_in_care", re.compile(r"\b(children in care|kids in care|looked[- ]after|in care\b|permanence)", re.I)),
    ("judgement_help_protection", re.compile(r"\b(help and protection|need help|protection|protecting|protect)\b", re.I)),
    ("judgement_leaders", re.compile(r"\b(leaders|leadership|management|managers)\b", re.I)),
    ("judgement_teaching", re.compile(r"\bteaching\b", re.I)),
    ("judgement_outcomes", re.compile(r"\boutcomes for pupils\b", re.I)),
    ("judgement_early_years", re.compile(r"\bearly years\b", re.I)),
    ("judgement_personal_development", re.compile(r"\b(personal development|behaviour)\b", re.I)),
]
# words that say nothing about the topic of a question about a council's inspection
FILLER = set("""a an the and or of to in on for at by with from about as is are was were be been being do does
did doing done has have had what which who whom whose when where why how this that these those it its
their there they them he she his her our your my we you i me us can could should would will shall may
might must not no yes any all some most more much many very than then so such into over under after
before since during per up out if also just only other ofsted inspection inspections inspected inspector
inspectors report reports council councils services service children child childrens kids kid social
care work local authority say said tell according latest last recent recently time now current currently
these days today rating ratings rated rate grade grades graded judged judgement judgements judgment judgments
result results score verdict mark marks good bad any ok okay outstanding inadequate requires require required
improvement overall
effectiveness get got gets getting think thought came come go went going ofsteds full please thanks hi
hello ok right actually really back like lot whats what's is it was it dept department lately year years
area areas send cqc joint inspection's childrens' children's kids' doing fare fared give gave given
award awarded receive received achieve achieved one only word words make made opinion view views
previous prior earlier before ones tell can could still yet ever things thing stuff same first then pls plz thx
keep keeps saying says mention mentions mentioned often usually commonly generally typically
didnt didn't doesnt isnt wasnt arent werent vs versus onwards happened across england
press release releases statement statements news announcement""".split())
_GOT = re.compile(r"\b(get|got|give|gave|given|award\w*|receive\w*|achiev\w*|come out|do|did|doing|fare|fared)\b", re.I)
# words of a question that only make sense inside this domain; without any, a question is off topic
_DOMAIN = re.compile(r"ofsted|inspect|child|kid|young|teen|social|care|council|authorit|service|send\b|school|"
                     r"report|grade|rating|rated|judge|adopt|foster|safeguard|protect|leader|famil|disab|special|"
                     r"autis|adhd|ehc|exploit|missing|abuse|neglect|caseload|agency|leaver|placement|cqc|"
                     r"parent|health|education|support|help|homeless|housing|accommodat", re.I)
_AREA_WORDS = {"care", "leavers", "leaver", "leaving", "left", "adoption", "looked", "after", "permanence",
               "help", "protection", "protecting", "protect", "leaders", "leadership", "management", "managers",
               "led", "safe", "need", "children", "in", "experiences", "progress", "impact", "social",
               "practice", "families", "effectiveness", "performance", "governance", "achieving"}
_TREND_WORDS = set("""better worse changed change changes journey history trend between across each every gone
track record records
went improved improving improve declined decline two three four five over progress progressed previous past
onwards times higher lower up down compare compared which whether ratings grades results order chronological
sequence always ever never used happened happen after since vs versus all""".split())
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"], 1)}


@dataclass(frozen=True)
class Query:
    """What one question asks, read on its own or within its conversation."""

    question: str
    kind: str = "content"  # grade assess inspector dates improve next published where content timeline compare list news
    explicit: bool = True  # the kind was said, not just assumed (a bare 'and stockton?' is not)
    providers: tuple[str, ...] = ()
    unknown_provider: str = ""
    facility: str = ""  # a named facility the question is about ('Calderdale Royal Hospital')
    facility_type: str = ""
    year: int | None = None
    published: tuple[int, int] | None = None  # (year, month or 0) of 'the report published jan 2015'
    since: int | None = None
    until: int | None = None  # 'between 2018 and 2023'
    last_n: int = 0  # 'the last three inspections'
    latest: bool = False
    earliest: bool = False  # 'its first ever inspection', 'the oldest report'
    before: int = 0  # inspections before the anchor report ('the time before that'); -1 the one after
    anchor: str = ""  # doc_id of the report the conversation was about
    area: str = "judgement_overall"
    area_named: bool = False
    topic: str = ""  # the question's subject in its own words ('caseloads', 'care leavers')
    send: bool = False
    refuse: str = ""  # rules personal future advice other_inspectorate offtopic
    deictic: bool = False  # 'my council', 'us', 'here'
    evaluative: bool = False  # 'is X good at Y', 'how are X doing for Y'
    topical: bool = False  # asks about a subject, not only grades ('agency staff', 'life story work')
    overview: bool = False  # 'what's the headline?': the judgement, then the report's own summary
    search: str = ""  # what to search the reports for: the question less its names and years
    grade: str = ""
    grades: tuple[str, ...] = ()  # a list's grades where it asks for more than one ('good or outstanding')
    news: bool = False
    from_history: bool = False
    seen: tuple[str, ...] = ()  # every council the conversation named before this turn, oldest first
    candidates: tuple[str, ...] = ()  # councils a word could mean when none is named ('bedfordshire')
    operation: str = ""  # the trained model's operation (bot.operations.OPERATIONS)
    answer_type: str = "description"  # what kind of answer is expected (bot.operations.ANSWER_TYPES)
    declined: str = ""  # a clause asking to change the rules, declined while the rest is answered
    direction: str = ""  # 'up', 'down' or 'same': a change asked about ('got worse', 'improved')
    grade_from: str = ""  # 'from inadequate to good': grade_from, then grade
    region: str = ""  # a region whose councils a question over many is about ('London')


def topic_words(question: str, providers: ProviderIndex) -> list[str]:
    """The question's words that are neither names, years nor filler: what it is about."""
    words = expand(normalise(question)).split()
    spans = providers.locate(question)
    named = {i for s, e, _ in spans for i in range(s, e)}
    name_words = set().union(*(providers.name_words(k) for _, _, k in spans)) if spans else set()
    return [w for i, w in enumerate(words) if i not in named and w not in FILLER and not w.isdigit()
            and len(w) > 1 and w not in name_words]


def without_names(question: str, providers: ProviderIndex) -> str:
    """The question with the councils it names and its years taken out: what to search a
    report for ('social worker turnover', not 'Waltham Forest', which every passage mentions)."""
    words = expand(normalise(question)).split()
    drop = {w for s, e, _ in providers.locate(question) for w in words[s:e]}
    kept = [w for w in re.findall(r"[\w'’&-]+|[?,.]", question)
            if re.sub(r"['’]s$", "", w.lower()) not in drop and not re.fullmatch(r"(19|20)\d\d", w)]
    return " ".join(kept)


def parse(question: str, providers: ProviderIndex, max_year: int | None = None,
          model: PlanModel | None = None) -> Query:
    """One question on its own: the closed vocabularies and the trained model's kind, then its
    operation and answer type (``reconcile``). Without a model, the closed vocabularies alone."""
    q, declined = split_declined(question.strip())
    parsed, pred = _parse(q, providers, max_year, model)
    return reconcile(replace(parsed, declined=declined), pred)


def _parse(q: str, providers: ProviderIndex, max_year: int | None,
           model: PlanModel | None) -> tuple[Query, Prediction | None]:
    rm = _REGION.search(q)  # 'london boroughs', 'councils in london': a region, not the City of London
    region, rs, re_ = _region(rm) if rm else ("", 0, 0)
    found = providers.find(q[:rs] + " " * (re_ - rs) + q[re_:] if rm else q)
    years = [int(y) for y in re.findall(r"\b(20\d{2}|19\d{2})\b", q)]
    since = until = None
    m = re.search(r"\bbetween (\d{4}) and (\d{4})\b", q, re.I)
    if m:
        since, until = int(m.group(1)), int(m.group(2))
    m = None if since else re.search(r"\b(?:since|from|after) (\d{4})\b", q, re.I)
    if m:
        since = int(m.group(1))
    published = None
    m = re.search(r"\bpublished (?:in )?(?:(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* )?(\d{4})", q, re.I)
    if m:
        published = (int(m.group(2)), _MONTHS.get((m.group(1) or "").lower()[:3], 0))
    if not since and len(set(years)) > 1 and _TIMELINE.search(q):  # 'hull 2019 vs 2022, better or worse?'
        since, until = min(years), max(years)
    year = None if since else (years[0] if years else None)
    if published and year == published[0]:
        year = None
    refuse = refusal(q, year, max_year)
    area, named = "judgement_overall", False
    for name, pat in AREAS:
        if pat.search(q) and not (name == "judgement_previous_overall" and not _GRADE_WORDS.search(q)):
            area, named = name, True  # 'when was the inspection before that?' names no judgement
            break
    step = 1 if _BEFORE.search(q) else -1 if _AFTER.search(q) else 0
    words = topic_words(_AFTER.sub(" ", _BEFORE.sub(" ", q)) if step else q, providers)
    search = without_names(q, providers)
    facility = named_facility(q)
    deictic = bool(_DEICTIC.search(q))
    unknown = "" if found else providers.unknown_name(q)
    candidates = () if found else tuple(dict.fromkeys(k for w in words for k in providers.partial(w)))
    pred = None
    if model is not None and not refuse:
        pred = model.predict(search.lower(), len(found) or int(bool(deictic or candidates or unknown or facility)))
    # off topic: no word of this domain, and the model reads an errand
    off = pred is not None and not _DOMAIN.search(q) and not _GOING_ON.match(q) and pred.p("offtopic") >= 0.6
    kind, explicit = ("offtopic", True) if off else _kind(q, search, words, len(found), named, pred)
    if step and kind == "content" and not set(words) - _TREND_WORDS - _AREA_WORDS:
        explicit = False  # 'and the next one?': the question before, put to another report
    if kind == "offtopic" and not refuse:
        refuse = "offtopic"
    grade = ""
    gm = _GRADE.search(q)
    if gm:
        grade = gm.group(1).lower()
        grade = "requires improvement to be good" if grade.startswith("require") else grade
    best = _BEST_WORST.search(q) if not grade and not found else None
    if best and (MANY_PROVIDERS.search(q) or region or re.match(r"\W*where\b", q, re.I)):
        # 'which councils have the best services for care leavers?': the top grade, over every council
        grade = "outstanding" if best.group(1).lower() in ("best", "top", "strongest", "highest") else "inadequate"
        kind, explicit = "list", True
    grades = grade_set(q) if grade else ()
    om = _SEND_OUTCOME_WORDS.search(q) if kind == "list" and is_send(q) else None
    if om:  # 'which councils had widespread and systemic failings in their send inspection?'
        grade = {"positive": "positive", "inconsistent": "inconsistent"}.get(om.group(1).lower(), "systemic failings")
        area = "send_outcome"
    overview = kind == "assess" and bool(_OVERVIEW.search(q) or _FIND_PLAIN.search(search)) and not named
    m = re.search(r"\b(?:last|past|previous) (two|three|four|five|\d)\b", q, re.I)
    last_n = {"two": 2, "three": 3, "four": 4, "five": 5}.get(m.group(1).lower(), 0) if m else 0
    if m and not last_n and m.group(1).isdigit():
        last_n = int(m.group(1))
    return Query(
        question=q, kind=kind, explicit=explicit, providers=tuple(found), unknown_provider=unknown,
        candidates=candidates,
        facility=facility[0] if facility else "", facility_type=facility[1] if facility else "",
        year=year, published=published, since=since, until=until, last_n=last_n if kind == "timeline" else 0,
        earliest=bool(_EARLIEST.search(q)), grades=grades,
        latest=bool(_LATEST.search(q)), before=step, area=area, area_named=named,
        topic="" if kind in ("inspector", "dates", "next", "published", "where", "list", "compare")
        or (kind == "timeline" and all(map(is_change_word, set(words) - _TREND_WORDS - _AREA_WORDS)))
        else _topic(words, area, named),
        send=is_send(q), refuse=refuse,
        deictic=deictic, evaluative=bool(_EVALUATIVE.search(q)), grade=grade,
        topical=any(not is_change_word(w) for w in set(words) - _TREND_WORDS - _AREA_WORDS), search=search,
        overview=overview,
        news=bool(_NEWS.search(q) or _COUNCIL_SAID.search(search)), direction=direction_of(q), grade_from=grade_from(q),
        region=region), pred


_MONEY = re.compile(r"£|\bpounds?\b|\b(pay|paid|pays|salary|salaries|wages?|cost|costs|costing|spend|spends|spent|"
                    r"spending|budget|budgets|funding|funded|money|allowances?|fees?)\b", re.I)
_AMOUNT = re.compile(r"\bhow much\b|\bamount\b|\bwhat (do|does|did)\b[^?]{0,60}\b(pay|paid|cost|spend)|£", re.I)
_BEST_WORST = re.compile(r"\b(best|top|strongest|highest|worst|weakest|poorest|lowest)\b(?! (way|thing|place to|person|time))", re.I)
_EARLIEST = re.compile(r"\b(first|earliest|oldest)\s+([\w']+\s+){0,2}?(inspection|report|grade|rating|judgement|"
                       r"judgment|result|visit|one)s?\b|\bfirst (ever|inspected|visited|graded|rated|judged)\b", re.I)
_WH = re.compile(r"\W*(what|which|where|who)\b", re.I)
_WHO_CHANGED = re.compile(r"\W*(who|which (councils|authorities|areas|las|local authorities))\b(?!.*\b(it|its|it's)\b)", re.I)
# a question that carries on from the one before ('and ...', 'what about ...') is no new subject
_GOING_ON = re.compile(r"\s*(and|what about|how about|also|so|then)\b", re.I)
# quantifiers over providers: a question about any or every council is a list, not a name
_ANY_PROVIDER = re.compile(r"\b(any ?one|anybody|any (council|authority|local authority|la|area|borough)s?|"
                           r"every (council|authority|la)|all (the )?(councils|authorities|las))\b", re.I)


def reconcile(q: Query, pred: Prediction | None) -> Query:
    """The closed vocabularies' reading of a question put together with the trained model's
    operation and answer type. The model decides what the rules cannot see: a list asked as
    'was any council ...', a change between inspections, a history asked as 'did X get worse',
    a theme across reports, a request to write something, an off-topic question."""
    atype = pred.answer_type if pred else "description"
    if _MONEY.search(q.question) and _AMOUNT.search(q.question):
        atype = "money"
    elif _HOW_MANY.search(q.question) and not _TIMES.search(q.question) and not _MONEY.search(q.question):
        atype = "number"
    out = replace(q, operation=pred.operation if pred else "", answer_type=atype)
    if q.refuse or pred is None:
        return out
    none, one = not q.providers, len(q.providers) == 1
    if pred.operation == "generate" and pred.operation_p >= 0.5:
        return replace(out, refuse="generate")
    change = pred.p("transition") + pred.p("history")
    # 'has the council improved?' points back at one; in 'who climbed out of inadequate at their
    # last inspection?' the pronoun is the asker's 'who'
    back = bool(named_feature(0, q.question)) and not _WHO_CHANGED.match(q.question)
    if none and (q.grade_from or q.direction) and not back and \
            pred.p("transition") >= 0.35 and pred.p("transition") + pred.p("list") >= 0.5:
        years = sorted({int(y) for y in re.findall(r"\b(20\d{2})\b", q.question)})
        if len(years) > 1:  # 'inadequate in 2018 but good by 2024': the change within those years
            out = replace(out, since=years[0], until=years[-1], year=None)
        return replace(out, kind="transition", grade=to_grade(q.question), topic="", explicit=True)
    if one and q.kind in ("content", "grade", "assess") and (q.grade_from or q.direction) and change >= 0.5 \
            and not _WH.match(q.search):  # 'what has to get better' asks what, not whether
        return replace(out, kind="timeline", grade=to_grade(q.question), topic="")
    if one and q.kind in ("content", "assess") and pred.p("history") >= 0.6 and not q.area_named:
        return replace(out, kind="timeline", topic="" if not q.topical else q.topic)
    if one and q.kind == "grade" and pred.operation == "history" and pred.operation_p >= 0.6 and not q.year \
            and not q.latest and not q.area_named:  # 'X's inspection results, all of them'
        return replace(out, kind="timeline", topic="")
    if one and q.kind == "improve" and q.direction == "up" and change >= 0.5 and not _WH.match(q.search):
        return replace(out, kind="timeline", topic="")  # 'did X improve?': its grades over time
    if none and q.grade and q.kind not in ("list", "timeline") and (_ANY_PROVIDER.search(q.question) or (
            pred.p("list") + pred.p("transition") >= 0.5 and not back)):
        return replace(out, kind="list", topic="", explicit=True)
    if none and q.kind in NEEDS_PROVIDER and not q.deictic and (pred.p("theme") >= 0.5 or pred.operation == "theme"):
        # across reports: what they say about a theme, or what their lists of points share
        return replace(out, kind="improve" if q.kind == "improve" else "content")
    return out


def _kind(q: str, plain: str, words: list[str], providers: int, area_named: bool,
          pred: Prediction | None) -> tuple[str, bool]:
    """(kind, explicit). Closed vocabularies first, then the trained model's kind.
    ``plain``: the question without its names and years."""
    if _WHERE.search(q) and providers:
        return "where", True
    if _PUBLISHED.search(q):
        return "published", True
    if _NEXT.search(q):
        return "next", True
    if _INSPECTOR.search(q):
        return "inspector", True
    if _DATES.search(q):
        return "dates", True
    if pred is not None and pred.kinds["inspector"] >= 0.5:
        return "inspector", True  # 'which inspector led ...', 'who headed up ...'
    plain_grade = bool(_GRADE_WORDS.search(q) or _GRADE.search(q))
    rest = [w for w in words if w not in _AREA_WORDS]
    if _TIMES.search(q) and providers:
        return "timeline", True  # 'how many times has ofsted inspected X?'
    if providers > 1 and not re.search(r"\b(since|over time|history|journey|each inspection)\b", q, re.I):
        return "compare", True  # 'which is better, X or Y?'
    trend = _TIMELINE.search(q)
    if trend and trend.group(0).lower() in ("change", "changed", "history") and set(rest) - _TREND_WORDS:
        trend = None  # a change of something else ('keep having to change social worker'), not of grades
    if trend and not MANY_PROVIDERS.search(q):
        return "timeline", True
    if MANY_PROVIDERS.search(q) and not providers and (_GRADE.search(q) or (is_send(q) and _SEND_OUTCOME_WORDS.search(q))):
        return "list", True
    if not providers and is_send(q) and _SEND_OUTCOME.search(q):
        return "list", True  # '2023 send inspections that found inconsistent experiences': an outcome over many
    improve = _IMPROVE.search(q)
    if improve and not re.search(r"requires? improvement|got (any )?better|\bimproved\b", q, re.I):
        if improve.group(0).lower().startswith(("improve", "need", "weak", "area", "recommend", "work on", "priorit", "worr")) \
                or not set(rest) - {"criticise", "criticised", "concerns", "concern", "problems", "problem", "failings",
                                    "wrong", "went", "going"}:
            return "improve", True
    if (_OVERVIEW.search(q) or _FIND_PLAIN.search(plain)) and not set(rest) - {"headline", "headlines", "summary", "summarise", "sum", "nutshell",
                                                "main", "findings", "key", "overview", "like", "find", "found",
                                                "liked", "strengths", "strong", "points", "well", "things", "praise",
                                                "praised"}:
        return "assess", True  # the judgement first, then the report's own summary
    evaluative = bool(_EVALUATIVE.search(q))
    if _HOW_MANY.search(q) and not _GRADE_WORDS.search(q):
        return "content", True  # 'how many children in care does X have?': a number in the report
    if _SAY_ABOUT.search(q) and not _GRADE_WORDS.search(q):
        return ("assess" if area_named else "content"), True  # 'what did it say about care leavers?'
    if area_named and evaluative and not _GRADE_WORDS.search(q):
        return "assess", True  # 'is X any good at Y': the judgement on Y, then what the report says
    if not rest:  # nothing but names, years, grade words and the judgement asked about
        if area_named and not plain_grade and evaluative:
            return "assess", True
        return "grade", plain_grade or area_named or bool(_GOT.search(q))
    kind = "grade" if plain_grade else "content"
    if pred is not None:  # the question without its names and years, as the examples are written
        # a fact of the report (its dates, its inspector, the next one) only where one fact is asked
        kinds = ("grade", "content", "improve") if plain_grade or pred.operation != "fact" else \
            ("grade", "content", "improve", "dates", "inspector", "next")
        kind, lead = pred.kind(kinds)
        if kind not in ("content", "grade") and lead < LEAD:
            kind = "content"
        if kind in ("content", "grade") and pred.operation == "fact" and pred.answer_type == "grade" \
                and pred.answer_type_p >= 0.6 and pred.kinds["grade"] >= pred.kinds["content"]:
            return "grade", True  # 'X's kids services mark from ofsted': a grade, though no grade word
    if kind == "grade":  # a grade asked with a topic ('is the foster care service good?'): the grade, then the topic
        kind = "assess" if plain_grade or (area_named and evaluative) else "content"
    elif kind == "content" and (plain_grade or (area_named and evaluative)):
        kind = "assess"  # the judgement first, then what the report says
    return kind, True


LEAD = 0.3  # the model's lead in probability a kind other than passages or the grade needs


def _topic(words: list[str], area: str, named: bool) -> str:
    if named and area != "judgement_overall":
        label = JUDGEMENT_LABELS.get(area, "")
        extra = [w for w in words if w not in set(re.findall(r"\w+", label)) | {"leaver", "leavers", "kids"}]
        return label if len(extra) <= 1 else " ".join(words[:6])
    return " ".join(words[:6])


# words that name SEND support itself, not a topic within it
_SEND_WORDS = set("""special educational education needs need support send disabilities disability disabled provision
services service area local partnership partnerships system find found""".split())


def wants_send_outcome(q: Query) -> bool:
    """An area SEND report asked for its outcome; 'what did it find about EHC plans?' asks
    about a topic, 'what did it find about SEND support?' for the outcome."""
    if q.kind in ("grade", "assess"):
        return True
    if q.kind != "content":
        return False
    if re.search(r"\b(conclude|conclusion|outcome|result|how well|how good|any good|rated|judged?|failings?)\b",
                 q.question, re.I) or _SEND_OUTCOME_WORDS.search(q.question):
        return True
    m = re.search(r"\b(?:find|found)\b(.*)", q.question, re.I)  # what it found about: a topic, or SEND itself
    return bool(m) and not set(re.findall(r"[a-z]+", m.group(1).lower())) - FILLER - _SEND_WORDS

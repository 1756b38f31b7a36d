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

from bot.changes import GRADED_EXAMPLE, direction_of, either_way, grade_from, grade_set, is_change_word
from bot.facilities import named_facility
from bot.names import ProviderIndex, expand, normalise
from bot.operations import PlanModel, Prediction
from bot.reconcile import off_topic, reconcile
from bot.refusals import refusal, split_declined
from bot.conditions import (NO_GRADE, OF_THEM, SETS_ASIDE, also_at, also_judged, judged_against, ranked_asked,
                            outcomes_set_aside)
from bot.wording import (CLAIMED, HEARSAY, claim_put, claim_verdict, named_not_set_aside, own_place, quoted_subject,
                          situation_area, spelled, topic_words, unintroduced, without_names)
from bot.when import PART_OF_YEAR, when_asked
from bot.vocabulary import (
    WORRIED, LATEST, AFTER, BEFORE, INSPECTOR, SAY_ABOUT, HOW_MANY, AGO, INSPECTED, DATES, NEXT, PUBLISHED, IMPROVE, OVERVIEW,
    FIND_PLAIN, TIMES, TIMELINE, SEND_OUTCOME_WORDS, SEND_OUTCOME, REGION, region_of, MANY_PROVIDERS,
    GRADE_WORDS, GRADE, EVALUATIVE, is_send, NEWS, COUNCIL_SAID, WHERE, AREAS, FILLER, GOT,
    AREA_WORDS, TREND_WORDS, MONTHS, BEST_WORST, EARLIEST,
    ALL_JUDGEMENTS, GRADES_ASKED, GRADED_ONE, asker_context, asking_sentences, sentences, WHY, RANKED_PART, BEST_OF_MANY, THAN_LAST_TIME, NEAR, VERDICT_ASKED, HOW_IT_WENT, HAD_ONE, ASKS, PROBLEMS_ASKED, HOLDINGS_ASKED, DESCRIBED, SET_ASIDE, TAG_QUESTION, shapes)
from index.vocab import JUDGEMENT_LABELS, REGIONS, region_containing

MAX_TURN = 2000  # characters of an earlier question read back from the history


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
    month: int = 0  # the month of the year an inspection ended ('inspected in march 2024')
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
    refuse: str = ""  # rules personal contact access future opinion individual report advice other_inspectorate offtopic generate
    deictic: bool = False  # 'my council', 'us', 'here'
    evaluative: bool = False  # 'is X good at Y', 'how are X doing for Y'
    topical: bool = False  # asks about a subject, not only grades ('agency staff', 'life story work')
    overview: bool = False  # 'what's the headline?': the judgement, then the report's own summary
    every_judgement: bool = False  # 'which parts were weakest?', 'why inadequate?': each judgement of the report
    why: bool = False  # 'why did X get requires improvement?': the report that gave that grade, and its reasons
    by_grade: bool = False  # 'the inspection that rated them inadequate': the report that gave ``grade``
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
    from_year: int | None = None  # 'inadequate in 2022, good at the next inspection': the earlier one's year
    region: str = ""  # a region whose councils a question over many is about ('London')
    inspector: str = ""  # a lead inspector whose reports are asked for ('Neil Penswick'); '*' every one, ranked
    # how it asks, for its executor: versus ('compared with'), holdings ('which reports do you hold'),
    # times ('how many times'), yesno, than_last ('than last time'), either_way ('better or worse')
    shapes: frozenset[str] = frozenset()
    also: tuple[tuple[str, str], ...] = ()  # a list's further (judgement, grade) conditions
    outside: str = ""  # a region whose councils a question over many sets aside ('not counting london boroughs')
    beside: str = ""  # the judgement the asker's own situation falls under ('my niece is on a child protection plan')


def parse(question: str, providers: ProviderIndex, max_year: int | None = None,
          model: PlanModel | None = None) -> Query:
    """One question on its own: the closed vocabularies and the trained model's kind, then its
    operation and answer type (``reconcile``). Without a model, the closed vocabularies alone."""
    q, declined = split_declined(spelled(unintroduced(question.strip(), lambda text: bool(providers.locate(text)))))
    q = re.sub(r"\s+([?.!,])", r"\1", SET_ASIDE.sub(" ", GRADED_EXAMPLE.sub(" ", q))).strip() or q  # set aside; examples
    parsed, pred = _parse(q, providers, max_year, model)
    out = reconcile(replace(parsed, declined=declined), pred)
    return bare_overview(out) if len(out.providers) == 1 and not out.refuse else out


def bare_overview(q: Query) -> Query:
    """A passages question with no subject but its provider ('what does ofsted think of X?', and
    after X, 'what did they say about it?') asks for the verdict and the report's summary."""
    return replace(q, kind="assess", overview=True) if q.kind == "content" and not q.topic and not q.topical else q




def _parse(q: str, providers: ProviderIndex, max_year: int | None,
           model: PlanModel | None) -> tuple[Query, Prediction | None]:
    rm = REGION.search(q)  # 'london boroughs', 'councils in london': a region, not the City of London
    region, rs, re_ = region_of(rm) if rm else ("", 0, 0)
    outside = ""
    if rm and SETS_ASIDE.search(q[:rs]):
        region, outside = "", region  # 'not counting london boroughs': every council but that region's
    unregioned = q[:rs] + " " * (re_ - rs) + q[re_:] if rm else q  # a region's words name no council
    spans = named_not_set_aside(unregioned, providers.locate(unregioned))  # not 'notts' in '(not notts county)'
    found = [key for _, _, key in spans]
    if len(spans) == 1 and not region and MANY_PROVIDERS.search(q):  # 'councils near manchester': its region's
        plain = expand(normalise(unregioned))
        start = len(" ".join(plain.split()[:spans[0][0]]))
        if NEAR.search(plain[:start + 1]) and region_containing(spans[0][2]):
            region, found = region_containing(spans[0][2]), []
    elif region and found and (MANY_PROVIDERS.search(q) or OF_THEM.search(q)) \
            and all(k in REGIONS.get(region, ()) for k in found):
        found = []  # 'the north east (Durham, Northumberland ...) - which councils there ...': its councils named as examples
    when = when_asked(q)
    year, since, until, published, month = when.year, when.since, when.until, when.published, when.month
    refuse = refusal(q, year, max_year)
    area, named = "judgement_overall", False
    hearsay, put = claim_put(q)  # a claim put by someone else: its judgement, not the one the asker's context names
    for name, pat in AREAS:
        if pat.search(put or q) and not (name == "judgement_previous_overall" and not GRADE_WORDS.search(q)):
            area, named = name, True  # 'when was the inspection before that?' names no judgement
            break
    ago = AGO.search(q)
    # the last inspection is one ago: 'two inspections ago' and 'the one before last' are one step back
    step = (1 if ago.group(4) else ({"one": 1, "two": 2, "three": 3, "four": 4}.get(ago.group(1).lower(), 0)
            or int(ago.group(1))) - 1) if ago else 1 if BEFORE.search(q) else -1 if AFTER.search(q) else 0
    main = _EXAMPLE.sub("", PART_OF_YEAR.sub(" ", unregioned)).strip() or unregioned  # an example after the question adds no subject
    # what a document is said to say, naming which one is meant ('saw X's release saying they were rated
    # good across the board. did it admit ...?'), is not the subject asked about
    main = DESCRIBED.sub(" ", main)
    claimed, put = claim_put(main)  # '... placed with foster carers in X, and a neighbour said X went downhill. is that right?'
    main = claimed or main
    words = topic_words(AGO.sub(" ", AFTER.sub(" ", BEFORE.sub(" ", main))) if step else main, providers)
    verdict = claim_verdict(claimed) if claimed else set()  # 'brilliant', 'hopeless': the claim, not a subject
    words = [w for w in words if not (claimed and (CLAIMED.fullmatch(w) or w in verdict))]
    said, asks = asker_context(main)
    points_back = re.search(r"\b(handl\w*|deal\w* with|tackl\w*|manag\w*|respond\w* to|do(ing)? (on|with)|about|on)\s+"
                            r"(it|that|this|them|those)\b", " ".join(asks), re.I)  # '... exploitation - how well do they handle it?'
    if said and not {w for p in asks for w in topic_words(p, providers)} - {"well"} and not points_back:  # ('well run', 'rated well')
        # 'is X still failing? we foster there': who asks, not the subject of a verdict asked for
        # ('As a youth worker I'm interested in exploitation - how well do they handle it?' keeps it)
        own = {w for p in said for w in topic_words(p, providers)} | {"well"}
        # ('thinking of adopting through X': the judgement it names stays, said to be none where none is given)
        words = [w for w in words if w not in own or named and dict(AREAS)[area].search(w)]
    search = without_names(DESCRIBED.sub(" ", _EXAMPLE.sub("", q).strip() or q), providers)
    if len(words) > 6:  # a long question: the words of the sentences that ask come before those of its context
        asked = [w for p in asking_sentences(unregioned) for w in topic_words(p, providers)]
        words = list(dict.fromkeys(w for w in asked + words))
        if len(set(asked)) >= 3 and len(asking_sentences(q)) < len(sentences(q)):
            # the sentence that asks names its subject: searched without the context ('my daughter is
            # autistic ... what does it say about getting ready for adulthood?')
            search = without_names(" ".join(asking_sentences(q)), providers)
    facility = named_facility(q)
    deictic = own_place(q)
    unknown = "" if found else providers.unknown_name(q)
    candidates = () if found else tuple(dict.fromkeys(k for w in words for k in providers.partial(w)))
    sole = [(w, k) for w, k in ((w, providers.sole(w)) for w in words) if k] if len(candidates) == 1 else []
    if sole:  # 'scilly': the one provider the word can mean, not a question back; not a topic either
        (word, key), candidates = sole[0], ()
        found, words = [key], [w for w in words if w != word]
        search = re.sub(rf"\b{re.escape(word)}(['’]s)?\b", " ", search, flags=re.I)
    searched = without_names(put, providers) if put else search  # what retrieval looks for: the claim, not who made it
    pred = None
    if model is not None and not refuse:
        # the model reads the question without its region too ('north west: which councils ...')
        read = re.sub(r"^\W*(?:(?:looking at|for|in|across|around|within)\s+(?:the\s+)?)?[-–:,]\s*", "",
                      without_names(unregioned, providers)) if region else search
        # the asker's own context, a dash, then the question ('my daughter goes to X in Y - what did
        # ofsted give it?'): the model reads the question ('X EHCPs - are they on time?' stays whole)
        tail = re.split(r"\s[-–]\s", read)
        if len(tail) > 1 and re.match(r"\W*(my|i|i'?m|i'?ve|we|we'?re|our)\b", tail[0], re.I) \
                and ASKS.match(tail[-1]) and len(re.findall(r"\w+", tail[-1])) >= 4:
            read = tail[-1]
        pred = model.predict(read.lower(), len(found) or int(bool(deictic or candidates or unknown or facility)))
    asking = asking_sentences(q)
    alone = lambda: without_names(" ".join(asking), providers) if len(asking) < len(sentences(q)) else ""  # noqa: E731
    off = off_topic(q, pred, model, alone, len(found) or int(bool(deictic or candidates or unknown or facility)))
    kind, explicit = ("offtopic", True) if off else _kind(q, search, words, len(found), named, pred, bool(claim_verdict(hearsay)))
    if kind == "timeline" and named and asking and len(asking) < len(sentences(q)) \
            and not any(p.search(s) for n, p in AREAS if n == area for s in asking):
        area, named = "judgement_overall", False  # 'my nephew is in care in X. how has X done over the years?'
    said_kind = DATES.search(q) or GRADE_WORDS.search(q) or GOT.search(q) or re.match(r"\W*(and\s+)?(when|who)\b", q, re.I)
    if step and not set(words) - TREND_WORDS - AREA_WORDS and (kind == "content" or kind in ("dates", "grade", "assess")
                                                               and not said_kind):
        explicit = False  # 'and the next one?', 'and at the inspection after that?': the question before, put to another report
    if len(found) == 1 and since and until and kind in ("grade", "assess") and not refuse:
        kind = "timeline"  # 'what grades did X get between 2015 and 2020?': its inspections in those years
    refuse = refuse or ("offtopic" if kind == "offtopic" else "")
    grade = GRADE.search(q).group(1).lower() if GRADE.search(q) else ""
    grade = "requires improvement to be good" if grade.startswith("require") or grade == "ri" else grade
    best = BEST_WORST.search(q) if not grade and not found else None
    if best and (MANY_PROVIDERS.search(q) or region or re.match(r"\W*where\b", q, re.I) or BEST_OF_MANY.search(q)):
        # 'which councils have the best services for care leavers?': the top grade, over every council
        grade = "outstanding" if best.group(1).lower() in ("best", "top", "strongest", "highest") else "inadequate"
        kind, explicit = "list", True
    if not found and year and not grade and not refuse and INSPECTED.search(q) and \
            not {w for w in words if w[:3] not in MONTHS} - {"had", "held", "carried", "done", "happened"}:
        kind, explicit = "list", True  # 'which councils were inspected in 2019?': every inspection of the year
    if not found and not grade and not year and kind not in ("list", "transition", "offtopic") and GRADES_ASKED.search(q) \
            and (region or MANY_PROVIDERS.search(q)) and not direction_of(q) and not IMPROVE.search(q):
        kind, explicit = "list", True  # 'what grades did councils in the north east get?': each one's latest
    grades = grade_set(q) if grade else ()
    most = ranked_asked(q) if not found and not refuse else ""  # a shape of its own: 'most' or 'fewest'
    if most:  # 'which council has been inspected the most?', 'judged inadequate the most times'
        kind, explicit = "list", True
    if not found and not grade and NO_GRADE.search(q) and not refuse and MANY_PROVIDERS.search(q):
        kind, explicit, grade = "list", True, "none"  # 'which councils got no overall grade in 2026?'
    also = also_judged(q) if grade and not found and not refuse else None  # no council named: a condition over many
    if also:  # 'rated good overall but only requires improvement for care leavers': overall, then that judgement
        first = q[:also_at(q)]  # ('outstanding for care leavers but ...')
        area = next((n for n, p in AREAS if p.search(first) and n != "judgement_previous_overall"), "judgement_overall")
        named, grades, kind = True, (), "list"
        if also[0] == area:  # 'good overall but only good overall': no second condition
            also = None
        elif also[0] == "any" and not GRADE.search(first):  # 'which have at least one judgement rated inadequate?'
            area, also, grades = "any_judgement", None, grade_set(q)  # that alone ('isn't good': RI or inadequate)
    against = judged_against(q) if not found and not refuse and not also else None
    if against:  # 'a better grade for care leavers than for children in care': two judgements of each report
        kind, explicit, area, named, grade, grades, also = "list", True, against[0], True, "", (), against
    if kind == "list" and not found and ALL_JUDGEMENTS.search(q) and area != "any_judgement":
        area, named = "all_judgements", True
    om = SEND_OUTCOME_WORDS.search(q) if kind == "list" and is_send(q) else None
    if om:  # 'which councils had widespread and systemic failings in their send inspection?'
        grade = {"positive": "positive", "inconsistent": "inconsistent"}.get(om.group(1).lower(), "systemic failings")
        area, grades = "send_outcome", outcomes_set_aside(q[:om.start()], grade)
    elif kind == "list" and best and is_send(q) and grade in ("outstanding", "inadequate"):
        grade, area = ("positive" if grade == "outstanding" else "systemic failings"), "send_outcome"  # SEND's best outcome
    overview = kind == "assess" and bool(OVERVIEW.search(q) or FIND_PLAIN.search(search)) and not named
    if kind == "assess" and not named and VERDICT_ASKED.search(q) and \
            not set(topic_words(VERDICT_ASKED.sub(" ", re.split(r"[,.;:!?–]\s|\s-\s", q.strip(" ?!."))[-1]), providers)) \
            - AREA_WORDS - TREND_WORDS:
        overview = True  # '... a few years back, are they ok now?': the verdict alone is asked, the rest is context
    why = bool(WHY.search(q) and (GRADE.search(q) or GRADE_WORDS.search(q)) and kind in ("grade", "assess"))
    last_n = when.last_n
    return Query(
        question=q, kind=kind, explicit=explicit, providers=tuple(found), unknown_provider=unknown,
        candidates=candidates,
        facility=facility[0] if facility else "", facility_type=facility[1] if facility else "",
        year=year, published=published, month=month, since=since, until=until, last_n=last_n if kind == "timeline" else 0,
        earliest=bool(EARLIEST.search(q)), grades=grades,
        latest=bool(LATEST.search(q)), before=step, area=area, area_named=named,
        topic="" if kind in ("inspector", "dates", "next", "published", "where", "list", "compare")
        or (kind == "timeline" and all(map(is_change_word, set(words) - TREND_WORDS - AREA_WORDS)))
        else _topic(words, area, named),
        send=is_send(q), refuse=refuse,
        deictic=deictic, evaluative=bool(EVALUATIVE.search(q) or PROBLEMS_ASKED.search(q) or TAG_QUESTION.search(q)),
        grade=grade,
        topical=any(not is_change_word(w) for w in set(words) - TREND_WORDS - AREA_WORDS), search=searched,
        overview=overview or (kind == "assess" and why),
        every_judgement=bool(ALL_JUDGEMENTS.search(q) or RANKED_PART.search(q) or why), why=why,
        by_grade=bool(grade and GRADED_ONE.search(q)),
        news=bool(NEWS.search(q) or COUNCIL_SAID.search(search)), direction="" if also else direction_of(q),
        grade_from="" if also else grade_from(q),
        region=region, outside=outside, also=(also,) if also else (),
        beside=situation_area(q) if kind in ("grade", "assess") and not named else "",
        shapes=shapes(q) | ({"either_way"} if either_way(q) else set()) | ({most} if most else set())), pred


_LEAD = re.compile(r"^\W*(?:so|and|but|ok|okay|then|also|well)\b[\s,]*", re.I)  # 'so was there ...?' asks


def _kind(q: str, plain: str, words: list[str], providers: int, area_named: bool,
          pred: Prediction | None, claims: bool = False) -> tuple[str, bool]:
    """(kind, explicit). Closed vocabularies first, then the trained model's kind.
    ``plain``: the question without its names and years; ``claims``: a claim put says a verdict."""
    if WHERE.search(q) and providers:
        return "where", True
    if PUBLISHED.search(q):
        return "published", True
    if NEXT.search(q) and not AFTER.search(q):  # 'what did they get the next time round?' is the one after
        return "next", True
    if providers == 1 and HOLDINGS_ASKED.search(q):
        return "timeline", True  # 'which reports do you hold for X?': each of its inspections held
    if INSPECTOR.search(q):
        return "inspector", True
    if providers == 1 and re.search(rf"\b(when|(which|what) years?) (was|were|has|have|did)\b[^?]{{0,60}}\b{GRADE.pattern}",
                                    q, re.I):
        return "timeline", True  # 'when was it inadequate?', 'in which years ...': the inspections that gave that grade
    if DATES.search(q):
        return "dates", True
    if HAD_ONE.search(q) and not set(words) - AREA_WORDS - {"send", "area", "full", "recent", "joint"}:
        return "grade", True  # 'did they have a SEND inspection as well?': yes, and what it gave
    if pred is not None and pred.kinds["inspector"] >= 0.5:
        return "inspector", True  # 'which inspector led ...', 'who headed up ...'
    plain_grade = bool(GRADE_WORDS.search(q) or GRADE.search(q))
    rest = [w for w in words if w not in AREA_WORDS]
    if RANKED_PART.search(q) and not MANY_PROVIDERS.search(q) and (
            providers == 1 or (not providers and re.match(r"\W*(which|what) (areas?|parts?|judge?ments?)\b", q, re.I))):
        return "grade", True  # 'its weakest area'; after a report, 'which parts were the worst?': its judgements
    if WHY.search(q) and plain_grade and providers == 1 and not area_named:
        return "assess", True  # 'why was X judged inadequate?': the judgements, then the report's own summary
    if THAN_LAST_TIME.search(q) and providers <= 1 and not MANY_PROVIDERS.search(q):
        return "timeline", True  # 'how does that compare to last time?': the latest against the one before
    if TIMES.search(q) and providers:
        return "timeline", True  # 'how many times has ofsted inspected X?'
    if providers > 1 and not re.search(r"\b(since|over time|history|journey|each inspection)\b", q, re.I):
        return "compare", True  # 'which is better, X or Y?'
    trend = TIMELINE.search(q)
    if trend and all(m.group(0).lower() in ("change", "changed", "history") for m in TIMELINE.finditer(q)) \
            and set(rest) - TREND_WORDS:
        trend = None  # a change of something else ('keep having to change social worker'), not of grades
    if trend and (providers == 1 or not MANY_PROVIDERS.search(q)):  # 'X - list each inspection and its grade'
        return "timeline", True
    if MANY_PROVIDERS.search(q) and not providers and (GRADE.search(q) or (is_send(q) and SEND_OUTCOME_WORDS.search(q))) \
            and not quoted_subject(q):  # 'which councils run the 'house project', is it any good?': about it
        return "list", True
    if not providers and is_send(q) and SEND_OUTCOME.search(q):
        return "list", True  # '2023 send inspections that found inconsistent experiences': an outcome over many
    # the improvement asked for by the sentences that ask, not the asker's worry said before them
    asking = [s for s in sentences(q) if s.rstrip().endswith("?") or ASKS.match(_LEAD.sub("", s))]
    improve = IMPROVE.search(" ".join(asking) if asking and len(asking) < len(sentences(q)) else q)
    verdict = any(VERDICT_ASKED.search(s) for s in asking or [q])  # '... i cant stop worrying, are they any good?'
    improve = None if improve and improve.group(0).lower().startswith("worr") and verdict else improve
    if providers == 1 and PROBLEMS_ASKED.search(" ".join(asking) or q):
        return "improve", True  # 'my son's social worker keeps changing. did the inspectors find problems there?'
    if improve and not re.search(r"requires? improvement|got (any )?better|\bimproved\b|\bimprovement (from|since|between)\b", q, re.I):
        if improve.group(0).lower().startswith(("improve", "need", "weak", "area", "recommend", "work on", "priorit", "worr",
                                                "fix", "do better", "shortcoming", "what")) \
                or not set(rest) - {"criticise", "criticised", "concerns", "concern", "problems", "problem", "failings",
                                    "wrong", "went", "going"}:
            return "improve", True
    if (OVERVIEW.search(q) or FIND_PLAIN.search(plain)) and not set(rest) - {"headline", "headlines", "summary", "summarise", "sum", "nutshell",
                                                "main", "findings", "key", "overview", "like", "find", "found",
                                                "liked", "strengths", "strong", "points", "well", "things", "praise",
                                                "praised", "positive", "positives", "news"}:
        return "assess", True  # the judgement first, then the report's own summary
    evaluative = bool(EVALUATIVE.search(q))
    if HOW_MANY.search(q) and not GRADE_WORDS.search(q):
        return "content", True  # 'how many children in care does X have?': a number in the report
    if SAY_ABOUT.search(q) and not GRADE_WORDS.search(q):
        return ("assess" if area_named or verdict else "content"), True  # 'what did it say about care leavers?'
    if area_named and evaluative and not GRADE_WORDS.search(q):
        return "assess", True  # 'is X any good at Y': the judgement on Y, then what the report says
    if providers == 1 and WORRIED.search(q):
        return "assess", True  # 'should i be worried about foster care in X?': the judgement, then the topic
    if not rest:  # nothing but names, years, grade words and the judgement asked about
        if area_named and not plain_grade and evaluative:
            return "assess", True
        return "grade", plain_grade or area_named or bool(GOT.search(q))
    if providers <= 1 and HOW_IT_WENT.search(q) or providers == 1 and any(
            VERDICT_ASKED.search(s) or (HEARSAY.search(s) and (CLAIMED.search(q) or claims))
            for s in sentences(q)):
        return "assess", True  # '... a few years back, are they ok now?': the verdict, then the summary
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


# an example after the question ('how well does the front door work? like when a school rings in a concern')
_EXAMPLE = re.compile(r"(?:[.!?,;:–-]\s*|\s)(?:like when|like if|e\.g\.?|eg|for example|for instance|such as when|say when)\b[^?]*$",
                      re.I)
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
                 q.question, re.I) or SEND_OUTCOME_WORDS.search(q.question):
        return True
    m = re.search(r"\b(?:find|found)\b(.*)", q.question, re.I)  # what it found about: a topic, or SEND itself
    return bool(m) and not set(re.findall(r"[a-z]+", m.group(1).lower())) - FILLER - _SEND_WORDS

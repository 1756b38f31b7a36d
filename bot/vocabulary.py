"""The closed vocabularies a question is read with: words for reports, dates, grades and
judgements, regions, report types, money, and the words that say nothing about a
topic. Patterns are kept to closed lists like these; what else a question asks comes from the
trained model (``bot.operations``)."""

from __future__ import annotations

import re

LATEST = re.compile(r"(?<!not )(?<!not the )(?<!not their )(?<!not its )\b(latest|most recent(ly)?|last (time|inspection|inspected|ofsted|report|full)|"
                     r"current(ly)?|now|newest|these days|today|right now|at the moment)\b", re.I)
# the report after the one under discussion ('and the next one after that?'); a question of
# when the next inspection is due is not a step ('when's the next one due?')
AFTER = re.compile(r"\b(next one after|(?:a (?:few|couple of)|some|two|three|four|five|several) years? (?:later|after(?:wards)?(?= *\W*$))|"
                   r"one after (that|this|it)|inspection after (that|this|it)|time after (that|this|it)|"
                    r"visit after (that|this|it)|report after (that|this|it)|the following (one|inspection|report|time)|"
                    r"(did|was|were|got|gave)\b[^?]{0,60}\bnext time( round| around)?|"
                    r"(what about|and|how about) the next (one|inspection|report)\s*(after that)?\s*\??\s*$|"
                    r"(hold|held|keep|kept|stay|stayed|retain\w*|maintain\w*|did|was|were)\b[^?]{0,60}\b(at|by) the next "
                    r"(one|inspection|visit|report|time)|"
                    r"^\W*(and |but |so )?(at|by|in) the next (one|inspection|visit|report|time)\b[^?]{0,60}\b(did|was|were|get|got|"
                    r"gave|better|worse|improv\w*))", re.I)
BEFORE = re.compile(r"\b(time before|one before|inspection before|before that|before this|before the \w+ one|"
                    r"before the (one|inspection|report|visit) (in|of|from|that)\b|"
                     r"previous (area |send |ofsted |full |area send )?(one|inspection|report|time)|prior (one|inspection)|"
                     r"the one before|inspected (before|previously)|"
                     r"before (its|their|the) (last|latest|most recent)( one| inspection| report)?|"
                     r"before (its|their|the) (\w+ )?(19|20)\d\d (ofsted )?(inspection|report|visit|one)|"
                     r"(were|was) (they|it|that)( rated| judged| graded)? before(?=\W*$))\b", re.I)
# inspections over many councils, asked with no grade ('which councils were inspected in 2019?')
INSPECTED = re.compile(r"\b(which|what|list|name|how many)\b[^?]{0,60}\b(councils|authorities|las|inspections|reports|"
                       r"inspected|visited)\b", re.I)
# how many reports back ('two inspections ago', 'the one before last')
# a year set aside ('when was the other time, apart from 2025?'): not the year asked about
EXCEPT_YEAR = re.compile(r"\b(?:apart from|other than|except(?: for)?|besides|excluding|not counting|aside from)"
                         r"(?: the| its| their)?(?: one)?(?: in| of)? ((?:19|20)\d\d)\b", re.I)
# a report set aside ('not counting the send one', '(not publication date)'): not what is asked about
SET_ASIDE = re.compile(r"\(?\b(?:apart from|other than|except(?: for)?|excluding|not counting|not including|leaving out|"
                       r"aside from|ignoring|not)\s+(?:the |its |their |any )?(?:(?:area )?send(?: one| ones| inspections?| reports?)?|"
                       r"publication date|date (?:it was )?published|press releases?|school(?: reports?| inspections?)?|"
                       r"(?:old|older|earlier|first) (?:one|ones|inspections?|reports?))\b\)?|"
                       r"\b(?:not (?:bothered|fussed|interested|worried) (?:about|with|in)|never mind|forget) (?:the |its |their )?"
                       r"(?:overall|headline|main) (?:grade|rating|judge?ment)s?\b", re.I)
AGO = re.compile(r"\b(one|two|three|four|\d) (inspections?|reports?|visits?|times?) (ago|back)\b|\b(one|inspection) before last\b", re.I)
DEICTIC = re.compile(r"\b((my|our) (local )?(council|local authority|authority|area|la|borough|county|town|city|"
                      r"children'?s services|social services|send)|my area'?s|our area'?s|this council|"
                      r"we|us|our|ours|here|round here|near me|the (council|local authority)['’]s|(is|was|has) the councils)\b|"
                      r"(?<!are )(?<!is )(?<!were )(?<!was )(?<!be )\bthere\W*$", re.I)  # 'are caseloads manageable there?'

# what the bot itself holds: 'which reports do you hold?', 'how many councils do you cover?'
HOLDINGS_ASKED = re.compile(r"^\W*(which|what|how many)( \w+)? (reports|councils|local authorities|providers|inspections|areas)\b"
                            r"[^?]{0,30}\b(do|can|does|have) (you|inspectbot|this (bot|tool|chat))( \w+)? (hold|have|cover|know|"
                            r"include|contain|search|answer|got)\b|^\W*what (can|do) you (answer|know|cover|tell me)( \w+)?\W*$|"
                            r"^\W*how many (reports|councils|local authorities|providers|inspections) (are there|are held)\W*$",
                            re.I)

# one report named as the one ('in the latest report', 'at their last inspection'): with no council, which?
THE_REPORT = re.compile(r"\b(the|its|their) (latest|last|most recent|newest|current) (ofsted |children'?s services |"
                        r"area send |send )?(report|inspection)\b(?!s)", re.I)

# closed vocabularies that decide the kind outright
INSPECTOR = re.compile(r"\b((lead|reporting) inspector|inspectors? (name|called)|who (led|inspected|headed)|hmi|"
                       r"(which|what) inspector (was|were) (in charge|leading|running)|who was in charge of (the |that |this |their )"
                       r"?(\w+ )?(inspection|visit|one)|"
                        r"who (was|were) (the )?(lead )?inspectors?|inspector'?s name|"
                        r"who (did|conducted|carried out|ran) (the |their |its |that |this )?((last|latest|most recent|\d{4}) )?"
                        r"(ofsted )?(inspection|visit))\b", re.I)
SAY_ABOUT = re.compile(r"\b(say|said|says|write|wrote|find|found|think|thought)\b[^?]{0,120}\babout\b|"
                       r"\b(think|thought|make|made) of\b", re.I)  # 'what did ofsted think of behaviour at X?'
HOW_MANY = re.compile(r"\b(how many|how much|what (proportion|percentage|number|%)|number of|per ?cent)\b", re.I)
DATES = re.compile(r"\b(when (was|were|did|is|had|has)\b[^?]{0,80}\b(inspect\w*|(ofsted|inspectors|cqc) (last )?(come|came|go|went|"
                    r"visit\w*))|"
                    r"inspection dates?|dates? of (the )?inspection|when did (ofsted|inspectors|cqc)|"
                    r"how long did the inspection|how long (has it been |is it )?since\b[^?]{0,60}\b(inspect\w*|ofsted|visit\w*)|"
                    r"when was (that|this|it)\b|^\W*(and )?when (was|were|did) (the|that) (one|inspection|visit)( (before|after) (that|this|it))?\W*$|\b(been|was|were) inspected (before|previously)\b|when did (they|the inspectors|inspectors) (actually )?(come|visit))", re.I)
NEXT = re.compile(r"\b(next|future|(?<!had )(?<!has )(?<!got )(?<!was )another|re-?inspect\w*|monitoring) (full )?(area SEND |SEND |ofsted )?"
                   r"(inspection|visit)|when will\b[^?]{0,120}\b(inspect\w*|visit\w*|back|return)|(be )?back to check|"
                   r"next (full )?(one )?(due|time)|how long (till|until|untill|before|to) (the |their |its )?next\b|next full one\b|when\W?s the next|when (is|will be) the next|what happens (next|now)|what are the next steps|"
                   r"when (are|is|do|does)\b[^?]{0,60}\b(com(e|es|ing) back|back|return\w*|re-?inspect\w*)\b|"
                   r"when (are|is|will|do|does|should)\b[^?]{0,60}\bnext (being |be |getting |get )?(inspected|visited|looked at)\b|"
                   r"when(?:'s| (?:is|are|will|do|does|should|might|would))\b[^?]{0,40}\bnext (com\w*|go\w*|due|in|back|inspect\w*|visit\w*)\b|"
                   r"\bdue (for )?(another|a new|the next)( one| inspection| visit)?\b|\banother (one|inspection|visit) due\b", re.I)
PUBLISHED = re.compile(r"\b(when|what (date|day|month)|which (date|day|month)) (was|were|did)\b[^?]{0,120}\b"
                        r"(published|released|announced|come out)\b|\bpublication date\b|\bdate (it was )?published\b", re.I)
IMPROVE = re.compile(r"\b(needs? to improve|(needs?|needed) improving|improve\b|improvements?\b(?! to be good| on (the )?(last|previous))|weakness(es)?|work on|"
                      r"areas? for|recommendations?|do better|needs? to change|priority actions?(?! plans?)|shortcomings|fix(?:ing|ed)?|"
                      r"criticis\w*|concerns?|wha(?:t'?s|t is|t are|ts) (?:\w+ )?wrong|(?<!i'm )(?<!i am )(?<!im )(?<!we're )(?<!we are )(?<!be )(?<!a )worr(y|ied|ies|ying)(?! about (my|our)\b)|problems?|failings|went wrong|going wrong|not good at)\b", re.I)
OVERVIEW = re.compile(r"\b(headlines?|summary|summarise|sum up|in a nutshell|main findings|key findings|overview|"
                       r"tell me about|what (was|is) it like|what did (ofsted|inspectors|they|it) find\??$|"
                       r"like about|liked|strengths|strong points|(?:doing|going|done|gone|working|went) well|good things|praised?|"
                       r"anything (positive|good)|positives?|good news)", re.I)
# 'what did ofsted find in bolton in 2018?' once its names and years are out: an overview
FIND_PLAIN = re.compile(r"\bwhat did (ofsted|inspectors|they|it|the inspectors?|the (latest |last |recent )?(\w+ )?"
                         r"(inspection|report|visit)( of| in| at| for)?) (find|say|conclude|think)"
                         r"(\s+(in|about|of|at|for|with|on|the))*\s*\W*$", re.I)
TIMES = re.compile(r"\bhow (many times|often)\b|\bhow many (ofsted |cqc )?(inspections|reports)\b", re.I)
# 'last time and the time before': the last two
_LAST_AND_BEFORE = (r"\b(?:last|latest|most recent) (?:time|one|inspection|grade|rating|report) and (?:the )?"
                    r"(?:one|time|inspection|grade|rating|report) before\b")
TIMELINE = re.compile(r"\b(changed?|change over|over time|history|timeline|track record|trend|over the years|"
                       r"(each|every) (of (the |their |its ))?(ofsted |cqc |full )?inspections?( results?| grades?| ratings?)?|"
                       r"(each|every) time (they|it|ofsted|inspectors) (have |has )?(been )?(inspected|came|come|visited|went in)|"
                       r"all (of )?(the |their |its )?(ofsted |cqc |full )?(inspections|inspection results)|since (\d{4}|it was|then|the last)|progress(ed)? since|"
                       r"previous inspections|journey|recover(ed|y)\b|bounced? back|turn(ed)? (it|things|themselves) (a)?round|sort(ed)? (it|things|themselves) out|oldest (to|first)|newest (to|first)|chronolog\w*|over the years|(got|getting|is|are|any) (any )?(better|worse)|did (it|they|\w+) (ever )?(get (any )?(better|worse)|improve)|gone up or down|up or down|"
                       r"improved|(?<!needs )(?<!need )(?<!needed )improving|declined|(better|worse) than (before|last time)|"
                       r"(last|past|previous) (two|three|four|five|\d) ([\w'’]+ ){0,3}(inspections|results|grades|"
                       r"ratings|reports)|from \d{4} (to \d{4}|on(wards)?)|(grades|ratings|results) in order|used to be|"
                       r"(every|each|all) (of )?(the |their |its )?(ofsted |cqc )?(result|grade|rating|judgement)s?\b[^?]{0,20}\bin order|"
                       r"what happened (after|since|next|then)|always been|ever ((actually|once|even) )?((been|got|gotten|had|managed|achieved|received|won) )?(an? )?(rated|judged|graded|outstanding|good|inadequate|ri\b|requires? improvement)|"
                       r"\d{4} (vs|versus|v|or|against|compared (to|with)) \d{4}|better or worse|worse or better)\b|"
                       rf"{_LAST_AND_BEFORE}", re.I)
LAST_AND_BEFORE = re.compile(_LAST_AND_BEFORE, re.I)
SEND_OUTCOME_WORDS = re.compile(r"\b(positive|inconsistent|systemic|widespread|priority action plans?)\b", re.I)
SEND_OUTCOME = re.compile(r"\b(positive|inconsistent|systemic|widespread)\b(\W+\w+){0,3}?\W+(experiences?|outcomes?|"
                           r"failings?)\b", re.I)
# England's regions, as a question over many councils names them ('london boroughs', 'councils
# in the north west'): not the City of London, not North East Lincolnshire
REGION_NAMES = (("London", r"london(?!\s+borough of|\s+corporation)"), ("North East", r"north[- ]?east(?!\s+(?:lincoln|lincs|somerset))"),
                 ("North West", r"north[- ]?west"), ("Yorkshire and the Humber", r"yorkshire(?: and (?:the )?humber)?"),
                 ("East Midlands", r"east midlands"), ("West Midlands", r"west midlands"),
                 ("East of England", r"east of england"), ("South East", r"south[- ]?east"), ("South West", r"south[- ]?west"),
                 ("Greater Manchester", r"greater manchester|gm"), ("Merseyside", r"merseyside"),
                 ("Tyne and Wear", r"tyne (?:and|&) wear|tyneside"), ("South Yorkshire", r"south yorkshire|s yorks"),
                 ("West Yorkshire", r"west yorkshire|w yorks"), ("Black Country", r"black country"))
REGION = re.compile(r"\b(?<!north )(?<!south )(?<!west )(?<!riding of )(?:(?:in|across|around|for|within|looking at|on|about|outside(?: of)?|excluding|except(?: for)?|apart from|"
                     r"leaving out|ignoring|not counting|not including|other than|aside from) (?:the )?(?P<r>" + "|".join(f"(?P<r{i}>{p})" for i, (_, p)
                     in enumerate(REGION_NAMES)) + r")\b|(?P<s>" + "|".join(f"(?P<s{i}>{p})" for i, (_, p) in
                     enumerate(REGION_NAMES)) + r")(?=\s+(?:boroughs?|councils?|authorities|las|areas)\b|\s*[:–(]|\s+-\s|\s+[\w-]+\s*[:–]))", re.I)  # 'north west: which ...'


def region_of(m: re.Match) -> tuple[str, int, int]:
    """(the region's name, where its words start and end in the question)."""
    g = "r" if m.group("r") else "s"
    i = next(i for i in range(len(REGION_NAMES)) if m.group(f"{g}{i}"))
    return REGION_NAMES[i][0], m.start(g), m.end(g)


# a question over many providers ("which councils ...", "how many local authorities ...")
MANY_PROVIDERS = re.compile(r"\b(which|what|list( the)?|name the|how many|who|any|are there)\b[^?]{0,120}\b(councils|local authorities|"
                            r"authorities|areas|places|providers|las|boroughs)\b|\bwhich (?:of (?:the|their) )?(?:children'?s|kids'?|social) "
                            r"services\b(?! (?:department|team))|\bwhich (?:(?:local )?area )?send (?:inspections|reports|areas|partnerships)\b|"
                            r"\bwho (was|were|got)\b[^?]{0,120}\b(rated|judged|outstanding|"
                            r"inadequate|good)\b|\blist\b|\bwhich ones\b|^\W*(?:[^?]{0,80}[-–:]\s*)?whose\b|"
                            r"\b(is there|are there|was there|were there|has there been) (a|an|any|one) (single )?(council|local authority|"
                            r"authority|area|borough)s?\b", re.I)
GRADE_WORDS = re.compile(r"\b(grades?|graded|rate|rated|rating|ratings|judged|judge?ments?|score|verdict|result|pass|passed|fail|failed|"
                          r"results|outcome|marks?|conclu\w+)\b|\bhow (did|do|does|has|have)\b[^?]{0,120}\b(do|doing|done|fare|fared|"
                          r"perform\w*|get on|got on)\b", re.I)
# the grades of many councils asked with none named: 'what grades did london boroughs get?'
GRADES_ASKED = re.compile(r"\b(grades?|ratings?|rated|judged|breakdown|distribution|spread|"
                          r"doing(?! (this|that|it|so|a|an|the|what|about|with|to)\b)|faring|fared|performing|"
                          r"get(ting)? on)\b", re.I)  # 'how are the black country councils doing?': their grades
# RI: the short form; 'that good', 'so good', 'as good as' say how good, not the grade
GRADE = re.compile(r"\b(outstanding|(?<!that )(?<!this )(?<!\bso )(?<!\bas )good|inadequate|requires? improvement(?: to be good)?|RI)\b", re.I)
# a grade that says which report is meant, not what is asked: 'who led the inspection that rated
# them inadequate?', 'the time they were RI', 'the outstanding one'
_G = GRADE.pattern
GRADED_ONE = re.compile(rf"\b(inspection|report|visit|time|one)\b (that|which|when|where|in which)\b[^?.]{{0,30}}?"
                        rf"\b(rated|judged|graded|gave|given|got|put|marked|found|(they|it|we) (were|was))\b[^?.]{{0,20}}?\b{_G}\b|"
                        rf"\bthe {_G} (inspection|report|one|visit)\b", re.I)
EVALUATIVE = re.compile(r"(?:^|(?<=[.!?:,–-])\s)\s*(is|are|was|were|does|do|has|have|how (good|well|are|is|do|does|competent|effective|strong))\b|"
                         r"\bwill (he|she|they|my \w+|the kids|the children) be (ok|okay|alright|safe|looked after|cared for)\b|"
                         r"\blooked after (ok|okay|well|properly|alright)\b|"
                         r"\b(any good|good at|good with|doing ok|doing okay|ok for|okay for|decent|safe)\b|"
                         r"\b(should|do|must) (i|we) (need to )?be (worried|concerned)\b|"
                         r"\b(know|knows) what (they|it|she|he)(['’]re| are| is|['’]s) doing\b|\b(have|has) (a|any) clue\b|"
                         r"\b(ok|okay|alright|all right)\s*[?.!]*\s*$", re.I)
# a verdict asked at the end, whatever the context before it ('were in a right mess a few years
# back, are they ok now?')
VERDICT_ASKED = re.compile(r"\bgood (news )?or bad( news)?\b|\b(are|is) (they|it)( actually| honestly| really| even)? "
                           r"(any good|decent|good enough)\b|(\b(safe|ok|okay|alright|any good|good enough) for (my|our|the|a|their) (\w+ ){0,2}(kids?|children|child|"
                           r"grandkids|grandchildren|grandson|granddaughter|son|daughter|nephew|niece|family|families)|"
                           r"\b(ok|okay|alright|all right|any good|decent|good enough)( now| these days| nowadays|"
                           r" at the moment| yet)?( or (not|bad|rubbish|terrible|awful|poor|failing|an? (total |complete |right |"
                           r"bit of a )?(mess|shambles|disaster|joke)))?|"  # '... are they ok now?', 'decent or a total mess?'
                           r"\b(as|that|so|really) (bad|good|poor|terrible|awful|shocking|great)( as (people|everyone|they|folk|"
                           r"the papers|the news|the local news|i'?ve heard)( are| have)? (say|said|think|reckon|claim|heard|made? out)"
                           r"\w*( it is)?)?|"  # 'how bad was the area SEND inspection?'
                           r"\bhow (bad|good|poor|serious|well|badly)( really)? (was|is|were|are|did) (it|the|their|its|that|this)\b"
                           r"[^?]{0,40}?\b(inspection|report|result|outcome|rating|verdict)( go)?)\s*[?.!]*\s*$", re.I)
# a document described by what it says ('X's release saying they were rated good across the board'):
# which document is meant, not the subject asked about
DESCRIBED = re.compile(r"\b((?:press )?releases?|statements?|articles?|announcements?|news|headlines?)\s+(saying|that said|"
                       r"which said|claiming|announcing|boasting|bragging|crowing|trumpeting|celebrating|(?:boasting|bragging) about)\b.*?(?=\s[-–]\s|[.?!;,:]|$)", re.I)
# whether the inspectors found anything wrong, asked yes or no with no subject of its own ('did the
# inspectors find problems there?', 'were any concerns raised?'): the verdict, then the points
PROBLEMS_ASKED = re.compile(r"\b(did|do|does|were|was|are|is|have|has)\b[^?.]{0,30}?\b(find|found|see|saw|spot|spotted|flag|"
                            r"flagged|raise|raised|identify|identified|any)\b[^?.]{0,12}?\b(problems?|issues?|concerns?|"
                            r"failings|weaknesses)\b(?!\s+(with|in|around|about|over|for|at)\s+(?!(it|them|that|this|there|"
                            r"the council|the service|the services)\b))", re.I)
# 'how did the SEND inspection go for X?': the verdict, wherever the name comes
HOW_IT_WENT = re.compile(r"\bhow(?: did| has| have|'s) (the|their|its|that|this|[\w -]{2,40}?['’]s)\b[^?]{0,40}?\b(inspection|report|visit)s? "
                         r"(go|gone|went|turn(ed)? out)\b", re.I)
# whether a council has a report of a kind ('did they have a SEND inspection as well?', 'has there
# been an ofsted of X?'): yes, and what it gave
HAD_ONE = re.compile(r"\b(did|do|does|has|have|had|was|were|is)\b[^?]{0,40}?\b(have|had|get|got|been|there)\b[^?]{0,12}?\b"
                     r"(a|an|any)( recent| full| joint)? (area )?(send|ofsted|ilacs|children'?s services?|"
                     r"social care) (inspection|report|visit)s?\b", re.I)
# the asker's own worry about a council, asked as a yes or no: the verdict first
WORRIED = re.compile(r"\b(should|do|must|need) (i|we) (need to )?(be|feel|get) (worried|concerned|anxious)\b|"
                     r"\b(is|are) (it|there|this|that) (anything )?(to|i should|we should) (worry|be worried)\b", re.I)
SEND_UPPER = re.compile(r"\bSEND\b")  # the noun; 'send' as a verb is left alone
SEND_NOUN = re.compile(r"\barea send\b|\bsend (inspections?|support|services?|system|reports?|provision|partnerships?|areas?|"
                   r"outcomes?|results?|local offer|children|needs|team|reforms?|waits?|waiting|assessments?|tribunals?|transport|"
                   r"sufficiency|ratings?|grades?|judge?ments?|failings)\b|\b(with|for|and|our|their|its|the) send\b|['’]s send\b|"
                   r"\bsend\b(?=\s*[-–:,?]|\s*$)|"
                   r"special educational needs|\bEHC ?Ps?\b|\bEHC plans?\b|education,? health and care plans?|"
                   r"\bautism|\bautistic|\badhd\b|(?<!leavers['’] )(?<!leavers )local offer(?! (for|to) (care leavers|young people leaving care))|speech and language|speech therap\w*|special needs|"
                   r"neurodevelopment|\bSENCO|special schools?\b|\bdyslexi\w*", re.I)


def sentences(text: str) -> list[str]:
    """A question's sentences ('My nephew is in care in X.', 'How has X done?')."""
    return re.split(r"(?<![\s(]e\.g\.)(?<![\s(]i\.e\.)(?<!\betc\.)(?<=[.!?])\s+", text.strip())  # not after 'e.g.'


def asking_sentences(text: str) -> list[str]:
    """The sentences that ask (end with '?'), without the context given before them."""
    return [s for s in sentences(text) if s.rstrip().endswith("?")]


# who asks: 'we foster there', 'thinking about becoming a foster carer in X', 'I'm a PA near X'
# (who they are or what they do, not someone's needs: 'my son has autism - ...' names the subject)
_ASKER = re.compile(r"\W*((i'?m|im|i am|we'?re|we are)( \w+)? an?\b|as an? \w+|(i|we) (work|foster|live|volunteer|teach|"
                    r"help|moved?)\b|((i'?m|im|i am|we'?re|we are) )?(thinking|considering|planning|hoping|looking) "
                    r"(about|of|at|to|into)\b)", re.I)


def asker_context(text: str) -> tuple[list[str], list[str]]:
    """The parts of a question (sentences, and the words either side of a dash) that say who asks
    and ask nothing, and the parts that ask; none of the first where none asks. The first's
    words are the asker's, not what is asked about."""
    parts = [p for s in sentences(text) for p in re.split(r"\s[-–]\s", s)]
    asks = [p for p in parts if p.rstrip().endswith("?")]
    return ([p for p in parts if not p.rstrip().endswith("?") and _ASKER.match(p)] if asks else []), asks


# a question that only asks to be agreed with ('X got outstanding, didn't they?', '... right?'): a
# verdict put to the reports, said before what is asked after it
TAG_QUESTION = re.compile(r"\b(?:right|yeah|innit|surely|(?:did|do|does|have|has|had|is|are|was|were|would|will|could)n['’]?t "
                          r"(?:they|it|he|she|we|you|there))\W*\?(?=\s|$)", re.I)
# 'how did it go', 'how did they do': how an inspection went, asked of both at once
HOW_WENT = re.compile(r"\bhow (?:did|have|has) (?:it|they|\w+) (?:go|gone|do|done|get on|fare)\b", re.I)


def is_send(question: str) -> bool:
    return bool(SEND_UPPER.search(question) or SEND_NOUN.search(question))


def send_spelled(text: str) -> str:
    """'send' spelled out where the question uses the noun: to the embedder 'worcestershire send
    - anything about waiting lists?' reads as a request to send something."""
    return re.sub(r"\bsend\b", "special educational needs", text, flags=re.I) if is_send(text) else text


NEWS = re.compile(r"\b((?<!in the )(?<!on the )(?<!over the )(?<!made the )(?<!hit the )news|press release|press|announce\w*|statement|according to (the )?(council|local authority)|"
                  r"(the|a|their|its|this|that|council's) release|['’\"”] release)\b", re.I)
# the council itself speaking ('what did salford say after ...', names out: 'what did say after ...')
COUNCIL_SAID = re.compile(r"\b(what|how) (did|has|have|does) (the )?(council |local authority |authority )?"
                           r"(say|said|respond\w*|react\w*|reply|replied)\b", re.I)
WHERE = re.compile(r"^\s*(where is|where's|what is the address of)\b", re.I)
AREAS = [
    ("judgement_safe", re.compile(r"\b(is|are)\b[^?]{0,120}\bsafe\b(?! (for|from))", re.I)),
    ("judgement_well_led", re.compile(r"\bwell[- ]led\b", re.I)),
    ("judgement_caring", re.compile(r"\b(is|are)\b[^?]{0,120}\bcaring\b", re.I)),
    ("judgement_responsive", re.compile(r"\b(is|are)\b[^?]{0,120}\bresponsive\b", re.I)),
    ("judgement_care_leavers", re.compile(r"\b(care[- ]leavers?|leaving care|left care|leaves? care|out of care)\b", re.I)),
    ("judgement_adoption", re.compile(r"\badopt\w*", re.I)),
    ("judgement_children_in_care", re.compile(r"\b(children in care|kids in care|looked[- ]after|in care\b|permanence|"
                                               r"in (foster|residential) care\b|(?<!privately )fostered\b)", re.I)),
    ("judgement_help_protection", re.compile(r"\b(help and protection|need help|protection|protecting|protect|protected)\b", re.I)),
    ("judgement_leaders", re.compile(r"\b(leaders|leadership|management|managers)\b", re.I)),
    ("judgement_previous_overall", re.compile(r"\b(previous inspection|inspection before|before that)\b", re.I)),
    ("judgement_teaching", re.compile(r"\bteaching\b(?!\s+(?:the\s+)?(?:kids|children|pupils|them|him|her|us|how|about)\b)", re.I)),
    ("judgement_outcomes", re.compile(r"\boutcomes for pupils\b", re.I)),
    ("judgement_early_years", re.compile(r"\bearly years\b", re.I)),
    ("judgement_personal_development", re.compile(r"\b(personal development|behaviour)\b", re.I)),
]
# words that say nothing about the topic of a question about a council's inspection
FILLER = set("""a an the and or of to in on for at by with from about as is are was were be been being do does did doing done has
have had what which who whom whose when where why how this that these those it its their there they them he she his
her our your my we you i me us can could should would will shall may might must not no yes any all some most more
much many very than then cant can't remember remembered worrying worry worries conclude concluded conclusion
conclusions whatever lol so such into over under after before since during per up out if also just only other ofsted
inspection inspections inspected inspector inspectors report reports council councils services service children
child childrens kids kid social care work local authority say said tell according latest last recent recently time
now current currently newest oldest newer older these days today rating ratings rated rate grade grades graded
judged judgement judgements judgment judgments result results score verdict mark marks good bad any ok okay
outstanding inadequate requires require required improvement overall decent alright anything something heard find
finds found via next effectiveness get got gets getting think thought came come go went going ofsteds full please
thanks hi hello ok right actually really back like lot whats what's is it was it dept department lately year years
area areas send cqc joint inspection's childrens' children's kids' doing fare fared give gave given award awarded re reinspection reinspected
receive received achieve achieved one only word words make made opinion view views im ive id properly deal dealt
dealing worried concerned anxious previous prior earlier before ones tell can could still yet ever things thing
stuff same first then pls plz thx keep keeps saying says mention mentions mentioned often usually commonly generally
typically straight honestly bluntly briefly simply plainly frankly someone somebody anyone anybody everyone him
himself herself themselves looking goes attends attend attending few ago own admit admits admitted acknowledge
acknowledges acknowledged concede conceded problem problems issue issues wrong way ways handle handles handled
handling saw seen slated slammed panned hammered compare compares compared comparison reckon reckons reckoned thinks
people mate mates sister brother friend friends neighbour true fair rubbish shambles mess disgrace useless dreadful
shocking awful terrible failing run too also against olds didnt didn't doesnt isnt wasnt arent werent vs versus
onwards happened across england outcome outcomes press release releases statement statements news announcement
moving move moved relocating relocate thinking considering jan feb mar apr jun jul aug sep sept oct nov dec live
lives living round youve ive weve theyve theyre but anyway anyhow""".split())
GOT = re.compile(r"\b(get|got|give|gave|given|award\w*|receive\w*|achiev\w*|come out|do|did|doing|fare|fared)\b", re.I)
# words of a question that only make sense inside this domain; without any, a question is off topic
DOMAIN = re.compile(r"ofsted|inspect|child|kid|young|teen|social|care|council|authorit|service|send\b|school|"
                     r"report|grade|rating|rated|judge|adopt|foster|safeguard|protect|leader|famil|disab|special|"
                     r"autis|adhd|ehc|exploit|missing|abuse|neglect|caseload|agency|leaver|placement|cqc|"
                     r"parent|health|education|support|help|homeless|housing|accommodat", re.I)
AREA_WORDS = {"care", "leavers", "leaver", "leaving", "left", "adoption", "looked", "after", "permanence",
               "help", "protection", "protecting", "protect", "leaders", "leadership", "management", "managers",
               "led", "safe", "need", "children", "in", "experiences", "progress", "impact", "social",
               "practice", "families", "effectiveness", "performance", "governance", "achieving"}
TREND_WORDS = set("""better worse changed change changes journey history trend between across each every gone
track record records far back going
went improved improving improve declined decline two three four five over progress progressed previous past
onwards times higher lower up down compare compared which whether ratings grades results order chronological
sequence always ever never used happened happen after since vs versus all""".split())
MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"], 1)}


MONEY = re.compile(r"£|\bpounds?\b|\b(pay|paid|pays|salary|salaries|wages?|cost(?! of living)|costs|costing|spend|spends|spent|"
                    r"spending|budget|budgets|funding|funded|money|allowances?|fees?)\b", re.I)
AMOUNT = re.compile(r"\bhow much\b|\bamount\b|\bwhat (do|does|did)\b[^?]{0,60}\b(pay|paid|cost|spend)|£", re.I)
BEST_WORST = re.compile(r"\b(best|top|strongest|highest|worst|weakest|poorest|lowest)\b(?! (way|thing|place to|person|time))", re.I)
EARLIEST = re.compile(r"\b(first|earliest|oldest)\s+([\w']+\s+){0,2}?(inspection|report|grade|rating|judgement|"
                       r"judgment|result|visit|one)s?\b|\bfirst (ever|inspected|visited|graded|rated|judged)\b", re.I)
WH = re.compile(r"\W*(what|which|where|who)\b", re.I)
# the best or worst of many: 'the worst council in england', 'top 5 councils for care leavers'
BEST_OF_MANY = re.compile(r"\b(best|top|strongest|highest|worst|weakest|poorest|lowest)( \d+| three| five| ten)? "
                          r"(councils?|local authorit(y|ies)|las?|boroughs?|count(y|ies)|areas?)\b", re.I)
# a council's latest report set against the one before ('how does that compare to last time?')
THAN_LAST_TIME = re.compile(r"\b(compar\w*|than|versus|vs\.?|against|(?:up|down|an improvement|a drop) on)\b[^?]{0,30}\b(last time|previous(ly| one| inspection)?|"
                            r"the time before|the one before|before that|last inspection|(?:it|they|that) (?:got|had|was|were) before)\b",
                            re.I)
# councils near one named: its region's ('which councils near manchester are outstanding?')
NEAR = re.compile(r"\b(near|around|close to|next to|neighbouring|surrounding|nearby)\s+$", re.I)
WHO_CHANGED = re.compile(r"\W*(who|which (councils|authorities|areas|las|local authorities))\b(?!.*\b(it|its|it's|them)\b)"
                         r"(?! (led|ran|run|carried|inspected|was the|were the))", re.I)  # 'who led ...?' asks for a person
# a question that carries on from the one before ('and ...', 'what about ...') is no new subject
GOING_ON = re.compile(r"\s*(and|what about|how about|also|so|then)\b", re.I)
# quantifiers over providers: a question about any or every council is a list, not a name
ANY_PROVIDER = re.compile(r"\b(any ?one|anybody|any (council|authority|local authority|la|area|borough)s?|"
                           r"every (council|authority|la)|all (the )?(councils|authorities|las))\b", re.I)

# every judgement of a report at once: 'outstanding for every single judgement', 'across the board'
ALL_JUDGEMENTS = re.compile(r"\b(every|each|all)( single| one| of the| of its| of their| four| three| five)? "
                            r"(judge?ments?|categories)\b|\bacross the board\b|\bin every area\b|"
                            r"\b(any|which|one) of the (four |five |three |other |sep[ae]rate |individual )?judge?ments\b|"
                            r"\b(its|their|\w+['’]s?) (sep[ae]rate |individual |four |other )?judge?ments\b|"
                            r"\b(any|which|what) (bits?|parts?|areas?|aspects?|judge?ments?)\b[^?.]{0,20}\b(didn'?t|did not|wasn'?t|was not|"
                            r"weren'?t|were not|failed to)\b", re.I)
# the children's services inspection named as a kind of report (not an area SEND one)
CHILDRENS_SERVICES = re.compile(r"\b(children['’]?s|childrens['’]?|kids['’]?)\s+(services|social\s+(care|services|work))\b|"
                                r"\bilacs\b", re.I)
# a reason asked for: 'why was X judged inadequate?', 'what led to the grade?'
WHY = re.compile(r"^\W*((and|so|but|ok|okay) )?(why|how come)\b|\breasons? (for|why|behind)\b|"
                 r"\b(explain|understand|know|tell me|see) why\b", re.I)
# the report's judgements ranked or sought by grade: 'its weakest area', 'which parts were the worst?'
_PART = r"(areas?|parts?|judge?ments?|grades?|ratings?)\b(?! of (the )?(country|england|region|north|south|east|west|midlands))"
_RANKED = r"(best|strongest|highest|worst|weakest|poorest|lowest)"
RANKED_PART = re.compile(rf"\b{_RANKED}\s+(rated\s+|graded\s+|judged\s+)?{_PART}|"
                         rf"\b(which|what)\s+{_PART}[^?.]{{0,60}}\b({_RANKED}|outstanding|good|inadequate|"
                         rf"requires? improvement|ri)\b", re.I)  # 'which area was judged outstanding?' too
# a council's own people speaking: what its press releases hold, not the inspectorate's words
SPOKE = re.compile(r"\b(mayors?|deputy mayor|councillors?|cllr|cabinet member|council leader|leader of the council|"
                   r"chief executive|press release|statement|responded|response to)\b", re.I)
# someone asked for what they said ('what did the deputy mayor say', 'the council's statement'), not
# named in passing ('training where children in care train councillors')
_SAID_BY = re.compile(SPOKE.pattern + r"[^?.]{0,40}\b(say|said|says|saying|comment\w*|respond\w*|react\w*|quoted|told|"
                      r"admit\w*|claim\w*)\b|\b(press release|statement|responded|response to)\b", re.I)


def spoke(q: str) -> bool:
    """Whether the question asks what someone said (a councillor, the council's release)."""
    return bool(_SAID_BY.search(q))


# the people a 'who' question can be after: a role, not an organisation ('the council or the nhs?')
ROLE = re.compile(r"\b(director|dcs|chief executive|head|manager|officer|councillor|cllr|mayor|leader|lead member|"
                  r"cabinet member|social workers?|foster carers?|staff|person|people|name)\b", re.I)
ABOUT_INSPECTION = re.compile(r"\b(inspect\w*|ofsted|hmi|led|lead)\b", re.I)
SEND_REPORT = re.compile(r"\b(area )?send (inspection|report|outcome|result|judgement)|\barea send\b", re.I)
# a clause that asks something: it starts with a question word or a request ('tell me', 'list')
ASKS = re.compile(r"\W*(what|which|who|when|where|how|is|are|was|were|did|does|do|has|have|can|could|tell|give|show|"
                  r"list)\b", re.I)


# shapes of asking an executor needs beyond the plan's fields, read once with the question
# a council set against itself: 'how does X compare with its 2019 inspection?', 'now against 2022'
VERSUS = re.compile(r"\b(compar\w*|versus|vs\.?|against|stack up|measure up)\b", re.I)
# a question that asks for a yes or no: 'has X ever been ...?', '... didn't it?'
YES_NO = re.compile(r"^\W*(has|have|was|were|is|are|did|does|do)\b|\b(did|does|was|is|has)n'?t (it|they)\b", re.I)
_SHAPES = {"versus": VERSUS, "holdings": HOLDINGS_ASKED, "times": TIMES, "yesno": YES_NO, "than_last": THAN_LAST_TIME,
           "send_report": SEND_REPORT}


def shapes(q: str) -> frozenset[str]:
    """Which of versus, holdings, times, yesno, than_last, send_report (the area SEND inspection
    itself, not SEND as a subject) the question ``q`` asks in."""
    return frozenset(k for k, p in _SHAPES.items() if p.search(q))

"""Plain-English meanings of inspection terms, for parent mode. Our own wording."""

from __future__ import annotations

import re

GLOSSARY = {
    "outstanding": "Outstanding is the highest of Ofsted's four grades: services that are "
                   "exceptional and make a real difference to children's lives.",
    "good": "Good is the second-highest of Ofsted's four grades: services do what they should "
            "for children, well.",
    "requires improvement to be good": "'Requires improvement to be good' is the third of "
            "Ofsted's four grades: children are not harmed by the service, but it is not yet good "
            "enough and must get better.",
    "inadequate": "Inadequate is the lowest of Ofsted's four grades: there are serious failures "
                  "that leave children at risk or not properly helped, and the council must act.",
    "adequate": "Adequate was a middle grade in Ofsted's older frameworks (before 2013): services "
                "met the minimum requirements.",
    "care leavers": "Care leavers are young people aged 16 to 25 who have been in the care of "
                    "the council and have left, or are about to leave, care.",
    "children in care": "Children in care (also called looked-after children) are children the "
                        "council looks after, for example in foster care or a children's home.",
    "area send": "An area SEND inspection looks at how well the council and the NHS work "
                 "together for children and young people with special educational needs and "
                 "disabilities (SEND) in a local area.",
    "ilacs": "ILACS (inspecting local authority children's services) is Ofsted's way of "
             "inspecting a council's children's social care services since 2018.",
    "help and protection": "Children who need help and protection are those who need support "
                           "from social workers, or protection from harm, while living at home.",
    "ehc plan": "An EHC (education, health and care) plan is a legal document that sets out a "
                "child's special educational needs and the support they must get.",
    "ofsted": "Ofsted (the Office for Standards in Education, Children's Services and Skills) "
              "inspects and regulates services for children in England, including councils' "
              "children's services, schools and nurseries.",
    "cqc": "The CQC (Care Quality Commission) inspects health and adult social care services in "
           "England, and inspects area SEND arrangements jointly with Ofsted.",
    "send": "SEND stands for special educational needs and disabilities: children who need extra "
            "help to learn because of a learning difficulty or a disability.",
    "mash": "A MASH (multi-agency safeguarding hub) is where the council's social workers, the "
            "police, health services and others share what they know to decide quickly what to do "
            "when someone is worried about a child.",
    "lado": "The LADO (local authority designated officer) deals with allegations that an adult "
            "who works with children has harmed a child or may be a risk to children.",
    "independent reviewing officer": "An independent reviewing officer (IRO) chairs the regular "
            "reviews of each child in care's plan and checks that the council does what the plan says.",
    "early help": "Early help is support for a family as soon as problems start, so that they do "
                  "not grow into something that needs a social worker.",
    "child protection plan": "A child protection plan is agreed when a child is judged to be at "
            "risk of significant harm: it sets out what everyone will do to keep the child safe.",
    "pathway plan": "A pathway plan sets out the support a young person leaving care will get, "
                    "for example with housing, education, work and money.",
    "personal adviser": "A personal adviser is the council worker who supports a care leaver "
                        "with their pathway plan, up to the age of 25.",
    "virtual school": "The virtual school is the council team that oversees the education of the "
                      "children it looks after, wherever they go to school.",
    "corporate parent": "Being a corporate parent means the whole council has a duty to act for "
                        "the children in its care as a good parent would.",
    "special guardianship order": "A special guardianship order is a court order that lets a "
            "relative or other carer bring up a child long term, without ending the legal link "
            "with the birth parents.",
    "private fostering": "Private fostering is when a child under 16 lives for 28 days or more "
                         "with someone who is not a close relative, arranged by the family, not "
                         "the council. The council must be told and must check the child is safe.",
}
_SAME_AS = {"multi-agency safeguarding hub": "mash", "multi agency safeguarding hub": "mash", "iro": "independent reviewing officer",
            "sgo": "special guardianship order", "cpp": "child protection plan",
            "special educational needs and disabilities": "send", "ehcp": "ehc plan"}
GLOSSARY.update({k: GLOSSARY[v] for k, v in _SAME_AS.items()})

_ORDER = sorted(GLOSSARY, key=len, reverse=True)


def explain(text: str, limit: int = 2) -> list[str]:
    """Glossary entries for the terms that ``text`` uses, longest term first, no overlaps."""
    low = text.lower()
    out: list[str] = []
    used: list[str] = []
    for term in _ORDER:
        if re.search(rf"\b{re.escape(term)}\b", low) and not any(term in u for u in used):
            out.append(GLOSSARY[term])
            used.append(term)
            if len(out) == limit:
                break
    return out


_DEFINE = re.compile(r"^\s*(what|wat)(?:['’]?s| (?:does|do|is|are))\s+(?:the\s+)?(?:term\s+|word\s+|phrase\s+|grade\s+)?"
                     r"(?:an?\s+)?[\"'“‘]?(?P<term>[a-z' -]{3,60}?)[\"'”’]?\s*(?:(?:actually|really|exactly)\s+)?(?:mean|stand for|look like)?"
                     r"(?:\s+(?:in|on|for|from)\s+(?:an?\s+|the\s+)?(?:ofsted\s+)?(?:report|inspection|rating|grade|judgement|council|"
                     r"local authorit(?:y|ie)|(?:children['’]?s )?(?:services? )?department|children['’]?s service)s?)?"
                     r"(?:\s+(?:for|to)\s+(?:me|us|parents|families|my (?:kids?|child(?:ren)?|son|daughter|family)))?"
                     r"\s*\??\s*$", re.I)
_DIFFERENCE = re.compile(r"\bdifference between (?:an?\s+|the\s+)?(?P<a>[a-z' -]{3,40}?) and (?:an?\s+|the\s+)?"
                         r"(?P<b>[a-z' -]{3,40}?)(?:\s+(?:in|on)\s+[a-z ]{3,30})?\s*\??\s*$", re.I)


def _lookup(asked: str) -> str:
    asked = re.sub(r"\s+", " ", asked.lower()).strip()
    for term in _ORDER:
        if asked in (term, term.rstrip("s")) or (len(asked) >= 4 and term.startswith(asked + " ")):
            return GLOSSARY[term]
    return ""


def definition(question: str) -> str:
    """Our own explanation of the inspection term a question asks about ('what does requires
    improvement mean?', 'what is an EHC plan?', 'the difference between good and
    outstanding?'), or ''."""
    m = _DIFFERENCE.search(question)
    if m:
        a, b = _lookup(m.group("a")), _lookup(m.group("b"))
        return f"{a} {b}" if a and b else ""
    # each sentence of the question, less a word of apology or a greeting before it ('sorry, what's
    # a LADO? it keeps coming up')
    for part in re.findall(r"[^?.!]+[?.!]?", question):
        m = _DEFINE.match(_BEFORE_ASKING.sub("", part))
        if m and _lookup(m.group("term")):
            return _lookup(m.group("term"))
    return ""


_BEFORE_ASKING = re.compile(r"^\s*((sorry|ok(ay)?|so|and|also|hi|hello|hey|right|oh|um+|erm|quick question|"
                            r"one more thing|please|pls)\b[\s,:!-]*)+", re.I)


# How people ask, and the words inspectors write for it: a question's plain words bring the
# report's words into its search ('listen to kids' finds 'children's views and wishes').
PLAIN_TO_REPORT = [
    (r"\bkids?\b|\bchilds?\b", "children"),
    # not hearsay ('heard some councils are ...', 'i've heard that ...')
    (r"\blisten\w*|\bhear(?:s|ing|ings)?\b|\bheard\b(?! (?:that|some|about|from|people|there|on|councils|it|they|rumou?rs?)\b)|"
     r"\bsay in\b|\bhave a say\b", "views wishes voice heard"),
    (r"\bkicked out\b|\bthrown out\b|\bon the streets\b|\bnowhere to (live|stay)\b", "homeless homelessness"),
    (r"\bsettled\b|\bmov(e|ed|ing) (around|a lot)\b|\bmov(e|ed|ing) from (home|placement|carer)s? to\b|"
     r"\btoo many (moves|homes|placements|carers)\b|\b(home|placement) moves\b", "stable stability placement moves"),
    (r"\bkeeps? changing\b|\bnew social worker\b|\bchanges? of (social )?worker\b|\bstaff leav\w*", "turnover changes of social worker workforce stability"),
    (r"\bfind(ing)?\b[^?]*\bfoster\w*|\benough foster\w*", "recruitment of foster carers sufficiency"),
    (r"\bearly on\b|\bbefore things get (bad|worse)\b|\bearly\b", "early help"),
    (r"\bteenagers?\b|\bteens?\b|\byoung people\b", "young people adolescents"),
    (r"\bgo(es|ing)? missing\b|\brun(s|ning)? away\b|\bran away\b", "missing from home return home interviews"),
    (r"\bleav(e|es|ing) care\b|\bleft care\b", "care leavers personal advisers pathway plans"),
    (r"\bdisabled\b|\bdisabilit\w*", "disabled children"),
    (r"\behc ?ps?\b", "EHC plans education, health and care plans"),
    (r"\bwaits?\b|\bwaiting\b|\bhow long\b", "waiting times wait"),
    (r"\bworkloads?\b|\bcaseloads?\b|\bhow busy\b|\btoo many cases\b", "caseloads workloads"),
    (r"\bagency\b|\btemp(orary)? staff\b|\blocums?\b", "agency staff"),
    (r"\benough (social )?(workers|staff)\b|\bshort[- ]staffed\b|\bstaff shortages?\b", "recruitment retention vacancies workforce capacity"),
    (r"\byoung carers?\b", "young carers caring responsibilities"),
    (r"\bdads?\b|\bdaddy\b", "fathers"),
    (r"\bmums?\b|\bmummy\b|\bmoms?\b", "mothers"),
    (r"\b(safe|safety|risks?) online\b|\bonline (safety|risks?|abuse|harm)\b|\binternet\b", "e-safety online internet"),
    (r"\bsafe\b|\bat risk\b|\bprotect\w*", "safe risk protection"),
    (r"\bfront door\b", "front door referrals MASH multi-agency safeguarding hub team contacts"),
    (r"\bprivate(ly)? foster\w*", "private fostering arrangements"),
    (r"\bgangs?\b|\bexploit\w*|\bcounty lines\b", "exploitation"),
    (r"\bparents? (say|think|told|tell)\b|\bwhat do parents\b", "parents carers views"),
    (r"\bgrandparents?\b|\brelatives?\b|\bfamily and friends\b|\baunts?\b|\buncles?\b", "kinship care connected carers family network"),
    (r"\bmental health\b|\bdepress\w*|\banxi\w*|\bself[- ]harm\w*", "emotional wellbeing mental health CAMHS"),
    (r"\bdrugs?\b|\balcohol\b|\bdrinking\b", "substance misuse"),
    (r"\bcourt\b|\bjudges?\b", "care proceedings court"),
    (r"\brespite\b|\ba break\b", "short breaks"),
    (r"\bcrime\b|\boffend\w*|\bpolice\b|\bknife\b|\bknives\b", "youth justice serious youth violence exploitation"),
    (r"\bgroom\w*|\bsexual abuse\b", "child sexual exploitation abuse"),
    (r"\brefugees?\b|\basylum\b|\bfrom abroad\b", "unaccompanied asylum-seeking children"),
    (r"\bhousing\b|\bflats?\b|\bsomewhere to live\b|\bplace to live\b", "accommodation suitable homes"),
    (r"\bjobs?\b|\bcollege\b|\buniversity\b|\bapprenticeships?\b", "education employment training"),
    (r"\bexcluded\b|\bexclusions?\b|\bkicked out of school\b", "exclusion education"),
    (r"\bhome school\w*|\bhome[- ]educat\w*", "elective home education"),
    (r"\bhealth checks?\b|\bmedicals?\b|\bdentists?\b", "health assessments"),
    (r"\bbull(y|ied|ying)\b", "bullying"),
    (r"\bautis\w*|\basd\b|\badhd\b|\basc\b", "neurodevelopmental autism assessments"),
    (r"\bb ?& ?bs?\b|\bbed and breakfasts?\b|\bhostels?\b|\bsofa[- ]surf\w*", "bed and breakfast unsuitable accommodation"),
    (r"\bspeech therap\w*|\bsalt\b", "speech and language therapy"),
    (r"\bcomplain\w*\b", "complaints"),
    (r"\bvisit(s|ed)? (him|her|them|my)\b|\bsee(s|n)? (him|her|them|my) (often|regularly)\b", "visits seen regularly"),
    # the sector's abbreviations, as the reports spell them out
    (r"\bfgm\b", "female genital mutilation"), (r"\bmst\b", "multisystemic therapy"),
    (r"\bcse\b", "child sexual exploitation"), (r"\bcce\b", "child criminal exploitation"),
    (r"\buasc\b", "unaccompanied asylum-seeking children"), (r"\blado\b", "designated officer allegations"),
    (r"\bplo\b", "public law outline pre-proceedings"), (r"\bsgos?\b", "special guardianship"),
    (r"\bdols\b", "deprivation of liberty"), (r"\bcamhs\b", "child and adolescent mental health services"),
    (r"\bneets?\b", "not in education employment or training"), (r"\bfgcs?\b", "family group conferences"),
]
_PLAIN = [(re.compile(p, re.I), words) for p, words in PLAIN_TO_REPORT]


def report_words(question: str) -> str:
    """The report's words for the plain words of a question ('' when it has none)."""
    return " ".join(dict.fromkeys(words for pat, words in _PLAIN if pat.search(question)))
